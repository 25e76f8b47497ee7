// The PostgreSQL pool when the server ends its connections (a restart, a failover, an
// administrator): the process goes on and the next query opens a new connection. Only with a
// PostgreSQL server (TEST_DATABASE_URL, as in CI); PGlite runs in the process.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { serverDatabase, serverUrl } from './support/database.js';

describe.skipIf(!serverUrl)('the PostgreSQL pool', () => {
  it('survives the server ending its idle connections, and the next query reconnects', async () => {
    const db = await serverDatabase();
    try {
      expect(await db.prisma.forbund.count()).toBe(0);
      const current = (await db.sql.query('SELECT current_database() AS name', [])) as { name: string }[];
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      const killed = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [current[0].name]);
      await admin.end();
      expect(killed.rowCount).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 200)); // the pool sees its connections end (and must not throw)
      expect(await db.prisma.forbund.count()).toBe(0);
    } finally {
      await db.close();
    }
  });
});
