// A real browser for the end-to-end tests: Debian's Chromium driven by playwright-core (which
// downloads no browser of its own). Found at CHROMIUM_PATH, /usr/bin/chromium or
// /usr/bin/chromium-browser; without one the browser tests skip and say why, except where
// REQUIRE_BROWSER=1 (CI installs Chromium and sets it), where they fail.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
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

/** Signs in to /admin over HTTP with a token: the session cookie. */
export async function signInCookie(base: string, token: string): Promise<string> {
  const res = await postForm(base, '/admin/logga-in', { token });
  expect(res.status).toBe(303);
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

/** Signs in to /admin in the browser, as a person does: the token typed into the form, Enter. */
export async function signInWithForm(page: Page, base: string, token: string): Promise<void> {
  await page.goto(`${base}/admin/logga-in`);
  await page.getByLabel('Din nyckel').fill(token);
  await page.getByLabel('Din nyckel').press('Enter');
  await page.waitForLoadState();
}

/** The ids of the page's form controls that have neither a label nor an aria-label. */
export function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const d = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ id: string; labels: ArrayLike<unknown> | null; getAttribute(n: string): string | null }> } }).document;
    return Array.from(d.querySelectorAll('input:not([type=hidden]), textarea, select')).filter((el) => !el.labels?.length && !el.getAttribute('aria-label')).map((el) => el.id);
  });
}
