// The quarterly review's Schedule on Temporal's dev server (the time-skipping test server has no
// schedules): created once per förbund with the calendar spec in Europe/Stockholm, and when it
// fires (triggered here) it starts the review of the quarter before, which asks for the actuals.
import { readFileSync } from 'node:fs';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer } from '../activities/mail.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { findTemporalServer } from '../worker/temporal-servers.js';
import { ensureReviewSchedule, reviewScheduleId } from '../worker/schedules.js';
import { testDatabase } from './support/database.js';
import { keyOf } from './support/mails.js';
import { startSmtpServer, type TestSmtpServer } from './support/smtp.js';
import { eventually, runWorker, TASK_QUEUE, type RunningWorker } from './support/temporal.js';

let env: TestWorkflowEnvironment;
let db: Database;
let smtp: TestSmtpServer;
let worker: RunningWorker;

beforeAll(async () => {
  [db, smtp] = await Promise.all([testDatabase(), startSmtpServer()]);
  env = await TestWorkflowEnvironment.createLocal({ server: { executable: findTemporalServer('cli').executable, ip: '127.0.0.1' } });
  worker = await runWorker(env, { prisma: db.prisma, mailer: createMailer({ prisma: db.prisma, transport: smtp.transport, log: () => {} }), publicBaseUrl: 'http://localhost:3000', linkSecret: 's'.repeat(32), searchAttributes: false });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await env?.teardown();
  await Promise.all([db?.close(), smtp?.close()]);
});

describe('the quarterly review schedule', () => {
  it('is created once per förbund, in Europe/Stockholm at 08:00 on the 10th of each quarter, and its run asks for the actuals', async () => {
    const thisYear = new Date().getUTCFullYear();
    const { forbundId, slug } = await importForbund(db.prisma, parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml'), { year: thisYear, actor: 'test' });
    expect(await ensureReviewSchedule(env.client, TASK_QUEUE, { id: forbundId, slug })).toBe(true);
    expect(await ensureReviewSchedule(env.client, TASK_QUEUE, { id: forbundId, slug })).toBe(false);
    const handle = env.client.schedule.getHandle(reviewScheduleId(forbundId));
    const d = await handle.describe();
    expect(d.spec.timezone).toBe('Europe/Stockholm');
    expect(d.spec.calendars?.[0]).toMatchObject({ dayOfMonth: [{ start: 10, end: 10, step: 1 }], hour: [{ start: 8, end: 8, step: 1 }] });
    expect(d.spec.calendars?.[0].month).toEqual([{ start: 'JANUARY', end: 'JANUARY', step: 1 }, { start: 'APRIL', end: 'APRIL', step: 1 }, { start: 'JULY', end: 'JULY', step: 1 }, { start: 'OCTOBER', end: 'OCTOBER', step: 1 }]);
    expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'kvartalsgenomgang' });
    // The next runs are 10 January, April, July or October at 08:00 Stockholm (07:00 or 06:00 UTC).
    for (const next of d.info.nextActionTimes.slice(0, 3)) {
      expect([0, 3, 6, 9]).toContain(next.getUTCMonth());
      expect(next.getUTCDate()).toBe(10);
      expect([6, 7]).toContain(next.getUTCHours());
    }

    await handle.trigger();
    await eventually(async () => expect(await db.prisma.forecastReview.count({ where: { forbundId } })).toBe(1), 30_000);
    const review = await db.prisma.forecastReview.findFirstOrThrow({ where: { forbundId } });
    // Triggered today, it reviews the quarter before today.
    const month = new Date().getUTCMonth() + 1;
    expect(review.quarter).toBe(month <= 3 ? 4 : Math.floor((month - 1) / 3));
    await eventually(() => expect(smtp.messages.filter((m) => keyOf(m) === `review:${review.id}:actuals`)).toHaveLength(1), 30_000);
    await handle.delete();
  }, 120_000);
});
