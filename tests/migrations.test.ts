import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations, readMigrations } from '../prisma/migrate.js';
import { diffDatabaseToSchema } from '../prisma/schema-engine.js';
import type { Database } from '../prisma/db.js';
import { pgliteDatabase, serverDatabase, serverUrl } from './support/database.js';

const engines: [string, () => Promise<Database>][] = [['PGlite', () => pgliteDatabase({ migrate: false })]];
if (serverUrl) engines.push(['PostgreSQL server', () => serverDatabase({ migrate: false })]);
else it.skip('PostgreSQL server (set TEST_DATABASE_URL; .ci/run does)', () => {});

// The structure of a database as the catalog shows it: tables, columns, enums, constraints, indexes.
// (PostgreSQL 18, which PGlite is, also lists NOT NULL as constraints; those are in columns already.)
async function structure(db: Database) {
  const q = (sql: string) => db.sql.query(sql).then((rows) => rows.map((r) => JSON.stringify(r)).sort());
  return {
    columns: await q(`SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public'`),
    enums: await q(`SELECT t.typname, e.enumlabel, e.enumsortorder FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid`),
    constraints: await q(`SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype <> 'n'`),
    indexes: await q(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'`),
  };
}

let reference: Awaited<ReturnType<typeof structure>> | undefined;

describe.each(engines)('migrations on %s', (name, open) => {
  let db: Database;
  afterAll(() => db?.close());

  it('applies every migration and the result matches schema.prisma', async () => {
    db = await open();
    const applied = await applyMigrations(db.sql);
    expect(applied).toEqual(readMigrations().map((m) => m.name));
    expect(applied.length).toBeGreaterThan(0);
    if (name === 'PGlite') {
      // The schema engine introspects the migrated database and diffs it against schema.prisma.
      expect(await diffDatabaseToSchema(db.adapterFactory)).toBe('');
      reference = await structure(db);
    } else {
      // The wasm engine cannot introspect through node-postgres (it fails on the catalog's
      // "char" columns), so the server's catalog is compared with the PGlite one proven above.
      expect(reference).toBeDefined();
      expect(await structure(db)).toEqual(reference);
    }
  });

  it('records migrations as prisma migrate deploy does, and a second run applies nothing', async () => {
    const rows = await db.sql.query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(readMigrations().map((m) => [m.name, m.checksum]));
    expect(rows.every((r) => r.finished_at !== null && Number(r.applied_steps_count) === 1)).toBe(true);
    expect(await applyMigrations(db.sql)).toEqual([]);
  });

  it('a failing migration leaves no trace and is reported by name', async () => {
    const broken = [...readMigrations(), { name: '99999999999999_broken', sql: 'CREATE TABLE "X" (id int);\nSELECT no_such_function();', checksum: 'x' }];
    await expect(applyMigrations(db.sql, broken)).rejects.toThrow(/99999999999999_broken failed/);
    const tables = await db.sql.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'X'`);
    expect(tables).toEqual([]);
    const rows = await db.sql.query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '99999999999999_broken'`);
    expect(rows).toEqual([]);
  });

  it('a database that drifted from the schema is detected', async () => {
    await db.sql.script('ALTER TABLE "Project" DROP COLUMN "dnr"');
    if (name === 'PGlite') expect(await diffDatabaseToSchema(db.adapterFactory)).toMatch(/dnr/);
    else expect(await structure(db)).not.toEqual(reference);
  });
});

// An API process and a worker process (ARSCYKEL_RUNS) start together against one PostgreSQL
// database: migrating is serialised by a session advisory lock, so neither fails on the other's tables.
describe.runIf(serverUrl)('two processes migrating one PostgreSQL database at once', () => {
  it('both open it; each migration is applied once', async () => {
    const { serverDatabaseUrl } = await import('./support/database.js');
    const { openDatabase } = await import('../prisma/db.js');
    const { url, drop } = await serverDatabaseUrl();
    try {
      const [a, b, c] = await Promise.all([openDatabase({ url }), openDatabase({ url }), openDatabase({ url })]);
      const rows = await a.sql.query<{ migration_name: string }>('SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name');
      expect(rows.map((r) => r.migration_name)).toEqual(readMigrations().map((m) => m.name));
      await Promise.all([a.close(), b.close(), c.close()]);
    } finally {
      await drop();
    }
  });
});
