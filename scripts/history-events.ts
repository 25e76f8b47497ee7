// npx tsx scripts/history-events.ts
// History events per workflow-year: a year of Sydnärke (examples/sydnarke.yaml placed in 2037)
// on Temporal's time-skipping test server, with the production worker and activities, an
// embedded database and mail written to a temporary outbox. The year as it goes: the preparatory
// meetings invited at its start, one moved in May, every milestone reminded and marked done on
// its due day (the delårsrapport a week late: overdue, escalated), next year's calendar adopted
// at the last board meeting, the rollover at New Year. Three projects owe 4, 5 and 6 reports due
// in 2037; each report is submitted on its due day after the reminders, the second one late.
// Counted: the events of the förbund's `arscykel` runs for 2037, and of each project's
// `projectReporting` runs dated in 2037 (budgets, issue 10: ≤ 1000 and ≤ 300).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, makeTelemetryFilterString, Runtime, type WorkflowBundleOption } from '@temporalio/worker';
import { createMailer } from '../activities/mail.js';
import { addDays, nextWorkingDay, shiftToYear, startOfStockholmDay, stockholmDateTime, toStockholmDate, toStockholmTime } from '../domain/dates.js';
import { parseForbundFile, type ReportKind } from '../domain/forbund-file.js';
import { openDatabase, type Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { outboxNotifier } from '../worker/client.js';
import { startTimeSkippingServer } from '../worker/temporal-servers.js';
import { createWorker } from '../worker/worker.js';
import { cycleWorkflowId, reportingWorkflowId } from '../workflows/signals.js';

export interface HistoryFigures {
  forbundYear: { workflow: string; events: number; mails: number }[];
  projectYear: { project: string; reports: number; events: number; mails: number }[];
}

const YEAR = 2037;
const TASK_QUEUE = 'history-events';
/** The example projects, each owing these kinds from 2036 through 2038: 4, 5 and 6 reports due in 2037. */
const PROJECTS: Record<string, ReportKind[]> = {
  'pa-vag': ['quarterly'],
  mottagningsteamet: ['quarterly', 'annual'],
  'fordjupad-utredning': ['quarterly', 'halfYear', 'annual'],
};

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const eventTime = (e: HistoryEvent) => Number(e.eventTime!.seconds) * 1000 + Math.floor((e.eventTime!.nanos ?? 0) / 1e6);
const inputOf = (history: temporal.api.history.v1.IHistory) => {
  const p = history.events![0].workflowExecutionStartedEventAttributes!.input?.payloads?.[0];
  return p?.data ? JSON.parse(Buffer.from(p.data).toString('utf8')) : undefined;
};

/** Every run of a workflow id, first to last (each run names the one it continued). */
async function runsOf(client: Client, workflowId: string) {
  const runs: temporal.api.history.v1.IHistory[] = [];
  let runId: string | undefined = (await client.workflow.getHandle(workflowId).describe()).runId;
  while (runId) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    runs.unshift(history);
    runId = history.events![0].workflowExecutionStartedEventAttributes!.continuedExecutionRunId || undefined;
  }
  return runs;
}

/**
 * Waits until the workflow has taken a signal in: every workflow task of its latest run has
 * completed. (A query would do, but a query while a task runs costs the history a task of its own.)
 */
async function signalTakenIn(client: Client, workflowId: string) {
  await until(async () => {
    const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events!;
    const scheduled = events.filter((e) => e.workflowTaskScheduledEventAttributes).length;
    const ended = events.filter((e) => e.workflowTaskCompletedEventAttributes || e.workflowTaskFailedEventAttributes || e.workflowTaskTimedOutEventAttributes).length;
    return scheduled === ended;
  }, `${workflowId} to take its signal in`);
}

/** Polls (real time, at most a minute) until `done`. */
async function until(done: () => Promise<boolean>, what: string) {
  for (const deadline = Date.now() + 60_000; !(await done()); ) {
    if (Date.now() > deadline) throw new Error(`waited in vain for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A change as the API makes it: stored, then the workflow told (through the product's notifier). */
interface Action {
  at: Date;
  run(): Promise<void>;
}

export async function measureHistories(opts: { database?: Database; workflowBundle?: WorkflowBundleOption } = {}): Promise<HistoryFigures> {
  const db = opts.database ?? (await openDatabase({ memory: true }));
  const outbox = mkdtempSync(join(tmpdir(), 'arscykel-history-'));
  const mailer = createMailer({ prisma: db.prisma, transport: { kind: 'outbox', dir: outbox }, log: () => {} });
  const env = await startTimeSkippingServer();
  try {
    const { prisma } = db;
    const deps = { prisma, mailer, publicBaseUrl: 'http://localhost:3000', linkSecret: 'h'.repeat(32), searchAttributes: false };
    const worker = await createWorker({ connection: env.nativeConnection, namespace: env.namespace ?? 'default', taskQueue: TASK_QUEUE, deps, workflowBundle: opts.workflowBundle });
    const running = worker.run();
    try {
      const file = parseForbundFile(readFileSync(fileURLToPath(new URL('../examples/sydnarke.yaml', import.meta.url)), 'utf8'), 'sydnarke.yaml');
      // In the file's own years (2016), placed in 2037 by the import; the budget plays no part in the histories.
      const projects = file.projects.filter((p) => p.id in PROJECTS).map((p) => ({ ...p, start: '2015-01-01', end: '2017-12-31', reports: PROJECTS[p.id] }));
      const { forbundId } = await importForbund(prisma, { ...file, projects, budget: undefined }, { year: YEAR, actor: 'history-events' });
      const yearStart = startOfStockholmDay(`${YEAR}-01-01`);
      const yearEnd = startOfStockholmDay(`${YEAR + 1}-01-01`);
      const inYear = (d: Date) => d >= yearStart && d < yearEnd;
      const day = (d: Date) => d.toISOString().slice(0, 10);
      // Last year's reports are in.
      const rows = await prisma.project.findMany({ where: { forbundId }, include: { obligations: { orderBy: { dueDate: 'asc' } } } });
      await prisma.reportingObligation.updateMany({ where: { project: { forbundId }, dueDate: { lt: yearStart } }, data: { status: 'submitted' } });

      const notifier = outboxNotifier(prisma);
      notifier.connect(env.client, TASK_QUEUE);
      const cycle = env.client.workflow.getHandle(cycleWorkflowId(forbundId));
      const told = async (ok: Promise<boolean>, workflowId: string) => {
        // On a busy machine a signal can miss its deadline: the change is kept, as in production,
        // and delivered here the way the worker would, before the clock moves on.
        if (!(await ok)) {
          for (let round = 1; (await notifier.deliverPending()) > 0; round++) if (round === 10) throw new Error(`${workflowId} was not told`);
        }
        await signalTakenIn(env.client, workflowId);
      };
      const cycleChanged = (reason: string) => told(notifier.cycleChanged(forbundId, YEAR, reason), cycle.workflowId);
      const reportingChanged = (projectId: string, reason: string) => told(notifier.reportingChanged(projectId, reason), reportingWorkflowId(projectId));

      const actions: Action[] = [];
      const at = (date: string, time = '14:00') => stockholmDateTime(date, time);

      // Milestones: done on the due day, after its last reminder; the delårsrapport a week late.
      const milestones = await prisma.milestone.findMany({ where: { forbundId, year: YEAR } });
      for (const ms of milestones) {
        if (ms.kind === 'nextCalendar') continue; // done by adopting next year's calendar
        const done = at(ms.kind === 'delar' ? addDays(day(ms.dueDate), 8) : day(ms.dueDate));
        actions.push({
          at: done,
          run: async () => {
            await prisma.milestone.update({ where: { id: ms.id }, data: { status: 'done', doneAt: done, doneBy: 'official' } });
            await cycleChanged('milestone done');
          },
        });
      }

      // A preparatory meeting moved by a day, in May.
      const meetings = await prisma.meeting.findMany({ where: { forbundId, year: YEAR }, orderBy: { startsAt: 'asc' } });
      const moved = meetings.find((m) => m.key === 'beredningsgrupp-10')!;
      actions.push({
        at: at(`${YEAR}-05-04`, '10:00'),
        run: async () => {
          const date = addDays(toStockholmDate(moved.startsAt), 1);
          await prisma.meeting.update({ where: { id: moved.id }, data: { startsAt: stockholmDateTime(date, toStockholmTime(moved.startsAt)), endsAt: stockholmDateTime(date, toStockholmTime(moved.endsAt)), sequence: { increment: 1 } } });
          await cycleChanged('meeting moved');
        },
      });

      // Next year's calendar (this year's, moved to the same weekdays), adopted at the last board meeting.
      const lastBoard = meetings.filter((m) => m.kind === 'styrelse' && m.status === 'planned').at(-1)!;
      const adopted = at(toStockholmDate(lastBoard.startsAt));
      actions.push({
        at: adopted,
        run: async () => {
          const ids = new Map<string, string>();
          for (const m of meetings) {
            const date = shiftToYear(toStockholmDate(m.startsAt), YEAR + 1);
            const row = await prisma.meeting.create({
              data: { forbundId, year: YEAR + 1, key: m.key, kind: m.kind, title: m.title, startsAt: stockholmDateTime(date, toStockholmTime(m.startsAt)), endsAt: stockholmDateTime(date, toStockholmTime(m.endsAt)), location: m.location },
            });
            ids.set(m.id, row.id);
          }
          for (const m of meetings.filter((x) => x.forMeetingId)) await prisma.meeting.update({ where: { id: ids.get(m.id)! }, data: { forMeetingId: ids.get(m.forMeetingId!)! } });
          await prisma.cycleYear.create({ data: { forbundId, year: YEAR + 1, calendarAdoptedAt: adopted, calendarAdoptedBy: 'secretary' } });
          await prisma.milestone.updateMany({ where: { forbundId, year: YEAR, kind: 'nextCalendar' }, data: { status: 'done', doneAt: adopted, doneBy: 'secretary' } });
          await cycleChanged(`calendar ${YEAR + 1} adopted`);
        },
      });

      // Reports: submitted on the due day after its reminders; the second of the year late, after the overdue mail.
      const reportsDue = new Map<string, number>();
      for (const p of rows) {
        const due = p.obligations.filter((o) => inYear(o.dueDate));
        reportsDue.set(p.key, due.length);
        due.forEach((o, i) => {
          const submitted = at(i === 1 ? nextWorkingDay(addDays(day(o.dueDate), 1)) : day(o.dueDate));
          actions.push({
            at: submitted,
            run: async () => {
              await prisma.reportingObligation.update({ where: { id: o.id }, data: { status: 'submitted' } });
              await reportingChanged(p.id, 'report submitted');
            },
          });
        });
      }

      // The year: its workflows started at New Year's midnight (the förbund's as its rollover would), then each change in turn.
      await advanceTo(env, yearStart);
      await cycleChanged('year started');
      for (const p of rows) await reportingChanged(p.id, 'project started');
      for (const a of actions.sort((x, y) => x.at.getTime() - y.at.getTime())) {
        await advanceTo(env, a.at);
        await a.run();
      }
      const lastRun = (await cycle.describe()).runId;
      await advanceTo(env, new Date(yearEnd.getTime() + 60_000));
      await until(async () => (await cycle.describe()).runId !== lastRun, 'the rollover');

      const notifications = await prisma.notification.findMany({ where: { forbundId, status: 'sent' }, select: { key: true } });
      const sent = (about: (key: string) => boolean) => notifications.filter((n) => about(n.key)).length;
      const cycleRuns = (await runsOf(env.client, cycle.workflowId)).filter((h) => inputOf(h)?.year === YEAR);
      const forbundYear = [{ workflow: `arscykel ${file.forbund.id} ${YEAR}`, events: cycleRuns.reduce((n, h) => n + h.events!.length, 0), mails: sent((k) => !k.startsWith('report:')) }];
      const projectYear = [];
      for (const p of rows) {
        const runs = await runsOf(env.client, reportingWorkflowId(p.id));
        const events = runs.flatMap((h) => h.events!).filter((e) => inYear(new Date(eventTime(e)))).length;
        // The project's mails: its reports' reminders (keyed by report) and its year letter (keyed by project).
        const ids = new Set([p.id, ...p.obligations.map((o) => o.id)]);
        projectYear.push({ project: p.key, reports: reportsDue.get(p.key)!, events, mails: sent((k) => k.startsWith('report:') && ids.has(k.split(':')[1])) });
      }
      return { forbundYear, projectYear };
    } finally {
      worker.shutdown();
      await running;
    }
  } finally {
    await env.teardown();
    mailer.close();
    if (!opts.database) await db.close();
    rmSync(outbox, { recursive: true, force: true });
  }
}

async function advanceTo(env: TestWorkflowEnvironment, to: Date) {
  const now = await env.currentTimeMs();
  if (to.getTime() > now) await env.sleep(to.getTime() - now);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } } });
  const t0 = Date.now();
  const figures = await measureHistories();
  for (const f of figures.forbundYear) console.log(`${f.workflow}: ${f.events} events (${f.mails} mails)`);
  for (const p of figures.projectYear) console.log(`projectReporting ${p.project} ${YEAR}: ${p.events} events, ${p.reports} reports (${p.mails} mails)`);
  console.log(`(${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  process.exit(0);
}
