// A refused request changes nothing. For every write route of the OpenAPI document that has roles,
// called with a token of each role it does not allow (403) and without a token (401); for the
// routes that ask a workflow, the workflow refusing (409); for a handful of concrete state
// refusals of the services (409/400); and for every staff-only form POST of the pages under /admin,
// signed in (a session) as a person whose role may not use it (403): after each refused request,
// no row of any table was added, changed or removed (every table of the schema: its row count and
// a hash of all its rows as JSON, ordered by id), no mail was handed to the mailer, no workflow
// was told (the notifier's calls, an update refused by the workflow aside), and the only audit
// rows allowed are ones recording the refusal itself (action ending in "refused"; none of these
// refusals writes one today).
import { readFileSync } from 'node:fs';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import { createApiToken } from '../api/auth.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import { importForbund } from '../services/import.js';
import { submissionLink } from '../services/links.js';
import type { UpdateTarget } from '../services/notifier.js';
import { ROLES, type Role } from '../services/tokens.js';
import { pagePerson, sessionCookie } from './support/browser.js';
import { quietForbundFile } from './support/fixtures.js';
import { testDatabase } from './support/database.js';
import { apiCaller, serve, type CallOptions, type Json } from './support/http.js';
import { RecordingNotifier } from './support/notifier.js';

const SECRET = 'q'.repeat(32);
const BASE = 'https://arscykel.example';
const NOW = new Date('2026-03-02T09:00:00Z');
const S = '/api/v1/forbund/sydnarke';
const NO_LIMITS = { authFailuresPer10Minutes: 1e9, publicPerMinute: 1e9, queue: 100_000, ...({ authFailuresPerAccountPer10Minutes: 1e9, signInRequestsPer10Minutes: 1e9 } as object) };

/** Records every update sent to a workflow, and answers each with the workflow's refusal (as tests/hostile.test.ts's RefusingNotifier). */
class RefusingNotifier extends RecordingNotifier {
  updates: { target: UpdateTarget; name: string }[] = [];
  /** How the workflow refuses: 'Refused' (a state that does not allow it), or as told for one test. */
  failure = () => ApplicationFailure.create({ type: 'Refused', message: 'the workflow refuses', nonRetryable: true });
  override async update<R, A extends [unknown]>(target: UpdateTarget, def: UpdateDefinition<R, A>): Promise<R> {
    this.updates.push({ target, name: def.name });
    throw this.failure();
  }
}

// --- the database, the förbund, the apps: made before the cases are listed (they come from the OpenAPI document) ---

const db = await testDatabase();
const forbundId = (await importForbund(db.prisma, parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml'), { year: 2026, actor: 'test' })).forbundId;
const tokens = {} as Record<Role, string>;
for (const role of ROLES) tokens[role] = await createApiToken(db.prisma, { forbundId, name: `refusals-${role}`, role });
// Another förbund, whose admin token is refused on every route of sydnarke (403).
const elsewhere = (await importForbund(db.prisma, parseForbundFile(quietForbundFile({ slug: 'annat', name: 'Samordningsförbundet Annat', meetingKey: 'styrelse-1', meetingInDays: 40 }), 'annat.yaml'), { actor: 'test' })).forbundId;
const otherAdmin = await createApiToken(db.prisma, { forbundId: elsewhere, name: 'refusals-other-admin', role: 'admin' });
const mails: unknown[] = [];
const mailer = { send: async (mail: unknown) => { mails.push(mail); return { status: 'sent' } as never; } };
const notifier = new RecordingNotifier();
const refusing = new RefusingNotifier();
const app = await serve(createApp({ prisma: db.prisma, notifier, mailer, publicBaseUrl: BASE, linkSecret: SECRET, now: () => NOW, guards: NO_LIMITS }));
const refusingApp = await serve(createApp({ prisma: db.prisma, notifier: refusing, mailer, publicBaseUrl: BASE, linkSecret: SECRET, now: () => NOW, guards: NO_LIMITS }));
const doc = (await (await fetch(`${app.base}/api/v1/openapi.json`)).json()) as Json;

const api = (base: string, method: string, path: string, o: Omit<CallOptions, 'method' | 'redirect'> = {}) => apiCaller(() => base)(path, { ...o, method, redirect: 'manual' });

// Real ids for the path parameters.
const ids = { meeting: '', obligation: '', project: '', projectKey: '', person: '', item: '', dnr: '', milestone: '', line: '', token: '', delivery: '', report: '', discharge: '', delegation: '', member: '', session: '', auditDocument: '', boardMember: '' };
{
  const meeting = await db.prisma.meeting.findFirstOrThrow({ where: { forbundId, kind: 'styrelse', startsAt: { gt: NOW } }, orderBy: { startsAt: 'asc' } });
  ids.meeting = meeting.id;
  const obligation = await db.prisma.reportingObligation.findFirstOrThrow({ where: { project: { forbundId }, status: 'open' }, include: { project: true }, orderBy: { dueDate: 'asc' } });
  ids.obligation = obligation.id;
  ids.project = obligation.projectId;
  ids.projectKey = obligation.project.key;
  ids.person = (await db.prisma.person.findFirstOrThrow({ where: { forbundId }, orderBy: { key: 'asc' } })).id;
  ids.milestone = (await db.prisma.milestone.findFirstOrThrow({ where: { forbundId } })).id;
  ids.line = (await db.prisma.budgetLine.findFirstOrThrow({ where: { forbundId, year: 2026 } })).key;
  ids.token = (await db.prisma.apiToken.findFirstOrThrow({ where: { forbundId, name: 'refusals-admin' } })).id;
  const member = await db.prisma.member.findFirstOrThrow({ where: { forbundId }, orderBy: { key: 'asc' } });
  ids.member = member.key;
  const matter = await api(app.base, 'POST', `${S}/matters`, { token: tokens.admin, json: { title: 'Ansökan om medel', kind: 'other', owner: 'official' } });
  expect(matter.status, matter.text).toBe(201);
  ids.dnr = matter.json.dnr;
  // An agenda item of the meeting: the matter put on it.
  const onAgenda = await api(app.base, 'PUT', `${S}/matters/${ids.dnr}/meeting`, { token: tokens.admin, json: { meeting: ids.meeting } });
  expect(onAgenda.status, onAgenda.text).toBeLessThan(300);
  // (The meeting's workflow writes its agenda; there is none in this test: the item is written as it would.)
  const matterRow = await db.prisma.matter.findFirstOrThrow({ where: { forbundId, dnr: ids.dnr } });
  ids.item = (await db.prisma.agendaItem.create({ data: { meetingId: ids.meeting, number: 1, title: matterRow.title, kind: 'matter', matterId: matterRow.id } })).id;
  // A mail that failed (a delivery to see to or send again).
  ids.delivery = (await db.prisma.notification.create({ data: { forbundId, key: 'refusals-failed-mail', messageId: '<refusals@arscykel.example>', kind: 'reminder', recipients: ['fel@adress.example'], subject: 'Påminnelse', status: 'failed', error: '550 no such user', sentAt: null } })).id;
  // A delegation decision.
  const example = (method: string, path: string) => doc.paths[path][method].requestBody?.content?.['application/json']?.example;
  const decision = await api(app.base, 'POST', `${S}/delegation-decisions`, { token: tokens.admin, json: { ...example('post', '/api/v1/forbund/{forbund}/delegation-decisions'), decidedOn: '2026-02-27' } });
  expect(decision.status, decision.text).toBe(201);
  ids.delegation = decision.json.id ?? (await db.prisma.delegationDecision.findFirstOrThrow({ where: { forbundId } })).id;
  // The årsredovisning of 2025, sent to the members for their ansvarsfrihet.
  const annual = await api(app.base, 'POST', `${S}/matters`, { token: tokens.admin, json: { title: 'Årsredovisning 2025', kind: 'other', owner: 'official' } });
  expect(annual.status, annual.text).toBe(201);
  const annualMatter = await db.prisma.matter.findFirstOrThrow({ where: { forbundId, dnr: annual.json.dnr } });
  ids.auditDocument = (await db.prisma.document.create({ data: { forbundId, matterId: annualMatter.id, key: 'revisionsberattelse', version: 1, title: 'Revisionsberättelse 2025', fileName: 'rb.pdf', contentType: 'application/pdf', size: 5, sha256: '0'.repeat(64), content: Buffer.from('%PDF-'), uploadedBy: 'test' } })).id;
  ids.boardMember = (await db.prisma.person.findFirstOrThrow({ where: { forbundId, roles: { has: 'board_member' } }, orderBy: { key: 'asc' } })).key;
  const report = await db.prisma.statutoryReport.create({ data: { forbundId, year: 2025, kind: 'arsredovisning', matterId: annualMatter.id, adoptedAt: new Date('2026-02-20T10:00:00Z'), adoptedBy: 'test', sentToAuditorsAt: new Date('2026-02-20T10:00:00Z'), sentToMembersAt: new Date('2026-02-21T10:00:00Z') } });
  ids.report = report.id;
  ids.discharge = (await db.prisma.memberDischarge.create({ data: { reportId: report.id, memberId: member.id } })).id;
}

// The people who sign in to the pages, one per role of a förbund file.
const PAGE_ROLES = ['official', 'secretary', 'board_member', 'coordinator', 'auditor', 'economist'] as const;
type PageRole = (typeof PAGE_ROLES)[number];
const cookies = {} as Record<PageRole, string>;
for (const role of PAGE_ROLES) {
  const who = await pagePerson(db.prisma, { forbundId, name: `Refusal ${role.replace('_', ' ')}`, role, publicBaseUrl: BASE, now: () => NOW });
  cookies[role] = await sessionCookie(who);
}
ids.session = (await db.prisma.personSession.findFirstOrThrow({ orderBy: { createdAt: 'asc' } })).id;

afterAll(async () => {
  await app?.close();
  await refusingApp?.close();
  await db?.close();
});

// --- what must not change ---

const MODELS = [...readFileSync('prisma/schema.prisma', 'utf8').matchAll(/^model (\w+) \{/gm)].map((m) => m[1]);
const tableRows = (await db.prisma.$queryRawUnsafe(`SELECT c.table_name AS t, bool_or(c.column_name = 'id') AS has_id FROM information_schema.columns c JOIN information_schema.tables x ON x.table_name = c.table_name AND x.table_schema = c.table_schema WHERE c.table_schema = current_schema() AND x.table_type = 'BASE TABLE' AND c.table_name <> '_prisma_migrations' GROUP BY c.table_name ORDER BY c.table_name`)) as { t: string; has_id: boolean }[];
const AUDIT = 'AuditEvent';
/** One query: per table, its row count and the MD5 of all its rows as JSON in id order; the audit rows that record a refusal apart. */
const SNAPSHOT_SQL = tableRows
  .flatMap(({ t, has_id }) => {
    const one = (label: string, where: string) => `SELECT '${label}' AS t, count(*)::int AS n, md5(coalesce(string_agg(to_jsonb(x)::text, E'\\n' ORDER BY ${has_id ? 'x."id"' : 'to_jsonb(x)::text'}), '')) AS h FROM "${t}" x${where}`;
    return t === AUDIT ? [one(AUDIT, ` WHERE x."action" NOT LIKE '%refused'`), one(`${AUDIT} (refusals)`, ` WHERE x."action" LIKE '%refused'`)] : [one(t, '')];
  })
  .join('\nUNION ALL\n');

interface State {
  tables: Map<string, { n: number; h: string }>;
  mails: number;
  told: string;
  updates: number;
}
const told = (n: RecordingNotifier) => JSON.stringify({ reporting: n.reportingCalls, cycle: n.cycleCalls, meeting: n.meetingCalls, matter: n.matterCalls, review: n.reviewCalls, statutory: n.statutoryCalls });

async function state(): Promise<State> {
  const rows = (await db.prisma.$queryRawUnsafe(SNAPSHOT_SQL)) as { t: string; n: number; h: string }[];
  return { tables: new Map(rows.map((r) => [r.t, { n: Number(r.n), h: r.h }])), mails: mails.length, told: told(notifier) + told(refusing), updates: refusing.updates.length };
}

/** What differs between two states, but for what a refusal may leave: at most one audit row recording the refusal, and `updates` refused updates. */
function changes(before: State, after: State, o: { updates?: number } = {}): string[] {
  const out: string[] = [];
  for (const [t, b] of before.tables) {
    const a = after.tables.get(t)!;
    if (t === `${AUDIT} (refusals)`) {
      // Allowed: new rows recording the refusal itself (one per request at most).
      if (a.n < b.n || a.n > b.n + 1) out.push(`${t}: ${b.n} → ${a.n} rows`);
      continue;
    }
    if (a.n !== b.n || a.h !== b.h) out.push(`${t}: ${b.n} → ${a.n} rows${a.n === b.n ? ' (rows changed)' : ''}`);
  }
  if (after.mails !== before.mails) out.push(`mails: ${after.mails - before.mails} handed to the mailer`);
  if (after.told !== before.told) out.push(`workflows told: ${after.told}`);
  if (after.updates - before.updates !== (o.updates ?? 0)) out.push(`updates sent to workflows: ${after.updates - before.updates}, expected ${o.updates ?? 0}`);
  return out;
}

it('the snapshot covers every model of the schema', () => {
  const tables = tableRows.map((r) => r.t);
  for (const m of MODELS) expect(tables, `model ${m}`).toContain(m);
  expect(MODELS.length).toBeGreaterThan(30);
});

// --- the write routes of the OpenAPI document that have roles ---

type Op = { method: string; path: string; roles: Role[]; example: unknown; summary: string };
const ops: Op[] = [];
for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
  for (const [method, o] of Object.entries(methods)) {
    if (method === 'get') continue;
    const roles = /\(roles: ([^)]*)\)$/.exec(o.summary ?? '')?.[1].split(', ') as Role[] | undefined;
    if (!roles) continue;
    ops.push({ method: method.toUpperCase(), path, roles, example: o.requestBody?.content?.['application/json']?.example, summary: o.summary });
  }
}

/** The path with real ids: `id` and `key` by the table the segment before them names. */
function fill(template: string): string {
  return template.replace(/\/([\w-]+)\/\{(\w+)\}/g, (_, seg: string, name: string) => {
    const v = (() => {
      switch (name) {
        case 'forbund': return 'sydnarke';
        case 'year': return '2026';
        case 'dnr': return ids.dnr;
        case 'itemId': return ids.item;
        case 'personId': return ids.person;
        case 'memberKey': return ids.member;
        case 'body': return 'all';
        case 'key': return seg === 'lines' ? ids.line : ids.projectKey;
        case 'id':
          return ({ projects: ids.project, obligations: ids.obligation, meetings: ids.meeting, milestones: ids.milestone, deliveries: ids.delivery, tokens: ids.token, 'statutory-reports': ids.report, discharges: ids.discharge, 'delegation-decisions': ids.delegation, moten: ids.meeting, rapporter: ids.obligation, moment: ids.milestone, utskick: ids.delivery, redovisning: ids.report, ansvarsfrihet: ids.discharge, delegationsbeslut: ids.delegation, inloggningar: ids.session } as Record<string, string>)[seg];
        default: return undefined;
      }
    })();
    if (!v) throw new Error(`no real id for {${name}} after /${seg}/ in ${template}`);
    return `/${seg}/${v}`;
  });
}

const roleCases = ops.flatMap((op) => [
  ...ROLES.filter((r) => !op.roles.includes(r)).map((role) => ({ ...op, role: role as Role | 'no token' | 'admin of another förbund', status: 403 })),
  { ...op, role: 'admin of another förbund' as const, status: 403 },
  { ...op, role: 'no token' as const, status: 401 },
]);
let idem = 0;

describe('refused by role: every write route with roles, with each role it does not allow, and without a token', () => {
  it('lists the routes', () => {
    expect(ops.length).toBeGreaterThanOrEqual(46);
    expect(roleCases.length).toBeGreaterThan(ops.length * 2);
    // Every path parameter has a real id.
    for (const op of ops) expect(() => fill(op.path), `${op.method} ${op.path}`).not.toThrow();
  });

  it.each(roleCases)('$method $path as $role → $status, nothing changed', async ({ method, path, role, status, example }) => {
    const what = `${method} ${path} as ${role}`;
    const before = await state();
    const r = await api(app.base, method, fill(path), { token: role === 'no token' ? undefined : role === 'admin of another förbund' ? otherAdmin : tokens[role], json: example ?? {}, headers: { 'Idempotency-Key': `refusal-${++idem}` } });
    expect(r.status, `${what}: ${r.text.slice(0, 300)}`).toBe(status);
    expect(changes(before, await state()), what).toEqual([]);
  });
});

// --- the pages' form POSTs under /admin ---

const pageOps = Object.entries(doc.paths as Record<string, Record<string, Json>>)
  .filter(([path, m]) => path.startsWith('/admin/') && m.post)
  .map(([path, m]) => ({ path, summary: m.post.summary as string }))
  // Signing in and out, and everyone's own pages (mina.ts): not the staff's.
  .filter(({ path }) => !/^\/admin\/(logga-in|logga-ut|valj-forbund|mina-)/.test(path));
/** A form with a plausible value for every field the pages' forms have, so that a form that checked its role late would be taken. */
const FORM = new URLSearchParams({
  title: 'Ny rubrik', kind: 'other', owner: 'official', meeting: '', date: '2026-04-14', start: '13:00', end: '15:00', location: 'Kumla', amount: '1000', line: 'x', dueDate: '2026-06-30', metOn: '2026-03-01', note: 'Villkoret är uppfyllt.',
  text: 'Beslutet är genomfört.', decidedOn: '2026-03-01', delegationPoint: '3.1', subject: 'Avtal', decision: 'Beslutat enligt förslag.', replyBy: '2026-04-30', message: 'Samråd', memberKey: 'x', repliedOn: '2026-03-01', reply: 'Inga synpunkter.',
  version: '1', beslut: 'godkann', atgard: 'handled', alla: '1', email: 'rätt@adress.example', person: 'x', before: 'sist', proposal: 'Förslag', justerare: 'x', outcome: 'beviljad', reference: 'KS 2026/1', auditReportOn: '2026-03-01', documentId: 'x', name: 'Ny insats', csv: 'konto;belopp',
}).toString();
const STAFF = { secretary: 'secretary', official: 'official' } as const;
const pageCases = pageOps.flatMap((op) => [
  // Not the staff: no pages of theirs here at all.
  ...(['board_member', 'coordinator', 'auditor', 'economist'] as const).map((role) => ({ ...op, role: role as PageRole | 'no session', status: 403 })),
  // The secretary, on what is the official's only.
  ...(/the official only/.test(op.summary) ? [{ ...op, role: STAFF.secretary as PageRole | 'no session', status: 403 }] : []),
  { ...op, role: 'no session' as const, status: 401 },
]);

describe("refused by role on the pages: every staff form POST under /admin, signed in as a person whose role may not use it", () => {
  it('lists the forms', () => {
    expect(pageOps.length).toBeGreaterThan(40);
    expect(pageCases.filter((c) => c.role === 'secretary').length).toBeGreaterThan(15);
    for (const op of pageOps) expect(() => fill(op.path), op.path).not.toThrow();
  });

  it.each(pageCases)('POST $path as $role → $status, nothing changed', async ({ path, role, status }) => {
    const what = `POST ${path} as ${role}`;
    const before = await state();
    const res = await fetch(`${app.base}${fill(path)}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: app.base, ...(role === 'no session' ? {} : { cookie: cookies[role] }) }, body: FORM });
    const text = await res.text();
    expect(res.status, `${what}: ${text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').slice(0, 300)}`).toBe(status);
    expect(changes(before, await state()), what).toEqual([]);
  });
});

// --- refused by the workflow ---

/** The write routes that send a person's action to a workflow (notifier.update in api/styrelse.ts, api/redovisning.ts). */
const THROUGH_WORKFLOW = [
  'PUT /api/v1/forbund/{forbund}/meetings/{id}/agenda',
  'POST /api/v1/forbund/{forbund}/meetings/{id}/kallelse',
  'POST /api/v1/forbund/{forbund}/meetings/{id}/decline',
  'PUT /api/v1/forbund/{forbund}/meetings/{id}/agenda/{itemId}/decision',
  'PUT /api/v1/forbund/{forbund}/meetings/{id}/narvaro',
  'PUT /api/v1/forbund/{forbund}/meetings/{id}/items/{itemId}/record',
  'POST /api/v1/forbund/{forbund}/meetings/{id}/minutes',
  'POST /api/v1/forbund/{forbund}/meetings/{id}/justering',
  'POST /api/v1/forbund/{forbund}/matters/{dnr}/prepared',
  'POST /api/v1/forbund/{forbund}/matters/{dnr}/report-back',
  'POST /api/v1/forbund/{forbund}/statutory-reports/{id}/audit-report',
  'PUT /api/v1/forbund/{forbund}/discharges/{id}',
];
const workflowCases = THROUGH_WORKFLOW.map((r) => {
  const op = ops.find((o) => `${o.method} ${o.path}` === r);
  if (!op) throw new Error(`${r} is not in the OpenAPI document`);
  return op;
});
/** The bodies that must name real things to reach the workflow (the examples name made-up ones). */
const realBody = (path: string, example: unknown): unknown =>
  path.endsWith('/decline') ? { person: ids.boardMember }
  : path.endsWith('/audit-report') ? { auditReportOn: '2026-02-27', documentId: ids.auditDocument }
  : path.includes('/discharges/') ? { ...(example as object), decidedOn: '2026-02-27' }
  : example;

describe('refused by the workflow: every route that asks one, the workflow refusing', () => {
  it.each(workflowCases)('$method $path → 409, nothing changed but the refused update', async ({ method, path, example }) => {
    const what = `${method} ${path} (workflow refuses)`;
    const before = await state();
    const r = await api(refusingApp.base, method, fill(path), { token: tokens.admin, json: realBody(path, example) ?? {}, headers: { 'Idempotency-Key': `refusal-${++idem}` } });
    expect(r.status, `${what}: ${r.text.slice(0, 300)}`).toBe(409);
    expect(r.json.error.message, what).toBe('the workflow refuses');
    expect(changes(before, await state(), { updates: 1 }), what).toEqual([]);
  });
});

/** The pages' forms that send an action to a workflow (notifier.update via api/styrelse.ts's helpers, api/admin/start.ts, api/admin/redovisning.ts), with a form that reaches it. */
const PAGE_THROUGH_WORKFLOW: [string, () => Record<string, string>][] = [
  ['/admin/arenden/{dnr}/berett', () => ({})],
  ['/admin/arenden/{dnr}/aterrapportera', () => ({ text: 'Beslutet är genomfört.' })],
  ['/admin/moten/{id}/skicka-kallelse', () => ({})],
  ['/admin/moten/{id}/forhinder', () => ({ person: ids.boardMember })],
  ['/admin/moten/{id}/punkter', () => ({ title: 'Övriga frågor', before: 'sist' })],
  ['/admin/moten/{id}/punkter/{itemId}/forslag', () => ({ proposal: 'Styrelsen beslutar att bevilja ansökan.' })],
  ['/admin/moten/{id}/punkter/{itemId}/beslut', () => ({ decision: 'Styrelsen beslutar att bevilja ansökan.', version: '0' })],
  ['/admin/moten/{id}/protokoll', () => ({ justerare: ids.boardMember })],
  ['/admin/moten/{id}/justering', () => ({})],
  ['/admin/ar/{year}/redovisning/{id}/revisionsberattelse', () => ({ auditReportOn: '2026-02-27', documentId: ids.auditDocument })],
  ['/admin/ar/{year}/ansvarsfrihet/{id}', () => ({ outcome: 'beviljad', decidedOn: '2026-02-27', reference: 'KF § 45' })],
];
const pageRefusingCookie = await sessionCookie(await pagePerson(db.prisma, { forbundId, name: 'Refusal official', role: 'official', publicBaseUrl: BASE, now: () => NOW }));

describe("refused by the workflow on the pages: the official's forms that ask one, the workflow refusing", () => {
  it('lists the forms', () => {
    for (const [path] of PAGE_THROUGH_WORKFLOW) expect(pageOps.map((o) => o.path), path).toContain(path);
  });

  it.each(PAGE_THROUGH_WORKFLOW.map(([path, form]) => ({ path, form })))('POST $path → a 4xx page (409, or 400 with the refusal next to the fields), nothing changed but the refused update', async ({ path, form }) => {
    const what = `POST ${path} (workflow refuses)`;
    const before = await state();
    const res = await fetch(`${refusingApp.base}${fill(path)}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: refusingApp.base, cookie: pageRefusingCookie }, body: new URLSearchParams(form()).toString() });
    const text = (await res.text()).replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ');
    expect([400, 409], `${what}: ${res.status} ${text.slice(0, 400)}`).toContain(res.status);
    expect(changes(before, await state(), { updates: 1 }), what).toEqual([]);
  });
});

// --- refused by state: concrete refusals of the services ---

/** A state refusal: what is made so first (before the snapshot), then the request, its status, and the updates the workflow refused. */
interface StateCase {
  name: string;
  setup?: () => Promise<void>;
  send: () => Promise<{ status: number; text: string }>;
  status: number;
  /** The refusal's message: the one this case is about, not another that came first. */
  message: RegExp;
  updates?: number;
}
const admin = (method: string, path: string, json?: unknown) => api(app.base, method, `${S}${path}`, { token: tokens.admin, json, headers: { 'Idempotency-Key': `refusal-${++idem}` } });
const ok = (r: { status: number; text: string }, what: string) => expect(r.status, `${what}: ${r.text.slice(0, 300)}`).toBeLessThan(300);
const other = { meeting: '', project: '', projectKey: '', obligation: '' };

/** An agenda item's decision sent to the refusing app while its workflow answers with `failure`. */
async function decidedWhileRefusing(failure: RefusingNotifier['failure'], o: Omit<CallOptions, 'method' | 'redirect'>) {
  refusing.failure = failure;
  try {
    return await api(refusingApp.base, 'PUT', `${S}/meetings/${ids.meeting}/agenda/${ids.item}/decision`, o);
  } finally {
    refusing.failure = new RefusingNotifier().failure;
  }
}

const stateCases: StateCase[] = [
  { name: 'lock a report that is not submitted (409)', message: /only a submitted report can be locked/, send: () => admin('POST', `/obligations/${ids.obligation}/lock`), status: 409 },
  {
    name: 'review a version that is not the latest (409 conflict)', message: /version 2 is not the latest version/,
    setup: async () => {
      const link = new URL(submissionLink(BASE, SECRET, ids.obligation));
      const r = await api(app.base, 'POST', `/api/v1/submissions/${ids.obligation}${link.search}`, { json: { figures: { participants: { active: { women: 3, men: 2 } } }, narrative: 'Arbetet har kommit i gång.', submittedBy: 'Samordnaren' } });
      if (r.status !== 201) {
        // The report's figures as the förbund file asks them: the example of the route.
        const ex = doc.paths['/api/v1/submissions/{id}'].post.requestBody.content['application/json'].example;
        ok(await api(app.base, 'POST', `/api/v1/submissions/${ids.obligation}${link.search}`, { json: ex }), 'submit the report');
      }
    },
    send: () => admin('POST', `/obligations/${ids.obligation}/review`, { version: 2, decision: 'approve' }),
    status: 409,
  },
  { name: 'adopt a calendar already adopted (409)', message: /already adopted/, send: () => admin('POST', '/years/2026/calendar', doc.paths['/api/v1/forbund/{forbund}/years/{year}/calendar'].post.requestBody.content['application/json'].example), status: 409 },
  {
    name: 'cancel a meeting that has been held (409)', message: /has been held/,
    setup: async () => {
      const m = await db.prisma.meeting.findFirstOrThrow({ where: { forbundId, startsAt: { lt: NOW } }, orderBy: { startsAt: 'desc' } });
      await db.prisma.meeting.update({ where: { id: m.id }, data: { heldAt: m.startsAt } });
      other.meeting = m.id;
    },
    send: () => admin('POST', `/meetings/${other.meeting}/cancel`),
    status: 409,
  },
  { name: 'move a meeting that has been held (409)', message: /has been held/, send: () => admin('PATCH', `/meetings/${other.meeting}`, { date: '2026-04-20' }), status: 409 },
  {
    name: 'move a cancelled meeting (409)', message: /is cancelled/,
    setup: async () => {
      const m = await db.prisma.meeting.findFirstOrThrow({ where: { forbundId, startsAt: { gt: NOW }, id: { not: ids.meeting } }, orderBy: { startsAt: 'desc' } });
      await db.prisma.meeting.update({ where: { id: m.id }, data: { status: 'cancelled' } });
      other.meeting = m.id;
    },
    send: () => admin('PATCH', `/meetings/${other.meeting}`, { date: '2026-11-20' }),
    status: 409,
  },
  {
    name: 'change a withdrawn project (409)', message: /withdrawn and can no longer be changed/,
    setup: async () => {
      const ob = await db.prisma.reportingObligation.findFirstOrThrow({ where: { project: { forbundId, id: { not: ids.project } }, status: 'open' }, include: { project: true } });
      Object.assign(other, { project: ob.projectId, projectKey: ob.project.key, obligation: ob.id });
      ok(await admin('POST', `/projects/${other.projectKey}/withdraw`), 'withdraw the project');
    },
    send: () => admin('PATCH', `/projects/${other.projectKey}`, { name: 'Nytt namn' }),
    status: 409,
  },
  { name: "renew the submission link of a withdrawn project's report (409)", message: /withdrawn and no report is expected/, send: () => admin('POST', `/obligations/${other.obligation}/link/renew`), status: 409 },
  {
    name: 'start the samråd on the budget a second time (409)', message: /started already/,
    setup: async () => ok(await admin('POST', '/budget-consultations/2027', { replyBy: '2026-04-30', message: 'Synpunkter på budgeten 2027.' }), 'start the samråd'),
    send: () => admin('POST', '/budget-consultations/2027', { replyBy: '2026-04-30', message: 'Synpunkter på budgeten 2027.' }),
    status: 409,
  },
  {
    name: 'correct a delegation decision already reported to the board (409)', message: /can no longer be changed/,
    setup: async () => void (await db.prisma.delegationDecision.update({ where: { id: ids.delegation }, data: { reportedAtItemId: ids.item } })),
    send: () => admin('PATCH', `/delegation-decisions/${ids.delegation}`, { subject: 'Rättat' }),
    status: 409,
  },
  { name: 'remove a delegation decision already reported to the board (409)', message: /can no longer be removed/, send: () => admin('DELETE', `/delegation-decisions/${ids.delegation}`), status: 409 },
  {
    name: 'put a decided matter on a meeting (409)', message: /the matter is decided/,
    setup: async () => void (await db.prisma.matter.update({ where: { forbundId_dnr: { forbundId, dnr: ids.dnr } }, data: { status: 'decided' } })),
    send: () => admin('PUT', `/matters/${ids.dnr}/meeting`, { meeting: ids.meeting }),
    status: 409,
  },
  {
    name: "record a member's ansvarsfrihet already recorded (409)", message: /already recorded/,
    setup: async () => void (await db.prisma.memberDischarge.update({ where: { id: ids.discharge }, data: { outcome: 'beviljad', decidedOn: new Date('2026-02-20T00:00:00Z'), recordedAt: NOW, recordedBy: 'test' } })),
    send: () => admin('PUT', `/discharges/${ids.discharge}`, { outcome: 'beviljad', decidedOn: '2026-02-27' }),
    status: 409,
  },
  {
    name: 'a decision over a stale version: the workflow answers Conflict (409 with the decision now)', message: /changed by someone else/,
    send: () =>
      decidedWhileRefusing(
        () => ApplicationFailure.create({ type: 'Conflict', message: 'the decision was changed by someone else', nonRetryable: true, details: [{ current: { version: 3, decision: 'Bifalles.', actionBy: null, actionDue: null } }] }),
        { token: tokens.secretary, json: { decision: 'Avslås.', version: 1 } },
      ),
    status: 409,
    updates: 1,
  },
  {
    name: 'a decision on a protokoll that is justerat: the workflow refuses (409)', message: /minutes are justerade/,
    send: () =>
      decidedWhileRefusing(() => ApplicationFailure.create({ type: 'Refused', message: 'the minutes are justerade: the decisions can no longer be changed', nonRetryable: true }), { token: tokens.admin, json: { decision: 'Avslås.', version: 0 } }),
    status: 409,
    updates: 1,
  },
];

describe('refused by state: concrete refusals of the services change nothing', () => {
  it.each(stateCases)('$name', async ({ name, setup, send, status, message, updates }) => {
    await setup?.();
    const before = await state();
    const r = await send();
    expect(r.status, `${name}: ${r.text.slice(0, 300)}`).toBe(status);
    expect(JSON.parse(r.text).error.message, name).toMatch(message);
    expect(changes(before, await state(), { updates: updates ?? 0 }), name).toEqual([]);
  });
});
