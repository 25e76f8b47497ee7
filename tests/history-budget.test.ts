// The history budgets (issue 10): a year of Sydnärke placed in 2037 on Temporal's time-skipping
// test server, as scripts/history-events.ts measures it (the production worker and activities,
// the test database). A förbund's year (its `arscykel` runs for the year) stays within 1000
// history events, a project's year with 4–6 reports (its `projectReporting` runs, events dated
// in the year) within 300. And the steps due together go out in one activity call that a retry
// can repeat without sending a mail twice.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../activities/index.js';
import { createMailer } from '../activities/mail.js';
import { MAX_STEPS_PER_CALL } from '../activities/steps.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { measureHistories, type HistoryFigures } from '../scripts/history-events.js';
import { importForbund } from '../services/import.js';
import { testDatabase } from './support/database.js';
import { keyOf } from './support/mails.js';
import { startSmtpServer, type TestSmtpServer } from './support/smtp.js';
import { workflowBundle } from './support/temporal.js';

let db: Database;
let smtp: TestSmtpServer;
let figures: HistoryFigures;

beforeAll(async () => {
  let bundle;
  [db, smtp, bundle] = await Promise.all([testDatabase(), startSmtpServer(), workflowBundle()]);
  figures = await measureHistories({ database: db, workflowBundle: bundle });
  console.log(JSON.stringify(figures));
}, 180_000);

afterAll(async () => {
  await Promise.all([db?.close(), smtp?.close()]);
});

describe('history events per year on the time-skipping test server (Sydnärke in 2037)', () => {
  it('a förbund\'s year: at most 1000 events, its invites, reminders and escalations sent', () => {
    expect(figures.forbundYear).toHaveLength(1);
    for (const f of figures.forbundYear) {
      expect(f.mails, f.workflow).toBeGreaterThan(50);
      expect(f.events, f.workflow).toBeLessThanOrEqual(1000);
    }
  });

  it('a project\'s year with 4, 5 or 6 reports: at most 300 events, the year letter, each report reminded three times (the late one once more)', () => {
    expect(figures.projectYear.map((p) => p.reports).sort()).toEqual([4, 5, 6]);
    for (const p of figures.projectYear) {
      // 1 letter of the year's report dates (first working day) + 3 reminders per report + 1 overdue mail.
      expect(p.mails, p.project).toBe(1 + 3 * p.reports + 1);
      expect(p.events, p.project).toBeLessThanOrEqual(300);
    }
  });
});

describe('steps due together, in one activity call', () => {
  it('the year\'s invites go out in batches; a batch carried out again sends nothing twice', async () => {
    const file = parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml');
    // Beside the measured Sydnärke in the same database: another förbund from the same file.
    const { forbundId } = await importForbund(db.prisma, { ...file, forbund: { ...file.forbund, id: 'sydnarke-batch' }, projects: [], budget: undefined }, { year: 2037, actor: 'test' });
    const acts = createActivities({ prisma: db.prisma, mailer: createMailer({ prisma: db.prisma, transport: smtp.transport, log: () => {} }), publicBaseUrl: 'http://localhost:3000', linkSecret: 'x'.repeat(32), searchAttributes: false });
    const now = Date.parse('2037-01-05T09:30:00.000Z');
    const first = await acts.decideCycle({ forbundId, year: 2037, now });
    expect(first.decision.action).toBe('perform');
    // Twelve preparatory meetings: ten in the first call, two in the next.
    expect(first.steps.map((s) => s.kind)).toEqual(Array(MAX_STEPS_PER_CALL).fill('invite'));

    const carried = await acts.carryOutCycleSteps({ forbundId, year: 2037, steps: first.steps, now });
    expect(carried.outcomes.map((o) => o.outcome)).toEqual(Array(MAX_STEPS_PER_CALL).fill('sent'));
    expect(carried.next.decision.action).toBe('perform');
    expect(carried.next.steps).toHaveLength(2);
    expect(new Set([...first.steps, ...carried.next.steps].map((s) => s.key)).size).toBe(12);

    const again = await acts.carryOutCycleSteps({ forbundId, year: 2037, steps: first.steps, now });
    expect(again.outcomes.map((o) => o.outcome)).toEqual(Array(MAX_STEPS_PER_CALL).fill('skipped'));
    expect(smtp.messages.map(keyOf).sort()).toEqual(first.steps.map((s) => s.key).sort());

    const rest = await acts.carryOutCycleSteps({ forbundId, year: 2037, steps: carried.next.steps, now });
    expect(rest.outcomes.map((o) => o.outcome)).toEqual(['sent', 'sent']);
    expect(rest.next.decision.action).toBe('sleep');
    expect(smtp.messages).toHaveLength(12);
    expect(await db.prisma.notification.count({ where: { forbundId, key: { startsWith: 'invite:' } } })).toBe(12);
  });
});
