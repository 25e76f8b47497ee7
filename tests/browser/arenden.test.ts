// The diarium (Ärenden) in a real browser (Debian's Chromium through playwright-core), with the
// Sydnärke example placed in 2037 and the workflows on Temporal's time-skipping test server (the
// production worker, real activities, a real SMTP peer), as tests/browser/styrelse.test.ts runs
// them. The official opens Ärenden from the menu, registers a matter for the February board (the
// banner says its Dnr, linked), registers a second one with the same title (a warning naming the
// first, then "Registrera ändå"), filters the list and opens a matter; the secretary marks the
// matter prepared from the February board's page (the matter's workflow answers). axe-core against
// WCAG 2.1 A/AA at 1280 and 375 px, no sideways overflow on the phone, every control labelled,
// screenshots in test-output/screenshots/arenden-*.png.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMailer } from '../../activities/mail.js';
import { createApp } from '../../api/app.js';
import { parseForbundFile } from '../../domain/forbund-file.js';
import type { Database } from '../../prisma/db.js';
import { importForbund } from '../../services/import.js';
import { notifyBoardMeetings } from '../../services/styrelse.js';
import { type OutboxNotifier } from '../../worker/client.js';
import { browserPages, describeInChromium, pagePerson, type PagePerson, signInInBrowser, unlabelledControls } from '../support/browser.js';
import { testDatabase } from '../support/database.js';
import { serve } from '../support/http.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { advanceTo, eventually, runWorker, TASK_QUEUE, testNotifier, timeSkippingServer, type RunningWorker, type TestWorkflowEnvironment } from '../support/temporal.js';

const LINK_SECRET = 'a'.repeat(32);
const PUBLIC_BASE = 'http://arscykel.test';
const TITLE = 'Ansökan om medel: Steg framåt';

let db: Database;
let smtp: TestSmtpServer;
let env: TestWorkflowEnvironment;
let worker: RunningWorker;
let notifier: OutboxNotifier;
let served: { base: string; close(): Promise<void> };
let forbundId: string;
let febId: string;
let clock = new Date('2037-01-05T09:00:00Z');
const people = {} as Record<'official' | 'secretary', PagePerson>;

beforeAll(async () => {
  [db, smtp] = await Promise.all([testDatabase(), startSmtpServer()]);
  env = await timeSkippingServer();
  notifier = testNotifier(db.prisma);
  notifier.connect(env.client, TASK_QUEUE);
  worker = await runWorker(env, { prisma: db.prisma, mailer: createMailer({ prisma: db.prisma, transport: smtp.transport, log: () => {} }), publicBaseUrl: PUBLIC_BASE, linkSecret: LINK_SECRET, searchAttributes: false, notifier });
  await advanceTo(env, '2037-01-05T09:00:00Z');
  clock = new Date(await env.currentTimeMs());
  forbundId = (await importForbund(db.prisma, parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml'), { year: 2037, actor: 'test' })).forbundId;
  febId = (await db.prisma.meeting.findFirstOrThrow({ where: { forbundId, year: 2037, key: 'styrelse-02' } })).id;
  people.official = await pagePerson(db.prisma, { forbundId, name: 'Raéd Shaqdih', role: 'official', publicBaseUrl: PUBLIC_BASE, now: () => clock });
  people.secretary = await pagePerson(db.prisma, { forbundId, name: 'Sara Sekreterare', role: 'secretary', publicBaseUrl: PUBLIC_BASE, now: () => clock });
  served = await serve(createApp({ prisma: db.prisma, notifier, publicBaseUrl: PUBLIC_BASE, linkSecret: LINK_SECRET, now: () => clock }));
  // As the import does: every board meeting ahead gets its workflow, which registers the year plan's matters.
  expect(await notifyBoardMeetings(db.prisma, notifier, forbundId, 'förbund file imported', clock)).toBe(true);
  await eventually(async () => expect(await db.prisma.matter.count({ where: { forbundId, meetingId: febId } })).toBeGreaterThan(0), 30_000);
}, 180_000);

afterAll(async () => {
  await served?.close();
  await worker?.stop();
  await env?.teardown();
  await Promise.all([db?.close(), smtp?.close()]);
});

describeInChromium((newContext) => {
  const { errors, newPage, check } = browserPages(newContext, () => served.base, 'arenden');
  const text = async (p: Promise<string | null>) => (await p)?.replace(/\u2060/g, '').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();
  const submitAndWait = async (page: Page, click: () => Promise<void>) => void (await Promise.all([page.waitForNavigation(), click()]));
  const rows = (page: Page) => page.locator('table tbody tr');

  it('the official opens Ärenden, registers a matter (its Dnr said), and a second with the same title only after the warning', async () => {
    const page = await newPage();
    await signInInBrowser(page, served.base, people.official);
    await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Ärenden' }).click();
    await page.waitForLoadState();
    expect(new URL(page.url()).pathname).toBe('/admin/arenden');
    expect(await page.title()).toBe('Ärenden – Årscykel');
    expect(await page.getByRole('link', { name: 'Ärenden', exact: true }).getAttribute('aria-current')).toBe('page');
    expect(await rows(page).count()).toBeGreaterThan(0);
    expect(await unlabelledControls(page)).toEqual([]);
    await check(page, 'diarium');

    await page.locator('summary', { hasText: 'Registrera ett ärende' }).click();
    // The owner list names each person once, by name and Swedish title.
    const owners = await page.getByLabel('Ansvarig').locator('option').allTextContents();
    expect(owners).toEqual([...new Set(owners)]);
    expect(owners.filter((o) => o.startsWith('Raéd Shaqdih'))).toEqual(['Raéd Shaqdih (förbundschef)']);
    await page.getByLabel('Rubrik', { exact: true }).fill(TITLE);
    await page.getByLabel('Slag av ärende').selectOption({ label: 'Ansökan om medel' });
    await page.getByLabel('Ansvarig').selectOption('official');
    const meeting = page.getByLabel('Styrelsemöte');
    const feb = (await meeting.locator('option').allTextContents()).find((o) => o.startsWith('Styrelsemöte 27 februari 2037'));
    expect(feb).toMatch(/^Styrelsemöte 27 februari 2037 \(ärenden senast 13 februari 2037 kl\. 17\.00\)$/);
    await meeting.selectOption({ label: feb! });
    await submitAndWait(page, () => page.getByRole('button', { name: 'Registrera ärendet' }).click());

    const first = await db.prisma.matter.findFirstOrThrow({ where: { forbundId, title: TITLE } });
    expect(first).toMatchObject({ meetingId: febId, kind: 'funding_application', owner: 'official', status: 'registered' });
    expect(new URL(page.url()).hash).toBe('#registrerat');
    const banner = page.getByRole('status');
    expect(await text(banner.textContent())).toMatch(new RegExp(`^Ärendet är registrerat med Dnr ${first.dnr}\\. ?Det går till styrelsemöte 27 februari 2037\\. Det ska beredas och markeras som berett senast 13 februari 2037 kl\\. 17\\.00`));
    expect(await banner.getByRole('link', { name: first.dnr }).getAttribute('href')).toBe(`/admin/arenden/${first.dnr}`);
    await check(page, 'registrerat');

    // The same title again (another case, other spaces): a warning naming the first; nothing stored.
    await page.locator('summary', { hasText: 'Registrera ett ärende' }).click();
    await page.getByLabel('Rubrik', { exact: true }).fill(`  ansökan om MEDEL:  steg framåt`);
    await page.getByLabel('Slag av ärende').selectOption({ label: 'Ansökan om medel' });
    await page.getByLabel('Ansvarig').selectOption('official');
    const [answer] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Registrera ärendet' }).click()]);
    expect(answer?.status()).toBe(409);
    const warning = page.locator('#arende-dubblett');
    expect(await text(warning.locator('p').first().textContent())).toBe(`Det finns redan ett öppet ärende med samma rubrik: Dnr ${first.dnr} ${TITLE} (registrerat, inte berett).`);
    expect(await warning.getByRole('link', { name: first.dnr }).getAttribute('href')).toBe(`/admin/arenden/${first.dnr}`);
    expect(await db.prisma.matter.count({ where: { forbundId, title: { contains: 'steg framåt', mode: 'insensitive' } } })).toBe(1);
    // What was typed is kept in the form below.
    expect(await page.getByLabel('Rubrik', { exact: true }).inputValue()).toBe('ansökan om MEDEL:  steg framåt');
    await check(page, 'dubblett');

    await submitAndWait(page, () => warning.getByRole('button', { name: 'Registrera ändå' }).click());
    const second = await db.prisma.matter.findFirstOrThrow({ where: { forbundId, title: 'ansökan om MEDEL:  steg framåt' } });
    expect(second.dnr).not.toBe(first.dnr);
    expect(await text(page.getByRole('status').textContent())).toContain(`Ärendet är registrerat med Dnr ${second.dnr}.`);
  }, 120_000);

  it('the list is filtered by a text and a state through the GET form, and a row opens its matter', async () => {
    const page = await newPage();
    await signInInBrowser(page, served.base, people.secretary);
    await page.goto(`${served.base}/admin/arenden`);
    const search = page.getByRole('search', { name: 'Filtrera ärendena' });
    await search.getByLabel('Dnr eller rubrik').fill('STEG');
    await search.getByLabel('Läge').selectOption({ label: 'Registrerat, inte berett' });
    await search.getByLabel('Slag').selectOption({ label: 'Ansökan om medel' });
    await submitAndWait(page, () => search.getByRole('button', { name: 'Visa ärenden' }).click());
    const url = new URL(page.url());
    expect(url.pathname).toBe('/admin/arenden');
    expect(Object.fromEntries(url.searchParams)).toEqual({ sok: 'STEG', lage: 'registered', slag: 'funding_application', ar: '' });
    expect(await rows(page).count()).toBe(2);
    const second = await db.prisma.matter.findFirstOrThrow({ where: { forbundId, title: 'ansökan om MEDEL:  steg framåt' } });
    const cells = (await rows(page).first().locator('td').allTextContents()).map((c) => c.replace(/\s+/g, ' ').trim());
    expect(cells).toEqual([`${second.dnr} ansökan om MEDEL: steg framåt`, 'ansökan om MEDEL: steg framåt', 'Ansökan om medel', 'Raéd Shaqdih (förbundschef)', 'Registrerat, inte berett', 'Styrelsemöte 23 januari 2037']);
    expect(await text(page.locator('#lista + p, section[aria-labelledby="lista"] > p').first().textContent())).toBe('2 ärenden med filtret.');
    // The secretary reads the diarium but does not register.
    expect(await page.locator('summary', { hasText: 'Registrera ett ärende' }).count()).toBe(0);
    await check(page, 'filter');

    const first = await db.prisma.matter.findFirstOrThrow({ where: { forbundId, title: TITLE } });
    await submitAndWait(page, () => page.getByRole('link', { name: new RegExp(`^${first.dnr}`) }).click());
    expect(new URL(page.url()).pathname).toBe(`/admin/arenden/${first.dnr}`);
    expect(await text(page.locator('h1').textContent())).toBe(`Dnr ${first.dnr} ${TITLE}`);
    expect(await text(page.locator('section[aria-labelledby="mote"]').textContent())).toContain('Ärendet ska till Styrelsemöte 27 februari 2037.');
    expect(await page.getByRole('button', { name: 'Markera som berett' }).count()).toBe(1);
    await check(page, 'arende');
  }, 120_000);

  it('the secretary marks the matter prepared from the February board\'s page; the matter\'s workflow answers', async () => {
    const matter = await db.prisma.matter.findFirstOrThrow({ where: { forbundId, title: TITLE } });
    const page = await newPage();
    await signInInBrowser(page, served.base, people.secretary);
    await page.goto(`${served.base}/admin/moten/${febId}`);
    const section = page.locator('section[aria-labelledby="arenden"]');
    const item = section.locator('li', { hasText: `${matter.dnr} ${TITLE}` });
    expect(await item.getByRole('link', { name: matter.dnr }).getAttribute('href')).toBe(`/admin/arenden/${matter.dnr}`);
    const buttons = await section.getByRole('button', { name: /^Markera som berett/ }).count();
    expect(buttons).toBe(await db.prisma.matter.count({ where: { meetingId: febId, status: 'registered' } }));
    await check(page, 'mote');

    await submitAndWait(page, () => item.getByRole('button', { name: /^Markera som berett/ }).click());
    const url = new URL(page.url());
    expect(url.pathname).toBe(`/admin/moten/${febId}`);
    expect(url.hash).toBe('#arenden');
    expect(await text(section.getByRole('status').textContent())).toBe('Ärendet är markerat som berett och kommer på föredragningslistan när den stängs.');
    expect((await db.prisma.matter.findUniqueOrThrow({ where: { id: matter.id } })).status).toBe('prepared');
    expect(await text(section.locator('li', { hasText: `${matter.dnr} ${TITLE}` }).textContent())).toMatch(/\(berett; ansvarig: /);
    expect(await section.locator('li', { hasText: `${matter.dnr} ${TITLE}` }).getByRole('button').count()).toBe(0);
    expect(await section.getByRole('button', { name: /^Markera som berett/ }).count()).toBe(buttons - 1);
    await check(page, 'mote-berett');
    expect(errors).toEqual([]);
  }, 120_000);
});
