// What the command-line tools share: the configuration (or a clear exit), and the database —
// opened directly, or, while `npm start` holds the embedded one, reached through its API.
import { LOCAL_KEY_HEADER, localKey } from '../api/local.js';
import type { Database } from '../prisma/db.js';
import { ConfigError, loadConfig, type Config } from '../worker/config.js';
import { DatabaseError, lockHolder, openConfiguredDatabase } from '../worker/database.js';

export function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}

export function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

/** A call to the running `npm start`'s local administration. */
export type LocalCall = (path: string, body: unknown) => Promise<{ status: number; json: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Runs `direct` on the database, or `viaServer` when a running `npm start` holds the embedded
 * database (so nothing is written behind its back and lost).
 */
export async function withDatabase<T>(config: Config, what: string, direct: (db: Database) => Promise<T>, viaServer: (call: LocalCall, url: string) => Promise<T>): Promise<T> {
  const holder = lockHolder(config);
  if (holder?.url) {
    const url = holder.url;
    const call: LocalCall = async (path, body) => {
      const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', [LOCAL_KEY_HEADER]: localKey(config.linkSecret) }, body: JSON.stringify(body) });
      return { status: res.status, json: await res.json().catch(() => undefined) };
    };
    return viaServer(call, url);
  }
  let db;
  try {
    db = await openConfiguredDatabase(config, what);
  } catch (err) {
    if (err instanceof DatabaseError) fail(err.message);
    throw err;
  }
  try {
    return await direct(db);
  } finally {
    await db.close();
  }
}
