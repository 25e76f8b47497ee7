// The start page: the pending steps, overdue first, each with what to do and a way to do it
// (the actions a step offers are posted here too), and what goes out in the next 14 days.
import type { Request, Response, Router } from 'express';
import { toStockholmTime, toStockholmDate } from '../../domain/dates.js';
import type { PendingStep } from '../../domain/pending.js';
import type { ReportKind } from '../../domain/rapportering.js';
import { REPORT_TEXT, svDate, svDayDate, svPeriod, svTime } from '../../domain/texts.js';
import { meetingDate } from '../../services/arscykel.js';
import { markMilestoneDone } from '../../services/kalendarium.js';
import { resolveDelivery } from '../../services/obligations.js';
import { isoDay } from '../../services/rapportering.js';
import { upcomingSends, upcomingUntil } from '../../services/utskick.js';
import { markPrepared, reportBack } from '../../workflows/signals.js';
import { actor } from '../auth.js';
import { plannedReminders, sortedPendingSteps } from '../rapportering.js';
import { noIdentityNumbers, viaWorkflow } from '../styrelse.js';
import { startPage, type ActionView, type SendView, type StepView } from '../pages/admin.js';
import { backTo, capital, doneAt, doneMessages, flashOf, formOf, html, keepTime, PageError, WAITING_SV, withDone, type AdminKit } from './kit.js';

doneMessages({
  'moment-klart': 'Momentet är markerat som klart.',
  atgardat: 'Utskicket är markerat som åtgärdat.',
  berett: 'Ärendet är markerat som berett och kommer på föredragningslistan när den stängs.',
  aterrapporterat: 'Återrapporteringen är sparad och ärendet är avslutat.',
});

/** Pending steps per page of the start page (a förbund whose year has run without reports has many). */
const STEPS_PER_PAGE = 20;

/** A form sent back with an error: which action, the field's message and what was typed. */
export interface FormError {
  action: string;
  message: string;
  value?: string;
}

export type RenderStart = (req: Request, res: Response, status?: number, formError?: FormError) => Promise<void>;

export function startPages(k: AdminKit, r: Router): { renderStart: RenderStart } {
  const { deps, prisma, page, today, thisYear, fid, isAdmin, onlyOfficial, chrome } = k;
  async function steps(req: Request): Promise<PendingStep[]> {
    return sortedPendingSteps(deps, fid(req), today());
  }

  async function stepViews(req: Request, all: PendingStep[], formError: FormError | undefined, back: string): Promise<StepView[]> {
    const forbundId = fid(req);
    const ids = (type: PendingStep['type']) => all.filter((x) => x.type === type).map((x) => x.id);
    const [obligations, deliveries, meetings, milestoneRows] = await Promise.all([
      prisma.reportingObligation.findMany({ where: { id: { in: ids('report') }, project: { forbundId } }, include: { project: { include: { coordinator: true } } } }),
      prisma.notification.findMany({ where: { id: { in: ids('delivery') }, forbundId } }),
      prisma.meeting.findMany({ where: { id: { in: [...ids('quorum'), ...ids('minutes'), ...ids('justering')] }, forbundId } }),
      prisma.milestone.findMany({ where: { id: { in: ids('milestone') }, forbundId }, include: { meeting: true } }),
    ]);
    const obligation = new Map(obligations.map((o) => [o.id, o]));
    const milestone = new Map(milestoneRows.map((m) => [m.id, m]));
    const delivery = new Map(deliveries.map((n) => [n.id, n]));
    const meeting = new Map(meetings.map((m) => [m.id, m]));
    const withError = <T extends ActionView>(a: T): T =>
      formError && 'action' in a && a.action === formError.action && (a.kind === 'date' || a.kind === 'text') ? { ...a, error: formError.message, value: formError.value ?? a.value, open: true } : a;
    return all.map((st) => {
      const anchor = `steg-${st.type}-${st.id}`.replace(/[^A-Za-z0-9-]/g, '-');
      const who = st.waitingOn.name ? `${st.waitingOn.name}${WAITING_SV[st.waitingOn.role] ? `, ${WAITING_SV[st.waitingOn.role]}` : ''}` : WAITING_SV[st.waitingOn.role] ?? 'ansvarig';
      // The sources' titles carry ISO dates; a person reads '27 maj 2026'.
      const v: StepView = { anchor, heading: st.title.replace(/\d{4}-\d{2}-\d{2}/g, (d) => svDate(d)), late: st.overdue, daysOverdue: st.daysOverdue, escalated: st.escalated, due: st.dueDate, waitingOn: who, todo: '', actions: [] };
      const dnr = (link?: string) => link?.split('/').pop() ?? '';
      const yearOfLink = (link?: string) => Number(/\/years\/(\d{4})/.exec(link ?? '')?.[1] ?? thisYear());
      switch (st.type) {
        case 'report': {
          const o = obligation.get(st.id);
          if (o) v.heading = `${capital(REPORT_TEXT[o.kind as ReportKind].name)} ${svPeriod(isoDay(o.periodStart), isoDay(o.periodEnd))} från ${o.project.name}`;
          v.todo = st.overdue
            ? `Rapporten har inte kommit in. Hör av dig till samordnaren, eller ge rapporten en ny sista dag om insatsen behöver mer tid – då börjar påminnelserna om.${st.escalated ? ' Förseningen är anmäld till beredningsgruppen.' : ''}`
            : 'Samordnaren påminns automatiskt före sista dag. Inget behöver göras nu.';
          v.actions.push({ kind: 'link', href: `/admin/rapporter/${st.id}`, text: 'Öppna rapporten', context: v.heading });
          if (o) v.actions.push({ kind: 'link', href: `mailto:${o.project.coordinator.email}`, text: `Mejla ${o.project.coordinator.name}` });
          if (isAdmin(req) && o) {
            v.actions.push(withError({ kind: 'date', action: `/admin/rapporter/${st.id}/ny-sista-dag`, summary: 'Ge ny sista dag', label: 'Ny sista dag', name: 'dueDate', button: 'Spara ny sista dag', back: `${back}#${anchor}`, id: `${anchor}-datum`, min: isoDay(o.periodEnd), hint: `Tidigast ${svDate(isoDay(o.periodEnd))}, när perioden slutar.`, context: v.heading }));
          }
          break;
        }
        case 'milestone': {
          const ms = milestone.get(st.id);
          const at = ms?.meeting ? ` Tas upp på ${`${ms.meeting.title} ${svDate(meetingDate(ms.meeting))}`.replace(/^./, (x) => x.toLowerCase())}.` : '';
          if (ms) v.heading = ms.title;
          if (st.links.matter) {
            v.todo = `Momentet blir klart när styrelsen har beslutat i ärende ${dnr(st.links.matter)}.`;
          } else {
            v.todo = `${st.overdue ? 'Momentet är försenat. ' : ''}Gör det som ska göras och markera momentet som klart, så slutar påminnelserna.`;
            v.actions.push({ kind: 'button', action: `/admin/moment/${st.id}/klart`, text: 'Markera som klart', back, context: v.heading });
          }
          v.todo += at;
          v.actions.push({ kind: 'link', href: `/admin/ar/${yearOfLink(st.links.year)}#moment`, text: 'Visa årets moment' });
          break;
        }
        case 'calendar':
          v.todo = `Styrelsen fastställer sammanträdesplanen för ${st.id} vid årets sista sammanträde. När beslutet är taget fastställer du planen här; då går kalenderinbjudningarna ut.`;
          v.actions.push({ kind: 'link', href: `/admin/ar/${st.id}/faststall`, text: `Granska och fastställ planen för ${st.id}` });
          break;
        case 'delivery': {
          const n = delivery.get(st.id);
          if (n) v.heading = n.status === 'failed' ? `E-post kom inte fram: ”${n.subject}”` : `E-postservern tog inte emot alla mottagare: ”${n.subject}”`;
          v.todo = n
            ? `Kontrollera adressen (${(n.status === 'failed' ? n.recipients : n.rejected).join(', ') || 'ingen mottagare'}) och se till att beskedet når fram på annat sätt. ${isAdmin(req) ? 'Markera sedan som åtgärdat.' : 'Tjänstepersonen markerar sedan som åtgärdat.'}${n.error ? ` Felet: ${n.error}` : ''}`
            : 'Se till att beskedet når fram och markera som åtgärdat.';
          if (isAdmin(req)) v.actions.push({ kind: 'button', action: `/admin/utskick/${st.id}/atgardat`, text: 'Markera som åtgärdat', back, context: v.heading });
          break;
        }
        case 'matter':
          v.todo = 'Bered ärendet och markera det som berett, så kommer det på styrelsens föredragningslista när den stängs.';
          v.actions.push({ kind: 'button', action: `/admin/arenden/${dnr(st.links.matter)}/berett`, text: 'Markera som berett', back, context: st.title });
          break;
        case 'quorum':
        case 'minutes':
        case 'justering': {
          const m = meeting.get(st.id);
          v.todo =
            st.type === 'quorum'
              ? 'Ta kontakt med ledamöterna och deras ersättare, eller flytta mötet, så att styrelsen blir beslutsför.'
              : st.type === 'minutes'
                ? 'För in besluten och skicka protokollet till justeraren på mötets sida.'
                : 'Justeraren påminns automatiskt. Registrera justeringen på mötets sida när protokollet är justerat.';
          if (m && st.type !== 'quorum') v.actions.push({ kind: 'link', href: `/admin/moten/${m.id}#protokoll`, text: 'Öppna mötet', context: st.title });
          else if (m) v.actions.push({ kind: 'link', href: `/admin/ar/${m.year}#mote-${m.id}`, text: 'Visa mötet', context: st.title });
          break;
        }
        case 'follow-up':
          v.todo = `Berätta för styrelsen vad som har gjorts med beslutet. Återrapporteringen avslutar ärendet.${isAdmin(req) ? '' : ' Tjänstepersonen återrapporterar.'}`;
          if (isAdmin(req)) {
            v.actions.push(withError({ kind: 'text', action: `/admin/arenden/${dnr(st.links.reportBack?.replace(/\/report-back$/, ''))}/aterrapportera`, summary: 'Återrapportera', label: 'Vad har gjorts?', name: 'text', button: 'Spara återrapporteringen', back, id: `${anchor}-text`, hint: 'Inga personnummer.', context: st.title }));
          }
          break;
        case 'actuals':
          v.todo = 'Lägg in utfallet från bokföringen (SIE-fil eller CSV) så att kvartalets prognos kan göras.';
          v.actions.push({ kind: 'link', href: `/admin/pengar/${/\/actuals\/(\d{4})/.exec(st.links.actuals ?? '')?.[1] ?? thisYear()}#utfall`, text: 'Lägg in utfallet', context: st.title });
          break;
        default:
          v.todo = 'Se till att steget blir gjort.';
      }
      return v;
    });
  }

  const when = (iso: string) => {
    const d = new Date(iso);
    return `${svDate(toStockholmDate(d))} kl. ${svTime(toStockholmTime(d))}`;
  };

  async function sendViews(req: Request): Promise<SendView[]> {
    const now = deps.now();
    const [reminders, others] = await Promise.all([plannedReminders(deps, fid(req), 14), upcomingSends(prisma, fid(req), now, 14)]);
    const names = (xs: { name: string }[]) => xs.map((x) => x.name).join(', ');
    const KIND: Record<string, string> = { reminder: 'Påminnelse', overdue: 'Påminnelse, försenad rapport', escalation: 'Eskalering' };
    const fromReports = reminders.map((x) => ({
      at: x.at,
      asap: false,
      kind: KIND[x.kind] ?? 'Påminnelse',
      what: `${capital(REPORT_TEXT[x.obligation.kind as ReportKind].name)} från ${x.project.name}, sista dag ${svDate(x.obligation.dueDate)}`,
      to: `${names(x.to)}${x.cc.length ? `, med kopia till ${names(x.cc)}` : ''}`,
      href: `/admin/rapporter/${x.obligation.id}`,
    }));
    const all = [...fromReports, ...others.map((o) => ({ ...o, href: o.meetingId ? `/admin/ar/${o.year}#mote-${o.meetingId}` : undefined }))];
    all.sort((a, b) => Number(b.asap) - Number(a.asap) || a.at.localeCompare(b.at));
    return all.map((x) => ({ at: x.asap ? '' : x.at, whenText: x.asap ? 'Snarast' : when(x.at), kind: x.kind, what: keepTime(x.what), to: x.to, ...(x.href ? { href: x.href } : {}) }));
  }

  async function renderStart(req: Request, res: Response, status = 200, formError?: FormError) {
    const [c, all, sends] = await Promise.all([chrome(req, res, 'start'), steps(req), sendViews(req)]);
    // Pages of STEPS_PER_PAGE; a form sent back with an error opens the page it is on.
    const pages = Math.max(1, Math.ceil(all.length / STEPS_PER_PAGE));
    const hasAction = (v: StepView) => !!formError && v.actions.some((a) => 'action' in a && a.action === formError.action);
    const errorIndex = formError ? (await stepViews(req, all, formError, '/admin')).findIndex(hasAction) : -1;
    const asked = Number(typeof req.query.sida === 'string' && /^\d{1,4}$/.test(req.query.sida) ? req.query.sida : 1);
    const current = errorIndex >= 0 ? Math.floor(errorIndex / STEPS_PER_PAGE) + 1 : Math.min(Math.max(1, asked), pages);
    const from = (current - 1) * STEPS_PER_PAGE;
    const views = await stepViews(req, all.slice(from, from + STEPS_PER_PAGE), formError, current > 1 ? `/admin?sida=${current}` : '/admin');
    const errored = formError ? views.find((v) => v.actions.some((a) => 'action' in a && a.action === formError.action)) : undefined;
    const flash = flashOf(req);
    const flashed = flash && doneAt(req) ? views.find((v) => v.anchor === doneAt(req)) : undefined;
    if (flashed) flashed.flash = flash;
    const errorLink = errored?.actions.find((a): a is Extract<ActionView, { kind: 'date' | 'text' }> => 'action' in a && a.action === formError!.action && (a.kind === 'date' || a.kind === 'text'));
    html(
      res,
      status,
      startPage({
        chrome: c,
        todayText: svDayDate(today()),
        steps: views,
        total: all.length,
        late: all.filter((x) => x.overdue).length,
        paging: { page: current, pages, from: from + 1, to: from + views.length },
        sends,
        untilText: svDate(upcomingUntil(deps.now())),
        flash: flashed ? undefined : flash,
        errors: formError ? [{ href: errorLink ? `#${errorLink.id}` : '#vantande', text: formError.message }] : undefined,
      }),
    );
  }

  page(r, { method: 'get', path: '/', summary: 'the start page: the pending steps, overdue first, each with what to do and a way to do it; what goes out in the next 14 days (Swedish HTML page; signed in with a session cookie as admin or secretary)', response: { contentType: 'text/html' } }, async (req, res) => renderStart(req, res));

  page(r, { method: 'post', path: '/moment/:id/klart', summary: 'mark a milestone done, as POST milestones/:id/done (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)', params: { id: 'milestone id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const x = await markMilestoneDone(deps, { forbundId: fid(req), id: String(req.params.id), actor: actor(req) });
    res.redirect(303, withDone(backTo(formOf(req), '/admin'), 'moment-klart', { later: !x.alreadyDone && !x.workflowNotified }));
  });

  page(r, { method: 'post', path: '/utskick/:id/atgardat', summary: 'mark a delivery failure seen to, as POST deliveries/:id/resolve; the official only (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)', params: { id: 'notification id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    onlyOfficial(req, 'markera ett utskick som åtgärdat');
    await resolveDelivery(deps, { forbundId: fid(req), id: String(req.params.id), actor: actor(req) });
    res.redirect(303, withDone(backTo(formOf(req), '/admin'), 'atgardat'));
  });

  const matterOf = async (req: Request) => {
    const x = await prisma.matter.findUnique({ where: { forbundId_dnr: { forbundId: fid(req), dnr: String(req.params.dnr) } } });
    if (!x) throw new PageError(404, 'Ärendet finns inte', ['Det finns inget ärende med det diarienumret i förbundet.']);
    return x;
  };

  page(r, { method: 'post', path: '/arenden/:dnr/berett', summary: 'mark a matter prepared (the matter\'s workflow answers), as POST matters/:dnr/prepared (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)', params: { dnr: 'diarienummer' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const x = await matterOf(req);
    await viaWorkflow(deps.notifier.update({ matterId: x.id }, markPrepared, [{ actor: actor(req) }]));
    res.redirect(303, withDone(backTo(formOf(req), '/admin'), 'berett'));
  });

  page(r, { method: 'post', path: '/arenden/:dnr/aterrapportera', summary: 'report back on a decision (form field text), as POST matters/:dnr/report-back; the official only (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)', params: { dnr: 'diarienummer' }, response: { contentType: 'text/html' } }, async (req, res) => {
    onlyOfficial(req, 'återrapportera ett beslut');
    const x = await matterOf(req);
    const form = formOf(req);
    const text = (form.text ?? '').trim();
    const action = `/admin/arenden/${x.dnr}/aterrapportera`;
    if (!text) return renderStart(req, res, 400, { action, message: 'Skriv vad som har gjorts.', value: '' });
    if (text.length > 10000) return renderStart(req, res, 400, { action, message: 'Texten får vara högst 10 000 tecken.', value: text });
    try {
      noIdentityNumbers({ text });
    } catch {
      return renderStart(req, res, 400, { action, message: 'Texten ser ut att innehålla ett personnummer. Ta bort det; Årscykel sparar inga personnummer.', value: text });
    }
    await viaWorkflow(deps.notifier.update({ matterId: x.id }, reportBack, [{ actor: actor(req), text }]));
    res.redirect(303, withDone(backTo(form, '/admin'), 'aterrapporterat'));
  });

  return { renderStart };
}
