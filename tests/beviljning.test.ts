// Issue 20 over real HTTP and a real database (PGlite, or PostgreSQL with TEST_DATABASE_URL):
// a funding application registered with what it applies for (400 naming the field for what is
// wrong), the board's decision applied when the protokoll is justerat (applyFundingDecision: the
// project's grant set, idempotent; a refusal sets nothing), and a project with a conditional start
// that owes no reports until the official records the condition met, and then only from that day.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import { createApiToken } from '../api/auth.js';
import { ForbundFileError, parseForbundFile, type ForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { reportingActivities } from '../activities/rapportering.js';
import type { Mailer, OutgoingMail } from '../activities/mail.js';
import { applyFundingDecision } from '../services/beviljning.js';
import { letterKey, loadReportingPlan } from '../services/rapportering.js';
import { importForbund } from '../services/import.js';
import { testDatabase } from './support/database.js';
import { apiCaller, fieldsOf, serve, type Json } from './support/http.js';
import { RecordingNotifier } from './support/notifier.js';
import { pagePerson, postForm, sessionCookie } from './support/browser.js';

// Monday 20 April 2026, 10:00 in Stockholm.
const NOW = new Date('2026-04-20T08:00:00Z');
const S = '/api/v1/forbund/sydnarke';
const CONDITION = 'Försäkringskassan beviljar projektmedel till Mottagningsteamet';
const YAML = readFileSync('examples/sydnarke.yaml', 'utf8');

/** Sydnärke with a conditional start on Mottagningsteamet. */
function conditional(): ForbundFile {
  const file = parseForbundFile(YAML, 'sydnarke.yaml');
  return { ...file, projects: file.projects.map((p) => (p.id === 'mottagningsteamet' ? { ...p, startCondition: CONDITION } : p)) };
}

let db: Database;
let served: Awaited<ReturnType<typeof serve>> | undefined;
let base: string;
let forbundId: string;
const notifier = new RecordingNotifier();
const tokens = { admin: '', secretary: '' };
const call = apiCaller(() => base);
const APPLICATION = { title: 'Ansökan om medel: På väg', kind: 'funding_application', owner: 'official' };
const cookies = { official: '', secretary: '' };
const mails: OutgoingMail[] = [];
const mailer: Mailer = {
  async send(mail) {
    mails.push(mail);
    return { outcome: 'sent', messageId: `<${mails.length}@test>`, rejected: [] };
  },
  close() {},
};
let activities: ReturnType<typeof reportingActivities>;
const get = async (path: string, cookie: string) => {
  const r = await fetch(`${base}${path}`, { headers: { cookie }, redirect: 'manual' });
  return { status: r.status, html: await r.text() };
};
/** The page's text as read: tags out, entities undone. */
const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

beforeAll(async () => {
  db = await testDatabase();
  forbundId = (await importForbund(db.prisma, conditional(), { year: 2026, actor: 'import' })).forbundId;
  tokens.admin = await createApiToken(db.prisma, { forbundId, name: 'official', role: 'admin' });
  tokens.secretary = await createApiToken(db.prisma, { forbundId, name: 'secretary', role: 'secretary' });
  served = await serve(createApp({ prisma: db.prisma, notifier, publicBaseUrl: 'https://arscykel.example', linkSecret: 'test-link-secret', now: () => NOW }));
  base = served.base;
  activities = reportingActivities({ prisma: db.prisma, mailer, publicBaseUrl: 'https://arscykel.example', linkSecret: 'test-link-secret', searchAttributes: false });
  const official = await db.prisma.person.findFirstOrThrow({ where: { forbundId, roles: { has: 'official' } } });
  cookies.official = await sessionCookie(await pagePerson(db.prisma, { forbundId, name: official.name, role: 'official', publicBaseUrl: 'https://arscykel.example', now: () => NOW }));
  cookies.secretary = await sessionCookie(await pagePerson(db.prisma, { forbundId, name: 'Sara Sekreterare', role: 'secretary', publicBaseUrl: 'https://arscykel.example', now: () => NOW }));
}, 120_000);

afterAll(async () => {
  await served?.close();
  await db?.close();
});

beforeEach(() => notifier.reset());

const register = (json: Record<string, unknown>, token = tokens.admin) => call(`${S}/matters`, { token, method: 'POST', json: { confirmDuplicate: true, ...json } });
const grantsOf = async (key: string) => (await db.prisma.project.findUniqueOrThrow({ where: { forbundId_key: { forbundId, key } } })).grants as Record<string, number>;

describe('a funding application', () => {
  it('is registered with what it applies for, shown in its view as "Ansökan: …"', async () => {
    const r = await register({ ...APPLICATION, funding: { projectKey: 'pa-vag', year: 2026, amount: 400000, budgetLineKey: 'utbetalda-projektpengar' } });
    expect(r.status, r.text).toBe(201);
    expect(r.json.funding).toMatchObject({ projectKey: 'pa-vag', projectName: 'På väg', year: 2026, amount: 400000, budgetLineKey: 'utbetalda-projektpengar', budgetLineName: 'Utbetalda projektpengar' });
    expect(r.json.funding.text).toBe('Ansökan: På väg 2026, 400 000 kr, ur budgetraden Utbetalda projektpengar');
    const again = await call(`${S}/matters/${r.json.dnr}`, { token: tokens.admin });
    expect(again.json.funding.text).toBe(r.json.funding.text);
    const stored = await db.prisma.matter.findUniqueOrThrow({ where: { id: r.json.id } });
    expect(stored.funding).toEqual({ projectKey: 'pa-vag', year: 2026, amount: 400000, budgetLineKey: 'utbetalda-projektpengar' });
  });

  it('with wrong funding is refused 400 naming each field, and nothing is registered', async () => {
    const before = await db.prisma.matter.count();
    const cases: [Record<string, unknown>, string[]][] = [
      [{ projectKey: 'finns-inte', year: 2026, amount: 400000 }, ['funding.projectKey']],
      [{ projectKey: 'pa-vag', year: 2031, amount: 400000 }, ['funding.year']],
      [{ projectKey: 'pa-vag', year: 2026.5, amount: 400000 }, ['funding.year']],
      [{ projectKey: 'pa-vag', year: 2026, amount: 0 }, ['funding.amount']],
      [{ projectKey: 'pa-vag', year: 2026, amount: 1000.5 }, ['funding.amount']],
      [{ projectKey: 'pa-vag', year: 2026, amount: '400000' }, ['funding.amount']],
      [{ projectKey: 'pa-vag', year: 2026, amount: 400000, budgetLineKey: 'driftbidrag' }, ['funding.budgetLineKey']],
      [{ projectKey: 'pa-vag', year: 2026, amount: 400000, budgetLineKey: 'finns-inte' }, ['funding.budgetLineKey']],
      [{ projectKey: 'pa-vag', year: 2026 }, ['funding.amount']],
      [{ projectKey: 'finns-inte', year: 'x', amount: -1 }, ['funding.projectKey', 'funding.year', 'funding.amount']],
    ];
    for (const [funding, fields] of cases) {
      const r = await register({ ...APPLICATION, funding });
      expect(r.status, JSON.stringify(funding)).toBe(400);
      expect(fieldsOf(r).sort(), JSON.stringify(funding)).toEqual([...fields].sort());
    }
    const other = await register({ title: 'Budgetuppföljning', kind: 'other', owner: 'official', funding: { projectKey: 'pa-vag', year: 2026, amount: 400000 } });
    expect(other.status).toBe(400);
    expect(fieldsOf(other)).toEqual(['funding']);
    expect(await db.prisma.matter.count()).toBe(before);
  });

  it("the board's grant sets the project's grant for the year, once: the same decision again changes nothing", async () => {
    const r = await register({ ...APPLICATION, title: 'Ansökan om medel: Mottagningsteamet', funding: { projectKey: 'mottagningsteamet', year: 2026, amount: 850000, budgetLineKey: 'utbetalda-projektpengar' } });
    expect(r.status, r.text).toBe(201);
    expect(await grantsOf('mottagningsteamet')).toEqual({ 2026: 700000 });
    const decision = { matterId: r.json.id, decision: 'Styrelsen beslutar att bevilja 850 000 kr till Mottagningsteamet för 2026.', by: `beslut ${r.json.dnr} § 5`, at: NOW };
    const first = await db.prisma.$transaction((tx) => applyFundingDecision(tx, decision));
    const project = await db.prisma.project.findUniqueOrThrow({ where: { forbundId_key: { forbundId, key: 'mottagningsteamet' } } });
    expect(first).toEqual({ projectId: project.id, granted: true });
    expect(project.grants).toEqual({ 2026: 850000 });
    const audited = await db.prisma.auditEvent.findMany({ where: { entityId: project.id, action: 'project.granted' } });
    expect(audited).toHaveLength(1);
    expect(audited[0].data).toMatchObject({ matterId: r.json.id, year: 2026, amount: 850000, budgetLineKey: 'utbetalda-projektpengar', previous: 700000, ref: `beslut ${r.json.dnr} § 5` });

    const state = async () => ({ project: await db.prisma.project.findUniqueOrThrow({ where: { id: project.id } }), audit: await db.prisma.auditEvent.count() });
    const before = await state();
    const second = await db.prisma.$transaction((tx) => applyFundingDecision(tx, { ...decision, decision: 'Ansökan avslås', at: new Date(NOW.getTime() + 60_000) }));
    expect(second).toEqual(first);
    expect(await state()).toEqual(before);

    const view = await call(`${S}/projects/mottagningsteamet`, { token: tokens.admin });
    expect(view.json.grants).toEqual({ 2026: 850000 });
    expect(view.json.grantDecisions).toEqual([expect.objectContaining({ year: 2026, amount: 850000, granted: true, budgetLineKey: 'utbetalda-projektpengar', text: `Beviljat 2026: 850 000 kr, beslut ${r.json.dnr} § 5` })]);
  });

  it('a refusal sets nothing on the project', async () => {
    const r = await register({ ...APPLICATION, title: 'Ansökan om utökade medel: På väg', funding: { projectKey: 'pa-vag', year: 2026, amount: 2000000 } });
    expect(r.status, r.text).toBe(201);
    const grants = await grantsOf('pa-vag');
    const res = await db.prisma.$transaction((tx) => applyFundingDecision(tx, { matterId: r.json.id, decision: 'Ansökan avslås.', by: `beslut ${r.json.dnr} § 6`, at: NOW }));
    expect(res).toMatchObject({ granted: false });
    expect(await grantsOf('pa-vag')).toEqual(grants);
    const view = await call(`${S}/projects/pa-vag`, { token: tokens.admin });
    expect(view.json.grants).toEqual(grants);
    expect(view.json.grantDecisions.filter((d: Json) => d.granted)).toEqual([]);
  });

  it('a matter that is no funding application is left alone (null)', async () => {
    const r = await register({ title: 'Information om samverkan', kind: 'other', owner: 'official' });
    expect(await db.prisma.$transaction((tx) => applyFundingDecision(tx, { matterId: r.json.id, decision: 'Styrelsen beviljar 100 000 kr', by: 'beslut', at: NOW }))).toBeNull();
  });
});

describe('a conditional start', () => {
  const reportsOf = async (key: string) => db.prisma.reportingObligation.findMany({ where: { project: { forbundId, key }, status: { not: 'withdrawn' } }, orderBy: [{ dueDate: 'asc' }, { kind: 'asc' }] });

  it('the förbund file takes one line of at most 300 characters', () => {
    const withCondition = (c: string) => YAML.replace('  - id: mottagningsteamet\n', `  - id: mottagningsteamet\n    startCondition: ${JSON.stringify(c)}\n`);
    expect(parseForbundFile(withCondition(CONDITION), 'sydnarke.yaml').projects.find((p) => p.id === 'mottagningsteamet')?.startCondition).toBe(CONDITION);
    for (const bad of ['x'.repeat(301), 'Två\nrader', '   ']) {
      let err: unknown;
      try {
        parseForbundFile(withCondition(bad), 'sydnarke.yaml');
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(bad)).toBeInstanceOf(ForbundFileError);
      expect((err as ForbundFileError).errors.map((x) => x.path)).toContain('/projects/1/startCondition');
    }
  });

  it('imported with a condition, the project owes no reports and says it waits', async () => {
    expect(await reportsOf('mottagningsteamet')).toEqual([]);
    expect((await reportsOf('pa-vag')).length).toBeGreaterThan(0);
    const r = await call(`${S}/projects/mottagningsteamet`, { token: tokens.admin });
    expect(r.json.obligations).toEqual([]);
    expect(r.json.startCondition).toEqual({ condition: CONDITION, metOn: null, metBy: null, text: `Villkorad start: ${CONDITION} — väntar på beslut` });
    const reminders = await call(`${S}/planned-reminders`, { token: tokens.admin });
    expect(reminders.json.data.some((x: Json) => x.project.key === 'mottagningsteamet')).toBe(false);
    // Its reporting workflow has nothing to remind: it ends, and is started again when the condition is met.
    const project = await db.prisma.project.findUniqueOrThrow({ where: { forbundId_key: { forbundId, key: 'mottagningsteamet' } } });
    const plan = await loadReportingPlan(db.prisma, project.id, NOW);
    expect(plan!.steps).toEqual([]);
    expect((await activities.decideReporting({ projectId: project.id, now: NOW.getTime() })).decision).toEqual({ action: 'end', reason: 'waiting for its start condition' });
  });

  it('the project page says it waits, with the form for the official only; a wrong day comes back next to its field', async () => {
    const page = await get('/admin/insatser/mottagningsteamet', cookies.official);
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain(`Villkorad start: ${CONDITION} — väntar på beslut`);
    expect(page.html).toContain('action="/admin/insatser/mottagningsteamet/villkor-uppfyllt"');
    const list = await get('/admin/insatser', cookies.official);
    expect(textOf(list.html)).toContain('villkorad start, väntar på beslut');
    const read = await get('/admin/insatser/mottagningsteamet', cookies.secretary);
    expect(read.status).toBe(200);
    expect(textOf(read.html)).toContain('väntar på beslut');
    expect(read.html).not.toContain('villkor-uppfyllt"');
    expect((await postForm(base, '/admin/insatser/mottagningsteamet/villkor-uppfyllt', { metOn: '2026-02-15' }, cookies.secretary)).status).toBe(403);
    const bad = await postForm(base, '/admin/insatser/mottagningsteamet/villkor-uppfyllt', { metOn: '2026-05-01' }, cookies.official);
    expect(bad.status).toBe(400);
    expect(textOf(await bad.text())).toContain('Dagen kan inte ligga i framtiden');
    expect(await reportsOf('mottagningsteamet')).toEqual([]);
  });

  it('condition-met is the official’s: 403 for the secretary, 400 naming metOn or the body’s field', async () => {
    const post = (json: unknown, token = tokens.admin) => call(`${S}/projects/mottagningsteamet/condition-met`, { token, method: 'POST', json });
    expect((await post({ metOn: '2026-02-15' }, tokens.secretary)).status).toBe(403);
    for (const metOn of ['2026-02-30', '15/2 2026', '2026-04-21', '2027-01-10']) {
      const r = await post({ metOn });
      expect(r.status, metOn).toBe(400);
      expect(fieldsOf(r), metOn).toEqual(['metOn']);
    }
    const missing = await post({});
    expect(missing.status).toBe(400);
    expect(fieldsOf(missing)).toEqual(['metOn']);
    const extra = await post({ metOn: '2026-02-15', by: 'x' });
    expect(fieldsOf(extra)).toEqual(['by']);
    expect(await reportsOf('mottagningsteamet')).toEqual([]);
    expect(notifier.reportingCalls).toEqual([]);
  });

  it('met on a day, the reports are planned from that day only, audited, the workflow told; 409 the second time', async () => {
    const project = await db.prisma.project.findUniqueOrThrow({ where: { forbundId_key: { forbundId, key: 'mottagningsteamet' } } });
    const r = await call(`${S}/projects/mottagningsteamet/condition-met`, { token: tokens.admin, method: 'POST', json: { metOn: '2026-02-15', note: 'Försäkringskassan beviljade medlen.' } });
    expect(r.status, r.text).toBe(200);
    expect(r.json.startCondition).toMatchObject({ condition: CONDITION, metOn: '2026-02-15', text: `Villkorad start: ${CONDITION} — villkoret uppfyllt 15 februari 2026` });
    expect(r.json.obligations.length).toBeGreaterThan(0);
    expect(r.json.obligations.every((o: Json) => o.periodStart >= '2026-02-15')).toBe(true);
    expect(r.json.obligations.map((o: Json) => `${o.kind} ${o.periodStart}–${o.periodEnd}`)).toContain('quarterly 2026-02-15–2026-03-31');
    expect(r.json.changes.added.length).toBe(r.json.obligations.length);
    expect(r.json.workflowNotified).toBe(true);
    expect(notifier.reportingCalls).toEqual([{ projectId: project.id, reason: 'start condition met' }]);
    const stored = await reportsOf('mottagningsteamet');
    expect(stored.map((o) => o.id).sort()).toEqual(r.json.obligations.map((o: Json) => o.id).sort());
    const ev = await db.prisma.auditEvent.findFirstOrThrow({ where: { entityId: project.id, action: 'project.condition_met' } });
    expect(ev.data).toMatchObject({ metOn: '2026-02-15', condition: CONDITION, note: 'Försäkringskassan beviljade medlen.' });

    // The workflow has reports to remind of, and the coordinator's first letter goes at once, as for
    // a project added during the year (here the project is dated back to New Year: without the
    // condition its letter of the year would long since have gone stale).
    await db.prisma.project.update({ where: { id: project.id }, data: { createdAt: new Date('2026-01-01T08:00:00Z') } });
    expect((await activities.decideReporting({ projectId: project.id, now: NOW.getTime() })).decision.action).not.toBe('end');
    const plan = await loadReportingPlan(db.prisma, project.id, NOW);
    const letter = plan!.steps.find((x) => x.key === letterKey(project.id, 2026));
    expect(letter?.at).toBe(NOW.toISOString());
    const paVag = await db.prisma.project.update({ where: { forbundId_key: { forbundId, key: 'pa-vag' } }, data: { createdAt: new Date('2026-01-01T08:00:00Z') } });
    expect((await loadReportingPlan(db.prisma, paVag.id, NOW))!.steps.some((x) => x.key === letterKey(paVag.id, 2026))).toBe(false);
    expect(await activities.performReportingStep({ projectId: project.id, step: letter!, now: NOW.getTime() })).toBe('sent');
    expect(mails.at(-1)?.text).toContain('Mottagningsteamet');

    const again = await call(`${S}/projects/mottagningsteamet/condition-met`, { token: tokens.admin, method: 'POST', json: { metOn: '2026-02-16' } });
    expect(again.status).toBe(409);
    const none = await call(`${S}/projects/pa-vag/condition-met`, { token: tokens.admin, method: 'POST', json: { metOn: '2026-02-16' } });
    expect(none.status).toBe(409);
    expect((await call(`${S}/projects/finns-inte/condition-met`, { token: tokens.admin, method: 'POST', json: { metOn: '2026-02-16' } })).status).toBe(404);
  });

  it("the förbund file imported again keeps the day it was met, its reports and the board's grant", async () => {
    const before = (await reportsOf('mottagningsteamet')).map((o) => `${o.id} ${o.dueDate.toISOString()} ${o.status}`);
    const summary = await importForbund(db.prisma, conditional(), { year: 2026, actor: 'import' });
    expect(await grantsOf('mottagningsteamet')).toEqual({ 2026: 850000 });
    expect(summary.kept).toContain('mottagningsteamet: the grant for 2026 stays 850000 kr (decided by the board on a funding application); the file says 700000');
    expect((await reportsOf('mottagningsteamet')).map((o) => `${o.id} ${o.dueDate.toISOString()} ${o.status}`)).toEqual(before);
    const p = await db.prisma.project.findUniqueOrThrow({ where: { forbundId_key: { forbundId, key: 'mottagningsteamet' } } });
    expect(p.conditionMetOn?.toISOString().slice(0, 10)).toBe('2026-02-15');
  });

  it('the pages show what happened: the project met, its grant decision, the application on the matter, the log in Swedish', async () => {
    const page = await get('/admin/insatser/mottagningsteamet', cookies.official);
    const text = textOf(page.html);
    expect(text).toContain(`Villkorad start: ${CONDITION} — villkoret uppfyllt 15 februari 2026`);
    expect(page.html).not.toContain('villkor-uppfyllt"');
    expect(text).toMatch(/Beviljat 2026: 850 000 kr, beslut 2026-\d{5} § 5/);
    const matter = await db.prisma.matter.findFirstOrThrow({ where: { forbundId, title: 'Ansökan om medel: Mottagningsteamet' } });
    const matterPage = await get(`/admin/arenden/${matter.dnr}`, cookies.official);
    expect(matterPage.status).toBe(200);
    expect(textOf(matterPage.html)).toContain('Ansökan Mottagningsteamet 2026, 850 000 kr, ur budgetraden Utbetalda projektpengar');
    const log = textOf((await get('/admin/logg', cookies.official)).html);
    expect(log).toContain('Registrerade att villkoret för insatsens start är uppfyllt 15 februari 2026');
    expect(log).toContain('Satte insatsens medel för 2026 till 850 000 kr enligt styrelsens beslut');
    expect(log).toContain('Styrelsen beviljade inte ansökan om medel för 2026');
  });

  it('is in the OpenAPI document', async () => {
    const r = await call('/api/v1/openapi.json');
    expect(r.json.paths['/api/v1/forbund/{forbund}/projects/{key}/condition-met']?.post).toBeDefined();
  });
});
