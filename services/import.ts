// Loads a förbund file into the database. Importing the same file again changes nothing; a
// changed file updates in place (members, people, the bodies' rosters, projects, report due dates,
// meetings, milestones, the budget of the file's years).
// Everything happens in one transaction: a file that fails imports nothing.
// In set operations: each table's rows of the förbund are read in one query, compared with the
// file in memory, and what differs is written in one statement per kind of change (services/bulk.ts),
// so an import takes a few dozen statements however many projects, reports and meetings it has.
import { randomUUID } from 'node:crypto';
import { budgetWarnings, isStorableKr, krOf, MAX_AMOUNT_KR, projectCeilingsFor, yearBudgetsOf, type BudgetWarning } from '../domain/budget.js';
import { stockholmDateTime, toStockholmDate } from '../domain/dates.js';
import type { Body, ForbundFile } from '../domain/forbund-file.js';
import { buildYearPlan, meetingRules, placeInYear, sameDateInYear } from '../domain/kalendarium.js';
import { obligationsWithCondition, type ReportingPolicy } from '../domain/rapportering.js';
import { Prisma, type PrismaClient } from '../prisma/db.js';
import { audit } from './audit.js';
import { insertRows, updateRows, type RowUpdate } from './bulk.js';

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

/** What differs between a row and the fields it should have (compared as stored: dates, decimals, JSON). */
function differences(existing: Record<string, unknown>, wanted: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(wanted).filter(([k, v]) => !same(norm(existing[k]), norm(v))));
}

/**
 * A table's changes, worked out in memory and then written as set operations: the rows to create
 * (each with its id, so later tables can refer to it), the rows whose fields differ (only what
 * differs is written, so a repeated import leaves even updatedAt alone), the rows to delete.
 */
class Changes<C> {
  creates: C[] = [];
  updates: RowUpdate[] = [];
  deletes: string[] = [];

  /**
   * Decides for one row as the file wants it: create it when there is none, write what differs,
   * or leave it; counted under `entity`. `create` gives the new row's data, given its new id.
   */
  sync(c: Counter, entity: string, existing: ({ id: string } & Record<string, unknown>) | null, wanted: Record<string, unknown>, create: (id: string) => C, increment?: (diff: Record<string, unknown>) => string[] | undefined): { result: 'created' | 'updated' | 'unchanged'; id: string } {
    if (!existing) {
      // A v4 UUID, as Prisma's @default(uuid()) gives.
      const id = randomUUID();
      this.creates.push(create(id));
      c.bump(entity, 'created');
      return { result: 'created', id };
    }
    const diff = differences(existing, wanted);
    if (Object.keys(diff).length === 0) {
      c.bump(entity, 'unchanged');
      return { result: 'unchanged', id: existing.id };
    }
    const inc = increment?.(diff);
    this.updates.push({ id: existing.id, set: diff, ...(inc?.length ? { increment: inc } : {}) });
    c.bump(entity, 'updated');
    return { result: 'updated', id: existing.id };
  }
}

// The columns the import writes, by table, as PostgreSQL types (services/bulk.ts).
const MEMBER_COLUMNS = { id: 'text', forbundId: 'text', key: 'text', name: 'text', kind: '"MemberKind"', sharePercent: 'numeric', contribution: 'integer', email: 'text' };
const PERSON_COLUMNS = { id: 'text', forbundId: 'text', key: 'text', name: 'text', email: 'text', roles: 'text[]', appointedBy: 'text[]' };
const BODY_COLUMNS = { id: 'text', forbundId: 'text', kind: '"BodyKind"', name: 'text' };
const MEMBERSHIP_COLUMNS = { id: 'text', bodyId: 'text', personId: 'text', role: 'text', memberId: 'text', substituteOrder: 'integer', periodFrom: 'date', periodTo: 'date' };
const PROJECT_COLUMNS = {
  id: 'text',
  forbundId: 'text',
  key: 'text',
  name: 'text',
  dnr: 'text',
  huvudman: 'text',
  purpose: 'text',
  coordinatorId: 'text',
  startDate: 'date',
  endDate: 'date',
  grants: 'jsonb',
  goals: 'text[]',
  reportKinds: '"ReportKind"[]',
  status: '"ProjectStatus"',
  startCondition: 'text',
  createdAt: 'timestamp(3)',
  updatedAt: 'timestamp(3)',
};
const OBLIGATION_COLUMNS = { id: 'text', projectId: 'text', kind: '"ReportKind"', periodEnd: 'date', periodStart: 'date', dueDate: 'date', status: '"ObligationStatus"', createdAt: 'timestamp(3)', updatedAt: 'timestamp(3)' };
const MEETING_COLUMNS = {
  id: 'text',
  forbundId: 'text',
  year: 'integer',
  key: 'text',
  kind: '"MeetingKind"',
  title: 'text',
  startsAt: 'timestamp(3)',
  endsAt: 'timestamp(3)',
  location: 'text',
  status: '"MeetingStatus"',
  forMeetingId: 'text',
  sequence: 'integer',
  updatedAt: 'timestamp(3)',
};
const MILESTONE_COLUMNS = { id: 'text', forbundId: 'text', year: 'integer', kind: 'text', title: 'text', dueDate: 'date', owner: 'text', meetingId: 'text', sequence: 'integer' };
// The amounts are bigint (kronor; a line may pass 2^31): read as integer they would overflow.
const BUDGET_LINE_COLUMNS = { id: 'text', forbundId: 'text', year: 'integer', key: 'text', name: 'text', kind: 'text', group: 'text', amount: 'bigint', projectKey: 'text', memberKey: 'text', position: 'integer' };
const BUDGET_YEAR_COLUMNS = { id: 'text', forbundId: 'text', year: 'integer', equityCarriedOver: 'bigint', statedTotals: 'jsonb', warnings: 'jsonb', updatedAt: 'timestamp(3)' };

/**
 * The id of a person the file refers to. A validated file (parseForbundFile) refers only to its
 * own; a file put together otherwise fails here, before anything is written.
 */
function known(ids: Map<string, string>, key: string, where: string): string {
  const id = ids.get(key);
  if (id === undefined) throw new Error(`${where}: "${key}" is not in the file`);
  return id;
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

  // Each table is read once, its differences from the file worked out in memory, and written in a
  // few statements (one INSERT, one UPDATE … FROM (VALUES …), one DELETE), in the order the
  // references need: members and people before the rosters and projects, projects before their
  // reports, meetings before the milestones that name them.
  const forbundId = await prisma.$transaction(
    async (tx) => {
      const now = new Date();
      const f = file.forbund;
      const existing = await tx.forbund.findUnique({ where: { slug: f.id } });
      const policy: ReportingPolicy = file.reporting;
      // The meetings' date rules are kept with the settings: next year's proposed calendar follows them.
      const cycleSettings = { ...file.cycle, meetings: undefined, planningDays: undefined, meetingRules: meetingRules(file.cycle) };
      // The financing policy and the SIE account mapping travel with the förbund; no budget section, none.
      const moneyPolicy = file.budget ? { policy: file.budget.policy ?? null, accounts: file.budget.accounts } : Prisma.DbNull;
      const wanted = { name: f.name, organisationNumber: f.organisationNumber ?? null, email: f.email, reportingPolicy: policy, cycleSettings, moneyPolicy };
      let forbundId: string;
      // Go-live: the day of the first import (Stockholm) unless the file says; a re-import keeps
      // it, except when the file gives a date. Nothing due before it is reminded or escalated.
      const goLive = f.goLive ? { goLiveOn: day(f.goLive) } : {};
      if (!existing) {
        forbundId = (await tx.forbund.create({ data: { slug: f.id, ...(wanted as object), goLiveOn: day(f.goLive ?? toStockholmDate(now)) } as never, select: { id: true } })).id;
        c.bump('forbund', 'created');
      } else {
        forbundId = existing.id;
        const d = { ...differences(existing, wanted), ...(f.goLive && existing.goLiveOn?.getTime() !== day(f.goLive).getTime() ? goLive : {}), ...(!existing.goLiveOn && !f.goLive ? { goLiveOn: day(toStockholmDate(existing.createdAt)) } : {}) };
        if (Object.keys(d).length) {
          await tx.forbund.update({ where: { id: existing.id }, data: d as never });
          c.bump('forbund', 'updated');
        } else c.bump('forbund', 'unchanged');
      }
      const policyChanged = existing !== null && !same(existing.reportingPolicy, policy);

      // Members
      const members = new Map((await tx.member.findMany({ where: { forbundId } })).map((m) => [m.key, m]));
      const memberChanges = new Changes<Prisma.MemberCreateManyInput>();
      const memberId = new Map<string, string>();
      for (const m of file.members) {
        const w = { name: m.name, kind: m.kind, sharePercent: m.share ?? null, contribution: m.contribution ?? null, email: m.email ?? null };
        const e = members.get(m.id) ?? null;
        members.delete(m.id);
        const { id } = memberChanges.sync(c, 'members', e, w, (id) => ({ id, forbundId, key: m.id, ...w }));
        memberId.set(m.id, id);
      }
      for (const gone of members.values()) {
        memberChanges.deletes.push(gone.id);
        c.bump('members', 'removed');
      }
      await insertRows(tx, 'Member', MEMBER_COLUMNS, memberChanges.creates);
      await updateRows(tx, 'Member', MEMBER_COLUMNS, memberChanges.updates);
      if (memberChanges.deletes.length) await tx.member.deleteMany({ where: { id: { in: memberChanges.deletes } } });

      // People (a person still coordinating a project in the database is kept until the project moves on)
      const peopleRows = await tx.person.findMany({ where: { forbundId } });
      const people = new Map(peopleRows.map((p) => [p.key, p]));
      const personId = new Map(peopleRows.map((p) => [p.key, p.id]));
      const personChanges = new Changes<Prisma.PersonCreateManyInput>();
      for (const p of file.people) {
        const w = { name: p.name, email: p.email, roles: [...p.roles].sort(), appointedBy: [...(p.appointedBy ?? [])] };
        const e = people.get(p.id) ?? null;
        people.delete(p.id);
        const { id } = personChanges.sync(c, 'people', e, w, (id) => ({ id, forbundId, key: p.id, ...w }));
        personId.set(p.id, id);
      }
      await insertRows(tx, 'Person', PERSON_COLUMNS, personChanges.creates);
      await updateRows(tx, 'Person', PERSON_COLUMNS, personChanges.updates);

      // Bodies and memberships
      const kinds = ['styrelse', 'presidium', 'beredningsgrupp'] as const;
      const bodies = new Map((await tx.body.findMany({ where: { forbundId } })).map((b) => [b.kind, b]));
      const bodyChanges = new Changes<Prisma.BodyCreateManyInput>();
      const bodyId = new Map<(typeof kinds)[number], string>();
      for (const kind of kinds) {
        const b = file.bodies[kind];
        const e = bodies.get(kind) ?? null;
        if (!b) {
          if (e) {
            bodyChanges.deletes.push(e.id);
            c.bump('bodies', 'removed');
          }
          continue;
        }
        const name = b.name ?? { styrelse: 'Styrelsen', presidium: 'Presidiet', beredningsgrupp: 'Beredningsgruppen' }[kind];
        bodyId.set(kind, bodyChanges.sync(c, 'bodies', e, { name }, (id) => ({ id, forbundId, kind, name })).id);
      }
      if (bodyChanges.deletes.length) await tx.body.deleteMany({ where: { id: { in: bodyChanges.deletes } } });
      await insertRows(tx, 'Body', BODY_COLUMNS, bodyChanges.creates);
      await updateRows(tx, 'Body', BODY_COLUMNS, bodyChanges.updates);

      const keptBodies = [...bodies.values()].filter((b) => bodyId.get(b.kind) === b.id).map((b) => b.id);
      const memberships = keptBodies.length ? await tx.bodyMembership.findMany({ where: { bodyId: { in: keptBodies } } }) : [];
      const membershipChanges = new Changes<Prisma.BodyMembershipCreateManyInput>();
      for (const kind of kinds) {
        const b = file.bodies[kind];
        if (!b) continue;
        const id = bodyId.get(kind)!;
        const current = new Map(memberships.filter((m) => m.bodyId === id).map((m) => [m.personId, m]));
        for (const m of b.members) {
          const pid = known(personId, m.person, `/bodies/${kind}/members/${m.person}`);
          const w = {
            role: m.role,
            memberId: m.member ? (memberId.get(m.member) ?? null) : null,
            substituteOrder: m.order ?? null,
            periodFrom: m.period?.from ? day(m.period.from) : null,
            periodTo: m.period?.to ? day(m.period.to) : null,
          };
          const e = current.get(pid) ?? null;
          current.delete(pid);
          membershipChanges.sync(c, 'memberships', e, w, (newId) => ({ id: newId, bodyId: id, personId: pid, ...w }));
        }
        for (const gone of current.values()) {
          membershipChanges.deletes.push(gone.id);
          c.bump('memberships', 'removed');
        }
      }
      await insertRows(tx, 'BodyMembership', MEMBERSHIP_COLUMNS, membershipChanges.creates);
      await updateRows(tx, 'BodyMembership', MEMBERSHIP_COLUMNS, membershipChanges.updates);
      if (membershipChanges.deletes.length) await tx.bodyMembership.deleteMany({ where: { id: { in: membershipChanges.deletes } } });

      // Projects and their reporting obligations
      const projects = new Map((await tx.project.findMany({ where: { forbundId } })).map((p) => [p.key, p]));
      const inFile = file.projects.flatMap((p) => projects.get(p.id)?.id ?? []);
      const obligations = inFile.length ? await tx.reportingObligation.findMany({ where: { projectId: { in: inFile } } }) : [];
      const byProject = new Map<string, typeof obligations>();
      for (const o of obligations) {
        const list = byProject.get(o.projectId);
        if (list) list.push(o);
        else byProject.set(o.projectId, [o]);
      }
      const redated = await decidedThroughApi(tx, forbundId, ['obligation.redated'], obligations.map((o) => o.id));
      const boardGrants = await grantedByBoard(tx, forbundId);
      const projectChanges = new Changes<Prisma.ProjectCreateManyInput>();
      const obligationChanges = new Changes<Prisma.ReportingObligationCreateManyInput>();
      for (const p of file.projects) {
        const e = projects.get(p.id) ?? null;
        // A year's grant the board decided (a funding application, project.granted) is a later decision than the file: it stays.
        const grants = { ...p.grants };
        for (const year of e ? (boardGrants.get(e.id) ?? []) : []) {
          const stored = (e!.grants as Record<string, number> | null)?.[year];
          if (typeof stored !== 'number' || stored === p.grants[year]) continue;
          grants[year] = stored;
          kept.push(`${p.id}: the grant for ${year} stays ${stored} kr (decided by the board on a funding application); the file says ${p.grants[year] ?? 'none'}`);
        }
        const w = {
          name: p.name,
          dnr: p.dnr ?? null,
          huvudman: p.huvudman ?? '',
          purpose: p.purpose?.trim() ?? '',
          coordinatorId: known(personId, p.coordinator, `/projects/${p.id}/coordinator`),
          startDate: day(p.start),
          endDate: day(p.end),
          grants,
          goals: p.goals,
          reportKinds: p.reports,
          status: p.status,
          // A conditional start; when it was met (conditionMetOn) is the official's, recorded through the API, and stays.
          startCondition: p.startCondition?.trim() || null,
        };
        const { result, id } = projectChanges.sync(c, 'projects', e, w, (id) => ({ id, forbundId, key: p.id, ...w, createdAt: now, updatedAt: now }));
        const gate = { startCondition: w.startCondition, conditionMetOn: e?.conditionMetOn ? iso(e.conditionMetOn) : null };
        const obligationsChanged = planObligations(c, obligationChanges, id, policy, p, p.status === 'withdrawn', byProject.get(id) ?? [], redated, kept, now, gate);
        if (result !== 'unchanged' || obligationsChanged || policyChanged) changedProjects.push(id);
      }
      await insertRows(tx, 'Project', PROJECT_COLUMNS, projectChanges.creates);
      await updateRows(tx, 'Project', PROJECT_COLUMNS, projectChanges.updates, { updatedAt: now });
      await insertRows(tx, 'ReportingObligation', OBLIGATION_COLUMNS, obligationChanges.creates);
      await updateRows(tx, 'ReportingObligation', OBLIGATION_COLUMNS, obligationChanges.updates, { updatedAt: now });

      // People no longer in the file and no longer coordinating anything.
      const gonePeople = [...people.values()];
      if (gonePeople.length) {
        const coordinating = await tx.project.findMany({ where: { coordinatorId: { in: gonePeople.map((p) => p.id) } }, select: { coordinatorId: true }, distinct: ['coordinatorId'] });
        const busy = new Set(coordinating.map((p) => p.coordinatorId));
        const free = gonePeople.filter((p) => !busy.has(p.id)).map((p) => p.id);
        if (free.length) await tx.person.deleteMany({ where: { id: { in: free } } });
        free.forEach(() => c.bump('people', 'removed'));
      }

      cycleChanged = await syncCycle(tx, c, forbundId, file, year, kept, now);
      warnings.push(...(await syncBudget(tx, c, forbundId, file, input, now)));

      const changed = Object.values(c.counts).some((x) => x.created + x.updated + x.removed > 0);
      if (changed) {
        await audit(tx, { forbundId, actor: opts.actor, action: 'forbund.imported', entityType: 'forbund', entityId: forbundId, data: { file: opts.fileName ?? null, year, counts: c.counts } });
      }
      return forbundId;
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
async function syncBudget(tx: Tx, c: Counter, forbundId: string, file: ForbundFile, asWritten: ForbundFile, now: Date): Promise<BudgetWarning[]> {
  const all: BudgetWarning[] = [];
  const delta = file.forbund.year - asWritten.forbund.year;
  const written = new Map(yearBudgetsOf(asWritten).map((y) => [y.year + delta, y]));
  const budgets = yearBudgetsOf(file);
  if (!budgets.length) return all;
  const years = budgets.map((y) => y.year);
  // Each amount fits what is stored (and every sum of them stays exact); the file says where one does not.
  for (const y of budgets) {
    const at = (what: string) => `budget.years.${y.year - delta}: ${what}`;
    for (const l of y.lines) if (!isStorableKr(l.amount)) throw new Error(`${at(`the amount of line "${l.key}", ${l.amount}`)} is beyond ${MAX_AMOUNT_KR} kr, the most one figure may be`);
    if (y.equityCarriedOver !== undefined && !isStorableKr(y.equityCarriedOver)) throw new Error(`${at(`equityCarriedOver ${y.equityCarriedOver}`)} is beyond ${MAX_AMOUNT_KR} kr either way, the most one figure may be`);
  }
  // Amounts are read as numbers (bigint in the database), to compare with the file's.
  const storedLines = (await tx.budgetLine.findMany({ where: { forbundId, year: { in: years } } })).map((l) => ({ ...l, amount: krOf(l.amount) }));
  const storedYears = new Map((await tx.budgetYear.findMany({ where: { forbundId, year: { in: years } } })).map((y) => [y.year, { ...y, equityCarriedOver: y.equityCarriedOver === null ? null : krOf(y.equityCarriedOver) }]));
  const lineChanges = new Changes<Prisma.BudgetLineCreateManyInput>();
  const yearChanges = new Changes<Prisma.BudgetYearCreateManyInput>();
  for (const y of budgets) {
    const { year } = y;
    const existing = new Map(storedLines.filter((l) => l.year === year).map((l) => [l.key, l]));
    for (const [position, l] of y.lines.entries()) {
      const w = { name: l.name, kind: l.kind, group: l.group, amount: l.amount, projectKey: l.projectKey ?? null, memberKey: l.memberKey ?? null, position };
      const e = existing.get(l.key) ?? null;
      existing.delete(l.key);
      lineChanges.sync(c, 'budgetLines', e, w, (id) => ({ id, forbundId, year, key: l.key, ...w }));
    }
    for (const gone of existing.values()) {
      lineChanges.deletes.push(gone.id);
      c.bump('budgetLines', 'removed');
    }
    const original = written.get(year)!;
    const warnings = budgetWarnings(original, projectCeilingsFor(asWritten, original.year));
    all.push(...warnings);
    const w = {
      equityCarriedOver: y.equityCarriedOver ?? null,
      statedTotals: y.stated ? ({ ...y.stated } as Prisma.InputJsonObject) : Prisma.DbNull,
      warnings: warnings as unknown as Prisma.InputJsonArray,
    };
    yearChanges.sync(c, 'budgetYears', storedYears.get(year) ?? null, w, (id) => ({ id, forbundId, year, ...w, updatedAt: now }));
  }
  await insertRows(tx, 'BudgetLine', BUDGET_LINE_COLUMNS, lineChanges.creates);
  await updateRows(tx, 'BudgetLine', BUDGET_LINE_COLUMNS, lineChanges.updates);
  if (lineChanges.deletes.length) await tx.budgetLine.deleteMany({ where: { id: { in: lineChanges.deletes } } });
  await insertRows(tx, 'BudgetYear', BUDGET_YEAR_COLUMNS, yearChanges.creates);
  await updateRows(tx, 'BudgetYear', BUDGET_YEAR_COLUMNS, yearChanges.updates, { updatedAt: now });
  return all;
}

/** A project's conditional start as stored: the condition, and the day the official recorded it met. */
export interface StartGate {
  startCondition: string | null;
  conditionMetOn: string | null;
}

/**
 * A project's reporting obligations as the file plans them, against the ones `stored` for it; the
 * changes go into `changes` (written with every other project's). True when any changed.
 */
function planObligations(
  c: Counter,
  changes: Changes<Prisma.ReportingObligationCreateManyInput>,
  projectId: string,
  policy: ReportingPolicy,
  p: ForbundFile['projects'][number],
  withdrawn: boolean,
  stored: { id: string; kind: string; periodEnd: Date; dueDate: Date; status: string }[],
  redated: Set<string>,
  kept: string[],
  now: Date,
  gate: StartGate = { startCondition: null, conditionMetOn: null },
): boolean {
  // A conditional start not yet met plans nothing; met, the reports run from that day (obligationsWithCondition).
  const planned = withdrawn ? [] : obligationsWithCondition(policy, { start: p.start, end: p.end, reportKinds: p.reports, ...gate });
  const existing = new Map(stored.map((o) => [`${o.kind}:${iso(o.periodEnd)}`, o]));
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
    const { result } = changes.sync(c, 'obligations', e, w, (id) => ({ id, projectId, kind: o.kind, periodEnd: day(o.periodEnd), periodStart: day(o.periodStart), dueDate: day(o.dueDate), createdAt: now, updatedAt: now }));
    if (result !== 'unchanged') changed = true;
  }
  for (const gone of existing.values()) {
    if (gone.status === 'open') {
      changes.updates.push({ id: gone.id, set: { status: 'withdrawn' } });
      c.bump('obligations', 'removed');
      changed = true;
    }
  }
  return changed;
}

/**
 * One project's reporting obligations planned again outside an import (a project created or edited
 * on the official's pages or through the API, services/projekt.ts), by the import's own rules
 * (planObligations): a submitted report is kept, an open one follows the project (a withdrawn one
 * reopens) except for a due date moved through the API, an open one no longer owed is withdrawn.
 * Written in the caller's transaction. `kept`: the due dates kept, as the import lists them.
 */
export async function planProjectObligations(
  tx: Tx,
  a: { forbundId: string; projectId: string; policy: ReportingPolicy; project: ForbundFile['projects'][number]; withdrawn: boolean; now: Date },
): Promise<{ changed: boolean; kept: string[] }> {
  const changes = new Changes<Prisma.ReportingObligationCreateManyInput>();
  const stored = await tx.reportingObligation.findMany({ where: { projectId: a.projectId } });
  const redated = await decidedThroughApi(tx, a.forbundId, ['obligation.redated'], stored.map((o) => o.id));
  const kept: string[] = [];
  // The conditional start is the stored project's (the file's condition, the official's day it was met).
  const row = await tx.project.findUnique({ where: { id: a.projectId }, select: { startCondition: true, conditionMetOn: true } });
  const gate: StartGate = { startCondition: row?.startCondition ?? null, conditionMetOn: row?.conditionMetOn ? iso(row.conditionMetOn) : null };
  const changed = planObligations(new Counter(), changes, a.projectId, a.policy, a.project, a.withdrawn, stored, redated, kept, a.now, gate);
  await insertRows(tx, 'ReportingObligation', OBLIGATION_COLUMNS, changes.creates);
  await updateRows(tx, 'ReportingObligation', OBLIGATION_COLUMNS, changes.updates, { updatedAt: a.now });
  return { changed, kept };
}

/** The years of each project's grant set by the board's decision on a funding application (services/beviljning.ts), by project id. */
async function grantedByBoard(tx: Tx, forbundId: string): Promise<Map<string, string[]>> {
  const rows = await tx.auditEvent.findMany({ where: { forbundId, action: 'project.granted', entityType: 'project' }, select: { entityId: true, data: true } });
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const year = (r.data as { year?: unknown } | null)?.year;
    if (typeof year !== 'number') continue;
    const list = out.get(r.entityId) ?? [];
    if (!list.includes(String(year))) list.push(String(year));
    out.set(r.entityId, list);
  }
  return out;
}

/**
 * Which of these entities a person changed through the API (an audited action not by an import).
 * The API audits these actions under the entity's förbund, so one query by förbund and action
 * answers for all of them (a few rows: decisions by people), however many the ids.
 */
async function decidedThroughApi(tx: Tx, forbundId: string, actions: string[], ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await tx.auditEvent.findMany({ where: { forbundId, action: { in: actions }, NOT: { actor: { startsWith: 'import' } } }, select: { entityId: true } });
  const wanted = new Set(ids);
  return new Set(rows.map((r) => r.entityId).filter((id) => wanted.has(id)));
}

/**
 * The year's meetings and milestones. A meeting whose time or place changes gets a higher
 * SEQUENCE, so its invite is sent again as an update; one no longer in the file is cancelled.
 * The file is the board's adopted calendar for its year.
 */
async function syncCycle(tx: Tx, c: Counter, forbundId: string, file: ForbundFile, year: number, kept: string[], now: Date): Promise<boolean> {
  const plan = buildYearPlan(file, year);
  let changed = false;
  const stored = await tx.meeting.findMany({ where: { forbundId, year } });
  const existing = new Map(stored.map((m) => [m.key, m]));
  const decided = await decidedThroughApi(tx, forbundId, ['meeting.moved', 'meeting.cancelled'], stored.map((m) => m.id));
  const meetings = new Changes<Prisma.MeetingCreateManyInput>();
  // Every meeting of the year by key, stored or new: what preparatory meetings and milestones refer to.
  const ids = new Map(stored.map((m) => [m.key, m.id]));
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
    const { result, id } = meetings.sync(c, 'meetings', e, w, (id) => ({ id, forbundId, year, key: m.key, kind: m.kind, title: m.title, ...fromFile, updatedAt: now }), () => (moved ? ['sequence'] : undefined));
    ids.set(m.key, id);
    if (result !== 'unchanged') changed = true;
  }
  for (const gone of existing.values()) {
    if (gone.status !== 'cancelled') {
      meetings.updates.push({ id: gone.id, set: { status: 'cancelled' }, increment: ['sequence'] });
      c.bump('meetings', 'removed');
      changed = true;
    }
  }
  // Which board meeting each preparatory meeting prepares (not counted as a change of its own).
  const updates = new Map(meetings.updates.map((u) => [u.id, u]));
  const created = new Map(meetings.creates.map((m) => [m.id!, m]));
  const storedById = new Map(stored.map((m) => [m.id, m]));
  for (const m of plan.meetings.filter((x) => x.forKey)) {
    const id = ids.get(m.key)!;
    const forId = ids.get(m.forKey!) ?? null;
    const fresh = created.get(id);
    if (fresh) {
      fresh.forMeetingId = forId;
      continue;
    }
    if ((storedById.get(id)?.forMeetingId ?? null) === forId) continue;
    const u = updates.get(id);
    if (u) u.set.forMeetingId = forId;
    else {
      const row = { id, set: { forMeetingId: forId } };
      meetings.updates.push(row);
      updates.set(id, row);
    }
  }
  // The meetings others prepare go in first: a new preparatory meeting refers to its board meeting.
  meetings.creates.sort((a, b) => Number(Boolean(a.forMeetingId)) - Number(Boolean(b.forMeetingId)));
  await insertRows(tx, 'Meeting', MEETING_COLUMNS, meetings.creates);
  await updateRows(tx, 'Meeting', MEETING_COLUMNS, meetings.updates, { updatedAt: now });

  const milestones = new Map((await tx.milestone.findMany({ where: { forbundId, year } })).map((m) => [m.kind, m]));
  const milestoneChanges = new Changes<Prisma.MilestoneCreateManyInput>();
  for (const m of plan.milestones) {
    const e = milestones.get(m.kind) ?? null;
    milestones.delete(m.kind);
    const w = { title: m.title, dueDate: day(m.dueDate), owner: m.owner, meetingId: m.meetingKey ? ids.get(m.meetingKey)! : null };
    // A moved due date raises the milestone's SEQUENCE, so subscribed calendars replace the old date.
    const { result } = milestoneChanges.sync(c, 'milestones', e, w, (id) => ({ id, forbundId, year, kind: m.kind, ...w }), (d) => (d.dueDate ? ['sequence'] : undefined));
    if (result !== 'unchanged') changed = true;
  }
  for (const gone of milestones.values()) {
    if (gone.status === 'open') {
      milestoneChanges.deletes.push(gone.id);
      c.bump('milestones', 'removed');
      changed = true;
    }
  }
  await insertRows(tx, 'Milestone', MILESTONE_COLUMNS, milestoneChanges.creates);
  await updateRows(tx, 'Milestone', MILESTONE_COLUMNS, milestoneChanges.updates);
  if (milestoneChanges.deletes.length) await tx.milestone.deleteMany({ where: { id: { in: milestoneChanges.deletes } } });

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
