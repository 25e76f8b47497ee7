// npm run bench [-- --forbund 80 --projects 40 --duration 10 --warmup 2 --connections 10 --mails 2000 --db both|pglite|postgres]
//
// Issue 10, national scale: one run measures, on PostgreSQL and on the embedded database (PGlite),
// each figure side by side with its baseline in the same run, and prints the ratios against their
// goals as a table, then the details.
// - The national data set: 80 förbund × 40 projects cloned round-robin from examples/*.yaml
//   (scripts/bench/dataset.ts), imported förbund by förbund with importForbund (timed).
// - HTTP (autocannon from this process; the app and a bare express server each in a child
//   process): pending steps of one förbund and its ICS feed (served from the cache after a first
//   request), each right after bare express answering the same page of pending steps as JSON.
// - Mail: 2,000 mails at once to an SMTP sink (a child process) through the project's mailer
//   (claim in Notification, send, mark sent) against pooled nodemailer alone.
// - Workflow histories: events per förbund-year and per project-year, from
//   scripts/history-events.ts when present (the same for both databases).
// - PostgreSQL: DATABASE_URL's server (a fresh database, dropped at the end), else a throwaway
//   cluster from /usr/lib/postgresql/*/bin; EXPLAIN (ANALYZE, BUFFERS) of the SQL the app sends
//   for pending steps.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild, type Child } from './bench/child.js';
import { isObligationTable } from './bench/explain.js';
import { sideBySide, type LoadResult } from './bench/http.js';
import type { Histories } from './bench/histories.js';
import { benchPostgres, type BenchPostgres } from './bench/postgres.js';
import type { BurstResult, ExplainResult, MailResult, SetupResult } from './bench/server.js';

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

const USAGE = 'npm run bench -- [--forbund 80] [--projects 40] [--duration 10] [--warmup 2] [--connections 10] [--mails 2000] [--db both|pglite|postgres]';
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
async function cleanup() {
  await Promise.all([...children].map((c) => c.stop()));
  children.clear();
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
process.on('exit', () => postgresCleanup?.cleanupSync());

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

interface KindResult {
  kind: Kind;
  setup: SetupResult;
  page: { bytes: number; items: number; total: number };
  pending: Outcome<SideBySide>;
  feed: Outcome<FeedResult>;
  mail: Outcome<MailResult & { sinkAccepted: number }>;
  explain?: Outcome<ExplainResult>;
}

async function fetchOk(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${new URL(url).pathname} answered ${res.status}: ${text.slice(0, 300)}`);
  return text;
}

async function runKind(kind: Kind, bare: Child, sink: Child, databaseUrl: string | undefined): Promise<KindResult> {
  progress(`${KIND_NAME[kind]}: importing ${opts.forbund} förbund × ${opts.projects} projects …`);
  const server = await child('server', { BENCH_KIND: kind, BENCH_DATABASE_URL: databaseUrl ?? '', DATABASE_URL: undefined });
  try {
    const setup = await server.call<SetupResult>('setup', { nForbund: opts.forbund, nProjects: opts.projects, year: YEAR, now: NOW });
    progress(`${KIND_NAME[kind]}: imported in ${setup.importSeconds.toFixed(1)} s; ${setup.counts.openObligations} open report obligations`);
    const auth = { authorization: `Bearer ${setup.token}` };
    const pendingUrl = `${setup.url}/api/v1/forbund/${setup.slug}/pending-steps?limit=50`;

    // First of all, so the app has kept nothing ready yet (and before the mail burst's rows).
    const explain = kind === 'postgres' ? await attempt('EXPLAIN', () => server.call<ExplainResult>('explain')) : undefined;

    // The baseline answers the very page the app answers.
    const pageText = await fetchOk(pendingUrl, auth);
    const pageJson = JSON.parse(pageText) as { data?: unknown[]; pagination?: { totalElements?: number } };
    const page = { bytes: Buffer.byteLength(pageText), items: pageJson.data?.length ?? 0, total: pageJson.pagination?.totalElements ?? pageJson.data?.length ?? 0 };
    await bare.call('body', pageText);
    const bareUrl = await bare.call<string>('url');
    const loadOf = (url: string, headers?: Record<string, string>) => ({ url, headers, connections: opts.connections, duration: opts.duration });

    progress(`${KIND_NAME[kind]}: load on pending steps (${opts.duration} s each, after ${opts.warmup} s warm-up) …`);
    // On PostgreSQL, how many statements the app sends per request under the load.
    const perRequest = async <T extends { targetRequests: number }>(f: () => Promise<T>): Promise<T & { statementsPerRequest?: number }> => {
      const before = await server.call<number | null>('statements');
      const r = await f();
      const after = await server.call<number | null>('statements');
      return before === null || after === null ? r : { ...r, statementsPerRequest: (after - before) / Math.max(1, r.targetRequests) };
    };
    const pending = await attempt('pending steps', () => perRequest(() => sideBySide(loadOf(bareUrl), loadOf(pendingUrl, auth), opts.warmup, ['bare express', 'GET pending-steps?limit=50'])));

    progress(`${KIND_NAME[kind]}: load on the ICS feed …`);
    const feed = await attempt('ICS feed', async () => {
      const list = JSON.parse(await fetchOk(`${setup.url}/api/v1/forbund/${setup.slug}/feeds`, auth)) as { data: { body: string; url: string }[] };
      const all = list.data.find((f) => f.body === 'all') ?? list.data[0];
      if (!all) throw new Error('GET feeds listed no feed');
      const u = new URL(all.url);
      const feedUrl = `${setup.url}${u.pathname}${u.search}`;
      const t0 = performance.now();
      const ics = await fetchOk(feedUrl); // fills the cache
      const firstMs = performance.now() - t0;
      const load = await perRequest(() => sideBySide(loadOf(bareUrl), loadOf(feedUrl), opts.warmup, ['bare express', `GET ${u.pathname}`]));
      return { firstMs, bytes: Buffer.byteLength(ics), events: (ics.match(/BEGIN:VEVENT/g) ?? []).length, load };
    });

    progress(`${KIND_NAME[kind]}: ${opts.mails} mails at once, pooled nodemailer and the project's mailer …`);
    const mail = await attempt('mail', async () => {
      const before = await sink.call<number>('accepted');
      const r = await server.call<MailResult>('mail', { host: '127.0.0.1', port: await sink.call<number>('port'), count: opts.mails, warmup: MAIL_WARMUP, rounds: MAIL_ROUNDS });
      return { ...r, sinkAccepted: (await sink.call<number>('accepted')) - before };
    });

    await server.call('close').catch(() => {});
    return { kind, setup, page, pending, feed, mail, explain };
  } finally {
    await stopChild(server);
  }
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

function printReport(results: Record<Kind, KindResult | { notRun: string }>, hist: Outcome<Histories>) {
  const columns: Kind[] = ['postgres', 'pglite'];
  /** A figure of one database, or one measured once without a database (the same in both columns). */
  type Row = { what: string; goal: string } & ({ perDatabase: (r: KindResult) => string } | { once: string });
  const cell = (kind: Kind, row: Row) => {
    if ('once' in row) return row.once;
    const r = results[kind];
    if (!r) return opts.db === 'both' ? 'not run' : `not run (--db ${opts.db})`;
    return 'notRun' in r ? `not run (${r.notRun})` : row.perDatabase(r);
  };
  const rows: Row[] = [
    { what: 'pending-steps of one förbund, requests/s vs bare express', perDatabase: (r) => rpsCell(r.pending), goal: '≥ 50 %' },
    { what: 'its p99 vs bare express p99', perDatabase: (r) => p99Cell(r.pending), goal: '≤ 3×' },
    { what: 'an ICS feed served from cache, requests/s vs bare express', perDatabase: (r) => rpsCell(r.feed.ok ? { ok: true, value: r.feed.value.load } : r.feed), goal: '≥ 50 %' },
    { what: `mail through the project's own path vs pooled nodemailer (${n0(opts.mails)} at once)`, perDatabase: (r) => mailCell(r.mail), goal: '≥ 70 %, none failed' },
    { what: 'history events per förbund-year', once: historyCell(hist, 'forbund'), goal: '≤ 1,000' },
    { what: 'history events per project-year, 4–6 reports a year', once: historyCell(hist, 'project'), goal: '≤ 300' },
    { what: `import of ${opts.forbund} förbund`, perDatabase: (r) => `${n1(r.setup.importSeconds)} s`, goal: '—' },
  ];
  const out: string[] = [];
  out.push(`# Årscykel bench: ${opts.forbund} förbund × ${opts.projects} projects`, '');
  out.push('| what | PostgreSQL | embedded | goal |', '| --- | --- | --- | --- |');
  for (const row of rows) out.push(`| ${row.what} | ${columns.map((k) => cell(k, row)).join(' | ')} | ${row.goal} |`);
  out.push('', '✓ goal met, ✗ not met. Requests/s count 2xx answers; latencies are of 2xx answers; anything else is listed as failed.');

  out.push('', '## Details', '');
  const cpu = cpus();
  out.push(`Machine: ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown'}), Node ${process.version}.`);
  out.push(
    `Load: autocannon from the bench process, ${opts.connections} connections, ${opts.duration} s per figure after ${opts.warmup} s of warm-up, taken in turns of about 2.5 s with its baseline (baseline, figure, figure, baseline, …); the app and bare express each in a child process.`,
  );
  const la = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(' / ');
  out.push(`Load average (1 / 5 / 15 min) at the start ${la(loadAtStart)}, at the end ${la(loadavg())}${loadAtStart[0] > cpu.length ? ': WARNING, the machine was busy with other work; the ratios (each against a baseline taken in turns with it) hold up better than the absolute figures' : ''}.`);
  out.push(`The API's clock stands at ${NOW}; the data is placed in ${YEAR}. The feeds' per-address rate limit is lifted for the bench (one address stands for every subscriber).`);
  for (const kind of KINDS) {
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
    const loads = [r.pending.ok ? [r.pending.value.baseline, r.pending.value.target] : [], r.feed.ok ? [r.feed.value.load.baseline, r.feed.value.load.target] : []].flat();
    for (const l of loads) {
      const failed = problems(l).replace(/^; failed: /, '') || '0';
      out.push(`| ${l.label} | ${n0(l.rps)} | ${ms(l.p50)} | ${ms(l.p99)} | ${ms(l.max)} | ${n0(l.ok)} | ${n0(l.bytesPerAnswer)} | ${failed} |`);
    }
    const spr = [r.pending.ok ? ['pending steps', r.pending.value.statementsPerRequest] : [], r.feed.ok ? ['the feed', r.feed.value.load.statementsPerRequest] : []].filter(
      (x): x is [string, number] => typeof x[1] === 'number',
    );
    if (spr.length) out.push('', `SQL statements the app sent per request under the load (warm-up included): ${spr.map(([w, n]) => `${w} ${n.toFixed(2)}`).join(', ')}.`);
    if (!r.pending.ok) out.push(`pending steps: failed: ${r.pending.error}`);
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

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

let exitCode = 0;
try {
  progress(`bench: ${opts.forbund} förbund × ${opts.projects} projects on ${KINDS.map((k) => KIND_NAME[k]).join(' and ')}; logs in ${workDir}`);
  const [bare, sink] = await Promise.all([child('bare'), child('smtp-sink')]);
  const results = {} as Record<Kind, KindResult | { notRun: string }>;
  for (const kind of KINDS) {
    let url: string | undefined;
    if (kind === 'postgres') {
      const pgx = await benchPostgres((c) => (postgresCleanup = c));
      if ('notRun' in pgx) {
        results.postgres = { notRun: pgx.notRun };
        progress(`PostgreSQL: not run (${pgx.notRun})`);
        continue;
      }
      postgres = pgx;
      url = pgx.url;
      progress(`PostgreSQL: ${pgx.source}`);
    }
    try {
      results[kind] = await runKind(kind, bare, sink, url);
    } catch (err) {
      keepLogs = true;
      results[kind] = { notRun: `failed: ${(err as Error).message.split('\n')[0]}` };
      if (!stopping) progress(`${KIND_NAME[kind]}: ${(err as Error).stack}`);
    }
    if (kind === 'postgres') await postgresCleanup?.cleanup();
  }
  await Promise.all([stopChild(bare), stopChild(sink)]);
  const hist = await histories();
  printReport(results, hist);
} catch (err) {
  keepLogs = true;
  console.error((err as Error).stack ?? err);
  exitCode = 1;
} finally {
  await cleanup();
}
process.exit(exitCode);
