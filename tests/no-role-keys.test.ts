// Nothing a person receives or files carries a role key or English (issue 17: "Verkställs av
// official" in the protokoll, "Escalate to the board: …" on the deficit matter). Every export of
// domain/texts.ts is rendered here with realistic inputs, including role keys where a caller may
// pass an unresolved owner (actionBy, ownerName, owner, names), and the PDFs are read back as a
// person reads them; a new text function without a case here fails the first test. Then the
// stored agenda is resolved to names and Swedish titles from a real database, as the protokoll,
// the justerare's mail and the protokollsutdrag print it.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import * as texts from '../domain/texts.js';
import type { AgendaLine, BoardMeetingFacts, CycleMailFacts, DeficitFacts, InviteFacts, MailText, ReportMailFacts, ReviewFacts, YearLetterFacts } from '../domain/texts.js';
import { kallelsePdf } from '../domain/kallelse-pdf.js';
import { followUpCsv, followUpPdf } from '../domain/budgetuppfoljning.js';
import { memberContributions, type YearBudget } from '../domain/budget.js';
import { forecast } from '../domain/prognos.js';
import type { ReportKind } from '../domain/rapportering.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import { openDatabase, type Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { ownerLabel } from '../services/people.js';
import { agendaLinesOf } from '../services/styrelse.js';
import { MEMBERS_YAML } from './support/fixtures.js';
import { pdfText } from './support/pdf.js';

// --- what must not be read ---------------------------------------------------------------------

/** The role keys of people, seats, owners and tokens. */
const ROLE_KEYS = ['official', 'secretary', 'economist', 'chair', 'vice_chair', 'board_member', 'member', 'deputy', 'coordinator', 'auditor', 'admin'];
/**
 * Common English, and the words of this domain in English. Words that are also Swedish are left out
 * (in: "kallas in", be: "be om", men, by, agenda, policy, budget, insats…).
 */
const ENGLISH = [
  'the', 'and', 'of', 'to', 'is', 'are', 'was', 'not', 'no', 'yes', 'with', 'from', 'for', 'at', 'on', 'this', 'that', 'will', 'has', 'have', 'been', 'your', 'you',
  'please', 'dear', 'hello', 'regards', 'board', 'meeting', 'minutes', 'escalate', 'escalation', 'forecast', 'deficit', 'report', 'reminder', 'overdue', 'due',
  'deadline', 'submit', 'decision', 'members', 'matter', 'within', 'outside', 'below', 'above', 'result', 'equity', 'year', 'month', 'quarter', 'days', 'late',
  'project', 'outcome', 'allowed', 'planned', 'worse', 'undefined', 'null', 'NaN', 'true', 'false', 'object',
];
/** A word on its own: not inside a longer word, Swedish letters counting as letters. */
const word = (ws: string[]) => new RegExp(`(?<![\\p{L}\\p{N}_])(${ws.join('|')})(?![\\p{L}\\p{N}_])`, 'iu');
const ROLE_KEY = word(ROLE_KEYS);
const ENGLISH_WORD = word(ENGLISH);
/** Keys as code spells them: snake_case ('vice_chair', 'planning_day') and camelCase ('halfYear'). */
const CODE_KEY = /(?<![\p{L}\p{N}_])(\p{Ll}+_[\p{L}_]+|\p{Ll}+\p{Lu}\p{L}*)(?![\p{L}\p{N}_])/u;

/** What a person reads: addresses and links left out (they may spell anything), HTML tags and entities undone. */
function readable(s: string): string {
  return s
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!)
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, ' ');
}

/** Fails, saying where, on a role key, English, or a key as code spells it. */
function expectNoKeysOrEnglish(where: string, s: string) {
  const t = readable(s);
  for (const [what, re] of [['a role key', ROLE_KEY], ['English', ENGLISH_WORD], ['a code key', CODE_KEY]] as const) {
    const m = re.exec(t);
    expect(m, `${where}: ${what} "${m?.[0]}" in …${t.slice(Math.max(0, (m?.index ?? 0) - 60), (m?.index ?? 0) + 60)}…`).toBeNull();
  }
}

/** The parts of a mail a person reads. */
const partsOf = (x: unknown): string[] => {
  if (typeof x === 'string') return [x];
  if (Array.isArray(x)) return x.flatMap(partsOf);
  const m = x as MailText;
  return [m.subject, m.text, m.html];
};

// --- realistic inputs, with role keys where an unresolved owner could slip through ----------------

const F = 'Samordningsförbundet Sydnärke';
const LINK = 'https://arscykel.example/submit/abc?token=t0k3n';
const board: BoardMeetingFacts = { forbundName: F, when: { date: '2037-02-26', start: '09:00', end: '12:00' }, location: 'Kumla stadshus' };
const april: BoardMeetingFacts = { forbundName: F, when: { date: '2037-04-23', start: '13:00', end: '16:00' }, location: 'Hallsbergs kommunhus' };
const items: AgendaLine[] = [
  { number: 1, title: 'Mötets öppnande', paragraph: 1 },
  { number: 2, title: 'Val av justerare', paragraph: 2, decision: 'Styrelsen väljer Örjan Åkesson att justera protokollet.' },
  {
    number: 3,
    title: 'Ansökan om medel för ”Steg framåt”',
    dnr: '2037-00003',
    paragraph: 3,
    documents: [{ title: 'Tjänsteskrivelse', url: 'https://arscykel.example/d/1' }],
    decision: 'Styrelsen beviljar 450 000 kronor för perioden 1 mars–31 december 2037.',
    actionBy: 'Örjan Tjänsteman (förbundschef)',
    actionDue: '2037-04-30',
  },
  // A role key as stored, never resolved: printed as the function, not the key.
  { number: 4, title: 'Prognostiserat underskott 2037', dnr: '2037-00004', paragraph: 4, decision: 'Styrelsen ger förbundschefen i uppdrag att ta fram en åtgärdsplan.', actionBy: 'official', actionDue: '2037-05-28' },
  { number: 5, title: 'Verksamhetsplan och budget', dnr: '2037-00005', paragraph: 5, decision: 'Styrelsen fastställer verksamhetsplanen.', actionBy: 'secretary' },
  { number: 6, title: 'Årsredovisning 2036', dnr: '2037-00006', paragraph: 6, decision: 'Styrelsen godkänner årsredovisningen.', actionBy: 'vice_chair', actionDue: '2037-03-31' },
  { number: 7, title: 'Övriga frågor', paragraph: 7 },
  { number: 8, title: 'Mötets avslutande', paragraph: 8 },
];
const KINDS: ReportKind[] = ['quarterly', 'halfYear', 'annual', 'final', 'financial'];
const report = (kind: ReportKind): ReportMailFacts => ({ forbundName: F, projectName: 'På väg', coordinatorName: 'Åsa Öberg', kind, periodStart: '2037-01-01', periodEnd: '2037-06-30', dueDate: '2037-07-29', link: LINK, adminUrl: 'https://arscykel.example/admin/rapporter/abc' });
const milestone = (ownerName: string): CycleMailFacts => ({ forbundName: F, title: 'Årsredovisning med bokslut', dueDate: '2037-02-12', ownerName, meetingKind: 'styrelse', meetingDate: '2037-02-26', markUrl: 'https://arscykel.example/admin#steg-milestone-abc' });
const review = (names: string[]): ReviewFacts => ({ forbundName: F, year: 2037, quarter: 2, throughMonth: 6, names });
const deficit = (over: Partial<DeficitFacts> = {}): DeficitFacts => ({
  ...review(['Eva Ärlig', 'official']),
  planned: -900_000,
  yearEnd: -1_250_000,
  at3Months: -700_000,
  at6Months: -1_000_000,
  equityEnd: 150_000,
  maxPlannedDeficit: 900_000,
  minEquity: 500_000,
  dnr: '2037-00012',
  meetingDate: '2037-08-28',
  update: false,
  lines: [{ name: 'Insatser', budget: 3_000_000, yearEnd: 3_350_000 }, { name: 'Personal', budget: 400_000, yearEnd: 400_000 }],
  ...over,
});
const MEETING_KINDS = ['styrelse', 'presidium', 'beredningsgrupp', 'beredning', 'planning_day'];
const invite = (kind: string, over: Partial<InviteFacts> = {}): InviteFacts => ({ forbundName: F, kind, when: { date: '2037-02-05', start: '09:00', end: '11:00' }, location: 'Kumla stadshus', change: 'new', ...over });
const yearLetter = (occasion: YearLetterFacts['occasion'], n: number): YearLetterFacts => ({
  forbundName: F,
  projectName: 'Steg framåt',
  coordinatorName: 'Åsa Öberg',
  year: 2037,
  occasion,
  reports: KINDS.slice(0, n).map((kind, i) => ({ kind, periodStart: '2037-01-01', periodEnd: `2037-0${3 + i}-30`, dueDate: `2037-0${4 + i}-15`, link: `${LINK}&r=${i}` })),
  reminderDays: [14, 3, 0],
  overdueDays: 1,
  escalateDays: 7,
  feedUrl: 'https://arscykel.example/feeds/abc.ics',
});

/**
 * Every export of domain/texts.ts that is a function, with the outputs a person may read. Typed so
 * that a function export without a case does not compile; checked again at run time below.
 */
type TextFunctions = { [K in keyof typeof texts as (typeof texts)[K] extends (...args: never[]) => unknown ? K : never]: () => unknown };
const cases: TextFunctions = {
  svDate: () => [texts.svDate('2037-02-26')],
  svDayDate: () => [texts.svDayDate('2037-02-26')],
  svTime: () => [texts.svTime('09:00')],
  svInstant: () => [texts.svInstant('2037-03-04T09:20:00Z')],
  svPeriod: () => [texts.svPeriod('2037-01-01', '2037-06-30'), texts.svPeriod('2036-07-01', '2037-06-30')],
  svWhen: () => (['long', 'short', 'start'] as const).map((s) => texts.svWhen(board.when, s)),
  svList: () => [texts.svList(['Åsa', 'Örjan', 'Eva'])],
  titlesOfRole: () => ROLE_KEYS.map((r) => Object.values(texts.titlesOfRole(r) ?? {}).join(' ')),
  roleTitle: () => ROLE_KEYS.map((r) => texts.roleTitle(r) ?? ''),
  nameWithTitle: () => ROLE_KEYS.map((r) => texts.nameWithTitle('Örjan Tjänsteman', texts.roleTitle(r))),
  meetingName: () => [...MEETING_KINDS, 'okänd'].map(texts.meetingName),
  escapeHtml: () => [texts.escapeHtml('Samverkan R&D <pilot> ”Arbetsförmedlingen”')],
  signature: () => [texts.signature(F)],
  greeting: () => [texts.greeting(['verkställande tjänsteman', 'presidiet']), texts.greeting([], ['Åsa Öberg', 'official']), texts.greeting([])],
  reportReminder: () => KINDS.flatMap((k) => [14, 1, 0].map((d) => texts.reportReminder(report(k), d))),
  reportOverdue: () => KINDS.map((k) => texts.reportOverdue(report(k), ['Örjan Tjänsteman, verkställande tjänsteman,'])),
  reportEscalation: () => [
    texts.reportEscalation(report('halfYear'), 8, { official: true, beredningsgrupp: true, coordinatorInCopy: true }),
    texts.reportEscalation(report('final'), 1, { official: false, beredningsgrupp: false, coordinatorInCopy: false, names: ['official'] }),
  ],
  milestoneName: () => [texts.milestoneName('VP och budget')],
  milestoneReminder: () => [14, 1, 0].flatMap((d) => [texts.milestoneReminder(milestone('Eva Ekonom'), d), texts.milestoneReminder(milestone('economist'), d), texts.milestoneReminder({ ...milestone('chair'), byDecision: true, markUrl: 'https://arscykel.example/admin/ar/2037#moment' }, d)]),
  milestoneOverdue: () => [texts.milestoneOverdue({ ...milestone('chair'), copyTo: ['Örjan Tjänsteman, verkställande tjänsteman,'] }), texts.milestoneOverdue({ ...milestone('Eva Ekonom'), greetName: 'official' })],
  milestoneEscalation: () => [
    texts.milestoneEscalation(milestone('economist'), 5, { official: true, presidium: true, secretary: true }),
    texts.milestoneEscalation(milestone('Eva Ekonom'), 1, { official: false, presidium: false, names: ['Örjan Tjänsteman'] }),
  ],
  kallelseReminder: () => [texts.kallelseReminder({ forbundName: F, secretaryName: 'secretary', meetingKind: 'styrelse', meeting: board.when, kallelseDate: '2037-02-19' })],
  calendarMissing: () => [texts.calendarMissing({ forbundName: F, nextYear: 2038, lastMeetingDate: '2037-12-16' }, { official: true, presidium: true, secretary: true }), texts.calendarMissing({ forbundName: F, nextYear: 2038, lastMeetingDate: '2037-12-16' }, { official: false, presidium: false, names: ['official'] })],
  inviteDetails: () => [
    texts.inviteDetails(invite('beredningsgrupp', { prepares: { kind: 'styrelse', when: board.when, kallelse: '2037-02-19' }, preparedMatters: [{ title: 'Årsredovisning 2036', dueDate: '2037-02-12' }] })),
    texts.inviteDetails(invite('styrelse', { preparation: { beredningsgrupp: '2037-02-05', beredning: '2037-02-12', matters: '2037-02-12', kallelse: '2037-02-19' }, matters: [{ title: 'Årsredovisning 2036', dueDate: '2037-02-12' }] })),
    texts.inviteDetails(invite('styrelse', { preparation: { matters: '2037-02-26', kallelse: '2037-02-19' } })),
    texts.inviteDetails(invite('styrelse', { preparation: { matters: '2037-02-26', kallelse: '2037-02-19' }, kallelseSent: '2037-02-18', matters: [{ title: 'Årsredovisning 2036', dueDate: '2037-02-12' }] })),
  ],
  inviteMail: () =>
    MEETING_KINDS.flatMap((k) => [
      texts.inviteMail(invite(k, { declineUrl: LINK, matters: [{ title: 'Delårsrapport', dueDate: '2037-02-12' }] })),
      texts.inviteMail(invite(k, { change: 'update', when: { date: '2037-02-06', start: '13:00', end: '15:00' }, previous: { when: { date: '2037-02-05', start: '09:00', end: '11:00' }, location: 'Örebro' } })),
      texts.inviteMail(invite(k, { change: 'update', previous: { when: { date: '2037-02-05', start: '09:00', end: '11:00' }, location: 'Örebro' } })),
      texts.inviteMail(invite(k, { change: 'update' })),
      texts.inviteMail(invite(k, { change: 'cancelled' })),
      // After the kallelse; to one who reported förhinder; to an ersättare no longer called in.
      texts.inviteMail(invite(k, { change: 'update', kallelseSent: '2037-02-01', answer: 'declined', declineUrl: LINK, previous: { when: { date: '2037-02-04', start: '09:00', end: '11:00' } } })),
      texts.inviteMail(invite(k, { change: 'update', answer: 'released', previous: { when: { date: '2037-02-04', start: '09:00', end: '11:00' } } })),
    ]),
  agendaLine: () => items.map(texts.agendaLine),
  actionOf: () => items.map(texts.actionOf),
  kallelseMail: () => [
    texts.kallelseMail({ ...board, items, chairName: 'Eva Ärlig', secretaryName: 'Sara Sekreterare', forInformation: false, declineUrl: LINK }),
    texts.kallelseMail({ ...board, items, forInformation: true, declineUrl: LINK }),
  ],
  ersattareCallIn: () => [texts.ersattareCallIn({ ...board, personName: 'Elsa Kommun', forName: 'Karin Kommun', memberName: 'Kumla kommun', declineUrl: LINK, items }), texts.ersattareCallIn({ ...board, personName: 'Elsa Kommun', forName: 'Karin Kommun' })],
  declineNewLink: () => [texts.declineNewLink({ ...board, personName: 'Karin Kommun', declineUrl: 'https://arscykel.example/meetings/m/forhinder/p?token=t0k3n' })],
  signNewLink: () => [
    texts.signNewLink({ ...board, personName: 'Karin Kommun', signUrl: 'https://arscykel.example/meetings/m/justera/p?token=t0k3n', due: '2037-03-12', signerRole: 'justerare' }),
    texts.signNewLink({ ...board, personName: 'Olivia Ordförande', signUrl: 'https://arscykel.example/meetings/m/justera/p?token=t0k3n', signerRole: 'ordforande' }),
  ],
  declineReceived: () => [texts.declineReceived({ ...board, personName: 'Karin Kommun', ersattareName: 'Elsa Kommun' }), texts.declineReceived({ ...board, personName: 'Karin Kommun' })],
  kallelseDue: () => [
    texts.kallelseDue({ ...board, secretaryName: 'Sara Sekreterare', kallelseDate: '2037-02-19', items, quorum: { expected: 4, seats: 4, quorate: true } }),
    texts.kallelseDue({ ...board, secretaryName: 'secretary', kallelseDate: '2037-02-19', items, quorum: { expected: 1, seats: 4, quorate: false } }),
  ],
  beredningsunderlag: () =>
    (['beredningsgrupp', 'beredning'] as const).flatMap((bodyKind) => [
      texts.beredningsunderlag({ forbundName: F, bodyKind, prepWhen: { date: '2037-02-05', start: '09:00', end: '11:00' }, board, matters: [{ dnr: '2037-00003', title: 'Ansökan om medel', owner: 'Örjan Tjänsteman (förbundschef)', prepared: false }, { dnr: '2037-00004', title: 'Budget', owner: 'economist', prepared: true }] }),
      texts.beredningsunderlag({ forbundName: F, bodyKind, prepWhen: { date: '2037-02-05' }, board, matters: [{ dnr: '2037-00004', title: 'Budget', owner: 'chair', prepared: true }] }),
      texts.beredningsunderlag({ forbundName: F, bodyKind, prepWhen: { date: '2037-02-05' }, board, matters: [] }),
    ]),
  matterMoved: () => [texts.matterMoved({ forbundName: F, ownerName: 'official', dnr: '2037-00003', title: 'Ansökan om medel', from: board, to: april }), texts.matterMoved({ forbundName: F, ownerName: 'Örjan Tjänsteman', dnr: '2037-00003', title: 'Ansökan om medel', from: board })],
  minutesForJustering: () => [texts.minutesForJustering({ ...board, justerareName: 'Karin Kommun', due: '2037-03-12', items, secretaryName: 'Sara Sekreterare' }), texts.minutesForJustering({ ...board, justerareName: 'Karin Kommun', due: '2037-03-12', items })],
  justeringReminder: () => [true, false].map((overdue) => texts.justeringReminder({ ...board, justerareName: 'Karin Kommun', due: '2037-03-12', overdue })),
  decisionsToMember: () => [texts.decisionsToMember({ ...board, memberName: 'Kumla kommun', justeradAt: '2037-03-10', items }), texts.decisionsToMember({ ...board, memberName: 'Kumla kommun', justeradAt: '2037-03-10', items: items.filter((a) => !a.decision) })],
  declineWithdrawn: () => [texts.declineWithdrawn({ ...board, personName: 'Karin Kommun', releasedName: 'Elsa Kommun' }), texts.declineWithdrawn({ ...board, personName: 'Karin Kommun' })],
  ersattareReleased: () => [texts.ersattareReleased({ ...board, personName: 'Elsa Kommun', forName: 'Karin Kommun' })],
  paragraphExtract: () => items.filter((a) => a.decision).map((line) => texts.paragraphExtract({ ...board, personName: 'Örjan Tjänsteman', line, justeradAt: '2037-03-10', certifiedBy: 'Sara Sekreterare, sekreterare' })),
  reportToAuditor: () => (['arsredovisning', 'delarsrapport'] as const).map((kind) => texts.reportToAuditor({ forbundName: F, auditorName: 'Rut Revisor', kind, year: 2036, adoptedBy: 'beslut 2037-00004 § 6', adoptedOn: '2037-03-12', attached: ['Årsredovisning 2036'], pagesUrl: 'https://arscykel.example/admin/revision' })),
  reportToMember: () => (['arsredovisning', 'delarsrapport'] as const).map((kind) => texts.reportToMember({ forbundName: F, memberName: 'Kumla kommun', kind, year: 2036, adoptedBy: 'beslut 2037-00004 § 6', adoptedOn: '2037-03-12', auditReportOn: '2037-03-30', attached: ['Årsredovisning 2036'], replyBy: '2037-06-30', link: LINK })),
  dischargeReminder: () => [true, false].map((late) => texts.dischargeReminder({ forbundName: F, memberName: 'Kumla kommun', year: 2036, sentOn: '2037-04-02', replyBy: '2037-06-30', late, link: LINK })),
  dischargeRecordedText: () => (['beviljad', 'inte_beviljad'] as const).map((outcome) => texts.dischargeRecordedText({ memberName: 'Kumla kommun', year: 2036, outcome, decidedOn: '2037-05-20', reference: 'KF § 45' })),
  followUpDue: () => [true, false].map((overdue) => texts.followUpDue({ forbundName: F, ownerName: 'official', dnr: '2037-00003', title: 'Ansökan om medel', paragraph: 3, meetingDate: '2037-02-26', decision: 'Styrelsen beviljar 450 000 kronor.', due: '2037-04-30', overdue })),
  actualsDue: () => [texts.actualsDue({ ...review(['Eva Ekonom', 'economist']), link: LINK })],
  actualsMissing: () => [texts.actualsMissing({ ...review(['official']), daysLate: 10 })],
  deficitForecast: () => [texts.deficitForecast(deficit()), texts.deficitForecast(deficit({ update: true, maxPlannedDeficit: 0, meetingDate: undefined, equityEnd: undefined }))],
  deficitRecovered: () => [texts.deficitRecovered({ ...review(['official']), yearEnd: 120_000, dnr: '2037-00012' })],
  deficitMatterDescription: () => [
    texts.deficitMatterDescription({ year: 2037, quarter: 2, throughMonth: 6, planned: -900_000, yearEnd: -1_250_000, equityEnd: 150_000, maxPlannedDeficit: 900_000, minEquity: 500_000, withinPolicy: false }),
    texts.deficitMatterDescription({ year: 2037, quarter: 1, throughMonth: 3, planned: 0, yearEnd: -300_000, maxPlannedDeficit: 0, minEquity: 0, withinPolicy: false }),
    texts.deficitMatterDescription({ year: 2037, quarter: 3, throughMonth: 9, planned: -900_000, yearEnd: -400_000, equityEnd: 900_000, maxPlannedDeficit: 900_000, minEquity: 500_000, withinPolicy: true }),
    texts.deficitMatterDescription({ year: 2037, quarter: 4, throughMonth: 0, planned: 0, yearEnd: 50_000, maxPlannedDeficit: 0, minEquity: 0, withinPolicy: true }),
  ],
  deficitRecoveredNote: () => [texts.deficitRecoveredNote({ quarter: 4, yearEnd: 120_000 })],
  reportYearLetter: () => [
    texts.reportYearLetter(yearLetter('newYear', 5)),
    texts.reportYearLetter(yearLetter('added', 1)),
    texts.reportYearLetter(yearLetter('changed', 2)),
    texts.reportYearLetter({ ...yearLetter('goLive', 2), overdue: [{ kind: 'quarterly', periodStart: '2036-10-01', periodEnd: '2036-12-31', dueDate: '2037-01-15', link: LINK, beforeStart: true }] }),
  ],
  reportNewLink: () => KINDS.map((k) => texts.reportNewLink(report(k))),
  reportReceipt: () => KINDS.flatMap((k) => [1, 2].map((version) => texts.reportReceipt({ ...report(k), version, submittedAt: '2037-07-20T11:12:00Z' }))),
  publicationSentence: () => [texts.publicationSentence('2037-06-30')],
  reportReturned: () => KINDS.flatMap((k) => [texts.reportReturned({ ...report(k), version: 1, reason: 'Ta bort namnet på deltagaren.', reviewerName: 'Örjan Tjänsteman' }), texts.reportReturned({ ...report(k), version: 2, reason: 'Skriv antal under tre som ”färre än tre”.' })]),
  link: () => [texts.link('Lämna rapporten', LINK)],
  dagensLage: () => [texts.dagensLage({ forbundName: 'Samordningsförbundet Sydnärke', personName: 'official', day: '2037-02-26', sections: [{ section: 'Rapporter', lines: [{ subject: 'Eskalering: kvartalsrapport för ”Steg framåt” är 8 dagar försenad', link: 'https://arscykel.example/admin/rapporter/abc' }] }], todoUrl: 'https://arscykel.example/admin' })],
  fundingText: () => [texts.fundingText({ projectName: 'Steg framåt', year: 2037, amount: 400_000, budgetLineName: 'Insatser' }), texts.fundingText({ projectName: 'Steg framåt', year: 2037, amount: 1_210_000 })],
  grantDecisionText: () => [texts.grantDecisionText({ year: 2037, amount: 400_000, ref: 'beslut 2037-00012 § 5' }), texts.grantDecisionText({ year: 2037, amount: 400_000, ref: 'beslut 2037-00012 § 5', granted: false })],
  conditionalStartText: () => [texts.conditionalStartText({ condition: 'Försäkringskassan beviljar projektmedel' }), texts.conditionalStartText({ condition: 'Försäkringskassan beviljar projektmedel', metOn: '2037-12-10' })],
  samradProposal: () => [
    texts.samradProposal({ forbundName: F, memberName: 'Kumla kommun', budgetYear: 2038, replyBy: '2037-05-15', message: 'Förslaget bygger på oförändrade medlemsbidrag.\nHör av er med frågor.', totals: { income: 5_795_388, costs: 5_581_476, result: 213_912 }, contribution: 724_424 }),
    texts.samradProposal({ forbundName: F, memberName: 'Försäkringskassan', budgetYear: 2038, replyBy: '2037-05-15' }),
  ],
  samradReminder: () => [true, false].flatMap((late) => [texts.samradReminder({ forbundName: F, memberName: 'Region Örebro län', budgetYear: 2038, replyBy: '2037-05-15', sentOn: '2037-04-06' }, late), texts.samradReminder({ forbundName: F, memberName: 'Arbetsförmedlingen', budgetYear: 2038, replyBy: '2037-05-15' }, late)]),
  budgetAgendaNotice: () => [
    texts.budgetAgendaNotice({ forbundName: F, year: 2037, decidedBy: '2037-11-30', kind: 'agenda', meetingDate: '2037-11-19', mattersBy: '2037-10-29' }, { official: true, presidium: true }),
    texts.budgetAgendaNotice({ forbundName: F, year: 2037, decidedBy: '2037-11-30', kind: 'extra' }, { official: false, presidium: false, names: ['Örjan Tjänsteman', 'official'] }),
  ],
  signInMail: () => [
    texts.signInMail({ forbundNames: [F], personName: 'Sara Sekreterare', link: 'https://arscykel.example/admin/logga-in/lank?token=abc', minutes: 15 }),
    texts.signInMail({ forbundNames: [F, 'Samordningsförbundet Östra Norrbotten'], personName: 'official', link: 'https://arscykel.example/admin/logga-in/lank?token=abc', minutes: 1 }),
  ],
};

describe('no role keys and no English in what a person receives', () => {
  it('every function domain/texts.ts exports has a case here (a new text must be added)', () => {
    const exported = Object.entries(texts).filter(([, v]) => typeof v === 'function').map(([k]) => k).sort();
    expect(Object.keys(cases).sort()).toEqual(exported);
  });

  it('the check itself catches what issue 17 saw, and lets Swedish through', () => {
    const caught = (s: string) => ROLE_KEY.test(readable(s)) || ENGLISH_WORD.test(readable(s)) || CODE_KEY.test(readable(s));
    expect(caught('Verkställs av official senast torsdagen den 30 april 2037.')).toBe(true);
    expect(caught('Escalate to the board: the forecast result at year end is −900 000 kr.')).toBe(true);
    expect(caught('Halvårsrapport (halfYear) för vice_chair')).toBe(true);
    expect(caught('Verkställs av Örjan Tjänsteman (förbundschef) senast torsdagen den 30 april 2037.')).toBe(false);
    expect(caught('Du kallas in som ersättare. Be sekreteraren om handlingarna, men hör av dig till kansliet. Policyn tillåter ett underskott. Mejla official@sydnarke.example eller gå till https://arscykel.example/admin/the/chair')).toBe(false);
  });

  for (const [name, render] of Object.entries(cases)) {
    it(`${name}: names and Swedish titles only`, () => {
      const outs = render() as unknown[];
      expect(outs.length).toBeGreaterThan(0);
      outs.flatMap(partsOf).forEach((s, i) => expectNoKeysOrEnglish(`${name} #${i}`, s));
    });
  }

  it('the exported tables a text reads from are Swedish', () => {
    for (const [k, v] of Object.entries(texts.REPORT_TEXT)) expectNoKeysOrEnglish(`REPORT_TEXT.${k}`, `${v.name} ${v.the}`);
    for (const [k, v] of Object.entries(texts.ROLE_TITLES)) expectNoKeysOrEnglish(`ROLE_TITLES.${k}`, `${v.title} ${v.the}`);
  });

  it('a role key where a name belongs is printed as the Swedish function, never as the key', () => {
    expect(texts.actionOf({ actionBy: 'official', actionDue: '2037-04-30' })).toBe('Verkställs av förbundschefen senast torsdagen den 30 april 2037.');
    expect(texts.actionOf({ actionBy: 'Örjan Tjänsteman (förbundschef)' })).toBe('Verkställs av Örjan Tjänsteman (förbundschef).');
    expect(texts.minutesForJustering({ ...board, justerareName: 'Karin Kommun', due: '2037-03-12', items }).text).toContain('Verkställs av förbundschefen senast torsdagen den 28 maj 2037.');
    expect(texts.decisionsToMember({ ...board, memberName: 'Kumla kommun', justeradAt: '2037-03-10', items }).text).toContain('Verkställs av sekreteraren.');
    expect(texts.milestoneEscalation(milestone('economist'), 5, { official: true, presidium: false }).text).toContain('(ansvarig: ekonomen)');
    expect(texts.followUpDue({ forbundName: F, ownerName: 'official', dnr: '2037-00003', title: 'Ansökan', paragraph: 3, meetingDate: '2037-02-26', decision: 'x', due: '2037-04-30', overdue: false }).text).toMatch(/^Hej förbundschef,/);
  });

  it('the deficit matter is described in Swedish: the forecast, the budget and the policy\'s verdict', () => {
    expect(texts.deficitMatterDescription({ year: 2037, quarter: 2, throughMonth: 6, planned: -900_000, yearEnd: -1_250_000, equityEnd: 150_000, maxPlannedDeficit: 900_000, minEquity: 500_000, withinPolicy: false })).toBe(
      'Prognosen efter andra kvartalet 2037 (utfall till och med juni): resultat vid årets slut −1 250 000 kr (budgeterat −900 000 kr, 350 000 kr sämre än budgeterat). ' +
        'Det är 350 000 kr under vad finansieringspolicyn tillåter, ett resultat ned till −900 000 kr. ' +
        'Det egna kapitalet skulle sjunka till 150 000 kr, 350 000 kr under det lägsta tillåtna, 500 000 kr. ' +
        'Prognosen är utanför finansieringspolicyn och tas därför till styrelsen, som beslutar hur balansen ska återställas.',
    );
    expect(texts.deficitRecoveredNote({ quarter: 4, yearEnd: 120_000 })).toBe('Prognosen efter kvartal 4: resultat vid årets slut 120 000 kr, inom policyn.');
  });
});

describe('no role keys and no English in the PDFs and the spreadsheet', () => {
  it('the kallelse and the protokoll, with who acts by name, by title or as a role key', async () => {
    for (const kind of ['kallelse', 'protokoll'] as const) {
      const text = await pdfText(await kallelsePdf({ ...board, items, chairName: 'Eva Ärlig', secretaryName: 'Sara Sekreterare', kind }));
      expectNoKeysOrEnglish(`${kind}.pdf`, text);
      if (kind === 'protokoll') {
        expect(text).toContain('Verkställs av Örjan Tjänsteman (förbundschef) senast torsdagen den 30 april 2037.');
        expect(text).toContain('Verkställs av förbundschefen senast torsdagen den 28 maj 2037.');
        expect(text).toContain('Verkställs av vice ordföranden senast tisdagen den 31 mars 2037.');
      }
    }
    expectNoKeysOrEnglish('kallelse.pdf, bare', await pdfText(await kallelsePdf({ forbundName: F, when: { date: '2037-02-26' }, items: items.slice(0, 2) })));
  });

  it('the budget follow-up as PDF and CSV', async () => {
    const budget: YearBudget = {
      year: 2037,
      equityCarriedOver: 1_250_000,
      lines: [
        { key: 'bidrag', name: 'Bidrag från medlemmarna', kind: 'income', group: 'members', amount: 2_700_000 },
        { key: 'personal', name: 'Personal', kind: 'cost', group: 'administration', amount: 400_000 },
        { key: 'insatser', name: 'Insatser', kind: 'cost', group: 'project', amount: 3_000_000 },
      ],
    };
    const facts = { forbundName: F, year: 2037, throughMonth: 3, forecast: forecast({ budget, actuals: [{ lineKey: 'bidrag', month: 1, amount: 675_000 }, { lineKey: 'insatser', month: 2, amount: 900_000 }], throughMonth: 3 }) };
    const contributions = memberContributions(2_700_000, [
      { key: 'kumla', name: 'Kumla kommun', kind: 'municipality' },
      { key: 'region', name: 'Region Örebro län', kind: 'region' },
      { key: 'fk', name: 'Försäkringskassan', kind: 'forsakringskassan' },
      { key: 'af', name: 'Arbetsförmedlingen', kind: 'arbetsformedlingen' },
    ]);
    expectNoKeysOrEnglish('budgetuppföljning.pdf', await pdfText(await followUpPdf({ ...facts, equityCarriedOver: 1_250_000, contributions })));
    expectNoKeysOrEnglish('budgetuppföljning.pdf, no outcome', await pdfText(await followUpPdf({ ...facts, throughMonth: 0, forecast: forecast({ budget, actuals: [], throughMonth: 0 }) })));
    expectNoKeysOrEnglish('budgetuppföljning.csv', followUpCsv(facts));
  });
});

// --- the stored agenda, resolved to people ---------------------------------------------------------

const FILE = `
forbund:
  id: rollnycklar
  name: Samordningsförbundet Rollnycklar
  email: kansli@rollnycklar.example
  year: 2037
${MEMBERS_YAML}
people:
  - { id: official, name: Örjan Tjänsteman, email: official@rollnycklar.example, roles: [official, coordinator] }
  - { id: secretary, name: Sara Sekreterare, email: secretary@rollnycklar.example, roles: [secretary] }
  - { id: economist, name: Ekon Omsson, email: economist@rollnycklar.example, roles: [economist] }
  - { id: l-kommun, name: Karin Kommun, email: l-kommun@rollnycklar.example, roles: [board_member] }
  - { id: l-region, name: Rolf Region, email: l-region@rollnycklar.example, roles: [board_member] }
  - { id: l-fk, name: Frida Kassa, email: l-fk@rollnycklar.example, roles: [board_member] }
  - { id: l-af, name: Arne Förmedling, email: l-af@rollnycklar.example, roles: [board_member] }
  - { id: bg-fk, name: Märta Chef, email: bg-fk@rollnycklar.example, roles: [] }
bodies:
  styrelse:
    members:
      - { person: l-kommun, role: chair, member: kommunen }
      - { person: l-region, role: vice_chair, member: regionen }
      - { person: l-fk, member: fk }
      - { person: l-af, member: af }
  beredningsgrupp:
    members:
      - { person: bg-fk, member: fk }
projects: []
cycle:
  defaults: { start: "09:00", end: "12:00" }
  meetings:
    - { id: styrelse-02, body: styrelse, date: 2037-02-26 }
`;

describe('the agenda as the protokoll, the justerare and the members read it (a real database)', () => {
  let db: Database;
  let forbundId: string;
  beforeAll(async () => {
    db = await openDatabase({ memory: true });
    forbundId = (await importForbund(db.prisma, parseForbundFile(FILE, 'rollnycklar.yaml'), { actor: 'test' })).forbundId;
  });
  afterAll(async () => {
    await db?.close();
  });

  it('ownerLabel: a role → its holders with their Swedish title; a person key → the name and the person\'s title; never a key', async () => {
    const label = (owner: string) => ownerLabel(db.prisma, forbundId, owner);
    expect(await label('official')).toBe('Örjan Tjänsteman (förbundschef)');
    expect(await label('secretary')).toBe('Sara Sekreterare (sekreterare)');
    expect(await label('economist')).toBe('Ekon Omsson (ekonom)');
    expect(await label('chair')).toBe('Karin Kommun (ordförande)');
    expect(await label('vice_chair')).toBe('Rolf Region (vice ordförande)');
    expect(await label('l-fk')).toBe('Frida Kassa (ledamot)');
    expect(await label('l-kommun')).toBe('Karin Kommun (ordförande)');
    expect(await label('bg-fk')).toBe('Märta Chef');
    expect(await label('auditor')).toBe('revisorn');
    expect(await label('nobody')).toBeUndefined();
  });

  it('agendaLinesOf: who acts is a name and a Swedish title, in the protokoll PDF and the mails', async () => {
    const meeting = await db.prisma.meeting.findFirstOrThrow({ where: { forbundId, kind: 'styrelse' } });
    const decided = [
      { actionBy: 'official', decision: 'Styrelsen ger förbundschefen i uppdrag att ta fram en åtgärdsplan.' },
      { actionBy: 'chair', decision: 'Ordföranden undertecknar avtalet.' },
      { actionBy: 'l-fk', decision: 'Frida Kassa rapporterar från Försäkringskassan.' },
      { actionBy: 'borttagen', decision: 'En person som inte finns längre.' },
    ];
    await db.prisma.agendaItem.createMany({
      data: decided.map((d, i) => ({ meetingId: meeting.id, number: i + 1, title: `Ärende ${i + 1}`, kind: 'matter', paragraph: i + 1, decision: d.decision, actionBy: d.actionBy, actionDue: new Date('2037-04-30T00:00:00Z') })),
    });
    const lines = await agendaLinesOf(db.prisma, meeting.id);
    expect(lines.map((l) => l.actionBy)).toEqual(['Örjan Tjänsteman (förbundschef)', 'Karin Kommun (ordförande)', 'Frida Kassa (ledamot)', 'Örjan Tjänsteman (förbundschef)']);
    const facts = { forbundName: 'Samordningsförbundet Rollnycklar', when: { date: '2037-02-26', start: '09:00', end: '12:00' } };
    const protokoll = await pdfText(await kallelsePdf({ ...facts, items: lines, kind: 'protokoll' }));
    expect(protokoll).toContain('Verkställs av Örjan Tjänsteman (förbundschef) senast torsdagen den 30 april 2037.');
    expectNoKeysOrEnglish('protokoll.pdf', protokoll);
    const justering = texts.minutesForJustering({ ...facts, justerareName: 'Karin Kommun', due: '2037-03-12', items: lines, secretaryName: 'Sara Sekreterare' });
    const utdrag = texts.decisionsToMember({ ...facts, memberName: 'Kumla kommun', justeradAt: '2037-03-10', items: lines });
    for (const m of [justering, utdrag]) {
      expect(m.text).toContain('Verkställs av Karin Kommun (ordförande) senast torsdagen den 30 april 2037.');
      partsOf(m).forEach((s) => expectNoKeysOrEnglish(m.subject, s));
    }
  });
});
