// Opens the database: PostgreSQL given by DATABASE_URL, or an embedded PGlite (file-backed
// under the data directory, or in memory). Migrations are applied on open.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.js';
import { applyMigrations, type SqlRunner } from './migrate.js';
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
  close(): Promise<void>;
}

export type DatabaseTarget = { url: string } | { pgliteDir: string } | { memory: true };

export async function openDatabase(target: DatabaseTarget, opts: { migrate?: boolean } = {}): Promise<Database> {
  const db = 'url' in target ? openPostgres(target.url) : await openPglite(target);
  if (opts.migrate !== false) await applyMigrations(db.sql);
  return db;
}

function openPostgres(url: string): Database {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection the server ends (a restart, a failover, an administrator) is dropped from the
  // pool and the next query opens a new one; without a listener it would end the process.
  pool.on('error', (err) => log.warn('database connection lost; the pool reconnects on the next query', { error: err.message }));
  const adapterFactory = new PrismaPg(pool);
  const prisma = new PrismaClient({ adapter: adapterFactory });
  return {
    prisma,
    adapterFactory,
    kind: 'postgres',
    sql: {
      query: async (text, params) => (await pool.query(text, params as unknown[])).rows,
      script: async (text) => {
        // Simple-protocol query: the whole script in one round trip, as one unit.
        await pool.query(text);
      },
    },
    close: async () => {
      await prisma.$disconnect();
      await pool.end().catch(() => {});
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

async function openPglite(target: { pgliteDir: string } | { memory: true }): Promise<Database> {
  let client: PGlite;
  if ('pgliteDir' in target) {
    mkdirSync(target.pgliteDir, { recursive: true });
    client = await PGlite.create(target.pgliteDir);
  } else {
    client = await PGlite.create();
  }
  yieldBetweenQueries(client);
  const adapterFactory = new PrismaPGlite(client);
  const prisma = new PrismaClient({ adapter: adapterFactory });
  return {
    prisma,
    adapterFactory,
    kind: 'pglite',
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
