// Test databases: a fresh in-memory PGlite, or a fresh database on the PostgreSQL server given
// by TEST_DATABASE_URL (CI starts a PostgreSQL 15 server and sets it).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database, type OpenOptions } from '../../prisma/db.js';

export const serverUrl = process.env.TEST_DATABASE_URL;

export async function pgliteDatabase(opts?: OpenOptions): Promise<Database> {
  return openDatabase({ memory: true }, opts);
}

/** A new, empty database on the test server: its URL, and a function that drops it. */
export async function serverDatabaseUrl(): Promise<{ url: string; drop(): Promise<void> }> {
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `arscykel_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const a = new pg.Client({ connectionString: serverUrl });
      await a.connect();
      // The pool's connections may still be closing: wait for them rather than kill them (a killed
      // connection that is closing reports the kill as an error nobody listens to any more).
      for (let attempt = 0; ; attempt++) {
        try {
          await a.query(`DROP DATABASE IF EXISTS ${name}${attempt >= 50 ? ' WITH (FORCE)' : ''}`);
          break;
        } catch (err) {
          if ((err as { code?: string }).code !== '55006' || attempt >= 50) throw err; // 55006: in use
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      await a.end();
    },
  };
}

/** A new, empty database on the test server; dropped by the returned close(). */
export async function serverDatabase(opts?: OpenOptions): Promise<Database> {
  const { url, drop } = await serverDatabaseUrl();
  const db = await openDatabase({ url }, opts);
  const close = db.close;
  db.close = async () => {
    await close();
    await drop();
  };
  return db;
}

/** The server when CI provides one, else PGlite: the database most like production here. */
export function testDatabase(opts?: OpenOptions): Promise<Database> {
  return serverUrl ? serverDatabase(opts) : pgliteDatabase(opts);
}
