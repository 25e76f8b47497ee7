// The arscykel workflow end to end, without a Temporal server: no server can run here, so the
// replay harness (tests/harness/workflow-harness.ts) drives the REAL workflow code in the REAL
// workflow sandbox by replaying its growing history at every step (each step is therefore also a
// determinism check). The activities are the real ones from createActivities(), run in-process
// against a real database (testDatabase(): PGlite, or PostgreSQL in CI), and their mailer talks
// SMTP to a real server in this process (tests/support/smtp.ts). Time is the workflow clock:
// timers are fired by the harness, and the activities get that clock as `now`.
import { fileURLToPath } from 'node:url';
import { MockActivityEnvironment } from '@temporalio/testing';
import ICAL from 'ical.js';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createActivities, type Activities } from '../activities/index.js';
import { createMailer } from '../activities/mail.js';
import { stockholmDateTime, toStockholmDate, toStockholmTime } from '../domain/dates.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { loadCyclePlan } from '../services/arscykel.js';
import { importForbund } from '../services/import.js';
import { cycleWorkflowId } from '../workflows/signals.js';
import type { CycleInput } from '../workflows/arscykel.js';
import { replayHistory, WorkflowHarness, type WorkflowBundle } from './harness/workflow-harness.js';
import { testDatabase } from './support/database.js';
import { addresses, startSmtpServer, type TestSmtpServer } from './support/smtp.js';

const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
const LINK_SECRET = 'x'.repeat(32);

// A small förbund (one per scenario, so their states do not mix): three board meetings in 2026,
// each prepared by a beredningsgrupp (21 days before) and a beredning (14 days before) by default;
// two milestones, the others switched off.
//   styrelse-02 Thu 26 Feb: beredningsgrupp Thu 5 Feb, beredning Thu 12 Feb, kallelse Thu 19 Feb
//   styrelse-08 Thu 27 Aug: beredningsgrupp Thu 6 Aug, beredning Thu 13 Aug, kallelse Thu 20 Aug
//   styrelse-12 Thu 10 Dec: beredningsgrupp Thu 19 Nov, beredning Thu 26 Nov, kallelse Thu 3 Dec
//   bokslut (economist): due at the beredning of styrelse-02, Thu 12 Feb
//   budgetDialogue (official): due Fri 29 May
const fileFor = (slug: string) => `
forbund:
  id: ${slug}
  name: Samordningsförbundet ${slug.toUpperCase()}
  email: kansli@${slug}.example
  year: 2026
members:
  - { id: kommunen, name: Åby kommun, kind: municipality }
  - { id: regionen, name: Region Östra Sjö, kind: region }
  - { id: fk, name: Försäkringskassan, kind: forsakringskassan }
  - { id: af, name: Arbetsförmedlingen, kind: arbetsformedlingen }
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
    - { id: styrelse-02, body: styrelse, date: 2026-02-26 }
    - { id: styrelse-08, body: styrelse, date: 2026-08-27 }
    - { id: styrelse-12, body: styrelse, date: 2026-12-10 }
  milestones:
    bokslut: { meeting: styrelse-02, owner: economist }
    budgetDialogue: { due: 2026-05-29, owner: official }
    halfYearReports: false
    delar: false
    budgetFollowUp: false
    vpBudget: false
    nextCalendar: false
    stateAllocation: false
    attestReview: false
`;

const START = new Date('2026-01-05T09:30:00.000Z');
// 08:00 Stockholm (CET = UTC+1 in winter, CEST = UTC+2 in summer).
const at8 = (date: string) => stockholmDateTime(date, '08:00').toISOString();
const YEAR_END = '2026-12-31T23:00:00.000Z'; // 2027-01-01 00:00 Stockholm

let db: Database;
let smtp: TestSmtpServer;
let bundle: WorkflowBundle;
let acts: Activities;

beforeAll(async () => {
  [db, smtp, bundle] = await Promise.all([testDatabase(), startSmtpServer(), WorkflowHarness.bundle(workflowsPath)]);
  const mailer = createMailer({ prisma: db.prisma, transport: smtp.transport });
  acts = createActivities({ prisma: db.prisma, mailer, publicBaseUrl: 'http://localhost:3000', linkSecret: LINK_SECRET });
}, 60_000);

afterAll(async () => {
  await WorkflowHarness.shutdown();
  await Promise.all([db?.close(), smtp?.close()]);
});

beforeEach(() => {
  smtp.clear();
  ICAL.TimezoneService.reset();
});

async function importFor(slug: string): Promise<string> {
  const summary = await importForbund(db.prisma, parseForbundFile(fileFor(slug), `${slug}.yaml`), { year: 2026, actor: 'test' });
  return summary.forbundId;
}

function start(forbundId: string, opts: { startTime?: Date; input?: Partial<CycleInput> } = {}) {
  return WorkflowHarness.start({
    bundle,
    workflowsPath,
    workflowType: 'arscykel',
    workflowId: cycleWorkflowId(forbundId),
    args: [{ forbundId, year: 2026, ...opts.input }],
    activities: acts,
    startTime: opts.startTime ?? START,
  });
}

type Harness = Awaited<ReturnType<typeof start>>;

const timers = (h: Harness) => h.pendingTimers().map((t) => t.fireAt.toISOString());
const toOf = (m: ParsedMail) => addresses(m.to);
const ccOf = (m: ParsedMail) => addresses(m.cc);
const keyOf = (m: ParsedMail) => String(m.headers.get('x-arscykel-key') ?? '');
const sorted = (xs: string[]) => [...xs].sort();

/** What the workflow carried out: [clock, step kind, outcome]. */
const performed = (h: Harness) =>
  h.activityCalls
    .filter((c) => c.name === 'performCycleStep')
    .map((c): [string, string, unknown] => [c.at.toISOString(), (c.args[0] as { step: { kind: string } }).step.kind, c.result]);

interface Cal {
  method: string;
  uid: string;
  sequence: number;
  status: string;
  start: Date;
  end: Date;
  attendees: string[];
}

/** The text/calendar part of a mail, parsed with ical.js (its VTIMEZONE registered first). */
function calendarOf(mail: ParsedMail): Cal | undefined {
  const part = mail.attachments.find((a) => a.contentType === 'text/calendar');
  if (!part) return undefined;
  const vcal = new ICAL.Component(ICAL.parse(part.content.toString('utf8')));
  for (const vtz of vcal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(vtz);
  const events = vcal.getAllSubcomponents('vevent');
  expect(events).toHaveLength(1);
  const ev = new ICAL.Event(events[0]);
  return {
    method: String(vcal.getFirstPropertyValue('method')),
    uid: ev.uid,
    sequence: ev.sequence,
    status: String(events[0].getFirstPropertyValue('status')),
    start: ev.startDate.toJSDate(),
    end: ev.endDate.toJSDate(),
    attendees: events[0].getAllProperties('attendee').map((p) => String(p.getFirstValue()).replace(/^mailto:/i, '').toLowerCase()),
  };
}

async function meetingsOf(forbundId: string) {
  return db.prisma.meeting.findMany({ where: { forbundId }, orderBy: { startsAt: 'asc' } });
}
async function milestone(forbundId: string, kind: string) {
  return db.prisma.milestone.findUniqueOrThrow({ where: { forbundId_year_kind: { forbundId, year: 2026, kind } } });
}

async function determinism(h: Harness, forbundId: string) {
  await replayHistory(bundle, h.history(), { workflowId: cycleWorkflowId(forbundId) });
}

describe('arscykel workflow (real workflow code via replay, real activities, database and SMTP)', () => {
  it('a. a normal year: invites at once, milestone reminders 14/3/0 days before, kallelse reminders, done milestones stop', async () => {
    const slug = 'aa';
    const forbundId = await importFor(slug);
    const meetings = await meetingsOf(forbundId);
    expect(meetings.map((m) => [m.key, m.kind, toStockholmDate(m.startsAt)])).toEqual([
      ['styrelse-02-beredningsgrupp', 'beredningsgrupp', '2026-02-05'],
      ['styrelse-02-beredning', 'beredning', '2026-02-12'],
      ['styrelse-02', 'styrelse', '2026-02-26'],
      ['styrelse-08-beredningsgrupp', 'beredningsgrupp', '2026-08-06'],
      ['styrelse-08-beredning', 'beredning', '2026-08-13'],
      ['styrelse-08', 'styrelse', '2026-08-27'],
      ['styrelse-12-beredningsgrupp', 'beredningsgrupp', '2026-11-19'],
      ['styrelse-12-beredning', 'beredning', '2026-11-26'],
      ['styrelse-12', 'styrelse', '2026-12-10'],
    ]);
    const bokslut = await milestone(forbundId, 'bokslut');
    expect(bokslut.dueDate.toISOString().slice(0, 10)).toBe('2026-02-12');
    expect(bokslut.owner).toBe('economist');

    const h = await start(forbundId);
    expect(h.status).toBe('running');

    // One invite per adopted meeting, at once.
    expect(smtp.messages).toHaveLength(meetings.length);
    const invites = smtp.messages.map((m) => ({ mail: m, cal: calendarOf(m)! }));
    const byUid = new Map(invites.map((i) => [i.cal.uid, i]));
    expect(byUid.size).toBe(meetings.length);
    const secretary = `secretary@${slug}.example`;
    const official = `official@${slug}.example`;
    const presidium = [`chair@${slug}.example`, `vice@${slug}.example`];
    const bg = [`bg-fk@${slug}.example`, `bg-af@${slug}.example`];
    for (const m of meetings) {
      const i = byUid.get(`meeting-${m.id}@arscykel`);
      expect(i, m.key).toBeDefined();
      const { mail, cal } = i!;
      expect(cal.method).toBe('REQUEST');
      expect(cal.status).toBe('CONFIRMED');
      expect(cal.sequence).toBe(0);
      expect(cal.start.toISOString()).toBe(m.startsAt.toISOString());
      expect(toStockholmTime(cal.start)).toBe('09:00');
      expect(toStockholmTime(cal.end)).toBe('12:00');
      expect(toStockholmDate(cal.start)).toBe(toStockholmDate(m.startsAt));
      expect(mail.from?.value).toEqual([{ name: `Samordningsförbundet ${slug.toUpperCase()}`, address: `kansli@${slug}.example` }]);
      const expected = m.kind === 'styrelse' ? [secretary] : m.kind === 'beredningsgrupp' ? [...bg, official] : [...presidium, official];
      expect(sorted(toOf(mail)), m.key).toEqual(sorted(expected));
      expect(sorted(cal.attendees), m.key).toEqual(sorted(expected));
    }
    const board02 = meetings.find((m) => m.key === 'styrelse-02')!;
    const board02Text = byUid.get(`meeting-${board02.id}@arscykel`)!.mail.text ?? '';
    expect(board02Text).toContain('Årsredovisning och bokslut');
    expect(performed(h).every(([at, kind, r]) => at === START.toISOString() && kind === 'invite' && r === 'sent')).toBe(true);
    expect(timers(h)).toEqual([at8('2026-01-29')]);
    smtp.clear();

    // Milestone reminders 14, 3 and 0 days before the due date (Thu 12 Feb), at 08:00 Stockholm.
    await h.advanceTo(new Date(Date.parse(at8('2026-01-29')) - 1000));
    expect(smtp.messages).toHaveLength(0);
    expect((await h.fireNextTimer()).toISOString()).toBe(at8('2026-01-29'));
    expect((await h.fireNextTimer()).toISOString()).toBe(at8('2026-02-09'));
    expect((await h.fireNextTimer()).toISOString()).toBe(at8('2026-02-12'));
    expect(smtp.messages).toHaveLength(3);
    for (const m of smtp.messages) {
      expect(toOf(m)).toEqual([`economist@${slug}.example`]);
      expect(m.subject).toContain('Årsredovisning och bokslut');
      expect(calendarOf(m)).toBeUndefined();
    }
    expect(smtp.messages.map(keyOf)).toEqual([
      `milestone:${bokslut.id}:2026-02-12:reminder-14`,
      `milestone:${bokslut.id}:2026-02-12:reminder-3`,
      `milestone:${bokslut.id}:2026-02-12:reminder-0`,
    ]);
    expect(timers(h)).toEqual([at8('2026-02-13')]); // the overdue mail, if not done
    smtp.clear();

    // The economist marks the milestone done (as the API does) and the workflow is signalled.
    await h.advanceTo(new Date('2026-02-12T14:00:00.000Z'));
    await db.prisma.milestone.update({ where: { id: bokslut.id }, data: { status: 'done', doneAt: h.now(), doneBy: 'economist' } });
    await h.signal('planChanged', 'milestone done');
    // Next: the kallelse reminder for styrelse-02, 7 days before (Thu 19 Feb).
    expect(timers(h)).toEqual([at8('2026-02-19')]);
    expect((await h.fireNextTimer()).toISOString()).toBe(at8('2026-02-19'));
    expect(smtp.messages).toHaveLength(1);
    const kallelse = smtp.messages[0];
    expect(toOf(kallelse)).toEqual([secretary]);
    expect(keyOf(kallelse)).toBe(`kallelse:${board02.id}:2026-02-19`);
    expect(kallelse.text).toContain('Sara Sekreterare');
    smtp.clear();

    // budgetDialogue (Fri 29 May): the 14-day reminder, then done: no 3-day nor due-day reminder.
    const dialogue = await milestone(forbundId, 'budgetDialogue');
    expect(timers(h)).toEqual([at8('2026-05-15')]);
    await h.fireNextTimer();
    expect(smtp.messages.map(keyOf)).toEqual([`milestone:${dialogue.id}:2026-05-29:reminder-14`]);
    expect(toOf(smtp.messages[0])).toEqual([official]);
    expect(timers(h)).toEqual([at8('2026-05-26')]);
    await h.advanceTo(new Date('2026-05-18T10:00:00.000Z'));
    await db.prisma.milestone.update({ where: { id: dialogue.id }, data: { status: 'done', doneAt: h.now(), doneBy: 'official' } });
    await h.signal('planChanged', 'milestone done');
    expect(timers(h)).toEqual([at8('2026-08-20')]);
    smtp.clear();

    // Through the autumn: kallelse reminders 20 Aug and 3 Dec (previous working days when needed).
    await h.advanceTo(new Date('2026-12-05T12:00:00.000Z'));
    expect(smtp.messages.map(keyOf)).toEqual([
      `kallelse:${meetings.find((m) => m.key === 'styrelse-08')!.id}:2026-08-20`,
      `kallelse:${meetings.find((m) => m.key === 'styrelse-12')!.id}:2026-12-03`,
    ]);
    expect(smtp.messages.every((m) => toOf(m).join() === secretary)).toBe(true);
    expect(performed(h).filter(([, kind]) => kind.startsWith('milestone-')).map(([at]) => at)).toEqual([
      at8('2026-01-29'),
      at8('2026-02-09'),
      at8('2026-02-12'),
      at8('2026-05-15'),
    ]);
    expect(await db.prisma.escalation.count({ where: { forbundId } })).toBe(0);
    expect(h.status).toBe('running');
    await determinism(h, forbundId);
  });

  it('b. a moved meeting gets an update (same UID, SEQUENCE 1), a cancelled one a CANCEL (SEQUENCE 2); nothing twice', async () => {
    const forbundId = await importFor('bb');
    const h = await start(forbundId);
    const board = (await meetingsOf(forbundId)).find((m) => m.key === 'styrelse-08')!;
    const uid = `meeting-${board.id}@arscykel`;
    const forBoard = () => smtp.messages.map((m) => ({ mail: m, cal: calendarOf(m) })).filter((x) => x.cal?.uid === uid);
    expect(forBoard().map((x) => [x.cal!.method, x.cal!.sequence])).toEqual([['REQUEST', 0]]);

    // Moved (as the API does: new time, SEQUENCE + 1) to Thu 3 Sep 13:00–16:00, then signalled.
    await h.advanceTo(new Date('2026-03-02T10:00:00.000Z'));
    const startsAt = stockholmDateTime('2026-09-03', '13:00');
    const endsAt = stockholmDateTime('2026-09-03', '16:00');
    await db.prisma.meeting.update({ where: { id: board.id }, data: { startsAt, endsAt, sequence: { increment: 1 } } });
    await h.signal('planChanged', 'meeting moved');
    const moved = forBoard();
    expect(moved).toHaveLength(2);
    expect(moved[1].cal).toMatchObject({ method: 'REQUEST', uid, sequence: 1, status: 'CONFIRMED' });
    expect(moved[1].cal!.start.toISOString()).toBe(startsAt.toISOString());
    expect(moved[1].cal!.end.toISOString()).toBe(endsAt.toISOString());
    expect(toStockholmTime(moved[1].cal!.start)).toBe('13:00');
    expect(toOf(moved[1].mail)).toEqual(['secretary@bb.example']);

    // Cancelled (status cancelled, SEQUENCE + 1), then signalled.
    await h.advanceTo(new Date('2026-03-10T10:00:00.000Z'));
    await db.prisma.meeting.update({ where: { id: board.id }, data: { status: 'cancelled', sequence: { increment: 1 } } });
    await h.signal('planChanged', 'meeting cancelled');
    const cancelled = forBoard();
    expect(cancelled).toHaveLength(3);
    expect(cancelled[2].cal).toMatchObject({ method: 'CANCEL', uid, sequence: 2, status: 'CANCELLED' });
    expect(toOf(cancelled[2].mail)).toEqual(['secretary@bb.example']);

    // On through the original and the new date: nothing more for that meeting, no kallelse for it.
    await h.advanceTo(new Date('2026-09-10T10:00:00.000Z'));
    expect(forBoard().map((x) => [x.cal!.method, x.cal!.sequence])).toEqual([
      ['REQUEST', 0],
      ['REQUEST', 1],
      ['CANCEL', 2],
    ]);
    expect(smtp.messages.filter((m) => keyOf(m).startsWith(`kallelse:${board.id}`))).toHaveLength(0);
    expect(await db.prisma.notification.count({ where: { key: { startsWith: `invite:${board.id}:` } } })).toBe(3);
    // Every message the server got is distinct.
    expect(new Set(smtp.messages.map((m) => m.messageId)).size).toBe(smtp.messages.length);
    await determinism(h, forbundId);
  });

  it('c. a late milestone: overdue mail with the official in copy, then escalation to the official and the presidium', async () => {
    const forbundId = await importFor('cc');
    const bokslut = await milestone(forbundId, 'bokslut');
    const h = await start(forbundId);
    await h.advanceTo(new Date(at8('2026-02-12')));
    expect(timers(h)).toEqual([at8('2026-02-13')]);
    smtp.clear();

    expect((await h.fireNextTimer()).toISOString()).toBe(at8('2026-02-13'));
    expect(smtp.messages).toHaveLength(1);
    const overdue = smtp.messages[0];
    expect(keyOf(overdue)).toBe(`milestone:${bokslut.id}:2026-02-12:overdue`);
    expect(toOf(overdue)).toEqual(['economist@cc.example']);
    expect(ccOf(overdue)).toEqual(['official@cc.example']);
    expect(await db.prisma.escalation.count({ where: { forbundId } })).toBe(0);

    // Escalation 7 days after the due date (Thu 19 Feb), the same morning as the kallelse reminder.
    expect(timers(h)).toEqual([at8('2026-02-19')]);
    await h.advanceTo(new Date(at8('2026-02-19')));
    const esc = smtp.messages.find((m) => keyOf(m) === `milestone:${bokslut.id}:2026-02-12:escalation`);
    expect(esc).toBeDefined();
    expect(sorted(toOf(esc!))).toEqual(sorted(['official@cc.example', 'chair@cc.example', 'vice@cc.example']));
    expect(ccOf(esc!)).toEqual(['economist@cc.example']);
    expect(esc!.text).toContain('7');
    const rows = await db.prisma.escalation.findMany({ where: { forbundId } });
    expect(rows.map((r) => [r.key, r.subjectType, r.subjectId, r.raisedAt.toISOString()])).toEqual([
      [`milestone:${bokslut.id}:2026-02-12`, 'milestone', bokslut.id, at8('2026-02-19')],
    ]);
    // Nothing more about the bokslut afterwards.
    await h.advanceTo(new Date('2026-04-01T10:00:00.000Z'));
    expect(smtp.messages.filter((m) => keyOf(m).startsWith(`milestone:${bokslut.id}`))).toHaveLength(2);
    await determinism(h, forbundId);
  });

  it('d. with next year\'s calendar adopted, the workflow continues as new with year 2027 at 1 January 00:00 Stockholm', async () => {
    const forbundId = await importFor('dd');
    await db.prisma.cycleYear.create({ data: { forbundId, year: 2027, calendarAdoptedAt: new Date('2026-12-10T12:00:00.000Z'), calendarAdoptedBy: 'test' } });
    const m27 = await db.prisma.meeting.create({
      data: { forbundId, year: 2027, key: 'styrelse-02', kind: 'styrelse', title: 'Styrelsemöte', startsAt: stockholmDateTime('2027-02-25', '09:00'), endsAt: stockholmDateTime('2027-02-25', '12:00') },
    });
    const h = await start(forbundId);
    // The 2027 meeting of the adopted calendar is invited too.
    expect(smtp.messages.some((m) => calendarOf(m)?.uid === `meeting-${m27.id}@arscykel`)).toBe(true);
    await h.advanceTo(new Date('2026-12-31T22:59:00.000Z'));
    expect(h.status).toBe('running');
    expect(timers(h)).toEqual([YEAR_END]);
    expect(smtp.messages.filter((m) => keyOf(m).startsWith('calendar:'))).toHaveLength(0);
    expect((await h.fireNextTimer()).toISOString()).toBe(YEAR_END);
    expect(h.status).toBe('continuedAsNew');
    expect(h.continueAsNewArgs).toEqual([{ forbundId, year: 2027 }]);
    expect(h.commands.at(-1)).toBe('continueAsNew');
    expect(await db.prisma.escalation.count({ where: { forbundId, key: 'calendar:2027' } })).toBe(0);
    await determinism(h, forbundId);

    // The 2027 run starts where it should: nothing resent, next the 2027 kallelse (Thu 18 Feb).
    smtp.clear();
    const next = await start(forbundId, { input: h.continueAsNewArgs![0] as CycleInput, startTime: h.now() });
    expect(smtp.messages).toHaveLength(0);
    expect(timers(next)).toEqual([at8('2027-02-18')]);
  });

  it('e. without next year\'s calendar: escalation after the last board meeting, waiting at the year\'s end, rollover once adopted', async () => {
    const forbundId = await importFor('ee');
    const h = await start(forbundId);
    await h.advanceTo(new Date('2026-12-10T12:00:00.000Z'));
    expect(timers(h)).toEqual([at8('2026-12-11')]);
    smtp.clear();

    expect((await h.fireNextTimer()).toISOString()).toBe(at8('2026-12-11'));
    expect(smtp.messages).toHaveLength(1);
    const missing = smtp.messages[0];
    expect(keyOf(missing)).toBe(`calendar:${forbundId}:2027`);
    expect(sorted(toOf(missing))).toEqual(sorted(['official@ee.example', 'chair@ee.example', 'vice@ee.example', 'secretary@ee.example']));
    expect(missing.subject).toContain('2027');
    const rows = await db.prisma.escalation.findMany({ where: { forbundId } });
    expect(rows.filter((r) => r.key === 'calendar:2027').map((r) => [r.subjectType, r.subjectId])).toEqual([['calendar', '2027']]);

    // At the year's end: no rollover, no timers, still running (waiting for a change).
    expect(timers(h)).toEqual([YEAR_END]);
    expect((await h.fireNextTimer()).toISOString()).toBe(YEAR_END);
    expect(h.status).toBe('running');
    expect(h.pendingTimers()).toEqual([]);
    expect(h.activityCalls.filter((c) => c.name === 'decideCycle').at(-1)?.result).toMatchObject({ action: 'waitForChange' });
    await h.advanceTo(new Date('2027-01-14T10:00:00.000Z'));
    expect(h.status).toBe('running');
    expect(smtp.messages).toHaveLength(1);

    // The board adopts the 2027 calendar; the API signals the workflow.
    await db.prisma.cycleYear.create({ data: { forbundId, year: 2027, calendarAdoptedAt: h.now(), calendarAdoptedBy: 'test' } });
    await h.signal('planChanged', 'calendar adopted');
    expect(h.status).toBe('continuedAsNew');
    expect(h.continueAsNewArgs).toEqual([{ forbundId, year: 2027 }]);
    expect(smtp.messages).toHaveLength(1);
    await determinism(h, forbundId);
  });

  it('f. a retried invite activity sends nothing twice', async () => {
    const forbundId = await importFor('ff');
    const now = START;
    const plan = (await loadCyclePlan(db.prisma, forbundId, 2026, now))!;
    const step = plan.steps.find((s) => s.kind === 'invite')!;
    expect(step.key).toMatch(/^invite:[0-9a-f-]+:0$/);
    const input = { forbundId, year: 2026, step, now: now.getTime() };
    const attempt = (n: number) => new MockActivityEnvironment({ attempt: n, activityType: 'performCycleStep' }).run(acts.performCycleStep, input);
    expect(await attempt(1)).toBe('sent');
    expect(await attempt(2)).toBe('skipped');
    expect(await acts.performCycleStep(input)).toBe('skipped');
    expect(smtp.messages).toHaveLength(1);
    expect(calendarOf(smtp.messages[0])).toMatchObject({ method: 'REQUEST', sequence: 0, uid: `meeting-${step.subjectId}@arscykel` });
    expect(await db.prisma.notification.count({ where: { key: step.key } })).toBe(1);
    // And the plan no longer has it to do.
    const after = (await loadCyclePlan(db.prisma, forbundId, 2026, now))!;
    expect(after.sent.has(step.key)).toBe(true);
  });
});

describe('arscykel workflow started mid-year', () => {
  it('g. sends the invites still due and no kallelse reminder for a board meeting already held', async () => {
    const forbundId = await importFor('gg');
    await db.prisma.milestone.updateMany({ where: { forbundId }, data: { status: 'done' } });
    const h = await start(forbundId, { startTime: new Date('2026-09-01T10:00:00.000Z') });
    // Only the meetings not yet held (the December board and its preparation) are invited.
    const december = (await meetingsOf(forbundId)).filter((m) => m.startsAt > new Date('2026-09-01T10:00:00.000Z'));
    expect(december.map((m) => m.key).sort()).toEqual(['styrelse-12', 'styrelse-12-beredning', 'styrelse-12-beredningsgrupp']);
    expect(sorted(smtp.messages.map(keyOf))).toEqual(sorted(december.map((m) => `invite:${m.id}:0`)));
    expect(performed(h).map(([, kind]) => kind)).toEqual(['invite', 'invite', 'invite']);
    expect(timers(h)).toEqual([at8('2026-12-03')]);
    await determinism(h, forbundId);
  });
});
