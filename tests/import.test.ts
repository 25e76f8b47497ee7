import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, daysBetween, isWorkingDay, stockholmDateTime, toStockholmDate, toStockholmTime } from '../domain/dates.js';
import { ForbundFileError, parseForbundFile, type Milestone } from '../domain/forbund-file.js';
import { kallelseDeadline, proposeNextYear, storedMeetingRules, type MeetingKind } from '../domain/kalendarium.js';
import { SEND_TIME } from '../domain/rapportering.js';
import type { Database } from '../prisma/db.js';
import { meetingDate } from '../services/arscykel.js';
import { importForbund } from '../services/import.js';
import { boardPlan } from '../services/styrelse.js';
import { testDatabase } from './support/database.js';

const examples = readdirSync('examples').filter((f) => f.endsWith('.yaml'));
const load = (name: string) => parseForbundFile(readFileSync(`examples/${name}`, 'utf8'), name);
const iso = (d: Date) => d.toISOString().slice(0, 10);

/** Everything the import writes, without generated ids and timestamps that differ by design. */
async function snapshot(db: Database) {
  const p = db.prisma;
  return JSON.stringify({
    forbund: await p.forbund.findMany({ orderBy: { slug: 'asc' } }),
    members: await p.member.findMany({ orderBy: [{ forbundId: 'asc' }, { key: 'asc' }] }),
    people: await p.person.findMany({ orderBy: [{ forbundId: 'asc' }, { key: 'asc' }] }),
    memberships: await p.bodyMembership.findMany({ orderBy: { id: 'asc' } }),
    projects: await p.project.findMany({ orderBy: [{ forbundId: 'asc' }, { key: 'asc' }] }),
    obligations: await p.reportingObligation.findMany({ orderBy: { id: 'asc' } }),
    meetings: await p.meeting.findMany({ orderBy: { id: 'asc' } }),
    milestones: await p.milestone.findMany({ orderBy: { id: 'asc' } }),
    audit: await p.auditEvent.count(),
  });
}

describe('importing förbund files', () => {
  let db: Database;
  beforeAll(async () => {
    db = await testDatabase();
  });
  afterAll(() => db?.close());

  it.each(examples)('imports %s, and importing it again changes nothing', async (name) => {
    const file = load(name);
    const first = await importForbund(db.prisma, file, { actor: 'test' });
    expect(first.changed).toBe(true);
    expect(first.counts.projects.created).toBe(file.projects.length);
    const before = await snapshot(db);
    const again = await importForbund(db.prisma, file, { actor: 'test' });
    expect(again.changed).toBe(false);
    expect(again.changedProjects).toEqual([]);
    expect(await snapshot(db)).toBe(before);
  });

  it('Sydnärke: members, people, bodies, projects with ceilings and report obligations', async () => {
    const f = await db.prisma.forbund.findUniqueOrThrow({ where: { slug: 'sydnarke' }, include: { members: true, projects: { include: { obligations: true } } } });
    expect(f.members).toHaveLength(7);
    expect(f.projects).toHaveLength(load('sydnarke.yaml').projects.length);
    const withCeiling = f.projects.find((p) => Object.keys(p.grants as object).length > 0)!;
    expect(Object.values(withCeiling.grants as Record<string, number>).every((v) => v > 0)).toBe(true);
    expect(f.projects.some((p) => p.obligations.length > 0)).toBe(true);
    // A due date never falls on a weekend.
    for (const p of f.projects) for (const o of p.obligations) expect([0, 6]).not.toContain(o.dueDate.getUTCDay());
  });

  it('places an example in another year: dates move, weekdays of meetings are kept', async () => {
    const file = load('sydnarke.yaml');
    const summary = await importForbund(db.prisma, file, { actor: 'test', year: 2026 });
    expect(summary.year).toBe(2026);
    const f = await db.prisma.forbund.findUniqueOrThrow({ where: { slug: 'sydnarke' } });
    const m2016 = await db.prisma.meeting.findFirstOrThrow({ where: { forbundId: f.id, year: 2016, key: 'styrelse-02' } });
    const m2026 = await db.prisma.meeting.findFirstOrThrow({ where: { forbundId: f.id, year: 2026, key: 'styrelse-02' } });
    expect(m2026.startsAt.getUTCFullYear()).toBe(2026);
    expect(m2026.startsAt.getUTCDay()).toBe(m2016.startsAt.getUTCDay());
    const projects = await db.prisma.project.findMany({ where: { forbundId: f.id } });
    expect(projects.every((p) => p.endDate.getUTCFullYear() >= 2026)).toBe(true);
  });

  it('the board roster lands in the database: ersättare order, mandatperiod, the members\' registrator addresses (Nedansiljan 2010)', async () => {
    const f = await db.prisma.forbund.findUniqueOrThrow({ where: { slug: 'nedansiljan' }, include: { members: { orderBy: { key: 'asc' } } } });
    const rows = await db.prisma.bodyMembership.findMany({ where: { body: { forbundId: f.id, kind: 'styrelse' } }, include: { person: true, member: true } });
    const seat = (key: string) => {
      const m = rows.find((r) => r.person.key === key)!;
      return { role: m.role, member: m.member?.key ?? null, order: m.substituteOrder, from: m.periodFrom && iso(m.periodFrom), to: m.periodTo && iso(m.periodTo) };
    };
    expect(rows).toHaveLength(12);
    expect(seat('gun-ersattare')).toEqual({ role: 'deputy', member: 'leksands-kommun', order: 1, from: '2007-01-01', to: '2010-12-31' });
    expect(seat('lars-ersattare')).toEqual({ role: 'deputy', member: 'arbetsformedlingen', order: 6, from: '2007-01-01', to: '2010-12-31' });
    expect(seat('anna-ledamot')).toEqual({ role: 'chair', member: 'leksands-kommun', order: null, from: '2007-01-01', to: '2010-12-31' });
    // @db.Date: stored at UTC midnight, like every other day in the import
    expect(rows.every((r) => r.periodFrom!.toISOString() === '2007-01-01T00:00:00.000Z')).toBe(true);
    expect(rows.filter((r) => r.role === 'deputy').map((r) => r.substituteOrder).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(f.members.map((m) => [m.key, m.email])).toContainEqual(['leksands-kommun', 'registrator@leksand.example']);
    expect(f.members.every((m) => m.email?.startsWith('registrator@'))).toBe(true);
    // HjoTiBorg gives no addresses: null
    expect((await db.prisma.member.findMany({ where: { forbund: { slug: 'hjotiborg' } } })).every((m) => m.email === null)).toBe(true);
  });

  it('a placed example\'s mandatperiods move with it (Sydnärke 2016 placed in 2026: 2025–2028)', async () => {
    const rows = await db.prisma.bodyMembership.findMany({ where: { body: { forbund: { slug: 'sydnarke' }, kind: 'styrelse' } } });
    expect(rows).toHaveLength(14);
    expect(rows.every((r) => iso(r.periodFrom!) === '2025-01-01' && iso(r.periodTo!) === '2028-12-31')).toBe(true);
  });

  it('a re-import with a changed roster updates it and says so; importing it again changes nothing', async () => {
    const file = load('nedansiljan.yaml');
    const board = file.bodies.styrelse.members;
    const changed = {
      ...file,
      members: file.members.map((m) => (m.id === 'leksands-kommun' ? { ...m, email: 'diarium@leksand.example' } : m)),
      bodies: {
        ...file.bodies,
        styrelse: {
          ...file.bodies.styrelse,
          // Gun and Hans change places in the calling-in order; Lars leaves mid-year; Karin has no place.
          members: board.map((m) =>
            m.person === 'gun-ersattare' ? { ...m, order: 2 }
            : m.person === 'hans-ersattare' ? { ...m, order: 1 }
            : m.person === 'lars-ersattare' ? { ...m, period: { from: '2007-01-01', to: '2010-06-30' } }
            : m.person === 'karin-ersattare' ? { ...m, order: undefined }
            : m,
          ),
        },
      },
    };
    const summary = await importForbund(db.prisma, changed, { actor: 'test' });
    expect(summary.changed).toBe(true);
    expect(summary.counts.memberships).toEqual({ created: 0, updated: 4, unchanged: 8, removed: 0 });
    expect(summary.counts.members).toEqual({ created: 0, updated: 1, unchanged: 5, removed: 0 });
    const f = await db.prisma.forbund.findUniqueOrThrow({ where: { slug: 'nedansiljan' } });
    const membership = (key: string) => db.prisma.bodyMembership.findFirstOrThrow({ where: { body: { forbundId: f.id }, person: { key } } });
    expect((await membership('gun-ersattare')).substituteOrder).toBe(2);
    expect((await membership('hans-ersattare')).substituteOrder).toBe(1);
    expect((await membership('karin-ersattare')).substituteOrder).toBeNull();
    expect(iso((await membership('lars-ersattare')).periodTo!)).toBe('2010-06-30');
    expect((await db.prisma.member.findFirstOrThrow({ where: { forbundId: f.id, key: 'leksands-kommun' } })).email).toBe('diarium@leksand.example');
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { forbundId: f.id, action: 'forbund.imported' }, orderBy: { at: 'desc' } });
    expect((audit.data as { counts: Record<string, { updated: number }> }).counts.memberships.updated).toBe(4);

    expect((await importForbund(db.prisma, changed, { actor: 'test' })).changed).toBe(false);
    // Back to the file as it is.
    const back = await importForbund(db.prisma, file, { actor: 'test' });
    expect(back.counts.memberships.updated).toBe(4);
    expect((await membership('gun-ersattare')).substituteOrder).toBe(1);
  });

  it('a changed file updates in place: a moved project end re-plans its reports', async () => {
    const file = load('sydnarke.yaml');
    const p0 = file.projects[0];
    const changed = { ...file, projects: [{ ...p0, name: `${p0.name} (nytt namn)` }, ...file.projects.slice(1)] };
    const summary = await importForbund(db.prisma, changed, { actor: 'test', year: 2026 });
    expect(summary.counts.projects.updated).toBe(1);
    expect(summary.changedProjects).toHaveLength(1);
    const f = await db.prisma.forbund.findUniqueOrThrow({ where: { slug: 'sydnarke' } });
    expect((await db.prisma.project.findUniqueOrThrow({ where: { forbundId_key: { forbundId: f.id, key: p0.id } } })).name).toMatch(/nytt namn/);
  });

  it('a project without a final report owes its annual report for the period ending on its last day (HjoTiBorg, Sofint)', async () => {
    const obligations = async (slug: string, key: string) =>
      (await db.prisma.reportingObligation.findMany({ where: { project: { key, forbund: { slug } } }, orderBy: { periodEnd: 'asc' } })).map((o) => [o.kind, iso(o.periodEnd), iso(o.dueDate)]);
    for (const p of load('hjotiborg.yaml').projects) {
      expect(await obligations('hjotiborg', p.id), p.id).toEqual([
        ['halfYear', '2010-06-30', '2010-08-02'],
        ['annual', '2010-12-31', '2011-01-31'],
      ]);
    }
    expect(await obligations('sofint', 'samverkan-ljusnarsberg')).toEqual([
      ['halfYear', '2013-06-30', '2013-07-31'],
      ['annual', '2013-12-31', '2014-01-31'],
    ]);
    expect((await obligations('sofint', 'samverkansteamet')).filter(([kind]) => kind === 'annual').map(([, end]) => end)).toEqual(['2013-12-31', '2014-12-31', '2015-12-31']);
  });

  it('plans only the milestones a förbund file names: none for HjoTiBorg and Nedansiljan', async () => {
    for (const slug of ['hjotiborg', 'nedansiljan']) expect(await db.prisma.milestone.count({ where: { forbund: { slug } } }), slug).toBe(0);
    const sofint = await db.prisma.milestone.findMany({ where: { forbund: { slug: 'sofint' } } });
    expect(sofint.map((m) => m.kind).sort()).toEqual(Object.keys(load('sofint.yaml').cycle.milestones).sort());
  });

  it('keeps the meetings\' date rules with the settings, so next year\'s proposal follows them (HjoTiBorg 2019)', async () => {
    await importForbund(db.prisma, load('hjotiborg.yaml'), { actor: 'test', year: 2018 });
    const f = await db.prisma.forbund.findUniqueOrThrow({ where: { slug: 'hjotiborg' } });
    const rules = storedMeetingRules(f.cycleSettings);
    expect(rules).toEqual({ 'samordningsforbundens-dag': { nth: 4, weekday: 'wednesday', month: 8, nonHoliday: true } });
    // As the calendar API proposes: from the stored meetings of 2018 (which carry no rule).
    const stored = await db.prisma.meeting.findMany({ where: { forbundId: f.id, year: 2018 } });
    const asPlanned = stored.map((m) => ({ key: m.key, kind: m.kind as MeetingKind, title: m.title, date: meetingDate(m) }));
    expect(asPlanned.map((m) => m.date)).toEqual(['2018-08-22']);
    expect(proposeNextYear(asPlanned, 2019, rules).map((m) => m.date)).toEqual(['2019-08-28']);
  });

  it('the kallelse reminder comes 3 working days before the kallelse must go out, not on that day', async () => {
    const f = await db.prisma.forbund.findUniqueOrThrow({ where: { slug: 'sydnarke' } });
    // Sydnärke placed in 2026 (imported above): its board meetings of 2026, as each meeting's own
    // workflow plans them (services/styrelse.ts boardPlan; the year workflow no longer reminds).
    const boards = await db.prisma.meeting.findMany({ where: { forbundId: f.id, year: 2026, kind: 'styrelse', status: 'planned' }, orderBy: { startsAt: 'asc' } });
    expect(boards).toHaveLength(7);
    const planOf = async (key: string) => (await boardPlan(db.prisma, boards.find((m) => m.key === key)!.id))!;
    // Board Friday 27 February 2026: kallelse Friday 20 February, reminder Tuesday 17 February 08:00.
    expect(kallelseDeadline(meetingDate(boards.find((m) => m.key === 'styrelse-02')!), 7)).toBe('2026-02-20');
    expect(await planOf('styrelse-02')).toMatchObject({ kallelseDate: '2026-02-20', kallelseReminderAt: stockholmDateTime('2026-02-17', SEND_TIME).toISOString() });
    // Board Friday 18 December 2026: kallelse Friday 11 December, reminder Tuesday 8 December.
    expect(await planOf('styrelse-12')).toMatchObject({ kallelseDate: '2026-12-11', kallelseReminderAt: stockholmDateTime('2026-12-08', SEND_TIME).toISOString() });
    for (const m of boards) {
      const plan = (await boardPlan(db.prisma, m.id))!;
      expect(plan.kallelseDate, m.key).toBe(kallelseDeadline(meetingDate(m), 7));
      // 08:00 Stockholm on a working day, before the kallelse's day, with exactly 3 working days from it to the kallelse.
      const remindOn = toStockholmDate(new Date(plan.kallelseReminderAt));
      expect(toStockholmTime(new Date(plan.kallelseReminderAt)), m.key).toBe(SEND_TIME);
      expect(isWorkingDay(remindOn), m.key).toBe(true);
      expect(remindOn < plan.kallelseDate, m.key).toBe(true);
      const between = Array.from({ length: daysBetween(remindOn, plan.kallelseDate) }, (_, i) => addDays(remindOn, i + 1)).filter((d) => d < plan.kallelseDate && isWorkingDay(d));
      expect(between, m.key).toHaveLength(2); // the reminder's day is the 3rd working day before the kallelse's day
      expect(plan.kallelseReminderAt < plan.kallelseAt, m.key).toBe(true);
    }
    // The lead time is the förbund's setting.
    await db.prisma.forbund.update({ where: { id: f.id }, data: { cycleSettings: { ...(f.cycleSettings as object), kallelseReminderDays: 0 } } });
    try {
      expect((await planOf('styrelse-02')).kallelseReminderAt).toBe(stockholmDateTime('2026-02-20', SEND_TIME).toISOString());
    } finally {
      await db.prisma.forbund.update({ where: { id: f.id }, data: { cycleSettings: f.cycleSettings as object } });
    }
  });

  it('a broken file names file, path and problem, and imports nothing', async () => {
    const text = readFileSync('examples/hjotiborg.yaml', 'utf8').replace(/^(\s*)coordinator: (\S+)/m, '$1coordinator: nobody-here');
    const before = await snapshot(db);
    let error: unknown;
    try {
      await importForbund(db.prisma, parseForbundFile(text, 'hjotiborg.yaml'), { actor: 'test' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ForbundFileError);
    expect((error as ForbundFileError).message).toMatch(/^hjotiborg\.yaml:\/projects\/\d+\/coordinator: .*nobody-here/m);
    expect(await snapshot(db)).toBe(before);
  });
});

describe('re-importing after decisions made through the API', () => {
  it('a due date and a meeting moved through the API are kept, and the import says so; the rest follows the file', async () => {
    const db = await testDatabase();
    try {
      const file = load('sydnarke.yaml');
      const { forbundId } = await importForbund(db.prisma, file, { actor: 'test' });
      const o = await db.prisma.reportingObligation.findFirstOrThrow({ where: { project: { forbundId }, status: 'open' }, include: { project: true }, orderBy: { dueDate: 'asc' } });
      const m = await db.prisma.meeting.findFirstOrThrow({ where: { forbundId, kind: 'styrelse' }, orderBy: { startsAt: 'asc' } });
      const actor = 'token:00000000-0000-4000-8000-000000000001 demo (admin)';
      // As the API does: the change and its audit event.
      const moved = new Date(o.dueDate.getTime() + 14 * 86_400_000);
      await db.prisma.reportingObligation.update({ where: { id: o.id }, data: { dueDate: moved } });
      await db.prisma.auditEvent.create({ data: { forbundId, actor, action: 'obligation.redated', entityType: 'obligation', entityId: o.id, data: {} } });
      const later = new Date(m.startsAt.getTime() + 2 * 3_600_000);
      await db.prisma.meeting.update({ where: { id: m.id }, data: { startsAt: later, endsAt: new Date(later.getTime() + 3_600_000), sequence: { increment: 1 } } });
      await db.prisma.auditEvent.create({ data: { forbundId, actor, action: 'meeting.moved', entityType: 'meeting', entityId: m.id, data: {} } });

      const again = await importForbund(db.prisma, file, { actor: 'test' });
      expect(again.kept).toEqual([
        `${o.project.key}: ${o.kind} report for the period ending ${iso(o.periodEnd)} keeps its due date ${iso(moved)} (moved through the API); the file says ${iso(o.dueDate)}`,
        expect.stringMatching(new RegExp(`^meeting ${m.key} stays at ${later.toISOString()} \\(decided through the API\\); the file says `)),
      ]);
      expect(iso((await db.prisma.reportingObligation.findUniqueOrThrow({ where: { id: o.id } })).dueDate)).toBe(iso(moved));
      const after = await db.prisma.meeting.findUniqueOrThrow({ where: { id: m.id } });
      expect(after.startsAt.toISOString()).toBe(later.toISOString());
      expect(after.sequence).toBe(1);
    } finally {
      await db.close();
    }
  });
});

describe('a changed calendar, written as set operations', () => {
  it('moved meetings and milestone dates raise their SEQUENCE, a meeting gone is cancelled, a preparatory meeting follows its new board meeting; the rest is left alone, even its updatedAt', async () => {
    const db = await testDatabase();
    try {
      const file = load('sydnarke.yaml');
      const { forbundId } = await importForbund(db.prisma, file, { actor: 'test' });
      const meetings = async () => new Map((await db.prisma.meeting.findMany({ where: { forbundId, year: 2016 } })).map((m) => [m.key, m]));
      const before = await meetings();
      const milestonesBefore = new Map((await db.prisma.milestone.findMany({ where: { forbundId, year: 2016 } })).map((m) => [m.kind, m]));
      const delar = file.cycle.milestones.delar as Milestone;

      const changed = {
        ...file,
        cycle: {
          ...file.cycle,
          meetings: file.cycle.meetings
            // styrelse-04 moves to the afternoon and another room; styrelse-06 is dropped (its
            // preparatory meetings now prepare styrelse-08); beredning-02 only gets a new title.
            .filter((m) => m.id !== 'styrelse-06')
            .map((m) =>
              m.id === 'styrelse-04' ? { ...m, start: '13:00', end: '16:00', location: 'Stora salen' }
              : m.for === 'styrelse-06' ? { ...m, for: 'styrelse-08' }
              : m.id === 'beredning-02' ? { ...m, title: 'Beredning inför februaristyrelsen' }
              : m,
            ),
          milestones: { ...file.cycle.milestones, delar: { ...delar, due: '2016-10-07' } },
        },
      };
      const summary = await importForbund(db.prisma, changed, { actor: 'test' });
      expect(summary.counts.meetings).toEqual({ created: 0, updated: 2, unchanged: before.size - 3, removed: 1 });
      expect(summary.counts.milestones).toMatchObject({ created: 0, updated: 1, removed: 0 });
      expect(summary.cycleChanged).toBe(true);

      const after = await meetings();
      expect(after.get('styrelse-04')).toMatchObject({ location: 'Stora salen', sequence: 1, status: 'planned' });
      expect(after.get('styrelse-04')!.startsAt.toISOString()).toBe(stockholmDateTime('2016-04-25', '13:00').toISOString());
      expect(after.get('styrelse-06')).toMatchObject({ status: 'cancelled', sequence: 1 });
      // A new title is no move: no new SEQUENCE.
      expect(after.get('beredning-02')).toMatchObject({ title: 'Beredning inför februaristyrelsen', sequence: 0 });
      for (const key of ['beredningsgrupp-05', 'beredning-05']) expect(after.get(key)!.forMeetingId, key).toBe(after.get('styrelse-08')!.id);
      const untouched = [...before.keys()].filter((k) => !['styrelse-04', 'styrelse-06', 'beredning-02', 'beredningsgrupp-05', 'beredning-05'].includes(k));
      for (const key of untouched) expect(after.get(key), key).toEqual(before.get(key));
      const moved = await db.prisma.milestone.findFirstOrThrow({ where: { forbundId, year: 2016, kind: 'delar' } });
      expect({ due: iso(moved.dueDate), sequence: moved.sequence }).toEqual({ due: '2016-10-07', sequence: 1 });
      for (const m of await db.prisma.milestone.findMany({ where: { forbundId, year: 2016, kind: { not: 'delar' } } })) expect(m, m.kind).toEqual(milestonesBefore.get(m.kind));

      const again = await importForbund(db.prisma, changed, { actor: 'test' });
      expect(again.changed).toBe(false);
      expect(await meetings()).toEqual(after);
    } finally {
      await db.close();
    }
  });
});

describe('importing the budget: lines, years with stated totals and warnings, the financing policy', () => {
  let db: Database;
  beforeAll(async () => {
    db = await testDatabase();
  });
  afterAll(() => db?.close());

  const lines = async (slug: string, year: number) =>
    (await db.prisma.budgetLine.findMany({ where: { forbund: { slug }, year }, orderBy: { position: 'asc' } })).map((l) => ({ key: l.key, kind: l.kind, group: l.group, amount: l.amount, projectKey: l.projectKey, memberKey: l.memberKey, position: l.position }));
  const budgetYear = (slug: string, year: number) => db.prisma.budgetYear.findFirst({ where: { forbund: { slug }, year } });

  it('Sydnärke 2016–2018: the lines by key, the equity, the stated totals, and the plan\'s two contradictions as warnings naming the lines', async () => {
    const summary = await importForbund(db.prisma, load('sydnarke.yaml'), { actor: 'test' });
    expect(summary.counts.budgetLines).toEqual({ created: 42, updated: 0, unchanged: 0, removed: 0 });
    expect(summary.counts.budgetYears).toEqual({ created: 3, updated: 0, unchanged: 0, removed: 0 });
    expect(summary.warnings.map((w) => w.path)).toEqual(['/budget/years/2016/stated/projectTotal', '/budget/years/2016/stated/result']);
    expect(summary.warnings[0].message).toMatch(/the stated project total 4 556 000 kr is 55 000 kr less than the sum of the projects' grant ceilings for the year, 4 611 000 kr .*; the project lines: Utbetalda projektpengar 4 556 000 kr$/);
    expect(summary.warnings[1].message).toMatch(/^2016: the stated result −1 075 016 kr is 1 288 928 kr less than the result of the lines, 213 912 kr .*the cost lines: Utbetalda projektpengar 4 556 000 kr, Köp av administrativa tjänster 67 000 kr, /);

    const l2016 = await lines('sydnarke', 2016);
    expect(l2016).toHaveLength(14);
    expect(l2016[0]).toEqual({ key: 'driftbidrag', kind: 'income', group: 'members', amount: 5795388n, projectKey: null, memberKey: null, position: 0 });
    expect(l2016.find((l) => l.key === 'utbetalda-projektpengar')).toMatchObject({ kind: 'cost', group: 'project', amount: 4556000n, position: 3 });
    expect((await lines('sydnarke', 2018)).find((l) => l.key === 'kop-verkstallande-tjansteman')!.amount).toBe(597500n);

    const y2016 = (await budgetYear('sydnarke', 2016))!;
    expect(y2016.equityCarriedOver).toBe(2439354n);
    expect(y2016.statedTotals).toEqual({ totalIncome: 5795388, result: -1075016, projectTotal: 4556000 });
    const stored = y2016.warnings as { path: string; lines: string[]; message: string }[];
    expect(stored.map((w) => [w.path, w.message])).toEqual(summary.warnings.map((w) => [w.path, w.message]));
    expect(stored[0].lines).toEqual(['utbetalda-projektpengar']);
    expect(stored[1].lines).toHaveLength(14);
    expect(await budgetYear('sydnarke', 2017)).toMatchObject({ equityCarriedOver: null, warnings: [], statedTotals: { totalIncome: 5795388, result: 200422, projectTotal: 4556000 } });

    const f = await db.prisma.forbund.findUniqueOrThrow({ where: { slug: 'sydnarke' } });
    const money = f.moneyPolicy as { policy: unknown; accounts: { line: string; accounts: string[] }[] };
    expect(money.policy).toEqual({ maxPlannedDeficit: 0, minEquity: 0 });
    expect(money.accounts).toContainEqual({ line: 'driftbidrag', accounts: ['3010-3019'] });
    expect(money.accounts).toHaveLength(14);
  });

  it('importing it again changes nothing and reports the same warnings; a changed line updates, a line gone is deleted', async () => {
    const file = load('sydnarke.yaml');
    const again = await importForbund(db.prisma, file, { actor: 'test' });
    expect(again.changed).toBe(false);
    expect(again.counts.budgetLines).toEqual({ created: 0, updated: 0, unchanged: 42, removed: 0 });
    expect(again.counts.budgetYears).toEqual({ created: 0, updated: 0, unchanged: 3, removed: 0 });
    expect(again.warnings).toHaveLength(2);

    const b = file.budget!;
    const y2016 = b.years['2016'];
    const changed = {
      ...file,
      budget: {
        ...b,
        years: {
          ...b.years,
          // The plan's result budget put right, the project money raised to the ceilings, Representation gone from 2017.
          2016: { ...y2016, costs: y2016.costs.map((c) => (c.id === 'utbetalda-projektpengar' ? { ...c, amount: 4611000 } : c)), stated: { ...y2016.stated, result: 158912, projectTotal: 4611000 } },
          2017: { ...b.years['2017'], costs: b.years['2017'].costs.filter((c) => c.id !== 'representation') },
        },
      },
    };
    const summary = await importForbund(db.prisma, changed, { actor: 'test' });
    expect(summary.changed).toBe(true);
    // Updated: the project money of 2016, and the position of the line after Representation in 2017.
    expect(summary.counts.budgetLines).toEqual({ created: 0, updated: 2, unchanged: 39, removed: 1 });
    // 2016 adds up now; 2017 without Representation no longer gives its stated result.
    expect(summary.warnings).toEqual([{ path: '/budget/years/2017/stated/result', message: expect.stringMatching(/^2017: the stated result 200 422 kr is 2 000 kr less than the result of the lines, 202 422 kr /) }]);
    expect((await budgetYear('sydnarke', 2016))!.warnings).toEqual([]);
    expect((await lines('sydnarke', 2017)).map((l) => l.key)).not.toContain('representation');
    expect((await lines('sydnarke', 2017)).at(-1)).toMatchObject({ key: 'finansiella-kostnader', position: 12 });
    expect((await importForbund(db.prisma, changed, { actor: 'test' })).changed).toBe(false);
    await importForbund(db.prisma, file, { actor: 'test' });
    expect((await lines('sydnarke', 2017)).map((l) => l.key)).toContain('representation');
  });

  it('placed in another year, the budget years move with it; the warnings keep the file\'s paths', async () => {
    const summary = await importForbund(db.prisma, load('sydnarke.yaml'), { actor: 'test', year: 2026 });
    expect(summary.warnings.map((w) => w.path)).toEqual(['/budget/years/2016/stated/projectTotal', '/budget/years/2016/stated/result']);
    for (const year of [2026, 2027, 2028]) expect(await lines('sydnarke', year), String(year)).toHaveLength(14);
    expect(await budgetYear('sydnarke', 2029)).toBeNull();
    expect(await budgetYear('sydnarke', 2026)).toMatchObject({ equityCarriedOver: 2439354n, statedTotals: { result: -1075016 } });
    expect(((await budgetYear('sydnarke', 2026))!.warnings as unknown[]).length).toBe(2);
    // The years of the file as written stay as imported before.
    expect(await lines('sydnarke', 2016)).toHaveLength(14);
  });

  it('Sofint 2013–2015: a policy allowing no deficit, no accounts; its 2014 overview\'s money for an ended project is a warning', async () => {
    const summary = await importForbund(db.prisma, load('sofint.yaml'), { actor: 'test' });
    expect(summary.warnings).toEqual([
      { path: '/budget/years/2014/costs/17', message: expect.stringContaining('the lines of project "samverkan-ljusnarsberg" sum to 30 000 kr, but the project has no grant ceiling for the year') },
    ]);
    expect((await lines('sofint', 2013)).filter((l) => l.projectKey === 'samverkansteamet')).toHaveLength(12);
    const f = await db.prisma.forbund.findUniqueOrThrow({ where: { slug: 'sofint' } });
    expect(f.moneyPolicy).toEqual({ policy: { maxPlannedDeficit: 0, minEquity: 0 }, accounts: [] });
  });

  it('a file without a budget has no financing policy; taking the section out clears the policy and leaves the years', async () => {
    const hjo = await importForbund(db.prisma, load('hjotiborg.yaml'), { actor: 'test' });
    expect(hjo.warnings).toEqual([]);
    expect((await db.prisma.forbund.findUniqueOrThrow({ where: { slug: 'hjotiborg' } })).moneyPolicy).toBeNull();
    expect(await db.prisma.budgetLine.count({ where: { forbund: { slug: 'hjotiborg' } } })).toBe(0);

    const { budget: _, ...withoutBudget } = load('sofint.yaml');
    const summary = await importForbund(db.prisma, withoutBudget, { actor: 'test' });
    expect(summary.changed).toBe(true);
    expect(summary.counts.forbund.updated).toBe(1);
    expect((await db.prisma.forbund.findUniqueOrThrow({ where: { slug: 'sofint' } })).moneyPolicy).toBeNull();
    expect(await lines('sofint', 2013)).toHaveLength(21);
    expect((await importForbund(db.prisma, withoutBudget, { actor: 'test' })).changed).toBe(false);
  });
});
