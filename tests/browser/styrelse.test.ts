// A board meeting's page in a real browser (Debian's Chromium through playwright-core), with the
// Sydnärke example placed in 2037 and every action reaching the meeting's workflow on Temporal's
// time-skipping test server (the production worker, real activities, a real SMTP peer), as
// tests/api-styrelse.test.ts runs them. The official registers a matter for the February board
// (a mistake first); the secretary opens the meeting from the year page, reports a förhinder,
// sends the kallelse now after a confirmation, records the decisions once the meeting is held (a
// mistake first, answered by the workflow), sends the minutes to the justerare and registers
// the justering; the mails are read off the SMTP peer. axe-core against WCAG 2.1 A/AA at 1280 and
// 375 px, no sideways overflow on the phone, the keyboard, and screenshots in
// test-output/screenshots/styrelse-*.png. Over plain HTTP: the session, the PDF, 404, 403, 409,
// and 503 with Temporal away (nothing changed).
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer } from '../../activities/mail.js';
import { createApp } from '../../api/app.js';
import { parseForbundFile } from '../../domain/forbund-file.js';
import type { Database } from '../../prisma/db.js';
import { importForbund } from '../../services/import.js';
import { notifyBoardMeetings } from '../../services/styrelse.js';
import { offlineNotifier, type OutboxNotifier } from '../../worker/client.js';
import { markPrepared } from '../../workflows/signals.js';
import { browserPages, describeInChromium, type PagePerson, pagePerson, postForm, signInCookie, signInInBrowser, unlabelledControls } from '../support/browser.js';
import { testDatabase } from '../support/database.js';
import { serve } from '../support/http.js';
import { keyOf, toOf } from '../support/mails.js';
import { pdfText } from '../support/pdf.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { advanceTo, eventually, runWorker, TASK_QUEUE, testNotifier, timeSkippingServer, type RunningWorker, type TestWorkflowEnvironment } from '../support/temporal.js';

const LINK_SECRET = 's'.repeat(32);
const PUBLIC_BASE = 'http://arscykel.test';

let db: Database;
let smtp: TestSmtpServer;
let env: TestWorkflowEnvironment;
let worker: RunningWorker;
let notifier: OutboxNotifier;
let served: { base: string; close(): Promise<void> };
let offline: { base: string; close(): Promise<void> };
let forbundId: string;
let febId: string;
let clock = new Date('2037-01-05T09:00:00Z');
const people = {} as Record<'official' | 'secretary', PagePerson>;
const OFFICIAL = { actor: 'token:00000000-0000-0000-0000-000000000002 Raéd Shaqdih (admin)' };

/** Moves Temporal's clock (and the app's) to `iso`; what falls due on the way runs. */
async function to(iso: string | Date) {
  await advanceTo(env, iso);
  clock = new Date(await env.currentTimeMs());
}

beforeAll(async () => {
  [db, smtp] = await Promise.all([testDatabase(), startSmtpServer()]);
  env = await timeSkippingServer();
  notifier = testNotifier(db.prisma);
  notifier.connect(env.client, TASK_QUEUE);
  worker = await runWorker(env, { prisma: db.prisma, mailer: createMailer({ prisma: db.prisma, transport: smtp.transport, log: () => {} }), publicBaseUrl: PUBLIC_BASE, linkSecret: LINK_SECRET, searchAttributes: false, notifier });
  await to('2037-01-05T09:00:00Z');
  forbundId = (await importForbund(db.prisma, parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml'), { year: 2037, actor: 'test' })).forbundId;
  febId = (await db.prisma.meeting.findFirstOrThrow({ where: { forbundId, year: 2037, key: 'styrelse-02' } })).id;
  people.official = await pagePerson(db.prisma, { forbundId, name: 'Raéd Shaqdih', role: 'official', publicBaseUrl: PUBLIC_BASE, now: () => clock });
  people.secretary = await pagePerson(db.prisma, { forbundId, name: 'Sara Sekreterare', role: 'secretary', publicBaseUrl: PUBLIC_BASE, now: () => clock });
  served = await serve(createApp({ prisma: db.prisma, notifier, publicBaseUrl: PUBLIC_BASE, linkSecret: LINK_SECRET, now: () => clock }));
  offline = await serve(createApp({ prisma: db.prisma, notifier: offlineNotifier, publicBaseUrl: PUBLIC_BASE, linkSecret: LINK_SECRET, now: () => clock }));
  // As the import does: every board meeting ahead gets its workflow, which invites the ledamöter.
  expect(await notifyBoardMeetings(db.prisma, notifier, forbundId, 'förbund file imported', clock)).toBe(true);
  await eventually(async () => expect(await db.prisma.attendance.count({ where: { meetingId: febId } })).toBe(7), 30_000);
}, 180_000);

afterAll(async () => {
  await served?.close();
  await offline?.close();
  await worker?.stop();
  await env?.teardown();
  await Promise.all([db?.close(), smtp?.close()]);
});

const mailsKeyed = (prefix: string) => smtp.messages.filter((m) => keyOf(m).startsWith(prefix));

// --- over HTTP ---

const post = postForm;
const signIn = signInCookie;

describe('over HTTP', () => {
  it('the page needs a session; another meeting kind or an unknown id is a Swedish 404; the PDF comes through the session', async () => {
    const noSession = await fetch(`${served.base}/admin/moten/${febId}`, { redirect: 'manual' });
    expect(noSession.status).toBe(303);
    expect(noSession.headers.get('location')).toBe('/admin/logga-in');
    const cookie = await signIn(served.base, people.secretary);
    const res = await fetch(`${served.base}/admin/moten/${febId}`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('<h1>Styrelsemöte 27 februari 2037</h1>');
    expect(page).toContain(`href="/admin/moten/${febId}/skicka-kallelse"`);
    const bg = await db.prisma.meeting.findFirstOrThrow({ where: { forbundId, year: 2037, kind: 'beredningsgrupp' } });
    for (const id of [bg.id, 'nej']) {
      const nf = await fetch(`${served.base}/admin/moten/${id}`, { headers: { cookie } });
      expect(nf.status, id).toBe(404);
      expect(await nf.text()).toContain('<h1>Mötet finns inte</h1>');
    }
    const pdf = await fetch(`${served.base}/admin/moten/${febId}/kallelse.pdf`, { headers: { cookie } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe('inline; filename="kallelse-2037-02-27.pdf"');
    expect(await pdfText(new Uint8Array(await pdf.arrayBuffer()))).toContain('Mötets öppnande');
    // The page is listed in the OpenAPI document.
    const doc = (await (await fetch(`${served.base}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/admin/moten/{id}'] ?? {})).toEqual(['get']);
    expect(Object.keys(doc.paths['/admin/moten/{id}/punkter/{itemId}/beslut'] ?? {})).toEqual(['post']);
    for (const path of ['/admin/moten/{id}/punkter', '/admin/moten/{id}/punkter/{itemId}/rubrik', '/admin/moten/{id}/punkter/{itemId}/flytta', '/admin/moten/{id}/punkter/{itemId}/ta-bort']) expect(Object.keys(doc.paths[path] ?? {}), path).toEqual(['post']);
  });

  it('only the official registers a matter: the secretary gets a Swedish 403 and nothing is stored', async () => {
    const cookie = await signIn(served.base, people.secretary);
    const before = await db.prisma.matter.count({ where: { forbundId } });
    const res = await post(served.base, `/admin/moten/${febId}/arenden`, { title: 'Något', kind: 'other', owner: 'official' }, cookie);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Bara tjänstepersonen kan göra det');
    expect(await db.prisma.matter.count({ where: { forbundId } })).toBe(before);
    // The secretary's page has no form for it, and says who does it.
    const page = await (await fetch(`${served.base}/admin/moten/${febId}`, { headers: { cookie } })).text();
    expect(page).not.toContain(`action="/admin/moten/${febId}/arenden"`);
    expect(page).toContain('Ärenden registreras av tjänstepersonen.');
  });

  it('with Temporal away, sending the kallelse and a förhinder give the Swedish 503 page and nothing changes', async () => {
    const cookie = await signIn(offline.base, people.secretary);
    const res = await post(offline.base, `/admin/moten/${febId}/skicka-kallelse`, {}, cookie);
    expect(res.status).toBe(503);
    const page = await res.text();
    expect(page).toContain('<h1>Försök igen om en stund</h1>');
    expect(page).toContain('inget har ändrats');
    const decline = await post(offline.base, `/admin/moten/${febId}/forhinder`, { person: 'maria-ledamot' }, cookie);
    expect(decline.status).toBe(503);
    const agendaBefore = await db.prisma.agendaItem.count({ where: { meetingId: febId } });
    const item = await post(offline.base, `/admin/moten/${febId}/punkter`, { title: 'Information från Försäkringskassan', before: 'sist' }, cookie);
    expect(item.status).toBe(503);
    expect(await item.text()).toContain('inget har ändrats');
    expect(await db.prisma.agendaItem.count({ where: { meetingId: febId } })).toBe(agendaBefore);
    const m = await db.prisma.meeting.findUniqueOrThrow({ where: { id: febId } });
    expect(m.kallelseSentAt).toBeNull();
    expect(await db.prisma.attendance.count({ where: { meetingId: febId, status: 'declined' } })).toBe(0);
  });
});

// --- in Chromium ---

type Doc = { document: { scrollingElement: { scrollWidth: number }; documentElement: { clientWidth: number }; activeElement: { id: string; tagName: string; getAttribute(n: string): string | null } | null } };

describeInChromium((newContext) => {
  const { errors, newPage, check } = browserPages(newContext, () => served.base, 'styrelse');

  const text = async (p: Promise<string | null>) => (await p)?.replace(/\u2060/g, '').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();
  const focused = (page: Page) =>
    page.evaluate(() => {
      const a = (globalThis as unknown as Doc).document.activeElement;
      return a ? { id: a.id, tag: a.tagName, name: a.getAttribute('name') } : null;
    });

  const signInAs = (page: Page, who: PagePerson) => signInInBrowser(page, served.base, who);

  async function openFromYear(page: Page) {
    await page.goto(`${served.base}/admin/ar/2037`);
    const card = page.locator(`#mote-${febId}`);
    await card.getByRole('link', { name: /^Öppna mötet/ }).click();
    await page.waitForLoadState();
    expect(new URL(page.url()).pathname).toBe(`/admin/moten/${febId}`);
  }

  async function submitAndWait(page: Page, click: () => Promise<void>) {
    await Promise.all([page.waitForNavigation(), click()]);
  }

  it('the official registers a matter for the February board from its page (a missing title first)', async () => {
    const page = await newPage();
    await signInAs(page, people.official);
    await openFromYear(page);
    expect(await page.title()).toBe('Styrelsemöte 27 februari 2037 – Årscykel');
    expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual(['Kallelse', 'Kallade', 'Föredragningslista', 'Ärenden till mötet', 'Protokoll och justering']);
    expect(await text(page.locator('dl.facts').textContent())).toContain('fredagen den 27 februari 2037 kl. 9.00–12.00');
    expect(await text(page.locator('section[aria-labelledby="kallade"]').textContent())).toContain('7 av 7 platser väntas vara besatta');
    expect(await page.locator('ul.called > li').count()).toBe(7);
    await check(page, 'planerat');

    const section = page.locator('section[aria-labelledby="arenden"]');
    await section.locator('summary', { hasText: 'Registrera ett ärende till mötet' }).click();
    await section.getByLabel('Slag av ärende').selectOption({ label: 'Ansökan om medel' });
    await section.getByLabel('Ansvarig').selectOption('official');
    await submitAndWait(page, () => section.getByRole('button', { name: 'Registrera ärendet' }).click());
    // (The agenda's items have a title field each, also labelled Rubrik.)
    const title = page.locator('section[aria-labelledby="arenden"]').getByLabel('Rubrik');
    expect(await title.getAttribute('aria-invalid')).toBe('true');
    expect(await text(page.locator('#arende-rubrik-fel').textContent())).toBe('Fel: Skriv ärendets rubrik.');
    expect(await page.getByRole('alert').getByRole('link').getAttribute('href')).toBe('#arende-rubrik');
    // What was chosen is kept; nothing is stored.
    expect(await page.getByLabel('Slag av ärende').inputValue()).toBe('funding_application');
    expect(await page.getByLabel('Ansvarig').inputValue()).toBe('official');
    expect(await db.prisma.matter.count({ where: { forbundId, title: 'Ansökan om medel: Steg framåt' } })).toBe(0);
    await check(page, 'arende-fel');

    await title.fill('Ansökan om medel: Steg framåt');
    await submitAndWait(page, () => page.getByRole('button', { name: 'Registrera ärendet' }).click());
    expect(new URL(page.url()).hash).toBe('#arenden');
    const matter = await db.prisma.matter.findFirstOrThrow({ where: { forbundId, title: 'Ansökan om medel: Steg framåt' } });
    expect(await page.locator('section[aria-labelledby="arenden"]').getByRole('status').textContent()).toContain(`Ärendet är registrerat med Dnr ${matter.dnr}.`);
    expect(matter).toMatchObject({ meetingId: febId, kind: 'funding_application', owner: 'official', status: 'registered' });
    expect(await text(page.locator('section[aria-labelledby="arenden"]').textContent())).toContain(`${matter.dnr} Ansökan om medel: Steg framåt (registrerat, inte berett; ansvarig:`);
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { forbundId, action: 'matter.registered', entityId: matter.id } });
    expect(audit.actor).toMatch(/^person:\S+ Raéd Shaqdih \(admin\)$/);

    // It and the annual accounts are prepared (as the start page's button does), so both go on the agenda.
    const bokslut = await eventually(() => db.prisma.matter.findFirstOrThrow({ where: { forbundId, meetingId: febId, title: 'Årsredovisning med bokslut' } }));
    for (const id of [matter.id, bokslut.id]) expect(await notifier.update({ matterId: id }, markPrepared, [OFFICIAL])).toMatchObject({ status: 'prepared' });
  }, 120_000);

  it('the secretary edits the föredragningslista before the kallelse: adds an item (an empty title first), retitles it, moves it and removes it', async () => {
    const before = await db.prisma.agendaItem.findMany({ where: { meetingId: febId }, orderBy: { number: 'asc' } });
    const titles = before.map((i) => i.title);
    const other = before.find((i) => i.kind === 'other_questions')!;
    const report = before.find((i) => i.kind === 'official_report')!;
    // Over HTTP: an empty title is a 400 with the form, nothing changed.
    const cookie = await signIn(served.base, people.secretary);
    const bad = await post(served.base, `/admin/moten/${febId}/punkter`, { title: '  ', before: other.id }, cookie);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Skriv punktens rubrik.');

    const page = await newPage();
    await signInAs(page, people.secretary);
    await openFromYear(page);
    const section = page.locator('section[aria-labelledby="foredragningslista"]');
    const headings = async () => (await section.locator('ol.items > li h3').allTextContents()).map((h) => h.trim());
    expect(await headings()).toEqual(before.map((i) => `${i.number}. ${i.title}`));
    await section.locator('summary', { hasText: 'Lägg till en punkt på föredragningslistan' }).click();
    expect(await text(section.locator('form[action$="/punkter"] .hint').textContent())).toContain('kallelsen tar med listan som den ser ut då');
    // The new item goes before "Övriga frågor" unless another place is chosen.
    expect(await section.getByLabel('Var på listan?').inputValue()).toBe(other.id);
    await section.getByLabel('Var på listan?').selectOption({ label: 'Sist på listan' });
    await submitAndWait(page, () => section.getByRole('button', { name: 'Lägg till punkten' }).click());
    const title = page.locator('#punkt-ny-rubrik');
    expect(await title.getAttribute('aria-invalid')).toBe('true');
    expect(await text(page.locator('#punkt-ny-rubrik-fel').textContent())).toBe('Fel: Skriv punktens rubrik.');
    expect(await page.getByRole('alert').getByRole('link').getAttribute('href')).toBe('#punkt-ny-rubrik');
    expect(await page.locator('#punkt-ny-placering').inputValue()).toBe('sist');
    expect(await db.prisma.agendaItem.count({ where: { meetingId: febId } })).toBe(before.length);
    await check(page, 'punkt-fel');

    await page.locator('#punkt-ny-placering').selectOption(other.id);
    await title.fill('Information från Försäkringskassan');
    await submitAndWait(page, () => page.getByRole('button', { name: 'Lägg till punkten' }).click());
    const added = await db.prisma.agendaItem.findFirstOrThrow({ where: { meetingId: febId, title: 'Information från Försäkringskassan' } });
    expect(added).toMatchObject({ kind: 'other', number: other.number });
    expect(new URL(page.url()).hash).toBe(`#punkt-${added.id}`);
    expect(await page.locator(`#punkt-${added.id}`).getByRole('status').textContent()).toContain('Punkten är tillagd på föredragningslistan. Kallelsen tar med listan som den ser ut när den går ut.');
    const withAdded = [...titles.slice(0, other.number - 1), 'Information från Försäkringskassan', ...titles.slice(other.number - 1)];
    expect(await headings()).toEqual(withAdded.map((t, n) => `${n + 1}. ${t}`));
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { forbundId, action: 'agenda.edited', entityId: febId }, orderBy: { at: 'desc' } });
    expect(audit.actor).toMatch(/^person:\S+ Sara Sekreterare \(secretary\)$/);
    await check(page, 'punkt-tillagd');

    // A new title: an empty one first, kept next to the field.
    let item = page.locator(`#punkt-${added.id}`);
    await item.locator('summary').click();
    await item.getByLabel('Rubrik').fill('');
    await submitAndWait(page, () => item.getByRole('button', { name: /^Spara rubriken/ }).click());
    item = page.locator(`#punkt-${added.id}`);
    expect(await item.getByLabel('Rubrik').getAttribute('aria-invalid')).toBe('true');
    expect(await text(page.locator(`#punkt-${added.id}-ny-rubrik-fel`).textContent())).toBe('Fel: Skriv punktens rubrik.');
    expect(await page.getByRole('alert').getByRole('link').getAttribute('href')).toBe(`#punkt-${added.id}-ny-rubrik`);
    await item.getByLabel('Rubrik').fill('Information från Arbetsförmedlingen');
    await submitAndWait(page, () => item.getByRole('button', { name: /^Spara rubriken/ }).click());
    expect(await page.locator(`#punkt-${added.id}`).getByRole('status').textContent()).toContain('Punktens rubrik är ändrad.');
    expect((await db.prisma.agendaItem.findUniqueOrThrow({ where: { id: added.id } })).title).toBe('Information från Arbetsförmedlingen');

    // Moved before the official's report: the items are numbered anew.
    item = page.locator(`#punkt-${added.id}`);
    await item.locator('summary').click();
    expect(await text(item.getByLabel('Flytta till').locator('option:checked').textContent())).toBe(`Före ${other.number + 1}. ${other.title} (där punkten står nu)`);
    await item.getByLabel('Flytta till').selectOption({ label: `Före ${report.number}. ${report.title}` });
    await submitAndWait(page, () => item.getByRole('button', { name: /^Flytta punkten/ }).click());
    expect(new URL(page.url()).hash).toBe(`#punkt-${added.id}`);
    expect(await page.locator(`#punkt-${added.id}`).getByRole('status').textContent()).toContain('Punkten är flyttad');
    const moved = [...titles.slice(0, report.number - 1), 'Information från Arbetsförmedlingen', ...titles.slice(report.number - 1)];
    expect(await headings()).toEqual(moved.map((t, n) => `${n + 1}. ${t}`));
    expect((await db.prisma.agendaItem.findUniqueOrThrow({ where: { id: added.id } })).number).toBe(report.number);
    await check(page, 'punkt-flyttad');

    // Removed: the list is as it was.
    item = page.locator(`#punkt-${added.id}`);
    await item.locator('summary').click();
    await submitAndWait(page, () => item.getByRole('button', { name: /^Ta bort punkten/ }).click());
    expect(new URL(page.url()).hash).toBe('#foredragningslista');
    expect(await page.locator('section[aria-labelledby="foredragningslista"]').getByRole('status').textContent()).toContain('Punkten är borttagen från föredragningslistan');
    expect(await headings()).toEqual(before.map((i) => `${i.number}. ${i.title}`));
    expect(await db.prisma.agendaItem.count({ where: { meetingId: febId, id: added.id } })).toBe(0);
    expect((await db.prisma.agendaItem.findMany({ where: { meetingId: febId }, orderBy: { number: 'asc' } })).map((i) => i.id)).toEqual(before.map((i) => i.id));
  }, 120_000);

  it('the secretary opens the meeting from the year page, reports a förhinder (none chosen first) and sends the kallelse now after a confirmation', async () => {
    // Friday 13 February 17:05: the agenda has closed for matters.
    await to(new Date('2037-02-13T16:05:00Z'));
    await eventually(async () => expect(await db.prisma.agendaItem.count({ where: { meetingId: febId, kind: 'matter' } })).toBe(3), 30_000);
    smtp.clear();
    const page = await newPage();
    await signInAs(page, people.secretary);
    await openFromYear(page);
    const items = page.locator('ol.items > li');
    expect(await items.count()).toBe(10);
    expect(await text(items.nth(5).getByRole('heading', { level: 3 }).textContent())).toBe('6. Helårsrapport från insatser');

    // Keyboard: the skip link, then the menu; the förhinder disclosure opens with Enter and its field follows.
    await page.keyboard.press('Tab');
    expect(await page.getByRole('link', { name: 'Hoppa till innehållet' }).evaluate((el) => el === (el.ownerDocument as unknown as Doc['document']).activeElement)).toBe(true);
    const called = page.locator('section[aria-labelledby="kallade"]');
    await called.locator('summary').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ id: 'forhinder-person', name: 'person' });
    await submitAndWait(page, () => called.getByRole('button', { name: 'Anmäl förhinder' }).click());
    expect(await text(page.locator('#forhinder-person-fel').textContent())).toBe('Fel: Välj vem som har förhinder.');
    expect(await page.getByLabel('Vem kan inte komma?').getAttribute('aria-invalid')).toBe('true');
    await check(page, 'forhinder-fel');
    await page.getByLabel('Vem kan inte komma?').selectOption({ label: 'Maria Ledamot' });
    await submitAndWait(page, () => page.getByRole('button', { name: 'Anmäl förhinder' }).click());
    expect(await page.locator('section[aria-labelledby="kallade"]').getByRole('status').textContent()).toContain('Nästa ersättare är inkallad');
    expect(await text(page.locator('ul.called').textContent())).toContain('Axel Ersättare, ersättare för Maria Ledamot Kallad');
    expect(await text(page.locator('ul.called').textContent())).toContain('Maria Ledamot, ledamot (Askersunds kommun) Förhinder');
    // Mail: the ersättare is called in with an invite, the ledamot gets a receipt.
    await eventually(() => expect(mailsKeyed(`invite:${febId}:`).map((m) => toOf(m)[0])).toContain('axel.ersattare@sydnarke.example'));
    // The mails follow the answer (deliverMeetingMails): the confirmation after the call-in.
    await eventually(() => expect(mailsKeyed(`declined:${febId}:`).map((m) => toOf(m)[0])).toEqual(['maria.ledamot@sydnarke.example']));

    // The kallelse now: a confirmation first, which changes nothing.
    await page.getByRole('link', { name: 'Skicka kallelsen nu…' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Skicka kallelsen till styrelsemöte 27 februari 2037 nu?');
    expect(await text(page.locator('main').textContent())).toContain('Axel Ersättare');
    expect((await db.prisma.meeting.findUniqueOrThrow({ where: { id: febId } })).kallelseSentAt).toBeNull();
    await check(page, 'kallelse-bekrafta');
    await submitAndWait(page, () => page.getByRole('button', { name: 'Ja, skicka kallelsen nu' }).click());
    expect(new URL(page.url()).hash).toBe('#kallelse');
    expect(await page.locator('section[aria-labelledby="kallelse"]').getByRole('status').textContent()).toContain('Kallelsen är skickad');
    expect(await page.getByRole('link', { name: 'Skicka kallelsen nu…' }).count()).toBe(0);
    expect((await db.prisma.meeting.findUniqueOrThrow({ where: { id: febId } })).kallelseSentAt).not.toBeNull();
    // The föredragningslista is fixed: no forms to change it.
    const agendaSection = page.locator('section[aria-labelledby="foredragningslista"]');
    expect(await agendaSection.locator('form').count()).toBe(0);
    expect(await agendaSection.locator('summary').count()).toBe(0);
    // Seven called (six ledamöter and Axel); Maria, who declined, gets none.
    await eventually(() => expect(mailsKeyed(`kallelse:${febId}:`).filter((m) => keyOf(m) !== `kallelse:${febId}:for-information`)).toHaveLength(7));
    // And the other ersättare's copy for information, the last of the kallelse's mails.
    await eventually(() => expect(mailsKeyed(`kallelse:${febId}:for-information`)).toHaveLength(1));
    const kallade = mailsKeyed(`kallelse:${febId}:`).flatMap(toOf);
    expect(kallade).toContain('axel.ersattare@sydnarke.example');
    expect(kallade).not.toContain('maria.ledamot@sydnarke.example');
    expect(mailsKeyed(`kallelse:${febId}:`)[0].attachments.some((a) => a.filename === 'kallelse.pdf')).toBe(true);
    await check(page, 'kallelse-skickad');
  }, 180_000);

  it('sending the kallelse again is refused with a Swedish page that links back (409), nothing sent', async () => {
    const cookie = await signIn(served.base, people.secretary);
    const before = smtp.messages.length;
    const res = await post(served.base, `/admin/moten/${febId}/skicka-kallelse`, {}, cookie);
    expect(res.status).toBe(409);
    const page = await res.text();
    expect(page).toContain('Kallelsen har redan gått ut.');
    expect(page).toContain(`href="/admin/moten/${febId}"`);
    expect(smtp.messages.length).toBe(before);
  });

  it('changing the föredragningslista after the kallelse is refused with a Swedish page that links back (409), nothing changed', async () => {
    const cookie = await signIn(served.base, people.secretary);
    const agenda = await db.prisma.agendaItem.findMany({ where: { meetingId: febId }, orderBy: { number: 'asc' } });
    const free = agenda.find((i) => i.kind === 'other_questions')!;
    for (const [path, form] of [
      ['punkter', { title: 'Information från Försäkringskassan', before: 'sist' }],
      [`punkter/${free.id}/rubrik`, { title: 'Övrigt' }],
      [`punkter/${free.id}/flytta`, { before: agenda[0].id }],
      [`punkter/${free.id}/ta-bort`, { bort: '1' }],
    ] as const) {
      const res = await post(served.base, `/admin/moten/${febId}/${path}`, form, cookie);
      expect(res.status, path).toBe(409);
      const page = await res.text();
      expect(page).toContain('Kallelsen har redan gått ut, så föredragningslistan kan inte längre ändras.');
      expect(page).toContain(`href="/admin/moten/${febId}"`);
    }
    expect((await db.prisma.agendaItem.findMany({ where: { meetingId: febId }, orderBy: { number: 'asc' } })).map((i) => [i.id, i.title])).toEqual(agenda.map((i) => [i.id, i.title]));
  });

  it('the meeting held: the secretary records the decisions (a date without who first), sends the minutes and registers the justering; the members get the decisions', async () => {
    const feb = await db.prisma.meeting.findUniqueOrThrow({ where: { id: febId } });
    await to(new Date(feb.endsAt.getTime() + 5 * 60_000));
    await eventually(async () => expect((await db.prisma.meeting.findUniqueOrThrow({ where: { id: febId } })).heldAt).not.toBeNull(), 30_000);
    smtp.clear();
    const page = await newPage();
    await signInAs(page, people.secretary);
    // The start page's step leads to the meeting (overdue reports come first, so it may be on a later page).
    const step = page.locator('ol.steps > li').filter({ hasText: 'Protokoll från styrelsen 27 februari 2037' });
    for (let n = 1; n <= 20 && (await step.count()) === 0; n++) await page.goto(`${served.base}/admin?sida=${n}`);
    expect(await step.getByRole('link', { name: /^Öppna mötet/ }).getAttribute('href')).toBe(`/admin/moten/${febId}#protokoll`);
    await step.getByRole('link', { name: /^Öppna mötet/ }).click();
    await page.waitForLoadState();
    const agenda = await db.prisma.agendaItem.findMany({ where: { meetingId: febId }, include: { matter: true }, orderBy: { number: 'asc' } });
    const application = agenda.find((i) => i.matter?.title === 'Ansökan om medel: Steg framåt')!;
    const item = page.locator(`#punkt-${application.id}`);
    expect(await text(item.getByRole('heading', { level: 3 }).textContent())).toBe(`§ ${application.paragraph} Ansökan om medel: Steg framåt`);
    expect(await text(page.locator('section[aria-labelledby="protokoll"]').textContent())).toContain('Beslut saknas för:');
    await check(page, 'hallet');

    // The minutes cannot go before every matter has its decision: the workflow says which.
    await page.getByLabel('Justerare', { exact: true }).selectOption({ label: 'Rut Ledamot' });
    await submitAndWait(page, () => page.getByRole('button', { name: 'Skicka protokollet för justering' }).click());
    expect(await text(page.locator('#protokoll-beslut-fel').textContent())).toMatch(/^Fel: Beslut saknas för § \d+ Helårsrapport från insatser, § \d+ Årsredovisning med bokslut, § \d+ Ansökan om medel: Steg framåt\. För in besluten först\.$/);
    expect(await page.getByLabel('Justerare', { exact: true }).inputValue()).toBe('rut-ledamot');
    expect((await db.prisma.meeting.findUniqueOrThrow({ where: { id: febId } })).minutesSentAt).toBeNull();

    // A decision with a date but nobody to act: the workflow refuses, the form comes back with the error by the field.
    await item.locator('summary').first().focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ id: `punkt-${application.id}-beslut`, name: 'decision' });
    await item.getByLabel('Beslut', { exact: true }).fill('Styrelsen beviljar 400 000 kr för 2037.');
    await item.getByLabel('Senast').fill('2037-04-30');
    await submitAndWait(page, () => item.getByRole('button', { name: /^Spara beslutet/ }).click());
    const again = page.locator(`#punkt-${application.id}`);
    const who = again.getByLabel('Vem ska återrapportera? (om något)');
    expect(await who.getAttribute('aria-invalid')).toBe('true');
    expect(await text(page.locator(`#punkt-${application.id}-vem-fel`).textContent())).toBe('Fel: Välj vem som ska återrapportera till det datumet, eller ta bort datumet.');
    expect(await page.getByRole('alert').getByRole('link').getAttribute('href')).toBe(`#punkt-${application.id}-vem`);
    expect(await again.getByLabel('Beslut', { exact: true }).inputValue()).toBe('Styrelsen beviljar 400 000 kr för 2037.');
    expect(await again.getByLabel('Senast').inputValue()).toBe('2037-04-30');
    expect((await db.prisma.agendaItem.findUniqueOrThrow({ where: { id: application.id } })).decision).toBeNull();
    await check(page, 'beslut-fel');

    await who.selectOption('official');
    await submitAndWait(page, () => again.getByRole('button', { name: /^Spara beslutet/ }).click());
    expect(new URL(page.url()).hash).toBe(`#punkt-${application.id}`);
    const saved = page.locator(`#punkt-${application.id}`);
    expect(await saved.getByRole('status').textContent()).toBe('Beslutet är sparat.');
    expect(await text(saved.locator('.decision').textContent())).toMatch(/^Beslut: Styrelsen beviljar 400 000 kr för 2037\. ?Återrapporteras av .+, tjänsteperson senast 30 april 2037\.$/);
    expect(await db.prisma.agendaItem.findUniqueOrThrow({ where: { id: application.id } })).toMatchObject({ decision: 'Styrelsen beviljar 400 000 kr för 2037.', actionBy: 'official' });

    for (const [title, decision] of [['Helårsrapport från insatser', 'Styrelsen lägger helårsrapporterna till handlingarna.'], ['Årsredovisning med bokslut', 'Styrelsen fastställer årsredovisningen för 2036.']]) {
      const i = page.locator(`#punkt-${agenda.find((x) => x.matter?.title === title)!.id}`);
      await i.locator('summary').first().click();
      await i.getByLabel('Beslut', { exact: true }).fill(decision);
      await submitAndWait(page, () => i.getByRole('button', { name: /^Spara beslutet/ }).click());
      expect(await page.locator(`#punkt-${agenda.find((x) => x.matter?.title === title)!.id}`).getByRole('status').textContent()).toBe('Beslutet är sparat.');
    }
    expect(await text(page.locator('section[aria-labelledby="protokoll"]').textContent())).not.toContain('Beslut saknas');

    // The minutes to the justerare.
    await page.getByLabel('Justerare', { exact: true }).selectOption({ label: 'Rut Ledamot' });
    await submitAndWait(page, () => page.getByRole('button', { name: 'Skicka protokollet för justering' }).click());
    const protokoll = page.locator('section[aria-labelledby="protokoll"]');
    expect(await protokoll.getByRole('status').textContent()).toContain('Protokollet är skickat till justeraren');
    expect(await text(protokoll.textContent())).toContain('Protokollet är hos Rut Ledamot, som ska justera det senast');
    const minutes = await eventually(() => {
      const m = mailsKeyed(`minutes:${febId}:`)[0];
      if (!m) throw new Error('no minutes yet');
      return m;
    });
    expect(toOf(minutes)).toEqual(['rut.ledamot@sydnarke.example']);
    expect(await pdfText(minutes.attachments.find((a) => a.filename === 'protokoll.pdf')!.content)).toContain('Styrelsen beviljar 400 000 kr för 2037.');
    // The PDF on the page is now the protokoll.
    expect(await page.getByRole('link', { name: 'Protokollet som PDF' }).getAttribute('href')).toBe(`/admin/moten/${febId}/kallelse.pdf`);
    await check(page, 'hos-justeraren');
    // A new justering link for the justerare, by its button's accessible name (this app has no mailer, so the message says the mail did not go).
    const rut = await db.prisma.person.findFirstOrThrow({ where: { forbundId, name: 'Rut Ledamot' } });
    await submitAndWait(page, () => protokoll.getByRole('button', { name: 'Skicka ny länk för justering till Rut Ledamot' }).click());
    expect(await page.locator('section[aria-labelledby="protokoll"]').getByRole('status').textContent()).toContain('Länken för justering är bytt');
    expect((await db.prisma.linkGeneration.findUniqueOrThrow({ where: { purpose: `sign:${febId}:${rut.id}` } })).generation).toBe(1);

    // The justering: the decisions go to the member organisations.
    await submitAndWait(page, () => page.getByRole('button', { name: 'Registrera justeringen' }).click());
    expect(await page.locator('section[aria-labelledby="protokoll"]').getByRole('status').textContent()).toContain('Justeringen är registrerad.');
    await eventually(async () => expect((await db.prisma.meeting.findUniqueOrThrow({ where: { id: febId } })).decisionsSentAt).not.toBeNull(), 30_000);
    const decisions = mailsKeyed(`decisions:${febId}:`);
    expect(decisions.length).toBeGreaterThanOrEqual(7);
    expect(decisions[0].text).toContain('Styrelsen beviljar 400 000 kr för 2037.');
    await page.reload();
    expect(await text(page.locator('p.lead').textContent())).toBe('Protokollet är justerat och besluten är skickade till medlemsorganisationerna.');
    expect(await page.locator('form[action^="/admin/moten/"]').count()).toBe(0);
    await check(page, 'besluten-skickade');
  }, 240_000);

  it('every form control on the page has a label', async () => {
    const page = await newPage();
    await signInAs(page, people.official);
    const april = await db.prisma.meeting.findFirstOrThrow({ where: { forbundId, year: 2037, key: 'styrelse-04' } });
    for (const id of [febId, april.id]) {
      await page.goto(`${served.base}/admin/moten/${id}`);
      const unlabelled = await unlabelledControls(page);
      expect(unlabelled, id).toEqual([]);
    }
  });

  it('no page logged an error, broke the CSP, or asked another site for anything', () => {
    expect(errors).toEqual([]);
  });
});
