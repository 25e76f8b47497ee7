// The public's reports page in a real browser (Debian's Chromium through playwright-core): what
// a reader sees for an ongoing project (only its latest report, corrected text only), for an
// ended one (only its final report) and for one whose final report is missing; keyboard use,
// axe-core against WCAG 2.1 A/AA, a phone's 375 px, and screenshots of each page in
// test-output/screenshots/. Over plain HTTP too: the JSON twin, the 404s, nothing private.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { parseForbundFile } from '../../domain/forbund-file.js';
import type { Database } from '../../prisma/db.js';
import { importForbund } from '../../services/import.js';
import { submissionLink } from '../../services/links.js';
import { reviewReport } from '../../services/granskning.js';
import { axeViolations, describeInChromium, screenshot } from '../support/browser.js';
import { testDatabase } from '../support/database.js';
import { MEMBERS_YAML } from '../support/fixtures.js';
import { apiCaller, serve, type Json } from '../support/http.js';
import { RecordingNotifier } from '../support/notifier.js';

const FILE = `
forbund: { id: sydnarke, name: Samordningsförbundet Sydnärke, email: kansli@sydnarke.example, year: 2026 }
${MEMBERS_YAML}
people:
  - { id: official, name: Olga Tjänsteman, email: olga@sydnarke.example, roles: [official] }
  - { id: secretary, name: Sixten Sekreterare, email: sixten@sydnarke.example, roles: [secretary] }
  - { id: co, name: Klara Samordnare, email: klara@sydnarke.example, roles: [coordinator] }
bodies: { styrelse: { members: [] } }
projects:
  - { id: pa-vag, name: På väg, huvudman: Försäkringskassan, coordinator: co, start: 2026-01-01, end: 2027-12-31, reports: [quarterly, final] }
  - { id: mottagningsteamet, name: Mottagningsteamet, huvudman: Hallsbergs kommun, coordinator: co, start: 2025-01-01, end: 2026-06-30, reports: [quarterly, final] }
  - { id: drop-outs, name: Drop-outs (ESF-finansierat), huvudman: Kumla kommun, coordinator: co, start: 2025-01-01, end: 2026-03-31, reports: [quarterly, final] }
  - { id: indraget, name: Indraget projekt, huvudman: Laxå kommun, coordinator: co, start: 2026-01-01, end: 2027-06-30, reports: [quarterly, final] }
  - { id: kommande, name: Kommande insats, huvudman: Kumla kommun, coordinator: co, start: 2027-01-01, end: 2027-12-31, reports: [quarterly, final] }
cycle:
  meetings:
    - { id: styrelse-1, body: styrelse, date: 2026-12-10 }
`;
// 15 November 2026, 10:00 in Stockholm.
const NOW = new Date('2026-11-15T09:00:00Z');

const TEXT = {
  q2: 'Andra kvartalet: 18 deltagare, arbetet med arbetsgivarkontakter har kommit igång.',
  q3first: 'Tredje kvartalet (första texten): 21 deltagare.',
  q3corrected: 'Tredje kvartalet, rättad: 23 deltagare, varav fem nya. Sex har gått vidare till praktik.\n\nUnder hösten har teamet också haft informationsträffar hos alla fyra kommunerna.',
  mtQuarter: 'Mottagningsteamet, första kvartalet 2026: 30 kartläggningar.',
  mtFinal: 'Slutrapport för Mottagningsteamet: 112 personer har fått en samordnad rehabiliteringsplan under projekttiden.',
  dropQuarter: 'Drop-outs, fjärde kvartalet 2025: 9 ungdomar i verksamheten.',
  withdrawn: 'Indraget projekt, första kvartalet: det här får inte synas.',
};

let db: Database;
let served: { base: string; close(): Promise<void> };
let obligationIds: string[] = [];
let q3Id: string;
let sydnarkeId: string;
const call = apiCaller(() => served.base);
const SECRET = 'p'.repeat(32);
const PAGE = '/forbund/sydnarke/rapporter';
const JSON_PATH = '/api/v1/public/forbund/sydnarke/reports';
const ANSLAG = '/forbund/sydnarke/anslag';
const anslagIds: string[] = [];

beforeAll(async () => {
  db = await testDatabase();
  const { forbundId } = await importForbund(db.prisma, parseForbundFile(FILE, 'sydnarke.yaml'), { actor: 'test' });
  sydnarkeId = forbundId;
  const prisma = db.prisma;
  const obligation = (key: string, kind: 'quarterly' | 'final', periodEnd: string) =>
    prisma.reportingObligation.findFirstOrThrow({ where: { project: { forbundId, key }, kind, periodEnd: new Date(`${periodEnd}T00:00:00Z`) } });
  // Each version is approved by the förbundschef through the review (services/granskning.ts), as
  // nothing is public before that: the rule below is the publication rule of approved reports.
  const reviewer = { prisma, notifier: new RecordingNotifier(), now: () => NOW };
  const submit = async (o: { id: string }, version: number, day: string, narrative: string, figures: object) => {
    await prisma.submission.create({ data: { obligationId: o.id, version, submittedAt: new Date(`${day}T09:30:00Z`), late: false, figures, narrative, submittedBy: 'Klara Samordnare' } });
    await prisma.reportingObligation.update({ where: { id: o.id }, data: { status: 'submitted' } });
    await reviewReport(reviewer, { forbundId, obligationId: o.id, version, decision: 'approve', actor: 'test', reviewerName: 'Olga Tjänsteman' });
  };
  // Ongoing: Q2, then Q3 submitted and corrected. Only Q3's correction is public.
  await submit(await obligation('pa-vag', 'quarterly', '2026-06-30'), 1, '2026-07-10', TEXT.q2, { participantsActive: 18 });
  const q3 = await obligation('pa-vag', 'quarterly', '2026-09-30');
  q3Id = q3.id;
  await submit(q3, 1, '2026-10-12', TEXT.q3first, { participantsActive: 21 });
  // By women and men, with a goal: small counts are shown as "färre än 3" (domain/publicering.ts).
  await submit(q3, 2, '2026-10-19', TEXT.q3corrected, {
    participants: { active: { women: 12, men: 11 }, new: { women: 2, men: 3 }, ended: { women: 0, men: 2 }, toWork: { women: 0, men: 1 } },
    costsToDate: 912500,
    goals: [{ goal: 'Minst 10 deltagare till arbete eller studier.', women: 1, men: 4, comment: 'Fem hittills.' }],
  });
  // Ended with a final report, and quarterly reports before it: only the final one is public.
  await submit(await obligation('mottagningsteamet', 'quarterly', '2026-03-31'), 1, '2026-04-12', TEXT.mtQuarter, { participantsActive: 30 });
  await submit(await obligation('mottagningsteamet', 'final', '2026-06-30'), 1, '2026-08-25', TEXT.mtFinal, { participantsEnded: 112, participantsToWork: 31, participantsToStudies: 9, costsToDate: 1386000 });
  // Ended without its final report: nothing of it is public.
  await submit(await obligation('drop-outs', 'quarterly', '2025-12-31'), 1, '2026-01-14', TEXT.dropQuarter, { participantsActive: 9 });
  // Withdrawn after a report: not listed.
  const withdrawn = await obligation('indraget', 'quarterly', '2026-03-31');
  await submit(withdrawn, 1, '2026-04-10', TEXT.withdrawn, { participantsActive: 4 });
  await prisma.project.update({ where: { forbundId_key: { forbundId, key: 'indraget' } }, data: { status: 'withdrawn' } });
  obligationIds = (await prisma.reportingObligation.findMany({ where: { project: { forbundId } }, select: { id: true } })).map((o) => o.id);
  // The anslagstavla: October's protokoll justerat with its anslag up (28 October – 18 November),
  // September's taken down.
  const board = (key: string, day: string, justerad: string, removedOn: string, sha: string) =>
    prisma.meeting.create({
      data: { forbundId, year: 2026, key, kind: 'styrelse', title: 'Styrelsemöte', startsAt: new Date(`${day}T08:00:00Z`), endsAt: new Date(`${day}T11:00:00Z`), heldAt: new Date(`${day}T11:00:00Z`), justeradAt: new Date(`${justerad}T12:00:00Z`), anslagPostedAt: new Date(`${justerad}T12:00:00Z`), anslagRemovedOn: new Date(`${removedOn}T00:00:00Z`), protocolSha256: sha },
    });
  anslagIds.push((await board('styrelse-okt', '2026-10-22', '2026-10-28', '2026-11-18', 'e3'.repeat(32))).id, (await board('styrelse-sep', '2026-09-17', '2026-09-24', '2026-10-15', '5a'.repeat(32))).id);

  served = await serve(createApp({ prisma, notifier: new RecordingNotifier(), publicBaseUrl: 'https://arscykel.example', linkSecret: SECRET, now: () => NOW }));
});

afterAll(async () => {
  await served?.close();
  await db?.close();
});

/** Nothing private: no e-mail address, submitter, token, obligation id (they open the submission link), or text not public. */
function expectNothingPrivate(body: string) {
  expect(body).not.toMatch(/[\w.+-]+@[\w-]+\.\w+|mailto:/);
  expect(body).not.toMatch(/Klara|Olga|Sixten|token|submittedBy|"late"/i);
  for (const id of obligationIds) expect(body).not.toContain(id);
  for (const t of [TEXT.q2, TEXT.q3first, TEXT.mtQuarter, TEXT.dropQuarter, TEXT.withdrawn]) expect(body).not.toContain(t.slice(0, 30));
  expect(body).not.toMatch(/Indraget|Kommande/);
}

describe('over HTTP', () => {
  it('the page: 200, Swedish HTML under the CSP, no login, the public rate limit, nothing private', async () => {
    const res = await fetch(`${served.base}${PAGE}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('ratelimit-policy')).toBeTruthy();
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html><html lang="sv">/);
    expect(html).toContain(TEXT.q3corrected.slice(0, 40));
    expect(html).toContain(TEXT.mtFinal);
    expectNothingPrivate(html);
  });

  it('the JSON twin: the same projects and reports, nothing private', async () => {
    const r = await call(JSON_PATH);
    expect(r.status).toBe(200);
    expect(r.json.asOf).toBe('2026-11-15');
    expect(r.json.projects.map((p: Json) => [p.key, p.stage, p.report?.kind ?? null, p.report?.period.end ?? null, p.noReport])).toEqual([
      ['pa-vag', 'ongoing', 'quarterly', '2026-09-30', null],
      ['mottagningsteamet', 'ended', 'final', '2026-06-30', null],
      ['drop-outs', 'ended', null, null, 'final-not-submitted'],
    ]);
    const pa = r.json.projects[0].report;
    expect([pa.submitted, pa.corrected, pa.narrative]).toEqual(['2026-10-12', '2026-10-19', TEXT.q3corrected]);
    expect(pa.figures[0]).toEqual({ field: 'participantsActive', label: 'deltagare aktiva under perioden', value: 23 });
    expect(pa.participants.slice(0, 2)).toEqual([
      { row: 'active', label: 'deltagare aktiva under perioden', women: 12, men: 11, total: 23 },
      { row: 'new', label: 'nya deltagare under perioden', women: 'färre än 3', men: null, total: 5 },
    ]);
    expect(pa.goals).toEqual([{ goal: 'Minst 10 deltagare till arbete eller studier.', women: 'färre än 3', men: null, total: 5, value: null, comment: 'Fem hittills.' }]);
    expectNothingPrivate(r.text);
  });

  it('an unknown förbund: a Swedish 404 page, and a JSON 404', async () => {
    const page = await call('/forbund/finns-inte/rapporter');
    expect(page.status).toBe(404);
    expect(page.type).toMatch(/^text\/html/);
    expect(page.text).toContain('<html lang="sv">');
    expect(page.text).toContain('<h1>Sidan finns inte</h1>');
    const json = await call('/api/v1/public/forbund/finns-inte/reports');
    expect(json.status).toBe(404);
    expect(json.json.error.status).toBe(404);
  });

  it('the anslagstavla: 200, Swedish HTML under the CSP, the October protokoll up with the appeal notice, September under "Tidigare anslag", nothing private', async () => {
    const res = await fetch(`${served.base}${ANSLAG}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('ratelimit-policy')).toBeTruthy();
    const html = (await res.text()).replace(/\u00a0/g, ' ');
    const [current, earlier] = html.split('<h2 id="tidigare">');
    expect(current).toContain('Styrelsens protokoll från sammanträdet 22 oktober 2026 är justerat.');
    expect(current).toContain('senast 18 november 2026.');
    expect(earlier).toContain('Styrelsens protokoll från sammanträdet 17 september 2026 är justerat.');
    expect(earlier).not.toContain('Den som vill överklaga');
    expectNothingPrivate(html);
    const json = await call('/api/v1/public/forbund/sydnarke/anslag');
    expect([json.json.current.map((a: Json) => a.meetingId), json.json.earlier.map((a: Json) => a.meetingId)]).toEqual([[anslagIds[0]], [anslagIds[1]]]);
  });

  it('the page is kept ready with an ETag: a reader who has it gets 304', async () => {
    const etag = (await fetch(`${served.base}${PAGE}`)).headers.get('etag')!;
    // (fetch would add "Cache-Control: no-cache" to a conditional request; a browser's reload does not)
    expect((await fetch(`${served.base}${PAGE}`, { headers: { 'if-none-match': etag, 'cache-control': 'max-age=0' } })).status).toBe(304);
  });
});


describeInChromium((newContext) => {
  const errors: string[] = [];


  /** A page in a fresh context; console errors (a CSP refusal, a failed load) are collected. */
  async function open(path: string, viewport: { width: number; height: number }, mobile = false): Promise<Page> {
    const context = await newContext({ viewport, locale: 'sv-SE', ...(mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}) });
    const page = await context.newPage();
    // The 404 page's own status is logged as a failed load; any other error counts.
    page.on('console', (m) => m.type() === 'error' && !/status of 404/.test(m.text()) && errors.push(`${path}: ${m.text()}`));
    page.on('pageerror', (e) => errors.push(`${path}: ${e.message}`));
    page.on('request', (r) => {
      const url = r.url();
      if (url.startsWith('data:')) return;
      if (!url.startsWith(served.base)) errors.push(`${path}: external request ${url}`);
      else if (new URL(url).pathname !== path) errors.push(`${path}: asked for ${url}`);
    });
    const res = await page.goto(`${served.base}${path}`);
    expect(res?.status()).toBeDefined();
    return page;
  }

  /** Text as read: the page keeps dates together with no-break spaces. */
  const read = async (text: Promise<string | null>) => (await text)?.replace(/\u00a0/g, ' ');
  const article = (page: Page, name: string) => page.getByRole('article').filter({ has: page.getByRole('heading', { level: 3, name, exact: true }) });

  it('desktop: a reader sees each project with the right report and nothing else', async () => {
    const page = await open(PAGE, { width: 1280, height: 900 });
    expect(await page.title()).toBe('Rapporter från insatserna – Samordningsförbundet Sydnärke');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Rapporter från insatserna');
    expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual(['Insatser på sidan', 'Pågående insatser', 'Avslutade insatser']);
    expect(await page.getByRole('heading', { level: 3 }).allTextContents()).toEqual(['På väg', 'Mottagningsteamet', 'Drop-outs (ESF-finansierat)']);
    expect(await page.getByRole('main').count()).toBe(1);

    // Ongoing: the later report, in its corrected version only.
    const paVag = article(page, 'På väg');
    expect(await read(paVag.getByRole('heading', { level: 4 }).textContent())).toBe('Kvartalsrapport 1 juli–30 september 2026');
    expect(await read(paVag.textContent())).toContain('Inlämnad 12 oktober 2026, rättad 19 oktober 2026.');
    expect(await paVag.getByText('Tredje kvartalet, rättad: 23 deltagare').count()).toBe(1);
    expect(await paVag.getByRole('columnheader').allTextContents()).toEqual(['Uppgift', 'Kvinnor', 'Män', 'Totalt']);
    expect(await paVag.getByRole('row', { name: 'Deltagare aktiva under perioden 12 11 23' }).count()).toBe(1);
    // 2 new women would be identifying: "färre än 3", and the men's 3 hidden (5 − 3 = 2).
    expect(await paVag.getByRole('row', { name: 'Nya deltagare under perioden färre än 3 visas inte 5' }).count()).toBe(1);
    expect(await paVag.getByRole('row', { name: 'Avslutade till arbete 0 färre än 3 färre än 3' }).count()).toBe(1);
    expect(await read(paVag.textContent())).toContain('Upparbetade kostnader912 500 kr');
    expect(await read(paVag.textContent())).toContain('Minst 10 deltagare till arbete eller studier.Deltagare som nått måletkvinnor färre än 3, män visas inte, totalt 5KommentarFem hittills.');
    // Ended: only the final report.
    const mt = article(page, 'Mottagningsteamet');
    expect(await read(mt.getByRole('heading', { level: 4 }).textContent())).toBe('Slutrapport 1 januari 2025–30 juni 2026');
    expect(await mt.getByText(TEXT.mtFinal).count()).toBe(1);
    // Ended without a final report: says so, shows no report.
    const drop = article(page, 'Drop-outs (ESF-finansierat)');
    expect(await drop.getByText('Slutrapport inte inlämnad.').count()).toBe(1);
    expect(await drop.getByRole('heading', { level: 4 }).count()).toBe(0);
    expectNothingPrivate(await page.content());
    expectNothingPrivate(await page.locator('body').innerText());

    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'rapporter-desktop');
  });

  it('keyboard: the skip link comes first and is visible, then the links to each project; focus is visible', async () => {
    const page = await open(PAGE, { width: 1280, height: 900 });
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Hoppa till innehållet' });
    expect(await skip.evaluate((el) => el === (el.ownerDocument as { activeElement: unknown }).activeElement)).toBe(true);
    const box = await skip.boundingBox();
    expect(box && box.y >= 0 && box.height > 10).toBe(true);
    await screenshot(page, 'rapporter-skip-link-focused');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id)).toBe('innehall');

    await page.keyboard.press('Tab');
    const first = page.getByRole('link', { name: 'På väg' });
    expect(await first.evaluate((el) => el === (el.ownerDocument as { activeElement: unknown }).activeElement)).toBe(true);
    const outline = await first.evaluate((el) => {
      const s = (el.ownerDocument as unknown as { defaultView: { getComputedStyle(e: unknown): { outlineStyle: string; outlineWidth: string } } }).defaultView.getComputedStyle(el);
      return `${s.outlineStyle} ${s.outlineWidth}`;
    });
    expect(outline).toBe('solid 3px');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect(new URL(page.url()).hash).toBe('#insats-drop-outs');
    await page.keyboard.press('Tab');
    // Past the table of contents: the next stop is the link in the footer (the report texts hold no links).
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string } } }).document.activeElement.textContent)).toBe('öppna data (JSON)');
  });

  it('phone, 375 px: nothing overflows sideways, and axe finds nothing', async () => {
    const page = await open(PAGE, { width: 375, height: 812 }, true);
    const widths = await page.evaluate(() => {
      const d = (globalThis as unknown as { document: { scrollingElement: { scrollWidth: number }; documentElement: { clientWidth: number } } }).document;
      return { scroll: d.scrollingElement.scrollWidth, client: d.documentElement.clientWidth };
    });
    expect(widths.client).toBe(375);
    expect(widths.scroll).toBeLessThanOrEqual(375);
    // A goal's facts stack, label above value, as on the admin pages: the values get the column's
    // width instead of ~45 px ("kvinn/or", "sama/rbete/t").
    const goal = page.locator('ol.goals dl.facts').first();
    const [dt, dd] = await Promise.all([goal.locator('dt').first().boundingBox(), goal.locator('dd').first().boundingBox()]);
    expect(dd!.width).toBeGreaterThan(250);
    expect(dd!.y).toBeGreaterThan(dt!.y);
    expect(Math.abs(dd!.x - dt!.x)).toBeLessThan(2);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'rapporter-telefon');
  });

  it('an unknown förbund: the Swedish 404 page, accessible too', async () => {
    const page = await open('/forbund/finns-inte/rapporter', { width: 375, height: 812 }, true);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sidan finns inte');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang)).toBe('sv');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'rapporter-404-telefon');
  });

  it('the anslagstavla, desktop: each anslag an article under its heading, its facts, the appeal notice while up; axe finds nothing', async () => {
    const page = await open(ANSLAG, { width: 1280, height: 900 });
    expect(await page.title()).toBe('Anslagstavla – Samordningsförbundet Sydnärke');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Anslagstavla');
    expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual(['Aktuella anslag', 'Tidigare anslag']);
    const october = page.getByRole('article', { name: 'Styrelsens protokoll från sammanträdet 22 oktober 2026 är justerat.' });
    expect(await read(october.textContent())).toContain('Anslaget tas ned18 november 2026');
    expect(await read(october.textContent())).toContain('Förvaringsplats för protokolletFörbundets kansli, Samordningsförbundet Sydnärke');
    expect(await october.getByText(/^Den som vill överklaga beslut/).count()).toBe(1);
    const link = october.getByRole('link', { name: /^Läs protokollet \(PDF\)/ });
    expect(await read(link.textContent())).toBe('Läs protokollet (PDF), styrelsens sammanträde 22 oktober 2026');
    expect(await link.getAttribute('href')).toBe(`/forbund/sydnarke/anslag/${anslagIds[0]}/protokoll.pdf`);
    const september = page.getByRole('article', { name: 'Styrelsens protokoll från sammanträdet 17 september 2026 är justerat.' });
    expect(await september.getByText(/Den som vill överklaga/).count()).toBe(0);
    expectNothingPrivate(await page.locator('body').innerText());
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'anslag-desktop');
  });

  it('the anslagstavla, phone, 375 px: nothing overflows sideways (the SHA-256 wraps), and axe finds nothing', async () => {
    const page = await open(ANSLAG, { width: 375, height: 812 }, true);
    const widths = await page.evaluate(() => {
      const d = (globalThis as unknown as { document: { scrollingElement: { scrollWidth: number }; documentElement: { clientWidth: number } } }).document;
      return { scroll: d.scrollingElement.scrollWidth, client: d.documentElement.clientWidth };
    });
    expect(widths.client).toBe(375);
    expect(widths.scroll).toBeLessThanOrEqual(375);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'anslag-telefon');
  });

  it('no page logged an error, broke the CSP, or asked for anything but itself (no icon, font or script)', () => {
    expect(errors).toEqual([]);
  });
});

// Last, since it changes what the page shows.
describe('a correction through the submission link', () => {
  it('waits for the review (the approved text stays public), then replaces the public text once approved', async () => {
    const before = (await fetch(`${served.base}${PAGE}`)).headers.get('etag');
    const link = new URL(submissionLink('https://arscykel.example', SECRET, q3Id));
    const corrected = 'Tredje kvartalet, andra rättelsen: 24 deltagare.';
    const r = await call(`${link.pathname.replace('/submit/', '/api/v1/submissions/')}${link.search}`, { method: 'POST', json: { figures: { participantsActive: 24 }, narrative: corrected, submittedBy: 'Klara Samordnare' } });
    expect(r.status).toBe(201);
    expect(r.json.version).toBe(3);
    // Pending review: the page still shows the approved version 2.
    const waiting = (await call(JSON_PATH)).json.projects[0].report;
    expect([waiting.narrative, waiting.corrected]).toEqual([TEXT.q3corrected, '2026-10-19']);
    expect(await (await fetch(`${served.base}${PAGE}`)).text()).not.toContain(corrected);
    await reviewReport({ prisma: db.prisma, notifier: new RecordingNotifier(), now: () => NOW }, { forbundId: sydnarkeId, obligationId: q3Id, version: 3, decision: 'approve', actor: 'test', reviewerName: 'Olga Tjänsteman' });
    const report = (await call(JSON_PATH)).json.projects[0].report;
    expect([report.narrative, report.corrected, report.figures]).toEqual([corrected, '2026-11-15', [{ field: 'participantsActive', label: 'deltagare aktiva under perioden', value: 24 }]]);
    const page = await fetch(`${served.base}${PAGE}`);
    expect(page.headers.get('etag')).not.toBe(before);
    const html = await page.text();
    expect(html).toContain(corrected);
    expect(html).not.toContain('Tredje kvartalet, rättad');
  });
});
