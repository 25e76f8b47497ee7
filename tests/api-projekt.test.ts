// Projects without a file over real HTTP (PGlite, or PostgreSQL with TEST_DATABASE_URL): the
// official creates a project and changes it, its reports planned by the förbund's policy as an
// import plans them, the workflow told (RecordingNotifier); bad input is 400 naming the field and
// changes nothing; the förbund file imported again leaves a project made here alone.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import { createApiToken } from '../api/auth.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { keyFromName } from '../services/projekt.js';
import { testDatabase } from './support/database.js';
import { apiCaller, fieldsOf, serve, type Json } from './support/http.js';
import { RecordingNotifier } from './support/notifier.js';

// Monday 20 April 2026, 10:00 in Stockholm.
const NOW = new Date('2026-04-20T08:00:00Z');
const load = (name: string) => parseForbundFile(readFileSync(`examples/${name}`, 'utf8'), name);
const S = '/api/v1/forbund/sydnarke';

let db: Database;
let served: Awaited<ReturnType<typeof serve>> | undefined;
let base: string;
const notifier = new RecordingNotifier();
const tokens = { admin: '', secretary: '', board: '', hjoAdmin: '' };
let sydnarkeId: string;
const call = apiCaller(() => base);

const NEW_PROJECT = {
  key: 'steg-framat',
  name: 'Steg framåt',
  dnr: '2026-00012',
  huvudman: 'Kumla kommun',
  coordinator: { name: 'Lina Lindqvist', email: 'lina.lindqvist@kumla.example' },
  start: '2026-09-01',
  end: '2027-12-31',
  grants: { '2026': 400000, '2027': 1210000 },
  goals: ['40 % av deltagarna ska gå vidare till arbete eller studier.', 'Minst 30 deltagare per år.'],
  reports: ['quarterly', 'final'],
};

/** The same with a coordinator of the förbund (Lina Lindqvist exists once the first test has run). */
const BASE = { ...NEW_PROJECT, coordinator: { key: 'official' } };

/** Everything a refused request must leave as it was. */
const snapshot = async () => ({
  projects: await db.prisma.project.findMany({ orderBy: { id: 'asc' } }),
  people: await db.prisma.person.count(),
  obligations: await db.prisma.reportingObligation.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true, dueDate: true } }),
  audit: await db.prisma.auditEvent.count(),
});

const plan = (obligations: Json[]) => obligations.map((o) => `${o.kind} ${o.periodStart}–${o.periodEnd} due ${o.dueDate} ${o.status}`);
const withoutChange = (x: Json) => {
  const { changes: _c, workflowNotified: _w, changed: _x, ...rest } = x;
  return rest;
};

beforeAll(async () => {
  db = await testDatabase();
  sydnarkeId = (await importForbund(db.prisma, load('sydnarke.yaml'), { year: 2026, actor: 'import' })).forbundId;
  const hjo = await importForbund(db.prisma, load('hjotiborg.yaml'), { year: 2026, actor: 'import' });
  tokens.admin = await createApiToken(db.prisma, { forbundId: sydnarkeId, name: 'official', role: 'admin' });
  tokens.secretary = await createApiToken(db.prisma, { forbundId: sydnarkeId, name: 'secretary', role: 'secretary' });
  tokens.board = await createApiToken(db.prisma, { forbundId: sydnarkeId, name: 'board', role: 'board_member' });
  tokens.hjoAdmin = await createApiToken(db.prisma, { forbundId: hjo.forbundId, name: 'hjo official', role: 'admin' });
  served = await serve(createApp({ prisma: db.prisma, notifier, publicBaseUrl: 'https://arscykel.example', linkSecret: 'test-link-secret', now: () => NOW }));
  base = served.base;
}, 120_000);

afterAll(async () => {
  await served?.close();
  await db?.close();
});

beforeEach(() => notifier.reset());

describe('POST projects', () => {
  it('creates the project with a new coordinator, plans its reports from the policy, audits and tells the workflow; 201 is the project as GET gives it', async () => {
    const r = await call(`${S}/projects`, { method: 'POST', token: tokens.admin, json: NEW_PROJECT });
    expect(r.status, r.text).toBe(201);
    expect(r.json.changes.added).toHaveLength(6);
    expect(r.json.workflowNotified).toBe(true);
    const get = await call(`${S}/projects/steg-framat`, { token: tokens.secretary });
    expect(get.status).toBe(200);
    expect(withoutChange(r.json)).toEqual(get.json);
    expect(r.type).toMatch(/json/);
    expect(get.json).toMatchObject({
      key: 'steg-framat',
      name: 'Steg framåt',
      dnr: '2026-00012',
      huvudman: 'Kumla kommun',
      coordinator: { name: 'Lina Lindqvist', email: 'lina.lindqvist@kumla.example' },
      period: { start: '2026-09-01', end: '2027-12-31' },
      grants: { '2026': 400000, '2027': 1210000 },
      goals: NEW_PROJECT.goals,
      status: 'active',
    });
    // Quarterly reports for the quarters ending before the project's last day, then the final report
    // (Sydnärke: quarterly 15 days after the quarter, final 60 days after the end; 29 February 2028 is a Tuesday).
    expect(plan(get.json.obligations)).toEqual([
      'quarterly 2026-09-01–2026-09-30 due 2026-10-15 open',
      'quarterly 2026-10-01–2026-12-31 due 2027-01-15 open',
      'quarterly 2027-01-01–2027-03-31 due 2027-04-15 open',
      'quarterly 2027-04-01–2027-06-30 due 2027-07-15 open',
      'quarterly 2027-07-01–2027-09-30 due 2027-10-15 open',
      'final 2026-09-01–2027-12-31 due 2028-02-29 open',
    ]);
    const p = await db.prisma.project.findUniqueOrThrow({ where: { forbundId_key: { forbundId: sydnarkeId, key: 'steg-framat' } }, include: { coordinator: true } });
    expect(p.reportKinds).toEqual(['quarterly', 'final']);
    expect(p.coordinator).toMatchObject({ key: 'lina-lindqvist', roles: ['coordinator'], forbundId: sydnarkeId });
    expect(notifier.reportingCalls).toEqual([{ projectId: p.id, reason: 'project created' }]);
    const ev = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'project.created', entityId: p.id } });
    expect(ev.actor).toMatch(/^token:\S+ official \(admin\)$/);
    expect(ev.data).toMatchObject({ key: 'steg-framat', newPerson: { key: 'lina-lindqvist' } });
    // It is listed with the others.
    const list = await call(`${S}/projects?limit=200`, { token: tokens.board });
    expect(list.json.data.map((x: Json) => x.key)).toContain('steg-framat');
  });

  it('an existing person coordinates by key; report kinds default to the policy\'s; the key may be left to the name only through the service', async () => {
    const r = await call(`${S}/projects`, { method: 'POST', token: tokens.admin, json: { key: 'kort-insats', name: 'Kort insats', coordinator: { key: 'samordnare-pa-vag' }, start: '2026-05-01', end: '2026-06-30' } });
    expect(r.status, r.text).toBe(201);
    expect(r.json.coordinator).toEqual({ name: 'Samordnare På väg (exempel)', email: 'pa-vag@sydnarke.example' });
    expect(r.json.dnr).toBeNull();
    expect(r.json.huvudman).toBe('');
    // Every kind of Sydnärke's policy: no periodic period ends before 30 June (the last day: the final report covers it).
    expect(plan(r.json.obligations)).toEqual(['final 2026-05-01–2026-06-30 due 2026-08-31 open']);
    expect((await db.prisma.project.findFirstOrThrow({ where: { key: 'kort-insats' } })).reportKinds).toEqual(['quarterly', 'halfYear', 'annual', 'final', 'financial']);
    expect(keyFromName('Åsa Öberg-Ärlig (FK)')).toBe('asa-oberg-arlig-fk');
  });

  it('a second person with a taken name gets a key of their own', async () => {
    const r = await call(`${S}/projects`, { method: 'POST', token: tokens.admin, json: { ...NEW_PROJECT, key: 'steg-framat-2', coordinator: { name: 'Lina Lindqvist', email: 'lina.lindqvist2@kumla.example' } } });
    expect(r.status, r.text).toBe(201);
    const p = await db.prisma.project.findFirstOrThrow({ where: { key: 'steg-framat-2' }, include: { coordinator: true } });
    expect(p.coordinator.key).toBe('lina-lindqvist-2');
  });

  it('bad input is 400 naming each field and its problem; nothing is written and nobody told', async () => {
    const before = await snapshot();
    const cases: [Json, string[], RegExp?][] = [
      [{ ...BASE, key: 'Steg Framåt' }, ['key']],
      [{ ...BASE, key: 'ny-1', end: '2026-08-31' }, ['end'], /end 2026-08-31 is before start 2026-09-01/],
      [{ ...BASE, key: 'ny-2', start: '2026-02-30' }, ['start'], /date YYYY-MM-DD that exists/],
      [{ ...BASE, key: 'ny-3', grants: { '2028': 5 } }, ['grants.2028'], /after the project's end/],
      [{ ...BASE, key: 'ny-4', grants: { '2026': 10.5 } }, ['grants.2026']],
      [{ ...BASE, key: 'ny-5', reports: ['monthly'] }, ['reports[0]']],
      [{ ...NEW_PROJECT, key: 'ny-6', coordinator: {} }, ['coordinator'], /is required/],
      [{ ...NEW_PROJECT, key: 'ny-7', coordinator: { key: 'official', name: 'X', email: 'x@y.se' } }, ['coordinator'], /not both/],
      [{ ...NEW_PROJECT, key: 'ny-8', coordinator: { key: 'ingen-alls' } }, ['coordinator.key'], /unknown person/],
      [{ ...NEW_PROJECT, key: 'ny-9', coordinator: { name: 'Ny Person', email: 'PA-VAG@sydnarke.example' } }, ['coordinator.email'], /already has this address/],
      [{ ...NEW_PROJECT, key: 'ny-10', coordinator: { name: 'Ny Person', email: 'inte-en-adress' } }, ['coordinator.email']],
      [{ ...BASE, key: 'ny-11', goals: ['Deltagare 19121212-1212 ska få arbete'] }, ['goals[0]'], /personal identity number/],
      [{ ...BASE, key: 'ny-12', end: '2040-01-01' }, ['end'], /at most 10 years/],
      [{ ...BASE, key: 'ny-13', colour: 'blå' }, ['colour'], /unknown field/],
      [{ name: 'Bara namn' }, ['key', 'coordinator', 'start', 'end']],
    ];
    for (const [json, fields, problem] of cases) {
      const r = await call(`${S}/projects`, { method: 'POST', token: tokens.admin, json });
      expect(r.status, `${JSON.stringify(json)} → ${r.text}`).toBe(400);
      expect(fieldsOf(r), JSON.stringify(json)).toEqual(fields);
      if (problem) expect(r.json.error.message).toMatch(problem);
    }
    expect(await snapshot()).toEqual(before);
    expect(notifier.reportingCalls).toEqual([]);
  });

  it('a report kind the förbund\'s policy does not have is refused (Hjo–Tiborg has half-year and annual reports only)', async () => {
    const r = await call('/api/v1/forbund/hjotiborg/projects', { method: 'POST', token: tokens.hjoAdmin, json: { ...NEW_PROJECT, coordinator: { name: 'Hjo Person', email: 'hjo@hjo.example' }, reports: ['halfYear', 'quarterly'] } });
    expect(r.status).toBe(400);
    expect(r.json.error.fields).toEqual([{ field: 'reports', problem: "not in the förbund's reporting policy: quarterly; allowed: halfYear, annual" }]);
  });

  it('a key already used is 409 naming key; only the official may create', async () => {
    const before = await snapshot();
    const dup = await call(`${S}/projects`, { method: 'POST', token: tokens.admin, json: { ...BASE, key: 'pa-vag' } });
    expect(dup.status).toBe(409);
    expect(fieldsOf(dup)).toEqual(['key']);
    for (const t of [tokens.secretary, tokens.board]) expect((await call(`${S}/projects`, { method: 'POST', token: t, json: { ...BASE, key: 'ny-x' } })).status).toBe(403);
    expect((await call(`${S}/projects`, { method: 'POST', json: { ...BASE, key: 'ny-x' } })).status).toBe(401);
    expect(await snapshot()).toEqual(before);
    expect(notifier.reportingCalls).toEqual([]);
  });
});

describe('PATCH projects/:key', () => {
  it('an end moved earlier withdraws the open reports no longer owed, keeps a submitted one and a moved due date; the workflow is told', async () => {
    const p = await db.prisma.project.findFirstOrThrow({ where: { forbundId: sydnarkeId, key: 'steg-framat' } });
    const q = (end: string) => db.prisma.reportingObligation.findFirstOrThrow({ where: { projectId: p.id, kind: 'quarterly', periodEnd: new Date(`${end}T00:00:00Z`) } });
    // The first quarter is in (as if early), the second given a later due date through the API.
    await db.prisma.reportingObligation.update({ where: { id: (await q('2027-06-30')).id }, data: { status: 'submitted' } });
    const moved = await call(`${S}/obligations/${(await q('2026-12-31')).id}`, { method: 'PATCH', token: tokens.admin, json: { dueDate: '2027-01-29' } });
    expect(moved.status).toBe(200);
    notifier.reset();

    const r = await call(`${S}/projects/steg-framat`, { method: 'PATCH', token: tokens.admin, json: { end: '2027-03-31', grants: { '2026': 400000, '2027': 300000 } } });
    expect(r.status, r.text).toBe(200);
    expect(r.json.changed).toBe(true);
    expect(plan(r.json.obligations)).toEqual([
      'quarterly 2026-09-01–2026-09-30 due 2026-10-15 open',
      'quarterly 2026-10-01–2026-12-31 due 2027-01-29 open',
      'quarterly 2027-01-01–2027-03-31 due 2027-04-15 withdrawn',
      'final 2026-09-01–2027-03-31 due 2027-05-31 open',
      'quarterly 2027-04-01–2027-06-30 due 2027-07-15 submitted',
      'quarterly 2027-07-01–2027-09-30 due 2027-10-15 withdrawn',
      'final 2026-09-01–2027-12-31 due 2028-02-29 withdrawn',
    ]);
    expect(r.json.changes.added.map((o: Json) => `${o.kind} ${o.periodEnd}`)).toEqual(['final 2027-03-31']);
    expect(r.json.changes.withdrawn.map((o: Json) => `${o.kind} ${o.periodEnd}`)).toEqual(['quarterly 2027-03-31', 'quarterly 2027-09-30', 'final 2027-12-31']);
    // The moved due date stays, and is said to stay (as the import says it).
    expect(r.json.changes.kept).toEqual([expect.stringMatching(/quarterly report for the period ending 2026-12-31 keeps its due date 2027-01-29/)]);
    expect(r.json.period).toEqual({ start: '2026-09-01', end: '2027-03-31' });
    expect(r.json.grants).toEqual({ '2026': 400000, '2027': 300000 });
    expect(notifier.reportingCalls).toEqual([{ projectId: p.id, reason: 'project changed' }]);
    const ev = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'project.updated', entityId: p.id } });
    expect(ev.data).toMatchObject({ key: 'steg-framat', from: { end: '2027-12-31' }, to: { end: '2027-03-31' } });

    // Moved back later: the withdrawn reports reopen (the submitted one stays in).
    const back = await call(`${S}/projects/steg-framat`, { method: 'PATCH', token: tokens.admin, json: { end: '2027-12-31' } });
    expect(back.status).toBe(200);
    expect(back.json.changes.reopened.map((o: Json) => `${o.kind} ${o.periodEnd}`)).toEqual(['quarterly 2027-03-31', 'quarterly 2027-09-30', 'final 2027-12-31']);
    expect(back.json.changes.withdrawn.map((o: Json) => `${o.kind} ${o.periodEnd}`)).toEqual(['final 2027-03-31']);
    expect(back.json.obligations.find((o: Json) => o.periodEnd === '2027-06-30').status).toBe('submitted');
  });

  it('the coordinator is changed by key; the same values again change nothing, write nothing and tell nobody', async () => {
    const r = await call(`${S}/projects/steg-framat`, { method: 'PATCH', token: tokens.admin, json: { coordinator: { key: 'official' }, goals: ['Ett mål.'] } });
    expect(r.status, r.text).toBe(200);
    expect(r.json.coordinator.name).toBe('Raéd Shaqdih');
    expect(r.json.goals).toEqual(['Ett mål.']);
    notifier.reset();
    const before = await snapshot();
    const same = await call(`${S}/projects/steg-framat`, { method: 'PATCH', token: tokens.admin, json: { coordinator: { key: 'official' }, name: 'Steg framåt', key: 'steg-framat' } });
    expect(same.status).toBe(200);
    expect(same.json.changed).toBe(false);
    expect(await snapshot()).toEqual(before);
    expect(notifier.reportingCalls).toEqual([]);
  });

  it('the key cannot change, bad values are 400, a withdrawn project is 409, another förbund\'s project is 404: nothing changed', async () => {
    const before = await snapshot();
    const key = await call(`${S}/projects/steg-framat`, { method: 'PATCH', token: tokens.admin, json: { key: 'annat' } });
    expect(key.status).toBe(400);
    expect(key.json.error.fields).toEqual([{ field: 'key', problem: "is the project's identity and cannot be changed" }]);
    const start = await call(`${S}/projects/steg-framat`, { method: 'PATCH', token: tokens.admin, json: { start: '2028-01-01' } });
    expect(start.status).toBe(400);
    expect(fieldsOf(start)).toEqual(['start']);
    const grant = await call(`${S}/projects/steg-framat`, { method: 'PATCH', token: tokens.admin, json: { end: '2026-12-31' } });
    expect(grant.status).toBe(400);
    expect(fieldsOf(grant)).toEqual(['grants.2027']);
    expect((await call(`${S}/projects/steg-framat`, { method: 'PATCH', token: tokens.admin, json: {} })).status).toBe(400);
    expect((await call(`${S}/projects/finns-inte`, { method: 'PATCH', token: tokens.admin, json: { name: 'X' } })).status).toBe(404);
    expect((await call('/api/v1/forbund/hjotiborg/projects/steg-framat', { method: 'PATCH', token: tokens.hjoAdmin, json: { name: 'X' } })).status).toBe(404);
    expect((await call(`${S}/projects/steg-framat`, { method: 'PATCH', token: tokens.secretary, json: { name: 'X' } })).status).toBe(403);
    expect(await snapshot()).toEqual(before);

    expect((await call(`${S}/projects/kort-insats/withdraw`, { method: 'POST', token: tokens.admin })).status).toBe(200);
    const withdrawn = await snapshot();
    const r = await call(`${S}/projects/kort-insats`, { method: 'PATCH', token: tokens.admin, json: { name: 'Ny' } });
    expect(r.status).toBe(409);
    expect(await snapshot()).toEqual(withdrawn);
    expect(notifier.reportingCalls.map((c) => c.reason)).toEqual(['project withdrawn']);
  });
});

describe('the förbund file imported again', () => {
  it('leaves a project made through the API alone, with its reports and its new coordinator', async () => {
    const p = await db.prisma.project.findFirstOrThrow({ where: { forbundId: sydnarkeId, key: 'steg-framat-2' }, include: { coordinator: true, obligations: { orderBy: { id: 'asc' } } } });
    const again = await importForbund(db.prisma, load('sydnarke.yaml'), { year: 2026, actor: 'import' });
    expect(again.changedProjects).not.toContain(p.id);
    expect(again.counts.projects).toMatchObject({ created: 0, removed: 0 });
    const after = await db.prisma.project.findUniqueOrThrow({ where: { id: p.id }, include: { coordinator: true, obligations: { orderBy: { id: 'asc' } } } });
    expect(after).toEqual(p);
    // The person made for it is kept although the file does not name them: they coordinate a project.
    expect(after.coordinator.key).toBe('lina-lindqvist-2');
  });

  it('a project of the file changed through the API gets the file\'s values back on the next import (a moved due date excepted)', async () => {
    const r = await call(`${S}/projects/pa-vag`, { method: 'PATCH', token: tokens.admin, json: { name: 'På väg (ändrad)' } });
    expect(r.status).toBe(200);
    const again = await importForbund(db.prisma, load('sydnarke.yaml'), { year: 2026, actor: 'import' });
    expect(again.counts.projects.updated).toBe(1);
    expect((await db.prisma.project.findFirstOrThrow({ where: { forbundId: sydnarkeId, key: 'pa-vag' } })).name).toBe('På väg');
  });
});

describe('OpenAPI', () => {
  it('documents both routes with a body schema and an example that runs', async () => {
    const doc = (await call('/api/v1/openapi.json')).json;
    const post = doc.paths['/api/v1/forbund/{forbund}/projects'].post;
    const patch = doc.paths['/api/v1/forbund/{forbund}/projects/{key}'].patch;
    expect(post.summary).toMatch(/roles: admin/);
    expect(post.requestBody.content['application/json'].schema.required).toEqual(['key', 'name', 'coordinator', 'start', 'end']);
    expect(Object.keys(post.responses)).toContain('201');
    expect(patch.parameters.map((p: Json) => p.name ?? p.$ref)).toEqual(['forbund', 'key', '#/components/parameters/IdempotencyKey']);
    const example = post.requestBody.content['application/json'].example;
    const ran = await call(`${S}/projects`, { method: 'POST', token: tokens.admin, json: { ...example, key: 'exempel-fran-dokumentet' } });
    expect(ran.status, ran.text).toBe(201);
    const patched = await call(`${S}/projects/exempel-fran-dokumentet`, { method: 'PATCH', token: tokens.admin, json: patch.requestBody.content['application/json'].example });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json.changed).toBe(true);
  });
});
