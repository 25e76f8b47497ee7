// The national data set as files, and `npm run import -- <folder>` of them timed: every förbund
// of the data set (scripts/bench/dataset.ts) written as YAML (one file per förbund, as a förbund
// keeps it), then scripts/import.ts run once on the folder, in one process, as `npm run import`
// runs it, with Temporal unreachable (TEMPORAL_ADDRESS=127.0.0.1:1: nothing waits; the changes are
// kept in WorkflowSignal for the worker to deliver).
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { loadExamples, nationalDataSet } from './dataset.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Writes `nForbund` files of `nProjects` projects each into `dir`; their names. */
export function writeDataSet(dir: string, nForbund: number, nProjects: number): { files: string[]; bytes: number; skipped: string[] } {
  const { examples, skipped } = loadExamples(join(ROOT, 'examples'));
  if (!examples.length) throw new Error(`no example file parses: ${skipped.join('; ')}`);
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  let bytes = 0;
  let i = 0;
  for (const { file } of nationalDataSet(examples, nForbund, nProjects)) {
    const name = `${String(++i).padStart(3, '0')}-${file.forbund.id}.yaml`;
    const text = stringify(file);
    writeFileSync(join(dir, name), text);
    files.push(name);
    bytes += Buffer.byteLength(text);
  }
  return { files, bytes, skipped };
}

export interface ImportRun {
  seconds: number;
  files: number;
  perFileMs: number;
  exitCode: number | null;
  /** Förbund the import printed as imported. */
  imported: number;
  /** Lines saying the change was kept for the worker (Temporal not reachable). */
  kept: number;
  logFile: string;
}

/**
 * `node --import tsx scripts/import.ts <dir> --year <year>` (what `npm run import` runs, without npm's
 * own start-up) with `env` (DATABASE_URL, or DATA_DIR for the embedded database); its output in `logFile`.
 */
export async function runImport(dir: string, nFiles: number, year: number, env: NodeJS.ProcessEnv, logFile: string): Promise<ImportRun> {
  const log = openSync(logFile, 'w');
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'import.ts'), dir, '--year', String(year)], {
    cwd: ROOT,
    env: { ...process.env, TEMPORAL_ADDRESS: '127.0.0.1:1', ...env },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const seconds = (performance.now() - t0) / 1000;
  const out = readFileSync(logFile, 'utf8');
  const imported = (out.match(/^\S+ \d{4}: imported$/gm) ?? []).length;
  const kept = (out.match(/Temporal not reachable; the change is kept/g) ?? []).length;
  if (exitCode !== 0) throw new Error(`npm run import exited ${exitCode}: ${out.trim().split('\n').slice(-3).join(' | ').slice(0, 400)} (log ${logFile})`);
  return { seconds, files: nFiles, perFileMs: (seconds * 1000) / Math.max(1, nFiles), exitCode, imported, kept, logFile };
}
