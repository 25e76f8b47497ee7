// npm run import -- <file.yaml> [--year YYYY]
// Loads a förbund file into the configured database and tells the workflows what changed.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { importTooLarge, LOCAL_IMPORT_LIMIT, LOCAL_IMPORT_PATH } from '../api/local.js';
import { ForbundFileError, parseForbundFile } from '../domain/forbund-file.js';
import { importForbund, type ImportSummary } from '../services/import.js';
import { notifyImport, openNotifier } from '../worker/runtime.js';
import { configOrExit, fail, withDatabase } from './cli.js';

const args = process.argv.slice(2);
const yearAt = args.indexOf('--year');
const year = yearAt >= 0 ? Number(args[yearAt + 1]) : undefined;
const path = args.find((a, i) => !a.startsWith('--') && (yearAt < 0 || i !== yearAt + 1));
if (!path || (year !== undefined && !(Number.isInteger(year) && year >= 2000 && year <= 2100))) {
  console.error('usage: npm run import -- <file.yaml> [--year YYYY]   (--year places the plan in another year, e.g. the current one)');
  process.exit(2);
}

let text: string;
try {
  text = readFileSync(path, 'utf8');
} catch (err) {
  console.error(`${path}: cannot read: ${(err as Error).message}`);
  process.exit(1);
}
let file;
try {
  file = parseForbundFile(text, basename(path));
} catch (err) {
  if (err instanceof ForbundFileError) {
    console.error(err.message);
    console.error('nothing was imported');
    process.exit(1);
  }
  throw err;
}

const config = configOrExit();
const fileName = basename(path);
const print = (summary: ImportSummary) => {
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
    const summary = await importForbund(db.prisma, file, { year, actor: `import:${fileName}`, fileName });
    print(summary);
    const notifier = await openNotifier(config, db.prisma);
    const told = await notifyImport(db.prisma, notifier, summary);
    await notifier.close();
    if (summary.changed && !told) console.log('  workflows: Temporal not reachable; the change is kept and reaches them when the worker runs');
  },
  async (call, url) => {
    const body = { text, fileName, ...(year ? { year } : {}) };
    // Said here, without sending it: the running server takes at most LOCAL_IMPORT_LIMIT.
    const bytes = Buffer.byteLength(JSON.stringify(body));
    if (bytes > LOCAL_IMPORT_LIMIT) fail(`${path}: ${importTooLarge(bytes).message}`);
    const r = await call(LOCAL_IMPORT_PATH, body);
    if (r.status !== 200) fail(r.json?.error?.message ?? `the running server answered ${r.status}`);
    print(r.json.summary as ImportSummary);
    console.log(`  (through the running server at ${url})`);
  },
);
process.exit(0);
