// The official's and the secretary's web pages under /admin, served by the same express app:
// sign in (api/admin-session.ts), the start page (the pending steps, overdue first, each with what
// to do and a way to do it; what goes out in the next 14 days), a report, the year (meetings by
// body with moving and cancelling, milestones, next year's calendar).
//
// Every read uses the functions behind the API (pending steps, planned reminders, the year plan,
// the board's agenda) and every change the service functions behind its routes
// (services/kalendarium.ts, services/obligations.ts, the workflows' updates), so the workflows
// are told the same way. POST-redirect-GET; a form with errors is shown again with each problem
// next to its field and nothing changed. Only the admin (the official) and the secretary may use
// the pages, each as the API lets their role.
import { Router, type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { daysBetween, toStockholmDate, toStockholmTime, type IsoDate } from '../domain/dates.js';
import { MEETING_TITLES, type MeetingKind } from '../domain/kalendarium.js';
import type { PendingStep } from '../domain/pending.js';
import type { ReportKind } from '../domain/rapportering.js';
import { REPORT_TEXT, svDate, svDayDate, svPeriod, svTime, svWhen } from '../domain/texts.js';
import { meetingDate, meetingTime } from '../services/arscykel.js';
import { adoptCalendar, cancelMeeting, markMilestoneDone, moveMeeting, proposedCalendar, yearPlan } from '../services/kalendarium.js';
import { redateObligation, resolveDelivery, withdrawProject } from '../services/obligations.js';
import { ownersOf } from '../services/people.js';
import { isoDay } from '../services/rapportering.js';
import { Refusal } from '../services/refusal.js';
import { agendaOf } from '../services/styrelse.js';
import { upcomingSends, upcomingUntil } from '../services/utskick.js';
import type { Role } from '../services/tokens.js';
import { markPrepared, reportBack } from '../workflows/signals.js';
import { PAGE_ROLES, sessions, type Session } from './admin-session.js';
import { actor } from './auth.js';
import { declare } from './declare.js';
import type { ApiDeps } from './deps.js';
import { HttpError } from './errors.js';
import { DEFAULT_GUARDS } from './guards.js';
import { plannedReminders, sortedPendingSteps } from './rapportering.js';
import { noIdentityNumbers, stageOf, viaWorkflow } from './styrelse.js';
import {
  confirmPage,
  messagePage,
  proposalHtml,
  reportPage,
  signInLinkPage,
  signInPage,
  startPage,
  yearPage,
  type ActionView,
  type Chrome,
  type ErrorLink,
  type Flash,
  type MeetingView,
  type MilestoneView,
  type SendView,
  type StepView,
  type YearView,
} from './pages/admin.js';

export const ROLE_SV: Record<Role, string> = { admin: 'tjänsteperson', secretary: 'sekreterare', board_member: 'ledamot', economist: 'ekonom' };
const WAITING_SV: Record<string, string> = { coordinator: 'samordnare', official: 'tjänsteperson', secretary: 'sekreterare', economist: 'ekonom', chair: 'ordförande' };
const MATTER_STATUS_SV: Record<string, string> = { registered: 'registrerat', prepared: 'berett', on_agenda: 'på föredragningslistan', decided: 'beslutat', follow_up: 'återrapportering väntar', closed: 'avslutat' };
const STAGE_SV: Record<string, string> = {
  planned: 'Planerat',
  past: 'Har varit',
  'kallelse sent': 'Kallelsen har gått ut',
  held: 'Hållet – protokollet skrivs',
  'minutes at justering': 'Protokollet är hos justeraren',
  justerade: 'Protokollet är justerat',
  'decisions sent': 'Besluten är skickade till medlemmarna',
  cancelled: 'Inställt',
};
const GROUPS: { id: string; heading: string; kinds: MeetingKind[]; always?: boolean }[] = [
  { id: 'styrelsen', heading: 'Styrelsen', kinds: ['styrelse'], always: true },
  { id: 'presidiet', heading: 'Presidiet och beredningen', kinds: ['presidium', 'beredning'] },
  { id: 'beredningsgruppen', heading: 'Beredningsgruppen', kinds: ['beredningsgrupp'] },
  { id: 'planeringsdagar', heading: 'Planeringsdagar', kinds: ['planning_day'] },
];

/** The messages after an action (POST-redirect-GET): `?klart=<code>`, `&vantar=1` when the workflow is told later. */
const DONE: Record<string, string> = {
  'ny-sista-dag': 'Rapporten har fått en ny sista dag. Påminnelserna till samordnaren börjar om från den.',
  'moment-klart': 'Momentet är markerat som klart.',
  atgardat: 'Utskicket är markerat som åtgärdat.',
  berett: 'Ärendet är markerat som berett och kommer på föredragningslistan när den stängs.',
  aterrapporterat: 'Återrapporteringen är sparad och ärendet är avslutat.',
  flyttat: 'Mötet är flyttat. Deltagarna får en ändrad kalenderinbjudan.',
  oforandrat: 'Mötet hade redan den tiden och platsen; inget är ändrat.',
  installt: 'Mötet är inställt. Deltagarna får en avbokning.',
  faststalld: 'Sammanträdesplanen är fastställd. Kalenderinbjudningarna går ut till deltagarna.',
  aterkallad: 'Insatsen är återkallad. Inga fler rapporter väntas från den.',
};
/** Pending steps per page of the start page (a förbund whose year has run without reports has many). */
const STEPS_PER_PAGE = 20;
const LATER = ' Arbetsflödet får veta det så snart det går att nå; ändringen är sparad.';

/** A page's refusal: its status and the Swedish message. */
class PageError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly paragraphs: string[],
  ) {
    super(title);
  }
}

type Form = Record<string, string>;
const formOf = (req: Request): Form => {
  const b = req.body as unknown;
  const out: Form = {};
  if (b && typeof b === 'object') for (const [k, v] of Object.entries(b)) if (typeof v === 'string') out[k] = v;
  return out;
};

/** Where to go back after an action: a page of /admin only (never another site). */
function backTo(form: Form, fallback: string): string {
  const t = form.tillbaka ?? '';
  return /^\/admin(\/[A-Za-z0-9\-/]*)?(\?sida=\d{1,4})?(#[A-Za-z0-9-]+)?$/.test(t) && !t.includes('//') ? t : fallback;
}

/** `path#hash` with `?klart=code` (and `&vantar=1`, `&mote=id`) before the hash. */
function withDone(target: string, code: string, o: { later?: boolean; meeting?: string } = {}): string {
  const [path, hash] = target.split('#');
  // The message is shown where the page opens: in the meeting's card, or in the step's (when the hash names one).
  const step = hash?.startsWith('steg-') ? hash : undefined;
  const q = new URLSearchParams({ klart: code, ...(o.later ? { vantar: '1' } : {}), ...(o.meeting ? { mote: o.meeting } : {}), ...(step ? { steg: step } : {}) });
  return `${path}${path.includes('?') ? '&' : '?'}${q}${hash ? `#${hash}` : ''}`;
}

function flashOf(req: Request): Flash | undefined {
  const code = typeof req.query.klart === 'string' ? req.query.klart : '';
  if (!DONE[code]) return undefined;
  return { text: DONE[code] + (req.query.vantar === '1' ? LATER : ''), warn: req.query.vantar === '1' };
}

const html = (res: Response, status: number, body: string) => void res.status(status).type('html').send(body);

export function adminPages(deps: ApiDeps): Router {
  const { prisma } = deps;
  const r = Router();
  // Declared once: served here and listed in the OpenAPI document (as text/html) under /admin.
  const page = declare('/admin').route;
  const s = sessions({ prisma, linkSecret: deps.linkSecret, publicBaseUrl: deps.publicBaseUrl, now: () => deps.now() });
  const guards = { ...DEFAULT_GUARDS, ...deps.guards };
  const today = () => toStockholmDate(deps.now());
  const thisYear = () => Number(today().slice(0, 4));

  // Guessing tokens is slow: refused sign-ins (401/403) count, as for the API.
  r.use(
    rateLimit({
      windowMs: 10 * 60_000,
      limit: guards.authFailuresPer10Minutes,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      requestWasSuccessful: (_req, res) => res.statusCode !== 401 && res.statusCode !== 403,
      skipSuccessfulRequests: true,
      handler: (_req, res) => html(res, 429, messagePage({ title: 'För många försök', paragraphs: ['För många misslyckade inloggningar från din adress. Vänta tio minuter och försök igen.'] })),
    }),
  );
  // Same-origin referrers, so the browser sends the Origin of its own forms (see admin-session.ts).
  r.use((_req, res, next) => {
    res.set('Referrer-Policy', 'same-origin');
    next();
  });
  // Forged forms: every POST must come from a page of this site.
  r.use((req, res, next) => {
    if (req.method !== 'POST' || s.sameOrigin(req)) return next();
    html(res, 403, messagePage({ title: 'Formuläret kunde inte tas emot', paragraphs: ['Formuläret skickades inte från Årscykels egna sidor, så inget har ändrats. Öppna sidan på nytt och försök igen.'], links: [{ href: '/admin', text: 'Till Att göra' }] }));
  });

  const refusedRole = (role: Role) =>
    messagePage({
      title: 'Sidorna är inte för din roll',
      paragraphs: [`Din nyckel gäller för rollen ${ROLE_SV[role]}, så du har inte loggats in. Sidorna här är för förbundets verkställande tjänsteperson och styrelsens sekreterare.`, 'Behöver du komma åt dem, be tjänstepersonen om en nyckel för rätt roll.'],
      links: [{ href: '/admin/logga-in', text: 'Logga in med en annan nyckel' }],
    });

  // --- signing in and out ---

  page(r, { method: 'get', path: '/logga-in', summary: 'the sign-in page; with ?token= (the sign-in link of npm run demo / npm run token) it names whom the token signs in and shows a button: a GET alone signs nobody in (Swedish HTML)', response: { contentType: 'text/html' } }, async (req, res) => {
    const t = typeof req.query.token === 'string' ? req.query.token : undefined;
    if (t !== undefined) {
      const holder = await s.holder(t);
      if (!holder) return html(res, 401, signInPage({ error: 'Länken gäller inte: nyckeln i den är fel eller återkallad. Logga in med din nyckel.' }));
      if (!PAGE_ROLES.includes(holder.role)) return html(res, 403, refusedRole(holder.role));
      const forbund = await prisma.forbund.findUniqueOrThrow({ where: { id: holder.forbundId }, select: { name: true } });
      return html(res, 200, signInLinkPage({ name: holder.name, roleSv: ROLE_SV[holder.role], forbundName: forbund.name, token: t }));
    }
    if (await s.current(req)) return res.redirect(303, '/admin');
    html(res, 200, signInPage({ notice: req.query.utloggad === '1' ? 'Du är utloggad.' : undefined }));
  });

  page(r, { method: 'post', path: '/logga-in', summary: 'sign in with an admin\'s or a secretary\'s API token (form field token): an HttpOnly, SameSite=Strict session cookie that holds no token, and a redirect to /admin; a wrong token is 401, another role 403 (Swedish HTML)', response: { contentType: 'text/html' } }, async (req, res) => {
    const t = (formOf(req).token ?? '').trim();
    if (!t) return html(res, 400, signInPage({ error: 'Skriv in din nyckel.' }));
    const holder = await s.holder(t);
    if (!holder) return html(res, 401, signInPage({ error: 'Nyckeln stämmer inte eller har återkallats. Kontrollera att hela nyckeln kom med.' }));
    if (!PAGE_ROLES.includes(holder.role)) return html(res, 403, refusedRole(holder.role));
    await s.start(res, holder);
    res.redirect(303, '/admin');
  });

  page(r, { method: 'post', path: '/logga-ut', summary: 'sign out: the session ends for good and its cookie is cleared', response: { contentType: 'text/html' } }, async (req, res) => {
    await s.end(res, await s.current(req));
    res.redirect(303, '/admin/logga-in?utloggad=1');
  });

  // --- everything else: signed in, as the official or the secretary ---

  r.use(async (req, res, next) => {
    const cur = await s.current(req);
    if (!cur) {
      if (s.hasCookie(req)) s.clear(res);
      if (req.method === 'GET') return res.redirect(303, '/admin/logga-in');
      return html(res, 401, messagePage({ title: 'Du är inte inloggad', paragraphs: ['Du har loggats ut, så inget har ändrats. Logga in och försök igen.'], links: [{ href: '/admin/logga-in', text: 'Logga in' }] }));
    }
    if (!PAGE_ROLES.includes(cur.auth.role)) return html(res, 403, refusedRole(cur.auth.role));
    req.auth = cur.auth;
    res.locals.session = cur;
    next();
  });

  const sessionOf = (res: Response) => res.locals.session as Session;
  const fid = (req: Request) => req.auth!.forbundId;
  const isAdmin = (req: Request) => req.auth!.role === 'admin';
  const onlyOfficial = (req: Request, what: string) => {
    if (!isAdmin(req)) throw new PageError(403, 'Bara tjänstepersonen kan göra det', [`Att ${what} är tjänstepersonens sak; inget har ändrats.`]);
  };
  async function chrome(req: Request, res: Response, current: Chrome['current']): Promise<Chrome> {
    const a = sessionOf(res).auth;
    const forbund = await prisma.forbund.findUniqueOrThrow({ where: { id: a.forbundId }, select: { name: true } });
    return { forbundName: forbund.name, name: a.name, roleSv: ROLE_SV[a.role], current, year: thisYear() };
  }

  // --- the start page ---

  async function steps(req: Request): Promise<PendingStep[]> {
    return sortedPendingSteps(deps, fid(req), today());
  }

  /** A form sent back with an error: which action, the field's message and what was typed. */
  interface FormError {
    action: string;
    message: string;
    value?: string;
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
                ? 'För in besluten och skicka protokollet till justeraren. (Görs än så länge genom API:t.)'
                : 'Justeraren påminns automatiskt. Registrera justeringen när protokollet är justerat. (Görs än så länge genom API:t.)';
          if (m) v.actions.push({ kind: 'link', href: `/admin/ar/${m.year}#mote-${m.id}`, text: 'Visa mötet', context: st.title });
          break;
        }
        case 'follow-up':
          v.todo = `Berätta för styrelsen vad som har gjorts med beslutet. Återrapporteringen avslutar ärendet.${isAdmin(req) ? '' : ' Tjänstepersonen återrapporterar.'}`;
          if (isAdmin(req)) {
            v.actions.push(withError({ kind: 'text', action: `/admin/arenden/${dnr(st.links.reportBack?.replace(/\/report-back$/, ''))}/aterrapportera`, summary: 'Återrapportera', label: 'Vad har gjorts?', name: 'text', button: 'Spara återrapporteringen', back, id: `${anchor}-text`, hint: 'Inga personnummer.', context: st.title }));
          }
          break;
        case 'actuals':
          v.todo = 'Lägg in utfallet från bokföringen (SIE-fil eller CSV) så att kvartalets prognos kan göras. (Görs än så länge genom API:t.)';
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
    const flashed = flash && typeof req.query.steg === 'string' ? views.find((v) => v.anchor === req.query.steg) : undefined;
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

  // --- a report ---

  async function renderReport(req: Request, res: Response, id: string, status = 200, formError?: FormError) {
    const o = await prisma.reportingObligation.findFirst({ where: { id, project: { forbundId: fid(req) } }, include: { project: { include: { coordinator: true } }, submissions: { select: { id: true } } } });
    if (!o) throw new PageError(404, 'Rapporten finns inte', ['Det finns ingen sådan rapport i förbundet.']);
    const c = await chrome(req, res, 'other');
    const due = isoDay(o.dueDate);
    const late = o.status === 'open' && due < today() ? daysBetween(due, today()) : 0;
    const escalated = await prisma.escalation.count({ where: { forbundId: fid(req), subjectType: 'obligation', subjectId: o.id, resolvedAt: null } });
    const state =
      o.status === 'submitted'
        ? `Inlämnad (${o.submissions.length} ${o.submissions.length === 1 ? 'version' : 'versioner'})${o.lockedAt ? ', låst' : ''}`
        : o.status === 'withdrawn'
          ? 'Återkallad: insatsen är återkallad'
          : late
            ? `Försenad ${late} ${late === 1 ? 'dag' : 'dagar'}${escalated ? ', anmäld till beredningsgruppen' : ''}`
            : 'Väntar på samordnaren';
    const sent = await prisma.notification.findMany({ where: { forbundId: fid(req), key: { startsWith: `report:${o.id}:` }, status: 'sent' }, orderBy: { sentAt: 'asc' } });
    const STEP: Record<string, string> = { overdue: 'påminnelse efter sista dag, med kopia till tjänstepersonen', escalation: 'eskalering till tjänstepersonen och beredningsgruppen' };
    const reminders = sent.map((n) => {
      const step = n.key.split(':').pop() ?? '';
      const what = STEP[step] ?? (step.startsWith('reminder-') ? (step === 'reminder-0' ? 'påminnelse på sista dagen' : `påminnelse ${step.slice(9)} dagar före sista dag`) : 'påminnelse');
      return `${svDate(toStockholmDate(n.sentAt ?? n.claimedAt))}: ${what} (sista dag ${svDate(n.key.split(':')[2] ?? due)})`;
    });
    const heading = `${capital(REPORT_TEXT[o.kind as ReportKind].name)} ${svPeriod(isoDay(o.periodStart), isoDay(o.periodEnd))}`;
    const actions: ActionView[] = [];
    let note: string | undefined;
    if (o.status === 'open' && o.project.status === 'active') {
      if (isAdmin(req)) {
        const action = `/admin/rapporter/${o.id}/ny-sista-dag`;
        actions.push({ kind: 'date', action, summary: 'Ge ny sista dag', label: 'Ny sista dag', name: 'dueDate', button: 'Spara ny sista dag', back: `/admin/rapporter/${o.id}`, id: 'ny-sista-dag', min: isoDay(o.periodEnd), hint: `Tidigast ${svDate(isoDay(o.periodEnd))}, när perioden slutar. Påminnelserna börjar om från den nya dagen.`, open: true, ...(formError?.action === action ? { error: formError.message, value: formError.value } : {}) });
        actions.push({ kind: 'link', href: `/admin/insatser/${encodeURIComponent(o.project.key)}/aterkalla`, text: 'Återkalla insatsen…' });
      } else {
        note = 'Tjänstepersonen kan ge rapporten en ny sista dag eller återkalla insatsen.';
      }
      actions.push({ kind: 'link', href: `mailto:${o.project.coordinator.email}`, text: `Mejla ${o.project.coordinator.name}` });
    } else {
      note = 'Rapporten väntar inte på något; inget behöver göras.';
    }
    html(
      res,
      status,
      reportPage({
        chrome: c,
        heading,
        project: o.project.name,
        facts: [
          ['Insats', o.project.name],
          ['Huvudman', o.project.huvudman || '–'],
          ['Period', svPeriod(isoDay(o.periodStart), isoDay(o.periodEnd))],
          ['Sista dag', svDate(due)],
          ['Läge', state],
        ],
        coordinator: { name: o.project.coordinator.name, email: o.project.coordinator.email },
        reminders,
        actions,
        note,
        flash: flashOf(req),
        errors: formError ? [{ href: '#ny-sista-dag', text: formError.message }] : undefined,
      }),
    );
  }

  page(r, { method: 'get', path: '/rapporter/:id', summary: 'one report: its state, the reminders sent, a new due date or withdrawing the project (the official) (Swedish HTML page; signed in with a session cookie as admin or secretary)', params: { id: 'report obligation id' }, response: { contentType: 'text/html' } }, async (req, res) => renderReport(req, res, String(req.params.id)));

  page(r, { method: 'post', path: '/rapporter/:id/ny-sista-dag', summary: 'give an open report a new due date (form field dueDate), as PATCH obligations/:id; the official only (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)', params: { id: 'report obligation id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    onlyOfficial(req, 'ge en rapport ny sista dag');
    const id = String(req.params.id);
    const form = formOf(req);
    const back = backTo(form, `/admin/rapporter/${id}`);
    const action = `/admin/rapporter/${id}/ny-sista-dag`;
    const again = (message: string) => {
      const fe = { action, message, value: form.dueDate ?? '' };
      return back.startsWith('/admin/rapporter/') ? renderReport(req, res, id, 400, fe) : renderStart(req, res, 400, fe);
    };
    if (!form.dueDate) return again('Ange den nya sista dagen.');
    try {
      const r = await redateObligation(deps, { forbundId: fid(req), id, dueDate: form.dueDate, actor: actor(req) });
      res.redirect(303, withDone(back, 'ny-sista-dag', { later: !r.workflowNotified }));
    } catch (err) {
      if (err instanceof Refusal && err.status === 400) return again(err.problems.map((p) => p.sv).join(' '));
      throw err;
    }
  });

  page(r, { method: 'get', path: '/insatser/:key/aterkalla', summary: 'confirm withdrawing a project (Swedish HTML page; signed in with a session cookie as admin or secretary)', params: { key: 'project key' }, response: { contentType: 'text/html' } }, async (req, res) => {
    onlyOfficial(req, 'återkalla en insats');
    const p = await prisma.project.findUnique({ where: { forbundId_key: { forbundId: fid(req), key: String(req.params.key) } } });
    if (!p) throw new PageError(404, 'Insatsen finns inte', ['Det finns ingen sådan insats i förbundet.']);
    const open = await prisma.reportingObligation.count({ where: { projectId: p.id, status: 'open' } });
    html(
      res,
      200,
      confirmPage({
        chrome: await chrome(req, res, 'other'),
        title: `Återkalla ${p.name}?`,
        lead: p.status === 'withdrawn' ? 'Insatsen är redan återkallad.' : `Insatsen har ${open} ${open === 1 ? 'rapport' : 'rapporter'} kvar att lämna. När den återkallas väntas inga fler, och påminnelserna slutar.`,
        facts: [['Insats', p.name], ['Huvudman', p.huvudman || '–'], ['Period', svPeriod(isoDay(p.startDate), isoDay(p.endDate))]],
        warning: 'Återkalla bara en insats som styrelsen har beslutat att avsluta i förtid eller som aldrig blev av. Det går inte att ångra här.',
        action: `/admin/insatser/${encodeURIComponent(p.key)}/aterkalla`,
        button: 'Ja, återkalla insatsen',
        back: { href: '/admin', text: 'Nej, tillbaka' },
        danger: true,
      }),
    );
  });

  page(r, { method: 'post', path: '/insatser/:key/aterkalla', summary: 'withdraw a project, as POST projects/:key/withdraw; the official only (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)', params: { key: 'project key' }, response: { contentType: 'text/html' } }, async (req, res) => {
    onlyOfficial(req, 'återkalla en insats');
    const x = await withdrawProject(deps, { forbundId: fid(req), key: String(req.params.key), actor: actor(req) });
    res.redirect(303, withDone('/admin', 'aterkallad', { later: !x.workflowNotified }));
  });

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

  // --- the year ---

  const yearParam = (req: Request) => {
    const v = String(req.params.year);
    const y = /^\d{4}$/.test(v) ? Number(v) : NaN;
    if (!(y >= 2000 && y <= 2100)) throw new PageError(404, 'Året finns inte', ['Ange ett år från 2000 till 2100 med fyra siffror, till exempel /admin/ar/2026.']);
    return y;
  };

  interface MoveError {
    meetingId: string;
    values: { date: string; start: string; end: string; location: string };
    errors: Partial<Record<'date' | 'start' | 'end' | 'location', string>>;
  }

  async function renderYear(req: Request, res: Response, year: number, status = 200, moveError?: MoveError) {
    const forbundId = fid(req);
    const now = deps.now();
    const [c, plan, rows, next] = await Promise.all([
      chrome(req, res, year === thisYear() ? 'year' : 'other'),
      yearPlan(prisma, forbundId, year),
      prisma.meeting.findMany({ where: { forbundId, year } }),
      prisma.cycleYear.findUnique({ where: { forbundId_year: { forbundId, year: year + 1 } } }),
    ]);
    const row = new Map(rows.map((m) => [m.id, m]));
    const boardIds = plan.meetings.filter((m) => m.kind === 'styrelse').map((m) => m.id);
    const [agendas, matters] = await Promise.all([
      Promise.all(boardIds.map(async (id) => [id, await agendaOf(prisma, id)] as const)),
      prisma.matter.findMany({ where: { forbundId, meetingId: { in: boardIds } }, orderBy: [{ year: 'asc' }, { number: 'asc' }] }),
    ]);
    const agenda = new Map(agendas);
    const byKey = new Map(plan.meetings.map((m) => [m.key, m]));
    const headingOf = (m: { title: string; date: IsoDate; kind: string }) => `${m.title || MEETING_TITLES[m.kind as MeetingKind]} ${svDate(m.date)}`;
    const moved = typeof req.query.mote === 'string' ? req.query.mote : undefined;
    const flash = flashOf(req);
    const owners = new Map<string, string>();
    for (const o of new Set(plan.milestones.map((m) => m.owner))) {
      const people = await ownersOf(prisma, forbundId, o);
      owners.set(o, people.length ? `${people.map((p) => p.name).join(', ')}${WAITING_SV[o] ? `, ${WAITING_SV[o]}` : ''}` : WAITING_SV[o] ?? o);
    }
    const milestoneMatters = new Map((await prisma.matter.findMany({ where: { milestoneId: { in: plan.milestones.map((m) => m.id) } }, select: { milestoneId: true, dnr: true } })).map((x) => [x.milestoneId!, x.dnr]));

    const meetingViews: MeetingView[] = plan.meetings.map((m) => {
      const dbRow = row.get(m.id)!;
      const anchor = `mote-${m.id}`;
      const cancelled = m.status === 'cancelled';
      const ended = dbRow.endsAt <= now;
      const state = m.kind === 'styrelse' ? STAGE_SV[stageOf(dbRow, now)] ?? 'Planerat' : cancelled ? 'Inställt' : ended ? 'Har varit' : 'Planerat';
      const p = m.preparation;
      const preparation = p
        ? [p.beredningsgrupp ? `beredningsgruppen ${svDate(p.beredningsgrupp)}` : '', p.beredning ? `beredningen ${svDate(p.beredning)}` : '', `ärenden senast ${svDate(p.matters)}`, `kallelsen senast ${svDate(p.kallelse)}`].filter(Boolean).join(', ')
        : undefined;
      const prepares = m.prepares ? byKey.get(m.prepares) : undefined;
      const canChange = !cancelled && !dbRow.heldAt && !ended;
      const err = moveError?.meetingId === m.id ? moveError : undefined;
      const v: MeetingView = {
        id: m.id,
        anchor,
        heading: headingOf(m),
        whenText: keepTime(svWhen(meetingTime(dbRow))),
        location: m.location,
        state: plan.calendar.adopted || cancelled ? state : `${state} (förslag; planen är inte fastställd)`,
        cancelled,
        ...(prepares ? { prepares: headingOf(prepares) } : {}),
        ...(preparation ? { preparation: capital(preparation) } : {}),
        ...(m.kind === 'styrelse'
          ? {
              agenda: (agenda.get(m.id) ?? []).map((i) => ({ number: i.number, title: i.title, dnr: i.matter?.dnr ?? null, paragraph: i.paragraph })),
              matters: matters.filter((x) => x.meetingId === m.id).map((x) => ({ dnr: x.dnr, title: x.title, status: MATTER_STATUS_SV[x.status] ?? x.status })),
            }
          : {}),
        ...(canChange
          ? {
              move: {
                action: `/admin/moten/${m.id}/flytta`,
                values: err?.values ?? { date: m.date, start: m.start ?? '', end: m.end ?? '', location: m.location ?? '' },
                errors: err?.errors ?? {},
                open: !!err,
                allDay: m.start === null,
              },
              cancelHref: `/admin/moten/${m.id}/stall-in`,
            }
          : {}),
        ...(moved === m.id && flash ? { flash } : {}),
        // Over, and nothing of its process left to do: shown folded away.
        past: ended && (m.kind !== 'styrelse' || ['past', 'decisions sent', 'cancelled'].includes(stageOf(dbRow, now))),
      };
      return v;
    });
    const kindOf = new Map(plan.meetings.map((m) => [m.id, m.kind as MeetingKind]));
    const groups = GROUPS.map((g) => {
      const all = meetingViews.filter((v) => g.kinds.includes(kindOf.get(v.id)!));
      return { id: g.id, heading: g.heading, always: g.always, meetings: all.filter((v) => !v.past), past: all.filter((v) => v.past) };
    }).filter((g) => g.always || g.meetings.length || g.past.length);
    const day = today();
    const nextAdopted = !!next?.calendarAdoptedAt;
    const milestones: MilestoneView[] = plan.milestones.map((ms) => {
      const done = ms.status === 'done';
      const late = !done && ms.dueDate < day;
      const dnr = milestoneMatters.get(ms.id);
      const handled = ms.meeting ? byKey.get(ms.meeting) : undefined;
      return {
        id: ms.id,
        title: ms.title,
        due: ms.dueDate,
        owner: owners.get(ms.owner) ?? ms.owner,
        state: done ? 'done' : late ? 'late' : 'open',
        stateText: done ? `Klart${ms.doneAt ? ` ${svDate(toStockholmDate(new Date(ms.doneAt)))}` : ''}` : late ? `Försenat ${daysBetween(ms.dueDate, day)} ${daysBetween(ms.dueDate, day) === 1 ? 'dag' : 'dagar'}` : 'Öppet',
        ...(handled ? { meetingText: `Tas upp på ${headingOf(handled).replace(/^./, (x) => x.toLowerCase())}` } : {}),
        ...(!done && !dnr && ms.kind !== 'nextCalendar' ? { doneAction: { action: `/admin/moment/${ms.id}/klart`, back: `/admin/ar/${year}#moment` } } : {}),
        ...(!done && ms.kind === 'nextCalendar' && !nextAdopted ? { note: `Blir klart när planen för ${year + 1} fastställs.`, link: { href: `/admin/ar/${year + 1}/faststall`, text: `Fastställ planen för ${year + 1}` } } : {}),
        ...(!done && dnr ? { note: `Blir klart när styrelsen har beslutat i ärende ${dnr}.` } : {}),
      };
    });
    const boards = plan.meetings.filter((m) => m.kind === 'styrelse' && m.status === 'planned');
    const lastBoard = boards[boards.length - 1];
    const view: YearView = {
      chrome: c,
      year,
      calendar: plan.calendar.adopted
        ? { adopted: true, text: `Sammanträdesplanen för ${year} är fastställd ${svDate(toStockholmDate(new Date(plan.calendar.adoptedAt)))}${byWhom(plan.calendar.adoptedBy)}.` }
        : { adopted: false, ...(plan.meetings.length || year > thisYear() ? { adoptHref: `/admin/ar/${year}/faststall` } : {}) },
      groups,
      milestones,
      next: {
        year: year + 1,
        adopted: nextAdopted,
        text: nextAdopted
          ? `Planen för ${year + 1} är fastställd ${svDate(toStockholmDate(next!.calendarAdoptedAt!))}${byWhom(next!.calendarAdoptedBy)}.`
          : `Planen för ${year + 1} är inte fastställd ännu. Styrelsen fastställer den ${lastBoard ? `vid årets sista sammanträde, ${svDate(lastBoard.date)}` : 'vid årets sista sammanträde'}; förslaget bygger på årets möten flyttade till ${year + 1}.`,
        ...(nextAdopted ? {} : { adoptHref: `/admin/ar/${year + 1}/faststall` }),
      },
      flash: moved ? undefined : flash,
      errors: moveError
        ? Object.entries(moveError.errors).map(([f, text]): ErrorLink => ({ href: `#mote-${moveError.meetingId}-${{ date: 'datum', start: 'start', end: 'slut', location: 'plats' }[f]}`, text: text! }))
        : undefined,
    };
    html(res, status, yearPage(view));
  }

  page(r, { method: 'get', path: '/ar/:year', summary: 'the year: meetings by body with moving and cancelling, the board meetings\' agendas and matters, milestones, next year\'s calendar (Swedish HTML page; signed in with a session cookie as admin or secretary)', params: { year: 'calendar year, four digits' }, response: { contentType: 'text/html' } }, async (req, res) => renderYear(req, res, yearParam(req)));

  const meetingRow = async (req: Request) => {
    const m = await prisma.meeting.findFirst({ where: { id: String(req.params.id), forbundId: fid(req) } });
    if (!m) throw new PageError(404, 'Mötet finns inte', ['Det finns inget sådant möte i förbundet.']);
    return m;
  };

  page(r, { method: 'post', path: '/moten/:id/flytta', summary: 'move a meeting (form fields date, start, end, location), as PATCH meetings/:id; errors are shown next to the fields and nothing is changed (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)', params: { id: 'meeting id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const m = await meetingRow(req);
    const form = formOf(req);
    const values = { date: (form.date ?? '').trim(), start: (form.start ?? '').trim(), end: (form.end ?? '').trim(), location: (form.location ?? '').trim() };
    const allDay = m.kind === 'planning_day' && toStockholmTime(m.startsAt) === '00:00';
    const errors: MoveError['errors'] = {};
    if (!values.date) errors.date = 'Ange datumet.';
    if (!allDay || values.start || values.end) {
      if (!values.start) errors.start = 'Ange när mötet börjar.';
      if (!values.end) errors.end = 'Ange när mötet slutar.';
    }
    if (Object.keys(errors).length) return renderYear(req, res, m.year, 400, { meetingId: m.id, values, errors });
    try {
      const x = await moveMeeting(deps, {
        forbundId: fid(req),
        id: m.id,
        change: { date: values.date, ...(values.start || values.end ? { start: values.start, end: values.end } : {}), location: values.location || null },
        actor: actor(req),
      });
      res.redirect(303, withDone(`/admin/ar/${m.year}#mote-${m.id}`, x.unchanged ? 'oforandrat' : 'flyttat', { later: !x.unchanged && !x.workflowNotified, meeting: m.id }));
    } catch (err) {
      if (err instanceof Refusal && err.status === 400) {
        for (const p of err.problems) if (p.field === 'date' || p.field === 'start' || p.field === 'end' || p.field === 'location') errors[p.field] = errors[p.field] ? `${errors[p.field]} ${p.sv}` : p.sv;
        return renderYear(req, res, m.year, 400, { meetingId: m.id, values, errors });
      }
      throw err;
    }
  });

  page(r, { method: 'get', path: '/moten/:id/stall-in', summary: 'confirm cancelling a meeting (Swedish HTML page; signed in with a session cookie as admin or secretary)', params: { id: 'meeting id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const m = await meetingRow(req);
    const heading = `${m.title} ${svDate(meetingDate(m))}`;
    const back = { href: `/admin/ar/${m.year}#mote-${m.id}`, text: 'Nej, tillbaka till året' };
    const c = await chrome(req, res, 'other');
    if (m.status === 'cancelled') return html(res, 200, messagePage({ chrome: c, title: `${heading} är redan inställt`, paragraphs: ['Mötet är redan inställt; inget mer behöver göras.'], links: [back] }));
    if (m.heldAt) return html(res, 409, messagePage({ chrome: c, title: `${heading} har hållits`, paragraphs: ['Ett möte som har hållits kan inte ställas in.'], links: [back] }));
    html(
      res,
      200,
      confirmPage({
        chrome: c,
        title: `Ställa in ${heading}?`,
        lead: 'Kontrollera att det är rätt möte innan du ställer in det.',
        facts: [['Möte', m.title], ['Tid', svWhen(meetingTime(m))], ['Plats', m.location ?? 'Ingen plats angiven']],
        warning: `Deltagarna får en avbokning i sin kalender${m.kind === 'styrelse' ? ', och mötets kallelse och påminnelser skickas inte' : ''}. Moment som skulle tas upp på mötet får nya datum. Det går inte att ångra här.`,
        action: `/admin/moten/${m.id}/stall-in`,
        button: 'Ja, ställ in mötet',
        back,
        danger: true,
      }),
    );
  });

  page(r, { method: 'post', path: '/moten/:id/stall-in', summary: 'cancel a meeting, as POST meetings/:id/cancel (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)', params: { id: 'meeting id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const m = await meetingRow(req);
    const x = await cancelMeeting(deps, { forbundId: fid(req), id: m.id, actor: actor(req) });
    res.redirect(303, withDone(`/admin/ar/${m.year}#mote-${m.id}`, 'installt', { later: !x.alreadyCancelled && !x.workflowNotified, meeting: m.id }));
  });

  page(r, { method: 'get', path: '/ar/:year/faststall', summary: 'confirm adopting a year\'s calendar: the proposed meetings (Swedish HTML page; signed in with a session cookie as admin or secretary)', params: { year: 'calendar year, four digits' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const year = yearParam(req);
    const c = await chrome(req, res, 'other');
    const back = { href: `/admin/ar/${year - 1}#nasta-ar`, text: 'Nej, tillbaka' };
    const adopted = await prisma.cycleYear.findUnique({ where: { forbundId_year: { forbundId: fid(req), year } } });
    if (adopted?.calendarAdoptedAt) {
      return html(res, 200, messagePage({ chrome: c, title: `Planen för ${year} är redan fastställd`, paragraphs: [`Sammanträdesplanen för ${year} fastställdes ${svDate(toStockholmDate(adopted.calendarAdoptedAt))}. Flytta eller ställ in enskilda möten på årets sida.`], links: [{ href: `/admin/ar/${year}`, text: `Året ${year}` }] }));
    }
    let proposal;
    try {
      proposal = await proposedCalendar(prisma, fid(req), year);
    } catch (err) {
      if (err instanceof Refusal) return html(res, 409, messagePage({ chrome: c, title: `Inget förslag för ${year}`, paragraphs: [err.sv, 'Lägg in årets möten med en förbundsfil (npm run import) eller genom API:t.'], links: [back] }));
      throw err;
    }
    const stored = await prisma.meeting.count({ where: { forbundId: fid(req), year, status: 'planned' } });
    const item = (m: (typeof proposal)[number]) => `${svDayDate(m.date)}${m.start && !(m.kind === 'planning_day' && m.start === '00:00') ? ` kl. ${svTime(m.start)}${m.end ? `–${svTime(m.end)}` : ''}` : ''}: ${m.title}${m.location ? `, ${m.location}` : ''}`;
    const groups = GROUPS.map((g) => ({ heading: g.heading, items: proposal.filter((m) => g.kinds.includes(m.kind)).map(item) }));
    html(
      res,
      200,
      confirmPage({
        chrome: c,
        title: `Fastställa sammanträdesplanen för ${year}?`,
        lead: stored ? `Planen består av de ${proposal.length} möten som finns för ${year}.` : `Förslaget är årets möten flyttade till ${year}, på samma veckodagar: ${proposal.length} möten.`,
        body: proposalHtml(groups),
        warning: `Fastställ planen när styrelsen har beslutat om den. Då får deltagarna kalenderinbjudningar och årets moment får sina datum. Därefter flyttar eller ställer du in enskilda möten.`,
        action: `/admin/ar/${year}/faststall`,
        button: `Fastställ planen för ${year}`,
        back,
      }),
    );
  });

  page(r, { method: 'post', path: '/ar/:year/faststall', summary: 'adopt the year\'s calendar as proposed, as POST years/:year/calendar with meetings "proposed" (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)', params: { year: 'calendar year, four digits' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const year = yearParam(req);
    const x = await adoptCalendar(deps, { forbundId: fid(req), year, actor: actor(req), meetings: 'proposed' });
    res.redirect(303, withDone(`/admin/ar/${year}`, 'faststalld', { later: !x.workflowNotified }));
  });

  // --- not found, and errors as Swedish pages ---

  r.use((_req, _res, next) => next(new PageError(404, 'Sidan finns inte', ['Det finns ingen sida på den här adressen.'])));

  r.use(async (err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const session = res.locals.session as Session | undefined;
    const c = session ? await chrome(req, res, 'other').catch(() => undefined) : undefined;
    const links = [{ href: '/admin', text: 'Till Att göra' }];
    if (err instanceof PageError) return html(res, err.status, messagePage({ chrome: c, title: err.title, paragraphs: err.paragraphs, links }));
    if (err instanceof Refusal) return html(res, err.status, messagePage({ chrome: c, title: err.status === 404 ? 'Finns inte' : 'Det gick inte', paragraphs: [err.sv, 'Inget har ändrats.'], links }));
    if (err instanceof HttpError) {
      const text =
        err.status === 503
          ? 'Arbetsflödet kunde inte nås just nu, så inget har ändrats. Försök igen om en stund.'
          : err.status === 409
            ? 'Det går inte längre: processen har redan passerat det steget. Inget har ändrats.'
            : err.status === 404
              ? 'Det du sökte finns inte.'
              : 'Uppgifterna kunde inte tas emot. Inget har ändrats.';
      return html(res, err.status, messagePage({ chrome: c, title: err.status === 503 ? 'Försök igen om en stund' : 'Det gick inte', paragraphs: [text], links }));
    }
    next(err);
  });

  return r;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** 'kl. 9.00–12.00' kept on one line (the date before it may wrap). */
const keepTime = (s: string) => s.replace(/kl\. (\d+\.\d+)(?:–(\d+\.\d+))?/, (_m, a: string, b?: string) => `kl.\u00a0${a}${b ? `\u2060–\u2060${b}` : ''}`);

/** ' av Olga Tjänsteman (tjänsteperson)' from an audit actor ('token:<id> <name> (<role>)'), ' vid importen', or ''. */
function byWhom(a: string | null | undefined): string {
  if (!a) return '';
  const t = /^token:\S+ (.+) \((\w+)\)$/.exec(a);
  if (t) return ` av ${t[1]}${ROLE_SV[t[2] as Role] ? ` (${ROLE_SV[t[2] as Role]})` : ''}`;
  if (a === 'import' || a.startsWith('import:')) return ' (inläst från förbundsfilen)';
  return '';
}
