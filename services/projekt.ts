// Projects (insatser) made and changed without a file: the official creates a project and edits it
// (its facts, coordinator, period, grants, goals and report kinds) through the API or the pages.
// The same rules as the förbund file's (domain/forbund-file.ts: the key's form, real dates, an end
// not before the start, no grant after the end year, report kinds the förbund's policy has), and
// the reports planned as an import plans them (planProjectObligations in services/import.ts): a
// submitted report is kept, an open one no longer owed (an end moved earlier) is withdrawn, a due
// date the official moved is kept. One transaction, audited, then the project's workflow is told.
//
// The förbund file imported again leaves a project made here alone when the file does not name it
// (the import only syncs the projects in the file); a file that names the same key takes it over.
import { addDays, isIsoDate, toStockholmDate, type IsoDate } from '../domain/dates.js';
import { grantYearProblem, PURPOSE_MAX, type Project as FileProject } from '../domain/forbund-file.js';
import { screenField } from '../domain/fritext.js';
import { REPORT_KINDS, type ReportKind } from '../domain/rapportering.js';
import { REPORT_TEXT, svDate } from '../domain/texts.js';
import { Prisma, type PrismaClient } from '../prisma/db.js';
import type { WorkflowNotifier } from './notifier.js';
import { audit } from './audit.js';
import { planProjectObligations } from './import.js';
import { isoDay, policyOf } from './rapportering.js';
import { invalid, missing, Refusal, type Problem } from './refusal.js';

interface Deps {
  prisma: PrismaClient;
  notifier: WorkflowNotifier;
  now: () => Date;
}

/** Who coordinates: a person of the förbund by key, or a new person (name and e-mail). */
export interface CoordinatorInput {
  key?: string;
  name?: string;
  email?: string;
}

/** A project as sent: every field for a new one (key optional: made from the name), any of them for an edit. */
export interface ProjectInput {
  key?: string;
  name?: string;
  dnr?: string | null;
  huvudman?: string | null;
  /** What the project is for, as the public reads it (free text, paragraphs allowed); null or '' clears it. */
  purpose?: string | null;
  coordinator?: CoordinatorInput;
  start?: string;
  end?: string;
  /** Ceiling in whole kronor per budget year: { "2026": 1210000 }. */
  grants?: Record<string, number>;
  goals?: string[];
  /** The report kinds the project owes; absent on a new project: every kind of the förbund's policy. */
  reports?: string[];
}

export interface ObligationChange {
  id: string;
  kind: ReportKind;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  dueDate: IsoDate;
}

/** What happened to the project's reports: planned anew, withdrawn (no longer owed), reopened, given another due date. */
export interface ReportChanges {
  added: ObligationChange[];
  withdrawn: ObligationChange[];
  reopened: ObligationChange[];
  redated: (ObligationChange & { from: IsoDate })[];
  /** Due dates the official moved, kept although the period's rule says another (as the import says it). */
  kept: string[];
}

export interface ProjectResult {
  project: { id: string; key: string; name: string };
  /** False for an edit that changed nothing (nothing written, nobody told). */
  changed: boolean;
  changes: ReportChanges;
  /** The audit event of the change (the pages show its report changes after the redirect). */
  auditId: string | null;
  workflowNotified: boolean;
}

export const KEY_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const MAX_YEARS = 10;
const MAX_GRANT = 1_000_000_000;
const LIMITS = { key: 64, name: 200, dnr: 40, huvudman: 200, purpose: PURPOSE_MAX, goal: 2000, goals: 50, personName: 200, email: 254 };
const PERSONNUMMER_SV = 'Texten ser ut att innehålla ett personnummer. Årscykel sparar inga uppgifter om enskilda personer i insatsens text.';
const PERSONNUMMER = 'looks like it contains a personal identity number; Årscykel holds none';

/** 'Anna Åberg-Östlund' → 'anna-aberg-ostlund': a key as the förbund file writes them. */
export function keyFromName(name: string, fallback = 'insats'): string {
  const k = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 56)
    .replace(/-+$/, '');
  return k || fallback;
}

/** `base`, or `base-2`, `base-3`, … the first not taken. */
function unique(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : v);
const kindsSv = (kinds: readonly string[]) => kinds.map((k) => REPORT_TEXT[k as ReportKind]?.name ?? k).join(', ');
const problem = (field: string, en: string, sv: string): Problem => ({ field, problem: en, sv });

interface Wanted {
  key: string;
  name: string;
  dnr: string | null;
  huvudman: string;
  purpose: string;
  coordinator: { id: string } | { name: string; email: string };
  start: IsoDate;
  end: IsoDate;
  grants: Record<string, number>;
  goals: string[];
  reports: ReportKind[];
}

type Existing = Prisma.ProjectGetPayload<{ include: { coordinator: true } }>;

/**
 * The project as it should be, or every problem with what was sent (each field once). `existing`:
 * the stored project of an edit; what is not sent stays as it is.
 */
async function validate(prisma: PrismaClient, forbundId: string, input: ProjectInput, existing: Existing | null): Promise<Wanted> {
  const problems: Problem[] = [];
  const add = (field: string, en: string, sv: string) => {
    if (!problems.some((p) => p.field === field)) problems.push(problem(field, en, sv));
  };
  /** The one screen for free text (domain/fritext.ts): adds its problem; true when there was one. */
  const screen = (field: string, v: string) => {
    const p = screenField(field, v);
    if (p) add(field, p.kind === 'identity-number' ? PERSONNUMMER : p.problem, p.kind === 'identity-number' ? PERSONNUMMER_SV : p.sv);
    return !!p;
  };
  const forbund = await prisma.forbund.findUniqueOrThrow({ where: { id: forbundId }, select: { reportingPolicy: true } });
  const policy = policyOf(forbund);
  const enabled = REPORT_KINDS.filter((k) => policy.kinds[k] !== undefined);

  // key: the identity, given once.
  let key = existing?.key ?? '';
  const k = text(input.key);
  if (existing) {
    if (k !== undefined && k !== existing.key) add('key', "is the project's identity and cannot be changed", `Kortnamnet ${existing.key} är insatsens identitet och kan inte ändras.`);
  } else if (k !== undefined && k !== '') {
    if (typeof k !== 'string' || k.length > LIMITS.key || !KEY_PATTERN.test(k)) {
      add('key', `must be lowercase a-z, 0-9 and single hyphens, at most ${LIMITS.key} characters, e.g. steg-framat`, 'Skriv kortnamnet med små bokstäver a–z, siffror och bindestreck, till exempel steg-framat (högst 64 tecken, inga å, ä eller ö).');
    } else if (!screen('key', k)) key = k;
  }

  const requiredText = (field: 'name', max: number, sv: string): string => {
    const v = text(input[field]);
    if (v === undefined && existing) return existing[field];
    if (typeof v !== 'string' || v === '') {
      add(field, 'is required', sv);
      return '';
    }
    if (v.length > max) add(field, `must be at most ${max} characters`, `Högst ${max} tecken.`);
    else screen(field, v);
    return v;
  };
  const optionalText = (field: 'dnr' | 'huvudman' | 'purpose', max: number): string | null => {
    const v = text(input[field]);
    if (v === undefined) return existing ? existing[field] || null : null;
    if (v === null || v === '') return null;
    if (typeof v !== 'string') {
      add(field, 'must be a text', 'Skriv en text.');
      return null;
    }
    if (v.length > max) add(field, `must be at most ${max} characters`, `Högst ${max} tecken.`);
    else screen(field, v);
    return v;
  };
  const name = requiredText('name', LIMITS.name, 'Ange insatsens namn.');
  const dnr = optionalText('dnr', LIMITS.dnr);
  const huvudman = optionalText('huvudman', LIMITS.huvudman) ?? '';
  const purpose = optionalText('purpose', LIMITS.purpose) ?? '';
  if (!existing && !key && name) key = keyFromName(name);

  // The period.
  const dateOf = (field: 'start' | 'end', stored: Date | undefined, label: string): IsoDate | null => {
    const v = text(input[field]);
    if (v === undefined && stored) return isoDay(stored);
    if (v === undefined || v === '') {
      add(field, 'is required', `Ange ${label}.`);
      return null;
    }
    if (!isIsoDate(v)) {
      add(field, 'must be a date YYYY-MM-DD that exists', `Ange ${label} som ett datum som finns, till exempel 2026-09-01.`);
      return null;
    }
    const y = Number(v.slice(0, 4));
    if (y < 2000 || y > 2100) {
      add(field, 'must be in the years 2000–2100', 'Datumet ska ligga mellan år 2000 och 2100.');
      return null;
    }
    return v;
  };
  const start = dateOf('start', existing?.startDate, 'startdatum');
  const end = dateOf('end', existing?.endDate, 'slutdatum');
  const periodOk = start !== null && end !== null;
  if (periodOk && end < start) add(input.end !== undefined || !existing ? 'end' : 'start', `end ${end} is before start ${start}`, `Slutdatum kan inte ligga före startdatum, ${svDate(start)}.`);
  else if (periodOk && end > addDays(start, 366 * MAX_YEARS)) add('end', `the project period may be at most ${MAX_YEARS} years`, `En insats kan pågå högst ${MAX_YEARS} år; kontrollera slutdatum.`);

  // Grants: whole kronor per budget year, none after the year the project ends.
  let grants: Record<string, number> = existing ? { ...((existing.grants ?? {}) as Record<string, number>) } : {};
  if (input.grants !== undefined) {
    grants = {};
    if (typeof input.grants !== 'object' || input.grants === null || Array.isArray(input.grants)) add('grants', 'must be an object of year → kronor', 'Ange medel per år.');
    else
      for (const [year, amount] of Object.entries(input.grants)) {
        const field = `grants.${year}`;
        if (!/^\d{4}$/.test(year)) add(field, 'the year must have 4 digits', `Året ${year} ska skrivas med fyra siffror, till exempel 2026.`);
        else if (typeof amount !== 'number' || !Number.isInteger(amount) || amount < 0 || amount > MAX_GRANT) add(field, `must be whole kronor from 0 to ${MAX_GRANT}`, `Ange beloppet för ${year} i hela kronor, till exempel 1 210 000.`);
        else grants[year] = amount;
      }
  }
  if (periodOk && end >= start) {
    for (const year of Object.keys(grants)) {
      const p = grantYearProblem(year, end);
      if (p) add(`grants.${year}`, p, `Medel för ${year} ligger efter insatsens slut (${svDate(end)}). Flytta slutdatum eller ta bort beloppet.`);
    }
  }

  // Goals: one text each.
  let goals = existing?.goals ?? [];
  if (input.goals !== undefined) {
    goals = [];
    if (!Array.isArray(input.goals)) add('goals', 'must be a list of texts', 'Skriv ett mål per rad.');
    else if (input.goals.length > LIMITS.goals) add('goals', `at most ${LIMITS.goals} goals`, `Högst ${LIMITS.goals} mål.`);
    else
      input.goals.forEach((g, i) => {
        const v = text(g);
        if (typeof v !== 'string' || v === '') add(`goals[${i}]`, 'must be a non-empty text', 'Ett mål kan inte vara tomt.');
        else if (v.length > LIMITS.goal) add(`goals[${i}]`, `must be at most ${LIMITS.goal} characters`, `Mål ${i + 1} är för långt: högst ${LIMITS.goal} tecken.`);
        else if (!screen(`goals[${i}]`, v)) goals.push(v);
      });
  }

  // Report kinds: those of the förbund's policy.
  let reports: ReportKind[] = existing ? (existing.reportKinds as ReportKind[]) : [...enabled];
  if (input.reports !== undefined) {
    reports = [];
    if (!Array.isArray(input.reports)) add('reports', 'must be a list of report kinds', 'Välj rapporterna.');
    else {
      const bad = input.reports.filter((r) => !(enabled as string[]).includes(r as string));
      if (bad.length) {
        add('reports', `not in the förbund's reporting policy: ${bad.join(', ')}; allowed: ${enabled.join(', ')}`, `Förbundets rapportregler har inte ${kindsSv(bad.filter((b) => typeof b === 'string'))}. Välj bland: ${kindsSv(enabled)}.`);
      } else reports = REPORT_KINDS.filter((r) => (input.reports as string[]).includes(r));
    }
  }

  // The coordinator: a person of the förbund, or a new one.
  let coordinator: Wanted['coordinator'] | null = existing ? { id: existing.coordinatorId } : null;
  const c = input.coordinator;
  if (c !== undefined) {
    coordinator = null;
    const ck = text(c?.key);
    const cn = text(c?.name);
    const ce = text(c?.email);
    if (typeof c !== 'object' || c === null) add('coordinator', 'must be { key } or { name, email }', 'Välj samordnare.');
    else if (ck !== undefined && ck !== '') {
      if (cn || ce) add('coordinator', 'give either key (a person of the förbund) or name and email (a new person), not both', 'Välj en person i listan eller fyll i en ny person, inte båda.');
      else {
        const p = typeof ck === 'string' ? await prisma.person.findUnique({ where: { forbundId_key: { forbundId, key: ck } }, select: { id: true } }) : null;
        if (!p) add('coordinator.key', `unknown person "${String(ck)}"`, 'Personen finns inte i förbundet. Välj någon i listan.');
        else coordinator = { id: p.id };
      }
    } else if (!cn && !ce) add('coordinator', 'is required: { key } of a person of the förbund, or { name, email } of a new one', 'Välj samordnare i listan, eller fyll i namn och e-post för en ny person.');
    else {
      const before = problems.length;
      if (typeof cn !== 'string' || cn === '') add('coordinator.name', 'is required for a new person', 'Ange den nya samordnarens namn.');
      else if (cn.length > LIMITS.personName) add('coordinator.name', `must be at most ${LIMITS.personName} characters`, `Högst ${LIMITS.personName} tecken.`);
      else screen('coordinator.name', cn);
      if (typeof ce !== 'string' || ce === '') add('coordinator.email', 'is required for a new person', 'Ange den nya samordnarens e-postadress.');
      else if (ce.length > LIMITS.email || !EMAIL_PATTERN.test(ce)) add('coordinator.email', 'must be an e-mail address', 'Ange en e-postadress, till exempel namn@kommun.se.');
      else if (!screen('coordinator.email', ce)) {
        const same = await prisma.person.findFirst({ where: { forbundId, email: { equals: ce, mode: 'insensitive' } }, select: { name: true } });
        if (same) add('coordinator.email', `a person of the förbund already has this address (${same.name}); give their key instead`, `${same.name} har redan den e-postadressen. Välj hen i listan i stället.`);
      }
      if (problems.length === before) coordinator = { name: cn as string, email: ce as string };
    }
  }

  if (problems.length) throw invalid(problems);
  return { key, name, dnr, huvudman, purpose, coordinator: coordinator!, start: start!, end: end!, grants, goals, reports };
}

type Tx = Prisma.TransactionClient;

/** A new person of the förbund who coordinates: role coordinator, a key made from the name, unique. */
async function coordinatorId(tx: Tx, forbundId: string, c: Wanted['coordinator']): Promise<{ id: string; created?: { key: string; name: string; email: string } }> {
  if ('id' in c) return { id: c.id };
  const taken = new Set((await tx.person.findMany({ where: { forbundId }, select: { key: true } })).map((p) => p.key));
  const key = unique(keyFromName(c.name, 'samordnare'), taken);
  const p = await tx.person.create({ data: { forbundId, key, name: c.name, email: c.email, roles: ['coordinator'] }, select: { id: true } });
  return { id: p.id, created: { key, name: c.name, email: c.email } };
}

const obligationOf = (o: { id: string; kind: string; periodStart: Date; periodEnd: Date; dueDate: Date }): ObligationChange => ({ id: o.id, kind: o.kind as ReportKind, periodStart: isoDay(o.periodStart), periodEnd: isoDay(o.periodEnd), dueDate: isoDay(o.dueDate) });

/** The project's reports planned again (in the transaction), and what changed in them. */
async function replan(tx: Tx, forbundId: string, projectId: string, w: Wanted, now: Date): Promise<ReportChanges> {
  const before = new Map((await tx.reportingObligation.findMany({ where: { projectId } })).map((o) => [o.id, o]));
  const forbund = await tx.forbund.findUniqueOrThrow({ where: { id: forbundId }, select: { reportingPolicy: true } });
  const asFile: FileProject = { id: w.key, name: w.name, coordinator: '', start: w.start, end: w.end, grants: w.grants, goals: w.goals, reports: w.reports, status: 'active' };
  const { kept } = await planProjectObligations(tx, { forbundId, projectId, policy: policyOf(forbund), project: asFile, withdrawn: false, now });
  const after = await tx.reportingObligation.findMany({ where: { projectId }, orderBy: [{ dueDate: 'asc' }, { kind: 'asc' }] });
  const changes: ReportChanges = { added: [], withdrawn: [], reopened: [], redated: [], kept };
  for (const o of after) {
    const b = before.get(o.id);
    if (!b) changes.added.push(obligationOf(o));
    else if (b.status !== 'withdrawn' && o.status === 'withdrawn') changes.withdrawn.push(obligationOf(o));
    else if (b.status === 'withdrawn' && o.status !== 'withdrawn') changes.reopened.push(obligationOf(o));
    else if (b.dueDate.getTime() !== o.dueDate.getTime()) changes.redated.push({ ...obligationOf(o), from: isoDay(b.dueDate) });
  }
  return changes;
}

const day = (d: IsoDate) => new Date(`${d}T00:00:00Z`);
const changesData = (c: ReportChanges) => ({
  added: c.added.map((o) => o.id),
  withdrawn: c.withdrawn.map((o) => o.id),
  reopened: c.reopened.map((o) => o.id),
  redated: c.redated.map((o) => ({ id: o.id, from: o.from, to: o.dueDate })),
});

/** A new project of the förbund with its reports planned; its workflow is started. */
export async function createProject(deps: Deps, a: { forbundId: string; input: ProjectInput; actor: string }): Promise<ProjectResult> {
  const { prisma } = deps;
  const w = await validate(prisma, a.forbundId, a.input, null);
  const now = deps.now();
  let result: Omit<ProjectResult, 'workflowNotified'>;
  try {
    result = await prisma.$transaction(async (tx) => {
      if (await tx.project.findUnique({ where: { forbundId_key: { forbundId: a.forbundId, key: w.key } }, select: { id: true } })) throw taken(w.key);
      const person = await coordinatorId(tx, a.forbundId, w.coordinator);
      const p = await tx.project.create({
        data: { forbundId: a.forbundId, key: w.key, name: w.name, dnr: w.dnr, huvudman: w.huvudman, purpose: w.purpose, coordinatorId: person.id, startDate: day(w.start), endDate: day(w.end), grants: w.grants, goals: w.goals, reportKinds: w.reports, status: 'active' },
        select: { id: true, key: true, name: true },
      });
      const changes = await replan(tx, a.forbundId, p.id, w, now);
      const ev = await audit(tx, {
        forbundId: a.forbundId,
        actor: a.actor,
        action: 'project.created',
        entityType: 'project',
        entityId: p.id,
        data: { key: w.key, name: w.name, start: w.start, end: w.end, reports: w.reports, ...(person.created ? { newPerson: person.created } : {}), obligations: changesData(changes) },
      });
      return { project: p, changed: true, changes, auditId: ev.id };
    });
  } catch (err) {
    // Two creations of one key at once: the second is told, as when it was taken before.
    if ((err as { code?: string }).code === 'P2002') throw taken(w.key);
    throw err;
  }
  const workflowNotified = await deps.notifier.reportingChanged(result.project.id, 'project created');
  return { ...result, workflowNotified };
}

const taken = (key: string) => new Refusal(409, `key: a project with key "${key}" already exists`, `Det finns redan en insats med kortnamnet ${key}.`, [{ field: 'key', problem: `a project with key "${key}" already exists`, sv: `Det finns redan en insats med kortnamnet ${key}. Välj ett annat.` }]);

/**
 * Changes a project: what is sent replaces what is stored (the key stays). Its reports are planned
 * again: an end moved earlier withdraws the open reports no longer owed (submitted ones are kept),
 * a later end or another report kind adds reports. A withdrawn project is not changed (409).
 */
export async function updateProject(deps: Deps, a: { forbundId: string; key: string; input: ProjectInput; actor: string }): Promise<ProjectResult> {
  const { prisma } = deps;
  const existing = await prisma.project.findUnique({ where: { forbundId_key: { forbundId: a.forbundId, key: a.key } }, include: { coordinator: true } });
  if (!existing) throw missing(`project "${a.key}"`, 'Insatsen finns inte.');
  if (existing.status === 'withdrawn') {
    throw new Refusal(409, 'the project is withdrawn and can no longer be changed', 'Insatsen är återkallad och kan inte längre ändras.', [{ field: '(project)', problem: 'the project is withdrawn', sv: 'Insatsen är återkallad.' }]);
  }
  const w = await validate(prisma, a.forbundId, a.input, existing);
  const now = deps.now();
  const stored = {
    name: existing.name,
    dnr: existing.dnr,
    huvudman: existing.huvudman,
    purpose: existing.purpose,
    start: isoDay(existing.startDate),
    end: isoDay(existing.endDate),
    grants: existing.grants,
    goals: existing.goals,
    reports: existing.reportKinds,
  };
  const wanted = { name: w.name, dnr: w.dnr, huvudman: w.huvudman, purpose: w.purpose, start: w.start, end: w.end, grants: w.grants, goals: w.goals, reports: w.reports };
  const differs = Object.keys(wanted).filter((k) => !sameJson(stored[k as keyof typeof stored], wanted[k as keyof typeof wanted]));
  const newCoordinator = !('id' in w.coordinator) || w.coordinator.id !== existing.coordinatorId;
  const noChange: ReportChanges = { added: [], withdrawn: [], reopened: [], redated: [], kept: [] };
  if (!differs.length && !newCoordinator) return { project: { id: existing.id, key: existing.key, name: existing.name }, changed: false, changes: noChange, auditId: null, workflowNotified: true };

  const result = await prisma.$transaction(async (tx) => {
    const person = newCoordinator ? await coordinatorId(tx, a.forbundId, w.coordinator) : { id: existing.coordinatorId };
    const p = await tx.project.update({
      where: { id: existing.id },
      data: { name: w.name, dnr: w.dnr, huvudman: w.huvudman, purpose: w.purpose, coordinatorId: person.id, startDate: day(w.start), endDate: day(w.end), grants: w.grants, goals: w.goals, reportKinds: w.reports },
      select: { id: true, key: true, name: true },
    });
    const changes = await replan(tx, a.forbundId, p.id, w, now);
    const from = Object.fromEntries(differs.map((k) => [k, stored[k as keyof typeof stored]]));
    const to = Object.fromEntries(differs.map((k) => [k, wanted[k as keyof typeof wanted]]));
    if (newCoordinator) {
      from.coordinator = existing.coordinator.key;
      to.coordinator = 'created' in person && person.created ? person.created.key : (await tx.person.findUniqueOrThrow({ where: { id: person.id }, select: { key: true } })).key;
    }
    const ev = await audit(tx, {
      forbundId: a.forbundId,
      actor: a.actor,
      action: 'project.updated',
      entityType: 'project',
      entityId: p.id,
      data: { key: existing.key, from, to, ...('created' in person && person.created ? { newPerson: person.created } : {}), obligations: changesData(changes) },
    });
    return { project: p, changed: true, changes, auditId: ev.id };
  });
  const workflowNotified = await deps.notifier.reportingChanged(result.project.id, 'project changed');
  return { ...result, workflowNotified };
}

// jsonb does not keep key order: compare with keys sorted.
const sorted = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(sorted) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v;
const sameJson = (a: unknown, b: unknown) => JSON.stringify(sorted(a ?? null)) === JSON.stringify(sorted(b ?? null));

/** The report changes an audit event of this module recorded, read back for the page after the redirect. */
export async function reportChangesOf(prisma: PrismaClient, a: { forbundId: string; projectId: string; auditId: string }): Promise<{ action: 'created' | 'updated'; added: ObligationChange[]; withdrawn: ObligationChange[]; reopened: ObligationChange[]; redated: (ObligationChange & { from: IsoDate })[] } | null> {
  const ev = await prisma.auditEvent.findFirst({ where: { id: a.auditId, forbundId: a.forbundId, entityType: 'project', entityId: a.projectId, action: { in: ['project.created', 'project.updated', 'project.condition_met'] } } });
  if (!ev) return null;
  const d = (ev.data ?? {}) as { obligations?: { added?: string[]; withdrawn?: string[]; reopened?: string[]; redated?: { id: string; from: string }[] } };
  const o = d.obligations ?? {};
  const ids = [...(o.added ?? []), ...(o.withdrawn ?? []), ...(o.reopened ?? []), ...(o.redated ?? []).map((r) => r.id)];
  const rows = new Map((await prisma.reportingObligation.findMany({ where: { id: { in: ids }, projectId: a.projectId } })).map((r) => [r.id, obligationOf(r)]));
  const pick = (list: string[] | undefined) => (list ?? []).flatMap((id) => rows.get(id) ?? []).sort((x, y) => x.dueDate.localeCompare(y.dueDate));
  return {
    action: ev.action === 'project.created' ? 'created' : 'updated',
    added: pick(o.added),
    withdrawn: pick(o.withdrawn),
    reopened: pick(o.reopened),
    redated: (o.redated ?? []).flatMap((r) => (rows.has(r.id) ? [{ ...rows.get(r.id)!, from: r.from }] : [])),
  };
}

/**
 * The problems with what was sent, without writing anything: the pages ask it when their own form
 * has mistakes (a grant row), so every problem is shown at once. `key`: the project being edited.
 */
export async function projectProblems(prisma: PrismaClient, forbundId: string, input: ProjectInput, key?: string): Promise<Problem[]> {
  const existing = key ? await prisma.project.findUnique({ where: { forbundId_key: { forbundId, key } }, include: { coordinator: true } }) : null;
  try {
    await validate(prisma, forbundId, input, existing);
    return [];
  } catch (err) {
    if (err instanceof Refusal) return err.problems;
    throw err;
  }
}

// --- a conditional start met ----------------------------------------------------------------

export interface ConditionMetResult {
  project: { id: string; key: string; name: string };
  condition: string;
  metOn: IsoDate;
  changes: ReportChanges;
  auditId: string;
  workflowNotified: boolean;
}

/**
 * The official records that a project's conditional start is met (the outside decision was made)
 * on `metOn`: its reports are planned from that day (domain/rapportering.ts obligationsWithCondition:
 * as if the project started then; a period ending before it is not owed, the period it falls in is
 * owed from it), audited as project.condition_met, and the project's reporting workflow is told.
 * 400 naming metOn (not a real date, in the future, after the project's end) or note; 409 when the
 * project has no condition, it is already met, or the project is withdrawn.
 */
export async function recordConditionMet(deps: Deps, a: { forbundId: string; key: string; metOn: unknown; note?: unknown; actor: string }): Promise<ConditionMetResult> {
  const { prisma } = deps;
  const existing = await prisma.project.findUnique({ where: { forbundId_key: { forbundId: a.forbundId, key: a.key } } });
  if (!existing) throw missing(`project "${a.key}"`, 'Insatsen finns inte.');
  const state = (en: string, sv: string) => new Refusal(409, en, sv, [{ field: '(project)', problem: en, sv }]);
  if (existing.status === 'withdrawn') throw state('the project is withdrawn', 'Insatsen är återkallad.');
  if (!existing.startCondition) throw state('the project has no start condition', 'Insatsen har ingen villkorad start.');
  if (existing.conditionMetOn) throw state(`the start condition was already met on ${isoDay(existing.conditionMetOn)}`, `Villkoret för start är redan uppfyllt, ${svDate(isoDay(existing.conditionMetOn))}.`);

  const now = deps.now();
  const today = toStockholmDate(now);
  const problems: Problem[] = [];
  const end = isoDay(existing.endDate);
  const metOn = a.metOn;
  if (!isIsoDate(metOn)) problems.push(problem('metOn', 'must be a date YYYY-MM-DD that exists', 'Ange dagen då villkoret uppfylldes som ett datum som finns, till exempel 2026-12-10.'));
  else if (metOn > today) problems.push(problem('metOn', `must not be in the future (today is ${today})`, `Dagen kan inte ligga i framtiden; i dag är det ${svDate(today)}.`));
  else if (metOn > end) problems.push(problem('metOn', `is after the project's end ${end}`, `Dagen ligger efter insatsens slut, ${svDate(end)}.`));
  let note: string | null = null;
  if (a.note !== undefined && a.note !== null && a.note !== '') {
    if (typeof a.note !== 'string') problems.push(problem('note', 'must be a text', 'Skriv en text.'));
    else if (a.note.length > 2000) problems.push(problem('note', 'must be at most 2000 characters', 'Högst 2000 tecken.'));
    else {
      const p = screenField('note', a.note);
      if (p) problems.push(problem('note', p.kind === 'identity-number' ? PERSONNUMMER : p.problem, p.kind === 'identity-number' ? PERSONNUMMER_SV : p.sv));
      else note = a.note.trim() || null;
    }
  }
  if (problems.length) throw invalid(problems);
  const metDay = metOn as IsoDate;

  const result = await prisma.$transaction(async (tx) => {
    // Only while it is still unmet: a second request at the same time finds it met (409).
    const set = await tx.project.updateMany({ where: { id: existing.id, conditionMetOn: null, startCondition: { not: null } }, data: { conditionMetOn: day(metDay), conditionMetBy: a.actor } });
    if (set.count !== 1) throw state('the start condition was already met', 'Villkoret för start är redan uppfyllt.');
    const w: Wanted = {
      key: existing.key,
      name: existing.name,
      dnr: existing.dnr,
      huvudman: existing.huvudman,
      purpose: existing.purpose,
      coordinator: { id: existing.coordinatorId },
      start: isoDay(existing.startDate),
      end,
      grants: (existing.grants ?? {}) as Record<string, number>,
      goals: existing.goals,
      reports: existing.reportKinds as ReportKind[],
    };
    const changes = await replan(tx, a.forbundId, existing.id, w, now);
    const ev = await audit(tx, {
      forbundId: a.forbundId,
      actor: a.actor,
      action: 'project.condition_met',
      entityType: 'project',
      entityId: existing.id,
      data: { key: existing.key, condition: existing.startCondition, metOn: metDay, ...(note ? { note } : {}), obligations: changesData(changes) },
    });
    return { changes, auditId: ev.id };
  });
  const workflowNotified = await deps.notifier.reportingChanged(existing.id, 'start condition met');
  return { project: { id: existing.id, key: existing.key, name: existing.name }, condition: existing.startCondition, metOn: metDay, changes: result.changes, auditId: result.auditId, workflowNotified };
}
