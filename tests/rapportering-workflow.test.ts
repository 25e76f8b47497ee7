// The projectReporting workflow end to end, without a Temporal server: no server can run here,
// so the replay harness (tests/harness/workflow-harness.ts) drives the REAL workflow code in the
// REAL workflow sandbox by replaying its growing history at every step (each step is therefore
// also a determinism check). The activities are the real ones from createActivities(), run
// in-process against a real database (testDatabase(): PGlite, or PostgreSQL in CI), and their
// mailer talks SMTP to a real server in this process (tests/support/smtp.ts). Time is the
// workflow clock: timers are fired by the harness, and the activities get that clock as `now`.
import { fileURLToPath } from 'node:url';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createActivities, type Activities } from '../activities/index.js';
import { createMailer } from '../activities/mail.js';
import { toStockholmTime } from '../domain/dates.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Decision } from '../domain/schedule.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { submissionPurpose, tokenMatches } from '../services/links.js';
import { loadReportingPlan } from '../services/rapportering.js';
import { reportingWorkflowId } from '../workflows/signals.js';
import type { ProjectReportingInput } from '../workflows/rapportering.js';
import { replayHistory, WorkflowHarness, type WorkflowBundle } from './harness/workflow-harness.js';
import { testDatabase } from './support/database.js';
import { addresses, startSmtpServer, type TestSmtpServer } from './support/smtp.js';

const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
const LINK_SECRET = 'x'.repeat(32);

// A small förbund: one project per scenario, each with its own coordinator. Half-year reports
// (period 1 Jan – 30 Jun 2026) are due 31 days after the period: Friday 31 July 2026.
const FILE = `
forbund:
  id: testforbund
  name: Samordningsförbundet Älv och Sjö
  email: kansli@alvsjo.example
  year: 2026
members:
  - { id: kommunen, name: Åby kommun, kind: municipality }
  - { id: regionen, name: Region Östra Sjö, kind: region }
  - { id: fk, name: Försäkringskassan, kind: forsakringskassan }
  - { id: af, name: Arbetsförmedlingen, kind: arbetsformedlingen }
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
  - { id: paminnelser, name: Påminnelsen, coordinator: co-a, start: 2026-01-01, end: 2026-12-31, reports: [halfYear] }
  - { id: tva, name: Två rapporter, coordinator: co-b, start: 2026-01-01, end: 2027-06-30, reports: [halfYear, annual] }
  - { id: forsenad, name: Förseningen, coordinator: co-c, start: 2026-01-01, end: 2026-12-31, reports: [halfYear] }
  - { id: flyttad, name: Flytten, coordinator: co-d, start: 2026-01-01, end: 2026-12-31, reports: [halfYear] }
  - { id: avbruten, name: Avbrottet, coordinator: co-e, start: 2026-01-01, end: 2026-12-31, reports: [halfYear] }
  - { id: lang, name: Långkörningen, coordinator: co-f, start: 2026-01-01, end: 2026-12-31, reports: [halfYear] }
  - { id: omforsok, name: Omförsöket, coordinator: co-g, start: 2026-01-01, end: 2026-12-31, reports: [halfYear] }
  - { id: midnatt, name: Midnattsloppet, coordinator: co-h, start: 2026-01-01, end: 2026-12-31, reports: [halfYear] }
  - { id: sen, name: Senstarten, coordinator: co-i, start: 2026-01-01, end: 2026-12-31, reports: [halfYear] }
cycle:
  meetings: []
`;

// 08:00 in Stockholm (CEST, UTC+2 in summer; CET, UTC+1 in winter).
const REMINDER_14 = '2026-07-17T06:00:00.000Z'; // Fri, 14 days before Fri 31 July
const REMINDER_3 = '2026-07-28T06:00:00.000Z'; // Tue
const REMINDER_0 = '2026-07-31T06:00:00.000Z'; // the due day
const OVERDUE = '2026-08-03T06:00:00.000Z'; // the day after is Sat 1 Aug: next working day, Mon 3 Aug
const ESCALATION = '2026-08-07T06:00:00.000Z'; // 7 days after the due date (Fri)
const START = new Date('2026-06-01T10:00:00.000Z');

let db: Database;
let smtp: TestSmtpServer;
let bundle: WorkflowBundle;
let acts: Activities;
let forbundId: string;

beforeAll(async () => {
  [db, smtp, bundle] = await Promise.all([testDatabase(), startSmtpServer(), WorkflowHarness.bundle(workflowsPath)]);
  const summary = await importForbund(db.prisma, parseForbundFile(FILE, 'test.yaml'), { actor: 'test' });
  forbundId = summary.forbundId;
  const mailer = createMailer({ prisma: db.prisma, transport: smtp.transport });
  acts = createActivities({ prisma: db.prisma, mailer, publicBaseUrl: 'http://localhost:3000', linkSecret: LINK_SECRET });
});

afterAll(async () => {
  await WorkflowHarness.shutdown();
  await Promise.all([db?.close(), smtp?.close()]);
});

beforeEach(() => smtp.clear());

async function project(key: string) {
  const p = await db.prisma.project.findUniqueOrThrow({
    where: { forbundId_key: { forbundId, key } },
    include: { coordinator: true, obligations: { orderBy: { dueDate: 'asc' } } },
  });
  return p;
}

function start(projectId: string, opts: { startTime?: Date; input?: Partial<ProjectReportingInput> } = {}) {
  return WorkflowHarness.start({
    bundle,
    workflowsPath,
    workflowType: 'projectReporting',
    workflowId: reportingWorkflowId(projectId),
    args: [{ projectId, ...opts.input }],
    activities: acts,
    startTime: opts.startTime ?? START,
  });
}

type Harness = Awaited<ReturnType<typeof start>>;

/** What the workflow carried out: [clock, step kind, outcome]. */
const performed = (h: Harness) =>
  h.activityCalls
    .filter((c) => c.name === 'performReportingStep')
    .map((c) => [c.at.toISOString(), (c.args[0] as { step: { kind: string } }).step.kind, c.result]);

const lastDecision = (h: Harness) => h.activityCalls.filter((c) => c.name === 'decideReporting').at(-1)?.result as Decision;

const timers = (h: Harness) => h.pendingTimers().map((t) => t.fireAt.toISOString());

/** The submission link in a mail; checks that its token opens exactly this report. */
function submissionLinkIn(mail: ParsedMail, obligationId: string): string {
  const m = /(http:\/\/localhost:3000\/submit\/([0-9a-f-]+)\?token=([A-Za-z0-9_-]+))/.exec(mail.text ?? '');
  expect(m, `no submission link in: ${mail.text}`).not.toBeNull();
  expect(m![2]).toBe(obligationId);
  expect(tokenMatches(LINK_SECRET, submissionPurpose(obligationId), m![3])).toBe(true);
  expect(mail.html).toContain(`<a href="${m![1]}">`);
  return m![1];
}

const toOf = (m: ParsedMail) => addresses(m.to);
const ccOf = (m: ParsedMail) => addresses(m.cc);

async function determinism(h: Harness) {
  await replayHistory(bundle, h.history(), { workflowId: reportingWorkflowId((h.activityCalls[0].args[0] as { projectId: string }).projectId) });
}

describe('projectReporting workflow (real workflow code via replay, real activities, database and SMTP)', () => {
  it('a. reminds the coordinator 14, 3 and 0 days before the due date at 08:00 Stockholm, never early', async () => {
    const p = await project('paminnelser');
    const [o] = p.obligations;
    expect(o.dueDate.toISOString().slice(0, 10)).toBe('2026-07-31');
    const h = await start(p.id);
    expect(h.status).toBe('running');
    expect(timers(h)).toEqual([REMINDER_14]);
    expect(smtp.messages).toHaveLength(0);

    // A second before the first reminder: still nothing.
    await h.advanceTo(new Date(Date.parse(REMINDER_14) - 1000));
    expect(smtp.messages).toHaveLength(0);

    const t1 = await h.fireNextTimer();
    expect(t1.toISOString()).toBe(REMINDER_14);
    expect(toStockholmTime(t1)).toBe('08:00');
    expect(smtp.messages).toHaveLength(1);
    const first = smtp.messages[0];
    expect(first.subject).toBe('Påminnelse: halvårsrapport (delår) för Påminnelsen ska lämnas 31 juli 2026');
    expect(toOf(first)).toEqual(['a@alvsjo.example']);
    expect(ccOf(first)).toEqual([]);
    expect(first.from?.value).toEqual([{ name: 'Samordningsförbundet Älv och Sjö', address: 'kansli@alvsjo.example' }]);
    expect(first.text).toContain('Hej Åsa Påminnelse,');
    expect(first.text).toContain('Halvårsrapport (delår) för perioden 1 januari 2026–30 juni 2026 för insatsen Påminnelsen ska lämnas om 14 dagar, 31 juli 2026.');
    expect(first.text).toContain('inga uppgifter om enskilda deltagare');
    submissionLinkIn(first, o.id);
    expect(timers(h)).toEqual([REMINDER_3]);

    await h.advanceTo(new Date(Date.parse(REMINDER_3) - 1));
    expect(smtp.messages).toHaveLength(1);
    expect((await h.fireNextTimer()).toISOString()).toBe(REMINDER_3);
    expect(smtp.messages).toHaveLength(2);
    expect(smtp.messages[1].subject).toBe('Påminnelse: halvårsrapport (delår) för Påminnelsen ska lämnas 31 juli 2026');
    expect(smtp.messages[1].text).toContain('ska lämnas om 3 dagar, 31 juli 2026.');

    expect((await h.fireNextTimer()).toISOString()).toBe(REMINDER_0);
    expect(smtp.messages).toHaveLength(3);
    expect(smtp.messages[2].subject).toBe('Påminnelse: halvårsrapport (delår) för Påminnelsen ska lämnas i dag');
    expect(smtp.messages[2].text).toContain('för insatsen Påminnelsen ska lämnas i dag.');
    submissionLinkIn(smtp.messages[2], o.id);
    // Three distinct messages (three keys), each recorded once.
    expect(new Set(smtp.messages.map((m) => m.messageId)).size).toBe(3);
    expect(await db.prisma.notification.count({ where: { key: { startsWith: `report:${o.id}:` } } })).toBe(3);

    expect(performed(h)).toEqual([
      [REMINDER_14, 'reminder', 'sent'],
      [REMINDER_3, 'reminder', 'sent'],
      [REMINDER_0, 'reminder', 'sent'],
    ]);
    expect(timers(h)).toEqual([OVERDUE]);
    await determinism(h);
  });

  it('b. a report submitted after the first reminder gets no more reminders; the workflow moves on, and ends when all are in', async () => {
    const p = await project('tva');
    const [half, annual] = p.obligations;
    expect(p.obligations.map((o) => [o.kind, o.dueDate.toISOString().slice(0, 10)])).toEqual([
      ['halfYear', '2026-07-31'],
      ['annual', '2027-02-01'], // 31 Jan 2027 is a Sunday
    ]);
    const h = await start(p.id);
    await h.fireNextTimer();
    expect(smtp.messages.map((m) => m.subject)).toEqual(['Påminnelse: halvårsrapport (delår) för Två rapporter ska lämnas 31 juli 2026']);
    const reminder3 = h.pendingTimers()[0];
    expect(reminder3.fireAt.toISOString()).toBe(REMINDER_3);

    // The coordinator submits (as the API does) a few days later; the API signals the workflow.
    await h.advanceTo(new Date('2026-07-20T13:00:00.000Z'));
    await db.prisma.reportingObligation.update({ where: { id: half.id }, data: { status: 'submitted' } });
    await h.signal('planChanged', 'report submitted');
    expect(h.commands).toContain(`cancelTimer ${reminder3.seq}`);
    // Next: the annual report's first reminder, 14 days before Mon 1 Feb 2027, 08:00 CET.
    expect(timers(h)).toEqual(['2027-01-18T07:00:00.000Z']);
    expect(lastDecision(h)).toMatchObject({ action: 'sleep', until: '2027-01-18T07:00:00.000Z', step: { subjectId: annual.id, kind: 'reminder' } });

    // Nothing more about the half-year report, even well past its due date.
    await h.advanceTo(new Date('2026-12-31T12:00:00.000Z'));
    expect(smtp.messages).toHaveLength(1);

    const t = await h.fireNextTimer();
    expect(t.toISOString()).toBe('2027-01-18T07:00:00.000Z');
    expect(toStockholmTime(t)).toBe('08:00');
    expect(smtp.messages).toHaveLength(2);
    expect(smtp.messages[1].subject).toBe('Påminnelse: årsrapport för Två rapporter ska lämnas 1 februari 2027');
    expect(smtp.messages[1].text).toContain('Årsrapport för perioden 1 januari 2026–31 december 2026 för insatsen Två rapporter ska lämnas om 14 dagar, 1 februari 2027.');
    submissionLinkIn(smtp.messages[1], annual.id);

    await db.prisma.reportingObligation.update({ where: { id: annual.id }, data: { status: 'submitted' } });
    await h.signal('planChanged', 'report submitted');
    expect(h.status).toBe('completed');
    expect(h.result).toBe('every report submitted');
    expect(h.pendingTimers()).toEqual([]);
    expect(smtp.messages).toHaveLength(2);
    expect(performed(h).map((x) => x[0])).toEqual([REMINDER_14, '2027-01-18T07:00:00.000Z']);
    await determinism(h);
  });

  it('c. an unsubmitted report: overdue mail with the official in copy, then escalation to the official and the beredningsgrupp, then waiting', async () => {
    const p = await project('forsenad');
    const [o] = p.obligations;
    const h = await start(p.id);
    await h.advanceTo(new Date(REMINDER_0));
    expect(smtp.messages).toHaveLength(3);
    expect(timers(h)).toEqual([OVERDUE]);
    smtp.clear();

    // Nothing on Saturday, the day after the due date; the overdue mail comes on Monday at 08:00.
    await h.advanceTo(new Date('2026-08-01T06:00:00.000Z'));
    expect(smtp.messages).toHaveLength(0);
    expect((await h.fireNextTimer()).toISOString()).toBe(OVERDUE);
    expect(smtp.messages).toHaveLength(1);
    const overdue = smtp.messages[0];
    expect(overdue.subject).toBe('Försenad: halvårsrapport (delår) för Förseningen skulle ha lämnats 31 juli 2026');
    expect(toOf(overdue)).toEqual(['c@alvsjo.example']);
    expect(ccOf(overdue)).toEqual(['orjan@alvsjo.example']);
    expect(overdue.text).toContain('Hej Cecilia Försenad,');
    expect(overdue.text).toContain('skulle ha lämnats senast 31 juli 2026 och har ännu inte kommit in. Örjan Tjänsteman får en kopia av detta meddelande.');
    submissionLinkIn(overdue, o.id);
    expect(await db.prisma.escalation.count({ where: { subjectId: o.id } })).toBe(0);
    expect(timers(h)).toEqual([ESCALATION]);

    expect((await h.fireNextTimer()).toISOString()).toBe(ESCALATION);
    expect(smtp.messages).toHaveLength(2);
    const esc = smtp.messages[1];
    expect(esc.subject).toBe('Eskalering: halvårsrapport (delår) för Förseningen är 7 dagar försenad');
    expect(toOf(esc)).toEqual(['orjan@alvsjo.example', 'marta.chef@fk.example']);
    expect(ccOf(esc)).toEqual(['c@alvsjo.example']);
    expect(esc.text).toContain('Till verkställande tjänsteman och beredningsgruppen,');
    expect(esc.text).toContain('(samordnare Cecilia Försenad) skulle ha lämnats 31 juli 2026 och är nu 7 dagar försenad trots påminnelser.');
    const escalations = await db.prisma.escalation.findMany({ where: { forbundId, subjectId: o.id } });
    expect(escalations).toHaveLength(1);
    expect(escalations[0]).toMatchObject({ subjectType: 'obligation', reason: 'report 7 days overdue', resolvedAt: null });
    expect(escalations[0].raisedAt.toISOString()).toBe(ESCALATION);
    expect(await db.prisma.auditEvent.count({ where: { action: 'escalation.raised', entityId: o.id } })).toBe(1);

    // Nothing left to send for this report: no timer, the workflow waits for a change.
    expect(h.status).toBe('running');
    expect(h.pendingTimers()).toEqual([]);
    expect(lastDecision(h)).toMatchObject({ action: 'waitForChange' });
    expect(performed(h).map(([at, kind]) => [at, kind])).toEqual([
      [REMINDER_14, 'reminder'],
      [REMINDER_3, 'reminder'],
      [REMINDER_0, 'reminder'],
      [OVERDUE, 'overdue'],
      [ESCALATION, 'escalation'],
    ]);
    // A signal that changes nothing (say, another project's import) sends nothing again.
    await h.signal('planChanged', 'unrelated import');
    expect(smtp.messages).toHaveLength(2);
    expect(h.pendingTimers()).toEqual([]);

    // The late report finally arrives.
    await h.advanceTo(new Date('2026-08-20T09:00:00.000Z'));
    await db.prisma.reportingObligation.update({ where: { id: o.id }, data: { status: 'submitted' } });
    await h.signal('planChanged', 'report submitted');
    expect(h.status).toBe('completed');
    expect(h.result).toBe('every report submitted');
    await determinism(h);
  });

  it('d. a moved due date re-plans the reminders: the old timer is cancelled, new mails name the new date', async () => {
    const p = await project('flyttad');
    const [o] = p.obligations;
    const h = await start(p.id);
    await h.fireNextTimer();
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0].text).toContain('ska lämnas om 14 dagar, 31 juli 2026.');
    const old = h.pendingTimers()[0];
    expect(old.fireAt.toISOString()).toBe(REMINDER_3);

    // The official gives two more weeks: due Friday 14 August.
    await h.advanceTo(new Date('2026-07-21T09:00:00.000Z'));
    await db.prisma.reportingObligation.update({ where: { id: o.id }, data: { dueDate: new Date('2026-08-14T00:00:00Z') } });
    await h.signal('planChanged', 'due date moved');
    expect(h.commands).toContain(`cancelTimer ${old.seq}`);
    // 14 days before 14 August is 31 July, 08:00.
    expect(timers(h)).toEqual(['2026-07-31T06:00:00.000Z']);

    // Nothing at the old 3-day reminder (28 July) or the old due date.
    await h.advanceTo(new Date('2026-07-31T05:59:00.000Z'));
    expect(smtp.messages).toHaveLength(1);
    expect((await h.fireNextTimer()).toISOString()).toBe('2026-07-31T06:00:00.000Z');
    expect(smtp.messages).toHaveLength(2);
    expect(smtp.messages[1].subject).toBe('Påminnelse: halvårsrapport (delår) för Flytten ska lämnas 14 augusti 2026');
    expect(smtp.messages[1].text).toContain('ska lämnas om 14 dagar, 14 augusti 2026.');
    expect(smtp.messages[1].messageId).not.toBe(smtp.messages[0].messageId);
    submissionLinkIn(smtp.messages[1], o.id);

    expect((await h.fireNextTimer()).toISOString()).toBe('2026-08-11T06:00:00.000Z');
    expect(smtp.messages[2].text).toContain('ska lämnas om 3 dagar, 14 augusti 2026.');
    expect((await h.fireNextTimer()).toISOString()).toBe('2026-08-14T06:00:00.000Z');
    expect(smtp.messages[3].subject).toBe('Påminnelse: halvårsrapport (delår) för Flytten ska lämnas i dag');
    // Overdue on Monday 17 August (the 15th is a Saturday).
    expect(timers(h)).toEqual(['2026-08-17T06:00:00.000Z']);
    expect(smtp.messages.every((m) => !m.text?.includes('31 juli 2026') || m === smtp.messages[0])).toBe(true);
    await determinism(h);
  });

  it('e. a withdrawn project ends its workflow', async () => {
    const p = await project('avbruten');
    const h = await start(p.id);
    await h.fireNextTimer();
    expect(smtp.messages).toHaveLength(1);
    const pending = h.pendingTimers()[0];
    await db.prisma.project.update({ where: { id: p.id }, data: { status: 'withdrawn' } });
    await h.signal('planChanged', 'project withdrawn');
    expect(h.status).toBe('completed');
    expect(h.result).toBe('project withdrawn');
    expect(h.commands).toContain(`cancelTimer ${pending.seq}`);
    expect(h.commands.at(-1)).toBe('completeWorkflow');
    expect(smtp.messages).toHaveLength(1);
    await determinism(h);
  });

  it('f. continues as new with the same input after maxStepsPerRun performed steps', async () => {
    const p = await project('lang');
    const input = { projectId: p.id, maxStepsPerRun: 2 };
    const h = await start(p.id, { input });
    expect((await h.fireNextTimer()).toISOString()).toBe(REMINDER_14);
    expect(h.status).toBe('running');
    expect((await h.fireNextTimer()).toISOString()).toBe(REMINDER_3);
    expect(h.status).toBe('continuedAsNew');
    expect(h.continueAsNewArgs).toEqual([input]);
    expect(h.commands.at(-1)).toBe('continueAsNew');
    expect(smtp.messages).toHaveLength(2);
    await determinism(h);

    // The next run picks up where the last one stopped: the due-day reminder, nothing resent.
    const next = await start(p.id, { input: h.continueAsNewArgs![0] as ProjectReportingInput, startTime: h.now() });
    expect(timers(next)).toEqual([REMINDER_0]);
    expect(smtp.messages).toHaveLength(2);
    await next.fireNextTimer();
    expect(smtp.messages.map((m) => m.text?.match(/ska lämnas (om \d+ dagar|i dag)/)?.[1])).toEqual(['om 14 dagar', 'om 3 dagar', 'i dag']);
  });

  it('g. a retried activity sends no second e-mail', async () => {
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

  it('h. a step carried out late, just after midnight in Stockholm, counts days by the Stockholm calendar', async () => {
    // A worker that was down wakes at 00:30 on Wednesday 29 July in Stockholm (22:30 UTC on the
    // 28th): the 3-day reminder still runs, and must say two days are left, not three.
    const p = await project('midnatt');
    const plan = (await loadReportingPlan(db.prisma, p.id))!;
    const reminder3 = plan.steps.find((s) => s.at === REMINDER_3)!;
    expect(await acts.performReportingStep({ projectId: p.id, step: reminder3, now: Date.parse('2026-07-28T22:30:00.000Z') })).toBe('sent');
    expect(smtp.messages[0].text).toContain('ska lämnas om 2 dagar, 31 juli 2026.');
    // Escalated at 00:30 on Saturday 8 August: 8 days late by the Stockholm calendar.
    const escalation = plan.steps.find((s) => s.kind === 'escalation')!;
    expect(await acts.performReportingStep({ projectId: p.id, step: escalation, now: Date.parse('2026-08-07T22:30:00.000Z') })).toBe('sent');
    expect(smtp.messages[1].subject).toBe('Eskalering: halvårsrapport (delår) för Midnattsloppet är 8 dagar försenad');
  });

  it('i. a workflow started late sends only the latest reminder already due, not a burst of stale ones', async () => {
    // Started (or woken after an outage) at noon on 29 July: the 14- and 3-day reminders are both
    // past. Only the 3-day one is sent, once; the 14-day one is superseded for good.
    const p = await project('sen');
    const [o] = p.obligations;
    const h = await start(p.id, { startTime: new Date('2026-07-29T10:00:00.000Z') });
    expect(performed(h)).toEqual([['2026-07-29T10:00:00.000Z', 'reminder', 'sent']]);
    expect(h.activityCalls.filter((c) => c.name === 'performReportingStep').map((c) => (c.args[0] as { step: { key: string } }).step.key)).toEqual([
      `report:${o.id}:2026-07-31:reminder-3`,
    ]);
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0].text).toContain('ska lämnas om 2 dagar, 31 juli 2026.');
    expect(timers(h)).toEqual([REMINDER_0]);
    await h.fireNextTimer();
    expect(smtp.messages.map((m) => m.subject)).toEqual([
      'Påminnelse: halvårsrapport (delår) för Senstarten ska lämnas 31 juli 2026',
      'Påminnelse: halvårsrapport (delår) för Senstarten ska lämnas i dag',
    ]);
    await determinism(h);
  });
});
