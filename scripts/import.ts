// npm run import -- <file.yaml | folder> [more] [--year YYYY]
// Loads förbund files (a folder's, or several, in one process) into the configured database and tells the workflows what changed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { importTooLarge, LOCAL_IMPORT_LIMIT, LOCAL_IMPORT_PATH } from '../api/local.js';
import { ForbundFileError, parseForbundFile, type ForbundFile } from '../domain/forbund-file.js';
import { importForbund, type ImportSummary } from '../services/import.js';
import { notifyImport, openNotifier } from '../worker/runtime.js';
import { configOrExit, fail, withDatabase } from './cli.js';

const args = process.argv.slice(2);
const yearAt = args.indexOf('--year');
const year = yearAt >= 0 ? Number(args[yearAt + 1]) : undefined;
const given = args.filter((a, i) => !a.startsWith('--') && (yearAt < 0 || i !== yearAt + 1));
if (!given.length || (year !== undefined && !(Number.isInteger(year) && year >= 2000 && year <= 2100))) {
  console.error('usage: npm run import -- <file.yaml | folder> [more files or folders] [--year YYYY]   (a folder: its .yaml/.yml files; --year places the plans in another year, e.g. the current one)');
  process.exit(2);
}

/** The files named, a folder's .yaml/.yml files in name order; one that cannot be read is named with why. */
function filesOf(paths: string[]): { files: string[]; problems: string[] } {
  const files: string[] = [];
  const problems: string[] = [];
  for (const path of paths) {
    try {
      if (statSync(path).isDirectory()) {
        const inside = readdirSync(path)
          .filter((n) => /\.ya?ml$/i.test(n))
          .sort()
          .map((n) => join(path, n));
        if (!inside.length) problems.push(`${path}: no .yaml or .yml file in this folder`);
        files.push(...inside);
      } else files.push(path);
    } catch (err) {
      problems.push(`${path}: cannot read: ${(err as Error).message}`);
    }
  }
  return { files, problems };
}

// Every file is read and checked before anything is imported: one faulty file imports none.
const { files, problems } = filesOf(given);
const parsed: { path: string; fileName: string; text: string; file: ForbundFile }[] = [];
for (const path of files) {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    problems.push(`${path}: cannot read: ${(err as Error).message}`);
    continue;
  }
  try {
    parsed.push({ path, fileName: basename(path), text, file: parseForbundFile(text, basename(path)) });
  } catch (err) {
    if (!(err instanceof ForbundFileError)) throw err;
    problems.push(err.message);
  }
}
const slugs = new Map<string, string>();
for (const p of parsed) {
  const other = slugs.get(p.file.forbund.id);
  if (other) problems.push(`${p.path}: förbund "${p.file.forbund.id}" is also in ${other}; give each förbund once`);
  slugs.set(p.file.forbund.id, p.path);
}
if (problems.length) {
  for (const line of problems) console.error(line);
  console.error(parsed.length + problems.length > 1 ? 'nothing was imported (no file, since one could not be)' : 'nothing was imported');
  process.exit(1);
}

const config = configOrExit();
const print = (summary: ImportSummary, fileName: string) => {
  console.log(`${summary.slug} ${summary.year}: ${summary.changed ? 'imported' : 'no changes'}`);
  for (const [entity, n] of Object.entries(summary.counts)) console.log(`  ${entity}: ${n.created} created, ${n.updated} updated, ${n.unchanged} unchanged, ${n.removed} removed`);
  for (const line of summary.kept ?? []) console.log(`  kept: ${line}`);
  // Figures of the plan that do not add up: reported, not swallowed (the import itself goes through).
  for (const w of summary.warnings ?? []) console.log(`  warning: ${fileName}:${w.path}: ${w.message}`);
};
await withDatabase(
  config,
  'npm run import',
  async (db) => {
    // One connection to Temporal for all the files (none when nobody listens: the changes are kept).
    const notifier = await openNotifier(config, db.prisma);
    try {
      for (const p of parsed) {
        const summary = await importForbund(db.prisma, p.file, { year, actor: `import:${p.fileName}`, fileName: p.fileName });
        print(summary, p.fileName);
        const told = await notifyImport(db.prisma, notifier, summary);
        if (summary.changed && !told) console.log('  workflows: Temporal not reachable; the change is kept and reaches them when the worker runs');
      }
    } finally {
      await notifier.close();
    }
  },
  async (call, url) => {
    for (const p of parsed) {
      const body = { text: p.text, fileName: p.fileName, ...(year ? { year } : {}) };
      // Said here, without sending it: the running server takes at most LOCAL_IMPORT_LIMIT.
      const bytes = Buffer.byteLength(JSON.stringify(body));
      if (bytes > LOCAL_IMPORT_LIMIT) fail(`${p.path}: ${importTooLarge(bytes).message}`);
      const r = await call(LOCAL_IMPORT_PATH, body);
      if (r.status !== 200) fail(`${p.path}: ${r.json?.error?.message ?? `the running server answered ${r.status}`}`);
      print(r.json.summary as ImportSummary, p.fileName);
    }
    console.log(`  (through the running server at ${url})`);
  },
);
process.exit(0);
