// A full disk, for tests/disk-full.test.ts: run inside a mount namespace of its own (unshare -m)
// with a small tmpfs mounted at the directory given, so the mount goes away with the process
// whatever happens to it. Prints one JSON line with what it saw.
//
//   start <dir>    `npm start` on a full disk: a new DATA_DIR, and one whose link secret is there
//   running <dir>  the API on PGlite in <dir> while the disk fills up, and after it is freed
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../../api/app.js';
import { createApiToken } from '../../api/auth.js';
import { parseForbundFile } from '../../domain/forbund-file.js';
import { openDatabase } from '../../prisma/db.js';
import { importForbund } from '../../services/import.js';
import { FULL_DISK_FILE } from './fixtures.js';
import { apiCaller, serve } from './http.js';
import { RecordingNotifier } from './notifier.js';

const [mode, dir] = process.argv.slice(2);
const filler = join(dir, 'filler');
/** Every block of the disk taken (dd stops at ENOSPC and exits 1: the point). */
const fill = () => {
  try {
    execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k'], { stdio: 'ignore' });
  } catch {
    // full
  }
};
const free = () => rmSync(filler, { force: true });

/** `npm start`'s process (node --import tsx worker/main.ts) until it exits. */
function start(dataDir: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: '0' };
    for (const k of ['LINK_SECRET', 'DATABASE_URL', 'OUTBOX_DIR', 'SMTP_HOST', 'TEMPORAL_ADDRESS']) delete env[k];
    const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, output });
    });
  });
}


async function eventually<T>(get: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

if (mode === 'start') {
  const fresh = join(dir, 'fresh');
  const kept = join(dir, 'kept');
  mkdirSync(fresh);
  mkdirSync(kept);
  writeFileSync(join(kept, 'link-secret'), 'k'.repeat(43) + '\n');
  fill();
  const a = await start(fresh);
  const freshSecretLeft = existsSync(join(fresh, 'link-secret'));
  // Room for the lock, not for the database.
  execFileSync('truncate', ['-s', '-512k', filler]);
  const b = await start(kept);
  console.log(JSON.stringify({ fresh, kept, a, b, freshSecretLeft }));
} else if (mode === 'running') {
  const db = await openDatabase({ pgliteDir: join(dir, 'running', 'pglite') });
  const served = await serve(createApp({ prisma: db.prisma, notifier: new RecordingNotifier(), publicBaseUrl: 'https://arscykel.example', linkSecret: 'f'.repeat(32) }));
  const call = apiCaller(() => served.base);
  const forbundId = (await importForbund(db.prisma, parseForbundFile(FULL_DISK_FILE, 'fullt.yaml'), { actor: 'test' })).forbundId;
  const admin = await createApiToken(db.prisma, { forbundId, name: 'demo', role: 'admin' });
  const readyBefore = (await eventually(() => call('/health/ready'), (r) => r.status === 200)).status;
  fill();
  // Writes until one needs a new page of the disk (the first may fit in a page already there).
  const statuses: number[] = [];
  let refused: { status: number; json: unknown } | undefined;
  for (let i = 0; i < 200 && !refused; i++) {
    const r = await call('/api/v1/forbund/fullt/tokens', { token: admin, method: 'POST', json: { name: `ny ${i} ${'x'.repeat(90)}`, role: 'secretary' } });
    statuses.push(r.status);
    if (r.status !== 201) refused = { status: r.status, json: r.json };
  }
  const readFull = (await call('/api/v1/forbund/fullt/tokens', { token: admin })).status;
  const readyFull = await call('/health/ready');
  free();
  const readyAfter = (await eventually(() => call('/health/ready'), (r) => r.status === 200)).status;
  const writeAfter = (await call('/api/v1/forbund/fullt/tokens', { token: admin, method: 'POST', json: { name: 'efteråt', role: 'secretary' } })).status;
  await served.close();
  await db.close();
  console.log(JSON.stringify({ readyBefore, statuses: [...new Set(statuses)], refused, readFull, readyFull: { status: readyFull.status, json: readyFull.json }, readyAfter, writeAfter }));
}
process.exit(0);
