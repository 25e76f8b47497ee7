// Opening the configured database for a process. The embedded database (PGlite) is a directory
// that one process at a time may hold: a lock file in DATA_DIR names the holder (and, for
// `npm start`, where its API listens, so the commands that write go through it instead). A
// PostgreSQL that cannot be reached is reported by the variable that points at it.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type Database } from '../prisma/db.js';
import { cannotWrite, type Config } from './config.js';
import { freeBytes, NEARLY_FULL_BYTES, storageFailureOf } from '../services/storage.js';

export interface LockHolder {
  pid: number;
  /** What holds it: "npm start", "npm run import", … */
  what: string;
  /** The API of `npm start`, for the commands that write while it runs. */
  url?: string;
  since: string;
}

export class DatabaseError extends Error {}

const lockFile = (config: Config) => join(config.dataDir, 'arscykel.lock');

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The live process holding the embedded database, if any (a lock left by a dead one does not count). */
export function lockHolder(config: Config): LockHolder | undefined {
  if ('url' in config.database) return undefined;
  try {
    const holder = JSON.parse(readFileSync(lockFile(config), 'utf8')) as LockHolder;
    return holder.pid !== process.pid && alive(holder.pid) ? holder : undefined;
  } catch {
    return undefined;
  }
}

function acquire(config: Config, what: string, url?: string): () => void {
  const file = lockFile(config);
  const mine: LockHolder = { pid: process.pid, what, ...(url ? { url } : {}), since: new Date().toISOString() };
  for (let tries = 0; tries < 2; tries++) {
    try {
      writeFileSync(file, JSON.stringify(mine), { flag: 'wx', mode: 0o600 });
      return () => {
        try {
          if ((JSON.parse(readFileSync(file, 'utf8')) as LockHolder).pid === process.pid) rmSync(file);
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        rmSync(file, { force: true }); // a lock a full disk left empty must not stay behind
        throw new DatabaseError(cannotWrite('DATA_DIR', config.dataDir, file, err));
      }
      const holder = lockHolder(config);
      if (holder) throw new DatabaseError(`the embedded database in ${config.dataDir} is in use by ${holder.what} (pid ${holder.pid}, since ${holder.since}); stop it first, or use PostgreSQL (DATABASE_URL) for several processes`);
      rmSync(file, { force: true }); // left by a process that died
    }
  }
  throw new DatabaseError(`could not lock ${file}`);
}

/**
 * Why the database did not open, said so a person can act. What PGlite throws need not be an Error
 * (a full disk is its file system's ErrnoError 51, with no message); a full disk is named as such,
 * also when only the free space on DATA_DIR's disk tells it.
 */
export function openFailure(config: Config, err: unknown): string {
  const e = (err ?? {}) as NodeJS.ErrnoException;
  const first = (typeof e.message === 'string' ? e.message.split('\n').find((l) => l.trim())?.trim() : undefined) ?? (e.code || (e as { name?: string }).name || String(err));
  const failure = storageFailureOf(err);
  if ('url' in config.database) {
    const u = new URL(config.database.url);
    if (failure?.diskFull) return `DATABASE_URL: the database at ${u.hostname}:${u.port || 5432}${u.pathname} cannot write: its disk is full (${failure.code}); free space on the database server's disk and start again`;
    return `DATABASE_URL: cannot use the database at ${u.hostname}:${u.port || 5432}${u.pathname} (${e.code ?? first})`;
  }
  const where = 'pgliteDir' in config.database ? config.database.pgliteDir : config.dataDir;
  const free = freeBytes(config.dataDir);
  if (failure?.diskFull || (free !== undefined && free < NEARLY_FULL_BYTES)) {
    return `DATA_DIR (${config.dataDir}): the disk is full (ENOSPC: no space left on device${free !== undefined ? `, ${free} bytes free` : ''}); the embedded database in ${where} cannot be opened. Free space on that disk (df -h ${config.dataDir}) and start again`;
  }
  return `DATA_DIR: cannot open the embedded database in ${where} (${failure ? `${failure.code}: ${failure.detail}` : first})`;
}

/** Opens the database for `what`; the lock (embedded only) is released by close(). */
export async function openConfiguredDatabase(config: Config, what: string, opts: { url?: string } = {}): Promise<Database & { setUrl(url: string): void }> {
  const release = 'url' in config.database ? () => {} : acquire(config, what, opts.url);
  let db: Database;
  try {
    db = await openDatabase(config.database);
  } catch (err) {
    release();
    throw new DatabaseError(openFailure(config, err));
  }
  const close = db.close;
  return {
    ...db,
    async close() {
      await close();
      release();
    },
    setUrl(url: string) {
      if ('url' in config.database) return;
      writeFileSync(lockFile(config), JSON.stringify({ pid: process.pid, what, url, since: new Date().toISOString() } satisfies LockHolder), { mode: 0o600 });
    },
  };
}
