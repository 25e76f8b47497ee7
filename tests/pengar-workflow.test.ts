// The quarterly review on Temporal's time-skipping test server with the production worker, the
// real activities, a real database and an SMTP peer, for the two seed cases placed in 2037:
// Sofint 2013 (income 2 700 000, costs 3 600 000) escalates its −900 000 once per review, a later
// worse review updates the board's matter instead of opening another; Sydnärke 2016 (−1 075 016
// planned against its equity) is within its policy until a forecast worse than planned.
import { readFileSync } from 'node:fs';
import type { ParsedMail } from 'mailparser';
import { WorkflowNotFoundError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { stockholmDateTime } from '../domain/dates.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import { MEMBER_TIMING } from '../domain/prognos.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import type { OutboxNotifier } from '../worker/client.js';
import { kvartalsgenomgang } from '../workflows/kvartal.js';
import { planChanged } from '../workflows/signals.js';
import { keyOf, toOf } from './support/mails.js';
import type { TestSmtpServer } from './support/smtp.js';
import { activityRuns, advanceTo, completedResult, eventually, recordHistory, TASK_QUEUE, workflowTestBed, type RunningWorker, type TestWorkflowEnvironment } from './support/temporal.js';

const at8 = (date: string) => stockholmDateTime(date, '08:00').toISOString();

let db: Database;
let smtp: TestSmtpServer;
let env: TestWorkflowEnvironment;
let worker: RunningWorker;
let notifier: OutboxNotifier;

workflowTestBed({ linkSecret: 'k'.repeat(32) }, (bed) => ({ db, smtp, env, worker, notifier } = bed));

async function importExample(name: string, slug: string) {
  const yaml = readFileSync(`examples/${name}.yaml`, 'utf8').replace(/^(\s*)id: \S+$/m, `$1id: ${slug}`).replace(/@([a-z0-9.-]+)/g, `@${slug}.$1`);
  return (await importForbund(db.prisma, parseForbundFile(yaml, `${slug}.yaml`), { year: 2037, actor: 'test' })).forbundId;
}

/** The outcome of months `from`–`to` as the budget times it (no deviation), plus `extra` per cost line key. */
async function enterActuals(forbundId: string, from: number, to: number, extra: Record<string, number> = {}) {
  const lines = await db.prisma.budgetLine.findMany({ where: { forbundId, year: 2037 } });
  // Cumulative to each month, rounded, so the months add up to the budget exactly.
  const upTo = (l: { amount: number | bigint; group: string }, m: number) => Math.round((Number(l.amount) * (l.group === 'members' ? MEMBER_TIMING.slice(0, m).reduce((a, b) => a + b, 0) / 4 : m / 12)));
  for (const l of lines) {
    for (let month = from; month <= to; month++) {
      const amount = upTo(l, month) - upTo(l, month - 1) + (month === to ? (extra[l.key] ?? 0) : 0);
      await db.prisma.actual.upsert({ where: { forbundId_year_lineKey_month: { forbundId, year: 2037, lineKey: l.key, month } }, create: { forbundId, year: 2037, lineKey: l.key, month, amount, source: 'test', enteredBy: 'test' }, update: { amount } });
    }
  }
}

/** One line's outcome in the months given, as entered. */
async function setMonths(forbundId: string, lineKey: string, months: Record<number, number>) {
  for (const [month, amount] of Object.entries(months)) {
    await db.prisma.actual.update({ where: { forbundId_year_lineKey_month: { forbundId, year: 2037, lineKey, month: Number(month) } }, data: { amount } });
  }
}

/** The review as the Schedule starts it (for the quarter before the day it runs). */
async function review(forbundId: string, day: string, quarter: number) {
  await advanceTo(env, at8(day));
  // Started without a period: the workflow reviews the quarter before the day it runs.
  const h = await env.client.workflow.start(kvartalsgenomgang, { workflowId: `review-${forbundId}-${quarter}`, taskQueue: TASK_QUEUE, args: [{ forbundId }] });
  await eventually(async () => expect(await db.prisma.forecastReview.count({ where: { forbundId, year: 2037, quarter } })).toBe(1));
  return h;
}

const deficitMails = () => smtp.messages.filter((m: ParsedMail) => keyOf(m).endsWith(':deficit'));

describe('Sofint 2013 placed in 2037: income 2 700 000, costs 3 600 000', () => {
  it('escalates the forecast −900 000 once per review; a worse later review updates the same matter; a second run of a quarter sends nothing', async () => {
    const forbundId = await importExample('sofint', 'sofint-q');
    await enterActuals(forbundId, 1, 3);
    const q1 = await review(forbundId, '2037-04-10', 1);
    expect(await q1.result()).toMatch(/^deficit -900000 kr taken to the board as 2037-\d{5}$/);
    expect(deficitMails()).toHaveLength(1);
    const mail = deficitMails()[0];
    expect(mail.subject).toBe('Prognostiserat underskott 2037: −900 000 kr – Samordningsförbundet i norra Örebro län (SOFINT)');
    expect(mail.text).toContain('Policyn tillåter inget underskott');
    expect(mail.text).toMatch(/Ett ärende ”Prognostiserat underskott” \(Dnr 2037-\d{5}\) har registrerats och tas upp av styrelsen/);
    const matters = await db.prisma.matter.findMany({ where: { forbundId, kind: 'deficit' } });
    expect(matters).toHaveLength(1);
    expect(matters[0]).toMatchObject({ title: 'Prognostiserat underskott 2037', preparingBody: 'presidium', status: 'prepared' }); // the review's figures are its preparation
    // Sofint's file has no board meetings yet (the seed gives none): the matter waits for the next one.
    expect(matters[0].meetingId).toBeNull();
    expect(mail.text).toContain('tas upp av styrelsen vid nästa sammanträde');
    expect((await db.prisma.forecastReview.findUniqueOrThrow({ where: { forbundId_year_quarter: { forbundId, year: 2037, quarter: 1 } } })).yearEndResult).toBe(-900_000n); // bigint in the database

    // The same quarter started again (a Schedule's catch-up, a person's retry): the same review, nothing sent twice.
    const again = await env.client.workflow.start(kvartalsgenomgang, { workflowId: `review-again-${forbundId}`, taskQueue: TASK_QUEUE, args: [{ forbundId, year: 2037, quarter: 1 }] });
    expect(await again.result()).toMatch(/taken to the board/);
    expect(deficitMails()).toHaveLength(1);
    expect(await db.prisma.matter.count({ where: { forbundId, kind: 'deficit' } })).toBe(1);

    // Q2: costs 200 000 over: the forecast worsens; the matter is updated, not opened again.
    const [costLine] = await db.prisma.budgetLine.findMany({ where: { forbundId, year: 2037, kind: 'cost', group: 'administration' }, orderBy: { amount: 'desc' }, take: 1 });
    await enterActuals(forbundId, 4, 6, { [costLine.key]: 200_000 });
    const q2 = await review(forbundId, '2037-07-10', 2);
    expect(await q2.result()).toMatch(/taken to the board/);
    expect(deficitMails()).toHaveLength(2);
    expect(deficitMails()[1].text).toMatch(/Ärendet ”Prognostiserat underskott” \(Dnr 2037-\d{5}\) har uppdaterats med den nya prognosen/);
    expect(await db.prisma.matter.count({ where: { forbundId, kind: 'deficit' } })).toBe(1);
    const updated = await db.prisma.matter.findFirstOrThrow({ where: { forbundId, kind: 'deficit' } });
    expect((updated.compilation as { quarter: number; yearEnd: number }).quarter).toBe(2);
    expect((updated.compilation as { yearEnd: number }).yearEnd).toBeLessThan(-900_000);
    // The mail names the line that deviates.
    expect(deficitMails()[1].text).toContain(costLine.name);

    const steps = (await activityRuns(q2)).map((r) => r.name);
    expect(steps).toEqual(['openReview', 'runForecast', 'takeDeficitToBoard']);
    await recordHistory(q2, 'kvartalsgenomgang-deficit');
  }, 120_000);

  it('reminds the economist of missing actuals, escalates them after ten days, and forecasts once they are in', async () => {
    const forbundId = await importExample('sofint', 'sofint-m');
    await enterActuals(forbundId, 1, 6);
    const q3 = await review(forbundId, '2037-10-10', 3);
    await eventually(() => expect(smtp.messages.filter((m) => keyOf(m).endsWith(':actuals'))).toHaveLength(1));
    const reminder = smtp.messages.find((m) => keyOf(m).endsWith(':actuals'))!;
    const economist = await db.prisma.person.findFirstOrThrow({ where: { forbundId, roles: { has: 'economist' } } });
    expect(toOf(reminder)).toEqual([economist.email]);
    expect(reminder.subject).toMatch(/^Utfall för tredje kvartalet 2037 behövs till prognosen/);
    expect(reminder.text).toContain('till och med september 2037');
    await advanceTo(env, at8('2037-10-21'));
    await eventually(() => expect(smtp.messages.filter((m) => keyOf(m).endsWith(':actuals-missing'))).toHaveLength(1));
    expect(smtp.messages.find((m) => keyOf(m).endsWith(':actuals-missing'))!.subject).toMatch(/^Eskalering: utfall saknas för tredje kvartalet 2037/);
    await enterActuals(forbundId, 7, 9);
    // The review re-reads the actuals daily: on the time-skipping server a day may pass before the
    // signal arrives, and the review has then found them and ended on its own. Either way it forecasts.
    await q3.signal(planChanged, 'actuals imported').catch((err) => {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    });
    expect(await completedResult(q3)).toMatch(/taken to the board/);
    expect((await activityRuns(q3)).map((r) => r.name)).toEqual(['openReview', 'remindForActuals', 'escalateMissingActuals', 'runForecast', 'takeDeficitToBoard']);
    await recordHistory(q3, 'kvartalsgenomgang-no-actuals-yet');
  }, 120_000);
});

describe('Sydnärke 2016 placed in 2037: −1 075 016 planned against its equity', () => {
  it('a year of reviews: within its policy as planned; a forecast worse than planned escalates; a worse one updates the same matter; one back within the policy says so', async () => {
    const forbundId = await importExample('sydnarke', 'sydnarke-q');
    const y = await db.prisma.budgetYear.findUniqueOrThrow({ where: { forbundId_year: { forbundId, year: 2037 } } });
    expect((y.statedTotals as { result: number }).result).toBe(-1_075_016);
    // Outcome as the plan's lines time it: the forecast (the lines give +213 912, the projects' committed ceilings 55 000 more) is better than planned.
    const [projects] = await db.prisma.budgetLine.findMany({ where: { forbundId, year: 2037, group: 'project' }, orderBy: { amount: 'desc' }, take: 1 });
    await enterActuals(forbundId, 1, 3);
    const q1 = await review(forbundId, '2037-04-10', 1);
    expect(await q1.result()).toBe('forecast 158912 kr, within the policy');
    expect(deficitMails()).toHaveLength(0);
    expect((await activityRuns(q1)).map((r) => r.name)).toEqual(['openReview', 'runForecast', 'reportRecovery']);
    await recordHistory(q1, 'kvartalsgenomgang-within-policy');
    // By June the projects have been paid 1 300 000 more than the whole year's project money: below what the policy allows.
    await enterActuals(forbundId, 4, 6, { [projects.key]: Number(projects.amount) / 2 + 1_300_000 });
    const q2 = await review(forbundId, '2037-07-10', 2);
    expect(await q2.result()).toMatch(/taken to the board/);
    expect(deficitMails()).toHaveLength(1);
    // On the agenda of the next board meeting whose agenda is open: 28 August.
    const matter = await db.prisma.matter.findFirstOrThrow({ where: { forbundId, kind: 'deficit' }, include: { meeting: true } });
    expect(matter.meeting?.key).toBe('styrelse-08');
    expect(deficitMails()[0].text).toContain('tas upp av styrelsen fredagen den 28 augusti 2037');

    // Q3: the projects' money was all paid by June; 200 000 more goes out in September: worse; the same matter is updated, the board told once more.
    await enterActuals(forbundId, 7, 9);
    await setMonths(forbundId, projects.key, { 7: 0, 8: 0, 9: 200_000 });
    const q3 = await review(forbundId, '2037-10-10', 3);
    expect(await q3.result()).toMatch(/taken to the board/);
    expect(deficitMails()).toHaveLength(2);
    expect(deficitMails()[1].text).toContain('har uppdaterats med den nya prognosen');
    expect(await db.prisma.matter.count({ where: { forbundId, kind: 'deficit' } })).toBe(1);

    // Q4 (reviewed in January 2038): 1 800 000 of other income came in December: back within the policy, and said so once.
    const [other] = await db.prisma.budgetLine.findMany({ where: { forbundId, year: 2037, group: 'other_income' }, take: 1 });
    await enterActuals(forbundId, 10, 12, { [other.key]: 1_800_000 });
    await setMonths(forbundId, projects.key, { 10: 0, 11: 0, 12: 0 });
    const q4 = await review(forbundId, '2038-01-10', 4);
    expect(await q4.result()).toMatch(/within the policy/);
    const recovered = smtp.messages.filter((m) => keyOf(m).endsWith(':recovered'));
    expect(recovered).toHaveLength(1);
    expect(recovered[0].subject).toMatch(/^Prognosen för 2037 är åter inom policyn/);
    expect(deficitMails()).toHaveLength(2);
    expect((await db.prisma.matter.findFirstOrThrow({ where: { forbundId, kind: 'deficit' } })).description).toMatch(/Prognosen efter kvartal 4: .* inom policyn\.$/);
    expect((await db.prisma.forecastReview.findMany({ where: { forbundId, year: 2037 }, orderBy: { quarter: 'asc' } })).map((r) => [r.quarter, r.withinPolicy])).toEqual([[1, true], [2, false], [3, false], [4, true]]);
  }, 120_000);
});
