// What a justerat protokoll's decisions adopt (services/redovisning.ts recordAdoptions), on a real
// database: the budget for next year with its VP, a later budget matter as a revision of the budget
// in force (and only once adopted), a funding decision's grant, each once however often it runs.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { recordAdoptions } from '../services/redovisning.js';
import { registerMatter } from '../services/styrelse.js';
import { testDatabase } from './support/database.js';

let db: Database;
let forbundId: string;

beforeAll(async () => {
  db = await testDatabase();
  forbundId = (await importForbund(db.prisma, parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml'), { year: 2037, actor: 'test' })).forbundId;
}, 60_000);
afterAll(async () => db?.close());

/** A board meeting of `date` justerat, with these matters decided as §§ 1, 2, … */
async function justerat(date: string, decided: { matterId: string; decision: string }[]) {
  const m = await db.prisma.meeting.create({
    data: { forbundId, key: `extra-${date}`, kind: 'styrelse', title: 'Styrelsemöte', year: Number(date.slice(0, 4)), startsAt: new Date(`${date}T08:00:00Z`), endsAt: new Date(`${date}T11:00:00Z`), justeradAt: new Date(`${date}T15:00:00Z`) },
  });
  for (const [i, d] of decided.entries()) {
    await db.prisma.agendaItem.create({ data: { meetingId: m.id, number: i + 1, paragraph: i + 1, title: 'Ärende', kind: 'matter', matterId: d.matterId, decision: d.decision, decidedAt: new Date(`${date}T10:00:00Z`) } });
  }
  return m.id;
}
const run = (meetingId: string) => db.prisma.$transaction((tx) => recordAdoptions(tx, meetingId, new Date()));

describe('what a justerat protokoll adopts', () => {
  it('the VP and budget for next year, then a revision of the budget in force with its own decision; each once', async () => {
    const vp = await db.prisma.milestone.findFirstOrThrow({ where: { forbundId, kind: 'vpBudget', year: 2037 } });
    const vpMatter = await registerMatter(db.prisma, forbundId, { title: 'Verksamhetsplan och budget 2038', kind: 'budget', owner: 'official', milestoneId: vp.id }, new Date('2037-11-01T09:00:00Z'), 'test');
    // A budget matter before its year's budget is adopted is no revision.
    const early = await registerMatter(db.prisma, forbundId, { title: 'Justering av budget 2038', kind: 'budget', owner: 'official' }, new Date('2037-10-01T09:00:00Z'), 'test');
    const october = await justerat('2037-10-15', [{ matterId: early.id, decision: 'Styrelsen justerar budgeten.' }]);
    expect(await run(october)).toEqual({ reports: [], budgetYears: [], fundedProjects: [] });

    const november = await justerat('2037-11-19', [{ matterId: vpMatter.id, decision: 'Styrelsen fastställer verksamhetsplan och budget för 2038.' }]);
    expect((await run(november)).budgetYears).toEqual([2038]);
    expect(await run(november)).toEqual({ reports: [], budgetYears: [], fundedProjects: [] });
    const adopted = await db.prisma.budgetYear.findUniqueOrThrow({ where: { forbundId_year: { forbundId, year: 2038 } } });
    expect(adopted.adoptedBy).toBe(`beslut ${vpMatter.dnr} § 1`);

    const revision = await registerMatter(db.prisma, forbundId, { title: 'Revidering av budget 2038', kind: 'budget', owner: 'official' }, new Date('2038-03-01T09:00:00Z'), 'test');
    const march = await justerat('2038-03-20', [{ matterId: revision.id, decision: 'Styrelsen reviderar budgeten för 2038.' }]);
    expect((await run(march)).budgetYears).toEqual([2038]);
    await run(march);
    const revised = await db.prisma.budgetYear.findUniqueOrThrow({ where: { forbundId_year: { forbundId, year: 2038 } } });
    expect(revised.adoptedBy).toBe(`beslut ${vpMatter.dnr} § 1`);
    expect(revised.revisions).toEqual([{ at: '2038-03-20T15:00:00.000Z', by: `beslut ${revision.dnr} § 1`, what: 'Revidering av budget 2038' }]);
    expect(await db.prisma.auditEvent.count({ where: { forbundId, action: 'budget.revised' } })).toBe(1);
  });

  it("a funding application's decision sets the project's grant once; a refusal sets none", async () => {
    const granted = await registerMatter(db.prisma, forbundId, { title: 'Ansökan om medel: På väg 2038', kind: 'funding_application', owner: 'official', funding: { projectKey: 'pa-vag', year: 2037, amount: 450_000 } }, new Date('2037-05-01T09:00:00Z'), 'test');
    const refused = await registerMatter(db.prisma, forbundId, { title: 'Ansökan om medel: Mottagningsteamet', kind: 'funding_application', owner: 'official', funding: { projectKey: 'mottagningsteamet', year: 2037, amount: 999_000 } }, new Date('2037-05-01T09:00:00Z'), 'test');
    const before = (await db.prisma.project.findFirstOrThrow({ where: { forbundId, key: 'mottagningsteamet' } })).grants;
    const may = await justerat('2037-05-20', [
      { matterId: granted.id, decision: 'Styrelsen beviljar 450 000 kr.' },
      { matterId: refused.id, decision: 'Ansökan avslås.' },
    ]);
    expect((await run(may)).fundedProjects).toHaveLength(2);
    await run(may);
    expect((await db.prisma.project.findFirstOrThrow({ where: { forbundId, key: 'pa-vag' } })).grants).toMatchObject({ '2037': 450_000 });
    expect((await db.prisma.project.findFirstOrThrow({ where: { forbundId, key: 'mottagningsteamet' } })).grants).toEqual(before);
    expect(await db.prisma.auditEvent.count({ where: { forbundId, action: 'project.granted' } })).toBe(1);
  });
});
