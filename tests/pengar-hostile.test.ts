// The hostile hour for the money (issue 19): a 20 MB SIE file of a million lines through the API
// answers without freezing the event loop (it froze for 7.6 s and answered 500, `Math.max(...)`
// over a million values), a file above the limit is refused with 413 naming it; amounts past 2^31
// (a 30 000 000 kr line, outcome summing past 2^31 öre and even 2^31 kronor, which int4 overflowed
// on both databases) are stored, summed and shown exactly in the API, the pages, the forecast and
// the follow-up PDF and CSV; a figure past what can be counted exactly is refused with 400 naming
// the field or line; a budget line and month given twice in a CSV (or JSON) is refused naming the
// lines, and nothing is stored. On PGlite, or on the PostgreSQL server of TEST_DATABASE_URL.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import { createApiToken } from '../api/auth.js';
import { parseForbundFile, type ForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { READING_AT_ONCE, sieActuals } from '../services/pengar.js';
import { pagePerson, signInCookie, type PagePerson } from './support/browser.js';
import { testDatabase } from './support/database.js';
import { apiCaller, fieldsOf, serve, type Json } from './support/http.js';
import { RecordingNotifier } from './support/notifier.js';
import { pdfText } from './support/pdf.js';

const NOW = new Date('2016-07-10T08:00:00Z');
const BASE_URL = 'https://arscykel.example';
const S = '/api/v1/forbund/sydnarke';
const YAML = readFileSync('examples/sydnarke.yaml', 'utf8');

let db: Database;
let server: { base: string; close(): Promise<void> };
let forbundId = '';
let token = '';
let official: PagePerson;
const call = apiCaller(() => server.base);

beforeAll(async () => {
  db = await testDatabase();
  forbundId = (await importForbund(db.prisma, parseForbundFile(YAML, 'sydnarke.yaml'), { actor: 'test' })).forbundId;
  token = await createApiToken(db.prisma, { forbundId, name: 'Ekonom', role: 'economist' });
  official = await pagePerson(db.prisma, { forbundId, name: 'Raéd Shaqdih', role: 'official', publicBaseUrl: BASE_URL, now: () => NOW });
  server = await serve(createApp({ prisma: db.prisma, notifier: new RecordingNotifier(), publicBaseUrl: BASE_URL, linkSecret: 'h'.repeat(32), now: () => NOW }));
}, 120_000);

afterAll(async () => {
  await server?.close();
  await db?.close();
});

const send = async (path: string, body: Buffer | string, type = 'application/octet-stream') => {
  const r = await fetch(`${server.base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body });
  const text = await r.text();
  let json: Json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: r.status, json, text };
};
/** POSTs the file from a child process (so that sending 20 MB does not count as the server's work): status and text. */
const sendFromAnotherProcess = (url: string, file: string) =>
  new Promise<{ status: number; text: string }>((resolve, reject) => {
    const script = `const [url, token, file] = process.argv.slice(1);
      fetch(url, { method: 'POST', headers: { authorization: 'Bearer ' + token, 'content-type': 'application/octet-stream' }, body: require('node:fs').readFileSync(file) })
        .then(async (r) => process.stdout.write(JSON.stringify({ status: r.status, text: await r.text() })));`;
    execFile(process.execPath, ['-e', script, url, token, file], { maxBuffer: 10 * 1024 * 1024 }, (err, out) => (err ? reject(err) : resolve(JSON.parse(out))));
  });
const upload = async (path: string, parts: { name: string; value: string | Buffer; filename?: string }[]) => {
  const fd = new FormData();
  for (const p of parts) fd.append(p.name, p.filename !== undefined ? new Blob([p.value]) : String(p.value), ...(p.filename !== undefined ? [p.filename] : []));
  return fetch(`${server.base}${path}`, { method: 'POST', redirect: 'manual', headers: { origin: server.base, cookie: await signInCookie(server.base, official) }, body: fd });
};
const page = async (path: string) => fetch(`${server.base}${path}`, { redirect: 'manual', headers: { cookie: await signInCookie(server.base, official) } });
const actualsCount = () => db.prisma.actual.count({ where: { forbundId } });
/** Whole kronor as the pages' tables write them: no-break spaces between thousands. */
const svNumber = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');

/** A SIE 4 file (ASCII, so CP437 and UTF-8 read it the same) from its lines. */
const sieOf = (lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n`, 'latin1');
const sie = (...lines: string[]) => sieOf(lines);
const head = (year: number) => ['#FLAGGA 0', '#FORMAT PC8', '#SIETYP 4', '#FNAMN "Samordningsforbundet Sydnarke"', `#RAR 0 ${year}0101 ${year}1231`, '#KONTO 1930 "Bank"', '#KONTO 3010 "Medlemsavgift"', '#KONTO 5010 "Lokalhyra"'];

/**
 * 1 000 000 lines, 20.78 million bytes (just under the limit of 20 MB = 20 × 2^20 bytes): 199 998
 * verifications of 125 kr rent (5010, the line ovriga-verksamhetskostnader) paid from the bank,
 * spread over the year's months.
 */
function millionLines(year: number): Buffer {
  const lines = head(year);
  for (let n = 1; lines.length + 5 <= 1_000_000; n += 1) {
    const d = `${year}${String((n % 12) + 1).padStart(2, '0')}15`;
    lines.push(`#VER A ${n} ${d} "Lokalhyra ${n}"`, '{', `#TRANS 5010 {} 125.00 ${d}`, '#TRANS 1930 {} -125.00', '}');
  }
  while (lines.length < 1_000_000) lines.push('#KSUMMA 0');
  return sieOf(lines);
}

describe('a 20 MB SIE file of a million lines', () => {
  it('is read without holding the event loop, stored, and answered 200', async () => {
    const body = millionLines(2017);
    expect(body.length).toBeGreaterThan(20_000_000);
    expect(body.length).toBeLessThanOrEqual(20 * 1024 * 1024);
    const dir = mkdtempSync(path.join(tmpdir(), 'sie-'));
    const file = path.join(dir, 'stor.se');
    writeFileSync(file, body);

    // The loop's delay while the request runs (the server runs in this process; the file is sent
    // from another, as a browser would, so only the server's work is measured), and how often a 5 ms
    // timer got to run: a file read in one go (as before) holds every timer for seconds.
    const delay = monitorEventLoopDelay({ resolution: 10 });
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 5);
    delay.enable();
    const started = performance.now();
    let r: { status: number; text: string };
    try {
      r = await sendFromAnotherProcess(`${server.base}${S}/actuals/2017/sie?file=stor.se`, file);
    } finally {
      delay.disable();
      clearInterval(ticker);
      rmSync(dir, { recursive: true });
    }
    const ms = performance.now() - started;
    const figures = { ms: Math.round(ms), maxMs: Math.round(delay.max / 1e6), p99Ms: Math.round(delay.percentile(99) / 1e6), meanMs: Math.round(delay.mean / 1e6), ticks };
    console.log(`20 MB SIE upload: ${JSON.stringify(figures)}`);

    expect(r.status, r.text.slice(0, 500)).toBe(200);
    expect(JSON.parse(r.text)).toMatchObject({ year: 2017, rows: 14 * 12, through: 12, source: 'sie:stor.se', company: { name: 'Samordningsforbundet Sydnarke' }, unmapped: [], warnings: [] });
    const rent = await db.prisma.actual.findMany({ where: { forbundId, year: 2017, lineKey: 'ovriga-verksamhetskostnader' } });
    expect(rent.reduce((s, a) => s + a.amount, 0n)).toBe(199_998n * 125n);

    // Before: one block of 7.5 s (the p99 and the max alike), 76 ticks, and a 500. Now the parser
    // yields every 1 000 lines and the loop turns every few milliseconds: alone on this two-core
    // machine a p99 of 19–37 ms and a max of 38–80 ms; with other test files and a load of 15 on
    // the two cores a p99 of 110–170 ms and a max of 160–310 ms (the process waits for a core,
    // which the histogram counts as delay too). The bounds sit above the busy figures and far below the stall: that the
    // timer ran hundreds of times is what shows the file was read in slices.
    expect(ticks).toBeGreaterThanOrEqual(250);
    expect(figures.p99Ms).toBeLessThan(400);
    expect(figures.maxMs).toBeLessThan(1_500);
  }, 120_000);

  it('a file above 20 MB is refused with 413 naming the limit, in the API and on the page; a single endless line with 400', async () => {
    const count = await actualsCount();
    const tooLarge = Buffer.alloc(20 * 1024 * 1024 + 1, 0x20);
    const api = await send(`${S}/actuals/2017/sie?file=stor.se`, tooLarge);
    expect(api.status).toBe(413);
    expect(api.json.error.message).toBe('the SIE file is larger than 20 MB (20971520 bytes), the most a file of the outcome may be');
    expect(api.json.error.fields).toEqual([{ field: '(body)', problem: api.json.error.message, sv: 'Filen är större än 20 MB, det största en SIE-fil med utfall får vara.' }]);
    expect((await send(`${S}/actuals/2017/csv`, tooLarge, 'text/csv')).json.error.message).toMatch(/^the CSV file is larger than 20 MB/);
    const onPage = await upload('/admin/pengar/2017/utfall', [{ name: 'fil', value: tooLarge, filename: 'stor.se' }]);
    expect(onPage.status).toBe(413);
    expect(await onPage.text()).toContain('Filen är för stor: högst 20 MB.');

    const endless = await send(`${S}/actuals/2017/sie?file=rad.se`, Buffer.alloc(1024 * 1024, 0x41));
    expect(endless.status).toBe(400);
    expect(endless.json.error.fields).toEqual([{ field: 'rad.se:1', problem: 'the line is 1048576 characters long; a SIE line has at most 10000 (is this a SIE file?)' }]);
    expect(await actualsCount()).toBe(count);
  });
});

describe('several files at once', () => {
  it(`are read ${READING_AT_ONCE} at a time, each in slices; the others wait their turn`, async () => {
    const lines = head(2017);
    for (let n = 1; n <= 10_000; n += 1) lines.push(`#VER A ${n} 201703${String((n % 28) + 1).padStart(2, '0')}`, '{', '#TRANS 5010 {} 10.00', '#TRANS 1930 {} -10.00', '}');
    const file = sieOf(lines);
    const slices: number[] = [];
    const results = await Promise.all([0, 1, 2, 3].map((i) => sieActuals(db.prisma, forbundId, 2017, file, `f${i}.se`, () => slices.push(i))));
    expect(results.map((r) => r.rows.find((x) => x.line === 'ovriga-verksamhetskostnader' && x.month === 3)!.amount)).toEqual([100_000, 100_000, 100_000, 100_000]);
    // Each file's slices run from its first to its last; never more than two of these spans overlap.
    const spans = [0, 1, 2, 3].map((i) => [slices.indexOf(i), slices.lastIndexOf(i)]);
    for (const [first, last] of spans) expect(last - first).toBeGreaterThan(10);
    for (let k = 0; k < slices.length; k += 1) expect(spans.filter(([first, last]) => first <= k && k <= last).length).toBeLessThanOrEqual(READING_AT_ONCE);
  });
});

describe('amounts past 2^31', () => {
  it('a förbund file with a line of 3 000 000 000 kr (past 2^31 kronor) is imported, read back exactly, and imported again unchanged', async () => {
    const file = parseForbundFile(YAML, 'sydnarke.yaml');
    const withBig = (amount: number): ForbundFile => {
      const years = structuredClone(file.budget!.years);
      years['2018'].income = years['2018'].income.map((l) => (l.id === 'driftbidrag' ? { ...l, amount } : l));
      return { ...file, budget: { ...file.budget!, years } };
    };
    await importForbund(db.prisma, withBig(3_000_000_000), { actor: 'test' });
    const stored = await db.prisma.budgetLine.findFirstOrThrow({ where: { forbundId, year: 2018, key: 'driftbidrag' } });
    expect(stored.amount).toBe(3_000_000_000n);
    const b = await call(`${S}/budget/2018`, { token });
    expect(b.status).toBe(200);
    expect(b.json.lines.find((l: Json) => l.key === 'driftbidrag').amount).toBe(3_000_000_000);
    expect(b.json.contributions.reduce((s: number, c: Json) => s + c.perYear, 0)).toBe(b.json.totals.members);
    // The same file again: nothing differs (the stored bigint compares equal to the file's number).
    expect((await importForbund(db.prisma, withBig(3_000_000_000), { actor: 'test' })).changed).toBe(false);
    // Past what one figure may be (10^12 kr): refused with the place in the file, nothing written.
    await expect(importForbund(db.prisma, withBig(2 ** 53), { actor: 'test' })).rejects.toThrow(/^budget\.years\.2018: the amount of line "driftbidrag", 9007199254740992 is beyond 1000000000000 kr/);
    expect((await db.prisma.budgetLine.findUniqueOrThrow({ where: { id: stored.id } })).amount).toBe(3_000_000_000n);
  });

  it('a 30 000 000 kr line and outcome summing to 5 500 000 000 kr round-trip through the API, the forecast, the pages and the follow-up', async () => {
    const line = await call(`${S}/budget/2016/lines/utbetalda-projektpengar`, { token, method: 'PUT', json: { amount: 30_000_000 } });
    expect(line.status, line.text).toBe(200);
    expect(line.json.line.amount).toBe(30_000_000);
    // One month's outcome of 2 500 000 000 kr (past 2^31 kronor) from the bookkeeping ...
    const file = sie(...head(2016), '#VER A 1 20160404 "Medlemsavgift kv 2"', '{', '#TRANS 1930 {} 2500000000.00', '#TRANS 3010 {} -2500000000.00', '}');
    const fromSie = await send(`${S}/actuals/2016/sie?file=bokforing.se`, file);
    expect(fromSie.status, fromSie.text).toBe(200);
    expect(fromSie.json.through).toBe(4);
    // ... and three of 1 000 000 000 kr entered as JSON.
    const rows = [1, 2, 3].map((month) => ({ line: 'driftbidrag', month, amount: 1_000_000_000 }));
    expect((await call(`${S}/actuals/2016`, { token, method: 'PUT', json: { rows } })).status).toBe(200);
    const stored = await db.prisma.actual.findMany({ where: { forbundId, year: 2016, lineKey: 'driftbidrag' }, orderBy: { month: 'asc' } });
    expect(stored.map((a) => a.amount)).toEqual([1_000_000_000n, 1_000_000_000n, 1_000_000_000n, 2_500_000_000n]);
    const sum = (await db.prisma.actual.aggregate({ _sum: { amount: true }, where: { forbundId, year: 2016, lineKey: 'driftbidrag' } }))._sum.amount;
    expect(sum).toBe(5_500_000_000n); // the database's own sum: bigint, past 2^32 öre and kronor alike

    const budget = await call(`${S}/budget/2016`, { token });
    expect(budget.json.lines.find((l: Json) => l.key === 'utbetalda-projektpengar').amount).toBe(30_000_000);
    const forecast = await call(`${S}/forecast/2016`, { token });
    expect(forecast.status).toBe(200);
    const drift = forecast.json.perLine.find((l: Json) => l.key === 'driftbidrag');
    expect(drift).toMatchObject({ actualToDate: 5_500_000_000, yearEnd: 5_500_000_000 }); // paid beyond the budget: the year ends at what is paid
    const projects = forecast.json.perLine.find((l: Json) => l.key === 'utbetalda-projektpengar');
    expect(projects.budget).toBe(30_000_000);
    const income = forecast.json.perLine.filter((l: Json) => l.kind === 'income').reduce((s: number, l: Json) => s + l.actualToDate, 0);
    const costs = forecast.json.perLine.filter((l: Json) => l.kind === 'cost').reduce((s: number, l: Json) => s + l.actualToDate, 0);
    expect(forecast.json.result.toDate).toBe(income - costs);
    expect(income).toBe(5_500_000_000);

    const csv = await fetch(`${server.base}${S}/budget/2016/follow-up.csv`, { headers: { authorization: `Bearer ${token}` } });
    const text = await csv.text();
    expect(text).toContain('\r\nDriftbidrag;Intäkt;5795388;5500000000;');
    expect(text).toContain('\r\nUtbetalda projektpengar;Kostnad;30000000;0;');
    expect(text).toMatch(/\r\nSumma intäkter;Summa;5795388;5500000000;/);
    const pdf = await fetch(`${server.base}${S}/budget/2016/follow-up.pdf`, { headers: { authorization: `Bearer ${token}` } });
    const pdfWords = await pdfText(Buffer.from(await pdf.arrayBuffer()));
    expect(pdfWords).toContain('Driftbidrag 5 795 388 5 500 000 000');
    expect(pdfWords).toContain('Utbetalda projektpengar 30 000 000 0');

    // A quarter's review with a year-end result past 2^31: JSON (not a bigint JSON cannot write) and the page.
    await db.prisma.forecastReview.create({ data: { forbundId, year: 2016, quarter: 1, status: 'forecast', actualsThroughMonth: 3, yearEndResult: 4_000_000_000, withinPolicy: true } });
    const reviews = await call(`${S}/reviews/2016`, { token });
    expect(reviews.status).toBe(200);
    expect(reviews.json.data[0]).toMatchObject({ quarter: 1, yearEndResult: 4_000_000_000 });

    const html = await (await page('/admin/pengar/2016')).text();
    expect(html).toContain(`<th scope="row">Driftbidrag</th><td>${svNumber(5_795_388)}</td><td>${svNumber(5_500_000_000)}</td>`);
    expect(html).toContain(`<th scope="row">Utbetalda projektpengar</th><td>${svNumber(30_000_000)}</td>`);
    expect(html).toContain(`<td>${String(4_000_000_000).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')} kr</td>`); // the review's year end
  });

  it('a figure past what can be counted exactly is refused with 400 naming the field or the line, and nothing is stored', async () => {
    const count = await actualsCount();
    const json = await call(`${S}/actuals/2016`, { token, method: 'PUT', json: { rows: [{ line: 'driftbidrag', month: 5, amount: 9_007_199_254_740_993 }] } });
    expect(json.status).toBe(400);
    expect(fieldsOf(json)).toEqual(['rows[0].amount']);
    const line = await call(`${S}/budget/2016/lines/revisionstjanster`, { token, method: 'PUT', json: { amount: 9_007_199_254_740_993 } });
    expect(line.status).toBe(400);
    expect(fieldsOf(line)).toEqual(['amount']);

    const csv = await send(`${S}/actuals/2016/csv?file=stor.csv`, 'line;month;amount\ndriftbidrag;5;90071992547409930\n', 'text/csv');
    expect(csv.status).toBe(400);
    expect(csv.json.error.fields).toEqual([{ field: 'stor.csv:2', problem: 'amount "90071992547409930" is more than 1 000 000 000 000 kr, the most one figure may be' }]);

    const one = await send(`${S}/actuals/2016/sie?file=stor.se`, sie(...head(2016), '#VER A 1 20160505', '{', '#TRANS 3010 {} -90071992547409.92', '#TRANS 1930 {} 90071992547409.92', '}'));
    expect(one.status).toBe(400);
    expect(one.json.error.fields).toEqual([{ field: 'stor.se:11', problem: '#TRANS: amount "-90071992547409.92" is too large to count exactly (at most 90071992547409.91 either way)' }]);
    // Each amount can be counted, but a line's month sums to more than one figure may be.
    const summed = await send(`${S}/actuals/2016/sie?file=summa.se`, sie(...head(2016), '#VER A 1 20160505', '{', '#TRANS 3010 {} -600000000000.00', '#TRANS 3010 {} -600000000000.00', '#TRANS 1930 {} 1200000000000.00', '}'));
    expect(summed.status).toBe(400);
    expect(summed.json.error.fields).toEqual([{ field: 'summa.se: driftbidrag, month 5', problem: 'the outcome of budget line "driftbidrag" in month 5, 1 200 000 000 000 kr, is more than 1 000 000 000 000 kr either way, the most one figure may be' }]);
    expect(await actualsCount()).toBe(count);
  });
});

describe('a budget line and month given twice', () => {
  it('in a CSV file: refused with 400 naming the lines, and nothing is stored (the API and the page)', async () => {
    const count = await actualsCount();
    const text = 'line;month;amount\ndriftbidrag;5;100\nrevisionstjanster;5;50\ndriftbidrag;2016-05;200\nrevisionstjanster;6;50\nrevisionstjanster;6;60\n';
    const r = await send(`${S}/actuals/2016/csv?file=dubbel.csv`, text, 'text/csv');
    expect(r.status).toBe(400);
    expect(r.json.error.fields).toEqual([
      { field: 'dubbel.csv:4', problem: 'budget line "driftbidrag", month 5 (May) is also on line 2: one row per line and month' },
      { field: 'dubbel.csv:6', problem: 'budget line "revisionstjanster", month 6 (June) is also on line 5: one row per line and month' },
    ]);
    const onPage = await upload('/admin/pengar/2016/utfall', [{ name: 'fil', value: text, filename: 'dubbel.csv' }]);
    expect(onPage.status).toBe(400);
    const html = await onPage.text();
    expect(html).toContain('Rad 4: Budgetraden ”driftbidrag” för maj finns redan på rad 2.');
    expect(html).toContain('Rad 6: Budgetraden ”revisionstjanster” för juni finns redan på rad 5.');
    expect(await actualsCount()).toBe(count);
  });

  it('a file of many broken lines names the first 100 and counts the rest', async () => {
    const r = await send(`${S}/actuals/2016/csv?file=trasig.csv`, `line;month;amount\n${'driftbidrag;5;100\n'.repeat(1_000)}`, 'text/csv');
    expect(r.status).toBe(400);
    expect(r.json.error.fields).toHaveLength(101);
    expect(r.json.error.fields[0]).toEqual({ field: 'trasig.csv:3', problem: 'budget line "driftbidrag", month 5 (May) is also on line 2: one row per line and month' });
    expect(r.json.error.fields[100]).toEqual({ field: 'trasig.csv', problem: '899 more problems in the file' });
  });

  it('in the JSON rows: refused with 400 naming both rows, and nothing is stored', async () => {
    const count = await actualsCount();
    const r = await call(`${S}/actuals/2016`, { token, method: 'PUT', json: { rows: [{ line: 'driftbidrag', month: 7, amount: 1 }, { line: 'kurser', month: 7, amount: 2 }, { line: 'driftbidrag', month: 7, amount: 3 }] } });
    expect(r.status).toBe(400);
    expect(r.json.error.fields).toEqual([{ field: 'rows[2]', problem: 'budget line "driftbidrag", month 7 is also in rows[0]: one row per line and month' }]);
    expect(await actualsCount()).toBe(count);
  });
});
