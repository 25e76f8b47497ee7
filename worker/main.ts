// `npm start`: the API and the worker (worker/start.ts), stopped cleanly on SIGINT or SIGTERM:
// the API stops taking requests, running activities finish, connections close.
import { ConfigError, loadConfig } from './config.js';
import { logger } from './log.js';
import { startArscykel } from './start.js';

const log = logger({ component: 'arscykel' });
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

let running;
try {
  running = await startArscykel(config);
} catch (err) {
  // A reason a person can act on (the variable at fault), not a stack trace.
  log.error('could not start', { reason: (err as Error).message.split('\n')[0] });
  process.exit(1);
}

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) {
    log.warn('stopping at once', { signal });
    process.exit(1);
  }
  stopping = true;
  log.info('shutting down', { signal });
  await running.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
