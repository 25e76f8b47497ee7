// The start page: "Läget vid start" (what was open at go-live, settled in bulk by the official),
// then the pending steps — failed deliveries first, the signed-in person's own, then the others',
// overdue first within each, filtered by kind and board meeting — each with what to do and a way
// to do it (the actions a step offers are posted here too, a failed mail's address corrected and
// the mail sent again among them), and what goes out in the next 14 days.
import { screenField } from '../../domain/fritext.js';
import type { Request, Response, Router } from 'express';
import { toStockholmTime, toStockholmDate } from '../../domain/dates.js';
import type { PendingStep } from '../../domain/pending.js';
import { plannedFrom, type ReportKind } from '../../domain/rapportering.js';
import { startGroups, startState } from '../../domain/startlage.js';
import { REPORT_TEXT, svDate, svDayDate, svPeriod, svTime } from '../../domain/texts.js';
import { meetingDate } from '../../services/arscykel.js';
import { markMilestoneDone } from '../../services/kalendarium.js';
import { deliveryRepair, resendDelivery, resolveDelivery, type DeliveryRepair } from '../../services/obligations.js';
import { goLiveOf, isoDay, obligationPlannedFrom } from '../../services/rapportering.js';
import { Refusal } from '../../services/refusal.js';
import { settleStartItems, startList } from '../../services/startlage.js';
import { upcomingSends, upcomingUntil } from '../../services/utskick.js';
import { markPrepared, reportBack } from '../../workflows/signals.js';
import { actor } from '../auth.js';
import { plannedReminders } from '../rapportering.js';
import { sortedPendingSteps } from '../../services/pending-steps.js';
import { readyBody, sendReady } from '../../services/read-cache.js';
import { viaWorkflow } from '../styrelse.js';
import { startPage, type ActionView, type ErrorLink, type FilterView, type SendView, type StartListView, type StepPart, type StepView } from '../pages/admin.js';
import { backTo, capital, doneAt, doneMessages, flashOf, formOf, html, keepTime, PageError, WAITING_SV, withDone, type AdminKit, type Form } from './kit.js';

doneMessages({
  'moment-klart': 'Momentet är markerat som klart.',
  atgardat: 'Utskicket är markerat som åtgärdat.',
  berett: 'Ärendet är markerat som berett och kommer på föredragningslistan när den stängs.',
  aterrapporterat: 'Återrapporteringen är sparad och ärendet är avslutat.',
  'start-hanterat': 'De markerade raderna är hanterade utanför Årscykel och har tagits bort från Läget vid start.',
  'start-ny-sista-dag': 'De markerade raderna har fått en ny sista dag. Påminnelserna går ut inför den.',
  'start-onskat': 'De markerade raderna står kvar som väntande steg, utan påminnelser och utan att räknas som försenade.',
  'skickas-igen': 'Utskicket skickas igen. Kommer det inte fram den här gången syns det här på nytt.',
  'rattad-skickas-igen': 'Adressen är rättad och utskicket skickas igen till den. Kommer det inte fram den här gången syns det här på nytt.',
});

/** The filters by kind of step (?typ=): the page's words and the pending steps' types. */
const KINDS: { value: string; label: string; types: string[] }[] = [
  { value: 'rapporter', label: 'Rapporter', types: ['report'] },
  { value: 'granskning', label: 'Granskning före publicering', types: ['review'] },
  { value: 'moment', label: 'Moment och sammanträdesplan', types: ['milestone', 'calendar'] },
  { value: 'arenden', label: 'Ärenden', types: ['matter', 'follow-up'] },
  { value: 'moten', label: 'Möten och protokoll', types: ['quorum', 'minutes', 'justering', 'preparation'] },
  { value: 'utskick', label: 'Utskick som inte kom fram', types: ['delivery'] },
  { value: 'pengar', label: 'Pengar', types: ['actuals', 'samrad'] },
  { value: 'revision', label: 'Revision och ansvarsfrihet', types: ['audit-report', 'discharge'] },
];

const START_DONE: Record<string, string> = { handled: 'start-hanterat', redate: 'start-ny-sista-dag', wanted: 'start-onskat' };

/**
 * Where an action on the start page goes back to: a page of the start page with its filters
 * (`/admin?typ=rapporter&mote=…&sida=2#steg-…`), else what backTo accepts.
 */
function startBack(form: Form, fallback: string): string {
  const t = form.tillbaka ?? '';
  const param = '(?:sida=\\d{1,4}|typ=[a-z]{1,20}|mote=[A-Za-z0-9-]{1,64})';
  return new RegExp(`^/admin\\?${param}(?:&${param}){0,2}(?:#[A-Za-z0-9-]+)?$`).test(t) ? t : backTo(form, fallback);
}

/** Pending steps per page of the start page (a förbund whose year has run without reports has many). */
const STEPS_PER_PAGE = 20;

/** A form sent back with an error: which action, the field's message and what was typed. */
export interface FormError {
  action: string;
  message: string;
  value?: string;
  /** The field at fault when the form has more than one (the resend form: recipient or email). */
  field?: string;
  /** A choice sent with it (the resend form's recipient). */
  chosen?: string;
}

/** The "Läget vid start" form sent back with errors: what was checked and typed, each problem by field. */
export interface StartError {
  checked: string[];
  dueDate: string;
  all?: boolean;
  errors: { items?: string; dueDate?: string; action?: string };
}

export type RenderStart = (req: Request, res: Response, status?: number, formError?: FormError, startError?: StartError) => Promise<void>;

export function startPages(k: AdminKit, r: Router): { renderStart: RenderStart } {
  const { deps, prisma, page, today, thisYear, fid, isAdmin, onlyOfficial, chrome, sessionOf } = k;
  async function steps(req: Request): Promise<PendingStep[]> {
    return sortedPendingSteps(deps, fid(req), today());
  }

  /**
   * The steps as the page shows them. `back` is where an action returns (the page with its
   * filters, for the actions handled here); `plainBack` the same without the filters, for actions
   * handled by other pages (a report's new due date), which return only to the plain start page.
   */
  async function stepViews(req: Request, all: PendingStep[], formError: FormError | undefined, back: string, o: { plainBack: string; goLiveOn: Date | null; parts?: Map<PendingStep, StepPart> }): Promise<StepView[]> {
    const forbundId = fid(req);
    const ids = (type: PendingStep['type']) => all.filter((x) => x.type === type).map((x) => x.id);
    const [obligations, deliveries, meetings, milestoneRows, repairs, statutoryRows, dischargeRows] = await Promise.all([
      prisma.reportingObligation.findMany({ where: { id: { in: ids('report') }, project: { forbundId } }, include: { project: { include: { coordinator: true } } } }),
      prisma.notification.findMany({ where: { id: { in: ids('delivery') }, forbundId } }),
      prisma.meeting.findMany({ where: { id: { in: [...ids('quorum'), ...ids('minutes'), ...ids('justering')] }, forbundId } }),
      prisma.milestone.findMany({ where: { id: { in: ids('milestone') }, forbundId }, include: { meeting: true } }),
      // Whether each failed mail can be sent again (the official's action only).
      isAdmin(req) ? Promise.all(ids('delivery').map((id) => deliveryRepair(deps, { forbundId, id }).catch(() => undefined))) : Promise.resolve([]),
      // The statutory chain's steps: the year of each årsredovisning (its page is the next year's, where the board adopted it).
      ids('audit-report').length ? prisma.statutoryReport.findMany({ where: { id: { in: ids('audit-report') }, forbundId }, select: { id: true, year: true } }) : Promise.resolve([]),
      ids('discharge').length ? prisma.memberDischarge.findMany({ where: { id: { in: ids('discharge') }, report: { forbundId } }, select: { id: true, member: { select: { name: true } }, report: { select: { year: true } } } }) : Promise.resolve([]),
    ]);
    const reportYear = new Map([...statutoryRows.map((x) => [x.id, x.year] as const), ...dischargeRows.map((x) => [x.id, x.report.year] as const)]);
    const dischargeMember = new Map(dischargeRows.map((x) => [x.id, x.member.name]));
    const obligation = new Map(obligations.map((o) => [o.id, o]));
    const milestone = new Map(milestoneRows.map((m) => [m.id, m]));
    const delivery = new Map(deliveries.map((n) => [n.id, n]));
    const meeting = new Map(meetings.map((m) => [m.id, m]));
    const repair = new Map((repairs.filter(Boolean) as DeliveryRepair[]).map((x) => [x.id, x]));
    const forbund = { goLiveOn: o.goLiveOn };
    const withError = <T extends ActionView>(a: T): T =>
      formError && 'action' in a && a.action === formError.action && (a.kind === 'date' || a.kind === 'text') ? { ...a, error: formError.message, value: formError.value ?? a.value, open: true } : a;
    return all.map((st) => {
      const anchor = `steg-${st.type}-${st.id}`.replace(/[^A-Za-z0-9-]/g, '-');
      const who = st.waitingOn.name ? `${st.waitingOn.name}${WAITING_SV[st.waitingOn.role] ? `, ${WAITING_SV[st.waitingOn.role]}` : ''}` : WAITING_SV[st.waitingOn.role] ?? 'ansvarig';
      // The sources' titles carry ISO dates; a person reads '27 maj 2026'.
      const v: StepView = { anchor, heading: st.title.replace(/\d{4}-\d{2}-\d{2}/g, (d) => svDate(d)), late: st.overdue, daysOverdue: st.daysOverdue, escalated: st.escalated, due: st.dueDate, waitingOn: who, todo: '', actions: [], part: o.parts?.get(st) ?? 'others' };
      const dnr = (link?: string) => link?.split('/').pop() ?? '';
      const yearOfLink = (link?: string) => Number(/\/years\/(\d{4})/.exec(link ?? '')?.[1] ?? thisYear());
      switch (st.type) {
        case 'report': {
          const ob = obligation.get(st.id);
          if (ob) v.heading = `${capital(REPORT_TEXT[ob.kind as ReportKind].name)} ${svPeriod(isoDay(ob.periodStart), isoDay(ob.periodEnd))} från ${ob.project.name}`;
          // Kept open at "Läget vid start": it waits, nobody is reminded of it, it is never overdue.
          v.sinceBeforeStart = !!ob && startState({ status: ob.status, dueDate: isoDay(ob.dueDate), plannedFrom: obligationPlannedFrom(forbund, ob), startSettledAt: ob.startSettledAt }) === 'wanted';
          v.todo = v.sinceBeforeStart
            ? 'Rapporten var öppen när förbundet började använda Årscykel och står kvar som önskad. Inga påminnelser går ut om den: hör av dig till samordnaren, eller ge rapporten en ny sista dag, så påminns samordnaren inför den.'
            : st.overdue
              ? `Rapporten har inte kommit in. Hör av dig till samordnaren, eller ge rapporten en ny sista dag om insatsen behöver mer tid – då börjar påminnelserna om.${st.escalated ? ' Förseningen är anmäld till beredningsgruppen.' : ''}`
              : 'Samordnaren påminns automatiskt före sista dag. Inget behöver göras nu.';
          v.actions.push({ kind: 'link', href: `/admin/rapporter/${st.id}`, text: 'Öppna rapporten', context: v.heading });
          if (ob) v.actions.push({ kind: 'link', href: `mailto:${ob.project.coordinator.email}`, text: `Mejla ${ob.project.coordinator.name}` });
          if (isAdmin(req) && ob) {
            // Handled by the report's page (api/admin/rapport.ts), which returns only to the plain start page.
            v.actions.push(withError({ kind: 'date', action: `/admin/rapporter/${st.id}/ny-sista-dag`, summary: 'Ge ny sista dag', label: 'Ny sista dag', name: 'dueDate', button: 'Spara ny sista dag', back: `${o.plainBack}#${anchor}`, id: `${anchor}-datum`, min: isoDay(ob.periodEnd), hint: `Tidigast ${svDate(isoDay(ob.periodEnd))}, när perioden slutar.`, context: v.heading }));
          }
          break;
        }
        case 'review': {
          // A submitted report waiting for the förbundschef's review before it is published (api/admin/rapport.ts).
          v.todo = isAdmin(req)
            ? 'Rapporten är inlämnad och publiceras på förbundets webbplats först när du har granskat den. Läs texten och varningarna, stryk det som kan peka ut en deltagare och godkänn, eller skicka tillbaka den till samordnaren för rättelse.'
            : 'Rapporten är inlämnad och väntar på att förbundschefen granskar den innan den publiceras.';
          v.actions.push({ kind: 'link', href: `/admin/rapporter/${st.id}#granskning`, text: isAdmin(req) ? 'Granska rapporten' : 'Öppna rapporten', context: v.heading });
          break;
        }
        case 'milestone': {
          const ms = milestone.get(st.id);
          const at = ms?.meeting ? ` Tas upp på ${`${ms.meeting.title} ${svDate(meetingDate(ms.meeting))}`.replace(/^./, (x) => x.toLowerCase())}.` : '';
          if (ms) v.heading = ms.title;
          v.sinceBeforeStart = !!ms && startState({ status: ms.status, dueDate: isoDay(ms.dueDate), plannedFrom: plannedFrom(goLiveOf(forbund)), startSettledAt: ms.startSettledAt }) === 'wanted';
          if (st.links.matter) {
            v.todo = `Momentet blir klart när styrelsen har beslutat i ärende ${dnr(st.links.matter)}.`;
          } else if (v.sinceBeforeStart) {
            v.todo = 'Momentet var öppet när förbundet började använda Årscykel och står kvar som önskat; inga påminnelser går ut om det. Gör det som ska göras och markera momentet som klart.';
            v.actions.push({ kind: 'button', action: `/admin/moment/${st.id}/klart`, text: 'Markera som klart', back, context: v.heading });
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
          const fix = repair.get(st.id);
          const addresses = n ? (n.status === 'failed' ? n.recipients : n.rejected).join(', ') || 'ingen mottagare' : '';
          const error = n?.error ? ` Felet: ${n.error}` : '';
          if (n && fix?.resendable) {
            v.todo = `E-posten till ${addresses} kom inte fram.${error} Rätta adressen och skicka igen, så skickar Årscykel utskicket på nytt. Har beskedet nått fram på annat sätt, markera i stället som åtgärdat.`;
            const action = `/admin/utskick/${st.id}/skicka-igen`;
            const sent = formError?.action === action ? formError : undefined;
            v.resend = {
              action,
              back: `${back}#${anchor}`,
              id: anchor,
              context: v.heading,
              recipients: fix.recipients.map((x) => ({ email: x.email, who: x.people.length ? x.people.map((p) => p.name).join(', ') : null })),
              ...(sent ? { open: true, value: sent.value, chosen: sent.chosen, errors: { [sent.field === 'recipient' ? 'recipient' : 'email']: sent.message } } : {}),
            };
          } else if (n && fix) {
            // Honest: the workflow that sent it would not send it again.
            v.todo = `Kontrollera adressen (${addresses}). ${fix.why?.sv ?? ''} Se till att beskedet når fram på annat sätt och markera sedan som åtgärdat.${error}`;
          } else {
            v.todo = n
              ? `Kontrollera adressen (${addresses}) och se till att beskedet når fram på annat sätt. ${isAdmin(req) ? 'Markera sedan som åtgärdat.' : 'Tjänstepersonen markerar sedan som åtgärdat.'}${error}`
              : 'Se till att beskedet når fram och markera som åtgärdat.';
          }
          if (isAdmin(req)) v.actions.push({ kind: 'button', action: `/admin/utskick/${st.id}/atgardat`, text: 'Markera som åtgärdat', back, context: v.heading, ...(fix?.resendable ? { secondary: true } : {}) });
          break;
        }
        case 'matter':
          // A matter moved on (or registered) with no board meeting to go to: a meeting is chosen on its page.
          if (!st.links.prepared) {
            v.todo = `Ärendet ${dnr(st.links.matter)} har inget styrelsemöte att tas upp på. Välj ett kommande möte på ärendets sida. Finns inget att välja än behöver nästa möte planeras; nästa års sammanträdesplan fastställs på sidan Året.`;
            v.actions.push({ kind: 'link', href: `/admin/arenden/${dnr(st.links.matter)}#mote`, text: 'Välj möte', context: st.title });
            break;
          }
          v.todo = 'Bered ärendet och markera det som berett, så kommer det på styrelsens föredragningslista när den stängs.';
          v.actions.push({ kind: 'button', action: `/admin/arenden/${dnr(st.links.matter)}/berett`, text: 'Markera som berett', back, context: st.title });
          v.actions.push({ kind: 'link', href: `/admin/arenden/${dnr(st.links.matter)}`, text: 'Öppna ärendet', context: st.title });
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
        case 'audit-report': {
          const y = reportYear.get(st.id);
          v.todo = `Revisorerna har fått årsredovisningen${y ? ` för ${y}` : ''}. När deras revisionsberättelse har kommit: ladda upp den som handling på årsredovisningens ärende och registrera den, så skickas årsredovisningen, revisionsberättelsen och protokollet till medlemmarna.${isAdmin(req) ? '' : ' Tjänstepersonen registrerar den.'}`;
          if (y) v.actions.push({ kind: 'link', href: `/admin/ar/${y + 1}#ansvarsfrihet`, text: isAdmin(req) ? 'Registrera revisionsberättelsen' : 'Visa årsredovisningen', context: st.title });
          break;
        }
        case 'discharge': {
          const y = reportYear.get(st.id);
          const member = dischargeMember.get(st.id) ?? 'Medlemmen';
          v.todo = `${member} har inte meddelat sitt beslut om ansvarsfrihet, och medlemmens registrator har påmints. Hör av dig till medlemmen. Kommer beslutet till förbundet med brev eller e-post, registrera det på sidan Året.${isAdmin(req) ? '' : ' Tjänstepersonen registrerar det.'}`;
          if (y) v.actions.push({ kind: 'link', href: `/admin/ar/${y + 1}#ansvarsfrihet`, text: isAdmin(req) ? 'Registrera medlemmens beslut' : 'Visa medlemmarnas beslut', context: st.title });
          break;
        }
        case 'samrad':
          v.todo = `Medlemmen har påmints om samrådet. Hör av dig till medlemmen, och registrera svaret när det kommer, så att styrelsen har alla medlemmars synpunkter när budgeten beslutas.${isAdmin(req) ? '' : ' Tjänstepersonen registrerar svaret.'}`;
          if (st.links.page) v.actions.push({ kind: 'link', href: st.links.page, text: isAdmin(req) ? 'Registrera svaret' : 'Visa samrådet', context: st.title });
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

  /** Whether a step is the signed-in person's own work: their role's (the official's reports and deliveries too), or their name. */
  function isMine(req: Request, st: PendingStep): boolean {
    const { role, name } = req.auth!;
    const same = (a: string | null, b: string) => !!a && a.trim().toLocaleLowerCase('sv') === b.trim().toLocaleLowerCase('sv');
    if (same(st.waitingOn.name, name)) return true;
    if (role === 'admin') return st.waitingOn.role === 'official' || st.type === 'report' || st.type === 'delivery' || st.type === 'discharge';
    if (role === 'secretary') return st.waitingOn.role === 'secretary';
    return false;
  }

  /** The board meeting each step is tied to (its meeting, a matter's, a milestone's or its preparatory meeting's, a decision's), and the meetings as choices. */
  async function stepMeetings(forbundId: string, all: PendingStep[]) {
    const ids = (type: string) => all.filter((x) => x.type === type).map((x) => x.id);
    const [matters, milestones, items] = await Promise.all([
      ids('matter').length ? prisma.matter.findMany({ where: { forbundId, id: { in: ids('matter') } }, select: { id: true, meetingId: true } }) : [],
      ids('milestone').length ? prisma.milestone.findMany({ where: { forbundId, id: { in: ids('milestone') }, meetingId: { not: null } }, select: { id: true, meeting: { select: { id: true, kind: true, forMeetingId: true } } } }) : [],
      ids('follow-up').length ? prisma.agendaItem.findMany({ where: { id: { in: ids('follow-up') }, meeting: { forbundId } }, select: { id: true, meetingId: true } }) : [],
    ]);
    const of = new Map<string, string>();
    const key = (type: string, id: string) => `${type}:${id}`;
    for (const st of all) if (st.type === 'quorum' || st.type === 'minutes' || st.type === 'justering') of.set(key(st.type, st.id), st.id);
    for (const m of matters) if (m.meetingId) of.set(key('matter', m.id), m.meetingId);
    for (const m of milestones) {
      const mt = m.meeting;
      const board = mt ? (mt.kind === 'styrelse' ? mt.id : mt.forMeetingId) : null;
      if (board) of.set(key('milestone', m.id), board);
    }
    for (const i of items) of.set(key('follow-up', i.id), i.meetingId);
    const boards = of.size ? await prisma.meeting.findMany({ where: { forbundId, id: { in: [...new Set(of.values())] }, kind: 'styrelse' }, orderBy: { startsAt: 'asc' }, select: { id: true, title: true, startsAt: true } }) : [];
    const known = new Set(boards.map((b) => b.id));
    return {
      meetingOf: (st: PendingStep) => {
        const m = of.get(key(st.type, st.id));
        return m && known.has(m) ? m : undefined;
      },
      choices: boards.map((b) => ({ value: b.id, label: `${b.title} ${svDate(meetingDate(b))}` })),
    };
  }

  async function renderStart(req: Request, res: Response, status = 200, formError?: FormError, startError?: StartError) {
    html(res, status, await startHtml(req, res, formError, startError));
  }

  /**
   * The start page as it is shown to this person at this address (filters, page, a done flash),
   * kept ready while the förbund's data version and the minute stand: the page reads some thirty
   * rows, and the official opens it again and again (a form's errors are never kept).
   */
  async function sendStart(req: Request, res: Response) {
    const a = sessionOf(res).auth;
    const minute = deps.now().toISOString().slice(0, 16);
    const ready = await deps.reads.get(fid(req), `admin-start ${minute} ${a.role} ${a.personId ?? a.name} ${req.originalUrl}`, async () => readyBody('html', await startHtml(req, res)));
    sendReady(res, ready);
  }

  async function startHtml(req: Request, res: Response, formError?: FormError, startError?: StartError): Promise<string> {
    const forbundId = fid(req);
    const [c, all, sends, forbund, start] = await Promise.all([
      chrome(req, res, 'start'),
      steps(req),
      sendViews(req),
      prisma.forbund.findUniqueOrThrow({ where: { id: forbundId }, select: { goLiveOn: true } }),
      startList(prisma, forbundId),
    ]);
    // The filters (GET): a kind of step, a board meeting; values not offered are ignored.
    const { meetingOf, choices } = await stepMeetings(forbundId, all);
    const asked = (name: string) => (typeof req.query[name] === 'string' ? String(req.query[name]) : '');
    const kind = KINDS.find((x) => x.value === asked('typ'));
    const meetingId = choices.some((m) => m.value === asked('mote')) ? asked('mote') : '';
    const query = new URLSearchParams([...(kind ? [['typ', kind.value] as [string, string]] : []), ...(meetingId ? [['mote', meetingId] as [string, string]] : [])]).toString();
    const filtered = all.filter((st) => (!kind || kind.types.includes(st.type)) && (!meetingId || meetingOf(st) === meetingId));
    // Failed deliveries at the very top, then the person's own steps, then the others' (each overdue first, as sorted).
    const parts = new Map<PendingStep, StepPart>(filtered.map((st) => [st, st.type === 'delivery' ? 'delivery' : isMine(req, st) ? 'mine' : 'others']));
    const ordered = (['delivery', 'mine', 'others'] as StepPart[]).flatMap((p) => filtered.filter((st) => parts.get(st) === p));
    // Pages of STEPS_PER_PAGE; a form sent back with an error opens the page it is on.
    const pages = Math.max(1, Math.ceil(ordered.length / STEPS_PER_PAGE));
    const pageBack = (n: number, withFilters: boolean) => {
      const q = [withFilters ? query : '', n > 1 ? `sida=${n}` : ''].filter(Boolean).join('&');
      return `/admin${q ? `?${q}` : ''}`;
    };
    const hasAction = (v: StepView) => !!formError && (v.resend?.action === formError.action || v.actions.some((a) => 'action' in a && a.action === formError.action));
    const errorIndex = formError ? (await stepViews(req, ordered, formError, '/admin', { plainBack: '/admin', goLiveOn: forbund.goLiveOn, parts })).findIndex(hasAction) : -1;
    const askedPage = Number(/^\d{1,4}$/.test(asked('sida')) ? asked('sida') : 1);
    const current = errorIndex >= 0 ? Math.floor(errorIndex / STEPS_PER_PAGE) + 1 : Math.min(Math.max(1, askedPage), pages);
    const from = (current - 1) * STEPS_PER_PAGE;
    const views = await stepViews(req, ordered.slice(from, from + STEPS_PER_PAGE), formError, pageBack(current, true), { plainBack: pageBack(current, false), goLiveOn: forbund.goLiveOn, parts });
    const errored = formError ? views.find(hasAction) : undefined;
    const flash = flashOf(req);
    const flashed = flash && doneAt(req) ? views.find((v) => v.anchor === doneAt(req)) : undefined;
    if (flashed) flashed.flash = flash;
    const errorLink = errored?.actions.find((a): a is Extract<ActionView, { kind: 'date' | 'text' }> => 'action' in a && a.action === formError!.action && (a.kind === 'date' || a.kind === 'text'));
    const errorHref = errored?.resend
      ? `#${errored.anchor}-${formError!.field === 'recipient' ? 'mottagare-0' : 'adress'}`
      : errorLink
        ? `#${errorLink.id}`
        : '#vantande';
    // "Läget vid start" on the first page (and with its form's errors), while anything is on it.
    const startView: StartListView | undefined =
      start.items.length && (current === 1 || startError)
        ? {
            goLiveText: start.goLiveOn ? svDate(start.goLiveOn) : null,
            canSettle: isAdmin(req),
            groups: startGroups(start.items).map((g) => ({
              id: g.id,
              heading: g.heading,
              items: g.items.map((x) => ({ id: `start-${x.type}-${x.id}`.replace(/[^A-Za-z0-9-]/g, '-'), value: `${x.type}:${x.id}`, title: x.title, dueText: svDate(x.dueDate), checked: !!startError?.checked.includes(`${x.type}:${x.id}`) })),
            })),
            back: '/admin',
            today: today(),
            ...(startError ? { dueDate: startError.dueDate, all: startError.all, errors: startError.errors } : {}),
          }
        : undefined;
    const startErrors: ErrorLink[] = startError
      ? [
          ...(startError.errors.items ? [{ href: startView?.canSettle ? '#start-alla' : '#start-lage', text: startError.errors.items }] : []),
          ...(startError.errors.action ? [{ href: '#start-datum', text: startError.errors.action }] : []),
          ...(startError.errors.dueDate ? [{ href: '#start-datum', text: startError.errors.dueDate }] : []),
        ]
      : [];
    const filters: FilterView = {
      kinds: KINDS.map((k) => ({ value: k.value, label: k.label, count: all.filter((st) => k.types.includes(st.type)).length })).filter((k) => k.count > 0 || k.value === kind?.value),
      kind: kind?.value ?? '',
      meetings: choices,
      meeting: meetingId,
      shown: ordered.length,
      total: all.length,
    };
    return startPage({
        chrome: c,
        todayText: svDayDate(today()),
        steps: views,
        total: all.length,
        late: all.filter((x) => x.overdue).length,
        mine: all.filter((st) => st.type !== 'delivery' && isMine(req, st)).length,
        paging: { page: current, pages, from: from + 1, to: from + views.length },
        query,
        filters,
        start: startView,
        sends,
        untilText: svDate(upcomingUntil(deps.now())),
        flash: flashed ? undefined : flash,
        errors: formError ? [{ href: errorHref, text: formError.message }] : startErrors.length ? startErrors : undefined,
      });
  }

  page(
    r,
    {
      method: 'get',
      path: '/',
      summary:
        'the start page: "Läget vid start" (what was open at go-live, settled in bulk by the official); the pending steps, failed deliveries first, then the signed-in person\'s own ("Ditt att göra"), then the others\' ("Andras steg"), overdue first within each, each with what to do and a way to do it; what goes out in the next 14 days (Swedish HTML page; signed in with a session cookie as admin or secretary)',
      query: {
        typ: { schema: { enum: KINDS.map((x) => x.value) }, description: 'only steps of this kind' },
        mote: { schema: { type: 'string' }, description: 'only steps tied to this board meeting (id)' },
        sida: { schema: { type: 'integer', minimum: 1 }, description: 'page of 20 steps, from 1' },
      },
      response: { contentType: 'text/html' },
    },
    async (req, res) => sendStart(req, res),
  );

  page(r, { method: 'post', path: '/moment/:id/klart', summary: 'mark a milestone done, as POST milestones/:id/done (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)', params: { id: 'milestone id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const x = await markMilestoneDone(deps, { forbundId: fid(req), id: String(req.params.id), actor: actor(req) });
    res.redirect(303, withDone(startBack(formOf(req), '/admin'), 'moment-klart', { later: !x.alreadyDone && !x.workflowNotified }));
  });

  page(r, { method: 'post', path: '/utskick/:id/atgardat', summary: 'mark a delivery failure seen to, as POST deliveries/:id/resolve; the official only (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)', params: { id: 'notification id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    onlyOfficial(req, 'markera ett utskick som åtgärdat');
    await resolveDelivery(deps, { forbundId: fid(req), id: String(req.params.id), actor: actor(req) });
    res.redirect(303, withDone(startBack(formOf(req), '/admin'), 'atgardat'));
  });

  const matterOf = async (req: Request) => {
    const x = await prisma.matter.findUnique({ where: { forbundId_dnr: { forbundId: fid(req), dnr: String(req.params.dnr) } } });
    if (!x) throw new PageError(404, 'Ärendet finns inte', ['Det finns inget ärende med det diarienumret i förbundet.']);
    return x;
  };

  page(r, { method: 'post', path: '/arenden/:dnr/berett', summary: 'mark a matter prepared (the matter\'s workflow answers), as POST matters/:dnr/prepared (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)', params: { dnr: 'diarienummer' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const x = await matterOf(req);
    await viaWorkflow(deps.notifier.update({ matterId: x.id }, markPrepared, [{ actor: actor(req) }]));
    res.redirect(303, withDone(startBack(formOf(req), '/admin'), 'berett'));
  });

  page(r, { method: 'post', path: '/arenden/:dnr/aterrapportera', summary: 'report back on a decision (form field text), as POST matters/:dnr/report-back; the official only (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)', params: { dnr: 'diarienummer' }, response: { contentType: 'text/html' } }, async (req, res) => {
    onlyOfficial(req, 'återrapportera ett beslut');
    const x = await matterOf(req);
    const form = formOf(req);
    const text = (form.text ?? '').trim();
    const action = `/admin/arenden/${x.dnr}/aterrapportera`;
    if (!text) return renderStart(req, res, 400, { action, message: 'Skriv vad som har gjorts.', value: '' });
    if (text.length > 10000) return renderStart(req, res, 400, { action, message: 'Texten får vara högst 10 000 tecken.', value: text });
    const screened = screenField('text', text);
    if (screened) return renderStart(req, res, 400, { action, message: screened.sv, value: text });
    await viaWorkflow(deps.notifier.update({ matterId: x.id }, reportBack, [{ actor: actor(req), text }]));
    res.redirect(303, withDone(startBack(form, '/admin'), 'aterrapporterat'));
  });

  page(r, { method: 'post', path: '/start/avgor', summary: 'settle the checked rows of "Läget vid start" (form fields rad = report:<id> or milestone:<id>, repeated; atgard = handled, redate or wanted; dueDate for redate), as POST start-items/settle; the official only (HTML form POST from this site; signed in as admin or secretary; answers with a redirect, or the start page with the errors)', response: { contentType: 'text/html' } }, async (req, res) => {
    onlyOfficial(req, 'avgöra vad som gäller för det som var öppet vid start');
    // Checkboxes of one name come as a list (formOf keeps single values only).
    const raw = (req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>).rad : undefined) ?? [];
    const checked = (Array.isArray(raw) ? raw : [raw]).filter((x): x is string => typeof x === 'string').slice(0, 1000);
    const items = checked.map((v) => {
      const i = v.indexOf(':');
      return { type: i > 0 ? v.slice(0, i) : v, id: i > 0 ? v.slice(i + 1) : '' };
    });
    const form = formOf(req);
    const action = form.atgard ?? '';
    const dueDate = (form.dueDate ?? '').trim();
    // "Alla raderna": every row on the list as it stands now.
    const all = form.alla === '1';
    if (all) items.splice(0, items.length, ...(await startList(prisma, fid(req))).items.map((x) => ({ type: x.type as string, id: x.id })));
    try {
      const x = await settleStartItems(deps, { forbundId: fid(req), items, action, dueDate: action === 'redate' ? dueDate : undefined, actor: actor(req) });
      res.redirect(303, withDone('/admin', START_DONE[x.action], { later: !x.workflowNotified }));
    } catch (err) {
      if (!(err instanceof Refusal) || err.status === 404) throw err;
      const errors: StartError['errors'] = {};
      const add = (k: keyof StartError['errors'], text: string) => void (errors[k] = errors[k] ? `${errors[k]} ${text}` : text);
      if (err.status === 409) add('items', err.sv);
      else for (const p of err.problems) add(p.field === 'action' ? 'action' : p.field === 'dueDate' ? 'dueDate' : 'items', p.sv);
      return renderStart(req, res, err.status, undefined, { checked, dueDate, all, errors });
    }
  });

  page(r, { method: 'post', path: '/utskick/:id/skicka-igen', summary: 'correct the address of a failed mail (form fields recipient, the address that failed, and email, the right one) and send it again, as POST deliveries/:id/resend; the official only (HTML form POST from this site; signed in as admin or secretary; answers with a redirect, or the start page with the error)', params: { id: 'notification id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    onlyOfficial(req, 'skicka ett utskick igen');
    const form = formOf(req);
    const id = String(req.params.id);
    const action = `/admin/utskick/${id}/skicka-igen`;
    const email = (form.email ?? '').trim();
    const sentBack = (field: string, message: string) => renderStart(req, res, 400, { action, message, value: form.email ?? '', field, chosen: form.recipient });
    // A person's address is corrected: the field may not be left empty.
    if (form.recipient !== undefined && !email && form.email !== undefined) return sentBack('email', 'Skriv den rätta e-postadressen.');
    try {
      const x = await resendDelivery(deps, { forbundId: fid(req), id, recipient: form.recipient, email: email || undefined, actor: actor(req) });
      res.redirect(303, withDone(startBack(form, '/admin'), x.corrected ? 'rattad-skickas-igen' : 'skickas-igen', { later: !x.workflowNotified }));
    } catch (err) {
      if (err instanceof Refusal && err.status === 400) return sentBack(err.problems[0]?.field ?? 'email', err.sv);
      throw err;
    }
  });

  return { renderStart };
}
