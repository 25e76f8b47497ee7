// npm run import -- <file.yaml> [--year YYYY]
// Loads a förbund file into the configured database and tells the workflows what changed.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ForbundFileError, parseForbundFile } from '../domain/forbund-file.js';
import { openDatabase } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { loadConfig } from '../worker/config.js';
import { notifyImport, openNotifier } from '../worker/runtime.js';

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

const config = loadConfig();
const db = await openDatabase(config.database);
try {
  const summary = await importForbund(db.prisma, file, { year, actor: `import:${basename(path)}`, fileName: basename(path) });
  console.log(`${summary.slug} ${summary.year}: ${summary.changed ? 'imported' : 'no changes'}`);
  for (const [entity, n] of Object.entries(summary.counts)) console.log(`  ${entity}: ${n.created} created, ${n.updated} updated, ${n.unchanged} unchanged, ${n.removed} removed`);
  const notifier = await openNotifier(config, db.prisma);
  const told = await notifyImport(notifier, summary);
  await notifier.close();
  if (summary.changed && !told) console.log('  workflows: Temporal not reachable; the change is kept and reaches them when the worker runs');
} finally {
  await db.close();
}
process.exit(0);
