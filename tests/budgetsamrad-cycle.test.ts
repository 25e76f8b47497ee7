// The budget decided in time as steps of the årscykel (services/arscykel.ts loadCyclePlan,
// activities/arscykel.ts performCycleStep), run as the workflow runs them, with a fixed `now`, the
// real mailer, a real database and an SMTP server in this process: the samråd's proposal to each
// member (its registrator, else its ledamöter), the reminder to the members without a reply only,
// and in October the notice to the official and the presidium for a förbund whose plan has no board
// meeting in October or November, none for one whose November meeting has the budget. 2037 has
// 2026's calendar: Thursday 1 October is the first working day of October.
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cycleActivities } from '../activities/arscykel.js';
import { createMailer } from '../activities/mail.js';
import { stockholmDateTime } from '../domain/dates.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Step } from '../domain/schedule.js';
import type { Database } from '../prisma/db.js';
import { loadCyclePlan, octoberKey, octoberNoticeOf } from '../services/arscykel.js';
import { recordReply, startConsultation } from '../services/budgetsamrad.js';
import { importForbund } from '../services/import.js';
import { testDatabase } from './support/database.js';
import { ccOf, keyOf, toOf } from './support/mails.js';
import { RecordingNotifier } from './support/notifier.js';
import { startSmtpServer, type TestSmtpServer } from './support/smtp.js';

// Three board meetings, none in October or November (A); or one on 19 November with the budget (B).
const fileFor = (slug: string, november: boolean) => `
forbund:
  id: ${slug}
  name: Samordningsförbundet ${slug.toUpperCase()}
  email: kansli@${slug}.example
  year: 2037
  goLive: 2037-01-02
members:
  - { id: kommunen, name: Åby kommun, kind: municipality, email: registrator@aby.example }
  - { id: regionen, name: Region Östra Sjö, kind: region }
  - { id: fk, name: Försäkringskassan, kind: forsakringskassan, email: registrator@fk.example }
  - { id: af, name: Arbetsförmedlingen, kind: arbetsformedlingen }
people:
  - { id: official, name: Örjan Tjänsteman, email: official@${slug}.example, roles: [official] }
  - { id: secretary, name: Sara Sekreterare, email: secretary@${slug}.example, roles: [secretary] }
  - { id: chair, name: Ordf Örn, email: chair@${slug}.example, roles: [board_member] }
  - { id: vice, name: Vice Vik, email: vice@${slug}.example, roles: [board_member] }
bodies:
  styrelse:
    members:
      - { person: chair, role: chair, member: kommunen }
      - { person: vice, role: vice_chair, member: regionen }
  presidium:
    members:
      - { person: chair, role: chair }
      - { person: vice, role: vice_chair }
projects: []
cycle:
  kallelseDays: 7
  meetings:
    - { id: styrelse-02, body: styrelse, date: 2037-02-26 }
    - { id: styrelse-08, body: styrelse, date: 2037-08-27 }
${november ? '    - { id: styrelse-11, body: styrelse, date: 2037-11-19 }\n' : ''}    - { id: styrelse-12, body: styrelse, date: 2037-12-10 }
  milestones:
    bokslut: false
    budgetDialogue: false
    halfYearReports: false
    delar: false
    budgetFollowUp: false
    vpBudget: { meeting: ${november ? 'styrelse-11' : 'styrelse-12'}, owner: official }
    nextCalendar: false
    stateAllocation: false
    attestReview: false
`;

const at8 = (date: string) => stockholmDateTime(date, '08:00');

let db: Database;
let smtp: TestSmtpServer;
let acts: ReturnType<typeof cycleActivities>;
const notifier = new RecordingNotifier();
const ids = { a: '', b: '' };

beforeAll(async () => {
  [db, smtp] = await Promise.all([testDatabase(), startSmtpServer()]);
  acts = cycleActivities({ prisma: db.prisma, mailer: createMailer({ prisma: db.prisma, transport: smtp.transport, log: () => {} }), publicBaseUrl: 'https://arscykel.example', linkSecret: 'c'.repeat(32), searchAttributes: false });
  ids.a = (await importForbund(db.prisma, parseForbundFile(fileFor('utan', false), 'utan.yaml'), { year: 2037, actor: 'test' })).forbundId;
  ids.b = (await importForbund(db.prisma, parseForbundFile(fileFor('med', true), 'med.yaml'), { year: 2037, actor: 'test' })).forbundId;
}, 120_000);

afterAll(async () => {
  await Promise.all([db?.close(), smtp?.close()]);
});

beforeEach(() => smtp.clear());

/** The year's steps of `kind` due by `now`, not yet carried out, carried out as the workflow does (each once). */
async function runDue(forbundId: string, now: Date, kind: (k: string) => boolean): Promise<{ step: Step; outcome: string }[]> {
  const plan = (await loadCyclePlan(db.prisma, forbundId, 2037, now))!;
  const due = plan.steps.filter((s) => kind(s.kind) && new Date(s.at) <= now && !plan.sent.has(s.key));
  const out = [];
  for (const step of due) out.push({ step, outcome: await acts.performCycleStep({ forbundId, year: 2037, step, now: now.getTime() }) });
  return out;
}
const byTo = (ms: ParsedMail[]) => new Map(ms.map((m) => [toOf(m).join(','), m]));

describe('the samråd on the budget as steps of the årscykel', () => {
  it('the proposal goes once to each member: its registrator, else its ledamot; a member with neither gets none', async () => {
    const now = new Date('2037-04-06T08:00:00Z');
    await startConsultation({ prisma: db.prisma, notifier, now: () => now }, ids.a, 2038, { replyBy: '2037-05-15', message: 'Förslaget bygger på oförändrade medlemsbidrag.' }, 'test', now);
    const plan = (await loadCyclePlan(db.prisma, ids.a, 2037, now))!;
    const samrad = plan.steps.filter((s) => s.kind.startsWith('samrad-'));
    // Four members consulted; three with someone to mail (Arbetsförmedlingen has neither a registrator
    // nor a ledamot: no step that would only be skipped): each a proposal now, a reminder Friday 8 May
    // and one Monday 18 May.
    expect(await db.prisma.budgetConsultation.count({ where: { forbundId: ids.a, year: 2038 } })).toBe(4);
    expect(samrad.filter((s) => s.kind === 'samrad-sent')).toHaveLength(3);
    expect(samrad.filter((s) => s.kind === 'samrad-reminder').map((s) => s.at)).toEqual(Array(3).fill(at8('2037-05-08').toISOString()));
    expect(samrad.filter((s) => s.kind === 'samrad-late').map((s) => s.at)).toEqual(Array(3).fill(at8('2037-05-18').toISOString()));
    const rows = await db.prisma.budgetConsultation.findMany({ where: { forbundId: ids.a }, include: { member: true } });
    for (const s of samrad) expect(s.key).toMatch(new RegExp(`^samrad:(${rows.map((r) => r.id).join('|')}):(sent|reminder|late)$`));

    const ran = await runDue(ids.a, now, (k) => k === 'samrad-sent');
    expect(ran.map((r) => r.outcome)).toEqual(['sent', 'sent', 'sent']);
    const mails = byTo(smtp.messages);
    expect([...mails.keys()].sort()).toEqual(['registrator@aby.example', 'registrator@fk.example', 'vice@utan.example']);
    const aby = mails.get('registrator@aby.example')!;
    expect(aby.subject).toBe('Samråd om budget 2038: svar senast 15 maj 2037 – Samordningsförbundet UTAN');
    expect(aby.text).toContain('Till Åby kommun,');
    expect(aby.text).toContain('Förslaget bygger på oförändrade medlemsbidrag.');
    expect(aby.text).toContain('fredagen den 15 maj 2037');
    expect(keyOf(aby)).toBe(`samrad:${rows.find((r) => r.member.key === 'kommunen')!.id}:sent`);
    expect(mails.get('vice@utan.example')!.text).toContain('Till Region Östra Sjö,');

    // Once: the next plan has them done, and the step again sends nothing.
    smtp.clear();
    expect(await runDue(ids.a, new Date('2037-04-07T08:00:00Z'), (k) => k === 'samrad-sent')).toEqual([]);
    const step = samrad.find((s) => s.kind === 'samrad-sent' && s.key.includes(rows.find((r) => r.member.key === 'fk')!.id))!;
    expect(await acts.performCycleStep({ forbundId: ids.a, year: 2037, step, now: now.getTime() })).toBe('skipped');
    expect(smtp.messages).toHaveLength(0);
  });

  it('the reminder goes to the members without a reply only', async () => {
    await recordReply({ prisma: db.prisma, notifier, now: () => new Date('2037-05-04T10:00:00Z') }, ids.a, 2038, 'kommunen', { repliedOn: '2037-05-04', reply: 'Vi tillstyrker förslaget.' }, 'test');
    const now = at8('2037-05-08');
    const plan = (await loadCyclePlan(db.prisma, ids.a, 2037, now))!;
    expect(plan.steps.filter((s) => s.kind === 'samrad-reminder')).toHaveLength(2);
    const ran = await runDue(ids.a, now, (k) => k === 'samrad-reminder');
    expect(ran.map((r) => r.outcome)).toEqual(['sent', 'sent']);
    expect(smtp.messages.flatMap(toOf).sort()).toEqual(['registrator@fk.example', 'vice@utan.example']);
    const fk = byTo(smtp.messages).get('registrator@fk.example')!;
    expect(fk.subject).toBe('Påminnelse: samråd om budget 2038, svar senast 15 maj 2037 – Samordningsförbundet UTAN');
    expect((await db.prisma.budgetConsultation.findFirstOrThrow({ where: { forbundId: ids.a, member: { key: 'fk' } } })).reminders).toEqual(['reminder']);

    // A reminder step of the member that replied (planned before its reply) is skipped.
    const kommunen = await db.prisma.budgetConsultation.findFirstOrThrow({ where: { forbundId: ids.a, member: { key: 'kommunen' } } });
    smtp.clear();
    const stale: Step = { key: `samrad:${kommunen.id}:reminder`, group: `samrad:${kommunen.id}:reminders`, at: now.toISOString(), kind: 'samrad-reminder', subjectId: kommunen.id, summary: 'stale' };
    expect(await acts.performCycleStep({ forbundId: ids.a, year: 2037, step: stale, now: now.getTime() })).toBe('skipped');
    expect(smtp.messages).toHaveLength(0);

    // After the reply date: "försenat" (the official's copy goes in the day's digest); still not to the member that replied.
    await recordReply({ prisma: db.prisma, notifier, now: () => new Date('2037-05-12T10:00:00Z') }, ids.a, 2038, 'fk', { repliedOn: '2037-05-12', reply: 'Inga synpunkter.' }, 'test');
    const late = await runDue(ids.a, at8('2037-05-18'), (k) => k === 'samrad-late');
    expect(late.map((r) => r.outcome)).toEqual(['sent']);
    expect(smtp.messages.map((m) => [toOf(m), ccOf(m), m.subject])).toEqual([[['vice@utan.example'], [], 'Försenat svar: samråd om budget 2038 – Samordningsförbundet UTAN']]);
    expect(await db.prisma.notification.count({ where: { forbundId: ids.a, key: { startsWith: 'samrad:' }, kind: 'money.samrad-reminder' } })).toBe(3);
  });
});

describe('the October notice', () => {
  it('goes to the official and the presidium on the first working day of October when no board meeting by 30 November has the budget', async () => {
    const plan = (await loadCyclePlan(db.prisma, ids.a, 2037, new Date('2037-06-01T08:00:00Z')))!;
    expect(plan.steps.filter((s) => s.kind === 'budget-october')).toEqual([expect.objectContaining({ key: octoberKey(ids.a, 2037), at: at8('2037-10-01').toISOString() })]);
    expect(await runDue(ids.a, new Date('2037-09-30T08:00:00Z'), (k) => k === 'budget-october')).toEqual([]);
    const ran = await runDue(ids.a, at8('2037-10-01'), (k) => k === 'budget-october');
    expect(ran.map((r) => r.outcome)).toEqual(['sent']);
    expect(smtp.messages).toHaveLength(1);
    const [m] = smtp.messages;
    expect(toOf(m).sort()).toEqual(['chair@utan.example', 'official@utan.example', 'vice@utan.example']);
    expect(m.subject).toBe('Budget 2038: ett extra styrelsemöte behövs före 30 november 2037 – Samordningsförbundet UTAN');
    expect(m.text).toContain('Till verkställande tjänsteman och presidiet,');
    expect(m.text).toContain('Ett extra sammanträde behöver kallas in');
    // Once.
    smtp.clear();
    expect(await runDue(ids.a, at8('2037-10-02'), (k) => k === 'budget-october')).toEqual([]);
  });

  it('with a board meeting in November not holding the budget: the day its agenda closes', async () => {
    const dec = await db.prisma.meeting.findFirstOrThrow({ where: { forbundId: ids.a, kind: 'styrelse', year: 2037 }, orderBy: { startsAt: 'desc' } });
    const nov = await db.prisma.meeting.create({ data: { forbundId: ids.a, key: 'styrelse-11-extra', kind: 'styrelse', title: 'Styrelsemöte', year: 2037, startsAt: stockholmDateTime('2037-11-12', '09:00'), endsAt: stockholmDateTime('2037-11-12', '12:00'), status: 'planned' } });
    const forbund = await db.prisma.forbund.findUniqueOrThrow({ where: { id: ids.a } });
    expect(await octoberNoticeOf(db.prisma, forbund, 2037)).toMatchObject({ kind: 'agenda', meetingId: nov.id, meetingDate: '2037-11-12' });
    // The milestone moved to that meeting: no notice.
    await db.prisma.milestone.updateMany({ where: { forbundId: ids.a, kind: 'vpBudget' }, data: { meetingId: nov.id } });
    expect(await octoberNoticeOf(db.prisma, forbund, 2037)).toBeUndefined();
    // …nor on the beredningsgrupp that prepares it (as Sydnärke's plan has it).
    const bg = await db.prisma.meeting.create({ data: { forbundId: ids.a, key: 'beredningsgrupp-11-extra', kind: 'beredningsgrupp', title: 'Beredningsgrupp', year: 2037, startsAt: stockholmDateTime('2037-10-22', '09:00'), endsAt: stockholmDateTime('2037-10-22', '11:00'), status: 'planned', forMeetingId: nov.id } });
    await db.prisma.milestone.updateMany({ where: { forbundId: ids.a, kind: 'vpBudget' }, data: { meetingId: bg.id } });
    expect(await octoberNoticeOf(db.prisma, forbund, 2037)).toBeUndefined();
    // …unless the meeting is cancelled.
    await db.prisma.meeting.update({ where: { id: nov.id }, data: { status: 'cancelled' } });
    expect(await octoberNoticeOf(db.prisma, forbund, 2037)).toMatchObject({ kind: 'extra' });
    // Next year's budget adopted: none.
    await db.prisma.budgetYear.upsert({ where: { forbundId_year: { forbundId: ids.a, year: 2038 } }, create: { forbundId: ids.a, year: 2038, adoptedAt: new Date('2037-09-24T12:00:00Z'), adoptedBy: 'beslut 2037-00031 § 7' }, update: { adoptedAt: new Date('2037-09-24T12:00:00Z'), adoptedBy: 'beslut 2037-00031 § 7' } });
    expect(await octoberNoticeOf(db.prisma, forbund, 2037)).toBeUndefined();
    await db.prisma.milestone.updateMany({ where: { forbundId: ids.a, kind: 'vpBudget' }, data: { meetingId: dec.id } });
  });

  it('is not sent for a förbund whose November board meeting has the budget', async () => {
    const plan = (await loadCyclePlan(db.prisma, ids.b, 2037, new Date('2037-06-01T08:00:00Z')))!;
    expect(plan.steps.filter((s) => s.kind === 'budget-october')).toEqual([]);
    expect(await runDue(ids.b, at8('2037-10-01'), (k) => k === 'budget-october')).toEqual([]);
    // A step planned before the meeting got it is skipped when it comes due.
    const step: Step = { key: octoberKey(ids.b, 2037), group: 'budget-october', at: at8('2037-10-01').toISOString(), kind: 'budget-october', subjectId: '2037', summary: 'stale' };
    expect(await acts.performCycleStep({ forbundId: ids.b, year: 2037, step, now: at8('2037-10-01').getTime() })).toBe('skipped');
    expect(smtp.messages).toHaveLength(0);
  });

  it('is not sent when the first working day of October is before go-live', async () => {
    await db.prisma.forbund.update({ where: { id: ids.a }, data: { goLiveOn: new Date('2037-10-02') } });
    await db.prisma.budgetYear.update({ where: { forbundId_year: { forbundId: ids.a, year: 2038 } }, data: { adoptedAt: null, adoptedBy: null } });
    const forbund = await db.prisma.forbund.findUniqueOrThrow({ where: { id: ids.a } });
    expect(await octoberNoticeOf(db.prisma, forbund, 2037)).toBeUndefined();
    expect((await loadCyclePlan(db.prisma, ids.a, 2037, new Date('2037-06-01T08:00:00Z')))!.steps.filter((s) => s.kind === 'budget-october')).toEqual([]);
  });
});
