// Opens the database: PostgreSQL given by DATABASE_URL, or an embedded PGlite (file-backed
// under the data directory, or in memory). Migrations are applied on open.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.js';
import { applyMigrations, MIGRATION_LOCK, type SqlRunner } from './migrate.js';
import { logger } from '../worker/log.js';

const log = logger({ component: 'database' });

export type { PrismaClient };
export { Prisma } from '../generated/prisma/client.js';

export interface Database {
  prisma: PrismaClient;
  sql: SqlRunner;
  /** The adapter factory, for the schema engine in tests. */
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  kind: 'postgres' | 'pglite';
  /**
   * Hears NOTIFY on `channel`: `notify` per payload, `live(true)` once listening (again) and
   * `live(false)` when the connection is lost, after which notifications may have been missed
   * until the next `live(true)`. Stopped by close().
   */
  listen(channel: string, on: Listener): Promise<void>;
  close(): Promise<void>;
}

export interface Listener {
  notify(payload: string): void;
  live(listening: boolean): void;
}

export type DatabaseTarget = { url: string } | { pgliteDir: string } | { memory: true };

export interface OpenOptions {
  migrate?: boolean;
  /** Hears each SQL statement Prisma sends, with its parameters (for checking query plans). */
  onQuery?: (query: string, params: unknown[]) => void;
}

export async function openDatabase(target: DatabaseTarget, opts: OpenOptions = {}): Promise<Database> {
  const db = 'url' in target ? openPostgres(target.url, opts) : await openPglite(target, opts);
  if (opts.migrate !== false) await applyMigrations(db.sql);
  return db;
}

function openPostgres(url: string, opts: OpenOptions): Database {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection the server ends (a restart, a failover, an administrator) is dropped from the
  // pool and the next query opens a new one; without a listener it would end the process.
  pool.on('error', (err) => log.warn('database connection lost; the pool reconnects on the next query', { error: err.message }));
  const adapterFactory = new PrismaPg(pool);
  const prisma = prismaClient(adapterFactory, opts);
  const listeners: { stop(): Promise<void> }[] = [];
  return {
    prisma,
    adapterFactory,
    kind: 'postgres',
    listen: async (channel, on) => {
      listeners.push(listenPostgres(url, channel, on));
    },
    sql: {
      query: async (text, params) => (await pool.query(text, params as unknown[])).rows,
      script: async (text) => {
        // Simple-protocol query: the whole script in one round trip, as one unit.
        await pool.query(text);
      },
      exclusive: async (fn) => {
        // A session lock: held by this one connection until unlocked (or the connection ends).
        const c = await pool.connect();
        try {
          await c.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
          return await fn({ query: async (text, params) => (await c.query(text, params as unknown[])).rows, script: async (text) => void (await c.query(text)) });
        } finally {
          await c.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
          c.release();
        }
      },
    },
    close: async () => {
      await Promise.all(listeners.map((l) => l.stop()));
      await prisma.$disconnect();
      await pool.end().catch(() => {});
    },
  };
}

function prismaClient(adapter: SqlMigrationAwareDriverAdapterFactory, opts: OpenOptions): PrismaClient {
  if (!opts.onQuery) return new PrismaClient({ adapter });
  const prisma = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  const onQuery = opts.onQuery;
  prisma.$on('query', (e) => onQuery(e.query, JSON.parse(e.params) as unknown[]));
  return prisma;
}

/**
 * LISTEN on a connection of its own (a pooled one would be handed to other queries). A lost
 * connection is reported and opened again, every 2 s until it succeeds.
 */
function listenPostgres(url: string, channel: string, on: Listener): { stop(): Promise<void> } {
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  const connect = async () => {
    const c = (client = new pg.Client({ connectionString: url }));
    let lost = false;
    const lose = (err?: Error) => {
      if (lost) return;
      lost = true;
      on.live(false);
      c.end().catch(() => {});
      if (err && !stopped) log.warn('database notifications lost; listening again', { channel, error: err.message });
      if (!stopped) retry = setTimeout(() => void connect(), 2000);
    };
    c.on('error', lose);
    c.on('end', () => lose());
    c.on('notification', (n) => {
      if (n.channel === channel && n.payload !== undefined) on.notify(n.payload);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      if (!lost) on.live(true);
    } catch (err) {
      lose(err as Error);
    }
  };
  void connect();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}

/**
 * PGlite runs in this thread and answers at once, so a request's queries would otherwise run as
 * one unbroken chain of microtasks, starving every other request, health check and timer until
 * it ends. Yielding to the event loop before each query lets them in between.
 */
function yieldBetweenQueries(client: PGlite) {
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
  const query = client.query.bind(client);
  const exec = client.exec.bind(client);
  client.query = (async (...args: Parameters<PGlite['query']>) => {
    await tick();
    return query(...args);
  }) as PGlite['query'];
  client.exec = (async (...args: Parameters<PGlite['exec']>) => {
    await tick();
    return exec(...args);
  }) as PGlite['exec'];
}

async function openPglite(target: { pgliteDir: string } | { memory: true }, opts: OpenOptions): Promise<Database> {
  let client: PGlite;
  if ('pgliteDir' in target) {
    mkdirSync(target.pgliteDir, { recursive: true });
    client = await PGlite.create(target.pgliteDir);
  } else {
    client = await PGlite.create();
  }
  yieldBetweenQueries(client);
  const adapterFactory = new PrismaPGlite(client);
  const prisma = prismaClient(adapterFactory, opts);
  return {
    prisma,
    adapterFactory,
    kind: 'pglite',
    listen: async (channel, on) => {
      await client.listen(channel, on.notify);
      on.live(true);
    },
    sql: {
      query: async (text, params) => (await client.query(text, params as unknown[])).rows as never[],
      script: async (text) => {
        await client.exec(text);
      },
    },
    close: async () => {
      await prisma.$disconnect();
      await client.close();
    },
  };
}
