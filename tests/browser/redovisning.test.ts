// The year page's "Årsredovisning och ansvarsfrihet" in a real browser (Debian's Chromium through
// playwright-core), on the Sydnärke example on 10 May 2037: the årsredovisning 2036 is adopted and
// with the revisorer, its revisionsberättelse uploaded to the matter. The official opens the
// section, sends a date in the future without choosing the handling (the error summary names both
// fields, each link reaching its field), then registers it; the chain (played by a fake notifier
// whose `update` records the call and writes what the workflow's activities would: the
// registration, the papers sent to each member) then has every member waiting, and the official
// records one member's decision. The secretary reads the section without forms. axe-core against
// WCAG 2.1 A/AA at 1280 and 375 px, screenshots in test-output/screenshots/redovisning-*.png. The
// workflow path itself: tests/redovisning-workflow.test.ts.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { parseForbundFile } from '../../domain/forbund-file.js';
import type { Database } from '../../prisma/db.js';
import { uploadHandling } from '../../services/handlingar.js';
import { importForbund } from '../../services/import.js';
import { registerMatter } from '../../services/styrelse.js';
import { browserPages, describeInChromium, pagePerson, signInInBrowser, type PagePerson } from '../support/browser.js';
import { testDatabase } from '../support/database.js';
import { serve } from '../support/http.js';
import { ChainNotifier } from '../support/chain-notifier.js';

const PUBLIC_BASE = 'https://arscykel.example';
const NOW = new Date('2037-05-10T08:00:00Z');


let db: Database;
let served: { base: string; close(): Promise<void> };
const notifier = new ChainNotifier(() => db, NOW, { sendToMembers: { replyBy: new Date('2037-07-05T00:00:00Z') } });
const people = {} as Record<'official' | 'secretary', PagePerson>;
const ids = {} as { forbund: string; report: string; rb: string };

beforeAll(async () => {
  db = await testDatabase();
  const prisma = db.prisma;
  const forbundId = (ids.forbund = (await importForbund(prisma, parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml'), { year: 2037, actor: 'import' })).forbundId);
  const pdf = (text: string) => ({ name: 'dokument.pdf', data: Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`) });
  const matter = await registerMatter(prisma, forbundId, { title: 'Årsredovisning och bokslut 2036', kind: 'report', owner: 'official' }, new Date('2037-02-01T09:00:00Z'), 'test');
  await uploadHandling(prisma, forbundId, matter.dnr, { title: 'Årsredovisning 2036', file: pdf('arsredovisning') }, 'test');
  ids.rb = (await uploadHandling(prisma, forbundId, matter.dnr, { title: 'Revisionsberättelse 2036', file: pdf('rb') }, 'test')).id;
  ids.report = (await prisma.statutoryReport.create({ data: { forbundId, year: 2036, kind: 'arsredovisning', matterId: matter.id, adoptedAt: new Date('2037-03-15T10:00:00Z'), adoptedBy: `beslut ${matter.dnr} § 6`, sentToAuditorsAt: new Date('2037-03-15T10:05:00Z') } })).id;
  const official = await prisma.person.findFirstOrThrow({ where: { forbundId, roles: { has: 'official' } } });
  people.official = await pagePerson(prisma, { forbundId, name: official.name, role: 'official', publicBaseUrl: PUBLIC_BASE, now: () => NOW });
  people.secretary = await pagePerson(prisma, { forbundId, name: 'Sara Sekreterare', role: 'secretary', publicBaseUrl: PUBLIC_BASE, now: () => NOW });
  served = await serve(createApp({ prisma, notifier, publicBaseUrl: PUBLIC_BASE, linkSecret: 'b'.repeat(32), now: () => NOW }));
}, 120_000);

afterAll(async () => {
  await served?.close();
  await db?.close();
});

const text = async (p: Promise<string | null>) => (await p)?.replace(/\u2060/g, '').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();

describeInChromium((newContext) => {
  const { errors, newPage, check } = browserPages(newContext, () => served.base, 'redovisning');
  const section = (page: Page) => page.locator('section[aria-labelledby="ansvarsfrihet"]');

  it('the official registers the revisionsberättelse (a wrong date refused first), then a member’s decision', async () => {
    const page = await newPage();
    await signInInBrowser(page, served.base, people.official);
    // Att göra links to the section.
    await page.goto(`${served.base}/admin?typ=revision`);
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: /^Registrera revisionsberättelsen/ }).first().click()]);
    expect(page.url()).toBe(`${served.base}/admin/ar/2037#ansvarsfrihet`);
    const s = section(page);
    expect(await text(s.locator('h3').first().textContent())).toBe('Årsredovisning 2036');
    expect(await text(s.locator('dl').first().textContent())).toContain('Väntar på revisionsberättelsen');
    await check(page, 'ar');

    await s.locator('summary', { hasText: 'Registrera revisionsberättelsen' }).click();
    await s.getByLabel('Revisionsberättelsens datum').fill('2099-01-01');
    await Promise.all([page.waitForNavigation(), s.getByRole('button', { name: 'Registrera revisionsberättelsen' }).click()]);
    const summary = page.locator('.error-summary');
    expect(await summary.getByRole('link').allTextContents()).toEqual(['Datumet kan inte vara senare än i dag.', 'Välj revisionsberättelsen bland ärendets handlingar (ladda upp den på ärendet först).']);
    // Each link reaches its field (the radios' first one).
    expect(await page.locator(`#rb-${ids.report}-datum`).inputValue()).toBe('2099-01-01');
    expect(await page.locator(`#rb-${ids.report}-handling`).count()).toBe(1);
    expect(notifier.updates).toEqual([]);
    await check(page, 'revisionsberattelse-fel');
    await section(page).screenshot({ path: 'test-output/screenshots/redovisning-sektion-fel.png' });

    await section(page).getByLabel('Revisionsberättelsens datum').fill('2037-04-15');
    await section(page).getByLabel(/^Revisionsberättelse 2036/).check();
    await Promise.all([page.waitForNavigation(), section(page).getByRole('button', { name: 'Registrera revisionsberättelsen' }).click()]);
    expect(notifier.updates.map((u) => [u.name, u.target, u.args.auditReportOn, u.args.documentId])).toEqual([['registerAuditReport', { reportId: ids.report }, '2037-04-15', ids.rb]]);
    const after = section(page);
    expect(await text(after.locator('.flash').textContent())).toContain('Revisionsberättelsen är registrerad.');
    expect(await after.getByRole('link', { name: /^15 april 2037: Revisionsberättelse 2036/ }).getAttribute('href')).toBe(`/admin/handlingar/${ids.rb}`);
    const rows = after.locator('table tbody tr');
    const members = await db.prisma.member.count({ where: { forbundId: ids.forbund } });
    expect(await rows.count()).toBe(members);
    for (const state of await rows.locator('td:nth-child(2)').allTextContents()) expect(state).toBe('Väntar på beslut');
    await check(page, 'ansvarsfrihet');
    await after.screenshot({ path: 'test-output/screenshots/redovisning-sektion.png' });

    // The first member's decision.
    const first = (await text(rows.first().locator('th').textContent()))!;
    await after.locator('summary', { hasText: `Registrera medlemmens beslut: ${first}` }).click();
    const panel = after.locator('details[open]');
    await panel.getByLabel('Ansvarsfrihet beviljas', { exact: true }).check();
    await panel.getByLabel('Beslutsdag').fill('2037-05-10');
    await panel.getByLabel('Medlemmens referens (valfri)').fill('KF § 45');
    await Promise.all([page.waitForNavigation(), panel.getByRole('button', { name: /^Registrera beslutet/ }).click()]);
    expect(await text(section(page).locator('.flash').textContent())).toContain('Medlemmens beslut om ansvarsfrihet är registrerat.');
    const row = section(page).locator('table tbody tr', { hasText: first });
    expect(await text(row.textContent())).toContain('Ansvarsfrihet beviljad');
    expect(await text(row.textContent())).toContain('KF § 45');
    expect(errors).toEqual([]);
  }, 90_000);

  it('the secretary reads the section, with no forms', async () => {
    const page = await newPage();
    await signInInBrowser(page, served.base, people.secretary);
    await page.goto(`${served.base}/admin/ar/2037#ansvarsfrihet`);
    const s = section(page);
    expect(await s.locator('table tbody tr').count()).toBeGreaterThan(0);
    expect(await s.locator('form').count()).toBe(0);
    expect(await text(s.textContent())).toContain('Tjänstepersonen registrerar revisionsberättelsen och medlemmarnas beslut.');
    await check(page, 'ar-sekreterare');
    expect(errors).toEqual([]);
  }, 60_000);
});
