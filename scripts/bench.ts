// npm run bench [-- --forbund 80 --projects 40 --duration 10 --warmup 2 --connections 10 --mails 2000 --db both|pglite|postgres]
//                [--feed-links 200] [--first-start | --first-start-only] [--apart] [--settle 15] [--mail-window 300]
//
// Issue 10, national scale, and issue 22: one run measures, on PostgreSQL and on the embedded
// database (PGlite), each figure side by side with its baseline in the same run, and prints the
// ratios against their goals as a table, then the details.
// - The national data set: 80 förbund × 40 projects cloned round-robin from examples/*.yaml
//   (scripts/bench/dataset.ts), imported förbund by förbund with importForbund (timed).
// - HTTP (autocannon from this process; the app and a bare express server each in a child
//   process): every read the official makes (the /admin start page signed in, budget, forecast,
//   planned reminders, projects, meetings, the year, pending steps) each in turns with bare express
//   answering a fixed 2 KB JSON body and bare express answering the same body the app gave; one
//   förbund's ICS feed (served from the cache after a first request) against bare express.
// - The feeds from one address with the default guards (30 a minute per link): one link per
//   project fetched, then fetched again with If-None-Match (scripts/bench/server.ts serves the app
//   a second time with DEFAULT_GUARDS).
// - The import of the data set as files, `npm run import -- <folder>` in one process, Temporal
//   unreachable (scripts/bench/files.ts).
// - Mail: 2,000 mails at once to an SMTP sink (a child process) through the project's mailer
//   (claim in Notification, send, mark sent) against pooled nodemailer alone.
// - Workflow histories: events per förbund-year and per project-year, from
//   scripts/history-events.ts when present (the same for both databases).
// - PostgreSQL: DATABASE_URL's server (a fresh database, dropped at the end), else a throwaway
//   cluster from /usr/lib/postgresql/*/bin; EXPLAIN (ANALYZE, BUFFERS) of the SQL the app sends
//   for pending steps.
// - --first-start (also --first-start-only, nothing else): the national first start on PostgreSQL
//   (scripts/bench/first-start.ts): worker/main.ts against a Temporal dev server, until converged,
//   then stopped and started again; --apart also as two processes (ARSCYKEL_RUNS=worker and api).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild, type Child } from './bench/child.js';
import { isObligationTable } from './bench/explain.js';
import { runImport, writeDataSet, type ImportRun } from './bench/files.js';
import { apiToken, freePort, killSpawned, measureStart, type FirstStartOptions, type StartResult } from './bench/first-start.js';
import { inTurns, sideBySide, type LoadResult } from './bench/http.js';
import type { Histories } from './bench/histories.js';
import { benchPostgres, freshDatabase, type BenchPostgres } from './bench/postgres.js';
import type { BurstResult, ExplainResult, MailResult, SetupResult } from './bench/server.js';

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

const USAGE =
  'npm run bench -- [--forbund 80] [--projects 40] [--duration 10] [--warmup 2] [--connections 10] [--mails 2000] [--db both|pglite|postgres] [--feed-links 200] [--first-start | --first-start-only] [--apart] [--settle 15] [--mail-window 300] [--first-start-timeout 1800]';
const flag = (name: string) => process.argv.includes(`--${name}`);
function option(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return def;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v < 0) {
    console.error(`--${name} needs a number; ${USAGE}`);
    process.exit(2);
  }
  return v;
}
const opts = {
  forbund: Math.max(1, Math.floor(option('forbund', 80))),
  projects: Math.max(1, Math.floor(option('projects', 40))),
  duration: option('duration', 10),
  warmup: option('warmup', 2),
  connections: Math.max(1, Math.floor(option('connections', 10))),
  mails: Math.max(1, Math.floor(option('mails', 2000))),
  feedLinks: Math.max(1, Math.floor(option('feed-links', 200))),
  /** The national first start (PostgreSQL): in addition to the rest, or alone. */
  firstStart: flag('first-start') || flag('first-start-only') || flag('apart'),
  firstStartOnly: flag('first-start-only'),
  apart: flag('apart'),
  settle: option('settle', 15),
  mailWindow: option('mail-window', 300),
  firstStartTimeout: option('first-start-timeout', 1800),
  db: (() => {
    const i = process.argv.indexOf('--db');
    const v = i < 0 ? 'both' : process.argv[i + 1];
    if (!['both', 'pglite', 'postgres'].includes(v)) {
      console.error(`--db is both, pglite or postgres; ${USAGE}`);
      process.exit(2);
    }
    return v as 'both' | 'pglite' | 'postgres';
  })(),
};
/** The data is placed in this year and the API's clock stands still late in it, so many reports are due. */
const YEAR = 2026;
const NOW = `${YEAR}-11-25T09:00:00Z`;
const MAIL_WARMUP = 100;
/** Bursts per mail path, taken in turns: baseline, project, project, baseline. */
const MAIL_ROUNDS = 2;

type Kind = 'postgres' | 'pglite';
const KINDS: Kind[] = opts.db === 'both' ? ['postgres', 'pglite'] : [opts.db];
const KIND_NAME: Record<Kind, string> = { postgres: 'PostgreSQL', pglite: 'embedded (PGlite)' };

// ---------------------------------------------------------------------------------------------
// What is started, and how it is all stopped (also on an error or Ctrl-C)
// ---------------------------------------------------------------------------------------------

const workDir = mkdtempSync(join(tmpdir(), 'arscykel-bench-'));
const children = new Set<Child>();
let postgres: BenchPostgres | undefined;
/** How to get rid of the PostgreSQL database or cluster, known as soon as it exists. */
let postgresCleanup: { cleanup(): Promise<void>; cleanupSync(): void } | undefined;
let keepLogs = false;

async function child(name: string, env: NodeJS.ProcessEnv = {}, quiet = false): Promise<Child> {
  const c = await startChild(name, { env, quiet, logFile: join(workDir, `${name}${env.BENCH_KIND ? `-${env.BENCH_KIND}` : ''}.log`) });
  children.add(c);
  return c;
}
async function stopChild(c: Child) {
  await c.stop();
  children.delete(c);
}
/** Databases made besides the bench's own (the imports of the files), dropped at the end. */
const extraDatabases: { drop(): Promise<void> }[] = [];
/** The first start's Temporal dev servers (children of scripts/bench/temporal.ts), torn down before their process is stopped. */
const temporals = new Set<Child>();
async function cleanup() {
  killSpawned();
  await Promise.all([...temporals].map((t) => Promise.race([t.call('teardown').catch(() => {}), new Promise((r) => setTimeout(r, 10_000))])));
  temporals.clear();
  await Promise.all([...children].map((c) => c.stop()));
  children.clear();
  for (const d of extraDatabases.splice(0)) await d.drop();
  await postgresCleanup?.cleanup();
  if (!keepLogs) rmSync(workDir, { recursive: true, force: true });
}
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${signal}: stopping the servers${postgresCleanup ? ' and PostgreSQL' : ''} …`);
    const force = setTimeout(() => process.exit(130), 10_000);
    force.unref();
    void cleanup().finally(() => process.exit(130));
  });
}
process.on('exit', () => {
  killSpawned();
  postgresCleanup?.cleanupSync();
});

const started = performance.now();
const loadAtStart = loadavg();
const progress = (line: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);

// ---------------------------------------------------------------------------------------------
// One database
// ---------------------------------------------------------------------------------------------

type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };
async function attempt<T>(what: string, f: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await f() };
  } catch (err) {
    keepLogs = true;
    const error = (err as Error).message.split('\n')[0];
    progress(`  ${what} failed: ${error}`);
    return { ok: false, error };
  }
}

interface SideBySide {
  baseline: LoadResult;
  target: LoadResult;
  /** PostgreSQL: statements the app sent per request of the target under load. */
  statementsPerRequest?: number;
}

interface FeedResult {
  firstMs: number;
  bytes: number;
  events: number;
  load: SideBySide;
}

/** One read of the official against its two baselines, taken in turns. */
interface ReadResult {
  name: string;
  path: string;
  bytes: number;
  contentType: string;
  /** Bare express answering a fixed 2 KB JSON body. */
  fixed: LoadResult;
  /** Bare express answering the very body the app gave (same bytes, same content type). */
  same: LoadResult;
  target: LoadResult;
  /** os.loadavg() (1 / 5 / 15 min) right after the read was measured. */
  load: number[];
  statementsPerRequest?: number;
}

/** The feeds fetched from one address with the default guards. */
interface FeedOneAddress {
  links: number;
  /** Per round: the answers by status (round 1 plain, the rest conditional with If-None-Match). */
  rounds: { conditional: boolean; status: Record<string, number> }[];
  conditional: number;
  notModified: number;
  seconds: number;
  /** One link asked `asked` times at once more: how many were answered and how many 429. */
  limit: { asked: number; status: Record<string, number> };
}

interface KindResult {
  kind: Kind;
  setup: SetupResult;
  page: { bytes: number; items: number; total: number };
  pending: Outcome<SideBySide>;
  reads: { name: string; path: string; result: Outcome<ReadResult> }[];
  feed: Outcome<FeedResult>;
  feedOneAddress: Outcome<FeedOneAddress>;
  mail: Outcome<MailResult & { sinkAccepted: number }>;
  explain?: Outcome<ExplainResult>;
}

async function fetchOk(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers, redirect: 'manual' });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${new URL(url).pathname} answered ${res.status}: ${text.slice(0, 300)}`);
  return { text, contentType: res.headers.get('content-type') ?? 'application/json' };
}

/** `n` tasks, at most `width` at a time. */
async function pool<T>(n: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, width) }, async () => {
    while (next < n) {
      const i = next++;
      out[i] = await task(i);
    }
  }));
  return out;
}

/**
 * The feeds from one address as a calendar service asks for them, against the API with the default
 * guards: every link once, then twice more with the ETag it got (If-None-Match; a cache-control of
 * our own, as fetch() would otherwise add `no-cache`, which forbids a 304), 10 at a time; then one
 * more link asked 40 times to show the per-link limit holds.
 */
async function feedFromOneAddress(server: Child, base: string): Promise<FeedOneAddress> {
  const paths = await server.call<string[]>('projectFeeds', opts.feedLinks + 1);
  if (paths.length < 2) throw new Error('fewer than two projects');
  const links = paths.slice(0, Math.min(opts.feedLinks, paths.length - 1));
  const spare = paths[links.length];
  const etags: (string | null)[] = links.map(() => null);
  const rounds: FeedOneAddress['rounds'] = [];
  let conditional = 0;
  let notModified = 0;
  const t0 = performance.now();
  for (let r = 0; r < 3; r++) {
    const status: Record<string, number> = {};
    await pool(links.length, 10, async (i) => {
      const etag = r > 0 ? etags[i] : null;
      const headers: Record<string, string> = etag ? { 'if-none-match': etag, 'cache-control': 'max-age=0' } : {};
      const res = await fetch(`${base}${links[i]}`, { headers });
      await res.arrayBuffer();
      status[res.status] = (status[res.status] ?? 0) + 1;
      if (res.status === 200) etags[i] = res.headers.get('etag') ?? etags[i];
      if (etag) {
        conditional++;
        if (res.status === 304) notModified++;
      }
    });
    rounds.push({ conditional: r > 0, status });
  }
  const seconds = (performance.now() - t0) / 1000;
  const limitStatus: Record<string, number> = {};
  await pool(40, 10, async () => {
    const res = await fetch(`${base}${spare}`);
    await res.arrayBuffer();
    limitStatus[res.status] = (limitStatus[res.status] ?? 0) + 1;
  });
  return { links: links.length, rounds, conditional, notModified, seconds, limit: { asked: 40, status: limitStatus } };
}

async function runKind(kind: Kind, bare: Child, sink: Child, databaseUrl: string | undefined): Promise<KindResult> {
  progress(`${KIND_NAME[kind]}: importing ${opts.forbund} förbund × ${opts.projects} projects …`);
  const server = await child('server', { BENCH_KIND: kind, BENCH_DATABASE_URL: databaseUrl ?? '', DATABASE_URL: undefined });
  try {
    const setup = await server.call<SetupResult>('setup', { nForbund: opts.forbund, nProjects: opts.projects, year: YEAR, now: NOW });
    progress(`${KIND_NAME[kind]}: imported in ${setup.importSeconds.toFixed(1)} s; ${setup.counts.openObligations} open report obligations`);
    const auth = { authorization: `Bearer ${setup.token}` };
    const api = `${setup.url}/api/v1/forbund/${setup.slug}`;
    const pendingUrl = `${api}/pending-steps?limit=50`;

    // First of all, so the app has kept nothing ready yet (and before the mail burst's rows).
    const explain = kind === 'postgres' ? await attempt('EXPLAIN', () => server.call<ExplainResult>('explain')) : undefined;

    // The baseline answers the very page the app answers.
    const pageText = (await fetchOk(pendingUrl, auth)).text;
    const pageJson = JSON.parse(pageText) as { data?: unknown[]; pagination?: { totalElements?: number } };
    const page = { bytes: Buffer.byteLength(pageText), items: pageJson.data?.length ?? 0, total: pageJson.pagination?.totalElements ?? pageJson.data?.length ?? 0 };
    await bare.call('body', pageText);
    const [bareUrl, fixedUrl] = await Promise.all([bare.call<string>('url'), bare.call<string>('fixedUrl')]);
    const loadOf = (url: string, headers?: Record<string, string>) => ({ url, headers, connections: opts.connections, duration: opts.duration });

    // On PostgreSQL, how many statements the app sends per request under the load.
    const perRequest = async <T extends { targetRequests: number }>(f: () => Promise<T>): Promise<T & { statementsPerRequest?: number }> => {
      const before = await server.call<number | null>('statements');
      const r = await f();
      const after = await server.call<number | null>('statements');
      return before === null || after === null ? r : { ...r, statementsPerRequest: (after - before) / Math.max(1, r.targetRequests) };
    };

    // Every read the official makes, each against both baselines in turns.
    const session = await attempt('session', () => server.call<{ cookie: string; email: string }>('session'));
    const readList = [
      { name: 'admin', path: '/admin', headers: session.ok ? { cookie: session.value.cookie } : undefined, page: true },
      { name: 'budget', path: `/budget/${YEAR}` },
      { name: 'forecast', path: `/forecast/${YEAR}` },
      { name: 'planned-reminders', path: '/planned-reminders' },
      { name: 'projects', path: '/projects' },
      { name: 'meetings', path: `/meetings?year=${YEAR}` },
      { name: 'years', path: `/years/${YEAR}` },
      { name: 'pending-steps', path: '/pending-steps?limit=50' },
    ];
    const reads: KindResult['reads'] = [];
    for (const r of readList) {
      const url = r.page ? `${setup.url}${r.path}` : `${api}${r.path}`;
      const shown = r.page ? r.path : `…/${setup.slug}${r.path}`;
      progress(`${KIND_NAME[kind]}: GET ${shown} against bare express (2 KB, and the same body), ${opts.duration} s each after ${opts.warmup} s warm-up …`);
      const result = await attempt(`GET ${shown}`, async () => {
        if (r.page && !session.ok) throw new Error(`no session: ${session.error}`);
        const headers = r.page ? r.headers! : auth;
        const got = await fetchOk(url, headers);
        const sameUrl = await bare.call<string>('named', { name: r.name, text: got.text, type: got.contentType });
        const run = await perRequest(async () => {
          const t = await inTurns(
            [
              { ...loadOf(fixedUrl), label: 'bare express, 2 KB JSON' },
              { ...loadOf(sameUrl), label: `bare express, the same ${Buffer.byteLength(got.text)} bytes` },
              { ...loadOf(url, headers), label: `GET ${shown}` },
            ],
            opts.warmup,
          );
          return { ...t, targetRequests: t.answers[2] };
        });
        const [fixed, same, target] = run.results;
        return { name: r.name, path: shown, bytes: Buffer.byteLength(got.text), contentType: got.contentType, fixed, same, target, load: loadavg(), statementsPerRequest: run.statementsPerRequest } satisfies ReadResult;
      });
      reads.push({ name: r.name, path: shown, result });
    }
    const pendingRead = reads.find((r) => r.name === 'pending-steps')!.result;
    const pending: Outcome<SideBySide> = pendingRead.ok
      ? { ok: true, value: { baseline: pendingRead.value.same, target: pendingRead.value.target, statementsPerRequest: pendingRead.value.statementsPerRequest } }
      : pendingRead;

    progress(`${KIND_NAME[kind]}: load on the ICS feed …`);
    const feed = await attempt('ICS feed', async () => {
      const list = JSON.parse((await fetchOk(`${api}/feeds`, auth)).text) as { data: { body: string; url: string }[] };
      const all = list.data.find((f) => f.body === 'all') ?? list.data[0];
      if (!all) throw new Error('GET feeds listed no feed');
      const u = new URL(all.url);
      const feedUrl = `${setup.url}${u.pathname}${u.search}`;
      const t0 = performance.now();
      const ics = (await fetchOk(feedUrl)).text; // fills the cache
      const firstMs = performance.now() - t0;
      const load = await perRequest(() => sideBySide(loadOf(bareUrl), loadOf(feedUrl), opts.warmup, ['bare express', `GET ${u.pathname}`]));
      return { firstMs, bytes: Buffer.byteLength(ics), events: (ics.match(/BEGIN:VEVENT/g) ?? []).length, load };
    });

    progress(`${KIND_NAME[kind]}: up to ${opts.feedLinks} project feed links from one address, default guards …`);
    const feedOneAddress = await attempt('feeds from one address', () => feedFromOneAddress(server, setup.strictUrl));

    progress(`${KIND_NAME[kind]}: ${opts.mails} mails at once, pooled nodemailer and the project's mailer …`);
    const mail = await attempt('mail', async () => {
      const before = await sink.call<number>('accepted');
      const r = await server.call<MailResult>('mail', { host: '127.0.0.1', port: await sink.call<number>('port'), count: opts.mails, warmup: MAIL_WARMUP, rounds: MAIL_ROUNDS });
      return { ...r, sinkAccepted: (await sink.call<number>('accepted')) - before };
    });

    await server.call('close').catch(() => {});
    return { kind, setup, page, pending, reads, feed, feedOneAddress, mail, explain };
  } finally {
    await stopChild(server);
  }
}

// ---------------------------------------------------------------------------------------------
// The import of the data set as files, and the national first start
// ---------------------------------------------------------------------------------------------

/** The data set's files, written once per run. */
let dataSet: { dir: string; files: string[]; bytes: number; firstSlug: string } | undefined;
function dataSetFiles() {
  if (!dataSet) {
    const dir = join(workDir, 'dataset');
    const w = writeDataSet(dir, opts.forbund, opts.projects);
    dataSet = { dir, files: w.files, bytes: w.bytes, firstSlug: w.files[0].replace(/^\d+-/, '').replace(/\.yaml$/, '') };
  }
  return dataSet;
}
/** The year the first start's data is placed in: this year, as the worker's clock is the real one. */
const THIS_YEAR = new Date().getFullYear();

let importCount = 0;
/** `npm run import -- <folder>` of the data set into a fresh database of `kind`; the database's URL (PostgreSQL) with the timing. */
async function importFiles(kind: Kind): Promise<ImportRun & { databaseUrl?: string }> {
  const set = dataSetFiles();
  const n = ++importCount;
  progress(`${KIND_NAME[kind]}: npm run import -- <folder of ${set.files.length} files> (one process, Temporal unreachable) …`);
  let env: NodeJS.ProcessEnv;
  let databaseUrl: string | undefined;
  if (kind === 'postgres') {
    const pgx = await ensurePostgres();
    if ('notRun' in pgx) throw new Error(pgx.notRun);
    const d = await freshDatabase(pgx.url, `arscykel_bench_${process.pid}_import_${n}`);
    extraDatabases.push(d);
    databaseUrl = d.url;
    env = { DATABASE_URL: d.url, DATA_DIR: join(workDir, `import-${n}-data`), LINK_SECRET: 'i'.repeat(32) };
  } else env = { DATABASE_URL: '', DATA_DIR: join(workDir, `import-${n}-data`), LINK_SECRET: 'i'.repeat(32) };
  const r = await runImport(set.dir, set.files.length, THIS_YEAR, env, join(workDir, `import-${n}-${kind}.log`));
  progress(`${KIND_NAME[kind]}: imported ${r.imported} files in ${r.seconds.toFixed(1)} s (${Math.round(r.perFileMs)} ms a file)`);
  return { ...r, databaseUrl };
}

/** The PostgreSQL server of the run (DATABASE_URL's, or a throwaway cluster), made once and kept to the end. */
let postgresMade: Promise<BenchPostgres | { notRun: string }> | undefined;
function ensurePostgres() {
  postgresMade ??= benchPostgres((c) => (postgresCleanup = c)).then((pgx) => {
    if (!('notRun' in pgx)) {
      postgres = pgx;
      progress(`PostgreSQL: ${pgx.source}`);
    }
    return pgx;
  });
  return postgresMade;
}

interface FirstStart {
  import: ImportRun;
  bundle: { bytes: number; seconds: number };
  temporal: string;
  first: StartResult;
  restart: Outcome<StartResult>;
  apart?: Outcome<{ import: ImportRun; start: StartResult }>;
}

/** The national first start on PostgreSQL: see scripts/bench/first-start.ts. `imported`: the files' import already made (its database reused). */
async function firstStart(sink: Child, imported: (ImportRun & { databaseUrl?: string }) | undefined): Promise<FirstStart> {
  const fsOpts: FirstStartOptions = { settle: opts.settle, mailWindow: opts.mailWindow, timeout: opts.firstStartTimeout, poll: 2, connections: opts.connections, warmup: opts.warmup, duration: opts.duration };
  const run = imported?.databaseUrl ? imported : await importFiles('postgres');
  const databaseUrl = run.databaseUrl!;
  const sinkPort = await sink.call<number>('port');
  const set = dataSetFiles();

  const temporalChild = async (n: number) => {
    const t = await child('temporal', { BENCH_KIND: `first-start-${n}` }, true);
    temporals.add(t);
    const port = await freePort();
    const info = await t.call<{ address: string; executable: string }>('start', { port, dbFilename: join(workDir, `temporal-${n}.db`) });
    return { t, ...info };
  };
  progress('first start: Temporal dev server, and the workflow bundle built into a file (not timed) …');
  const bundlePath = join(workDir, 'workflow-bundle.js');
  const tmp = await temporalChild(1);
  const bundle = await tmp.t.call<{ bytes: number; seconds: number }>('bundle', bundlePath);
  progress(`first start: Temporal at ${tmp.address} (${tmp.executable}); bundle ${Math.round(bundle.bytes / 1024)} KiB in ${bundle.seconds.toFixed(1)} s`);

  // Nothing of the caller's own configuration (SMTP credentials, TLS, a bucket, OIDC …) reaches
  // the processes: only what a shell gives, and what is set here (as tests/reconcile.test.ts does).
  const shell = Object.fromEntries(['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ', 'NODE_OPTIONS'].filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]]));
  const envFor = (address: string, dbUrl: string, runs: 'all' | 'worker' | 'api', port: number, name: string): NodeJS.ProcessEnv => ({
    ...shell,
    DATABASE_URL: dbUrl,
    TEMPORAL_ADDRESS: address,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(sinkPort),
    LOG_FORMAT: 'json',
    TEMPORAL_WORKFLOW_BUNDLE: bundlePath,
    ARSCYKEL_RUNS: runs,
    PORT: String(port),
    DATA_DIR: join(workDir, `${name}-data`),
    LINK_SECRET: 'f'.repeat(32),
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
  });
  const ctx = (temporal: Child) => ({ temporal, sink, workDir, progress, opts: fsOpts });
  for (const d of ['first-start-data', 'apart-worker-data', 'apart-api-data']) mkdirSync(join(workDir, d), { recursive: true });

  progress(`first start: worker/main.ts on ${opts.forbund} förbund × ${opts.projects} projects, until converged (unchanged ${opts.settle} s) and ${opts.mailWindow} s of mail …`);
  const spec = async (label: string) => ({ label, processes: [{ name: 'worker', env: envFor(tmp.address, databaseUrl, 'all', await freePort(), 'first-start') }], databaseUrl });
  const first = await measureStart(await spec('first start'), ctx(tmp.t));
  progress(`first start: ${first.convergedSeconds !== undefined ? `converged at ${first.convergedSeconds.toFixed(1)} s` : first.notConverged}; stopped in ${first.stopSeconds.toFixed(1)} s`);
  progress('restart: the same on the same data …');
  const restart = await attempt('restart', async () => measureStart(await spec('restart'), ctx(tmp.t)));
  if (restart.ok) progress(`restart: ${restart.value.convergedSeconds !== undefined ? `converged at ${restart.value.convergedSeconds.toFixed(1)} s` : restart.value.notConverged}`);
  await tmp.t.call('teardown').catch(() => {});
  temporals.delete(tmp.t);
  await stopChild(tmp.t);

  let apart: FirstStart['apart'];
  if (opts.apart) {
    apart = await attempt('apart', async () => {
      progress('apart: a fresh database and Temporal; ARSCYKEL_RUNS=worker and ARSCYKEL_RUNS=api as two processes …');
      const imp = await importFiles('postgres');
      const t2 = await temporalChild(2);
      try {
        const apiPort = await freePort();
        const apiEnv = envFor(t2.address, imp.databaseUrl!, 'api', apiPort, 'apart-api');
        const token = await apiToken(set.firstSlug, apiEnv);
        const start = await measureStart(
          {
            label: 'apart',
            processes: [
              // On one machine the worker yields to the API (the README's advice): nice 10.
              { name: 'worker', env: envFor(t2.address, imp.databaseUrl!, 'worker', await freePort(), 'apart-worker'), nice: 10 },
              { name: 'api', env: apiEnv },
            ],
            databaseUrl: imp.databaseUrl!,
            api: { url: `http://127.0.0.1:${apiPort}`, token, slug: set.firstSlug },
          },
          ctx(t2.t),
        );
        return { import: imp, start };
      } finally {
        await t2.t.call('teardown').catch(() => {});
        temporals.delete(t2.t);
        await stopChild(t2.t);
      }
    });
  }
  return { import: run, bundle, temporal: `${tmp.executable}`, first, restart, apart };
}

// ---------------------------------------------------------------------------------------------
// Workflow histories (scripts/history-events.ts, written separately)
// ---------------------------------------------------------------------------------------------

async function histories(): Promise<Outcome<Histories>> {
  if (!existsSync(fileURLToPath(new URL('./history-events.ts', import.meta.url)))) return { ok: false, error: 'not measured (scripts/history-events.ts missing)' };
  progress('workflow histories (scripts/history-events.ts, in a child process) …');
  let c: Child | undefined;
  try {
    c = await child('histories', {}, true);
    const r = await c.call<{ missing: string } | { figures: Histories }>('measure');
    if ('missing' in r) return { ok: false, error: r.missing };
    return { ok: true, value: r.figures };
  } catch (err) {
    keepLogs = true;
    return { ok: false, error: `not measured (${(err as Error).message.split('\n')[0]}; log in ${workDir}/histories.log)` };
  } finally {
    if (c) await stopChild(c);
  }
}

// ---------------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------------

const n0 = (x: number) => Math.round(x).toLocaleString('en-US');
const n1 = (x: number) => x.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const ms = (x: number) => (Number.isFinite(x) ? (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0)) : '–');
const pct = (x: number) => `${Math.round(x * 100)} %`;
const mark = (ok: boolean) => (ok ? '✓' : '✗');
const problems = (r: LoadResult) => {
  const non2xx = Object.entries(r.non2xx);
  const parts = [...non2xx.map(([s, c]) => `${n0(c)}× ${s}`), ...(r.errors ? [`${n0(r.errors)} errors`] : []), ...(r.timeouts ? [`${n0(r.timeouts)} timeouts`] : [])];
  return parts.length ? `; failed: ${parts.join(', ')}` : '';
};

function rpsCell(o: Outcome<SideBySide>): string {
  if (!o.ok) return `failed: ${o.error}`;
  const { baseline: b, target: t } = o.value;
  const ratio = t.rps / b.rps;
  return `${pct(ratio)} ${mark(ratio >= 0.5)} (${n0(t.rps)} vs ${n0(b.rps)} req/s${problems(t)})`;
}
function p99Cell(o: Outcome<SideBySide>): string {
  if (!o.ok) return `failed: ${o.error}`;
  const { baseline: b, target: t } = o.value;
  if (!t.ok) return 'no 2xx answer';
  const ratio = t.p99 / b.p99;
  return `${ratio.toFixed(1)}× ${mark(ratio <= 3)} (${ms(t.p99)} vs ${ms(b.p99)} ms)`;
}
/** The bursts of one path together: mails per second over all of them, failures summed. */
function bursts(xs: BurstResult[]) {
  const n = xs.reduce((a, x) => a + x.n, 0);
  const seconds = xs.reduce((a, x) => a + x.seconds, 0);
  return { n, seconds, perSecond: n / seconds, failed: xs.reduce((a, x) => a + x.failed, 0), firstError: xs.find((x) => x.firstError)?.firstError };
}
function mailCell(o: Outcome<MailResult & { sinkAccepted: number }>): string {
  if (!o.ok) return `failed: ${o.error}`;
  const b = bursts(o.value.baseline);
  const p = bursts(o.value.project);
  const ratio = p.perSecond / b.perSecond;
  const of = o.value.project.length > 1 ? `in ${o.value.project.length} bursts of ${n0(opts.mails)}` : `of ${n0(opts.mails)}`;
  return `${pct(ratio)} ${mark(ratio >= 0.7 && p.failed === 0)} (${n0(p.perSecond)} vs ${n0(b.perSecond)} mails/s; ${n0(p.failed)} failed ${of}${b.failed ? `, baseline ${n0(b.failed)} failed` : ''})`;
}
function historyCell(h: Outcome<Histories>, row: 'forbund' | 'project'): string {
  if (!h.ok) return h.error;
  if (row === 'forbund') {
    const xs = h.value.forbundYear;
    if (!xs.length) return 'no workflow measured';
    const max = xs.reduce((a, b) => (b.events > a.events ? b : a));
    const min = xs.reduce((a, b) => (b.events < a.events ? b : a));
    return `max ${n0(max.events)} ${mark(max.events <= 1000)} (${max.workflow}), min ${n0(min.events)} (${min.workflow})`;
  }
  const inRange = h.value.projectYear.filter((p) => p.reports >= 4 && p.reports <= 6);
  const xs = inRange.length ? inRange : h.value.projectYear;
  if (!xs.length) return 'no project measured';
  const max = xs.reduce((a, b) => (b.events > a.events ? b : a));
  const min = xs.reduce((a, b) => (b.events < a.events ? b : a));
  return `max ${n0(max.events)} ${mark(max.events <= 300)} (${max.project}, ${max.reports} reports), min ${n0(min.events)} (${min.project}, ${min.reports} reports)${inRange.length ? '' : ' — none has 4–6 reports: all shown'}`;
}

/** One read against both baselines: the ratios to the same body (the goal) and to 2 KB JSON. */
function readCell(o: Outcome<ReadResult>): string {
  if (!o.ok) return `failed: ${o.error}`;
  const { fixed: f, same: b, target: t } = o.value;
  if (!t.ok) return `no 2xx answer${problems(t)}`;
  const rs = t.rps / b.rps;
  const ps = t.p99 / b.p99;
  return `${pct(rs)} ${mark(rs >= 0.5)}, p99 ${ps.toFixed(1)}× ${mark(ps <= 3)} (${n0(t.rps)} req/s, p99 ${ms(t.p99)} ms); vs 2 KB ${pct(t.rps / f.rps)}, p99 ${(t.p99 / f.p99).toFixed(1)}×${problems(t)}`;
}
function feedOneCell(o: Outcome<FeedOneAddress>): string {
  if (!o.ok) return `failed: ${o.error}`;
  const v = o.value;
  const all: Record<string, number> = {};
  for (const r of v.rounds) for (const [st, c] of Object.entries(r.status)) all[st] = (all[st] ?? 0) + c;
  const tooMany = all['429'] ?? 0;
  const share = v.conditional ? v.notModified / v.conditional : 0;
  const limited = v.limit.status['429'] ?? 0;
  return `${n0(v.links)} links × 3: ${Object.entries(all).map(([st, c]) => `${n0(c)}× ${st}`).join(', ')} ${mark(tooMany === 0)}; conditional answered 304: ${pct(share)} ${mark(share === 1)}; one link asked ${v.limit.asked}×: ${n0(limited)}× 429`;
}
function importCell(o: Outcome<ImportRun> | undefined): string {
  if (!o) return 'not run';
  if (!o.ok) return `failed: ${o.error}`;
  return `${n1(o.value.seconds)} s, ${n0(o.value.perFileMs)} ms a file (${n0(o.value.imported)} of ${n0(o.value.files)} imported${o.value.exitCode === 0 ? '' : `; exit ${o.value.exitCode}`})`;
}
const TYPES = ['arscykel', 'styrelsemote', 'redovisning', 'arende', 'projectReporting'];
const mb = (kb: number) => `${n0(kb / 1024)} MB`;
function convergedCell(r: StartResult): string {
  const reconciled = r.reconciled ? `; reconciled at ${n1(r.reconciledSeconds!)} s (running ${r.reconciled.running}, started ${r.reconciled.started}, kept ${r.reconciled.kept})` : '; never logged "workflows reconciled"';
  return r.convergedSeconds !== undefined ? `${n1(r.convergedSeconds)} s${reconciled}` : `✗ ${r.notConverged}${reconciled}`;
}
function countsCell(r: StartResult): string {
  const types = [...new Set([...TYPES, ...Object.keys(r.running)])];
  const diff = TYPES.filter((t) => (r.running[t] ?? 0) !== (r.expected[t] ?? 0));
  const parts = types.filter((t) => r.running[t] || r.expected[t]).map((t) => `${t} ${n0(r.running[t] ?? 0)}${t in r.expected ? `/${n0(r.expected[t])}` : ''}`);
  return `${mark(!diff.length)} ${parts.join(', ') || 'none'}${diff.length ? ` (differ: ${diff.join(', ')})` : ''}`;
}
function memoryCell(r: StartResult): string {
  return r.memory.map((m) => `${r.memory.length > 1 ? `${m.name} ` : ''}${mb(m.peakRssKb)} (VmHWM ${mb(m.hwmKb)})`).join('; ');
}
function mailsCell(r: StartResult): string {
  const m = r.mails;
  if (!m.messages) return `none in ${m.windowSeconds} s`;
  return `most to one address ${n0(m.max)} (${m.maxAddress}); ${n0(m.messages)} mails to ${n0(m.recipients)} addresses; ${m.distribution.map(([k, c]) => `${n0(c)}× ${k}`).join(', ')} (addresses × mails)`;
}

function printReport(
  results: Record<Kind, KindResult | { notRun: string }>,
  hist: Outcome<Histories>,
  imports: Partial<Record<Kind, Outcome<ImportRun>>>,
  first: Outcome<FirstStart> | undefined,
) {
  const columns: Kind[] = ['postgres', 'pglite'];
  /**
   * A figure of one database; one measured once without a database (the same in both columns); one
   * per database but not of runKind (the import of the files); or one of PostgreSQL only (the first start).
   */
  type Row = { what: string; goal: string } & ({ perDatabase: (r: KindResult) => string } | { once: string } | { byKind: (k: Kind) => string } | { postgresOnly: string });
  const cell = (kind: Kind, row: Row) => {
    if ('once' in row) return row.once;
    if ('byKind' in row) return row.byKind(kind);
    if ('postgresOnly' in row) return kind === 'postgres' ? row.postgresOnly : '— (PostgreSQL only)';
    const r = results[kind];
    if (!r) return opts.firstStartOnly ? 'not run (--first-start-only)' : opts.db === 'both' ? 'not run' : `not run (--db ${opts.db})`;
    return 'notRun' in r ? `not run (${r.notRun})` : row.perDatabase(r);
  };
  const readRow = (name: string, what: string): Row => ({
    what,
    perDatabase: (r) => {
      const x = r.reads.find((y) => y.name === name);
      return x ? readCell(x.result) : 'not measured';
    },
    goal: '≥ 50 % of bare (same body), p99 ≤ 3×',
  });
  const fsRow = (what: string, goal: string, f: (v: FirstStart) => string): Row => ({ what, goal, postgresOnly: !first ? 'not run (--first-start)' : first.ok ? f(first.value) : first.error });
  const startOf = (o: Outcome<StartResult>, f: (r: StartResult) => string) => (o.ok ? f(o.value) : `failed: ${o.error}`);
  const rows: Row[] = opts.firstStartOnly
    ? []
    : [
        { what: 'pending-steps of one förbund, requests/s vs bare express', perDatabase: (r) => rpsCell(r.pending), goal: '≥ 50 %' },
        { what: 'its p99 vs bare express p99', perDatabase: (r) => p99Cell(r.pending), goal: '≤ 3×' },
        readRow('admin', 'GET /admin (start page, HTML, signed in): req/s and p99 vs bare express with the same body; vs 2 KB JSON'),
        readRow('budget', `GET budget/${YEAR}, the same`),
        readRow('forecast', `GET forecast/${YEAR}, the same`),
        readRow('planned-reminders', 'GET planned-reminders, the same'),
        readRow('projects', 'GET projects, the same'),
        readRow('meetings', `GET meetings?year=${YEAR}, the same`),
        readRow('years', `GET years/${YEAR}, the same`),
        readRow('pending-steps', 'GET pending-steps?limit=50, the same'),
        { what: 'an ICS feed served from cache, requests/s vs bare express', perDatabase: (r) => rpsCell(r.feed.ok ? { ok: true, value: r.feed.value.load } : r.feed), goal: '≥ 50 %' },
        { what: `project feeds from one address, default guards (up to ${n0(opts.feedLinks)} links, each 1× plain, 2× If-None-Match)`, perDatabase: (r) => feedOneCell(r.feedOneAddress), goal: 'no 429; every conditional 304' },
        { what: `mail through the project's own path vs pooled nodemailer (${n0(opts.mails)} at once)`, perDatabase: (r) => mailCell(r.mail), goal: '≥ 70 %, none failed' },
        { what: 'history events per förbund-year', once: historyCell(hist, 'forbund'), goal: '≤ 1,000' },
        { what: 'history events per project-year, 4–6 reports a year', once: historyCell(hist, 'project'), goal: '≤ 300' },
        { what: `import of ${opts.forbund} förbund (importForbund, one by one)`, perDatabase: (r) => `${n1(r.setup.importSeconds)} s`, goal: '—' },
      ];
  rows.push({ what: `npm run import -- <folder of ${opts.forbund} files> (one process, Temporal unreachable)`, byKind: (k) => importCell(imports[k]), goal: '—' });
  if (opts.firstStart) {
    rows.push(
      fsRow('first start: until converged (reconciled, nothing kept, running unchanged ' + `${opts.settle} s)`, '—', (v) => convergedCell(v.first)),
      fsRow('first start: running workflows per type / what should run', 'as the database says', (v) => countsCell(v.first)),
      fsRow('first start: peak memory of the worker process (RSS sampled each second)', '—', (v) => memoryCell(v.first)),
      fsRow(`first start: mails in the first ${opts.mailWindow} s per recipient`, '—', (v) => mailsCell(v.first)),
      fsRow('restart on the same data: until converged', 'started 0', (v) => startOf(v.restart, (r) => `${mark(r.reconciled?.started === 0)} ${convergedCell(r)}`)),
      fsRow('restart: running workflows per type / what should run', 'as the database says', (v) => startOf(v.restart, countsCell)),
      fsRow('restart: peak memory', '—', (v) => startOf(v.restart, memoryCell)),
      fsRow(`restart: mails in the first ${opts.mailWindow} s per recipient`, '—', (v) => startOf(v.restart, mailsCell)),
    );
    if (opts.apart) {
      const ap = (f: (r: StartResult) => string) => (v: FirstStart) => (!v.apart ? 'not run' : v.apart.ok ? f(v.apart.value.start) : `failed: ${v.apart.error}`);
      rows.push(
        fsRow('apart (ARSCYKEL_RUNS=worker + api): until converged', '—', ap(convergedCell)),
        fsRow('apart: running workflows per type / what should run', 'as the database says', ap(countsCell)),
        fsRow('apart: peak memory', '—', ap(memoryCell)),
        fsRow('apart: API pending-steps p99 while the worker starts vs after', '≤ 3×', ap((r) => {
          if (!r.api) return 'not measured';
          const { during: d, after: a } = r.api;
          if (!d.ok || !a.ok) return `no 2xx answer${problems(d)}${problems(a)}`;
          const x = d.p99 / a.p99;
          return `${x.toFixed(1)}× ${mark(x <= 3)} (during ${ms(d.p99)} ms, ${n0(d.rps)} req/s over ${n1(d.seconds)} s${problems(d)}; after ${ms(a.p99)} ms, ${n0(a.rps)} req/s)`;
        })),
      );
    }
  }
  const out: string[] = [];
  out.push(`# Årscykel bench: ${opts.forbund} förbund × ${opts.projects} projects`, '');
  out.push('| what | PostgreSQL | embedded | goal |', '| --- | --- | --- | --- |');
  for (const row of rows) out.push(`| ${row.what} | ${columns.map((k) => cell(k, row)).join(' | ')} | ${row.goal} |`);
  out.push('', '✓ goal met, ✗ not met. Requests/s count 2xx answers; latencies are of 2xx answers; anything else is listed as failed.');

  out.push('', '## Details', '');
  const cpu = cpus();
  out.push(`Machine: ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown'}), Node ${process.version}.`);
  if (!opts.firstStartOnly) {
    out.push(
      `Load: autocannon from the bench process, ${opts.connections} connections, ${opts.duration} s per figure after ${opts.warmup} s of warm-up, taken in turns of about 2.5 s with its baseline(s) (baseline, figure, figure, baseline, …); the app and bare express each in a child process.`,
    );
  }
  const la = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(' / ');
  out.push(`Load average (1 / 5 / 15 min) at the start ${la(loadAtStart)}, at the end ${la(loadavg())}${loadAtStart[0] > cpu.length ? ': WARNING, the machine was busy with other work; the ratios (each against a baseline taken in turns with it) hold up better than the absolute figures' : ''}.`);
  if (!opts.firstStartOnly) out.push(
    `The API's clock stands at ${NOW}; the data is placed in ${YEAR}. The public rate limits (per address, and the feeds' per link) are lifted for the load figures (one address stands for every subscriber); the feeds from one address are asked of the same app with the default guards.`,
  );
  for (const kind of opts.firstStartOnly ? [] : KINDS) {
    const r = results[kind];
    out.push('', `### ${KIND_NAME[kind]}`, '');
    if (!r || 'notRun' in r) {
      out.push(`not run${r ? ` (${r.notRun})` : ''}`);
      continue;
    }
    const s = r.setup;
    if (kind === 'postgres' && postgres) out.push(`Database: ${postgres.source}.`);
    if (kind === 'pglite') out.push('Database: PGlite in memory, in the app\'s process (as `npm start` runs it without DATABASE_URL).');
    out.push(
      `Data: ${n0(s.counts.forbund)} förbund (cloned from ${s.examples.join(', ')} in turn${s.skippedExamples.length ? `; skipped: ${s.skippedExamples.join('; ')}` : ''}), ${n0(s.counts.projects)} projects, ${n0(s.counts.people)} people, ${n0(s.counts.obligations)} report obligations (${n0(s.counts.openObligations)} open), ${n0(s.counts.meetings)} meetings, ${n0(s.counts.milestones)} milestones.`,
    );
    out.push(
      `Import: ${n1(s.importSeconds)} s for ${n0(s.counts.forbund)} förbund, one after the other (per förbund: min ${n0(s.importMs.min)} ms, median ${n0(s.importMs.median)} ms, max ${n0(s.importMs.max)} ms)${s.analyzed ? '; ANALYZE after the import' : ''}.`,
    );
    out.push(`Pending steps of ${s.slug}: ${n0(r.page.total)} in all, the page of ${n0(r.page.items)} is ${n0(r.page.bytes)} bytes (bare express answers the same JSON).`);
    if (r.feed.ok) out.push(`Feed (all.ics) of ${s.slug}: ${n0(r.feed.value.events)} events, ${n0(r.feed.value.bytes)} bytes; the first request (building it) took ${ms(r.feed.value.firstMs)} ms.`);
    out.push('', '| load | 2xx/s | p50 ms | p99 ms | max ms | 2xx answers | bytes/answer | failed |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
    const loads = [r.feed.ok ? [r.feed.value.load.baseline, r.feed.value.load.target] : []].flat();
    for (const l of loads) {
      const failed = problems(l).replace(/^; failed: /, '') || '0';
      out.push(`| ${l.label} | ${n0(l.rps)} | ${ms(l.p50)} | ${ms(l.p99)} | ${ms(l.max)} | ${n0(l.ok)} | ${n0(l.bytesPerAnswer)} | ${failed} |`);
    }
    const spr = [r.pending.ok ? ['pending steps', r.pending.value.statementsPerRequest] : [], r.feed.ok ? ['the feed', r.feed.value.load.statementsPerRequest] : []].filter(
      (x): x is [string, number] => typeof x[1] === 'number',
    );
    if (spr.length) out.push('', `SQL statements the app sent per request under the load (warm-up included): ${spr.map(([w, n]) => `${w} ${n.toFixed(2)}`).join(', ')}.`);
    out.push(
      '',
      `Reads of the official (each in turns with bare express answering a fixed 2 KB JSON body and bare express answering the same body as the app; ${opts.duration} s each after ${opts.warmup} s warm-up; the /admin page with the session cookie of ${r.setup.slug}'s official, made as the e-mail link makes it):`,
      '',
      '| read | bytes | app 2xx/s | p50 ms | p99 ms | 2 KB: 2xx/s, p99 | app vs 2 KB: req/s, p99 | same body: 2xx/s, p99 | app vs same body: req/s, p99 | load avg (1/5/15) | failed |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const x of r.reads) {
      if (!x.result.ok) {
        out.push(`| ${x.path} | – | – | – | – | – | – | – | – | ${la(loadavg())} | ${x.result.error} |`);
        continue;
      }
      const { fixed: f, same: b, target: t, bytes, contentType, load } = x.result.value;
      const failed = [problems(t), problems(f), problems(b)].map((p, i) => (p ? `${['app', '2 KB', 'same'][i]}: ${p.replace(/^; failed: /, '')}` : '')).filter(Boolean).join('; ') || '0';
      out.push(
        `| ${x.path} | ${n0(bytes)} ${contentType.split(';')[0].replace(/^(application|text)\//, '')} | ${n0(t.rps)} | ${ms(t.p50)} | ${ms(t.p99)} | ${n0(f.rps)}, ${ms(f.p99)} ms | ${pct(t.rps / f.rps)}, ${(t.p99 / f.p99).toFixed(1)}× | ${n0(b.rps)}, ${ms(b.p99)} ms | ${pct(t.rps / b.rps)} ${mark(t.rps / b.rps >= 0.5)}, ${(t.p99 / b.p99).toFixed(1)}× ${mark(t.p99 / b.p99 <= 3)} | ${la(load)} | ${failed} |`,
      );
    }
    const readSpr = r.reads.flatMap((x) => (x.result.ok && typeof x.result.value.statementsPerRequest === 'number' ? [`${x.name} ${x.result.value.statementsPerRequest.toFixed(2)}`] : []));
    if (readSpr.length) out.push('', `SQL statements per request of each read under its load (warm-up included): ${readSpr.join(', ')}.`);
    out.push('');
    if (r.feedOneAddress.ok) {
      const v = r.feedOneAddress.value;
      out.push(
        `Project feeds from one address with the default guards (${v.links} links, one per project, 10 at a time): ${v.rounds.map((x, i) => `round ${i + 1}${x.conditional ? ' (If-None-Match, cache-control: max-age=0)' : ''}: ${Object.entries(x.status).map(([st, c]) => `${n0(c)}× ${st}`).join(', ')}`).join('; ')}; ${n1(v.seconds)} s in all; ${n0(v.notModified)} of ${n0(v.conditional)} conditional requests answered 304. One more link asked ${v.limit.asked} times at once: ${Object.entries(v.limit.status).map(([st, c]) => `${n0(c)}× ${st}`).join(', ')} (the limit is 30 a minute per link).`,
      );
    } else out.push(`Project feeds from one address: failed: ${r.feedOneAddress.error}`);
    if (!r.feed.ok) out.push(`feed: failed: ${r.feed.error}`);
    out.push('');
    if (r.mail.ok) {
      const { baseline, project, warmup, sinkAccepted } = r.mail.value;
      const line = (what: string, xs: BurstResult[]) => {
        const x = bursts(xs);
        return `- ${what}: ${xs.map((b) => `${n0(b.n)} in ${b.seconds.toFixed(2)} s`).join(', ')} = ${n0(x.perSecond)} mails/s, ${n0(x.failed)} failed${x.firstError ? ` (first: ${x.firstError})` : ''}`;
      };
      out.push(`Mail (${n0(opts.mails)} at once, ${baseline.length} bursts per path taken in turns (baseline, project, project, baseline), after ${warmup} per path to warm up; SMTP sink in a child process, it accepted ${n0(sinkAccepted)}):`);
      out.push(line('pooled nodemailer (maxConnections 5, maxMessages 100)', baseline), line("the project's mailer (claim in Notification, send, mark sent)", project));
    } else out.push(`Mail: failed: ${r.mail.error}`);
    if (r.explain) {
      out.push('', 'EXPLAIN (ANALYZE, BUFFERS) of the SQL sent for the first GET pending-steps (captured at the driver; nothing kept ready yet):');
      if (!r.explain.ok) out.push(`failed: ${r.explain.error}`);
      else {
        const qs = r.explain.value.cold;
        const warm = r.explain.value.warm;
        if (!qs.length) out.push('no query captured');
        const seqObligations = qs.flatMap((q) => q.seqScans.filter((s) => isObligationTable(s.table)));
        // One line per query; the full tree and the SQL for those that read the report obligations.
        for (const q of qs) {
          const head = `- ${q.tables.join(', ') || '(no table)'}: `;
          if (q.error) {
            out.push(`${head}EXPLAIN failed: ${q.error}`, `  \`${q.sql.slice(0, 240)}\``);
            continue;
          }
          out.push(`${head}${ms(q.executionMs)} ms (planning ${ms(q.planningMs)} ms), ${n0(q.rows)} rows, buffers hit ${n0(q.sharedHit)} read ${n0(q.sharedRead)} — ${q.plan}`);
          if (q.tables.some(isObligationTable)) {
            const sql = q.sql.replace(/"public"\./g, '').replace(/^SELECT .*? FROM /, 'SELECT … FROM ');
            out.push(`  \`${sql.length > 1200 ? `${sql.slice(0, 1200)} …` : sql}\``);
            for (const node of q.nodes) out.push(`      ${node}`);
          }
        }
        out.push('');
        const total = qs.reduce((a, q) => a + q.executionMs, 0);
        out.push(`Total execution ${ms(total)} ms in ${qs.length} statements. The same request again right after sent ${warm.length ? `${warm.length}: ${warm.join('; ')}` : 'none'}.`);
        if (seqObligations.length) for (const s of seqObligations) out.push(`WARNING: Seq Scan on ${s.table} (${n0(s.rows)} rows returned; ${n0(r.setup.counts.obligations)} obligations in the table)`);
        else out.push('No Seq Scan on the report obligations.');
        const otherSeq = qs.flatMap((q) => q.seqScans.filter((s) => !isObligationTable(s.table)));
        const most = new Map<string, number>();
        for (const s of otherSeq) most.set(s.table, Math.max(most.get(s.table) ?? 0, s.rows));
        if (most.size) out.push(`Other sequential scans (most rows returned by one): ${[...most].map(([t, rows]) => `${t} (${n0(rows)})`).join(', ')}.`);
      }
    }
  }
  out.push('', '### npm run import of the files', '');
  if (dataSet) out.push(`${n0(dataSet.files.length)} files (${n0(dataSet.bytes / 1024)} KiB of YAML, the data set above written out, placed in ${THIS_YEAR}), imported by \`node --import tsx scripts/import.ts <folder> --year ${THIS_YEAR}\` in one process with TEMPORAL_ADDRESS=127.0.0.1:1 (nothing waits; every change kept in WorkflowSignal), into a fresh database each.`);
  for (const k of KINDS) {
    const o = imports[k];
    if (!o) continue;
    out.push(`- ${KIND_NAME[k]}: ${o.ok ? `${n1(o.value.seconds)} s for ${n0(o.value.files)} files, ${n0(o.value.perFileMs)} ms a file (the process start, the migrations of the fresh database and the check of every file included); ${n0(o.value.imported)} imported, ${n0(o.value.kept)} said the change was kept for the worker` : o.error}`);
  }
  if (opts.firstStart) printFirstStart(out, first);
  out.push('', '### Workflow histories', '');
  if (!hist.ok) out.push(hist.error);
  else {
    out.push('(measured once, without a database: the same for both columns)', '', 'Per förbund-year:');
    for (const w of hist.value.forbundYear) out.push(`- ${w.workflow}: ${n0(w.events)} events`);
    out.push('', 'Per project-year:');
    for (const p of hist.value.projectYear) out.push(`- ${p.project}: ${p.reports} reports, ${n0(p.events)} events`);
  }
  if (keepLogs) out.push('', `Server logs kept in ${workDir}.`);
  console.log(out.join('\n'));
}

function printFirstStart(out: string[], first: Outcome<FirstStart> | undefined) {
  out.push('', '### The national first start (PostgreSQL)', '');
  if (!first) return void out.push('not run');
  if (!first.ok) return void out.push(first.error);
  const v = first.value;
  out.push(
    `The data set imported by \`npm run import\` above (${n1(v.import.seconds)} s), a Temporal dev server of its own (${v.temporal}; state in a file, kept across the restart), the workflow bundle built beforehand (${n0(v.bundle.bytes / 1024)} KiB in ${n1(v.bundle.seconds)} s, not timed), the SMTP sink; then \`node --import tsx worker/main.ts\` (what \`npm start\` runs) with DATABASE_URL, TEMPORAL_ADDRESS, SMTP_HOST/PORT of the sink, LOG_FORMAT=json and TEMPORAL_WORKFLOW_BUNDLE. Converged: the worker logged "workflows reconciled", WorkflowSignal is empty and the running workflows per type (visibility, every ${2} s) stayed the same for ${opts.settle} s; the time is when that state was first seen, from the spawn. Memory: VmRSS of the process sampled each second, and its VmHWM. Mails: what the sink accepted in the first ${opts.mailWindow} s, per RCPT TO.`,
  );
  const one = (r: StartResult) => {
    out.push('', `#### ${r.label}`, '');
    out.push(`- converged: ${convergedCell(r)}`);
    if (r.reconciled) out.push(`- "workflows reconciled": ${JSON.stringify(Object.fromEntries(Object.entries(r.reconciled).filter(([k]) => !['time', 'level', 'msg', 'component', 'pid', 'hostname'].includes(k))))}`);
    out.push(`- running / should run: ${countsCell(r)}; kept changes left ${r.signalsLeft}; ${r.probes} probes, the slowest listing ${n0(r.slowestListMs)} ms`);
    out.push(`- peak memory: ${memoryCell(r)}`);
    out.push(`- mails in the first ${r.mails.windowSeconds} s: ${mailsCell(r)}`);
    out.push(`- stopped (SIGTERM) in ${n1(r.stopSeconds)} s, exit ${r.exitCodes.join(', ')}; logs ${r.logFiles.join(', ')}`);
    if (r.api) {
      out.push('', '| pending-steps of the API process | 2xx/s | p50 ms | p99 ms | max ms | 2xx answers | seconds | failed |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
      for (const l of [r.api.during, r.api.after]) out.push(`| ${l.label} | ${n0(l.rps)} | ${ms(l.p50)} | ${ms(l.p99)} | ${ms(l.max)} | ${n0(l.ok)} | ${n1(l.seconds)} | ${problems(l).replace(/^; failed: /, '') || '0'} |`);
    }
  };
  one(v.first);
  if (v.restart.ok) one(v.restart.value);
  else out.push('', `restart: failed: ${v.restart.error}`);
  if (v.apart) {
    if (v.apart.ok) {
      out.push('', `Apart: a fresh database (imported again: ${n1(v.apart.value.import.seconds)} s) and a fresh Temporal dev server; ARSCYKEL_RUNS=api started first and warmed up (${opts.warmup} s of load), then ARSCYKEL_RUNS=worker under nice -n 10 (the README's advice on one machine); pending-steps of the first förbund under autocannon (${opts.connections} connections) in slices of 2 s from the worker's start until it converged (the slices begun before the converged state was first seen count as during), then ${Math.max(2, opts.duration)} s after.`);
      one(v.apart.value.start);
    } else out.push('', `apart: failed: ${v.apart.error}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

let exitCode = 0;
try {
  progress(
    `bench: ${opts.forbund} förbund × ${opts.projects} projects${opts.firstStartOnly ? '' : ` on ${KINDS.map((k) => KIND_NAME[k]).join(' and ')}`}${opts.firstStart ? `${opts.firstStartOnly ? ': the national first start only' : ', and the national first start'}${opts.apart ? ' (also apart)' : ''}` : ''}; logs in ${workDir}`,
  );
  const [bare, sink] = await Promise.all([child('bare'), child('smtp-sink')]);
  const results = {} as Record<Kind, KindResult | { notRun: string }>;
  const imports: Partial<Record<Kind, Outcome<ImportRun & { databaseUrl?: string }>>> = {};
  for (const kind of opts.firstStartOnly ? [] : KINDS) {
    let url: string | undefined;
    if (kind === 'postgres') {
      const pgx = await ensurePostgres();
      if ('notRun' in pgx) {
        results.postgres = { notRun: pgx.notRun };
        imports.postgres = { ok: false, error: `not run (${pgx.notRun})` };
        progress(`PostgreSQL: not run (${pgx.notRun})`);
        continue;
      }
      url = pgx.url;
    }
    try {
      results[kind] = await runKind(kind, bare, sink, url);
    } catch (err) {
      keepLogs = true;
      results[kind] = { notRun: `failed: ${(err as Error).message.split('\n')[0]}` };
      if (!stopping) progress(`${KIND_NAME[kind]}: ${(err as Error).stack}`);
    }
    if (stopping) break;
    imports[kind] = await attempt(`${KIND_NAME[kind]}: import of the files`, () => importFiles(kind));
  }
  await stopChild(bare);
  let first: Outcome<FirstStart> | undefined;
  if (opts.firstStart && !stopping) {
    const pgx = await ensurePostgres();
    if ('notRun' in pgx) first = { ok: false, error: `not run (${pgx.notRun})` };
    else {
      const done = imports.postgres?.ok ? imports.postgres.value : undefined;
      first = await attempt('first start', () => firstStart(sink, done));
      if (first.ok && !imports.postgres) imports.postgres = { ok: true, value: first.value.import };
    }
  }
  await stopChild(sink);
  const hist: Outcome<Histories> = opts.firstStartOnly ? { ok: false, error: 'not run (--first-start-only)' } : await histories();
  printReport(results, hist, imports, first);
} catch (err) {
  keepLogs = true;
  console.error((err as Error).stack ?? err);
  exitCode = 1;
} finally {
  await cleanup();
}
process.exit(exitCode);
