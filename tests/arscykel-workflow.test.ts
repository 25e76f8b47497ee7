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
import type { Decision, Step } from '../domain/schedule.js';
import type { Database } from '../prisma/db.js';
import { loadCyclePlan } from '../services/arscykel.js';
import { importForbund } from '../services/import.js';
import { outboxNotifier } from '../worker/client.js';
import { arscykel } from '../workflows/arscykel.js';
import { currentDecision, cycleWorkflowId, planChanged } from '../workflows/signals.js';
import { testDatabase } from './support/database.js';
import { addresses, startSmtpServer, type TestSmtpServer } from './support/smtp.js';
import { activityRuns, advanceTo, decodePayloads, eventually, recordHistory, runWorker, TASK_QUEUE, timeSkippingServer, type RunningWorker, type TestWorkflowEnvironment } from './support/temporal.js';
import { MEMBERS_YAML } from './support/fixtures.js';

const LINK_SECRET = 'x'.repeat(32);

// A small förbund (one per scenario, so their states do not mix): three board meetings in 2037,
// each prepared by a beredningsgrupp (21 days before) and a beredning (14 days before) by default;
// two milestones, the others switched off.
//   styrelse-02 Thu 26 Feb: beredningsgrupp Thu 5 Feb, beredning Thu 12 Feb, kallelse Thu 19 Feb
//   styrelse-08 Thu 27 Aug: beredningsgrupp Thu 6 Aug, beredning Thu 13 Aug, kallelse Thu 20 Aug
//   styrelse-12 Thu 10 Dec: beredningsgrupp Thu 19 Nov, beredning Thu 26 Nov, kallelse Thu 3 Dec
//   (the secretary is reminded of each kallelse 3 working days before it: Mon 16 Feb, Mon 17 Aug, Mon 30 Nov)
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

const deps = () => ({ prisma: db.prisma, mailer: createMailer({ prisma: db.prisma, transport: smtp.transport, log: () => {} }), publicBaseUrl: 'http://localhost:3000', linkSecret: LINK_SECRET, searchAttributes: false });

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
  const notifier = outboxNotifier(db.prisma);
  notifier.connect(env.client, TASK_QUEUE);
  expect(await notifier.cycleChanged(forbundId, 2037, 'test started')).toBe(true);
  const handle = env.client.workflow.getHandle<typeof arscykel>(cycleWorkflowId(forbundId));
  await eventually(async () => expect(await handle.query(currentDecision)).toMatchObject({ action: 'sleep' }));
  return handle;
}

const decision = (h: WorkflowHandle) => h.query(currentDecision) as Promise<Decision>;
const nextAt = (h: WorkflowHandle, until: string) => eventually(async () => expect(await decision(h)).toMatchObject({ action: 'sleep', until }));

/** The change the API makes, then the signal it sends. */
async function change(h: WorkflowHandle, write: () => Promise<unknown>, reason: string) {
  await write();
  await h.signal(planChanged, reason);
}

const toOf = (m: ParsedMail) => addresses(m.to);
const ccOf = (m: ParsedMail) => addresses(m.cc);
const keyOf = (m: ParsedMail) => String(m.headers.get('x-arscykel-key') ?? '');
const sorted = (xs: string[]) => [...xs].sort();

/** What the workflow carried out, from its history: [minute it ran, step kind, outcome]. */
const performed = async (h: WorkflowHandle) =>
  (await activityRuns(h, 'performCycleStep')).map((r): [string, string, unknown] => [r.at.slice(0, 16), (r.input as { step: Step }).step.kind, r.result]);

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
  return db.prisma.milestone.findUniqueOrThrow({ where: { forbundId_year_kind: { forbundId, year: 2037, kind } } });
}

describe('arscykel workflow on the time-skipping test server (production worker, real activities, database and SMTP)', () => {
  it('a. a whole year, January to the rollover: invites at once, milestone reminders, kallelse reminders, done milestones stop, the adopted calendar carries it into 2038', async () => {
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

    const h = await start(forbundId);

    // One invite per adopted meeting, at once.
    await eventually(() => expect(smtp.messages).toHaveLength(meetings.length));
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
    const board02Mail = byUid.get(`meeting-${board02.id}@arscykel`)!.mail;
    expect(board02Mail.subject).toBe(`Inbjudan: styrelsens sammanträde 26 februari 2037 kl. 9.00–12.00 – Samordningsförbundet ${slug.toUpperCase()}`);
    expect(board02Text).toContain('Välkommen till styrelsens sammanträde torsdagen den 26 februari 2037 kl. 9.00–12.00.');
    expect(board02Text).toContain('Ärenden ska vara beredda senast torsdagen den 12 februari 2037.');
    expect(board02Text).toContain(`Vänliga hälsningar\nKansliet, Samordningsförbundet ${slug.toUpperCase()}`);
    // A preparatory meeting's invite says which board meeting it prepares and what is due for it.
    for (const key of ['styrelse-02-beredningsgrupp', 'styrelse-02-beredning']) {
      const prepText = byUid.get(`meeting-${meetings.find((m) => m.key === key)!.id}@arscykel`)!.mail.text ?? '';
      expect(prepText, key).toContain('Sammanträdet förbereder styrelsens sammanträde torsdagen den 26 februari 2037 kl. 9.00–12.00.');
      expect(prepText, key).toContain('– Årsredovisning och bokslut (sista dag torsdagen den 12 februari 2037)');
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
    // Next: the kallelse reminder for styrelse-02, whose kallelse goes out 7 days before it (Thu 19
    // Feb): 3 working days before that, Mon 16 Feb.
    await nextAt(h, at8('2037-02-16'));
    await advanceTo(env, plus(at8('2037-02-16'), MINUTE));
    await eventually(() => expect(smtp.messages).toHaveLength(1));
    const kallelse = smtp.messages[0];
    expect(toOf(kallelse)).toEqual([secretary]);
    expect(keyOf(kallelse)).toBe(`kallelse:${board02.id}:2037-02-19`);
    expect(kallelse.text).toContain('Hej Sara Sekreterare,');
    expect(kallelse.subject).toBe('Kallelse till styrelsens sammanträde 26 februari 2037 ska skickas senast 19 februari 2037 – Samordningsförbundet AA');
    expect(kallelse.text).toContain('ska skickas ut senast torsdagen den 19 februari 2037.');
    smtp.clear();

    // budgetDialogue (Fri 29 May): the 14-day reminder, then done: no 3-day nor due-day reminder.
    const dialogue = await milestone(forbundId, 'budgetDialogue');
    await nextAt(h, at8('2037-05-15'));
    await advanceTo(env, plus(at8('2037-05-15'), MINUTE));
    await eventually(() => expect(smtp.messages.map(keyOf)).toEqual([`milestone:${dialogue.id}:2037-05-29:reminder-14`]));
    expect(toOf(smtp.messages[0])).toEqual([official]);
    await nextAt(h, at8('2037-05-26'));
    await advanceTo(env, '2037-05-18T10:00:00.000Z');
    await change(h, () => db.prisma.milestone.update({ where: { id: dialogue.id }, data: { status: 'done', doneAt: new Date('2037-05-18T10:00:00.000Z'), doneBy: 'official' } }), 'milestone done');
    await nextAt(h, at8('2037-08-17'));
    smtp.clear();

    // Through the autumn: kallelse reminders 17 Aug and 30 Nov (for the kallelser of 20 Aug and 3 Dec).
    await advanceTo(env, '2037-12-05T12:00:00.000Z');
    await eventually(() =>
      expect(smtp.messages.map(keyOf)).toEqual([
        `kallelse:${meetings.find((m) => m.key === 'styrelse-08')!.id}:2037-08-20`,
        `kallelse:${meetings.find((m) => m.key === 'styrelse-12')!.id}:2037-12-03`,
      ]),
    );
    expect(smtp.messages.every((m) => toOf(m).join() === secretary)).toBe(true);
    expect((await performed(h)).filter(([, kind]) => kind.startsWith('milestone-')).map(([at]) => at)).toEqual(
      [at8('2037-01-29'), at8('2037-02-09'), at8('2037-02-12'), at8('2037-05-15')].map((x) => x.slice(0, 16)),
    );
    expect(await db.prisma.escalation.count({ where: { forbundId } })).toBe(0);
    smtp.clear();

    // At its last meeting the board adopts the 2038 calendar (as the API does): one board meeting in February.
    await advanceTo(env, '2037-12-10T12:00:00.000Z');
    const m38 = await change(
      h,
      async () => {
        await db.prisma.cycleYear.create({ data: { forbundId, year: 2038, calendarAdoptedAt: new Date('2037-12-10T12:00:00.000Z'), calendarAdoptedBy: 'test' } });
        return db.prisma.meeting.create({
          data: { forbundId, year: 2038, key: 'styrelse-02', kind: 'styrelse', title: 'Styrelsemöte', startsAt: stockholmDateTime('2038-02-25', '09:00'), endsAt: stockholmDateTime('2038-02-25', '12:00') },
        });
      },
      'calendar adopted',
    );
    await eventually(() => expect(smtp.messages.map((m) => calendarOf(m)?.start.toISOString())).toEqual([stockholmDateTime('2038-02-25', '09:00').toISOString()]));
    await nextAt(h, YEAR_END);
    const firstRun = (await h.describe()).runId;
    await recordHistory(h, 'arscykel-year');

    // New Year's night in Stockholm: the 2037 run continues as new with year 2038, and that run
    // sends nothing again; next, the 2038 kallelse reminder (Mon 15 Feb, for the kallelse of Thu 18 Feb).
    await advanceTo(env, plus(YEAR_END, MINUTE));
    await eventually(async () => expect((await h.describe()).runId).not.toBe(firstRun));
    const ended = await env.client.workflow.getHandle(h.workflowId, firstRun).fetchHistory();
    expect(ended.events!.at(-1)!.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    expect(ended.events!.at(-1)!.eventTime!.seconds!.toString()).toBe(String(Date.parse(YEAR_END) / 1000));
    await nextAt(h, at8('2038-02-15'));
    expect(smtp.messages).toHaveLength(1);
    expect(await db.prisma.escalation.count({ where: { forbundId } })).toBe(0);
    void m38;
  });

  it('b. a moved meeting gets an update (same UID, SEQUENCE 1), a cancelled one a CANCEL (SEQUENCE 2); nothing twice', async () => {
    const forbundId = await importFor('bb');
    const h = await start(forbundId);
    const board = (await meetingsOf(forbundId)).find((m) => m.key === 'styrelse-08')!;
    const uid = `meeting-${board.id}@arscykel`;
    const forBoard = () => smtp.messages.map((m) => ({ mail: m, cal: calendarOf(m) })).filter((x) => x.cal?.uid === uid);
    await eventually(() => expect(forBoard().map((x) => [x.cal!.method, x.cal!.sequence])).toEqual([['REQUEST', 0]]));

    // Moved (as the API does: new time, SEQUENCE + 1) to Thu 3 Sep 13:00–16:00, then signalled.
    await advanceTo(env, '2037-03-02T10:00:00.000Z');
    const startsAt = stockholmDateTime('2037-09-03', '13:00');
    const endsAt = stockholmDateTime('2037-09-03', '16:00');
    await change(
      h,
      async () => {
        const u = await db.prisma.meeting.update({ where: { id: board.id }, data: { startsAt, endsAt, sequence: { increment: 1 } } });
        await db.prisma.auditEvent.create({ data: { forbundId, actor: 'test', action: 'meeting.moved', entityType: 'meeting', entityId: board.id, data: { from: { startsAt: board.startsAt, endsAt: board.endsAt, location: null }, to: { startsAt, endsAt, location: null }, sequence: u.sequence } } });
      },
      'meeting moved',
    );
    await eventually(() => expect(forBoard()).toHaveLength(2));
    const moved = forBoard();
    expect(moved[1].cal).toMatchObject({ method: 'REQUEST', uid, sequence: 1, status: 'CONFIRMED' });
    expect(moved[1].cal!.start.toISOString()).toBe(startsAt.toISOString());
    expect(moved[1].cal!.end.toISOString()).toBe(endsAt.toISOString());
    expect(toStockholmTime(moved[1].cal!.start)).toBe('13:00');
    expect(toOf(moved[1].mail)).toEqual(['secretary@bb.example']);
    expect(moved[1].mail.subject).toBe('Flyttat: styrelsens sammanträde från 27 augusti 2037 kl. 9.00 till 3 september 2037 kl. 13.00 – Samordningsförbundet BB');
    expect(moved[1].mail.text).toContain('Styrelsens sammanträde är flyttat från torsdagen den 27 augusti 2037 kl. 9.00–12.00 till torsdagen den 3 september 2037 kl. 13.00–16.00.');

    // Cancelled (status cancelled, SEQUENCE + 1), then signalled.
    await advanceTo(env, '2037-03-10T10:00:00.000Z');
    await change(h, () => db.prisma.meeting.update({ where: { id: board.id }, data: { status: 'cancelled', sequence: { increment: 1 } } }), 'meeting cancelled');
    await eventually(() => expect(forBoard()).toHaveLength(3));
    const cancelled = forBoard();
    expect(cancelled[2].cal).toMatchObject({ method: 'CANCEL', uid, sequence: 2, status: 'CANCELLED' });
    expect(toOf(cancelled[2].mail)).toEqual(['secretary@bb.example']);
    expect(cancelled[2].mail.subject).toBe('Inställt: styrelsens sammanträde 3 september 2037 kl. 13.00–16.00 – Samordningsförbundet BB');
    expect(cancelled[2].mail.text).toContain('Styrelsens sammanträde torsdagen den 3 september 2037 kl. 13.00–16.00 är inställt.');

    // On through the original and the new date: nothing more for that meeting, no kallelse for it.
    await advanceTo(env, '2037-09-10T10:00:00.000Z');
    expect(forBoard().map((x) => [x.cal!.method, x.cal!.sequence])).toEqual([
      ['REQUEST', 0],
      ['REQUEST', 1],
      ['CANCEL', 2],
    ]);
    expect(smtp.messages.filter((m) => keyOf(m).startsWith(`kallelse:${board.id}`))).toHaveLength(0);
    expect(await db.prisma.notification.count({ where: { key: { startsWith: `invite:${board.id}:` } } })).toBe(3);
    // Every message the server got is distinct.
    expect(new Set(smtp.messages.map((m) => m.messageId)).size).toBe(smtp.messages.length);
    await recordHistory(h, 'arscykel-moved-cancelled');
  });

  it('c. a late milestone: overdue mail with the official in copy, then escalation to the official and the presidium', async () => {
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
    expect(ccOf(overdue)).toEqual(['official@cc.example']);
    expect(overdue.subject).toBe('Försenat: momentet ”Årsredovisning och bokslut” skulle ha varit klart 12 februari 2037 – Samordningsförbundet CC');
    expect(overdue.text).toContain('Örjan Tjänsteman, verkställande tjänsteman, får en kopia av detta meddelande.');
    expect(await db.prisma.escalation.count({ where: { forbundId } })).toBe(0);

    // First the kallelse reminder for styrelse-02 (Mon 16 Feb); then the escalation 7 days after
    // the due date (Thu 19 Feb).
    await nextAt(h, at8('2037-02-16'));
    await advanceTo(env, plus(at8('2037-02-16'), MINUTE));
    await nextAt(h, at8('2037-02-19'));
    await advanceTo(env, plus(at8('2037-02-19'), MINUTE));
    const esc = await eventually(() => {
      const m = smtp.messages.find((x) => keyOf(x) === `milestone:${bokslut.id}:2037-02-12:escalation`);
      expect(m).toBeDefined();
      return m!;
    });
    expect(sorted(toOf(esc))).toEqual(sorted(['official@cc.example', 'chair@cc.example', 'vice@cc.example']));
    expect(ccOf(esc)).toEqual(['economist@cc.example']);
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
    await recordHistory(h, 'arscykel-escalated');
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

    // At the year's end: no rollover, still running (waiting for a change, re-reading daily).
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
    await recordHistory(env.client.workflow.getHandle(h.workflowId, run), 'arscykel-calendar-missing');
  });

  it('e. started mid-year: sends the invites still due and no kallelse reminder for a board meeting already held', async () => {
    const forbundId = await importFor('gg');
    await db.prisma.milestone.updateMany({ where: { forbundId }, data: { status: 'done' } });
    const h = await start(forbundId, '2037-09-01T10:00:00.000Z');
    // Only the meetings not yet held (the December board and its preparation) are invited.
    const december = (await meetingsOf(forbundId)).filter((m) => m.startsAt > new Date('2037-09-01T10:00:00.000Z'));
    expect(december.map((m) => m.key).sort()).toEqual(['styrelse-12', 'styrelse-12-beredning', 'styrelse-12-beredningsgrupp']);
    await eventually(() => expect(sorted(smtp.messages.map(keyOf))).toEqual(sorted(december.map((m) => `invite:${m.id}:0`))));
    await nextAt(h, at8('2037-11-30'));
    expect((await performed(h)).map(([, kind]) => kind)).toEqual(['invite', 'invite', 'invite']);
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

  it('the official who owns a milestone gets it once (not also in Cc), is not told of a copy to himself; no presidium, no "presidiet"', async () => {
    smtp.clear();
    const noPresidium = fileFor('hh').replace(/  presidium:\n    members:\n(?: {6}- .*\n)+/, '');
    expect(noPresidium).not.toContain('presidium:');
    const forbundId = (await importForbund(db.prisma, parseForbundFile(noPresidium, 'hh.yaml'), { year: 2037, actor: 'test' })).forbundId;
    // budgetDialogue is owned by the official.
    expect(await runMilestoneStep(forbundId, 'budgetDialogue', 'milestone-overdue')).toBe('sent');
    const overdue = smtp.messages[0];
    expect(toOf(overdue)).toEqual(['official@hh.example']);
    expect(ccOf(overdue)).toEqual([]);
    expect(overdue.text).toContain('Hej Örjan Tjänsteman,');
    expect(overdue.text).not.toContain('kopia');
    expect(await runMilestoneStep(forbundId, 'budgetDialogue', 'milestone-escalation')).toBe('sent');
    const esc = smtp.messages[1];
    expect(toOf(esc)).toEqual(['official@hh.example']);
    expect(ccOf(esc)).toEqual([]);
    expect(esc.text).toMatch(/^Till verkställande tjänsteman,\n/);
    expect(esc.text).not.toContain('presidiet');
    expect(esc.subject).toBe('Eskalering: momentet ”Dialog med medlemmarna om budgetram” är 7 dagar försenat – Samordningsförbundet HH');
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
