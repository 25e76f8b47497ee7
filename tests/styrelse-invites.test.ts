// A board meeting's invites and the secretary's kallelse reminder, which its own workflow
// (styrelsemote) sends since the year's workflow (arscykel) no longer does: on Temporal's
// time-skipping test server with the production worker, the real activities, a real database and
// a real SMTP server; every invite is read back with ical.js. The workflows are started as an
// import starts them (notifyBoardMeetings through the production notifier) and told of a move or
// a cancellation as the API tells them. The year is 2037 (its calendar and Easter are 2026's);
// each test has its own server.
import type { WorkflowHandle } from '@temporalio/client';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { stockholmDateTime, toStockholmTime } from '../domain/dates.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { boardPlan, notifyBoardMeetings } from '../services/styrelse.js';
import type { OutboxNotifier } from '../worker/client.js';
import type { styrelsemote } from '../workflows/sammantrade.js';
import { meetingStage, meetingWorkflowId } from '../workflows/signals.js';
import { MEMBERS_YAML } from './support/fixtures.js';
import { toOf, keyOf, calendarOf } from './support/mails.js';
import type { TestSmtpServer } from './support/smtp.js';
import { activityRuns, advanceTo, eventually, recordHistory, workflowTestBed, type RunningWorker, type TestWorkflowEnvironment } from './support/temporal.js';

const LINK_SECRET = 'x'.repeat(32);

// Two seats (a ledamot each for the municipality and the region) with one ersättare; kallelse 7
// days before each board meeting, the secretary reminded 3 working days before that:
//   styrelse-02 Thu 26 Feb 2037 9–12: kallelse Thu 19 Feb, reminder Mon 16 Feb 08:00
//   styrelse-04 Thu 16 Apr 2037 9–12: kallelse Thu 9 Apr, reminder Thu 2 Apr 08:00 (over Easter:
//     Good Friday 3 Apr and Easter Monday 6 Apr are not working days)
// Each is prepared by a beredningsgrupp (21 days before) and a beredning (14 days before).
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
  - { id: l-kommun, name: Karin Kommun, email: l-kommun@${slug}.example, roles: [board_member] }
  - { id: l-region, name: Rolf Region, email: l-region@${slug}.example, roles: [board_member] }
  - { id: e-kommun, name: Elsa Kommun, email: e-kommun@${slug}.example, roles: [board_member] }
bodies:
  styrelse:
    members:
      - { person: l-kommun, role: chair, member: kommunen }
      - { person: l-region, role: vice_chair, member: regionen }
      - { person: e-kommun, role: deputy, member: kommunen, order: 1 }
projects: []
cycle:
  defaults: { start: "09:00", end: "12:00" }
  kallelseDays: 7
  meetings:
    - { id: styrelse-02, body: styrelse, date: 2037-02-26 }
    - { id: styrelse-04, body: styrelse, date: 2037-04-16 }
`;

/** 08:00 (or `time`) Stockholm on `date`. */
const at = (date: string, time = '08:00') => stockholmDateTime(date, time).toISOString();
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
const MINUTE = 60_000;

let db: Database;
let smtp: TestSmtpServer;
let env: TestWorkflowEnvironment;
let worker: RunningWorker;
let notifier: OutboxNotifier;

workflowTestBed({ linkSecret: LINK_SECRET, beforeEachTest: () => ICAL.TimezoneService.reset() }, (bed) => ({ db, smtp, env, worker, notifier } = bed));

const sorted = (xs: string[]) => [...xs].sort();



/** Imports the förbund on 5 January 2037 and starts its board meetings' workflows as an import does. */
async function setUp(slug: string) {
  await advanceTo(env, '2037-01-05T08:30:00Z');
  const { forbundId } = await importForbund(db.prisma, parseForbundFile(fileFor(slug), `${slug}.yaml`), { year: 2037, actor: 'test' });
  expect(await notifyBoardMeetings(db.prisma, notifier, forbundId, 'förbund file imported', new Date(await env.currentTimeMs()))).toBe(true);
  const [feb, apr] = await db.prisma.meeting.findMany({ where: { forbundId, kind: 'styrelse' }, orderBy: { startsAt: 'asc' } });
  const people = new Map((await db.prisma.person.findMany({ where: { forbundId } })).map((p) => [p.key, p]));
  const handle = (meetingId: string): WorkflowHandle<typeof styrelsemote> => env.client.workflow.getHandle(meetingWorkflowId(meetingId));
  return { forbundId, feb, apr, person: (key: string) => people.get(key)!, handle };
}

describe('a board meeting\'s invites come from its own workflow', () => {
  it('invites each ledamot (with a förhinder link) and the secretary and the official together; moved: an update at SEQUENCE 1 with the same UID; cancelled: a CANCEL at SEQUENCE 2 to those invited; nothing twice', async () => {
    const slug = 'inv';
    const { forbundId, feb, person, handle } = await setUp(slug);
    const uid = `meeting-${feb.id}@arscykel`;
    const ledamoter = ['l-kommun', 'l-region'].map(person);
    const staff = [`official@${slug}.example`, `secretary@${slug}.example`];
    const forFeb = () => smtp.messages.filter((m) => keyOf(m).startsWith(`invite:${feb.id}:`)).map((mail) => ({ mail, cal: calendarOf(mail)! }));
    const bySequence = (seq: number) => new Map(forFeb().filter((x) => x.cal.sequence === seq).map((x) => [keyOf(x.mail), x]));

    // At once: one invite per ledamot called, and one to the secretary and the official together.
    await eventually(() => expect(sorted([...bySequence(0).keys()])).toEqual(sorted([...ledamoter.map((p) => `invite:${feb.id}:0:${p.id}`), `invite:${feb.id}:0:staff`])));
    for (const p of ledamoter) {
      const { mail, cal } = bySequence(0).get(`invite:${feb.id}:0:${p.id}`)!;
      expect(toOf(mail)).toEqual([p.email]);
      expect(cal).toMatchObject({ method: 'REQUEST', uid, sequence: 0, status: 'CONFIRMED', attendees: [p.email] });
      expect(cal.start.toISOString()).toBe(at('2037-02-26', '09:00'));
      expect(cal.end.toISOString()).toBe(at('2037-02-26', '12:00'));
      expect(mail.from?.value).toEqual([{ name: `Samordningsförbundet ${slug.toUpperCase()}`, address: `kansli@${slug}.example` }]);
      expect(mail.subject).toBe(`Inbjudan: styrelsens sammanträde 26 februari 2037 kl. 9.00–12.00 – Samordningsförbundet ${slug.toUpperCase()}`);
      expect(mail.text).toContain('Välkommen till styrelsens sammanträde torsdagen den 26 februari 2037 kl. 9.00–12.00.');
      expect(mail.text).toContain('Ärenden ska vara beredda senast torsdagen den 12 februari 2037.');
      expect(mail.text).toContain('Kallelse med föredragningslista skickas senast torsdagen den 19 februari 2037.');
      expect(mail.text).toMatch(new RegExp(`Kan du inte komma\\? Meddela förhinder: http://localhost:3000/meetings/${feb.id}/forhinder/${p.id}\\?token=`));
      expect(mail.text).toContain(`Vänliga hälsningar\nKansliet, Samordningsförbundet ${slug.toUpperCase()}`);
    }
    const staffInvite = bySequence(0).get(`invite:${feb.id}:0:staff`)!;
    expect(sorted(toOf(staffInvite.mail))).toEqual(staff);
    expect(staffInvite.cal).toMatchObject({ method: 'REQUEST', uid, sequence: 0 });
    expect(sorted(staffInvite.cal.attendees)).toEqual(staff);
    expect(staffInvite.mail.text).not.toContain('förhinder');
    // The ersättare is not invited until called in.
    expect(smtp.messages.filter((m) => toOf(m).includes(person('e-kommun').email))).toHaveLength(0);

    // Moved (as the API does: new time, SEQUENCE + 1, an audit event; then the workflow is told) to Thu 5 Mar 13:00–16:00.
    await advanceTo(env, '2037-01-20T10:00:00Z');
    const startsAt = stockholmDateTime('2037-03-05', '13:00');
    const endsAt = stockholmDateTime('2037-03-05', '16:00');
    const u = await db.prisma.meeting.update({ where: { id: feb.id }, data: { startsAt, endsAt, sequence: { increment: 1 } } });
    await db.prisma.auditEvent.create({ data: { forbundId, actor: 'test', action: 'meeting.moved', entityType: 'meeting', entityId: feb.id, data: { from: { startsAt: feb.startsAt, endsAt: feb.endsAt, location: null }, to: { startsAt, endsAt, location: null }, sequence: u.sequence } } });
    expect(await notifier.meetingChanged(feb.id, 'meeting moved')).toBe(true);
    await eventually(() => expect(bySequence(1).size).toBe(3));
    for (const p of ledamoter) {
      const { mail, cal } = bySequence(1).get(`invite:${feb.id}:1:${p.id}`)!;
      expect(toOf(mail)).toEqual([p.email]);
      expect(cal).toMatchObject({ method: 'REQUEST', uid, sequence: 1, status: 'CONFIRMED', attendees: [p.email] });
      expect(cal.start.toISOString()).toBe(startsAt.toISOString());
      expect(cal.end.toISOString()).toBe(endsAt.toISOString());
      expect(toStockholmTime(cal.start)).toBe('13:00');
      expect(mail.subject).toBe(`Flyttat: styrelsens sammanträde från 26 februari 2037 kl. 9.00 till 5 mars 2037 kl. 13.00 – Samordningsförbundet ${slug.toUpperCase()}`);
      expect(mail.text).toContain('Styrelsens sammanträde är flyttat från torsdagen den 26 februari 2037 kl. 9.00–12.00 till torsdagen den 5 mars 2037 kl. 13.00–16.00.');
      expect(mail.text).toContain(`/meetings/${feb.id}/forhinder/${p.id}?token=`);
    }
    expect(sorted(toOf(bySequence(1).get(`invite:${feb.id}:1:staff`)!.mail))).toEqual(staff);
    expect(bySequence(1).get(`invite:${feb.id}:1:staff`)!.cal).toMatchObject({ method: 'REQUEST', uid, sequence: 1 });

    // Cancelled (status cancelled, SEQUENCE + 1; the workflow is told): a CANCEL to everyone invited, and the workflow ends.
    await advanceTo(env, '2037-01-27T10:00:00Z');
    await db.prisma.meeting.update({ where: { id: feb.id }, data: { status: 'cancelled', sequence: { increment: 1 } } });
    expect(await notifier.meetingChanged(feb.id, 'meeting cancelled')).toBe(true);
    expect(await handle(feb.id).result()).toBe('cancelled');
    expect(await handle(feb.id).query(meetingStage)).toBe('cancelled');
    expect(sorted([...bySequence(2).keys()])).toEqual(sorted([...ledamoter.map((p) => `invite:${feb.id}:2:${p.id}`), `invite:${feb.id}:2:staff`]));
    for (const p of ledamoter) {
      const { mail, cal } = bySequence(2).get(`invite:${feb.id}:2:${p.id}`)!;
      expect(toOf(mail)).toEqual([p.email]);
      expect(cal).toMatchObject({ method: 'CANCEL', uid, sequence: 2, status: 'CANCELLED', attendees: [p.email] });
      expect(mail.subject).toBe(`Inställt: styrelsens sammanträde 5 mars 2037 kl. 13.00–16.00 – Samordningsförbundet ${slug.toUpperCase()}`);
      expect(mail.text).toContain('Styrelsens sammanträde torsdagen den 5 mars 2037 kl. 13.00–16.00 är inställt.');
      expect(mail.text).not.toContain('förhinder');
    }
    expect(sorted(toOf(bySequence(2).get(`invite:${feb.id}:2:staff`)!.mail))).toEqual(staff);
    expect(bySequence(2).get(`invite:${feb.id}:2:staff`)!.cal).toMatchObject({ method: 'CANCEL', uid, sequence: 2, status: 'CANCELLED' });

    // On through the original and the new date: nothing more for that meeting (no underlag, no kallelse reminder, no kallelse).
    await advanceTo(env, '2037-03-10T10:00:00Z');
    expect(forFeb().map((x) => [x.cal.method, x.cal.sequence])).toEqual([...Array(3).fill(['REQUEST', 0]), ...Array(3).fill(['REQUEST', 1]), ...Array(3).fill(['CANCEL', 2])]);
    expect(smtp.messages.filter((m) => !keyOf(m).startsWith('invite:') && keyOf(m).includes(feb.id)).map(keyOf)).toEqual([]);
    expect(await db.prisma.notification.count({ where: { key: { startsWith: `invite:${feb.id}:` } } })).toBe(9);
    expect(new Set(smtp.messages.map((m) => m.messageId)).size).toBe(smtp.messages.length);
    expect((await activityRuns(handle(feb.id))).map((r) => r.name)).toEqual(['registerPlannedMatters', 'sendBoardInvites', 'sendBoardInvites', 'sendBoardInvites', 'releaseMatters']);
    await recordHistory(handle(feb.id), 'styrelsemote-moved-cancelled');
  }, 120_000);

  it('reminds the secretary of the kallelse 3 working days before it must go out, at 08:00, once (over Easter too)', async () => {
    const slug = 'rem';
    const { feb, apr, handle } = await setUp(slug);
    const reminders = () => smtp.messages.filter((m) => keyOf(m).startsWith('kallelse-reminder:'));
    expect((await boardPlan(db.prisma, feb.id))!).toMatchObject({ kallelseDate: '2037-02-19', kallelseReminderAt: at('2037-02-16') });
    expect((await boardPlan(db.prisma, apr.id))!).toMatchObject({ kallelseDate: '2037-04-09', kallelseReminderAt: at('2037-04-02') });

    // Not before Mon 16 Feb 08:00; then to the secretary, with the agenda as it stands and the quorum.
    await advanceTo(env, plus(at('2037-02-16'), -1000));
    expect(reminders()).toHaveLength(0);
    await advanceTo(env, plus(at('2037-02-16'), MINUTE));
    const reminder = await eventually(() => {
      expect(reminders()).toHaveLength(1);
      return reminders()[0];
    });
    expect(keyOf(reminder)).toBe(`kallelse-reminder:${feb.id}:2037-02-19`);
    expect(toOf(reminder)).toEqual([`secretary@${slug}.example`]);
    expect(calendarOf(reminder)).toBeUndefined();
    expect(reminder.subject).toBe(`Granska föredragningslistan: kallelsen till styrelsens sammanträde 26 februari 2037 skickas senast 19 februari 2037 – Samordningsförbundet ${slug.toUpperCase()}`);
    expect(reminder.text).toContain('Hej Sara Sekreterare,');
    expect(reminder.text).toContain('Kallelsen med föredragningslista till styrelsens sammanträde torsdagen den 26 februari 2037 kl. 9.00–12.00 ska skickas ut senast torsdagen den 19 februari 2037.');
    expect(reminder.text).toContain('Föredragningslistan ser just nu ut så här:\n1. Mötets öppnande');
    expect(reminder.text).toContain('Enligt anmälningarna kommer 2 av 2 ledamöter eller ersättare; styrelsen är beslutsför.');
    // (As the workflow's history has it: scheduled at 08:00 Stockholm.)
    expect((await activityRuns(handle(feb.id), 'remindKallelse')).map((r) => [r.at.slice(0, 16), r.result])).toEqual([[at('2037-02-16').slice(0, 16), 'sent']]);

    // The kallelse goes out on its day (19 Feb): no second reminder.
    await advanceTo(env, plus(at('2037-02-19'), MINUTE));
    await eventually(() => expect(smtp.messages.filter((m) => keyOf(m).startsWith(`kallelse:${feb.id}:`)).length).toBeGreaterThan(0));
    expect(reminders().map(keyOf)).toEqual([`kallelse-reminder:${feb.id}:2037-02-19`]);

    // April: the kallelse of Thu 9 Apr; Easter (3 and 6 Apr) is not counted: the reminder comes Thu 2 Apr 08:00 (summer time).
    await advanceTo(env, plus(at('2037-04-02'), -1000));
    expect(reminders()).toHaveLength(1);
    await advanceTo(env, plus(at('2037-04-02'), MINUTE));
    await eventually(() => expect(reminders().map(keyOf)).toEqual([`kallelse-reminder:${feb.id}:2037-02-19`, `kallelse-reminder:${apr.id}:2037-04-09`]));
    expect(reminders()[1].subject).toBe(`Granska föredragningslistan: kallelsen till styrelsens sammanträde 16 april 2037 skickas senast 9 april 2037 – Samordningsförbundet ${slug.toUpperCase()}`);
    expect((await activityRuns(handle(apr.id), 'remindKallelse')).map((r) => [r.at.slice(0, 16), r.result])).toEqual([[at('2037-04-02').slice(0, 16), 'sent']]);
    expect(await db.prisma.notification.count({ where: { key: { startsWith: 'kallelse-reminder:' }, forbundId: feb.forbundId } })).toBe(2);
  }, 120_000);
});
