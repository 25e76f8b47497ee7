// The projects pages in a real browser (Debian's Chromium through playwright-core), on the
// Sydnärke example placed in 2026: the official creates a project from the page (a mistake first,
// shown next to its field), sees its reports planned, changes it (the end earlier: reports
// withdrawn, shown after saving), the workflow told (RecordingNotifier); the secretary reads but
// has no create or change links and is refused on POST. axe-core against WCAG 2.1 A/AA at 1280 and
// 375 px, nothing wider than the phone, screenshots in test-output/screenshots/projekt-*.png.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { parseForbundFile } from '../../domain/forbund-file.js';
import type { Database } from '../../prisma/db.js';
import { importForbund } from '../../services/import.js';
import { browserPages, describeInChromium, type PagePerson, pagePerson, postForm, signInCookie, signInInBrowser } from '../support/browser.js';
import { testDatabase } from '../support/database.js';
import { serve } from '../support/http.js';
import { RecordingNotifier } from '../support/notifier.js';

// Monday 4 May 2026, 10:00 in Stockholm.
const NOW = new Date('2026-05-04T08:00:00Z');

let db: Database;
let served: { base: string; close(): Promise<void> };
let forbundId: string;
const notifier = new RecordingNotifier();
const people = {} as Record<'official' | 'secretary', PagePerson>;

beforeAll(async () => {
  db = await testDatabase();
  forbundId = (await importForbund(db.prisma, parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml'), { year: 2026, actor: 'import' })).forbundId;
  people.official = await pagePerson(db.prisma, { forbundId, name: 'Raéd Shaqdih', role: 'official', publicBaseUrl: 'https://arscykel.example', now: () => NOW });
  people.secretary = await pagePerson(db.prisma, { forbundId, name: 'Sara Sekreterare', role: 'secretary', publicBaseUrl: 'https://arscykel.example', now: () => NOW });
  served = await serve(createApp({ prisma: db.prisma, notifier, publicBaseUrl: 'https://arscykel.example', linkSecret: 'a'.repeat(32), now: () => NOW }));
}, 120_000);

afterAll(async () => {
  await served?.close();
  await db?.close();
});

const post = (path: string, fields: Record<string, string>, cookie: string) => postForm(served.base, path, fields, cookie);

const signIn = (who: PagePerson) => signInCookie(served.base, who);

describe('over HTTP', () => {
  it('the secretary reads the projects but is refused (403, Swedish, nothing saved) on creating, changing and their forms', async () => {
    const cookie = await signIn(people.secretary);
    const list = await fetch(`${served.base}/admin/insatser`, { headers: { cookie } });
    expect(list.status).toBe(200);
    const text = await list.text();
    expect(text).toContain('<h1>Insatser</h1>');
    expect(text).not.toContain('href="/admin/ny-insats"');
    const one = await (await fetch(`${served.base}/admin/insatser/pa-vag`, { headers: { cookie } })).text();
    expect(one).toContain('<h1>På väg</h1>');
    expect(one).not.toContain('/admin/insatser/pa-vag/andra');
    const before = await db.prisma.project.count();
    for (const [path, fields] of [
      ['/admin/ny-insats', { name: 'Smyginsats', start: '2026-06-01', end: '2026-12-31', coordinator: 'official' }],
      ['/admin/insatser/pa-vag/andra', { name: 'Ändrad', start: '2026-01-01', end: '2026-12-31', coordinator: 'official' }],
    ] as const) {
      const res = await post(path, fields, cookie);
      expect(res.status, path).toBe(403);
      expect(await res.text()).toContain('Bara tjänstepersonen kan göra det');
      expect((await fetch(`${served.base}${path}`, { headers: { cookie } })).status, `GET ${path}`).toBe(403);
    }
    expect(await db.prisma.project.count()).toBe(before);
    expect((await db.prisma.project.findFirstOrThrow({ where: { forbundId, key: 'pa-vag' } })).name).toBe('På väg');
    expect(notifier.reportingCalls).toEqual([]);
  });

  it('unknown projects are Swedish 404 pages', async () => {
    const cookie = await signIn(people.official);
    for (const path of ['/admin/insatser/finns-inte', '/admin/insatser/finns-inte/andra']) {
      const res = await fetch(`${served.base}${path}`, { headers: { cookie } });
      expect(res.status, path).toBe(404);
      expect(await res.text()).toContain('<h1>Insatsen finns inte</h1>');
    }
  });
});


describeInChromium((newContext) => {
  const { errors, newPage, check } = browserPages(newContext, () => served.base, 'projekt');

  const text = async (p: Promise<string | null>) => (await p)?.replace(/\u2060/g, '').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();

  const signInAs = (page: Page, who: PagePerson) => signInInBrowser(page, served.base, who);

  it('the official creates a project (a mistake first, next to its field), sees its reports planned, moves its end earlier and sees the reports withdrawn; the workflow is told', async () => {
    notifier.reset();
    const page = await newPage();
    await signInAs(page, people.official);
    await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Insatser' }).click();
    await page.waitForLoadState();
    expect(page.url()).toBe(`${served.base}/admin/insatser`);
    expect(await page.title()).toBe('Insatser – Årscykel');
    expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual(['Pågående och kommande', 'Avslutade', 'Återkallade']);
    const paVag = page.locator('ul.cards > li', { has: page.getByRole('link', { name: 'På väg', exact: true }) });
    expect(await text(paVag.locator('dl').innerText())).toContain('Samordnare Samordnare På väg (exempel)');
    await check(page, 'lista');

    await page.getByRole('link', { name: 'Ny insats' }).click();
    await page.waitForLoadState();
    expect(await page.title()).toBe('Ny insats – Årscykel');
    await check(page, 'ny');
    await page.getByLabel('Namn', { exact: true }).fill('Steg framåt');
    await page.getByLabel('Diarienummer (valfritt)').fill('2026-00031');
    await page.getByLabel('Huvudman (valfritt)').fill('Kumla kommun');
    await page.getByLabel('Startdatum').fill('2026-06-01');
    await page.getByLabel('Slutdatum').fill('2026-05-31'); // the mistake: before the start
    await page.getByLabel('Person i förbundet').selectOption('ny');
    await page.getByLabel('Den nya samordnarens namn').fill('Lina Lindqvist');
    await page.getByLabel('Den nya samordnarens e-post').fill('lina.lindqvist@kumla.example');
    for (const kind of ['Halvårsrapport', 'Årsrapport', 'Ekonomisk redovisning']) await page.getByRole('checkbox', { name: new RegExp(`^${kind}`) }).uncheck();
    await page.getByLabel('År, rad 1').fill('2026');
    await page.getByLabel('Kronor, rad 1').fill('600 000');
    await page.getByLabel('År, rad 2').fill('2027');
    await page.getByLabel('Kronor, rad 2').fill('1 210 000 kr');
    await page.getByLabel('Mål').fill('40 % av deltagarna går vidare till arbete eller studier.\n\nMinst 30 deltagare per år.');
    await page.getByRole('button', { name: 'Spara insatsen' }).click();
    await page.waitForLoadState();

    // Refused: the problem next to the end date, in the summary, what was typed kept, nothing saved.
    expect(await db.prisma.project.count({ where: { forbundId, key: 'steg-framat' } })).toBe(0);
    const end = page.getByLabel('Slutdatum');
    expect(await end.getAttribute('aria-invalid')).toBe('true');
    expect((await end.getAttribute('aria-describedby'))!.split(' ')).toContain('slut-fel');
    expect(await text(page.locator('#slut-fel').textContent())).toBe('Fel: Slutdatum kan inte ligga före startdatum, 1 juni 2026.');
    const summary = page.getByRole('alert');
    expect(await summary.getByRole('link').allTextContents()).toEqual(['Slutdatum kan inte ligga före startdatum, 1 juni 2026.']);
    expect(await summary.getByRole('link').getAttribute('href')).toBe('#slut');
    expect(await page.getByLabel('Namn', { exact: true }).inputValue()).toBe('Steg framåt');
    expect(await page.getByLabel('Kronor, rad 2').inputValue()).toBe('1 210 000 kr');
    expect(await page.getByLabel('Person i förbundet').inputValue()).toBe('ny');
    expect(await page.getByRole('checkbox', { name: /^Halvårsrapport/ }).isChecked()).toBe(false);
    expect(await page.getByRole('checkbox', { name: /^Kvartalsrapport/ }).isChecked()).toBe(true);
    await check(page, 'ny-fel');

    await end.fill('2027-06-30');
    await page.getByRole('button', { name: 'Spara insatsen' }).click();
    await page.waitForLoadState();
    expect(new URL(page.url()).pathname).toBe('/admin/insatser/steg-framat');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Steg framåt');
    expect(await text(page.getByRole('status').textContent())).toContain('Insatsen är sparad och dess rapporter planerade.');
    const planned = page.locator('#andringar');
    expect(await planned.getByRole('heading', { level: 3 }).allTextContents()).toEqual(['Planerade rapporter']);
    expect((await planned.locator('li').allTextContents()).map((t) => t.replace(/\u00a0/g, ' '))).toEqual([
      'Kvartalsrapport 1 juni–30 juni 2026, sista dag 15 juli 2026',
      'Kvartalsrapport 1 juli–30 september 2026, sista dag 15 oktober 2026',
      'Kvartalsrapport 1 oktober–31 december 2026, sista dag 15 januari 2027',
      'Kvartalsrapport 1 januari–31 mars 2027, sista dag 15 april 2027',
      'Slutrapport 1 juni 2026–30 juni 2027, sista dag 30 augusti 2027',
    ]);
    const facts = await text(page.locator('dl.facts').innerText());
    expect(facts).toContain('Kortnamn steg-framat');
    expect(facts).toContain('Diarienummer 2026-00031');
    expect(facts).toContain('Samordnare Lina Lindqvist, lina.lindqvist@kumla.example');
    expect(facts).toContain('Rapporter Kvartalsrapport, slutrapport');
    expect(await page.locator('#mal + ul li').allTextContents()).toEqual(['40 % av deltagarna går vidare till arbete eller studier.', 'Minst 30 deltagare per år.']);
    expect((await text(page.locator('table.grants-table tbody').innerText()))).toBe('2026 600 000 2027 1 210 000 Totalt 1 810 000');
    const reports = page.locator('ul.reports > li');
    expect(await reports.count()).toBe(5);
    const first = await db.prisma.reportingObligation.findFirstOrThrow({ where: { project: { forbundId, key: 'steg-framat' } }, orderBy: { dueDate: 'asc' } });
    expect(await reports.first().getByRole('link').getAttribute('href')).toBe(`/admin/rapporter/${first.id}`);
    expect(await text(reports.first().textContent())).toBe('Kvartalsrapport 1 juni–30 juni 2026 Sista dag 15 juli 2026 Väntar');
    const created = await db.prisma.project.findFirstOrThrow({ where: { forbundId, key: 'steg-framat' }, include: { coordinator: true } });
    expect(created).toMatchObject({ grants: { '2026': 600000, '2027': 1210000 }, reportKinds: ['quarterly', 'final'], huvudman: 'Kumla kommun' });
    expect(created.coordinator).toMatchObject({ key: 'lina-lindqvist', email: 'lina.lindqvist@kumla.example', roles: ['coordinator'] });
    expect(notifier.reportingCalls).toEqual([{ projectId: created.id, reason: 'project created' }]);
    await check(page, 'insats');

    // The end moved earlier: the reports no longer owed are withdrawn, shown after saving.
    await page.getByRole('link', { name: 'Ändra insatsen' }).click();
    await page.waitForLoadState();
    expect(await page.title()).toBe('Ändra Steg framåt – Årscykel');
    expect(await page.getByLabel('Person i förbundet').inputValue()).toBe('lina-lindqvist');
    expect(await page.getByLabel('Kronor, rad 2').inputValue()).toBe('1 210 000');
    await check(page, 'andra');
    await page.getByLabel('Slutdatum').fill('2027-03-31');
    await page.getByRole('button', { name: 'Spara ändringarna' }).click();
    await page.waitForLoadState();
    expect(new URL(page.url()).pathname).toBe('/admin/insatser/steg-framat');
    expect(await text(page.getByRole('status').textContent())).toBe('Ändringarna är sparade.');
    const changed = page.locator('#andringar');
    expect(await changed.getByRole('heading', { level: 2 }).textContent()).toBe('Så ändrades rapporterna');
    expect(await changed.getByRole('heading', { level: 3 }).allTextContents()).toEqual(['Nya rapporter', 'Återkallade rapporter – de behövs inte längre']);
    expect((await changed.locator('ul').nth(0).locator('li').allTextContents()).map((t) => t.replace(/\u00a0/g, ' '))).toEqual(['Slutrapport 1 juni 2026–31 mars 2027, sista dag 31 maj 2027']);
    expect((await changed.locator('ul').nth(1).locator('li').allTextContents()).map((t) => t.replace(/\u00a0/g, ' '))).toEqual([
      'Kvartalsrapport 1 januari–31 mars 2027, sista dag 15 april 2027',
      'Slutrapport 1 juni 2026–30 juni 2027, sista dag 30 augusti 2027',
    ]);
    expect(await text(page.locator('ul.reports > li', { hasText: 'Kvartalsrapport 1 januari–31 mars 2027' }).locator('.tag').textContent())).toBe('Återkallad');
    expect(notifier.reportingCalls.map((c) => c.reason)).toEqual(['project created', 'project changed']);
    expect(await db.prisma.reportingObligation.count({ where: { projectId: created.id, status: 'withdrawn' } })).toBe(2);
    await check(page, 'andrad');

    // Saved again as it is: nothing changes, nobody is told.
    await page.getByRole('link', { name: 'Ändra insatsen' }).click();
    await page.waitForLoadState();
    await page.getByRole('button', { name: 'Spara ändringarna' }).click();
    await page.waitForLoadState();
    expect(await text(page.getByRole('status').textContent())).toBe('Inget var ändrat, så inget har sparats.');
    expect(notifier.reportingCalls).toHaveLength(2);

    // The list shows it among the active ones, with its next report.
    await page.goto(`${served.base}/admin/insatser`);
    const card = page.locator('ul.cards > li', { has: page.getByRole('link', { name: 'Steg framåt' }) });
    expect(await text(card.locator('dl').innerText())).toBe('Period 1 juni 2026–31 mars 2027 (har inte börjat) Samordnare Lina Lindqvist Nästa rapport Kvartalsrapport 1 juni–30 juni 2026, sista dag 15 juli 2026 Försenade Inga');
    expect(errors).toEqual([]);
  });

  it('the secretary reads the project pages, with no create or change links', async () => {
    const page = await newPage();
    await signInAs(page, people.secretary);
    await page.goto(`${served.base}/admin/insatser`);
    expect(await page.getByRole('link', { name: 'Ny insats' }).count()).toBe(0);
    expect(await text(page.locator('main').textContent())).toContain('Tjänstepersonen lägger till och ändrar insatser.');
    await check(page, 'lista-sekreterare');
    await page.getByRole('link', { name: 'På väg', exact: true }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('link', { name: 'Ändra insatsen' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: /Återkalla/ }).count()).toBe(0);
    expect(await text(page.locator('main').textContent())).toContain('Tjänstepersonen kan ändra eller återkalla insatsen.');
    await check(page, 'insats-sekreterare');
    expect(errors).toEqual([]);
  });
});
