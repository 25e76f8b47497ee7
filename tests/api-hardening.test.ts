// The hostile hour over real HTTP: security headers, NUL bytes and odd numbers, rate limits, a
// bound on concurrent requests, token administration and an append-only audit trail.
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import { createApiToken } from '../api/auth.js';
import { redact } from '../api/errors.js';
import { boundedConcurrency } from '../api/guards.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { feedPurpose, submissionLink, token as linkToken } from '../services/links.js';
import { testDatabase } from './support/database.js';
import { apiCaller, fieldsOf, serve, type Json } from './support/http.js';
import { RecordingNotifier } from './support/notifier.js';
import { MEMBERS_YAML } from './support/fixtures.js';

const SECRET = 'h'.repeat(32);
const FILE = `
forbund: { id: hardy, name: Samordningsförbundet Hård, email: kansli@hardy.example, year: 2026 }
${MEMBERS_YAML}
people:
  - { id: official, name: Olga Tjänsteman, email: olga@hardy.example, roles: [official] }
  - { id: secretary, name: Sixten Sekreterare, email: sixten@hardy.example, roles: [secretary] }
  - { id: co, name: Klara Samordnare, email: klara@hardy.example, roles: [coordinator] }
bodies: { styrelse: { members: [] } }
projects:
  - { id: p, name: Insatsen, coordinator: co, start: 2026-01-01, end: 2026-12-31, reports: [halfYear] }
cycle:
  meetings:
    - { id: styrelse-1, body: styrelse, date: 2026-12-10 }
`;

let db: Database;
let served: { base: string; close(): Promise<void> };
let forbundId: string;
let admin: string;
let obligationId: string;
const call = apiCaller(() => served.base);
const P = '/api/v1/forbund/hardy';

beforeAll(async () => {
  db = await testDatabase();
  forbundId = (await importForbund(db.prisma, parseForbundFile(FILE, 'hardy.yaml'), { actor: 'test' })).forbundId;
  admin = await createApiToken(db.prisma, { forbundId, name: 'demo', role: 'admin' });
  obligationId = (await db.prisma.reportingObligation.findFirstOrThrow({ where: { project: { forbundId } } })).id;
  const app = createApp({ prisma: db.prisma, notifier: new RecordingNotifier(), publicBaseUrl: 'https://arscykel.example', linkSecret: SECRET, now: () => new Date('2026-11-30T09:00:00Z'), guards: { authFailuresPer10Minutes: 12, publicPerMinute: 40 } });
  served = await serve(app);
});

afterAll(async () => {
  await served?.close();
  await db?.close();
});

const link = (id = obligationId) => new URL(submissionLink('https://arscykel.example', SECRET, id));
const feedPath = () => `/feeds/hardy/all.ics?token=${linkToken(SECRET, feedPurpose(forbundId, 'all'))}`;

describe('security headers', () => {
  it('the API, the form, the feed and the public reports page send nosniff and no-referrer; all but the feed no-store (a calendar keeps its feed and asks again with its ETag); the form forbids framing', async () => {
    const form = link();
    for (const [path, token] of [[`${P}/projects`, admin], [`${form.pathname}${form.search}`, undefined], [feedPath(), undefined], ['/forbund/hardy/rapporter', undefined], ['/api/v1/public/forbund/hardy/reports', undefined]] as const) {
      const res = await fetch(`${served.base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('cache-control'), path).toBe(path.startsWith('/feeds/') ? 'private, no-cache' : 'no-store');
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
    const res = await fetch(`${served.base}${form.pathname}${form.search}`);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    // The public page runs under the same CSP: no scripts, nothing from elsewhere.
    const pub = await fetch(`${served.base}/forbund/hardy/rapporter`);
    expect(pub.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(pub.headers.get('content-security-policy')).not.toContain('script-src');
  });

  it('a secret never reaches a log line', () => {
    expect(redact(`/feeds/hardy/all.ics?token=abcDEF123&x=1`)).toBe('/feeds/hardy/all.ics?token=[redacted]&x=1');
    expect(redact(`/submit/1?TOKEN=zz`)).toBe('/submit/1?TOKEN=[redacted]');
  });
});

describe('bad input gets a 4xx naming the field and changes nothing', () => {
  it('a NUL byte in a path segment, a query value or a JSON field', async () => {
    const before = await db.prisma.auditEvent.count();
    const cases: [string, object, string][] = [
      [`${P}/projects/p%00x`, { token: admin }, '(path)'],
      [`/feeds/hardy%00/all.ics?token=x`, {}, '(path)'],
      [`${P}/projects?page=1%00`, { token: admin }, 'page'],
      [`${P}/tokens`, { token: admin, method: 'POST', json: { name: 'a\u0000b', role: 'admin' } }, 'name'],
      [`/api/v1/submissions/${obligationId}${link().search}`, { method: 'POST', json: { figures: {}, narrative: 'x\u0000' } }, 'narrative'],
    ];
    for (const [path, opts, field] of cases) {
      const r = await call(path, opts);
      expect(r.status, path).toBe(400);
      expect(fieldsOf(r), path).toEqual([field]);
    }
    expect(await db.prisma.auditEvent.count()).toBe(before);
    expect(await db.prisma.submission.count()).toBe(0);
  });

  it('page and limit: plain whole numbers only', async () => {
    for (const q of ['page=12345678901234567890', 'page=0x10', 'page=1e3', 'page=1.0', 'page=0', 'page=-1', 'page=', 'limit=201', 'limit=%201']) {
      const r = await call(`${P}/projects?${q}`, { token: admin });
      expect(r.status, q).toBe(400);
      expect(fieldsOf(r), q).toEqual([q.split('=')[0]]);
    }
    expect((await call(`${P}/projects?page=1&limit=200`, { token: admin })).status).toBe(200);
  });
});

describe('submissions: screened, versioned, locked', () => {
  const submitPath = () => `/api/v1/submissions/${obligationId}${link().search}`;
  const report = (over: object = {}) => ({ figures: { participantsActive: 10 }, narrative: 'Tio deltagare under perioden.', ...over });

  it('refuses a personal identity number in any free-text field, however it is written, and stores nothing', async () => {
    for (const [body, field] of [
      [report({ submittedBy: '19121212-1212' }), 'submittedBy'],
      [report({ narrative: 'Deltagare 19121212–1212 slutade.' }), 'narrative'],
      [report({ narrative: 'Se 1912 12 12-1212.' }), 'narrative'],
    ] as const) {
      const r = await call(submitPath(), { method: 'POST', json: body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(fieldsOf(r)).toEqual([field]);
    }
    expect(await db.prisma.submission.count()).toBe(0);
  });

  it('a report can be corrected (new version, earlier kept) until the official locks it; versions are bounded', async () => {
    const first = await call(submitPath(), { method: 'POST', json: report() });
    expect(first.status).toBe(201);
    expect(first.json.version).toBe(1);
    const second = await call(submitPath(), { method: 'POST', json: report({ narrative: 'Rättelse: elva deltagare.', figures: { participantsActive: 11 } }) });
    expect(second.json.version).toBe(2);
    const form = link();
    expect((await call(`${form.pathname}${form.search}`)).text).toContain('Rapporten är redan inlämnad</strong> (version 2)');

    const versions = await call(`${P}/obligations/${obligationId}/submissions`, { token: admin });
    expect(versions.json.data.map((v: Json) => [v.version, v.figures.participantsActive, v.narrative])).toEqual([
      [1, 10, 'Tio deltagare under perioden.'],
      [2, 11, 'Rättelse: elva deltagare.'],
    ]);
    for (let n = 3; n <= 5; n++) expect((await call(submitPath(), { method: 'POST', json: report() })).json.version).toBe(n);
    const sixth = await call(submitPath(), { method: 'POST', json: report() });
    expect(sixth.status).toBe(409);
    expect(await db.prisma.submission.count({ where: { obligationId } })).toBe(5);
    expect(await db.prisma.auditEvent.count({ where: { action: 'report.corrected', entityId: obligationId } })).toBe(4);

    const locked = await call(`${P}/obligations/${obligationId}/lock`, { token: admin, method: 'POST' });
    expect(locked.status).toBe(200);
    expect(locked.json.locked).toBe(true);
    const after = await call(submitPath(), { method: 'POST', json: report() });
    expect(after.status).toBe(409);
    expect(after.json.error.message).toContain('locked');
    expect((await call(`${form.pathname}${form.search}`)).text).toContain('låst');
  });
});

describe('tokens and the audit trail', () => {
  it('the official creates a token (shown once, audited by id), lists tokens without secrets, and revokes one', async () => {
    const created = await call(`${P}/tokens`, { token: admin, method: 'POST', json: { name: 'demo', role: 'secretary' } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'demo', role: 'secretary', revokedAt: null });
    expect(created.json.token).toMatch(/^ak_/);
    expect((await call(`${P}/projects`, { token: created.json.token })).status).toBe(200);

    const list = await call(`${P}/tokens`, { token: admin });
    expect(list.json.data.map((t: Json) => [t.name, t.role])).toEqual([['demo', 'admin'], ['demo', 'secretary']]);
    expect(JSON.stringify(list.json)).not.toContain(created.json.token);
    expect(JSON.stringify(list.json)).not.toMatch(/tokenHash|[0-9a-f]{64}/);

    // Two tokens called "demo": the audit trail tells them apart by id.
    const [adminToken] = list.json.data;
    const audit = await call(`${P}/audit?action=token.created`, { token: admin });
    expect(audit.status).toBe(200);
    const row = audit.json.data.find((e: Json) => e.entityId === created.json.id);
    expect(row).toMatchObject({ tokenId: adminToken.id, action: 'token.created', entityType: 'token', data: { name: 'demo', role: 'secretary' } });
    expect(row.actor).toBe(`token:${adminToken.id} demo (admin)`);

    // The secretary may not administer tokens nor read the audit trail.
    expect((await call(`${P}/tokens`, { token: created.json.token })).status).toBe(403);
    expect((await call(`${P}/audit`, { token: created.json.token })).status).toBe(403);
    expect((await call(`${P}/tokens/${adminToken.id}/revoke`, { token: created.json.token, method: 'POST' })).status).toBe(403);

    const revoked = await call(`${P}/tokens/${created.json.id}/revoke`, { token: admin, method: 'POST' });
    expect(revoked.status).toBe(200);
    expect(revoked.json.revokedAt).toBe('2026-11-30T09:00:00.000Z');
    expect((await call(`${P}/projects`, { token: created.json.token })).status).toBe(401);
    expect((await call(`${P}/audit?action=token.revoked`, { token: admin })).json.data).toHaveLength(1);
    expect((await call(`${P}/tokens/nope/revoke`, { token: admin, method: 'POST' })).status).toBe(404);
  });

  it('bad token requests name the field', async () => {
    const r = await call(`${P}/tokens`, { token: admin, method: 'POST', json: { name: '', role: 'king', extra: 1 } });
    expect(r.status).toBe(400);
    expect(fieldsOf(r).sort()).toEqual(['extra', 'name', 'role']);
    expect((await call(`${P}/tokens`, { token: admin, method: 'POST' })).status).toBe(400);
  });

  it('the audit trail is append-only in the database and outlives its förbund', async () => {
    const row = await db.prisma.auditEvent.findFirstOrThrow({ where: { forbundId } });
    await expect(db.prisma.auditEvent.update({ where: { id: row.id }, data: { action: 'forged' } })).rejects.toThrow(/append-only/);
    await expect(db.prisma.auditEvent.delete({ where: { id: row.id } })).rejects.toThrow(/append-only/);
    await expect(db.prisma.$executeRawUnsafe('TRUNCATE "AuditEvent"')).rejects.toThrow(/append-only/);
    const other = await db.prisma.forbund.create({ data: { slug: 'gone', name: 'Borta', email: 'b@gone.example', reportingPolicy: {}, cycleSettings: {} } });
    await createApiToken(db.prisma, { forbundId: other.id, name: 'x', role: 'admin' });
    await db.prisma.forbund.delete({ where: { id: other.id } });
    expect(await db.prisma.auditEvent.count({ where: { forbundId: other.id, action: 'token.created' } })).toBe(1);
  });
});

describe('limits', () => {
  it('refused authentications are limited per address (429), successful use is not counted nor held back', async () => {
    let last = 0;
    for (let i = 0; i < 14; i++) last = (await call(`${P}/projects`, { token: 'ak_wrong' })).status;
    expect(last).toBe(429);
    // A valid token is never held back (tests/auth-limits.test.ts: per account, 403s, X-Forwarded-For).
    expect((await call(`${P}/projects`, { token: admin })).status).toBe(200);
  });

  it('behind a reverse proxy (TRUST_PROXY) each client is counted by its own address, not the proxy\'s', async () => {
    const app = createApp({ prisma: db.prisma, notifier: new RecordingNotifier(), publicBaseUrl: 'https://arscykel.example', linkSecret: SECRET, trustProxy: 1, guards: { authFailuresPer10Minutes: 3 } });
    const s = await serve(app);
    try {
      const attempt = (client: string) => fetch(`${s.base}${P}/projects`, { headers: { authorization: 'Bearer ak_wrong', 'x-forwarded-for': client } }).then((r) => r.status);
      for (let i = 0; i < 3; i++) expect(await attempt('203.0.113.7')).toBe(401);
      expect(await attempt('203.0.113.7')).toBe(429);
      expect(await attempt('198.51.100.9')).toBe(401);
    } finally {
      await s.close();
    }
  });

  it('the public routes are limited per address (a feed per link: tests/feed-limits.test.ts)', async () => {
    let last = 0;
    for (let i = 0; i < 45; i++) last = (await call('/forbund/hardy/rapporter')).status;
    expect(last).toBe(429);
    // The public reports page and its JSON share the same limit per address; a feed link is not held back by it.
    expect((await call(feedPath())).status).toBe(200);
    expect((await call('/api/v1/public/forbund/hardy/reports')).status).toBe(429);
  });

  it('at most N requests run at once, a bounded queue waits, the rest get 503 with Retry-After', async () => {
    const app = express();
    app.use(boundedConcurrency({ inFlight: 2, queue: 2, publicPerMinute: 0, authFailuresPer10Minutes: 0 }));
    app.get('/slow', (_req, res) => void setTimeout(() => res.json({ ok: true }), 300));
    const s = await serve(app);
    try {
      const results = await Promise.all(Array.from({ length: 7 }, () => fetch(`${s.base}/slow`).then(async (r) => [r.status, r.headers.get('retry-after')])));
      expect(results.filter(([st]) => st === 200)).toHaveLength(4);
      expect(results.filter(([st, ra]) => st === 503 && Number(ra) >= 1)).toHaveLength(3);
      // And once they are through, the next one is served.
      expect((await fetch(`${s.base}/slow`)).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('a request that could not be served within the wait bound gets 503 rather than waiting on', async () => {
    const app = express();
    app.use(boundedConcurrency({ inFlight: 1, queue: 100, publicPerMinute: 0, authFailuresPer10Minutes: 0, maxWaitMs: 500 }));
    app.get('/slow', (_req, res) => void setTimeout(() => res.json({ ok: true }), 300));
    const s = await serve(app);
    try {
      const t0 = performance.now();
      const statuses = await Promise.all(Array.from({ length: 8 }, () => fetch(`${s.base}/slow`).then((r) => r.status)));
      expect(statuses.filter((x) => x === 200).length).toBeGreaterThanOrEqual(2);
      expect(statuses.filter((x) => x === 503).length).toBeGreaterThanOrEqual(4);
      // Nobody waited for all eight to be served one by one (8 × 300 ms).
      expect(performance.now() - t0).toBeLessThan(2000);
    } finally {
      await s.close();
    }
  });
});
