// Signing in by e-mail in a real browser (Debian's Chromium through playwright-core), end to end:
// the secretary asks for a link on the sign-in page, the link is read from the mail the SMTP peer
// received, opened in the same browser, and its button signs her in; the same link opened in
// another browser is refused; she signs out. The official's list of open sessions. axe-core
// against WCAG 2.1 A/AA, a phone's 375 px, screenshots in test-output/screenshots/inloggning-*.png.
// Served over plain http at its public address (cookies without Secure, as a local install has them).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMailer, type Mailer } from '../../activities/mail.js';
import { createApp } from '../../api/app.js';
import { parseForbundFile } from '../../domain/forbund-file.js';
import type { Database } from '../../prisma/db.js';
import { importForbund } from '../../services/import.js';
import { browserPages, describeInChromium, pagePerson, signInInBrowser } from '../support/browser.js';
import { testDatabase } from '../support/database.js';
import { freePort } from '../support/fixtures.js';
import { RecordingNotifier } from '../support/notifier.js';
import { addresses, startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { eventually } from '../support/temporal.js';

// Monday 4 May 2026, 10:00 in Stockholm.
const NOW = new Date('2026-05-04T08:00:00Z');
const SECRETARY = 'sekreterare@sydnarke.example';

let db: Database;
let smtp: TestSmtpServer;
let mailer: Mailer;
let base: string;
let server: import('node:http').Server;
let forbundId: string;

beforeAll(async () => {
  db = await testDatabase();
  forbundId = (await importForbund(db.prisma, parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml'), { year: 2026, actor: 'import' })).forbundId;
  smtp = await startSmtpServer();
  mailer = createMailer({ prisma: db.prisma, transport: smtp.transport, log: () => {} });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const app = createApp({ prisma: db.prisma, notifier: new RecordingNotifier(), mailer, publicBaseUrl: base, linkSecret: 'i'.repeat(32), now: () => NOW });
  server = await new Promise((resolve) => {
    const s = app.listen(port, '127.0.0.1', () => resolve(s));
  });
}, 120_000);

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  mailer?.close();
  await smtp?.close();
  await db?.close();
});

describeInChromium((newContext) => {
  // 401: a link opened in another browser.
  const { errors, newPage, check } = browserPages(newContext, () => base, 'inloggning');

  it('the secretary signs in with the link from her mail, in the browser that asked; another browser is refused; she signs out', async () => {
    const page = await newPage();
    await page.goto(`${base}/admin`);
    expect(page.url()).toBe(`${base}/admin/logga-in`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Logga in');
    await check(page, 'fraga');

    // A mistake first: the field says what is wrong.
    await page.getByLabel('Din e-postadress').fill('sekreterare');
    await page.getByRole('button', { name: 'Skicka länk' }).click();
    await page.waitForLoadState();
    expect(await page.locator('.error-summary').textContent()).toContain('Skriv e-postadressen som namn@exempel.se.');
    await check(page, 'fraga-fel');

    const before = smtp.messages.length;
    await page.getByLabel('Din e-postadress').fill(SECRETARY);
    await page.getByRole('button', { name: 'Skicka länk' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Kolla din e-post');
    await check(page, 'skickad');

    const mail = await eventually(() => {
      const m = smtp.messages.slice(before).find((x) => addresses(x.to).includes(SECRETARY));
      expect(m).toBeDefined();
      return m!;
    });
    expect(mail.subject).toBe('Din inloggningslänk till Årscykel – Samordningsförbundet Sydnärke');
    const link = new RegExp(`${base.replace(/[.]/g, '\\.')}/admin/logga-in/lank\\?token=[A-Za-z0-9_-]+`).exec(mail.text ?? '')![0];
    // The HTML part links the same address behind its label.
    expect(mail.html).toContain(`<a href="${link}">Logga in i Årscykel</a>`);

    // Another browser (a colleague it was forwarded to, a scanner): refused, nothing signed in.
    const other = await newPage();
    const refused = await other.goto(link);
    expect(refused?.status()).toBe(401);
    expect(await other.getByRole('heading', { level: 1 }).textContent()).toBe('Öppna länken i samma webbläsare');
    await check(other, 'annan-webblasare');

    // Her browser: a button; only it signs in.
    await page.goto(link);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Logga in');
    await check(page, 'knapp');
    expect((await page.context().cookies()).map((c) => c.name).sort()).toEqual(['arscykel-inloggning']);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.waitForLoadState();
    expect(page.url()).toBe(`${base}/admin`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Att göra');
    expect(await page.locator('header .who').textContent()).toBe('Styrelsens sekreterare (exempel), sekreterare');
    const session = (await page.context().cookies()).find((c) => c.name === 'arscykel-sida')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: false, path: '/' });

    // The link is used up.
    await page.goto(link);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Länken är redan använd');

    await page.goto(`${base}/admin`);
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await page.waitForLoadState();
    expect(page.url()).toBe(`${base}/admin/logga-in?utloggad=1`);
    await page.goto(`${base}/admin`);
    expect(page.url()).toBe(`${base}/admin/logga-in`);
    const row = await db.prisma.personSession.findFirstOrThrow({ where: { email: SECRETARY } });
    expect(row.revokedBy).toBe('self');
    expect(errors).toEqual([]);
  });

  it("the official's list of open sessions, with a button that ends one", async () => {
    const official = await pagePerson(db.prisma, { forbundId, name: 'Raéd Shaqdih', role: 'official', publicBaseUrl: base, now: () => NOW });
    const secretary = await pagePerson(db.prisma, { forbundId, name: 'Styrelsens sekreterare (exempel)', role: 'secretary', publicBaseUrl: base, now: () => NOW });
    const theirs = await newPage();
    await signInInBrowser(theirs, base, secretary);
    const page = await newPage();
    await signInInBrowser(page, base, official);
    await page.goto(`${base}/admin/inloggningar`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Inloggningar');
    await check(page, 'lista');
    await page.getByRole('button', { name: 'Avsluta inloggningen för Styrelsens sekreterare (exempel)' }).click();
    await page.waitForLoadState();
    expect(await page.locator('.flash').textContent()).toContain('Inloggningen är avslutad.');
    await theirs.goto(`${base}/admin`);
    expect(theirs.url()).toBe(`${base}/admin/logga-in`);
    expect(errors).toEqual([]);
  });
});
