// Everyone's own pages under /admin, for people signed in by e-mail link who are neither the
// official nor the secretary (registered after signedInOnly, before pageRolesOnly):
//
// - a ledamot or ersättare (a seat in the styrelse today, services/mina.ts boardSeatOf):
//   "Mina möten" (the year's board meetings; once the kallelse is sent, the kallelse, the
//   föredragningslista with the handlingar of its items, secret ones too, marked "Sekretess enligt
//   OSL", and the meeting pack; the protokoll once justerat), "Mina förhinder" (reported through the
//   meeting's workflow, as the invite's förhinder link does: api/styrelse.ts declineFor) and
//   "Medlemmarnas beslut" (the decisions of the justerade protokoll);
// - a revisor (role auditor): read-only, the year's justerade protokoll, the budget follow-up and
//   the årsredovisning's and delårsrapporternas handlingar that are not secret;
// - a samordnare (role coordinator, or a project's coordinator): every report of their own
//   projects, each linking to its form (the same secret-link form /submit/:id the mail links),
//   and each project's calendar feed.
//
// GET /admin is the person's own start page (a section for each of these roles they hold); the
// official and the secretary keep theirs (next()). The stable address of a handling,
// /admin/handlingar/:id, is served here to a board member (every handling of their förbund) and
// to a revisor (the årsredovisning's non-secret ones); everyone else falls through to the staff's
// route. Anyone with own pages who opens a staff page is refused here (403), so that nothing
// editable is reached. A person without any of these roles (and not staff) falls through to
// pageRolesOnly's "no pages" page.
import type { NextFunction, Request, Response, Router } from 'express';
import { toStockholmDate } from '../../domain/dates.js';
import { followUpCsv, followUpPdf } from '../../domain/budgetuppfoljning.js';
import { HANDLING_KINDS, kindOfContentType, svSize, type HandlingVersion } from '../../domain/handlingar.js';
import { CHAIN_STAGE_SV, DISCHARGE_STATE_SV } from '../../domain/redovisning.js';
import { REPORT_TEXT, svDate, svPeriod, svWhen } from '../../domain/texts.js';
import type { ReportKind } from '../../domain/rapportering.js';
import { meetingTime } from '../../services/arscykel.js';
import { audit } from '../../services/audit.js';
import { handlingWithContent } from '../../services/handlingar.js';
import { renewProjectFeed } from '../../services/lankar.js';
import { generationsOf, projectFeedLink, projectFeedPurpose, submissionLink, submissionPurpose } from '../../services/links.js';
import { auditorMayRead, auditorReportsOf, boardMeetingOf, boardMeetingsOf, daysLate, hasOwnPages, justeradeOf, memberAgendaOf, memberKallelsePdf, myAttendanceOf, myProjectsOf, ownRolesOf, type MeetingRow, type MyAttendance, type OwnRoles } from '../../services/mina.js';
import { meetingPack } from '../../services/motespaket.js';
import { followUpFacts } from '../../services/pengar.js';
import { protocolPdf } from '../../services/protokoll.js';
import { isoDay } from '../../services/rapportering.js';
import { Refusal } from '../../services/refusal.js';
import { pageRoleOf, personActor, type PersonInForbund } from '../../services/sessions.js';
import type { SignedIn } from '../admin-session.js';
import { HttpError } from '../errors.js';
import { sendHandling } from '../handlingar.js';
import { kr } from '../pages/pengar.js';
import { confirmForhinderPage, decisionsPage, forhinderPage, meetingPage, meetingsPage, ownMessagePage, reportsPage, revisionPage, startPage, type AttendanceView, type HandlingLinkView, type MeetingCardView, type OwnChrome, type OwnMenuId, type ReportView } from '../pages/mina.js';
import { declineFor, viaWorkflow } from '../styrelse.js';
import { withdrawDecline } from '../../workflows/signals.js';
import { capital, documentErrorAsPage, doneMessages, flashOf, formOf, html, PageError, withDone, type AdminKit } from './kit.js';

doneMessages({
  'eget-forhinder': 'Förhindret är anmält. En ersättare är inkallad i ditt ställe, och du får en bekräftelse per e-post.',
  'eget-forhinder-ingen': 'Förhindret är anmält. Ingen ersättare för samma medlem kunde kallas in, så platsen står tom; sekreteraren får veta det. Du får en bekräftelse per e-post.',
  'eget-kommer': 'Du är kallad till sammanträdet igen. Ersättaren som var inkallad för dig behövs inte längre och får veta det.',
  'eget-kalender': 'Kalenderlänken är bytt. Den gamla länken fungerar inte längre: ta bort den gamla kalendern i ditt kalenderprogram och prenumerera på den nya länken nedan.',
});


const MONTHS = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];
const SEAT_SV: Record<string, string> = { member: 'ledamot', chair: 'ordförande', vice_chair: 'vice ordförande', deputy: 'ersättare' };

/** The board's, the revisor's and the samordnare's own pages: see the top of this file. */
export function ownPages(k: AdminKit, r: Router): void {
  const { deps, prisma, page, today, thisYear } = k;

  const me = (res: Response) => res.locals.person as PersonInForbund;
  const isStaff = (res: Response) => !!pageRoleOf(me(res).roles);
  /** The person's own roles in the förbund chosen, read once per request. */
  const own = async (res: Response): Promise<OwnRoles> => {
    if (!res.locals.own) res.locals.own = await ownRolesOf(prisma, { personId: me(res).personId, roles: me(res).roles, forbundId: me(res).forbund.id }, today());
    return res.locals.own as OwnRoles;
  };
  const fid = (res: Response) => me(res).forbund.id;

  async function chrome(res: Response, current: OwnMenuId): Promise<OwnChrome> {
    const o = await own(res);
    const p = me(res);
    const menu: OwnChrome['menu'] = [{ id: 'start', href: '/admin', text: 'Start' }];
    if (o.board) menu.push({ id: 'moten', href: '/admin/mina-moten', text: 'Mina möten' }, { id: 'forhinder', href: '/admin/mina-forhinder', text: 'Mina förhinder' }, { id: 'beslut', href: '/admin/medlemmarnas-beslut', text: 'Medlemmarnas beslut' });
    if (o.auditor) menu.push({ id: 'revision', href: '/admin/revision', text: 'Revision' });
    if (o.coordinator) menu.push({ id: 'rapporter', href: '/admin/mina-rapporter', text: 'Mina rapporter' });
    const roles = [...(o.board ? [SEAT_SV[o.board.role] ?? 'ledamot'] : []), ...(o.auditor ? ['revisor'] : []), ...(o.coordinator ? ['samordnare'] : [])];
    const several = ((res.locals.signedIn as SignedIn | undefined)?.people.length ?? 1) > 1;
    return { forbundName: p.forbund.name, name: p.name, rolesSv: roles.join(', '), menu, current, several };
  }

  /** The page is for a role the person holds in this förbund; else 403. */
  async function need(res: Response, role: 'board' | 'auditor' | 'coordinator' | 'board-or-auditor'): Promise<OwnRoles> {
    const o = await own(res);
    const ok = role === 'board' ? !!o.board : role === 'auditor' ? o.auditor : role === 'coordinator' ? o.coordinator : !!o.board || o.auditor;
    if (!ok) {
      const what = role === 'board' || role === 'board-or-auditor' ? 'styrelsens ledamöter och ersättare' : role === 'auditor' ? 'förbundets revisorer' : 'insatsernas samordnare';
      throw new PageError(403, 'Sidan är inte för dig', [`Sidan är för ${what}, och du har inte den rollen i ${me(res).forbund.name}. Inget har ändrats.`]);
    }
    return o;
  }

  /** The year asked for (?ar=2026), this year by default. */
  function yearOf(req: Request): number {
    const v = req.query.ar;
    if (v === undefined || v === '') return thisYear();
    const y = typeof v === 'string' && /^\d{4}$/.test(v) ? Number(v) : NaN;
    if (!(y >= 2000 && y <= 2100)) throw new PageError(404, 'Året finns inte', ['Ange ett år från 2000 till 2100 med fyra siffror, till exempel ?ar=2026.']);
    return y;
  }

  const when = (m: { startsAt: Date; endsAt: Date }) => svWhen(meetingTime(m), 'short');
  const day = (d: Date) => svDate(toStockholmDate(d));
  const handlingView = (h: Pick<HandlingVersion, 'id' | 'title' | 'contentType' | 'size' | 'secret'>): HandlingLinkView => {
    const kind = kindOfContentType(h.contentType);
    return { href: `/admin/handlingar/${h.id}`, title: h.title, type: `${kind ? HANDLING_KINDS[kind].sv : h.contentType}, ${svSize(h.size)}`, secret: h.secret };
  };
  const reportName = (o: { kind: string; periodStart: Date; periodEnd: Date }) => `${capital(REPORT_TEXT[o.kind as ReportKind].name)} ${svPeriod(isoDay(o.periodStart), isoDay(o.periodEnd))}`;
  const protokollHref = (id: string) => `/admin/protokoll/${id}.pdf`;
  const meetingHref = (id: string) => `/admin/mina-moten/${id}`;

  function stageOf(m: MeetingRow): { text: string; tag: MeetingCardView['stageTag'] } {
    if (m.status === 'cancelled') return { text: 'Inställt', tag: 'gone' };
    if (m.justeradAt) return { text: 'Protokollet är justerat', tag: 'done' };
    if (m.heldAt) return { text: 'Sammanträdet är hållet; protokollet justeras', tag: '' };
    if (m.kallelseSentAt) return { text: 'Kallelsen är skickad', tag: '' };
    if (m.endsAt <= deps.now()) return { text: 'Har varit', tag: '' };
    return { text: 'Planerat; kallelsen kommer', tag: 'warn' };
  }
  const kallelseOut = (m: MeetingRow) => !!m.kallelseSentAt && m.status !== 'cancelled';

  // --- the start page (the staff keep theirs) ------------------------------------------------

  r.get('/', async (req: Request, res: Response, next: NextFunction) => {
    if (isStaff(res)) return next();
    const o = await own(res);
    if (!hasOwnPages(o)) return next();
    const year = thisYear();
    const p = me(res);
    let board;
    if (o.board) {
      const coming = (await myAttendanceOf(prisma, p.forbund.id, p.personId, year, deps.now())).filter((a) => a.open);
      const next = coming[0];
      board = {
        seatText: `Du är ${SEAT_SV[o.board.role] ?? 'ledamot'} i styrelsen${o.board.memberName ? ` för ${o.board.memberName}` : ''}.`,
        ...(next ? { next: { title: next.meeting.title, when: when(next.meeting), status: attendanceStatus(next).status, href: meetingHref(next.meeting.id) } } : {}),
        links: [
          { href: '/admin/mina-moten', text: 'Mina möten: kallelser, handlingar och protokoll' },
          { href: '/admin/mina-forhinder', text: 'Mina förhinder' },
          { href: '/admin/medlemmarnas-beslut', text: 'Medlemmarnas beslut' },
        ],
      };
    }
    let auditor;
    if (o.auditor) {
      const justerade = await prisma.meeting.count({ where: { forbundId: p.forbund.id, kind: 'styrelse', year, justeradAt: { not: null } } });
      auditor = { lines: [justerade === 0 ? `Inget protokoll från ${year} är justerat än.` : `${justerade} ${justerade === 1 ? 'justerat protokoll' : 'justerade protokoll'} från ${year}.`], links: [{ href: '/admin/revision', text: 'Protokoll, budgetuppföljning och årsredovisning' }] };
    }
    let coordinator;
    if (o.coordinator) {
      const projects = await myProjectsOf(prisma, p.forbund.id, p.personId);
      const open = projects.flatMap((x) => x.obligations.filter((ob) => ob.status === 'open' && x.status === 'active').map((ob) => ({ ob, project: x })));
      const late = open.filter((x) => daysLate(x.ob, x.project.status, today()) > 0).length;
      const next = open.find((x) => daysLate(x.ob, x.project.status, today()) === 0);
      coordinator = {
        late,
        lines: [
          projects.length ? `Du är samordnare för ${projects.map((x) => x.name).join(', ')}.` : 'Du är inte samordnare för någon insats just nu.',
          ...(next ? [`Nästa rapport: ${reportName(next.ob)} för ${next.project.name}, sista dag ${svDate(isoDay(next.ob.dueDate))}.`] : []),
        ],
        links: [{ href: '/admin/mina-rapporter', text: 'Mina rapporter' }],
      };
    }
    html(res, 200, startPage({ chrome: await chrome(res, 'start'), name: p.name, ...(board ? { board } : {}), ...(auditor ? { auditor } : {}), ...(coordinator ? { coordinator } : {}) }));
  });

  // --- a ledamot's or ersättare's meetings ---------------------------------------------------

  page(r, { method: 'get', path: '/mina-moten', summary: "a ledamot's or ersättare's meetings: the styrelse's meetings of the year (ar, default this year), each with its stage and, once the kallelse is sent, the kallelse, the meeting pack and the protokoll once justerat (Swedish HTML page; signed in, with a seat in the styrelse)", query: { ar: { schema: { type: 'string' }, description: 'the year, four digits' } }, response: { contentType: 'text/html' } }, async (req, res) => {
    await need(res, 'board');
    const year = yearOf(req);
    const meetings = await boardMeetingsOf(prisma, fid(res), year);
    const cards: MeetingCardView[] = meetings.map((m) => {
      const s = stageOf(m);
      return {
        id: m.id,
        title: m.title,
        when: when(m),
        place: m.location,
        stage: s.text,
        stageTag: s.tag,
        href: meetingHref(m.id),
        cancelled: m.status === 'cancelled',
        links: [
          ...(kallelseOut(m) ? [{ href: `${meetingHref(m.id)}/kallelse.pdf`, text: 'Kallelsen (PDF)' }, { href: `${meetingHref(m.id)}/motespaket.pdf`, text: 'Mötespaketet (PDF)' }] : []),
          ...(m.justeradAt ? [{ href: protokollHref(m.id), text: 'Protokollet (PDF)' }] : []),
        ],
      };
    });
    html(res, 200, meetingsPage({ chrome: await chrome(res, 'moten'), year, meetings: cards }));
  });

  async function memberMeeting(req: Request, res: Response): Promise<MeetingRow> {
    await need(res, 'board');
    const m = await boardMeetingOf(prisma, fid(res), String(req.params.id));
    if (!m) throw new PageError(404, 'Mötet finns inte', ['Det finns inget styrelsemöte på den här adressen i förbundet.']);
    return m;
  }
  const notSent = () => new PageError(404, 'Kallelsen är inte skickad', ['Kallelsen till mötet har inte skickats än. Föredragningslistan och handlingarna finns här när den har gått ut.']);

  page(r, { method: 'get', path: '/mina-moten/:id', summary: "one board meeting for its ledamöter and ersättare: when and where, its stage, and once the kallelse is sent the föredragningslista with each item's förslag till beslut and handlingar (secret ones too, marked), the kallelse and the meeting pack; the protokoll once justerat (Swedish HTML page; signed in, with a seat in the styrelse)", params: { id: 'board meeting id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const m = await memberMeeting(req, res);
    const items = await memberAgendaOf(prisma, m);
    const s = stageOf(m);
    const links = [
      ...(kallelseOut(m) ? [{ href: `${meetingHref(m.id)}/kallelse.pdf`, text: 'Kallelsen med föredragningslistan (PDF)' }, { href: `${meetingHref(m.id)}/motespaket.pdf`, text: 'Mötespaketet: kallelsen och handlingarna i en PDF' }] : []),
      ...(m.justeradAt ? [{ href: protokollHref(m.id), text: 'Det justerade protokollet (PDF)' }] : []),
    ];
    const note =
      m.status === 'cancelled' ? 'Sammanträdet är inställt.'
      : !m.kallelseSentAt ? 'Kallelsen har inte skickats än. Föredragningslistan och handlingarna visas här när den har gått ut.'
      : undefined;
    html(
      res,
      200,
      meetingPage({
        chrome: await chrome(res, 'moten'),
        title: m.title,
        when: when(m),
        facts: [['När', svWhen(meetingTime(m))], ...(m.location ? ([['Plats', m.location]] as [string, string][]) : []), ['Läge', s.text], ...(m.kallelseSentAt ? ([['Kallelsen skickad', day(m.kallelseSentAt)]] as [string, string][]) : []), ...(m.justeradAt ? ([['Protokollet justerat', day(m.justeradAt)]] as [string, string][]) : [])],
        ...(note ? { note } : {}),
        links,
        items: items.map((i) => ({
          number: i.number,
          title: i.title,
          ...(i.matter ? { dnr: i.matter.dnr } : {}),
          ...(i.proposal ? { proposal: i.proposal } : {}),
          links: ((i.matter?.documents as { title: string; url: string }[] | null) ?? []).filter((d) => /^https?:\/\//.test(d.url)),
          handlingar: i.handlingar.map(handlingView),
        })),
        secretNote: items.some((i) => i.handlingar.some((h) => h.secret)),
      }),
    );
  });

  page(r, { method: 'get', path: '/mina-moten/:id/kallelse.pdf', summary: 'the kallelse with the föredragningslista as sent, for the ledamöter and ersättare (PDF; once the kallelse is sent)', params: { id: 'board meeting id' }, response: { contentType: 'application/pdf' } }, async (req, res) => {
    const m = await memberMeeting(req, res);
    if (!kallelseOut(m)) throw notSent();
    const { pdf, filename } = await memberKallelsePdf(prisma, m, deps.publicBaseUrl);
    res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="${filename}"`).send(Buffer.from(pdf));
  });

  page(r, { method: 'get', path: '/mina-moten/:id/motespaket.pdf', summary: "a board meeting's pack for its ledamöter and ersättare: the kallelse, then each item's PDF handlingar in agenda order, secret ones included (they are the board's to read; the read is audited as handling.read); once the kallelse is sent (PDF)", params: { id: 'board meeting id' }, response: { contentType: 'application/pdf' } }, async (req, res) => {
    const m = await memberMeeting(req, res);
    if (!kallelseOut(m)) throw notSent();
    const pack = await meetingPack(prisma, m, { baseUrl: deps.publicBaseUrl, includeSecret: true, documents: deps.documents }).catch((err: unknown) => {
      throw documentErrorAsPage(res, err);
    });
    const secret = (await memberAgendaOf(prisma, m)).flatMap((i) => i.handlingar.filter((h) => h.secret && pack.included.some((x) => x.id === h.id)));
    if (secret.length) await audit(prisma, { forbundId: m.forbundId, actor: personActor(me(res)), action: 'handling.read', entityType: 'meeting', entityId: m.id, data: { pack: true, secret: secret.map((h) => h.id) } });
    res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="${pack.filename}"`).setHeader('Cache-Control', 'private, no-store').send(Buffer.from(pack.pdf));
  });

  page(r, { method: 'get', path: '/protokoll/:id.pdf', summary: 'a justerat protokoll of the styrelse as filed (PDF), for its ledamöter and ersättare and the revisorer; 404 before it is justerat', params: { id: 'board meeting id' }, response: { contentType: 'application/pdf' } }, async (req, res) => {
    await need(res, 'board-or-auditor');
    const m = await boardMeetingOf(prisma, fid(res), String(req.params.id));
    if (!m?.justeradAt) throw new PageError(404, 'Protokollet finns inte', ['Det finns inget justerat protokoll på den här adressen i förbundet.']);
    const pdf = await protocolPdf(prisma, m.id, { final: true });
    res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="protokoll-${toStockholmDate(m.startsAt)}.pdf"`).send(Buffer.from(pdf));
  });

  // --- förhinder -----------------------------------------------------------------------------

  function attendanceStatus(a: MyAttendance): { status: string; tag: AttendanceView['statusTag']; text: string } {
    const c = a.called;
    if (!c) {
      return a.meeting.kallelseSentAt || a.meeting.status !== 'planned'
        ? { status: 'Inte kallad', tag: '', text: 'Du är inte kallad till sammanträdet. Som ersättare kallas du in om en ledamot för samma medlem får förhinder.' }
        : { status: 'Inbjudan kommer', tag: '', text: 'Ledamöterna bjuds in till sammanträdet längre fram. Som ersättare kallas du in om en ledamot för samma medlem får förhinder.' };
    }
    const as = c.seat === 'ersattare' ? `ersättare${c.forName ? ` för ${c.forName}` : ''}` : 'ledamot';
    if (c.status === 'declined') {
      return {
        status: `Förhinder anmält${c.respondedAt ? ` ${day(c.respondedAt)}` : ''}`,
        tag: 'warn',
        text: a.standInName ? `${a.standInName} är inkallad i ditt ställe.` : 'Ingen ersättare kunde kallas in i ditt ställe.',
      };
    }
    if (c.status === 'released') return { status: 'Inte längre inkallad', tag: '', text: 'Ledamoten du var inkallad för kan komma, så du behövs inte.' };
    return {
      status: `Kallad som ${as}`,
      tag: 'done',
      text: a.anyoneToCall ? 'Kan du inte komma, anmäl förhinder så kallas en ersättare för samma medlem in.' : 'Det finns ingen fler ersättare för samma medlem som kan kallas in, så platsen står tom om du inte kommer.',
    };
  }

  function attendanceView(a: MyAttendance): AttendanceView {
    const s = attendanceStatus(a);
    const action: AttendanceView['action'] =
      a.open && a.called?.status === 'invited' ? { kind: 'forhinder', href: `/admin/mina-forhinder/${a.meeting.id}` } : a.open && a.called?.status === 'declined' ? { kind: 'kommer', href: `/admin/mina-forhinder/${a.meeting.id}` } : undefined;
    return { meetingId: a.meeting.id, title: a.meeting.title, when: when(a.meeting), status: s.status, statusTag: s.tag, text: s.text, ...(action ? { action } : {}) };
  }

  page(r, { method: 'get', path: '/mina-forhinder', summary: "a ledamot's or ersättare's place at each coming board meeting of the year (called, förhinder reported, who is called in instead), with a button to report a förhinder or to come after all, and the förhinder reported this year (Swedish HTML page; signed in, with a seat in the styrelse)", response: { contentType: 'text/html' } }, async (req, res) => {
    const o = await need(res, 'board');
    const rows = await myAttendanceOf(prisma, fid(res), me(res).personId, thisYear(), deps.now());
    const f = flashOf(req);
    html(
      res,
      200,
      forhinderPage({
        chrome: await chrome(res, 'forhinder'),
        ...(f ? { flash: f } : {}),
        seatText: `Du är ${SEAT_SV[o.board!.role] ?? 'ledamot'} i styrelsen${o.board!.memberName ? ` för ${o.board!.memberName}` : ''}.`,
        coming: rows.filter((a) => a.open).map(attendanceView),
        reported: rows.filter((a) => a.called?.status === 'declined').map(attendanceView),
      }),
    );
  });

  /** The person's place at a coming meeting, or the page that says why not. */
  async function myPlace(req: Request, res: Response) {
    const m = await memberMeeting(req, res);
    const a = (await myAttendanceOf(prisma, fid(res), me(res).personId, m.year, deps.now())).find((x) => x.meeting.id === m.id);
    if (!a?.open) throw new PageError(410, 'Det går inte längre', ['Sammanträdet har redan börjat, är hållet eller inställt, så förhinder kan inte längre anmälas här. Kontakta sekreteraren. Inget har ändrats.']);
    if (!a.called || a.called.status === 'released') throw new PageError(409, 'Du är inte kallad till mötet', ['Du är inte kallad till sammanträdet, så det finns inget förhinder att anmäla. Inget har ändrats.']);
    return { m, a };
  }

  page(r, { method: 'get', path: '/mina-forhinder/:id', summary: 'the question before a förhinder is reported: the meeting and what a förhinder does (who is called in instead), with the button (Swedish HTML page; signed in, called to the meeting)', params: { id: 'board meeting id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const { m, a } = await myPlace(req, res);
    if (a.called!.status === 'declined') return res.redirect(303, `/admin/mina-forhinder#mote-${m.id}`);
    const o = await own(res);
    const member = o.board?.memberName ? ` för ${o.board.memberName}` : '';
    const what = a.anyoneToCall
      ? `Anmäler du förhinder kallas ${a.called!.seat === 'ersattare' ? 'nästa' : 'en'} ersättare${member} in i ditt ställe, i den ordning medlemmen har bestämt. Du får en bekräftelse per e-post, och kan ångra dig fram till sammanträdet.`
      : `Det finns ingen fler ersättare${member} som kan kallas in, så platsen står tom om du inte kommer. Sekreteraren får veta det, och du får en bekräftelse per e-post.`;
    html(res, 200, confirmForhinderPage({ chrome: await chrome(res, 'forhinder'), title: m.title, when: when(m), place: m.location, what, action: `/admin/mina-forhinder/${m.id}` }));
  });

  page(r, { method: 'post', path: '/mina-forhinder/:id', summary: "answer for oneself (form field svar): \"forhinder\" reports a förhinder through the meeting's workflow, as POST meetings/:id/decline and the invite's förhinder link do (the next ersättare of the same member is called in); \"kommer\" withdraws it (the ersättare called in is released); 409/410 when the meeting has begun, is cancelled or the person is not called (HTML form POST from this site; answers with a redirect to Mina förhinder)", params: { id: 'board meeting id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const { m, a } = await myPlace(req, res);
    const answer = formOf(req).svar ?? 'forhinder';
    const p = me(res);
    const back = `/admin/mina-forhinder#mote-${m.id}`;
    if (answer === 'kommer') {
      if (a.called!.status !== 'declined') return res.redirect(303, back);
      await viaWorkflow(deps.notifier.update({ meetingId: m.id }, withdrawDecline, [{ actor: personActor(p), personId: p.personId }]));
      return res.redirect(303, withDone(back, 'eget-kommer'));
    }
    if (answer !== 'forhinder') throw new PageError(400, 'Svaret gick inte att läsa', ['Välj igen på sidan Mina förhinder. Inget har ändrats.']);
    // Sent twice (a double click, the back button): what was recorded, nothing more.
    if (a.called!.status === 'declined') return res.redirect(303, back);
    const key = (await prisma.person.findUniqueOrThrow({ where: { id: p.personId }, select: { key: true } })).key;
    const done = await declineFor(deps, m, key, personActor(p));
    res.redirect(303, withDone(back, done.calledIn ? 'eget-forhinder' : 'eget-forhinder-ingen'));
  });

  // --- the decisions sent to the members -----------------------------------------------------

  page(r, { method: 'get', path: '/medlemmarnas-beslut', summary: "the decisions of the styrelse's justerade protokoll of the year (ar), as sent to the member organisations, each meeting with its protokoll (Swedish HTML page; signed in, with a seat in the styrelse)", query: { ar: { schema: { type: 'string' }, description: 'the year, four digits' } }, response: { contentType: 'text/html' } }, async (req, res) => {
    await need(res, 'board');
    const year = yearOf(req);
    const rows = await justeradeOf(prisma, fid(res), year);
    html(
      res,
      200,
      decisionsPage({
        chrome: await chrome(res, 'beslut'),
        year,
        meetings: rows.map(({ meeting: m, decisions }) => ({
          title: m.title,
          when: when(m),
          justerad: day(m.justeradAt!),
          sent: m.decisionsSentAt ? day(m.decisionsSentAt) : null,
          protokollHref: protokollHref(m.id),
          decisions: decisions.map((i) => ({ paragraph: i.paragraph, title: i.title, ...(i.matter ? { dnr: i.matter.dnr } : {}), decision: i.decision! })),
        })),
      }),
    );
  });

  // --- the revisor ---------------------------------------------------------------------------

  page(r, { method: 'get', path: '/revision', summary: "the revisor's page, read-only: the styrelse's justerade protokoll of the year (ar), the budget follow-up as it stands (with its PDF and spreadsheet), and the årsredovisningar and delårsrapporter the board adopted (the årsredovisning of the year and the year before, the year's delårsrapport): where each stands, its handlingar that are not secret, the revisionsberättelse and each member's decision on ansvarsfrihet (Swedish HTML page; signed in as a revisor)", query: { ar: { schema: { type: 'string' }, description: 'the year, four digits' } }, response: { contentType: 'text/html' } }, async (req, res) => {
    await need(res, 'auditor');
    const year = yearOf(req);
    const [justerade, facts, annual] = await Promise.all([justeradeOf(prisma, fid(res), year), followUpFacts(prisma, fid(res), year), auditorReportsOf(prisma, fid(res), year, toStockholmDate(deps.now()))]);
    const f = facts;
    html(
      res,
      200,
      revisionPage({
        chrome: await chrome(res, 'revision'),
        year,
        protokoll: justerade.map(({ meeting: m }) => ({ text: `Protokoll, ${m.title.toLocaleLowerCase('sv')} ${when(m)}`, href: protokollHref(m.id), justerad: day(m.justeradAt!) })),
        ...(f
          ? {
              followUp: {
                facts: [
                  ['Utfall till och med', f.throughMonth ? `${MONTHS[f.throughMonth - 1]} ${year}` : 'Inget utfall är inläst än'],
                  ['Budgeterat resultat', kr(f.forecast.result.budget)],
                  ['Resultat hittills', kr(f.forecast.result.toDate)],
                  ['Prognos för helåret', kr(f.forecast.result.yearEnd)],
                ],
                pdf: `/admin/revision/${year}/budgetuppfoljning.pdf`,
                csv: `/admin/revision/${year}/budgetuppfoljning.csv`,
              },
            }
          : {}),
        annual: annual.map(({ report: x, handlingar, auditDocument }) => ({
          anchor: `${x.kind}-${x.year}`,
          heading: x.title,
          dnr: x.matter!.dnr,
          facts: [
            ['Läge', CHAIN_STAGE_SV[x.stage]],
            ['Antagen av styrelsen', `${day(new Date(x.adopted!.at))}, ${x.adopted!.by}`],
            ['Skickad till revisorerna', x.sentToAuditorsAt ? day(new Date(x.sentToAuditorsAt)) : 'Inte än'],
            ...(x.kind === 'arsredovisning' ? ([['Revisionsberättelse', x.auditReport ? `${svDate(x.auditReport.on)}, registrerad ${day(new Date(x.auditReport.registeredAt))}` : 'Inte registrerad än']] as [string, string][]) : []),
            ['Skickad till medlemmarna', x.sentToMembersAt ? day(new Date(x.sentToMembersAt)) : 'Inte än'],
            ...(x.kind === 'arsredovisning' && x.replyBy ? ([['Medlemmarnas beslut senast', svDate(x.replyBy)]] as [string, string][]) : []),
          ] as [string, string][],
          ...(auditDocument ? { auditReport: handlingView(auditDocument) } : {}),
          handlingar: handlingar.map(handlingView),
          ...(x.kind === 'arsredovisning' && x.sentToMembersAt
            ? { members: x.discharges.map((d) => ({ name: d.member.name, state: DISCHARGE_STATE_SV[d.state], tag: d.state === 'late' ? 'late' : d.state === 'beviljad' ? 'done' : d.state === 'inte_beviljad' ? 'warn' : '', decided: d.decidedOn ? svDate(d.decidedOn) : '', reference: d.reference ?? '' })) }
            : {}),
        })),
      }),
    );
  });

  async function followUpOf(req: Request, res: Response) {
    await need(res, 'auditor');
    const v = String(req.params.year);
    const year = /^\d{4}$/.test(v) ? Number(v) : NaN;
    const f = year >= 2000 && year <= 2100 ? await followUpFacts(prisma, fid(res), year) : null;
    if (!f) throw new PageError(404, 'Ingen uppföljning', ['Det finns ingen budget med finansieringspolicy för det året, så ingen budgetuppföljning kan visas.']);
    return f;
  }
  page(r, { method: 'get', path: '/revision/:year/budgetuppfoljning.pdf', summary: "the budget follow-up for the revisor, the same document as the board's (PDF; signed in as a revisor)", params: { year: 'calendar year, four digits' }, response: { contentType: 'application/pdf' } }, async (req, res) => {
    const f = await followUpOf(req, res);
    res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="budgetuppfoljning-${f.year}.pdf"`).send(await followUpPdf(f));
  });
  page(r, { method: 'get', path: '/revision/:year/budgetuppfoljning.csv', summary: 'the budget follow-up for the revisor as a spreadsheet (CSV, `;`, UTF-8 with BOM; signed in as a revisor)', params: { year: 'calendar year, four digits' }, response: { contentType: 'text/csv' } }, async (req, res) => {
    const f = await followUpOf(req, res);
    res.type('text/csv; charset=utf-8').setHeader('Content-Disposition', `attachment; filename="budgetuppfoljning-${f.year}.csv"`).send(followUpCsv(f));
  });

  // --- the samordnare's reports --------------------------------------------------------------

  page(r, { method: 'get', path: '/mina-rapporter', summary: "a samordnare's reports: every report of the projects they coordinate in one list (period, due date, state, days overdue), each linking to its form (the same form as the mailed secret link), and each project's calendar feed of its due dates (Swedish HTML page; signed in as a coordinator)", response: { contentType: 'text/html' } }, async (req, res) => {
    await need(res, 'coordinator');
    const projects = await myProjectsOf(prisma, fid(res), me(res).personId);
    const day0 = today();
    const all = projects.flatMap((p) => p.obligations.map((o) => ({ p, o })));
    // The links as mailed: each with its purpose's current generation (a renewed link's old token no longer opens it).
    const generations = await generationsOf(prisma, [...all.map(({ o }) => submissionPurpose(o.id)), ...projects.map((p) => projectFeedPurpose(p.id))]);
    const reports: ReportView[] = all
      .sort((a, b) => a.o.dueDate.getTime() - b.o.dueDate.getTime() || a.p.name.localeCompare(b.p.name, 'sv'))
      .map(({ p, o }) => {
        const late = daysLate(o, p.status, day0);
        const [state, tag]: [string, ReportView['tag']] =
          o.status === 'submitted' ? [o.lockedAt ? 'Inlämnad, låst' : `Inlämnad${o.submissions[0] && o.submissions[0].version > 1 ? ` (version ${o.submissions[0].version})` : ''}`, 'done']
          : o.status === 'withdrawn' || p.status === 'withdrawn' ? ['Återkallad', 'gone']
          : o.status === 'handled' ? ['Hanterad utanför Årscykel', 'gone']
          : late ? [`Försenad ${late} ${late === 1 ? 'dag' : 'dagar'}`, 'late']
          : ['Att lämna', ''];
        // The form of an open report (of an active project) and of a submitted one (to read or correct it).
        const linked = (o.status === 'open' && p.status === 'active') || o.status === 'submitted';
        // A path on this site: the same form the mailed link opens, with the link's current token.
        const u = new URL(submissionLink(deps.publicBaseUrl, deps.linkSecret, o.id, generations.get(submissionPurpose(o.id)) ?? 0));
        return { ...(linked ? { href: `${u.pathname}${u.search}` } : {}), what: reportName(o), project: p.name, due: isoDay(o.dueDate), state, tag };
      });
    const late = reports.filter((x) => x.tag === 'late').length;
    const lead = projects.length
      ? `Rapporterna för ${projects.length === 1 ? 'insatsen' : 'insatserna'} ${projects.map((p) => p.name).join(', ')}, den närmaste sista dagen först.${late ? ` ${late === 1 ? 'En rapport är försenad' : `${late} rapporter är försenade`}.` : ''} Öppna en rapport för att fylla i den, spara ett utkast eller rätta den.`
      : 'Du är inte samordnare för någon insats just nu.';
    const f = flashOf(req);
    html(
      res,
      200,
      reportsPage({
        chrome: await chrome(res, 'rapporter'),
        ...(f ? { flash: f } : {}),
        lead,
        reports,
        feeds: projects.filter((p) => p.status === 'active').map((p) => ({ project: p.name, href: projectFeedLink(deps.publicBaseUrl, deps.linkSecret, p.id, generations.get(projectFeedPurpose(p.id)) ?? 0), renew: `/admin/mina-rapporter/kalender/${p.id}` })),
      }),
    );
  });

  page(r, { method: 'post', path: '/mina-rapporter/kalender/:projectId', summary: "the coordinator renews the calendar feed link of one of their own projects (the old address stops working; audited as link.renewed); 404 for a project that is not theirs (HTML form POST from this site; answers with a redirect to Mina rapporter)", params: { projectId: 'project id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    await need(res, 'coordinator');
    const projects = await myProjectsOf(prisma, fid(res), me(res).personId);
    const p = projects.find((x) => x.id === String(req.params.projectId) && x.status === 'active');
    if (!p) throw new PageError(404, 'Finns inte', ['Du är inte samordnare för någon pågående insats med den adressen. Inget har ändrats.']);
    await renewProjectFeed(prisma, { forbundId: fid(res), projectId: p.id, by: personActor(me(res)), now: deps.now() });
    res.redirect(303, withDone('/admin/mina-rapporter#kalender', 'eget-kalender'));
  });

  // --- the stable address of a handling, for the board and the revisor ---------------------

  r.get('/handlingar/:id', async (req: Request, res: Response, next: NextFunction) => {
    if (isStaff(res)) return next();
    const o = await own(res);
    if (!o.board && !o.auditor) return next();
    const row = await handlingWithContent(prisma, fid(res), String(req.params.id));
    if (o.board) {
      // Every handling of the förbund, secret ones too: the board reads them (the read of a secret one is audited).
      if (!row) throw new PageError(404, 'Handlingen finns inte', ['Det finns ingen handling på den här adressen i förbundet. Den kan höra till ett annat förbund än det du är inloggad i.']);
      if (row.secret) await audit(prisma, { forbundId: fid(res), actor: personActor(me(res)), action: 'handling.read', entityType: 'document', entityId: row.id, data: { dnr: row.matter.dnr, key: row.key, version: row.version } });
      return sendHandling(res, row, deps.documents).catch((err: unknown) => {
        throw documentErrorAsPage(res, err);
      });
    }
    if (row && (await auditorMayRead(prisma, fid(res), row)))
      return sendHandling(res, row, deps.documents).catch((err: unknown) => {
        throw documentErrorAsPage(res, err);
      });
    next();
  });

  // --- nothing else: the staff's pages are refused to those with own pages ------------------

  r.use(async (req: Request, res: Response, next: NextFunction) => {
    if (isStaff(res) || !hasOwnPages(await own(res))) return next();
    // A form (an upload) is not read: the connection closes after the answer.
    if (req.method !== 'GET' && req.method !== 'HEAD') res.set('Connection', 'close');
    html(
      res,
      403,
      ownMessagePage({
        chrome: await chrome(res, 'other'),
        title: 'Sidan är inte för dig',
        paragraphs: ['Sidan du försökte öppna är för förbundets tjänsteperson och styrelsens sekreterare, eller finns inte. Inget har ändrats.'],
        links: [{ href: '/admin', text: 'Till Mina sidor' }],
      }),
    );
  });

  // Errors of these pages, in the person's own chrome (the staff's handler in index.ts has theirs).
  r.use(async (err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent || !res.locals.person || isStaff(res)) return next(err);
    const c = await chrome(res, 'other').catch(() => undefined);
    if (!c) return next(err);
    const links = [{ href: '/admin', text: 'Till Mina sidor' }];
    if (err instanceof PageError) return html(res, err.status, ownMessagePage({ chrome: c, title: err.title, paragraphs: err.paragraphs, links }));
    if (err instanceof Refusal) return html(res, err.status, ownMessagePage({ chrome: c, title: err.status === 404 ? 'Finns inte' : 'Det gick inte', paragraphs: [err.sv, 'Inget har ändrats.'], links }));
    if (err instanceof HttpError) {
      const text =
        err.status === 503 ? 'Arbetsflödet kunde inte nås just nu, så inget har ändrats. Försök igen om en stund.'
        : err.status === 409 ? 'Det går inte längre: sammanträdet har redan passerat det steget. Inget har ändrats.'
        : err.status === 404 ? 'Det du sökte finns inte.'
        : 'Uppgifterna kunde inte tas emot. Inget har ändrats.';
      return html(res, err.status, ownMessagePage({ chrome: c, title: err.status === 503 ? 'Försök igen om en stund' : 'Det gick inte', paragraphs: [text], links }));
    }
    next(err);
  });
}
