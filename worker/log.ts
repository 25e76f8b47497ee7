// Structured logs: one JSON object per line on stdout, for the API, the worker and the SDK's
// workflow and activity loggers (which add the workflow id, run id, activity and task queue).
// LOG_FORMAT=text prints the same lines for a person at a terminal.
import { DefaultLogger, type LogEntry, type LogLevel } from '@temporalio/worker';

export type Fields = Record<string, unknown>;

export interface Log {
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
}

let format: 'json' | 'text' = process.env.LOG_FORMAT === 'text' ? 'text' : 'json';
export const setLogFormat = (f: 'json' | 'text') => (format = f);

const plain = (v: unknown) => (v instanceof Error ? { message: v.message, ...(v.stack ? { stack: v.stack.split('\n').slice(0, 6).join('\n') } : {}) } : v);

export function write(level: string, msg: string, fields: Fields = {}, at = new Date()): void {
  const clean = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined).map(([k, v]) => [k, plain(v)]));
  if (format === 'text') {
    const rest = Object.entries(clean).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
    const line = `${at.toISOString()} ${level.toUpperCase().padEnd(5)} ${msg}${rest ? ` (${rest})` : ''}`;
    (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(line + '\n');
    return;
  }
  process.stdout.write(JSON.stringify({ time: at.toISOString(), level, msg, ...clean }) + '\n');
}

/** A logger whose lines all carry `base` (e.g. the component). */
export function logger(base: Fields = {}): Log {
  return {
    info: (msg, fields) => write('info', msg, { ...base, ...fields }),
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
