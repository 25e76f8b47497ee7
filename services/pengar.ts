// The money as stored: a year's budget, its actuals and the projects' committed grants, and the
// quarter's review (forecast and verdict) computed from them with the plain rules: judged against
// the budget the board adopted (the result of its lines) and the policy as written, from the
// equity at the start the books give. A SIE file is reconciled when read (whose books, which year,
// #IB, #RES), and what it said is kept with the import (a SieImport row): the drill-down
// from a line to its accounts and verifications and the mapping page read it.
// The quarterly review's workflow imports reviewedQuarter from here, so this file is bundled into
// the workflow code too: it imports no node: module (webpack would refuse the bundle).
import { budgetWarnings, isStorableKr, krOf, MAX_AMOUNT_KR, memberContributions, totals, type BudgetWarning, type MoneyPolicy, type ProjectCeiling, type YearBudget } from '../domain/budget.js';
import type { FollowUpFacts } from '../domain/budgetuppfoljning.js';
import { toStockholmDate } from '../domain/dates.js';
import { forecast, review, type ForecastResult, type Review } from '../domain/prognos.js';
import { equityAtStart, formatOre, lineSignedOre, monthlyActualsFromSieSteps, oreToKr, parseSieSteps, resDifferences, SieError, sieIdentity, type AccountMapping } from '../domain/sie.js';
import { CSV_MAX_PROBLEMS, readActualsCsvSteps } from '../domain/utfall-csv.js';
import type { Prisma, PrismaClient } from '../prisma/db.js';
import type { WorkflowNotifier } from './notifier.js';
import { audit } from './audit.js';
import { invalid, missing, Refusal, type Problem } from './refusal.js';

export const quarterOf = (month: number) => Math.floor((month - 1) / 3) + 1;

/** The quarter a review started on `date` (Stockholm) looks back on: the one before. */
export function reviewedQuarter(date: string): { year: number; quarter: number } {
  const [y, m] = date.split('-').map(Number);
  const q = quarterOf(m);
  return q === 1 ? { year: y - 1, quarter: 4 } : { year: y, quarter: q - 1 };
}

export async function yearBudgetOf(prisma: PrismaClient, forbundId: string, year: number): Promise<YearBudget | null> {
  const [lines, y] = await Promise.all([
    prisma.budgetLine.findMany({ where: { forbundId, year }, orderBy: [{ position: 'asc' }, { key: 'asc' }] }),
    prisma.budgetYear.findUnique({ where: { forbundId_year: { forbundId, year } } }),
  ]);
  if (!lines.length) return null;
  return {
    year,
    lines: lines.map((l) => ({ key: l.key, name: l.name, kind: l.kind as 'income' | 'cost', group: l.group as YearBudget['lines'][number]['group'], amount: krOf(l.amount), ...(l.projectKey ? { projectKey: l.projectKey } : {}), ...(l.memberKey ? { memberKey: l.memberKey } : {}) })),
    ...(y?.equityCarriedOver !== null && y?.equityCarriedOver !== undefined ? { equityCarriedOver: krOf(y.equityCarriedOver) } : {}),
    ...(y?.statedTotals ? { stated: y.statedTotals as YearBudget['stated'] } : {}),
  };
}

export const policyOf = (forbund: { moneyPolicy: unknown }): MoneyPolicy | null => ((forbund.moneyPolicy as { policy?: MoneyPolicy } | null)?.policy ?? null);

/** The last month of the year with any outcome entered (0 when none). */
export async function actualsThrough(prisma: PrismaClient, forbundId: string, year: number): Promise<number> {
  const r = await prisma.actual.aggregate({ _max: { month: true }, where: { forbundId, year } });
  return r._max.month ?? 0;
}

export interface ReviewOutcome {
  forecast: ForecastResult;
  verdict: Review;
  /** The adopted budget's result: the result of its lines (the budget table the board adopted). */
  planned: number;
  /** The result the plan states elsewhere when it is not the lines' (Sydnärke 2016: its result budget, −1 075 016 kr): a contradiction of the plan, warned of, never the baseline. */
  statedResult?: number;
  policy: MoneyPolicy;
  /** The equity at the year's start the verdict used: the bookkeeping's opening balance (the latest SIE file's #IB) when known, else the plan's. */
  equityStart?: EquityStart;
}

/** The equity at the start of a year and where it comes from. */
export interface EquityStart {
  kr: number;
  /** `sie`: the opening balance (#IB) of the latest SIE file for the year; `plan`: the förbund file's equityCarriedOver. */
  from: 'sie' | 'plan';
  /** sie: the file. */
  file?: string;
}

/** The equity at the year's start: the bookkeeping's opening balance when a SIE file gave one, else the plan's. */
export async function equityStartOf(prisma: PrismaClient, forbundId: string, year: number, budget: YearBudget | null): Promise<EquityStart | undefined> {
  const sie = await latestSieImport(prisma, forbundId, year);
  if (sie?.equityAtStart) return { kr: Number(oreToKr(BigInt(sie.equityAtStart.ore))), from: 'sie', file: sie.file };
  return budget?.equityCarriedOver !== undefined ? { kr: budget.equityCarriedOver, from: 'plan' } : undefined;
}

/**
 * The forecast from the outcome through `throughMonth`, and the policy's verdict on it: judged
 * against the adopted budget (the result of its lines, not a result the plan states elsewhere)
 * and the policy as written, from the equity at the start the books give (else the plan's).
 */
export async function computeReview(prisma: PrismaClient, forbundId: string, year: number, throughMonth: number): Promise<ReviewOutcome | null> {
  const forbund = await prisma.forbund.findUniqueOrThrow({ where: { id: forbundId } });
  const budget = await yearBudgetOf(prisma, forbundId, year);
  const policy = policyOf(forbund);
  if (!budget || !policy) return null;
  const [actuals, projects] = await Promise.all([
    prisma.actual.findMany({ where: { forbundId, year, month: { lte: throughMonth } } }),
    prisma.project.findMany({ where: { forbundId, status: 'active' }, select: { key: true, grants: true } }),
  ]);
  // A project's grant for the year is committed: the forecast never ends below it.
  const committedGrants = Object.fromEntries(projects.map((p) => [p.key, Number((p.grants as Record<string, number>)[String(year)] ?? 0)]).filter(([, n]) => Number(n) > 0));
  const f = forecast({ budget, actuals: actuals.map((a) => ({ lineKey: a.lineKey, month: a.month, amount: krOf(a.amount) })), throughMonth, committedGrants, ...(policy.materiality ? { materiality: policy.materiality } : {}) });
  const planned = f.result.budget;
  const equityStart = await equityStartOf(prisma, forbundId, year, budget);
  const stated = budget.stated?.result;
  return { forecast: f, verdict: review(f, equityStart?.kr, policy, planned), planned, ...(stated !== undefined && stated !== planned ? { statedResult: stated } : {}), policy, ...(equityStart ? { equityStart } : {}) };
}

// ---------------------------------------------------------------------------
// Shared by the API (api/pengar.ts) and the pages (api/admin/pengar.ts)
// ---------------------------------------------------------------------------

/** The outcome of one budget line in one month, whole kronor. */
export interface ActualRow {
  line: string;
  month: number;
  amount: number;
}

const membersOf = async (prisma: PrismaClient, forbundId: string) =>
  (await prisma.member.findMany({ where: { forbundId }, orderBy: { key: 'asc' } })).map((m) => ({ key: m.key, name: m.name, kind: m.kind, ...(m.sharePercent !== null ? { share: Number(m.sharePercent) } : {}) }));

/** The active projects' grant ceilings for the year (those above zero). */
export async function projectCeilings(prisma: PrismaClient, forbundId: string, year: number): Promise<ProjectCeiling[]> {
  const projects = await prisma.project.findMany({ where: { forbundId, status: 'active' }, select: { key: true, name: true, grants: true } });
  return projects.map((p) => ({ projectKey: p.key, name: p.name, amount: Number((p.grants as Record<string, number>)[String(year)] ?? 0) })).filter((c) => c.amount > 0);
}

/**
 * A year's budget as GET budget/:year answers: its lines, totals and result, the equity carried
 * over, the plan's warnings, each member's contribution, and the projects' reported costs to date
 * (from their latest report of the year) against their grant ceilings. Null: no budget that year.
 */
export async function budgetOverview(prisma: PrismaClient, forbundId: string, year: number) {
  const b = await yearBudgetOf(prisma, forbundId, year);
  if (!b) return null;
  const [y, members] = await Promise.all([prisma.budgetYear.findUnique({ where: { forbundId_year: { forbundId, year: b.year } } }), membersOf(prisma, forbundId)]);
  const t = totals(b);
  const projects = await prisma.project.findMany({
    where: { forbundId, status: 'active' },
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
  const sie = await latestSieImport(prisma, forbundId, b.year);
  return {
    projects: projectCosts,
    year: b.year,
    totals: t,
    equityCarriedOver: b.equityCarriedOver ?? null,
    stated: b.stated ?? null,
    lines: b.lines,
    warnings: (y?.warnings ?? []) as unknown as BudgetWarning[],
    contributions: memberContributions(t.members, members),
    reconciliation: sie ? reconciliationOf(sie) : null,
    ...adoptionOf(y),
  };
}

/** A change of an adopted budget, each by its own decision. */
export interface BudgetRevision {
  at: string;
  by: string;
  what: string;
}

/**
 * Whether the board has adopted the year's budget (the decision, when justerat: "beslut 2026-00031 § 7")
 * and its later revisions, as stored on the year (BudgetYear.adoptedAt, adoptedBy, revisions).
 */
export function adoptionOf(y: { adoptedAt: Date | null; adoptedBy: string | null; revisions: unknown } | null | undefined): { adopted: { at: string; by: string } | null; revisions: BudgetRevision[] } {
  const revisions = (Array.isArray(y?.revisions) ? y.revisions : [])
    .filter((r): r is Record<string, unknown> => !!r && typeof r === 'object')
    .map((r) => ({ at: typeof r.at === 'string' ? r.at : '', by: typeof r.by === 'string' ? r.by : '', what: typeof r.what === 'string' ? r.what : '' }))
    .filter((r) => r.at || r.by || r.what);
  return { adopted: y?.adoptedAt ? { at: y.adoptedAt.toISOString(), by: y.adoptedBy ?? '' } : null, revisions };
}

/** What the latest SIE file of the year said about itself, in whole kronor: whose books, the equity at the start by its #IB, where #RES and the entries disagree. */
export function reconciliationOf(sie: SieImportFacts & { readAt: string }) {
  return {
    file: sie.file,
    readAt: sie.readAt,
    company: sie.company,
    fiscalYear: sie.fiscalYear,
    through: sie.lastMonth,
    equityAtStart: sie.equityAtStart ? { kr: Number(oreToKr(BigInt(sie.equityAtStart.ore))), from: sie.equityAtStart.from, accounts: sie.equityAtStart.accounts } : null,
    resDifferences: sie.resDifferences.map((d) => ({ account: d.account, ...(d.name ? { name: d.name } : {}), res: formatOre(BigInt(d.resOre)), entries: formatOre(BigInt(d.entriesOre)), difference: formatOre(BigInt(d.resOre) - BigInt(d.entriesOre)) })),
    warnings: sie.warnings,
  };
}

/** Changes a budget line's amount (and name), audited; the plan's warnings are worked out again and stored. */
export async function changeBudgetLine(prisma: PrismaClient, a: { forbundId: string; year: number; key: string; amount: number; name?: string; actor: string }) {
  const { forbundId, year: y } = a;
  if (!isStorableKr(a.amount) || a.amount < 0) throw invalid([{ field: 'amount', problem: `must be whole kronor from 0 to ${spacedKr(MAX_AMOUNT_KR)}`, sv: `Beloppet ska vara hela kronor, från 0 till ${spacedKr(MAX_AMOUNT_KR)} kronor.` }]);
  const line = await prisma.budgetLine.findUnique({ where: { forbundId_year_key: { forbundId, year: y, key: a.key } } });
  if (!line) throw missing(`budget line "${a.key}" of ${y}`, `Det finns ingen budgetrad ”${a.key}” ${y}.`);
  const from = krOf(line.amount);
  await prisma.$transaction(async (tx) => {
    await tx.budgetLine.update({ where: { id: line.id }, data: { amount: a.amount, ...(a.name ? { name: a.name } : {}) } });
    await audit(tx, { forbundId, actor: a.actor, action: 'budget.line-changed', entityType: 'budgetLine', entityId: line.id, data: { year: y, key: line.key, from, to: a.amount } });
  });
  const b = (await yearBudgetOf(prisma, forbundId, y))!;
  const warnings = budgetWarnings(b, await projectCeilings(prisma, forbundId, y));
  await prisma.budgetYear.upsert({ where: { forbundId_year: { forbundId, year: y } }, create: { forbundId, year: y, warnings: warnings as never }, update: { warnings: warnings as never } });
  return { line: b.lines.find((l) => l.key === line.key), totals: totals(b), warnings, from };
}

/**
 * Stores the outcome per line and month (replacing what was there for those months), audited, and
 * tells a review waiting for it; says what it took. Refused (nothing stored) for a year without a
 * budget or a row naming no line of it.
 */
export async function storeActuals(deps: { prisma: PrismaClient; notifier: WorkflowNotifier; now: () => Date }, a: { forbundId: string; year: number; rows: ActualRow[]; source: string; actor: string; sie?: SieImportFacts }) {
  const { prisma } = deps;
  const { forbundId, year: y, rows, source } = a;
  const known = new Set((await prisma.budgetLine.findMany({ where: { forbundId, year: y }, select: { key: true } })).map((l) => l.key));
  if (!known.size) throw missing(`a budget for ${y}`, `Det finns ingen budget för ${y}.`);
  const list = [...known].sort().join(', ');
  const problems: Problem[] = [];
  /** The row of each line and month, to refuse the same twice (which would leave one of them silently). */
  const seen = new Map<string, number>();
  rows.forEach((row, i) => {
    if (!known.has(row.line)) problems.push({ field: `rows[${i}].line`, problem: `no budget line "${row.line}" in ${y}; known: ${list}`, sv: `Det finns ingen budgetrad ”${row.line}” ${y}. Raderna heter ${list}.` });
    if (!isStorableKr(row.amount)) problems.push({ field: `rows[${i}].amount`, problem: `must be whole kronor from −${spacedKr(MAX_AMOUNT_KR)} to ${spacedKr(MAX_AMOUNT_KR)}`, sv: `Beloppet för ”${row.line}” ${MONTHS_SV[row.month - 1] ?? row.month} ska vara hela kronor, högst ${spacedKr(MAX_AMOUNT_KR)} kronor.` });
    const key = `${row.month}\u0000${row.line}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) problems.push({ field: `rows[${i}]`, problem: `budget line "${row.line}", month ${row.month} is also in rows[${earlier}]: one row per line and month`, sv: `Budgetraden ”${row.line}” finns två gånger för ${MONTHS_SV[row.month - 1] ?? row.month} (rad ${earlier + 1} och ${i + 1}). En rad per budgetrad och månad.` });
    else seen.set(key, i);
  });
  if (problems.length) throw invalid(problems);
  await prisma.$transaction(async (tx) => {
    // One statement for all the rows (a row per line and month, replaced when there is one): row by
    // row, an import of a year's lines took a statement and a data_version bump each.
    const data = rows.map((row) => ({ lineKey: row.line, month: row.month, amount: row.amount }));
    await tx.$executeRaw`
      INSERT INTO "Actual" ("id", "forbundId", "year", "lineKey", "month", "amount", "source", "enteredBy")
      SELECT gen_random_uuid()::text, ${forbundId}::text, ${y}::integer, r."lineKey", r."month", r."amount", ${source}::text, ${a.actor}::text
      FROM jsonb_to_recordset(${JSON.stringify(data)}::jsonb) AS r("lineKey" text, "month" integer, "amount" bigint)
      ON CONFLICT ("forbundId", "year", "lineKey", "month")
      DO UPDATE SET "amount" = EXCLUDED."amount", "source" = EXCLUDED."source", "enteredBy" = EXCLUDED."enteredBy", "enteredAt" = ${deps.now().toISOString()}::timestamp(3)`;
    const sie = a.sie ? await tx.sieImport.create({ data: { forbundId, year: y, fileName: a.sie.file, readBy: a.actor, facts: a.sie as unknown as Prisma.InputJsonValue } }) : undefined;
    // The audit event names the file and what it found in a line; the facts themselves are the SieImport row's.
    const found = a.sie ? { sie: { id: sie!.id, file: a.sie.file, orgNr: a.sie.company.orgNr ?? null, equityAtStartOre: a.sie.equityAtStart?.ore ?? null, resDifferences: a.sie.resDifferences.length, warnings: a.sie.warnings.length } } : {};
    await audit(tx, { forbundId, actor: a.actor, action: 'actuals.entered', entityType: 'year', entityId: String(y), data: { source, rows: rows.length, months: [...new Set(rows.map((x) => x.month))].sort((p, q) => p - q), ...found } });
  });
  // A review waiting for these actuals goes on at once (else at its daily re-read).
  const waiting = await prisma.forecastReview.findMany({ where: { forbundId, year: y, status: 'waiting_for_actuals', workflowId: { not: null } } });
  for (const w of waiting) await deps.notifier.reviewChanged(w.workflowId!, `actuals entered (${source})`);
  return { year: y, rows: rows.length, through: await actualsThrough(prisma, forbundId, y), source };
}

const MONTHS_SV = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];
/** 1000000000000 → '1 000 000 000 000' */
const spacedKr = (n: number | bigint | string) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');

/**
 * Runs a parser's steps to the end, letting the event loop turn after each (setImmediate): a large
 * upload is read in slices of a few milliseconds while other requests go on, instead of holding
 * the process for the seconds a million lines take. `onSlice` (tests) is told after each slice.
 */
export async function sliced<T>(steps: Generator<void, T, void>, onSlice?: () => void): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    onSlice?.();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/**
 * How many files of the outcome are read at once: a 20 MB file holds its text (20–40 MB) and takes
 * seconds of work while it is read, so a burst of uploads waits its turn, each then read at full
 * pace, rather than all read together, slowly and with all their texts in memory.
 */
export const READING_AT_ONCE = 2;
let reading = 0;
const waitingToRead: (() => void)[] = [];

/** Runs `work` when fewer than READING_AT_ONCE files are being read (in the order asked). */
async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  if (reading < READING_AT_ONCE) reading += 1;
  else await new Promise<void>((resolve) => waitingToRead.push(resolve)); // handed the turn of one that ends
  try {
    return await work();
  } finally {
    const next = waitingToRead.shift();
    if (next) next();
    else reading -= 1;
  }
}

/** The most bytes a SIE or CSV file of the outcome may have, in the API and on the pages. */
export const UPLOAD_LIMIT_BYTES = 20 * 1024 * 1024;
/** The limit as said to people: '20 MB'. */
export const UPLOAD_LIMIT_TEXT = `${UPLOAD_LIMIT_BYTES / 1024 / 1024} MB`;

/** A CSV file's text: UTF-8 (as "CSV UTF-8" from Excel), else Windows' Latin-1 (Excel's plain "CSV"). */
export function csvTextOf(bytes: Buffer): string {
  const utf8 = bytes.toString('utf8');
  return utf8.includes('\uFFFD') ? bytes.toString('latin1') : utf8;
}

/** A SIE parser's problem in Swedish (the common ones; else a general sentence with the detail). */
export function sieProblemSv(problem: string): string {
  const known: [RegExp, (m: RegExpExecArray) => string][] = [
    [/^the line is (\d+) characters long; a SIE line has at most (\d+)/, (m) => `Raden är ${spacedKr(m[1])} tecken lång; en rad i en SIE-fil har högst ${spacedKr(m[2])}. Är det verkligen en SIE-fil?`],
    [/amount "(.*)" is too large to count exactly/, (m) => `Beloppet ”${m[1]}” är för stort för att räknas exakt.`],
    [/unterminated quoted field/, () => 'Ett citattecken (") stängs inte på raden.'],
    [/^#VER on line (\d+) must be followed by a line with \{/, (m) => `Verifikationen på rad ${m[1]} ska följas av en rad med {.`],
    [/^\{ without a #VER before it/, () => 'En { utan någon #VER före.'],
    [/^\} without an open #VER block/, () => 'En } utan någon öppen verifikation (#VER).'],
    [/^#VER (.*) is not closed with \}/, (m) => `Verifikationen ${m[1]} avslutas inte med }.`],
    [/bad (.*) "(.*)" \(expected a real date YYYYMMDD\)/, (m) => `Datumet ”${m[2]}” är inget riktigt datum (ska skrivas ÅÅÅÅMMDD).`],
    [/bad account number "(.*)"/, (m) => `Kontonumret ”${m[1]}” går inte att läsa.`],
    [/bad period "(.*)"/, (m) => `Perioden ”${m[1]}” går inte att läsa (ska skrivas ÅÅÅÅMM).`],
    [/^(#\w+) outside a #VER block/, (m) => `${m[1]} står utanför en verifikation (#VER).`],
    [/the fiscal year ends \((.*)\) before it starts \((.*)\)/, (m) => `Räkenskapsåret slutar (${m[1]}) innan det börjar (${m[2]}).`],
  ];
  for (const [re, sv] of known) {
    const m = re.exec(problem);
    if (m) return sv(m);
  }
  return `Raden går inte att läsa som SIE 4 (${problem}).`;
}

/** A CSV reader's problem in Swedish. */
export function csvProblemSv(problem: string): string {
  const known: [RegExp, (m: RegExpExecArray) => string][] = [
    [/^empty file/, () => 'Filen är tom. Första raden ska vara rubrikerna line;month;amount (eller rad;månad;belopp).'],
    [/^unterminated quoted field in the header/, () => 'Ett citattecken (") i rubrikraden stängs inte.'],
    [/^the header .* has no (line|month|amount) column/, (m) => `Rubrikraden saknar kolumnen för ${{ line: 'budgetrad', month: 'månad', amount: 'belopp' }[m[1]]}. Skriv rubrikerna som line;month;amount eller rad;månad;belopp.`],
    [/^unterminated quoted field/, () => 'Ett citattecken (") stängs inte.'],
    [/^expected (\d+) fields separated by "(.)", found (\d+)( \(a decimal comma)?/, (m) => `Raden ska ha ${m[1]} fält åtskilda med ${m[2]}, men har ${m[3]}.${m[4] ? ' Står beloppet med decimalkomma? Sätt det inom citattecken eller skilj fälten åt med semikolon.' : ''}`],
    [/^empty budget line/, () => 'Budgetraden saknas.'],
    [/^month (\S+) is in (\d+), but line (\d+) is in (\d+)/, (m) => `Månaden ${m[1]} är i ${m[2]}, men rad ${m[3]} är i ${m[4]}. En fil får bara ha ett år.`],
    [/^bad month "(.*)"/, (m) => `Månaden ”${m[1]}” går inte att läsa. Skriv 1–12 eller ÅÅÅÅ-MM.`],
    [/^bad amount "(.*)"/, (m) => `Beloppet ”${m[1]}” går inte att läsa. Skriv kronor, till exempel 1 234,50 eller -80.`],
    [/^amount "(.*)" is more than ([\d ]+) kr/, (m) => `Beloppet ”${m[1]}” är mer än ${m[2]} kronor, det mesta ett belopp får vara.`],
    [/^budget line "(.*)", month (\d+) \(\w+\) is also on line (\d+)/, (m) => `Budgetraden ”${m[1]}” för ${MONTHS_SV[Number(m[2]) - 1]} finns redan på rad ${m[3]}. En rad per budgetrad och månad: lägg ihop beloppen eller ta bort den ena raden.`],
    [/^the line is longer than (\d+) characters/, (m) => `Raden är längre än ${spacedKr(m[1])} tecken. Är det verkligen en CSV-fil med utfall?`],
  ];
  for (const [re, sv] of known) {
    const m = re.exec(problem);
    if (m) return sv(m);
  }
  return `Raden går inte att läsa (${problem}).`;
}

/** The most warnings an answer lists (a file can give one per line); the rest are counted. */
const WARNINGS_SHOWN = 100;

/** The most transactions on result accounts an import keeps for the drill-down (a förbund's year has some hundreds to a few thousand); the rest are counted. */
export const SIE_VOUCHERS_KEPT = 5_000;

/**
 * What an import of a SIE file found, kept with the import (a SieImport row): the file, whose books and which year, the equity at the year's start by its opening
 * balances, where #RES and the entries disagree, each result account's outcome and line, and the
 * transactions behind them (at most SIE_VOUCHERS_KEPT). Amounts in öre as decimal strings (exact,
 * however large). The drill-down from a budget line and the mapping page read it.
 */
export interface SieImportFacts {
  file: string;
  program?: string;
  company: { name?: string; orgNr?: string };
  fiscalYear: { start: string; end: string };
  /** The last month of the fiscal year with entries (the outcome runs through it). */
  lastMonth: number;
  source: 'verifications' | 'periodBalances' | 'none';
  equityAtStart?: { ore: string; from: 'equity-accounts' | 'net-assets'; accounts: string[] };
  resDifferences: { account: string; name?: string; resOre: string; entriesOre: string }[];
  /** Result accounts with entries in the fiscal year: booked öre (debit positive) and the line mapping them. */
  accounts: { account: string; name?: string; line?: string; bookedOre: string }[];
  /** [account, series, number, date, text, öre as booked] */
  vouchers: [string, string, string, string, string, number][];
  vouchersLeftOut: number;
  /** What could not be checked (no #ORGNR, no organisation number for the förbund). */
  warnings: string[];
}

/** The facts of the latest SIE file read for the year (null when none has been). */
export async function latestSieImport(prisma: PrismaClient, forbundId: string, year: number): Promise<(SieImportFacts & { readAt: string; by: string }) | null> {
  const row = await prisma.sieImport.findFirst({ where: { forbundId, year }, orderBy: [{ readAt: 'desc' }, { id: 'desc' }] });
  return row ? { ...(row.facts as unknown as SieImportFacts), readAt: row.readAt.toISOString(), by: row.readBy } : null;
}

/** The outcome read from a SIE file: the rows to store, and what the file said besides. */
export interface SieRead {
  rows: ActualRow[];
  company: { name?: string; orgNr?: string };
  unmapped: { account: string; name?: string; amountKr: number }[];
  warnings: { line: number; problem: string }[];
  warningsLeftOut?: number;
  facts: SieImportFacts;
}

/**
 * The outcome in a SIE 4 file, for the year: each month through the last with entries, per budget
 * line as the förbund file's budget.accounts maps the accounts. Read in slices (sliced), so a file
 * of a million lines does not hold the event loop, in turn (at most READING_AT_ONCE files at once),
 * and with the verifications summed as they are read rather than kept (but for the transactions on
 * result accounts the drill-down shows, at most SIE_VOUCHERS_KEPT). Refused: no mapping (409), a
 * broken file, another organisation's books (#ORGNR not the förbund's organisation number), a file
 * of another fiscal year, or a line's month beyond what one figure may be (400), each naming the
 * file. Nothing is stored here. At most 100 warnings are given, with how many more there were.
 */
export async function sieActuals(prisma: PrismaClient, forbundId: string, year: number, content: Buffer, name: string, onSlice?: () => void): Promise<SieRead> {
  const forbund = await prisma.forbund.findUniqueOrThrow({ where: { id: forbundId } });
  const accounts = ((forbund.moneyPolicy as { accounts?: AccountMapping[] } | null)?.accounts ?? []) as AccountMapping[];
  if (!accounts.length) {
    throw new Refusal(409, 'the förbund file maps no accounts to budget lines (budget.accounts)', 'Förbundsfilen kopplar inga konton till budgetraderna (budget.accounts), så en SIE-fil kan inte läsas in. Lägg in utfallet som CSV i stället.', [
      { field: 'budget.accounts', problem: 'missing in the förbund file', sv: 'Förbundsfilen kopplar inga konton till budgetraderna (budget.accounts), så en SIE-fil kan inte läsas in. Lägg in utfallet som CSV i stället.' },
    ]);
  }
  const { sie, monthly, identity, equity, vouchers } = await inTurn(async () => {
    let sie;
    try {
      sie = await sliced(parseSieSteps(content, name, { sumVerifications: true, keepVouchers: SIE_VOUCHERS_KEPT }), onSlice);
    } catch (err) {
      if (err instanceof SieError) throw invalid([{ field: `${err.file}:${err.line}`, problem: err.problem, sv: `Rad ${err.line} i ${err.file}: ${sieProblemSv(err.problem)}` }]);
      throw err;
    }
    // Whose books, and which year: another organisation's file or another year's is refused before anything is summed.
    const identity = sieIdentity(sie, { ...(forbund.organisationNumber ? { orgNr: forbund.organisationNumber } : {}), year });
    if (identity.problems.length) throw invalid(identity.problems.map((p) => ({ field: p.kind === 'year' ? 'year' : name, problem: p.kind === 'year' ? p.problem : `${name}: ${p.problem}`, sv: p.sv })));
    // Only what is kept leaves the turn: the parsed file (its verifications) is let go with it.
    const monthly = await sliced(monthlyActualsFromSieSteps(sie, accounts), onSlice);
    return {
      sie: { company: sie.company, program: sie.program, warnings: sie.warnings, warningsLeftOut: sie.warningsLeftOut, results: sie.results, accounts: sie.accounts },
      monthly,
      identity,
      equity: equityAtStart(sie),
      vouchers: { refs: sie.vouchers ?? [], leftOut: sie.vouchersLeftOut ?? 0 },
    };
  });
  const rows: ActualRow[] = [];
  const problems: Problem[] = [];
  const max = BigInt(MAX_AMOUNT_KR);
  for (const r of monthly.rows) {
    if (r.amountKr >= -max && r.amountKr <= max) rows.push({ line: r.line, month: r.month, amount: Number(r.amountKr) });
    else {
      problems.push({
        field: `${name}: ${r.line}, month ${r.month}`,
        problem: `the outcome of budget line "${r.line}" in month ${r.month}, ${spacedKr(r.amountKr)} kr, is more than ${spacedKr(MAX_AMOUNT_KR)} kr either way, the most one figure may be`,
        sv: `Utfallet för budgetraden ”${r.line}” i ${MONTHS_SV[r.month - 1] ?? `månad ${r.month}`} blir ${spacedKr(r.amountKr)} kronor enligt ${name}, mer än ${spacedKr(MAX_AMOUNT_KR)} kronor, det mesta ett belopp får vara.`,
      });
    }
  }
  if (problems.length) throw invalid(problems);
  const differences = resDifferences(sie, monthly.accounts, monthly.source);
  const resultAccounts = monthly.accounts.filter((x) => /^[3-8]/.test(x.account));
  const facts: SieImportFacts = {
    file: name,
    ...(sie.program ? { program: sie.program } : {}),
    company: { ...sie.company },
    fiscalYear: monthly.fiscalYear,
    lastMonth: monthly.lastMonth,
    source: monthly.source,
    ...(equity ? { equityAtStart: { ore: String(equity.ore), from: equity.from, accounts: equity.accounts } } : {}),
    resDifferences: differences.map((d) => ({ account: d.account, ...(d.name ? { name: d.name } : {}), resOre: String(d.resOre), entriesOre: String(d.entriesOre) })),
    accounts: resultAccounts.map((x) => ({ account: x.account, ...(x.name ? { name: x.name } : {}), ...(x.line !== undefined ? { line: x.line } : {}), bookedOre: String(x.bookedOre) })),
    vouchers: vouchers.refs.map((v) => [v.account, v.series, v.number, v.date, v.text ?? '', v.amountOre]),
    vouchersLeftOut: vouchers.leftOut,
    warnings: identity.warnings,
  };
  const resWarnings = differences.map((d) => ({ line: d.line ?? 0, problem: `#RES for account ${d.account}${d.name ? ` (${d.name})` : ''} is ${formatOre(d.resOre)}, but its entries in the fiscal year sum to ${formatOre(d.entriesOre)}: a difference of ${formatOre(d.resOre - d.entriesOre)}` }));
  // What could not be checked (no #ORGNR) is said in the reconciliation; #RES differing from the entries is a warning on the file's line.
  const all = [...resWarnings, ...sie.warnings].sort((p, q) => p.line - q.line);
  const warnings = all.slice(0, WARNINGS_SHOWN);
  const warningsLeftOut = all.length - warnings.length + sie.warningsLeftOut;
  return { rows, company: sie.company, unmapped: monthly.unmapped, warnings, ...(warningsLeftOut ? { warningsLeftOut } : {}), facts };
}

/**
 * The outcome in a CSV text, for the year, with every problem named by its line (the API and the
 * pages show them all; the file's line numbers): the header, each data line (a budget line and
 * month given twice names both lines), one year per file, and every row's budget line must be one
 * of `knownLines`. Read in slices (sliced), in turn. Refused with all the problems; nothing is stored here.
 */
export async function csvActuals(text: string, name: string, year: number, knownLines: readonly string[], onSlice?: () => void): Promise<{ rows: ActualRow[] }> {
  const problem = (line: number, p: string): Problem => ({ field: `${name}:${line}`, problem: p, sv: `Rad ${line}: ${csvProblemSv(p)}` });
  const read = await inTurn(() => sliced(readActualsCsvSteps(text, name, { all: true }), onSlice));
  const problems: (Problem & { line: number })[] = read.problems.map((e) => ({ ...problem(e.line, e.problem), line: e.line }));
  const known = new Set(knownLines);
  const list = [...known].sort().join(', ');
  read.rows.forEach((row, i) => {
    const line = read.lineNumbers[i];
    if (!known.has(row.line)) problems.push({ field: `${name}:${line}`, problem: `no budget line "${row.line}" in ${year}; known: ${list}`, sv: `Rad ${line}: Det finns ingen budgetrad ”${row.line}” ${year}. Raderna heter ${list}.`, line });
  });
  if (problems.length) {
    // At most CSV_MAX_PROBLEMS named (a broken file of a million lines has a million problems), then how many more.
    const shown = problems.sort((a, b) => a.line - b.line).slice(0, CSV_MAX_PROBLEMS).map(({ line: _, ...p }): Problem => p);
    const more = problems.length - shown.length + read.problemsLeftOut;
    if (more) shown.push({ field: name, problem: `${more} more ${more === 1 ? 'problem' : 'problems'} in the file`, sv: `Och ${more} fel till i filen.` });
    throw invalid(shown);
  }
  if (!read.rows.length) throw invalid([{ field: name, problem: 'no rows after the header', sv: 'Filen har bara rubrikraden; inga rader med utfall.' }]);
  if (read.year !== undefined && read.year !== year) throw invalid([{ field: 'year', problem: `the file's months are in ${read.year}, not ${year}`, sv: `Filens månader är i ${read.year}, inte ${year}.` }]);
  return { rows: read.rows.map((x) => ({ line: x.line, month: x.month, amount: Math.round(x.amountKr) })) };
}

/** The budget follow-up for the board as it stands (the PDF's and the spreadsheet's facts); null without a budget and a policy. */
export async function followUpFacts(prisma: PrismaClient, forbundId: string, year: number): Promise<FollowUpFacts | null> {
  const through = await actualsThrough(prisma, forbundId, year);
  const out = await computeReview(prisma, forbundId, year, through);
  if (!out) return null;
  const [forbund, members, b] = await Promise.all([prisma.forbund.findUniqueOrThrow({ where: { id: forbundId } }), membersOf(prisma, forbundId), yearBudgetOf(prisma, forbundId, year)]);
  const contributions = memberContributions(totals(b!).members, members);
  return { forbundName: forbund.name, year, throughMonth: through, forecast: out.forecast, ...(out.equityStart ? { equityCarriedOver: out.equityStart.kr, equityFrom: out.equityStart.from } : {}), contributions };
}

/** The year's quarterly reviews, with the Dnr of the matter each took to the board. */
export async function reviewsOf(prisma: PrismaClient, forbundId: string, year: number) {
  const rows = await prisma.forecastReview.findMany({ where: { forbundId, year }, orderBy: { quarter: 'asc' } });
  const matters = new Map((await prisma.matter.findMany({ where: { id: { in: rows.map((x) => x.matterId).filter((x): x is string => !!x) } }, select: { id: true, dnr: true } })).map((m) => [m.id, m.dnr]));
  return rows.map((x) => ({ quarter: x.quarter, status: x.status, actualsThroughMonth: x.actualsThroughMonth, yearEndResult: x.yearEndResult === null ? null : krOf(x.yearEndResult), withinPolicy: x.withinPolicy, matter: x.matterId ? matters.get(x.matterId) ?? null : null, reviewedAt: x.updatedAt.toISOString(), opened: toStockholmDate(x.createdAt) }));
}

// ---------------------------------------------------------------------------
// The drill-down: a budget line to its accounts and verifications; the mapping on one page
// ---------------------------------------------------------------------------

const mappingOf = (forbund: { moneyPolicy: unknown }): AccountMapping[] => ((forbund.moneyPolicy as { accounts?: AccountMapping[] } | null)?.accounts ?? []) as AccountMapping[];

/** One verification's transaction on an account, as the line counts it (income turned positive), öre. */
export interface DrillVoucher {
  series: string;
  number: string;
  date: string;
  text: string;
  amountOre: number;
}

export interface DrillAccount {
  account: string;
  name?: string;
  /** The account's outcome over the file's months, as the line counts it (income positive), öre as a decimal string, and whole kronor. */
  amountOre: string;
  amountKr: number;
  vouchers: DrillVoucher[];
}

/**
 * A budget line traced to the bookkeeping: the accounts the förbund file maps to it, the outcome
 * stored for it, and from the latest SIE file for the year each of its accounts with its outcome
 * and the verifications behind it. Null: no such line that year.
 */
export async function lineDrillDown(prisma: PrismaClient, forbundId: string, year: number, key: string) {
  const [forbund, line] = await Promise.all([prisma.forbund.findUniqueOrThrow({ where: { id: forbundId } }), prisma.budgetLine.findUnique({ where: { forbundId_year_key: { forbundId, year, key } } })]);
  if (!line) return null;
  const patterns = mappingOf(forbund).find((m) => m.line === key)?.accounts ?? [];
  const sie = await latestSieImport(prisma, forbundId, year);
  const through = sie?.lastMonth ?? (await actualsThrough(prisma, forbundId, year));
  const actuals = await prisma.actual.findMany({ where: { forbundId, year, lineKey: key }, orderBy: { month: 'asc' } });
  const storedThrough = actuals.filter((a) => a.month <= through).reduce((s, a) => s + krOf(a.amount), 0);
  let fromSie = null;
  if (sie) {
    const accounts: DrillAccount[] = sie.accounts
      .filter((x) => x.line === key)
      .map((x) => {
        const ore = lineSignedOre(x.account, BigInt(x.bookedOre));
        const vouchers = sie.vouchers
          .filter((v) => v[0] === x.account)
          .map((v): DrillVoucher => ({ series: v[1], number: v[2], date: v[3], text: v[4], amountOre: Number(lineSignedOre(x.account, BigInt(v[5]))) }))
          .sort((p, q) => p.date.localeCompare(q.date) || p.series.localeCompare(q.series) || p.number.localeCompare(q.number, 'sv', { numeric: true }));
        return { account: x.account, ...(x.name ? { name: x.name } : {}), amountOre: String(ore), amountKr: Number(oreToKr(ore)), vouchers };
      });
    const totalOre = accounts.reduce((s, x) => s + BigInt(x.amountOre), 0n);
    const totalKr = Number(oreToKr(totalOre));
    fromSie = { file: sie.file, readAt: sie.readAt, fiscalYear: sie.fiscalYear, through: sie.lastMonth, accounts, totalKr, matchesStored: totalKr === storedThrough, vouchersLeftOut: sie.vouchersLeftOut };
  }
  return {
    year,
    line: { key: line.key, name: line.name, kind: line.kind as 'income' | 'cost', group: line.group, budget: krOf(line.amount) },
    accounts: patterns,
    stored: { through, toDate: storedThrough, months: actuals.map((a) => ({ month: a.month, amount: krOf(a.amount), source: a.source })) },
    sie: fromSie,
  };
}

/**
 * The mapping from accounts to budget lines on one page: per line of the year its account
 * patterns (budget.accounts in the förbund file) and the accounts of the latest SIE file that
 * landed in it, with their names and outcome; the file's result accounts no line maps; the lines
 * no account maps. Null: no budget that year.
 */
export async function accountMap(prisma: PrismaClient, forbundId: string, year: number) {
  const [forbund, b] = await Promise.all([prisma.forbund.findUniqueOrThrow({ where: { id: forbundId } }), yearBudgetOf(prisma, forbundId, year)]);
  if (!b) return null;
  const mapping = mappingOf(forbund);
  const sie = await latestSieImport(prisma, forbundId, year);
  const seen = (key: string) =>
    (sie?.accounts ?? [])
      .filter((x) => x.line === key)
      .map((x) => {
        const ore = lineSignedOre(x.account, BigInt(x.bookedOre));
        return { account: x.account, ...(x.name ? { name: x.name } : {}), amountKr: Number(oreToKr(ore)) };
      });
  return {
    year,
    file: sie ? { name: sie.file, readAt: sie.readAt, through: sie.lastMonth, company: sie.company } : null,
    lines: b.lines.map((l) => ({ key: l.key, name: l.name, kind: l.kind, group: l.group, accounts: mapping.find((m) => m.line === l.key)?.accounts ?? [], seen: seen(l.key) })),
    unmapped: (sie?.accounts ?? [])
      .filter((x) => x.line === undefined && x.bookedOre !== '0')
      .map((x) => ({ account: x.account, ...(x.name ? { name: x.name } : {}), amountKr: Number(oreToKr(lineSignedOre(x.account, BigInt(x.bookedOre)))) })),
  };
}
