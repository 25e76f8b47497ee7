// The money over HTTP with the Sydnärke example as it stands (2016–2018): the budget with the
// plan's own contradictions and the members' contributions, the outcome from the bookkeeping's
// SIE 4 file (CP437, as Visma writes it) and from CSV, the forecast and the roles.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import { createApiToken } from '../api/auth.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { testDatabase } from './support/database.js';
import { apiCaller, fieldsOf, serve, type Json } from './support/http.js';
import { RecordingNotifier } from './support/notifier.js';

let db: Database;
let server: { base: string; close(): Promise<void> };
const tokens = { admin: '', economist: '', board: '', secretary: '' };
const call = apiCaller(() => server.base);
const S = '/api/v1/forbund/sydnarke';
const SIE = readFileSync('tests/fixtures/sie/sydnarke-2016.se');

beforeAll(async () => {
  db = await testDatabase();
  const { forbundId } = await importForbund(db.prisma, parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml'), { actor: 'test' });
  tokens.admin = await createApiToken(db.prisma, { forbundId, name: 'Förbundschef', role: 'admin' });
  tokens.economist = await createApiToken(db.prisma, { forbundId, name: 'Ekonom', role: 'economist' });
  tokens.board = await createApiToken(db.prisma, { forbundId, name: 'Ledamot', role: 'board_member' });
  tokens.secretary = await createApiToken(db.prisma, { forbundId, name: 'Sekreterare', role: 'secretary' });
  server = await serve(createApp({ prisma: db.prisma, notifier: new RecordingNotifier(), publicBaseUrl: 'http://x', linkSecret: 'm'.repeat(32), now: () => new Date('2016-07-10T08:00:00Z') }));
}, 60_000);

afterAll(async () => {
  await server?.close();
  await db?.close();
});

const sendFile = (path: string, body: Buffer | string, token: string, type = 'application/octet-stream') => fetch(`${server.base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body }).then(async (r) => ({ status: r.status, json: (await r.json()) as Json }));

describe('the budget', () => {
  it("reads the year's lines, totals and the plan's own contradictions, and splits the members' contributions exactly", async () => {
    const r = await call(`${S}/budget/2016`, { token: tokens.board });
    expect(r.status).toBe(200);
    expect(r.json.totals).toMatchObject({ income: 5_795_388, costs: 5_581_476, result: 213_912 });
    expect(r.json.stated.result).toBe(-1_075_016);
    expect(r.json.warnings.map((w: Json) => w.path).sort()).toEqual(['/budget/years/2016/stated/projectTotal', '/budget/years/2016/stated/result']);
    expect(r.json.warnings.find((w: Json) => w.path.endsWith('projectTotal')).message).toContain('55 000 kr');
    const contributions = r.json.contributions as Json[];
    expect(contributions.reduce((a, c) => a + c.perYear, 0)).toBe(5_795_388);
    for (const c of contributions) expect(c.perQuarter.reduce((a: number, b: number) => a + b, 0)).toBe(c.perYear);
    // The projects' ceilings, with the costs their reports give (none reported yet).
    expect(r.json.projects.find((p: Json) => p.name === 'Framsteget')).toMatchObject({ ceiling: 1_000_000, reportedCostsToDate: null, overCeiling: false });
    expect((await call(`${S}/budget/2031`, { token: tokens.board })).status).toBe(404);
    expect((await call(`${S}/budget/20x6`, { token: tokens.board })).json.error.fields).toEqual([{ field: 'year', problem: 'must be a year written with four digits' }]);
  });

  it('the economist changes a line and the warnings follow; the board and the secretary may not', async () => {
    expect((await call(`${S}/budget/2016/lines/utbetalda-projektpengar`, { token: tokens.board, method: 'PUT', json: { amount: 4_611_000 } })).status).toBe(403);
    expect((await call(`${S}/budget/2016/lines/utbetalda-projektpengar`, { token: tokens.secretary, method: 'PUT', json: { amount: 4_611_000 } })).status).toBe(403);
    const bad = await call(`${S}/budget/2016/lines/utbetalda-projektpengar`, { token: tokens.economist, method: 'PUT', json: { amount: -5, extra: true } });
    expect(fieldsOf(bad).sort()).toEqual(['amount', 'extra']);
    const r = await call(`${S}/budget/2016/lines/utbetalda-projektpengar`, { token: tokens.economist, method: 'PUT', json: { amount: 4_611_000 } });
    expect(r.status).toBe(200);
    expect(r.json.totals.result).toBe(213_912 - 55_000);
    // The stated result still disagrees with the lines, now by their new result.
    expect(r.json.warnings.find((w: Json) => w.path.endsWith('/stated/result')).message).toContain('158 912 kr');
    expect((await call(`${S}/budget/2016`, { token: tokens.board })).json.warnings).toEqual(r.json.warnings);
    await call(`${S}/budget/2016/lines/utbetalda-projektpengar`, { token: tokens.economist, method: 'PUT', json: { amount: 4_556_000 } });
  });
});

describe('the outcome', () => {
  it("imports the bookkeeping's SIE file month by month through the last month with entries; unmapped accounts are listed", async () => {
    const r = await sendFile(`${S}/actuals/2016/sie?file=bokforing.se`, SIE, tokens.economist);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json).toMatchObject({ year: 2016, source: 'sie:bokforing.se', company: { name: 'Samordningsförbundet Sydnärke', orgNr: '222000-2600' } });
    expect(r.json.through).toBe(6);
    const stored = await db.prisma.actual.findMany({ where: { year: 2016, lineKey: 'driftbidrag' }, orderBy: { month: 'asc' } });
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.every((a) => a.source === 'sie:bokforing.se')).toBe(true);
    // Imported again: the same months are replaced, not added.
    const total = async () => (await db.prisma.actual.aggregate({ _sum: { amount: true }, where: { year: 2016 } }))._sum.amount;
    const before = await total();
    expect((await sendFile(`${S}/actuals/2016/sie?file=bokforing.se`, SIE, tokens.economist)).status).toBe(200);
    expect(await total()).toBe(before);
  });

  it('a broken SIE file is named with its line and the problem, and stores nothing; a file of another year is refused', async () => {
    const count = await db.prisma.actual.count();
    const broken = Buffer.from(SIE.toString('latin1').replace('#VER', '#VER "A" "1" 2016013x').replace(/\}\r?\n(?![\s\S]*\})/, '\n'), 'latin1');
    const r = await sendFile(`${S}/actuals/2016/sie?file=trasig.se`, broken, tokens.economist);
    expect(r.status).toBe(400);
    expect(r.json.error.fields[0].field).toMatch(/^trasig\.se:\d+$/);
    const other = await sendFile(`${S}/actuals/2017/sie?file=bokforing.se`, SIE, tokens.economist);
    expect(other.status).toBe(400);
    expect(other.json.error.fields).toEqual([{ field: 'year', problem: "the file's fiscal year (#RAR 0) is 2016-01-01–2016-12-31, not 2017" }]);
    expect(await db.prisma.actual.count()).toBe(count);
    expect((await sendFile(`${S}/actuals/2016/sie`, SIE, tokens.board)).status).toBe(403);
  });

  it('takes rows as JSON or CSV; an unknown line or month is named', async () => {
    const bad = await call(`${S}/actuals/2016`, { token: tokens.economist, method: 'PUT', json: { rows: [{ line: 'nope', month: 1, amount: 1 }, { line: 'revisionstjanster', month: 13, amount: 1 }] } });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad)).toEqual(['rows[1].month']);
    const unknown = await call(`${S}/actuals/2016`, { token: tokens.economist, method: 'PUT', json: { rows: [{ line: 'nope', month: 1, amount: 1 }] } });
    expect(unknown.json.error.fields[0]).toMatchObject({ field: 'rows[0].line', problem: expect.stringContaining('no budget line "nope" in 2016') });
    const ok = await call(`${S}/actuals/2016`, { token: tokens.admin, method: 'PUT', json: { rows: [{ line: 'revisionstjanster', month: 7, amount: 27_500 }] } });
    expect(ok.json).toMatchObject({ rows: 1, through: 7, source: 'api' });
    const csv = await sendFile(`${S}/actuals/2016/csv?file=utfall.csv`, 'line;month;amount\nrevisionstjanster;8;"1 250,50"\n', tokens.economist, 'text/csv');
    expect(csv.json).toMatchObject({ rows: 1, through: 8, source: 'csv:utfall.csv' });
    const badCsv = await sendFile(`${S}/actuals/2016/csv?file=utfall.csv`, 'line;month;amount\nrevisionstjanster;x;1\n', tokens.economist, 'text/csv');
    expect(badCsv.status).toBe(400);
    expect(badCsv.json.error.fields[0].field).toBe('utfall.csv:2');
  });

  it("compares a project's reported costs to date with its grant ceiling", async () => {
    const p = await db.prisma.project.findFirstOrThrow({ where: { name: 'Framsteget' }, include: { obligations: { where: { periodEnd: { lte: new Date('2016-12-31'), gte: new Date('2016-01-01') } }, orderBy: { periodEnd: 'asc' } } } });
    const o = p.obligations[0];
    await db.prisma.submission.create({ data: { obligationId: o.id, late: false, figures: { participantsActive: 12, costsToDate: 1_050_000 }, narrative: 'Mer än beviljat.' } });
    const r = await call(`${S}/budget/2016`, { token: tokens.board });
    expect(r.json.projects.find((x: Json) => x.name === 'Framsteget')).toMatchObject({ ceiling: 1_000_000, reportedCostsToDate: 1_050_000, overCeiling: true });
  });

  it('forecasts from the outcome so far and judges it by the policy', async () => {
    const r = await call(`${S}/forecast/2016?through=6`, { token: tokens.board });
    expect(r.status).toBe(200);
    expect(r.json.throughMonth).toBe(6);
    expect(r.json.months).toEqual({ at3Months: 9, at6Months: 12 });
    // Judged against the budget table the board adopted, not the result budget's −1 075 016 (the plan's contradiction).
    expect(r.json.planned).toBe(213_912);
    expect(r.json.statedResult).toBe(-1_075_016);
    expect(r.json.policy).toMatchObject({ maxPlannedDeficit: 0, minEquity: 0 });
    expect(r.json.verdict).toMatchObject({ escalate: expect.any(Boolean), why: expect.stringContaining('through month 6') });
    expect(r.json.perLine.find((l: Json) => l.key === 'driftbidrag')).toMatchObject({ budget: 5_795_388, rule: 'agreed' });
    expect((await call(`${S}/forecast/2016?through=13`, { token: tokens.board })).json.error.fields).toEqual([{ field: 'through', problem: 'must be a month from 0 to 12' }]);
    expect((await call(`${S}/reviews/2016`, { token: tokens.board })).json).toEqual({ data: [] });
  });

  it("a quarter's review waiting for its actuals is the economist's pending step", async () => {
    const forbundId = (await db.prisma.forbund.findUniqueOrThrow({ where: { slug: 'sydnarke' } })).id;
    await db.prisma.forecastReview.create({ data: { forbundId, year: 2016, quarter: 2, createdAt: new Date('2016-07-10T06:00:00Z') } });
    const steps = (await call(`${S}/pending-steps?limit=200`, { token: tokens.admin })).json.data as Json[];
    expect(steps.find((x) => x.type === 'actuals')).toMatchObject({ title: 'Utfall t.o.m. juni 2016 till kvartalets prognos', dueDate: '2016-07-20', waitingOn: { role: 'economist' } });
    await db.prisma.forecastReview.deleteMany({ where: { forbundId } });
  });

  it('gives the board its budget follow-up as a printable PDF and as a spreadsheet', async () => {
    const csv = await fetch(`${server.base}${S}/budget/2016/follow-up.csv`, { headers: { authorization: `Bearer ${tokens.board}` } });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel needs for å ä ö
    const text = bytes.subarray(3).toString('utf8');
    expect(text.startsWith('Rad;Typ;Budget;Utfall t.o.m. augusti;')).toBe(true); // the outcome entered above runs through August
    expect(text).toMatch(/\r\nDriftbidrag;Intäkt;5795388;/);
    expect(text).toMatch(/\r\nResultat;Summa;213912;/);
    const pdf = await fetch(`${server.base}${S}/budget/2016/follow-up.pdf`, { headers: { authorization: `Bearer ${tokens.board}` } });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
