// The national first start (issue 22): the national data set imported into a fresh PostgreSQL
// database (scripts/bench/files.ts: `npm run import -- <folder>`, Temporal unreachable, so every
// change is kept in WorkflowSignal), a Temporal dev server of its own (scripts/bench/temporal.ts),
// the SMTP sink, and then worker/main.ts (what `npm start` runs) as a child process. Measured:
// - the time until converged: the worker logged "workflows reconciled", WorkflowSignal is empty,
//   and the running workflows per type (visibility) have not changed for `settle` seconds; the
//   time is when that unchanged state was first seen (counted from the spawn);
// - the running workflows per type against what the database says should run (reconcile()'s
//   queries in worker/start.ts);
// - the peak memory of the process (VmRSS sampled each second, and VmHWM, from /proc/<pid>/status);
// - the mails the sink accepted in the first `mailWindow` seconds, per RCPT TO address;
// - then SIGTERM, how long the drain took, and the same again on the same data (the restart).
// Optionally (--apart) the same first start with ARSCYKEL_RUNS=worker and ARSCYKEL_RUNS=api as two
// processes (a fresh database and a fresh Temporal), with pending-steps of the API under autocannon
// while the worker starts the workflows, and after.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Child } from './child.js';
import { loadWhile, once, slicesSummary, type LoadResult } from './http.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface FirstStartOptions {
  /** Seconds the running workflows per type must stay unchanged. */
  settle: number;
  /** Seconds after the spawn in which mails are counted per recipient. */
  mailWindow: number;
  /** Seconds to wait for convergence before giving up. */
  timeout: number;
  /** Seconds between two probes of the running workflows. */
  poll: number;
  connections: number;
  /** Seconds of load on the API process before the worker is started (--apart). */
  warmup: number;
  /** Seconds of load on pending-steps after the start-up (--apart). */
  duration: number;
}

export interface Mails {
  windowSeconds: number;
  messages: number;
  recipients: number;
  max: number;
  maxAddress?: string;
  /** [mails, addresses that got that many], fewest mails first. */
  distribution: [number, number][];
}

export interface ProcessMemory {
  name: string;
  pid: number;
  /** Most resident memory seen by sampling VmRSS each second, kB. */
  peakRssKb: number;
  /** VmHWM, the kernel's own peak, as last read before the process ended, kB. */
  hwmKb: number;
}

export interface StartResult {
  label: string;
  /** Seconds from the spawn until the worker logged "workflows reconciled". */
  reconciledSeconds?: number;
  reconciled?: Record<string, unknown>;
  /** Seconds from the spawn until the converged state was first seen; undefined when it never was. */
  convergedSeconds?: number;
  /** Why it did not converge. */
  notConverged?: string;
  running: Record<string, number>;
  expected: Record<string, number>;
  signalsLeft: number;
  /** Probes of the running workflows and their slowest listing (ms). */
  probes: number;
  slowestListMs: number;
  memory: ProcessMemory[];
  mails: Mails;
  /** Seconds from SIGTERM to the exit of every process, and their exit codes. */
  stopSeconds: number;
  exitCodes: (number | null)[];
  /** --apart: pending-steps of the API process while the worker started, and after. */
  api?: { during: LoadResult & { slices: number }; after: LoadResult };
  logFiles: string[];
}

/** Processes this module started (worker/main.ts), for the bench's cleanup. */
export const spawned = new Set<ChildProcess>();
export function killSpawned() {
  for (const p of spawned) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  spawned.clear();
}

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function memoryOf(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? 0);
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

interface Proc {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  memory: ProcessMemory;
  logFile: string;
}

/** worker/main.ts as `npm start` runs it (`node --import tsx worker/main.ts`), its output to a log file; `onLine` sees each line. */
function startMain(name: string, env: NodeJS.ProcessEnv, logFile: string, onLine?: (line: string) => void, nice?: number): Proc {
  const args = ['--import', 'tsx', join(ROOT, 'worker', 'main.ts')];
  const child = nice ? spawn('nice', ['-n', String(nice), process.execPath, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }) : spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  spawned.add(child);
  const log = createWriteStream(logFile);
  let rest = '';
  child.stdout!.on('data', (c: Buffer) => {
    log.write(c);
    const lines = (rest + c.toString()).split('\n');
    rest = lines.pop()!;
    for (const l of lines) onLine?.(l);
  });
  child.stderr!.on('data', (c: Buffer) => log.write(c));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      spawned.delete(child);
      log.end();
      resolve(code ?? (signal ? 128 : null));
    }),
  );
  return { name, child, exited, memory: { name, pid: child.pid!, peakRssKb: 0, hwmKb: 0 }, logFile };
}

export function mailsOf(r: { messages: number; perRecipient: Record<string, number> }, windowSeconds: number): Mails {
  const entries = Object.entries(r.perRecipient);
  const by = new Map<number, number>();
  for (const [, n] of entries) by.set(n, (by.get(n) ?? 0) + 1);
  const top = entries.reduce<[string, number] | undefined>((a, e) => (!a || e[1] > a[1] ? e : a), undefined);
  return { windowSeconds, messages: r.messages, recipients: entries.length, max: top?.[1] ?? 0, maxAddress: top?.[0], distribution: [...by].sort((a, b) => a[0] - b[0]) };
}

export interface StartSpec {
  label: string;
  /** The processes, the worker first (its log says when it reconciled). */
  /** `nice`: the process's lower priority, as the README advises for a worker beside the API on one machine. */
  processes: { name: string; env: NodeJS.ProcessEnv; nice?: number }[];
  databaseUrl: string;
  /** --apart: the API process to load while the worker starts, and after. */
  api?: { url: string; token: string; slug: string };
}

/** Starts the processes, measures until converged and the mail window is over, then stops them (SIGTERM). */
export async function measureStart(spec: StartSpec, ctx: { temporal: Child; sink: Child; workDir: string; progress: (l: string) => void; opts: FirstStartOptions }): Promise<StartResult> {
  const { temporal, sink, opts, progress } = ctx;
  let reconciledSeconds: number | undefined;
  let reconciled: Record<string, unknown> | undefined;
  const logOf = (name: string) => join(ctx.workDir, `${spec.label.replace(/\W+/g, '-')}-${name}.log`);
  const procs: Proc[] = [];
  // --apart: the API process comes first, answers and is warmed up (as in production, where it is
  // up when a worker starts); then the worker is started, and the clock starts with it.
  const load = spec.api && { url: `${spec.api.url}/api/v1/forbund/${spec.api.slug}/pending-steps?limit=50`, headers: { authorization: `Bearer ${spec.api.token}` }, connections: opts.connections };
  if (spec.api && load) {
    for (const p of spec.processes.slice(1)) procs.push(startMain(p.name, p.env, logOf(p.name), undefined, p.nice));
    const deadline = performance.now() + 120_000;
    for (;;) {
      if (await fetch(`${spec.api.url}/health/live`).then((r) => r.ok, () => false)) break;
      if (performance.now() > deadline || procs.some((p) => p.child.exitCode !== null)) throw new Error(`the API process did not answer; see ${procs.map((p) => p.logFile).join(', ')}`);
      await sleep(200);
    }
    if (opts.warmup > 0) await once({ ...load, duration: opts.warmup }, 'warm-up');
  }
  const t0 = performance.now();
  const wall0 = Date.now();
  const since = () => (performance.now() - t0) / 1000;
  const w = spec.processes[0];
  procs.unshift(
    startMain(w.name, w.env, logOf(w.name), (line) => {
      if (reconciled || !line.includes('"msg":"workflows reconciled"')) return;
      reconciledSeconds = since();
      try {
        reconciled = JSON.parse(line) as Record<string, unknown>;
      } catch {
        reconciled = {};
      }
    }, w.nice),
  );
  const sampler = setInterval(() => {
    for (const p of procs) {
      const m = memoryOf(p.memory.pid);
      if (!m) continue;
      p.memory.peakRssKb = Math.max(p.memory.peakRssKb, m.rss);
      p.memory.hwmKb = Math.max(p.memory.hwmKb, m.hwm);
    }
  }, 1000);
  let exitedEarly: string | undefined;
  for (const p of procs) void p.exited.then((code) => (exitedEarly ??= `${p.name} exited (${code}) before it was stopped; see ${p.logFile}`));

  // The convergence: reconciled, nothing kept, the running workflows per type unchanged for `settle` s.
  let running: Record<string, number> = {};
  let signalsLeft = -1;
  let stableKey: string | undefined;
  let stableSince = 0;
  let convergedSeconds: number | undefined;
  let notConverged: string | undefined;
  let probes = 0;
  let slowestListMs = 0;
  const converge = (async () => {
    let lastSaid = 0;
    for (;;) {
      if (exitedEarly) return void (notConverged = exitedEarly);
      if (since() > opts.timeout) return void (notConverged = `not converged within ${opts.timeout} s (reconciled: ${reconciled ? 'yes' : 'no'}, kept changes left: ${signalsLeft})`);
      try {
        const [r, s] = await Promise.all([temporal.call<{ perType: Record<string, number>; ms: number }>('running'), temporal.call<number>('signals', { url: spec.databaseUrl })]);
        probes++;
        slowestListMs = Math.max(slowestListMs, r.ms);
        running = r.perType;
        signalsLeft = s;
        const key = JSON.stringify(Object.entries(running).sort());
        if (reconciled && s === 0) {
          if (key !== stableKey) {
            stableKey = key;
            stableSince = since();
          } else if (since() - stableSince >= opts.settle) {
            convergedSeconds = stableSince;
            return;
          }
        } else stableKey = undefined;
        if (since() - lastSaid >= 30) {
          lastSaid = since();
          const total = Object.values(running).reduce((a, n) => a + n, 0);
          progress(`  ${spec.label}: ${since().toFixed(0)} s, ${total} workflows running, ${s} kept changes left${reconciled ? ', reconciled' : ''}`);
        }
      } catch (err) {
        progress(`  ${spec.label}: probe failed: ${(err as Error).message.split('\n')[0]}`);
      }
      await sleep(opts.poll * 1000);
    }
  })();

  // --apart: the API's pending-steps while the worker starts, and after it converged.
  let api: StartResult['api'];
  if (spec.api && load) {
    let done = false;
    void converge.finally(() => (done = true));
    const slices = await loadWhile(load, () => !done && !exitedEarly);
    await converge;
    // The slices that began before the converged state was first seen (the settle time after it is idle).
    const until = t0 + (convergedSeconds ?? Infinity) * 1000;
    const busy = slices.filter((x) => x.at < until);
    const during = slicesSummary('pending-steps while the worker starts (until converged)', busy.length ? busy : slices.slice(0, 1));
    const after = await once({ ...load, duration: Math.max(2, opts.duration) }, 'pending-steps after it converged');
    api = { during, after };
  }
  await converge;

  // The mails of the first `mailWindow` seconds.
  const left = opts.mailWindow - since();
  if (left > 0 && !exitedEarly) {
    progress(`  ${spec.label}: ${convergedSeconds !== undefined ? `converged at ${convergedSeconds.toFixed(1)} s; ` : ''}counting mails until ${opts.mailWindow} s after the start (${left.toFixed(0)} s more) …`);
    await sleep(left * 1000);
  }
  const mails = mailsOf(await sink.call('recipients', { from: wall0, to: wall0 + opts.mailWindow * 1000 }), opts.mailWindow);
  const expected = (await temporal.call<{ perType: Record<string, number> }>('expected', { url: spec.databaseUrl })).perType;
  // Final figures as they stand now (after the mail window), and the memory up to the stop.
  try {
    running = (await temporal.call<{ perType: Record<string, number> }>('running')).perType;
  } catch {
    /* keep the last */
  }

  const s0 = performance.now();
  for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGTERM');
  const exitCodes = await Promise.all(procs.map((p) => Promise.race([p.exited, sleep(120_000).then(() => (p.child.kill('SIGKILL'), p.exited))])));
  const stopSeconds = (performance.now() - s0) / 1000;
  clearInterval(sampler);
  return {
    label: spec.label,
    reconciledSeconds,
    reconciled,
    convergedSeconds,
    notConverged,
    running,
    expected,
    signalsLeft,
    probes,
    slowestListMs,
    memory: procs.map((p) => p.memory),
    mails,
    stopSeconds,
    exitCodes,
    ...(api ? { api } : {}),
    logFiles: procs.map((p) => p.logFile),
  };
}

/** A token for the API (scripts/token.ts, as `npm run token` runs it), on the database of `env`. */
export async function apiToken(slug: string, env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'token.ts'), slug, 'admin', 'bench'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  if (code !== 0) throw new Error(`npm run token exited ${code}: ${(err || out).trim().slice(0, 300)}`);
  return out.trim().split('\n').pop()!.trim();
}
