// What the official, the secretary and the feeds read is kept ready per förbund and served again
// while the förbund's data version stands. The version is bumped by database triggers in the same
// transaction as every write to the förbund's rows (migration data_version), by any process, and
// announced with NOTIFY when it commits; a process that hears the announcements knows every
// förbund's version without asking. Not listening (yet, or the connection was lost), or while a
// write of this process is under way, it asks the database: one indexed row.
import { createHash } from 'node:crypto';
import type { Response } from 'express';
import type { Database, PrismaClient } from '../prisma/db.js';

export interface DataVersions {
  /** The förbund's current data version. */
  of(forbundId: string): Promise<bigint>;
  /** A write is starting in this process; call the returned function when it has answered. */
  writing(): () => void;
  /**
   * A number that changes whenever anything may have changed (any förbund's data, a session ended:
   * every announcement heard, every write of this process); undefined while nothing is heard or a
   * write of this process is under way. What was read at one epoch holds while it stands.
   */
  epoch(): number | undefined;
}

export const DATA_VERSION_CHANNEL = 'data_version';

type VersionSource = { prisma: PrismaClient } | Pick<Database, 'sql' | 'listen'>;

export function dataVersions(db: VersionSource): DataVersions {
  const read = async (forbundId: string): Promise<bigint> => {
    const rows =
      'sql' in db
        ? await db.sql.query<{ version: bigint | string }>('SELECT version FROM "DataVersion" WHERE "forbundId" = $1', [forbundId])
        : await db.prisma.$queryRaw<{ version: bigint }[]>`SELECT version FROM "DataVersion" WHERE "forbundId" = ${forbundId}`;
    return rows.length ? BigInt(rows[0].version) : 0n;
  };
  const known = new Map<string, bigint>();
  const learn = (forbundId: string, version: bigint) => {
    const k = known.get(forbundId);
    if (k === undefined || version > k) known.set(forbundId, version);
  };
  let live = false;
  let writes = 0;
  let epoch = 0;
  if ('listen' in db) {
    void db.listen(DATA_VERSION_CHANNEL, {
      // "<forbundId>:<version>", or "sessions" when a session was ended (migration session_ended).
      notify(payload) {
        epoch++;
        const at = payload.lastIndexOf(':');
        if (live && at > 0) learn(payload.slice(0, at), BigInt(payload.slice(at + 1)));
      },
      live(listening) {
        epoch++;
        known.clear();
        live = listening;
      },
    }).catch(() => {}); // not listening: every read asks the database
  }
  return {
    async of(forbundId) {
      const k = live && writes === 0 ? known.get(forbundId) : undefined;
      if (k !== undefined) return k;
      const v = await read(forbundId);
      if (live) learn(forbundId, v);
      return v;
    },
    writing() {
      writes++;
      let done = false;
      return () => {
        if (done) return;
        done = true;
        writes--;
        epoch++;
        // The write has committed: what this process knew may be older than its announcement.
        known.clear();
      };
    },
    epoch: () => (live && writes === 0 ? epoch : undefined),
  };
}

/** A response body kept ready, with its ETag computed once. */
export interface ReadyBody {
  type: string;
  body: Buffer;
  etag: string;
  /**
   * When it was made, to the second: its data version cannot be older, so as Last-Modified it is
   * never earlier than the last change it shows (a client that only sends If-Modified-Since, as some
   * calendar services do, gets 304 until the data changes).
   */
  made: Date;
}

export function readyBody(type: string, body: string): ReadyBody {
  const buf = Buffer.from(body, 'utf8');
  return { type, body: buf, etag: `"${createHash('sha1').update(buf).digest('base64url')}"`, made: new Date(Math.floor(Date.now() / 1000) * 1000) };
}

/** Sends a ready body; a client that has it already (If-None-Match, else If-Modified-Since) gets 304. */
export function sendReady(res: Response, ready: ReadyBody): void {
  res.type(ready.type).set('ETag', ready.etag).set('Last-Modified', ready.made.toUTCString());
  if (res.req.fresh) res.status(304).end();
  else res.send(ready.body);
}

export interface ReadCache {
  /** `compute()` once per förbund, key and data version; concurrent readers share one computation. */
  get<T>(forbundId: string, key: string, compute: () => Promise<T>): Promise<T>;
  versions: DataVersions;
}

export function readCache(versions: DataVersions, limits = { forbund: 2000, keysPerForbund: 200 }): ReadCache {
  const byForbund = new Map<string, { version: bigint; values: Map<string, Promise<unknown>> }>();
  return {
    versions,
    async get<T>(forbundId: string, key: string, compute: () => Promise<T>): Promise<T> {
      const version = await versions.of(forbundId);
      let entry = byForbund.get(forbundId);
      if (!entry || entry.version < version) {
        if (!entry && byForbund.size >= limits.forbund) byForbund.delete(byForbund.keys().next().value!);
        entry = { version, values: new Map() };
        byForbund.set(forbundId, entry);
      }
      // A reader that saw an older version than the one kept computes for itself.
      if (entry.version !== version) return compute();
      const values = entry.values;
      let value = values.get(key) as Promise<T> | undefined;
      if (!value) {
        if (values.size >= limits.keysPerForbund) values.delete(values.keys().next().value!);
        value = compute();
        values.set(key, value);
        value.catch(() => values.get(key) === value && values.delete(key));
      }
      return value;
    },
  };
}
