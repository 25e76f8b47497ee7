// `npm start`: the API and the worker (worker/start.ts), stopped cleanly on SIGINT or SIGTERM:
// the API stops taking requests, the worker stops polling and its running activities finish, the
// connections and the local Temporal dev server close, the embedded database's lock is released,
// exit 0.
//
// `npm start` runs this file as node itself (`exec node --import tsx …`), so a SIGTERM to npm alone
// (what a container runtime sends) reaches it through npm's relay, and a SIGTERM to the process
// group reaches it twice (directly and relayed): a signal repeated within a few seconds is the same
// request. A second Ctrl-C later stops at once. A process whose parent died (npm killed outright)
// is reparented; it notices within a second and stops the same way.
import { ConfigError, loadConfig } from './config.js';
import { logger } from './log.js';
import { startArscykel, type Running } from './start.js';
import { storageFailureOf } from '../services/storage.js';

const log = logger({ component: 'arscykel' });

/** Signals this close after the first are relays of it (npm, tsx, the group), not a person insisting. */
const SAME_REQUEST_MS = 3000;
/** The worker's grace time for running activities is 70 s; past this the process exits anyway. */
const STOP_DEADLINE_MS = 100_000;

// A reader gone from our stdout (a parent killed with its pipe) must not crash the drain.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});

let running: Running | undefined;
let stopping: { reason: string; at: number } | undefined;

async function drain(r: Running) {
  setTimeout(() => {
    log.error('could not stop within the deadline; exiting', { deadlineSeconds: STOP_DEADLINE_MS / 1000 });
    process.exit(1);
  }, STOP_DEADLINE_MS).unref();
  try {
    await r.stop();
  } catch (err) {
    log.error('stopped with an error', { error: err as Error });
    process.exit(1);
  }
  process.exit(0);
}

function request(reason: string) {
  if (!stopping) {
    stopping = { reason, at: Date.now() };
    log.info('shutting down', { signal: reason });
    if (running) void drain(running); // else: as soon as it is up (below)
    return;
  }
  if (reason === 'SIGINT' && Date.now() - stopping.at > SAME_REQUEST_MS) {
    log.warn('stopping at once', { signal: reason });
    process.exit(130);
  }
  log.info('already shutting down', { signal: reason, since: stopping.reason, ...(reason === 'SIGINT' ? { hint: 'Ctrl-C again to stop at once' } : {}) });
}

process.on('SIGINT', () => request('SIGINT'));
process.on('SIGTERM', () => request('SIGTERM'));
// Orphaned (the parent killed outright): reparented to init or a subreaper, the ppid changes.
const parent = process.ppid;
if (parent > 1) {
  setInterval(() => {
    if (process.ppid !== parent && !stopping) request('parent exited');
  }, 1000).unref();
}

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}

try {
  running = await startArscykel(config);
} catch (err) {
  // A reason a person can act on (the variable at fault; a full disk by name), not a stack trace.
  // What is thrown need not be an Error with a message (PGlite's file system errors are not).
  const message = err instanceof Error ? err.message : typeof (err as { message?: unknown })?.message === 'string' ? (err as { message: string }).message : '';
  const failure = storageFailureOf(err);
  const reason = message.split('\n').find((l) => l.trim())?.trim() || (failure ? `${failure.code}: ${failure.detail}` : String(err));
  log.error('could not start', { reason });
  process.exit(1);
}
if (stopping) void drain(running);
