// "Läget vid start" and a failed delivery sent again, over real HTTP (the app on an ephemeral
// port, PGlite or PostgreSQL): a förbund going live on Monday 14 September 2037 with two
// projects' quarterly reports and two milestones due before it. What was open at go-live is
// listed once (GET start-items), is not a pending step and not overdue, and is settled in bulk
// (POST start-items/settle: handled, redate, wanted) in one transaction, audited per item, the
// workflows told; bad input is a 400 naming the field, an item no longer on the list a 409, and
// nothing changes then. A failed mail: whether its workflow would send it again, the address
// corrected on the person and the failure removed (POST deliveries/:id/resend), or an honest 409.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import { createApiToken } from '../api/auth.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { isoDay } from '../services/rapportering.js';
import { testDatabase } from './support/database.js';
import { MEMBERS_YAML } from './support/fixtures.js';
import { apiCaller, fieldsOf, serve, type Json } from './support/http.js';
import { RecordingNotifier } from './support/notifier.js';

// Monday 21 September 2037, 10:00 in Stockholm: a week after go-live.
const NOW = new Date('2037-09-21T08:00:00Z');
const clock = { now: NOW };

const FILE = `
forbund:
  id: startlaget
  name: Samordningsförbundet Startläget
  email: kansli@startlaget.example
  year: 2037
  goLive: 2037-09-14
${MEMBERS_YAML}
people:
  - { id: official, name: Örjan Tjänsteman, email: official@startlaget.example, roles: [official] }
  - { id: secretary, name: Sara Sekreterare, email: secretary@startlaget.example, roles: [secretary] }
  - { id: economist, name: Ekon Omsson, email: economist@startlaget.example, roles: [economist] }
  - { id: chair, name: Ordf Örn, email: chair@startlaget.example, roles: [board_member] }
  - { id: co-a, name: Åsa Kvartal, email: a@startlaget.example, roles: [coordinator] }
  - { id: co-b, name: Bo Andra, email: b@startlaget.example, roles: [coordinator] }
bodies:
  styrelse:
    members:
      - { person: chair, role: chair, member: kommunen }
  presidium:
    members:
      - { person: chair, role: chair }
reporting:
  kinds:
    quarterly: { dueDays: 15 }
  reminders: [14, 3, 0]
  overdue: { reminderDaysAfter: 1, escalateDaysAfter: 7 }
projects:
  - { id: kvartal, name: Kvartalet, coordinator: co-a, start: 2037-01-01, end: 2037-12-31, reports: [quarterly] }
  - { id: andra, name: Andra insatsen, coordinator: co-b, start: 2037-01-01, end: 2037-12-31, reports: [quarterly] }
cycle:
  defaults: { start: "09:00", end: "12:00" }
  kallelseDays: 7
  meetings:
    - { id: styrelse-02, body: styrelse, date: 2037-02-26 }
    - { id: styrelse-11, body: styrelse, date: 2037-11-26 }
  milestones:
    bokslut: { meeting: styrelse-02, owner: economist }
    budgetDialogue: { due: 2037-05-29, owner: official }
    vpBudget: { due: 2037-10-20, owner: official }
    halfYearReports: false
    delar: false
    budgetFollowUp: false
    nextCalendar: false
    stateAllocation: false
    attestReview: false
`;

let db: Database;
let served: Awaited<ReturnType<typeof serve>> | undefined;
let base: string;
let forbundId: string;
const notifier = new RecordingNotifier();
const tokens = { admin: '', secretary: '', board: '' };
const call = apiCaller(() => base);
const API = '/api/v1/forbund/startlaget';

/** The obligations of a project by quarter (1–4), and the milestones by kind. */
const ids = { kvartal: [] as string[], andra: [] as string[], kvartalProject: '', andraProject: '', ms: {} as Record<string, string> };

beforeAll(async () => {
  db = await testDatabase();
  forbundId = (await importForbund(db.prisma, parseForbundFile(FILE, 'startlaget.yaml'), { actor: 'test' })).forbundId;
  for (const key of ['kvartal', 'andra'] as const) {
    const p = await db.prisma.project.findFirstOrThrow({ where: { forbundId, key }, include: { obligations: { orderBy: { dueDate: 'asc' } } } });
    ids[key] = p.obligations.map((o) => o.id);
    ids[`${key}Project`] = p.id;
    expect(p.obligations.map((o) => isoDay(o.dueDate))).toEqual(['2037-04-15', '2037-07-15', '2037-10-15', '2038-01-15']);
  }
  for (const m of await db.prisma.milestone.findMany({ where: { forbundId } })) ids.ms[m.kind] = m.id;
  // Andra insatsen's first quarter came in on paper before go-live: submitted, not on the list.
  await db.prisma.reportingObligation.update({ where: { id: ids.andra[0] }, data: { status: 'submitted' } });
  tokens.admin = await createApiToken(db.prisma, { forbundId, name: 'Örjan Tjänsteman', role: 'admin' });
  tokens.secretary = await createApiToken(db.prisma, { forbundId, name: 'Sara Sekreterare', role: 'secretary' });
  tokens.board = await createApiToken(db.prisma, { forbundId, name: 'Ordf Örn', role: 'board_member' });
  served = await serve(createApp({ prisma: db.prisma, notifier, publicBaseUrl: 'https://arscykel.example', linkSecret: 'x'.repeat(32), now: () => clock.now }));
  base = served.base;
}, 60_000);

afterAll(async () => {
  await served?.close();
  await db?.close();
});

beforeEach(() => {
  clock.now = NOW;
  notifier.reset();
});

/** Everything settling may change, to show that a refusal changed nothing. */
async function snapshot() {
  const [obligations, milestones, audit, escalations] = await Promise.all([
    db.prisma.reportingObligation.findMany({ where: { project: { forbundId } }, orderBy: { id: 'asc' }, select: { id: true, status: true, dueDate: true, startSettledAt: true } }),
    db.prisma.milestone.findMany({ where: { forbundId }, orderBy: { id: 'asc' }, select: { id: true, status: true, dueDate: true, startSettledAt: true, sequence: true, doneBy: true } }),
    db.prisma.auditEvent.count({ where: { forbundId } }),
    db.prisma.escalation.count({ where: { forbundId } }),
  ]);
  return { obligations, milestones, audit, escalations };
}

const settle = (json: unknown, token = tokens.admin) => call(`${API}/start-items/settle`, { token, method: 'POST', json });
const startItems = async (token = tokens.admin) => {
  const r = await call(`${API}/start-items`, { token });
  expect(r.status).toBe(200);
  return r.json as { goLiveOn: string; data: Json[] };
};
const pending = async () => {
  const r = await call(`${API}/pending-steps?limit=200`, { token: tokens.admin });
  expect(r.status).toBe(200);
  return r.json.data as Json[];
};

describe('GET start-items', () => {
  it('lists what was open at go-live, once: the open reports and milestones due before it, with the go-live; the secretary reads it, a board member may not', async () => {
    const list = await startItems();
    expect(list.goLiveOn).toBe('2037-09-14');
    expect(list.data.map((x: Json) => [x.type, x.title, x.dueDate, x.project?.key ?? x.milestone.kind])).toEqual([
      ['report', 'Kvartalsrapport 1 januari–31 mars 2037', '2037-04-15', 'kvartal'],
      ['report', 'Kvartalsrapport 1 april–30 juni 2037', '2037-07-15', 'andra'],
      ['report', 'Kvartalsrapport 1 april–30 juni 2037', '2037-07-15', 'kvartal'],
      ['milestone', 'Årsredovisning och bokslut', '2037-02-12', 'bokslut'],
      ['milestone', 'Dialog med medlemmarna om budgetram', '2037-05-29', 'budgetDialogue'],
    ]);
    expect(list.data.every((x: Json) => x.plannedFrom === '2037-09-14')).toBe(true);
    expect(list.data.find((x: Json) => x.type === 'report' && x.project.key === 'kvartal')).toMatchObject({ report: { kind: 'quarterly', periodStart: '2037-01-01', periodEnd: '2037-03-31' } });
    expect((await startItems(tokens.secretary)).data).toHaveLength(5);
    expect((await call(`${API}/start-items`, { token: tokens.board })).status).toBe(403);
    expect((await call(`${API}/start-items`)).status).toBe(401);
  });

  it('none of it is a pending step or overdue; what falls due after go-live is', async () => {
    const steps = await pending();
    const onList = new Set([ids.kvartal[0], ids.kvartal[1], ids.andra[1], ids.ms.bokslut, ids.ms.budgetDialogue]);
    expect(steps.filter((s: Json) => onList.has(s.id))).toEqual([]);
    expect(steps.filter((s: Json) => s.overdue)).toEqual([]);
    expect(steps.filter((s: Json) => s.type === 'report').map((s: Json) => s.id).sort()).toEqual([ids.andra[2], ids.kvartal[2]].sort());
    expect(steps.find((s: Json) => s.id === ids.ms.vpBudget)).toMatchObject({ type: 'milestone', overdue: false, dueDate: '2037-10-20' });
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await call('/api/v1/openapi.json')).json;
    expect(Object.keys(doc.paths['/api/v1/forbund/{forbund}/start-items'])).toEqual(['get']);
    expect(doc.paths['/api/v1/forbund/{forbund}/start-items/settle'].post.requestBody.content['application/json'].example).toMatchObject({ action: 'redate' });
    expect(doc.paths['/api/v1/forbund/{forbund}/deliveries/{id}/resend'].post.summary).toMatch(/roles: admin/);
  });
});

describe('POST start-items/settle: refusals change nothing', () => {
  it('400 naming the field: a missing or wrong dueDate, an unknown id or type, a row twice, a bad action, no items; 409 for an item no longer on the list', async () => {
    const before = await snapshot();
    const q1 = { type: 'report', id: ids.kvartal[0] };
    const ms = { type: 'milestone', id: ids.ms.bokslut };
    const cases: [unknown, number, string[]][] = [
      [{ items: [q1], action: 'redate' }, 400, ['dueDate']],
      [{ items: [q1], action: 'redate', dueDate: '2037-02-30' }, 400, ['dueDate']],
      [{ items: [q1], action: 'redate', dueDate: '2037-09-20' }, 400, ['dueDate']], // yesterday
      [{ items: [ms, q1], action: 'redate', dueDate: '2037-03-30' }, 400, ['dueDate']],
      [{ items: [q1], action: 'handled', dueDate: '2037-10-30' }, 400, ['dueDate']],
      [{ items: [q1, { type: 'report', id: '00000000-0000-0000-0000-000000000000' }], action: 'handled' }, 400, ['items[1].id']],
      [{ items: [q1, { type: 'milestone', id: ids.kvartal[1] }], action: 'handled' }, 400, ['items[1].id']],
      [{ items: [q1, q1], action: 'handled' }, 400, ['items[1]']],
      [{ items: [{ type: 'project', id: ids.kvartalProject }], action: 'handled' }, 400, ['items[0].type']],
      [{ items: [q1], action: 'forget' }, 400, ['action']],
      [{ items: [], action: 'handled' }, 400, ['items']],
      [{ action: 'handled' }, 400, ['items']],
      [{ items: [q1], action: 'handled', extra: 1 }, 400, ['extra']],
      // Q3 falls due after go-live; Andra's Q1 is submitted; both are not on the list.
      [{ items: [q1, { type: 'report', id: ids.kvartal[2] }], action: 'handled' }, 409, ['items[1]']],
      [{ items: [{ type: 'report', id: ids.andra[0] }, ms], action: 'wanted' }, 409, ['items[0]']],
    ];
    for (const [body, status, fields] of cases) {
      const r = await settle(body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(fieldsOf(r), JSON.stringify(body)).toEqual(fields);
    }
    expect((await settle({ items: [q1], action: 'handled' }, tokens.secretary)).status).toBe(403);
    expect((await settle({ items: [q1], action: 'handled' }, tokens.board)).status).toBe(403);
    // Each says what is wrong, in the API's words.
    expect((await settle({ items: [q1], action: 'redate' })).json.error.message).toBe('dueDate: is required for action redate');
    expect((await settle({ items: [q1], action: 'redate', dueDate: '2037-09-20' })).json.error.message).toBe('dueDate: must be today (2037-09-21) or later');
    expect((await settle({ items: [q1, { type: 'report', id: ids.kvartal[2] }], action: 'handled' })).json.error.message).toBe('items[1]: not on the start list any more: it has a due date Årscykel acts on');
    expect((await settle({ items: [{ type: 'report', id: ids.andra[0] }], action: 'handled' })).json.error.message).toBe('items[0]: not on the start list any more: it is no longer open');
    expect(await snapshot()).toEqual(before);
    expect(notifier.reportingCalls).toEqual([]);
    expect(notifier.cycleCalls).toEqual([]);
  });
});

describe('POST start-items/settle: the three answers', () => {
  const auditOf = (entityId: string, action?: string) => db.prisma.auditEvent.findMany({ where: { forbundId, entityId, ...(action ? { action } : {}) }, orderBy: { at: 'asc' } });

  it('handled outside Årscykel: the report gets status handled, the milestone is done by the official; each audited; the workflows told; off the list, and a second time is a 409', async () => {
    const r = await settle({ items: [{ type: 'report', id: ids.kvartal[0] }, { type: 'milestone', id: ids.ms.bokslut }], action: 'handled' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ action: 'handled', workflowNotified: true, settled: [{ type: 'report', id: ids.kvartal[0], title: 'Kvartalsrapport 1 januari–31 mars 2037 från Kvartalet', dueDate: '2037-04-15' }, { type: 'milestone', id: ids.ms.bokslut, dueDate: '2037-02-12' }] });
    expect(await db.prisma.reportingObligation.findUniqueOrThrow({ where: { id: ids.kvartal[0] } })).toMatchObject({ status: 'handled', startSettledAt: null });
    const bokslut = await db.prisma.milestone.findUniqueOrThrow({ where: { id: ids.ms.bokslut } });
    expect(bokslut).toMatchObject({ status: 'done', doneAt: NOW });
    expect(bokslut.doneBy).toMatch(/^token:\S+ Örjan Tjänsteman \(admin\)$/);
    for (const [id, type] of [[ids.kvartal[0], 'obligation'], [ids.ms.bokslut, 'milestone']]) {
      const rows = await auditOf(id, 'start.settled');
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ entityType: type, data: { action: 'handled' } });
      expect(rows[0].actor).toMatch(/Örjan Tjänsteman \(admin\)$/);
    }
    expect(notifier.reportingCalls).toEqual([{ projectId: ids.kvartalProject, reason: 'start list: handled outside Årscykel' }]);
    expect(notifier.cycleCalls).toEqual([{ forbundId, year: 2037, reason: 'start list: handled outside Årscykel' }]);
    expect((await startItems()).data.map((x: Json) => x.id)).toEqual([ids.andra[1], ids.kvartal[1], ids.ms.budgetDialogue]);
    const again = await settle({ items: [{ type: 'report', id: ids.kvartal[0] }], action: 'handled' });
    expect(again.status).toBe(409);
    expect(fieldsOf(again)).toEqual(['items[0]']);
    // The public year read shows it done (the year page too).
    expect((await call(`${API}/years/2037`, { token: tokens.admin })).json.milestones.find((m: Json) => m.kind === 'bokslut')).toMatchObject({ status: 'done' });
  });

  it("a new due date: today or later becomes the due date (a report's rules as redateObligation, audited as obligation.redated; the milestone's SEQUENCE rises); from then on an ordinary step, not overdue, reminded", async () => {
    const before = await db.prisma.milestone.findUniqueOrThrow({ where: { id: ids.ms.budgetDialogue } });
    const r = await settle({ items: [{ type: 'report', id: ids.kvartal[1] }, { type: 'milestone', id: ids.ms.budgetDialogue }], action: 'redate', dueDate: '2037-10-16' });
    expect(r.status).toBe(200);
    expect(r.json.settled.map((x: Json) => x.dueDate)).toEqual(['2037-10-16', '2037-10-16']);
    expect(isoDay((await db.prisma.reportingObligation.findUniqueOrThrow({ where: { id: ids.kvartal[1] } })).dueDate)).toBe('2037-10-16');
    const ms = await db.prisma.milestone.findUniqueOrThrow({ where: { id: ids.ms.budgetDialogue } });
    expect([isoDay(ms.dueDate), ms.sequence, ms.status]).toEqual(['2037-10-16', before.sequence + 1, 'open']);
    expect((await auditOf(ids.kvartal[1], 'obligation.redated')).map((x) => x.data)).toEqual([{ from: '2037-07-15', to: '2037-10-16', via: 'start' }]);
    expect((await auditOf(ids.ms.budgetDialogue, 'start.settled')).map((x) => x.data)).toEqual([{ action: 'redate', type: 'milestone', dueDate: '2037-05-29', from: '2037-05-29', to: '2037-10-16' }]);
    expect(notifier.reportingCalls).toEqual([{ projectId: ids.kvartalProject, reason: 'start list: new due date' }]);
    expect(notifier.cycleCalls).toEqual([{ forbundId, year: 2037, reason: 'start list: new due date' }]);
    const steps = await pending();
    expect(steps.find((s: Json) => s.id === ids.kvartal[1])).toMatchObject({ type: 'report', dueDate: '2037-10-16', overdue: false, daysOverdue: 0 });
    expect(steps.find((s: Json) => s.id === ids.ms.budgetDialogue)).toMatchObject({ type: 'milestone', dueDate: '2037-10-16', overdue: false });
    // Its reminders are planned again, as for any report due from now on.
    const planned = (await call(`${API}/planned-reminders?days=60`, { token: tokens.admin })).json.data as Json[];
    expect(planned.filter((x) => x.obligation.id === ids.kvartal[1]).map((x) => x.kind)).toEqual(['reminder', 'reminder', 'reminder', 'overdue', 'escalation']);
    // Weeks later it is overdue like any other report (it is Årscykel's to remind now).
    clock.now = new Date('2037-11-04T09:00:00Z');
    expect((await pending()).find((s: Json) => s.id === ids.kvartal[1])).toMatchObject({ overdue: true, daysOverdue: 19 });
  });

  it('still wanted: off the list, a pending step that waits and is never overdue; audited; the list is then empty', async () => {
    // A milestone of the summer, open at go-live too.
    const attest = await db.prisma.milestone.create({ data: { forbundId, year: 2037, kind: 'attestReview', title: 'Genomgång av attesträtter', dueDate: new Date('2037-08-31T00:00:00Z'), owner: 'official' } });
    expect((await startItems()).data.map((x: Json) => x.id)).toEqual([ids.andra[1], attest.id]);
    const r = await settle({ items: [{ type: 'report', id: ids.andra[1] }, { type: 'milestone', id: attest.id }], action: 'wanted' });
    expect(r.status).toBe(200);
    expect((await db.prisma.reportingObligation.findUniqueOrThrow({ where: { id: ids.andra[1] } })).startSettledAt).toEqual(NOW);
    expect((await db.prisma.milestone.findUniqueOrThrow({ where: { id: attest.id } })).startSettledAt).toEqual(NOW);
    expect((await auditOf(ids.andra[1], 'start.settled')).map((x) => x.data)).toEqual([{ action: 'wanted', type: 'report', dueDate: '2037-07-15' }]);
    expect((await auditOf(attest.id, 'start.settled')).map((x) => x.data)).toEqual([{ action: 'wanted', type: 'milestone', dueDate: '2037-08-31' }]);
    expect(notifier.reportingCalls).toEqual([{ projectId: ids.andraProject, reason: 'start list: still wanted' }]);
    expect(notifier.cycleCalls).toEqual([{ forbundId, year: 2037, reason: 'start list: still wanted' }]);
    const steps = await pending();
    expect(steps.find((s: Json) => s.id === ids.andra[1])).toMatchObject({ type: 'report', dueDate: '2037-07-15', overdue: false, daysOverdue: 0, escalated: false });
    expect(steps.find((s: Json) => s.id === attest.id)).toMatchObject({ type: 'milestone', dueDate: '2037-08-31', overdue: false, daysOverdue: 0 });
    // Months later they still wait, not overdue.
    clock.now = new Date('2037-12-01T09:00:00Z');
    const later = await pending();
    expect(later.find((s: Json) => s.id === ids.andra[1])).toMatchObject({ overdue: false, daysOverdue: 0 });
    expect(later.find((s: Json) => s.id === attest.id)).toMatchObject({ overdue: false, daysOverdue: 0 });
    clock.now = NOW;
    expect((await startItems()).data).toEqual([]);
    // Nothing is reminded of it.
    const planned = (await call(`${API}/planned-reminders?days=365`, { token: tokens.admin })).json.data as Json[];
    expect(planned.filter((x) => x.obligation.id === ids.andra[1])).toEqual([]);
  });
});

describe('a failed delivery: sent again where its workflow would send it, honestly refused where not', () => {
  const failed = async (key: string, recipients: string[], extra: object = {}) =>
    db.prisma.notification.create({ data: { forbundId, key, messageId: `<${key}@test>`, kind: 'milestone.reminder', recipients, subject: 'Påminnelse: VP och budget', status: 'failed', error: '550 5.1.1 no such user', claimedAt: new Date('2037-10-06T06:00:00Z'), ...extra } });

  it('a milestone reminder whose step is still the one to run: the address corrected on the person (audited), the failure removed (kept in the audit event), the year\'s workflow told', async () => {
    clock.now = new Date('2037-10-07T08:00:00Z'); // the day after the 14-day reminder of VP and budget (due Tue 20 Oct)
    const key = `milestone:${ids.ms.vpBudget}:2037-10-20:reminder-14`;
    const n = await failed(key, ['official@startlaget.example']);
    const pend = (await pending()).find((s: Json) => s.id === n.id);
    expect(pend).toMatchObject({ type: 'delivery', links: { resend: `${API}/deliveries/${n.id}/resend` } });
    const info = await call(`${API}/deliveries/${n.id}`, { token: tokens.secretary });
    expect(info.status).toBe(200);
    expect(info.json).toMatchObject({ resendable: true, owner: { kind: 'cycle' }, recipients: [{ email: 'official@startlaget.example', people: [{ key: 'official', name: 'Örjan Tjänsteman' }] }] });
    // A wrong address is refused naming the field; nothing changed.
    for (const email of ['orjan', 'orjan@startlaget', 'a b@startlaget.example', '<x@y.se>']) {
      const bad = await call(`${API}/deliveries/${n.id}/resend`, { token: tokens.admin, method: 'POST', json: { email } });
      expect(bad.status, email).toBe(400);
      expect(fieldsOf(bad)).toEqual(['email']);
    }
    expect((await call(`${API}/deliveries/${n.id}/resend`, { token: tokens.admin, method: 'POST', json: { recipient: 'someone@else.example', email: 'x@y.se' } })).status).toBe(400);
    expect((await call(`${API}/deliveries/${n.id}/resend`, { token: tokens.secretary, method: 'POST', json: {} })).status).toBe(403);
    expect(await db.prisma.notification.count({ where: { id: n.id } })).toBe(1);
    expect(notifier.cycleCalls).toEqual([]);

    const r = await call(`${API}/deliveries/${n.id}/resend`, { token: tokens.admin, method: 'POST', json: { email: 'orjan.tjansteman@startlaget.example' } });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ id: n.id, key, corrected: { from: 'official@startlaget.example', to: 'orjan.tjansteman@startlaget.example', people: ['Örjan Tjänsteman'] }, workflowNotified: true });
    expect((await db.prisma.person.findFirstOrThrow({ where: { forbundId, key: 'official' } })).email).toBe('orjan.tjansteman@startlaget.example');
    expect(await db.prisma.notification.count({ where: { key } })).toBe(0);
    const audit = await db.prisma.auditEvent.findMany({ where: { forbundId, action: { in: ['person.email-corrected', 'delivery.resent'] } }, orderBy: { action: 'desc' } });
    expect(audit.map((x) => x.action)).toEqual(['person.email-corrected', 'delivery.resent']);
    expect(audit[0].data).toMatchObject({ key: 'official', from: 'official@startlaget.example', to: 'orjan.tjansteman@startlaget.example', notificationId: n.id });
    expect(audit[1]).toMatchObject({ entityType: 'notification', entityId: n.id, data: { key, subject: 'Påminnelse: VP och budget', recipients: ['official@startlaget.example'], error: '550 5.1.1 no such user', corrected: { to: 'orjan.tjansteman@startlaget.example' } } });
    expect(notifier.cycleCalls).toEqual([{ forbundId, year: 2037, reason: 'failed delivery sent again' }]);
    expect((await pending()).find((s: Json) => s.id === n.id)).toBeUndefined();
    // Gone: a second time is a 404.
    expect((await call(`${API}/deliveries/${n.id}/resend`, { token: tokens.admin, method: 'POST', json: {} })).status).toBe(404);
  });

  it('a reminder superseded by a later one, a board meeting\'s mail and a mail refused for one address only: 409 saying why, nothing changed', async () => {
    clock.now = new Date('2037-10-21T08:00:00Z'); // the due day's reminder of VP and budget is past
    const superseded = await failed(`milestone:${ids.ms.vpBudget}:2037-10-20:reminder-3`, ['orjan.tjansteman@startlaget.example']);
    const board = await db.prisma.meeting.findFirstOrThrow({ where: { forbundId, key: 'styrelse-11' } });
    const chair = await db.prisma.person.findFirstOrThrow({ where: { forbundId, key: 'chair' } });
    const kallelse = await failed(`kallelse:${board.id}:${chair.id}`, ['chair@startlaget.example'], { kind: 'meeting.kallelse' });
    const partly = await failed(`report:${ids.kvartal[2]}:2037-10-15:overdue`, ['a@startlaget.example', 'orjan.tjansteman@startlaget.example'], { status: 'sent', rejected: ['a@startlaget.example'], error: null });
    const before = await snapshot();
    for (const [n, why] of [
      [superseded, /a later step of the same item is already due/],
      [kallelse, /board meeting's process/],
      [partly, /the other recipients received it/],
    ] as const) {
      const info = await call(`${API}/deliveries/${n.id}`, { token: tokens.admin });
      expect(info.json).toMatchObject({ resendable: false });
      expect(info.json.why).toMatch(why);
      const r = await call(`${API}/deliveries/${n.id}/resend`, { token: tokens.admin, method: 'POST', json: {} });
      expect(r.status).toBe(409);
      expect(r.json.error.message).toMatch(why);
      expect(await db.prisma.notification.count({ where: { id: n.id } })).toBe(1);
    }
    expect(await snapshot()).toEqual(before);
    expect([notifier.cycleCalls, notifier.meetingCalls, notifier.reportingCalls]).toEqual([[], [], []]);
    // Marking it seen to still works.
    expect((await call(`${API}/deliveries/${kallelse.id}/resolve`, { token: tokens.admin, method: 'POST' })).status).toBe(200);
  });
});
