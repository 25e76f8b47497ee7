// *Att göra* for a förbund that went live mid-year, in Chromium (Debian's, through playwright-core):
// "Läget vid start" at the top (what was open at go-live, not overdue work), settled in bulk with
// GOV.UK checkboxes by the official — an error summary when nothing is checked or the date is
// wrong, a success banner after — and read by the secretary; the pending steps with failed
// deliveries at the very top, the signed-in person's own steps first ("Ditt att göra", "Andras
// steg"), filters by kind and board meeting that the page links keep; a failed mail whose address
// is corrected and sent again where it is shown, and one that honestly cannot be. axe-core against
// WCAG 2.1 A/AA at 1280 and 375 px; screenshots in test-output/screenshots/startlage-*.png.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { parseForbundFile } from '../../domain/forbund-file.js';
import type { Database } from '../../prisma/db.js';
import { importForbund } from '../../services/import.js';
import { isoDay } from '../../services/rapportering.js';
import { registerMatter } from '../../services/styrelse.js';
import { axeViolations, browserPages, describeInChromium, pagePerson, type PagePerson, screenshot, signInInBrowser, unlabelledControls } from '../support/browser.js';
import { testDatabase } from '../support/database.js';
import { MEMBERS_YAML } from '../support/fixtures.js';
import { serve } from '../support/http.js';
import { RecordingNotifier } from '../support/notifier.js';

// Tuesday 10 November 2037, 10:00 in Stockholm; the förbund went live on Monday 14 September.
const NOW = new Date('2037-11-10T09:00:00Z');

const FILE = `
forbund:
  id: mittiaret
  name: Samordningsförbundet Mitt i Året
  email: kansli@mittiaret.example
  year: 2037
  goLive: 2037-09-14
${MEMBERS_YAML}
people:
  - { id: official, name: Örjan Tjänsteman, email: official@mittiaret.example, roles: [official] }
  - { id: secretary, name: Sara Sekreterare, email: secretary@mittiaret.example, roles: [secretary] }
  - { id: economist, name: Ekon Omsson, email: ekon@mittiaret.exmaple, roles: [economist] }
  - { id: chair, name: Ordf Örn, email: chair@mittiaret.example, roles: [board_member] }
  - { id: co-a, name: Åsa Kvartal, email: a@mittiaret.example, roles: [coordinator] }
  - { id: co-b, name: Bo Andra, email: b@mittiaret.example, roles: [coordinator] }
bodies:
  styrelse:
    members:
      - { person: chair, role: chair, member: kommunen }
  presidium:
    members:
      - { person: chair, role: chair }
reporting:
  kinds:
    quarterly: { dueDays: 15 }
  reminders: [14, 3, 0]
  overdue: { reminderDaysAfter: 1, escalateDaysAfter: 7 }
projects:
  - { id: kvartal, name: Kvartalet, coordinator: co-a, start: 2037-01-01, end: 2037-12-31, reports: [quarterly] }
  - { id: andra, name: Andra insatsen, coordinator: co-b, start: 2037-01-01, end: 2037-12-31, reports: [quarterly] }
cycle:
  defaults: { start: "09:00", end: "12:00" }
  kallelseDays: 7
  meetings:
    - { id: styrelse-02, body: styrelse, date: 2037-02-26 }
    - { id: styrelse-11, body: styrelse, date: 2037-11-26 }
  milestones:
    bokslut: { meeting: styrelse-02, owner: economist }
    budgetDialogue: { due: 2037-05-29, owner: official }
    vpBudget: { meeting: styrelse-11, owner: official }
    budgetFollowUp: { due: 2037-11-20, owner: economist }
    halfYearReports: false
    delar: false
    nextCalendar: false
    stateAllocation: false
    attestReview: false
`;

let db: Database;
let served: { base: string; close(): Promise<void> };
let forbundId: string;
const notifier = new RecordingNotifier();
const people = {} as Record<'official' | 'secretary', PagePerson>;
const ids = { kvartal: [] as string[], andra: [] as string[], ms: {} as Record<string, string>, delivery: '', kallelse: '', board: '' };

beforeAll(async () => {
  db = await testDatabase();
  const prisma = db.prisma;
  forbundId = (await importForbund(prisma, parseForbundFile(FILE, 'mittiaret.yaml'), { actor: 'test' })).forbundId;
  for (const key of ['kvartal', 'andra'] as const) {
    const p = await prisma.project.findFirstOrThrow({ where: { forbundId, key }, include: { obligations: { orderBy: { dueDate: 'asc' } } } });
    ids[key] = p.obligations.map((o) => o.id);
  }
  for (const m of await prisma.milestone.findMany({ where: { forbundId } })) ids.ms[m.kind] = m.id;
  const board = await prisma.meeting.findFirstOrThrow({ where: { forbundId, key: 'styrelse-11' } });
  ids.board = board.id;
  // The secretary's matter for the November board.
  await registerMatter(prisma, forbundId, { title: 'Riktlinjer för insatser', kind: 'policy', owner: 'secretary', meetingId: board.id }, NOW, 'test');
  // The budget follow-up's 14-day reminder (Fri 6 Nov) was refused: the economist's address is misspelt.
  const due = isoDay((await prisma.milestone.findUniqueOrThrow({ where: { id: ids.ms.budgetFollowUp } })).dueDate);
  expect(due).toBe('2037-11-20');
  ids.delivery = (
    await prisma.notification.create({ data: { forbundId, key: `milestone:${ids.ms.budgetFollowUp}:${due}:reminder-14`, messageId: '<bf@test>', kind: 'milestone.reminder', recipients: ['ekon@mittiaret.exmaple'], subject: 'Påminnelse: budgetuppföljning ska vara klar senast 20 november 2037', status: 'failed', error: '550 5.1.1 <ekon@mittiaret.exmaple>: no such user', claimedAt: new Date('2037-11-06T07:00:00Z') } })
  ).id;
  // A board mail that failed: its process does not go back, so it cannot be sent again.
  const chair = await prisma.person.findFirstOrThrow({ where: { forbundId, key: 'chair' } });
  ids.kallelse = (
    await prisma.notification.create({ data: { forbundId, key: `underlag:${board.id}:x`, messageId: '<u@test>', kind: 'meeting.underlag', recipients: [chair.email], subject: 'Underlag till beredningen', status: 'failed', error: '550 mailbox full', claimedAt: new Date('2037-11-05T07:00:00Z') } })
  ).id;
  people.official = await pagePerson(prisma, { forbundId, name: 'Örjan Tjänsteman', role: 'official', publicBaseUrl: 'https://arscykel.example', now: () => NOW });
  people.secretary = await pagePerson(prisma, { forbundId, name: 'Sara Sekreterare', role: 'secretary', publicBaseUrl: 'https://arscykel.example', now: () => NOW });
  served = await serve(createApp({ prisma, notifier, publicBaseUrl: 'https://arscykel.example', linkSecret: 'a'.repeat(32), now: () => NOW }));
}, 120_000);

afterAll(async () => {
  await served?.close();
  await db?.close();
});

describeInChromium((newContext) => {
  const { errors, newPage, check } = browserPages(newContext, () => served.base, 'startlage');
  const text = async (p: Promise<string | null>) => (await p)?.replace(/\u2060/g, '').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();
  const signInAs = (page: Page, who: PagePerson) => signInInBrowser(page, served.base, who);
  const h2s = async (page: Page) => (await page.locator('main h2').allTextContents()).map((x) => x.trim());
  const stepsUnder = (page: Page, id: string) => page.locator(`h2#${id} + ol.steps > li`);
  const headingsOf = async (page: Page, id: string) => (await stepsUnder(page, id).locator('h3').allTextContents()).map((x) => x.replace(/\u00a0/g, ' ').trim());

  it('the official: "Läget vid start" first, what was open at go-live grouped by project and milestones, with checkboxes; the steps: failed mails at the top, then the official\'s own, then the others\'', async () => {
    const page = await newPage();
    await signInAs(page, people.official);
    expect(page.url()).toBe(`${served.base}/admin`);
    expect(await h2s(page)).toEqual(['Läget vid start', 'E-post som inte kom fram', 'Ditt att göra', 'Andras steg', 'Det här går ut de närmaste 14 dagarna']);
    const start = page.locator('section#start');
    expect(await text(start.locator('p').first().textContent())).toBe('Det här var öppet när förbundet började använda Årscykel den 14 september 2037; inga påminnelser har skickats om det. Det räknas inte som försenat och står inte bland stegen nedan.');
    expect(await start.locator('legend').allTextContents()).toEqual(['Andra insatsen', 'Kvartalet', 'Moment i årscykeln', 'Gör med de markerade']);
    expect(await start.getByRole('checkbox').count()).toBe(7);
    expect(await start.getByRole('checkbox', { name: /^Alla rader i listan \(6\)/ }).count()).toBe(1);
    expect(await start.getByRole('checkbox', { name: /Kvartalsrapport 1 januari–31 mars 2037/ }).count()).toBe(2);
    expect(await start.getByRole('checkbox', { name: /Årsredovisning och bokslut/ }).count()).toBe(1);
    // None of it is among the steps, and nothing there is overdue from before go-live.
    const main = await text(page.locator('section#vantande').textContent());
    expect(main).not.toContain('1 januari–31 mars 2037');
    expect(main).not.toContain('Årsredovisning och bokslut');
    // Failed mails at the very top, then the official's own (the overdue Q3 reports first), then the others'.
    expect((await headingsOf(page, 'utskick-fel')).sort()).toEqual(['E-post kom inte fram: ”Påminnelse: budgetuppföljning ska vara klar senast 20 november 2037”', 'E-post kom inte fram: ”Underlag till beredningen”']);
    const mine = await headingsOf(page, 'ditt');
    expect(mine.slice(0, 2).sort()).toEqual(['Kvartalsrapport 1 juli–30 september 2037 från Andra insatsen', 'Kvartalsrapport 1 juli–30 september 2037 från Kvartalet']);
    expect(mine).toContain('Verksamhetsplan och budget för nästa år');
    expect(await stepsUnder(page, 'ditt').first().locator('.status .tag.late').count()).toBe(1);
    const others = await text(page.locator('h2#andras + ol.steps').textContent());
    expect(others).toContain('Väntar på Ekon Omsson, ekonom');
    expect(others).toContain('Väntar på Sara Sekreterare, sekreterare');
    expect(others).not.toContain('Örjan Tjänsteman');
    expect(await unlabelledControls(page)).toEqual([]);
    await check(page, 'start');
  });

  it('settling with nothing checked, or a date already past: an error summary and the problem next to its field; nothing changed', async () => {
    notifier.reset();
    const page = await newPage();
    await signInAs(page, people.official);
    await page.getByRole('button', { name: 'Hanterat utanför Årscykel' }).click();
    await page.waitForLoadState();
    const alert = page.getByRole('alert');
    expect(await text(alert.textContent())).toContain('Markera minst en rad.');
    expect(await alert.getByRole('link').getAttribute('href')).toBe('#start-alla');
    expect(await text(page.locator('#start-rader-fel').textContent())).toBe('Fel: Markera minst en rad.');
    expect(await axeViolations(page)).toEqual([]);

    await page.locator('section#start').getByRole('checkbox', { name: /Dialog med medlemmarna om budgetram/ }).check();
    await page.locator('section#start').getByLabel('Ny sista dag').fill('2037-11-09');
    await page.getByRole('button', { name: 'Ge ny sista dag' }).click();
    await page.waitForLoadState();
    const date = page.locator('section#start').getByLabel('Ny sista dag');
    expect(await date.getAttribute('aria-invalid')).toBe('true');
    expect(await date.inputValue()).toBe('2037-11-09');
    expect(await text(page.locator('#start-datum-fel').textContent())).toBe('Fel: Den nya sista dagen kan inte ligga före i dag.');
    expect(await page.getByRole('alert').getByRole('link').getAttribute('href')).toBe('#start-datum');
    // What was checked is still checked.
    expect(await page.locator('section#start').getByRole('checkbox', { name: /Dialog med medlemmarna om budgetram/ }).isChecked()).toBe(true);
    await screenshot(page, 'startlage-fel-desktop');
    expect(isoDay((await db.prisma.milestone.findUniqueOrThrow({ where: { id: ids.ms.budgetDialogue } })).dueDate)).toBe('2037-05-29');
    expect([notifier.cycleCalls, notifier.reportingCalls]).toEqual([[], []]);
  });

  it('the three answers: a new due date, still wanted (a step that waits, "Väntas sedan före start", never overdue), handled outside Årscykel; a banner after each; the section goes when empty', async () => {
    notifier.reset();
    const page = await newPage();
    await signInAs(page, people.official);
    const start = page.locator('section#start');
    const box = (name: RegExp, n = 0) => start.getByRole('group', { name: n === 0 ? 'Kvartalet' : 'Andra insatsen' }).getByRole('checkbox', { name });

    // Kvartalet's Q2 and the budget dialogue get 4 December.
    await box(/1 april–30 juni 2037/).check();
    await start.getByRole('checkbox', { name: /Dialog med medlemmarna om budgetram/ }).check();
    await page.locator('section#start').getByLabel('Ny sista dag').fill('2037-12-04');
    await page.getByRole('button', { name: 'Ge ny sista dag' }).click();
    await page.waitForLoadState();
    expect(new URL(page.url()).searchParams.get('klart')).toBe('start-ny-sista-dag');
    expect(await text(page.getByRole('status').first().textContent())).toBe('De markerade raderna har fått en ny sista dag. Påminnelserna går ut inför den.');
    expect(isoDay((await db.prisma.reportingObligation.findUniqueOrThrow({ where: { id: ids.kvartal[1] } })).dueDate)).toBe('2037-12-04');
    expect(await start.getByRole('checkbox').count()).toBe(5);

    // Kvartalet's Q1 is still wanted: it becomes the official's step, waiting, never overdue.
    await box(/1 januari–31 mars 2037/).check();
    await page.getByRole('button', { name: 'Fortfarande önskat' }).click();
    await page.waitForLoadState();
    expect(await text(page.getByRole('status').first().textContent())).toBe('De markerade raderna står kvar som väntande steg, utan påminnelser och utan att räknas som försenade.');
    const wanted = stepsUnder(page, 'ditt').filter({ hasText: 'Kvartalsrapport 1 januari–31 mars 2037 från Kvartalet' });
    expect(await text(wanted.locator('.status').textContent())).toBe('Väntar Väntas sedan före start Sista dag 15 april 2037, före start. Väntar på Åsa Kvartal, samordnare.');
    expect(await wanted.locator('.tag.late').count()).toBe(0);
    expect(await text(wanted.locator('p').nth(1).textContent())).toMatch(/^Att göra: Rapporten var öppen när förbundet började använda Årscykel/);
    await check(page, 'onskat');

    // The rest handled outside Årscykel, all at once: the section goes.
    await start.getByRole('checkbox', { name: /^Alla rader i listan \(3\)/ }).check();
    await page.getByRole('button', { name: 'Hanterat utanför Årscykel' }).click();
    await page.waitForLoadState();
    expect(await text(page.getByRole('status').first().textContent())).toBe('De markerade raderna är hanterade utanför Årscykel och har tagits bort från Läget vid start.');
    expect(await page.locator('section#start').count()).toBe(0);
    expect(await h2s(page)).not.toContain('Läget vid start');
    expect((await db.prisma.reportingObligation.findUniqueOrThrow({ where: { id: ids.andra[0] } })).status).toBe('handled');
    expect((await db.prisma.milestone.findUniqueOrThrow({ where: { id: ids.ms.bokslut } })).status).toBe('done');
    const audit = await db.prisma.auditEvent.findMany({ where: { forbundId, action: { in: ['start.settled', 'obligation.redated'] } } });
    expect(audit).toHaveLength(6);
    expect(audit.every((a) => /Örjan Tjänsteman \(admin\)$/.test(a.actor))).toBe(true);
    expect(notifier.cycleCalls.map((c) => c.reason)).toEqual(['start list: new due date', 'start list: handled outside Årscykel']);
  });

  it('the secretary reads "Läget vid start" without checkboxes and sees her own steps first', async () => {
    // Something open at go-live again (the official's list is empty by now).
    await db.prisma.reportingObligation.update({ where: { id: ids.andra[1] }, data: { status: 'open' } });
    const page = await newPage();
    await signInAs(page, people.secretary);
    const start = page.locator('section#start');
    expect(await start.count()).toBe(1);
    expect(await start.getByRole('checkbox').count()).toBe(0);
    expect(await text(start.textContent())).toContain('Tjänstepersonen avgör vad som gäller för raderna.');
    const mine = await headingsOf(page, 'ditt');
    expect(mine).toContain('Sammanträdesplan för 2038 fastställs av styrelsen');
    expect(mine.some((h) => h.includes('Riktlinjer för insatser'))).toBe(true);
    expect((await headingsOf(page, 'andras')).some((h) => h.startsWith('Kvartalsrapport'))).toBe(true);
    // Failed mails are at the top for her too; only the official acts on them.
    expect(await stepsUnder(page, 'utskick-fel').count()).toBe(2);
    expect(await page.getByText('Rätta adressen och skicka igen').count()).toBe(0);
    await check(page, 'sekreterare');
  });

  it('filters by kind and by board meeting (GET, kept by the page links)', async () => {
    const page = await newPage();
    await signInAs(page, people.official);
    await page.getByLabel('Slag av steg').selectOption('rapporter');
    await page.getByRole('button', { name: 'Visa', exact: true }).click();
    await page.waitForLoadState();
    expect(new URL(page.url()).searchParams.get('typ')).toBe('rapporter');
    const headings = await page.locator('section#vantande ol.steps > li h3').allTextContents();
    expect(headings.length).toBeGreaterThan(0);
    expect(headings.every((h) => h.startsWith('Kvartalsrapport'))).toBe(true);
    expect(await text(page.locator('section#vantande p[role=status]').textContent())).toMatch(/^Visar \d+ av \d+ steg\.$/);

    await page.goto(`${served.base}/admin`);
    await page.getByLabel('Styrelsemöte').selectOption(ids.board);
    await page.getByRole('button', { name: 'Visa', exact: true }).click();
    await page.waitForLoadState();
    const board = (await page.locator('section#vantande ol.steps > li h3').allTextContents()).map((h) => h.replace(/\u00a0/g, ' '));
    expect(board.sort()).toEqual(['Bered 2037-00001 Riktlinjer för insatser till styrelsen 26 november 2037', 'Verksamhetsplan och budget för nästa år']);
    await check(page, 'filter');

    // Many failed mails: the pages of one kind keep the filter.
    const extra = await Promise.all(
      Array.from({ length: 22 }, (_, i) =>
        db.prisma.notification.create({ data: { forbundId, key: `review:test-${i}:actuals`, messageId: `<r${i}@test>`, kind: 'review.actuals', recipients: ['ekon@mittiaret.exmaple'], subject: `Utfall ${i}`, status: 'failed', error: '550', claimedAt: new Date('2037-11-01T07:00:00Z') } }),
      ),
    );
    try {
      await page.goto(`${served.base}/admin?typ=utskick`);
      const next = page.getByRole('link', { name: 'Nästa sida →' });
      expect(await next.getAttribute('href')).toBe('/admin?typ=utskick&sida=2#vantande');
      await next.click();
      await page.waitForLoadState();
      expect(await page.getByLabel('Slag av steg').inputValue()).toBe('utskick');
      expect(await text(page.locator('nav.pager p').textContent())).toBe('Steg 21–24 av 24.');
      expect(await page.getByRole('link', { name: '← Föregående sida' }).getAttribute('href')).toBe('/admin?typ=utskick#vantande');
    } finally {
      await db.prisma.notification.deleteMany({ where: { id: { in: extra.map((x) => x.id) } } });
    }
  });

  it('a failed mail fixed where it is shown: the address corrected (a wrong one refused next to the field) and sent again; one that cannot be sent again says so', async () => {
    notifier.reset();
    const page = await newPage();
    await signInAs(page, people.official);
    const failed = stepsUnder(page, 'utskick-fel').filter({ hasText: 'budgetuppföljning' });
    expect(await text(failed.locator('p').nth(1).textContent())).toMatch(/^Att göra: E-posten till ekon@mittiaret\.exmaple kom inte fram\. Felet: 550/);
    const honest = stepsUnder(page, 'utskick-fel').filter({ hasText: 'Underlag till beredningen' });
    expect(await text(honest.locator('p').nth(1).textContent())).toBe('Att göra: Kontrollera adressen (chair@mittiaret.example). Det kan inte skickas igen: det hör till styrelsemötets process, som skickar varje e-post i sitt eget steg och inte går tillbaka till ett steg den har passerat. Se till att beskedet når fram på annat sätt och markera sedan som åtgärdat. Felet: 550 mailbox full');
    expect(await honest.getByText('Rätta adressen och skicka igen').count()).toBe(0);
    expect(await honest.getByRole('button', { name: /^Markera som åtgärdat/ }).count()).toBe(1);

    await failed.locator('summary', { hasText: 'Rätta adressen och skicka igen' }).click();
    const address = failed.getByLabel('Rätt e-postadress');
    expect(await address.inputValue()).toBe('ekon@mittiaret.exmaple');
    await address.fill('ekon@mittiaret');
    await failed.getByRole('button', { name: /^Rätta adressen och skicka igen/ }).click();
    await page.waitForLoadState();
    const again = stepsUnder(page, 'utskick-fel').filter({ hasText: 'budgetuppföljning' });
    const field = again.getByLabel('Rätt e-postadress');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await field.inputValue()).toBe('ekon@mittiaret');
    expect(await text(page.getByRole('alert').textContent())).toContain('Ange en e-postadress, till exempel namn@kommun.se.');
    expect(await page.getByRole('alert').getByRole('link').getAttribute('href')).toBe(`#${await again.getAttribute('id')}-adress`);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'startlage-adress-fel-desktop');
    expect(notifier.cycleCalls).toEqual([]);

    await field.fill('ekon@mittiaret.example');
    await again.getByRole('button', { name: /^Rätta adressen och skicka igen/ }).click();
    await page.waitForLoadState();
    expect(await text(page.getByRole('status').first().textContent())).toBe('Adressen är rättad och utskicket skickas igen till den. Kommer det inte fram den här gången syns det här på nytt.');
    expect(await stepsUnder(page, 'utskick-fel').filter({ hasText: 'budgetuppföljning' }).count()).toBe(0);
    expect((await db.prisma.person.findFirstOrThrow({ where: { forbundId, key: 'economist' } })).email).toBe('ekon@mittiaret.example');
    expect(await db.prisma.notification.count({ where: { id: ids.delivery } })).toBe(0);
    expect(notifier.cycleCalls).toEqual([{ forbundId, year: 2037, reason: 'failed delivery sent again' }]);
    await check(page, 'skickas-igen');
  });

  it('no page logged an error, broke the CSP, or asked another site for anything', () => {
    expect(errors).toEqual([]);
  });
});
