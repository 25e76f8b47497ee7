// A board meeting and its matters on Temporal's time-skipping test server, with the production
// worker, the real activities, a real database and a real SMTP server: from the invite to the
// decisions sent to the members; a matter late for one meeting that lands on the next; a decline
// that calls in an ersättare; a kallelse whose e-mail carries the agenda and a PDF. The year is
// 2037 (its calendar is 2026's); each test has its own server.
import type { WorkflowHandle } from '@temporalio/client';
import type { ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { pdfText } from './support/pdf.js';
import { stockholmDateTime } from '../domain/dates.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { ensureAgenda, registerMatter } from '../services/styrelse.js';
import type { OutboxNotifier } from '../worker/client.js';
import { styrelsemote } from '../workflows/sammantrade.js';
import { declineMeeting, editAgenda, justeraMinutes, markPrepared, matterWorkflowId, meetingStage, meetingWorkflowId, recordDecision, recordNarvaro, recordParagraph, reportBack, sendKallelseNow, sendMinutes, signMinutes, withdrawDecline } from '../workflows/signals.js';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { createApp } from '../api/app.js';
import { createActivities } from '../activities/index.js';
import { createMailer } from '../activities/mail.js';
import { MEMBERS_YAML } from './support/fixtures.js';
import { calendarOf, toOf, ccOf, keyOf } from './support/mails.js';
import type { TestSmtpServer } from './support/smtp.js';
import { activityRuns, advanceTo, eventually, recordHistory, workflowTestBed, type RunningWorker, type TestWorkflowEnvironment } from './support/temporal.js';

const LINK_SECRET = 'x'.repeat(32);

// styrelse-02 Thu 26 Feb 2037 09–12: beredningsgrupp Thu 5 Feb (underlag Tue 3 Feb), beredning
// Thu 12 Feb (underlag Tue 10 Feb; the agenda closes for matters at 17.00 that day), kallelse
// Thu 19 Feb (the secretary is reminded Mon 16 Feb). styrelse-04 Thu 23 Apr takes what is late.
// Four seats (one ledamot per member), each with an ersättare in the order 1–4.
const fileFor = (slug: string) => `
forbund:
  id: ${slug}
  name: Samordningsförbundet ${slug.toUpperCase()}
  email: kansli@${slug}.example
  year: 2037
${MEMBERS_YAML.replace('kind: municipality }', `kind: municipality, email: registrator@kommunen.example }`)}
people:
  - { id: official, name: Örjan Tjänsteman, email: official@${slug}.example, roles: [official] }
  - { id: secretary, name: Sara Sekreterare, email: secretary@${slug}.example, roles: [secretary] }
  - { id: economist, name: Ekon Omsson, email: economist@${slug}.example, roles: [economist] }
  - { id: l-kommun, name: Karin Kommun, email: l-kommun@${slug}.example, roles: [board_member] }
  - { id: l-region, name: Rolf Region, email: l-region@${slug}.example, roles: [board_member] }
  - { id: l-fk, name: Frida Kassa, email: l-fk@${slug}.example, roles: [board_member] }
  - { id: l-af, name: Arne Förmedling, email: l-af@${slug}.example, roles: [board_member] }
  - { id: e-kommun, name: Elsa Kommun, email: e-kommun@${slug}.example, roles: [board_member] }
  - { id: e-region, name: Erik Region, email: e-region@${slug}.example, roles: [board_member] }
  - { id: e-fk, name: Eva Kassa, email: e-fk@${slug}.example, roles: [board_member] }
  - { id: e-af, name: Ebba Förmedling, email: e-af@${slug}.example, roles: [board_member] }
  - { id: bg-fk, name: Märta Chef, email: bg-fk@${slug}.example, roles: [] }
bodies:
  styrelse:
    members:
      - { person: l-kommun, role: chair, member: kommunen }
      - { person: l-region, role: vice_chair, member: regionen }
      - { person: l-fk, member: fk }
      - { person: l-af, member: af }
      - { person: e-region, role: deputy, member: regionen, order: 1 }
      - { person: e-kommun, role: deputy, member: kommunen, order: 2 }
      - { person: e-fk, role: deputy, member: fk, order: 3 }
      - { person: e-af, role: deputy, member: af, order: 4 }
  beredningsgrupp:
    members:
      - { person: bg-fk, member: fk }
projects: []
cycle:
  defaults: { start: "09:00", end: "12:00" }
  kallelseDays: 7
  meetings:
    - { id: styrelse-02, body: styrelse, date: 2037-02-26 }
    - { id: styrelse-04, body: styrelse, date: 2037-04-23 }
  milestones:
    bokslut: { meeting: styrelse-02, owner: economist, title: Årsredovisning 2036 }
`;

const at = (date: string, time = '08:00') => stockholmDateTime(date, time).toISOString();

let db: Database;
let smtp: TestSmtpServer;
let env: TestWorkflowEnvironment;
let worker: RunningWorker;
let notifier: OutboxNotifier;

workflowTestBed({ linkSecret: LINK_SECRET }, (bed) => ({ db, smtp, env, worker, notifier } = bed));

const mailsTo = (email: string) => smtp.messages.filter((m) => toOf(m).includes(email));
const text = (m: ParsedMail) => m.text ?? '';
/** The mail to `email` whose key starts with `prefix` (throws while there is none, for eventually()). */
function mailTo(email: string, prefix: string): ParsedMail {
  const m = mailsTo(email).find((x) => keyOf(x).startsWith(prefix));
  if (!m) throw new Error(`no mail ${prefix}… to ${email}; got ${smtp.messages.map((x) => `${keyOf(x)} → ${toOf(x).join(',')}`).join('; ')}`);
  return m;
}
const SECRETARY = { actor: 'token:00000000-0000-0000-0000-000000000001 Sara (secretary)' };
const OFFICIAL = { actor: 'token:00000000-0000-0000-0000-000000000002 Örjan (admin)' };

async function setUp(slug: string) {
  await advanceTo(env, '2037-01-05T08:30:00Z');
  const { forbundId } = await importForbund(db.prisma, parseForbundFile(fileFor(slug), `${slug}.yaml`), { year: 2037, actor: 'test' });
  const meetings = await db.prisma.meeting.findMany({ where: { forbundId, kind: 'styrelse' }, orderBy: { startsAt: 'asc' } });
  const people = new Map((await db.prisma.person.findMany({ where: { forbundId } })).map((p) => [p.key, p]));
  return { forbundId, feb: meetings[0], apr: meetings[1], person: (key: string) => people.get(key)! };
}


/** The update's failure reason as the API would show it. */
async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    const e = err as Error & { cause?: Error & { cause?: Error } };
    return [e.message, e.cause?.message, e.cause?.cause?.message].filter(Boolean).join(' / ');
  }
  throw new Error('the update was accepted');
}

describe('a board meeting from invite to decisions sent out', () => {
  it('walks the invite, the underlag, the agenda with a late matter moved on, a decline, the kallelse with agenda and PDF, the minutes, the justering and the decisions', async () => {
    const { forbundId, feb, apr, person } = await setUp('walk');
    const now = new Date('2037-01-05T08:30:00Z');
    const application = await registerMatter(db.prisma, forbundId, { title: 'Ansökan om medel: Steg framåt', kind: 'funding_application', owner: 'official', documents: [{ title: 'Ansökan', url: 'https://docs.example/ansokan.pdf' }] }, now, OFFICIAL.actor);
    const late = await registerMatter(db.prisma, forbundId, { title: 'Riktlinjer för uppföljning', kind: 'policy', owner: 'economist' }, now, OFFICIAL.actor);
    expect([application.dnr, late.dnr]).toEqual(['2037-00001', '2037-00002']);
    expect(application.meetingId).toBe(feb.id);

    // The meeting's workflow starts (as an import or an adopted calendar starts it) and invites the ledamöter.
    expect(await notifier.meetingChanged(feb.id, 'calendar adopted')).toBe(true);
    const handle: WorkflowHandle<typeof styrelsemote> = env.client.workflow.getHandle(meetingWorkflowId(feb.id));
    await eventually(() => expect(smtp.messages.filter((m) => keyOf(m).startsWith(`invite:${feb.id}:0:`))).toHaveLength(5));
    const ledamotInvite = mailsTo('l-fk@walk.example')[0];
    expect(text(ledamotInvite)).toMatch(/Kan du inte komma\? Meddela förhinder: http:\/\/localhost:3000\/meetings\/[^/]+\/forhinder\/[^?]+\?token=/);
    expect(mailsTo('e-fk@walk.example')).toHaveLength(0); // ersättare are not invited until called in
    // The plan's bokslut became a matter on the same meeting.
    const bokslut = await eventually(async () => (await db.prisma.matter.findFirstOrThrow({ where: { forbundId, milestoneId: { not: null } } })));
    expect(bokslut).toMatchObject({ dnr: '2037-00003', title: 'Årsredovisning 2036', kind: 'budget', meetingId: feb.id, status: 'registered' });

    // The official marks two matters prepared (updates on their workflows); the third is not.
    expect(await notifier.update({ matterId: application.id }, markPrepared, [OFFICIAL])).toMatchObject({ dnr: '2037-00001', status: 'prepared' });
    expect(await notifier.update({ matterId: bokslut.id }, markPrepared, [OFFICIAL])).toMatchObject({ status: 'prepared' });
    expect(await refusal(notifier.update({ matterId: application.id }, markPrepared, [OFFICIAL]))).toMatch(/the matter is prepared, not waiting to be prepared/);

    // The ledamot for the municipality cannot come: the municipality's own ersättare is called in (before ersättare 1, who is the region's).
    const declined = await notifier.update({ meetingId: feb.id }, declineMeeting, [{ actor: 'decline-link', personId: person('l-kommun').id }]);
    expect(declined).toEqual({ declined: 'Karin Kommun', calledIn: 'Elsa Kommun', quorum: { seats: 4, expected: 4, needed: 3, quorate: true } });
    const callIn = await eventually(() => mailTo('e-kommun@walk.example', 'invite:'));
    expect(callIn.subject).toMatch(/styrelsens sammanträde/);
    expect(text(callIn)).toContain('Karin Kommun');
    expect(callIn.attachments.some((a) => a.contentType.startsWith('text/calendar'))).toBe(true);
    // The one who declined is told, the secretary in copy (the mails follow the answer); nothing of the kallelse goes before its day.
    const receipt = await eventually(() => mailTo('l-kommun@walk.example', 'declined:'));
    expect(smtp.messages.filter((m) => keyOf(m).startsWith('kallelse:'))).toEqual([]);
    expect(text(receipt)).toContain('Elsa Kommun');
    expect(ccOf(receipt)).toEqual(['secretary@walk.example']);

    // Tue 3 Feb 08:00: the beredningsgrupp gets the matters to prepare.
    await advanceTo(env, at('2037-02-03', '08:05'));
    const underlag = await eventually(() => mailTo('bg-fk@walk.example', 'underlag:'));
    for (const dnr of ['2037-00001', '2037-00002', '2037-00003']) expect(text(underlag)).toContain(dnr);

    // Thu 12 Feb 17:00: the agenda closes for matters; the unprepared one moves to April and its owner is told.
    await advanceTo(env, at('2037-02-12', '17:05'));
    const moved = await eventually(() => mailTo('economist@walk.example', 'matter-moved:'));
    expect(text(moved)).toMatch(/2037-00002/);
    expect(text(moved)).toMatch(/23 april 2037/);
    expect(await db.prisma.matter.findUniqueOrThrow({ where: { id: late.id } })).toMatchObject({ meetingId: apr.id, status: 'registered' });

    // Mon 16 Feb: the secretary is reminded (three working days before the kallelse), with the agenda as it stands.
    await advanceTo(env, at('2037-02-16', '08:05'));
    const reminder = await eventually(() => mailTo('secretary@walk.example', 'kallelse-reminder:'));
    expect(text(reminder)).toMatch(/Ansökan om medel: Steg framåt \(Dnr 2037-00001\)/);
    expect(text(reminder)).not.toMatch(/2037-00002/);

    // The secretary adds an item and moves it before the matters.
    expect(await refusal(notifier.update({ meetingId: feb.id }, editAgenda, [{ ...SECRETARY, items: [] }]))).toMatch(/the matter item "Årsredovisning 2036" .* must stay on the agenda/);
    const items = (await db.prisma.agendaItem.findMany({ where: { meetingId: feb.id }, orderBy: { number: 'asc' } })).map((i) => ({ id: i.id }));
    const edited = await notifier.update({ meetingId: feb.id }, editAgenda, [{ ...SECRETARY, items: [...items.slice(0, 5), { title: 'Information från Försäkringskassan' }, ...items.slice(5)] }]);
    expect(edited.map((i) => `${i.number}. ${i.title}${i.dnr ? ` (${i.dnr})` : ''}`)).toEqual([
      '1. Mötets öppnande',
      '2. Val av justerare',
      '3. Godkännande av dagordningen',
      '4. Föregående protokoll',
      '5. Verkställande tjänstemannens rapport',
      '6. Information från Försäkringskassan',
      '7. Ansökan om medel: Steg framåt (2037-00001)',
      '8. Årsredovisning 2036 (2037-00003)',
      '9. Övriga frågor',
      '10. Mötets avslutande',
    ]);

    // Thu 19 Feb 08:00: the kallelse with the agenda and its PDF, to the ledamöter called; the other ersättare for information.
    await advanceTo(env, at('2037-02-19', '08:05'));
    await eventually(() => expect(smtp.messages.filter((m) => keyOf(m).startsWith(`kallelse:${feb.id}:`))).toHaveLength(5));
    const kallelse = mailsTo('l-fk@walk.example').find((m) => keyOf(m).startsWith('kallelse:'))!;
    expect(kallelse.subject).toMatch(/^Kallelse: styrelsens sammanträde 26 februari 2037 kl\. 9\.00/);
    expect(text(kallelse)).toContain('7. Ansökan om medel: Steg framåt (Dnr 2037-00001)');
    expect(text(kallelse)).toContain('https://docs.example/ansokan.pdf');
    const pdf = kallelse.attachments.find((a) => a.filename === 'kallelse.pdf')!;
    expect(pdf.contentType).toBe('application/pdf');
    const printed = await pdfText(pdf.content);
    expect(printed).toContain('torsdagen den 26 februari 2037');
    expect(printed).toContain('2037-00001');
    expect(mailsTo('e-kommun@walk.example').some((m) => keyOf(m).startsWith('kallelse:'))).toBe(true); // called in
    expect(mailsTo('l-kommun@walk.example').some((m) => keyOf(m).startsWith('kallelse:'))).toBe(false); // declined
    const forInformation = smtp.messages.find((m) => keyOf(m) === `kallelse:${feb.id}:for-information`)!;
    expect(toOf(forInformation).sort()).toEqual(['e-af@walk.example', 'e-fk@walk.example', 'e-region@walk.example']);
    expect(await refusal(notifier.update({ meetingId: feb.id }, editAgenda, [{ ...SECRETARY, items }]))).toMatch(/the kallelse has gone out/);
    expect(await refusal(notifier.update({ meetingId: feb.id }, recordDecision, [{ ...SECRETARY, itemId: items[0].id, decision: 'Mötet öppnas.', version: 0 }]))).toMatch(/has not begun/);

    // The meeting is held: § numbers are given; the secretary records the decisions.
    await advanceTo(env, at('2037-02-26', '12:05'));
    await eventually(async () => expect(await handle.query(meetingStage)).toBe('held'));
    const held = await db.prisma.agendaItem.findMany({ where: { meetingId: feb.id }, include: { matter: true }, orderBy: { number: 'asc' } });
    expect(held.map((i) => i.paragraph)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const item = (dnr: string) => held.find((i) => i.matter?.dnr === dnr)!;
    expect(await refusal(notifier.update({ meetingId: feb.id }, sendMinutes, [{ ...SECRETARY, justerare: 'l-region' }]))).toMatch(/has no decision recorded/);
    await notifier.update({ meetingId: feb.id }, recordDecision, [{ ...SECRETARY, itemId: item('2037-00003').id, decision: 'Styrelsen fastställer årsredovisningen för 2036.', version: item('2037-00003').version }]);
    const decided = await notifier.update({ meetingId: feb.id }, recordDecision, [{ ...SECRETARY, itemId: item('2037-00001').id, decision: 'Styrelsen beviljar 400 000 kr för 2037.', actionBy: 'official', actionDue: '2037-04-30', version: item('2037-00001').version }]);
    expect(decided).toMatchObject({ paragraph: 7, dnr: '2037-00001', actionBy: 'official', actionDue: '2037-04-30', version: item('2037-00001').version + 1 });
    expect(await refusal(notifier.update({ meetingId: feb.id }, recordDecision, [{ ...SECRETARY, itemId: item('2037-00001').id, decision: 'x', actionDue: '2037-04-30', version: decided.version }]))).toMatch(/actionBy: is required with actionDue/);
    // The annual accounts' milestone is done by the decision that adopts it, its Dnr and §.
    expect(await db.prisma.milestone.findFirstOrThrow({ where: { forbundId, kind: 'bokslut' } })).toMatchObject({ status: 'done', doneBy: 'beslut 2037-00003 § 8' });

    // Minutes to the justerare, then justerade: the decisions go to the members.
    expect(await notifier.update({ meetingId: feb.id }, sendMinutes, [{ ...SECRETARY, justerare: 'l-region' }])).toEqual({ justerare: 'l-region', justeringDue: '2037-03-12' });
    const minutes = await eventually(() => mailTo('l-region@walk.example', 'minutes:'));
    expect(minutes.attachments.map((a) => a.filename)).toContain('protokoll.pdf');
    expect(await pdfText(minutes.attachments.find((a) => a.filename === 'protokoll.pdf')!.content)).toContain('Styrelsen beviljar 400 000 kr för 2037.');
    await notifier.update({ meetingId: feb.id }, justeraMinutes, [SECRETARY]);
    expect(await handle.result()).toBe('decisions sent to the members');
    const toMembers = smtp.messages.filter((m) => keyOf(m).startsWith(`decisions:${feb.id}:`));
    // The municipality's registrator; the others through their ledamot.
    expect(toMembers.map((m) => toOf(m)[0]).sort()).toEqual(['l-af@walk.example', 'l-fk@walk.example', 'l-region@walk.example', 'registrator@kommunen.example']);
    expect(text(toMembers[0])).toContain('§ 7');
    expect(text(toMembers[0])).toContain('Styrelsen beviljar 400 000 kr för 2037.');

    // The follow-up of § 7 waits on the official: reminded a week before 30 April, closed when reported back.
    await eventually(async () => expect((await db.prisma.matter.findUniqueOrThrow({ where: { id: application.id } })).status).toBe('follow_up'));
    await eventually(async () => expect((await db.prisma.matter.findUniqueOrThrow({ where: { id: bokslut.id } })).status).toBe('closed'));
    await advanceTo(env, at('2037-04-23', '08:05'));
    // A reminder of the official's own: in the day's digest ("Dagens läge"), with the link to Att göra.
    const followUp = await eventually(() => db.prisma.digestItem.findFirstOrThrow({ where: { key: { startsWith: 'followup:' }, email: 'official@walk.example' } }));
    expect(followUp).toMatchObject({ kind: 'matter.follow-up', link: 'http://localhost:3000/admin' });
    expect(followUp.subject).toMatch(/Återrapportera|återrapport/i);
    expect(mailsTo('official@walk.example').filter((m) => keyOf(m).startsWith('followup:'))).toEqual([]);
    await notifier.update({ matterId: application.id }, reportBack, [{ ...OFFICIAL, text: 'Avtal tecknat med huvudmannen.' }]);
    const matterHandle = env.client.workflow.getHandle(matterWorkflowId(application.id));
    expect(await matterHandle.result()).toBe('closed');
    await recordHistory(matterHandle, 'arende-follow-up');

    // The process reads by step name in the meeting's history.
    const steps = (await activityRuns(handle)).map((r) => r.name);
    expect(steps).toEqual([
      'registerPlannedMatters',
      'sendBoardInvites',
      'commitDecline',
      'deliverMeetingMails', // the ersättare's invite and the confirmation, after the answer
      'sendBeredningsunderlag',
      'sendBeredningsunderlag',
      'closeAgenda',
      'tellOwnerMatterMoved',
      'remindKallelse',
      'saveAgenda', // refused: a matter dropped from the agenda
      'saveAgenda',
      'fixKallelse', // the agenda and who is called, fixed and recorded
      'deliverMeetingMails', // the kallelse as recorded
      'openMinutes',
      'commitMinutes', // refused: decisions missing
      'saveDecision',
      'saveDecision',
      'saveDecision', // refused: actionDue without actionBy
      'commitMinutes',
      'deliverMeetingMails', // the protokoll to the justerare
      'recordJustering',
      'sendDecisions',
    ]);
    const history = await handle.fetchHistory();
    const updates = (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).map((e) => e.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!.input!.name);
    // (Updates a validator refused — an agenda edit after the kallelse, a decision before the meeting — leave no event.)
    expect(updates).toEqual(['declineMeeting', 'editAgenda', 'editAgenda', 'sendMinutes', 'recordDecision', 'recordDecision', 'recordDecision', 'sendMinutes', 'justeraMinutes']);
    await recordHistory(handle, 'styrelsemote-walk');
    await recordHistory(env.client.workflow.getHandle(matterWorkflowId(bokslut.id)), 'arende-decided');
    await recordHistory(env.client.workflow.getHandle(matterWorkflowId(late.id)), 'arende-moved');
  }, 120_000);
});

const activities = () => createActivities({ prisma: db.prisma, mailer: createMailer({ prisma: db.prisma, transport: smtp.transport, log: () => {} }), publicBaseUrl: 'http://localhost:3000', linkSecret: LINK_SECRET, searchAttributes: false });

/** The February meeting as held, with one decision per item and the ledamöter called; optionally justerad and sent to the members. */
async function heldMeeting(slug: string, opts: { ended?: boolean } = {}) {
  const s = await setUp(slug);
  await ensureAgenda(db.prisma, s.feb.id);
  const items = await db.prisma.agendaItem.findMany({ where: { meetingId: s.feb.id }, orderBy: { number: 'asc' } });
  for (const i of items) await db.prisma.agendaItem.update({ where: { id: i.id }, data: { paragraph: i.number, decision: `Beslut ${i.number}.`, decidedAt: new Date(at('2037-02-26', '11:00')) } });
  for (const key of ['l-kommun', 'l-region', 'l-fk', 'l-af']) await db.prisma.attendance.create({ data: { meetingId: s.feb.id, personId: s.person(key).id, seat: 'ledamot' } });
  const ended = opts.ended ? { minutesSentAt: new Date(at('2037-02-27')), justerare: 'l-region', justeringDue: new Date('2037-03-12T00:00:00Z'), justeradAt: new Date(at('2037-03-02')), decisionsSentAt: new Date(at('2037-03-02', '09:00')) } : {};
  await db.prisma.meeting.update({ where: { id: s.feb.id }, data: { kallelseSentAt: new Date(at('2037-02-19')), heldAt: new Date(at('2037-02-26', '12:00')), ...ended } });
  await db.prisma.cycleYear.update({ where: { forbundId_year: { forbundId: s.forbundId, year: 2037 } }, data: { calendarAdoptedAt: new Date(at('2036-12-10')) } }).catch(() => undefined);
  return { ...s, items };
}

describe('what the process is past is refused, in every run and in the database', () => {
  it('after the decisions went to the members, an update that starts a new run is refused: no decision, justerare or förhinder changes, nothing is mailed', async () => {
    const { feb, items, person } = await heldMeeting('ended', { ended: true });
    await advanceTo(env, at('2037-03-10', '10:00'));
    const started = Date.now();
    expect(await refusal(notifier.update({ meetingId: feb.id }, recordDecision, [{ ...SECRETARY, itemId: items[0].id, decision: 'Ändrat i efterhand.', version: items[0].version }]))).toMatch(/process has ended: decisions already sent to the members/);
    expect(await refusal(notifier.update({ meetingId: feb.id }, sendMinutes, [{ ...SECRETARY, justerare: 'l-fk' }]))).toMatch(/process has ended/);
    expect(await refusal(notifier.update({ meetingId: feb.id }, declineMeeting, [{ actor: 'decline-link', personId: person('l-fk').id }]))).toMatch(/process has ended/);
    expect(await refusal(notifier.update({ meetingId: feb.id }, justeraMinutes, [SECRETARY]))).toMatch(/process has ended/);
    expect(Date.now() - started).toBeLessThan(15_000);
    const after = await db.prisma.meeting.findUniqueOrThrow({ where: { id: feb.id } });
    expect(after.justerare).toBe('l-region');
    expect((await db.prisma.agendaItem.findUniqueOrThrow({ where: { id: items[0].id } })).decision).toBe('Beslut 1.');
    expect(await db.prisma.attendance.count({ where: { meetingId: feb.id } })).toBe(4);
    expect(await db.prisma.attendance.count({ where: { meetingId: feb.id, status: 'declined' } })).toBe(0);
    expect(smtp.messages).toHaveLength(0);
    // The runs the updates started have ended; none ran an activity that writes.
    const handle = env.client.workflow.getHandle(meetingWorkflowId(feb.id));
    expect(await handle.result()).toBe('decisions already sent to the members');
    expect((await activityRuns(handle)).map((r) => r.name)).toEqual([]);

    // The database refuses too, whatever reaches it: the activities' own transactions.
    const a = activities();
    await expect(a.saveDecision({ meetingId: feb.id, now: Date.parse(at('2037-03-10')), actor: 'x', itemId: items[0].id, decision: 'Ändrat.', version: items[0].version })).rejects.toMatchObject({ type: 'Refused' });
    await expect(a.commitMinutes({ meetingId: feb.id, now: Date.parse(at('2037-03-10')), actor: 'x', justerare: 'l-fk' })).rejects.toMatchObject({ type: 'Refused' });
    await expect(a.commitDecline({ meetingId: feb.id, now: Date.parse(at('2037-03-10')), actor: 'x', personId: person('l-fk').id })).rejects.toMatchObject({ type: 'Refused' });
    await expect(a.saveAgenda({ meetingId: feb.id, now: Date.parse(at('2037-03-10')), actor: 'x', items: [{ title: 'Ny punkt' }] })).rejects.toMatchObject({ type: 'Refused' });
    expect((await db.prisma.agendaItem.findUniqueOrThrow({ where: { id: items[0].id } })).decision).toBe('Beslut 1.');
  }, 60_000);

  it('in the database an agenda edit and the kallelse are one after the other: an edit that comes second is refused, one that comes first is in what the kallelse fixed', async () => {
    const { feb, person } = await setUp('race');
    await ensureAgenda(db.prisma, feb.id);
    for (const key of ['l-kommun', 'l-region', 'l-fk', 'l-af']) await db.prisma.attendance.create({ data: { meetingId: feb.id, personId: person(key).id, seat: 'ledamot' } });
    const a = activities();
    const now = Date.parse(at('2037-02-19'));
    const items = (await db.prisma.agendaItem.findMany({ where: { meetingId: feb.id }, orderBy: { number: 'asc' } })).map((i) => ({ id: i.id }));
    const [edit, fixed] = await Promise.allSettled([a.saveAgenda({ meetingId: feb.id, now, actor: 'x', items: [...items, { title: 'Punkt i sista stund' }] }), a.fixKallelse({ meetingId: feb.id, now })]);
    expect(fixed).toMatchObject({ status: 'fulfilled', value: { fixed: true } });
    const added = await db.prisma.agendaItem.count({ where: { meetingId: feb.id, title: 'Punkt i sista stund' } });
    if (edit.status === 'fulfilled') expect(added).toBe(1);
    else expect([added, (edit.reason as { type?: string }).type]).toEqual([0, 'Refused']);
    // Now the kallelse is fixed: an edit is refused, and what it recorded as called is who gets it.
    await expect(a.saveAgenda({ meetingId: feb.id, now, actor: 'x', items })).rejects.toMatchObject({ type: 'Refused' });
    expect(await db.prisma.attendance.count({ where: { meetingId: feb.id, kallelseAt: { not: null } } })).toBe(4);
    await a.deliverMeetingMails({ meetingId: feb.id, now });
    // A förhinder after it: the ersättare is called in with the agenda, not sent the kallelse as one of those it called.
    await a.commitDecline({ meetingId: feb.id, now, actor: 'x', personId: person('l-fk').id });
    await a.deliverMeetingMails({ meetingId: feb.id, now });
    expect(smtp.messages.filter((m) => keyOf(m).startsWith(`kallelse:${feb.id}:`) && keyOf(m) !== `kallelse:${feb.id}:for-information`).flatMap(toOf).sort()).toEqual(['l-af@race.example', 'l-fk@race.example', 'l-kommun@race.example', 'l-region@race.example']);
    expect(text(mailTo('e-fk@race.example', 'invite:'))).toContain('Föredragningslista');
  }, 60_000);

  it('a cancelled meeting refuses "kallelse now" and agenda edits at once, and its run ends', async () => {
    const { feb } = await setUp('cancel');
    await db.prisma.meeting.update({ where: { id: feb.id }, data: { status: 'cancelled', sequence: { increment: 1 } } });
    const started = Date.now();
    expect(await refusal(notifier.update({ meetingId: feb.id }, sendKallelseNow, [SECRETARY]))).toMatch(/cancelled/);
    expect(await refusal(notifier.update({ meetingId: feb.id }, editAgenda, [{ ...SECRETARY, items: [{ title: 'Ny punkt' }] }]))).toMatch(/cancelled/);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await env.client.workflow.getHandle(meetingWorkflowId(feb.id)).result()).toBe('cancelled');
    expect(await db.prisma.agendaItem.count({ where: { meetingId: feb.id, title: 'Ny punkt' } })).toBe(0);
    await recordHistory(env.client.workflow.getHandle(meetingWorkflowId(feb.id)), 'styrelsemote-cancelled');
  }, 60_000);

  it('two "send the minutes" at once: one is taken, the other refused; one justerare gets the protokoll; decisions are fixed from then on', async () => {
    const { feb, items } = await heldMeeting('twice');
    await advanceTo(env, at('2037-02-27', '09:00'));
    expect(await notifier.meetingChanged(feb.id, 'test')).toBe(true);
    const handle = env.client.workflow.getHandle(meetingWorkflowId(feb.id));
    await eventually(async () => expect(await handle.query(meetingStage)).toBe('held'), 20_000);
    const both = await Promise.allSettled([
      notifier.update({ meetingId: feb.id }, sendMinutes, [{ ...SECRETARY, justerare: 'l-region' }]),
      notifier.update({ meetingId: feb.id }, sendMinutes, [{ ...SECRETARY, justerare: 'l-fk' }]),
    ]);
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const no = both.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(await refusal(Promise.reject(no.reason))).toMatch(/already been sent to the justerare/);
    const taken = (both.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ justerare: string }>).value.justerare;
    expect((await db.prisma.meeting.findUniqueOrThrow({ where: { id: feb.id } })).justerare).toBe(taken);
    // The protokoll goes to the justerare taken and to the ordförande, who signs too; not to the other.
    await eventually(() => expect(smtp.messages.filter((m) => keyOf(m).startsWith('minutes:')).flatMap(toOf).sort()).toEqual([`${taken}@twice.example`, 'l-kommun@twice.example'].sort()));
    expect(await refusal(notifier.update({ meetingId: feb.id }, recordDecision, [{ ...SECRETARY, itemId: items[0].id, decision: 'Ändrat.', version: items[0].version }]))).toMatch(/sent to the justerare: decisions can no longer be changed/);
    await notifier.update({ meetingId: feb.id }, justeraMinutes, [SECRETARY]);
    expect(await refusal(notifier.update({ meetingId: feb.id }, justeraMinutes, [SECRETARY]))).toMatch(/already justerade|process has ended/);
    expect(await handle.result()).toBe('decisions sent to the members');
  }, 60_000);

  it('with the mail server away over the kallelse day, a förhinder is answered at once and the kallelse waits as a pending step; all goes when the server is back', async () => {
    const { forbundId, feb, person } = await setUp('outage');
    expect(await notifier.meetingChanged(feb.id, 'calendar adopted')).toBe(true);
    const handle = env.client.workflow.getHandle(meetingWorkflowId(feb.id));
    await eventually(() => expect(smtp.messages.filter((m) => keyOf(m).startsWith(`invite:${feb.id}:0:`))).toHaveLength(5));
    await advanceTo(env, at('2037-02-18', '12:00'));
    await smtp.down();
    try {
      const asked = Date.now();
      const declined = await notifier.update({ meetingId: feb.id }, declineMeeting, [{ actor: 'decline-link', personId: person('l-fk').id }]);
      expect(Date.now() - asked).toBeLessThan(10_000);
      expect(declined.calledIn).toBe('Eva Kassa');
      // Over the kallelse day (Thu 19 Feb 08:00) and 13.5 hours on: the steps' retries run out.
      await advanceTo(env, at('2037-02-19', '21:30'));
      const failed = await eventually(() => db.prisma.notification.findFirstOrThrow({ where: { forbundId, key: { startsWith: `step-failed:${feb.id}:` }, status: 'failed', resolvedAt: null } }), 20_000);
      expect(failed.subject).toBe('E-post om Styrelsemöte 2037-02-26: kallelse, inkallade ersättare, förhinder eller protokoll');
      expect((await handle.describe()).status.name).toBe('RUNNING');
      // The record says what the kallelse is: the agenda fixed and who is called, l-fk not among them.
      const m = await db.prisma.meeting.findUniqueOrThrow({ where: { id: feb.id } });
      expect(m.kallelseSentAt).not.toBeNull();
      const called = await db.prisma.attendance.findMany({ where: { meetingId: feb.id, kallelseAt: { not: null } }, include: { person: true } });
      expect(called.map((c) => c.person.key).sort()).toEqual(['e-fk', 'l-af', 'l-kommun', 'l-region']);
    } finally {
      await smtp.up();
    }
    await advanceTo(env, at('2037-02-19', '23:00'));
    await eventually(() => expect(smtp.messages.filter((m) => keyOf(m).startsWith(`kallelse:${feb.id}:`))).toHaveLength(5), 20_000);
    for (const key of ['e-fk', 'l-af', 'l-kommun', 'l-region']) expect(keyOf(mailTo(`${key}@outage.example`, 'kallelse:'))).toBe(`kallelse:${feb.id}:${person(key).id}`);
    expect(mailsTo('l-fk@outage.example').some((m) => keyOf(m).startsWith('kallelse:'))).toBe(false);
    await eventually(() => mailTo('l-fk@outage.example', 'declined:'));
    await eventually(() => mailTo('e-fk@outage.example', 'invite:'));
    await eventually(async () => expect(await db.prisma.notification.count({ where: { forbundId, key: { startsWith: `step-failed:${feb.id}:` }, resolvedAt: null } })).toBe(0));
    await recordHistory(handle, 'styrelsemote-step-failed');
  }, 120_000);
});

describe('the history of a board meeting stays small', () => {
  it('an April meeting whose workflow starts in January has fewer than 150 events when it is held: it wakes for its steps and for changes, not daily', async () => {
    const { apr } = await setUp('budget');
    expect(await notifier.meetingChanged(apr.id, 'calendar adopted')).toBe(true);
    const handle = env.client.workflow.getHandle(meetingWorkflowId(apr.id));
    await eventually(() => expect(smtp.messages.filter((m) => keyOf(m).startsWith(`invite:${apr.id}:0:`))).toHaveLength(5));
    await advanceTo(env, at('2037-04-23', '12:05'));
    await eventually(async () => expect(await handle.query(meetingStage)).toBe('held'), 20_000);
    const events = (await handle.fetchHistory()).events ?? [];
    expect(smtp.messages.filter((m) => keyOf(m).startsWith(`kallelse:${apr.id}:`)).length).toBeGreaterThan(0);
    // 108 days: a daily re-read alone would be some 650 events.
    expect(events.length).toBeLessThan(150);
  }, 90_000);
});

describe('a protokoll the law accepts: from the invite to the anslag', () => {
  it('närvaro, a jävig ledamot replaced by her own member\'s ersättare for one §, a reservation, two justerare and the ordförande signing by link, the PDF\'s hash, the anslag page and its taken-down date', async () => {
    const { forbundId, feb, person } = await setUp('record');
    const application = await registerMatter(db.prisma, forbundId, { title: 'Ansökan om medel: Steg framåt', kind: 'funding_application', owner: 'official' }, new Date('2037-01-05T08:30:00Z'), OFFICIAL.actor);
    await notifier.update({ matterId: application.id }, markPrepared, [OFFICIAL]);
    expect(await notifier.meetingChanged(feb.id, 'calendar adopted')).toBe(true);
    const handle = env.client.workflow.getHandle(meetingWorkflowId(feb.id));
    await eventually(() => expect(smtp.messages.filter((m) => keyOf(m).startsWith(`invite:${feb.id}:0:`))).toHaveLength(5));
    // The kallelse goes on its day; the meeting is held; the secretary records a decision on each item.
    await advanceTo(env, at('2037-02-26', '12:05'));
    await eventually(async () => expect(await handle.query(meetingStage)).toBe('held'), 20_000);
    expect(smtp.messages.filter((m) => keyOf(m).startsWith(`kallelse:${feb.id}:`)).length).toBeGreaterThan(0);
    const process = (await handle.describe()).runId;
    const items = await db.prisma.agendaItem.findMany({ where: { meetingId: feb.id }, include: { matter: true }, orderBy: { number: 'asc' } });
    for (const i of items) await notifier.update({ meetingId: feb.id }, recordDecision, [{ ...SECRETARY, itemId: i.id, decision: i.matter ? `Styrelsen beslutar i ärendet ${i.matter.dnr}.` : `Beslut ${i.number}.`, version: i.version }]);
    const matterItem = items.find((i) => i.matterId === application.id)!;

    // Närvaro: three ledamöter, the Försäkringskassan ersättare serving for its absent ledamot, the municipality's ersättare present.
    const narvaro = await notifier.update({ meetingId: feb.id }, recordNarvaro, [{ ...SECRETARY, narvaro: { beslutande: ['l-kommun', 'l-region', 'l-af'], tjanstgorande: [{ person: 'e-fk', for: 'l-fk' }], ersattare: ['e-kommun'], others: [{ name: 'Örjan Tjänsteman', title: 'förbundschef' }, { name: 'Sara Sekreterare', title: 'sekreterare' }] } }]);
    expect(narvaro.board.find((p) => p.personId === person('e-fk').id)).toMatchObject({ role: 'tjanstgorande', forPersonId: person('l-fk').id });
    // Another member's ersättare cannot serve for a ledamot (Finsamlagen 12 §).
    expect(await refusal(notifier.update({ meetingId: feb.id }, recordNarvaro, [{ ...SECRETARY, narvaro: { beslutande: ['l-kommun', 'l-region', 'l-af'], tjanstgorande: [{ person: 'e-region', for: 'l-fk' }], ersattare: [], others: [] } }]))).toMatch(/same member|samma medlem/i);
    // § 6: Karin Kommun is jävig; Elsa Kommun (the same member's ersättare, present) serves for that §; Arne Förmedling reserves himself.
    const record = await notifier.update({ meetingId: feb.id }, recordParagraph, [{ ...SECRETARY, itemId: matterItem.id, record: { jav: ['l-kommun'], reservations: [{ person: 'l-af', text: 'Till förmån för eget yrkande om avslag.' }] } }]);
    expect(record.servingInstead).toEqual([{ personId: person('e-kommun').id, forPersonId: person('l-kommun').id }]);

    // To justering: two justerare, and the ordförande signs too; the exact PDF is kept with its SHA-256.
    await notifier.update({ meetingId: feb.id }, sendMinutes, [{ ...SECRETARY, justerare: 'l-region', justerare2: 'l-af', justeringPlace: 'Förbundets kansli, Kumla' }]);
    const doc = await db.prisma.protocolDocument.findUniqueOrThrow({ where: { meetingId: feb.id } });
    expect(createHash('sha256').update(doc.pdf).digest('hex')).toBe(doc.sha256);
    const signed = await pdfText(Buffer.from(doc.pdf));
    for (const part of ['Närvaro', 'Frida Kassa', 'Eva Kassa', 'Karin Kommun', 'Elsa Kommun', 'Reservation', 'Till förmån för eget yrkande om avslag.', 'Justering', 'Förbundets kansli, Kumla', 'Rolf Region', 'Arne Förmedling', 'ANSLAG/BEVIS']) expect(signed).toContain(part);
    const signers = ['l-kommun', 'l-region', 'l-af'];
    for (const key of signers) {
      const mail = await eventually(() => mailTo(`${key}@record.example`, 'minutes:'));
      expect(text(mail)).toContain(`/meetings/${feb.id}/justera/${person(key).id}?token=`);
      expect(text(mail)).toContain(doc.sha256);
    }
    // A PDF other than the one sent is refused; somebody who does not sign is refused.
    const sign = (key: string, sha = doc.sha256) => notifier.update({ meetingId: feb.id }, signMinutes, [{ actor: 'justering-link', personId: person(key).id, pdfSha256: sha, fromAddress: '203.0.113.7', userAgent: 'test' }]);
    expect(await refusal(sign('l-region', 'f'.repeat(64)))).toMatch(/not the one that was shown/);
    expect(await refusal(sign('e-af'))).toMatch(/does not sign/);
    await advanceTo(env, at('2037-03-02', '10:00'));
    // Each signs through the personal link of their mail: the page shows the protokoll and its checksum, then records the signature.
    const app = (now: string) => createApp({ prisma: db.prisma, notifier, publicBaseUrl: 'http://localhost:3000', linkSecret: LINK_SECRET, now: () => new Date(at(now)) });
    const signByLink = async (key: string) => {
      const link = text(mailTo(`${key}@record.example`, 'minutes:')).match(/http:\/\/localhost:3000(\/meetings\/\S+\/justera\/\S+\?token=\S+)/)![1];
      const shown = await request(app('2037-03-02')).get(link);
      expect(shown.status).toBe(200);
      expect(shown.text).toContain(doc.sha256);
      const sha = shown.text.match(/name="sha256" value="([0-9a-f]{64})"/)![1];
      return request(app('2037-03-02')).post(link).type('form').send({ sha256: sha });
    };
    const first = await signByLink('l-region');
    expect(first.status).toBe(200);
    expect(first.text).toContain('Rolf Region');
    expect((await signByLink('l-af')).status).toBe(200);
    expect(await db.prisma.meeting.findUniqueOrThrow({ where: { id: feb.id } })).toMatchObject({ justeradAt: null });
    const lastPage = await signByLink('l-kommun');
    expect(lastPage.status).toBe(200);
    expect(lastPage.text).toMatch(/justerat/);
    const last = { justeradAt: (await db.prisma.meeting.findUniqueOrThrow({ where: { id: feb.id } })).justeradAt?.toISOString() ?? null };
    expect(last.justeradAt).not.toBeNull();
    expect(await handle.result()).toBe('decisions sent to the members');
    const m = await db.prisma.meeting.findUniqueOrThrow({ where: { id: feb.id } });
    expect(m.anslagPostedAt?.toISOString()).toBe(last.justeradAt);
    expect(m.anslagRemovedOn?.toISOString().slice(0, 10)).toBe('2037-03-23');
    const signatures = await db.prisma.signature.findMany({ where: { meetingId: feb.id } });
    expect(signatures.map((s) => [s.role, s.pdfSha256 === doc.sha256]).sort()).toEqual([['justerare', true], ['justerare', true], ['ordforande', true]]);
    for (const sig of signatures) expect(sig.fromAddress).not.toBe('');
    // Justerat: nothing changes any more, at the workflow and in the database.
    expect(await refusal(notifier.update({ meetingId: feb.id }, recordParagraph, [{ ...SECRETARY, itemId: matterItem.id, record: {} }]))).toMatch(/process has ended/);
    await expect(activities().saveParagraphRecord({ meetingId: feb.id, now: Date.parse(at('2037-03-03')), actor: 'x', itemId: matterItem.id, record: {} })).rejects.toMatchObject({ type: 'Refused' });

    // The members' registrators get the justerat protokoll, ending with the signatures and the filled-in ANSLAG/BEVIS.
    const toRegistrator = await eventually(() => mailTo('registrator@kommunen.example', 'decisions:'));
    const filed = await pdfText(toRegistrator.attachments.find((a) => a.contentType === 'application/pdf')!.content);
    for (const part of ['ANSLAG/BEVIS', '2 mars 2037', '23 mars 2037', doc.sha256]) expect(filed).toContain(part);

    // The anslagstavla: the tillkännagivande, the date it comes down and the appeal window.
    const page = await request(app('2037-03-05')).get('/forbund/record/anslag');
    expect(page.status).toBe(200);
    const board = page.text.replace(/\u00a0/g, ' ');
    expect(board).toContain('23 mars 2037');
    expect(board).toContain(doc.sha256);
    expect(board).toMatch(/inom tre veckor/);
    const later = await request(app('2037-03-24')).get('/forbund/record/anslag');
    expect(later.text.replace(/\u00a0/g, ' ')).toMatch(/Tidigare anslag/);
    expect(later.text).not.toMatch(/inom tre veckor/);
    // The run that took the meeting to its end (the refused update after it started a run of its own).
    await recordHistory(env.client.workflow.getHandle(meetingWorkflowId(feb.id), process), 'styrelsemote-signed');
  }, 120_000);
});

describe('a ledamot who can come after all', () => {
  it('withdraws the förhinder before the meeting: called again, the ersättare called in is released with a CANCEL; after the meeting has begun it is refused', async () => {
    const { feb, person } = await setUp('withdraw');
    expect(await notifier.meetingChanged(feb.id, 'calendar adopted')).toBe(true);
    await eventually(() => expect(smtp.messages.filter((m) => keyOf(m).startsWith(`invite:${feb.id}:0:`))).toHaveLength(5));
    const declined = await notifier.update({ meetingId: feb.id }, declineMeeting, [{ actor: 'decline-link', personId: person('l-kommun').id }]);
    expect(declined.calledIn).toBe('Elsa Kommun');
    await eventually(() => mailTo('e-kommun@withdraw.example', 'invite:'));
    const back = await notifier.update({ meetingId: feb.id }, withdrawDecline, [{ actor: 'decline-link', personId: person('l-kommun').id }]);
    expect(back).toEqual({ back: 'Karin Kommun', released: 'Elsa Kommun', quorum: { seats: 4, expected: 4, needed: 3, quorate: true } });
    const released = await eventually(() => mailTo('e-kommun@withdraw.example', 'released:'));
    expect(text(released)).toContain('Ledamoten Karin Kommun kan ändå komma');
    expect(calendarOf(released)).toMatchObject({ method: 'CANCEL', uid: `meeting-${feb.id}@arscykel`, attendees: ['e-kommun@withdraw.example'] });
    const confirmed = await eventually(() => mailTo('l-kommun@withdraw.example', 'withdrawn:'));
    expect(text(confirmed)).toContain('Ditt förhinder till');
    expect(ccOf(confirmed)).toEqual(['secretary@withdraw.example']);
    const rows = await db.prisma.attendance.findMany({ where: { meetingId: feb.id }, include: { person: true } });
    expect(rows.map((r) => [r.person.key, r.status]).sort()).toEqual([['e-kommun', 'released'], ['l-af', 'invited'], ['l-fk', 'invited'], ['l-kommun', 'invited'], ['l-region', 'invited']]);
    // Nothing to take back a second time; after the meeting has begun, nothing at all.
    expect(await refusal(notifier.update({ meetingId: feb.id }, withdrawDecline, [{ actor: 'decline-link', personId: person('l-kommun').id }]))).toMatch(/has no förhinder recorded/);
    await notifier.update({ meetingId: feb.id }, declineMeeting, [{ actor: 'decline-link', personId: person('l-fk').id }]);
    await advanceTo(env, at('2037-02-26', '09:30'));
    expect(await refusal(notifier.update({ meetingId: feb.id }, withdrawDecline, [{ actor: 'decline-link', personId: person('l-fk').id }]))).toMatch(/has begun/);
    await recordHistory(env.client.workflow.getHandle(meetingWorkflowId(feb.id)), 'styrelsemote-withdrawn');
  }, 90_000);
});
