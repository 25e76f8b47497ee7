// When the database cannot write: its disk is full (ENOSPC; PostgreSQL's SQLSTATE 53100; PGlite's
// own file system error 51), or it cannot write for another reason of the machine (an I/O error,
// a read-only file system or database, out of memory). Such an error is the server's, not the
// request's: the API answers 503 with what to do (api/errors.ts), /health/ready reports the
// database as failing (api/app.ts), and `npm start` says so instead of a stack trace
// (worker/database.ts).
import { statfsSync } from 'node:fs';

export interface StorageFailure {
  /** The disk is full (or a quota is used up). */
  diskFull: boolean;
  /** The code found: ENOSPC, 53100, EIO, 58030, … */
  code: string;
  /** The first line of the message found. */
  detail: string;
}

// SQLSTATE: 53100 disk_full, 53000 insufficient_resources, 53200 out_of_memory, 58030 io_error,
// 58000 system_error, 25006 read_only_sql_transaction.
const DISK_FULL_CODES = new Set(['ENOSPC', 'EDQUOT', '53100']);
const WRITE_FAILURE_CODES = new Set([...DISK_FULL_CODES, 'EIO', 'EROFS', '53000', '53200', '58030', '58000', '25006']);
/** Emscripten's errno (WASI numbering) in PGlite's file system: 51 = ENOSPC, 29 = EIO, 69 = EROFS. */
const EMSCRIPTEN_ERRNO: Record<number, string> = { 51: 'ENOSPC', 29: 'EIO', 69: 'EROFS' };
const DISK_FULL_TEXT = /no space left on device|disk (is )?full|could not extend file/i;

/** The storage failure an error is (or was caused by), looking through causes and Prisma's metadata. */
export function storageFailureOf(err: unknown): StorageFailure | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  // The most telling found: a disk-full code, then another write-failure code, then only the words.
  let byCode: StorageFailure | undefined;
  let byText: StorageFailure | undefined;
  while (queue.length && seen.size < 50) {
    const e = queue.shift();
    if (e === null || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const o = e as Record<string, unknown>;
    const message = typeof o.message === 'string' ? o.message : typeof o.originalMessage === 'string' ? o.originalMessage : '';
    const detail = (message.split('\n').find((l) => l.trim()) ?? '').trim();
    const codes = [o.code, o.originalCode, o.name === 'ErrnoError' && typeof o.errno === 'number' ? EMSCRIPTEN_ERRNO[o.errno] : undefined, o.errno === -28 ? 'ENOSPC' : undefined].filter((c): c is string => typeof c === 'string');
    const code = codes.find((c) => WRITE_FAILURE_CODES.has(c));
    if (code) {
      const failure = { diskFull: DISK_FULL_CODES.has(code) || DISK_FULL_TEXT.test(message), code, detail: detail || code };
      if (failure.diskFull) return failure;
      byCode ??= failure;
    } else if (DISK_FULL_TEXT.test(message)) byText ??= { diskFull: true, code: 'ENOSPC', detail };
    for (const k of ['cause', 'meta', 'driverAdapterError', 'error', 'errors']) {
      const v = o[k];
      if (Array.isArray(v)) queue.push(...v);
      else if (v && typeof v === 'object') queue.push(v);
    }
  }
  return byText ?? byCode;
}

/** The bytes free to us on the disk that holds `path` (undefined when it cannot be told). */
export function freeBytes(path: string): number | undefined {
  try {
    const s = statfsSync(path);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return undefined;
  }
}

/** A disk this close to full cannot take a database's next page, WAL segment or lock file. */
export const NEARLY_FULL_BYTES = 1024 * 1024;

/** The failure in a few words: `the disk that holds its data is full (53100: no space left on device)`. */
export const storageFailureSummary = (f: StorageFailure) => (f.diskFull ? `the disk that holds its data is full (${f.code}: no space left on device)` : `${f.code}: ${f.detail}`);

/** What an API client is told when the database cannot store its change. */
export function storageFailureMessage(f: StorageFailure): string {
  return f.diskFull
    ? `the database cannot store this: the disk that holds its data is full (${f.code}: no space left on device); nothing was saved. The administrator must free space on that disk (DATA_DIR, or the PostgreSQL server's); then try again`
    : `the database cannot write at the moment (${f.code}: ${f.detail}); nothing was saved. Try again later, or tell the administrator`;
}
