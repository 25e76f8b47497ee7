// The coordinator's side in a real browser (Debian's Chromium through playwright-core), on the
// Sydnärke example placed in 2026: a coordinator opens the submission link, sees the project's
// goals, saves a draft, comes back and finds it, submits with a mistake (said next to the field),
// fixes it and submits, then corrects the report (version 2); the official's report page shows
// both versions and locks the report, after which the link shows it locked. axe-core against
// WCAG 2.1 A/AA at 1280 and 375 px, nothing wider than the phone, and screenshots of every page
// in test-output/screenshots/samordnare-*.png.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { parseForbundFile } from '../../domain/forbund-file.js';
import type { Database } from '../../prisma/db.js';
import { importForbund } from '../../services/import.js';
import { submissionLink } from '../../services/links.js';
import { browserPages, describeInChromium, pagePerson, signInInBrowser, type PagePerson } from '../support/browser.js';
import { testDatabase } from '../support/database.js';
import { serve } from '../support/http.js';
import { RecordingNotifier } from '../support/notifier.js';

// Friday 10 April 2026, 10:00 in Stockholm: Framsteget's first quarterly report is due 15 April.
const NOW = new Date('2026-04-10T08:00:00Z');
const PUBLIC_BASE = 'https://arscykel.example';
const SECRET = 's'.repeat(32);

let db: Database;
let served: { base: string; close(): Promise<void> };
let forbundId: string;
let reportId: string;
let goals: string[];
let official: PagePerson;
const notifier = new RecordingNotifier();

beforeAll(async () => {
  db = await testDatabase();
  const prisma = db.prisma;
  forbundId = (await importForbund(prisma, parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml'), { year: 2026, actor: 'import' })).forbundId;
  const o = await prisma.reportingObligation.findFirstOrThrow({ where: { project: { forbundId, key: 'framsteget' }, kind: 'quarterly', periodEnd: new Date('2026-03-31T00:00:00Z') }, include: { project: true } });
  reportId = o.id;
  goals = o.project.goals;
  official = await pagePerson(prisma, { forbundId, name: 'Raéd Shaqdih', role: 'official', publicBaseUrl: PUBLIC_BASE, now: () => NOW });
  served = await serve(createApp({ prisma, notifier, publicBaseUrl: PUBLIC_BASE, linkSecret: SECRET, now: () => NOW }));
}, 120_000);

afterAll(async () => {
  await served?.close();
  await db?.close();
});

/** The coordinator's link (from the mail), served by this test's server. */
const link = () => {
  const u = new URL(submissionLink(PUBLIC_BASE, SECRET, reportId));
  return `${served.base}${u.pathname}${u.search}`;
};

type Doc = { document: { scrollingElement: { scrollWidth: number }; documentElement: { clientWidth: number }; activeElement: { id: string } | null } };

describeInChromium((newContext) => {
  const { errors, newPage, check } = browserPages(newContext, () => served.base, 'samordnare', /status of (400|409)/);

  const text = async (p: Promise<string | null>) => (await p)?.replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();

  it('opens the link, sees the goals, saves a draft; coming back finds it filled in', async () => {
    const page = await newPage();
    const res = await page.goto(link());
    expect(res?.status()).toBe(200);
    expect(await text(page.locator('h1').textContent())).toBe('Kvartalsrapport 1 januari–31 mars 2026');
    expect(await text(page.locator('dl.facts').textContent())).toContain('InsatsFramsteget');
    for (const [i, g] of goals.entries()) expect(await text(page.locator('legend').nth(i).textContent())).toBe(`Mål ${i + 1}: ${g}`);
    await check(page, 'formular');

    await page.getByLabel('Kvinnor som nått målet').first().fill('2');
    await page.getByLabel('Män som nått målet').first().fill('3');
    await page.locator('#p-active-women').fill('14');
    await page.locator('#p-active-men').fill('11');
    await page.getByLabel('Beskrivning av arbetet under perioden').fill('Gruppen har startat.');
    await page.getByRole('button', { name: 'Spara utkast' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('status').textContent()).toContain('Utkastet är sparat');
    await check(page, 'utkast-sparat');
    expect(await db.prisma.submission.count({ where: { obligationId: reportId } })).toBe(0);

    // Later, in another browser session: the draft is there.
    const again = await newPage();
    await again.goto(link());
    expect(await text(again.locator('p.notice').last().textContent())).toMatch(/^Du har ett sparat utkast från 10 april 2026 kl\. 10\.00\./);
    expect(await again.locator('#goal-0-women').inputValue()).toBe('2');
    expect(await again.locator('#p-active-men').inputValue()).toBe('11');
    expect(await again.locator('#narrative').inputValue()).toBe('Gruppen har startat.');
  });

  it('submits with a mistake: the form comes back with the problem next to the field; fixed, it is received', async () => {
    const page = await newPage();
    await page.goto(link());
    for (let i = 0; i < goals.length; i++) await page.locator(`#goal-${i}-comment`).fill(`Mål ${i + 1}: enligt plan.`);
    for (const [row, w, m] of [['new', 'tre', '4'], ['ended', '2', '3'], ['toWork', '1', '2'], ['toStudies', '0', '1']]) {
      await page.locator(`#p-${row}-women`).fill(w);
      await page.locator(`#p-${row}-men`).fill(m);
    }
    await page.getByLabel('Upparbetade kostnader (kr)').fill('250 000');
    await page.getByLabel('Ditt namn').fill('Anna Bylin');
    const [bad] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Lämna rapporten' }).click()]);
    expect(bad.status()).toBe(400);
    await page.waitForLoadState();
    // The summary is focused first and links to the field; the field says what is wrong and keeps what was typed.
    expect(await page.evaluate(() => (globalThis as unknown as Doc).document.activeElement?.id ?? '')).not.toBe('p-new-women');
    expect(await text(page.locator('.error-summary').textContent())).toContain('Nya deltagare under perioden, kvinnor: Skriv ett heltal');
    const field = page.locator('#p-new-women');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await field.inputValue()).toBe('tre');
    expect((await field.getAttribute('aria-describedby'))!.split(' ')).toContain('p-new-women-fel');
    expect(await text(page.locator('#p-new-women-fel').textContent())).toBe('Fel: Skriv ett heltal, 0 eller större, med bara siffror.');
    expect(await page.locator('#goal-0-comment').inputValue()).toBe('Mål 1: enligt plan.');
    await check(page, 'fel');
    await page.locator('.error-summary a').first().click();
    expect(await page.evaluate(() => (globalThis as unknown as Doc).document.activeElement?.id)).toBe('p-new-women');
    expect(await db.prisma.submission.count({ where: { obligationId: reportId } })).toBe(0);

    await field.fill('3');
    const [ok] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Lämna rapporten' }).click()]);
    expect(ok.status()).toBe(201);
    await page.waitForLoadState();
    expect(await text(page.locator('h1').textContent())).toBe('Tack – rapporten är mottagen');
    expect(await text(page.locator('main').textContent())).toContain('Rapporten kom in i tid (sista dag 15 april 2026).');
    expect(await text(page.locator('table.figs tbody tr').first().textContent())).toBe('Deltagare aktiva under perioden141125');
    await check(page, 'tack');
    const stored = await db.prisma.submission.findFirstOrThrow({ where: { obligationId: reportId } });
    expect(stored).toMatchObject({ version: 1, late: false, submittedBy: 'Anna Bylin' });
    expect(await db.prisma.submissionDraft.count({ where: { obligationId: reportId } })).toBe(0);
    expect(notifier.reportingCalls).toHaveLength(1);
  });

  it('corrects the report from the receipt: version 2, the first kept', async () => {
    const page = await newPage();
    await page.goto(link());
    expect(await text(page.locator('p.notice').first().textContent())).toContain('Rapporten är redan inlämnad (version 1)');
    expect(await page.locator('#p-active-women').inputValue()).toBe('14');
    await check(page, 'rattelse');
    await page.locator('#p-active-women').fill('15');
    await page.getByLabel('Beskrivning av arbetet under perioden').fill('Gruppen har startat. Rättat: femton kvinnor.');
    const [ok] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Lämna rättelsen' }).click()]);
    expect(ok.status()).toBe(201);
    await page.waitForLoadState();
    expect(await text(page.locator('p.lead').textContent())).toContain('version 2 (en rättelse)');
    const versions = await db.prisma.submission.findMany({ where: { obligationId: reportId }, orderBy: { version: 'asc' } });
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
  });

  it("the official's report page shows both versions and locks the report; the link then shows it locked", async () => {
    const page = await newPage();
    await signInInBrowser(page, served.base, official);
    await page.goto(`${served.base}/admin/rapporter/${reportId}`);
    expect(await text(page.locator('#version-2').textContent())).toBe('Version 2 (senaste)');
    expect(await text(page.locator('main').textContent())).toContain('Inlämnad 10 april 2026 kl. 10.00 av Anna Bylin. I tid');
    expect(await text(page.locator('section table.figs tbody tr').first().textContent())).toBe('Deltagare aktiva under perioden151126');
    expect(await text(page.locator('main').textContent())).toContain('Rättat: femton kvinnor.');
    const older = page.locator('details', { hasText: 'Version 1' });
    expect(await older.getAttribute('open')).toBeNull();
    await older.locator('summary').click();
    expect(await text(older.locator('table.figs tbody tr').first().textContent())).toBe('Deltagare aktiva under perioden141125');
    for (const g of goals) expect(await text(page.locator('main').textContent())).toContain(g);
    await check(page, 'tjansteperson-rapport');

    await page.getByRole('button', { name: 'Lås rapporten' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('status').textContent()).toContain('Rapporten är låst');
    expect((await db.prisma.reportingObligation.findUniqueOrThrow({ where: { id: reportId } })).lockedAt).not.toBeNull();

    const coordinator = await newPage();
    await coordinator.goto(link());
    expect(await text(coordinator.locator('p.notice').textContent())).toContain('Rapporten är låst');
    expect(await coordinator.locator('form').count()).toBe(0);
    await check(coordinator, 'last');
  });

  it('no page logged an error, broke the CSP, or asked another site for anything', () => {
    expect(errors).toEqual([]);
  });
});
