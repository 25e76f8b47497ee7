// Signing in with OpenID Connect in a real browser (Debian's Chromium through playwright-core):
// the sign-in page offers the provider's button above the e-mail form; the official clicks it,
// passes the provider's own login form (oidc-provider 8 on a local port, at `localhost`, so
// another site than the app at 127.0.0.1, tests/support/oidc.ts) and lands signed in on Att göra.
// axe-core against WCAG 2.1 A/AA at 1280 and 375 px for the sign-in page with the button and for
// a refusal; screenshots in test-output/screenshots/oidc-*.png.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { parseForbundFile } from '../../domain/forbund-file.js';
import type { Database } from '../../prisma/db.js';
import { importForbund } from '../../services/import.js';
import { OIDC_CALLBACK_PATH } from '../../services/oidc.js';
import { browserPages, describeInChromium } from '../support/browser.js';
import { testDatabase } from '../support/database.js';
import { freePort } from '../support/fixtures.js';
import { RecordingNotifier } from '../support/notifier.js';
import { startTestProvider, type TestProvider } from '../support/oidc.js';

const OFFICIAL = 'raed.shaqdih@sydnarke.example';

let db: Database;
let idp: TestProvider;
let base: string;
let server: import('node:http').Server;
let forbundId: string;

beforeAll(async () => {
  db = await testDatabase();
  forbundId = (await importForbund(db.prisma, parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml'), { year: 2026, actor: 'import' })).forbundId;
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  idp = await startTestProvider({
    port: await freePort(),
    host: 'localhost',
    redirectUris: [`${base}${OIDC_CALLBACK_PATH}`],
    accounts: { raed: { email: OFFICIAL, email_verified: true }, okand: { email: 'okand@sydnarke.example', email_verified: true } },
  });
  // The real clock: the provider's ID tokens are judged by it.
  const app = createApp({
    prisma: db.prisma,
    notifier: new RecordingNotifier(),
    publicBaseUrl: base,
    linkSecret: 'i'.repeat(32),
    oidc: { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, matchClaim: 'email', label: 'Logga in med e-legitimation', allowHttp: true },
  });
  server = await new Promise((resolve) => {
    const s = app.listen(port, '127.0.0.1', () => resolve(s));
  });
}, 120_000);

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await idp?.close();
  await db?.close();
});

describeInChromium((newContext) => {
  // 401: the refusal below.
  const { errors, newPage, check } = browserPages(newContext, () => base, 'oidc');
  // The provider is another site on purpose; its development login page asks for a web font, answered here (no network).
  const atProvider = (e: string) => e.startsWith(`external request ${idp.issuer}/`) || e.startsWith('external request https://fonts.googleapis.com/');
  const ownErrors = () => errors.filter((e) => !atProvider(e));

  async function openPage(): Promise<Page> {
    const page = await newPage();
    await page.route('https://fonts.googleapis.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/css', body: '' }));
    return page;
  }

  /** The provider's own login form: any account id and password. */
  async function logInAtProvider(page: Page, account: string): Promise<void> {
    await page.waitForURL((u) => u.href.startsWith(`${idp.issuer}/interaction/`));
    await page.locator('input[name="login"]').fill(account);
    await page.locator('input[name="password"]').fill('vad-som-helst');
    await page.getByRole('button', { name: 'Sign-in' }).click();
  }

  it('the official clicks the button, passes the provider\'s login and lands signed in on Att göra', async () => {
    const page = await openPage();
    await page.goto(`${base}/admin`);
    expect(page.url()).toBe(`${base}/admin/logga-in`);
    const button = page.getByRole('link', { name: 'Logga in med e-legitimation' });
    expect(await button.isVisible()).toBe(true);
    // Above the e-mail form, which is as before.
    const [buttonTop, formTop] = await Promise.all([button.boundingBox(), page.getByLabel('Din e-postadress').boundingBox()]);
    expect(buttonTop!.y).toBeLessThan(formTop!.y);
    expect(await page.getByRole('button', { name: 'Skicka länk' }).isVisible()).toBe(true);
    await check(page, 'inloggning');

    await button.click();
    await logInAtProvider(page, 'raed');
    await page.waitForURL(`${base}/admin`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Att göra');
    expect(await page.locator('header .who').textContent()).toBe('Raéd Shaqdih, tjänsteperson');
    const session = (await page.context().cookies(base)).find((c) => c.name === 'arscykel-sida')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: false, path: '/' });
    const row = await db.prisma.personSession.findFirstOrThrow({ where: { email: OFFICIAL }, orderBy: { createdAt: 'desc' } });
    expect(row.via).toBe('oidc');
    expect(await db.prisma.auditEvent.count({ where: { forbundId, action: 'session.started', entityId: row.id } })).toBe(1);

    // Signed out, and in again with one click: the provider remembers her.
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await page.waitForURL(`${base}/admin/logga-in?utloggad=1`);
    await page.getByRole('link', { name: 'Logga in med e-legitimation' }).click();
    await page.waitForURL(`${base}/admin`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Att göra');
    expect(ownErrors()).toEqual([]);
  });

  it('an account whose address is nobody\'s is refused with a page that says what to do', async () => {
    const page = await openPage();
    await page.goto(`${base}/admin/logga-in`);
    await page.getByRole('link', { name: 'Logga in med e-legitimation' }).click();
    await logInAtProvider(page, 'okand');
    await page.waitForURL((u) => u.href.startsWith(`${base}${OIDC_CALLBACK_PATH}`));
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Du kunde inte loggas in');
    await check(page, 'okand');
    await page.getByRole('link', { name: 'Till inloggningen' }).click();
    await page.waitForURL(`${base}/admin/logga-in`);
    expect((await page.context().cookies(base)).map((c) => c.name)).not.toContain('arscykel-sida');
    expect(ownErrors()).toEqual([]);
  });
});
