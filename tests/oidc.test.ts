// Signing in with OpenID Connect, over real HTTP against a real provider (oidc-provider 8 on a
// local port, tests/support/oidc.ts) and the real app: the button's route starts a sign-in (state,
// nonce, PKCE) and sends the browser to the provider; its login form is filled in; the callback
// signs in, once, in the browser that started it. Refused, each for a reason of its own in the log
// (and in the audit trail when the address is a person's), and nothing signed in: a replayed
// callback, an unknown or expired state, another browser, the provider's error, an ID token for
// another client, an expired one, one with another nonce (the last three re-signed with the
// provider's own key and served by its real token endpoint, so only openid-client's validation
// refuses them), an unverified address, an address that is nobody's and an account without an
// address (the same answer for the last three). Also: the configuration (OIDC_*), the sign-in
// page's button, and refusals counted by the failure limiter.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../api/app.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { OIDC_CALLBACK_PATH, type OidcConfig } from '../services/oidc.js';
import { ConfigError, loadConfig } from '../worker/config.js';
import { testDatabase } from './support/database.js';
import { freePort, peopleOnlyFile } from './support/fixtures.js';
import { RecordingNotifier } from './support/notifier.js';
import { startTestProvider, type TestProvider } from './support/oidc.js';

const file = peopleOnlyFile;
const NORR = file(
  'norr',
  'Samordningsförbundet Norr',
  `  - { id: official, name: Olga Tjänsteman, email: olga@norr.example, roles: [official] }
  - { id: secretary, name: Sixten Sekreterare, email: sixten@norr.example, roles: [secretary] }`,
);
const SODER = file(
  'soder',
  'Samordningsförbundet Söder',
  `  - { id: official, name: Sture Tjänsteman, email: sture@soder.example, roles: [official] }
  - { id: secretary, name: Sixten Sekreterare, email: sixten@norr.example, roles: [secretary] }`,
);

let db: Database;
let idp: TestProvider;
let server: Server;
let base: string;
let norrId: string;
// The app's clock: the real time (the provider's tokens are), moved ahead to expire a sign-in.
let ahead = 0;
const now = () => new Date(Date.now() + ahead);

const LABEL = 'Logga in med e-legitimation';
const oidcOf = (p: TestProvider, extra: Partial<OidcConfig> = {}): OidcConfig => ({ issuer: p.issuer, clientId: p.clientId, clientSecret: p.clientSecret, matchClaim: 'email', label: LABEL, allowHttp: true, ...extra });

// The log lines of the OIDC routes (one JSON object per line on stdout).
const lines: Record<string, unknown>[] = [];
const write = process.stdout.write.bind(process.stdout);
vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
  const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  for (const line of text.split('\n')) {
    try {
      const o = JSON.parse(line) as Record<string, unknown>;
      if (o.component === 'sign-in-oidc') lines.push(o);
    } catch {
      // not a log line
    }
  }
  return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
}) as typeof process.stdout.write);

beforeAll(async () => {
  db = await testDatabase();
  norrId = (await importForbund(db.prisma, parseForbundFile(NORR, 'norr.yaml'), { actor: 'test' })).forbundId;
  await importForbund(db.prisma, parseForbundFile(SODER, 'soder.yaml'), { actor: 'test' });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  idp = await startTestProvider({
    port: await freePort(),
    redirectUris: [`${base}${OIDC_CALLBACK_PATH}`],
    accounts: {
      olga: { email: 'olga@norr.example', email_verified: true },
      sixten: { email: 'Sixten@Norr.example', email_verified: true },
      // Olga's address, but the provider has not verified it.
      overifierad: { email: 'olga@norr.example', email_verified: false },
      okand: { email: 'nobody@norr.example', email_verified: true },
      'utan-adress': {},
    },
  });
  // Many refusals from one client address here; the limit has a test of its own.
  const app = createApp({ prisma: db.prisma, notifier: new RecordingNotifier(), publicBaseUrl: base, linkSecret: 'o'.repeat(32), now, oidc: oidcOf(idp), guards: { authFailuresPer10Minutes: 10_000, authFailuresPerAccountPer10Minutes: 10_000 } });
  server = await new Promise((resolve) => {
    const s = app.listen(port, '127.0.0.1', () => resolve(s));
  });
}, 120_000);

afterEach(() => {
  ahead = 0;
  idp.tamper(undefined);
});

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await idp?.close();
  await db?.close();
  vi.restoreAllMocks();
});

// --- browsers, as far as cookies go: one jar per browser, for the app and the provider alike ---

class Browser {
  jar = new Map<string, string>();
  get cookie() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  take(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      const [k, v] = [pair.slice(0, eq), pair.slice(eq + 1)];
      if (!v || /Max-Age=0|expires=Thu, 01 Jan 1970/i.test(c)) this.jar.delete(k);
      else this.jar.set(k, v);
    }
    return res;
  }
  async get(url: string) {
    return this.take(await fetch(url.startsWith('http') ? url : `${base}${url}`, { redirect: 'manual', headers: { cookie: this.cookie } }));
  }
  async post(url: string, fields: Record<string, string>) {
    const origin = new URL(url).origin;
    return this.take(await fetch(url, { method: 'POST', redirect: 'manual', headers: { cookie: this.cookie, origin, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() }));
  }
}

const SESSION = 'arscykel-sida';
const BIND = 'arscykel-inloggning';

/** The button: the app starts a sign-in and sends the browser to the provider. */
async function start(b: Browser): Promise<URL> {
  const res = await b.get('/admin/logga-in/oidc');
  expect(res.status).toBe(303);
  expect(b.jar.has(BIND)).toBe(true);
  return new URL(res.headers.get('location')!);
}

/** At the provider: its login form filled in as the account (or cancelled); the callback URL it sends the browser back to (not yet opened). */
async function atProvider(b: Browser, authUrl: URL, account: string, o: { cancel?: boolean } = {}): Promise<string> {
  let url = authUrl.href;
  for (let i = 0; i < 20; i++) {
    if (url.startsWith(`${base}${OIDC_CALLBACK_PATH}`)) return url;
    const res = await b.get(url);
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location')!, url).href;
      continue;
    }
    const text = await res.text();
    expect(res.status, text).toBe(200);
    if (o.cancel) {
      url = new URL(/<a href="([^"]+)">\[ Cancel \]<\/a>/.exec(text)![1], url).href;
      continue;
    }
    expect(text).toContain('name="login"');
    const action = new URL(/<form autocomplete="off" action="([^"]+)" method="post">/.exec(text)![1], url).href;
    const posted = await b.post(action, { prompt: 'login', login: account, password: 'vad-som-helst' });
    expect(posted.status).toBeGreaterThanOrEqual(300);
    url = new URL(posted.headers.get('location')!, action).href;
  }
  throw new Error('the provider never sent the browser back');
}

/** The callback opened: the app's answer. */
const callback = (b: Browser, url: string) => b.get(url);

/** Signed in: a page that goes on at once (a meta refresh and a link, not a redirect: see api/admin/oidc.ts); where to. */
async function onward(res: Response): Promise<string> {
  expect(res.status).toBe(200);
  const text = await res.text();
  expect(text).toContain('<h1>Du är inloggad</h1>');
  const to = /<meta http-equiv="refresh" content="0;url=([^"]+)">/.exec(text)![1];
  expect(text).toContain(`<a href="${to}">`);
  return to;
}

const sessionCount = () => db.prisma.personSession.count();
const lastLine = () => lines[lines.length - 1];

describe('signing in with OpenID Connect', () => {
  it('the sign-in page shows the button above the e-mail form; the button starts a sign-in at the provider, PKCE and all', async () => {
    const page = await (await fetch(`${base}/admin/logga-in`)).text();
    expect(page).toContain(`<a class="button" href="/admin/logga-in/oidc">${LABEL}</a>`);
    expect(page.indexOf('/admin/logga-in/oidc')).toBeLessThan(page.indexOf('<form method="post" action="/admin/logga-in"'));
    const b = new Browser();
    const auth = await start(b);
    expect(auth.origin).toBe(idp.issuer);
    const p = auth.searchParams;
    expect(Object.fromEntries(p)).toMatchObject({ client_id: idp.clientId, response_type: 'code', redirect_uri: `${base}${OIDC_CALLBACK_PATH}`, scope: 'openid email', code_challenge_method: 'S256' });
    expect(p.get('state')).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(p.get('nonce')).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(p.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Stored: the state's hash (not the state), 10 minutes.
    const row = await db.prisma.oidcLogin.findFirstOrThrow({ orderBy: { createdAt: 'desc' } });
    expect(row.stateHash).not.toBe(p.get('state'));
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(10 * 60_000);
    expect(row.usedAt).toBeNull();
  });

  it('signs the official in: a session that opens /admin, audited as hers, via oidc', async () => {
    const b = new Browser();
    const back = await atProvider(b, await start(b), 'olga');
    const res = await callback(b, back);
    expect(await onward(res)).toBe('/admin');
    expect(b.jar.has(SESSION)).toBe(true);
    const home = await b.get('/admin');
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Olga Tjänsteman, tjänsteperson');
    const row = await db.prisma.personSession.findFirstOrThrow({ where: { email: 'olga@norr.example' }, orderBy: { createdAt: 'desc' } });
    expect(row).toMatchObject({ via: 'oidc', revokedAt: null });
    const ev = await db.prisma.auditEvent.findFirstOrThrow({ where: { forbundId: norrId, action: 'session.started', entityId: row.id } });
    expect(ev.actor).toMatch(/^person:\S+ Olga Tjänsteman \(admin\)$/);
    expect(ev.data).toMatchObject({ via: 'oidc' });
    expect(lastLine()).toMatchObject({ msg: 'OIDC sign-in', sessionId: row.id, domain: 'norr.example' });
    // The person's address never in the log.
    expect(JSON.stringify(lines)).not.toContain('olga@norr.example');
  });

  it('a person of two förbund (the provider gives the address in another case) chooses one first', async () => {
    const b = new Browser();
    const res = await callback(b, await atProvider(b, await start(b), 'sixten'));
    expect(await onward(res)).toBe('/admin/valj-forbund');
    expect((await db.prisma.personSession.findFirstOrThrow({ where: { email: 'sixten@norr.example' }, orderBy: { createdAt: 'desc' } })).via).toBe('oidc');
  });

  it('the same callback again (a replay) is refused, and signs nobody in', async () => {
    const b = new Browser();
    const back = await atProvider(b, await start(b), 'olga');
    expect(await onward(await callback(b, back))).toBe('/admin');
    const sessions = await sessionCount();
    const fresh = new Browser();
    fresh.jar.set(BIND, b.jar.get(BIND)!); // the same browser binding, no session
    const again = await callback(fresh, back);
    expect(again.status).toBe(401);
    expect(await again.text()).toContain('Inloggningen är redan använd');
    expect(fresh.jar.has(SESSION)).toBe(false);
    expect(await sessionCount()).toBe(sessions);
    expect(lastLine()).toMatchObject({ why: 'used-state', level: 'warn' });
  });

  it('a callback opened in another browser is refused; the browser that started it still signs in', async () => {
    const b = new Browser();
    const back = await atProvider(b, await start(b), 'olga');
    const sessions = await sessionCount();
    const other = new Browser();
    await start(other); // a binding of its own
    const refused = await callback(other, back);
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain('Logga in i samma webbläsare');
    expect(other.jar.has(SESSION)).toBe(false);
    expect(lastLine()).toMatchObject({ why: 'other-browser' });
    // No binding at all: the same.
    const bare = await callback(new Browser(), back);
    expect(bare.status).toBe(401);
    expect(lastLine()).toMatchObject({ why: 'other-browser' });
    expect(await sessionCount()).toBe(sessions);
    expect(await onward(await callback(b, back))).toBe('/admin');
  });

  it('an unknown state, or none, is refused', async () => {
    const b = new Browser();
    await start(b);
    for (const q of [`?state=${'A'.repeat(43)}&code=abc`, '?code=abc', '']) {
      const res = await callback(b, `${base}${OIDC_CALLBACK_PATH}${q}`);
      expect(res.status).toBe(401);
      expect(await res.text()).toContain('Inloggningen gick inte att slutföra');
      expect(lastLine()).toMatchObject({ why: 'unknown-state' });
    }
    expect(b.jar.has(SESSION)).toBe(false);
  });

  it('a sign-in not finished within 10 minutes (on the app\'s clock) is refused', async () => {
    const b = new Browser();
    const back = await atProvider(b, await start(b), 'olga');
    const sessions = await sessionCount();
    ahead = 10 * 60_000 + 1000;
    const res = await callback(b, back);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('Inloggningen tog för lång tid');
    expect(lastLine()).toMatchObject({ why: 'expired-state' });
    expect(await sessionCount()).toBe(sessions);
  });

  it("the provider's error (the person cancelled at the provider) is refused", async () => {
    const b = new Browser();
    const back = await atProvider(b, await start(b), 'olga', { cancel: true });
    expect(new URL(back).searchParams.get('error')).toBe('access_denied');
    const sessions = await sessionCount();
    const res = await callback(b, back);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('Inloggningen avbröts');
    expect(lastLine()).toMatchObject({ why: 'provider-error', detail: expect.stringMatching(/^access_denied/) });
    expect(await sessionCount()).toBe(sessions);
  });

  it('a code the token endpoint refuses (not the one issued) is refused as the provider\'s error', async () => {
    const b = new Browser();
    const back = new URL(await atProvider(b, await start(b), 'olga'));
    back.searchParams.set('code', 'inte-en-riktig-kod');
    const res = await callback(b, back.href);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('Inloggningen kunde inte godtas');
    expect(lastLine()).toMatchObject({ why: 'provider-error', detail: expect.stringMatching(/^invalid_grant/) });
  });

  // ID tokens changed on their way out of the real token endpoint, signed again with the provider's key.
  const tampered: [string, string, (c: Record<string, unknown>) => Record<string, unknown>][] = [
    ['an ID token for another client (wrong audience)', 'wrong-audience', (c) => ({ ...c, aud: idp.otherClientId, azp: idp.otherClientId })],
    ['an expired ID token', 'expired-token', (c) => ({ ...c, iat: Math.floor(Date.now() / 1000) - 3600, exp: Math.floor(Date.now() / 1000) - 600 })],
    ['an ID token with another nonce', 'nonce-mismatch', (c) => ({ ...c, nonce: 'en-annan-nonce-0123456789abcdefghijklmnop' })],
    ['an ID token from another issuer', 'wrong-issuer', (c) => ({ ...c, iss: 'https://annan.example' })],
  ];
  for (const [what, why, change] of tampered) {
    it(`${what} is refused by openid-client's validation (${why}), and signs nobody in`, async () => {
      const b = new Browser();
      const back = await atProvider(b, await start(b), 'olga');
      const sessions = await sessionCount();
      idp.tamper(change);
      const res = await callback(b, back);
      expect(res.status).toBe(401);
      expect(await res.text()).toContain('Inloggningen kunde inte godtas');
      expect(b.jar.has(SESSION)).toBe(false);
      expect(lastLine()).toMatchObject({ why, level: 'warn' });
      expect(await sessionCount()).toBe(sessions);
    });
  }

  it('an ID token signed with another key is refused: the signature is checked against the provider\'s JWKS', async () => {
    const b = new Browser();
    const back = await atProvider(b, await start(b), 'olga');
    const sessions = await sessionCount();
    // The claims as issued, but signed by a stranger's key under the provider's key id.
    idp.tamper((c) => c, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
    const res = await callback(b, back);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('Inloggningen kunde inte godtas');
    expect(lastLine()).toMatchObject({ why: 'bad-signature' });
    expect(await sessionCount()).toBe(sessions);
  });

  it('an unverified address, an address that is nobody\'s and an account without one get the same answer; each is told apart in the log, the first audited for the person', async () => {
    const answers: string[] = [];
    const sessions = await sessionCount();
    for (const [account, why] of [
      ['overifierad', 'unverified-email'],
      ['okand', 'no-person'],
      ['utan-adress', 'missing-claim'],
    ] as const) {
      const b = new Browser();
      const res = await callback(b, await atProvider(b, await start(b), account));
      expect(res.status).toBe(401);
      answers.push(await res.text());
      expect(b.jar.has(SESSION)).toBe(false);
      expect(lastLine()).toMatchObject({ why });
    }
    expect(answers[0]).toContain('Du kunde inte loggas in');
    expect(answers[1]).toBe(answers[0]);
    expect(answers[2]).toBe(answers[0]);
    expect(await sessionCount()).toBe(sessions);
    const ev = await db.prisma.auditEvent.findFirstOrThrow({ where: { forbundId: norrId, action: 'signin.refused' }, orderBy: { at: 'desc' } });
    expect(ev).toMatchObject({ actor: 'signin-oidc', entityType: 'person', data: { name: 'Olga Tjänsteman', why: 'unverified-email', via: 'oidc' } });
    expect(lines.find((l) => l.why === 'no-person')).toMatchObject({ domain: 'norr.example', emailHash: expect.stringMatching(/^[0-9a-f]{12}$/) });
    expect(JSON.stringify(lines)).not.toContain('nobody@norr.example');
  });
});

describe('refusals and the failure limiter', () => {
  it('refused callbacks count against the client address: 429 once it has used up its refusals', async () => {
    const port = await freePort();
    const app = createApp({ prisma: db.prisma, notifier: new RecordingNotifier(), publicBaseUrl: base, linkSecret: 'o'.repeat(32), now, oidc: oidcOf(idp), guards: { authFailuresPer10Minutes: 2 } });
    const s = await new Promise<Server>((resolve) => {
      const x = app.listen(port, '127.0.0.1', () => resolve(x));
    });
    try {
      const url = `http://127.0.0.1:${port}${OIDC_CALLBACK_PATH}?state=${'B'.repeat(43)}&code=x`;
      expect((await fetch(url, { redirect: 'manual' })).status).toBe(401);
      expect((await fetch(url, { redirect: 'manual' })).status).toBe(401);
      const blocked = await fetch(url, { redirect: 'manual' });
      expect(blocked.status).toBe(429);
      expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  });
});

describe('without OIDC configured', () => {
  it('the sign-in page has no button and the routes answer 404; the e-mail form is as before', async () => {
    const port = await freePort();
    const app = createApp({ prisma: db.prisma, notifier: new RecordingNotifier(), publicBaseUrl: `http://127.0.0.1:${port}`, linkSecret: 'o'.repeat(32), now });
    const s = await new Promise<Server>((resolve) => {
      const x = app.listen(port, '127.0.0.1', () => resolve(x));
    });
    try {
      const page = await (await fetch(`http://127.0.0.1:${port}/admin/logga-in`)).text();
      expect(page).not.toContain('/admin/logga-in/oidc');
      expect(page).toContain('Skicka länk');
      expect((await fetch(`http://127.0.0.1:${port}/admin/logga-in/oidc`, { redirect: 'manual' })).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}${OIDC_CALLBACK_PATH}?state=x`, { redirect: 'manual' })).status).toBe(404);
    } finally {
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  });

  it('the provider out of reach: the button answers 503 and says to try again', async () => {
    const port = await freePort();
    const dead = await freePort();
    const app = createApp({ prisma: db.prisma, notifier: new RecordingNotifier(), publicBaseUrl: `http://127.0.0.1:${port}`, linkSecret: 'o'.repeat(32), now, oidc: { ...oidcOf(idp), issuer: `http://127.0.0.1:${dead}` } });
    const s = await new Promise<Server>((resolve) => {
      const x = app.listen(port, '127.0.0.1', () => resolve(x));
    });
    try {
      const res = await fetch(`http://127.0.0.1:${port}/admin/logga-in/oidc`, { redirect: 'manual' });
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('Inloggningstjänsten svarar inte');
      expect(lastLine()).toMatchObject({ why: 'provider-unreachable' });
    } finally {
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  });
});

describe('configuration (OIDC_*)', () => {
  const base = { DATA_DIR: mkdtempSync(join(tmpdir(), 'arscykel-oidc-config-')), LINK_SECRET: 'x'.repeat(32) };
  const problems = (env: NodeJS.ProcessEnv) => {
    try {
      loadConfig(env);
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
    return [];
  };
  const full = { OIDC_ISSUER: 'https://login.example/tenant/v2.0', OIDC_CLIENT_ID: 'arscykel', OIDC_CLIENT_SECRET: 'hemligt' };

  it('all or nothing: an issuer with its client id and secret, with the defaults; none without OIDC_ISSUER', () => {
    expect(loadConfig({ ...base, ...full }).oidc).toEqual({ issuer: 'https://login.example/tenant/v2.0', clientId: 'arscykel', clientSecret: 'hemligt', matchClaim: 'email', label: 'Logga in med e-legitimation' });
    expect(loadConfig({ ...base, ...full, OIDC_MATCH_CLAIM: 'preferred_username', OIDC_LABEL: 'Logga in med BankID' }).oidc).toMatchObject({ matchClaim: 'preferred_username', label: 'Logga in med BankID' });
    expect(loadConfig({ ...base }).oidc).toBeUndefined();
    expect(problems({ ...base, OIDC_ISSUER: full.OIDC_ISSUER })).toEqual(['OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: required with OIDC_ISSUER (as registered at the provider)']);
    expect(problems({ ...base, OIDC_ISSUER: full.OIDC_ISSUER, OIDC_CLIENT_ID: 'arscykel' })).toEqual(['OIDC_CLIENT_SECRET: required with OIDC_ISSUER (as registered at the provider)']);
    expect(problems({ ...base, OIDC_CLIENT_ID: 'arscykel', OIDC_LABEL: 'BankID' })).toEqual([expect.stringMatching(/^OIDC_CLIENT_ID, OIDC_LABEL: set without OIDC_ISSUER/)]);
    expect(problems({ ...base, ...full, OIDC_ISSUER: 'inte en adress' })).toEqual([expect.stringMatching(/^OIDC_ISSUER="inte en adress": must be the provider's issuer URL/)]);
    expect(problems({ ...base, ...full, OIDC_MATCH_CLAIM: 'e post' })).toEqual([expect.stringMatching(/^OIDC_MATCH_CLAIM="e post": must be a claim name/)]);
  });

  it('an http issuer only with OIDC_ALLOW_HTTP, and never in production', () => {
    const http = { ...full, OIDC_ISSUER: 'http://localhost:4000' };
    expect(problems({ ...base, ...http })).toEqual([expect.stringMatching(/^OIDC_ISSUER="http:\/\/localhost:4000": must be https/)]);
    expect(loadConfig({ ...base, ...http, OIDC_ALLOW_HTTP: 'true' }).oidc).toMatchObject({ issuer: 'http://localhost:4000', allowHttp: true });
    expect(problems({ ...base, ...http, OIDC_ALLOW_HTTP: 'true', ARSCYKEL_ENV: 'production', TEMPORAL_ADDRESS: 'temporal.internal:7233' })).toEqual(['OIDC_ALLOW_HTTP: not allowed in production (the provider must be reached over https)']);
    expect(problems({ ...base, ...full, ARSCYKEL_ENV: 'production', TEMPORAL_ADDRESS: 'temporal.internal:7233' })).toEqual([]);
  });

  it("the README names the variables and the redirect URI to register", () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const v of ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_MATCH_CLAIM', 'OIDC_LABEL', 'OIDC_ALLOW_HTTP']) expect(readme).toContain(`\`${v}\``);
    expect(readme).toContain(`PUBLIC_BASE_URL${OIDC_CALLBACK_PATH}`);
  });
});
