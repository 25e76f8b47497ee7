// The money over HTTP: the budget with the members' contributions and the plan's warnings, the
// actuals (JSON, a SIE 4 file from the bookkeeping, or CSV), the forecast as it stands, and the
// quarterly reviews. The economist and the official write; the board reads.
import express, { Router, type Request } from 'express';
import { followUpCsv, followUpPdf } from '../domain/budgetuppfoljning.js';
import { accountMap, actualsThrough, budgetOverview, changeBudgetLine, computeReview, csvActuals, csvTextOf, followUpFacts, lineDrillDown, reconciliationOf, reviewsOf, sieActuals, storeActuals as storeActualRows, UPLOAD_LIMIT_BYTES, UPLOAD_LIMIT_TEXT, type SieImportFacts } from '../services/pengar.js';
import { actor } from './auth.js';
import { declare, type JsonSchema } from './declare.js';
import { sendKept } from './kept.js';
import type { ApiDeps } from './deps.js';
import { badRequest, HttpError, notFound } from './errors.js';
import { asHttp } from './refusal.js';

export const READERS = ['admin', 'secretary', 'board_member', 'economist'] as const;
export const WRITERS = ['admin', 'economist'] as const;
const year = (req: Request) => {
  const y = String(req.params.year);
  if (!/^\d{4}$/.test(y)) throw badRequest([{ field: 'year', problem: 'must be a year written with four digits' }]);
  return Number(y);
};

/** GET budget/:year's answer (the adoption and revisions described; the rest as the example shows). */
const BUDGET_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    year: { type: 'integer' },
    totals: { type: 'object' },
    lines: { type: 'array', items: { type: 'object' } },
    warnings: { type: 'array', items: { type: 'object' } },
    contributions: { type: 'array', items: { type: 'object' } },
    adopted: {
      description: "the board's decision adopting the year's budget (with the VP), when justerat; null while not adopted",
      oneOf: [{ type: 'null' }, { type: 'object', required: ['at', 'by'], properties: { at: { type: 'string', format: 'date-time' }, by: { type: 'string', description: 'the decision, e.g. beslut 2026-00031 § 7' } } }],
    },
    revisions: {
      type: 'array',
      description: 'later changes of the adopted budget, each with its own decision',
      items: { type: 'object', required: ['at', 'by', 'what'], properties: { at: { type: 'string', format: 'date-time' }, by: { type: 'string' }, what: { type: 'string' } } },
    },
  },
  required: ['year', 'totals', 'lines', 'adopted', 'revisions'],
};

export function moneyRoutes(deps: ApiDeps): Router {
  const { prisma } = deps;
  const r = Router({ mergeParams: true });
  const route = declare('/api/v1/forbund/{forbund}').route;
  const fid = (req: Request) => req.auth!.forbundId;

  route(r, { method: 'get', path: '/budget/:year', summary: "a year's budget: its lines, totals and result, the equity carried over, where the plan's figures disagree, each member's contribution per year and quarter, and whether the board has adopted it (adopted: when and by which decision, null while not adopted; the later revisions, each with its decision)", roles: [...READERS], params: { year: 'e.g. 2027' }, response: { schema: BUDGET_SCHEMA, example: { year: 2027, totals: { income: 5795388, costs: 5581476, result: 213912 }, lines: [{ key: 'driftbidrag', name: 'Driftbidrag', kind: 'income', group: 'members', amount: 5795388 }], warnings: [{ path: '/budget/years/2027/stated/result', lines: ['driftbidrag'], message: '…' }], contributions: [{ memberKey: 'fk', name: 'Försäkringskassan', perYear: 2897694, perQuarter: [724424, 724424, 724423, 724423] }], adopted: { at: '2026-11-26T12:00:00.000Z', by: 'beslut 2026-00031 § 7' }, revisions: [{ at: '2027-04-23T12:00:00.000Z', by: 'beslut 2027-00012 § 5', what: 'Insatsen Steg framåt utökad med 200 000 kr' }] } } }, async (req, res) => {
    const y = year(req);
    // Kept ready per data version: a budget changes only by a write, which bumps it.
    await sendKept(deps, req, res, async () => {
      const b = await budgetOverview(prisma, fid(req), y);
      if (!b) throw notFound(`a budget for ${req.params.year}`);
      return b;
    });
  });

  route<{ amount: number; name?: string }>(
    r,
    { method: 'put', path: '/budget/:year/lines/:key', summary: "change a budget line's amount (and name); the plan's warnings are worked out again", roles: [...WRITERS], params: { year: 'e.g. 2027', key: 'the line id' }, body: { schema: { type: 'object', properties: { amount: { type: 'integer', minimum: 0, maximum: 1_000_000_000 }, name: { type: 'string', minLength: 1, maxLength: 200 } }, required: ['amount'], additionalProperties: false }, example: { amount: 1210000 } } },
    async (req, res) => {
      const x = await asHttp(changeBudgetLine(prisma, { forbundId: fid(req), year: year(req), key: String(req.params.key), amount: req.valid.amount, ...(req.valid.name ? { name: req.valid.name } : {}), actor: actor(req) }));
      res.json({ line: x.line, totals: x.totals, warnings: x.warnings });
    },
  );

  /** Stores the outcome per line and month (replacing what was there for those months) and says what it took. */
  const storeActuals = (req: Request, rows: { line: string; month: number; amount: number }[], source: string, sie?: SieImportFacts) => asHttp(storeActualRows(deps, { forbundId: fid(req), year: year(req), rows, source, actor: actor(req), ...(sie ? { sie } : {}) }));

  const rowSchema: JsonSchema = { type: 'object', properties: { line: { type: 'string', minLength: 1, maxLength: 100 }, month: { type: 'integer', minimum: 1, maximum: 12 }, amount: { type: 'integer', minimum: -1_000_000_000, maximum: 1_000_000_000 } }, required: ['line', 'month', 'amount'], additionalProperties: false };
  route<{ rows: { line: string; month: number; amount: number }[] }>(
    r,
    { method: 'put', path: '/actuals/:year', summary: 'enter the outcome per budget line and month (kronor; costs and income both positive); a month entered again is replaced', roles: [...WRITERS], params: { year: 'e.g. 2027' }, body: { schema: { type: 'object', properties: { rows: { type: 'array', minItems: 1, maxItems: 5000, items: rowSchema } }, required: ['rows'], additionalProperties: false }, example: { rows: [{ line: 'lokalhyra', month: 1, amount: 12500 }, { line: 'driftbidrag', month: 1, amount: 1448847 }] } }, response: { example: { year: 2027, rows: 2, through: 1, source: 'api' } } },
    async (req, res) => {
      res.json(await storeActuals(req, req.valid.rows, 'api'));
    },
  );

  const raw = express.raw({ type: () => true, limit: UPLOAD_LIMIT_BYTES });
  /** The uploaded file (the request body), at most UPLOAD_LIMIT_BYTES: a larger one is refused with 413 before it is read. */
  const fileBody = async (req: Request, res: express.Response, kind: 'SIE' | 'CSV'): Promise<Buffer> => {
    try {
      await new Promise<void>((resolve, reject) => raw(req, res, (err?: unknown) => (err ? reject(err) : resolve())));
    } catch (err) {
      if ((err as { type?: string }).type !== 'entity.too.large') throw err;
      const problem = `the ${kind} file is larger than ${UPLOAD_LIMIT_TEXT} (${UPLOAD_LIMIT_BYTES} bytes), the most a file of the outcome may be`;
      throw new HttpError(413, problem, [{ field: '(body)', problem, sv: `Filen är större än ${UPLOAD_LIMIT_TEXT}, det största en ${kind}-fil med utfall får vara.` }]);
    }
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw badRequest([{ field: '(body)', problem: `send the ${kind} file as the request body` }]);
    return req.body;
  };
  const fileName = (req: Request, fallback: string) => String(req.query.file ?? fallback).slice(0, 100);
  route(r, { method: 'post', path: '/actuals/:year/sie', summary: `import the outcome from the bookkeeping's SIE 4 file (the request body, as exported, at most ${UPLOAD_LIMIT_TEXT}; CP437 or UTF-8), mapped from accounts to budget lines as the förbund file's budget.accounts says; each month through the last with entries. Refused with 400 naming the file: another organisation number (#ORGNR not the förbund's forbund.organisationNumber) or another fiscal year (#RAR 0) than the budget year. The answer reconciles the file: the equity at the year's start by its opening balances (#IB), the accounts whose #RES differs from their entries (also warnings); at most 100 warnings, with warningsLeftOut counting the rest`, roles: [...WRITERS], params: { year: 'the fiscal year, e.g. 2027' }, query: { file: { schema: { type: 'string' }, description: 'the file name, for error messages' } }, response: { example: { year: 2027, rows: 36, through: 6, source: 'sie:bokforing.se', unmapped: [{ account: '7690', name: 'Övriga personalkostnader', amountKr: 846 }], reconciliation: { file: 'bokforing.se', company: { orgNr: '222000-2600' }, equityAtStart: { kr: 1818750, from: 'equity-accounts', accounts: ['2069'] }, resDifferences: [{ account: '7010', res: '270000.00', entries: '225000.00', difference: '45000.00' }], warnings: [] } } } }, async (req, res) => {
    const body = await fileBody(req, res, 'SIE');
    const name = fileName(req, 'utfall.se');
    const sie = await asHttp(sieActuals(prisma, fid(req), year(req), body, name));
    const stored = await storeActuals(req, sie.rows, `sie:${name}`, sie.facts);
    res.json({ ...stored, company: sie.company, unmapped: sie.unmapped, reconciliation: reconciliationOf({ ...sie.facts, readAt: deps.now().toISOString() }), warnings: sie.warnings, ...(sie.warningsLeftOut ? { warningsLeftOut: sie.warningsLeftOut } : {}) });
  });

  route(r, { method: 'post', path: '/actuals/:year/csv', summary: `import the outcome from a CSV file (header line;month;amount, \`;\` or \`,\` separated, Swedish decimal comma accepted; UTF-8 or Latin-1; at most ${UPLOAD_LIMIT_TEXT}); one row per line and month; every problem is named by its line`, roles: [...WRITERS], params: { year: 'e.g. 2027' }, query: { file: { schema: { type: 'string' }, description: 'the file name, for error messages' } }, response: { example: { year: 2027, rows: 12, through: 3, source: 'csv:utfall.csv' } } }, async (req, res) => {
    const body = await fileBody(req, res, 'CSV');
    const name = fileName(req, 'utfall.csv');
    const known = (await prisma.budgetLine.findMany({ where: { forbundId: fid(req), year: year(req) }, select: { key: true } })).map((l) => l.key);
    if (!known.length) throw notFound(`a budget for ${year(req)}`);
    const { rows } = await asHttp(csvActuals(csvTextOf(body), name, year(req), known));
    res.json(await storeActuals(req, rows, `csv:${name}`));
  });

  route(r, { method: 'get', path: '/forecast/:year', summary: 'the forecast as it stands: per line and for the result, 3 and 6 months ahead and at year end, from the outcome entered so far, and the policy\'s verdict', roles: [...READERS], params: { year: 'e.g. 2027' }, query: { through: { schema: { type: 'integer', minimum: 0, maximum: 12 }, description: 'the last month of outcome to use (default: the last entered)' } }, response: { example: { throughMonth: 6, result: { budget: -900000, toDate: -450000, at3Months: -675000, at6Months: -900000, yearEnd: -900000 }, verdict: { escalate: true, deficit: 900000 } } } }, async (req, res) => {
    const forbundId = fid(req);
    const y = year(req);
    const asked = req.query.through === undefined ? undefined : Number(req.query.through);
    if (asked !== undefined && !(Number.isInteger(asked) && asked >= 0 && asked <= 12)) throw badRequest([{ field: 'through', problem: 'must be a month from 0 to 12' }]);
    await sendKept(deps, req, res, async () => {
      // The last month entered is data too: read with the rest, once per data version.
      const through = asked ?? (await actualsThrough(prisma, forbundId, y));
      const out = await computeReview(prisma, forbundId, y, through);
      if (!out) throw notFound(`a budget and a financing policy for ${y}`);
      return { ...out.forecast, planned: out.planned, ...(out.statedResult !== undefined ? { statedResult: out.statedResult } : {}), equityStart: out.equityStart ?? null, policy: out.policy, verdict: out.verdict };
    });
  });

  route(r, { method: 'get', path: '/actuals/:year/lines/:key', summary: "a budget line traced to the bookkeeping: the accounts the förbund file maps to it (budget.accounts), the outcome stored per month, and from the latest SIE file of the year each of its accounts with its outcome and the verifications behind it (income positive, as the line counts it; amounts in öre); matchesStored says whether the file's figure is the one stored (a later CSV or API entry may have replaced it)", roles: [...READERS], params: { year: 'e.g. 2027', key: 'the line id' }, response: { example: { year: 2027, line: { key: 'arvoden', name: 'Arvoden, soc. avg. övriga ersättn.', kind: 'cost', budget: 207716 }, accounts: ['7240-7249', '7300-7399', '7631'], stored: { through: 6, toDate: 48000 }, sie: { file: 'bokforing.se', through: 6, totalKr: 48000, matchesStored: true, accounts: [{ account: '7631', name: 'Styrelsearvoden', amountKr: 48000, vouchers: [{ series: 'A', number: '12', date: '2027-03-31', text: 'Styrelsearvoden mars', amountOre: 1600000 }] }] } } } }, async (req, res) => {
    const d = await lineDrillDown(prisma, fid(req), year(req), String(req.params.key));
    if (!d) throw notFound(`budget line "${req.params.key}" of ${req.params.year}`);
    res.json(d);
  });

  route(r, { method: 'get', path: '/accounts/:year', summary: "the mapping from accounts to budget lines on one page: per line of the year its account patterns (the förbund file's budget.accounts) and the accounts of the latest SIE file that landed in it, with their names and outcome; the file's result accounts no line maps", roles: [...READERS], params: { year: 'e.g. 2027' } }, async (req, res) => {
    const m = await accountMap(prisma, fid(req), year(req));
    if (!m) throw notFound(`a budget for ${req.params.year}`);
    res.json(m);
  });

  /** The budget follow-up for the board as it stands: budget, outcome and forecast per line; the members' contributions. */
  async function followUp(req: Request) {
    const y = year(req);
    const f = await followUpFacts(prisma, fid(req), y);
    if (!f) throw notFound(`a budget and a financing policy for ${y}`);
    return f;
  }
  route(r, { method: 'get', path: '/budget/:year/follow-up.pdf', summary: 'the budget follow-up for the board meeting, printable: budget, outcome to date and forecast per line, the result, the members\' contributions', roles: [...READERS], params: { year: 'e.g. 2027' }, response: { contentType: 'application/pdf' } }, async (req, res) => {
    const f = await followUp(req);
    res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="budgetuppfoljning-${f.year}.pdf"`).send(await followUpPdf(f));
  });
  route(r, { method: 'get', path: '/budget/:year/follow-up.csv', summary: 'the same budget follow-up as a spreadsheet (CSV, `;`, UTF-8 with BOM: opens in Excel)', roles: [...READERS], params: { year: 'e.g. 2027' }, response: { contentType: 'text/csv' } }, async (req, res) => {
    const f = await followUp(req);
    res.type('text/csv; charset=utf-8').setHeader('Content-Disposition', `attachment; filename="budgetuppfoljning-${f.year}.csv"`).send(followUpCsv(f));
  });

  route(r, { method: 'get', path: '/reviews/:year', summary: "the year's quarterly reviews: status, the outcome used, the year-end forecast, whether it went to the board (and as which matter)", roles: [...READERS], params: { year: 'e.g. 2027' } }, async (req, res) => {
    res.json({ data: await reviewsOf(prisma, fid(req), year(req)) });
  });

  return r;
}

