// The audit log (the official's only, as GET audit in the API): the append-only AuditEvent rows,
// newest first, 50 to a page, filtered by kind of action and by date range (Stockholm days).
//
// Paging is by a cursor (the time and id of the row a page ends at), not by skipping rows: each
// page is one range read of the (forbundId, at) index, however long the log, and a page does not
// shift when new events arrive. The rows' subjects are looked up in one query per kind of thing.
import type { Request, Response, Router } from 'express';
import { isIsoDate, stockholmDateTime, toStockholmDate, toStockholmTime } from '../../domain/dates.js';
import type { ReportKind } from '../../domain/rapportering.js';
import { REPORT_TEXT, svDate, svTime } from '../../domain/texts.js';
import type { Prisma } from '../../prisma/db.js';
import { meetingDate } from '../../services/arscykel.js';
import type { Role } from '../../services/tokens.js';
import { logPage, type LogRow, type LogView } from '../pages/logg.js';
import { capital, html, PageError, PERSON_ROLE_SV, ROLE_SV, type AdminKit } from './kit.js';

export const LOG_PAGE_SIZE = 50;

type Data = Record<string, unknown>;
const MONTHS = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];
const months = (xs: unknown) => {
  const ms = Array.isArray(xs) ? xs.filter((x): x is number => typeof x === 'number' && x >= 1 && x <= 12) : [];
  if (!ms.length) return '';
  return ms.length === 1 ? MONTHS[ms[0] - 1] : `${MONTHS[ms[0] - 1]}–${MONTHS[ms[ms.length - 1] - 1]}`;
};
const kr = (n: unknown) => (typeof n === 'number' ? `${n < 0 ? '−' : ''}${String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')} kr` : '');
const sourceSv = (s: unknown) => {
  const v = typeof s === 'string' ? s : '';
  if (v.startsWith('sie:')) return ` från SIE-filen ${v.slice(4)}`;
  if (v.startsWith('csv:')) return ` från CSV ${v.slice(4)}`;
  if (v === 'api') return ' genom API:t';
  return '';
};

/** The actions recorded, by kind, each with its Swedish phrase (data: the event's data). */
const ACTIONS: { group: string; id: string; all: string; actions: Record<string, { label: string; what: (d: Data) => string }> }[] = [
  {
    group: 'Pengar',
    id: 'pengar',
    all: 'Allt om pengar',
    actions: {
      'budget.line-changed': { label: 'Ändrad budgetrad', what: (d) => `Ändrade budgetraden${typeof d.from === 'number' ? ` från ${kr(d.from)} till ${kr(d.to)}` : ''}` },
      'actuals.entered': { label: 'Inlagt utfall', what: (d) => `Lade in utfall${sourceSv(d.source)}${typeof d.rows === 'number' ? ` (${d.rows} ${d.rows === 1 ? 'rad' : 'rader'}${months(d.months) ? `, ${months(d.months)}` : ''})` : ''}` },
      'budget-consultation.started': { label: 'Startat medlemssamråd', what: (d) => `Startade samrådet med medlemmarna om förslaget till budget${typeof d.year === 'number' ? ` ${d.year}` : ''}${Array.isArray(d.members) ? ` (${d.members.length} ${d.members.length === 1 ? 'medlem' : 'medlemmar'})` : ''}${typeof d.replyBy === 'string' && isIsoDate(d.replyBy) ? `, svar senast ${svDate(d.replyBy)}` : ''}` },
      'budget-consultation.reply-recorded': { label: 'Svar i medlemssamråd', what: (d) => `Registrerade svaret från ${typeof d.member === 'string' && d.member ? d.member : 'en medlem'} i samrådet om budget${typeof d.year === 'number' ? ` ${d.year}` : ''}${typeof d.repliedOn === 'string' && isIsoDate(d.repliedOn) ? ` (svarade ${svDate(d.repliedOn)})` : ''}` },
      'budget-consultation.reply-corrected': { label: 'Rättat svar i medlemssamråd', what: (d) => `Rättade svaret från ${typeof d.member === 'string' && d.member ? d.member : 'en medlem'} i samrådet om budget${typeof d.year === 'number' ? ` ${d.year}` : ''}; det tidigare svaret finns kvar i loggen` },
      'forecast.reviewed': { label: 'Kvartalets prognos', what: (d) => `Gjorde kvartalets prognos${typeof d.quarter === 'number' ? ` för kvartal ${d.quarter}` : ''}${typeof d.yearEnd === 'number' ? `: helår ${kr(d.yearEnd)}` : ''}${d.escalate ? ', till styrelsen' : ''}` },
    },
  },
  {
    group: 'Rapporter och insatser',
    id: 'rapporter',
    all: 'Allt om rapporter och insatser',
    actions: {
      'report.submitted': { label: 'Lämnad rapport', what: (d) => `Lämnade rapporten${d.late ? ' (sent)' : ''}` },
      'report.corrected': { label: 'Rättad rapport', what: (d) => `Rättade rapporten${typeof d.version === 'number' ? ` (version ${d.version})` : ''}` },
      'report.locked': { label: 'Låst rapport', what: () => 'Låste rapporten för rättelser' },
      'report.approved': { label: 'Godkänd för publicering', what: (d) => `Godkände rapporten för publicering${typeof d.version === 'number' ? ` (version ${d.version})` : ''} som den lämnades in${typeof d.publishedFrom === 'string' && isIsoDate(d.publishedFrom) ? `; publiceras från ${svDate(d.publishedFrom)}` : ''}` },
      'report.approved_redacted': { label: 'Godkänd med ändrad text', what: (d) => `Godkände rapporten för publicering${typeof d.version === 'number' ? ` (version ${d.version})` : ''} med ändringar i den publicerade texten; den inlämnade texten finns kvar${typeof d.publishedFrom === 'string' && isIsoDate(d.publishedFrom) ? `; publiceras från ${svDate(d.publishedFrom)}` : ''}` },
      'report.returned': { label: 'Skickad tillbaka för rättelse', what: (d) => `Skickade tillbaka rapporten${typeof d.version === 'number' ? ` (version ${d.version})` : ''} till samordnaren för rättelse${typeof d.reason === 'string' && d.reason ? `: ${d.reason}` : ''}` },
      'obligation.redated': { label: 'Ny sista dag för en rapport', what: (d) => `Gav rapporten ny sista dag${typeof d.to === 'string' && isIsoDate(d.to) ? `: ${svDate(d.to)}` : ''}${typeof d.from === 'string' && isIsoDate(d.from) ? ` (var ${svDate(d.from)})` : ''}` },
      'project.created': { label: 'Ny insats', what: () => 'Lade upp insatsen' },
      'project.updated': { label: 'Ändrad insats', what: () => 'Ändrade insatsen' },
      'project.withdrawn': { label: 'Återkallad insats', what: () => 'Återkallade insatsen' },
      'project.condition_met': { label: 'Villkor för start uppfyllt', what: (d) => `Registrerade att villkoret för insatsens start är uppfyllt${typeof d.metOn === 'string' && isIsoDate(d.metOn) ? ` ${svDate(d.metOn)}` : ''}; rapporterna planerades från den dagen` },
      'project.granted': { label: 'Beviljade medel', what: (d) => `Satte insatsens medel${typeof d.year === 'number' ? ` för ${d.year}` : ''}${typeof d.amount === 'number' ? ` till ${kr(d.amount)}` : ''} enligt styrelsens beslut${typeof d.ref === 'string' && d.ref ? ` (${d.ref})` : ''}` },
      'project.grant-refused': { label: 'Avslagen ansökan om medel', what: (d) => `Styrelsen beviljade inte ansökan om medel${typeof d.year === 'number' ? ` för ${d.year}` : ''}${typeof d.ref === 'string' && d.ref ? ` (${d.ref})` : ''}; insatsens medel är oförändrade` },
      'start.settled': {
        label: 'Läget vid start',
        what: (d) =>
          d.action === 'handled' ? 'Markerade som hanterat utanför Årscykel (öppet vid start)'
          : d.action === 'redate' ? `Gav ny sista dag för det som var öppet vid start${typeof d.to === 'string' && isIsoDate(d.to) ? `: ${svDate(d.to)}` : ''}`
          : 'Behöll det som var öppet vid start som fortfarande önskat',
      },
      'escalation.raised': { label: 'Eskalering', what: (d) => (typeof d.daysLate === 'number' ? `Eskalerade en försenad rapport (${d.daysLate} dagar sen)` : 'Eskalerade ett försenat steg') },
    },
  },
  {
    group: 'Möten och året',
    id: 'moten',
    all: 'Allt om möten och året',
    actions: {
      'meeting.moved': { label: 'Flyttat möte', what: () => 'Flyttade mötet' },
      'forbund.go-live-changed': { label: 'Ändrat startdatum', what: () => 'Ändrade datumet då förbundet började använda Årscykel' },
      'meeting.cancelled': { label: 'Inställt möte', what: () => 'Ställde in mötet' },
      'meeting.declined': { label: 'Förhinder anmält', what: (d) => `Anmälde förhinder${d.calledIn ? '; en ersättare kallades in' : ''}` },
      'meeting.decline-withdrawn': { label: 'Förhinder återtaget', what: (d) => `Tog tillbaka sitt förhinder${d.released ? '; den inkallade ersättaren behövs inte' : ''}` },
      'meeting.kallelse-sent': { label: 'Skickad kallelse', what: (d) => `Skickade kallelsen${typeof d.recipients === 'number' ? ` till ${d.recipients} mottagare` : ''}` },
      'meeting.held': { label: 'Hållet möte', what: () => 'Registrerade att mötet hölls' },
      'agenda.closed': { label: 'Stängd föredragningslista', what: (d) => `Stängde föredragningslistan${Array.isArray(d.moved) && d.moved.length ? ` (${d.moved.length} ${d.moved.length === 1 ? 'ärende flyttat' : 'ärenden flyttade'} till nästa möte)` : ''}` },
      'agenda.edited': { label: 'Ändrad föredragningslista', what: () => 'Ändrade föredragningslistan' },
      'decision.recorded': { label: 'Infört beslut', what: (d) => `Förde in beslutet${typeof d.paragraph === 'number' ? ` i § ${d.paragraph}` : ''}` },
      'minutes.sent': { label: 'Protokoll till justering', what: () => 'Skickade protokollet till justering' },
      'minutes.signed': { label: 'Justering via länk', what: (d) => `Justerade protokollet${d.role === 'ordforande' ? ' som ordförande' : d.role === 'justerare' ? ' som justerare' : ''} via sin personliga länk` },
      'minutes.justerade': { label: 'Justerat protokoll', what: (d) => (Array.isArray(d.signers) ? 'Protokollet blev justerat när den sista undertecknaren justerade' : 'Registrerade att protokollet är justerat') },
      'narvaro.recorded': { label: 'Närvaro', what: () => 'Förde in närvaron vid sammanträdet' },
      'paragraph.recorded': { label: 'Paragrafens anteckningar', what: (d) => `Förde in jäv, reservationer, anteckningar eller omröstning${typeof d.paragraph === 'number' ? ` i § ${d.paragraph}` : ''}` },
      'decisions.sent': { label: 'Beslut till medlemmarna', what: (d) => `Skickade besluten till medlemmarna${typeof d.members === 'number' ? ` (${d.members})` : ''}` },
      'calendar.adopted': { label: 'Fastställd sammanträdesplan', what: () => 'Fastställde sammanträdesplanen' },
      'milestone.done': { label: 'Klart moment', what: () => 'Markerade momentet som klart' },
      'report.adopted': { label: 'Antagen redovisning', what: (d) => `Styrelsens beslut att anta ${d.kind === 'delarsrapport' ? 'delårsrapporten' : 'årsredovisningen'}${typeof d.year === 'number' ? ` för ${d.year}` : ''} justerades${typeof d.by === 'string' ? ` (${d.by})` : ''}` },
      'report.sent_to_auditors': { label: 'Skickad till revisorerna', what: (d) => `Skickade den antagna redovisningen till revisorerna${Array.isArray(d.auditors) && d.auditors.length ? ` (${d.auditors.join(', ')})` : ' (inga revisorer finns i förbundsfilen)'}` },
      'report.audit_registered': { label: 'Registrerad revisionsberättelse', what: (d) => `Registrerade revisionsberättelsen${typeof d.auditReportOn === 'string' && isIsoDate(d.auditReportOn) ? ` daterad ${svDate(d.auditReportOn)}` : ''}` },
      'report.sent_to_members': { label: 'Skickad till medlemmarna', what: (d) => `Skickade redovisningen till medlemmarna${typeof d.replyBy === 'string' && isIsoDate(d.replyBy) ? `, med begäran om beslut om ansvarsfrihet senast ${svDate(d.replyBy)}` : ''}` },
      'discharge.reminded': { label: 'Påminnelse om ansvarsfrihet', what: (d) => `Påminde ${typeof d.member === 'string' ? d.member : 'medlemmen'} om beslutet om ansvarsfrihet${d.late ? ' (försenat)' : ''}` },
      'discharge.recorded': { label: 'Beslut om ansvarsfrihet', what: (d) => `Registrerade att ${typeof d.member === 'string' ? d.member : 'medlemmen'} ${d.outcome === 'inte_beviljad' ? 'inte beviljade' : 'beviljade'} styrelsen ansvarsfrihet${typeof d.decidedOn === 'string' && isIsoDate(d.decidedOn) ? ` (beslut ${svDate(d.decidedOn)})` : ''}` },
      'discharge.refusal_matter': { label: 'Ärende om vägrad ansvarsfrihet', what: (d) => `Registrerade ett ärende till styrelsen om att ${typeof d.member === 'string' ? d.member : 'en medlem'} inte beviljade ansvarsfrihet${typeof d.dnr === 'string' ? ` (Dnr ${d.dnr})` : ''}` },
      'budget.adopted': { label: 'Antagen budget', what: (d) => `Styrelsens beslut om budget och verksamhetsplan${typeof d.year === 'number' ? ` för ${d.year}` : ''} justerades${typeof d.by === 'string' ? ` (${d.by})` : ''}` },
      'budget.revised': { label: 'Reviderad budget', what: (d) => `Styrelsens beslut om revidering av budgeten${typeof d.year === 'number' ? ` för ${d.year}` : ''} justerades${typeof d.by === 'string' ? ` (${d.by})` : ''}` },
      'delegation.recorded': { label: 'Registrerat delegationsbeslut', what: (d) => `Registrerade ett delegationsbeslut${typeof d.subject === 'string' && d.subject ? `: ${d.subject}` : ''}${typeof d.decidedOn === 'string' && isIsoDate(d.decidedOn) ? ` (fattat ${svDate(d.decidedOn)})` : ''}` },
      'delegation.corrected': { label: 'Rättat delegationsbeslut', what: (d) => `Rättade delegationsbeslutet${typeof d.subject === 'string' && d.subject ? ` ${d.subject}` : ''} innan det anmäldes till styrelsen` },
      'delegation.removed': { label: 'Borttaget delegationsbeslut', what: (d) => `Tog bort delegationsbeslutet${typeof d.subject === 'string' && d.subject ? ` ${d.subject}` : ''} innan det anmäldes till styrelsen` },
      'delegation.reported': { label: 'Anmälda delegationsbeslut', what: (d) => `Anmälde ${Array.isArray(d.decisions) && d.decisions.length !== 1 ? `${Array.isArray(d.decisions) ? d.decisions.length : ''} delegationsbeslut` : 'ett delegationsbeslut'} till styrelsen med kallelsen` },
    },
  },
  {
    group: 'Ärenden',
    id: 'arenden',
    all: 'Allt om ärenden',
    actions: {
      'matter.registered': { label: 'Registrerat ärende', what: () => 'Registrerade ärendet' },
      'handling.uploaded': { label: 'Uppladdad handling', what: (d) => `Laddade upp en handling${typeof d.version === 'number' && d.version > 1 ? ` (version ${d.version})` : ''}${d.secret ? ', med sekretess' : ''}` },
      'handling.read': { label: 'Läst handling med sekretess', what: (d) => (d.pack ? `Läste mötespaketet med ${Array.isArray(d.secret) && d.secret.length !== 1 ? `${d.secret.length} handlingar` : 'en handling'} med sekretess` : 'Läste en handling med sekretess') },
      'matter.prepared': { label: 'Berett ärende', what: () => 'Markerade ärendet som berett' },
      'matter.moved': { label: 'Flyttat ärende', what: (d) => d.reason === 'meeting chosen' ? 'Satte ärendet på ett styrelsemöte' : `Flyttade ärendet till nästa möte${d.reason === 'meeting cancelled' ? ', eftersom mötet ställdes in' : d.reason === 'not prepared when the agenda closed' ? ', eftersom det inte var berett när listan stängdes' : ''}` },
      'matter.reported-back': { label: 'Återrapporterat beslut', what: () => 'Återrapporterade beslutet' },
      'matter.closed': { label: 'Avslutat ärende', what: () => 'Avslutade ärendet' },
    },
  },
  {
    group: 'Inloggning, nycklar och utskick',
    id: 'atkomst',
    all: 'Allt om inloggning, nycklar och utskick',
    actions: {
      'session.started': { label: 'Inloggning', what: (d) => `Loggade in på sidorna${d.via === 'email-link' ? ' med en länk via e-post' : ''}` },
      'session.ended': { label: 'Utloggning', what: () => 'Loggade ut' },
      'session.revoked': { label: 'Avslutad inloggning', what: (d) => (typeof d.name === 'string' && d.name ? `Avslutade inloggningen för ${d.name}` : 'Avslutade en inloggning') },
      'signin.refused': {
        label: 'Nekad inloggning',
        what: (d) =>
          `Försökte logga in med en länk som ${d.why === 'expired' ? 'hade gått ut' : d.why === 'used' ? 'redan var använd' : d.why === 'other-browser' ? 'begärdes i en annan webbläsare' : 'inte gällde'}${typeof d.address === 'string' && d.address ? ` (från ${d.address})` : ''}`,
      },
      'link.renewed': {
        label: 'Bytt hemlig länk',
        what: (d) =>
          `Bytte ${d.kind === 'submission' ? 'samordnarens länk till rapporten' : d.kind === 'feed' ? 'adressen till ett kalenderflöde' : d.kind === 'project-feed' ? 'adressen till insatsens kalenderflöde' : d.kind === 'decline' ? 'länken för att anmäla förhinder' : d.kind === 'sign' ? 'länken för att justera protokollet' : 'en hemlig länk'}; den tidigare länken fungerar inte längre`,
      },
      'token.created': { label: 'Ny nyckel', what: () => 'Skapade en nyckel' },
      'token.revoked': { label: 'Återkallad nyckel', what: () => 'Återkallade en nyckel' },
      'delivery.resolved': { label: 'Åtgärdat utskick', what: () => 'Markerade ett misslyckat utskick som åtgärdat' },
      'delivery.resent': { label: 'Skickat igen', what: () => 'Skickade ett misslyckat utskick igen' },
      'person.email-corrected': { label: 'Rättad e-postadress', what: (d) => `Rättade e-postadressen${typeof d.from === 'string' ? ` ${d.from}` : ''}${typeof d.to === 'string' ? ` till ${d.to}` : ''}` },
      'forbund.imported': { label: 'Inläst förbundsfil', what: (d) => `Läste in förbundsfilen${typeof d.file === 'string' && d.file ? ` ${d.file}` : ''}` },
    },
  },
];
const PHRASE = new Map(ACTIONS.flatMap((g) => Object.entries(g.actions)));
const KINDS = new Map<string, string[]>([...ACTIONS.map((g) => [g.id, Object.keys(g.actions)] as [string, string[]]), ...[...PHRASE.keys()].map((a) => [a, [a]] as [string, string[]])]);

/** Who did it, readably: 'Olga Tjänsteman (tjänsteperson)', 'Årscykel (automatiskt)', … */
function whoOf(actor: string, coordinators: Map<string, string>): string {
  const t = /^(?:person|token):\S+ (.+) \((\w+)\)$/.exec(actor);
  if (t) return `${t[1]}${ROLE_SV[t[2] as Role] ? ` (${ROLE_SV[t[2] as Role]})` : PERSON_ROLE_SV[t[2]] ? ` (${PERSON_ROLE_SV[t[2]]})` : ''}`;
  if (actor === 'signin-link') return 'Någon med en inloggningslänk';
  if (actor === 'system') return 'Årscykel (automatiskt)';
  if (actor.startsWith('coordinator-link:')) {
    const name = coordinators.get(actor.slice('coordinator-link:'.length));
    return name ? `${name} (samordnare, via rapportlänken)` : 'Samordnaren, via rapportlänken';
  }
  if (actor === 'import' || actor.startsWith('import:')) return `Inläsning av förbundsfilen${actor.startsWith('import:') ? ` ${actor.slice(7)}` : ''}`;
  if (actor === 'cli') return 'Kommandoraden';
  return actor;
}

/** A page's cursor: the time (ms) and id of the row it starts or ends at. */
const cursorOf = (x: { at: Date; id: string }) => `${x.at.getTime()}_${x.id}`;
function parseCursor(v: unknown): { at: Date; id: string } | null | undefined {
  if (v === undefined) return undefined;
  const m = typeof v === 'string' ? /^(\d{1,15})_([0-9A-Za-z-]{1,64})$/.exec(v) : null;
  if (!m) return null;
  return { at: new Date(Number(m[1])), id: m[2] };
}

export function auditPages(k: AdminKit, r: Router): void {
  const { prisma, page, fid, isAdmin, chrome } = k;

  async function render(req: Request, res: Response) {
    // As the API's GET audit: the official's only.
    if (!isAdmin(req)) throw new PageError(403, 'Loggen är tjänstepersonens', ['Loggen över alla ändringar i förbundet kan bara tjänstepersonen läsa.']);
    const forbundId = fid(req);
    const q = (name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : '');
    const values = { kind: q('handelse').trim(), from: q('fran').trim(), to: q('till').trim() };
    const errors: LogView['errors'] = {};
    for (const name of ['handelse', 'fran', 'till', 'fore', 'efter']) if (Array.isArray(req.query[name])) errors.page = 'Adressen har samma filter flera gånger. Välj filtret i formuläret igen.';
    if (values.kind && !KINDS.has(values.kind)) errors.kind = 'Välj en händelse i listan.';
    if (values.from && !isIsoDate(values.from)) errors.from = 'Skriv ett datum som 2026-05-04.';
    if (values.to && !isIsoDate(values.to)) errors.to = 'Skriv ett datum som 2026-05-31.';
    if (!errors.from && !errors.to && values.from && values.to && values.from > values.to) errors.to = 'Till och med-datumet kan inte vara före från och med-datumet.';
    const older = parseCursor(req.query.fore);
    const newer = parseCursor(req.query.efter);
    if (older === null || newer === null || (older && newer)) errors.page = 'Sidlänken är felaktig. Börja om från loggens första sida.';

    const filterQuery = new URLSearchParams({ ...(values.kind ? { handelse: values.kind } : {}), ...(values.from ? { fran: values.from } : {}), ...(values.to ? { till: values.to } : {}) });
    const view: LogView = {
      chrome: await chrome(req, res, 'audit'),
      values,
      errors,
      kinds: ACTIONS.map((g) => ({ group: g.group, value: g.id, all: g.all, options: Object.entries(g.actions).map(([value, a]) => ({ value, label: a.label })) })),
      rows: [],
      filtered: !!(values.kind || values.from || values.to),
    };
    if (Object.keys(errors).length) return html(res, 400, logPage(view));

    // From 00:00 of the first day to 00:00 after the last, Stockholm time.
    const at: Prisma.DateTimeFilter = {};
    if (values.from) at.gte = stockholmDateTime(values.from, '00:00');
    if (values.to) at.lt = stockholmDateTime(nextDay(values.to), '00:00');
    const base: Prisma.AuditEventWhereInput = { forbundId, ...(values.kind ? { action: { in: KINDS.get(values.kind)! } } : {}), ...(values.from || values.to ? { at } : {}) };
    const cursor = older ?? newer;
    const where: Prisma.AuditEventWhereInput = cursor
      ? { AND: [base, { OR: [{ at: older ? { lt: cursor.at } : { gt: cursor.at } }, { at: cursor.at, id: older ? { lt: cursor.id } : { gt: cursor.id } }] }] }
      : base;
    const dir = newer ? 'asc' : 'desc';
    const found = await prisma.auditEvent.findMany({ where, orderBy: [{ at: dir }, { id: dir }], take: LOG_PAGE_SIZE + 1 });
    const more = found.length > LOG_PAGE_SIZE;
    const rows = found.slice(0, LOG_PAGE_SIZE);
    if (newer) rows.reverse();
    const link = (key: 'fore' | 'efter', x: { at: Date; id: string }) => `/admin/logg?${new URLSearchParams([...filterQuery, [key, cursorOf(x)]])}#handelser`;
    // Newer pages exist when this one was reached from a newer one (or a newer page had more); older likewise.
    const hasNewer = newer ? more : !!older;
    const hasOlder = newer ? true : more;
    if (rows.length && hasNewer) view.newer = link('efter', rows[0]);
    if (rows.length && hasOlder) view.older = link('fore', rows[rows.length - 1]);
    view.rows = await rowViews(forbundId, rows);
    html(res, 200, logPage(view));
  }

  async function rowViews(forbundId: string, rows: { id: string; at: Date; actor: string; action: string; entityType: string; entityId: string; data: unknown }[]): Promise<LogRow[]> {
    const ids = (type: string) => [...new Set(rows.filter((x) => x.entityType === type).map((x) => x.entityId))];
    const agendaMeetings = rows.filter((x) => x.entityType === 'agendaItem').map((x) => String((x.data as Data)?.meetingId ?? ''));
    const linkObligations = rows.filter((x) => x.actor.startsWith('coordinator-link:')).map((x) => x.actor.slice('coordinator-link:'.length));
    const [obligations, projects, meetings, matters, milestones, lines, reviews, notifications] = await Promise.all([
      prisma.reportingObligation.findMany({ where: { id: { in: [...new Set([...ids('obligation'), ...linkObligations])] }, project: { forbundId } }, include: { project: { include: { coordinator: true } } } }),
      prisma.project.findMany({ where: { forbundId, id: { in: ids('project') } }, select: { id: true, key: true, name: true } }),
      prisma.meeting.findMany({ where: { forbundId, id: { in: [...ids('meeting'), ...agendaMeetings] } } }),
      prisma.matter.findMany({ where: { forbundId, id: { in: ids('matter') } }, include: { meeting: true } }),
      prisma.milestone.findMany({ where: { forbundId, id: { in: ids('milestone') } }, select: { id: true, title: true, year: true } }),
      prisma.budgetLine.findMany({ where: { forbundId, id: { in: ids('budgetLine') } }, select: { id: true, name: true, year: true } }),
      prisma.forecastReview.findMany({ where: { forbundId, id: { in: ids('review') } }, select: { id: true, year: true, quarter: true } }),
      prisma.notification.findMany({ where: { forbundId, id: { in: ids('notification') } }, select: { id: true, subject: true } }),
    ]);
    const byId = <T extends { id: string }>(xs: T[]) => new Map(xs.map((x) => [x.id, x]));
    const [o, p, m, mt, ms, bl, rv, nt] = [byId(obligations), byId(projects), byId(meetings), byId(matters), byId(milestones), byId(lines), byId(reviews), byId(notifications)];
    const coordinators = new Map(obligations.map((x) => [x.id, x.project.coordinator.name]));
    const meetingLink = (x: { id: string; year: number; title: string; startsAt: Date }) => ({ text: `${x.title} ${svDate(meetingDate(x))}`, href: `/admin/ar/${x.year}#mote-${x.id}` });

    return rows.map((x): LogRow => {
      const d = (x.data ?? {}) as Data;
      let about: LogRow['about'];
      switch (x.entityType) {
        case 'obligation': {
          const ob = o.get(x.entityId);
          if (ob) about = { text: `${capital(REPORT_TEXT[ob.kind as ReportKind].name)} från ${ob.project.name}`, href: `/admin/rapporter/${ob.id}` };
          break;
        }
        case 'project': {
          const pr = p.get(x.entityId);
          if (pr) about = { text: `Insatsen ${pr.name}`, href: `/admin/insatser/${encodeURIComponent(pr.key)}` };
          break;
        }
        case 'meeting': {
          const me = m.get(x.entityId);
          if (me) about = meetingLink(me);
          break;
        }
        case 'agendaItem': {
          const me = m.get(String(d.meetingId ?? ''));
          if (me) about = { ...meetingLink(me), text: `${typeof d.dnr === 'string' ? `Ärende ${d.dnr}, ` : ''}${meetingLink(me).text}` };
          break;
        }
        case 'matter': {
          const ma = mt.get(x.entityId);
          if (ma) about = { text: `Ärende ${ma.dnr} ${ma.title}`, ...(ma.meeting ? { href: `/admin/ar/${ma.meeting.year}#mote-${ma.meeting.id}` } : {}) };
          break;
        }
        case 'milestone': {
          const mi = ms.get(x.entityId);
          if (mi) about = { text: mi.title, href: `/admin/ar/${mi.year}#moment` };
          break;
        }
        case 'budgetLine': {
          const li = bl.get(x.entityId);
          if (li) about = { text: `Budgetraden ${li.name} ${li.year}`, href: `/admin/pengar/${li.year}#budget` };
          break;
        }
        case 'budget_consultation':
          if (/^\d{4}$/.test(x.entityId)) about = { text: `Medlemssamråd om budget ${x.entityId}`, href: `/admin/pengar/${x.entityId}#samrad` };
          break;
        case 'review': {
          const re = rv.get(x.entityId);
          if (re) about = { text: `Kvartal ${re.quarter} ${re.year}`, href: `/admin/pengar/${re.year}#granskningar` };
          break;
        }
        case 'year':
          if (/^\d{4}$/.test(x.entityId)) about = x.action === 'actuals.entered' ? { text: `Utfallet ${x.entityId}`, href: `/admin/pengar/${x.entityId}#budget` } : { text: `Året ${x.entityId}`, href: `/admin/ar/${x.entityId}` };
          break;
        case 'token':
          if (typeof d.name === 'string') about = { text: `Nyckeln ”${d.name}”${ROLE_SV[d.role as Role] ? ` (${ROLE_SV[d.role as Role]})` : ''}` };
          break;
        case 'notification': {
          const n = nt.get(x.entityId);
          if (n) about = { text: `Utskicket ”${n.subject}”` };
          break;
        }
        case 'forbund':
          about = { text: 'Förbundet' };
          break;
        case 'person':
          if (typeof d.to === 'string') about = { text: `Adressen ${d.to}` };
          else if (x.action === 'signin.refused' && typeof d.name === 'string') about = { text: `Inloggning som ${d.name}` };
          break;
        case 'session':
          about = { text: 'Inloggningar', href: '/admin/inloggningar' };
          break;
      }
      const phrase = PHRASE.get(x.action);
      return {
        at: x.at.toISOString(),
        // The date and the time each kept on one line; a narrow column breaks between them.
        whenText: `${svDate(toStockholmDate(x.at))} kl. ${svTime(toStockholmTime(x.at))}`.replace(/ (?!kl\.)/g, '\u00a0').replace('\u00a0kl.', ' kl.'),
        who: whoOf(x.actor, coordinators),
        what: phrase ? phrase.what(d) : x.action,
        ...(about ? { about } : {}),
      };
    });
  }

  page(r, { method: 'get', path: '/logg', summary: 'the audit log, newest first, 50 to a page (cursor links fore/efter), filtered by kind of action (handelse: an action or a group) and Stockholm dates (fran, till); the official only, as GET audit (Swedish HTML page; signed in with a session cookie as admin or secretary)', response: { contentType: 'text/html' } }, render);
}

function nextDay(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Used by the tests: the actions the page knows (every action the services record should be here). */
export const KNOWN_ACTIONS = [...PHRASE.keys()];