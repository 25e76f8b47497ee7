// The review before publication in a real browser (Debian's Chromium through playwright-core): a
// coordinator submits a report with a first name in its text (the form says what becomes public
// and when); the official finds it under Att göra, sees the warnings on the report's page, tries
// to approve an empty text (the error summary), redacts and approves; the public page shows the
// redacted text and the admin page both texts; the secretary reads but cannot review. A report
// whose period has not ended is approved but not published; a correction arriving while the
// official reads gives the 409 page; sent back, the reason is required. (The mail that reaches
// the coordinator is asserted through the real reporting activity and an SMTP peer in
// tests/granskning-workflow.test.ts.) axe-core at 1280 and 375 px on every page.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { parseForbundFile } from '../../domain/forbund-file.js';
import type { Database } from '../../prisma/db.js';
import { importForbund } from '../../services/import.js';
import { submissionLink } from '../../services/links.js';
import { browserPages, describeInChromium, pagePerson, signInInBrowser, type PagePerson } from '../support/browser.js';
import { testDatabase } from '../support/database.js';
import { apiCaller, serve } from '../support/http.js';
import { RecordingNotifier } from '../support/notifier.js';

const FILE = `
forbund: { id: sydnarke, name: Samordningsförbundet Sydnärke, email: kansli@sydnarke.example, year: 2026 }
members:
  - { id: kumla, name: Kumla kommun, kind: municipality }
  - { id: regionen, name: Region Örebro län, kind: region }
  - { id: fk, name: Försäkringskassan, kind: forsakringskassan }
  - { id: af, name: Arbetsförmedlingen, kind: arbetsformedlingen }
people:
  - { id: official, name: Olga Tjänsteman, email: olga@sydnarke.example, roles: [official] }
  - { id: secretary, name: Sixten Sekreterare, email: sixten@sydnarke.example, roles: [secretary] }
  - { id: co, name: Klara Samordnare, email: klara@sydnarke.example, roles: [coordinator] }
bodies: { styrelse: { members: [] } }
reporting:
  kinds:
    quarterly: { dueDays: 15 }
projects:
  - { id: pa-vag, name: På väg, huvudman: Försäkringskassan, coordinator: co, start: 2026-01-01, end: 2027-12-31, goals: ["Minst 10 deltagare till arbete."], reports: [quarterly] }
cycle:
  meetings:
    - { id: styrelse-1, body: styrelse, date: 2026-12-10 }
`;

// Monday 7 December 2026, 11:00 in Stockholm.
const NOW = new Date('2026-12-07T10:00:00Z');
const PUBLIC_BASE = 'https://arscykel.example';
const SECRET = 'b'.repeat(32);
const SUBMITTED = 'En deltagare, Anna från Kumla, fick jobb under kvartalet.\n\nGruppen har träffats varje vecka.';
const REDACTED = 'En av deltagarna fick jobb under kvartalet.\n\nGruppen har träffats varje vecka.';

let db: Database;
let served: { base: string; close(): Promise<void> };
let q3: string;
let q4: string;
let official: PagePerson;
let secretary: PagePerson;
const call = apiCaller(() => served.base);

beforeAll(async () => {
  db = await testDatabase();
  const prisma = db.prisma;
  const { forbundId } = await importForbund(prisma, parseForbundFile(FILE, 'sydnarke.yaml'), { actor: 'import' });
  const ob = (end: string) => prisma.reportingObligation.findFirstOrThrow({ where: { project: { forbundId }, periodEnd: new Date(`${end}T00:00:00Z`) } });
  q3 = (await ob('2026-09-30')).id;
  q4 = (await ob('2026-12-31')).id;
  official = await pagePerson(prisma, { forbundId, name: 'Olga Tjänsteman', role: 'official', publicBaseUrl: PUBLIC_BASE, now: () => NOW });
  secretary = await pagePerson(prisma, { forbundId, name: 'Sixten Sekreterare', role: 'secretary', publicBaseUrl: PUBLIC_BASE, now: () => NOW });
  served = await serve(createApp({ prisma, notifier: new RecordingNotifier(), publicBaseUrl: PUBLIC_BASE, linkSecret: SECRET, now: () => NOW }));
}, 120_000);

afterAll(async () => {
  await served?.close();
  await db?.close();
});

const link = (id: string) => {
  const u = new URL(submissionLink(PUBLIC_BASE, SECRET, id));
  return `${u.pathname}${u.search}`;
};

describeInChromium((newContext) => {
  const { errors, newPage, check } = browserPages(newContext, () => served.base, 'granskning', /status of (400|403|409)/);
  const text = async (p: Promise<string | null>) => (await p)?.replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();

  it('the coordinator is told what becomes public and when, and submits a text with a first name', async () => {
    const page = await newPage();
    await page.goto(`${served.base}${link(q3)}`);
    const notice = await text(page.locator('#publicering').textContent());
    expect(notice).toContain('Det här blir offentligt.');
    expect(notice).toContain('publiceras på förbundets webbplats när förbundschefen har granskat rapporten, tidigast 1 oktober 2026');
    expect(notice).toContain('Förbundschefen läser texten först och kan stryka det som kan peka ut en deltagare.');
    await check(page, 'formular');
    await page.locator('#goal-0-women').fill('2');
    await page.locator('#goal-0-men').fill('3');
    await page.locator('#goal-0-comment').fill('Fem har fått arbete.');
    await page.locator('#p-active-women').fill('12');
    await page.locator('#p-active-men').fill('9');
    await page.getByLabel('Beskrivning av arbetet under perioden').fill(SUBMITTED);
    const [ok] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Lämna rapporten' }).click()]);
    expect(ok.status()).toBe(201);
    await page.waitForLoadState();
    expect(await text(page.locator('main').textContent())).toContain('tidigast 1 oktober 2026');
    // Not public while it waits.
    expect(await (await fetch(`${served.base}/forbund/sydnarke/rapporter`)).text()).not.toContain('Anna');
  });

  it('the official sees the warning, redacts and approves; the admin page shows both texts', async () => {
    const page = await newPage();
    await signInInBrowser(page, served.base, official);
    await page.goto(`${served.base}/admin?typ=granskning`);
    const step = page.locator('ol.steps > li', { hasText: 'före publicering' });
    expect(await step.count()).toBe(1);
    expect(await text(step.textContent())).toContain('Granska kvartalsrapport');
    await check(page, 'att-gora');
    await step.getByRole('link', { name: /^Granska rapporten/ }).click();
    await page.waitForLoadState();
    expect(new URL(page.url()).pathname).toBe(`/admin/rapporter/${q3}`);
    const section = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Granskning före publicering' }) });
    const warnings = await section.locator('ul.warnings li').allTextContents();
    expect(warnings.some((w) => w.includes('”Anna” ser ut att vara ett förnamn'))).toBe(true);
    expect(warnings.some((w) => w.includes('”Kumla” är ett ortnamn'))).toBe(true);
    expect(await page.locator('#granska-beskrivning').inputValue()).toBe(SUBMITTED);
    expect(await page.locator('#granska-mal-1').inputValue()).toBe('Fem har fått arbete.');
    await check(page, 'rapport-granska');

    // An empty text: the error summary, the field marked, nothing approved.
    await page.locator('#granska-beskrivning').fill('');
    const [bad] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Godkänn för publicering' }).click()]);
    expect(bad.status()).toBe(400);
    await page.waitForLoadState();
    expect(await text(page.locator('.error-summary').textContent())).toContain('Texten att publicera får inte vara tom');
    expect(await page.locator('#granska-beskrivning').getAttribute('aria-invalid')).toBe('true');
    await check(page, 'rapport-granska-fel');
    expect((await db.prisma.submission.findFirstOrThrow({ where: { obligationId: q3 } })).reviewStatus).toBe('pending');

    await page.locator('#granska-beskrivning').fill(REDACTED);
    await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Godkänn för publicering' }).click()]);
    await page.waitForLoadState();
    expect(await page.getByRole('status').first().textContent()).toContain('godkänd för publicering med din ändrade text');
    const both = page.locator('.texts');
    expect(await text(both.locator('section').nth(0).textContent())).toContain('Inlämnad text');
    expect(await text(both.locator('section').nth(0).textContent())).toContain('Anna från Kumla');
    expect(await text(both.locator('section').nth(1).textContent())).toContain('Publicerad text');
    expect(await text(both.locator('section').nth(1).textContent())).toContain('En av deltagarna fick jobb');
    expect(await text(page.locator('#granskning-avsnitt').textContent())).toContain('Version 1 är godkänd för publicering och visas på förbundets webbplats sedan 7 december 2026');
    expect(await page.getByRole('button', { name: 'Godkänn för publicering' }).count()).toBe(0);
    await check(page, 'rapport-godkand');
  });

  it('the public page shows the redacted text, never the submitted one', async () => {
    const page = await newPage();
    await page.goto(`${served.base}/forbund/sydnarke/rapporter`);
    const main = await text(page.locator('main').textContent());
    expect(main).toContain('En av deltagarna fick jobb under kvartalet.');
    expect(main).not.toMatch(/Anna|från Kumla/);
    await check(page, 'offentlig');
  });

  it('the secretary reads the review but cannot review', async () => {
    await call(`/api/v1/submissions/${q4}${new URL(submissionLink(PUBLIC_BASE, SECRET, q4)).search}`, { method: 'POST', json: { figures: { goals: [{ value: 4, comment: 'Fyra nya kontakter.' }] }, narrative: 'Fjärde kvartalet pågår.', submittedBy: 'Klara Samordnare' } });
    const page = await newPage();
    await signInInBrowser(page, served.base, secretary);
    await page.goto(`${served.base}/admin/rapporter/${q4}`);
    expect(await text(page.locator('#granskning-avsnitt').textContent())).toContain('väntar på förbundschefens granskning');
    expect(await page.getByRole('button', { name: 'Godkänn för publicering' }).count()).toBe(0);
    expect(await page.locator('#granska-beskrivning').count()).toBe(0);
    await check(page, 'sekreterare');
    // Posting anyway: 403.
    const res = await page.request.post(`${served.base}/admin/rapporter/${q4}/granska`, { form: { version: '1', beslut: 'godkann', narrative: 'x' }, headers: { origin: served.base } });
    expect(res.status()).toBe(403);
    expect((await db.prisma.submission.findFirstOrThrow({ where: { obligationId: q4 } })).reviewStatus).toBe('pending');
  });

  it('a correction arriving while the official reads: the 409 page; sent back, the reason is required; approved before its period ends, it is not published', async () => {
    const page = await newPage();
    await signInInBrowser(page, served.base, official);
    await page.goto(`${served.base}/admin/rapporter/${q4}`);
    // Meanwhile the coordinator corrects it (version 2).
    await call(`/api/v1/submissions/${q4}${new URL(submissionLink(PUBLIC_BASE, SECRET, q4)).search}`, { method: 'POST', json: { figures: { goals: [{ value: 5, comment: 'Fem nya kontakter.' }] }, narrative: 'Fjärde kvartalet pågår, rättad.', submittedBy: 'Klara Samordnare' } });
    const [stale] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Godkänn för publicering' }).click()]);
    expect(stale.status()).toBe(409);
    await page.waitForLoadState();
    expect(await text(page.locator('h1').textContent())).toBe('Rapporten har ändrats sedan du läste den');
    expect(await text(page.locator('main').textContent())).toContain('ny version (version 2)');
    await check(page, 'andrad-409');

    await page.goto(`${served.base}/admin/rapporter/${q4}`);
    const [bad] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Skicka tillbaka till samordnaren' }).click()]);
    expect(bad.status()).toBe(400);
    await page.waitForLoadState();
    expect(await text(page.locator('.error-summary').textContent())).toContain('Skriv varför rapporten skickas tillbaka');
    expect(await page.locator('#granska-anledning').getAttribute('aria-invalid')).toBe('true');
    await check(page, 'tillbaka-fel');

    // Approved instead: public only from the day after the period, 1 January 2027.
    await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Godkänn för publicering' }).click()]);
    await page.waitForLoadState();
    expect(await text(page.locator('#granskning-avsnitt').textContent())).toContain('visas på förbundets webbplats från 1 januari 2027, dagen efter att perioden slutar');
    const pub = await (await fetch(`${served.base}/forbund/sydnarke/rapporter`)).text();
    expect(pub).not.toContain('Fjärde kvartalet');
    expect(pub).toContain('En av deltagarna fick jobb');
  });

  it('no page logged an error, broke the CSP, or asked another site for anything', () => {
    expect(errors).toEqual([]);
  });
});
