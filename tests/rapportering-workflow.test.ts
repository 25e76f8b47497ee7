// The projectReporting workflow on Temporal's own time-skipping test server, with the production
// worker (worker/worker.ts), the real activities, a real database (testDatabase(): PGlite, or
// PostgreSQL in CI) and a real SMTP server in this process (tests/support/smtp.ts). Each test gets
// its own server, so its clock starts fresh; the test server starts at today's date and only moves
// forward, so the plan is placed in 2037 (whose calendar, Easter included, is 2026's). What ran
// when is read back from the workflow's history on the server.
import type { WorkflowHandle } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { ParsedMail } from 'mailparser';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createActivities, type Activities } from '../activities/index.js';
import { createApp } from '../api/app.js';
import { createMailer } from '../activities/mail.js';
import { toStockholmTime } from '../domain/dates.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Carried } from '../activities/steps.js';
import type { Decision, Step } from '../domain/schedule.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { submissionLink, submissionPurpose, tokenMatches } from '../services/links.js';
import { loadReportingPlan, receiptKey, receiptWanted } from '../services/rapportering.js';
import { projectReporting, type ProjectReportingInput } from '../workflows/rapportering.js';
import { LONGEST_WAIT_MS, STEP_ANSWERS_NEXT } from '../workflows/schedule.js';
import { currentDecision, planChanged, reportingWorkflowId } from '../workflows/signals.js';
import { testDatabase } from './support/database.js';
import { apiCaller, serve } from './support/http.js';
import { toOf, ccOf } from './support/mails.js';
import { addresses, startSmtpServer, type TestSmtpServer } from './support/smtp.js';
import { activityRuns, advanceTo, eventually, recordHistory, runWorker, SEARCH_ATTRIBUTES_ON, TASK_QUEUE, testNotifier, timersOf, timeSkippingServer, type RunningWorker, type TestWorkflowEnvironment } from './support/temporal.js';
import { MEMBERS_YAML } from './support/fixtures.js';

const LINK_SECRET = 'x'.repeat(32);

// A small förbund: one project per scenario, each with its own coordinator. Half-year reports
// (period 1 Jan – 30 Jun 2037) are due 31 days after the period: Friday 31 July 2037.
const FILE = `
forbund:
  id: testforbund
  name: Samordningsförbundet Älv och Sjö
  email: kansli@alvsjo.example
  year: 2037
${MEMBERS_YAML}
people:
  - { id: official, name: Örjan Tjänsteman, email: orjan@alvsjo.example, roles: [official] }
  - { id: secretary, name: Sekreterare Sjö, email: sekreterare@alvsjo.example, roles: [secretary] }
  - { id: chef-fk, name: Märta Chef, email: marta.chef@fk.example, roles: [] }
  - { id: co-a, name: Åsa Påminnelse, email: a@alvsjo.example, roles: [coordinator] }
  - { id: co-b, name: Björn Två, email: b@alvsjo.example, roles: [coordinator] }
  - { id: co-c, name: Cecilia Försenad, email: c@alvsjo.example, roles: [coordinator] }
  - { id: co-d, name: David Flyttad, email: d@alvsjo.example, roles: [coordinator] }
  - { id: co-e, name: Eva Avbruten, email: e@alvsjo.example, roles: [coordinator] }
  - { id: co-f, name: Filip Lång, email: f@alvsjo.example, roles: [coordinator] }
  - { id: co-g, name: Gösta Omförsök, email: g@alvsjo.example, roles: [coordinator] }
  - { id: co-h, name: Hanna Midnatt, email: h@alvsjo.example, roles: [coordinator] }
  - { id: co-i, name: Ivar Sen, email: i@alvsjo.example, roles: [coordinator] }
  - { id: co-j, name: Jenny Samtidig, email: j@alvsjo.example, roles: [coordinator] }
  - { id: co-k, name: Karl Nere, email: k@alvsjo.example, roles: [coordinator] }
  - { id: co-l, name: Lena Länge, email: l@alvsjo.example, roles: [coordinator] }
  - { id: co-m, name: Maja Okänd, email: m@alvsjo.example, roles: [coordinator] }
  - { id: co-n, name: Nils Ny, email: n@alvsjo.example, roles: [coordinator] }
  - { id: co-o, name: Olle Kvitto, email: o@alvsjo.example, roles: [coordinator] }
bodies:
  styrelse: { members: [] }
  beredningsgrupp:
    members:
      - { person: official }
      - { person: chef-fk, member: fk }
reporting:
  kinds:
    halfYear: { dueDays: 31 }
    annual: { dueDays: 31 }
  reminders: [14, 3, 0]
  overdue: { reminderDaysAfter: 1, escalateDaysAfter: 7 }
projects:
  - { id: paminnelser, name: Påminnelsen, coordinator: co-a, start: 2037-01-01, end: 2037-12-31, reports: [halfYear] }
  - { id: tva, name: Två rapporter, coordinator: co-b, start: 2037-01-01, end: 2037-12-31, reports: [halfYear, annual] }
  - { id: forsenad, name: Förseningen, coordinator: co-c, start: 2037-01-01, end: 2037-12-31, reports: [halfYear] }
  - { id: flyttad, name: Flytten, coordinator: co-d, start: 2037-01-01, end: 2037-12-31, reports: [halfYear] }
  - { id: avbruten, name: Avbrottet, coordinator: co-e, start: 2037-01-01, end: 2037-12-31, reports: [halfYear] }
  - { id: lang, name: Långkörningen, coordinator: co-f, start: 2037-01-01, end: 2037-12-31, reports: [halfYear] }
  - { id: omforsok, name: Omförsöket, coordinator: co-g, start: 2037-01-01, end: 2037-12-31, reports: [halfYear] }
  - { id: midnatt, name: Midnattsloppet, coordinator: co-h, start: 2037-01-01, end: 2037-12-31, reports: [halfYear] }
  - { id: sen, name: Senstarten, coordinator: co-i, start: 2037-01-01, end: 2037-12-31, reports: [halfYear] }
  - { id: samtidig, name: Samtidigheten, coordinator: co-j, start: 2037-01-01, end: 2037-12-31, reports: [halfYear] }
  - { id: nere, name: Avbrottet i posten, coordinator: co-k, start: 2037-01-01, end: 2037-12-31, reports: [halfYear] }
  - { id: lange, name: Långa avbrottet, coordinator: co-l, start: 2037-01-01, end: 2037-12-31, reports: [halfYear] }
  - { id: okand, name: Okända adressen, coordinator: co-m, start: 2037-01-01, end: 2037-12-31, reports: [halfYear] }
  - { id: egen, name: Egen insats, coordinator: co-m, start: 2037-01-01, end: 2037-12-31, reports: [halfYear] }
  - { id: ny, name: Nya insatsen, coordinator: co-n, start: 2037-01-01, end: 2037-12-31, reports: [halfYear] }
  - { id: kvitto, name: Kvittot, coordinator: co-o, start: 2037-01-01, end: 2037-12-31, reports: [halfYear] }
  - { id: gammal, name: Gamla kvittot, coordinator: co-o, start: 2037-01-01, end: 2037-12-31, reports: [halfYear] }
cycle:
  meetings: []
`;

// 08:00 in Stockholm (CEST, UTC+2 in summer; CET, UTC+1 in winter).
const REMINDER_14 = '2037-07-17T06:00:00.000Z'; // Fri, 14 days before Fri 31 July
const REMINDER_3 = '2037-07-28T06:00:00.000Z'; // Tue
const REMINDER_0 = '2037-07-31T06:00:00.000Z'; // the due day
const OVERDUE = '2037-08-03T06:00:00.000Z'; // the day after is Sat 1 Aug: next working day, Mon 3 Aug
const ESCALATION = '2037-08-07T06:00:00.000Z'; // 7 days after the due date (Fri)
const START = '2037-06-01T10:00:00.000Z';
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let db: Database;
let smtp: TestSmtpServer;
let acts: Activities;
let forbundId: string;

beforeAll(async () => {
  [db, smtp] = await Promise.all([testDatabase(), startSmtpServer()]);
  const summary = await importForbund(db.prisma, parseForbundFile(FILE, 'test.yaml'), { actor: 'test' });
  forbundId = summary.forbundId;
  acts = createActivities(deps());
});

afterAll(async () => {
  await Promise.all([db?.close(), smtp?.close()]);
});

beforeEach(() => smtp.clear());

// Production's settings: the test server has the search attributes (timeSkippingServer), and the workflows upsert them.
const deps = () => ({ prisma: db.prisma, mailer: createMailer({ prisma: db.prisma, transport: smtp.transport, log: () => {} }), publicBaseUrl: 'http://localhost:3000', linkSecret: LINK_SECRET, searchAttributes: SEARCH_ATTRIBUTES_ON });

async function project(key: string) {
  return db.prisma.project.findUniqueOrThrow({
    where: { forbundId_key: { forbundId, key } },
    include: { coordinator: true, obligations: { orderBy: { dueDate: 'asc' } } },
  });
}

/** The submission link in a mail; checks that its token opens exactly this report. */
function submissionLinkIn(mail: ParsedMail, obligationId: string): string {
  const m = /(http:\/\/localhost:3000\/submit\/([0-9a-f-]+)\?token=([A-Za-z0-9_-]+))/.exec(mail.text ?? '');
  expect(m, `no submission link in: ${mail.text}`).not.toBeNull();
  expect(m![2]).toBe(obligationId);
  expect(tokenMatches(LINK_SECRET, submissionPurpose(obligationId), m![3])).toBe(true);
  expect(mail.html).toContain(`<a href="${m![1]}">`);
  return m![1];
}


describe('projectReporting workflow on the time-skipping test server (production worker, real activities, database and SMTP)', () => {
  let env: TestWorkflowEnvironment;
  let worker: RunningWorker;

  beforeEach(async () => {
    env = await timeSkippingServer();
    worker = await runWorker(env, deps());
    await advanceTo(env, START);
  });

  afterEach(async () => {
    await worker?.stop();
    await env?.teardown();
  });

  /** Started as the API starts it: signal-with-start through the production notifier. */
  async function start(projectId: string): Promise<WorkflowHandle<typeof projectReporting>> {
    const notifier = testNotifier(db.prisma);
    notifier.connect(env.client, TASK_QUEUE);
    expect(await notifier.reportingChanged(projectId, 'test started')).toBe(true);
    const handle = env.client.workflow.getHandle<typeof projectReporting>(reportingWorkflowId(projectId));
    await eventually(async () => expect(await handle.query(currentDecision)).not.toBeNull());
    return handle;
  }

  const decision = (h: WorkflowHandle) => h.query(currentDecision) as Promise<Decision>;

  /** The workflow's next planned instant, once it has re-planned. */
  const nextAt = async (h: WorkflowHandle, until: string) => eventually(async () => expect(await decision(h)).toMatchObject({ action: 'sleep', until }));

  /** What the workflow carried out, from its history: [minute it ran, step kind, outcome]. */
  const performed = async (h: WorkflowHandle) =>
    (await activityRuns(h, 'carryOutReportingSteps')).flatMap((r) => (r.input as { steps: Step[] }).steps.map((s, i) => [r.at.slice(0, 16), s.kind, r.result === 'failed' ? 'failed' : (r.result as Carried).outcomes[i].outcome]));

  /** The change the API makes, then the signal it sends. */
  async function change(h: WorkflowHandle, write: () => Promise<unknown>, reason: string) {
    await write();
    await h.signal(planChanged, reason);
  }

  it('a. reminds the coordinator 14, 3 and 0 days before the due date at 08:00 Stockholm, never early', async () => {
    const p = await project('paminnelser');
    const [o] = p.obligations;
    expect(o.dueDate.toISOString().slice(0, 10)).toBe('2037-07-31');
    const h = await start(p.id);
    await nextAt(h, REMINDER_14);
    expect(smtp.messages).toHaveLength(0);

    // A second before the first reminder: still nothing.
    await advanceTo(env, plus(REMINDER_14, -1000));
    expect(smtp.messages).toHaveLength(0);

    await advanceTo(env, plus(REMINDER_14, MINUTE));
    await eventually(() => expect(smtp.messages).toHaveLength(1));
    const first = smtp.messages[0];
    expect(first.subject).toBe('Påminnelse: halvårsrapport för ”Påminnelsen” ska lämnas senast 31 juli 2037 – Samordningsförbundet Älv och Sjö');
    expect(toOf(first)).toEqual(['a@alvsjo.example']);
    expect(ccOf(first)).toEqual([]);
    expect(first.from?.value).toEqual([{ name: 'Samordningsförbundet Älv och Sjö', address: 'kansli@alvsjo.example' }]);
    expect(first.text).toContain('Hej Åsa Påminnelse,');
    expect(first.text).toContain('Halvårsrapporten för insatsen ”Påminnelsen” (perioden 1 januari–30 juni 2037) ska lämnas om 14 dagar, senast fredagen den 31 juli 2037.');
    expect(first.text).toContain('inga uppgifter om enskilda deltagare');
    submissionLinkIn(first, o.id);
    await nextAt(h, REMINDER_3);

    await advanceTo(env, plus(REMINDER_3, -1000));
    expect(smtp.messages).toHaveLength(1);
    await advanceTo(env, plus(REMINDER_3, MINUTE));
    await eventually(() => expect(smtp.messages).toHaveLength(2));
    expect(smtp.messages[1].subject).toBe('Påminnelse: halvårsrapport för ”Påminnelsen” ska lämnas senast 31 juli 2037 – Samordningsförbundet Älv och Sjö');
    expect(smtp.messages[1].text).toContain('ska lämnas om 3 dagar, senast fredagen den 31 juli 2037.');

    await advanceTo(env, plus(REMINDER_0, MINUTE));
    await eventually(() => expect(smtp.messages).toHaveLength(3));
    expect(smtp.messages[2].subject).toBe('Påminnelse: halvårsrapport för ”Påminnelsen” ska lämnas i dag – Samordningsförbundet Älv och Sjö');
    expect(smtp.messages[2].text).toContain('för insatsen ”Påminnelsen” (perioden 1 januari–30 juni 2037) ska lämnas senast i dag, fredagen den 31 juli 2037.');
    submissionLinkIn(smtp.messages[2], o.id);
    // Three distinct messages (three keys), each recorded once.
    expect(new Set(smtp.messages.map((m) => m.messageId)).size).toBe(3);
    expect(await db.prisma.notification.count({ where: { key: { startsWith: `report:${o.id}:` } } })).toBe(3);

    expect(await performed(h)).toEqual([
      [REMINDER_14.slice(0, 16), 'reminder', 'sent'],
      [REMINDER_3.slice(0, 16), 'reminder', 'sent'],
      [REMINDER_0.slice(0, 16), 'reminder', 'sent'],
    ]);
    expect(toStockholmTime(new Date((await activityRuns(h, 'carryOutReportingSteps'))[0].at))).toBe('08:00');
    await nextAt(h, OVERDUE);
    // One timer for each wait, to the hour of the next step (no daily re-read; none beyond the longest wait).
    const timers = await timersOf(h);
    expect(timers.map((t) => Math.round(t / HOUR))).toEqual([1100, 264, 72, 72]);
    expect(Math.max(...timers)).toBeLessThanOrEqual(LONGEST_WAIT_MS);
    await recordHistory(h, `projectReporting-reminders.${STEP_ANSWERS_NEXT}`);
  });

  it('b. a report submitted after the first reminder gets no more reminders; the workflow moves on, and ends when all are in', async () => {
    const p = await project('tva');
    const [half, annual] = p.obligations;
    expect(p.obligations.map((o) => [o.kind, o.dueDate.toISOString().slice(0, 10)])).toEqual([
      ['halfYear', '2037-07-31'],
      ['annual', '2038-02-01'], // 31 Jan 2038 is a Sunday
    ]);
    const h = await start(p.id);
    await advanceTo(env, plus(REMINDER_14, MINUTE));
    await eventually(() => expect(smtp.messages.map((m) => m.subject)).toEqual(['Påminnelse: halvårsrapport för ”Två rapporter” ska lämnas senast 31 juli 2037 – Samordningsförbundet Älv och Sjö']));
    await nextAt(h, REMINDER_3);

    // The coordinator submits (as the API does) a few days later; the API signals the workflow.
    await advanceTo(env, '2037-07-20T13:00:00.000Z');
    await change(h, () => db.prisma.reportingObligation.update({ where: { id: half.id }, data: { status: 'submitted' } }), 'report submitted');
    // Next: the letter of 2038's report dates on the year's first working day (Mon 4 January 2038,
    // 08:00 CET), then the annual report's first reminder, 14 days before Mon 1 Feb 2038.
    await nextAt(h, '2038-01-04T07:00:00.000Z');
    expect(await decision(h)).toMatchObject({ step: { subjectId: p.id, kind: 'letter', key: `report:${p.id}:letter:2038` } });

    // Nothing more about the half-year report, even well past its due date.
    await advanceTo(env, '2037-12-31T12:00:00.000Z');
    expect(smtp.messages).toHaveLength(1);

    await advanceTo(env, plus('2038-01-04T07:00:00.000Z', MINUTE));
    await eventually(() => expect(smtp.messages).toHaveLength(2));
    const letter = smtp.messages[1];
    expect(letter.subject).toBe('Rapporter 2038 för ”Två rapporter”: 1 sista dag – Samordningsförbundet Älv och Sjö');
    expect(toOf(letter)).toEqual(['b@alvsjo.example']);
    expect(letter.text).toContain('Årsrapport för perioden 1 januari–31 december 2037: senast måndagen den 1 februari 2038.');
    submissionLinkIn(letter, annual.id);
    expect(letter.text).toMatch(new RegExp(`http://localhost:3000/feeds/projects/${p.id}/reports\\.ics\\?token=`));
    await nextAt(h, '2038-01-18T07:00:00.000Z');
    expect(await decision(h)).toMatchObject({ step: { subjectId: annual.id, kind: 'reminder' } });

    await advanceTo(env, plus('2038-01-18T07:00:00.000Z', MINUTE));
    await eventually(() => expect(smtp.messages).toHaveLength(3));
    expect(smtp.messages[2].subject).toBe('Påminnelse: årsrapport för ”Två rapporter” ska lämnas senast 1 februari 2038 – Samordningsförbundet Älv och Sjö');
    expect(smtp.messages[2].text).toContain('Årsrapporten för insatsen ”Två rapporter” (perioden 1 januari–31 december 2037) ska lämnas om 14 dagar, senast måndagen den 1 februari 2038.');
    submissionLinkIn(smtp.messages[2], annual.id);

    await change(h, () => db.prisma.reportingObligation.update({ where: { id: annual.id }, data: { status: 'submitted' } }), 'report submitted');
    expect(await h.result()).toBe('every report submitted');
    expect(smtp.messages).toHaveLength(3);
    // The year letter went once, at the year's start: [minute, step] as the workflow carried them out.
    expect((await performed(h)).map((x) => [x[0], x[1]])).toEqual([[REMINDER_14.slice(0, 16), 'reminder'], ['2038-01-04T07:00', 'letter'], ['2038-01-18T07:00', 'reminder']]);
    await recordHistory(h, `projectReporting-submitted.${STEP_ANSWERS_NEXT}`);
  });

  it('c. an unsubmitted report: overdue mail with the official in copy (in the day\'s digest), then escalation to the official and the beredningsgrupp, then waiting', async () => {
    const p = await project('forsenad');
    const [o] = p.obligations;
    const h = await start(p.id);
    await advanceTo(env, plus(REMINDER_0, MINUTE));
    await eventually(() => expect(smtp.messages).toHaveLength(3));
    await nextAt(h, OVERDUE);
    smtp.clear();

    // Nothing on Saturday, the day after the due date; the overdue mail comes on Monday at 08:00.
    await advanceTo(env, '2037-08-03T05:59:00.000Z');
    expect(smtp.messages).toHaveLength(0);
    await advanceTo(env, plus(OVERDUE, MINUTE));
    await eventually(() => expect(smtp.messages).toHaveLength(1));
    const overdue = smtp.messages[0];
    expect(overdue.subject).toBe('Försenad: halvårsrapport för ”Förseningen” skulle ha lämnats 31 juli 2037 – Samordningsförbundet Älv och Sjö');
    expect(toOf(overdue)).toEqual(['c@alvsjo.example']);
    // A routine notice: the official's copy goes in the day's digest, with the report's page.
    expect(ccOf(overdue)).toEqual([]);
    const page = `http://localhost:3000/admin/rapporter/${o.id}`;
    expect(await db.prisma.digestItem.findMany({ where: { key: { startsWith: `report:${o.id}:` } }, select: { email: true, kind: true, link: true } })).toEqual([{ email: 'orjan@alvsjo.example', kind: 'report.overdue', link: page }]);
    expect(overdue.text).toContain('Hej Cecilia Försenad,');
    expect(overdue.text).toContain('skulle ha lämnats senast fredagen den 31 juli 2037 och har ännu inte kommit in. Örjan Tjänsteman får också besked om detta.');
    expect(overdue.text).toContain(`Örjan Tjänsteman hittar rapporten i Årscykel:\nÖppna rapporten: ${page}`);
    submissionLinkIn(overdue, o.id);
    expect(await db.prisma.escalation.count({ where: { subjectId: o.id } })).toBe(0);
    await nextAt(h, ESCALATION);

    await advanceTo(env, plus(ESCALATION, MINUTE));
    await eventually(() => expect(smtp.messages).toHaveLength(2));
    const esc = smtp.messages[1];
    expect(esc.subject).toBe('Eskalering: halvårsrapport för ”Förseningen” är 7 dagar försenad – Samordningsförbundet Älv och Sjö');
    // To the beredningsgrupp by mail, the official in the digest; the coordinator in copy.
    expect(toOf(esc)).toEqual(['marta.chef@fk.example']);
    expect(ccOf(esc)).toEqual(['c@alvsjo.example']);
    expect((await db.prisma.digestItem.findMany({ where: { key: { startsWith: `report:${o.id}:` } }, select: { email: true, kind: true, link: true } })).map((d) => d.kind).sort()).toEqual(['report.escalation', 'report.overdue']);
    expect(esc.text).toContain('Till verkställande tjänsteman och beredningsgruppen,');
    expect(esc.text).toContain('skulle ha lämnats senast fredagen den 31 juli 2037 och är nu 7 dagar försenad trots påminnelser. Samordnaren Cecilia Försenad får en kopia av detta meddelande.');
    // The one link each reader needs: the report's page for the official and the group; never the coordinator's form, which submits as the coordinator.
    expect(esc.text).toContain(`Öppna rapporten: ${page}`);
    expect(esc.html).toContain(`<a href="${page}">Öppna rapporten</a>`);
    expect(esc.text).toContain('Förseningen tas upp under punkten Rapportläge för insatserna på styrelsens nästa sammanträde.');
    expect(esc.text).not.toMatch(/token=/);
    expect(esc.text).toContain('via den personliga länk du har fått för rapporten');
    const escalations = await db.prisma.escalation.findMany({ where: { forbundId, subjectId: o.id } });
    expect(escalations).toHaveLength(1);
    expect(escalations[0]).toMatchObject({ subjectType: 'obligation', reason: 'report 7 days overdue', resolvedAt: null });
    expect(escalations[0].raisedAt.toISOString().slice(0, 16)).toBe(ESCALATION.slice(0, 16));
    expect(await db.prisma.auditEvent.count({ where: { action: 'escalation.raised', entityId: o.id } })).toBe(1);

    // Nothing left to send for this report: the workflow waits for a change (re-reading now and then).
    await eventually(async () => expect(await decision(h)).toMatchObject({ action: 'waitForChange' }));
    expect((await performed(h)).map(([at, kind]) => [at, kind])).toEqual([
      [REMINDER_14.slice(0, 16), 'reminder'],
      [REMINDER_3.slice(0, 16), 'reminder'],
      [REMINDER_0.slice(0, 16), 'reminder'],
      [OVERDUE.slice(0, 16), 'overdue'],
      [ESCALATION.slice(0, 16), 'escalation'],
    ]);
    // A signal that changes nothing (say, another project's import) sends nothing again; nor do ten days of re-reading.
    await h.signal(planChanged, 'unrelated import');
    await advanceTo(env, '2037-08-20T09:00:00.000Z');
    expect(smtp.messages).toHaveLength(2);

    // The late report finally arrives.
    await change(h, () => db.prisma.reportingObligation.update({ where: { id: o.id }, data: { status: 'submitted' } }), 'report submitted');
    expect(await h.result()).toBe('every report submitted');
    await recordHistory(h, `projectReporting-escalated.${STEP_ANSWERS_NEXT}`);
  });

  it('d. a moved due date re-plans the reminders: the old timer is cancelled, new mails name the new date', async () => {
    const p = await project('flyttad');
    const [o] = p.obligations;
    const h = await start(p.id);
    await advanceTo(env, plus(REMINDER_14, MINUTE));
    await eventually(() => expect(smtp.messages).toHaveLength(1));
    expect(smtp.messages[0].text).toContain('ska lämnas om 14 dagar, senast fredagen den 31 juli 2037.');
    await nextAt(h, REMINDER_3);

    // The official gives two more weeks: due Friday 14 August.
    await advanceTo(env, '2037-07-21T09:00:00.000Z');
    await change(h, () => db.prisma.reportingObligation.update({ where: { id: o.id }, data: { dueDate: new Date('2037-08-14T00:00:00Z') } }), 'due date moved');
    // 14 days before 14 August is 31 July, 08:00.
    await nextAt(h, '2037-07-31T06:00:00.000Z');

    // Nothing at the old 3-day reminder (28 July) or the old due date.
    await advanceTo(env, '2037-07-31T05:59:00.000Z');
    expect(smtp.messages).toHaveLength(1);
    await advanceTo(env, '2037-07-31T06:01:00.000Z');
    await eventually(() => expect(smtp.messages).toHaveLength(2));
    expect(smtp.messages[1].subject).toBe('Påminnelse: halvårsrapport för ”Flytten” ska lämnas senast 14 augusti 2037 – Samordningsförbundet Älv och Sjö');
    expect(smtp.messages[1].text).toContain('ska lämnas om 14 dagar, senast fredagen den 14 augusti 2037.');
    expect(smtp.messages[1].messageId).not.toBe(smtp.messages[0].messageId);
    submissionLinkIn(smtp.messages[1], o.id);

    await advanceTo(env, '2037-08-11T06:01:00.000Z');
    await eventually(() => expect(smtp.messages).toHaveLength(3));
    expect(smtp.messages[2].text).toContain('ska lämnas om 3 dagar, senast fredagen den 14 augusti 2037.');
    await advanceTo(env, '2037-08-14T06:01:00.000Z');
    await eventually(() => expect(smtp.messages).toHaveLength(4));
    expect(smtp.messages[3].subject).toBe('Påminnelse: halvårsrapport för ”Flytten” ska lämnas i dag – Samordningsförbundet Älv och Sjö');
    // Overdue on Monday 17 August (the 15th is a Saturday).
    await nextAt(h, '2037-08-17T06:00:00.000Z');
    expect(smtp.messages.slice(1).every((m) => !m.text?.includes('31 juli 2037'))).toBe(true);
    await recordHistory(h, `projectReporting-moved.${STEP_ANSWERS_NEXT}`);
  });

  it('e. a withdrawn project ends its workflow', async () => {
    const p = await project('avbruten');
    const h = await start(p.id);
    await advanceTo(env, plus(REMINDER_14, MINUTE));
    await eventually(() => expect(smtp.messages).toHaveLength(1));
    await change(h, () => db.prisma.project.update({ where: { id: p.id }, data: { status: 'withdrawn' } }), 'project withdrawn');
    expect(await h.result()).toBe('project withdrawn');
    expect(smtp.messages).toHaveLength(1);
    await recordHistory(h, `projectReporting-withdrawn.${STEP_ANSWERS_NEXT}`);
  });

  it('f. continues as new with the same input after maxStepsPerRun performed steps, and the next run picks up', async () => {
    const p = await project('lang');
    const input: ProjectReportingInput = { projectId: p.id, maxStepsPerRun: 2 };
    const h = await env.client.workflow.start(projectReporting, { taskQueue: TASK_QUEUE, workflowId: reportingWorkflowId(p.id), args: [input] });
    await advanceTo(env, plus(REMINDER_3, MINUTE));
    await eventually(() => expect(smtp.messages).toHaveLength(2));
    const first = env.client.workflow.getHandle(h.workflowId, h.firstExecutionRunId);
    await eventually(async () => expect((await first.describe()).status.name).toBe('CONTINUED_AS_NEW'));
    const history = await first.fetchHistory();
    const last = history.events!.at(-1)!;
    expect(last.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    const latest = env.client.workflow.getHandle(h.workflowId);
    expect((await latest.describe()).runId).not.toBe(h.firstExecutionRunId);

    // The next run picks up where the last one stopped: the due-day reminder, nothing resent.
    await nextAt(latest, REMINDER_0);
    await advanceTo(env, plus(REMINDER_0, MINUTE));
    await eventually(() => expect(smtp.messages).toHaveLength(3));
    expect(smtp.messages.map((m) => m.text?.match(/ska lämnas (om \d+ dagar|senast i dag)/)?.[1])).toEqual(['om 14 dagar', 'om 3 dagar', 'senast i dag']);
    expect((await performed(latest)).map((x) => x[1])).toEqual(['reminder']);
    // The run that continued as new (its last event is the continue-as-new).
    await recordHistory(first, `projectReporting-continued-as-new.${STEP_ANSWERS_NEXT}`);
  });

  it('g. the report is submitted while a reminder is being sent: that mail completes, the signal waits, and the workflow ends', async () => {
    const p = await project('samtidig');
    const [o] = p.obligations;
    const h = await start(p.id);
    let release!: () => void;
    smtp.hold = new Promise<void>((r) => (release = r));
    const advancing = advanceTo(env, plus(REMINDER_14, MINUTE));
    // The reminder's activity is inside the SMTP conversation now.
    await eventually(async () => expect((await db.prisma.notification.findFirst({ where: { key: { startsWith: `report:${o.id}:` } } }))?.status).toBe('sending'));
    await change(h, () => db.prisma.reportingObligation.update({ where: { id: o.id }, data: { status: 'submitted' } }), 'report submitted');
    release();
    await advancing;
    expect(await h.result()).toBe('every report submitted');
    expect(smtp.messages).toHaveLength(1);
    expect(await performed(h)).toEqual([[REMINDER_14.slice(0, 16), 'reminder', 'sent']]);
    // The signal arrived during the activity and is in the history before the workflow's end.
    const types = (await h.fetchHistory()).events!.map((e) => Object.keys(e).find((k) => k.endsWith('EventAttributes')));
    expect(types.indexOf('workflowExecutionSignaledEventAttributes', 2)).toBeLessThan(types.lastIndexOf('activityTaskCompletedEventAttributes'));
    await recordHistory(h, `projectReporting-signal-during-activity.${STEP_ANSWERS_NEXT}`);
  });

  it('h. an SMTP server down for half an hour: the step is retried under the real retry policy and the mail goes out once', async () => {
    const p = await project('nere');
    const [o] = p.obligations;
    const h = await start(p.id);
    await advanceTo(env, plus(REMINDER_14, -MINUTE));
    await smtp.down();
    try {
      await advanceTo(env, plus(REMINDER_14, 30 * MINUTE));
      expect(smtp.messages).toHaveLength(0);
    } finally {
      await smtp.up();
    }
    await advanceTo(env, plus(REMINDER_14, 2 * HOUR));
    await eventually(() => expect(smtp.messages).toHaveLength(1));
    const [run] = await activityRuns(h, 'carryOutReportingSteps');
    expect(run.attempts).toBeGreaterThan(3);
    expect(run.result).toMatchObject({ outcomes: [{ outcome: 'sent' }] });
    expect(await db.prisma.notification.findMany({ where: { key: { startsWith: `report:${o.id}:` } }, select: { status: true } })).toEqual([{ status: 'sent' }]);
    await nextAt(h, REMINDER_3);
    await recordHistory(h, `projectReporting-smtp-outage.${STEP_ANSWERS_NEXT}`);
  });

  it('i. an SMTP server down for longer than a step may take: the step is recorded as a delivery failure and the workflow goes on', async () => {
    const p = await project('lange');
    const [o] = p.obligations;
    const h = await start(p.id);
    await advanceTo(env, plus(REMINDER_14, -MINUTE));
    await smtp.down();
    try {
      await advanceTo(env, plus(REMINDER_14, 13 * HOUR));
    } finally {
      await smtp.up();
    }
    const failed = await eventually(() => db.prisma.notification.findFirstOrThrow({ where: { key: `report:${o.id}:2037-07-31:reminder-14`, status: 'failed' } }));
    expect(failed.error).toMatch(/timeout|ECONNREFUSED|retry/i);
    expect(failed.subject).toBe('reminder-14: halvårsrapport för Långa avbrottet, due 2037-07-31');
    await nextAt(h, REMINDER_3);
    await advanceTo(env, plus(REMINDER_3, MINUTE));
    await eventually(() => expect(smtp.messages).toHaveLength(1));
    expect(smtp.messages[0].text).toContain('ska lämnas om 3 dagar, senast fredagen den 31 juli 2037.');
    expect((await activityRuns(h)).filter((r) => r.name === 'recordStepFailures')).toHaveLength(1);
    await recordHistory(h, `projectReporting-step-failed.${STEP_ANSWERS_NEXT}`);
  });

  it('j. a coordinator address the server refuses (550) is not retried: recorded as failed, later steps still run', async () => {
    const p = await project('okand');
    const [o] = p.obligations;
    const h = await start(p.id);
    smtp.refuse.add('m@alvsjo.example');
    await advanceTo(env, plus(REMINDER_14, MINUTE));
    const failed = await eventually(() => db.prisma.notification.findFirstOrThrow({ where: { key: `report:${o.id}:2037-07-31:reminder-14`, status: 'failed' } }));
    expect(failed.error).toMatch(/550.*no such user/);
    const [run] = await activityRuns(h, 'carryOutReportingSteps');
    expect(run).toMatchObject({ attempts: 1, result: { outcomes: [{ outcome: 'failed' }] } });
    await nextAt(h, REMINDER_3);
    smtp.refuse.clear();
    await advanceTo(env, plus(REMINDER_3, MINUTE));
    await eventually(() => expect(smtp.messages).toHaveLength(1));
  });

  it('k. a workflow started late sends only the latest reminder already due, not a burst of stale ones', async () => {
    // Started (or woken after an outage) at noon on 29 July: the 14- and 3-day reminders are both
    // past. Only the 3-day one is sent, once; the 14-day one is superseded for good.
    const p = await project('sen');
    const [o] = p.obligations;
    await advanceTo(env, '2037-07-29T10:00:00.000Z');
    const h = await start(p.id);
    await eventually(() => expect(smtp.messages).toHaveLength(1));
    expect((await activityRuns(h, 'carryOutReportingSteps')).flatMap((r) => (r.input as { steps: Step[] }).steps.map((s) => s.key))).toEqual([`report:${o.id}:2037-07-31:reminder-3`]);
    expect(smtp.messages[0].text).toContain('ska lämnas om 2 dagar, senast fredagen den 31 juli 2037.');
    await nextAt(h, REMINDER_0);
    await advanceTo(env, plus(REMINDER_0, MINUTE));
    await eventually(() =>
      expect(smtp.messages.map((m) => m.subject)).toEqual([
        'Påminnelse: halvårsrapport för ”Senstarten” ska lämnas senast 31 juli 2037 – Samordningsförbundet Älv och Sjö',
        'Påminnelse: halvårsrapport för ”Senstarten” ska lämnas i dag – Samordningsförbundet Älv och Sjö',
      ]),
    );
  });
  it('l. a project added during the year: the letter of its report dates goes at once, once; the first reminder follows', async () => {
    const p = await project('ny');
    // Added (created) now, in the workflow's June 2037: its workflow starts as the API starts it.
    await db.prisma.project.update({ where: { id: p.id }, data: { createdAt: new Date(START) } });
    const h = await start(p.id);
    await eventually(() => expect(smtp.messages).toHaveLength(1));
    const m = smtp.messages[0];
    expect(m.subject).toBe('Rapporter 2037 för ”Nya insatsen”: 1 sista dag – Samordningsförbundet Älv och Sjö');
    expect(toOf(m)).toEqual(['n@alvsjo.example']);
    expect(m.text).toContain('Insatsen ”Nya insatsen” är nu upplagd hos Samordningsförbundet Älv och Sjö.');
    expect(m.text).toContain('Halvårsrapport för perioden 1 januari–30 juni 2037: senast fredagen den 31 juli 2037.');
    submissionLinkIn(m, p.obligations[0].id);
    await nextAt(h, REMINDER_14);
    // A signal (a change elsewhere) re-plans: the letter is not sent again.
    await h.signal(planChanged, 'test: re-read');
    await nextAt(h, REMINDER_14);
    await advanceTo(env, plus(REMINDER_14, MINUTE));
    await eventually(() => expect(smtp.messages).toHaveLength(2));
    expect(smtp.messages[1].subject).toMatch(/^Påminnelse: halvårsrapport för ”Nya insatsen”/);
    expect(smtp.messages.filter((x) => x.subject?.startsWith('Rapporter 2037'))).toHaveLength(1);
    expect(await db.prisma.notification.count({ where: { key: `report:${p.id}:letter:2037` } })).toBe(1);
    // Projects that existed at New Year, started in June, got no stale New Year letter.
    expect(await db.prisma.notification.count({ where: { key: { contains: ':letter:2037' } } })).toBe(1);
  });

  it('m. a submitted report: the coordinator gets a receipt with the link to correct it; a correction gets one naming version 2; none is sent twice', async () => {
    const p = await project('kvitto');
    const [o] = p.obligations;
    const h = await start(p.id);
    await nextAt(h, REMINDER_14);
    // The API as it runs: the coordinator submits through the link, the API tells the workflow (signal-with-start).
    const notifier = testNotifier(db.prisma);
    notifier.connect(env.client, TASK_QUEUE);
    let clock = new Date(await env.currentTimeMs());
    const served = await serve(createApp({ prisma: db.prisma, notifier, publicBaseUrl: 'http://localhost:3000', linkSecret: LINK_SECRET, now: () => clock }));
    try {
      const call = apiCaller(() => served.base);
      const submit = async (narrative: string) => call(`/api/v1/submissions/${o.id}${new URL(submissionLink('http://localhost:3000', LINK_SECRET, o.id)).search}`, { method: 'POST', json: { figures: {}, narrative } });
      const latest = () => env.client.workflow.getHandle<typeof projectReporting>(reportingWorkflowId(p.id));
      // Waited for without awaiting a result, which lets the test server skip time ahead (to a timer of the ended run).
      const runs: string[] = [];
      const ended = () =>
        eventually(async () => {
          const d = await latest().describe();
          expect(d.status.name).toBe('COMPLETED');
          runs.push(d.runId);
        });

      // Wednesday 10 June 2037, 13.12 in Stockholm.
      await advanceTo(env, '2037-06-10T11:12:00.000Z');
      clock = new Date(await env.currentTimeMs());
      const first = await submit('Halvåret gick enligt plan.');
      expect(first.status).toBe(201);
      expect(first.json).toMatchObject({ version: 1, workflowNotified: true });
      // Its only report is in: the receipt goes out, then the workflow ends (not before).
      await eventually(() => expect(smtp.messages).toHaveLength(1));
      await ended();
      const receipt = smtp.messages[0];
      expect(receipt.subject).toBe('Mottagen: halvårsrapport för ”Kvittot” – Samordningsförbundet Älv och Sjö');
      expect(toOf(receipt)).toEqual(['o@alvsjo.example']);
      expect(ccOf(receipt)).toEqual([]);
      expect(receipt.text).toContain('Hej Olle Kvitto,\n\nTack, vi har tagit emot halvårsrapporten för insatsen ”Kvittot” (perioden 1 januari–30 juni 2037). Den kom in den 10 juni 2037 kl. 13.12.');
      expect(receipt.text).toContain('Förbundets tjänsteperson går nu igenom rapporten');
      const correctAt = submissionLinkIn(receipt, o.id);
      expect(receipt.text).toContain(`Rätta rapporten: ${correctAt}`);
      expect(receipt.html).toContain(`<a href="${correctAt}">Rätta rapporten</a>`);
      expect(receipt.html).not.toContain(`>${correctAt}<`);
      expect((await performed(h)).map(([, kind, outcome]) => [kind, outcome])).toEqual([['receipt', 'sent']]);

      // Two days later, at 9.05, a correction: the workflow had ended; the API's signal starts it again for the receipt.
      await advanceTo(env, '2037-06-12T07:05:00.000Z');
      clock = new Date(await env.currentTimeMs());
      const second = await submit('Rättad: fler deltagare.');
      expect(second.json).toMatchObject({ version: 2, workflowNotified: true });
      await eventually(() => expect(smtp.messages).toHaveLength(2));
      await ended();
      expect(smtp.messages.map((m) => m.subject)).toEqual([
        'Mottagen: halvårsrapport för ”Kvittot” – Samordningsförbundet Älv och Sjö',
        'Mottagen: halvårsrapport för ”Kvittot”, version 2 – Samordningsförbundet Älv och Sjö',
      ]);
      expect(smtp.messages[1].text).toContain('(perioden 1 januari–30 juni 2037), version 2 (en rättelse). Den kom in den 12 juni 2037 kl. 9.05.');
      submissionLinkIn(smtp.messages[1], o.id);

      // Told again (a re-import, a worker's start): nothing is sent twice, and it ends at once.
      expect(await notifier.reportingChanged(p.id, 'told again')).toBe(true);
      await eventually(async () => expect((await latest().describe()).runId).not.toBe(runs[1]));
      await ended();
      expect(await performed(latest())).toEqual([]);
      // Three runs, each ended as every report was in and its receipt sent.
      expect(new Set(runs).size).toBe(3);
      for (const runId of runs) expect(await env.client.workflow.getHandle(reportingWorkflowId(p.id), runId).result()).toBe('every report submitted');
      expect(smtp.messages).toHaveLength(2);
      const versions = await db.prisma.submission.findMany({ where: { obligationId: o.id }, orderBy: { version: 'asc' } });
      expect(await db.prisma.notification.findMany({ where: { key: { in: versions.map((v) => receiptKey(v.id)) } }, select: { kind: true, status: true, recipients: true } })).toEqual([
        { kind: 'report.receipt', status: 'sent', recipients: ['o@alvsjo.example'] },
        { kind: 'report.receipt', status: 'sent', recipients: ['o@alvsjo.example'] },
      ]);
    } finally {
      await served.close();
    }
  });
});

describe('reporting activities alone', () => {
  it('a retried activity sends no second e-mail', async () => {
    const p = await project('omforsok');
    const [o] = p.obligations;
    const plan = (await loadReportingPlan(db.prisma, p.id))!;
    const step = plan.steps.find((s) => s.kind === 'reminder' && s.at === REMINDER_14)!;
    expect(step.subjectId).toBe(o.id);
    const input = { projectId: p.id, step, now: Date.parse(REMINDER_14) };
    const attempt = (n: number) => new MockActivityEnvironment({ attempt: n, activityType: 'performReportingStep' }).run(acts.performReportingStep, input);
    expect(await attempt(1)).toBe('sent');
    expect(await attempt(2)).toBe('skipped');
    expect(await acts.performReportingStep(input)).toBe('skipped');
    expect(smtp.messages).toHaveLength(1);
    expect(toOf(smtp.messages[0])).toEqual(['g@alvsjo.example']);
    expect(await db.prisma.notification.count({ where: { key: step.key } })).toBe(1);

    // The same holds for the escalation step, which also writes an Escalation row.
    const escStep = plan.steps.find((s) => s.kind === 'escalation')!;
    const escInput = { projectId: p.id, step: escStep, now: Date.parse(ESCALATION) };
    expect(await acts.performReportingStep(escInput)).toBe('sent');
    expect(await acts.performReportingStep(escInput)).toBe('skipped');
    expect(smtp.messages).toHaveLength(2);
    expect(await db.prisma.escalation.count({ where: { subjectId: o.id } })).toBe(1);
  });

  it('the official who coordinates a project is not in Cc of his own overdue mail, nor told of a copy; the escalation has him once (both routine: in his digest)', async () => {
    const official = await db.prisma.person.findFirstOrThrow({ where: { forbundId, key: 'official' } });
    const p0 = await project('egen');
    await db.prisma.project.update({ where: { id: p0.id }, data: { coordinatorId: official.id } });
    const plan = (await loadReportingPlan(db.prisma, p0.id))!;
    const overdue = plan.steps.find((s) => s.kind === 'overdue')!;
    expect(await acts.performReportingStep({ projectId: p0.id, step: overdue, now: Date.parse(OVERDUE) })).toBe('sent');
    // Routine, and the official is its only recipient: it goes in his digest, not in a mail of its own.
    expect(smtp.messages).toHaveLength(0);
    const digested = () => db.prisma.digestItem.findMany({ where: { key: { startsWith: `report:${p0.obligations[0].id}:` } }, orderBy: { createdAt: 'asc' } });
    expect((await digested()).map((d) => [d.email, d.kind])).toEqual([['orjan@alvsjo.example', 'report.overdue']]);
    const escalation = plan.steps.find((s) => s.kind === 'escalation')!;
    expect(await acts.performReportingStep({ projectId: p0.id, step: escalation, now: Date.parse(ESCALATION) })).toBe('sent');
    expect((await digested()).map((d) => d.kind)).toEqual(['report.overdue', 'report.escalation']);
    const esc = smtp.messages[0];
    expect(toOf(esc)).toEqual(['marta.chef@fk.example']);
    expect(ccOf(esc)).toEqual([]);
    expect(esc.text).toContain('Till verkställande tjänsteman och beredningsgruppen,');
    expect(esc.text).toContain('Samordnare är Örjan Tjänsteman.');
    expect(esc.text).toMatch(/Vänliga hälsningar\nKansliet, Samordningsförbundet Älv och Sjö\n$/);
  });

  it('a step carried out late, just after midnight in Stockholm, counts days by the Stockholm calendar', async () => {
    // A worker that was down wakes at 00:30 on Wednesday 29 July in Stockholm (22:30 UTC on the
    // 28th): the 3-day reminder still runs, and must say two days are left, not three.
    const p = await project('midnatt');
    const plan = (await loadReportingPlan(db.prisma, p.id))!;
    const reminder3 = plan.steps.find((s) => s.at === REMINDER_3)!;
    expect(await acts.performReportingStep({ projectId: p.id, step: reminder3, now: Date.parse('2037-07-28T22:30:00.000Z') })).toBe('sent');
    expect(smtp.messages[0].text).toContain('ska lämnas om 2 dagar, senast fredagen den 31 juli 2037.');
    // Escalated at 00:30 on Saturday 8 August: 8 days late by the Stockholm calendar.
    const escalation = plan.steps.find((s) => s.kind === 'escalation')!;
    expect(await acts.performReportingStep({ projectId: p.id, step: escalation, now: Date.parse('2037-08-07T22:30:00.000Z') })).toBe('sent');
    expect(smtp.messages[1].subject).toBe('Eskalering: halvårsrapport för ”Midnattsloppet” är 8 dagar försenad – Samordningsförbundet Älv och Sjö');
  });

  it('no receipt for a submission older than two days (a database from before receipts) or made before go-live; a fresh one once', async () => {
    const p = await project('gammal');
    const [o] = p.obligations;
    const now = Date.parse('2037-07-20T08:00:00.000Z');
    const old = await db.prisma.submission.create({ data: { obligationId: o.id, version: 1, submittedAt: new Date(now - 3 * 86_400_000), late: false, figures: {}, narrative: 'Inlämnad för länge sedan.' } });
    await db.prisma.reportingObligation.update({ where: { id: o.id }, data: { status: 'submitted' } });
    expect((await loadReportingPlan(db.prisma, p.id, new Date(now)))!.steps).toEqual([]);
    expect((await acts.decideReporting({ projectId: p.id, now })).decision).toEqual({ action: 'end', reason: 'every report submitted' });
    // A step for it planned while it was fresh is not carried out now.
    const stale = { key: receiptKey(old.id), group: receiptKey(old.id), at: old.submittedAt.toISOString(), kind: 'receipt', subjectId: old.id, summary: 'receipt' };
    expect(await acts.performReportingStep({ projectId: p.id, step: stale, now })).toBe('skipped');

    // A correction an hour ago: planned at its time, keeps the workflow from ending until it is sent, sent once.
    const fresh = await db.prisma.submission.create({ data: { obligationId: o.id, version: 2, submittedAt: new Date(now - 3_600_000), late: false, figures: {}, narrative: 'Rättelse.' } });
    const steps = (await loadReportingPlan(db.prisma, p.id, new Date(now)))!.steps;
    expect(steps.map((st) => [st.kind, st.key, st.at])).toEqual([['receipt', receiptKey(fresh.id), fresh.submittedAt.toISOString()]]);
    expect((await acts.decideReporting({ projectId: p.id, now })).decision).toMatchObject({ action: 'perform', step: { key: receiptKey(fresh.id) } });
    expect(await acts.performReportingStep({ projectId: p.id, step: steps[0], now })).toBe('sent');
    expect(await acts.performReportingStep({ projectId: p.id, step: steps[0], now })).toBe('skipped');
    expect(smtp.messages.map((m) => m.subject)).toEqual(['Mottagen: halvårsrapport för ”Gamla kvittot”, version 2 – Samordningsförbundet Älv och Sjö']);
    expect((await acts.decideReporting({ projectId: p.id, now })).decision).toEqual({ action: 'end', reason: 'every report submitted' });

    // Before go-live, or older than two days, no receipt.
    const anHourAgo = new Date(now - 3_600_000);
    expect(receiptWanted({ goLiveOn: new Date('2037-07-21T00:00:00Z') }, anHourAgo, new Date(now))).toBe(false);
    expect(receiptWanted({ goLiveOn: new Date('2037-07-20T00:00:00Z') }, anHourAgo, new Date(now))).toBe(true);
    expect(receiptWanted({ goLiveOn: null }, new Date(now - 2 * 86_400_000 - 1), new Date(now))).toBe(false);
  });

  it('the year letter of a project running when the förbund goes live: every report still owed, overdue first, not "upplagd"', async () => {
    const GO_LIVE = '2037-06-01T08:00:00.000Z';
    const { forbundId: startar } = await importForbund(db.prisma, parseForbundFile(GO_LIVE_FILE, 'startar.yaml'), { actor: 'test' });
    // Imported on its go-live day: its projects entered Årscykel then.
    await db.prisma.project.updateMany({ where: { forbundId: startar }, data: { createdAt: new Date(GO_LIVE) } });
    const of = (key: string) => db.prisma.project.findUniqueOrThrow({ where: { forbundId_key: { forbundId: startar, key } }, include: { obligations: { orderBy: { dueDate: 'asc' } } } });
    const running = await of('pagaende');
    expect(running.obligations.map((o) => o.dueDate.toISOString().slice(0, 10))).toEqual(['2037-04-15', '2037-07-15', '2037-10-15', '2038-01-15']);
    const letterOf = async (projectId: string) => (await loadReportingPlan(db.prisma, projectId, new Date(GO_LIVE)))!.steps.find((st) => st.kind === 'letter')!;
    const letter = await letterOf(running.id);
    expect(letter.at).toBe(GO_LIVE);
    expect(await acts.performReportingStep({ projectId: running.id, step: letter, now: Date.parse(GO_LIVE) })).toBe('sent');
    // Q1 fell due before go-live and the official has not said it is still wanted (Läget vid start):
    // it may have been handled outside Årscykel, so the letter does not call it late.
    const first = smtp.messages[0];
    expect(first.subject).toBe('Rapporter 2037 för ”Pågående”: 2 sista dagar – Samordningsförbundet Startar Nu');
    expect(first.text).not.toMatch(/[Ff]örsenad|1 januari–31 mars/);
    expect(first.text).not.toContain('upplagd');

    // Said to be still wanted: the same letter (had it not gone yet) lists it first, as owed, without reminders.
    await db.prisma.reportingObligation.update({ where: { id: running.obligations[0].id }, data: { startSettledAt: new Date(GO_LIVE) } });
    await db.prisma.notification.deleteMany({ where: { key: letter.key } });
    expect(await acts.performReportingStep({ projectId: running.id, step: letter, now: Date.parse(GO_LIVE) })).toBe('sent');
    const m = smtp.messages[1];
    expect(m.subject).toBe('Rapporter 2037 för ”Pågående”: 2 sista dagar och 1 försenad – Samordningsförbundet Startar Nu');
    expect(m.text).toContain('Samordningsförbundet Startar Nu använder från och med nu Årscykel för insatsernas rapporter. Här är de 3 rapporter som insatsen ”Pågående” ännu ska lämna, med sista dag för var och en; de försenade står först.');
    expect(m.text).not.toContain('upplagd');
    const q1 = m.text!.indexOf('Kvartalsrapport för perioden 1 januari–31 mars 2037: skulle ha lämnats senast onsdagen den 15 april 2037. Sista dag låg före starten i Årscykel, så inga påminnelser skickas om den.');
    const q2 = m.text!.indexOf('Kvartalsrapport för perioden 1 april–30 juni 2037: senast onsdagen den 15 juli 2037.');
    expect(q1).toBeGreaterThan(0);
    expect(q2).toBeGreaterThan(q1);
    // The first link is the overdue report's.
    submissionLinkIn(m, running.obligations[0].id);
    expect(m.html).toMatch(/>Lämna rapporten<\/a>/);

    // A project that starts after the go-live is new: "upplagd".
    const later = await of('nystartad');
    expect(await acts.performReportingStep({ projectId: later.id, step: await letterOf(later.id), now: Date.parse(GO_LIVE) })).toBe('sent');
    expect(smtp.messages[2].text).toContain('Insatsen ”Nystartad” är nu upplagd hos Samordningsförbundet Startar Nu.');
    expect(smtp.messages[2].text).not.toMatch(/[Ff]örsenad/);
  });
});

// A förbund going live on Monday 1 June 2037, with a project running since January and one starting in August.
const GO_LIVE_FILE = `
forbund:
  id: startar
  name: Samordningsförbundet Startar Nu
  email: kansli@startar.example
  year: 2037
  goLive: 2037-06-01
${MEMBERS_YAML}
people:
  - { id: official, name: Örjan Start, email: official@startar.example, roles: [official] }
  - { id: secretary, name: Sara Start, email: secretary@startar.example, roles: [secretary] }
  - { id: co-a, name: Åsa Start, email: a@startar.example, roles: [coordinator] }
bodies:
  styrelse: { members: [] }
reporting:
  kinds:
    quarterly: { dueDays: 15 }
  reminders: [14, 3, 0]
  overdue: { reminderDaysAfter: 1, escalateDaysAfter: 7 }
projects:
  - { id: pagaende, name: Pågående, coordinator: co-a, start: 2037-01-01, end: 2037-12-31, reports: [quarterly] }
  - { id: nystartad, name: Nystartad, coordinator: co-a, start: 2037-08-01, end: 2037-12-31, reports: [quarterly] }
cycle:
  meetings: []
`;
