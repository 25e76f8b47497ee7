// The förbund's public pages in a real browser (Debian's Chromium through playwright-core): the
// start page, the anslagstavla, the board's meetings of the year, a meeting with its
// föredragningslista and decisions, the decisions with a search, the projects and a project's
// page. Each held to WCAG 2.1 A/AA with axe-core at 1280 and 375 px, with nothing wider than the
// phone; the search is used as a person uses it (the label, typing, the button); the navigation
// is the same on every page and marks where the reader is; no page asks for anything but itself.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { parseForbundFile } from '../../domain/forbund-file.js';
import type { Database } from '../../prisma/db.js';
import { uploadHandling } from '../../services/handlingar.js';
import { importForbund } from '../../services/import.js';
import { registerMatter } from '../../services/styrelse.js';
import { browserPages, describeInChromium } from '../support/browser.js';
import { testDatabase } from '../support/database.js';
import { MEMBERS_YAML } from '../support/fixtures.js';
import { serve } from '../support/http.js';
import { RecordingNotifier } from '../support/notifier.js';

const FILE = `
forbund: { id: sydnarke, name: Samordningsförbundet Sydnärke, email: kansli@sydnarke.example, year: 2037 }
${MEMBERS_YAML}
people:
  - { id: official, name: Olga Tjänsteman, email: olga@sydnarke.example, roles: [official] }
  - { id: secretary, name: Sixten Sekreterare, email: sixten@sydnarke.example, roles: [secretary] }
  - { id: co, name: Klara Samordnare, email: klara@sydnarke.example, roles: [coordinator] }
  - { id: anna, name: Anna Ordförande, email: anna@aby.example, roles: [board_member] }
  - { id: bo, name: Bo Ledamot, email: bo@region.example, roles: [board_member] }
bodies:
  styrelse:
    members:
      - { person: anna, role: chair, member: kommunen }
      - { person: bo, member: regionen }
projects:
  - id: pa-vag
    name: På väg
    huvudman: Försäkringskassan och kommunerna i Sydnärke (Askersund, Hallsberg, Kumla och Laxå)
    purpose: "På väg ger personer som länge stått utanför arbetsmarknaden samordnat stöd mot arbete eller studier.\\n\\nInsatsen drivs av Försäkringskassan och kommunerna tillsammans, med en gemensam handläggargrupp."
    coordinator: co
    start: 2037-01-01
    end: 2038-12-31
    grants: { 2037: 1210000, 2038: 950000 }
    goals: [Minst 30 deltagare per år., Hälften av deltagarna går vidare till arbete eller studier inom ett år efter avslutad insats.]
    reports: [quarterly, final]
  - { id: mottagningsteamet, name: Mottagningsteamet, huvudman: Hallsbergs kommun, coordinator: co, start: 2036-01-01, end: 2036-12-31, grants: { 2036: 800000 }, reports: [quarterly, final] }
cycle:
  meetings:
    - { id: styrelse-02, body: styrelse, date: 2037-02-26, location: "Kumla stadshus, sammanträdesrum Hjärtat" }
    - { id: styrelse-04, body: styrelse, date: 2037-04-23, location: Hallsbergs kommunhus }
    - { id: styrelse-06, body: styrelse, date: 2037-06-11 }
    - { id: styrelse-09, body: styrelse, date: 2037-09-17 }
  milestones: { bokslut: false, budgetDialogue: false, halfYearReports: false, delar: false, budgetFollowUp: false, vpBudget: false, nextCalendar: false, stateAllocation: false, attestReview: false }
`;
// 1 May 2037, 10:00 in Stockholm.
const NOW = new Date('2037-05-01T08:00:00Z');
const S = '/forbund/sydnarke';

let db: Database;
let served: { base: string; close(): Promise<void> };
const id: Record<string, string> = {};

beforeAll(async () => {
  db = await testDatabase();
  const prisma = db.prisma;
  const { forbundId } = await importForbund(prisma, parseForbundFile(FILE, 'sydnarke.yaml'), { actor: 'test' });
  for (const m of await prisma.meeting.findMany({ where: { forbundId } })) id[m.key] = m.id;
  await prisma.meeting.create({ data: { forbundId, year: 2036, key: 'styrelse-2036', kind: 'styrelse', title: 'Styrelsemöte', startsAt: new Date('2036-11-20T08:00:00Z'), endsAt: new Date('2036-11-20T11:00:00Z') } });
  const pdf = (t: string) => ({ name: `${t}.pdf`, data: Buffer.from(`%PDF-1.4\n% ${t}\n%%EOF\n`) });

  // February: justerat, its anslag up, 30 decisions (two pages of them).
  const feb = id['styrelse-02'];
  const funding = await registerMatter(prisma, forbundId, { title: 'Ansökan om medel: På väg', kind: 'funding_application', owner: 'official' }, new Date('2037-01-10T09:00:00Z'), 'test');
  await uploadHandling(prisma, forbundId, funding.dnr, { title: 'Ansökan På väg med budget för 2037 och 2038 (reviderad efter beredningen)', file: pdf('ansokan') }, 'test');
  await prisma.meeting.update({ where: { id: feb }, data: { kallelseSentAt: new Date('2037-02-19T07:00:00Z'), heldAt: new Date('2037-02-26T11:00:00Z'), minutesSentAt: new Date('2037-02-27T10:00:00Z'), justeradAt: new Date('2037-03-04T09:20:00Z'), anslagPostedAt: new Date('2037-04-28T09:20:00Z'), anslagRemovedOn: new Date('2037-05-19T00:00:00Z'), protocolSha256: 'ab'.repeat(32) } });
  await prisma.agendaItem.deleteMany({ where: { meetingId: feb } });
  for (let n = 1; n <= 30; n++)
    await prisma.agendaItem.create({
      data:
        n === 6
          ? { meetingId: feb, number: n, title: 'Ansökan om medel: På väg', kind: 'matter', matterId: funding.id, paragraph: n, proposal: 'Styrelsen beviljar På väg 1 210 000 kr för 2037.', decision: 'Styrelsen beviljar På väg 1 210 000 kr för 2037 och uppdrar åt förbundschefen att teckna avtal med huvudmännen.\n\nBeslutet gäller under förutsättning att medlemmarnas bidrag för 2037 betalas ut enligt budget.' }
          : { meetingId: feb, number: n, title: `Ärende nummer ${n}`, kind: 'other', paragraph: n, decision: `Styrelsen lägger ärende ${n} till handlingarna.` },
    });
  // April: the kallelse sent, not justerat.
  const apr = id['styrelse-04'];
  const steg = await registerMatter(prisma, forbundId, { title: 'Ansökan om medel: Steg framåt', kind: 'funding_application', owner: 'official' }, new Date('2037-03-10T09:00:00Z'), 'test');
  await uploadHandling(prisma, forbundId, steg.dnr, { title: 'Tjänsteskrivelse Steg framåt', file: pdf('tjansteskrivelse') }, 'test');
  await uploadHandling(prisma, forbundId, steg.dnr, { title: 'Hemlig bilaga', secret: true, file: pdf('hemlig') }, 'test');
  await prisma.meeting.update({ where: { id: apr }, data: { kallelseSentAt: new Date('2037-04-16T06:00:00Z') } });
  await prisma.agendaItem.deleteMany({ where: { meetingId: apr } });
  await prisma.agendaItem.create({ data: { meetingId: apr, number: 1, title: 'Mötets öppnande', kind: 'opening' } });
  await prisma.agendaItem.create({ data: { meetingId: apr, number: 2, title: 'Ansökan om medel: Steg framåt', kind: 'matter', matterId: steg.id, proposal: 'Styrelsen beviljar Steg framåt 400 000 kr för 2037.' } });
  await prisma.meeting.update({ where: { id: id['styrelse-09'] }, data: { status: 'cancelled', sequence: 1 } });

  // På väg's first quarter, approved: its figures by women and men on the project's page.
  const q1 = await prisma.reportingObligation.findFirstOrThrow({ where: { project: { forbundId, key: 'pa-vag' }, kind: 'quarterly', periodEnd: new Date('2037-03-31T00:00:00Z') } });
  await prisma.submission.create({
    data: {
      obligationId: q1.id,
      version: 1,
      submittedAt: new Date('2037-04-10T09:30:00Z'),
      late: false,
      figures: { participants: { active: { women: 12, men: 11 }, new: { women: 2, men: 3 } }, costsToDate: 212500, goals: [{ goal: 'Minst 30 deltagare per år.', women: 12, men: 11, comment: 'I fas med planen.' }] },
      narrative: 'Första kvartalet: 23 deltagare, varav fem nya.\n\nArbetsgivarkontakterna har kommit igång.',
      submittedBy: 'Klara Samordnare',
      reviewStatus: 'approved',
      reviewedAt: new Date('2037-04-12T09:30:00Z'),
      reviewedBy: 'Olga Tjänsteman',
    },
  });
  await prisma.reportingObligation.update({ where: { id: q1.id }, data: { status: 'submitted' } });

  served = await serve(createApp({ prisma, notifier: new RecordingNotifier(), publicBaseUrl: 'https://arscykel.example', linkSecret: 'p'.repeat(32), now: () => NOW }));
});

afterAll(async () => {
  await served?.close();
  await db?.close();
});

describeInChromium((newContext) => {
  const { errors, newPage, check } = browserPages(newContext, () => served.base, 'offentligt', /status of 404/);

  /** The navigation's links and which is marked. */
  const nav = async (page: import('playwright-core').Page) => {
    const links = page.getByRole('navigation', { name: 'Förbundets sidor' }).getByRole('link');
    const names = await links.allTextContents();
    const current = await links.evaluateAll((as) => as.map((a) => (a as unknown as { getAttribute(n: string): string | null }).getAttribute('aria-current')));
    return { names, current: names.find((_, i) => current[i]) };
  };
  const NAV = ['Start', 'Sammanträden', 'Beslut', 'Anslagstavla', 'Insatser', 'Rapporter'];

  it('the start page', async () => {
    const page = await newPage();
    await page.goto(`${served.base}${S}`);
    expect(await page.title()).toBe('Start – Samordningsförbundet Sydnärke');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Samordningsförbundet Sydnärke');
    expect(await nav(page)).toEqual({ names: NAV, current: 'Start' });
    expect(await page.getByRole('link', { name: 'Öppna data', exact: true }).getAttribute('href')).toBe('/oparl/v1/body/sydnarke');
    await check(page, 'start');
  });

  it('the anslagstavla, with the navigation', async () => {
    const page = await newPage();
    await page.goto(`${served.base}${S}/anslag`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Anslagstavla');
    expect(await nav(page)).toEqual({ names: NAV, current: 'Anslagstavla' });
    expect(await page.getByRole('article').count()).toBe(1);
    await check(page, 'anslag');
  });

  it("the board's meetings of the year: the cancelled one marked, the calendar to subscribe to; on to a meeting", async () => {
    const page = await newPage();
    await page.goto(`${served.base}${S}/moten`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Styrelsens sammanträden 2037');
    expect(await nav(page)).toEqual({ names: NAV, current: 'Sammanträden' });
    expect((await page.getByRole('heading', { level: 3 }).allTextContents()).map((t) => t.replace(/\u00a0/g, ' '))).toEqual(['Styrelsemöte 26 februari 2037', 'Styrelsemöte 23 april 2037', 'Styrelsemöte 11 juni 2037', 'Styrelsemöte 17 september 2037 Inställt']);
    expect(await page.getByRole('navigation', { name: 'År' }).getByRole('link').allTextContents()).toEqual(['2036', '2037']);
    expect(await page.getByText('https://arscykel.example/forbund/sydnarke/moten.ics').count()).toBe(1);
    await check(page, 'moten');
    await page.getByRole('link', { name: /^Styrelsemöte 23.april 2037$/ }).click();
    await page.waitForURL(`**/moten/${id['styrelse-04']}`);
    expect((await page.getByRole('heading', { level: 1 }).textContent())?.replace(/\u00a0/g, ' ')).toBe('Styrelsemöte 23 april 2037');
  });

  it('a meeting whose kallelse is sent: the föredragningslista with förslag and the public handling', async () => {
    const page = await newPage();
    await page.goto(`${served.base}${S}/moten/${id['styrelse-04']}`);
    expect(await nav(page)).toEqual({ names: NAV, current: 'Sammanträden' });
    expect(await page.getByRole('heading', { level: 3 }).allTextContents()).toEqual(['1. Mötets öppnande', '2. Ansökan om medel: Steg framåt']);
    expect(await page.getByRole('link', { name: 'Tjänsteskrivelse Steg framåt' }).count()).toBe(1);
    expect(await page.getByText('Hemlig bilaga').count()).toBe(0);
    await check(page, 'mote-kallelse');
  });

  it('a justerat meeting: the decisions by §', async () => {
    const page = await newPage();
    await page.goto(`${served.base}${S}/moten/${id['styrelse-02']}`);
    expect(await page.getByRole('heading', { level: 2 }).first().textContent()).toBe('Föredragningslista och beslut');
    expect(await page.getByRole('link', { name: 'Protokoll (PDF)' }).count()).toBe(1);
    await check(page, 'mote-justerat');
  });

  it('the decisions: 25 a page, the next page; a search by its label, typed and sent with the button', async () => {
    const page = await newPage();
    await page.goto(`${served.base}${S}/beslut`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Styrelsens beslut');
    expect(await nav(page)).toEqual({ names: NAV, current: 'Beslut' });
    expect(await page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3 }) }).count()).toBe(25);
    await check(page, 'beslut');
    await page.getByRole('link', { name: /^Nästa sida/ }).click();
    await page.waitForURL('**/beslut?sida=2');
    expect(await page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3 }) }).count()).toBe(5);
    await page.getByLabel('Sök bland besluten').fill('avtal');
    await page.getByRole('button', { name: 'Sök' }).click();
    await page.waitForURL('**/beslut?q=avtal&ar=');
    expect((await page.getByRole('heading', { level: 3 }).allTextContents()).map((t) => t.replace(/\u00a0/g, ' '))).toEqual(['§ 6 Ansökan om medel: På väg']);
    expect(await page.getByRole('searchbox', { name: 'Sök bland besluten' }).inputValue()).toBe('avtal');
    await check(page, 'beslut-sokning');
    await page.getByLabel('Sök bland besluten').fill('finns inte någonstans');
    await page.getByRole('button', { name: 'Sök' }).click();
    await page.waitForURL('**/beslut?q=finns+inte+n%C3%A5gonstans&ar=');
    expect(await page.getByText('Inga beslut som matchar ”finns inte någonstans”.').count()).toBe(1);
  });

  it('the projects, and a project with its grants, goals and report', async () => {
    const page = await newPage();
    await page.goto(`${served.base}${S}/insatser`);
    expect(await nav(page)).toEqual({ names: NAV, current: 'Insatser' });
    expect(await page.getByRole('heading', { level: 3 }).allTextContents()).toEqual(['På väg', 'Mottagningsteamet']);
    await check(page, 'insatser');
    await page.getByRole('link', { name: 'På väg', exact: true }).click();
    await page.waitForURL('**/insatser/pa-vag');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('På väg');
    expect(await page.getByRole('row', { name: /2037 1.210.000.kr/ }).count()).toBe(1);
    await check(page, 'insats');
  });

  it('no page logged an error, broke the CSP, or asked another site for anything', () => {
    expect(errors).toEqual([]);
  });
});
