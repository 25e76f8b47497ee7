// The national data set of the bench: N förbund × M projects, cloned round-robin from the
// example files (each that parses), every förbund and project with its own id, slug and name, a
// coordinator of its own per project, and every person's address unique (`<person>@<slug>.example`).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseForbundFile, type ForbundFile } from '../../domain/forbund-file.js';

export interface Example {
  name: string;
  file: ForbundFile;
}

/** The example files that parse (sydnarke first), and the ones that did not, with why. */
export function loadExamples(dir = 'examples'): { examples: Example[]; skipped: string[] } {
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort((a, b) => (a === 'sydnarke.yaml' ? -1 : b === 'sydnarke.yaml' ? 1 : a.localeCompare(b)));
  const examples: Example[] = [];
  const skipped: string[] = [];
  for (const name of names) {
    try {
      examples.push({ name, file: parseForbundFile(readFileSync(join(dir, name), 'utf8'), name) });
    } catch (err) {
      skipped.push(`${name}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  return { examples, skipped };
}

/** Förbund number `i` (0-based) of the data set: a clone of `base` with `nProjects` projects. */
export function cloneForbund(base: ForbundFile, i: number, nProjects: number): ForbundFile {
  const slug = `${base.forbund.id}-${i + 1}`;
  const email = (local: string) => `${local}@${slug}.example`;
  const projects = Array.from({ length: nProjects }, (_, j) => {
    const src = base.projects[j % base.projects.length];
    return { ...src, id: `${src.id}-${j + 1}`, name: `${src.name} (${j + 1})`, coordinator: `samordnare-${j + 1}`, ...(src.dnr ? { dnr: `${src.dnr}-${j + 1}` } : {}) };
  });
  // A budget line that pays a project pays its first clone (or, when it has none, is a pool).
  const cloneOf = new Map(base.projects.slice(0, nProjects).map((p, k) => [p.id, projects[k].id]));
  const budget = base.budget && {
    ...base.budget,
    years: Object.fromEntries(
      Object.entries(base.budget.years).map(([y, b]) => [
        y,
        {
          ...b,
          costs: b.costs.map(({ project, ...line }) => (project && cloneOf.has(project) ? { ...line, project: cloneOf.get(project)! } : line)),
        },
      ]),
    ),
  };
  return {
    ...base,
    forbund: { ...base.forbund, id: slug, name: `${base.forbund.name} ${i + 1}`, email: email('kansli') },
    members: base.members.map((m) => (m.email ? { ...m, email: email(`registrator-${m.id}`) } : m)),
    people: [
      ...base.people.map((p) => ({ ...p, email: email(p.id) })),
      ...projects.map((_, j) => ({ id: `samordnare-${j + 1}`, name: `Samordnare ${j + 1} (bench)`, email: email(`samordnare-${j + 1}`), roles: ['coordinator' as const] })),
    ],
    projects,
    ...(budget ? { budget } : {}),
  };
}

/** The whole data set, förbund by förbund (the examples taken in turn). */
export function* nationalDataSet(examples: Example[], nForbund: number, nProjects: number): Generator<{ file: ForbundFile; example: string }> {
  for (let i = 0; i < nForbund; i++) {
    const ex = examples[i % examples.length];
    yield { file: cloneForbund(ex.file, i, nProjects), example: ex.name };
  }
}
