// Structured logs: one JSON object per line on stdout, for the API, the worker and the SDK's
// workflow and activity loggers (which add the workflow id, run id, activity and task queue).
// LOG_FORMAT=text prints the same lines for a person at a terminal.
import { DefaultLogger, type LogEntry, type LogLevel } from '@temporalio/worker';

export type Fields = Record<string, unknown>;

export interface Log {
  info(msg: string, fields?: Fields): void;
  /** An info line that may wait for the event loop's turn (see write). */
  infoSoon(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
}

let format: 'json' | 'text' = process.env.LOG_FORMAT === 'text' ? 'text' : 'json';
export const setLogFormat = (f: 'json' | 'text') => (format = f);

const plain = (v: unknown) => (v instanceof Error ? { message: v.message, ...(v.stack ? { stack: v.stack.split('\n').slice(0, 6).join('\n') } : {}) } : v);

// Lines asked to wait (the request lines, one per request) are written together once the event
// loop turns: under load that is one write for many requests instead of one each. Any other line
// writes them first, so the order holds, and so does the process's exit.
let waiting = '';
let flushing = false;
const flush = () => {
  flushing = false;
  if (!waiting) return;
  const lines = waiting;
  waiting = '';
  process.stdout.write(lines);
};
process.once('exit', flush);

export function write(level: string, msg: string, fields: Fields = {}, at = new Date(), wait = false): void {
  const clean = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined).map(([k, v]) => [k, plain(v)]));
  if (format === 'text') {
    const rest = Object.entries(clean).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
    const line = `${at.toISOString()} ${level.toUpperCase().padEnd(5)} ${msg}${rest ? ` (${rest})` : ''}`;
    (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(line + '\n');
    return;
  }
  const line = JSON.stringify({ time: at.toISOString(), level, msg, ...clean }) + '\n';
  if (wait) {
    waiting += line;
    if (!flushing) {
      flushing = true;
      setImmediate(flush);
    }
    return;
  }
  if (waiting) {
    const lines = waiting + line;
    waiting = '';
    process.stdout.write(lines);
  } else process.stdout.write(line);
}

/** A logger whose lines all carry `base` (e.g. the component). */
export function logger(base: Fields = {}): Log {
  return {
    info: (msg, fields) => write('info', msg, { ...base, ...fields }),
    infoSoon: (msg, fields) => write('info', msg, { ...base, ...fields }, new Date(), true),
    warn: (msg, fields) => write('warn', msg, { ...base, ...fields }),
    error: (msg, fields) => write('error', msg, { ...base, ...fields }),
  };
}

/** The Temporal SDK's logger (Runtime.install), writing the same lines. */
export function sdkLogger(level: LogLevel = 'INFO'): DefaultLogger {
  return new DefaultLogger(level, (entry: LogEntry) => {
    const { sdkComponent, ...meta } = entry.meta ?? {};
    write(entry.level.toLowerCase(), entry.message, { component: `temporal.${String(sdkComponent ?? 'sdk')}`, ...meta }, new Date(Number(entry.timestampNanos / 1_000_000n)));
  });
}
