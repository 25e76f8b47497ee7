// The official's and the secretary's pages in a real browser (Debian's Chromium through
// playwright-core), on the Sydnärke example placed in 2026: the sign-in page, the official handling
// an overdue report from the start page, the secretary moving and cancelling a meeting and adopting
// next year's calendar on the year page, the workflows told (RecordingNotifier), a board member
// told there are no pages for them yet, a malformed address; axe-core against WCAG 2.1 A/AA, a
// phone's 375 px, the keyboard, and screenshots of every page (desktop and phone) in
// test-output/screenshots/admin-*.png. Over plain HTTP: the session cookie, CSRF, sign-out, a session
// ended elsewhere. People are signed in by a session made directly (tests/support/browser.ts); the
// e-mail link itself is tested in tests/sign-in.test.ts and tests/browser/inloggning.test.ts.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { parseForbundFile } from '../../domain/forbund-file.js';
import type { Database } from '../../prisma/db.js';
import { importForbund } from '../../services/import.js';
import { registerMatter } from '../../services/styrelse.js';
import { revokeSession, secretHash } from '../../services/sessions.js';
import { axeViolations, browserPages, describeInChromium, pagePerson, screenshot, sessionCookie, signInInBrowser, unlabelledControls, type PagePerson } from '../support/browser.js';
import { testDatabase } from '../support/database.js';
import { serve } from '../support/http.js';
import { RecordingNotifier } from '../support/notifier.js';

// Monday 4 May 2026, 10:00 in Stockholm.
const NOW = new Date('2026-05-04T08:00:00Z');
const PUBLIC_BASE = 'https://arscykel.example';

let db: Database;
let served: { base: string; close(): Promise<void> };
let forbundId: string;
/** På väg's first quarterly report: due 15 April 2026, not in, escalated. */
let lateId: string;
let paVagId: string;
const notifier = new RecordingNotifier();
const people = {} as Record<'official' | 'secretary' | 'board', PagePerson>;

beforeAll(async () => {
  db = await testDatabase();
  const prisma = db.prisma;
  forbundId = (await importForbund(prisma, parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml'), { year: 2026, actor: 'import' })).forbundId;
  const late = await prisma.reportingObligation.findFirstOrThrow({ where: { project: { forbundId, key: 'pa-vag' }, kind: 'quarterly', periodEnd: new Date('2026-03-31T00:00:00Z') } });
  lateId = late.id;
  paVagId = late.projectId;
  // The förbund has run in Årscykel since before the year (go-live and the reports' creation follow
  // the import's real clock; the pages run on NOW): what was due this spring is its to remind.
  await prisma.forbund.update({ where: { id: forbundId }, data: { goLiveOn: new Date('2026-01-01T00:00:00Z') } });
  await prisma.reportingObligation.updateMany({ where: { project: { forbundId } }, data: { createdAt: new Date('2025-12-01T00:00:00Z') } });
  // Everything due before today is in, except På väg's report; the year's earlier milestones are done.
  await prisma.reportingObligation.updateMany({ where: { project: { forbundId }, dueDate: { lt: NOW }, id: { not: lateId } }, data: { status: 'submitted' } });
  await prisma.milestone.updateMany({ where: { forbundId, dueDate: { lt: NOW } }, data: { status: 'done', doneAt: new Date('2026-03-01T10:00:00Z'), doneBy: 'test' } });
  // Its reminders went out, and it was escalated.
  for (const [step, day] of [['reminder-14', '2026-04-01'], ['reminder-3', '2026-04-13'], ['reminder-0', '2026-04-15'], ['overdue', '2026-04-16'], ['escalation', '2026-04-22']]) {
    await prisma.notification.create({ data: { forbundId, key: `report:${lateId}:2026-04-15:${step}`, messageId: `<${step}@test>`, kind: `report.${step}`, recipients: ['pa-vag@sydnarke.example'], subject: 'Påminnelse', status: 'sent', claimedAt: new Date(`${day}T06:00:00Z`), sentAt: new Date(`${day}T06:00:01Z`) } });
  }
  await prisma.escalation.create({ data: { forbundId, key: `obligation:${lateId}:2026-04-15`, subjectType: 'obligation', subjectId: lateId, reason: 'report 7 days late', raisedAt: new Date('2026-04-22T06:00:00Z') } });
  const as = (name: string, role: 'official' | 'secretary' | 'board_member') => pagePerson(prisma, { forbundId, name, role, publicBaseUrl: PUBLIC_BASE, now: () => NOW });
  people.official = await as('Raéd Shaqdih', 'official');
  people.secretary = await as('Sara Sekreterare', 'secretary');
  people.board = await as('Anna Ledamot', 'board_member');
  served = await serve(createApp({ prisma, notifier, publicBaseUrl: PUBLIC_BASE, linkSecret: 'a'.repeat(32), now: () => NOW }));
}, 120_000);

afterAll(async () => {
  await served?.close();
  await db?.close();
});

// --- over HTTP ---

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${served.base}${path}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: served.base, ...headers }, body: form(fields) });

const signIn = (who: PagePerson) => sessionCookie(who);

describe('over HTTP', () => {
  it('not signed in: /admin goes to the sign-in page', async () => {
    const res = await fetch(`${served.base}/admin`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/logga-in');
    const page = await fetch(`${served.base}/admin/logga-in`);
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await page.text()).toContain('<html lang="sv">');
  });

  it('a session cookie opens the pages; a forged or altered one opens nothing (and is cleared)', async () => {
    const cookie = await signIn(people.official);
    expect(cookie).toMatch(/^__Host-arscykel-sida=[A-Za-z0-9_-]{43}$/);
    const start = await fetch(`${served.base}/admin`, { headers: { cookie } });
    expect(start.status).toBe(200);
    expect(await start.text()).toContain('<h1>Att göra</h1>');
    const forged = cookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const refused = await fetch(`${served.base}/admin`, { redirect: 'manual', headers: { cookie: forged } });
    expect(refused.status).toBe(303);
    expect(refused.headers.getSetCookie()[0]).toMatch(/^__Host-arscykel-sida=; .*Max-Age=0/);
  });

  it('CSRF: a POST from another site, or with no Origin or Referer, is refused and changes nothing', async () => {
    const cookie = await signIn(people.official);
    const before = await db.prisma.milestone.findFirstOrThrow({ where: { forbundId, status: 'open' } });
    for (const headers of [{ origin: 'https://evil.example' }, { origin: 'null' }, { origin: '' }]) {
      const res = await post(`/admin/moment/${before.id}/klart`, {}, { cookie, ...headers });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(await res.text()).toContain('Formuläret kunde inte tas emot');
    }
    // No Origin: the Referer decides.
    const noOrigin = (referer?: string) => fetch(`${served.base}/admin/moment/${before.id}/klart`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...(referer ? { referer } : {}) }, body: '' });
    expect((await noOrigin()).status).toBe(403);
    expect((await noOrigin('https://evil.example/admin')).status).toBe(403);
    // Signing in is guarded too (login CSRF).
    expect((await post('/admin/logga-in', { epost: 'raed.shaqdih@sydnarke.example' }, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await post('/admin/logga-in/lank', { token: 'x'.repeat(43) }, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await db.prisma.milestone.findUniqueOrThrow({ where: { id: before.id } })).status).toBe('open');
  });

  it('an API token signs nobody in: the old sign-in link and form field only show the page that asks for an address', async () => {
    const token = 'ak_' + 'x'.repeat(32);
    const res = await fetch(`${served.base}/admin/logga-in?token=${encodeURIComponent(token)}`);
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toEqual([]);
    const html = await res.text();
    expect(html).toContain('<label for="epost">Din e-postadress</label>');
    expect(html).not.toContain(token);
    const posted = await post('/admin/logga-in', { token });
    expect(posted.status).toBe(400);
    expect(posted.headers.getSetCookie()).toEqual([]);
  });

  it('a board member is told there are no pages for them yet; an empty address is asked for again', async () => {
    const board = await fetch(`${served.base}/admin`, { headers: { cookie: await signIn(people.board) } });
    expect(board.status).toBe(403);
    expect(await board.text()).toContain('Du har inga sidor här ännu');
    const empty = await post('/admin/logga-in', { epost: '' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Skriv din e-postadress.');
  });

  it('signing out ends the session for good (the old cookie no longer opens anything); a session ended elsewhere is ended here', async () => {
    const cookie = await signIn(people.official);
    const out = await post('/admin/logga-ut', {}, { cookie });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/admin/logga-in?utloggad=1');
    expect(out.headers.getSetCookie()[0]).toMatch(/^__Host-arscykel-sida=; .*Max-Age=0/);
    const replay = await fetch(`${served.base}/admin`, { redirect: 'manual', headers: { cookie } });
    expect(replay.status).toBe(303);
    // Ended by another process (or by the official): the session row says so.
    const other = await signIn(people.official);
    expect((await fetch(`${served.base}/admin`, { redirect: 'manual', headers: { cookie: other } })).status).toBe(200);
    const sid = (await db.prisma.personSession.findUniqueOrThrow({ where: { secretHash: secretHash(other.split('=')[1]) } })).id;
    await revokeSession(db.prisma, { id: sid, by: 'test', now: NOW });
    expect((await fetch(`${served.base}/admin`, { redirect: 'manual', headers: { cookie: other } })).status).toBe(303);
  });

  it('a board step that needs its workflow: with Temporal away, a Swedish page says nothing was done', async () => {
    const matter = await registerMatter(db.prisma, forbundId, { title: 'Ansökan om medel: Steg framåt', kind: 'funding_application', owner: 'official' }, NOW, 'test');
    const cookie = await signIn(people.official);
    const start = await (await fetch(`${served.base}/admin`, { headers: { cookie } })).text();
    expect(start).toContain(`action="/admin/arenden/${matter.dnr}/berett"`);
    const res = await post(`/admin/arenden/${matter.dnr}/berett`, { tillbaka: '/admin' }, { cookie });
    expect(res.status).toBe(503);
    const html = await res.text();
    expect(html).toContain('<h1>Försök igen om en stund</h1>');
    expect(html).toContain('inget har ändrats');
    expect((await db.prisma.matter.findUniqueOrThrow({ where: { id: matter.id } })).status).toBe('registered');
  });

  it('unknown pages and years are Swedish 404 pages', async () => {
    const cookie = await signIn(people.secretary);
    for (const path of ['/admin/finns-inte', '/admin/ar/20x6', '/admin/ar/1999', '/admin/rapporter/nej', '/admin/moten/nej/stall-in']) {
      const res = await fetch(`${served.base}${path}`, { headers: { cookie } });
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).toMatch(/<html lang="sv">.*<h1>(Sidan|Året|Rapporten|Mötet) finns inte<\/h1>/s);
    }
    // An unsafe way back is not followed.
    const milestone = await db.prisma.milestone.findFirstOrThrow({ where: { forbundId, status: 'open', kind: 'budgetFollowUp' } });
    const res = await post(`/admin/moment/${milestone.id}/klart`, { tillbaka: '//evil.example/admin' }, { cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin?klart=moment-klart');
    await db.prisma.milestone.update({ where: { id: milestone.id }, data: { status: 'open', doneAt: null, doneBy: null } });
  });

  it('the secretary may not do what only the official may (a Swedish 403, nothing changed)', async () => {
    const cookie = await signIn(people.secretary);
    const res = await post(`/admin/rapporter/${lateId}/ny-sista-dag`, { dueDate: '2026-06-01' }, { cookie });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Bara tjänstepersonen kan göra det');
    expect((await db.prisma.reportingObligation.findUniqueOrThrow({ where: { id: lateId } })).dueDate.toISOString().slice(0, 10)).toBe('2026-04-15');
  });
});

// --- in Chromium ---


type Doc = { document: { scrollingElement: { scrollWidth: number }; documentElement: { clientWidth: number }; activeElement: { id: string; tagName: string; getAttribute(n: string): string | null } | null } };

describeInChromium((newContext) => {
  const { errors, newPage, check } = browserPages(newContext, () => served.base, 'admin');

  const text = async (p: Promise<string | null>) => (await p)?.replace(/\u2060/g, '').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();
  const focused = (page: Page) => page.evaluate(() => {
    const a = (globalThis as unknown as Doc).document.activeElement;
    return a ? { id: a.id, tag: a.tagName, name: a.getAttribute('name') } : null;
  });

  const signInAs = (page: Page, who: PagePerson) => signInInBrowser(page, served.base, who);

  it('a malformed address: the error is said in Swedish next to the field; keyboard order and labels on the sign-in page', async () => {
    const page = await newPage();
    await page.goto(`${served.base}/admin/logga-in`);
    expect(await page.title()).toBe('Logga in – Årscykel');
    await page.keyboard.press('Tab');
    expect(await page.getByRole('link', { name: 'Hoppa till innehållet' }).evaluate((el) => el === (el.ownerDocument as unknown as Doc['document']).activeElement)).toBe(true);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ id: 'epost', name: 'epost' });
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'BUTTON' });
    await check(page, 'logga-in');

    await page.getByLabel('Din e-postadress').fill('raed.shaqdih');
    await page.getByLabel('Din e-postadress').press('Enter');
    await page.waitForLoadState();
    expect(page.url()).toBe(`${served.base}/admin/logga-in`);
    const field = page.getByLabel('Din e-postadress');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    const described = (await field.getAttribute('aria-describedby'))!.split(' ');
    expect(described).toContain('epost-fel');
    expect(await text(page.locator('#epost-fel').textContent())).toBe('Fel: Skriv e-postadressen som namn@exempel.se.');
    expect(await page.getByRole('alert').getByRole('link').textContent()).toContain('Skriv e-postadressen');
    // What was typed comes back, to be corrected.
    expect(await field.inputValue()).toBe('raed.shaqdih');
    await check(page, 'fel-adress');
  });

  it('a board member is told in Swedish that there are no pages for them yet, and may sign out', async () => {
    const page = await newPage();
    await signInAs(page, people.board);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Du har inga sidor här ännu');
    expect(await text(page.locator('main').textContent())).toContain('Anna Ledamot (ledamot)');
    await check(page, 'inga-sidor');
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await page.waitForLoadState();
    await page.goto(`${served.base}/admin`);
    expect(page.url()).toBe(`${served.base}/admin/logga-in`);
  });

  it('the official: the overdue report comes first; an impossible date is refused next to the field; a new due date takes it out of the overdue', async () => {
    notifier.reset();
    const page = await newPage();
    await signInAs(page, people.official);
    expect(page.url()).toBe(`${served.base}/admin`);
    expect(await page.title()).toBe('Att göra – Årscykel');
    expect(await text(page.locator('header.site').textContent())).toContain('Raéd Shaqdih, tjänsteperson');
    const steps = page.locator('ol.steps > li');
    const first = steps.first();
    expect(await text(first.getByRole('heading', { level: 3 }).textContent())).toBe('Kvartalsrapport 1 januari–31 mars 2026 från På väg');
    expect(await text(first.locator('.status').textContent())).toBe('Försenad 19 dagar Eskalerad Sista dag 15 april 2026. Väntar på Samordnare På väg (exempel), samordnare.');
    expect(await text(first.locator('p').nth(1).textContent())).toMatch(/^Att göra: Rapporten har inte kommit in\./);
    expect(await first.getByRole('link', { name: /^Öppna rapporten/ }).getAttribute('href')).toBe(`/admin/rapporter/${lateId}`);
    // Only the first step is overdue.
    expect(await page.locator('ol.steps > li.late').count()).toBe(1);
    // What goes out: the milestones' reminders and the June board's underlag, in time order.
    const sends = page.locator('#utskick ~ ol.sends > li, section[aria-labelledby="utskick"] ol.sends > li');
    expect(await sends.count()).toBeGreaterThan(3);
    expect(await text(page.locator('section[aria-labelledby="utskick"]').textContent())).toContain('Påminnelse: Momentet ”Budgetuppföljning”, sista dag 27 maj 2026');
    await check(page, 'start');

    // The date form, reached with the keyboard: the disclosure opens with Enter.
    const summary = first.locator('summary', { hasText: 'Ge ny sista dag' });
    await summary.focus();
    await page.keyboard.press('Enter');
    const date = first.getByLabel('Ny sista dag');
    expect(await date.isVisible()).toBe(true);
    await date.fill('2026-03-15');
    await first.getByRole('button', { name: /^Spara ny sista dag/ }).click();
    await page.waitForLoadState();
    const again = page.locator('ol.steps > li').first();
    expect(await page.getByRole('alert').textContent()).toContain('Sista dag kan inte ligga före periodens slut');
    const invalid = again.getByLabel('Ny sista dag');
    expect(await invalid.getAttribute('aria-invalid')).toBe('true');
    expect(await invalid.inputValue()).toBe('2026-03-15');
    const errId = (await invalid.getAttribute('aria-describedby'))!.split(' ').find((x) => x.endsWith('-fel'))!;
    expect(await text(page.locator(`#${errId}`).textContent())).toBe('Fel: Sista dag kan inte ligga före periodens slut, 31 mars 2026.');
    expect((await db.prisma.reportingObligation.findUniqueOrThrow({ where: { id: lateId } })).dueDate.toISOString().slice(0, 10)).toBe('2026-04-15');
    expect(notifier.reportingCalls).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'admin-start-fel-desktop');

    await invalid.fill('2026-05-15');
    await again.getByRole('button', { name: /^Spara ny sista dag/ }).click();
    await page.waitForLoadState();
    expect(new URL(page.url()).searchParams.get('klart')).toBe('ny-sista-dag');
    // The step is no longer overdue: nothing is late any more, and the report now waits until 15 May;
    // the page opens at the step, which says what was done.
    expect(await page.locator('ol.steps > li.late').count()).toBe(0);
    const report = page.locator('ol.steps > li').filter({ hasText: 'Kvartalsrapport 1 januari–31 mars 2026 från På väg' });
    expect(new URL(page.url()).hash).toBe(`#${await report.getAttribute('id')}`);
    expect(await report.getByRole('status').textContent()).toBe('Rapporten har fått en ny sista dag. Påminnelserna till samordnaren börjar om från den.');
    expect(await text(report.locator('.status').textContent())).toBe('Väntar Sista dag 15 maj 2026. Väntar på Samordnare På väg (exempel), samordnare.');
    expect((await db.prisma.reportingObligation.findUniqueOrThrow({ where: { id: lateId } })).dueDate.toISOString().slice(0, 10)).toBe('2026-05-15');
    expect(await db.prisma.escalation.count({ where: { subjectId: lateId, resolvedAt: null } })).toBe(0);
    expect(notifier.reportingCalls).toEqual([{ projectId: paVagId, reason: 'due date changed' }]);
    await screenshot(page, 'admin-start-efter-desktop');

    // The report's own page.
    await report.getByRole('link', { name: /^Öppna rapporten/ }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Kvartalsrapport 1 januari–31 mars 2026');
    expect(await page.locator('main li').allTextContents()).toContain('22 april 2026: eskalering till tjänstepersonen och beredningsgruppen (sista dag 15 april 2026)');
    await check(page, 'rapport');
  });

  it('the secretary moves a board meeting (a wrong time refused first) and the workflows are told', async () => {
    notifier.reset();
    const page = await newPage();
    await signInAs(page, people.secretary);
    expect(page.url()).toBe(`${served.base}/admin`);
    // The secretary sees the steps but not the official's actions.
    expect(await page.getByText('Ge ny sista dag').count()).toBe(0);
    await page.getByRole('link', { name: 'Året 2026' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Året 2026');
    expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual(['Styrelsen', 'Presidiet och beredningen', 'Beredningsgruppen', 'Planeringsdagar', 'Moment under året', 'Årsredovisning och ansvarsfrihet', 'Sammanträdesplan för 2027', 'Kalenderflöden']);
    await check(page, 'ar');

    const june = await db.prisma.meeting.findFirstOrThrow({ where: { forbundId, year: 2026, key: 'styrelse-06' } });
    const card = page.locator(`#mote-${june.id}`);
    expect(await text(card.getByRole('heading', { level: 3 }).textContent())).toBe('Styrelsemöte 12 juni 2026');
    expect(await text(card.locator('dl').textContent())).toContain('fredagen den 12 juni 2026 kl. 9.00–12.00');
    // Keyboard: the disclosure, then each field, labelled.
    await card.locator('summary').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ id: `mote-${june.id}-datum`, name: 'date' });
    for (const [label, name] of [['Datum', 'date'], ['Börjar', 'start'], ['Slutar', 'end'], ['Plats', 'location']]) {
      expect(await card.getByLabel(label, { exact: true }).getAttribute('name')).toBe(name);
    }
    await card.getByLabel('Datum', { exact: true }).fill('2026-06-15');
    await card.getByLabel('Börjar', { exact: true }).fill('13:00');
    await card.getByLabel('Slutar', { exact: true }).fill('12:30');
    await card.getByLabel('Plats', { exact: true }).fill('Kumla stadshus');
    await card.getByRole('button', { name: /^Spara ny tid/ }).click();
    await page.waitForLoadState();
    const errCard = page.locator(`#mote-${june.id}`);
    const end = errCard.getByLabel('Slutar', { exact: true });
    expect(await end.getAttribute('aria-invalid')).toBe('true');
    expect(await text(page.locator(`#mote-${june.id}-slut-fel`).textContent())).toBe('Fel: Mötet måste sluta efter att det börjar.');
    expect(await end.getAttribute('aria-describedby')).toBe(`mote-${june.id}-slut-fel`);
    expect(await errCard.getByLabel('Datum', { exact: true }).inputValue()).toBe('2026-06-15');
    expect(await page.getByRole('alert').getByRole('link').getAttribute('href')).toBe(`#mote-${june.id}-slut`);
    expect((await db.prisma.meeting.findUniqueOrThrow({ where: { id: june.id } })).sequence).toBe(june.sequence);
    expect(notifier.cycleCalls).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'admin-ar-flytta-fel-desktop');

    await end.fill('15:30');
    await errCard.getByRole('button', { name: /^Spara ny tid/ }).click();
    await page.waitForLoadState();
    const moved = page.locator(`#mote-${june.id}`);
    expect(await moved.getByRole('status').textContent()).toBe('Mötet är flyttat. Deltagarna får en ändrad kalenderinbjudan.');
    expect(await text(moved.getByRole('heading', { level: 3 }).textContent())).toBe('Styrelsemöte 15 juni 2026');
    expect(await text(moved.locator('dl').textContent())).toContain('måndagen den 15 juni 2026 kl. 13.00–15.30');
    expect(await text(moved.locator('dl').textContent())).toContain('Kumla stadshus');
    expect(notifier.cycleCalls).toEqual([{ forbundId, year: 2026, reason: 'meeting moved' }]);
    expect(notifier.meetingCalls).toEqual([{ meetingId: june.id, reason: 'meeting moved' }]);
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { forbundId, action: 'meeting.moved', entityId: june.id } });
    expect(audit.actor).toMatch(/^person:\S+ Sara Sekreterare \(secretary\)$/);
    await screenshot(page, 'admin-ar-flyttat-desktop');
  });

  it('the secretary cancels a meeting after a confirmation, and adopts next year\'s calendar', async () => {
    notifier.reset();
    const page = await newPage();
    await signInAs(page, people.secretary);
    const bg = await db.prisma.meeting.findFirstOrThrow({ where: { forbundId, year: 2026, kind: 'beredningsgrupp', startsAt: { gt: NOW } }, orderBy: { startsAt: 'asc' } });
    await page.goto(`${served.base}/admin/ar/2026`);
    await page.locator(`#mote-${bg.id}`).getByRole('link', { name: /^Ställ in mötet/ }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^Ställa in Beredningsgruppens möte \d+ \w+ 2026\?$/);
    // Not yet: the confirmation changed nothing.
    expect((await db.prisma.meeting.findUniqueOrThrow({ where: { id: bg.id } })).status).toBe('planned');
    await check(page, 'stall-in');
    await page.getByRole('button', { name: 'Ja, ställ in mötet' }).click();
    await page.waitForLoadState();
    const card = page.locator(`#mote-${bg.id}`);
    expect(await card.getByRole('status').textContent()).toBe('Mötet är inställt. Deltagarna får en avbokning.');
    expect(await text(card.locator('dl').textContent())).toContain('Inställt');
    expect(await card.getByText('Flytta mötet').count()).toBe(0);
    expect((await db.prisma.meeting.findUniqueOrThrow({ where: { id: bg.id } })).status).toBe('cancelled');
    expect(notifier.cycleCalls).toEqual([{ forbundId, year: 2026, reason: 'meeting cancelled' }]);

    // Next year's calendar: the proposal, confirmed.
    await page.getByRole('link', { name: 'Granska förslaget och fastställ planen för 2027' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Fastställa sammanträdesplanen för 2027?');
    expect(await db.prisma.cycleYear.count({ where: { forbundId, year: 2027, calendarAdoptedAt: { not: null } } })).toBe(0);
    await check(page, 'faststall');
    notifier.reset();
    await page.getByRole('button', { name: 'Fastställ planen för 2027' }).click();
    await page.waitForLoadState();
    expect(page.url()).toBe(`${served.base}/admin/ar/2027?klart=faststalld`);
    expect(await page.getByRole('status').first().textContent()).toContain('Sammanträdesplanen är fastställd.');
    expect(await text(page.locator('main').textContent())).toMatch(/Sammanträdesplanen för 2027 är fastställd 4 maj 2026 av Sara Sekreterare \(sekreterare\)\./);
    expect(await page.locator('#styrelsen ~ ul.cards > li, section[aria-labelledby="styrelsen"] ul.cards > li').count()).toBeGreaterThan(3);
    expect(notifier.cycleCalls).toEqual([{ forbundId, year: 2026, reason: 'calendar 2027 adopted' }]);
    expect(notifier.meetingCalls.length).toBeGreaterThan(0);
  });

  it('signing out from the menu', async () => {
    const page = await newPage();
    await signInAs(page, people.official);
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await page.waitForLoadState();
    expect(page.url()).toBe(`${served.base}/admin/logga-in?utloggad=1`);
    expect(await page.getByRole('status').textContent()).toBe('Du är utloggad.');
    await page.goto(`${served.base}/admin`);
    expect(page.url()).toBe(`${served.base}/admin/logga-in`);
  });

  it('every form control on the pages has a label', async () => {
    const page = await newPage();
    await signInAs(page, people.official);
    for (const path of ['/admin', '/admin/ar/2026', `/admin/rapporter/${lateId}`]) {
      await page.goto(`${served.base}${path}`);
      const unlabelled = await unlabelledControls(page);
      expect(unlabelled, path).toEqual([]);
    }
  });

  it('no page logged an error, broke the CSP, or asked another site for anything', () => {
    expect(errors).toEqual([]);
  });
});
