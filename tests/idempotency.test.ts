// Writes a person repeats, done once: the coordinator's report form carries a one-time key (a
// double click is one report, not a correction), the submission API takes it as Idempotency-Key,
// and the förbund API's write routes keep the answer of a request sent with an Idempotency-Key
// (the same key again gets it again; another request with it is refused). Over HTTP, the Sydnärke
// example, PGlite (or PostgreSQL).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import { createApiToken } from '../api/auth.js';
import { MAX_VERSIONS } from '../api/rapportering.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { submissionLink } from '../services/links.js';
import { testDatabase } from './support/database.js';
import { apiCaller, fieldsOf, serve, type Json } from './support/http.js';
import { RecordingNotifier } from './support/notifier.js';

const PUBLIC_BASE = 'https://arscykel.example';
const LINK_SECRET = 'i'.repeat(32);
const S = '/api/v1/forbund/sydnarke';
const clock = { now: new Date('2026-04-20T08:00:00Z') };
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

let db: Database;
let served: { base: string; close(): Promise<void> };
let forbundId: string;
let admin = '';
const notifier = new RecordingNotifier();
const call = apiCaller(() => served.base);

beforeAll(async () => {
  db = await testDatabase();
  forbundId = (await importForbund(db.prisma, parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml'), { year: 2026, actor: 'test' })).forbundId;
  await db.prisma.forbund.update({ where: { id: forbundId }, data: { goLiveOn: new Date('2000-01-01T00:00:00Z') } });
  await db.prisma.reportingObligation.updateMany({ where: { project: { forbundId } }, data: { createdAt: new Date('2000-01-01T00:00:00Z') } });
  admin = await createApiToken(db.prisma, { forbundId, name: 'Förbundschefen', role: 'admin' });
  served = await serve(createApp({ prisma: db.prisma, notifier, publicBaseUrl: PUBLIC_BASE, linkSecret: LINK_SECRET, now: () => clock.now }));
}, 60_000);

afterAll(async () => {
  await served?.close();
  await db?.close();
});

beforeEach(() => notifier.reset());

async function obligation(projectKey: string, kind: string, periodEnd: string) {
  return db.prisma.reportingObligation.findFirstOrThrow({ where: { kind: kind as never, periodEnd: new Date(`${periodEnd}T00:00:00Z`), project: { key: projectKey, forbundId } }, include: { project: true } });
}
const linkPath = (obligationId: string, prefix: '/submit' | '/api/v1/submissions' = '/submit') => `${prefix}/${obligationId}${new URL(submissionLink(PUBLIC_BASE, LINK_SECRET, obligationId)).search}`;
const post = (path: string, fields: Record<string, string>) => call(path, { method: 'POST', body: new URLSearchParams(fields).toString(), headers: FORM });
const formKeyIn = (html: string) => /<input type="hidden" name="formKey" value="([^"]+)">/.exec(html)?.[1];
const filled = (goals: number, extra: Record<string, string> = {}) => ({
  'p-active-women': '14', 'p-active-men': '11', 'p-new-women': '3', 'p-new-men': '4', 'p-ended-women': '2', 'p-ended-men': '3',
  'p-toWork-women': '1', 'p-toWork-men': '2', 'p-toStudies-women': '1', 'p-toStudies-men': '0', costsToDate: '1 250 000',
  ...Object.fromEntries(Array.from({ length: goals }, (_, i) => [[`goal-${i}-women`, String(i)], [`goal-${i}-men`, '2'], [`goal-${i}-comment`, `Mål ${i + 1} går enligt plan.`]]).flat()),
  narrative: 'Gruppen har haft språkträning.',
  submittedBy: 'Anna Bylin',
  action: 'submit',
  ...extra,
});

describe("the coordinator's form: a double click is one report", () => {
  it('two parallel posts of one form make one version and one receipt; the form shown again makes a correction', async () => {
    const f = await obligation('framsteget', 'quarterly', '2026-03-31');
    const shown = await call(linkPath(f.id));
    const key = formKeyIn(shown.text)!;
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    // Each showing of the form has its own key.
    expect(formKeyIn((await call(linkPath(f.id))).text)).not.toBe(key);

    const fields = filled(f.project.goals.length, { formKey: key });
    const [a, b] = await Promise.all([post(linkPath(f.id), fields), post(linkPath(f.id), fields)]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    for (const r of [a, b]) {
      expect(r.text).toContain('<h1>Tack – rapporten är mottagen</h1>');
      expect(r.text).not.toContain('en rättelse');
    }
    const versions = await db.prisma.submission.findMany({ where: { obligationId: f.id } });
    expect(versions.map((s) => [s.version, s.formKey])).toEqual([[1, key]]);
    // The workflow is told once: it sends the receipt of the one submission (one mail, keyed by the submission).
    expect(notifier.reportingCalls).toEqual([{ projectId: f.projectId, reason: 'report submitted' }]);
    expect(await db.prisma.auditEvent.count({ where: { entityId: f.id, action: { in: ['report.submitted', 'report.corrected'] } } })).toBe(1);

    // Sent again later (a reload of the receipt): the same receipt, still one version.
    const reload = await post(linkPath(f.id), fields);
    expect(reload.status).toBe(200);
    expect(reload.text).toContain('<h1>Tack – rapporten är mottagen</h1>');
    expect(await db.prisma.submission.count({ where: { obligationId: f.id } })).toBe(1);

    // The form shown again has a new key: sending it is a correction.
    const next = formKeyIn((await call(linkPath(f.id))).text)!;
    const corrected = await post(linkPath(f.id), filled(f.project.goals.length, { formKey: next, narrative: 'Rättad.' }));
    expect(corrected.status).toBe(201);
    expect(corrected.text).toContain('version 2 (en rättelse)');
    expect((await db.prisma.submission.findMany({ where: { obligationId: f.id }, orderBy: { version: 'asc' } })).map((s) => s.version)).toEqual([1, 2]);
    expect(notifier.reportingCalls).toHaveLength(2);
  });

  it('a form sent back with errors keeps its key; a repeat of a correction uses no version, also at the limit', async () => {
    const f = await obligation('framsteget', 'financial', '2026-03-31');
    const key = formKeyIn((await call(linkPath(f.id))).text)!;
    const wrong = await post(linkPath(f.id), filled(f.project.goals.length, { formKey: key, narrative: '  ' }));
    expect(wrong.status).toBe(400);
    expect(formKeyIn(wrong.text)).toBe(key);
    // Up to the limit with a new key each time, the last sent twice.
    let last = '';
    for (let n = 1; n <= MAX_VERSIONS; n++) {
      last = `nyckel-${n}`;
      expect((await post(linkPath(f.id), filled(f.project.goals.length, { formKey: last, narrative: `Version ${n}.` }))).status).toBe(201);
    }
    const repeat = await post(linkPath(f.id), filled(f.project.goals.length, { formKey: last, narrative: `Version ${MAX_VERSIONS}.` }));
    expect(repeat.status).toBe(200);
    expect(repeat.text).toContain(`version ${MAX_VERSIONS}`);
    expect(await db.prisma.submission.count({ where: { obligationId: f.id } })).toBe(MAX_VERSIONS);
    // A new key past the limit is refused as before.
    expect((await post(linkPath(f.id), filled(f.project.goals.length, { formKey: 'nyckel-ny' }))).status).toBe(409);
  });

  it("the submission API takes the request's Idempotency-Key as its form key", async () => {
    const a = await obligation('pa-vag', 'quarterly', '2026-06-30');
    const valid = { figures: { participantsActive: 14, participantsNew: 3, participantsToWork: 2, costsToDate: 310000 }, narrative: 'Under kvartalet har gruppverksamheten startat.', submittedBy: 'Samordnare På väg' };
    const send = (key?: string) => call(linkPath(a.id, '/api/v1/submissions'), { method: 'POST', json: valid, headers: key === undefined ? {} : { 'idempotency-key': key } });
    const [x, y] = await Promise.all([send('api-nyckel-1'), send('api-nyckel-1')]);
    expect([x.status, y.status].sort()).toEqual([200, 201]);
    expect(x.json.id).toBe(y.json.id);
    expect(x.json.version).toBe(1);
    expect((x.status === 200 ? x : y).json).toMatchObject({ id: x.json.id, version: 1 });
    expect(await db.prisma.submission.count({ where: { obligationId: a.id } })).toBe(1);
    expect(notifier.reportingCalls).toHaveLength(1);
    const bad = await send(' ');
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad)).toEqual(['Idempotency-Key']);
    const other = await send('api-nyckel-2');
    expect(other.status).toBe(201);
    expect(other.json.version).toBe(2);
  });
});

describe('Idempotency-Key on the förbund API', () => {
  it('POST matters twice with one key: one matter, the same Dnr, the second replayed; another body with the key is 422; no key is as before', async () => {
    const body = { title: 'Ansökan om medel: Idempotent väg', kind: 'funding_application', owner: 'official' };
    const register = (json: unknown, headers: Record<string, string> = {}) => call(`${S}/matters`, { token: admin, method: 'POST', json, headers });
    const first = await register(body, { 'idempotency-key': 'matter-key-1' });
    expect(first.status, first.text).toBe(201);
    const second = await fetch(`${served.base}${S}/matters`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json', 'idempotency-key': 'matter-key-1' }, body: JSON.stringify(body) });
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const replayed = (await second.json()) as Json;
    expect(replayed.dnr).toBe(first.json.dnr);
    expect(replayed).toEqual(first.json);
    expect(await db.prisma.matter.count({ where: { forbundId, title: body.title } })).toBe(1);

    const changed = await register({ ...body, title: 'Ansökan om medel: En annan väg' }, { 'idempotency-key': 'matter-key-1' });
    expect(changed.status).toBe(422);
    expect(fieldsOf(changed)).toEqual(['Idempotency-Key']);
    expect(await db.prisma.matter.count({ where: { forbundId, title: 'Ansökan om medel: En annan väg' } })).toBe(0);

    // The key must be 1–200 visible ASCII characters.
    for (const bad of ['x'.repeat(201), 'två ord']) {
      const r = await register(body, { 'idempotency-key': bad });
      expect(r.status).toBe(400);
      expect(fieldsOf(r)).toEqual(['Idempotency-Key']);
    }

    // Without a key as before: the same title again is the duplicate-title 409.
    const noKey = await register(body);
    expect(noKey.status).toBe(409);
    expect(noKey.json.error.message).toContain(first.json.dnr);

    // A failed answer is not kept: the key may be used again.
    const refused = await register({ title: 'Ansökan om medel: Nyckel efter fel', kind: 'funding_application', owner: 'nobody-here' }, { 'idempotency-key': 'matter-key-2' });
    expect(refused.status).toBe(400);
    // Freed before the refusal was answered: a retry at once is tried, not told the first is in progress.
    expect(await db.prisma.idempotentWrite.count({ where: { key: 'matter-key-2' } })).toBe(0);
    const retried = await register({ title: 'Ansökan om medel: Nyckel efter fel', kind: 'funding_application', owner: 'official' }, { 'idempotency-key': 'matter-key-2' });
    expect(retried.status).toBe(201);

    // The same key from another token is another caller's.
    const other = await createApiToken(db.prisma, { forbundId, name: 'Annan klient', role: 'admin' });
    const fromOther = await call(`${S}/matters`, { token: other, method: 'POST', json: { title: 'Ansökan om medel: Annan klient', kind: 'funding_application', owner: 'official' }, headers: { 'idempotency-key': 'matter-key-1' } });
    expect(fromOther.status).toBe(201);

    // A key older than 24 hours is forgotten.
    await db.prisma.idempotentWrite.updateMany({ where: { key: 'matter-key-1' }, data: { createdAt: new Date(clock.now.getTime() - 25 * 3600_000) } });
    const late = await register({ title: 'Ansökan om medel: Ett dygn senare', kind: 'funding_application', owner: 'official' }, { 'idempotency-key': 'matter-key-1' });
    expect(late.status).toBe(201);
    expect(late.json.dnr).not.toBe(first.json.dnr);
  });

  it('an answer that holds a secret (a renewed feed address) is not kept: the database holds no link secret', async () => {
    const renew = () => call(`${S}/feeds/styrelse/renew`, { token: admin, method: 'POST', headers: { 'idempotency-key': 'feed-key-1' } });
    const first = await renew();
    expect(first.status, first.text).toBe(200);
    expect(first.json.url).toMatch(/token=/);
    expect(await db.prisma.idempotentWrite.count({ where: { key: 'feed-key-1' } })).toBe(0);
    const token = new URL(first.json.url).searchParams.get('token')!;
    const kept = await db.prisma.idempotentWrite.findMany({ select: { response: true } });
    expect(JSON.stringify(kept)).not.toContain(token);
    // So a repeat is a new renewal (its own generation), not a replay.
    const second = await renew();
    expect(second.status).toBe(200);
    expect(second.json.generation).toBe(first.json.generation + 1);
  });

  it('a repeat while the first is still running is 409 in progress', async () => {
    const token = await createApiToken(db.prisma, { forbundId, name: 'Långsam klient', role: 'admin' });
    const row = await db.prisma.apiToken.findFirstOrThrow({ where: { name: 'Långsam klient' } });
    const body = { title: 'Ansökan om medel: Pågår', kind: 'funding_application', owner: 'official' };
    // The first request's row, as it stands while its handler runs.
    const { createHash } = await import('node:crypto');
    await db.prisma.idempotentWrite.create({ data: { caller: `token:${row.id}`, key: 'in-flight', route: `POST ${S}/matters`, requestHash: createHash('sha256').update(JSON.stringify(body)).digest('hex'), status: 0, response: {}, createdAt: clock.now } });
    const r = await call(`${S}/matters`, { token, method: 'POST', json: body, headers: { 'idempotency-key': 'in-flight' } });
    expect(r.status).toBe(409);
    expect(r.json.error.message).toMatch(/in progress/);
    expect(await db.prisma.matter.count({ where: { forbundId, title: body.title } })).toBe(0);
  });

  it('documents the header as a reusable parameter of the write operations', async () => {
    const doc = (await call('/api/v1/openapi.json')).json;
    expect(doc.components.parameters.IdempotencyKey).toMatchObject({ name: 'Idempotency-Key', in: 'header', required: false });
    const ref = { $ref: '#/components/parameters/IdempotencyKey' };
    expect(doc.paths[`/api/v1/forbund/{forbund}/matters`].post.parameters).toContainEqual(ref);
    expect(doc.paths[`/api/v1/forbund/{forbund}/meetings/{id}/agenda/{itemId}/decision`].put.parameters).toContainEqual(ref);
    expect(doc.paths[`/api/v1/forbund/{forbund}/matters`].get.parameters).not.toContainEqual(ref);
  });
});
