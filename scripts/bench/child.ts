// The bench's child processes (the servers under load, the SMTP sink), each a script of this
// folder run by the same node and loader (tsx) as the bench, called over the IPC channel: the
// parent calls `call(cmd, args)`, the child answers with what its handler returned.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface Request {
  id: number;
  cmd: string;
  args: unknown;
}
type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string } | { hello: true };

export interface Child {
  pid: number;
  call<T>(cmd: string, args?: unknown): Promise<T>;
  /** Ends the child (SIGTERM, then SIGKILL after 3 s); resolves when it is gone. */
  stop(): Promise<void>;
}

/**
 * Starts `scripts/bench/<name>.ts`. Its stdout (the app's request log) goes to `logFile`; its
 * stderr is shown (progress and errors), or also goes to `logFile` when `quiet`.
 */
export async function startChild(name: string, opts: { env?: NodeJS.ProcessEnv; logFile: string; quiet?: boolean }): Promise<Child> {
  const script = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  const log = openSync(opts.logFile, 'a');
  const proc: ChildProcess = spawn(process.execPath, [...process.execArgv, script], { env: { ...process.env, ...opts.env }, stdio: ['ignore', log, opts.quiet ? log : 'inherit', 'ipc'] });
  closeSync(log);
  let next = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let exited: string | undefined;
  const hello = new Promise<void>((resolve, reject) => {
    proc.on('message', (m: Reply) => {
      if ('hello' in m) return resolve();
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(m.error));
    });
    proc.once('exit', (code, signal) => {
      exited = `${name} exited (${signal ?? code})`;
      reject(new Error(exited));
      for (const p of pending.values()) p.reject(new Error(exited));
      pending.clear();
    });
  });
  await hello;
  return {
    pid: proc.pid!,
    call<T>(cmd: string, args?: unknown) {
      if (exited) return Promise.reject(new Error(exited));
      const id = next++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        proc.send({ id, cmd, args } satisfies Request);
      });
    },
    stop() {
      if (exited) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const kill = setTimeout(() => proc.kill('SIGKILL'), 3000);
        proc.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        proc.kill('SIGTERM');
      });
    },
  };
}

/** In a child: answers the parent's calls with `handlers`, then says hello. */
export function serveCalls(handlers: Record<string, (args: never) => unknown>): void {
  if (!process.send) throw new Error('run by scripts/bench.ts, not directly');
  process.on('message', async (m: Request) => {
    try {
      const handler = handlers[m.cmd];
      if (!handler) throw new Error(`no command ${m.cmd}`);
      process.send!({ id: m.id, ok: true, result: (await handler(m.args as never)) ?? null });
    } catch (err) {
      process.send!({ id: m.id, ok: false, error: (err as Error).stack ?? String(err) });
    }
  });
  // The parent going away ends the child.
  process.on('disconnect', () => process.exit(0));
  process.send({ hello: true });
}
