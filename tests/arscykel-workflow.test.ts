// The arscykel workflow on Temporal's own time-skipping test server, with the production worker,
// the real activities, a real database (PGlite, or PostgreSQL in CI) and a real SMTP server in this
// process; every invite is read back with ical.js. Each test gets its own server (its clock only
// moves forward from today), so the year is 2037, whose calendar and Easter are 2026's; its next
// year 2038 has 2027's weekdays.
import type { WorkflowHandle } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import ICAL from 'ical.js';
import type { ParsedMail } from 'mailparser';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createActivities, type Activities } from '../activities/index.js';
import { createMailer } from '../activities/mail.js';
import { stockholmDateTime, toStockholmDate, toStockholmTime } from '../domain/dates.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Carried } from '../activities/steps.js';
import type { Decision, Step } from '../domain/schedule.js';
import type { Database } from '../prisma/db.js';
import { loadCyclePlan } from '../services/arscykel.js';
import { importForbund } from '../services/import.js';
import { arscykel } from '../workflows/arscykel.js';
import { STEP_ANSWERS_NEXT } from '../workflows/schedule.js';
import { currentDecision, cycleWorkflowId, planChanged } from '../workflows/signals.js';
import { testDatabase } from './support/database.js';
import { toOf, ccOf, keyOf, calendarOf } from './support/mails.js';
import { addresses, startSmtpServer, type TestSmtpServer } from './support/smtp.js';
import { activityRuns, advanceTo, decodePayloads, eventually, recordHistory, runWorker, SEARCH_ATTRIBUTES_ON, TASK_QUEUE, testNotifier, timeSkippingServer, type RunningWorker, type TestWorkflowEnvironment } from './support/temporal.js';
import { MEMBERS_YAML } from './support/fixtures.js';

const LINK_SECRET = 'x'.repeat(32);

// A small förbund (one per scenario, so their states do not mix): three board meetings in 2037,
// each prepared by a beredningsgrupp (21 days before) and a beredning (14 days before) by default;
// two milestones, the others switched off.
//   styrelse-02 Thu 26 Feb: beredningsgrupp Thu 5 Feb, beredning Thu 12 Feb, kallelse Thu 19 Feb
//   styrelse-08 Thu 27 Aug: beredningsgrupp Thu 6 Aug, beredning Thu 13 Aug, kallelse Thu 20 Aug
//   styrelse-12 Thu 10 Dec: beredningsgrupp Thu 19 Nov, beredning Thu 26 Nov, kallelse Thu 3 Dec
//   (the board meetings' invites and kallelse are their own workflows', styrelsemote: the year
//   sends none of them, nor the secretary's kallelse reminders; see tests/styrelse-*.test.ts)
//   bokslut (economist): due at the beredning of styrelse-02, Thu 12 Feb
//   budgetDialogue (official): due Fri 29 May
const fileFor = (slug: string) => `
forbund:
  id: ${slug}
  name: Samordningsförbundet ${slug.toUpperCase()}
  email: kansli@${slug}.example
  year: 2037
${MEMBERS_YAML}
people:
  - { id: official, name: Örjan Tjänsteman, email: official@${slug}.example, roles: [official] }
  - { id: secretary, name: Sara Sekreterare, email: secretary@${slug}.example, roles: [secretary] }
  - { id: economist, name: Ekon Omsson, email: economist@${slug}.example, roles: [economist] }
  - { id: chair, name: Ordf Örn, email: chair@${slug}.example, roles: [board_member] }
  - { id: vice, name: Vice Vik, email: vice@${slug}.example, roles: [board_member] }
  - { id: bg-fk, name: Märta Chef, email: bg-fk@${slug}.example, roles: [] }
  - { id: bg-af, name: Anders Chef, email: bg-af@${slug}.example, roles: [] }
bodies:
  styrelse:
    members:
      - { person: chair, role: chair, member: kommunen }
      - { person: vice, role: vice_chair, member: regionen }
  presidium:
    members:
      - { person: chair, role: chair }
      - { person: vice, role: vice_chair }
  beredningsgrupp:
    members:
      - { person: bg-fk, member: fk }
      - { person: bg-af, member: af }
reporting:
  reminders: [14, 3, 0]
  overdue: { reminderDaysAfter: 1, escalateDaysAfter: 7 }
projects: []
cycle:
  defaults: { start: "09:00", end: "12:00" }
  kallelseDays: 7
  meetings:
    - { id: styrelse-02, body: styrelse, date: 2037-02-26 }
    - { id: styrelse-08, body: styrelse, date: 2037-08-27 }
    - { id: styrelse-12, body: styrelse, date: 2037-12-10 }
  milestones:
    bokslut: { meeting: styrelse-02, owner: economist }
    budgetDialogue: { due: 2037-05-29, owner: official }
    halfYearReports: false
    delar: false
    budgetFollowUp: false
    vpBudget: false
    nextCalendar: false
    stateAllocation: false
    attestReview: false
`;

const START = '2037-01-05T09:30:00.000Z';
// 08:00 Stockholm (CET = UTC+1 in winter, CEST = UTC+2 in summer).
const at8 = (date: string) => stockholmDateTime(date, '08:00').toISOString();
const YEAR_END = '2037-12-31T23:00:00.000Z'; // 2038-01-01 00:00 Stockholm
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
const MINUTE = 60_000;

let db: Database;
let smtp: TestSmtpServer;
let acts: Activities;
let env: TestWorkflowEnvironment;
let worker: RunningWorker;

// Production's settings: the test server has the search attributes (timeSkippingServer), and the workflows upsert them.
const deps = () => ({ prisma: db.prisma, mailer: createMailer({ prisma: db.prisma, transport: smtp.transport, log: () => {} }), publicBaseUrl: 'http://localhost:3000', linkSecret: LINK_SECRET, searchAttributes: SEARCH_ATTRIBUTES_ON });

beforeAll(async () => {
  [db, smtp] = await Promise.all([testDatabase(), startSmtpServer()]);
  acts = createActivities(deps());
}, 60_000);

afterAll(async () => {
  await Promise.all([db?.close(), smtp?.close()]);
});

beforeEach(async () => {
  smtp.clear();
  ICAL.TimezoneService.reset();
  env = await timeSkippingServer();
  worker = await runWorker(env, deps());
});

afterEach(async () => {
  await worker?.stop();
  await env?.teardown();
});

async function importFor(slug: string): Promise<string> {
  const summary = await importForbund(db.prisma, parseForbundFile(fileFor(slug), `${slug}.yaml`), { year: 2037, actor: 'test' });
  return summary.forbundId;
}

/** Started as the API starts it (signal-with-start through the production notifier), at `at` on the server's clock. */
async function start(forbundId: string, at = START): Promise<WorkflowHandle<typeof arscykel>> {
  await advanceTo(env, at);
  const notifier = testNotifier(db.prisma);
  notifier.connect(env.client, TASK_QUEUE);
  expect(await notifier.cycleChanged(forbundId, 2037, 'test started')).toBe(true);
  const handle = env.client.workflow.getHandle<typeof arscykel>(cycleWorkflowId(forbundId));
  await eventually(async () => expect(await handle.query(currentDecision)).toMatchObject({ action: 'sleep' }));
  return handle;
}

const decision = (h: WorkflowHandle) => h.query(currentDecision) as Promise<Decision>;
const nextAt = (h: WorkflowHandle, until: string) => eventually(async () => expect(await decision(h)).toMatchObject({ action: 'sleep', until }));

/** The change the API makes, then the signal it sends. */
async function change<T>(h: WorkflowHandle, write: () => Promise<T>, reason: string): Promise<T> {
  const written = await write();
  await h.signal(planChanged, reason);
  return written;
}

const sorted = (xs: string[]) => [...xs].sort();

/** What the workflow carried out, from its history: [minute it ran, step kind, outcome]. */
const performed = async (h: WorkflowHandle) =>
  (await activityRuns(h, 'carryOutCycleSteps')).flatMap((r) =>
    (r.input as { steps: Step[] }).steps.map((s, i): [string, string, unknown] => [r.at.slice(0, 16), s.kind, r.result === 'failed' ? 'failed' : (r.result as Carried).outcomes[i].outcome]),
  );



/**
 * The year sends nothing for a board meeting itself: no invite, no kallelse reminder (each board
 * meeting has its own workflow for those, tests/styrelse-*.test.ts). From the workflow's history
 * and from every mail the förbund was ever sent.
 */
async function noBoardMeetingMail(runs: WorkflowHandle[], forbundId: string) {
  const boards = new Set((await db.prisma.meeting.findMany({ where: { forbundId, kind: 'styrelse' }, select: { id: true } })).map((b) => b.id));
  expect(boards.size).toBeGreaterThan(0);
  const steps = (await Promise.all(runs.map((h) => activityRuns(h, 'carryOutCycleSteps')))).flat().flatMap((r) => (r.input as { steps: Step[] }).steps);
  expect(steps.length).toBeGreaterThan(0);
  expect(steps.filter((s) => s.kind === 'kallelse' || boards.has(s.subjectId)).map((s) => s.key)).toEqual([]);
  const keys = (await db.prisma.notification.findMany({ where: { forbundId }, select: { key: true } })).map((n) => n.key);
  expect(keys.length).toBeGreaterThan(0);
  expect(keys.filter((k) => k.startsWith('kallelse') || boards.has(k.split(':')[1]))).toEqual([]);
}

async function meetingsOf(forbundId: string) {
  return db.prisma.meeting.findMany({ where: { forbundId }, orderBy: { startsAt: 'asc' } });
}
async function milestone(forbundId: string, kind: string) {
  return db.prisma.milestone.findUniqueOrThrow({ where: { forbundId_year_kind: { forbundId, year: 2037, kind } } });
}

describe('arscykel workflow on the time-skipping test server (production worker, real activities, database and SMTP)', () => {
  it('a. a whole year, January to the rollover: the preparatory meetings\' invites at once, milestone reminders, done milestones stop, the adopted calendar carries it into 2038; nothing for the board meetings themselves', async () => {
    const slug = 'aa';
    const forbundId = await importFor(slug);
    const meetings = await meetingsOf(forbundId);
    expect(meetings.map((m) => [m.key, m.kind, toStockholmDate(m.startsAt)])).toEqual([
      ['styrelse-02-beredningsgrupp', 'beredningsgrupp', '2037-02-05'],
      ['styrelse-02-beredning', 'beredning', '2037-02-12'],
      ['styrelse-02', 'styrelse', '2037-02-26'],
      ['styrelse-08-beredningsgrupp', 'beredningsgrupp', '2037-08-06'],
      ['styrelse-08-beredning', 'beredning', '2037-08-13'],
      ['styrelse-08', 'styrelse', '2037-08-27'],
      ['styrelse-12-beredningsgrupp', 'beredningsgrupp', '2037-11-19'],
      ['styrelse-12-beredning', 'beredning', '2037-11-26'],
      ['styrelse-12', 'styrelse', '2037-12-10'],
    ]);
    const bokslut = await milestone(forbundId, 'bokslut');
    expect(bokslut.dueDate.toISOString().slice(0, 10)).toBe('2037-02-12');
    expect(bokslut.owner).toBe('economist');
    // The board meetings' invites and kallelse are their own workflows' (tests/styrelse-*.test.ts);
    // the year invites the meetings that prepare them.
    const preparatory = meetings.filter((m) => m.kind !== 'styrelse');
    const boards = meetings.filter((m) => m.kind === 'styrelse');

    const h = await start(forbundId);

    // One invite per adopted preparatory meeting, at once.
    await eventually(() => expect(smtp.messages).toHaveLength(preparatory.length));
    const invites = smtp.messages.map((m) => ({ mail: m, cal: calendarOf(m)! }));
    const byUid = new Map(invites.map((i) => [i.cal.uid, i]));
    expect(byUid.size).toBe(preparatory.length);
    for (const b of boards) expect(byUid.has(`meeting-${b.id}@arscykel`), b.key).toBe(false);
    const official = `official@${slug}.example`;
    const presidium = [`chair@${slug}.example`, `vice@${slug}.example`];
    const bg = [`bg-fk@${slug}.example`, `bg-af@${slug}.example`];
    for (const m of preparatory) {
      const i = byUid.get(`meeting-${m.id}@arscykel`);
      expect(i, m.key).toBeDefined();
      const { mail, cal } = i!;
      expect(keyOf(mail)).toBe(`invite:${m.id}:0`);
      expect(cal.method).toBe('REQUEST');
      expect(cal.status).toBe('CONFIRMED');
      expect(cal.sequence).toBe(0);
      expect(cal.start.toISOString()).toBe(m.startsAt.toISOString());
      expect(toStockholmTime(cal.start)).toBe('09:00');
      expect(toStockholmTime(cal.end)).toBe('12:00');
      expect(toStockholmDate(cal.start)).toBe(toStockholmDate(m.startsAt));
      expect(mail.from?.value).toEqual([{ name: `Samordningsförbundet ${slug.toUpperCase()}`, address: `kansli@${slug}.example` }]);
      const expected = m.kind === 'beredningsgrupp' ? [...bg, official] : [...presidium, official];
      expect(sorted(toOf(mail)), m.key).toEqual(sorted(expected));
      expect(sorted(cal.attendees), m.key).toEqual(sorted(expected));
    }
    // A preparatory meeting's invite says which board meeting it prepares, what is due for it and when its kallelse goes.
    const inviteOf = (key: string) => byUid.get(`meeting-${meetings.find((m) => m.key === key)!.id}@arscykel`)!.mail;
    expect(inviteOf('styrelse-02-beredningsgrupp').subject).toBe(`Inbjudan: beredningsgruppens sammanträde 5 februari 2037 kl. 9.00–12.00 – Samordningsförbundet ${slug.toUpperCase()}`);
    expect(inviteOf('styrelse-02-beredningsgrupp').text).toContain('Välkommen till beredningsgruppens sammanträde torsdagen den 5 februari 2037 kl. 9.00–12.00.');
    expect(inviteOf('styrelse-02-beredning').subject).toBe(`Inbjudan: presidiets beredningsmöte 12 februari 2037 kl. 9.00–12.00 – Samordningsförbundet ${slug.toUpperCase()}`);
    expect(inviteOf('styrelse-02-beredning').text).toContain('Välkommen till presidiets beredningsmöte torsdagen den 12 februari 2037 kl. 9.00–12.00.');
    for (const key of ['styrelse-02-beredningsgrupp', 'styrelse-02-beredning']) {
      const prepText = inviteOf(key).text ?? '';
      expect(prepText, key).toContain('Sammanträdet förbereder styrelsens sammanträde torsdagen den 26 februari 2037 kl. 9.00–12.00.');
      expect(prepText, key).toContain('– Årsredovisning och bokslut (sista dag torsdagen den 12 februari 2037)');
      expect(prepText, key).toContain('Kallelse med föredragningslista till styrelsens sammanträde skickas senast torsdagen den 19 februari 2037.');
      expect(prepText, key).toContain(`Vänliga hälsningar\nKansliet, Samordningsförbundet ${slug.toUpperCase()}`);
    }
    expect((await performed(h)).every(([at, kind, r]) => at === START.slice(0, 16) && kind === 'invite' && r === 'sent')).toBe(true);
    await nextAt(h, at8('2037-01-29'));
    smtp.clear();

    // Milestone reminders 14, 3 and 0 days before the due date (Thu 12 Feb), at 08:00 Stockholm.
    await advanceTo(env, plus(at8('2037-01-29'), -1000));
    expect(smtp.messages).toHaveLength(0);
    await advanceTo(env, plus(at8('2037-02-12'), MINUTE));
    await eventually(() => expect(smtp.messages).toHaveLength(3));
    for (const m of smtp.messages) {
      expect(toOf(m)).toEqual([`economist@${slug}.example`]);
      expect(m.subject).toContain('momentet ”Årsredovisning och bokslut” ska vara klart');
      expect(m.subject).toMatch(/ – Samordningsförbundet AA$/);
      expect(m.text).toContain('Hej Ekon Omsson,');
      expect(m.text).toContain('Det behandlas på styrelsens sammanträde torsdagen den 26 februari 2037.');
      expect(calendarOf(m)).toBeUndefined();
    }
    expect(smtp.messages[0].text).toContain('Momentet ”Årsredovisning och bokslut” i årscykeln ska vara klart om 14 dagar, senast torsdagen den 12 februari 2037.');
    // The one link its owner needs: where it is marked done (its step on Att göra), by its label.
    expect(smtp.messages[0].text).toContain(`Markera momentet som klart: http://localhost:3000/admin#steg-milestone-${bokslut.id}`);
    expect(smtp.messages[0].html).toContain(`<a href="http://localhost:3000/admin#steg-milestone-${bokslut.id}">Markera momentet som klart</a>`);
    expect(smtp.messages.map(keyOf)).toEqual([
      `milestone:${bokslut.id}:2037-02-12:reminder-14`,
      `milestone:${bokslut.id}:2037-02-12:reminder-3`,
      `milestone:${bokslut.id}:2037-02-12:reminder-0`,
    ]);
    await nextAt(h, at8('2037-02-13')); // the overdue mail, if not done
    smtp.clear();

    // The economist marks the milestone done (as the API does) and the workflow is signalled.
    await advanceTo(env, '2037-02-12T14:00:00.000Z');
    await change(h, () => db.prisma.milestone.update({ where: { id: bokslut.id }, data: { status: 'done', doneAt: new Date('2037-02-12T14:00:00.000Z'), doneBy: 'economist' } }), 'milestone done');
    // Next: the budget dialogue's 14-day reminder (Fri 15 May). The secretary's reminder of
    // styrelse-02's kallelse (Mon 16 Feb) is the board meeting's own workflow's, not the year's.
    const dialogue = await milestone(forbundId, 'budgetDialogue');
    await nextAt(h, at8('2037-05-15'));
    await advanceTo(env, plus(at8('2037-05-15'), MINUTE));
    // Owned by the official: a routine notice, in his day's digest with the link to mark it done, not a mail of its own.
    await eventually(async () =>
      expect(await db.prisma.digestItem.findMany({ where: { key: { startsWith: `milestone:${dialogue.id}:` } }, select: { key: true, email: true, kind: true, link: true } })).toEqual([
        { key: `milestone:${dialogue.id}:2037-05-29:reminder-14#${official}`, email: official, kind: 'milestone.reminder', link: `http://localhost:3000/admin#steg-milestone-${dialogue.id}` },
      ]),
    );
    expect(smtp.messages).toEqual([]);
    // budgetDialogue (Fri 29 May): done after the 14-day reminder: no 3-day nor due-day reminder.
    await nextAt(h, at8('2037-05-26'));
    await advanceTo(env, '2037-05-18T10:00:00.000Z');
    await change(h, () => db.prisma.milestone.update({ where: { id: dialogue.id }, data: { status: 'done', doneAt: new Date('2037-05-18T10:00:00.000Z'), doneBy: 'official' } }), 'milestone done');
    // Next: the escalation, the day after the last board meeting, should the 2038 calendar not be adopted.
    await nextAt(h, at8('2037-12-11'));
    smtp.clear();

    // Through the autumn: nothing from the year (the kallelser of 20 Aug and 3 Dec are the board meetings' workflows').
    await advanceTo(env, '2037-12-05T12:00:00.000Z');
    expect(smtp.messages.map(keyOf)).toEqual([]);
    expect((await performed(h)).filter(([, kind]) => kind.startsWith('milestone-')).map(([at]) => at)).toEqual(
      [at8('2037-01-29'), at8('2037-02-09'), at8('2037-02-12'), at8('2037-05-15')].map((x) => x.slice(0, 16)),
    );
    expect(await db.prisma.escalation.count({ where: { forbundId } })).toBe(0);
    await noBoardMeetingMail([h], forbundId);
    smtp.clear();

    // At its last meeting the board adopts the 2038 calendar (as the API does): one board meeting
    // in February and its beredningsgrupp, which the year invites at once (the board meeting's own
    // workflow invites to it).
    await advanceTo(env, '2037-12-10T12:00:00.000Z');
    const { board38, bg38 } = await change(
      h,
      async () => {
        await db.prisma.cycleYear.create({ data: { forbundId, year: 2038, calendarAdoptedAt: new Date('2037-12-10T12:00:00.000Z'), calendarAdoptedBy: 'test' } });
        const board38 = await db.prisma.meeting.create({
          data: { forbundId, year: 2038, key: 'styrelse-02', kind: 'styrelse', title: 'Styrelsemöte', startsAt: stockholmDateTime('2038-02-25', '09:00'), endsAt: stockholmDateTime('2038-02-25', '12:00') },
        });
        const bg38 = await db.prisma.meeting.create({
          data: { forbundId, year: 2038, key: 'styrelse-02-beredningsgrupp', kind: 'beredningsgrupp', title: 'Beredningsgrupp', forMeetingId: board38.id, startsAt: stockholmDateTime('2038-02-04', '09:00'), endsAt: stockholmDateTime('2038-02-04', '12:00') },
        });
        return { board38, bg38 };
      },
      'calendar adopted',
    );
    await eventually(() => expect(smtp.messages.map((m) => [keyOf(m), calendarOf(m)?.uid, calendarOf(m)?.start.toISOString()])).toEqual([[`invite:${bg38.id}:0`, `meeting-${bg38.id}@arscykel`, stockholmDateTime('2038-02-04', '09:00').toISOString()]]));
    await nextAt(h, YEAR_END);
    const firstRun = (await h.describe()).runId;
    await recordHistory(h, `arscykel-year.${STEP_ANSWERS_NEXT}`);

    // New Year's night in Stockholm: the 2037 run continues as new with year 2038, and that run
    // sends nothing again; next, the escalation should 2039's calendar not be adopted by the day
    // after 2038's last board meeting (Fri 26 Feb).
    await advanceTo(env, plus(YEAR_END, MINUTE));
    await eventually(async () => expect((await h.describe()).runId).not.toBe(firstRun));
    const ended = await env.client.workflow.getHandle(h.workflowId, firstRun).fetchHistory();
    expect(ended.events!.at(-1)!.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    expect(ended.events!.at(-1)!.eventTime!.seconds!.toString()).toBe(String(Date.parse(YEAR_END) / 1000));
    await nextAt(h, at8('2038-02-26'));
    expect(smtp.messages).toHaveLength(1);
    expect(await db.prisma.escalation.count({ where: { forbundId } })).toBe(0);
    expect(await db.prisma.notification.count({ where: { key: { startsWith: `invite:${board38.id}:` } } })).toBe(0);
    await noBoardMeetingMail([env.client.workflow.getHandle(h.workflowId, firstRun), h], forbundId);
  });

  it('b. a moved meeting gets an update (same UID, SEQUENCE 1), a cancelled one a CANCEL (SEQUENCE 2); nothing twice', async () => {
    const forbundId = await importFor('bb');
    const h = await start(forbundId);
    const all = await meetingsOf(forbundId);
    // The presidium's beredning of the August board meeting (Thu 13 Aug 9–12): the presidium and the official.
    const prep = all.find((m) => m.key === 'styrelse-08-beredning')!;
    const board = all.find((m) => m.key === 'styrelse-08')!;
    const invited = ['chair@bb.example', 'official@bb.example', 'vice@bb.example'];
    const uid = `meeting-${prep.id}@arscykel`;
    const forPrep = () => smtp.messages.map((m) => ({ mail: m, cal: calendarOf(m) })).filter((x) => x.cal?.uid === uid);
    await eventually(() => expect(forPrep().map((x) => [x.cal!.method, x.cal!.sequence])).toEqual([['REQUEST', 0]]));
    expect(sorted(toOf(forPrep()[0].mail))).toEqual(invited);

    // Moved (as the API does: new time, SEQUENCE + 1, an audit event) to Tue 18 Aug 13:00–16:00, then signalled.
    await advanceTo(env, '2037-03-02T10:00:00.000Z');
    const startsAt = stockholmDateTime('2037-08-18', '13:00');
    const endsAt = stockholmDateTime('2037-08-18', '16:00');
    await change(
      h,
      async () => {
        const u = await db.prisma.meeting.update({ where: { id: prep.id }, data: { startsAt, endsAt, sequence: { increment: 1 } } });
        await db.prisma.auditEvent.create({ data: { forbundId, actor: 'test', action: 'meeting.moved', entityType: 'meeting', entityId: prep.id, data: { from: { startsAt: prep.startsAt, endsAt: prep.endsAt, location: null }, to: { startsAt, endsAt, location: null }, sequence: u.sequence } } });
      },
      'meeting moved',
    );
    await eventually(() => expect(forPrep()).toHaveLength(2));
    const moved = forPrep();
    expect(moved[1].cal).toMatchObject({ method: 'REQUEST', uid, sequence: 1, status: 'CONFIRMED' });
    expect(moved[1].cal!.start.toISOString()).toBe(startsAt.toISOString());
    expect(moved[1].cal!.end.toISOString()).toBe(endsAt.toISOString());
    expect(toStockholmTime(moved[1].cal!.start)).toBe('13:00');
    expect(keyOf(moved[1].mail)).toBe(`invite:${prep.id}:1`);
    expect(sorted(toOf(moved[1].mail))).toEqual(invited);
    expect(sorted(moved[1].cal!.attendees)).toEqual(invited);
    expect(moved[1].mail.subject).toBe('Flyttat: presidiets beredningsmöte från 13 augusti 2037 kl. 9.00 till 18 augusti 2037 kl. 13.00 – Samordningsförbundet BB');
    expect(moved[1].mail.text).toContain('Presidiets beredningsmöte är flyttat från torsdagen den 13 augusti 2037 kl. 9.00–12.00 till tisdagen den 18 augusti 2037 kl. 13.00–16.00.');
    expect(moved[1].mail.text).toContain('Sammanträdet förbereder styrelsens sammanträde torsdagen den 27 augusti 2037 kl. 9.00–12.00.');

    // Cancelled (status cancelled, SEQUENCE + 1), then signalled.
    await advanceTo(env, '2037-03-10T10:00:00.000Z');
    await change(h, () => db.prisma.meeting.update({ where: { id: prep.id }, data: { status: 'cancelled', sequence: { increment: 1 } } }), 'meeting cancelled');
    await eventually(() => expect(forPrep()).toHaveLength(3));
    const cancelled = forPrep();
    expect(cancelled[2].cal).toMatchObject({ method: 'CANCEL', uid, sequence: 2, status: 'CANCELLED' });
    expect(keyOf(cancelled[2].mail)).toBe(`invite:${prep.id}:2`);
    expect(sorted(toOf(cancelled[2].mail))).toEqual(invited);
    expect(cancelled[2].mail.subject).toBe('Inställt: presidiets beredningsmöte 18 augusti 2037 kl. 13.00–16.00 – Samordningsförbundet BB');
    expect(cancelled[2].mail.text).toContain('Presidiets beredningsmöte tisdagen den 18 augusti 2037 kl. 13.00–16.00 är inställt.');

    // The board meeting it prepared is moved too (as the API does) and the year is signalled:
    // the year sends nothing for it (its own workflow sends the update, tests/styrelse-invites.test.ts).
    await advanceTo(env, '2037-03-16T10:00:00.000Z');
    const before = smtp.messages.length;
    await change(
      h,
      async () => {
        const u = await db.prisma.meeting.update({ where: { id: board.id }, data: { startsAt: stockholmDateTime('2037-09-03', '13:00'), endsAt: stockholmDateTime('2037-09-03', '16:00'), sequence: { increment: 1 } } });
        await db.prisma.auditEvent.create({ data: { forbundId, actor: 'test', action: 'meeting.moved', entityType: 'meeting', entityId: board.id, data: { from: { startsAt: board.startsAt, endsAt: board.endsAt, location: null }, to: { startsAt: u.startsAt, endsAt: u.endsAt, location: null }, sequence: u.sequence } } });
      },
      'meeting moved',
    );

    // On through the original and the new dates: nothing more for either meeting (only the budget dialogue's milestone mails).
    await advanceTo(env, '2037-09-10T10:00:00.000Z');
    const dialogue = await milestone(forbundId, 'budgetDialogue');
    expect(smtp.messages.slice(before).filter((m) => calendarOf(m) || !keyOf(m).startsWith(`milestone:${dialogue.id}:`)).map(keyOf)).toEqual([]);
    expect(forPrep().map((x) => [x.cal!.method, x.cal!.sequence])).toEqual([
      ['REQUEST', 0],
      ['REQUEST', 1],
      ['CANCEL', 2],
    ]);
    expect(await db.prisma.notification.count({ where: { key: { startsWith: `invite:${prep.id}:` } } })).toBe(3);
    await noBoardMeetingMail([h], forbundId);
    // Every message the server got is distinct.
    expect(new Set(smtp.messages.map((m) => m.messageId)).size).toBe(smtp.messages.length);
    await recordHistory(h, `arscykel-moved-cancelled.${STEP_ANSWERS_NEXT}`);
  });

  it('c. a late milestone: overdue mail with the official in copy (in his digest), then escalation to the official (digest) and the presidium', async () => {
    const forbundId = await importFor('cc');
    const bokslut = await milestone(forbundId, 'bokslut');
    const h = await start(forbundId);
    await advanceTo(env, plus(at8('2037-02-12'), MINUTE));
    await nextAt(h, at8('2037-02-13'));
    smtp.clear();

    await advanceTo(env, plus(at8('2037-02-13'), MINUTE));
    await eventually(() => expect(smtp.messages).toHaveLength(1));
    const overdue = smtp.messages[0];
    expect(keyOf(overdue)).toBe(`milestone:${bokslut.id}:2037-02-12:overdue`);
    expect(toOf(overdue)).toEqual(['economist@cc.example']);
    // A routine notice: the official's copy is in his day's digest.
    expect(ccOf(overdue)).toEqual([]);
    expect(await db.prisma.digestItem.findMany({ where: { key: { startsWith: `milestone:${bokslut.id}:` } }, select: { email: true, kind: true } })).toEqual([{ email: 'official@cc.example', kind: 'milestone.overdue' }]);
    expect(overdue.subject).toBe('Försenat: momentet ”Årsredovisning och bokslut” skulle ha varit klart 12 februari 2037 – Samordningsförbundet CC');
    expect(overdue.text).toContain('Örjan Tjänsteman, verkställande tjänsteman, får också besked om detta.');
    expect(await db.prisma.escalation.count({ where: { forbundId } })).toBe(0);

    // Next the escalation 7 days after the due date (Thu 19 Feb); nothing in between (the
    // reminder of styrelse-02's kallelse on Mon 16 Feb is the board meeting's own workflow's).
    await nextAt(h, at8('2037-02-19'));
    await advanceTo(env, plus(at8('2037-02-19'), MINUTE));
    const esc = await eventually(() => {
      const m = smtp.messages.find((x) => keyOf(x) === `milestone:${bokslut.id}:2037-02-12:escalation`);
      expect(m).toBeDefined();
      return m!;
    });
    expect(smtp.messages.map(keyOf)).toEqual([`milestone:${bokslut.id}:2037-02-12:overdue`, `milestone:${bokslut.id}:2037-02-12:escalation`]);
    expect(sorted(toOf(esc))).toEqual(sorted(['chair@cc.example', 'vice@cc.example']));
    expect(ccOf(esc)).toEqual(['economist@cc.example']);
    expect((await db.prisma.digestItem.findMany({ where: { key: { startsWith: `milestone:${bokslut.id}:` } }, select: { email: true, kind: true } })).map((d) => d.kind).sort()).toEqual(['milestone.escalation', 'milestone.overdue']);
    expect(esc.text).toContain(`Markera momentet som klart: http://localhost:3000/admin#steg-milestone-${bokslut.id}`);
    expect(esc.subject).toBe('Eskalering: momentet ”Årsredovisning och bokslut” är 7 dagar försenat – Samordningsförbundet CC');
    expect(esc.text).toContain('Till verkställande tjänsteman och presidiet,');
    expect(esc.text).toContain('(ansvarig: Ekon Omsson) skulle ha varit klart senast torsdagen den 12 februari 2037 och är nu 7 dagar försenat.');
    const rows = await db.prisma.escalation.findMany({ where: { forbundId } });
    expect(rows.map((r) => [r.key, r.subjectType, r.subjectId, r.raisedAt.toISOString().slice(0, 16)])).toEqual([
      [`milestone:${bokslut.id}:2037-02-12`, 'milestone', bokslut.id, at8('2037-02-19').slice(0, 16)],
    ]);
    // Nothing more about the bokslut afterwards.
    await advanceTo(env, '2037-04-01T10:00:00.000Z');
    expect(smtp.messages.filter((m) => keyOf(m).startsWith(`milestone:${bokslut.id}`))).toHaveLength(2);
    await noBoardMeetingMail([h], forbundId);
    await recordHistory(h, `arscykel-escalated.${STEP_ANSWERS_NEXT}`);
  });

  it('d. without next year\'s calendar: escalation after the last board meeting, waiting at the year\'s end, rollover once adopted', async () => {
    const forbundId = await importFor('ee');
    const h = await start(forbundId);
    await advanceTo(env, '2037-12-10T12:00:00.000Z');
    await nextAt(h, at8('2037-12-11'));
    smtp.clear();

    await advanceTo(env, plus(at8('2037-12-11'), MINUTE));
    await eventually(() => expect(smtp.messages).toHaveLength(1));
    const missing = smtp.messages[0];
    expect(keyOf(missing)).toBe(`calendar:${forbundId}:2038`);
    expect(sorted(toOf(missing))).toEqual(sorted(['official@ee.example', 'chair@ee.example', 'vice@ee.example', 'secretary@ee.example']));
    expect(missing.subject).toBe('Eskalering: sammanträdesplanen för 2038 är inte fastställd – Samordningsförbundet EE');
    expect(missing.text).toContain('Till verkställande tjänsteman, presidiet och styrelsens sekreterare,');
    const rows = await db.prisma.escalation.findMany({ where: { forbundId } });
    expect(rows.filter((r) => r.key === 'calendar:2038').map((r) => [r.subjectType, r.subjectId])).toEqual([['calendar', '2038']]);

    // At the year's end: no rollover, still running (waiting for a change).
    await nextAt(h, YEAR_END);
    await advanceTo(env, plus(YEAR_END, MINUTE));
    await eventually(async () => expect(await decision(h)).toMatchObject({ action: 'waitForChange' }));
    const run = (await h.describe()).runId;
    await advanceTo(env, '2038-01-14T10:00:00.000Z');
    expect((await h.describe()).runId).toBe(run);
    expect((await h.describe()).status.name).toBe('RUNNING');
    expect(smtp.messages).toHaveLength(1);

    // The board adopts the 2038 calendar; the API signals the workflow.
    await change(h, () => db.prisma.cycleYear.create({ data: { forbundId, year: 2038, calendarAdoptedAt: new Date('2038-01-14T10:00:00.000Z'), calendarAdoptedBy: 'test' } }), 'calendar adopted');
    await eventually(async () => expect((await env.client.workflow.getHandle(h.workflowId, run).describe()).status.name).toBe('CONTINUED_AS_NEW'));
    const last = (await env.client.workflow.getHandle(h.workflowId, run).fetchHistory()).events!.at(-1)!;
    const [nextInput] = decodePayloads(last.workflowExecutionContinuedAsNewEventAttributes!.input);
    expect(nextInput).toEqual({ forbundId, year: 2038 });
    expect(smtp.messages).toHaveLength(1);
    await recordHistory(env.client.workflow.getHandle(h.workflowId, run), `arscykel-calendar-missing.${STEP_ANSWERS_NEXT}`);
  });

  it('e. started mid-year: sends the preparatory meetings\' invites still due; no invite nor kallelse reminder for a board meeting', async () => {
    const forbundId = await importFor('gg');
    await db.prisma.milestone.updateMany({ where: { forbundId }, data: { status: 'done' } });
    const h = await start(forbundId, '2037-09-01T10:00:00.000Z');
    // Only the meetings not yet held that prepare the December board are invited (the board meeting itself by its own workflow).
    const december = (await meetingsOf(forbundId)).filter((m) => m.startsAt > new Date('2037-09-01T10:00:00.000Z'));
    expect(december.map((m) => m.key).sort()).toEqual(['styrelse-12', 'styrelse-12-beredning', 'styrelse-12-beredningsgrupp']);
    const preparatory = december.filter((m) => m.kind !== 'styrelse');
    await eventually(() => expect(sorted(smtp.messages.map(keyOf))).toEqual(sorted(preparatory.map((m) => `invite:${m.id}:0`))));
    // Next: the escalation should the 2038 calendar not be adopted by the day after the December board (no kallelse reminder on Mon 30 Nov).
    await nextAt(h, at8('2037-12-11'));
    expect((await performed(h)).map(([, kind]) => kind)).toEqual(['invite', 'invite']);
    await advanceTo(env, '2037-12-10T12:00:00.000Z');
    expect(sorted(smtp.messages.map(keyOf))).toEqual(sorted(preparatory.map((m) => `invite:${m.id}:0`)));
    await noBoardMeetingMail([h], forbundId);
  });
});

describe('arscykel activities alone', () => {
  /** Runs the plan's step of this kind for the milestone, at the step's time. */
  async function runMilestoneStep(forbundId: string, kind: string, stepKind: string) {
    const ms = await milestone(forbundId, kind);
    const plan = (await loadCyclePlan(db.prisma, forbundId, 2037, new Date(START)))!;
    const step = plan.steps.find((s) => s.subjectId === ms.id && s.kind === stepKind)!;
    expect(step, stepKind).toBeDefined();
    return acts.performCycleStep({ forbundId, year: 2037, step, now: Date.parse(step.at) + MINUTE });
  }

  it('the official who owns a milestone (no presidium) gets its overdue notice and escalation once each, in his digest', async () => {
    smtp.clear();
    const noPresidium = fileFor('hh').replace(/  presidium:\n    members:\n(?: {6}- .*\n)+/, '');
    expect(noPresidium).not.toContain('presidium:');
    const forbundId = (await importForbund(db.prisma, parseForbundFile(noPresidium, 'hh.yaml'), { year: 2037, actor: 'test' })).forbundId;
    // budgetDialogue is owned by the official.
    // Routine notices whose only reader is the official: each goes in his day's digest once, not in a mail of its own.
    expect(await runMilestoneStep(forbundId, 'budgetDialogue', 'milestone-overdue')).toBe('sent');
    expect(await runMilestoneStep(forbundId, 'budgetDialogue', 'milestone-escalation')).toBe('sent');
    expect(smtp.messages).toEqual([]);
    const digested = await db.prisma.digestItem.findMany({ where: { forbundId }, orderBy: { createdAt: 'asc' }, select: { email: true, kind: true, subject: true } });
    expect(digested).toEqual([
      { email: 'official@hh.example', kind: 'milestone.overdue', subject: 'Försenat: momentet ”Dialog med medlemmarna om budgetram” skulle ha varit klart 29 maj 2037 – Samordningsförbundet HH' },
      { email: 'official@hh.example', kind: 'milestone.escalation', subject: 'Eskalering: momentet ”Dialog med medlemmarna om budgetram” är 7 dagar försenat – Samordningsförbundet HH' },
    ]);
  });

  it('a retried invite activity sends nothing twice', async () => {
    const forbundId = await importFor('ff');
    const now = new Date(START);
    const plan = (await loadCyclePlan(db.prisma, forbundId, 2037, now))!;
    const step = plan.steps.find((s) => s.kind === 'invite')!;
    expect(step.key).toMatch(/^invite:[0-9a-f-]+:0$/);
    const input = { forbundId, year: 2037, step, now: now.getTime() };
    const attempt = (n: number) => new MockActivityEnvironment({ attempt: n, activityType: 'performCycleStep' }).run(acts.performCycleStep, input);
    expect(await attempt(1)).toBe('sent');
    expect(await attempt(2)).toBe('skipped');
    expect(await acts.performCycleStep(input)).toBe('skipped');
    expect(smtp.messages).toHaveLength(1);
    expect(calendarOf(smtp.messages[0])).toMatchObject({ method: 'REQUEST', sequence: 0, uid: `meeting-${step.subjectId}@arscykel` });
    expect(await db.prisma.notification.count({ where: { key: step.key } })).toBe(1);
    // And the plan no longer has it to do.
    const after = (await loadCyclePlan(db.prisma, forbundId, 2037, now))!;
    expect(after.sent.has(step.key)).toBe(true);
  });
});
