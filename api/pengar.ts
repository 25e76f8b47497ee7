// The money over HTTP: the budget with the members' contributions and the plan's warnings, the
// actuals (JSON, a SIE 4 file from the bookkeeping, or CSV), the forecast as it stands, and the
// quarterly reviews. The economist and the official write; the board reads.
import express, { Router, type Request } from 'express';
import { budgetWarnings, memberContributions, totals, type ProjectCeiling } from '../domain/budget.js';
import { addDays, toStockholmDate } from '../domain/dates.js';
import { pendingStep, type PendingStep } from '../domain/pending.js';
import { officialOf, peopleWithRole } from '../services/people.js';
import type { FieldError } from '../domain/rapportering.js';
import { actualsFromSie, parseSie, SieError, type AccountMapping } from '../domain/sie.js';
import { ActualsCsvError, parseActualsCsv } from '../domain/utfall-csv.js';
import { followUpCsv, followUpPdf } from '../domain/budgetuppfoljning.js';
import { audit } from '../services/audit.js';
import { actualsThrough, computeReview, yearBudgetOf } from '../services/pengar.js';
import { actor } from './auth.js';
import { declare, type JsonSchema } from './declare.js';
import type { ApiDeps } from './deps.js';
import { badRequest, HttpError, notFound } from './errors.js';

const READERS = ['admin', 'secretary', 'board_member', 'economist'] as const;
const WRITERS = ['admin', 'economist'] as const;
const year = (req: Request) => {
  const y = String(req.params.year);
  if (!/^\d{4}$/.test(y)) throw badRequest([{ field: 'year', problem: 'must be a year written with four digits' }]);
  return Number(y);
};

export function moneyRoutes(deps: ApiDeps): Router {
  const { prisma } = deps;
  const r = Router({ mergeParams: true });
  const route = declare('/api/v1/forbund/{forbund}').route;
  const fid = (req: Request) => req.auth!.forbundId;

  async function budgetOrFail(req: Request) {
    const b = await yearBudgetOf(prisma, fid(req), year(req));
    if (!b) throw notFound(`a budget for ${req.params.year}`);
    return b;
  }

  async function ceilings(forbundId: string, y: number): Promise<ProjectCeiling[]> {
    const projects = await prisma.project.findMany({ where: { forbundId, status: 'active' }, select: { key: true, name: true, grants: true } });
    return projects.map((p) => ({ projectKey: p.key, name: p.name, amount: Number((p.grants as Record<string, number>)[String(y)] ?? 0) })).filter((c) => c.amount > 0);
  }

  route(r, { method: 'get', path: '/budget/:year', summary: "a year's budget: its lines, totals and result, the equity carried over, where the plan's figures disagree, and each member's contribution per year and quarter", roles: [...READERS], params: { year: 'e.g. 2027' }, response: { example: { year: 2027, totals: { income: 5795388, costs: 5581476, result: 213912 }, lines: [{ key: 'driftbidrag', name: 'Driftbidrag', kind: 'income', group: 'members', amount: 5795388 }], warnings: [{ path: '/budget/years/2027/stated/result', lines: ['driftbidrag'], message: '…' }], contributions: [{ memberKey: 'fk', name: 'Försäkringskassan', perYear: 2897694, perQuarter: [724424, 724424, 724423, 724423] }] } } }, async (req, res) => {
    const b = await budgetOrFail(req);
    const [y, members] = await Promise.all([prisma.budgetYear.findUnique({ where: { forbundId_year: { forbundId: fid(req), year: b.year } } }), prisma.member.findMany({ where: { forbundId: fid(req) }, orderBy: { key: 'asc' } })]);
    const t = totals(b);
    // The projects' reported costs to date (from their latest report of the year) against their grant ceilings.
    const projects = await prisma.project.findMany({
      where: { forbundId: fid(req), status: 'active' },
      include: { obligations: { where: { periodEnd: { gte: new Date(`${b.year}-01-01`), lte: new Date(`${b.year}-12-31`) } }, include: { submissions: { orderBy: { version: 'desc' }, take: 1 } } } },
      orderBy: { name: 'asc' },
    });
    const projectCosts = projects
      .map((p) => {
        const ceiling = Number((p.grants as Record<string, number>)[String(b.year)] ?? 0);
        const latest = p.obligations.flatMap((o) => o.submissions.map((x) => ({ at: o.periodEnd, costs: (x.figures as { costsToDate?: number }).costsToDate }))).filter((x) => typeof x.costs === 'number').sort((a, z) => z.at.getTime() - a.at.getTime())[0];
        return { key: p.key, name: p.name, ceiling, reportedCostsToDate: latest?.costs ?? null, reportedThrough: latest ? toStockholmDate(latest.at) : null, overCeiling: latest?.costs !== undefined && ceiling > 0 ? latest.costs! > ceiling : false };
      })
      .filter((p) => p.ceiling > 0 || p.reportedCostsToDate !== null);
    res.json({
      projects: projectCosts,
      year: b.year,
      totals: t,
      equityCarriedOver: b.equityCarriedOver ?? null,
      stated: b.stated ?? null,
      lines: b.lines,
      warnings: y?.warnings ?? [],
      contributions: memberContributions(t.members, members.map((m) => ({ key: m.key, name: m.name, kind: m.kind, ...(m.sharePercent !== null ? { share: Number(m.sharePercent) } : {}) }))),
    });
  });

  route<{ amount: number; name?: string }>(
    r,
    { method: 'put', path: '/budget/:year/lines/:key', summary: "change a budget line's amount (and name); the plan's warnings are worked out again", roles: [...WRITERS], params: { year: 'e.g. 2027', key: 'the line id' }, body: { schema: { type: 'object', properties: { amount: { type: 'integer', minimum: 0, maximum: 1_000_000_000 }, name: { type: 'string', minLength: 1, maxLength: 200 } }, required: ['amount'], additionalProperties: false }, example: { amount: 1210000 } } },
    async (req, res) => {
      const forbundId = fid(req);
      const y = year(req);
      const line = await prisma.budgetLine.findUnique({ where: { forbundId_year_key: { forbundId, year: y, key: String(req.params.key) } } });
      if (!line) throw notFound(`budget line "${req.params.key}" of ${y}`);
      await prisma.$transaction(async (tx) => {
        await tx.budgetLine.update({ where: { id: line.id }, data: { amount: req.valid.amount, ...(req.valid.name ? { name: req.valid.name } : {}) } });
        await audit(tx, { forbundId, actor: actor(req), action: 'budget.line-changed', entityType: 'budgetLine', entityId: line.id, data: { year: y, key: line.key, from: line.amount, to: req.valid.amount } });
      });
      const b = (await yearBudgetOf(prisma, forbundId, y))!;
      const warnings = budgetWarnings(b, await ceilings(forbundId, y));
      await prisma.budgetYear.upsert({ where: { forbundId_year: { forbundId, year: y } }, create: { forbundId, year: y, warnings: warnings as never }, update: { warnings: warnings as never } });
      res.json({ line: b.lines.find((l) => l.key === line.key), totals: totals(b), warnings });
    },
  );

  /** Stores the outcome per line and month (replacing what was there for those months) and says what it took. */
  async function storeActuals(req: Request, rows: { line: string; month: number; amount: number }[], source: string) {
    const forbundId = fid(req);
    const y = year(req);
    const known = new Set((await prisma.budgetLine.findMany({ where: { forbundId, year: y }, select: { key: true } })).map((l) => l.key));
    if (!known.size) throw notFound(`a budget for ${y}`);
    const errors: FieldError[] = rows.flatMap((row, i) => (known.has(row.line) ? [] : [{ field: `rows[${i}].line`, problem: `no budget line "${row.line}" in ${y}; known: ${[...known].sort().join(', ')}` }]));
    if (errors.length) throw badRequest(errors);
    await prisma.$transaction(async (tx) => {
      for (const row of rows) {
        await tx.actual.upsert({
          where: { forbundId_year_lineKey_month: { forbundId, year: y, lineKey: row.line, month: row.month } },
          create: { forbundId, year: y, lineKey: row.line, month: row.month, amount: row.amount, source, enteredBy: actor(req) },
          update: { amount: row.amount, source, enteredBy: actor(req), enteredAt: deps.now() },
        });
      }
      await audit(tx, { forbundId, actor: actor(req), action: 'actuals.entered', entityType: 'year', entityId: String(y), data: { source, rows: rows.length, months: [...new Set(rows.map((x) => x.month))].sort((a, b) => a - b) } });
    });
    // A review waiting for these actuals goes on at once (else at its daily re-read).
    const waiting = await prisma.forecastReview.findMany({ where: { forbundId, year: y, status: 'waiting_for_actuals', workflowId: { not: null } } });
    for (const w of waiting) await deps.notifier.reviewChanged(w.workflowId!, `actuals entered (${source})`);
    return { year: y, rows: rows.length, through: await actualsThrough(prisma, forbundId, y), source };
  }

  const rowSchema: JsonSchema = { type: 'object', properties: { line: { type: 'string', minLength: 1, maxLength: 100 }, month: { type: 'integer', minimum: 1, maximum: 12 }, amount: { type: 'integer', minimum: -1_000_000_000, maximum: 1_000_000_000 } }, required: ['line', 'month', 'amount'], additionalProperties: false };
  route<{ rows: { line: string; month: number; amount: number }[] }>(
    r,
    { method: 'put', path: '/actuals/:year', summary: 'enter the outcome per budget line and month (kronor; costs and income both positive); a month entered again is replaced', roles: [...WRITERS], params: { year: 'e.g. 2027' }, body: { schema: { type: 'object', properties: { rows: { type: 'array', minItems: 1, maxItems: 5000, items: rowSchema } }, required: ['rows'], additionalProperties: false }, example: { rows: [{ line: 'lokalhyra', month: 1, amount: 12500 }, { line: 'driftbidrag', month: 1, amount: 1448847 }] } }, response: { example: { year: 2027, rows: 2, through: 1, source: 'api' } } },
    async (req, res) => {
      res.json(await storeActuals(req, req.valid.rows, 'api'));
    },
  );

  const raw = express.raw({ type: () => true, limit: '20mb' });
  const fileName = (req: Request, fallback: string) => String(req.query.file ?? fallback).slice(0, 100);
  route(r, { method: 'post', path: '/actuals/:year/sie', summary: "import the outcome from the bookkeeping's SIE 4 file (the request body, as exported; CP437 or UTF-8), mapped from accounts to budget lines as the förbund file's budget.accounts says; each month through the last with entries", roles: [...WRITERS], params: { year: 'the fiscal year, e.g. 2027' }, query: { file: { schema: { type: 'string' }, description: 'the file name, for error messages' } }, response: { example: { year: 2027, rows: 36, through: 6, source: 'sie:bokforing.se', unmapped: [{ account: '7631', name: 'Personalrepresentation', amountKr: 846 }] } } }, async (req, res) => {
    await new Promise<void>((resolve, reject) => raw(req, res, (err?: unknown) => (err ? reject(err) : resolve())));
    const name = fileName(req, 'utfall.se');
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw badRequest([{ field: '(body)', problem: 'send the SIE file as the request body' }]);
    const forbund = await prisma.forbund.findUniqueOrThrow({ where: { id: fid(req) } });
    const accounts = ((forbund.moneyPolicy as { accounts?: AccountMapping[] } | null)?.accounts ?? []) as AccountMapping[];
    if (!accounts.length) throw new HttpError(409, 'the förbund file maps no accounts to budget lines (budget.accounts)', [{ field: 'budget.accounts', problem: 'missing in the förbund file' }]);
    let sie;
    try {
      sie = parseSie(req.body, name);
    } catch (err) {
      if (err instanceof SieError) throw badRequest([{ field: `${err.file}:${err.line}`, problem: err.problem }]);
      throw err;
    }
    const fy = sie.fiscalYears.find((f) => f.index === 0);
    if (!fy || Number(fy.start.slice(0, 4)) !== year(req)) throw badRequest([{ field: 'year', problem: `the file's fiscal year (#RAR 0) is ${fy ? `${fy.start}–${fy.end}` : 'missing'}, not ${year(req)}` }]);
    const lastMonth = Math.max(0, ...sie.verifications.map((v) => Number(v.date.slice(5, 7))), ...sie.periodBalances.filter((p) => p.yearIndex === 0).map((p) => Number(p.period.slice(5, 7))));
    const rows: { line: string; month: number; amount: number }[] = [];
    let before: Record<string, number> = {};
    let unmapped: ReturnType<typeof actualsFromSie>['unmapped'] = [];
    for (let m = 1; m <= lastMonth; m++) {
      const upTo = actualsFromSie(sie, accounts, m);
      for (const [line, amount] of Object.entries(upTo.byLine)) rows.push({ line, month: m, amount: amount - (before[line] ?? 0) });
      before = upTo.byLine;
      unmapped = upTo.unmapped;
    }
    res.json({ ...(await storeActuals(req, rows, `sie:${name}`)), company: sie.company, unmapped, warnings: sie.warnings });
  });

  route(r, { method: 'post', path: '/actuals/:year/csv', summary: 'import the outcome from a CSV file (header line;month;amount, `;` or `,` separated, Swedish decimal comma accepted)', roles: [...WRITERS], params: { year: 'e.g. 2027' }, query: { file: { schema: { type: 'string' }, description: 'the file name, for error messages' } }, response: { example: { year: 2027, rows: 12, through: 3, source: 'csv:utfall.csv' } } }, async (req, res) => {
    await new Promise<void>((resolve, reject) => raw(req, res, (err?: unknown) => (err ? reject(err) : resolve())));
    const name = fileName(req, 'utfall.csv');
    let parsed;
    try {
      parsed = parseActualsCsv(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '', name);
    } catch (err) {
      if (err instanceof ActualsCsvError) throw badRequest([{ field: `${err.file}:${err.line}`, problem: err.problem }]);
      throw err;
    }
    if (parsed.year !== undefined && parsed.year !== year(req)) throw badRequest([{ field: 'year', problem: `the file's months are in ${parsed.year}, not ${year(req)}` }]);
    res.json(await storeActuals(req, parsed.rows.map((x) => ({ line: x.line, month: x.month, amount: Math.round(x.amountKr) })), `csv:${name}`));
  });

  route(r, { method: 'get', path: '/forecast/:year', summary: 'the forecast as it stands: per line and for the result, 3 and 6 months ahead and at year end, from the outcome entered so far, and the policy\'s verdict', roles: [...READERS], params: { year: 'e.g. 2027' }, query: { through: { schema: { type: 'integer', minimum: 0, maximum: 12 }, description: 'the last month of outcome to use (default: the last entered)' } }, response: { example: { throughMonth: 6, result: { budget: -900000, toDate: -450000, at3Months: -675000, at6Months: -900000, yearEnd: -900000 }, verdict: { escalate: true, deficit: 900000 } } } }, async (req, res) => {
    const forbundId = fid(req);
    const y = year(req);
    const through = req.query.through === undefined ? await actualsThrough(prisma, forbundId, y) : Number(req.query.through);
    if (!Number.isInteger(through) || through < 0 || through > 12) throw badRequest([{ field: 'through', problem: 'must be a month from 0 to 12' }]);
    const out = await computeReview(prisma, forbundId, y, through);
    if (!out) throw notFound(`a budget and a financing policy for ${y}`);
    res.json({ ...out.forecast, planned: out.planned, policy: out.policy, verdict: out.verdict });
  });

  /** The budget follow-up for the board as it stands: budget, outcome and forecast per line; the members' contributions. */
  async function followUp(req: Request) {
    const forbundId = fid(req);
    const y = year(req);
    const through = await actualsThrough(prisma, forbundId, y);
    const out = await computeReview(prisma, forbundId, y, through);
    if (!out) throw notFound(`a budget and a financing policy for ${y}`);
    const [forbund, members, b] = await Promise.all([prisma.forbund.findUniqueOrThrow({ where: { id: forbundId } }), prisma.member.findMany({ where: { forbundId }, orderBy: { key: 'asc' } }), yearBudgetOf(prisma, forbundId, y)]);
    const contributions = memberContributions(totals(b!).members, members.map((m) => ({ key: m.key, name: m.name, kind: m.kind, ...(m.sharePercent !== null ? { share: Number(m.sharePercent) } : {}) })));
    return { forbundName: forbund.name, year: y, throughMonth: through, forecast: out.forecast, ...(b!.equityCarriedOver !== undefined ? { equityCarriedOver: b!.equityCarriedOver } : {}), contributions };
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
    const rows = await prisma.forecastReview.findMany({ where: { forbundId: fid(req), year: year(req) }, orderBy: { quarter: 'asc' } });
    const matters = new Map((await prisma.matter.findMany({ where: { id: { in: rows.map((x) => x.matterId).filter((x): x is string => !!x) } }, select: { id: true, dnr: true } })).map((m) => [m.id, m.dnr]));
    res.json({ data: rows.map((x) => ({ quarter: x.quarter, status: x.status, actualsThroughMonth: x.actualsThroughMonth, yearEndResult: x.yearEndResult, withinPolicy: x.withinPolicy, matter: x.matterId ? matters.get(x.matterId) ?? null : null, reviewedAt: x.updatedAt.toISOString(), opened: toStockholmDate(x.createdAt) })) });
  });

  return r;
}

/** A quarterly review waiting for its actuals is the economist's pending step (due ten days after it opened). */
export async function moneyPendingSteps(deps: ApiDeps, forbund: { id: string; slug: string }, today: string): Promise<PendingStep[]> {
  const waiting = await deps.prisma.forecastReview.findMany({ where: { forbundId: forbund.id, status: 'waiting_for_actuals' }, orderBy: [{ year: 'asc' }, { quarter: 'asc' }] });
  if (!waiting.length) return [];
  const economist = (await peopleWithRole(deps.prisma, forbund.id, 'economist'))[0] ?? (await officialOf(deps.prisma, forbund.id));
  return waiting.map((w) =>
    pendingStep(
      {
        type: 'actuals',
        id: w.id,
        title: `Utfall t.o.m. ${['mars', 'juni', 'september', 'december'][w.quarter - 1]} ${w.year} till kvartalets prognos`,
        waitingOn: { role: economist?.roles.includes('economist') ? 'economist' : 'official', name: economist?.name ?? null, email: economist?.email ?? null },
        dueDate: addDays(toStockholmDate(w.createdAt), 10),
        escalated: addDays(toStockholmDate(w.createdAt), 10) < today,
        links: { actuals: `/api/v1/forbund/${forbund.slug}/actuals/${w.year}`, sie: `/api/v1/forbund/${forbund.slug}/actuals/${w.year}/sie` },
      },
      today,
    ),
  );
}
