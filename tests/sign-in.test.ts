// Signing in to the pages by an e-mail link, over real HTTP with a real SMTP peer and the app's
// injected clock: the same answer for a known and an unknown address, a link that holds 15
// minutes, once, in the browser that asked; a mail scanner's GET that signs nobody in; server-side
// sessions with idle and absolute timeouts, signed out for good, listed for the official and ended
// by them (audited); a person of two förbund choosing one; a ledamot told there are no pages yet;
// API tokens that sign nobody in.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMailer, type Mailer } from '../activities/mail.js';
import { AfterAnswer } from '../api/after-answer.js';
import { createApp } from '../api/app.js';
import { createApiToken } from '../api/auth.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { ABSOLUTE_HOURS, IDLE_MINUTES } from '../services/sessions.js';
import { testDatabase } from './support/database.js';
import { peopleOnlyFile } from './support/fixtures.js';
import { serve } from './support/http.js';
import { RecordingNotifier } from './support/notifier.js';
import { addresses, startSmtpServer, type TestSmtpServer } from './support/smtp.js';
import { eventually } from './support/temporal.js';

const PUBLIC_BASE = 'https://arscykel.example';
const file = peopleOnlyFile;
const NORR = file(
  'norr',
  'Samordningsförbundet Norr',
  `  - { id: official, name: Olga Tjänsteman, email: olga@norr.example, roles: [official] }
  - { id: secretary, name: Sixten Sekreterare, email: Sixten@Norr.example, roles: [secretary] }
  - { id: ledamot, name: Lena Ledamot, email: lena@norr.example, roles: [board_member] }`,
);
// Sixten is the secretary of Söder too.
const SODER = file(
  'soder',
  'Samordningsförbundet Söder',
  `  - { id: official, name: Sture Tjänsteman, email: sture@soder.example, roles: [official] }
  - { id: secretary, name: Sixten Sekreterare, email: sixten@norr.example, roles: [secretary] }`,
);

let db: Database;
let smtp: TestSmtpServer;
let mailer: Mailer;
let served: { base: string; close(): Promise<void> };
/** The main app's work after an answer: the links it is still making when the tests end. */
const afterAnswer = new AfterAnswer();
let norrId: string;
let clock = new Date('2026-11-30T09:00:00Z');
const minutes = (n: number) => (clock = new Date(clock.getTime() + n * 60_000));

beforeAll(async () => {
  db = await testDatabase();
  norrId = (await importForbund(db.prisma, parseForbundFile(NORR, 'norr.yaml'), { actor: 'test' })).forbundId;
  await importForbund(db.prisma, parseForbundFile(SODER, 'soder.yaml'), { actor: 'test' });
  smtp = await startSmtpServer();
  mailer = createMailer({ prisma: db.prisma, transport: smtp.transport, log: () => {} });
  // Many asks from one client address here; its limit is tested in tests/auth-limits.test.ts.
  served = await serve(createApp({ prisma: db.prisma, notifier: new RecordingNotifier(), mailer, afterAnswer, publicBaseUrl: PUBLIC_BASE, linkSecret: 's'.repeat(32), now: () => clock, guards: { signInRequestsPer10Minutes: 10_000 } }));
}, 120_000);

// Each test in a window of its own for the 5 links per address and 15 minutes.
beforeEach(() => void minutes(16));

afterAll(async () => {
  await served?.close();
  await afterAnswer.settled();
  mailer?.close();
  await smtp?.close();
  await db?.close();
});

// --- a browser, as far as cookies go ---

class Browser {
  jar = new Map<string, string>();
  constructor(readonly ua = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36') {}
  get cookie() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  take(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      const [k, v] = [pair.slice(0, eq), pair.slice(eq + 1)];
      if (!v || /Max-Age=0/.test(c)) this.jar.delete(k);
      else this.jar.set(k, v);
    }
    return res;
  }
  async get(path: string) {
    return this.take(await fetch(`${served.base}${path}`, { redirect: 'manual', headers: { cookie: this.cookie, 'user-agent': this.ua } }));
  }
  async post(path: string, fields: Record<string, string> = {}) {
    return this.take(
      await fetch(`${served.base}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie: this.cookie, 'user-agent': this.ua, origin: served.base, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() }),
    );
  }
}

const BIND = '__Host-arscykel-inloggning';
const SESSION = '__Host-arscykel-sida';

/** Asks for a link in the browser; the mail's link (path and query), once it has come. */
async function askFor(b: Browser, email: string): Promise<string> {
  const before = smtp.messages.length;
  const res = await b.post('/admin/logga-in', { epost: email });
  expect(res.status).toBe(200);
  const mail = await eventually(() => {
    const m = smtp.messages.slice(before).find((x) => addresses(x.to).includes(email.toLowerCase()) || addresses(x.to).some((a) => a.toLowerCase() === email.toLowerCase()));
    expect(m).toBeDefined();
    return m!;
  });
  const url = new URL(/https:\/\/arscykel\.example\/admin\/logga-in\/lank\?token=[A-Za-z0-9_-]+/.exec(mail.text ?? '')![0]);
  return `${url.pathname}${url.search}`;
}
const tokenOf = (link: string) => new URL(link, PUBLIC_BASE).searchParams.get('token')!;

async function signedIn(email: string): Promise<Browser> {
  const b = new Browser();
  const link = await askFor(b, email);
  const res = await b.post('/admin/logga-in/lank', { token: tokenOf(link) });
  expect(res.status).toBe(303);
  return b;
}

describe('asking for a link', () => {
  it('the answer is the same page whether the address is known or not; only a person of a förbund gets a mail, from the förbund, in Swedish', async () => {
    const known = new Browser();
    const unknown = new Browser();
    const before = smtp.messages.length;
    const a = await known.post('/admin/logga-in', { epost: 'olga@norr.example' });
    const b = await unknown.post('/admin/logga-in', { epost: 'nobody@norr.example' });
    expect([a.status, b.status]).toEqual([200, 200]);
    const [ta, tb] = [await a.text(), await b.text()];
    expect(ta.replace('olga@norr.example', 'X')).toBe(tb.replace('nobody@norr.example', 'X'));
    expect(ta).toContain('<h1>Kolla din e-post</h1>');
    // Both browsers are bound alike (the cookie says nothing about the address).
    expect(known.jar.has(BIND)).toBe(true);
    expect(unknown.jar.has(BIND)).toBe(true);
    expect(a.headers.getSetCookie()[0]).toMatch(/^__Host-arscykel-inloggning=[A-Za-z0-9_-]{32}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=3600; Secure$/);
    expect(known.jar.has(SESSION)).toBe(false);

    const mail = await eventually(() => {
      const m = smtp.messages.slice(before).find((x) => addresses(x.to).includes('olga@norr.example'));
      expect(m).toBeDefined();
      return m!;
    });
    expect(mail.subject).toBe('Din inloggningslänk till Årscykel – Samordningsförbundet Norr');
    expect(mail.from?.value[0].address).toBe('kansli@norr.example');
    expect(mail.text).toContain('Hej Olga Tjänsteman,');
    expect(mail.text).toContain('Länken gäller i 15 minuter och kan bara användas en gång.');
    // Nothing for the unknown address, and no link made for it.
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messages.slice(before).filter((m) => addresses(m.to).includes('nobody@norr.example'))).toEqual([]);
    expect(await db.prisma.signInLink.count({ where: { email: 'nobody@norr.example' } })).toBe(0);
    // Only the link's hash is stored.
    const row = await db.prisma.signInLink.findFirstOrThrow({ where: { email: 'olga@norr.example' }, orderBy: { createdAt: 'desc' } });
    expect(mail.text).not.toContain(row.tokenHash);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(15 * 60_000);
  });

  it('an empty or malformed address is asked for again (400); an API token signs nobody in', async () => {
    const b = new Browser();
    const empty = await b.post('/admin/logga-in', { epost: '' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Skriv din e-postadress.');
    const bad = await b.post('/admin/logga-in', { epost: 'olga' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('aria-invalid="true"');
    // The old ways: a token in the form or in the link.
    const token = await createApiToken(db.prisma, { forbundId: norrId, name: 'Olga Tjänsteman', role: 'admin' });
    expect((await b.post('/admin/logga-in', { token })).status).toBe(400);
    const link = await b.get(`/admin/logga-in?token=${encodeURIComponent(token)}`);
    expect(link.status).toBe(200);
    expect(await link.text()).not.toContain(token);
    expect(b.jar.has(SESSION)).toBe(false);
    expect((await fetch(`${served.base}/admin`, { redirect: 'manual', headers: { authorization: `Bearer ${token}` } })).headers.get('location')).toBe('/admin/logga-in');
  });

  it('an address gets at most 5 links per 15 minutes, answered the same', async () => {
    const b = new Browser();
    const before = await db.prisma.signInLink.count({ where: { email: 'lena@norr.example' } });
    const pages = new Set<string>();
    for (let i = 0; i < 7; i++) {
      const res = await b.post('/admin/logga-in', { epost: 'lena@norr.example' });
      expect(res.status).toBe(200);
      pages.add(await res.text());
      await eventually(async () => expect(await db.prisma.signInLink.count({ where: { email: 'lena@norr.example' } })).toBe(before + Math.min(i + 1, 5)));
    }
    expect(pages.size).toBe(1);
    minutes(16);
    await b.post('/admin/logga-in', { epost: 'lena@norr.example' });
    await eventually(async () => expect(await db.prisma.signInLink.count({ where: { email: 'lena@norr.example' } })).toBe(before + 6));
  });
});

describe('the link', () => {
  it("a mail scanner's GET signs nobody in; the page's button does, in the browser that asked", async () => {
    const b = new Browser();
    const link = await askFor(b, 'olga@norr.example');
    // The scanner: no binding cookie. It is told to open the link where it was asked for; nothing happens.
    const scanner = await fetch(`${served.base}${link}`, { redirect: 'manual' });
    expect(scanner.status).toBe(401);
    expect(scanner.headers.getSetCookie()).toEqual([]);
    expect(await scanner.text()).toContain('Öppna länken i samma webbläsare');
    // The person's browser: a button, still no session.
    const page = await b.get(link);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/<form method="post" action="\/admin\/logga-in\/lank"/);
    expect(html).toContain('<button type="submit">Logga in</button>');
    expect(b.jar.has(SESSION)).toBe(false);
    // Neither GET used the link up.
    expect((await db.prisma.signInLink.findUniqueOrThrow({ where: { tokenHash: createHash('sha256').update(tokenOf(link)).digest('hex') } })).usedAt).toBeNull();

    const res = await b.post('/admin/logga-in/lank', { token: tokenOf(link) });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin');
    const set = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION}=`))!;
    expect(set).toMatch(new RegExp(`^${SESSION}=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${ABSOLUTE_HOURS * 3600}; Secure$`));
    const start = await b.get('/admin');
    expect(start.status).toBe(200);
    expect(await start.text()).toContain('Olga Tjänsteman, tjänsteperson');
    // Server-side: the cookie holds a secret whose hash is the row's; audited as the person.
    const row = await db.prisma.personSession.findFirstOrThrow({ where: { email: 'olga@norr.example' }, orderBy: { createdAt: 'desc' } });
    expect(set).not.toContain(row.secretHash);
    expect(row).toMatchObject({ via: 'email-link', revokedAt: null, createdAt: clock, expiresAt: new Date(clock.getTime() + 12 * 3600_000) });
    expect(row.userAgent).toContain('Chrome/120.0');
    const ev = await db.prisma.auditEvent.findFirstOrThrow({ where: { forbundId: norrId, action: 'session.started', entityId: row.id } });
    expect(ev.actor).toMatch(/^person:\S+ Olga Tjänsteman \(admin\)$/);
    expect(ev.tokenId).toBeNull();
  });

  it('is used once: the second use is refused and audited', async () => {
    const b = new Browser();
    const link = await askFor(b, 'olga@norr.example');
    expect((await b.post('/admin/logga-in/lank', { token: tokenOf(link) })).status).toBe(303);
    const again = await b.post('/admin/logga-in/lank', { token: tokenOf(link) });
    expect(again.status).toBe(401);
    expect(await again.text()).toContain('Länken är redan använd');
    const ev = await db.prisma.auditEvent.findFirstOrThrow({ where: { forbundId: norrId, action: 'signin.refused' }, orderBy: { at: 'desc' } });
    expect(ev).toMatchObject({ actor: 'signin-link', entityType: 'person', data: { name: 'Olga Tjänsteman', why: 'used' } });
  });

  it('works only in the browser that asked: another browser is refused (audited), the right one still signs in', async () => {
    const asker = new Browser();
    const link = await askFor(asker, 'olga@norr.example');
    const other = new Browser();
    await other.post('/admin/logga-in', { epost: 'someone@else.example' }); // a binding of its own
    const refused = await other.post('/admin/logga-in/lank', { token: tokenOf(link) });
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain('Öppna länken i samma webbläsare');
    expect(other.jar.has(SESSION)).toBe(false);
    expect((await db.prisma.auditEvent.findFirstOrThrow({ where: { forbundId: norrId, action: 'signin.refused' }, orderBy: { at: 'desc' } })).data).toMatchObject({ why: 'other-browser' });
    expect((await asker.post('/admin/logga-in/lank', { token: tokenOf(link) })).status).toBe(303);
  });

  it('expires after 15 minutes on the app\'s clock', async () => {
    const b = new Browser();
    const late = await askFor(b, 'olga@norr.example');
    const inTime = await askFor(b, 'olga@norr.example');
    minutes(14.9);
    expect((await b.post('/admin/logga-in/lank', { token: tokenOf(inTime) })).status).toBe(303);
    minutes(0.1);
    const gone = await b.post('/admin/logga-in/lank', { token: tokenOf(late) });
    expect(gone.status).toBe(401);
    expect(await gone.text()).toContain('Länken har gått ut');
    expect((await b.get(late)).status).toBe(401);
  });

  it('an unknown link is refused and logged (no förbund to audit in)', async () => {
    const b = new Browser();
    await b.post('/admin/logga-in', { epost: 'x@y.example' });
    const res = await b.post('/admin/logga-in/lank', { token: 'A'.repeat(43) });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('Länken fungerar inte');
  });
});

describe('sessions', () => {
  it('end after 60 minutes idle; last seen is written at most once a minute', async () => {
    const b = await signedIn('olga@norr.example');
    const row = () => db.prisma.personSession.findFirstOrThrow({ where: { email: 'olga@norr.example' }, orderBy: { createdAt: 'desc' } });
    const started = (await row()).lastSeenAt.getTime();
    minutes(0.5);
    expect((await b.get('/admin')).status).toBe(200);
    expect((await row()).lastSeenAt.getTime()).toBe(started);
    minutes(0.6);
    expect((await b.get('/admin')).status).toBe(200);
    expect((await row()).lastSeenAt.getTime()).toBe(clock.getTime());
    minutes(IDLE_MINUTES - 1);
    expect((await b.get('/admin')).status).toBe(200);
    minutes(IDLE_MINUTES);
    const idle = await b.get('/admin');
    expect(idle.status).toBe(303);
    expect(idle.headers.get('location')).toBe('/admin/logga-in');
    // The dead cookie is cleared.
    expect(b.jar.has(SESSION)).toBe(false);
  });

  it('end 12 hours after signing in, however active', async () => {
    const b = await signedIn('olga@norr.example');
    for (let h = 0; h < 24; h++) {
      minutes(29);
      expect((await b.get('/admin')).status, `after ${(h + 1) * 29} minutes`).toBe(200);
    }
    minutes(ABSOLUTE_HOURS * 60 - 24 * 29);
    expect((await b.get('/admin')).status).toBe(303);
  });

  it('signing out revokes the session for good (audited); the old cookie opens nothing', async () => {
    const b = await signedIn('olga@norr.example');
    const cookie = b.cookie;
    const out = await b.post('/admin/logga-ut');
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/admin/logga-in?utloggad=1');
    const row = await db.prisma.personSession.findFirstOrThrow({ where: { email: 'olga@norr.example' }, orderBy: { createdAt: 'desc' } });
    expect(row).toMatchObject({ revokedBy: 'self' });
    expect(row.revokedAt).not.toBeNull();
    expect((await fetch(`${served.base}/admin`, { redirect: 'manual', headers: { cookie } })).status).toBe(303);
    expect(await db.prisma.auditEvent.count({ where: { forbundId: norrId, action: 'session.ended', entityId: row.id } })).toBe(1);
  });

  it("the official sees the förbund's people's open sessions and ends one (audited); the secretary may not", async () => {
    const official = await signedIn('olga@norr.example');
    const secretary = await signedIn('sixten@norr.example');
    // Sixten is in two förbund: he chooses Norr.
    expect((await secretary.get('/admin')).headers.get('location')).toBe('/admin/valj-forbund');
    expect((await secretary.post('/admin/valj-forbund', { forbund: 'norr' })).status).toBe(303);
    expect((await secretary.get('/admin')).status).toBe(200);
    expect((await secretary.get('/admin/inloggningar')).status).toBe(403);

    const list = await official.get('/admin/inloggningar');
    expect(list.status).toBe(200);
    const html = await list.text();
    expect(html).toContain('<h1>Inloggningar</h1>');
    expect(html).toContain('Sixten Sekreterare (sekreterare)');
    expect(html).toContain('Olga Tjänsteman (tjänsteperson) – du');
    expect(html).toContain('Chrome på Linux');
    const sixten = await db.prisma.personSession.findFirstOrThrow({ where: { email: 'sixten@norr.example', revokedAt: null }, orderBy: { createdAt: 'desc' } });
    expect(html).toContain(`action="/admin/inloggningar/${sixten.id}/avsluta"`);

    const end = await official.post(`/admin/inloggningar/${sixten.id}/avsluta`);
    expect(end.status).toBe(303);
    expect(end.headers.get('location')).toBe('/admin/inloggningar?klart=inloggning-avslutad');
    expect((await secretary.get('/admin')).status).toBe(303);
    const ev = await db.prisma.auditEvent.findFirstOrThrow({ where: { forbundId: norrId, action: 'session.revoked', entityId: sixten.id } });
    expect(ev.actor).toMatch(/^person:\S+ Olga Tjänsteman \(admin\)$/);
    expect(ev.data).toMatchObject({ name: 'Sixten Sekreterare', email: 'sixten@norr.example' });
    expect((await db.prisma.personSession.findUniqueOrThrow({ where: { id: sixten.id } })).revokedBy).toBe(ev.actor);
    // Ended already, or another förbund's: 404, nothing changes.
    expect((await official.post(`/admin/inloggningar/${sixten.id}/avsluta`)).status).toBe(404);
    // The log says it in Swedish.
    const log = await (await official.get('/admin/logg?handelse=atkomst')).text();
    expect(log).toContain('Avslutade inloggningen för Sixten Sekreterare');
    expect(log).toContain('Försökte logga in med en länk som redan var använd');
  });

  it('a person of two förbund chooses one, and may change; only among their own', async () => {
    const b = await signedIn('sixten@norr.example');
    const choose = await b.get('/admin/valj-forbund');
    const html = await choose.text();
    expect(html).toContain('Samordningsförbundet Norr');
    expect(html).toContain('Samordningsförbundet Söder');
    expect((await b.post('/admin/valj-forbund', { forbund: 'ingen' })).status).toBe(400);
    await b.post('/admin/valj-forbund', { forbund: 'soder' });
    expect(await (await b.get('/admin')).text()).toContain('Samordningsförbundet Söder');
    await b.post('/admin/valj-forbund', { forbund: 'norr' });
    expect(await (await b.get('/admin')).text()).toContain('Samordningsförbundet Norr');
    // A forged choice cookie opens nothing of another förbund.
    b.jar.set('__Host-arscykel-forbund', 'annat');
    expect((await b.get('/admin')).headers.get('location')).toBe('/admin/valj-forbund');
  });

  it('a ledamot signs in and is told there are no pages for them yet', async () => {
    const b = await signedIn('lena@norr.example');
    const res = await b.get('/admin');
    expect(res.status).toBe(403);
    const html = await res.text();
    expect(html).toContain('<h1>Du har inga sidor här ännu</h1>');
    expect(html).toContain('Du är inloggad som Lena Ledamot (ledamot) i Samordningsförbundet Norr.');
    expect(html).toContain('action="/admin/logga-ut"');
    expect((await b.post('/admin/logga-ut')).status).toBe(303);
  });
});

describe('a stop', () => {
  it('a link asked for just before the process stops is still mailed: the stop waits for the work after the answer', async () => {
    const work = new AfterAnswer();
    // A mailer that takes a second, so the link is still on its way when the page has been answered.
    const slow = { send: async (m: Parameters<Mailer['send']>[0]) => (await new Promise((r) => setTimeout(r, 1_000)), mailer.send(m)) };
    const app = await serve(createApp({ prisma: db.prisma, notifier: new RecordingNotifier(), mailer: slow, afterAnswer: work, publicBaseUrl: PUBLIC_BASE, linkSecret: 's'.repeat(32), now: () => clock }));
    const before = smtp.messages.length;
    const res = await fetch(`${app.base}/admin/logga-in`, { method: 'POST', headers: { origin: app.base, 'content-type': 'application/x-www-form-urlencoded' }, body: 'epost=olga%40norr.example' });
    expect(res.status).toBe(200);
    await app.close();
    expect(await work.settled()).toBe(true);
    expect(smtp.messages.slice(before).map((m) => addresses(m.to))).toEqual([['olga@norr.example']]);
  });
});
