// The bench's database process: opens the database (PostgreSQL given by BENCH_DATABASE_URL, else
// an embedded PGlite in memory), imports the national data set, serves the API on it, and
// runs what needs the database in its own process: the mail burst through the project's mailer
// and, on PostgreSQL, EXPLAIN of the queries behind pending steps. The API is served twice on the
// same database: once with the public limits lifted (the load figures: one address stands for
// every subscriber) and once with the default guards (the feeds fetched from one address as a
// calendar service fetches them).
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { createMailer, SMTP_POOL, type OutgoingMail } from '../../activities/mail.js';
import { createApp } from '../../api/app.js';
import { openDatabase, type Database } from '../../prisma/db.js';
import { importForbund } from '../../services/import.js';
import { dataVersions } from '../../services/read-cache.js';
import { projectFeedLink } from '../../services/links.js';
import { createSession } from '../../services/sessions.js';
import { createToken } from '../../services/tokens.js';
import { sessionCookieName } from '../../api/admin-session.js';
import { offlineNotifier } from '../../worker/client.js';
import { serveCalls } from './child.js';
import { loadExamples, nationalDataSet } from './dataset.js';
import { explainAll, isRead, tablesOf, type ExplainedQuery } from './explain.js';

export interface SetupArgs {
  nForbund: number;
  nProjects: number;
  year: number;
  /** The API's clock (ISO), fixed so a run is repeatable. */
  now: string;
}

export interface SetupResult {
  kind: 'postgres' | 'pglite';
  url: string;
  /** The same API on the same database with the default guards (DEFAULT_GUARDS in api/guards.ts). */
  strictUrl: string;
  token: string;
  slug: string;
  forbundId: string;
  examples: string[];
  skippedExamples: string[];
  importSeconds: number;
  importMs: { min: number; median: number; max: number };
  counts: { forbund: number; projects: number; obligations: number; openObligations: number; meetings: number; milestones: number; people: number };
  analyzed: boolean;
}

export interface BurstResult {
  n: number;
  seconds: number;
  perSecond: number;
  failed: number;
  firstError?: string;
}

export interface MailResult {
  /** One burst each turn, in the order baseline, project, project, baseline, … */
  baseline: BurstResult[];
  project: BurstResult[];
  warmup: number;
}

const url = process.env.BENCH_DATABASE_URL;

/** Statements this process sent to PostgreSQL (all pg clients: Prisma's pool, LISTEN, health). */
let statements = 0;
if (url) {
  const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const query = proto.query;
  proto.query = function (this: unknown, ...a: unknown[]) {
    statements++;
    return query.apply(this, a);
  };
}
let db: Database | undefined;
let server: Server | undefined;
let strictServer: Server | undefined;
let now: Date | undefined;
const PUBLIC_BASE_URL = 'http://127.0.0.1';
const LINK_SECRET = 'b'.repeat(32);
let first: { forbundId: string; slug: string; token: string } | undefined;

async function setup(args: SetupArgs): Promise<SetupResult> {
  db = await openDatabase(url ? { url } : { memory: true });
  const { examples, skipped } = loadExamples(fileURLToPath(new URL('../../examples', import.meta.url)));
  if (!examples.length) throw new Error(`no example file parses: ${skipped.join('; ')}`);
  const times: number[] = [];
  const t0 = performance.now();
  let i = 0;
  for (const { file } of nationalDataSet(examples, args.nForbund, args.nProjects)) {
    const t = performance.now();
    const s = await importForbund(db.prisma, file, { actor: 'bench', year: args.year });
    times.push(performance.now() - t);
    if (i === 0) first = { forbundId: s.forbundId, slug: s.slug, token: '' };
    if (++i % 10 === 0 || i === args.nForbund) process.stderr.write(`  ${db.kind}: imported ${i}/${args.nForbund} förbund (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
  }
  const importSeconds = (performance.now() - t0) / 1000;
  // Fresh statistics, as autovacuum would have them a minute after an import this size.
  let analyzed = false;
  if (db.kind === 'postgres') {
    await db.sql.script('ANALYZE');
    analyzed = true;
  }
  const { token } = await createToken(db.prisma, { forbundId: first!.forbundId, role: 'admin', name: 'bench', actor: 'bench' });
  first!.token = token;
  now = new Date(args.now);
  const clock = now;
  // As worker/start.ts makes it (data versions heard through LISTEN), except: no Temporal, the
  // clock fixed, and the public limits lifted (per address, and the feeds' per link), as here one
  // address stands for every subscriber.
  const versions = dataVersions(db);
  const appWith = (guards?: { publicPerMinute: number; feedPerMinutePerLink: number }) =>
    createApp({ prisma: db!.prisma, versions, notifier: offlineNotifier, publicBaseUrl: PUBLIC_BASE_URL, linkSecret: LINK_SECRET, now: () => clock, ...(guards ? { guards } : {}) });
  server = appWith({ publicPerMinute: 1_000_000_000, feedPerMinutePerLink: 1_000_000_000 }).listen(0, '127.0.0.1');
  // The same with the default guards, for the feeds fetched from one address.
  strictServer = appWith().listen(0, '127.0.0.1');
  await Promise.all([server, strictServer].map((s) => new Promise((r) => s.once('listening', r))));
  const sorted = [...times].sort((a, b) => a - b);
  const p = db.prisma;
  const [forbund, projects, obligations, openObligations, meetings, milestones, people] = await Promise.all([
    p.forbund.count(),
    p.project.count(),
    p.reportingObligation.count(),
    p.reportingObligation.count({ where: { status: 'open' } }),
    p.meeting.count(),
    p.milestone.count(),
    p.person.count(),
  ]);
  return {
    kind: db.kind,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    strictUrl: `http://127.0.0.1:${(strictServer.address() as AddressInfo).port}`,
    token,
    slug: first!.slug,
    forbundId: first!.forbundId,
    examples: examples.map((e) => e.name),
    skippedExamples: skipped,
    importSeconds,
    importMs: { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)], max: sorted[sorted.length - 1] },
    counts: { forbund, projects, obligations, openObligations, meetings, milestones, people },
    analyzed,
  };
}

/** `n` sends started at once; how long until all settled, and how many failed. */
async function burst(n: number, send: (i: number) => Promise<unknown>): Promise<BurstResult> {
  const t0 = performance.now();
  const results = await Promise.allSettled(Array.from({ length: n }, (_, i) => send(i)));
  const seconds = (performance.now() - t0) / 1000;
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  return { n, seconds, perSecond: n / seconds, failed: failures.length, ...(failures.length ? { firstError: String((failures[0].reason as Error)?.message ?? failures[0].reason).slice(0, 300) } : {}) };
}

async function mail(args: { host: string; port: number; count: number; warmup: number; rounds: number }): Promise<MailResult> {
  const { host, port, count, warmup, rounds } = args;
  const message = (i: number, prefix: string): OutgoingMail => ({
    key: `bench:${process.pid}:${prefix}:${i}`,
    forbundId: first!.forbundId,
    kind: 'bench',
    from: { name: 'Kansliet', email: `kansli@${first!.slug}.example` },
    to: [{ name: `Mottagare ${i}`, email: `mottagare-${i}@bench.example` }],
    subject: `Påminnelse ${i}: rapport till Samordningsförbundet`,
    text: `Hej!\n\nDetta är påminnelse ${i}. Rapporten ska lämnas senast den 15 december.\n\nMed vänlig hälsning\nKansliet`,
    html: `<p>Hej!</p><p>Detta är påminnelse ${i}. Rapporten ska lämnas senast den 15 december.</p><p>Med vänlig hälsning<br>Kansliet</p>`,
  });
  const address = (a: { name: string; email: string }) => ({ name: a.name, address: a.email });
  const plain = (m: OutgoingMail) => ({ from: address(m.from), to: m.to.map(address), subject: m.subject, text: m.text, html: m.html });

  // Baseline: nodemailer with the same pool, nothing else.
  const transport = nodemailer.createTransport({ host, port, secure: false, ignoreTLS: true, ...SMTP_POOL });
  const sendPlain = (i: number, prefix: string) => transport.sendMail(plain(message(i, prefix)));
  // The project's path: claim in Notification, send, mark sent.
  const mailer = createMailer({ prisma: db!.prisma, transport: { kind: 'smtp', host, port, secure: false }, log: () => {} });
  const sendOwn = async (i: number, prefix: string) => {
    const r = await mailer.send(message(i, prefix));
    if (r.outcome === 'failed') throw new Error(`outcome failed: ${r.error}`);
    if (r.outcome === 'already') throw new Error('outcome already (a key sent before)');
  };
  await burst(warmup, (i) => sendPlain(i, 'baseline-warmup'));
  await burst(warmup, (i) => sendOwn(i, 'project-warmup'));
  const baseline: BurstResult[] = [];
  const project: BurstResult[] = [];
  for (let r = 0; r < rounds; r++) {
    const turns = [async () => baseline.push(await burst(count, (i) => sendPlain(i, `baseline-${r}`))), async () => project.push(await burst(count, (i) => sendOwn(i, `project-${r}`)))];
    if (r % 2 === 1) turns.reverse();
    for (const turn of turns) await turn();
  }
  transport.close();
  mailer.close();
  return { baseline, project, warmup };
}

export interface ExplainResult {
  /** The first request (nothing kept ready yet): every statement, explained. */
  cold: ExplainedQuery[];
  /** A second request right after: what it still sends (the tables of each statement). */
  warm: string[];
}

/**
 * The SQL the app sends for GET pending-steps, captured at the driver: a first request (before
 * any other, so nothing is kept ready) with each statement EXPLAINed, and a second one.
 */
async function explain(): Promise<ExplainResult> {
  if (!url) throw new Error('EXPLAIN is for PostgreSQL only');
  const port = (server!.address() as AddressInfo).port;
  const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const query = proto.query;
  const request = async () => {
    const captured: { text: string; values: unknown[] }[] = [];
    proto.query = function (this: unknown, ...a: unknown[]) {
      const c = a[0] as string | { text?: string; values?: unknown[] };
      if (typeof c === 'string') captured.push({ text: c, values: Array.isArray(a[1]) ? (a[1] as unknown[]) : [] });
      else if (c && typeof c.text === 'string') captured.push({ text: c.text, values: c.values ?? [] });
      return query.apply(this, a);
    };
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/forbund/${first!.slug}/pending-steps?limit=50`, { headers: { authorization: `Bearer ${first!.token}` } });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`pending-steps answered ${res.status}`);
    } finally {
      proto.query = query;
    }
    return captured.filter((q) => isRead(q.text));
  };
  const cold = await request();
  const warm = await request();
  return { cold: await explainAll(url, cold), warm: warm.map((q) => tablesOf(q.text).join(', ') || q.text.slice(0, 80)) };
}

/**
 * A signed-in session of the first förbund's official for the pages (/admin), as the e-mail link
 * would make it (services/sessions.ts): the Cookie header. Also the e-mail address it is for.
 */
async function session(): Promise<{ cookie: string; email: string }> {
  const official = await db!.prisma.person.findFirst({ where: { forbundId: first!.forbundId, roles: { has: 'official' } }, orderBy: { key: 'asc' } });
  if (!official) throw new Error(`no person with the role official in ${first!.slug}`);
  const { secret } = await createSession(db!.prisma, { email: official.email, via: 'email-link', userAgent: 'bench', now: now! });
  return { cookie: `${sessionCookieName(PUBLIC_BASE_URL)}=${secret}`, email: official.email };
}

/** The calendar feed links of up to `n` projects (one each, the first förbund's first), as path and query. */
async function projectFeeds(n: number): Promise<string[]> {
  const projects = await db!.prisma.project.findMany({ select: { id: true }, orderBy: [{ forbundId: 'asc' }, { id: 'asc' }], take: n });
  return projects.map((p) => {
    const u = new URL(projectFeedLink(PUBLIC_BASE_URL, LINK_SECRET, p.id));
    return `${u.pathname}${u.search}`;
  });
}

serveCalls({
  setup,
  session,
  projectFeeds,
  statements: () => (url ? statements : null),
  mail,
  explain,
  async close() {
    for (const s of [server, strictServer]) {
      s?.closeAllConnections();
      await new Promise((r) => (s ? s.close(r) : r(undefined)));
    }
    await db?.close();
    setImmediate(() => process.exit(0));
  },
});
