// Those who reported förhinder, and the ersättare no longer called in, get the move and the
// cancellation too (issue 18), so that no calendar keeps a wrong date; and an invite sent after the
// kallelse says the kallelse has gone. The board meeting's activities run as its workflow runs them
// (sendBoardInvites after each change of SEQUENCE, deliverMeetingMails after a förhinder), against a
// real database and a real SMTP peer; every invite is read back with ical.js. The meeting is moved
// and cancelled by the services the API and the pages use.
import ICAL from 'ical.js';
import type { ParsedMail } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMailer } from '../activities/mail.js';
import { meetingActivities } from '../activities/styrelse.js';
import { stockholmDateTime } from '../domain/dates.js';
import { DECLINE_LINK_TEXT } from '../domain/ics.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { cancelMeeting, moveMeeting } from '../services/kalendarium.js';
import { testDatabase } from './support/database.js';
import { MEMBERS_YAML } from './support/fixtures.js';
import { calendarOf, keyOf, toOf } from './support/mails.js';
import { RecordingNotifier } from './support/notifier.js';
import { startSmtpServer, type TestSmtpServer } from './support/smtp.js';

const SLUG = 'fhi';
const FILE = `
forbund:
  id: ${SLUG}
  name: Samordningsförbundet FHI
  email: kansli@${SLUG}.example
  year: 2037
${MEMBERS_YAML}
people:
  - { id: official, name: Örjan Tjänsteman, email: official@${SLUG}.example, roles: [official] }
  - { id: secretary, name: Sara Sekreterare, email: secretary@${SLUG}.example, roles: [secretary] }
  - { id: l-kommun, name: Karin Kommun, email: l-kommun@${SLUG}.example, roles: [board_member] }
  - { id: l-region, name: Rolf Region, email: l-region@${SLUG}.example, roles: [board_member] }
  - { id: e-kommun, name: Elsa Kommun, email: e-kommun@${SLUG}.example, roles: [board_member] }
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
`;

let db: Database;
let smtp: TestSmtpServer;
let clock = new Date('2037-01-05T08:00:00Z');
const notifier = new RecordingNotifier();

beforeAll(async () => {
  [db, smtp] = await Promise.all([testDatabase(), startSmtpServer()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([db?.close(), smtp?.close()]);
});
afterEach(() => ICAL.TimezoneService.reset());

/** The attendee's PARTSTAT in a mail's invite. */
function partstatOf(mail: ParsedMail): string {
  const part = mail.attachments.find((a) => a.contentType === 'text/calendar')!;
  const vevent = new ICAL.Component(ICAL.parse(part.content.toString('utf8'))).getFirstSubcomponent('vevent')!;
  const attendees = vevent.getAllProperties('attendee');
  expect(attendees).toHaveLength(1);
  return String(attendees[0].getParameter('partstat'));
}
/** The DESCRIPTION of a mail's invite. */
function descriptionOf(mail: ParsedMail): string {
  const part = mail.attachments.find((a) => a.contentType === 'text/calendar')!;
  return String(new ICAL.Component(ICAL.parse(part.content.toString('utf8'))).getFirstSubcomponent('vevent')!.getFirstPropertyValue('description'));
}

describe('a board meeting moved or cancelled after förhinder', () => {
  it('the ledamot with förhinder gets the update (PARTSTAT=DECLINED, still förhinder) and the CANCEL; the released ersättare a CANCEL; after the kallelse the invite says it has gone', async () => {
    const { forbundId } = await importForbund(db.prisma, parseForbundFile(FILE, `${SLUG}.yaml`), { year: 2037, actor: 'test' });
    const feb = await db.prisma.meeting.findFirstOrThrow({ where: { forbundId, kind: 'styrelse' } });
    const person = async (key: string) => db.prisma.person.findFirstOrThrow({ where: { forbundId, key } });
    const [karin, rolf, elsa] = await Promise.all(['l-kommun', 'l-region', 'e-kommun'].map(person));
    const act = meetingActivities({ prisma: db.prisma, mailer: createMailer({ prisma: db.prisma, transport: smtp.transport, log: () => {} }), publicBaseUrl: 'http://localhost:3000', linkSecret: 'y'.repeat(32), searchAttributes: false, notifier });
    const deps = { prisma: db.prisma, notifier, now: () => clock };
    const at = (iso: string) => (clock = new Date(iso)).getTime();
    const bySequence = (seq: number) => new Map(smtp.messages.filter((m) => keyOf(m).startsWith(`invite:${feb.id}:${seq}:`)).map((m) => [keyOf(m).split(':')[3], m]));

    // The invites; then Karin Kommun reports förhinder and Elsa Kommun is called in.
    expect(await act.sendBoardInvites({ now: at('2037-01-05T08:00:00Z'), meetingId: feb.id })).toMatchObject({ sent: 3 });
    await act.commitDecline({ now: at('2037-01-12T08:00:00Z'), meetingId: feb.id, actor: 'test', personId: karin.id });
    await act.deliverMeetingMails({ now: clock.getTime(), meetingId: feb.id });
    expect([...bySequence(0).keys()].sort()).toEqual([karin.id, rolf.id, elsa.id, 'staff'].sort());

    // Moved to Thursday 5 March 13:00–16:00: Karin's calendar gets the new date too, keeping her förhinder.
    await moveMeeting(deps, { forbundId, id: feb.id, change: { date: '2037-03-05', start: '13:00', end: '16:00' }, actor: 'test' });
    expect(await act.sendBoardInvites({ now: at('2037-01-20T08:00:00Z'), meetingId: feb.id })).toMatchObject({ sent: 4 });
    const moved = bySequence(1);
    expect([...moved.keys()].sort()).toEqual([karin.id, rolf.id, elsa.id, 'staff'].sort());
    const k1 = moved.get(karin.id)!;
    expect(toOf(k1)).toEqual([karin.email]);
    expect(calendarOf(k1)).toMatchObject({ method: 'REQUEST', uid: `meeting-${feb.id}@arscykel`, sequence: 1, status: 'CONFIRMED', attendees: [karin.email] });
    expect(calendarOf(k1)!.start.toISOString()).toBe(stockholmDateTime('2037-03-05', '13:00').toISOString());
    expect(partstatOf(k1)).toBe('DECLINED');
    expect(k1.subject).toBe('Flyttat: styrelsens sammanträde från 26 februari 2037 kl. 9.00 till 5 mars 2037 kl. 13.00 – Samordningsförbundet FHI');
    expect(k1.text).toContain('Du har anmält förhinder till styrelsens sammanträde, och förhindret gäller fortfarande. Du får ändringen så att din kalender visar rätt tid.');
    expect(k1.text).toMatch(new RegExp(`Kan du komma ändå\\? Meddela att du kommer: http://localhost:3000/meetings/${feb.id}/forhinder/${karin.id}\\?token=`));
    expect(k1.text).not.toContain('Kan du inte komma?');
    expect(descriptionOf(k1)).not.toContain(DECLINE_LINK_TEXT);
    // The others as before: asked, with their own link.
    for (const p of [rolf, elsa]) {
      expect(partstatOf(moved.get(p.id)!)).toBe('NEEDS-ACTION');
      expect(moved.get(p.id)!.text).toContain('Kan du inte komma?');
      expect(moved.get(p.id)!.text).not.toContain('Du har anmält förhinder');
    }

    // Karin can come after all: Elsa is released (a CANCEL). Moved again, Elsa's calendar gets a CANCEL at the new SEQUENCE, not the meeting back.
    await act.commitWithdrawal({ now: at('2037-01-26T08:00:00Z'), meetingId: feb.id, actor: 'test', personId: karin.id });
    await act.deliverMeetingMails({ now: clock.getTime(), meetingId: feb.id });
    expect(smtp.messages.filter((m) => keyOf(m).startsWith(`released:${feb.id}:${elsa.id}:`)).map((m) => calendarOf(m)!.method)).toEqual(['CANCEL']);
    await moveMeeting(deps, { forbundId, id: feb.id, change: { date: '2037-03-06', start: '13:00', end: '16:00' }, actor: 'test' });
    await act.sendBoardInvites({ now: at('2037-01-27T08:00:00Z'), meetingId: feb.id });
    const again = bySequence(2);
    expect([...again.keys()].sort()).toEqual([karin.id, rolf.id, elsa.id, 'staff'].sort());
    expect(calendarOf(again.get(elsa.id)!)).toMatchObject({ method: 'CANCEL', sequence: 2, status: 'CANCELLED', attendees: [elsa.email] });
    expect(again.get(elsa.id)!.text).toContain('Du är inte inkallad som ersättare till styrelsens sammanträde, så det tas bort ur din kalender.');
    expect(again.get(elsa.id)!.text).not.toMatch(/förhinder|Ärenden ska vara beredda/);
    expect(calendarOf(again.get(karin.id)!)).toMatchObject({ method: 'REQUEST', sequence: 2 });
    expect(partstatOf(again.get(karin.id)!)).toBe('NEEDS-ACTION');
    expect(again.get(karin.id)!.text).toContain('Kan du inte komma?');

    // Rolf Region reports förhinder (no ersättare for the region); the kallelse goes out (19 February by the plan: fixed here).
    await act.commitDecline({ now: at('2037-02-02T08:00:00Z'), meetingId: feb.id, actor: 'test', personId: rolf.id });
    await db.prisma.meeting.update({ where: { id: feb.id }, data: { kallelseSentAt: new Date('2037-02-19T07:00:00Z') } });
    // Moved once more after the kallelse (asked and confirmed): the invites say the kallelse has gone, not when it will.
    await moveMeeting(deps, { forbundId, id: feb.id, change: { date: '2037-03-09', start: '13:00', end: '16:00' }, actor: 'test', confirm: true });
    await act.sendBoardInvites({ now: at('2037-02-20T08:00:00Z'), meetingId: feb.id });
    const afterKallelse = bySequence(3);
    expect([...afterKallelse.keys()].sort()).toEqual([karin.id, rolf.id, elsa.id, 'staff'].sort());
    for (const key of [karin.id, rolf.id, 'staff']) {
      const mail = afterKallelse.get(key)!;
      expect(mail.text, key).toContain('Kallelsen med föredragningslistan har skickats 19 februari 2037.');
      expect(mail.text, key).not.toMatch(/skickas senast|Ärenden ska vara beredda/);
      expect(descriptionOf(mail), key).toContain('Kallelsen med föredragningslistan har skickats 19 februari 2037.');
      // Nothing new attached (no kallelse.pdf): the calendar invite only (as the calendar part and its .ics file).
      expect(new Set(mail.attachments.map((a) => a.contentType)), key).toEqual(new Set(['text/calendar', 'application/ics']));
    }
    expect(partstatOf(afterKallelse.get(rolf.id)!)).toBe('DECLINED');

    // Cancelled: a CANCEL to everyone called, the ledamot with förhinder and the released ersättare included.
    await cancelMeeting(deps, { forbundId, id: feb.id, actor: 'test' });
    await act.sendBoardInvites({ now: at('2037-02-23T08:00:00Z'), meetingId: feb.id });
    const cancelled = bySequence(4);
    expect([...cancelled.keys()].sort()).toEqual([karin.id, rolf.id, elsa.id, 'staff'].sort());
    for (const [key, mail] of cancelled) {
      expect(calendarOf(mail), key).toMatchObject({ method: 'CANCEL', sequence: 4, status: 'CANCELLED' });
      expect(mail.subject, key).toBe('Inställt: styrelsens sammanträde 9 mars 2037 kl. 13.00–16.00 – Samordningsförbundet FHI');
      expect(mail.text, key).not.toMatch(/förhinder|inkallad/);
    }
    expect(toOf(cancelled.get(rolf.id)!)).toEqual([rolf.email]);
    // Each invite once: no key twice.
    expect(new Set(smtp.messages.map(keyOf)).size).toBe(smtp.messages.length);
  }, 120_000);
});
