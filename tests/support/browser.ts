// A real browser for the end-to-end tests: Debian's Chromium driven by playwright-core (which
// downloads no browser of its own). Found at CHROMIUM_PATH, /usr/bin/chromium or
// /usr/bin/chromium-browser; without one the browser tests skip and say why, except where
// REQUIRE_BROWSER=1 (CI installs Chromium and sets it), where they fail.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { forbundCookieName, sessionCookieName } from '../../api/admin-session.js';
import type { PrismaClient } from '../../prisma/db.js';
import { createSession } from '../../services/sessions.js';
import { isExecutable } from '../../worker/temporal-servers.js';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);


/** The browser's path, or why there is none. */
export function findChromium(): { path: string } | { missing: string } {
  const found = CANDIDATES.find(isExecutable);
  if (found) return { path: found };
  const why = `no Chromium found (looked at ${CANDIDATES.join(', ')}); install it with \`apt-get install chromium\` or set CHROMIUM_PATH`;
  if (process.env.REQUIRE_BROWSER === '1') throw new Error(`REQUIRE_BROWSER=1: ${why}`);
  return { missing: why };
}

export async function launchChromium(executablePath: string): Promise<Browser> {
  // Chromium's sandbox refuses to run as root (CI and these machines run as root).
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return chromium.launch({ executablePath, headless: true, args: root ? ['--no-sandbox'] : [], timeout: 30_000 });
}

/**
 * Tests in Chromium: skipped (and said why) without a browser; the browser is launched before
 * them, and it and every context they opened are closed after them.
 */
export function describeInChromium(body: (newContext: (options: BrowserContextOptions) => Promise<BrowserContext>) => void): void {
  const found = findChromium();
  const skipReason = 'missing' in found ? found.missing : undefined;
  if (skipReason) console.warn(`browser tests skipped: ${skipReason}`);
  describe.skipIf(!!skipReason)(`in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
    let browser: Browser;
    const contexts: BrowserContext[] = [];
    beforeAll(async () => {
      browser = await launchChromium((found as { path: string }).path);
    });
    afterAll(async () => {
      for (const c of contexts) await c.close().catch(() => {});
      await browser?.close();
    });
    body(async (options) => {
      const context = await browser.newContext(options);
      contexts.push(context);
      return context;
    });
  });
}

/** axe-core's source, injected into a page to check it against WCAG 2.1 A and AA. */
export function axeSource(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (createRequire(import.meta.url)('axe-core') as { source: string }).source;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * The WCAG 2.0/2.1 A and AA violations axe finds on the page as it stands. axe is evaluated
 * through the DevTools protocol, not added as a <script>: the page's CSP stays as served.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource());
  return page.evaluate(async () => {
    const { axe, document } = globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> }; document: unknown };
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
}

export const SCREENSHOT_DIR = path.resolve('test-output/screenshots');

/** A full-page screenshot in test-output/screenshots/<name>.png; its path is printed, so it is part of the test output. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, scale: 'css' });
  console.log(`screenshot: ${path.relative(process.cwd(), file)}`);
  return file;
}

type Doc = { document: { scrollingElement: { scrollWidth: number }; documentElement: { clientWidth: number } } };

/**
 * The pages of one browser test file, served at `base()`: each opened in a fresh context at
 * 1280 px in Swedish, with console errors (but for the statuses the file expects), page errors
 * and requests to other sites collected in `errors`; and `check`, which holds a page to WCAG 2.1
 * A/AA at 1280 and 375 px, with nothing wider than the phone, and photographs both as
 * `<prefix>-<name>-desktop` and `-telefon`.
 */
export function browserPages(newContext: (options: BrowserContextOptions) => Promise<BrowserContext>, base: () => string, prefix: string, expectedStatuses = /status of (40[0134]|409)/) {
  const errors: string[] = [];
  async function newPage(): Promise<Page> {
    const context = await newContext({ viewport: { width: 1280, height: 900 }, locale: 'sv-SE' });
    const page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && !expectedStatuses.test(m.text()) && errors.push(`${page.url()}: ${m.text()}`));
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith(base()) && !r.url().startsWith('data:')) errors.push(`external request ${r.url()}`);
    });
    return page;
  }
  async function check(page: Page, name: string): Promise<void> {
    expect(await axeViolations(page), `${name} desktop`).toEqual([]);
    await screenshot(page, `${prefix}-${name}-desktop`);
    await page.setViewportSize({ width: 375, height: 812 });
    const w = await page.evaluate(() => {
      const d = (globalThis as unknown as Doc).document;
      return { scroll: d.scrollingElement.scrollWidth, client: d.documentElement.clientWidth };
    });
    expect(w.client).toBe(375);
    expect(w.scroll, `${name}: wider than the phone`).toBeLessThanOrEqual(375);
    expect(await axeViolations(page), `${name} phone`).toEqual([]);
    await screenshot(page, `${prefix}-${name}-telefon`);
    await page.setViewportSize({ width: 1280, height: 900 });
  }
  return { errors, newPage, check };
}

/** A form POSTed to the admin pages as the browser sends it (same Origin), without following the redirect. */
export const postForm = (base: string, path: string, fields: Record<string, string>, cookie = '', headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base, ...(cookie ? { cookie } : {}), ...headers }, body: new URLSearchParams(fields).toString() });

/** Someone who uses the pages in a test: their Person row in a förbund, and the app's deployment and clock. */
export interface PagePerson {
  personId: string;
  name: string;
  email: string;
  prisma: PrismaClient;
  publicBaseUrl: string;
  now: () => Date;
}

/**
 * The förbund's person of this name, for signing in to the pages in a test: the Person row of that
 * name (given the role if it lacks it), or a new one (key `test-<name>`, address `<name>@test.example`
 * unless given). People sign in as themselves: the pages' role comes from the Person's roles
 * (official → the official's pages, secretary → the secretary's).
 */
export async function pagePerson(
  prisma: PrismaClient,
  o: { forbundId: string; name: string; role: 'official' | 'secretary' | 'board_member' | 'coordinator' | 'auditor' | 'economist'; publicBaseUrl: string; now: () => Date; email?: string },
): Promise<PagePerson> {
  const slug = o.name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '.').replace(/^\.|\.$/g, '');
  let row = await prisma.person.findFirst({ where: { forbundId: o.forbundId, name: o.name } });
  if (row && !row.roles.includes(o.role)) row = await prisma.person.update({ where: { id: row.id }, data: { roles: [...row.roles, o.role] } });
  row ??= await prisma.person.create({ data: { forbundId: o.forbundId, key: `test-${slug}`, name: o.name, email: o.email ?? `${slug}@test.example`, roles: [o.role] } });
  return { personId: row.id, name: row.name, email: row.email, prisma, publicBaseUrl: o.publicBaseUrl, now: o.now };
}

/**
 * Signed in without the mail, for speed: a session made in the database as the e-mail link makes
 * it (tests/sign-in.test.ts and tests/browser/inloggning.test.ts go through the link itself). The
 * Cookie header; with `forbund`, the förbund chosen too (a person of several).
 */
export async function sessionCookie(who: PagePerson, o: { forbund?: string } = {}): Promise<string> {
  const { secret } = await createSession(who.prisma, { email: who.email, via: 'email-link', userAgent: 'test', now: who.now() });
  return `${sessionCookieName(who.publicBaseUrl)}=${secret}${o.forbund ? `; ${forbundCookieName(who.publicBaseUrl)}=${o.forbund}` : ''}`;
}

/** Signs in to /admin for HTTP requests: the Cookie header of a new session. */
export const signInCookie = (_base: string, who: PagePerson): Promise<string> => sessionCookie(who);

/**
 * Signs the browser in to /admin and opens Att göra: a new session's cookie, set as the app sets it
 * (a response's Set-Cookie, here answered by the browser itself on a path the app does not serve;
 * Chromium refuses to be handed a `__Host-` cookie for a plain-http test server any other way).
 */
export async function signInInBrowser(page: Page, base: string, who: PagePerson): Promise<void> {
  const cookie = await sessionCookie(who);
  const secure = who.publicBaseUrl.startsWith('https:');
  const url = `${base}/admin/test-inloggning`;
  await page.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Inloggad</title>', headers: { 'set-cookie': `${cookie}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}` } }));
  await page.goto(url);
  // The route stays: a late request for the address (a reload, a prefetch) would otherwise reach the server and log a 404.
  await page.goto(`${base}/admin`);
  await page.waitForLoadState();
}

/** The ids of the page's form controls that have neither a label nor an aria-label. */
export function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const d = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ id: string; labels: ArrayLike<unknown> | null; getAttribute(n: string): string | null }> } }).document;
    return Array.from(d.querySelectorAll('input:not([type=hidden]), textarea, select')).filter((el) => !el.labels?.length && !el.getAttribute('aria-label')).map((el) => el.id);
  });
}
