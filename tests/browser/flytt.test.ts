// Moving a meeting asks before it acts, and the official sets the go-live, on the year page in a
// real browser (Debian's Chromium through playwright-core), on the Sydnärke example placed in 2026
// (issue 18): the move form, the confirmation page (GOV.UK warning text, what will happen, "Flytta
// ändå" and "Avbryt") with nothing stored or told until confirmed; the "I Årscykel sedan" row with
// the official's "Ändra" form, its errors next to the field; axe-core against WCAG 2.1 A/AA, a
// phone's 375 px, and screenshots in test-output/screenshots/flytt-*.png.
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
  await db.prisma.forbund.update({ where: { id: forbundId }, data: { goLiveOn: new Date('2026-01-01T00:00:00Z') } });
  people.official = await pagePerson(db.prisma, { forbundId, name: 'Raéd Shaqdih', role: 'official', publicBaseUrl: 'https://arscykel.example', now: () => NOW });
  people.secretary = await pagePerson(db.prisma, { forbundId, name: 'Sara Sekreterare', role: 'secretary', publicBaseUrl: 'https://arscykel.example', now: () => NOW });
  served = await serve(createApp({ prisma: db.prisma, notifier, publicBaseUrl: 'https://arscykel.example', linkSecret: 'b'.repeat(32), now: () => NOW }));
}, 120_000);

afterAll(async () => {
  await served?.close();
  await db?.close();
});

describe('over HTTP', () => {
  it('only the official may change the go-live (403 for the secretary, nothing changed)', async () => {
    const cookie = await signInCookie(served.base, people.secretary);
    const res = await postForm(served.base, '/admin/ar/2026/i-arscykel-sedan', { date: '2026-02-01' }, cookie);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Bara tjänstepersonen kan göra det');
    expect((await db.prisma.forbund.findUniqueOrThrow({ where: { id: forbundId } })).goLiveOn?.toISOString().slice(0, 10)).toBe('2026-01-01');
  });
});

type Doc = { document: { activeElement: { tagName: string; textContent: string | null } | null } };

describeInChromium((newContext) => {
  const { errors, newPage, check } = browserPages(newContext, () => served.base, 'flytt');
  const text = async (p: Promise<string | null>) => (await p)?.replace(/\u2060/g, '').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();
  const focusedText = (page: Page) => page.evaluate(() => {
    const a = (globalThis as unknown as Doc).document.activeElement;
    return a ? `${a.tagName} ${a.textContent?.replace(/\s+/g, ' ').trim()}` : null;
  });

  it('the secretary moves a board meeting into its kallelse window: a confirmation first; "Avbryt" changes nothing; "Flytta ändå" moves it', async () => {
    notifier.reset();
    const page = await newPage();
    await signInInBrowser(page, served.base, people.secretary);
    await page.goto(`${served.base}/admin/ar/2026`);
    const june = await db.prisma.meeting.findFirstOrThrow({ where: { forbundId, year: 2026, key: 'styrelse-06' } });
    const card = page.locator(`#mote-${june.id}`);
    await card.locator('summary').click();
    // Friday 8 May: the kallelse was due Thursday 30 April (1 May is a holiday); the beredningsgrupp and the beredning come after.
    await card.getByLabel('Datum', { exact: true }).fill('2026-05-08');
    await card.getByRole('button', { name: /^Spara ny tid/ }).click();
    await page.waitForLoadState();

    expect(await page.title()).toBe('Flytta Styrelsemöte 12 juni 2026 till 8 maj 2026? – Årscykel');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Flytta Styrelsemöte 12 juni 2026 till 8 maj 2026?');
    const facts = page.locator('dl.facts');
    expect(await facts.locator('dt').allTextContents()).toEqual(['Möte', 'Nu', 'Ny tid', 'Plats']);
    expect((await facts.locator('dd').allTextContents()).map((s) => s.replace(/\s+/g, ' '))).toEqual(['Styrelsemöte', 'fredagen den 12 juni 2026 kl. 9.00–12.00', 'fredagen den 8 maj 2026 kl. 9.00–12.00', june.location ?? 'Ingen plats angiven']);
    // GOV.UK warning text: the icon hidden from screen readers, "Varning" said to them.
    const warning = page.locator('.warning-text');
    expect(await text(warning.locator('strong').textContent())).toBe('Varning: Om du flyttar mötet händer det här.');
    expect(await warning.locator('[aria-hidden="true"]').textContent()).toBe('!');
    expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual(['Det här händer om du flyttar mötet']);
    const items = (await page.locator('main ul li').allTextContents()).map((s) => s.replace(/\s+/g, ' '));
    expect(items).toHaveLength(4);
    expect(items[0]).toBe('Kallelsen ska gå ut senast 30 april 2026, en dag som redan har varit: kallelsen går ut direkt.');
    expect(items[1]).toBe('Ledamöterna ska kallas 7 dagar före mötet, men det är bara 4 dagar kvar till den nya dagen: 7-dagarsfristen kan inte hållas.');
    expect(items[2]).toMatch(/^Beredningsgruppens möte är .* 2026: beredningsgruppens möte ligger efter mötet/);
    expect(items[3]).toMatch(/^Beredningen är .* 2026: beredningen ligger efter mötet, och ärendena hinner inte beredas före sammanträdet\.$/);
    // Nothing stored, audited or told yet.
    expect((await db.prisma.meeting.findUniqueOrThrow({ where: { id: june.id } })).sequence).toBe(june.sequence);
    expect(await db.prisma.auditEvent.count({ where: { forbundId, action: 'meeting.moved', entityId: june.id } })).toBe(0);
    expect(notifier.cycleCalls).toEqual([]);
    expect(notifier.meetingCalls).toEqual([]);
    // The keyboard: "Flytta ändå", then "Avbryt".
    await page.getByRole('button', { name: 'Flytta ändå' }).focus();
    await page.keyboard.press('Tab');
    expect(await focusedText(page)).toBe('A Avbryt');
    await check(page, 'bekrafta');

    // "Avbryt": back on the year page at the meeting, unchanged.
    await page.getByRole('link', { name: 'Avbryt' }).click();
    await page.waitForLoadState();
    expect(page.url()).toBe(`${served.base}/admin/ar/2026#mote-${june.id}`);
    expect(await text(page.locator(`#mote-${june.id}`).getByRole('heading', { level: 3 }).textContent())).toBe('Styrelsemöte 12 juni 2026');
    expect(notifier.cycleCalls).toEqual([]);

    // Again, and "Flytta ändå": moved, the workflows told, the consequences confirmed in the audit event.
    await card.locator('summary').click();
    await card.getByLabel('Datum', { exact: true }).fill('2026-05-08');
    await card.getByLabel('Börjar', { exact: true }).fill('13:00');
    await card.getByLabel('Slutar', { exact: true }).fill('15:00');
    await card.getByRole('button', { name: /^Spara ny tid/ }).click();
    await page.waitForLoadState();
    expect(await text(page.locator('dl.facts dd').nth(2).textContent())).toBe('fredagen den 8 maj 2026 kl. 13.00–15.00');
    await page.getByRole('button', { name: 'Flytta ändå' }).click();
    await page.waitForLoadState();
    const moved = page.locator(`#mote-${june.id}`);
    expect(await moved.getByRole('status').textContent()).toBe('Mötet är flyttat. Deltagarna får en ändrad kalenderinbjudan.');
    expect(await text(moved.getByRole('heading', { level: 3 }).textContent())).toBe('Styrelsemöte 8 maj 2026');
    expect(await text(moved.locator('dl').first().textContent())).toContain('fredagen den 8 maj 2026 kl. 13.00–15.00');
    const row = await db.prisma.meeting.findUniqueOrThrow({ where: { id: june.id } });
    expect(row.sequence).toBe(june.sequence + 1);
    expect(notifier.cycleCalls).toEqual([{ forbundId, year: 2026, reason: 'meeting moved' }]);
    expect(notifier.meetingCalls).toEqual([{ meetingId: june.id, reason: 'meeting moved' }]);
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { forbundId, action: 'meeting.moved', entityId: june.id } });
    expect(audit.data).toMatchObject({ confirmed: ['kallelse-at-once', 'kallelse-term-broken', 'preparation-after-meeting', 'preparation-after-meeting'] });
    expect(audit.actor).toMatch(/^person:\S+ Sara Sekreterare \(secretary\)$/);

    // A quiet move (a working day ahead, nothing in the way) is made at once, as before.
    notifier.reset();
    const aug = await db.prisma.meeting.findFirstOrThrow({ where: { forbundId, year: 2026, key: 'styrelse-08' } });
    const augCard = page.locator(`#mote-${aug.id}`);
    await augCard.locator('summary').click();
    await augCard.getByLabel('Börjar', { exact: true }).fill('10:00');
    await augCard.getByRole('button', { name: /^Spara ny tid/ }).click();
    await page.waitForLoadState();
    expect(await page.locator(`#mote-${aug.id}`).getByRole('status').textContent()).toBe('Mötet är flyttat. Deltagarna får en ändrad kalenderinbjudan.');
    expect(notifier.meetingCalls).toEqual([{ meetingId: aug.id, reason: 'meeting moved' }]);
    // The secretary reads the go-live but may not change it.
    expect(await page.locator('#i-arscykel-sedan-rad dt').textContent()).toBe('I Årscykel sedan');
    expect(await text(page.locator('#i-arscykel-sedan-rad dd').textContent())).toBe('1 januari 2026');
    expect(await page.locator('#i-arscykel-sedan-rad summary').count()).toBe(0);
  });

  it('the official changes "I Årscykel sedan": a date after today is shown as an error next to the field; a good one is saved and the workflows told', async () => {
    notifier.reset();
    const page = await newPage();
    await signInInBrowser(page, served.base, people.official);
    await page.goto(`${served.base}/admin/ar/2026`);
    const row = page.locator('#i-arscykel-sedan-rad');
    expect(await text(row.locator('dt').textContent())).toBe('I Årscykel sedan');
    expect(await text(row.locator('dd').first().textContent())).toBe('1 januari 2026');
    const summary = row.locator('summary');
    expect(await text(summary.textContent())).toBe('Ändra datum då förbundet började i Årscykel');
    await summary.focus();
    await page.keyboard.press('Enter');
    const field = page.getByLabel('Datum då förbundet började i Årscykel');
    expect(await field.getAttribute('max')).toBe('2026-05-04');
    expect(await field.inputValue()).toBe('2026-01-01');
    await check(page, 'ar-i-arscykel-sedan');

    await field.fill('2026-05-05');
    await page.getByRole('button', { name: 'Spara datumet' }).click();
    await page.waitForLoadState();
    const again = page.getByLabel('Datum då förbundet började i Årscykel');
    expect(await again.getAttribute('aria-invalid')).toBe('true');
    expect(await text(page.locator('#i-arscykel-sedan-fel').textContent())).toBe('Fel: Datumet får inte vara senare än i dag.');
    expect(await page.getByRole('alert').getByRole('link').getAttribute('href')).toBe('#i-arscykel-sedan');
    expect(await again.inputValue()).toBe('2026-05-05');
    expect((await db.prisma.forbund.findUniqueOrThrow({ where: { id: forbundId } })).goLiveOn?.toISOString().slice(0, 10)).toBe('2026-01-01');
    expect(notifier.cycleCalls).toEqual([]);
    await check(page, 'ar-i-arscykel-sedan-fel');

    await again.fill('2026-02-01');
    await page.getByRole('button', { name: 'Spara datumet' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('status').first().textContent()).toBe('Datumet då förbundet började i Årscykel är ändrat. Det som skulle ha gjorts före det påminns inte om och eskaleras inte.');
    expect(await text(page.locator('#i-arscykel-sedan-rad dd').first().textContent())).toBe('1 februari 2026');
    expect((await db.prisma.forbund.findUniqueOrThrow({ where: { id: forbundId } })).goLiveOn?.toISOString().slice(0, 10)).toBe('2026-02-01');
    expect(notifier.cycleCalls).toEqual([{ forbundId, year: 2026, reason: 'go-live changed' }]);
    expect(notifier.meetingCalls.length).toBeGreaterThan(0);
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { forbundId, action: 'forbund.go-live-changed' } });
    expect(audit.data).toEqual({ from: '2026-01-01', to: '2026-02-01' });
    expect(audit.actor).toMatch(/^person:\S+ Raéd Shaqdih \(admin\)$/);
  });

  it('no browser errors on any page', () => {
    expect(errors).toEqual([]);
  });
});
