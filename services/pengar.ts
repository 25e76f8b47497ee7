// The money as stored: a year's budget, its actuals and the projects' committed grants, and the
// quarter's review (forecast and verdict) computed from them with the plain rules.
import { budgetWarnings, memberContributions, totals, type BudgetWarning, type MoneyPolicy, type ProjectCeiling, type YearBudget } from '../domain/budget.js';
import type { FollowUpFacts } from '../domain/budgetuppfoljning.js';
import { toStockholmDate } from '../domain/dates.js';
import { forecast, review, type ForecastResult, type Review } from '../domain/prognos.js';
import { actualsFromSie, parseSie, SieError, type AccountMapping } from '../domain/sie.js';
import { ActualsCsvError, parseActualsCsv } from '../domain/utfall-csv.js';
import type { PrismaClient } from '../prisma/db.js';
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
    lines: lines.map((l) => ({ key: l.key, name: l.name, kind: l.kind as 'income' | 'cost', group: l.group as YearBudget['lines'][number]['group'], amount: Number(l.amount), ...(l.projectKey ? { projectKey: l.projectKey } : {}), ...(l.memberKey ? { memberKey: l.memberKey } : {}) })),
    ...(y?.equityCarriedOver !== null && y?.equityCarriedOver !== undefined ? { equityCarriedOver: Number(y.equityCarriedOver) } : {}),
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
  planned: number;
  policy: MoneyPolicy;
}

/** The forecast from the outcome through `throughMonth`, and the policy's verdict on it. */
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
  const f = forecast({ budget, actuals: actuals.map((a) => ({ lineKey: a.lineKey, month: a.month, amount: Number(a.amount) })), throughMonth, committedGrants });
  const planned = budget.stated?.result ?? f.result.budget;
  return { forecast: f, verdict: review(f, budget.equityCarriedOver, policy, planned), planned, policy };
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
  return {
    projects: projectCosts,
    year: b.year,
    totals: t,
    equityCarriedOver: b.equityCarriedOver ?? null,
    stated: b.stated ?? null,
    lines: b.lines,
    warnings: (y?.warnings ?? []) as unknown as BudgetWarning[],
    contributions: memberContributions(t.members, members),
  };
}

/** Changes a budget line's amount (and name), audited; the plan's warnings are worked out again and stored. */
export async function changeBudgetLine(prisma: PrismaClient, a: { forbundId: string; year: number; key: string; amount: number; name?: string; actor: string }) {
  const { forbundId, year: y } = a;
  const line = await prisma.budgetLine.findUnique({ where: { forbundId_year_key: { forbundId, year: y, key: a.key } } });
  if (!line) throw missing(`budget line "${a.key}" of ${y}`, `Det finns ingen budgetrad ”${a.key}” ${y}.`);
  await prisma.$transaction(async (tx) => {
    await tx.budgetLine.update({ where: { id: line.id }, data: { amount: a.amount, ...(a.name ? { name: a.name } : {}) } });
    await audit(tx, { forbundId, actor: a.actor, action: 'budget.line-changed', entityType: 'budgetLine', entityId: line.id, data: { year: y, key: line.key, from: line.amount, to: a.amount } });
  });
  const b = (await yearBudgetOf(prisma, forbundId, y))!;
  const warnings = budgetWarnings(b, await projectCeilings(prisma, forbundId, y));
  await prisma.budgetYear.upsert({ where: { forbundId_year: { forbundId, year: y } }, create: { forbundId, year: y, warnings: warnings as never }, update: { warnings: warnings as never } });
  return { line: b.lines.find((l) => l.key === line.key), totals: totals(b), warnings, from: line.amount };
}

/**
 * Stores the outcome per line and month (replacing what was there for those months), audited, and
 * tells a review waiting for it; says what it took. Refused (nothing stored) for a year without a
 * budget or a row naming no line of it.
 */
export async function storeActuals(deps: { prisma: PrismaClient; notifier: WorkflowNotifier; now: () => Date }, a: { forbundId: string; year: number; rows: ActualRow[]; source: string; actor: string }) {
  const { prisma } = deps;
  const { forbundId, year: y, rows, source } = a;
  const known = new Set((await prisma.budgetLine.findMany({ where: { forbundId, year: y }, select: { key: true } })).map((l) => l.key));
  if (!known.size) throw missing(`a budget for ${y}`, `Det finns ingen budget för ${y}.`);
  const list = [...known].sort().join(', ');
  const problems: Problem[] = rows.flatMap((row, i) => (known.has(row.line) ? [] : [{ field: `rows[${i}].line`, problem: `no budget line "${row.line}" in ${y}; known: ${list}`, sv: `Det finns ingen budgetrad ”${row.line}” ${y}. Raderna heter ${list}.` }]));
  if (problems.length) throw invalid(problems);
  await prisma.$transaction(async (tx) => {
    for (const row of rows) {
      await tx.actual.upsert({
        where: { forbundId_year_lineKey_month: { forbundId, year: y, lineKey: row.line, month: row.month } },
        create: { forbundId, year: y, lineKey: row.line, month: row.month, amount: row.amount, source, enteredBy: a.actor },
        update: { amount: row.amount, source, enteredBy: a.actor, enteredAt: deps.now() },
      });
    }
    await audit(tx, { forbundId, actor: a.actor, action: 'actuals.entered', entityType: 'year', entityId: String(y), data: { source, rows: rows.length, months: [...new Set(rows.map((x) => x.month))].sort((p, q) => p - q) } });
  });
  // A review waiting for these actuals goes on at once (else at its daily re-read).
  const waiting = await prisma.forecastReview.findMany({ where: { forbundId, year: y, status: 'waiting_for_actuals', workflowId: { not: null } } });
  for (const w of waiting) await deps.notifier.reviewChanged(w.workflowId!, `actuals entered (${source})`);
  return { year: y, rows: rows.length, through: await actualsThrough(prisma, forbundId, y), source };
}

/** A SIE parser's problem in Swedish (the common ones; else a general sentence with the detail). */
export function sieProblemSv(problem: string): string {
  const known: [RegExp, (m: RegExpExecArray) => string][] = [
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
  ];
  for (const [re, sv] of known) {
    const m = re.exec(problem);
    if (m) return sv(m);
  }
  return `Raden går inte att läsa (${problem}).`;
}

/**
 * The outcome in a SIE 4 file, for the year: each month through the last with entries, per budget
 * line as the förbund file's budget.accounts maps the accounts. Refused: no mapping (409), a
 * broken file or a file of another fiscal year (400). Nothing is stored here.
 */
export async function sieActuals(prisma: PrismaClient, forbundId: string, year: number, content: Buffer, name: string) {
  const forbund = await prisma.forbund.findUniqueOrThrow({ where: { id: forbundId } });
  const accounts = ((forbund.moneyPolicy as { accounts?: AccountMapping[] } | null)?.accounts ?? []) as AccountMapping[];
  if (!accounts.length) {
    throw new Refusal(409, 'the förbund file maps no accounts to budget lines (budget.accounts)', 'Förbundsfilen kopplar inga konton till budgetraderna (budget.accounts), så en SIE-fil kan inte läsas in. Lägg in utfallet som CSV i stället.', [
      { field: 'budget.accounts', problem: 'missing in the förbund file', sv: 'Förbundsfilen kopplar inga konton till budgetraderna (budget.accounts), så en SIE-fil kan inte läsas in. Lägg in utfallet som CSV i stället.' },
    ]);
  }
  let sie;
  try {
    sie = parseSie(content, name);
  } catch (err) {
    if (err instanceof SieError) throw invalid([{ field: `${err.file}:${err.line}`, problem: err.problem, sv: `Rad ${err.line} i ${err.file}: ${sieProblemSv(err.problem)}` }]);
    throw err;
  }
  const fy = sie.fiscalYears.find((f) => f.index === 0);
  if (!fy || Number(fy.start.slice(0, 4)) !== year) {
    throw invalid([{ field: 'year', problem: `the file's fiscal year (#RAR 0) is ${fy ? `${fy.start}–${fy.end}` : 'missing'}, not ${year}`, sv: fy ? `Filens räkenskapsår (#RAR 0) är ${fy.start}–${fy.end}, inte ${year}.` : `Filen anger inget räkenskapsår (#RAR 0), så det går inte att se att den gäller ${year}.` }]);
  }
  const lastMonth = Math.max(0, ...sie.verifications.map((v) => Number(v.date.slice(5, 7))), ...sie.periodBalances.filter((p) => p.yearIndex === 0).map((p) => Number(p.period.slice(5, 7))));
  const rows: ActualRow[] = [];
  let before: Record<string, number> = {};
  let unmapped: ReturnType<typeof actualsFromSie>['unmapped'] = [];
  for (let m = 1; m <= lastMonth; m++) {
    const upTo = actualsFromSie(sie, accounts, m);
    for (const [line, amount] of Object.entries(upTo.byLine)) rows.push({ line, month: m, amount: amount - (before[line] ?? 0) });
    before = upTo.byLine;
    unmapped = upTo.unmapped;
  }
  return { rows, company: sie.company, unmapped, warnings: sie.warnings };
}

/**
 * The outcome in a CSV text, for the year, with every problem named by its line (the API's import
 * stops at the first; a page shows them all): each data line is read alone under the header, then
 * the whole file (for what spans lines, as one year per file), and every row's budget line must be
 * one of `knownLines`. Refused with all the problems; nothing is stored here.
 */
export function csvActuals(text: string, name: string, year: number, knownLines: readonly string[]): { rows: ActualRow[] } {
  const problem = (line: number, p: string): Problem => ({ field: `${name}:${line}`, problem: p, sv: `Rad ${line}: ${csvProblemSv(p)}` });
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const headerIdx = lines.findIndex((l) => l.trim() !== '');
  try {
    parseActualsCsv(headerIdx < 0 ? '' : lines[headerIdx], name);
  } catch (err) {
    if (err instanceof ActualsCsvError) throw invalid([problem(err.line + Math.max(0, headerIdx), err.problem)]);
    throw err;
  }
  const problems: Problem[] = [];
  const known = new Set(knownLines);
  const list = [...known].sort().join(', ');
  for (let i = headerIdx + 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    try {
      const one = parseActualsCsv(`${lines[headerIdx]}\n${lines[i]}`, name).rows[0];
      if (one && !known.has(one.line)) problems.push({ field: `${name}:${i + 1}`, problem: `no budget line "${one.line}" in ${year}; known: ${list}`, sv: `Rad ${i + 1}: Det finns ingen budgetrad ”${one.line}” ${year}. Raderna heter ${list}.` });
    } catch (err) {
      if (err instanceof ActualsCsvError) problems.push(problem(i + 1, err.problem));
      else throw err;
    }
  }
  if (problems.length) throw invalid(problems);
  let parsed;
  try {
    parsed = parseActualsCsv(text, name);
  } catch (err) {
    if (err instanceof ActualsCsvError) throw invalid([problem(err.line, err.problem)]);
    throw err;
  }
  if (!parsed.rows.length) throw invalid([{ field: name, problem: 'no rows after the header', sv: 'Filen har bara rubrikraden; inga rader med utfall.' }]);
  if (parsed.year !== undefined && parsed.year !== year) throw invalid([{ field: 'year', problem: `the file's months are in ${parsed.year}, not ${year}`, sv: `Filens månader är i ${parsed.year}, inte ${year}.` }]);
  return { rows: parsed.rows.map((x) => ({ line: x.line, month: x.month, amount: Math.round(x.amountKr) })) };
}

/** The budget follow-up for the board as it stands (the PDF's and the spreadsheet's facts); null without a budget and a policy. */
export async function followUpFacts(prisma: PrismaClient, forbundId: string, year: number): Promise<FollowUpFacts | null> {
  const through = await actualsThrough(prisma, forbundId, year);
  const out = await computeReview(prisma, forbundId, year, through);
  if (!out) return null;
  const [forbund, members, b] = await Promise.all([prisma.forbund.findUniqueOrThrow({ where: { id: forbundId } }), membersOf(prisma, forbundId), yearBudgetOf(prisma, forbundId, year)]);
  const contributions = memberContributions(totals(b!).members, members);
  return { forbundName: forbund.name, year, throughMonth: through, forecast: out.forecast, ...(b!.equityCarriedOver !== undefined ? { equityCarriedOver: b!.equityCarriedOver } : {}), contributions };
}

/** The year's quarterly reviews, with the Dnr of the matter each took to the board. */
export async function reviewsOf(prisma: PrismaClient, forbundId: string, year: number) {
  const rows = await prisma.forecastReview.findMany({ where: { forbundId, year }, orderBy: { quarter: 'asc' } });
  const matters = new Map((await prisma.matter.findMany({ where: { id: { in: rows.map((x) => x.matterId).filter((x): x is string => !!x) } }, select: { id: true, dnr: true } })).map((m) => [m.id, m.dnr]));
  return rows.map((x) => ({ quarter: x.quarter, status: x.status, actualsThroughMonth: x.actualsThroughMonth, yearEndResult: x.yearEndResult, withinPolicy: x.withinPolicy, matter: x.matterId ? matters.get(x.matterId) ?? null : null, reviewedAt: x.updatedAt.toISOString(), opened: toStockholmDate(x.createdAt) }));
}
