// Funding applications (matters of kind funding_application) and the grants the board decides on
// them. A matter may carry what it applies for (Matter.funding: the project, the budget year, whole
// kronor, and the budget line it draws on); when the protokoll with its decision is justerat,
// applyFundingDecision sets the project's grant for that year, unless the decision refuses it
// (domain/beviljning.ts), audited as project.granted (or project.grant-refused). The project's
// grant decisions are read back from those audit events (GET projects/:key, grantDecisions).
//
// The budget line a funding application names is recorded with the application and with the grant
// (in the audit event); the line's own amount is not changed (the budget is the board's own
// decision, changed on the money pages).
import { parseIsoDate } from '../domain/dates.js';
import { fundingOf, FUNDING_LINE_GROUPS, grantOutcome, MAX_FUNDING_KR, type Funding } from '../domain/beviljning.js';
import { fundingText, grantDecisionText } from '../domain/texts.js';
import type { Prisma, PrismaClient } from '../prisma/db.js';
import { audit } from './audit.js';
import type { Problem } from './refusal.js';

type Db = PrismaClient | Prisma.TransactionClient;

/** A funding application as sent (POST matters, field funding): checked by fundingProblems. */
export interface FundingInput {
  projectKey?: unknown;
  year?: unknown;
  amount?: unknown;
  budgetLineKey?: unknown;
}

/**
 * What is wrong with a matter's funding, each field named (funding.projectKey, funding.year,
 * funding.amount, funding.budgetLineKey; funding on a matter of another kind), or nothing:
 * - the project is one of the förbund's, by key;
 * - the year is a whole number within the project's period (its start year to its end year);
 * - the amount is whole kronor, more than 0 and at most 1 000 000 000;
 * - a budget line, when named, is a cost line of that year of group project or administration
 *   (a project line of another project is refused).
 */
export async function fundingProblems(db: Db, forbundId: string, kind: string, raw: unknown): Promise<Problem[]> {
  if (raw === undefined || raw === null) return [];
  if (kind !== 'funding_application') {
    return [{ field: 'funding', problem: 'only a matter of kind funding_application applies for funding', sv: 'Bara ett ärende av slaget ansökan om medel kan ange sökta medel.' }];
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) return [{ field: 'funding', problem: 'must be an object { projectKey, year, amount, budgetLineKey? }', sv: 'Ange insats, år och belopp.' }];
  const f = raw as FundingInput;
  const problems: Problem[] = [];
  const unknown = Object.keys(f).filter((k) => !['projectKey', 'year', 'amount', 'budgetLineKey'].includes(k));
  for (const k of unknown) problems.push({ field: `funding.${k}`, problem: 'unknown field', sv: 'Okänt fält.' });

  let project: { key: string; startDate: Date; endDate: Date } | null = null;
  if (typeof f.projectKey !== 'string' || !f.projectKey) problems.push({ field: 'funding.projectKey', problem: 'is required: the key of a project of the förbund', sv: 'Välj insatsen som ansökan gäller.' });
  else {
    project = await db.project.findUnique({ where: { forbundId_key: { forbundId, key: f.projectKey } }, select: { key: true, startDate: true, endDate: true } });
    if (!project) problems.push({ field: 'funding.projectKey', problem: `unknown project "${f.projectKey}"`, sv: 'Insatsen finns inte i förbundet.' });
  }

  let year: number | null = null;
  if (typeof f.year !== 'number' || !Number.isInteger(f.year)) problems.push({ field: 'funding.year', problem: 'must be a year, a whole number such as 2027', sv: 'Ange året med fyra siffror, till exempel 2027.' });
  else if (project) {
    const first = parseIsoDate(project.startDate.toISOString().slice(0, 10)).year;
    const last = parseIsoDate(project.endDate.toISOString().slice(0, 10)).year;
    if (f.year < first || f.year > last) problems.push({ field: 'funding.year', problem: `must be a year of the project's period, ${first}–${last}`, sv: `Året ska ligga inom insatsens period, ${first}–${last}.` });
    else year = f.year;
  }

  if (typeof f.amount !== 'number' || !Number.isInteger(f.amount) || f.amount <= 0 || f.amount > MAX_FUNDING_KR) {
    problems.push({ field: 'funding.amount', problem: `must be whole kronor, more than 0 and at most ${MAX_FUNDING_KR}`, sv: 'Ange beloppet i hela kronor, till exempel 400 000.' });
  }

  if (f.budgetLineKey !== undefined && f.budgetLineKey !== null) {
    if (typeof f.budgetLineKey !== 'string' || !f.budgetLineKey) problems.push({ field: 'funding.budgetLineKey', problem: 'must be the key of a budget line', sv: 'Välj en budgetrad.' });
    else if (year !== null) {
      const line = await db.budgetLine.findUnique({ where: { forbundId_year_key: { forbundId, year, key: f.budgetLineKey } }, select: { kind: true, group: true, projectKey: true } });
      if (!line) problems.push({ field: 'funding.budgetLineKey', problem: `no budget line "${f.budgetLineKey}" in ${year}`, sv: `Budgeten för ${year} har ingen sådan rad.` });
      else if (line.kind !== 'cost' || !FUNDING_LINE_GROUPS.includes(line.group)) problems.push({ field: 'funding.budgetLineKey', problem: 'must be a cost line of group project or administration', sv: 'Välj en kostnadsrad för insatser eller administration.' });
      else if (line.group === 'project' && line.projectKey && line.projectKey !== project?.key) problems.push({ field: 'funding.budgetLineKey', problem: `the line is for project "${line.projectKey}"`, sv: 'Budgetraden gäller en annan insats.' });
    }
  }
  return problems;
}

/** The funding as it is stored on the matter (after fundingProblems found nothing). */
export function fundingToStore(raw: FundingInput): Funding {
  return { projectKey: raw.projectKey as string, year: raw.year as number, amount: raw.amount as number, ...(typeof raw.budgetLineKey === 'string' ? { budgetLineKey: raw.budgetLineKey } : {}) };
}

/** A matter's funding as the API and the pages show it: the stored facts, the project's and line's names and the Swedish line. */
export interface FundingView extends Funding {
  projectName: string | null;
  budgetLineName: string | null;
  text: string;
}

/** The funding views of these matters, by matter id (matters without funding are left out). */
export async function fundingViews(db: Db, forbundId: string, matters: { id: string; funding: unknown }[]): Promise<Map<string, FundingView>> {
  const out = new Map<string, FundingView>();
  const withFunding = matters.flatMap((m) => {
    const f = fundingOf(m.funding);
    return f ? [{ id: m.id, f }] : [];
  });
  if (!withFunding.length) return out;
  const projects = new Map((await db.project.findMany({ where: { forbundId, key: { in: [...new Set(withFunding.map((x) => x.f.projectKey))] } }, select: { key: true, name: true } })).map((p) => [p.key, p.name]));
  const lineKeys = withFunding.filter((x) => x.f.budgetLineKey);
  const lines = lineKeys.length
    ? new Map((await db.budgetLine.findMany({ where: { forbundId, year: { in: [...new Set(lineKeys.map((x) => x.f.year))] }, key: { in: [...new Set(lineKeys.map((x) => x.f.budgetLineKey!))] } }, select: { year: true, key: true, name: true } })).map((l) => [`${l.year}:${l.key}`, l.name]))
    : new Map<string, string>();
  for (const { id, f } of withFunding) {
    const projectName = projects.get(f.projectKey) ?? null;
    const budgetLineName = f.budgetLineKey ? (lines.get(`${f.year}:${f.budgetLineKey}`) ?? f.budgetLineKey) : null;
    out.set(id, { ...f, projectName, budgetLineName, text: fundingText({ projectName: projectName ?? f.projectKey, year: f.year, amount: f.amount, budgetLineName }) });
  }
  return out;
}

/** The audit actions of a funding decision applied to a project. */
export const GRANT_ACTIONS = ['project.granted', 'project.grant-refused'] as const;

/** "beslut 2027-00012 § 5": the matter's Dnr and the § of the decision on it, or `by` when there is no §. */
async function decisionRef(tx: Db, matter: { id: string; dnr: string }, by: string): Promise<string> {
  const item = await tx.agendaItem.findFirst({ where: { matterId: matter.id, decision: { not: null }, paragraph: { not: null } }, orderBy: [{ decidedAt: 'desc' }], select: { paragraph: true } });
  return item?.paragraph ? `beslut ${matter.dnr} § ${item.paragraph}` : by;
}

/**
 * The board's decision on a funding application, applied when its protokoll is justerat: the
 * decision grants unless its text refuses (domain/beviljning.ts grantOutcome). Granted, the
 * project's grant for the year becomes the amount applied for (Project.grants[year]), audited as
 * project.granted with the year, the amount, the budget line, the grant before and the decision's
 * reference; refused (or postponed), nothing of the project changes and project.grant-refused is
 * audited. `by`: the decision's reference ("beslut 2027-00012 § 5"; the § is read from the matter's
 * agenda item when there is one). Idempotent: a matter already applied changes nothing and answers
 * as it did the first time. Null: the matter is not a funding application with funding, or its
 * project no longer exists. The caller tells the project's reporting workflow (projectId).
 */
export async function applyFundingDecision(tx: Db, o: { matterId: string; decision: string; by: string; at: Date }): Promise<{ projectId: string; granted: boolean } | null> {
  const matter = await tx.matter.findUnique({ where: { id: o.matterId }, select: { id: true, forbundId: true, dnr: true, kind: true, funding: true } });
  if (!matter || matter.kind !== 'funding_application') return null;
  const funding = fundingOf(matter.funding);
  if (!funding) return null;
  const project = await tx.project.findUnique({ where: { forbundId_key: { forbundId: matter.forbundId, key: funding.projectKey } }, select: { id: true } });
  if (!project) return null;
  // The project's row is held until the transaction ends: a second call at the same time waits and then finds the first.
  await tx.$queryRaw`SELECT id FROM "Project" WHERE id = ${project.id} FOR UPDATE`;
  const done = await tx.auditEvent.findMany({ where: { forbundId: matter.forbundId, entityType: 'project', entityId: project.id, action: { in: [...GRANT_ACTIONS] } }, select: { action: true, data: true } });
  const before = done.find((e) => (e.data as { matterId?: string } | null)?.matterId === matter.id);
  if (before) return { projectId: project.id, granted: before.action === 'project.granted' };

  const outcome = grantOutcome(o.decision);
  const granted = outcome === 'granted';
  const ref = await decisionRef(tx, matter, o.by);
  const row = await tx.project.findUniqueOrThrow({ where: { id: project.id }, select: { grants: true } });
  const grants = { ...((row.grants ?? {}) as Record<string, number>) };
  const previous = grants[String(funding.year)] ?? null;
  if (granted) {
    grants[String(funding.year)] = funding.amount;
    await tx.project.update({ where: { id: project.id }, data: { grants } });
  }
  await audit(tx, {
    forbundId: matter.forbundId,
    actor: 'system',
    action: granted ? 'project.granted' : 'project.grant-refused',
    entityType: 'project',
    entityId: project.id,
    data: { matterId: matter.id, dnr: matter.dnr, year: funding.year, amount: funding.amount, budgetLineKey: funding.budgetLineKey ?? null, previous, ref, by: o.by, outcome, decidedAt: o.at.toISOString() },
  });
  return { projectId: project.id, granted };
}

/** One of the board's decisions on a project's funding, as GET projects/:key lists them. */
export interface GrantDecision {
  year: number;
  amount: number;
  granted: boolean;
  budgetLineKey: string | null;
  dnr: string | null;
  /** "beslut 2027-00012 § 5" */
  ref: string;
  at: string;
  /** "Beviljat 2027: 400 000 kr, beslut 2027-00012 § 5" */
  text: string;
}

/** The board's decisions on these projects' funding applications, oldest first, by project id (read from their audit events). */
export async function grantDecisionsOf(db: Db, forbundId: string, projectIds: string[]): Promise<Map<string, GrantDecision[]>> {
  const out = new Map<string, GrantDecision[]>(projectIds.map((id) => [id, []]));
  if (!projectIds.length) return out;
  const events = await db.auditEvent.findMany({ where: { forbundId, entityType: 'project', entityId: { in: projectIds }, action: { in: [...GRANT_ACTIONS] } }, orderBy: { at: 'asc' } });
  for (const e of events) {
    const d = (e.data ?? {}) as { year?: number; amount?: number; budgetLineKey?: string | null; dnr?: string; ref?: string };
    const granted = e.action === 'project.granted';
    const year = Number(d.year);
    const amount = Number(d.amount);
    const ref = d.ref ?? (d.dnr ? `beslut ${d.dnr}` : 'beslut');
    out.get(e.entityId)?.push({ year, amount, granted, budgetLineKey: d.budgetLineKey ?? null, dnr: d.dnr ?? null, ref, at: e.at.toISOString(), text: grantDecisionText({ year, amount, ref, granted }) });
  }
  return out;
}
