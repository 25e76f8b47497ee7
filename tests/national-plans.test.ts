// At national volume (80 förbund of Sydnärke's size and plan, 40 projects each) the reads of one
// förbund must cost what one förbund costs: every statement the API and the official's pages send
// for the official's and the feeds' reads is explained by the database, and none reads a table that grows with the
// country from end to end (a Seq Scan on it). PostgreSQL when TEST_DATABASE_URL is set, else
// PGlite (the same planner).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import { createApiToken } from '../api/auth.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { testDatabase } from './support/database.js';
import { pagePerson, sessionCookie } from './support/browser.js';
import { apiCaller, serve } from './support/http.js';
import { RecordingNotifier } from './support/notifier.js';

const FORBUND = 80;
const PROJECTS = 40;
/**
 * Rows from which reading a whole table is worth an index. Below it (people, meetings, projects:
 * a few thousand rows in the whole country) the planner rightly reads the table when it wants a
 * tenth of it; what grows by hundreds per förbund (report obligations, submissions, mails) must not.
 */
const LARGE = 5000;
/** The tables that grow with the number of förbund. */
const NATIONAL = ['AuditEvent', 'Project', 'ReportingObligation', 'Submission', 'SubmissionDraft', 'Person', 'Member', 'Body', 'BodyMembership', 'Meeting', 'Milestone', 'Matter', 'AgendaItem', 'Attendance', 'Notification', 'Escalation', 'CycleYear', 'BudgetLine', 'BudgetYear', 'Actual', 'ForecastReview', 'ApiToken'];
/** Parents first, so every copy finds the rows it refers to. */
const CLONED = ['Forbund', 'Member', 'Person', 'Body', 'BodyMembership', 'Project', 'ReportingObligation', 'Submission', 'CycleYear', 'Meeting', 'Milestone', 'Matter', 'AgendaItem', 'Attendance', 'BudgetLine', 'BudgetYear', 'Actual', 'ForecastReview', 'Escalation'];

let db: Database;
let recording = false;
const sent: { query: string; params: unknown[] }[] = [];

/** The imported förbund copied FORBUND-1 times: every id, and every reference to one, gets "~n". */
async function cloneNationally() {
  for (const table of CLONED) {
    const cols = await db.sql.query<{ column_name: string; data_type: string }>(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
      [table],
    );
    const value = (c: { column_name: string; data_type: string }) =>
      c.data_type === 'text' && (c.column_name === 'id' || c.column_name.endsWith('Id')) ? `"${c.column_name}" || '~' || n`
      : table === 'Forbund' && c.column_name === 'slug' ? `slug || '-' || n`
      : `"${c.column_name}"`;
    const list = cols.map((c) => `"${c.column_name}"`).join(', ');
    await db.sql.script(`INSERT INTO "${table}" (${list}) SELECT ${cols.map(value).join(', ')} FROM "${table}", generate_series(1, ${FORBUND - 1}) AS n WHERE id NOT LIKE '%~%'`);
  }
  // The audit trail grows with every förbund's every action: 300 events each.
  await db.sql.script(`INSERT INTO "AuditEvent" (id, "forbundId", actor, action, "entityType", "entityId", data, at) SELECT md5(f.id || ':' || n), f.id, 'system', 'milestone.done', 'milestone', 'x', '{}', now() - n * interval '1 hour' FROM "Forbund" f, generate_series(1, 300) AS n`);
  await db.sql.script('ANALYZE');
}

beforeAll(async () => {
  db = await testDatabase({ onQuery: (query, params) => recording && sent.push({ query, params }) });
  const base = parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml');
  const projects = Array.from({ length: PROJECTS }, (_, i) => ({ ...base.projects[i % base.projects.length], id: `p-${i}`, name: `Projekt ${i}` }));
  await importForbund(db.prisma, { ...base, projects }, { actor: 'test', year: 2026 });
  await cloneNationally();
}, 180_000);

afterAll(async () => {
  await db?.close();
});

it(`the official's and the feeds' reads of one förbund among ${FORBUND} read no national table from end to end`, async () => {
  expect(Number((await db.sql.query<{ n: string }>('SELECT count(*) AS n FROM "ReportingObligation"'))[0].n)).toBeGreaterThan(15_000);
  const forbund = await db.prisma.forbund.findUniqueOrThrow({ where: { slug: 'sydnarke-40' } });
  const token = await createApiToken(db.prisma, { forbundId: forbund.id, name: 'official', role: 'admin' });
  const app = createApp({ prisma: db.prisma, notifier: new RecordingNotifier(), publicBaseUrl: 'https://arscykel.example', linkSecret: 'plans', now: () => new Date('2026-11-25T09:00:00Z') });
  const served = await serve(app);
  const call = apiCaller(() => served.base);
  try {
    const feeds = await call('/api/v1/forbund/sydnarke-40/feeds', { token });
    const feed = new URL((feeds.json.data as { body: string; url: string }[]).find((f) => f.body === 'all')!.url);
    const report = await db.prisma.reportingObligation.findFirstOrThrow({ where: { project: { forbundId: forbund.id } } });
    recording = true;
    const reads = ['/api/v1/forbund/sydnarke-40/pending-steps', '/api/v1/forbund/sydnarke-40/planned-reminders', '/api/v1/forbund/sydnarke-40/projects', '/api/v1/forbund/sydnarke-40/years/2026', '/api/v1/forbund/sydnarke-40/meetings?year=2026', '/api/v1/forbund/sydnarke-40/matters'];
    for (const path of reads) expect((await call(path, { token })).status, path).toBe(200);
    expect((await call(`${feed.pathname}${feed.search}`)).status).toBe(200);
    // The official's pages, signed in (the example's official has one address in every copy: the förbund is chosen).
    const official = await pagePerson(db.prisma, { forbundId: forbund.id, name: 'Raéd Shaqdih', role: 'official', publicBaseUrl: 'https://arscykel.example', now: () => new Date('2026-11-25T09:00:00Z') });
    const cookie = await sessionCookie(official, { forbund: 'sydnarke-40' });
    const pages = ['/admin', '/admin/ar/2026', '/admin/insatser', '/admin/insatser/p-3', `/admin/rapporter/${report.id}`, '/admin/pengar/2026', '/admin/logg', '/admin/logg?handelse=pengar&fran=2026-01-01&till=2026-11-25'];
    for (const path of pages) expect((await fetch(`${served.base}${path}`, { headers: { cookie }, redirect: 'manual' })).status, path).toBe(200);
  } finally {
    recording = false;
    await served.close();
  }

  expect(sent.length).toBeGreaterThan(10);
  // The log page's read of the audit trail is among them.
  expect(sent.some((x) => /^\s*SELECT\b/i.test(x.query) && x.query.includes('"AuditEvent"'))).toBe(true);
  // A scan of a table that is still small is the planner's right choice (it is cheaper than an index).
  const rows = new Map((await db.sql.query<{ relname: string; n: string }>(`SELECT relname, reltuples AS n FROM pg_class WHERE relkind = 'r'`)).map((r) => [r.relname, Number(r.n)]));
  const scans: string[] = [];
  // Reads only: signing in writes a session (and statements like BEGIN cannot be explained).
  for (const { query, params } of sent.filter((x) => /^\s*(SELECT|WITH)\b/i.test(x.query))) {
    const [row] = await db.sql.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${query}`, params);
    const walk = (node: Record<string, unknown>) => {
      const table = String(node['Relation Name']);
      if (node['Node Type'] === 'Seq Scan' && NATIONAL.includes(table) && (rows.get(table) ?? 0) >= LARGE) scans.push(`${table} (${rows.get(table)} rows) in: ${query.replace(/SELECT .*? FROM/, "SELECT … FROM").slice(0, 400)}`);
      for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
    };
    const plan = row['QUERY PLAN'] as { Plan: Record<string, unknown> }[];
    walk(plan[0].Plan);
  }
  expect(scans).toEqual([]);
}, 120_000);
