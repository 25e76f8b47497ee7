// A PostgreSQL database for the bench, and how to get rid of it afterwards:
// - with DATABASE_URL: a fresh database `arscykel_bench_<pid>` on that server (dropped at the
//   end); if the server refuses CREATE DATABASE, the database of DATABASE_URL itself (it must be
//   empty or one the bench may fill);
// - without: a throwaway cluster from the server binaries in /usr/lib/postgresql/*/bin (as .ci/run
//   starts one: `runuser -u postgres` when root, the first free port from 55600), stopped and
//   removed at the end;
// - neither: not run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface BenchPostgres {
  url: string;
  /** Where the database came from, for the report. */
  source: string;
  /** Drops the database or stops and removes the cluster; safe to call more than once. */
  cleanup(): Promise<void>;
  /** The same, synchronously where it can be (for process exit); may leave a created database behind. */
  cleanupSync(): void;
}

type Cleanup = Pick<BenchPostgres, 'cleanup' | 'cleanupSync'>;

/**
 * `created` is told how to clean up as soon as there is something to clean up (before the
 * database is ready), so an interruption while it is being made leaves nothing behind.
 */
export async function benchPostgres(created: (c: Cleanup) => void): Promise<BenchPostgres | { notRun: string }> {
  if (process.env.DATABASE_URL) return fromUrl(process.env.DATABASE_URL, created);
  return throwawayCluster(created);
}

async function fromUrl(serverUrl: string, created: (c: Cleanup) => void): Promise<BenchPostgres | { notRun: string }> {
  const name = `arscykel_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  try {
    await admin.connect();
  } catch (err) {
    return { notRun: `DATABASE_URL does not answer: ${(err as Error).message}` };
  }
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } catch (err) {
    await admin.end().catch(() => {});
    return { url: serverUrl, source: `DATABASE_URL itself (CREATE DATABASE refused: ${(err as Error).message}); it must be empty or one the bench may fill`, cleanup: async () => {}, cleanupSync: () => {} };
  }
  await admin.end().catch(() => {});
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  const cleanup: Cleanup = {
    async cleanup() {
      if (dropped) return;
      dropped = true;
      await dropDatabase(serverUrl, name);
    },
    cleanupSync() {
      if (!dropped) console.error(`the bench database ${name} may be left on the server of DATABASE_URL`);
    },
  };
  created(cleanup);
  return { url: url.toString(), source: `database ${name} created on the server of DATABASE_URL (dropped at the end)`, ...cleanup };
}

function serverBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], 'bin') : undefined;
}

async function throwawayCluster(created: (c: Cleanup) => void): Promise<BenchPostgres | { notRun: string }> {
  const bin = serverBin();
  if (!bin) return { notRun: 'no DATABASE_URL and no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb)' };
  const dir = mkdtempSync(join(tmpdir(), 'arscykel-bench-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) => (asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { encoding: 'utf8' }) : spawnSync(join(bin, cmd), args, { encoding: 'utf8' }));
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    run('pg_ctl', ['-D', join(dir, 'data'), '-m', 'fast', '-w', 'stop']);
    rmSync(dir, { recursive: true, force: true });
  };
  created({ cleanup: async () => stop(), cleanupSync: stop });
  try {
    if (asRoot) {
      if (spawnSync('id', ['postgres']).status !== 0) execFileSync('useradd', ['-r', '-m', 'postgres']);
      execFileSync('chown', ['postgres', dir]);
    }
    const init = run('initdb', ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
    if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
    for (let port = 55600; port < 55700; port++) {
      const start = run('pg_ctl', ['-D', join(dir, 'data'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, '-l', join(dir, 'log'), '-w', 'start']);
      if (start.status === 0) {
        return {
          url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
          source: `a throwaway cluster (${bin}, port ${port}, default settings), removed at the end`,
          cleanup: async () => stop(),
          cleanupSync: stop,
        };
      }
    }
    throw new Error('no free port from 55600 to 55699');
  } catch (err) {
    stop();
    return { notRun: `could not start a throwaway PostgreSQL: ${(err as Error).message}` };
  }
}

/**
 * One more fresh database on the server of `url` (the bench's database or cluster): `name`, created
 * now (dropped first if a run before left it), and how to drop it. Throws when the server refuses.
 */
export async function freshDatabase(url: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end().catch(() => {});
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  let dropped = false;
  return {
    url: u.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      await dropDatabase(url, name);
    },
  };
}

/** Drops a bench database on the server of `serverUrl` (its connections ended first where the server allows it); a failure is said, not thrown. */
async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const c = new pg.Client({ connectionString: serverUrl });
  try {
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => c.query(`DROP DATABASE IF EXISTS "${name}"`));
  } catch (err) {
    console.error(`could not drop the bench database ${name}: ${(err as Error).message}`);
  } finally {
    await c.end().catch(() => {});
  }
}
