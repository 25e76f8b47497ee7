// The auth-failure limiter (api/guards.ts) over real HTTP: refusals are counted per client address
// and per account (the token presented, the address a sign-in link was for); an authenticated
// request is never held back, a 403 (signed in but not allowed) never counts, and behind a proxy
// (TRUST_PROXY=1) a client is counted by the address the proxy saw, the right-most in
// X-Forwarded-For, whatever it writes to the left of it.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AfterAnswer } from '../api/after-answer.js';
import { createApp, type ApiDeps } from '../api/app.js';
import { createApiToken } from '../api/auth.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { revokeToken } from '../services/tokens.js';
import { pagePerson, sessionCookie } from './support/browser.js';
import { testDatabase } from './support/database.js';
import { MEMBERS_YAML } from './support/fixtures.js';
import { serve } from './support/http.js';
import { RecordingNotifier } from './support/notifier.js';

const PUBLIC_BASE = 'https://arscykel.example';
const FILE = `
forbund: { id: limit, name: Samordningsförbundet Gräns, email: kansli@limit.example, year: 2026 }
${MEMBERS_YAML}
people:
  - { id: official, name: Olga Tjänsteman, email: olga@limit.example, roles: [official] }
  - { id: secretary, name: Sixten Sekreterare, email: sixten@limit.example, roles: [secretary] }
bodies: { styrelse: { members: [] } }
projects: []
cycle:
  meetings:
    - { id: styrelse-1, body: styrelse, date: 2026-12-10 }
`;
const NOW = new Date('2026-11-30T09:00:00Z');
const P = '/api/v1/forbund/limit';
const GUARDS = { authFailuresPer10Minutes: 5, authFailuresPerAccountPer10Minutes: 3, signInRequestsPer10Minutes: 4, publicPerMinute: 1000 };

let db: Database;
let forbundId: string;
const tokens = { admin: '', secretary: '', revoked: '' };
const open: { close(): Promise<void> }[] = [];
/** The links the apps are still making when the tests end: done before the database closes. */
const afterAnswer = new AfterAnswer();

beforeAll(async () => {
  db = await testDatabase();
  forbundId = (await importForbund(db.prisma, parseForbundFile(FILE, 'limit.yaml'), { actor: 'test' })).forbundId;
  tokens.admin = await createApiToken(db.prisma, { forbundId, name: 'integration', role: 'admin' });
  tokens.secretary = await createApiToken(db.prisma, { forbundId, name: 'protokollverktyg', role: 'secretary' });
  tokens.revoked = await createApiToken(db.prisma, { forbundId, name: 'gammal', role: 'admin' });
  const row = await db.prisma.apiToken.findFirstOrThrow({ where: { name: 'gammal' } });
  await revokeToken(db.prisma, { forbundId, id: row.id, actor: 'test', now: NOW });
}, 120_000);

afterAll(async () => {
  for (const s of open) await s.close();
  await afterAnswer.settled();
  await db?.close();
});

/** A fresh app (a limiter of its own). */
async function app(o: Partial<Pick<ApiDeps, 'trustProxy'>> = {}): Promise<string> {
  const s = await serve(createApp({ prisma: db.prisma, notifier: new RecordingNotifier(), publicBaseUrl: PUBLIC_BASE, linkSecret: 'l'.repeat(32), now: () => NOW, guards: GUARDS, afterAnswer, ...o }));
  open.push(s);
  return s.base;
}

const api = (base: string, path: string, token: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } }).then((r) => r.status);
const wrong = () => `ak_${randomBytes(12).toString('base64url')}`;

describe('the API', () => {
  it('refusals from one address end in 429 for unauthenticated attempts, but an authenticated request is never held back', async () => {
    const base = await app();
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push(await api(base, `${P}/projects`, wrong()));
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const res = await fetch(`${base}${P}/projects`, { headers: { authorization: 'Bearer ak_nope' } });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    // The office behind the same address goes on working.
    expect(await api(base, `${P}/projects`, tokens.admin)).toBe(200);
    expect(await api(base, `${P}/pending-steps`, tokens.secretary)).toBe(200);
  });

  it('403 (a valid token, a role that may not) never counts', async () => {
    const base = await app();
    for (let i = 0; i < 30; i++) expect(await api(base, `${P}/tokens`, tokens.secretary)).toBe(403);
    expect(await api(base, `${P}/projects`, wrong())).toBe(401);
    // Another förbund's route with a valid token: 403, not counted either.
    for (let i = 0; i < 10; i++) expect(await api(base, '/api/v1/forbund/annat/projects', tokens.admin)).toBe(403);
    expect(await api(base, `${P}/projects`, wrong())).toBe(401);
  });

  it('per account: one token refused from rotating addresses is limited by the token', async () => {
    const base = await app({ trustProxy: 1 });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push(await api(base, `${P}/projects`, tokens.revoked, { 'x-forwarded-for': `198.51.100.${i + 1}` }));
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    // Another token from a fresh address is its own account.
    expect(await api(base, `${P}/projects`, wrong(), { 'x-forwarded-for': '198.51.100.50' })).toBe(401);
  });

  it('with TRUST_PROXY=1 a client rotating X-Forwarded-For is counted by the address the proxy appended (the right-most)', async () => {
    const base = await app({ trustProxy: 1 });
    // The proxy appends the address it saw (203.0.113.7); what the client wrote comes before it.
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push(await api(base, `${P}/projects`, wrong(), { 'x-forwarded-for': `10.0.${i}.1, 192.0.2.${i}, 203.0.113.7` }));
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    // Another client behind the same proxy is not.
    expect(await api(base, `${P}/projects`, wrong(), { 'x-forwarded-for': '10.0.0.1, 203.0.113.99' })).toBe(401);
    // And the limited client's valid token still works.
    expect(await api(base, `${P}/projects`, tokens.admin, { 'x-forwarded-for': '10.9.9.9, 203.0.113.7' })).toBe(200);
  });
});

// --- the pages ---

const BIND = '__Host-arscykel-inloggning';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** A sign-in link as asking makes it (its token and the browser secret it is bound to), without the mail. */
async function link(email: string): Promise<{ token: string; browser: string }> {
  const token = randomBytes(32).toString('base64url');
  const browser = randomBytes(24).toString('base64url');
  await db.prisma.signInLink.create({ data: { tokenHash: sha256(token), email, browserHash: sha256(browser), createdAt: NOW, expiresAt: new Date(NOW.getTime() + 15 * 60_000) } });
  return { token, browser };
}
const post = (base: string, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { method: 'POST', redirect: 'manual', headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString() });

describe('the pages', () => {
  it("a secretary opening the official's pages again and again gets 403 each time, never 429, and nobody's sign-in is held back", async () => {
    const base = await app();
    const sixten = await pagePerson(db.prisma, { forbundId, name: 'Sixten Sekreterare', role: 'secretary', publicBaseUrl: PUBLIC_BASE, now: () => NOW });
    const cookie = await sessionCookie(sixten);
    for (let i = 0; i < 60; i++) expect((await fetch(`${base}/admin/logg`, { headers: { cookie } })).status).toBe(403);
    expect((await fetch(`${base}/admin`, { headers: { cookie } })).status).toBe(200);
    const l = await link('olga@limit.example');
    expect((await post(base, '/admin/logga-in/lank', { token: l.token }, { cookie: `${BIND}=${l.browser}` })).status).toBe(303);
  });

  it('refused links from one address end in 429, but a link that holds still signs in from it', async () => {
    const base = await app();
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await post(base, '/admin/logga-in/lank', { token: randomBytes(32).toString('base64url') })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const refused = await post(base, '/admin/logga-in/lank', { token: 'x' });
    expect(await refused.text()).toContain('För många försök');
    const l = await link('olga@limit.example');
    const ok = await post(base, '/admin/logga-in/lank', { token: l.token }, { cookie: `${BIND}=${l.browser}` });
    expect(ok.status).toBe(303);
    expect(ok.headers.getSetCookie().some((c) => c.startsWith('__Host-arscykel-sida='))).toBe(true);
  });

  it("per account: one person's link tried from other browsers at rotating addresses is limited by the person's address; each refusal is audited", async () => {
    const base = await app({ trustProxy: 1 });
    const l = await link('sixten@limit.example');
    const before = await db.prisma.auditEvent.count({ where: { forbundId, action: 'signin.refused' } });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(base, '/admin/logga-in/lank', { token: l.token }, { 'x-forwarded-for': `198.51.100.${i + 1}`, cookie: `${BIND}=${randomBytes(24).toString('base64url')}` })).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const rows = await db.prisma.auditEvent.findMany({ where: { forbundId, action: 'signin.refused' }, orderBy: { at: 'asc' }, skip: before });
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => (r.data as { address: string }).address)).toEqual(['198.51.100.1', '198.51.100.2', '198.51.100.3']);
    expect(rows[0].data).toMatchObject({ name: 'Sixten Sekreterare', why: 'other-browser' });
    // The right browser still signs in (the link was never used).
    expect((await post(base, '/admin/logga-in/lank', { token: l.token }, { 'x-forwarded-for': '198.51.100.9', cookie: `${BIND}=${l.browser}` })).status).toBe(303);
  });

  it('asking for links is limited per client address, the same for every address asked for', async () => {
    const base = await app({ trustProxy: 1 });
    const ask = (email: string, client: string) => post(base, '/admin/logga-in', { epost: email }, { 'x-forwarded-for': client });
    const statuses = [];
    for (const email of ['a@x.example', 'olga@limit.example', 'b@x.example', 'c@x.example', 'olga@limit.example', 'd@x.example']) statuses.push((await ask(email, '203.0.113.7')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    expect((await ask('olga@limit.example', '203.0.113.8')).status).toBe(200);
  });
});
