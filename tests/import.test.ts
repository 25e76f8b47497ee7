import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForbundFileError, parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { testDatabase } from './support/database.js';

const examples = readdirSync('examples').filter((f) => f.endsWith('.yaml'));
const load = (name: string) => parseForbundFile(readFileSync(`examples/${name}`, 'utf8'), name);

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
