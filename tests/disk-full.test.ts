// The hostile hour (issue 19): a full disk. `npm start` says that DATA_DIR's disk is full, naming
// the path, and exits non-zero (it failed with "Cannot read properties of undefined (reading
// 'split')"); while running, a write that fails on the disk answers 503 with what to do (not
// 500), and /health/ready reports the database as failing while a write does not hold.
//
// A real full disk where this machine lets the test mount a small tmpfs (root, in a mount
// namespace of its own: tests/support/full-disk.ts); the mapping of the errors is also tested
// with the errors injected, which runs everywhere.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import { createApiToken } from '../api/auth.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import { Prisma, type Database, type PrismaClient } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { storageFailureOf } from '../services/storage.js';
import { loadConfig } from '../worker/config.js';
import { openFailure } from '../worker/database.js';
import { FULL_DISK_FILE } from './support/fixtures.js';
import { testDatabase } from './support/database.js';
import { apiCaller, serve, type Json } from './support/http.js';
import { RecordingNotifier } from './support/notifier.js';


/** What PGlite's driver adapter gives Prisma when PostgreSQL cannot extend a file. */
const diskFullError = () =>
  new Prisma.PrismaClientKnownRequestError('Database error. Code: `53100`. Message: `could not extend file "base/5/16473": No space left on device`', {
    code: 'P2039',
    clientVersion: 'test',
    meta: { modelName: 'ApiToken', driverAdapterError: { name: 'DriverAdapterError', cause: { originalCode: '53100', originalMessage: 'could not extend file "base/5/16473": No space left on device', kind: 'postgres', code: '53100', severity: 'ERROR' } } },
  });

describe('which errors are a database that cannot write', () => {
  it('a full disk in every form it comes in, and nothing else', () => {
    expect(storageFailureOf(diskFullError())).toMatchObject({ diskFull: true, code: '53100' });
    expect(storageFailureOf(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 }))).toMatchObject({ diskFull: true, code: 'ENOSPC' });
    // PGlite's own file system: an Emscripten ErrnoError with errno 51 and no message at all.
    expect(storageFailureOf({ name: 'ErrnoError', errno: 51 })).toMatchObject({ diskFull: true, code: 'ENOSPC' });
    expect(storageFailureOf(new Error('wrapped', { cause: Object.assign(new Error('x'), { code: '53100' }) }))).toMatchObject({ diskFull: true });
    expect(storageFailureOf(Object.assign(new Error('cannot execute INSERT in a read-only transaction'), { code: '25006' }))).toMatchObject({ diskFull: false, code: '25006' });
    expect(storageFailureOf(new Prisma.PrismaClientKnownRequestError('Unique constraint failed', { code: 'P2002', clientVersion: 'test' }))).toBeUndefined();
    expect(storageFailureOf(new TypeError("Cannot read properties of undefined (reading 'split')"))).toBeUndefined();
    expect(storageFailureOf(undefined)).toBeUndefined();
  });

  it('opening the embedded database: PGlite\'s ErrnoError (injected) is said to be a full disk, naming the path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arscykel-full-'));
    try {
      const config = loadConfig({ DATA_DIR: dir, LINK_SECRET: 'x'.repeat(32) });
      const message = openFailure(config, { name: 'ErrnoError', errno: 51 });
      expect(message).toContain(`DATA_DIR (${dir}): the disk is full (ENOSPC: no space left on device`);
      expect(message).toContain(`${dir}/pglite cannot be opened`);
      // Another failure of a thrown non-Error is said too, not "Cannot read properties of undefined".
      expect(openFailure(config, { name: 'ErrnoError', errno: 44 })).toMatch(/^DATA_DIR: cannot open the embedded database in .*\(ErrnoError\)$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('while running: a write the disk refuses (injected)', () => {
  let db: Database;
  let served: { base: string; close(): Promise<void> };
  let admin: string;
  let full = false;
  const call = apiCaller(() => served.base);

  /** The database as the app sees it; while `full`, every write throws what PGlite throws on a full disk. */
  function fillable(prisma: PrismaClient): PrismaClient {
    const WRITES = new Set(['create', 'createMany', 'update', 'updateMany', 'upsert', 'delete', 'deleteMany']);
    const refuse = () => Promise.reject(diskFullError());
    return new Proxy(prisma, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop === '$transaction') return (...args: unknown[]) => (full ? refuse() : (value as (...a: unknown[]) => unknown).apply(target, args));
        if (typeof value === 'function') return (value as (...a: unknown[]) => unknown).bind(target);
        if (value && typeof value === 'object' && typeof prop === 'string' && !prop.startsWith('$')) {
          return new Proxy(value as object, { get: (t, p) => (WRITES.has(String(p)) && full ? refuse : (Reflect.get(t, p) as (...a: unknown[]) => unknown)?.bind?.(t) ?? Reflect.get(t, p)) });
        }
        return value;
      },
    });
  }

  beforeAll(async () => {
    db = await testDatabase();
    const forbundId = (await importForbund(db.prisma, parseForbundFile(FULL_DISK_FILE, 'fullt.yaml'), { actor: 'test' })).forbundId;
    admin = await createApiToken(db.prisma, { forbundId, name: 'demo', role: 'admin' });
    served = await serve(createApp({ prisma: fillable(db.prisma), notifier: new RecordingNotifier(), publicBaseUrl: 'https://arscykel.example', linkSecret: 'f'.repeat(32) }));
  }, 60_000);

  afterAll(async () => {
    await served?.close();
    await db?.close();
  });

  it('503 saying the disk is full and nothing was saved; /health/ready fails until a write holds again', async () => {
    await eventually(async () => expect((await call('/health/ready')).status).toBe(200));
    full = true;
    const r = await call('/api/v1/forbund/fullt/tokens', { token: admin, method: 'POST', json: { name: 'ny', role: 'secretary' } });
    expect(r.status).toBe(503);
    expect(r.json.error.message).toMatch(/^the database cannot store this: the disk that holds its data is full \(53100: no space left on device\); nothing was saved/);
    // A page's form is told in Swedish.
    const page = await fetch(`${served.base}/api/v1/forbund/fullt/tokens`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json', accept: 'text/html' }, body: JSON.stringify({ name: 'ny', role: 'secretary' }) });
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('Disken där uppgifterna sparas är full, så det du skickade har inte sparats.');
    // Reads still answer; readiness says the database fails, and why.
    expect((await call('/api/v1/forbund/fullt/tokens', { token: admin })).status).toBe(200);
    const ready = await call('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.json.database).toMatchObject({ status: 'unavailable' });
    expect(ready.json.database.detail).toBe('writes fail: the disk that holds its data is full (53100: no space left on device)');
    full = false;
    await eventually(async () => expect((await call('/health/ready')).json.database.status).toBe('ok'));
    expect((await call('/api/v1/forbund/fullt/tokens', { token: admin, method: 'POST', json: { name: 'ny', role: 'secretary' } })).status).toBe(201);
  }, 30_000);
});

async function eventually(check: () => Promise<void>, ms = 10_000) {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/**
 * Runs tests/support/full-disk.ts in a mount namespace of its own with a tmpfs of 96 MB at a new
 * directory (the mount goes with the process, whatever happens to it); its JSON line. Undefined
 * where the machine does not let us (not root, no unshare): then only the injected tests run.
 */
function onSmallDisk(mode: 'start' | 'running'): Promise<Json> {
  const dir = mkdtempSync(join(tmpdir(), 'arscykel-disk-'));
  return new Promise<Json>((resolve, reject) => {
    const child = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs -o size=96m tmpfs "$0" && exec "$@"', dir, process.execPath, '--import', 'tsx', 'tests/support/full-disk.ts', mode, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      rmSync(dir, { recursive: true, force: true });
      const line = out.split('\n').reverse().find((l) => l.startsWith('{"') && !l.startsWith('{"time"'));
      if (code !== 0 || !line) return reject(new Error(`full-disk.ts ${mode} exited ${code}: ${err.slice(-2000)}${out.slice(-2000)}`));
      resolve(JSON.parse(line) as Json);
    });
  });
}

const canMount = (() => {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const dir = mkdtempSync(join(tmpdir(), 'arscykel-disk-'));
  try {
    execFileSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs -o size=1m tmpfs "$0"', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();

describe.skipIf(!canMount)('a real full disk (a tmpfs of 96 MB, filled)', () => {
  it('npm start on a full disk says so, naming DATA_DIR, and exits non-zero (a new DATA_DIR, and one with its database)', async () => {
    const { fresh, kept, a, b, freshSecretLeft } = await onSmallDisk('start');
    // Nothing can be written: the link secret cannot be made (and no empty one is left for the next start).
    expect(a.code, a.output).toBe(2);
    expect(a.output).toContain(`DATA_DIR (${fresh}): the disk is full (ENOSPC: no space left on device`);
    expect(a.output).toContain(`cannot write ${fresh}/link-secret`);
    expect(a.output).not.toContain("reading 'split'");
    expect(freshSecretLeft).toBe(false);
    // The secret is there and a little room (the lock fits, the database does not).
    expect(b.code, b.output).toBe(1);
    expect(b.output).toContain(`DATA_DIR (${kept}): the disk is full (ENOSPC: no space left on device`);
    expect(b.output).toContain(`the embedded database in ${kept}/pglite cannot be opened`);
    expect(b.output).not.toContain("reading 'split'");
  }, 240_000);

  it('while running on PGlite: writes answer 503, /health/ready fails, and both recover when space is freed', async () => {
    const r = await onSmallDisk('running');
    expect(r.readyBefore).toBe(200);
    expect(r.statuses.every((s: number) => s === 201 || s === 503)).toBe(true);
    expect(r.refused.status).toBe(503);
    expect(r.refused.json.error.message).toMatch(/disk that holds its data is full/);
    expect(r.readFull).toBe(200);
    expect(r.readyFull.status).toBe(503);
    expect(r.readyFull.json.database.status).toBe('unavailable');
    expect(r.readyAfter).toBe(200);
    expect(r.writeAfter).toBe(201);
  }, 240_000);
});
