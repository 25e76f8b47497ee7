// Where Temporal's own servers come from: the variable naming the binary, then the copy that
// `npm run temporal:install` puts in .temporal/bin, then the PATH, and only then the SDK's
// download (which needs internet). Used by `npm start` (the dev server) and by the tests. And
// `npm start`'s dev server itself, started and stopped by Årscykel (startDevServer).
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { connect } from 'node:net';
import { constants as osConstants } from 'node:os';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ConnectionPlugin } from '@temporalio/client';
import { TestWorkflowEnvironment, type EphemeralServerExecutable } from '@temporalio/testing';

const REPO = fileURLToPath(new URL('..', import.meta.url));

const SERVERS = {
  cli: { variable: 'TEMPORAL_CLI_PATH', name: 'temporal' },
  'test-server': { variable: 'TEMPORAL_TEST_SERVER_PATH', name: 'temporal-test-server' },
} as const;

export type TemporalServerKind = keyof typeof SERVERS;

export interface FoundExecutable {
  executable: EphemeralServerExecutable;
  /** Where it was found, for the start-up log. */
  source: string;
}

/** An executable file at `path` (a binary this process may start). */
export const isExecutable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

export function findTemporalServer(kind: TemporalServerKind, env: NodeJS.ProcessEnv = process.env): FoundExecutable {
  const { variable, name } = SERVERS[kind];
  const named = env[variable];
  if (named) {
    if (!isExecutable(named)) throw new Error(`${variable}="${named}": not an executable file`);
    return { executable: { type: 'existing-path', path: named }, source: `${named} (${variable})` };
  }
  const local = join(REPO, '.temporal', 'bin', name);
  if (isExecutable(local)) return { executable: { type: 'existing-path', path: local }, source: local };
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return { executable: { type: 'existing-path', path: candidate }, source: `${candidate} (PATH)` };
  }
  return { executable: { type: 'cached-download' }, source: 'downloaded by the Temporal SDK' };
}

/**
 * `npm start`'s local dev server, started as a child that Årscykel stops itself, after its worker
 * has drained (not started by the SDK, whose server shares our process group: a SIGTERM to the
 * group would kill it under the draining worker, and a node killed outright would leave it
 * running, its ports held). It runs in a process group of its own, under a small shell guard that
 * stops it (SIGTERM, so it closes its database) when its stdin — a pipe from this process — closes:
 * on stop(), and just as well when this process dies without stopping it.
 */
export interface DevServer {
  /** host:port of its frontend. */
  address: string;
  /** The guard's pid, which is also the process group of the guard and the server. */
  pid: number;
  /** Stops the server and waits for it (killed after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

export interface DevServerOptions {
  executable: string;
  ip: string;
  port: number;
  namespace: string;
  dbFilename: string;
  uiPort?: number;
  /** Registered at start (`--search-attribute name=Type`). */
  searchAttributes: { name: string; type: string }[];
  /** Each line the server prints. */
  output?: (line: string) => void;
  /** How long it may take to accept connections (default 30 s). */
  readyTimeoutMs?: number;
}

// stdin (the pipe) moves to fd 3, which only the watcher reads; the server gets none of it. When
// the pipe closes the watcher stops the server; when the server ends the guard ends with its code.
const DEV_SERVER_GUARD = [
  'exec 3<&0 </dev/null',
  '"$@" 3<&- &',
  's=$!',
  '(while read -r _ <&3; do :; done; kill -TERM "$s" 2>/dev/null) &',
  'w=$!',
  'exec 3<&-',
  'wait "$s"',
  'c=$?',
  'kill "$w" 2>/dev/null',
  'exit $c',
].join('\n');

/** The arguments the SDK's createLocal gives the CLI, so the server behaves the same. */
export function devServerArgs(o: Omit<DevServerOptions, 'executable' | 'output' | 'readyTimeoutMs'>): string[] {
  return [
    'server', 'start-dev',
    '--port', String(o.port),
    '--namespace', o.namespace,
    '--ip', o.ip,
    '--log-format', 'pretty',
    '--log-level', 'warn',
    '--dynamic-config-value', 'frontend.enableServerVersionCheck=false',
    '--dynamic-config-value', 'frontend.enableUpdateWorkflowExecution=true',
    '--dynamic-config-value', 'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
    '--db-filename', o.dbFilename,
    ...(o.uiPort ? ['--ui-port', String(o.uiPort)] : ['--headless']),
    ...o.searchAttributes.flatMap((a) => ['--search-attribute', `${a.name}=${a.type}`]),
  ];
}

export async function startDevServer(o: DevServerOptions): Promise<DevServer> {
  // A server already there (another checkout's, or one left by a process killed before this fix)
  // would answer in place of ours: said, rather than used.
  if (await accepts(o.ip, o.port)) throw new Error(`${o.ip}:${o.port} is already in use (another Temporal dev server?); stop what holds it, or run one yourself and set TEMPORAL_ADDRESS`);
  const child = spawn('/bin/sh', ['-c', DEV_SERVER_GUARD, 'arscykel-temporal-dev-server', o.executable, ...devServerArgs(o)], {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : null)));
    child.once('error', () => resolve(null));
  });
  const lines: string[] = [];
  let stopping = false;
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      if (!line.trim()) return;
      lines.push(line);
      if (lines.length > 20) lines.shift();
      // Its complaints while stopping (its own internal workers losing their polls) are noise.
      if (!stopping) o.output?.(line);
    });
  }
  // Our end of the pipe, never written: when it closes, the guard stops the server.
  child.stdin!.on('error', () => {});
  let done: number | null | undefined;
  void exited.then((code) => (done = code));

  const stop = async (graceMs = 20_000) => {
    if (done !== undefined) return;
    stopping = true;
    child.stdin!.end();
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, graceMs);
    await exited;
    clearTimeout(timer);
  };

  const until = Date.now() + (o.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (done !== undefined) throw new Error(`the Temporal dev server exited (code ${done}): ${lines.slice(-5).join(' | ') || 'no output'}`);
    if (await accepts(o.ip, o.port)) break;
    if (Date.now() > until) {
      await stop(2000);
      throw new Error(`the Temporal dev server did not accept connections on ${o.ip}:${o.port} within ${Math.round((o.readyTimeoutMs ?? 30_000) / 1000)} s: ${lines.slice(-5).join(' | ') || 'no output'}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { address: `${o.ip}:${o.port}`, pid: child.pid!, stop };
}

const accepts = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host, port });
    const end = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => end(false));
    socket.once('connect', () => end(true));
    socket.once('error', () => end(false));
  });

/**
 * The client's keepalive for Temporal's time-skipping test server. That server (grpc-java) takes a
 * ping as early when it comes less than 5 minutes after the last, and on the third early ping with
 * no data sent in between it closes the connection ("too_many_pings"), failing the call in flight.
 * The client's default pings every 30 s, so one `env.sleep()` that runs 90 s — skipping a day of
 * retries on a busy machine — lost its connection. Pings every 6 minutes, only during calls, are
 * within what the server allows.
 */
export const testServerKeepalive: ConnectionPlugin = {
  name: 'arscykel-test-server-keepalive',
  configureConnection: (options) => ({
    ...options,
    channelArgs: { ...options.channelArgs, 'grpc.keepalive_time_ms': 360_000, 'grpc.keepalive_permit_without_calls': 0 },
  }),
};

/** Temporal's time-skipping test server (the copy found by findTemporalServer), with the client's keepalive it allows. */
export const startTimeSkippingServer = () =>
  TestWorkflowEnvironment.createTimeSkipping({ server: { executable: findTemporalServer('test-server').executable }, plugins: [testServerKeepalive] });
