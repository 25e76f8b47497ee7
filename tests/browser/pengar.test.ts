// The money page and the audit log in a real browser (Debian's Chromium through playwright-core),
// on the Sydnärke example as it stands (budget 2016–2018), on 11 July 2016: the official reads
// the budget, outcome and forecast, changes a budget line (a mistake first, said next to the
// field), enters the outcome from a CSV file and sees the forecast change (3 and 6 months ahead,
// as GET forecast/:year computes it, and at year end), then finds those
// actions in the audit log and filters it; the secretary reads the money but may change nothing
// and is refused the log. axe-core against WCAG 2.1 A/AA at 1280 and 375 px, no sideways
// overflow on the phone, screenshots in test-output/screenshots/pengar-*.png. Over plain HTTP:
// bad years and filters, the follow-up documents, the SIE upload and its errors, paging the log.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KNOWN_ACTIONS, LOG_PAGE_SIZE } from '../../api/admin/logg.js';
import { horizonsOf } from '../../api/admin/pengar.js';
import { createApp } from '../../api/app.js';
import { createApiToken } from '../../api/auth.js';
import { toStockholmDate } from '../../domain/dates.js';
import { parseForbundFile } from '../../domain/forbund-file.js';
import type { Database } from '../../prisma/db.js';
import { importForbund } from '../../services/import.js';
import { registerMatter } from '../../services/styrelse.js';
import { axeViolations, browserPages, describeInChromium, postForm, screenshot, pagePerson, signInCookie, signInInBrowser, type PagePerson } from '../support/browser.js';
import { testDatabase } from '../support/database.js';
import { serve } from '../support/http.js';
import { RecordingNotifier } from '../support/notifier.js';

// Monday 11 July 2016, 10:00 in Stockholm.
const NOW = new Date('2016-07-11T08:00:00Z');
const SIE = readFileSync('tests/fixtures/sie/sydnarke-2016.se');

let db: Database;
let served: { base: string; close(): Promise<void> };
let forbundId: string;
/** The official's API token (the forecast as the API computes it); people sign in to the pages as themselves. */
const tokens = { official: '' };
const people = {} as Record<'official' | 'secretary', PagePerson>;

beforeAll(async () => {
  db = await testDatabase();
  const prisma = db.prisma;
  forbundId = (await importForbund(prisma, parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml'), { actor: 'import:sydnarke.yaml' })).forbundId;
  tokens.official = await createApiToken(prisma, { forbundId, name: 'Raéd Shaqdih', role: 'admin' });
  people.official = await pagePerson(prisma, { forbundId, name: 'Raéd Shaqdih', role: 'official', publicBaseUrl: 'https://arscykel.example', now: () => NOW });
  people.secretary = await pagePerson(prisma, { forbundId, name: 'Sara Sekreterare', role: 'secretary', publicBaseUrl: 'https://arscykel.example', now: () => NOW });
  // The first quarter's review forecast a deficit beyond the policy and took it to the board.
  const matter = await registerMatter(prisma, forbundId, { title: 'Prognostiserat underskott', kind: 'deficit', owner: 'official' }, new Date('2016-04-11T08:00:00Z'), 'system');
  await prisma.forecastReview.create({ data: { forbundId, year: 2016, quarter: 1, status: 'escalated', actualsThroughMonth: 3, yearEndResult: -1_250_000, withinPolicy: false, matterId: matter.id, createdAt: new Date('2016-04-01T06:00:00Z') } });
  served = await serve(createApp({ prisma, notifier: new RecordingNotifier(), publicBaseUrl: 'https://arscykel.example', linkSecret: 'p'.repeat(32), now: () => NOW }));
}, 120_000);

afterAll(async () => {
  await served?.close();
  await db?.close();
});

// --- over HTTP ---

const post = (path: string, fields: Record<string, string>, cookie: string) => postForm(served.base, path, fields, cookie);
const upload = (path: string, parts: { name: string; value: string | Buffer; filename?: string }[], cookie: string) => {
  const fd = new FormData();
  for (const p of parts) fd.append(p.name, p.filename !== undefined ? new Blob([p.value]) : String(p.value), ...(p.filename !== undefined ? [p.filename] : []));
  return fetch(`${served.base}${path}`, { method: 'POST', redirect: 'manual', headers: { origin: served.base, cookie }, body: fd });
};
const get = (path: string, cookie: string) => fetch(`${served.base}${path}`, { redirect: 'manual', headers: { cookie } });
const cookies: Record<string, string> = {};
async function signIn(who: 'official' | 'secretary'): Promise<string> {
  if (cookies[who]) return cookies[who];
  return (cookies[who] = await signInCookie(served.base, people[who]));
}
const plain = (s: string) => s.replace(/\u00a0/g, ' ');
/** Whole kronor as the page writes them, written here independently: '−1 075 016'. */
const sv = (n: number) => `${n < 0 ? '−' : ''}${String(Math.abs(Math.round(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')}`;
const svSigned = (n: number) => (Math.round(n) === 0 ? '0' : `${n > 0 ? '+' : '−'}${sv(Math.abs(n))}`);
interface ForecastJson {
  throughMonth: number;
  months: { at3Months: number; at6Months: number };
  perLine: { key: string; name: string; kind: 'income' | 'cost'; budget: number; actualToDate: number; at3Months: number; at6Months: number; yearEnd: number; material: boolean }[];
  result: { budget: number; toDate: number; at3Months: number; at6Months: number; yearEnd: number };
}
/** The forecast as the API computes it (GET forecast/:year), with the official's token. */
async function apiForecast(year: number): Promise<ForecastJson> {
  const res = await fetch(`${served.base}/api/v1/forbund/sydnarke/forecast/${year}`, { headers: { authorization: `Bearer ${tokens.official}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as ForecastJson;
}

describe('the money page over HTTP', () => {
  it('bad and budgetless years: a Swedish 404, or a page that says there is no budget', async () => {
    const cookie = await signIn('official');
    for (const path of ['/admin/pengar/20x6', '/admin/pengar/1999', '/admin/pengar/2016x', '/admin/pengar/2016/uppfoljning.xls']) {
      const res = await get(path, cookie);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).toMatch(/<html lang="sv">.*<h1>(Året|Sidan) finns inte<\/h1>/s);
    }
    const none = await get('/admin/pengar/2031', cookie);
    expect(none.status).toBe(200);
    expect(await none.text()).toContain('Det finns ingen budget för 2031.');
    const noPdf = await get('/admin/pengar/2031/uppfoljning.pdf', cookie);
    expect(noPdf.status).toBe(404);
    expect(await noPdf.text()).toContain('<h1>Ingen uppföljning</h1>');
    // Not signed in: to the sign-in page, also for the documents.
    expect((await fetch(`${served.base}/admin/pengar/2016/uppfoljning.pdf`, { redirect: 'manual' })).headers.get('location')).toBe('/admin/logga-in');
  });

  it('the follow-up for the board is served through the session, as the API serves it', async () => {
    const cookie = await signIn('secretary');
    const pdf = await get('/admin/pengar/2016/uppfoljning.pdf', cookie);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    const csv = await get('/admin/pengar/2016/uppfoljning.csv', cookie);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="budgetuppfoljning-2016.csv"');
    const text = await csv.text();
    expect(text).toContain('Revisionstjänster;Kostnad;55000');
  });

  it('the secretary reads but may change nothing (as the API: WRITERS are the official and the economist)', async () => {
    const cookie = await signIn('secretary');
    const html = await (await get('/admin/pengar/2016', cookie)).text();
    expect(html).toContain('<h1>Pengar 2016</h1>');
    expect(html).not.toContain('action="/admin/pengar/2016/budgetrad"');
    expect(html).not.toContain('action="/admin/pengar/2016/utfall"');
    expect(html).toContain('som sekreterare kan du läsa dem');
    const before = await db.prisma.budgetLine.findFirstOrThrow({ where: { forbundId, year: 2016, key: 'revisionstjanster' } });
    const res = await post('/admin/pengar/2016/budgetrad', { line: 'revisionstjanster', amount: '1' }, cookie);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Bara tjänstepersonen kan göra det');
    const up = await upload('/admin/pengar/2016/utfall', [{ name: 'csv', value: 'line;month;amount\nrevisionstjanster;1;1\n' }], cookie);
    expect(up.status).toBe(403);
    expect((await db.prisma.budgetLine.findUniqueOrThrow({ where: { id: before.id } })).amount).toBe(before.amount);
    expect(await db.prisma.actual.count({ where: { forbundId } })).toBe(0);
  });

  it('a budget line form with mistakes comes back (400) with each next to its field, and nothing changes', async () => {
    const cookie = await signIn('official');
    const audits = await db.prisma.auditEvent.count({ where: { forbundId, action: 'budget.line-changed' } });
    for (const [fields, problem] of [
      [{ line: '', amount: '100' }, 'Välj vilken budgetrad som ska ändras.'],
      [{ line: 'finns-inte', amount: '100' }, 'Det finns ingen sådan budgetrad 2016.'],
      [{ line: 'revisionstjanster', amount: '' }, 'Skriv det nya beloppet.'],
      [{ line: 'revisionstjanster', amount: '-5' }, 'Beloppet kan inte vara negativt.'],
      [{ line: 'revisionstjanster', amount: '12,5' }, 'Skriv beloppet i hela kronor'],
      [{ line: 'revisionstjanster', amount: '2000000000' }, 'högst 1 000 000 000 kronor'],
    ] as const) {
      const res = await post('/admin/pengar/2016/budgetrad', fields, cookie);
      expect(res.status, JSON.stringify(fields)).toBe(400);
      const html = await res.text();
      expect(html).toContain(problem);
      expect(html).toContain('aria-invalid="true"');
      expect(html).toContain('Något behöver rättas');
    }
    expect(await db.prisma.auditEvent.count({ where: { forbundId, action: 'budget.line-changed' } })).toBe(audits);
  });

  it("the outcome: a CSV's problems are all shown per line and nothing is stored; a SIE file of another year or broken is refused; both or neither is asked again", async () => {
    const cookie = await signIn('official');
    const bad = await upload('/admin/pengar/2016/utfall', [{ name: 'fil', value: 'line;month;amount\nrevisionstjanster;x;1\nfinns-inte;2;100\nrevisionstjanster;3;"1 250,50"\nkurser;13;1\n', filename: 'utfall.csv' }], cookie);
    expect(bad.status).toBe(400);
    const html = plain(await bad.text());
    expect(html).toContain('Inget är sparat. De här 3 sakerna behöver rättas');
    expect(html).toContain('Rad 2: Månaden ”x” går inte att läsa.');
    expect(html).toContain('Rad 3: Det finns ingen budgetrad ”finns-inte” 2016.');
    expect(html).toContain('Rad 5: Månaden ”13” går inte att läsa.');
    expect(html).not.toContain('Rad 4');
    const pasted = await upload('/admin/pengar/2016/utfall', [{ name: 'csv', value: 'rad;belopp\nx;1' }], cookie);
    expect(pasted.status).toBe(400);
    const pastedHtml = await pasted.text();
    expect(pastedHtml).toContain('Rad 1: Rubrikraden saknar kolumnen för månad.');
    expect(pastedHtml).toMatch(/<textarea id="utfallstext" name="csv"[^>]*aria-invalid="true">rad;belopp\r?\nx;1<\/textarea>/);

    const otherYear = await upload('/admin/pengar/2017/utfall', [{ name: 'fil', value: SIE, filename: 'bokforing.se' }], cookie);
    expect(otherYear.status).toBe(400);
    expect(await otherYear.text()).toContain('bokforing.se: filens räkenskapsår (#RAR 0) är 2016-01-01–2016-12-31, inte budgetåret 2017.');
    const broken = Buffer.from(SIE.toString('latin1').replace('#VER', '#VER "A" "1" 2016013x'), 'latin1');
    const brokenRes = await upload('/admin/pengar/2016/utfall', [{ name: 'fil', value: broken, filename: 'trasig.se' }], cookie);
    expect(brokenRes.status).toBe(400);
    expect(await brokenRes.text()).toMatch(/Rad \d+ i trasig\.se: Datumet ”2016013x” är inget riktigt datum/);

    const neither = await upload('/admin/pengar/2016/utfall', [{ name: 'fil', value: '', filename: '' }, { name: 'csv', value: '' }], cookie);
    expect(neither.status).toBe(400);
    expect(await neither.text()).toContain('Välj en fil från bokföringen, eller klistra in utfallet som CSV.');
    const both = await upload('/admin/pengar/2016/utfall', [{ name: 'fil', value: 'line;month;amount\nkurser;1;1\n', filename: 'a.csv' }, { name: 'csv', value: 'line;month;amount\nkurser;1;1' }], cookie);
    expect(both.status).toBe(400);
    // Not multipart at all.
    const form = await post('/admin/pengar/2016/utfall', { csv: 'line;month;amount' }, cookie);
    expect(form.status).toBe(400);
    expect(await form.text()).toContain('Formuläret kom inte fram som det skulle');
    expect(await db.prisma.actual.count({ where: { forbundId } })).toBe(0);
  });

  it('the SIE file from the bookkeeping is read month by month and stored, as through the API; the log says so', async () => {
    const cookie = await signIn('official');
    const res = await upload('/admin/pengar/2016/utfall', [{ name: 'fil', value: SIE, filename: 'bokforing.se' }], cookie);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/pengar/2016?klart=utfall&vid=budget#budget');
    const stored = await db.prisma.actual.findMany({ where: { forbundId, year: 2016 } });
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.every((a) => a.source === 'sie:bokforing.se' && a.enteredBy.includes('Raéd Shaqdih (admin)'))).toBe(true);
    const page = plain(await (await get(res.headers.get('location')!, cookie)).text());
    expect(page).toContain('Utfallet är inläst och prognosen räknad om.');
    expect(page).toContain('Utfall t.o.m. juni');
    // Reconciled: the förbund's organisation number, #RES against the verifications.
    expect(page).toContain('<dt>Organisationsnummer</dt><dd>222000-2600 (Samordningsförbundet Sydnärke), förbundets</dd>');
    expect(page).toContain('<dt>#RES mot verifikationerna</dt><dd>');
    // Taken away again, so the browser test starts with no outcome.
    await db.prisma.actual.deleteMany({ where: { forbundId } });
  });
});

describe('the forecast ahead on the money page', () => {
  it('names each horizon by its true distance and the month it reaches; none without outcome or when the year is over', () => {
    expect(horizonsOf(0, { at3Months: 3, at6Months: 6 })).toEqual([]);
    expect(horizonsOf(12, { at3Months: 12, at6Months: 12 })).toEqual([]);
    expect(horizonsOf(6, { at3Months: 9, at6Months: 12 })).toEqual([
      { pick: 'at3Months', heading: 'Prognos om 3 månader', month: 't.o.m. september' },
      { pick: 'at6Months', heading: 'Prognos om 6 månader', month: 't.o.m. december' },
    ]);
    // Both stop at December: 5 months ahead, not 6; after September they are one column.
    expect(horizonsOf(7, { at3Months: 10, at6Months: 12 }).map((h) => `${h.heading}, ${h.month}`)).toEqual(['Prognos om 3 månader, t.o.m. oktober', 'Prognos om 5 månader, t.o.m. december']);
    expect(horizonsOf(9, { at3Months: 12, at6Months: 12 }).map((h) => `${h.heading}, ${h.month}`)).toEqual(['Prognos om 3 månader, t.o.m. december']);
    expect(horizonsOf(11, { at3Months: 12, at6Months: 12 }).map((h) => `${h.heading}, ${h.month}`)).toEqual(['Prognos om en månad, t.o.m. december']);
  });

  it('without outcome the page says so instead of showing forecasts ahead of nothing', async () => {
    const html = plain(await (await get('/admin/pengar/2016', await signIn('secretary'))).text());
    expect(html).toContain('<dt>Prognos om 3 och 6 månader</dt><dd>Inget utfall ännu</dd>');
    expect(html).toContain('Inget utfall ännu: prognosen om 3 och 6 månader räknas från den senaste månaden med utfall och visas när utfallet är inlagt.');
    expect(html).not.toContain('Prognos om 3 månader');
    expect(html).toContain('<th scope="colgroup" colspan="5">Intäkter</th>');
  });
});

describe('the audit log over HTTP', () => {
  it('knows a Swedish phrase for every action the code records', () => {
    const recorded = new Set<string>();
    for (const dir of ['services', 'api', 'activities']) {
      for (const f of readdirTs(dir)) for (const m of readFileSync(f, 'utf8').matchAll(/action: (?:'([a-z]+\.[a-z.-]+)'|version === 1 \? '([a-z]+\.[a-z.-]+)' : '([a-z]+\.[a-z.-]+)')/g)) for (const a of m.slice(1)) if (a) recorded.add(a);
    }
    expect(recorded.size).toBeGreaterThan(20);
    expect([...recorded].filter((a) => !KNOWN_ACTIONS.includes(a))).toEqual([]);
  });

  it('bad filters and page links are a 400 page with the problem next to its field', async () => {
    const cookie = await signIn('official');
    for (const [q, problem] of [
      ['handelse=drop.table', 'Välj en händelse i listan.'],
      ['fran=2016-13-01', 'Skriv ett datum som 2026-05-04.'],
      ['till=igar', 'Skriv ett datum som 2026-05-31.'],
      ['fran=2016-07-01&till=2016-06-01', 'Till och med-datumet kan inte vara före från och med-datumet.'],
      ['fore=abc', 'Sidlänken är felaktig.'],
      ['fore=1_a&efter=2_b', 'Sidlänken är felaktig.'],
      ['handelse=pengar&handelse=moten', 'samma filter flera gånger'],
    ]) {
      const res = await get(`/admin/logg?${q}`, cookie);
      expect(res.status, q).toBe(400);
      const html = await res.text();
      expect(html, q).toContain(problem);
      expect(html, q).toContain('<h1>Logg</h1>');
    }
  });

  it('pages of 50, newest first, by cursor; the date range is Stockholm days', async () => {
    const cookie = await signIn('official');
    // 130 logins spread over May 2016, one every 5 hours, and one event at 23:30 on 31 May in Stockholm (21:30 UTC).
    const start = Date.parse('2016-05-01T00:00:00Z');
    await db.prisma.auditEvent.createMany({ data: Array.from({ length: 130 }, (_, i) => ({ forbundId, actor: `token:00000000-0000-4000-8000-000000000000 Test ${i} (admin)`, action: 'session.started', entityType: 'session', entityId: `s${i}`, data: {}, at: new Date(start + i * 5 * 3600_000) })) });
    await db.prisma.auditEvent.create({ data: { forbundId, actor: 'system', action: 'session.ended', entityType: 'session', entityId: 'late', data: {}, at: new Date('2016-05-31T21:30:00Z') } });
    const rowsOf = (html: string) => [...html.matchAll(/<tr><td class="when"><time datetime="([^"]+)">/g)].map((m) => m[1]);
    const first = await (await get('/admin/logg?handelse=session.started', cookie)).text();
    const r1 = rowsOf(first);
    expect(r1).toHaveLength(LOG_PAGE_SIZE);
    expect([...r1].sort().reverse()).toEqual(r1);
    expect(first).not.toContain('Nyare händelser');
    const older = /href="([^"]+)" rel="next">Äldre händelser/.exec(first)![1].replace(/&amp;/g, '&');
    const second = await (await get(older, cookie)).text();
    const r2 = rowsOf(second);
    expect(r2).toHaveLength(LOG_PAGE_SIZE);
    expect(r2[0] < r1[r1.length - 1]).toBe(true);
    const back = /href="([^"]+)" rel="prev">← Nyare händelser/.exec(second)![1].replace(/&amp;/g, '&');
    expect(rowsOf(await (await get(back, cookie)).text())).toEqual(r1);
    // May in Stockholm: the event at 23:30 on 31 May is in it; 1 May 00:00 UTC (02:00 in Stockholm) too.
    const may = await (await get('/admin/logg?fran=2016-05-31&till=2016-05-31', cookie)).text();
    expect(may).toContain('datetime="2016-05-31T21:30:00.000Z"');
    expect(plain(may)).toContain('31 maj 2016 kl. 23.30');
    const june = await (await get('/admin/logg?fran=2016-06-01&till=2016-06-30', cookie)).text();
    expect(june).not.toContain('2016-05-31T21:30:00.000Z');
  });

});

function readdirTs(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = `${dir}/${n}`;
    return statSync(p).isDirectory() ? readdirTs(p) : p.endsWith('.ts') ? [p] : [];
  });
}

// --- in Chromium ---


describeInChromium((newContext) => {
  const { errors, newPage, check } = browserPages(newContext, () => served.base, 'pengar');

  const text = async (p: Promise<string | null>) => (await p)?.replace(/\u2060/g, '').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();

  const signInAs = (page: Page, who: PagePerson) => signInInBrowser(page, served.base, who);

  /** A table row's cells, one space between. */
  const cells = async (row: Locator) => (await row.locator('th,td').allTextContents()).map((x) => x.replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim()).join(' ');
  const resultRow = (page: Page) => page.locator('table.money tbody.sums tr').filter({ has: page.getByRole('rowheader', { name: 'Resultat', exact: true }) });

  it('the official reads the year, changes a line (a mistake first), enters the outcome and sees the forecast change; then finds it all in the log', async () => {
    const page = await newPage();
    await signInAs(page, people.official);
    await page.getByRole('link', { name: 'Pengar', exact: true }).click();
    await page.waitForLoadState();
    expect(page.url()).toBe(`${served.base}/admin/pengar/2016`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Pengar 2016');
    expect(await page.getByRole('link', { name: 'Pengar', exact: true }).getAttribute('aria-current')).toBe('page');
    // The table: grouped, with budget, outcome and forecast.
    const table = page.getByRole('table', { name: /^Budget, utfall och prognos 2016/ });
    expect(await table.locator('thead th').allTextContents()).toEqual(['Rad', 'Budget', 'Utfall', 'Prognos helår', 'Avvikelse helår']);
    // No outcome yet: the forecast ahead is not shown, and the page says why.
    expect(await text(page.locator('section[aria-labelledby="resultat"] dl').textContent())).toContain('Prognos om 3 och 6 månaderInget utfall ännu');
    expect(await text(page.locator('section[aria-labelledby="budget"] p.muted').first().textContent())).toContain('Inget utfall ännu: prognosen om 3 och 6 månader');
    expect(await cells(table.getByRole('row').filter({ hasText: 'Revisionstjänster' }))).toBe('Revisionstjänster 55 000 0 55 000 0');
    expect(await table.locator('tr.group th').allTextContents()).toEqual(['Intäkter', 'Administration', 'Insatser']);
    expect(await cells(resultRow(page))).toBe('Resultat 213 912 0 158 912 −55 000');
    // The policy's verdict in words, the equity, the plan's contradictions, the review that went to the board.
    const verdict = await text(page.locator('.verdict').textContent());
    // The equity at the start is the books' (the opening balance of the SIE file read over HTTP above), not the plan's.
    expect(verdict).toMatch(/^Inom finansieringspolicyn Prognosen för helåret \(inget utfall ännu\) är 158 912 kr, inget underskott\. Det egna kapitalet blir 1 977 662 kr, inte under det lägsta tillåtna, 0 kr\. Budgeten styrelsen fastställde ger resultatet 213 912 kr; prognosen är 55 000 kr sämre\.$/);
    const resultFacts = await text(page.locator('section[aria-labelledby="resultat"] dl').textContent());
    expect(resultFacts).toContain('Eget kapital vid årets början enligt bokföringen1 818 750 kr (ingående balans i bokforing.se, tillgångar minus skulder: filen har inga konton för eget kapital)');
    expect(resultFacts).toContain('Eget kapital vid årets början enligt planen2 439 354 kr, 620 604 kr mer än bokföringen');
    expect(await text(page.locator('section[aria-labelledby="varningar"]').textContent())).toContain('Planen anger på annat ställe resultatet −1 075 016 kr, 1 288 928 kr mindre än budgettabellens rader ger: 213 912 kr');
    const review = page.getByRole('table', { name: 'Kvartalens granskningar 2016' }).getByRole('row').nth(1);
    expect(await cells(review)).toMatch(/^Kvartal 1 Till styrelsen mars −1 250 000 kr Utanför Ja, ärende 2016-\d{5} Prognostiserat underskott/);
    expect(await page.getByRole('link', { name: /^PDF/ }).getAttribute('href')).toBe('/admin/pengar/2016/uppfoljning.pdf');
    // Wide tables scroll in their own labelled region, which the keyboard reaches.
    expect(await page.getByRole('region', { name: /^Budget, utfall och prognos 2016/ }).getAttribute('tabindex')).toBe('0');
    await check(page, 'ar');

    // A mistake first: said next to the field, the line kept, nothing saved.
    await page.getByLabel('Budgetrad', { exact: true }).selectOption('revisionstjanster');
    await page.getByLabel('Nytt belopp, kronor').fill('sextio tusen');
    await page.getByRole('button', { name: 'Spara beloppet' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('alert').textContent()).toContain('Skriv beloppet i hela kronor med siffror');
    const amount = page.getByLabel('Nytt belopp, kronor');
    expect(await amount.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#belopp-fel').textContent()).toBe('Fel: Skriv beloppet i hela kronor med siffror, till exempel 1 210 000.');
    expect(await amount.inputValue()).toBe('sextio tusen');
    expect(await page.getByLabel('Budgetrad', { exact: true }).inputValue()).toBe('revisionstjanster');
    await screenshot(page, 'pengar-budgetrad-fel-desktop');
    expect(await axeViolations(page)).toEqual([]);
    await amount.fill('60 000');
    await page.getByRole('button', { name: 'Spara beloppet' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('status').textContent()).toBe('Budgetraden är ändrad. Resultatet, prognosen och planens varningar är räknade om.');
    expect(await cells(table.getByRole('row').filter({ hasText: 'Revisionstjänster' }))).toBe('Revisionstjänster 60 000 0 60 000 0');
    const before = await cells(resultRow(page));
    expect(before).toBe('Resultat 208 912 0 153 912 −55 000');

    // The outcome through June from a CSV file: the forecast follows.
    const csv = ['line;month;amount', ...[1, 2, 3, 4, 5, 6].flatMap((m) => [`driftbidrag;${m};${m % 3 === 1 ? 1448847 : 0}`, `kop-verkstallande-tjansteman;${m};60000`, `utbetalda-projektpengar;${m};420000`, `arvoden;${m};"17 309,67"`])].join('\r\n');
    await page.getByLabel('Fil från bokföringen').setInputFiles({ name: 'utfall-juni.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Läs in utfallet' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('status').textContent()).toBe('Utfallet är inläst och prognosen räknad om.');
    expect(await table.getByRole('columnheader').nth(2).textContent()).toBe('Utfall t.o.m. juni');
    const after = await cells(resultRow(page));
    expect(after).not.toBe(before);
    expect(after).toMatch(/^Resultat 208 912 /);
    expect(await cells(table.getByRole('row').filter({ hasText: 'Köp av tjänst verkställande tjänsteman' }))).toMatch(/^Köp av tjänst verkställande tjänsteman 574 260 360 000 \d/);
    expect(await text(page.locator('.verdict').textContent())).toContain('(utfall t.o.m. juni)');
    // The forecast 3 and 6 months ahead, named by their months, with the API's figures: per line and for the result.
    const f = await apiForecast(2016);
    expect(f.throughMonth).toBe(6);
    expect(f.months).toEqual({ at3Months: 9, at6Months: 12 });
    expect(await table.locator('thead th').allTextContents()).toEqual(['Rad', 'Budget', 'Utfall t.o.m. juni', 'Prognos om 3 månader, t.o.m. september', 'Prognos om 6 månader, t.o.m. december', 'Prognos helår', 'Avvikelse helår']);
    expect(await table.locator('thead th.num').count()).toBe(6);
    expect(await table.locator('tr.group th').first().getAttribute('colspan')).toBe('7');
    const r = f.result;
    expect(after).toBe(`Resultat ${sv(r.budget)} ${sv(r.toDate)} ${sv(r.at3Months)} ${sv(r.at6Months)} ${sv(r.yearEnd)} ${svSigned(r.yearEnd - r.budget)}`);
    for (const key of ['kop-verkstallande-tjansteman', 'driftbidrag', 'arvoden']) {
      const l = f.perLine.find((x) => x.key === key)!;
      expect(await cells(table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: l.name, exact: true }) })), key).toBe(
        `${l.name} ${sv(l.budget)} ${sv(l.actualToDate)} ${sv(l.at3Months)} ${sv(l.at6Months)} ${sv(l.yearEnd)} ${svSigned(l.kind === 'income' ? l.yearEnd - l.budget : l.budget - l.yearEnd)}${l.material ? ' väsentlig' : ''}`,
      );
    }
    // The 3-month horizon is not the year end here: the page shows a figure of its own.
    expect(r.at3Months).not.toBe(r.yearEnd);
    const facts = await text(page.locator('section[aria-labelledby="resultat"] dl').textContent());
    expect(facts).toContain(`Prognos om 3 månader (resultatet t.o.m. september)${sv(r.at3Months)} kr`);
    expect(facts).toContain(`Prognos om 6 månader (resultatet t.o.m. december)${sv(r.at6Months)} kr`);
    expect(facts).toContain(`Prognos helår (utfall t.o.m. juni)${sv(r.yearEnd)} kr`);
    expect(facts).not.toContain('Inget utfall ännu');
    expect(await text(page.locator('section[aria-labelledby="budget"] p.muted').first().textContent())).toMatch(/^Prognoserna framåt är räknade från januari/);
    await check(page, 'ar-med-utfall');

    // The log: newest first, the two actions with who and what, each linked to the money page.
    await page.getByRole('link', { name: 'Logg', exact: true }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Logg');
    const rows = page.getByRole('table', { name: /^Händelser, nyast först/ }).getByRole('row');
    const firstTwo = [await cells(rows.nth(1)), await cells(rows.nth(2))];
    // The log's times are the database's clock (the rows' default), not the app's NOW.
    expect(firstTwo[0]).toMatch(/^\d{1,2} \S+ \d{4} kl\. \d{1,2}\.\d{2} Raéd Shaqdih \(tjänsteperson\) Lade in utfall från CSV utfall-juni\.csv \(24 rader, januari–juni\) Utfallet 2016$/);
    expect(firstTwo[1]).toMatch(/^\d{1,2} \S+ \d{4} kl\. \d{1,2}\.\d{2} Raéd Shaqdih \(tjänsteperson\) Ändrade budgetraden från 55 000 kr till 60 000 kr Budgetraden Revisionstjänster 2016$/);
    expect(await rows.nth(2).getByRole('link').getAttribute('href')).toBe('/admin/pengar/2016#budget');
    await check(page, 'logg');

    // Filtered to the money: those two and the SIE file of the HTTP test; a range ending before it starts is refused.
    const today = toStockholmDate(new Date());
    const yesterday = toStockholmDate(new Date(Date.now() - 86_400_000));
    const money = 1 + (await db.prisma.auditEvent.count({ where: { forbundId, action: { in: ['budget.line-changed', 'actuals.entered', 'forecast.reviewed'] } } }));
    await page.getByLabel('Slags händelse').selectOption('pengar');
    await page.getByRole('button', { name: 'Visa' }).click();
    await page.waitForLoadState();
    expect(page.url()).toContain('/admin/logg?handelse=pengar');
    expect(await rows.count()).toBe(money);
    expect(await page.getByRole('table').getByRole('caption').textContent()).toBe('Händelser, nyast först (filtrerat)');
    await page.getByLabel('Från och med').fill(today);
    await page.getByLabel('Till och med').fill(yesterday);
    await page.getByRole('button', { name: 'Visa' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('alert').textContent()).toContain('Till och med-datumet kan inte vara före från och med-datumet.');
    expect(await page.getByLabel('Till och med').getAttribute('aria-invalid')).toBe('true');
    await check(page, 'logg-fel');
    await page.getByLabel('Till och med').fill(today);
    await page.getByRole('button', { name: 'Visa' }).click();
    await page.waitForLoadState();
    expect(await rows.count()).toBe(money);
    // The import, in the log by whom: the förbund file.
    await page.getByRole('link', { name: 'Visa allt' }).click();
    await page.getByLabel('Slags händelse').selectOption('forbund.imported');
    await page.getByRole('button', { name: 'Visa' }).click();
    await page.waitForLoadState();
    expect(await cells(rows.nth(1))).toMatch(/Inläsning av förbundsfilen sydnarke\.yaml Läste in förbundsfilen/);
    expect(errors).toEqual([]);
  }, 120_000);

  it('the secretary reads the money with no forms, and is refused the log', async () => {
    const page = await newPage();
    await signInAs(page, people.secretary);
    expect(await page.getByRole('link', { name: 'Logg', exact: true }).count()).toBe(0);
    await page.goto(`${served.base}/admin/pengar/2016`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Pengar 2016');
    expect(await page.getByRole('button', { name: /Spara beloppet|Läs in utfallet/ }).count()).toBe(0);
    expect(await page.locator('form[method="post"]').count()).toBe(1); // signing out
    await check(page, 'sekreterare');
    const res = await page.goto(`${served.base}/admin/logg`);
    expect(res?.status()).toBe(403);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Loggen är tjänstepersonens');
    await check(page, 'logg-nekad');
    expect(errors).toEqual([]);
  }, 60_000);
});
