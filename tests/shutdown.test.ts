// `npm start` as a deploy stops it: the real `npm start` (npm → node, and the local Temporal dev
// server it starts) with its own DATA_DIR and PORT, in a process group of its own. A SIGTERM to
// npm alone (what a container runtime sends to its first process), to the whole group (a
// terminal's Ctrl-C, `kill -- -pgid`), or npm killed outright must each end in a drained worker,
// a closed API, a stopped dev server and a released database: exit 0, no process left, no port held.
// The dev server listens on localhost:7233 (UI 8233), as `npm start` always starts it: these
// must be free while this file runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../prisma/db.js';
import { bundleWorkflows } from '../worker/worker.js';
import { freePort } from './support/fixtures.js';
import { eventually } from './support/temporal.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEV_SERVER_PORTS = [7233, 8233];
let bundlePath: string;
let scratch: string;
/** One DATA_DIR for every start (its database migrated once, in beforeAll: the slow part of a first start). */
let dataDir: string;

interface Started {
  child: ChildProcess;
  port: number;
  dataDir: string;
  output: () => string;
  exited: Promise<number | null>;
}
let current: Started | undefined;

/** Whether something accepts connections on localhost:port. */
const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.setTimeout(1000, () => (s.destroy(), resolve(false)));
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

/** A process as /proc shows it: its parent and its start time (so a reused pid is not taken for it). */
function procStat(pid: number): { ppid: number; start: string; state: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], ppid: Number(fields[1]), start: fields[19] };
  } catch {
    return undefined;
  }
}

/** Every process below `root` (in any process group or session), with its start time. */
function descendants(root: number): Map<number, string> {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    const s = Number.isInteger(pid) ? procStat(pid) : undefined;
    if (s) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  }
  const found = new Map<number, string>();
  const walk = (pid: number) => {
    for (const c of children.get(pid) ?? []) {
      const s = procStat(c);
      if (s && !found.has(c)) {
        found.set(c, s.start);
        walk(c);
      }
    }
  };
  walk(root);
  return found;
}

/** Of the processes recorded, those still alive (same pid and start time, not a zombie). */
const alive = (procs: Map<number, string>) =>
  [...procs].filter(([pid, start]) => {
    const s = procStat(pid);
    return s && s.start === start && s.state !== 'Z';
  }).map(([pid]) => `${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').slice(0, 120)}`);

/** `npm start`, the leader of a process group of its own, ready (database and Temporal) when this resolves. */
async function npmStart(): Promise<Started> {
  const port = await freePort();
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, PORT: String(port), LOG_FORMAT: 'json', TEMPORAL_WORKFLOW_BUNDLE: bundlePath };
  const child = spawn('npm', ['start'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  current = { child, port, dataDir, output: () => out, exited };
  let early = true;
  await Promise.race([
    eventually(async () => {
      const res = await fetch(`http://localhost:${port}/health/ready`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok', temporal: { status: 'ok' } });
    }, 60_000),
    exited.then((code) => {
      if (early) throw new Error(`npm start exited ${code} before it was ready:\n${out}`);
    }),
  ]);
  early = false;
  return current;
}

/** After the stop: nothing of it left running, no port held, the database's lock released. */
async function expectAllGone(s: Started, procs: Map<number, string>) {
  await eventually(() => expect(alive(procs)).toEqual([]), 10_000);
  for (const port of [s.port, ...DEV_SERVER_PORTS]) expect(await listening(port), `port ${port} still held`).toBe(false);
  expect(existsSync(join(s.dataDir, 'arscykel.lock'))).toBe(false);
  const lines = s.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string });
  const msgs = lines.map((l) => l.msg);
  for (const step of ['shutting down', 'api closed', 'worker drained', 'local Temporal dev server stopped', 'stopped']) expect(msgs, s.output()).toContain(step);
  expect(msgs).not.toContain('stopping at once');
}

beforeAll(async () => {
  for (const port of DEV_SERVER_PORTS) {
    if (await listening(port)) throw new Error(`localhost:${port} is in use: npm start's dev server needs it (is a Temporal dev server or npm start running?)`);
  }
  scratch = mkdtempSync(join(tmpdir(), 'arscykel-shutdown-'));
  dataDir = join(scratch, 'data');
  // Bundled and migrated once here rather than at each of the starts below.
  bundlePath = join(scratch, 'workflow-bundle.js');
  const [bundle, db] = await Promise.all([bundleWorkflows(), openDatabase({ pgliteDir: join(dataDir, 'pglite') })]);
  writeFileSync(bundlePath, bundle.code);
  await db.close();
}, 120_000);

afterEach(async () => {
  // A failed case leaves nothing behind for the next.
  if (current && current.child.exitCode === null && current.child.signalCode === null) {
    try {
      process.kill(-current.child.pid!, 'SIGKILL');
    } catch {
      // gone
    }
    await current.exited;
  }
  current = undefined;
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('npm start stops gracefully', () => {
  it('SIGTERM to npm alone: the worker drains, the dev server stops, exit 0, nothing left', async () => {
    const s = await npmStart();
    const procs = descendants(s.child.pid!);
    expect([...procs.keys()].map((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8')).join('\n')).toContain('start-dev');
    const t = performance.now();
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    console.log(`shutdown: SIGTERM to npm → exit 0 in ${Math.round(performance.now() - t)} ms`);
    await expectAllGone(s, procs);
  }, 90_000);

  it('SIGTERM to the process group (each process once, and node again through npm): the same, exit 0', async () => {
    const s = await npmStart();
    const procs = descendants(s.child.pid!);
    const node = [...procs.keys()].find((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('worker/main.ts'))!;
    const t = performance.now();
    process.kill(-s.child.pid!, 'SIGTERM');
    // npm's relay may reach node while the group's SIGTERM is still pending (then the two are one);
    // one relayed a little later, as tsx's or a slow npm's, must be taken for the same request.
    await new Promise((r) => setTimeout(r, 300));
    process.kill(node, 'SIGTERM');
    expect(await s.exited).toBe(0);
    console.log(`shutdown: SIGTERM to the group → exit 0 in ${Math.round(performance.now() - t)} ms`);
    await expectAllGone(s, procs);
    expect(s.output()).toContain('"msg":"already shutting down"');
  }, 90_000);

  it('npm killed outright: node, orphaned, notices and stops the same way', async () => {
    const s = await npmStart();
    const procs = descendants(s.child.pid!);
    s.child.kill('SIGKILL');
    await s.exited;
    await eventually(() => expect(alive(procs)).toEqual([]), 30_000);
    await expectAllGone(s, procs);
    expect(s.output()).toContain('"signal":"parent exited"');
  }, 90_000);
});
