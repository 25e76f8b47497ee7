// Loads a förbund file into the database. Importing the same file again changes nothing; a
// changed file updates in place (members, people, the bodies' rosters, projects, report due dates,
// meetings, milestones, the budget of the file's years).
// Everything happens in one transaction: a file that fails imports nothing.
import { budgetWarnings, projectCeilingsFor, yearBudgetsOf, type BudgetWarning } from '../domain/budget.js';
import { stockholmDateTime } from '../domain/dates.js';
import type { Body, ForbundFile } from '../domain/forbund-file.js';
import { buildYearPlan, meetingRules, placeInYear, sameDateInYear } from '../domain/kalendarium.js';
import { obligationsForProject, type ReportingPolicy } from '../domain/rapportering.js';
import { Prisma, type PrismaClient } from '../prisma/db.js';
import { audit } from './audit.js';

type Tx = Prisma.TransactionClient;

export interface ImportSummary {
  forbundId: string;
  slug: string;
  year: number;
  counts: Record<string, { created: number; updated: number; unchanged: number; removed: number }>;
  /** Projects whose reporting plan changed: their workflows must be told. */
  changedProjects: string[];
  cycleChanged: boolean;
  changed: boolean;
  /**
   * What the file would have changed but was kept: a due date or a meeting moved (or a meeting
   * cancelled) through the API is a later, audited decision and wins over the file. One line each.
   */
  kept: string[];
  /**
   * What in the file's budget does not add up (domain/budget.ts budgetWarnings): a stated total
   * against the sum of its lines, the project total against the projects' grant ceilings, a
   * project's lines above its ceiling. Imported all the same; the same warnings are stored with the
   * budget year. `path` points into the file as written (its years, also when placed in another).
   */
  warnings: { path: string; message: string }[];
}

const day = (d: string) => new Date(`${d}T00:00:00Z`);
const iso = (d: Date) => d.toISOString().slice(0, 10);
// jsonb does not keep key order: compare JSON with keys sorted.
const canonical = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object' && !(v instanceof Date) ? Object.fromEntries(Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined).map((k) => [k, canonical((v as Record<string, unknown>)[k])])) : v;
const same = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

class Counter {
  counts: ImportSummary['counts'] = {};
  bump(entity: string, what: 'created' | 'updated' | 'unchanged' | 'removed') {
    (this.counts[entity] ??= { created: 0, updated: 0, unchanged: 0, removed: 0 })[what]++;
  }
}

/**
 * Creates or updates `existing` so that its fields equal `wanted`; writes only what differs
 * (so a repeated import leaves even updatedAt alone).
 */
async function sync<T extends Record<string, unknown>>(
  c: Counter,
  entity: string,
  existing: T | null,
  wanted: Partial<T>,
  create: () => Promise<unknown>,
  update: (data: Partial<T>) => Promise<unknown>,
): Promise<'created' | 'updated' | 'unchanged'> {
  if (!existing) {
    await create();
    c.bump(entity, 'created');
    return 'created';
  }
  const diff = Object.fromEntries(Object.entries(wanted).filter(([k, v]) => !same(norm(existing[k]), norm(v)))) as Partial<T>;
  if (Object.keys(diff).length === 0) {
    c.bump(entity, 'unchanged');
    return 'unchanged';
  }
  await update(diff);
  c.bump(entity, 'updated');
  return 'updated';
}

function norm(v: unknown): unknown {
  if (v === Prisma.DbNull || v === Prisma.JsonNull) return null;
  if (v instanceof Date) return v.toISOString();
  if (v !== null && typeof v === 'object' && 'toFixed' in v) return Number(v); // Prisma Decimal
  return v ?? null;
}

/**
 * The bodies' mandatperiods moved along with a file placed in another year (placeInYear moves the
 * projects and the calendar): the board of a placed example still holds its seats in that year.
 */
function placeRosterInYear(file: ForbundFile, from: number): ForbundFile {
  const delta = file.forbund.year - from;
  if (delta === 0) return file;
  const shift = (d: string | undefined) => (d === undefined ? undefined : sameDateInYear(d, Number(d.slice(0, 4)) + delta));
  const body = (b: Body): Body => ({
    ...b,
    members: b.members.map((m) => (m.period ? { ...m, period: { ...(m.period.from ? { from: shift(m.period.from) } : {}), ...(m.period.to ? { to: shift(m.period.to) } : {}) } } : m)),
  });
  const { styrelse, presidium, beredningsgrupp } = file.bodies;
  return {
    ...file,
    bodies: { styrelse: body(styrelse), ...(presidium ? { presidium: body(presidium) } : {}), ...(beredningsgrupp ? { beredningsgrupp: body(beredningsgrupp) } : {}) },
  };
}

/** The budget's years moved along with a file placed in another year, by the same number of years. */
function placeBudgetInYear(file: ForbundFile, from: number): ForbundFile {
  const delta = file.forbund.year - from;
  if (delta === 0 || !file.budget) return file;
  const years = Object.fromEntries(Object.entries(file.budget.years).map(([y, b]) => [String(Number(y) + delta), b]));
  return { ...file, budget: { ...file.budget, years } };
}

export async function importForbund(prisma: PrismaClient, input: ForbundFile, opts: { year?: number; actor: string; fileName?: string }): Promise<ImportSummary> {
  const file = opts.year ? placeBudgetInYear(placeRosterInYear(placeInYear(input, opts.year), input.forbund.year), input.forbund.year) : input;
  const year = file.forbund.year;
  const c = new Counter();
  const changedProjects: string[] = [];
  const kept: string[] = [];
  let cycleChanged = false;
  const warnings: BudgetWarning[] = [];

  const forbundId = await prisma.$transaction(
    async (tx) => {
      const f = file.forbund;
      const existing = await tx.forbund.findUnique({ where: { slug: f.id } });
      const policy: ReportingPolicy = file.reporting;
      // The meetings' date rules are kept with the settings: next year's proposed calendar follows them.
      const cycleSettings = { ...file.cycle, meetings: undefined, planningDays: undefined, meetingRules: meetingRules(file.cycle) };
      // The financing policy and the SIE account mapping travel with the förbund; no budget section, none.
      const moneyPolicy = file.budget ? { policy: file.budget.policy ?? null, accounts: file.budget.accounts } : Prisma.DbNull;
      const wanted = { name: f.name, organisationNumber: f.organisationNumber ?? null, email: f.email, reportingPolicy: policy, cycleSettings, moneyPolicy };
      await sync(c, 'forbund', existing, wanted as never, () => tx.forbund.create({ data: { slug: f.id, ...(wanted as object) } as never }), (d) => tx.forbund.update({ where: { id: existing!.id }, data: d as never }));
      const forbund = await tx.forbund.findUniqueOrThrow({ where: { slug: f.id } });
      const policyChanged = existing !== null && !same(existing.reportingPolicy, policy);

      // Members
      const members = new Map((await tx.member.findMany({ where: { forbundId: forbund.id } })).map((m) => [m.key, m]));
      for (const m of file.members) {
        const w = { name: m.name, kind: m.kind, sharePercent: m.share ?? null, contribution: m.contribution ?? null, email: m.email ?? null };
        const e = members.get(m.id) ?? null;
        await sync(c, 'members', e, w as never, () => tx.member.create({ data: { forbundId: forbund.id, key: m.id, ...w } }), (d) => tx.member.update({ where: { id: e!.id }, data: d as never }));
        members.delete(m.id);
      }
      for (const gone of members.values()) {
        await tx.member.delete({ where: { id: gone.id } });
        c.bump('members', 'removed');
      }

      // People (a person still coordinating a project in the database is kept until the project moves on)
      const people = new Map((await tx.person.findMany({ where: { forbundId: forbund.id } })).map((p) => [p.key, p]));
      for (const p of file.people) {
        const w = { name: p.name, email: p.email, roles: [...p.roles].sort() };
        const e = people.get(p.id) ?? null;
        await sync(c, 'people', e, w, () => tx.person.create({ data: { forbundId: forbund.id, key: p.id, ...w } }), (d) => tx.person.update({ where: { id: e!.id }, data: d }));
        people.delete(p.id);
      }
      const personId = new Map((await tx.person.findMany({ where: { forbundId: forbund.id }, select: { id: true, key: true } })).map((p) => [p.key, p.id]));
      const memberId = new Map((await tx.member.findMany({ where: { forbundId: forbund.id }, select: { id: true, key: true } })).map((m) => [m.key, m.id]));

      // Bodies and memberships
      for (const kind of ['styrelse', 'presidium', 'beredningsgrupp'] as const) {
        const b = file.bodies[kind];
        const existingBody = await tx.body.findUnique({ where: { forbundId_kind: { forbundId: forbund.id, kind } }, include: { memberships: true } });
        if (!b) {
          if (existingBody) {
            await tx.body.delete({ where: { id: existingBody.id } });
            c.bump('bodies', 'removed');
          }
          continue;
        }
        const name = b.name ?? { styrelse: 'Styrelsen', presidium: 'Presidiet', beredningsgrupp: 'Beredningsgruppen' }[kind];
        await sync(c, 'bodies', existingBody, { name }, () => tx.body.create({ data: { forbundId: forbund.id, kind, name } }), (d) => tx.body.update({ where: { id: existingBody!.id }, data: d as never }));
        const body = await tx.body.findUniqueOrThrow({ where: { forbundId_kind: { forbundId: forbund.id, kind } }, include: { memberships: true } });
        const current = new Map(body.memberships.map((m) => [m.personId, m]));
        for (const m of b.members) {
          const pid = personId.get(m.person)!;
          const w = {
            role: m.role,
            memberId: m.member ? memberId.get(m.member)! : null,
            substituteOrder: m.order ?? null,
            periodFrom: m.period?.from ? day(m.period.from) : null,
            periodTo: m.period?.to ? day(m.period.to) : null,
          };
          const e = current.get(pid) ?? null;
          await sync(c, 'memberships', e, w, () => tx.bodyMembership.create({ data: { bodyId: body.id, personId: pid, ...w } }), (d) => tx.bodyMembership.update({ where: { id: e!.id }, data: d }));
          current.delete(pid);
        }
        for (const gone of current.values()) {
          await tx.bodyMembership.delete({ where: { id: gone.id } });
          c.bump('memberships', 'removed');
        }
      }

      // Projects and their reporting obligations
      for (const p of file.projects) {
        const e = await tx.project.findUnique({ where: { forbundId_key: { forbundId: forbund.id, key: p.id } } });
        const w = {
          name: p.name,
          dnr: p.dnr ?? null,
          huvudman: p.huvudman ?? '',
          coordinatorId: personId.get(p.coordinator)!,
          startDate: day(p.start),
          endDate: day(p.end),
          grants: p.grants,
          goals: p.goals,
          reportKinds: p.reports,
          status: p.status,
        };
        const r = await sync(c, 'projects', e, w as never, () => tx.project.create({ data: { forbundId: forbund.id, key: p.id, ...w } }), (d) => tx.project.update({ where: { id: e!.id }, data: d as never }));
        const project = await tx.project.findUniqueOrThrow({ where: { forbundId_key: { forbundId: forbund.id, key: p.id } } });
        const obligationsChanged = await syncObligations(tx, c, project.id, policy, p, p.status === 'withdrawn', kept);
        if (r !== 'unchanged' || obligationsChanged || policyChanged) changedProjects.push(project.id);
      }
      // People no longer in the file and no longer coordinating anything.
      for (const gone of people.values()) {
        if ((await tx.project.count({ where: { coordinatorId: gone.id } })) === 0) {
          await tx.person.delete({ where: { id: gone.id } });
          c.bump('people', 'removed');
        }
      }

      cycleChanged = await syncCycle(tx, c, forbund.id, file, year, kept);
      warnings.push(...(await syncBudget(tx, c, forbund.id, file, input)));

      const changed = Object.values(c.counts).some((x) => x.created + x.updated + x.removed > 0);
      if (changed) {
        await audit(tx, { forbundId: forbund.id, actor: opts.actor, action: 'forbund.imported', entityType: 'forbund', entityId: forbund.id, data: { file: opts.fileName ?? null, year, counts: c.counts } });
      }
      return forbund.id;
    },
    { timeout: 60_000, maxWait: 10_000 },
  );

  const changed = Object.values(c.counts).some((x) => x.created + x.updated + x.removed > 0);
  return { forbundId, slug: file.forbund.id, year, counts: c.counts, changedProjects, cycleChanged, changed, kept, warnings: warnings.map((w) => ({ path: w.path, message: w.message })) };
}

/**
 * The budget years of the (placed) file: their lines (by key; lines gone from a year are deleted),
 * and per year the equity carried over, the plan's stated totals and what does not add up. Years
 * not in the file are left as they are (last year's budget stays with its outcome). The warnings
 * are worked out on the file as written (`asWritten`: its years, paths and project ceilings).
 */
async function syncBudget(tx: Tx, c: Counter, forbundId: string, file: ForbundFile, asWritten: ForbundFile): Promise<BudgetWarning[]> {
  const all: BudgetWarning[] = [];
  const delta = file.forbund.year - asWritten.forbund.year;
  const written = new Map(yearBudgetsOf(asWritten).map((y) => [y.year + delta, y]));
  for (const y of yearBudgetsOf(file)) {
    const { year } = y;
    const existing = new Map((await tx.budgetLine.findMany({ where: { forbundId, year } })).map((l) => [l.key, l]));
    for (const [position, l] of y.lines.entries()) {
      const w = { name: l.name, kind: l.kind, group: l.group, amount: l.amount, projectKey: l.projectKey ?? null, memberKey: l.memberKey ?? null, position };
      const e = existing.get(l.key) ?? null;
      existing.delete(l.key);
      await sync(c, 'budgetLines', e, w, () => tx.budgetLine.create({ data: { forbundId, year, key: l.key, ...w } }), (d) => tx.budgetLine.update({ where: { id: e!.id }, data: d }));
    }
    for (const gone of existing.values()) {
      await tx.budgetLine.delete({ where: { id: gone.id } });
      c.bump('budgetLines', 'removed');
    }
    const original = written.get(year)!;
    const warnings = budgetWarnings(original, projectCeilingsFor(asWritten, original.year));
    all.push(...warnings);
    const e = await tx.budgetYear.findUnique({ where: { forbundId_year: { forbundId, year } } });
    const w = {
      equityCarriedOver: y.equityCarriedOver ?? null,
      statedTotals: y.stated ? ({ ...y.stated } as Prisma.InputJsonObject) : Prisma.DbNull,
      warnings: warnings as unknown as Prisma.InputJsonArray,
    };
    await sync(c, 'budgetYears', e, w as never, () => tx.budgetYear.create({ data: { forbundId, year, ...w } }), (d) => tx.budgetYear.update({ where: { id: e!.id }, data: d as never }));
  }
  return all;
}

async function syncObligations(
  tx: Tx,
  c: Counter,
  projectId: string,
  policy: ReportingPolicy,
  p: ForbundFile['projects'][number],
  withdrawn: boolean,
  kept: string[],
): Promise<boolean> {
  const planned = withdrawn ? [] : obligationsForProject(policy, { start: p.start, end: p.end, reportKinds: p.reports });
  const existing = new Map((await tx.reportingObligation.findMany({ where: { projectId } })).map((o) => [`${o.kind}:${iso(o.periodEnd)}`, o]));
  const redated = await decidedThroughApi(tx, ['obligation.redated'], [...existing.values()].map((o) => o.id));
  let changed = false;
  for (const o of planned) {
    const key = `${o.kind}:${o.periodEnd}`;
    const e = existing.get(key) ?? null;
    existing.delete(key);
    // A submitted report keeps its history; an open one follows the file (a withdrawn one reopens),
    // except for a due date the official moved through the API.
    const keepDue = e && e.status === 'open' && redated.has(e.id) && iso(e.dueDate) !== o.dueDate;
    if (keepDue) kept.push(`${p.id}: ${o.kind} report for the period ending ${o.periodEnd} keeps its due date ${iso(e.dueDate)} (moved through the API); the file says ${o.dueDate}`);
    const w = e && e.status === 'submitted' ? {} : { periodStart: day(o.periodStart), ...(keepDue ? {} : { dueDate: day(o.dueDate) }), status: 'open' as const };
    const r = await sync(c, 'obligations', e, w as never, () => tx.reportingObligation.create({ data: { projectId, kind: o.kind, periodEnd: day(o.periodEnd), periodStart: day(o.periodStart), dueDate: day(o.dueDate) } }), (d) =>
      tx.reportingObligation.update({ where: { id: e!.id }, data: d as never }),
    );
    if (r !== 'unchanged') changed = true;
  }
  for (const gone of existing.values()) {
    if (gone.status === 'open') {
      await tx.reportingObligation.update({ where: { id: gone.id }, data: { status: 'withdrawn' } });
      c.bump('obligations', 'removed');
      changed = true;
    }
  }
  return changed;
}

/** Which of these entities a person changed through the API (an audited action not by an import). */
async function decidedThroughApi(tx: Tx, actions: string[], ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await tx.auditEvent.findMany({ where: { action: { in: actions }, entityId: { in: ids }, NOT: { actor: { startsWith: 'import' } } }, select: { entityId: true } });
  return new Set(rows.map((r) => r.entityId));
}

/**
 * The year's meetings and milestones. A meeting whose time or place changes gets a higher
 * SEQUENCE, so its invite is sent again as an update; one no longer in the file is cancelled.
 * The file is the board's adopted calendar for its year.
 */
async function syncCycle(tx: Tx, c: Counter, forbundId: string, file: ForbundFile, year: number, kept: string[]): Promise<boolean> {
  const plan = buildYearPlan(file, year);
  let changed = false;
  const existing = new Map((await tx.meeting.findMany({ where: { forbundId, year } })).map((m) => [m.key, m]));
  const decided = await decidedThroughApi(tx, ['meeting.moved', 'meeting.cancelled'], [...existing.values()].map((m) => m.id));
  for (const m of plan.meetings) {
    const e = existing.get(m.key) ?? null;
    existing.delete(m.key);
    const startsAt = stockholmDateTime(m.date, m.start ?? '00:00');
    const endsAt = m.start ? stockholmDateTime(m.date, m.end ?? m.start) : stockholmDateTime(m.date, '23:59');
    const fromFile = { startsAt, endsAt, location: m.location ?? null, status: 'planned' as const };
    let moved = e && (e.startsAt.getTime() !== startsAt.getTime() || e.endsAt.getTime() !== endsAt.getTime() || (e.location ?? null) !== fromFile.location || e.status !== 'planned');
    // A meeting moved or cancelled through the API stays as decided there.
    if (moved && decided.has(e!.id)) {
      kept.push(`meeting ${m.key} stays ${e!.status === 'cancelled' ? 'cancelled' : `at ${e!.startsAt.toISOString()}`} (decided through the API); the file says ${m.date} ${m.start ?? ''}`.trim());
      moved = false;
    }
    const w = { kind: m.kind, title: m.title, ...(e && decided.has(e.id) ? {} : fromFile) };
    const r = await sync(c, 'meetings', e, w as never, () => tx.meeting.create({ data: { forbundId, year, key: m.key, kind: m.kind, title: m.title, ...fromFile } }), (d) =>
      tx.meeting.update({ where: { id: e!.id }, data: { ...(d as object), ...(moved ? { sequence: { increment: 1 } } : {}) } }),
    );
    if (r !== 'unchanged') changed = true;
  }
  for (const gone of existing.values()) {
    if (gone.status !== 'cancelled') {
      await tx.meeting.update({ where: { id: gone.id }, data: { status: 'cancelled', sequence: { increment: 1 } } });
      c.bump('meetings', 'removed');
      changed = true;
    }
  }
  const ids = new Map((await tx.meeting.findMany({ where: { forbundId, year }, select: { id: true, key: true } })).map((m) => [m.key, m.id]));
  for (const m of plan.meetings.filter((x) => x.forKey)) {
    const id = ids.get(m.key)!;
    const forId = ids.get(m.forKey!) ?? null;
    const cur = await tx.meeting.findUniqueOrThrow({ where: { id }, select: { forMeetingId: true } });
    if (cur.forMeetingId !== forId) await tx.meeting.update({ where: { id }, data: { forMeetingId: forId } });
  }

  const milestones = new Map((await tx.milestone.findMany({ where: { forbundId, year } })).map((m) => [m.kind, m]));
  for (const m of plan.milestones) {
    const e = milestones.get(m.kind) ?? null;
    milestones.delete(m.kind);
    const w = { title: m.title, dueDate: day(m.dueDate), owner: m.owner, meetingId: m.meetingKey ? ids.get(m.meetingKey)! : null };
    // A moved due date raises the milestone's SEQUENCE, so subscribed calendars replace the old date.
    const r = await sync(c, 'milestones', e, w, () => tx.milestone.create({ data: { forbundId, year, kind: m.kind, ...w } }), (d) =>
      tx.milestone.update({ where: { id: e!.id }, data: d.dueDate ? { ...d, sequence: { increment: 1 } } : d }),
    );
    if (r !== 'unchanged') changed = true;
  }
  for (const gone of milestones.values()) {
    if (gone.status === 'open') {
      await tx.milestone.delete({ where: { id: gone.id } });
      c.bump('milestones', 'removed');
      changed = true;
    }
  }
  const cy = await tx.cycleYear.findUnique({ where: { forbundId_year: { forbundId, year } } });
  if (!cy || !cy.calendarAdoptedAt) {
    await tx.cycleYear.upsert({
      where: { forbundId_year: { forbundId, year } },
      create: { forbundId, year, calendarAdoptedAt: new Date(), calendarAdoptedBy: 'import' },
      update: { calendarAdoptedAt: new Date(), calendarAdoptedBy: 'import' },
    });
    c.bump('calendars', 'created');
    changed = true;
  }
  return changed;
}
