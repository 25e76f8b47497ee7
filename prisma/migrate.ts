// Applies the versioned migrations in prisma/migrations and records them in
// `_prisma_migrations` exactly as `prisma migrate deploy` does, so a database migrated here
// can later be managed by the Prisma CLI on a machine with the native engine (and the reverse).
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const schemaPath = join(here, 'schema.prisma');
export const migrationsDir = join(here, 'migrations');

/** The few SQL operations migrating needs; implemented for node-postgres and PGlite. */
export interface SqlRunner {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a multi-statement script as one unit. */
  script(sql: string): Promise<void>;
  /**
   * Runs `fn` on one connection that holds the migrations' lock, where several processes may
   * migrate one database at once (PostgreSQL: an API and a worker process starting together).
   */
  exclusive?<T>(fn: (sql: SqlRunner) => Promise<T>): Promise<T>;
}

/** The key of the session advisory lock that serialises migrating (any fixed number; "årscykel"). */
export const MIGRATION_LOCK = 7_260_417;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = migrationsDir): Migration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const bytes = readFileSync(join(dir, name, 'migration.sql'));
      return { name, sql: bytes.toString('utf8'), checksum: createHash('sha256').update(bytes).digest('hex') };
    });
}

const createTable = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/** Applies every migration not yet applied, each in its own transaction. Returns the names applied. */
export async function applyMigrations(db: SqlRunner, migrations = readMigrations()): Promise<string[]> {
  if (db.exclusive) return db.exclusive((one) => applyMigrations({ query: one.query, script: one.script }, migrations));
  await db.script(createTable);
  const rows = await db.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
  );
  const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
  if (failed) throw new Error(`migration ${failed.migration_name} failed earlier and was not rolled back; resolve it before migrating`);
  const applied = new Map(rows.filter((r) => r.finished_at !== null).map((r) => [r.migration_name, r.checksum]));
  const done: string[] = [];
  for (const m of migrations) {
    const checksum = applied.get(m.name);
    if (checksum !== undefined) {
      if (checksum !== m.checksum) throw new Error(`migration ${m.name} was changed after it was applied (checksum differs)`);
      continue;
    }
    // One script, one transaction: a failing statement leaves neither schema changes nor a row behind.
    await db.script(
      `BEGIN;\n${m.sql}\n;INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) ` +
        `VALUES ('${randomUUID()}', '${m.checksum}', now(), '${m.name.replace(/'/g, "''")}', now(), 1);\nCOMMIT;`,
    ).catch(async (err) => {
      await db.script('ROLLBACK').catch(() => {});
      throw new Error(`migration ${m.name} failed: ${(err as Error).message}`);
    });
    done.push(m.name);
  }
  return done;
}
