// Swedish texts of the e-mails and invites Årscykel sends. Each mail function returns subject,
// plain text and HTML. Pure: dates come in as 'YYYY-MM-DD' and times as 'HH:MM' (Stockholm).
//
// House style: dates as "torsdagen den 26 februari 2037" in the body and "26 februari 2037" in
// subjects, times as "kl. 9.00–12.00"; every subject ends with the förbund's name; names of
// projects and milestones in Swedish quotes (”…”); a milestone is "momentet ”…”" so that the
// adjectives after it (klart, försenat) agree whatever gender or number its title has; mails are
// signed by the förbund's office.
import { formatKr } from './budget.js';
import { toStockholmDate, toStockholmTime, weekday, type IsoDate } from './dates.js';
import { secretHandlingLine } from './handlingar.js';
import type { ReportKind } from './rapportering.js';

export interface MailText {
  subject: string;
  text: string;
  html: string;
}

// --- dates and times ------------------------------------------------------------------------

const MONTHS = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];
const WEEKDAYS = ['måndagen', 'tisdagen', 'onsdagen', 'torsdagen', 'fredagen', 'lördagen', 'söndagen'];

/** '2026-04-15' → '15 april 2026' */
export function svDate(iso: IsoDate): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/** '2016-02-26' → 'fredagen den 26 februari 2016' */
export function svDayDate(iso: IsoDate): string {
  return `${WEEKDAYS[weekday(iso) - 1]} den ${svDate(iso)}`;
}

/** '09:00' → '9.00' */
export function svTime(hhmm: string): string {
  const [h, m] = hhmm.split(':');
  return `${Number(h)}.${m}`;
}

/** An instant as a person reads it, in Stockholm time: '4 mars 2037 kl. 13.12'. */
export function svInstant(iso: string): string {
  const d = new Date(iso);
  return `${svDate(toStockholmDate(d))} kl. ${svTime(toStockholmTime(d))}`;
}

/** '1 januari 2037', '30 juni 2037' → '1 januari–30 juni 2037' (the year once when it is the same). */
export function svPeriod(start: IsoDate, end: IsoDate): string {
  const a = svDate(start);
  const b = svDate(end);
  return start.slice(0, 4) === end.slice(0, 4) ? `${a.slice(0, -5)}–${b}` : `${a}–${b}`;
}

/** A meeting's local date and times; no start for a whole-day event. */
export interface MeetingTime {
  date: IsoDate;
  start?: string;
  end?: string;
}

/**
 * 'fredagen den 26 februari 2016 kl. 9.00–12.00' (long, for bodies), '26 februari 2016 kl. 9.00–12.00'
 * (short, for subjects) or '26 februari 2016 kl. 9.00' (start only).
 */
export function svWhen(t: MeetingTime, style: 'long' | 'short' | 'start' = 'long'): string {
  const day = style === 'long' ? svDayDate(t.date) : svDate(t.date);
  if (!t.start) return day;
  return `${day} kl. ${svTime(t.start)}${t.end && style !== 'start' ? `–${svTime(t.end)}` : ''}`;
}

/** 'a', 'a och b', 'a, b och c' */
export function svList(xs: string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} och ${xs[xs.length - 1]}`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
/** ”…”, with quotes inside the name made single (”Ansökan om medel för ’Steg framåt’”), as Swedish nests them. */
const quote = (s: string) => `”${s.replace(/[”“"]/g, '’')}”`;
const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

// --- people and their functions ------------------------------------------------------------

/**
 * The Swedish titles of the roles a person, a seat or an owner has (`official` is a role key, never
 * text): the title after a name ('Örjan Tjänsteman (förbundschef)') and the definite form, for when
 * nobody is named ('förbundschefen'). The one map of them: services/people.ts resolves owners with it.
 */
export const ROLE_TITLES: Readonly<Record<string, { title: string; the: string }>> = {
  official: { title: 'förbundschef', the: 'förbundschefen' },
  secretary: { title: 'sekreterare', the: 'sekreteraren' },
  economist: { title: 'ekonom', the: 'ekonomen' },
  chair: { title: 'ordförande', the: 'ordföranden' },
  vice_chair: { title: 'vice ordförande', the: 'vice ordföranden' },
  board_member: { title: 'ledamot', the: 'ledamoten' },
  member: { title: 'ledamot', the: 'ledamoten' },
  deputy: { title: 'ersättare', the: 'ersättaren' },
  coordinator: { title: 'samordnare', the: 'samordnaren' },
  auditor: { title: 'revisor', the: 'revisorn' },
  admin: { title: 'tjänsteperson', the: 'tjänstepersonen' },
};

/** A role key's titles; undefined for what is not a role key. */
export const titlesOfRole = (role: string): { title: string; the: string } | undefined => (Object.hasOwn(ROLE_TITLES, role.trim()) ? ROLE_TITLES[role.trim()] : undefined);

/** 'official' → 'förbundschef'; undefined for what is not a role key. */
export const roleTitle = (role: string): string | undefined => titlesOfRole(role)?.title;

/** 'Örjan Tjänsteman (förbundschef)'; the name alone without a title. */
export const nameWithTitle = (name: string, title?: string): string => (title ? `${name} (${title})` : name);

/**
 * Who a text names as responsible or acting, as the reader reads it: names pass as they are; a bare
 * role key (not resolved to the people holding it) becomes its Swedish title, definite
 * ('förbundschefen'), so that no key reaches a person.
 */
const who = (s: string): string => titlesOfRole(s)?.the ?? s;
/** The same for a greeting ('Hej förbundschef,'): the title without article. */
const greeted = (s: string): string => titlesOfRole(s)?.title ?? s;

// --- meetings -------------------------------------------------------------------------------

/** How a meeting of each kind is named in running text, and whether the noun is neuter (ett sammanträde) or common (en planeringsdag). */
const MEETINGS: Record<string, { name: string; neuter: boolean }> = {
  styrelse: { name: 'styrelsens sammanträde', neuter: true },
  presidium: { name: 'presidiets sammanträde', neuter: true },
  beredningsgrupp: { name: 'beredningsgruppens sammanträde', neuter: true },
  beredning: { name: 'presidiets beredningsmöte', neuter: true },
  planning_day: { name: 'planeringsdagen', neuter: false },
};

/** 'styrelse' → 'styrelsens sammanträde' */
export function meetingName(kind: string): string {
  return MEETINGS[kind]?.name ?? 'sammanträdet';
}

const participle = (kind: string, neuter: string, common: string) => ((MEETINGS[kind]?.neuter ?? true) ? neuter : common);

// --- composing ------------------------------------------------------------------------------

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The signature: the förbund's office, not the product. */
export function signature(forbundName: string): string {
  return `Vänliga hälsningar\nKansliet, ${forbundName}`;
}

/** Every subject names the förbund. */
const subjectOf = (text: string, forbundName: string) => `${text} – ${forbundName}`;

// A link with a label, marked in a paragraph by characters of Unicode's private use area (never
// in what people type), which compose() renders: 'Label: url' in the text part (plain text must
// carry the address) and <a href="url">Label</a> in the HTML, so that a long token URL is never
// the visible link text.
const LINK_OPEN = '\uE000';
const LINK_SEP = '\uE001';
const LINK_CLOSE = '\uE002';
const LINK_MARK = new RegExp(`${LINK_OPEN}([^${LINK_SEP}]*)${LINK_SEP}([^${LINK_CLOSE}]*)${LINK_CLOSE}`, 'g');

/**
 * A link with a label for a mail's paragraph ('Lämna rapporten', url): the text part reads
 * 'Lämna rapporten: https://…', the HTML shows the label as the link. Only for compose()'s paragraphs.
 */
export function link(label: string, url: string): string {
  return `${LINK_OPEN}${label}${LINK_SEP}${url}${LINK_CLOSE}`;
}

/** A paragraph as plain text: each marked link as 'Label: url'. */
const plainLinks = (p: string) => p.replace(LINK_MARK, (_, label: string, url: string) => `${label}: ${url}`);

/** A paragraph as HTML: text escaped, bare addresses linked as they are, marked links by their label, lines broken. */
function htmlParagraph(p: string): string {
  const bare = (s: string) => escapeHtml(s).replace(/(https?:\/\/\S+)/g, '<a href="$1">$1</a>');
  let out = '';
  let last = 0;
  for (const m of p.matchAll(LINK_MARK)) {
    out += bare(p.slice(last, m.index)) + `<a href="${escapeHtml(m[2])}">${escapeHtml(m[1])}</a>`;
    last = m.index + m[0].length;
  }
  return (out + bare(p.slice(last))).replace(/\n/g, '<br>');
}

function compose(subject: string, forbundName: string, paragraphs: string[]): MailText {
  const sig = signature(forbundName);
  const text = [...paragraphs.map(plainLinks), '', sig].join('\n\n').replace(/\n{3,}/g, '\n\n') + '\n';
  const html =
    `<!doctype html><html lang="sv"><body>` +
    paragraphs.map((p) => `<p>${htmlParagraph(p)}</p>`).join('') +
    `<p>${escapeHtml(sig).replace(/\n/g, '<br>')}</p></body></html>`;
  return { subject: subjectOf(subject, forbundName), text, html };
}

/**
 * The greeting, following who actually receives the mail: groups by their function
 * ('Till verkställande tjänsteman och presidiet,'), or else the people by name.
 */
export function greeting(groups: string[], names: string[] = []): string {
  if (groups.length) return `Till ${svList(groups)},`;
  return names.length ? `Hej ${svList(names.map(greeted))},` : 'Hej,';
}

/** The sentence that tells the recipients who gets a copy; empty when nobody does. */
function copySentence(copyTo: string[] | undefined): string {
  return copyTo?.length ? ` ${capitalize(svList(copyTo))} får också besked om detta.` : '';
}

// --- reports --------------------------------------------------------------------------------

/** The reports' names in mails: indefinite ('halvårsrapport') and definite ('halvårsrapporten'). */
export const REPORT_TEXT: Record<ReportKind, { name: string; the: string }> = {
  quarterly: { name: 'kvartalsrapport', the: 'kvartalsrapporten' },
  halfYear: { name: 'halvårsrapport', the: 'halvårsrapporten' },
  annual: { name: 'årsrapport', the: 'årsrapporten' },
  final: { name: 'slutrapport', the: 'slutrapporten' },
  financial: { name: 'ekonomisk redovisning', the: 'den ekonomiska redovisningen' },
};

export interface ReportMailFacts {
  forbundName: string;
  projectName: string;
  coordinatorName: string;
  kind: ReportKind;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  dueDate: IsoDate;
  /** The coordinator's submission link (secret). */
  link: string;
  /** The report's page for the förbund's official (/admin/rapporter/:id), for those in copy of an overdue mail and the escalation's recipients. */
  adminUrl?: string;
}

/** 'Halvårsrapporten för insatsen ”På väg” (perioden 1 januari–30 juni 2037)' */
function theReport(f: Pick<ReportMailFacts, 'kind' | 'projectName' | 'periodStart' | 'periodEnd'>): string {
  return `${capitalize(REPORT_TEXT[f.kind].the)} för insatsen ${quote(f.projectName)} (perioden ${svPeriod(f.periodStart, f.periodEnd)})`;
}

const ONLY_AGGREGATES = 'Rapporten får bara innehålla sammanställda uppgifter (antal och belopp) – inga uppgifter om enskilda deltagare.';

export function reportReminder(f: ReportMailFacts, daysLeft: number): MailText {
  const due = svDayDate(f.dueDate);
  const when = daysLeft <= 0 ? `senast i dag, ${due}` : daysLeft === 1 ? `senast i morgon, ${due}` : `om ${plural(daysLeft, 'dag', 'dagar')}, senast ${due}`;
  return compose(
    `Påminnelse: ${REPORT_TEXT[f.kind].name} för ${quote(f.projectName)} ska lämnas ${daysLeft <= 0 ? 'i dag' : `senast ${svDate(f.dueDate)}`}`,
    f.forbundName,
    [`Hej ${f.coordinatorName},`, `${theReport(f)} ska lämnas ${when}.`, `${ONLY_AGGREGATES}\n${link('Lämna rapporten', f.link)}`],
  );
}

/**
 * `copyTo`: who is in copy (e.g. the official, by name); nobody when the official is the coordinator.
 * Those in copy get the report's page (`adminUrl`), the coordinator the submission link.
 */
export function reportOverdue(f: ReportMailFacts, copyTo: string[] = []): MailText {
  return compose(
    `Försenad: ${REPORT_TEXT[f.kind].name} för ${quote(f.projectName)} skulle ha lämnats ${svDate(f.dueDate)}`,
    f.forbundName,
    [
      `Hej ${f.coordinatorName},`,
      `${theReport(f)} skulle ha lämnats senast ${svDayDate(f.dueDate)} och har ännu inte kommit in.${copySentence(copyTo)}`,
      `Lämna rapporten så snart som möjligt. ${ONLY_AGGREGATES}\n${link('Lämna rapporten', f.link)}`,
      ...(copyTo.length && f.adminUrl ? [`${capitalize(svList(copyTo))} hittar rapporten i Årscykel:\n${link('Öppna rapporten', f.adminUrl)}`] : []),
    ],
  );
}

/** Who an escalation goes to: the official and/or the beredningsgrupp; whether the coordinator is in copy. */
export interface ReportAudience {
  official: boolean;
  beredningsgrupp: boolean;
  coordinatorInCopy: boolean;
  /** Names of the recipients, for a greeting when neither group receives it. */
  names?: string[];
  /** Whether the coordinator was reminded of the report (a reminder or the overdue mail was sent): only then "trots påminnelser". */
  reminded?: boolean;
}

/**
 * To the official and the beredningsgrupp (the coordinator in copy): the report's page for them, the
 * submission link for the coordinator; the delay goes to the board in the compiled item
 * "Rapportläge för insatserna", not as a matter of its own.
 */
export function reportEscalation(f: ReportMailFacts, daysLate: number, to: ReportAudience): MailText {
  const groups = [...(to.official ? ['verkställande tjänsteman'] : []), ...(to.beredningsgrupp ? ['beredningsgruppen'] : [])];
  return compose(
    `Eskalering: ${REPORT_TEXT[f.kind].name} för ${quote(f.projectName)} är ${plural(daysLate, 'dag', 'dagar')} försenad`,
    f.forbundName,
    [
      greeting(groups, to.names),
      `${theReport(f)} skulle ha lämnats senast ${svDayDate(f.dueDate)} och är nu ${plural(daysLate, 'dag', 'dagar')} försenad${to.reminded ? ' trots påminnelser' : ''}. ${to.coordinatorInCopy ? `Samordnaren ${f.coordinatorName} får en kopia av detta meddelande.` : `Samordnare är ${f.coordinatorName}.`}`,
      [
        'Rapporten ligger bland verkställande tjänstemannens väntande steg tills den har lämnats.',
        ...(to.beredningsgrupp ? ['Beredningsgruppen, som är styrgrupp för insatserna, uppmärksammas på förseningen.'] : []),
        'Förseningen tas upp under punkten Rapportläge för insatserna på styrelsens nästa sammanträde.',
      ].join(' '),
      ...(f.adminUrl ? [`På rapportens sida i Årscykel syns påminnelserna, och där kan rapporten få en ny sista dag:\n${link('Öppna rapporten', f.adminUrl)}`] : []),
      // Not the submission link: it submits as the coordinator, and the others read this mail too.
      ...(to.coordinatorInCopy ? [`Till dig som samordnare, ${f.coordinatorName}: lämna rapporten så snart som möjligt via den personliga länk du har fått för rapporten.`] : []),
    ],
  );
}

/**
 * The coordinator's receipt of a submitted report (or of a correction, `version` 2 and on): what
 * came in and when, what happens next, and the link to correct it.
 */
export function reportReceipt(f: ReportMailFacts & { version: number; submittedAt: string }): MailText {
  const correction = f.version > 1;
  return compose(`Mottagen: ${REPORT_TEXT[f.kind].name} för ${quote(f.projectName)}${correction ? `, version ${f.version}` : ''}`, f.forbundName, [
    `Hej ${f.coordinatorName},`,
    `Tack, vi har tagit emot ${REPORT_TEXT[f.kind].the} för insatsen ${quote(f.projectName)} (perioden ${svPeriod(f.periodStart, f.periodEnd)})${correction ? `, version ${f.version} (en rättelse)` : ''}. Den kom in den ${svInstant(f.submittedAt)}.`,
    `Förbundets tjänsteperson går nu igenom rapporten och hör av sig om något behöver kompletteras. Du får inga fler påminnelser om den.`,
    publicationSentence(f.periodEnd),
    `Behöver något rättas kan du lämna en rättelse via samma länk; den sparas som en ny version.\n${link('Rätta rapporten', f.link)}`,
  ]);
}

/**
 * What of a report becomes public and when (domain/publicering.ts): the coordinator's form and
 * receipt say it. The earliest day is the day after the period ends.
 */
export function publicationSentence(periodEnd: IsoDate): string {
  const d = new Date(`${periodEnd}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return `Texten och de sammanställda siffrorna publiceras på förbundets webbplats när förbundschefen har granskat rapporten, tidigast ${svDate(d.toISOString().slice(0, 10))}, dagen efter att perioden slutar. Förbundschefen läser texten först och kan stryka det som kan peka ut en deltagare.`;
}

/**
 * The coordinator is told a submitted version was sent back by the förbundschef: why, and the
 * link to correct it (a correction is a new version, reviewed again before it is published).
 */
export function reportReturned(f: ReportMailFacts & { version: number; reason: string; reviewerName?: string | null }): MailText {
  return compose(`Rätta rapporten: ${REPORT_TEXT[f.kind].name} för ${quote(f.projectName)}`, f.forbundName, [
    `Hej ${f.coordinatorName},`,
    `${f.reviewerName ? `${f.reviewerName}, förbundschef, ` : 'Förbundschefen '}har granskat ${REPORT_TEXT[f.kind].the} för insatsen ${quote(f.projectName)} (perioden ${svPeriod(f.periodStart, f.periodEnd)}, version ${f.version}) och skickar tillbaka den till dig för rättelse innan den kan publiceras på förbundets webbplats.`,
    `Det här behöver rättas:\n${f.reason}`,
    `Rätta rapporten via din länk; rättelsen sparas som en ny version och granskas igen innan den publiceras. Tills dess publiceras inget nytt från rapporten.\n${link('Rätta rapporten', f.link)}`,
    ONLY_AGGREGATES,
  ]);
}

/**
 * The coordinator's new link to one report, after the official renewed it (the earlier link may
 * have reached someone else): the earlier link no longer works, this one does.
 */
export function reportNewLink(f: ReportMailFacts): MailText {
  return compose(`Ny länk till rapporten: ${REPORT_TEXT[f.kind].name} för ${quote(f.projectName)}`, f.forbundName, [
    `Hej ${f.coordinatorName},`,
    `Förbundet har gjort en ny personlig länk till ${REPORT_TEXT[f.kind].the} för insatsen ${quote(f.projectName)} (perioden ${svPeriod(f.periodStart, f.periodEnd)}, sista dag ${svDayDate(f.dueDate)}).`,
    `Den tidigare länken fungerar inte längre. Använd den här i stället, även för ett utkast du har sparat: utkastet finns kvar.\n${link('Öppna rapporten', f.link)}`,
    `Skicka inte vidare länken: den som har den kan lämna och rätta rapporten.`,
  ]);
}

// --- milestones of the årscykel -------------------------------------------------------------

export interface CycleMailFacts {
  forbundName: string;
  /** The milestone's title, e.g. 'Årsredovisning med bokslut'. */
  title: string;
  dueDate: IsoDate;
  /** Who is responsible (names), for the escalation. */
  ownerName: string;
  /** The names the mail greets (those it is addressed to); defaults to ownerName. */
  greetName?: string;
  /** The meeting that handles it. */
  meetingKind?: string;
  meetingDate?: IsoDate;
  /** Who is in copy (names), said in the overdue mail. */
  copyTo?: string[];
  /**
   * Where the milestone is marked done: its step on *Att göra* ('/admin#steg-milestone-…'), or,
   * `byDecision`, the year's milestones ('/admin/ar/2037#moment'), for one that is done when the
   * board's decision is registered.
   */
  markUrl?: string;
  byDecision?: boolean;
}

/** 'momentet ”Årsredovisning med bokslut”' */
export const milestoneName = (title: string) => `momentet ${quote(title)}`;

/** The paragraph that tells how the milestone gets done, with the link to where; `lead` says when. */
function markDone(f: CycleMailFacts, lead: string): string {
  if (f.byDecision) {
    const how = 'Momentet blir klart när styrelsens beslut om det är registrerat i Årscykel.';
    return f.markUrl ? `${how}\n${link('Visa årets moment', f.markUrl)}` : how;
  }
  if (!f.markUrl) return lead;
  return [lead, link('Markera momentet som klart', f.markUrl)].filter(Boolean).join('\n');
}

const handledAt = (f: CycleMailFacts) => (f.meetingKind && f.meetingDate ? ` Det behandlas på ${meetingName(f.meetingKind)} ${svDayDate(f.meetingDate)}.` : '');

export function milestoneReminder(f: CycleMailFacts, daysLeft: number): MailText {
  const due = svDayDate(f.dueDate);
  const when = daysLeft <= 0 ? `senast i dag, ${due}` : daysLeft === 1 ? `senast i morgon, ${due}` : `om ${plural(daysLeft, 'dag', 'dagar')}, senast ${due}`;
  return compose(
    `Påminnelse: ${milestoneName(f.title)} ska vara klart ${daysLeft <= 0 ? 'i dag' : `senast ${svDate(f.dueDate)}`}`,
    f.forbundName,
    [
      `Hej ${greeted(f.greetName ?? f.ownerName)},`,
      `${capitalize(milestoneName(f.title))} i årscykeln ska vara klart ${when}.${handledAt(f)}`,
      markDone(f, 'När det är gjort markerar du det som klart i Årscykel, så slutar påminnelserna.'),
    ],
  );
}

export function milestoneOverdue(f: CycleMailFacts): MailText {
  return compose(
    `Försenat: ${milestoneName(f.title)} skulle ha varit klart ${svDate(f.dueDate)}`,
    f.forbundName,
    [
      `Hej ${greeted(f.greetName ?? f.ownerName)},`,
      `${capitalize(milestoneName(f.title))} i årscykeln skulle ha varit klart senast ${svDayDate(f.dueDate)} och är ännu inte markerat som klart.${handledAt(f)}${copySentence(f.copyTo)}`,
      markDone(f, 'Så snart det är gjort markerar du det som klart i Årscykel.'),
    ],
  );
}

/** Who a cycle escalation goes to, by function; names greet when no group receives it. */
export interface CycleAudience {
  official: boolean;
  presidium: boolean;
  secretary?: boolean;
  names?: string[];
}

const cycleGroups = (a: CycleAudience) => [
  ...(a.official ? ['verkställande tjänsteman'] : []),
  ...(a.presidium ? ['presidiet'] : []),
  ...(a.secretary ? ['styrelsens sekreterare'] : []),
];

export function milestoneEscalation(f: CycleMailFacts, daysLate: number, to: CycleAudience): MailText {
  return compose(
    `Eskalering: ${milestoneName(f.title)} är ${plural(daysLate, 'dag', 'dagar')} försenat`,
    f.forbundName,
    [
      greeting(cycleGroups(to), to.names),
      `${capitalize(milestoneName(f.title))} i årscykeln (ansvarig: ${who(f.ownerName)}) skulle ha varit klart senast ${svDayDate(f.dueDate)} och är nu ${plural(daysLate, 'dag', 'dagar')} försenat.${handledAt(f)}`,
      'Momentet ligger bland verkställande tjänstemannens väntande steg tills det är klart.',
      ...(f.markUrl ? [markDone(f, '')] : []),
    ],
  );
}

/** The secretary is reminded some working days before the kallelse must go out (`kallelseDate`). */
export function kallelseReminder(f: { forbundName: string; secretaryName: string; meetingKind: string; meeting: MeetingTime; kallelseDate: IsoDate }): MailText {
  return compose(
    `Kallelse till ${meetingName(f.meetingKind)} ${svDate(f.meeting.date)} ska skickas senast ${svDate(f.kallelseDate)}`,
    f.forbundName,
    [`Hej ${greeted(f.secretaryName)},`, `Kallelsen med föredragningslista till ${meetingName(f.meetingKind)} ${svWhen(f.meeting)} ska skickas ut senast ${svDayDate(f.kallelseDate)}.`],
  );
}

export function calendarMissing(f: { forbundName: string; nextYear: number; lastMeetingDate: IsoDate }, to: CycleAudience): MailText {
  return compose(
    `Eskalering: sammanträdesplanen för ${f.nextYear} är inte fastställd`,
    f.forbundName,
    [
      greeting(cycleGroups(to), to.names),
      `Styrelsens sista sammanträde för året var ${svDayDate(f.lastMeetingDate)}, men ingen sammanträdesplan (kalendarium) för ${f.nextYear} har fastställts. Årscykeln för ${f.nextYear} kan inte planeras förrän styrelsen har fastställt den.`,
    ],
  );
}

// --- invites --------------------------------------------------------------------------------

/** A matter of the årscykel handled at a meeting: a milestone's title and due date. */
export interface Matter {
  title: string;
  dueDate: IsoDate;
}

export interface InviteFacts {
  forbundName: string;
  kind: string;
  when: MeetingTime;
  location?: string | null;
  change: 'new' | 'update' | 'cancelled';
  /** For an update: the time and place the invitees had before, when known. */
  previous?: { when: MeetingTime; location?: string | null };
  /** A board meeting's preparation: its preparatory meetings, the day matters must be ready, the kallelse. */
  preparation?: { beredningsgrupp?: IsoDate; beredning?: IsoDate; matters: IsoDate; kallelse: IsoDate };
  /** A preparatory meeting: the board meeting it prepares, and the kallelse deadline of that meeting. */
  prepares?: { kind: string; when: MeetingTime; kallelse?: IsoDate };
  /** Milestones handled at this meeting. */
  matters?: Matter[];
  /** Milestones handled at the board meeting this one prepares (due by its preparation deadline). */
  preparedMatters?: Matter[];
  /** The invitee's own link to report förhinder (a board meeting's ledamot), so that the ersättare is called in. */
  declineUrl?: string;
  /** A board meeting whose kallelse has gone out: the day it was sent (the invite then says so, not when it will go). */
  kallelseSent?: IsoDate;
  /**
   * The invitee's own answer, for an update: 'declined' has reported förhinder, which still holds
   * (their `declineUrl` then offers to come after all); 'released' is an ersättare no longer
   * called in, whose calendar entry is removed.
   */
  answer?: 'declined' | 'released';
}

const matterLine = (m: Matter) => `– ${m.title} (sista dag ${svDayDate(m.dueDate)})`;

/** The invite's details: what the meeting prepares or is prepared by, the deadlines, the matters. Also the ICS DESCRIPTION. */
export function inviteDetails(f: InviteFacts): string {
  const lines: string[] = [];
  if (f.prepares) {
    lines.push(`Sammanträdet förbereder ${meetingName(f.prepares.kind)} ${svWhen(f.prepares.when)}.`);
    if (f.preparedMatters?.length) lines.push(`Ärenden enligt årscykeln som ska vara beredda till ${meetingName(f.prepares.kind)}:`, ...f.preparedMatters.map(matterLine));
    if (f.prepares.kallelse) lines.push(`Kallelse med föredragningslista till ${meetingName(f.prepares.kind)} skickas senast ${svDayDate(f.prepares.kallelse)}.`);
  }
  const p = f.preparation;
  if (f.kallelseSent) {
    // The agenda is closed and the kallelse has gone: nothing left to prepare, nothing more will be sent.
    lines.push(`Kallelsen med föredragningslistan har skickats ${svDate(f.kallelseSent)}.`);
  } else if (p) {
    if (p.beredningsgrupp) lines.push(`Beredningsgruppens sammanträde: ${svDayDate(p.beredningsgrupp)}.`);
    if (p.beredning) lines.push(`Presidiets beredningsmöte: ${svDayDate(p.beredning)}.`);
    // Without a preparatory meeting the matters must be ready when the kallelse with the agenda goes out,
    // not on the meeting day (which is what the plan's preparation deadline falls back to).
    const prepared = Boolean(p.beredningsgrupp || p.beredning);
    const ready = prepared && p.matters < p.kallelse ? p.matters : p.kallelse;
    lines.push(
      ...(prepared
        ? [`Ärenden ska vara beredda senast ${svDayDate(ready)}.`, `Kallelse med föredragningslista skickas senast ${svDayDate(p.kallelse)}.`]
        : [`Inget förberedande sammanträde är planerat: ärenden ska vara beredda när kallelsen med föredragningslista skickas, senast ${svDayDate(ready)}.`]),
    );
  }
  if (f.matters?.length) lines.push('Ärenden enligt årscykeln:', ...f.matters.map((m) => `– ${m.title}`));
  return lines.join('\n');
}

/** A ledamot's own "can't come" link: the förhinder calls the ersättare in. */
const declineParagraph = (url: string) => `Kan du inte komma? ${link('Meddela förhinder', url)}\nDin ersättare kallas då in i ditt ställe.`;

const placeOf = (location?: string | null) => (location ? `, ${location}` : '');

/** The first paragraph of an invite: welcome, what moved (from … to …), or that it is cancelled. */
function inviteLead(f: InviteFacts): { subject: string; lead: string } {
  const name = meetingName(f.kind);
  if (f.change === 'cancelled') {
    return { subject: `Inställt: ${name} ${svWhen(f.when, 'short')}`, lead: `${capitalize(name)} ${svWhen(f.when)} är ${participle(f.kind, 'inställt', 'inställd')}.` };
  }
  if (f.change === 'new') {
    return { subject: `Inbjudan: ${name} ${svWhen(f.when, 'short')}`, lead: `Välkommen till ${name} ${svWhen(f.when)}${placeOf(f.location)}.` };
  }
  const prev = f.previous;
  const moved = prev && svWhen(prev.when) !== svWhen(f.when);
  const placeChanged = prev && (prev.location ?? null) !== (f.location ?? null);
  if (prev && moved) {
    const place = placeChanged ? (f.location ? ` Ny plats: ${f.location}${prev.location ? ` (tidigare ${prev.location})` : ''}.` : '') : placeOf(f.location) ? ` Plats: ${f.location}.` : '';
    return {
      subject: `Flyttat: ${name} från ${svWhen(prev.when, 'start')} till ${svWhen(f.when, 'start')}`,
      lead: `${capitalize(name)} är ${participle(f.kind, 'flyttat', 'flyttad')} från ${svWhen(prev.when)} till ${svWhen(f.when)}.${place}`,
    };
  }
  if (prev && placeChanged) {
    return {
      subject: `Ny plats: ${name} ${svWhen(f.when, 'short')}`,
      lead: `${capitalize(name)} ${svWhen(f.when)} hålls ${f.location ? `på en ny plats: ${f.location}` : 'inte längre på den plats som angavs'}${prev.location ? ` (tidigare ${prev.location})` : ''}.`,
    };
  }
  return { subject: `Ändrat: ${name} ${svWhen(f.when, 'short')}`, lead: `Tid eller plats har ändrats för ${name}. Gäller nu: ${svWhen(f.when)}${placeOf(f.location)}.` };
}

export function inviteMail(f: InviteFacts): MailText {
  const { subject, lead } = inviteLead(f);
  const open = f.change !== 'cancelled';
  const released = open && f.answer === 'released';
  const declined = open && f.answer === 'declined';
  const details = !open || released ? '' : inviteDetails(f);
  // One who reported förhinder keeps it (and may come after all); an ersättare no longer called in loses the entry.
  const answer = released
    ? `Du är inte inkallad som ersättare till ${meetingName(f.kind)}, så det tas bort ur din kalender. Blir du inkallad igen får du en ny inbjudan.`
    : declined
      ? `Du har anmält förhinder till ${meetingName(f.kind)}, och förhindret gäller fortfarande. Du får ändringen så att din kalender visar rätt tid.${f.declineUrl ? `\nKan du komma ändå? ${link('Meddela att du kommer', f.declineUrl)}` : ''}`
      : '';
  const decline = open && !f.answer && f.declineUrl ? declineParagraph(f.declineUrl) : '';
  return compose(subject, f.forbundName, [lead, ...(details ? [details] : []), ...(answer ? [answer] : []), ...(decline ? [decline] : [])]);
}

// --- the board's meeting process: kallelse, förhinder, beredning, justering, protokollsutdrag ---

/** One item of a board meeting's föredragningslista (and, once held, of its minutes). */
export interface AgendaLine {
  /** The item's number on the föredragningslista. */
  number: number;
  title: string;
  /** The matter's diarienummer, e.g. '2037-00003'. */
  dnr?: string;
  /**
   * The matter's documents (handlingar): links, and its uploaded handlingar (the newest version of
   * each, linked to where it is read signed in). A secret one (sekretess enligt OSL) is never
   * linked (its url is empty): the kallelse says it exists (secretHandlingLine).
   */
  documents?: { title: string; url: string; secret?: boolean }[];
  /** A compiled item's content, one line each (Rapportläge för insatserna: the reports missing). */
  lines?: string[];
  /** Förslag till beslut, as the kallelse prints it under the item. */
  proposal?: string;
  /** The § number in the minutes. */
  paragraph?: number;
  /** The board's decision, as minuted. */
  decision?: string;
  /**
   * Who carries out the decision, as the reader reads it: names with Swedish titles ('Örjan
   * Tjänsteman (förbundschef)', see agendaLinesOf in services/styrelse.ts), never a role or person
   * key; a bare role key is printed as its title ('förbundschefen'). And by when.
   */
  actionBy?: string;
  actionDue?: IsoDate;
}

/** A board meeting as the texts need it. */
export interface BoardMeetingFacts {
  forbundName: string;
  when: MeetingTime;
  location?: string | null;
}

const BOARD = meetingName('styrelse');

/** 'styrelsens sammanträde torsdagen den 26 februari 2037 kl. 9.00–12.00, Kumla stadshus' */
const boardMeeting = (b: BoardMeetingFacts) => `${BOARD} ${svWhen(b.when)}${placeOf(b.location)}`;

/** A document of an item as the mail prints it: 'Ansökan: https://…'; a secret handling named without a link. */
const documentLine = (d: NonNullable<AgendaLine['documents']>[number]) => (d.secret ? secretHandlingLine(d.title) : /^https?:\/\//.test(d.url) ? `${d.title}: ${d.url}` : `Handling: ${d.title}`);

/** '1. Mötets öppnande', '6. Ansökan om medel (Dnr 2037-00003)' and the item's documents and its förslag till beslut on indented lines below. */
export function agendaLine(a: AgendaLine): string {
  return [`${a.number}. ${a.title}${a.dnr ? ` (Dnr ${a.dnr})` : ''}`, ...(a.documents ?? []).map((d) => `    ${documentLine(d)}`), ...(a.lines ?? []).map((l) => `    ${l}`), ...(a.proposal ? [`    Förslag till beslut: ${a.proposal}`] : [])].join('\n');
}

/** The föredragningslista as one paragraph, under its heading. */
const agendaOf = (items: AgendaLine[], heading = 'Föredragningslista') => [heading, ...items.map(agendaLine)].join('\n');

/** '§ 6' (the minutes' number), or the agenda number when the item has no § yet. */
const paragraphOf = (a: AgendaLine) => (a.paragraph !== undefined ? `§ ${a.paragraph}` : `${a.number}.`);

/**
 * Who acts on a decision and by when, in the minutes, the justerare's mail, the protokollsutdrag and
 * the protokoll PDF: 'Verkställs av Åsa Öberg (förbundschef) senast torsdagen den 30 april 2037.';
 * empty when nobody is to act.
 */
export function actionOf(a: Pick<AgendaLine, 'actionBy' | 'actionDue'>): string {
  if (!a.actionBy && !a.actionDue) return '';
  return `Verkställs${a.actionBy ? ` av ${who(a.actionBy)}` : ''}${a.actionDue ? ` senast ${svDayDate(a.actionDue)}` : ''}.`;
}

/** A decision as minuted: '§ 6 Ansökan om medel (Dnr 2037-00003)', 'Beslut: …', who acts by when. */
function decisionLines(a: AgendaLine): string {
  const action = actionOf(a);
  return [`${paragraphOf(a)} ${a.title}${a.dnr ? ` (Dnr ${a.dnr})` : ''}`, ...(a.decision ? [`Beslut: ${a.decision}`] : []), ...(action ? [action] : [])].join('\n');
}

/** The kallelse with the föredragningslista, to the ledamöter (or, `forInformation`, to the ersättare). */
export function kallelseMail(
  f: BoardMeetingFacts & { items: AgendaLine[]; chairName?: string; secretaryName?: string; forInformation: boolean; declineUrl?: string },
): MailText {
  const lead = f.forInformation
    ? `För kännedom: ledamöterna kallas till ${boardMeeting(f)}. Du kallas in om en ordinarie ledamot får förhinder.`
    : `Ledamöterna kallas till ${boardMeeting(f)}.`;
  const decline = f.declineUrl
    ? f.forInformation
      ? `Kan du inte komma om du blir inkallad? ${link('Meddela förhinder', f.declineUrl)}`
      : declineParagraph(f.declineUrl)
    : '';
  const signed = [...(f.chairName ? [`${f.chairName}, ordförande`] : []), ...(f.secretaryName ? [`${f.secretaryName}, sekreterare`] : [])].join('\n');
  return compose(`${f.forInformation ? 'Kallelse för kännedom' : 'Kallelse'}: ${BOARD} ${svWhen(f.when, 'start')}`, f.forbundName, [
    lead,
    agendaOf(f.items),
    'Kallelsen med föredragningslistan finns också bifogad som pdf-fil (kallelse.pdf) för utskrift.',
    ...(decline ? [decline] : []),
    ...(signed ? [signed] : []),
  ]);
}

/** To the ersättare called in for a ledamot who has förhinder; with the föredragningslista once the kallelse has gone out. */
export function ersattareCallIn(f: BoardMeetingFacts & { personName: string; forName: string; memberName?: string; declineUrl?: string; items?: AgendaLine[] }): MailText {
  return compose(`Du kallas in som ersättare: ${BOARD} ${svWhen(f.when, 'start')}`, f.forbundName, [
    `Hej ${f.personName},`,
    `Ledamoten ${f.forName}${f.memberName ? ` (${f.memberName})` : ''} har anmält förhinder till ${boardMeeting(f)}. Du kallas därför in som ersättare och tjänstgör i ledamotens ställe.`,
    f.items?.length ? agendaOf(f.items) : 'Du får kallelsen med föredragningslistan när den skickas ut till ledamöterna.',
    ...(f.declineUrl ? [`Kan du inte heller komma? ${link('Meddela förhinder', f.declineUrl)}\nEn annan ersättare kallas då in, om det finns någon.`] : []),
  ]);
}

/** The confirmation to the one who reported förhinder: who was called in instead, or that nobody could be. */
export function declineReceived(f: BoardMeetingFacts & { personName: string; ersattareName?: string }): MailText {
  return compose(`Förhinder anmält: ${BOARD} ${svWhen(f.when, 'start')}`, f.forbundName, [
    `Hej ${f.personName},`,
    `Vi har tagit emot ditt förhinder till ${boardMeeting(f)}.`,
    f.ersattareName
      ? `Ersättaren ${f.ersattareName} har kallats in i ditt ställe.`
      : 'Det finns ingen ersättare som kan kallas in i ditt ställe. Styrelsens sekreterare har fått besked om det.',
  ]);
}

/** A new "can't come" link to one called to a board meeting, after the secretary renewed it: the earlier link no longer works. */
export function declineNewLink(f: BoardMeetingFacts & { personName: string; declineUrl: string }): MailText {
  return compose(`Ny länk för förhinder: ${BOARD} ${svWhen(f.when, 'start')}`, f.forbundName, [
    `Hej ${f.personName},`,
    `Här är en ny personlig länk till ${boardMeeting(f)}. Den tidigare länken för att meddela förhinder fungerar inte längre.`,
    `Kan du inte komma? ${link('Meddela förhinder', f.declineUrl)}\nEn ersättare kallas då in i ditt ställe, om det finns någon.`,
    `Skicka inte vidare länken: den som har den kan meddela förhinder i ditt namn.`,
  ]);
}

/** To a ledamot who could come after all: the förhinder is withdrawn and they are called again (the secretary in copy). */
export function declineWithdrawn(f: BoardMeetingFacts & { personName: string; releasedName?: string }): MailText {
  return compose(`Förhinder återtaget: ${BOARD} ${svWhen(f.when, 'start')}`, f.forbundName, [
    `Hej ${f.personName},`,
    `Ditt förhinder till ${boardMeeting(f)} är återtaget, och du är kallad till sammanträdet igen.`,
    f.releasedName ? `Ersättaren ${f.releasedName}, som var inkallad i ditt ställe, har fått besked att det inte längre behövs.` : 'Ingen ersättare var inkallad i ditt ställe.',
  ]);
}

/** To an ersättare called in for a ledamot who can come after all: not needed any more (with the calendar's cancellation). */
export function ersattareReleased(f: BoardMeetingFacts & { personName: string; forName: string }): MailText {
  return compose(`Du behöver inte komma: ${BOARD} ${svWhen(f.when, 'start')}`, f.forbundName, [
    `Hej ${f.personName},`,
    `Ledamoten ${f.forName} kan ändå komma till ${boardMeeting(f)}. Du behöver därför inte tjänstgöra i ledamotens ställe, och inbjudan i din kalender tas bort.`,
    'Tack för att du ställde upp.',
  ]);
}

/** To the secretary some working days before the kallelse must go: the föredragningslista as it stands, and the quorum. */
export function kallelseDue(
  f: BoardMeetingFacts & { secretaryName: string; kallelseDate: IsoDate; items: AgendaLine[]; quorum: { expected: number; seats: number; quorate: boolean } },
): MailText {
  const q = f.quorum;
  const attendance = `Enligt anmälningarna kommer ${q.expected} av ${q.seats} ledamöter eller ersättare`;
  return compose(`Granska föredragningslistan: kallelsen till ${BOARD} ${svDate(f.when.date)} skickas senast ${svDate(f.kallelseDate)}`, f.forbundName, [
    `Hej ${greeted(f.secretaryName)},`,
    `Kallelsen med föredragningslista till ${BOARD} ${svWhen(f.when)} ska skickas ut senast ${svDayDate(f.kallelseDate)}. Har du inte skickat den tidigare går den ut automatiskt den dagen kl. 8.00.`,
    agendaOf(f.items, 'Föredragningslistan ser just nu ut så här:'),
    'Du kan ändra föredragningslistan i Årscykel fram till dess att kallelsen har skickats.',
    q.quorate
      ? `${attendance}; styrelsen är beslutsför.`
      : `Observera: ${attendance.charAt(0).toLowerCase()}${attendance.slice(1)}; styrelsen är inte beslutsför om inte fler kommer. Kontakta ledamöterna och ersättarna, eller överväg att flytta sammanträdet.`,
  ]);
}

/** To the beredningsgrupp (or, for 'beredning', the presidium): the matters registered for the board meeting, to prepare at their meeting. */
export function beredningsunderlag(f: {
  forbundName: string;
  bodyKind: 'beredningsgrupp' | 'beredning';
  prepWhen: MeetingTime;
  board: BoardMeetingFacts;
  matters: { dnr: string; title: string; owner: string; prepared: boolean }[];
  /** The escalated reports still missing, one line each (reportStatusLines): the item Rapportläge för insatserna. */
  overdueReports?: string[];
}): MailText {
  const greet = greeting([f.bodyKind === 'beredningsgrupp' ? 'beredningsgruppen' : 'presidiet']);
  const prep = `${meetingName(f.bodyKind)} ${svWhen(f.prepWhen)}`;
  const board = `${BOARD} ${svDayDate(f.board.when.date)}`;
  const reports = f.overdueReports?.length
    ? [`Rapportläge för insatserna: ${f.overdueReports.length === 1 ? 'en rapport har' : `${f.overdueReports.length} rapporter har`} inte kommit in trots eskalering. Det tas upp som en punkt på styrelsens föredragningslista:\n${f.overdueReports.map((l) => `– ${l}`).join('\n')}`]
    : [];
  if (!f.matters.length) {
    return compose(`Inga ärenden att bereda till ${BOARD} ${svDate(f.board.when.date)}`, f.forbundName, [
      greet,
      `Inga ärenden är anmälda till ${board}, så det finns inget att bereda på ${prep}.`,
      ...reports,
    ]);
  }
  const lines = f.matters.map((m) => `– ${m.title} (Dnr ${m.dnr}), ansvarig: ${who(m.owner)}${m.prepared ? ' – redan berett' : ''}`);
  const open = f.matters.filter((m) => !m.prepared).length;
  return compose(`Ärenden att bereda till ${BOARD} ${svDate(f.board.when.date)}`, f.forbundName, [
    greet,
    `Följande ${f.matters.length === 1 ? 'ärende är anmält' : 'ärenden är anmälda'} till ${board} och ska beredas på ${prep}:\n${lines.join('\n')}`,
    open > 0
      ? 'Ett ärende som inte är berett i tid flyttas till styrelsens nästa sammanträde.'
      : f.matters.length === 1
        ? 'Ärendet är redan berett.'
        : 'Alla ärendena är redan beredda.',
    ...reports,
  ]);
}

/** To a matter's owner: not prepared in time, it moves to the next board meeting (or waits for one to be planned). */
export function matterMoved(f: { forbundName: string; ownerName: string; dnr: string; title: string; from: BoardMeetingFacts; to?: BoardMeetingFacts }): MailText {
  const matter = `Ärendet ${quote(f.title)} (Dnr ${f.dnr})`;
  return compose(
    `Ärendet ${quote(f.title)} flyttas ${f.to ? `till ${BOARD} ${svDate(f.to.when.date)}` : `från ${BOARD} ${svDate(f.from.when.date)}`}`,
    f.forbundName,
    [
      `Hej ${greeted(f.ownerName)},`,
      f.to
        ? `${matter} var inte berett i tid till ${BOARD} ${svDayDate(f.from.when.date)} och flyttas därför till ${boardMeeting(f.to)}.`
        : `${matter} var inte berett i tid till ${BOARD} ${svDayDate(f.from.when.date)} och flyttas därför till styrelsens nästa sammanträde. Inget senare sammanträde är planerat ännu; ärendet tas upp när nästa sammanträde har planerats.`,
      'Markera ärendet som berett i Årscykel när beredningen är klar.',
    ],
  );
}

/** To the justerare: the minutes are ready to be checked and signed by `due`. */
export function minutesForJustering(f: BoardMeetingFacts & { justerareName: string; due: IsoDate; items: AgendaLine[]; secretaryName?: string; signerRole?: 'ordforande' | 'justerare'; signUrl?: string; sha256?: string }): MailText {
  const role = f.signerRole === 'ordforande' ? 'Som ordförande justerar du protokollet' : 'Du valdes till justerare och ombeds justera protokollet';
  return compose(`Protokoll att justera: ${BOARD} ${svDate(f.when.date)}`, f.forbundName, [
    `Hej ${f.justerareName},`,
    `Protokollet från ${BOARD} ${svDayDate(f.when.date)} är klart för justering. ${role} senast ${svDayDate(f.due)}. Protokollet finns bifogat som pdf-fil (protokoll.pdf).`,
    ...(f.signUrl ? [`${link('Läs och justera protokollet', f.signUrl)}\nLänken är personlig.${f.sha256 ? `\nProtokollets kontrollsumma (SHA-256): ${f.sha256}` : ''}`] : []),
    ['Protokollet innehåller följande paragrafer och beslut:', ...f.items.map(decisionLines)].join('\n'),
    f.secretaryName ? `Hör av dig till sekreteraren ${f.secretaryName} om något behöver rättas.` : 'Hör av dig till kansliet om något behöver rättas.',
  ]);
}

/** To the ordförande or a justerare whose justering link was renewed: the new personal link (the earlier one no longer works). */
export function signNewLink(f: BoardMeetingFacts & { personName: string; signUrl: string; due?: IsoDate; signerRole?: 'ordforande' | 'justerare' }): MailText {
  return compose(`Ny länk för justering av protokollet: ${BOARD} ${svDate(f.when.date)}`, f.forbundName, [
    `Hej ${f.personName},`,
    `Här är en ny personlig länk för att läsa och justera protokollet från ${BOARD} ${svDayDate(f.when.date)}${f.signerRole === 'ordforande' ? ', som du justerar som ordförande' : ''}. Den tidigare länken för att justera protokollet fungerar inte längre.`,
    `${link('Läs och justera protokollet', f.signUrl)}${f.due ? `\nProtokollet ska justeras senast ${svDayDate(f.due)}.` : ''}`,
    'Skicka inte vidare länken: den som har den kan justera protokollet i ditt namn.',
  ]);
}

/** The justerare is reminded before `due`, and told when it has passed. */
export function justeringReminder(f: BoardMeetingFacts & { justerareName: string; due: IsoDate; overdue: boolean }): MailText {
  const minutes = `protokollet från ${BOARD} ${svDate(f.when.date)}`;
  return compose(
    f.overdue ? `Försenad justering: ${minutes} skulle ha justerats ${svDate(f.due)}` : `Påminnelse: ${minutes} ska justeras senast ${svDate(f.due)}`,
    f.forbundName,
    [
      `Hej ${f.justerareName},`,
      f.overdue
        ? `Protokollet från ${BOARD} ${svDayDate(f.when.date)} skulle ha justerats senast ${svDayDate(f.due)} och är ännu inte justerat.`
        : `Protokollet från ${BOARD} ${svDayDate(f.when.date)} ska justeras senast ${svDayDate(f.due)}.`,
      'Protokollet kan inte anslås och besluten kan inte skickas till förbundsmedlemmarna förrän det är justerat.',
    ],
  );
}

/** Protokollsutdrag: the board's decisions, sent to a member organisation once the minutes are justerade. */
export function decisionsToMember(f: BoardMeetingFacts & { memberName: string; justeradAt: IsoDate; items: AgendaLine[] }): MailText {
  const decided = f.items.filter((a) => a.decision);
  return compose(`Protokollsutdrag: ${BOARD} ${svDate(f.when.date)}`, f.forbundName, [
    `Till ${f.memberName},`,
    `Här följer ett utdrag ur protokollet från ${BOARD} ${svDayDate(f.when.date)}, med de beslut som fattades. Protokollet justerades ${svDayDate(f.justeradAt)}.`,
    ...(decided.length ? decided.map(decisionLines) : ['Styrelsen fattade inga beslut vid sammanträdet utöver de formella punkterna.']),
  ]);
}

/** To whom a decision concerns: the protokollsutdrag of its § as a PDF, certified ("Rätt utdraget intygar"). */
export function paragraphExtract(f: BoardMeetingFacts & { personName: string; line: AgendaLine; justeradAt: IsoDate; certifiedBy: string }): MailText {
  return compose(`Protokollsutdrag § ${f.line.paragraph ?? f.line.number}: ${f.line.title}`, f.forbundName, [
    `Hej ${f.personName},`,
    `Beslutet i § ${f.line.paragraph ?? f.line.number} vid ${BOARD} ${svDayDate(f.when.date)} gäller dig. Protokollet justerades ${svDayDate(f.justeradAt)}; ett bestyrkt utdrag (rätt utdraget intygar ${f.certifiedBy}) finns bifogat som pdf-fil.`,
    decisionLines(f.line),
  ]);
}

/** To the official who carries out a decision and reports back to the board: the report is due (or overdue). */
export function followUpDue(f: {
  forbundName: string;
  ownerName: string;
  dnr: string;
  title: string;
  paragraph: number;
  meetingDate: IsoDate;
  decision: string;
  due: IsoDate;
  overdue: boolean;
}): MailText {
  const what = `beslutet i ${quote(f.title)} (§ ${f.paragraph})`;
  return compose(
    f.overdue ? `Försenad återrapportering: ${what} skulle ha återrapporterats ${svDate(f.due)}` : `Återrapportering: ${what} ska återrapporteras senast ${svDate(f.due)}`,
    f.forbundName,
    [
      `Hej ${greeted(f.ownerName)},`,
      `Vid ${BOARD} ${svDayDate(f.meetingDate)} fattades följande beslut i ärendet ${quote(f.title)} (Dnr ${f.dnr}), § ${f.paragraph}:\n${f.decision}`,
      f.overdue
        ? `Du är ansvarig för att verkställa beslutet och återrapportera till styrelsen. Återrapporteringen skulle ha gjorts senast ${svDayDate(f.due)} och har ännu inte kommit in.`
        : `Du är ansvarig för att verkställa beslutet och återrapportera till styrelsen senast ${svDayDate(f.due)}.`,
      'Markera beslutet som återrapporterat i Årscykel när det är gjort.',
    ],
  );
}

// --- money ----------------------------------------------------------------------------------

const kr = formatKr;
const QUARTERS = ['första', 'andra', 'tredje', 'fjärde'];

export interface ReviewFacts {
  forbundName: string;
  year: number;
  quarter: number;
  /** The last month the outcome must cover (3, 6, 9, 12). */
  throughMonth: number;
  names: string[];
}

/** To the economist (and the official): bring the outcome of the quarter in. */
export function actualsDue(f: ReviewFacts & { link: string }): MailText {
  return compose(`Utfall för ${QUARTERS[f.quarter - 1]} kvartalet ${f.year} behövs till prognosen`, f.forbundName, [
    greeting([], f.names),
    `Det är dags för kvartalets genomgång av ekonomin. Lägg in utfallet till och med ${MONTHS[f.throughMonth - 1]} ${f.year} per budgetrad (en SIE-fil från bokföringen eller en CSV-fil går bra), så räknas prognosen för 3 och 6 månader framåt och för helåret.`,
    link('Lägg in utfallet', f.link),
  ]);
}

/** The outcome has not come in: to the official and the presidium. */
export function actualsMissing(f: ReviewFacts & { daysLate: number }): MailText {
  return compose(`Eskalering: utfall saknas för ${QUARTERS[f.quarter - 1]} kvartalet ${f.year}`, f.forbundName, [
    greeting([], f.names),
    `Utfallet till och med ${MONTHS[f.throughMonth - 1]} ${f.year} har inte lagts in, ${plural(f.daysLate, 'dag', 'dagar')} efter påminnelsen. Utan det kan ingen prognos göras för kvartalets genomgång.`,
  ]);
}

export interface DeficitFacts extends ReviewFacts {
  planned: number;
  yearEnd: number;
  at3Months: number;
  at6Months: number;
  equityEnd?: number;
  /** The policy's limits. */
  maxPlannedDeficit: number;
  minEquity: number;
  dnr: string;
  meetingDate?: IsoDate;
  /** A matter already opened by an earlier review: this one updates it. */
  update: boolean;
  lines: { name: string; budget: number; yearEnd: number }[];
}

/** A forecast beyond what the policy allows: to the presidium and the official, with the figures. */
export function deficitForecast(f: DeficitFacts): MailText {
  const limit = f.maxPlannedDeficit > 0 ? `Policyn tillåter ett resultat ned till ${kr(-f.maxPlannedDeficit)}` : 'Policyn tillåter inget underskott';
  const equity = f.equityEnd !== undefined ? ` Eget kapital vid årets slut blir enligt prognosen ${kr(f.equityEnd)} (lägsta tillåtna ${kr(f.minEquity)}).` : '';
  const deviating = f.lines.filter((l) => l.yearEnd !== l.budget).map((l) => `– ${l.name}: budget ${kr(l.budget)}, prognos ${kr(l.yearEnd)}`);
  return compose(`Prognostiserat underskott ${f.year}: ${kr(f.yearEnd)}`, f.forbundName, [
    greeting([], f.names),
    `Prognosen efter ${QUARTERS[f.quarter - 1]} kvartalet visar ett resultat för ${f.year} på ${kr(f.yearEnd)} (budgeterat ${kr(f.planned)}). ${limit}.${equity}`,
    `Prognos: ${kr(f.at3Months)} om tre månader, ${kr(f.at6Months)} om sex månader, ${kr(f.yearEnd)} vid årets slut (ackumulerat resultat).`,
    ...(deviating.length ? [['Rader som avviker från budget:', ...deviating].join('\n')] : []),
    `${f.update ? 'Ärendet' : 'Ett ärende'} ”Prognostiserat underskott” (Dnr ${f.dnr}) ${f.update ? 'har uppdaterats med den nya prognosen' : 'har registrerats'} och tas upp av styrelsen${f.meetingDate ? ` ${svDayDate(f.meetingDate)}` : ' vid nästa sammanträde'}.`,
  ]);
}

/** A later review within the policy again: the board's matter says so. */
export function deficitRecovered(f: ReviewFacts & { yearEnd: number; dnr: string }): MailText {
  return compose(`Prognosen för ${f.year} är åter inom policyn`, f.forbundName, [
    greeting([], f.names),
    `Prognosen efter ${QUARTERS[f.quarter - 1]} kvartalet visar ett resultat för ${f.year} på ${kr(f.yearEnd)}, inom det som policyn tillåter. Ärendet ”Prognostiserat underskott” (Dnr ${f.dnr}) har uppdaterats med detta.`,
  ]);
}

/** The deficit matter as filed: what the board reads on the matter ”Prognostiserat underskott”. */
export interface DeficitMatterFacts {
  year: number;
  quarter: number;
  /** The last month the outcome covers. */
  throughMonth: number;
  planned: number;
  yearEnd: number;
  /** The equity at year end by the forecast, when the equity carried over is known. */
  equityEnd?: number;
  /** The policy's limits. */
  maxPlannedDeficit: number;
  minEquity: number;
  withinPolicy: boolean;
}

/**
 * The deficit matter's description: the forecast against the budget and the financing policy's
 * verdict, in Swedish ('Prognosen efter andra kvartalet 2037 (utfall till och med juni): …').
 */
export function deficitMatterDescription(f: DeficitMatterFacts): string {
  const floor = -f.maxPlannedDeficit;
  const worse = f.planned - f.yearEnd;
  const parts = [
    `Prognosen efter ${QUARTERS[f.quarter - 1]} kvartalet ${f.year} (${f.throughMonth > 0 ? `utfall till och med ${MONTHS[f.throughMonth - 1]}` : 'inget utfall ännu'}): resultat vid årets slut ${kr(f.yearEnd)} (budgeterat ${kr(f.planned)}${worse > 0 ? `, ${kr(worse)} sämre än budgeterat` : ''}).`,
    f.yearEnd < floor
      ? f.maxPlannedDeficit > 0
        ? `Det är ${kr(floor - f.yearEnd)} under vad finansieringspolicyn tillåter, ett resultat ned till ${kr(floor)}.`
        : 'Finansieringspolicyn tillåter inget underskott.'
      : f.yearEnd < 0
        ? `Underskottet ryms inom finansieringspolicyn (högst ${kr(f.maxPlannedDeficit)} under noll).`
        : 'Prognosen visar inget underskott.',
    ...(f.equityEnd !== undefined
      ? [
          f.equityEnd < f.minEquity
            ? `Det egna kapitalet skulle sjunka till ${kr(f.equityEnd)}, ${kr(f.minEquity - f.equityEnd)} under det lägsta tillåtna, ${kr(f.minEquity)}.`
            : `Det egna kapitalet blir ${kr(f.equityEnd)}, inte under det lägsta tillåtna, ${kr(f.minEquity)}.`,
        ]
      : []),
    f.withinPolicy ? 'Prognosen är inom finansieringspolicyn.' : 'Prognosen är utanför finansieringspolicyn och tas därför till styrelsen, som beslutar hur balansen ska återställas.',
  ];
  return parts.join(' ');
}

/** The line a later review within the policy adds to the deficit matter's description. */
export function deficitRecoveredNote(f: { quarter: number; yearEnd: number }): string {
  return `Prognosen efter kvartal ${f.quarter}: resultat vid årets slut ${kr(f.yearEnd)}, inom policyn.`;
}

// --- the year letter of a project's reports ---------------------------------------------------

/** A report the year letter lists: its kind, period, due date and the coordinator's link. */
export interface LetterReport {
  kind: ReportKind;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  dueDate: IsoDate;
  link: string;
}

export interface YearLetterFacts {
  forbundName: string;
  projectName: string;
  coordinatorName: string;
  year: number;
  /**
   * Why the letter comes now: the year began; the project was just added; the project already
   * had its letter and a due date has since moved into this year; or the förbund has just started
   * using Årscykel (go-live) with the project already running.
   */
  occasion: 'newYear' | 'added' | 'changed' | 'goLive';
  /** The reports due in the year, by due date. */
  reports: LetterReport[];
  /**
   * The reports the coordinator still owes whose due date has passed, by due date: listed first.
   * `beforeStart`: due before Årscykel planned the report (the förbund's go-live, or the day the
   * report was added), so no reminders are sent for it.
   */
  overdue?: (LetterReport & { beforeStart?: boolean })[];
  /** Days before the due date the coordinator is reminded (e.g. [14, 3, 0]). */
  reminderDays: number[];
  /** Days after the due date: a reminder with the official in copy, then the beredningsgrupp is told. */
  overdueDays: number;
  escalateDays: number;
  /** The calendar feed of the project's report dates. */
  feedUrl: string;
}

/** 'Kvartalsrapport för perioden 1 januari–31 mars 2027: senast …' and the report's link on the next line. */
const reportLine = (r: LetterReport) => `${capitalize(REPORT_TEXT[r.kind].name)} för perioden ${svPeriod(r.periodStart, r.periodEnd)}: senast ${svDayDate(r.dueDate)}.\n${link('Lämna rapporten', r.link)}`;

/** An overdue report: when it should have been in, and whether reminders come for it. */
const overdueLine = (r: LetterReport & { beforeStart?: boolean }) =>
  `${capitalize(REPORT_TEXT[r.kind].name)} för perioden ${svPeriod(r.periodStart, r.periodEnd)}: skulle ha lämnats senast ${svDayDate(r.dueDate)}.${r.beforeStart ? ' Sista dag låg före starten i Årscykel, så inga påminnelser skickas om den.' : ''}\n${link('Lämna rapporten', r.link)}`;

/** [14, 3, 0] → '14 och 3 dagar före sista dag och på sista dagen' */
function reminderDaysText(days: number[]): string {
  const ds = [...new Set(days)].sort((a, b) => b - a);
  const before = ds.filter((d) => d > 0);
  const parts = [
    ...(before.length ? [`${svList(before.map(String))} ${before.length === 1 && before[0] === 1 ? 'dag' : 'dagar'} före sista dag`] : []),
    ...(ds.includes(0) ? ['på sista dagen'] : []),
  ];
  return parts.join(' och ');
}

/**
 * The letter at the start of the year (or when a project is added, or when the förbund goes live):
 * the reports the coordinator still owes, overdue ones first, then every report date of the year,
 * each with its link; how reminders work; the calendar feed of the dates.
 */
export function reportYearLetter(f: YearLetterFacts): MailText {
  const n = f.reports.length;
  const owed = f.overdue ?? [];
  const k = owed.length;
  const these = (count: number) => (count === 1 ? 'den rapport' : `de ${count} rapporter`);
  const subject = [...(n ? [plural(n, 'sista dag', 'sista dagar')] : []), ...(k ? [`${k} ${k === 1 ? 'försenad' : 'försenade'}`] : [])].join(' och ');
  const overdueFirst = k ? ` Dessutom ${k === 1 ? 'finns en rapport' : `finns ${k} rapporter`} som redan skulle ha lämnats; ${k === 1 ? 'den står' : 'de står'} först.` : '';
  const lead = {
    added: `Insatsen ${quote(f.projectName)} är nu upplagd hos ${f.forbundName}. Här är ${these(n)} som insatsen ska lämna under ${f.year}, med ${n + k === 1 ? 'sista dag' : 'sista dag för var och en'}.${overdueFirst}`,
    newYear: `Ett nytt år har börjat. Här är ${these(n)} som insatsen ${quote(f.projectName)} ska lämna under ${f.year}, med ${n + k === 1 ? 'sista dag' : 'sista dag för var och en'}.${overdueFirst}`,
    changed: `Sista dag för en rapport från insatsen ${quote(f.projectName)} har flyttats till ${f.year}. Här är ${these(n)} som insatsen ska lämna under ${f.year}, med ${n + k === 1 ? 'sista dag' : 'sista dag för var och en'}.${overdueFirst}`,
    goLive: `${f.forbundName} använder från och med nu Årscykel för insatsernas rapporter. Här är ${these(n + k)} som insatsen ${quote(f.projectName)} ännu ska lämna, med ${n + k === 1 ? 'sista dag' : 'sista dag för var och en'}${k && n ? '; de försenade står först' : ''}.`,
  }[f.occasion];
  return compose(`Rapporter ${f.year} för ${quote(f.projectName)}: ${subject}`, f.forbundName, [
    `Hej ${f.coordinatorName},`,
    lead,
    ...(k ? [[`${k === 1 ? 'Försenad rapport' : 'Försenade rapporter'}, att lämna så snart som möjligt:`, ...owed.map(overdueLine)].join('\n\n')] : []),
    ...(n ? [[...(k ? [`Med sista dag under ${f.year}:`] : []), ...f.reports.map(reportLine)].join('\n\n')] : []),
    `Varje rapport lämnas via sin egen länk ovan. Du kan spara ett utkast och fortsätta senare, och rätta en rapport efter att du har lämnat den; varje rättelse sparas som en ny version. ${ONLY_AGGREGATES}`,
    `Påminnelser: du får ett mejl ${reminderDaysText(f.reminderDays)}. Har rapporten inte kommit in får du en påminnelse ${f.overdueDays === 1 ? 'dagen efter' : `${plural(f.overdueDays, 'dag', 'dagar')} efter`} sista dag, och förbundets tjänsteperson får veta det. Efter ${plural(f.escalateDays, 'dag', 'dagar')} får tjänstepersonen och beredningsgruppen besked om förseningen. Infaller en dag på en helg eller helgdag kommer mejlet nästa vardag. När rapporten är inlämnad kommer inga fler påminnelser om den.`,
    `Vill du ha rapportdagarna i din kalender? Prenumerera på dem med länken nedan (i Outlook: Lägg till kalender, Från Internet, och klistra in länkens adress). Kalendern uppdateras om en sista dag flyttas.\n${link('Rapportdagarna som kalender', f.feedUrl)}`,
  ]);
}

// --- the day's digest -------------------------------------------------------------------------

export interface DigestFacts {
  forbundName: string;
  personName: string;
  /** The day it covers (the digest's date). */
  day: IsoDate;
  sections: { section: string; lines: { subject: string; link: string | null }[] }[];
  /** Att göra, where every pending step is. */
  todoUrl: string;
}

/**
 * "Dagens läge": the routine notices since the last digest, by section, each with its link, and
 * the way to *Att göra*. One mail a day at most, instead of one mail per notice.
 */
export function dagensLage(f: DigestFacts): MailText {
  const n = f.sections.reduce((sum, s) => sum + s.lines.length, 0);
  return compose(`Dagens läge ${svDate(f.day)}: ${plural(n, 'sak', 'saker')} att känna till`, f.forbundName, [
    `Hej ${greeted(f.personName)},`,
    `Här är det som har hänt i förbundets år sedan förra sammanfattningen. Du får de här beskeden samlat en gång om dagen i stället för ett mejl för varje.`,
    ...f.sections.map((s) => `${s.section}\n${s.lines.map((l) => `– ${l.subject}${l.link ? `\n  ${link('Öppna', l.link)}` : ''}`).join('\n')}`),
    `Allt som väntar på någon finns under Att göra. ${link('Öppna Att göra', f.todoUrl)}`,
  ]);
}

// --- signing in -------------------------------------------------------------------------------

/**
 * The sign-in link, to an address that asked for it on the sign-in page: the link, how long it
 * holds (once, in the browser that asked), and what to do if the reader did not ask. From the
 * förbund (or förbunden) the address belongs to.
 */
export function signInMail(f: { forbundNames: string[]; personName: string; link: string; minutes: number }): MailText {
  return compose('Din inloggningslänk till Årscykel', svList(f.forbundNames), [
    `Hej ${greeted(f.personName)},`,
    `Du bad om att få logga in i Årscykel med den här e-postadressen. Öppna länken i samma webbläsare som du bad om den i och tryck på Logga in.\n${link('Logga in i Årscykel', f.link)}`,
    `Länken gäller i ${plural(f.minutes, 'minut', 'minuter')} och kan bara användas en gång. Har den hunnit gå ut kan du be om en ny på inloggningssidan.`,
    `Bad du inte om att logga in kan du bortse från mejlet: ingen kan logga in med länken i en annan webbläsare. Skicka inte vidare länken.`,
  ]);
}

// --- the statutory chain: årsredovisning and delårsrapport to the revisorer and the members --

const REPORT_SV: Record<'arsredovisning' | 'delarsrapport', string> = { arsredovisning: 'årsredovisning', delarsrapport: 'delårsrapport' };

/** The adopted report goes to each revisor, with its handlingar and the justerat protokoll that adopted it. */
export function reportToAuditor(f: { forbundName: string; auditorName: string; kind: 'arsredovisning' | 'delarsrapport'; year: number; adoptedBy: string; adoptedOn: IsoDate; attached: string[]; pagesUrl: string }): MailText {
  const what = `${capitalize(REPORT_SV[f.kind])} ${f.year}`;
  return compose(`${what} för granskning`, f.forbundName, [
    `Hej ${greeted(f.auditorName)},`,
    `Styrelsen antog ${REPORT_SV[f.kind]}en för ${f.year} ${svDayDate(f.adoptedOn)} (${f.adoptedBy}). Du får den som förbundets revisor.`,
    f.attached.length ? `Bifogat: ${svList(f.attached)}.` : `Handlingarna finns på dina sidor i Årscykel.`,
    `Som revisor läser du årets protokoll, budgetuppföljningen och ${REPORT_SV[f.kind]}en under Revision: ${f.pagesUrl}`,
    ...(f.kind === 'arsredovisning' ? ['När revisionsberättelsen är klar skickar ni den till förbundet, som registrerar den och sänder den vidare till medlemmarna.'] : []),
  ]);
}

/** To each member's registrator: the adopted report, the revisionsberättelse and the protokoll; for the årsredovisning, the request for the member's decision on ansvarsfrihet. */
export function reportToMember(f: {
  forbundName: string;
  memberName: string;
  kind: 'arsredovisning' | 'delarsrapport';
  year: number;
  adoptedBy: string;
  adoptedOn: IsoDate;
  auditReportOn?: IsoDate | null;
  attached: string[];
  replyBy?: IsoDate | null;
  link?: string | null;
}): MailText {
  const what = `${capitalize(REPORT_SV[f.kind])} ${f.year}`;
  const discharge = f.kind === 'arsredovisning';
  return compose(discharge ? `${what}, revisionsberättelse och beslut om ansvarsfrihet` : `${what} för kännedom`, f.forbundName, [
    `Till registratorn, ${f.memberName}`,
    `Styrelsen för ${f.forbundName} antog ${REPORT_SV[f.kind]}en för ${f.year} ${svDayDate(f.adoptedOn)} (${f.adoptedBy}).` +
      (discharge && f.auditReportOn ? ` Revisorernas revisionsberättelse är daterad ${svDayDate(f.auditReportOn)}.` : ''),
    f.attached.length ? `Bifogat: ${svList(f.attached)}.` : '',
    ...(discharge
      ? [
          `Varje medlem i förbundet beslutar om ansvarsfrihet för styrelsen. Vi ber ${f.memberName} att fatta beslut senast ${svDayDate(f.replyBy!)} och meddela oss beslutet, med datum och er referens (diarienummer eller paragraf).`,
          `Meddela beslutet här: ${f.link}`,
          'Länken är personlig för er organisation. Beslutet kan också skickas till förbundet med e-post.',
        ]
      : [`Delårsrapporten skickas för kännedom; den kräver inget beslut av ${f.memberName}.`]),
  ].filter(Boolean));
}

/** A reminder to a member's registrator: before the reply date, and after it (late). */
export function dischargeReminder(f: { forbundName: string; memberName: string; year: number; sentOn: IsoDate; replyBy: IsoDate; late: boolean; link: string }): MailText {
  return compose(
    f.late ? `Påminnelse: beslut om ansvarsfrihet för ${f.year} har inte kommit in` : `Påminnelse: beslut om ansvarsfrihet för ${f.year} senast ${svDate(f.replyBy)}`,
    f.forbundName,
    [
      `Till registratorn, ${f.memberName}`,
      `${capitalize(svDayDate(f.sentOn))} skickade vi årsredovisningen för ${f.year} med revisionsberättelsen och protokollet, och bad ${f.memberName} att besluta om ansvarsfrihet för styrelsen senast ${svDayDate(f.replyBy)}.`,
      f.late ? `Vi har ännu inte fått ${f.memberName}s beslut. Om beslutet är fattat: meddela det här, med datum och er referens.` : `Meddela beslutet här när det är fattat, med datum och er referens.`,
      f.link,
    ],
  );
}

/** The receipt the registrator's link page and the official see: what was recorded. */
export function dischargeRecordedText(f: { memberName: string; year: number; outcome: 'beviljad' | 'inte_beviljad'; decidedOn: IsoDate; reference?: string | null }): string {
  return `${f.memberName} beslutade ${svDayDate(f.decidedOn)} att ${f.outcome === 'beviljad' ? 'bevilja' : 'inte bevilja'} styrelsen ansvarsfrihet för ${f.year}${f.reference ? ` (${f.reference})` : ''}.`;
}

// --- the budget decided in time: samråd with the members, the October notice -------------------

/** What the mails of the budget's samråd with one member say. */
export interface SamradMailFacts {
  forbundName: string;
  /** The member (the municipality, the region, the agency) by name. */
  memberName: string;
  /** The budget year consulted on. */
  budgetYear: number;
  replyBy: IsoDate;
  /** The official's message with the proposal. */
  message?: string;
  /** The budget proposal in figures, when the förbund has a budget for the year. */
  totals?: { income: number; costs: number; result: number };
  /** The member's contribution in the proposal. */
  contribution?: number;
  /** The day the proposal was sent (in the reminders). */
  sentOn?: IsoDate;
}

const proposalFigures = (f: SamradMailFacts): string[] => [
  ...(f.totals ? [`Förslaget i korthet: intäkter ${kr(f.totals.income)}, kostnader ${kr(f.totals.costs)}, resultat ${kr(f.totals.result)}.`] : []),
  ...(f.contribution !== undefined ? [`${f.memberName} bidrar enligt förslaget med ${kr(f.contribution)} under ${f.budgetYear}.`] : []),
];

/** To a member: the budget proposal for the coming year, for samråd, with the day to reply by. */
export function samradProposal(f: SamradMailFacts): MailText {
  return compose(`Samråd om budget ${f.budgetYear}: svar senast ${svDate(f.replyBy)}`, f.forbundName, [
    `Till ${f.memberName},`,
    `${f.forbundName} skickar förslaget till budget för ${f.budgetYear} till förbundets medlemmar för samråd innan styrelsen beslutar om budgeten. Styrelsen beslutar om verksamhetsplan och budget för ${f.budgetYear} senast i november ${f.budgetYear - 1}.`,
    ...(f.message ? [f.message] : []),
    ...proposalFigures(f),
    `Vi vill ha synpunkter från ${f.memberName} senast ${svDayDate(f.replyBy)}. Svara genom att besvara det här meddelandet eller skriv till kansliet.`,
  ]);
}

/** To a member without a reply: a reminder before the reply date, or (`late`) on the first working day after it. */
export function samradReminder(f: SamradMailFacts, late: boolean): MailText {
  const sent = f.sentOn ? ` som skickades ${svDayDate(f.sentOn)}` : '';
  return compose(late ? `Försenat svar: samråd om budget ${f.budgetYear}` : `Påminnelse: samråd om budget ${f.budgetYear}, svar senast ${svDate(f.replyBy)}`, f.forbundName, [
    `Till ${f.memberName},`,
    late
      ? `Vi har ännu inte fått svar från ${f.memberName} på samrådet om förslaget till budget för ${f.budgetYear}${sent}. Svaret skulle ha kommit senast ${svDayDate(f.replyBy)}. Styrelsen ska besluta om budgeten senast i november ${f.budgetYear - 1}; skicka era synpunkter så snart som möjligt.`
      : `Vi vill påminna om samrådet om förslaget till budget för ${f.budgetYear}${sent}. Vi vill ha synpunkter från ${f.memberName} senast ${svDayDate(f.replyBy)}.`,
    'Svara genom att besvara det här meddelandet eller skriv till kansliet. Har ni redan svarat kan ni bortse från det här meddelandet.',
  ]);
}

/** The October notice's facts: when the budget matter must be on an agenda, or that an extra meeting is needed. */
export type BudgetAgendaFacts = { forbundName: string; year: number; decidedBy: IsoDate } & ({ kind: 'agenda'; meetingDate: IsoDate; mattersBy: IsoDate } | { kind: 'extra' });

/** To the official and the presidium in October: no board meeting by 30 November is to decide the budget for next year. */
export function budgetAgendaNotice(f: BudgetAgendaFacts, to: CycleAudience): MailText {
  const next = f.year + 1;
  return compose(
    f.kind === 'agenda' ? `Budget ${next} behöver tas upp på styrelsens möte ${svDate(f.meetingDate)}` : `Budget ${next}: ett extra styrelsemöte behövs före ${svDate(f.decidedBy)}`,
    f.forbundName,
    [
      greeting(cycleGroups(to), to.names),
      `Verksamhetsplan och budget för ${next} ska diskuteras i oktober och beslutas av styrelsen senast i november (${svDayDate(f.decidedBy)}). Inget av styrelsens planerade sammanträden fram till dess har ärendet ”Verksamhetsplan och budget för ${next}” och budgeten är inte antagen.`,
      f.kind === 'agenda'
        ? `Styrelsens sista sammanträde före den ${svDate(f.decidedBy)} är ${svDayDate(f.meetingDate)}. Ärendet om verksamhetsplan och budget behöver vara anmält till föredragningslistan senast ${svDayDate(f.mattersBy)}.`
        : `Inget av styrelsens planerade sammanträden ligger så att ärendet hinner tas upp före den ${svDate(f.decidedBy)}. Ett extra sammanträde behöver kallas in så att styrelsen kan besluta om verksamhetsplan och budget i tid.`,
    ],
  );
}

// --- funding applications and conditional starts (issue 20) ---------------------------------

/** A funding application's grant as the matter shows it: "Ansökan: Steg framåt 2027, 400 000 kr, ur budgetraden Insatser". */
export function fundingText(f: { projectName: string; year: number; amount: number; budgetLineName?: string | null }): string {
  return `Ansökan: ${f.projectName} ${f.year}, ${formatKr(f.amount)}${f.budgetLineName ? `, ur budgetraden ${f.budgetLineName}` : ''}`;
}

/** A grant the board decided, as the project shows it: "Beviljat 2027: 400 000 kr, beslut 2027-00012 § 5". */
export function grantDecisionText(g: { year: number; amount: number; ref: string; granted?: boolean }): string {
  return g.granted === false ? `Avslag ${g.year}: ansökan om ${formatKr(g.amount)}, ${g.ref}` : `Beviljat ${g.year}: ${formatKr(g.amount)}, ${g.ref}`;
}

/** A project's conditional start: "Villkorad start: … — väntar på beslut", or when the condition was met. */
export function conditionalStartText(c: { condition: string; metOn?: IsoDate | null }): string {
  return `Villkorad start: ${c.condition} — ${c.metOn ? `villkoret uppfyllt ${svDate(c.metOn)}` : 'väntar på beslut'}`;
}
