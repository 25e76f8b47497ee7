// The reporting API over real HTTP: the express app listens on an ephemeral port, requests go
// through fetch, data lives in a real database (PGlite, or PostgreSQL when TEST_DATABASE_URL is
// set) loaded from the example förbund files.
import { readFileSync } from 'node:fs';
import { apiCaller, fieldsOf, serve } from './support/http.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import { createApiToken } from '../api/auth.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import ICAL from 'ical.js';
import { projectFeedLink, submissionLink } from '../services/links.js';
import { reminderKey } from '../services/rapportering.js';
import { testDatabase } from './support/database.js';
import { RecordingNotifier } from './support/notifier.js';

// Monday 20 April 2026, 10:00 in Stockholm (CEST). The reports due 15 April are 5 days overdue,
// those of Försteget and IPS from 2025 far more.
const NOW = new Date('2026-04-20T08:00:00Z');
const clock = { now: NOW };
const PUBLIC_BASE = 'https://arscykel.example';
const LINK_SECRET = 'test-link-secret';

const load = (name: string) => parseForbundFile(readFileSync(`examples/${name}`, 'utf8'), name);
const dayDiff = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
const stockholmClock = (iso: string) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

let db: Database;
let served: Awaited<ReturnType<typeof serve>> | undefined;
let base: string;
const notifier = new RecordingNotifier();
let app: ReturnType<typeof createApp>;
const tokens: Record<'admin' | 'secretary' | 'board' | 'sofintAdmin', string> = { admin: '', secretary: '', board: '', sofintAdmin: '' };
let sydnarkeId: string;
let sofintId: string;

const call = apiCaller(() => base);

/** The obligation of a Sydnärke project by kind and period end. */
async function obligation(projectKey: string, kind: string, periodEnd: string) {
  return db.prisma.reportingObligation.findFirstOrThrow({
    where: { kind: kind as never, periodEnd: new Date(`${periodEnd}T00:00:00Z`), project: { key: projectKey, forbundId: sydnarkeId } },
    include: { project: true },
  });
}

/** Path and query of the coordinator's link, served by this test's server. */
const linkPath = (obligationId: string, prefix: '/submit' | '/api/v1/submissions' = '/submit') => {
  const u = new URL(submissionLink(PUBLIC_BASE, LINK_SECRET, obligationId));
  return `${prefix}/${obligationId}${u.search}`;
};
const tokenOf = (obligationId: string) => new URL(submissionLink(PUBLIC_BASE, LINK_SECRET, obligationId)).searchParams.get('token')!;

const counts = async () => ({
  submissions: await db.prisma.submission.count(),
  audit: await db.prisma.auditEvent.count(),
  open: await db.prisma.reportingObligation.count({ where: { status: 'open' } }),
});

beforeAll(async () => {
  db = await testDatabase();
  const syd = await importForbund(db.prisma, load('sydnarke.yaml'), { year: 2026, actor: 'test' });
  const sof = await importForbund(db.prisma, load('sofint.yaml'), { actor: 'test' });
  sydnarkeId = syd.forbundId;
  sofintId = sof.forbundId;
  // Running in Årscykel since before the test's year (go-live and the reports' creation follow the
  // import's real clock; the requests run on the test's clock): what fell due in it is the förbund's to handle.
  await db.prisma.forbund.update({ where: { id: sydnarkeId }, data: { goLiveOn: new Date('2000-01-01T00:00:00Z') } });
  await db.prisma.reportingObligation.updateMany({ where: { project: { forbundId: sydnarkeId } }, data: { createdAt: new Date('2000-01-01T00:00:00Z') } });
  await db.prisma.forbund.update({ where: { id: sofintId }, data: { goLiveOn: new Date('2000-01-01T00:00:00Z') } });
  await db.prisma.reportingObligation.updateMany({ where: { project: { forbundId: sofintId } }, data: { createdAt: new Date('2000-01-01T00:00:00Z') } });
  tokens.admin = await createApiToken(db.prisma, { forbundId: sydnarkeId, name: 'official', role: 'admin' });
  tokens.secretary = await createApiToken(db.prisma, { forbundId: sydnarkeId, name: 'secretary', role: 'secretary' });
  tokens.board = await createApiToken(db.prisma, { forbundId: sydnarkeId, name: 'board', role: 'board_member' });
  tokens.sofintAdmin = await createApiToken(db.prisma, { forbundId: sofintId, name: 'sofint official', role: 'admin' });

  app = createApp({ prisma: db.prisma, notifier, publicBaseUrl: PUBLIC_BASE, linkSecret: LINK_SECRET, now: () => clock.now });
  served = await serve(app);
  base = served.base;
});

afterAll(async () => {
  await served?.close();
  await db?.close();
});

beforeEach(() => {
  clock.now = NOW;
  notifier.reset();
});

describe('authentication and roles', () => {
  it('no token, a malformed header and an unknown token give 401 naming Authorization', async () => {
    const headerCases: Record<string, string>[] = [{}, { authorization: 'Token abc' }, { authorization: 'Bearer' }, { authorization: 'Bearer a b' }, { authorization: 'Bearer ak_unknown' }];
    for (const headers of headerCases) {
      const r = await call('/api/v1/forbund/sydnarke/projects', { headers });
      expect(r.status, JSON.stringify(headers)).toBe(401);
      expect(r.type).toMatch(/application\/json/);
      expect(r.json.error.status).toBe(401);
      expect(fieldsOf(r)).toEqual(['Authorization']);
    }
  });

  it('a revoked token is refused', async () => {
    const t = await createApiToken(db.prisma, { forbundId: sydnarkeId, name: 'old', role: 'admin' });
    expect((await call('/api/v1/forbund/sydnarke/projects', { token: t })).status).toBe(200);
    await db.prisma.apiToken.updateMany({ where: { name: 'old' }, data: { revokedAt: new Date() } });
    const r = await call('/api/v1/forbund/sydnarke/projects', { token: t });
    expect(r.status).toBe(401);
    expect(fieldsOf(r)).toEqual(['Authorization']);
  });

  it("a token of one förbund cannot read another förbund's data", async () => {
    for (const path of ['projects', 'projects/samverkansteamet', 'pending-steps', 'planned-reminders']) {
      const r = await call(`/api/v1/forbund/sofint/${path}`, { token: tokens.admin });
      expect(r.status, path).toBe(403);
      expect(r.json.error.message).toMatch(/sydnarke/);
    }
    const w = await call('/api/v1/forbund/sofint/projects/samverkansteamet/withdraw', { token: tokens.admin, method: 'POST' });
    expect(w.status).toBe(403);
    expect(await db.prisma.project.findFirstOrThrow({ where: { forbundId: sofintId, key: 'samverkansteamet' } })).toMatchObject({ status: 'active' });
  });

  it('board members may list projects but not see pending steps or planned reminders', async () => {
    expect((await call('/api/v1/forbund/sydnarke/projects', { token: tokens.board })).status).toBe(200);
    expect((await call('/api/v1/forbund/sydnarke/projects/pa-vag', { token: tokens.board })).status).toBe(200);
    const p = await call('/api/v1/forbund/sydnarke/pending-steps', { token: tokens.board });
    expect(p.status).toBe(403);
    expect(p.json.error.message).toMatch(/board_member/);
    expect((await call('/api/v1/forbund/sydnarke/planned-reminders', { token: tokens.board })).status).toBe(403);
    expect((await call('/api/v1/forbund/sydnarke/pending-steps', { token: tokens.secretary })).status).toBe(200);
  });
});

describe('GET projects', () => {
  it('pages through the projects with their obligations and status', async () => {
    const all = await db.prisma.project.findMany({ where: { forbundId: sydnarkeId }, orderBy: { key: 'asc' } });
    expect(all).toHaveLength(10);
    const first = await call('/api/v1/forbund/sydnarke/projects?limit=4', { token: tokens.secretary });
    expect(first.status).toBe(200);
    expect(first.json.pagination).toEqual({ totalElements: 10, elementsPerPage: 4, currentPage: 1, totalPages: 3 });
    expect(first.json.data).toHaveLength(4);
    expect(first.json.links.prev).toBeUndefined();
    expect(first.json.links.next).toBe('/api/v1/forbund/sydnarke/projects?limit=4&page=2');
    const keys: string[] = [];
    let next: string | undefined = '/api/v1/forbund/sydnarke/projects?limit=4';
    while (next) {
      const r = await call(next, { token: tokens.secretary });
      expect(r.status).toBe(200);
      keys.push(...r.json.data.map((p: { key: string }) => p.key));
      next = r.json.links.next;
    }
    expect(keys).toEqual(all.map((p) => p.key));

    const page3 = await call('/api/v1/forbund/sydnarke/projects?page=3&limit=4', { token: tokens.secretary });
    expect(page3.json.data).toHaveLength(2);
    expect(page3.json.links.next).toBeUndefined();
    expect(page3.json.links.prev).toBe('/api/v1/forbund/sydnarke/projects?page=2&limit=4');
  });

  it('each project carries its obligations with status and overdue flag', async () => {
    const r = await call('/api/v1/forbund/sydnarke/projects?limit=200', { token: tokens.board });
    const paVag = r.json.data.find((p: { key: string }) => p.key === 'pa-vag');
    expect(paVag).toMatchObject({ key: 'pa-vag', name: 'På väg', status: 'active', huvudman: 'Försäkringskassan', coordinator: { name: 'Samordnare På väg (exempel)', email: 'pa-vag@sydnarke.example' } });
    expect(paVag.obligations.length).toBeGreaterThan(0);
    for (const p of r.json.data) {
      expect(['active', 'withdrawn']).toContain(p.status);
      expect(Array.isArray(p.obligations)).toBe(true);
      for (const o of p.obligations) {
        expect(o).toMatchObject({ id: expect.any(String), kind: expect.any(String), status: expect.stringMatching(/^(open|submitted|withdrawn)$/) });
        expect(o.overdue).toBe(o.status === 'open' && o.dueDate < '2026-04-20');
      }
    }
    const q1 = paVag.obligations.find((o: { kind: string; periodEnd: string }) => o.kind === 'quarterly' && o.periodEnd === '2026-03-31');
    expect(q1).toMatchObject({ periodStart: '2026-01-01', dueDate: '2026-04-15', status: 'open', overdue: true, submissions: [] });
    // The förbund's own activities owe no reports.
    expect(r.json.data.find((p: { key: string }) => p.key === 'kompetensutveckling').obligations).toEqual([]);
  });

  it('bad paging parameters give 400 naming the parameter', async () => {
    for (const [q, field] of [
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=abc', 'limit'],
      ['page=0', 'page'],
      ['page=1.5', 'page'],
    ]) {
      const r = await call(`/api/v1/forbund/sydnarke/projects?${q}`, { token: tokens.admin });
      expect(r.status, q).toBe(400);
      expect(fieldsOf(r), q).toEqual([field]);
    }
  });

  it('an unknown project is 404', async () => {
    const r = await call('/api/v1/forbund/sydnarke/projects/finns-inte', { token: tokens.admin });
    expect(r.status).toBe(404);
    expect(r.json.error.status).toBe(404);
  });
});

describe('GET pending-steps', () => {
  const sortedAsSpecified = (steps: Json[]) => {
    for (let i = 1; i < steps.length; i++) {
      const a = steps[i - 1];
      const b = steps[i];
      if (a.overdue !== b.overdue) expect(a.overdue, `${a.title} before ${b.title}`).toBe(true);
      else if (a.daysOverdue !== b.daysOverdue) expect(a.daysOverdue).toBeGreaterThan(b.daysOverdue);
      else expect(a.dueDate <= b.dueDate, `${a.title} before ${b.title}`).toBe(true);
    }
  };

  it('lists overdue reports first, longest overdue first, with who they wait on', async () => {
    const r = await call('/api/v1/forbund/sydnarke/pending-steps?limit=200', { token: tokens.admin });
    expect(r.status).toBe(200);
    const steps: Json[] = r.json.data;
    sortedAsSpecified(steps);
    for (const s of steps) {
      expect(s.daysOverdue).toBe(Math.max(0, dayDiff(s.dueDate, '2026-04-20')));
      expect(s.overdue).toBe(s.daysOverdue > 0);
    }
    const reports = steps.filter((s) => s.type === 'report');
    // Every open report of an active project whose period has ended (all of them are due by now).
    const expected = await db.prisma.reportingObligation.count({ where: { status: 'open', project: { forbundId: sydnarkeId, status: 'active' }, periodEnd: { lt: new Date('2026-04-20T00:00:00Z') } } });
    expect(reports).toHaveLength(expected);
    expect(reports.every((s) => s.overdue)).toBe(true);
    // The oldest: Försteget's and IPS's reports for Q3 2025, due 15 October 2025.
    expect(steps[0]).toMatchObject({ type: 'report', dueDate: '2025-10-15', overdue: true, daysOverdue: 187 });
    const oldest = reports.filter((s) => s.dueDate === '2025-10-15');
    expect(oldest).toHaveLength(4);
    expect(oldest.map((s) => s.waitingOn)).toEqual(
      expect.arrayContaining([
        { role: 'coordinator', name: 'Sara Svensson', email: 'sara.svensson@sydnarke.example' },
        { role: 'coordinator', name: 'Mats Wickholm', email: 'mats.wickholm@sydnarke.example' },
      ]),
    );
    const paVag = reports.filter((s) => s.links.project === '/api/v1/forbund/sydnarke/projects/pa-vag');
    expect(paVag).toHaveLength(2);
    for (const s of paVag) expect(s).toMatchObject({ dueDate: '2026-04-15', daysOverdue: 5, waitingOn: { name: 'Samordnare På väg (exempel)', email: 'pa-vag@sydnarke.example' } });
  });

  it('reports due within 30 days come after the overdue ones; escalated ones are flagged', async () => {
    clock.now = new Date('2026-04-01T08:00:00Z');
    const q1 = await obligation('pa-vag', 'quarterly', '2026-03-31');
    await db.prisma.escalation.create({ data: { forbundId: sydnarkeId, key: `obligation:${q1.id}`, subjectType: 'obligation', subjectId: q1.id, reason: 'test' } });
    try {
      const r = await call('/api/v1/forbund/sydnarke/pending-steps?limit=200', { token: tokens.secretary });
      const reports: Json[] = r.json.data.filter((s: Json) => s.type === 'report');
      sortedAsSpecified(r.json.data);
      const open = reports.filter((s) => !s.overdue);
      expect(open.length).toBeGreaterThan(0);
      for (const s of open) expect(s).toMatchObject({ dueDate: '2026-04-15', daysOverdue: 0 });
      const firstOpen = reports.findIndex((s) => !s.overdue);
      expect(reports.slice(0, firstOpen).every((s) => s.overdue)).toBe(true);
      expect(reports.find((s) => s.id === q1.id)).toMatchObject({ escalated: true, overdue: false });
      expect(reports.filter((s) => s.escalated).map((s) => s.id)).toEqual([q1.id]);
    } finally {
      await db.prisma.escalation.deleteMany({ where: { subjectId: q1.id } });
    }
  });

  it('counts days overdue by the Stockholm day', async () => {
    clock.now = new Date('2026-04-15T22:30:00Z'); // 16 April 00:30 in Stockholm, still the 15th in UTC
    const r = await call('/api/v1/forbund/sydnarke/pending-steps?limit=200', { token: tokens.admin });
    const due15 = r.json.data.filter((s: Json) => s.type === 'report' && s.dueDate === '2026-04-15');
    expect(due15.length).toBeGreaterThan(0);
    for (const s of due15) expect(s).toMatchObject({ overdue: true, daysOverdue: 1 });
  });

  it('pages are slices of the sorted list', async () => {
    const all = (await call('/api/v1/forbund/sydnarke/pending-steps?limit=200', { token: tokens.admin })).json.data;
    const paged: Json[] = [];
    let next: string | undefined = '/api/v1/forbund/sydnarke/pending-steps?limit=5';
    while (next) {
      const r = await call(next, { token: tokens.admin });
      paged.push(...r.json.data);
      next = r.json.links.next;
    }
    expect(paged).toEqual(all);
  });
});

describe('GET planned-reminders', () => {
  it('lists upcoming reminders at 08:00 Stockholm time with their recipients, soonest first', async () => {
    const r = await call('/api/v1/forbund/sydnarke/planned-reminders?days=90&limit=200', { token: tokens.secretary });
    expect(r.status).toBe(200);
    const list: Json[] = r.json.data;
    expect(list.length).toBeGreaterThan(0);
    const until = NOW.getTime() + 90 * 86_400_000;
    for (let i = 0; i < list.length; i++) {
      const at = Date.parse(list[i].at);
      expect(at).toBeGreaterThanOrEqual(NOW.getTime());
      expect(at).toBeLessThanOrEqual(until);
      expect(stockholmClock(list[i].at)).toBe('08:00');
      if (i > 0) expect(at).toBeGreaterThanOrEqual(Date.parse(list[i - 1].at));
      expect(list[i].to.length).toBeGreaterThan(0);
    }

    // Due 15 April, not in: escalated on Wednesday 22 April to the official, coordinator in copy.
    const q1 = await obligation('pa-vag', 'quarterly', '2026-03-31');
    expect(list.filter((x) => x.obligation.id === q1.id)).toEqual([
      {
        at: '2026-04-22T06:00:00.000Z',
        kind: 'escalation',
        to: [{ name: 'Raéd Shaqdih', email: 'raed.shaqdih@sydnarke.example' }],
        cc: [{ name: 'Samordnare På väg (exempel)', email: 'pa-vag@sydnarke.example' }],
        project: { key: 'pa-vag', name: 'På väg' },
        obligation: { id: q1.id, kind: 'quarterly', dueDate: '2026-04-15' },
      },
    ]);
    // Due 15 July: reminded 1 July, 13 July (12 July is a Sunday) and 15 July; the day after, the official in copy.
    const q2 = await obligation('pa-vag', 'quarterly', '2026-06-30');
    const coordinator = { name: 'Samordnare På väg (exempel)', email: 'pa-vag@sydnarke.example' };
    const official = { name: 'Raéd Shaqdih', email: 'raed.shaqdih@sydnarke.example' };
    expect(list.filter((x) => x.obligation.id === q2.id).map((x) => ({ at: x.at, kind: x.kind, to: x.to, cc: x.cc }))).toEqual([
      { at: '2026-07-01T06:00:00.000Z', kind: 'reminder', to: [coordinator], cc: [] },
      { at: '2026-07-13T06:00:00.000Z', kind: 'reminder', to: [coordinator], cc: [] },
      { at: '2026-07-15T06:00:00.000Z', kind: 'reminder', to: [coordinator], cc: [] },
      { at: '2026-07-16T06:00:00.000Z', kind: 'overdue', to: [coordinator], cc: [official] },
    ]);
  });

  it('a reminder already sent is not planned again', async () => {
    const q2 = await obligation('fordjupad-utredning', 'quarterly', '2026-06-30');
    const key = reminderKey(q2.id, '2026-07-15', 'reminder-14');
    await db.prisma.notification.create({ data: { forbundId: sydnarkeId, key, messageId: '<x@test>', kind: 'reminder', recipients: [], subject: 'x' } });
    try {
      const r = await call('/api/v1/forbund/sydnarke/planned-reminders?days=90&limit=200', { token: tokens.admin });
      const mine = r.json.data.filter((x: Json) => x.obligation.id === q2.id);
      expect(mine.map((x: Json) => x.at)).toEqual(['2026-07-13T06:00:00.000Z', '2026-07-15T06:00:00.000Z', '2026-07-16T06:00:00.000Z']);
    } finally {
      await db.prisma.notification.deleteMany({ where: { key } });
    }
  });

  it('the window defaults to what the OpenAPI document says; a bad window is 400 naming days', async () => {
    const doc = (await call('/api/v1/openapi.json')).json;
    const days = doc.paths['/api/v1/forbund/{forbund}/planned-reminders'].get.parameters.find((p: Json) => p.name === 'days').schema.default;
    expect(Number.isInteger(days)).toBe(true);
    const r = await call('/api/v1/forbund/sydnarke/planned-reminders?limit=200', { token: tokens.admin });
    expect(r.status).toBe(200);
    for (const x of r.json.data) expect(Date.parse(x.at)).toBeLessThanOrEqual(NOW.getTime() + days * 86_400_000);
    const explicit = await call(`/api/v1/forbund/sydnarke/planned-reminders?limit=200&days=${days}`, { token: tokens.admin });
    expect(r.json.data).toEqual(explicit.json.data);
    for (const q of ['days=0', 'days=731', 'days=x']) {
      const bad = await call(`/api/v1/forbund/sydnarke/planned-reminders?${q}`, { token: tokens.admin });
      expect(bad.status, q).toBe(400);
      expect(fieldsOf(bad)).toEqual(['days']);
    }
  });

  it('a förbund whose reports all lie in the past has nothing planned', async () => {
    const r = await call('/api/v1/forbund/sofint/planned-reminders?days=730', { token: tokens.sofintAdmin });
    expect(r.status).toBe(200);
    expect(r.json.data).toEqual([]);
  });
});

describe('the submission link (JSON)', () => {
  const valid = { figures: { participantsActive: 14, participantsNew: 3, participantsToWork: 2, costsToDate: 310000 }, narrative: 'Under kvartalet har gruppverksamheten startat.', submittedBy: 'Samordnare På väg' };

  it('opens the report it was made for', async () => {
    const a = await obligation('pa-vag', 'quarterly', '2026-06-30');
    const r = await call(linkPath(a.id, '/api/v1/submissions'));
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ forbund: 'Samordningsförbundet Sydnärke', project: { key: 'pa-vag', name: 'På väg' }, obligation: { id: a.id, kind: 'quarterly', dueDate: '2026-07-15', status: 'open' } });
    expect(Object.keys(r.json.figures)).toContain('participantsActive');
  });

  it('refuses a missing token, and the token of another report, storing nothing', async () => {
    const a = await obligation('pa-vag', 'quarterly', '2026-06-30');
    const b = await obligation('mottagningsteamet', 'quarterly', '2026-06-30');
    const noToken = await call(`/api/v1/submissions/${a.id}`);
    expect(noToken.status).toBe(403);
    expect(fieldsOf(noToken)).toEqual(['token']);
    const before = await counts();
    const get = await call(`/api/v1/submissions/${b.id}?token=${tokenOf(a.id)}`);
    expect(get.status).toBe(403);
    expect(fieldsOf(get)).toEqual(['token']);
    const post = await call(`/api/v1/submissions/${b.id}?token=${tokenOf(a.id)}`, { method: 'POST', json: valid });
    expect(post.status).toBe(403);
    expect(fieldsOf(post)).toEqual(['token']);
    const form = await call(`/submit/${b.id}?token=${tokenOf(a.id)}`, { method: 'POST', body: 'narrative=Hej', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(403);
    expect(await counts()).toEqual(before);
    expect((await db.prisma.reportingObligation.findUniqueOrThrow({ where: { id: b.id } })).status).toBe('open');
    expect(notifier.reportingCalls).toEqual([]);
  });

  it('rejects malformed reports naming the field, and stores nothing', async () => {
    const a = await obligation('pa-vag', 'quarterly', '2026-06-30');
    const path = linkPath(a.id, '/api/v1/submissions');
    const before = await counts();
    const cases: [string, { json?: unknown; body?: string; headers?: Record<string, string> }, string[]][] = [
      ['not JSON', { body: '{"figures": ', headers: { 'content-type': 'application/json' } }, ['(body)']],
      ['no body', {}, ['(body)']],
      ['an array', { json: [valid] }, ['(body)']],
      ['a negative figure', { json: { ...valid, figures: { participantsActive: -3 } } }, ['figures.participantsActive']],
      ['a fraction', { json: { ...valid, figures: { participantsNew: 1.5 } } }, ['figures.participantsNew']],
      ['a figure as text', { json: { ...valid, figures: { costsToDate: '1000' } } }, ['figures.costsToDate']],
      ['an unknown figure', { json: { ...valid, figures: { participantsNamed: 1 } } }, ['figures.participantsNamed']],
      ['a personnummer in the text', { json: { ...valid, narrative: 'Deltagaren 19900101-1234 har fått arbete.' } }, ['narrative']],
      ['a short personnummer', { json: { ...valid, narrative: 'Deltagaren 900101-1234 har fått arbete.' } }, ['narrative']],
      ['an empty text', { json: { ...valid, narrative: '   ' } }, ['narrative']],
      ['an unknown field', { json: { ...valid, participant: 'Anna' } }, ['participant']],
    ];
    for (const [what, req, fields] of cases) {
      const r = await call(path, { method: 'POST', ...req });
      expect(r.status, what).toBe(400);
      expect(r.json.error.status, what).toBe(400);
      expect(fieldsOf(r), what).toEqual(fields);
    }
    expect(await counts()).toEqual(before);
    expect((await db.prisma.reportingObligation.findUniqueOrThrow({ where: { id: a.id } })).status).toBe('open');
    expect(notifier.reportingCalls).toEqual([]);
  });

  it('stores a valid report: 201, obligation submitted, audited, workflow told, reminders gone', async () => {
    const a = await obligation('pa-vag', 'quarterly', '2026-06-30');
    const before = await counts();
    const r = await call(linkPath(a.id, '/api/v1/submissions'), { method: 'POST', json: valid });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ id: expect.any(String), obligationId: a.id, submittedAt: NOW.toISOString(), late: false, workflowNotified: true });

    const after = await counts();
    expect(after.submissions).toBe(before.submissions + 1);
    expect(after.open).toBe(before.open - 1);
    const stored = await db.prisma.submission.findUniqueOrThrow({ where: { id: r.json.id } });
    expect(stored).toMatchObject({ obligationId: a.id, late: false, figures: valid.figures, narrative: valid.narrative, submittedBy: valid.submittedBy });
    expect((await db.prisma.reportingObligation.findUniqueOrThrow({ where: { id: a.id } })).status).toBe('submitted');
    const events = await db.prisma.auditEvent.findMany({ where: { action: 'report.submitted', entityId: a.id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ forbundId: sydnarkeId, entityType: 'obligation', data: { submissionId: r.json.id, late: false } });
    expect(notifier.reportingCalls).toEqual([{ projectId: a.projectId, reason: expect.any(String) }]);

    const reminders = await call('/api/v1/forbund/sydnarke/planned-reminders?days=90&limit=200', { token: tokens.admin });
    expect(reminders.json.data.filter((x: Json) => x.obligation.id === a.id)).toEqual([]);
    const project = await call('/api/v1/forbund/sydnarke/projects/pa-vag', { token: tokens.board });
    expect(project.json.obligations.find((o: Json) => o.id === a.id)).toMatchObject({ status: 'submitted', overdue: false, submissions: [{ id: r.json.id, late: false }] });
  });

  it('accepts a late report and marks it late; the pending step and its escalation go away', async () => {
    const c = await obligation('pa-vag', 'quarterly', '2026-03-31');
    await db.prisma.escalation.create({ data: { forbundId: sydnarkeId, key: `obligation:${c.id}`, subjectType: 'obligation', subjectId: c.id, reason: 'overdue' } });
    const r = await call(linkPath(c.id, '/api/v1/submissions'), { method: 'POST', json: { figures: {}, narrative: 'Sen rapport.' } });
    expect(r.status).toBe(201);
    expect(r.json.late).toBe(true);
    expect((await db.prisma.submission.findUniqueOrThrow({ where: { id: r.json.id } })).late).toBe(true);
    expect(await db.prisma.escalation.findFirstOrThrow({ where: { subjectId: c.id } })).toMatchObject({ resolvedAt: NOW });
    expect(notifier.reportingCalls.map((x) => x.projectId)).toEqual([c.projectId]);
    const steps = await call('/api/v1/forbund/sydnarke/pending-steps?limit=200', { token: tokens.admin });
    expect(steps.json.data.filter((s: Json) => s.type === 'report').map((s: Json) => s.id)).not.toContain(c.id);
    // What waits now is the förbundschef's review before it is published.
    expect(steps.json.data.filter((s: Json) => s.type === 'review').map((s: Json) => s.id)).toContain(c.id);
  });

  it('lateness follows the Stockholm day: 00:30 on the day after the due date is late', async () => {
    const d = await obligation('mottagningsteamet', 'quarterly', '2026-03-31');
    expect(d.dueDate.toISOString().slice(0, 10)).toBe('2026-04-15');
    clock.now = new Date('2026-04-15T22:30:00Z'); // 16 April 00:30 in Stockholm
    const r = await call(linkPath(d.id, '/api/v1/submissions'), { method: 'POST', json: { figures: {}, narrative: 'Strax efter midnatt.' } });
    expect(r.status).toBe(201);
    expect(r.json.late).toBe(true);
  });

  it('a report is stored even when the workflow cannot be reached', async () => {
    const e = await obligation('mottagningsteamet', 'financial', '2026-03-31');
    notifier.reachable = false;
    const r = await call(linkPath(e.id, '/api/v1/submissions'), { method: 'POST', json: { figures: { costsToDate: 150000 }, narrative: 'Ekonomisk redovisning.' } });
    expect(r.status).toBe(201);
    expect(r.json.workflowNotified).toBe(false);
    expect((await db.prisma.reportingObligation.findUniqueOrThrow({ where: { id: e.id } })).status).toBe('submitted');
    expect(notifier.reportingCalls.map((x) => x.projectId)).toEqual([e.projectId]);
  });
});

describe('the submission link (HTML form)', () => {
  const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
  const post = (path: string, fields: Record<string, string>) => call(path, { method: 'POST', body: new URLSearchParams(fields).toString(), headers: FORM });
  /** The form fields marked invalid, in page order, and the fields' values as served. */
  const invalid = (html: string) => [...html.matchAll(/<(?:input|textarea)[^>]*?id="([^"]+)"[^>]*?aria-invalid="true"/g)].map((m) => m[1]);
  const valueOf = (html: string, id: string) => {
    const input = new RegExp(`<input[^>]*id="${id}"[^>]*value="([^"]*)"`).exec(html);
    if (input) return input[1];
    return new RegExp(`<textarea[^>]*id="${id}"[^>]*>([^<]*)</textarea>`).exec(html)?.[1];
  };
  /** A whole report as the form sends it, for a project with `goals` goals. */
  const filled = (goals: number, extra: Record<string, string> = {}) => ({
    'p-active-women': '14', 'p-active-men': '11', 'p-new-women': '3', 'p-new-men': '4', 'p-ended-women': '2', 'p-ended-men': '3',
    'p-toWork-women': '1', 'p-toWork-men': '2', 'p-toStudies-women': '1', 'p-toStudies-men': '0', costsToDate: '1 250 000',
    ...Object.fromEntries(Array.from({ length: goals }, (_, i) => [[`goal-${i}-women`, String(i)], [`goal-${i}-men`, '2'], [`goal-${i}-comment`, `Mål ${i + 1} går enligt plan.`]]).flat()),
    narrative: 'Gruppen har haft språkträning.\n\nFlera har fått praktik.',
    submittedBy: 'Anna Bylin',
    action: 'submit',
    ...extra,
  });

  it('shows a Swedish form with the project, the period, the due date and the goals, each with its inputs', async () => {
    const f = await obligation('framsteget', 'quarterly', '2026-03-31');
    const r = await call(linkPath(f.id));
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/text\/html/);
    expect(r.text).toContain('<html lang="sv">');
    expect(r.text).toContain('<h1>Kvartalsrapport 1\u00a0januari–31\u00a0mars\u00a02026</h1>');
    expect(r.text).toContain('<dt>Insats</dt><dd>Framsteget</dd>');
    expect(r.text).toContain('<dt>Förbund</dt><dd>Samordningsförbundet Sydnärke</dd>');
    expect(r.text).toContain('<dt>Sista dag</dt><dd>15\u00a0april\u00a02026</dd>');
    expect(r.text).toContain('den markeras som försenad');
    const goals = f.project.goals;
    expect(goals.length).toBeGreaterThan(1);
    goals.forEach((g, i) => {
      expect(r.text).toContain(`<legend>Mål ${i + 1}: ${g}</legend>`);
      for (const k of ['women', 'men', 'value', 'comment']) expect(r.text).toContain(`name="goal-${i}-${k}"`);
    });
    for (const row of ['active', 'new', 'ended', 'toWork', 'toStudies']) for (const g of ['women', 'men']) expect(r.text).toContain(`<label for="p-${row}-${g}">`);
    expect(r.text).toContain('name="costsToDate"');
    expect(r.text).toContain('>Lämna rapporten</button>');
    expect(r.text).toContain('>Spara utkast</button>');
    expect(r.text).not.toMatch(/<script/i);
    const bad = await call(`/submit/${f.id}?token=${tokenOf('other')}`);
    expect(bad.status).toBe(403);
  });

  it('a form post stores the report split by women and men, with each goal as it read; the receipt says what was received', async () => {
    const f = await obligation('framsteget', 'quarterly', '2026-03-31');
    const goals = f.project.goals;
    const r = await post(linkPath(f.id), filled(goals.length));
    expect(r.status).toBe(201);
    expect(r.type).toMatch(/text\/html/);
    expect(r.text).toContain('<h1>Tack – rapporten är mottagen</h1>');
    expect(r.text).toContain('kvartalsrapporten för Framsteget');
    expect(r.text).toContain('efter sista dag');
    expect(r.text).toContain('markerad som försenad');
    expect(r.text).toContain(`href="/submit/${f.id}?token=`);
    expect(r.text).toContain('Rätta rapporten');
    expect(r.text).toContain('<th scope="row">Deltagare aktiva under perioden</th><td>14</td><td>11</td><td>25</td>');
    expect(r.text).toContain('1\u00a0250\u00a0000\u00a0kr');
    const stored = await db.prisma.submission.findFirstOrThrow({ where: { obligationId: f.id } });
    expect(stored).toMatchObject({ narrative: 'Gruppen har haft språkträning.\n\nFlera har fått praktik.', submittedBy: 'Anna Bylin', late: true, version: 1 });
    expect(stored.figures).toEqual({
      participants: { active: { women: 14, men: 11 }, new: { women: 3, men: 4 }, ended: { women: 2, men: 3 }, toWork: { women: 1, men: 2 }, toStudies: { women: 1, men: 0 } },
      costsToDate: 1250000,
      goals: goals.map((goal, i) => ({ goal, women: i, men: 2, comment: `Mål ${i + 1} går enligt plan.` })),
    });
    expect((await db.prisma.reportingObligation.findUniqueOrThrow({ where: { id: f.id } })).status).toBe('submitted');
    expect(notifier.reportingCalls.map((x) => x.projectId)).toEqual([f.projectId]);
    // Opening the link again: the report is in, version 1, filled in to correct.
    const again = await call(linkPath(f.id));
    expect(again.text).toContain('Rapporten är redan inlämnad</strong> (version 1)');
    expect(again.text).toContain('version 2');
    expect(valueOf(again.text, 'p-active-women')).toBe('14');
    expect(valueOf(again.text, 'goal-0-comment')).toBe('Mål 1 går enligt plan.');
    expect(again.text).toContain('>Lämna rättelsen</button>');
  });

  it('a correction is a new version; the first is kept, the workflow is told (it sends the coordinator\'s receipt)', async () => {
    const f = await obligation('framsteget', 'quarterly', '2026-03-31');
    const goals = f.project.goals;
    notifier.reset();
    const r = await post(linkPath(f.id), filled(goals.length, { 'p-active-women': '15', narrative: 'Rättad: femton kvinnor.' }));
    expect(r.status).toBe(201);
    expect(r.text).toContain('version 2 (en rättelse)');
    const versions = await db.prisma.submission.findMany({ where: { obligationId: f.id }, orderBy: { version: 'asc' } });
    expect(versions.map((v) => [v.version, v.narrative])).toEqual([[1, 'Gruppen har haft språkträning.\n\nFlera har fått praktik.'], [2, 'Rättad: femton kvinnor.']]);
    expect((versions[1].figures as Json).participants.active).toEqual({ women: 15, men: 11 });
    expect(await db.prisma.auditEvent.count({ where: { action: 'report.corrected', entityId: f.id } })).toBe(1);
    expect(notifier.reportingCalls).toEqual([{ projectId: f.projectId, reason: 'report corrected' }]);
    // The official reads each version.
    const list = await call(`/api/v1/forbund/sydnarke/obligations/${f.id}/submissions`, { token: tokens.admin });
    expect(list.json.data.map((x: Json) => x.version)).toEqual([1, 2]);
  });

  it('a bad form post comes back (400) with each problem next to its field, what was typed kept, nothing stored', async () => {
    const g = await obligation('framsteget', 'financial', '2026-03-31');
    const goals = g.project.goals;
    const before = await counts();
    const r = await post(linkPath(g.id), filled(goals.length, { 'p-active-women': '12,5', 'p-new-men': '', 'p-toWork-men': '9', 'goal-1-women': '', 'goal-1-men': '', 'goal-1-comment': '', 'goal-2-comment': 'Kontakt med 19900101-1234', narrative: '  ' }));
    expect(r.status).toBe(400);
    expect(r.type).toMatch(/text\/html/);
    expect(invalid(r.text)).toEqual(['goal-1-comment', 'goal-2-comment', 'p-active-women', 'p-new-men', 'p-toWork-men', 'narrative']);
    expect(r.text).toContain('<h2 id="felrubrik">Något behöver rättas</h2>');
    expect(r.text).toContain('<a href="#p-active-women">Deltagare aktiva under perioden, kvinnor: Skriv ett heltal');
    expect(r.text).toContain('<p class="error" id="p-active-women-fel"><span class="vh">Fel: </span>Skriv ett heltal, 0 eller större, med bara siffror.</p>');
    expect(r.text).toMatch(/id="p-active-women"[^>]*aria-describedby="p-active-women-fel"/);
    expect(r.text).toContain('Ange både kvinnor och män');
    expect(r.text).toContain('Fler än avslutade deltagare under perioden (män: 3).');
    expect(r.text).toContain('Ange utfallet för målet eller skriv en kommentar om det.');
    expect(r.text).toContain('ser ut att innehålla ett personnummer');
    expect(valueOf(r.text, 'p-active-women')).toBe('12,5');
    expect(valueOf(r.text, 'p-toWork-men')).toBe('9');
    expect(valueOf(r.text, 'goal-2-comment')).toBe('Kontakt med 19900101-1234');
    expect(await counts()).toEqual(before);
    const empty = await call(linkPath(g.id), { method: 'POST' });
    expect(empty.status).toBe(400);
    expect(invalid(empty.text)).toContain('narrative');
    const emptyBadToken = await call(`/submit/${g.id}?token=nope`, { method: 'POST' });
    expect(emptyBadToken.status).toBe(403);
    expect(await counts()).toEqual(before);
    expect(notifier.reportingCalls).toEqual([]);
  });

  it('"Spara utkast" saves a draft (nothing required), shown filled in when the link opens again; submitting clears it', async () => {
    const g = await obligation('framsteget', 'financial', '2026-09-30');
    const before = await counts();
    // Answered with a redirect (303) to the form, which fetch follows.
    const saved = await post(linkPath(g.id), { 'p-active-women': '7', 'goal-0-comment': 'Halvvägs.', narrative: '', action: 'draft' });
    expect(saved.status).toBe(200);
    expect(saved.text).toContain('Utkastet är sparat');
    expect(await counts()).toEqual(before);
    const draft = await db.prisma.submissionDraft.findUniqueOrThrow({ where: { obligationId: g.id } });
    expect(draft.content).toMatchObject({ figures: { participants: { active: { women: 7 } } }, narrative: '' });
    const page = await call(linkPath(g.id) + '&sparat=1');
    expect(page.text).toContain('Utkastet är sparat');
    const opened = await call(linkPath(g.id));
    expect(opened.text).toContain('Du har ett sparat utkast från');
    expect(valueOf(opened.text, 'p-active-women')).toBe('7');
    expect(valueOf(opened.text, 'goal-0-comment')).toBe('Halvvägs.');
    // A draft is checked loosely: a wrong number or a personnummer is still refused.
    const bad = await post(linkPath(g.id), { 'p-active-women': 'sju', narrative: 'Deltagare 850312-1234', action: 'draft' });
    expect(bad.status).toBe(400);
    expect(invalid(bad.text)).toEqual(['p-active-women', 'narrative']);
    expect((await db.prisma.submissionDraft.findUniqueOrThrow({ where: { obligationId: g.id } })).content).toEqual(draft.content);
    const r = await post(linkPath(g.id), filled(g.project.goals.length));
    expect(r.status).toBe(201);
    expect(await db.prisma.submissionDraft.count({ where: { obligationId: g.id } })).toBe(0);
  });

  it('a locked report shows its latest version and takes nothing', async () => {
    const f = await obligation('framsteget', 'quarterly', '2026-03-31');
    expect((await call(`/api/v1/forbund/sydnarke/obligations/${f.id}/lock`, { token: tokens.admin, method: 'POST' })).status).toBe(200);
    const page = await call(linkPath(f.id));
    expect(page.status).toBe(200);
    expect(page.text).toContain('Rapporten är låst');
    expect(page.text).not.toContain('<form');
    expect(page.text).toContain('Rättad: femton kvinnor.');
    const before = await counts();
    const r = await post(linkPath(f.id), filled(f.project.goals.length));
    expect(r.status).toBe(409);
    const d = await post(linkPath(f.id), { narrative: 'x', action: 'draft' });
    expect(d.status).toBe(409);
    expect(await counts()).toEqual(before);
  });
});

describe('drafts and figures by women and men (JSON)', () => {
  it('PUT draft stores a partial report, GET returns it with the goals, POST validates and clears it', async () => {
    const o = await obligation('framsteget', 'halfYear', '2026-06-30');
    const path = linkPath(o.id, '/api/v1/submissions');
    const draftPath = `/api/v1/submissions/${o.id}/draft?token=${tokenOf(o.id)}`;
    // A draft is one of the förbund's rows: saving it bumps the förbund's data version (the draft's trigger).
    const version = async () => BigInt((await db.sql.query<{ version: string }>('SELECT version FROM "DataVersion" WHERE "forbundId" = $1', [sydnarkeId]))[0].version);
    const v0 = await version();
    const put = await call(draftPath, { method: 'PUT', json: { figures: { participants: { active: { women: 4 } } }, narrative: 'Påbörjad.' } });
    expect(put.status).toBe(200);
    expect(await version()).toBe(v0 + 1n);
    const v1 = await version();
    await db.prisma.submissionDraft.update({ where: { obligationId: o.id }, data: { savedAt: NOW } });
    expect(await version()).toBe(v1 + 1n);
    expect(put.json).toEqual({ obligationId: o.id, savedAt: NOW.toISOString() });
    const got = await call(path);
    expect(got.json.project.goals).toEqual(o.project.goals);
    expect(got.json.draft).toMatchObject({ savedAt: NOW.toISOString(), figures: { participants: { active: { women: 4 } } }, narrative: 'Påbörjad.' });
    expect(got.json.latest).toBeNull();
    expect(Object.keys(got.json.participantRows)).toEqual(['active', 'new', 'ended', 'toWork', 'toStudies']);

    const badDraft = await call(draftPath, { method: 'PUT', json: { figures: { participants: { active: { women: -1 } } }, narrative: 'Ring 19900101-1234' } });
    expect(badDraft.status).toBe(400);
    expect(fieldsOf(badDraft)).toEqual(['figures.participants.active.women', 'narrative']);

    const before = await counts();
    const goals = o.project.goals.map(() => ({ women: 1, men: 1 }));
    const bad = await call(path, { method: 'POST', json: { figures: { participants: { active: { women: 4 }, toWork: { women: 5, men: 0 }, ended: { women: 2, men: 0 } }, goals: goals.slice(1) }, narrative: 'x' } });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad)).toEqual(['figures.participants.active.men', 'figures.participants.toWork.women', 'figures.goals']);
    const both = await call(path, { method: 'POST', json: { figures: { participantsActive: 4, participants: { active: { women: 4, men: 0 } } }, narrative: 'x' } });
    expect(fieldsOf(both)).toEqual(['figures.participantsActive']);
    expect(await counts()).toEqual(before);
    expect(await db.prisma.submissionDraft.count({ where: { obligationId: o.id } })).toBe(1);

    const ok = await call(path, { method: 'POST', json: { figures: { participants: { active: { women: 4, men: 5 } }, costsToDate: 1000, goals }, narrative: 'Klart.' } });
    expect(ok.status).toBe(201);
    expect(await db.prisma.submissionDraft.count({ where: { obligationId: o.id } })).toBe(0);
    const stored = await db.prisma.submission.findUniqueOrThrow({ where: { id: ok.json.id } });
    expect((stored.figures as Json).goals[0]).toEqual({ goal: o.project.goals[0], women: 1, men: 1 });
    expect((await call(path)).json.latest).toMatchObject({ version: 1, narrative: 'Klart.' });
  });

  it('a draft for another report, or without a token, is refused; nothing is stored', async () => {
    const a = await obligation('pa-vag', 'quarterly', '2026-09-30');
    const b = await obligation('mottagningsteamet', 'quarterly', '2026-09-30');
    expect((await call(`/api/v1/submissions/${b.id}/draft?token=${tokenOf(a.id)}`, { method: 'PUT', json: { figures: {}, narrative: '' } })).status).toBe(403);
    expect((await call(`/api/v1/submissions/${b.id}/draft`, { method: 'PUT', json: { figures: {}, narrative: '' } })).status).toBe(403);
    expect(await db.prisma.submissionDraft.count({ where: { obligationId: b.id } })).toBe(0);
  });
});

describe("the coordinator's calendar feed of report due dates", () => {
  it('has an all-day event per report with its link, a stable UID, SEQUENCE rising when the due date moves; a withdrawn report is cancelled', async () => {
    const p = await db.prisma.project.findFirstOrThrow({ where: { forbundId: sydnarkeId, key: 'mottagningsteamet' }, include: { obligations: { orderBy: { dueDate: 'asc' } } } });
    const url = new URL(projectFeedLink(PUBLIC_BASE, LINK_SECRET, p.id));
    const feedPath = `${url.pathname}${url.search}`;
    const parse = (text: string) => new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    const r = await call(feedPath);
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/text\/calendar/);
    const events = parse(r.text);
    expect(events).toHaveLength(p.obligations.length);
    const open = p.obligations.find((o) => o.status === 'open' && o.kind === 'quarterly' && o.dueDate.toISOString() > '2026-05-01')!;
    const ev = events.find((x) => x.uid === `report-${open.id}@arscykel`)!;
    expect(ev.startDate.isDate).toBe(true);
    expect(ev.startDate.toString()).toBe(open.dueDate.toISOString().slice(0, 10));
    expect(ev.summary).toMatch(/^Sista dag: kvartalsrapport .+ – Mottagningsteamet$/);
    expect(ev.description).toContain(submissionLink(PUBLIC_BASE, LINK_SECRET, open.id));
    expect(ev.component.getFirstPropertyValue('url')).toBe(submissionLink(PUBLIC_BASE, LINK_SECRET, open.id));
    expect(ev.sequence).toBe(0);

    const moved = await call(`/api/v1/forbund/sydnarke/obligations/${open.id}`, { token: tokens.admin, method: 'PATCH', json: { dueDate: '2026-08-20' } });
    expect(moved.status).toBe(200);
    const after = parse((await call(feedPath)).text).find((x) => x.uid === `report-${open.id}@arscykel`)!;
    expect(after.sequence).toBe(1);
    expect(after.startDate.toString()).toBe('2026-08-20');

    // Withdrawn: the open reports stay in the feed as cancelled, their SEQUENCE one higher.
    expect((await call('/api/v1/forbund/sydnarke/projects/mottagningsteamet/withdraw', { token: tokens.admin, method: 'POST' })).status).toBe(200);
    const withdrawn = parse((await call(feedPath)).text).find((x) => x.uid === `report-${open.id}@arscykel`)!;
    expect(withdrawn.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(withdrawn.sequence).toBe(2);
    const submitted = p.obligations.find((o) => o.status === 'submitted');
    if (submitted) expect(parse((await call(feedPath)).text).find((x) => x.uid === `report-${submitted.id}@arscykel`)!.summary).toMatch(/^Inlämnad: /);

    // Another project's token does not open it.
    const other = new URL(projectFeedLink(PUBLIC_BASE, LINK_SECRET, 'other'));
    expect((await call(`${url.pathname}${other.search}`)).status).toBe(403);
    expect((await call(url.pathname)).status).toBe(403);
  });
});

describe('PATCH obligations/:id (re-dating)', () => {
  it('an admin moves the due date; the workflow is told and the reminders follow', async () => {
    const h = await obligation('framsteget', 'quarterly', '2026-06-30');
    const r = await call(`/api/v1/forbund/sydnarke/obligations/${h.id}`, { token: tokens.admin, method: 'PATCH', json: { dueDate: '2026-07-22' } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ id: h.id, dueDate: '2026-07-22', status: 'open', workflowNotified: true });
    expect((await db.prisma.reportingObligation.findUniqueOrThrow({ where: { id: h.id } })).dueDate.toISOString()).toBe('2026-07-22T00:00:00.000Z');
    expect(notifier.reportingCalls).toEqual([{ projectId: h.projectId, reason: expect.any(String) }]);
    const ev = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'obligation.redated', entityId: h.id } });
    expect(ev.data).toEqual({ from: '2026-07-15', to: '2026-07-22' });
    expect(ev.actor).toContain('official');
    const reminders = await call('/api/v1/forbund/sydnarke/planned-reminders?days=90&limit=200', { token: tokens.admin });
    expect(reminders.json.data.filter((x: Json) => x.obligation.id === h.id).map((x: Json) => x.at)[0]).toBe('2026-07-08T06:00:00.000Z');
  });

  it('refuses the secretary, a bad date, unknown fields, a date before the period ends and a submitted report', async () => {
    const h = await obligation('framsteget', 'quarterly', '2026-09-30');
    const submitted = await obligation('pa-vag', 'quarterly', '2026-06-30');
    const url = `/api/v1/forbund/sydnarke/obligations/${h.id}`;
    const sec = await call(url, { token: tokens.secretary, method: 'PATCH', json: { dueDate: '2026-10-20' } });
    expect(sec.status).toBe(403);
    expect((await call(url, { token: tokens.board, method: 'PATCH', json: { dueDate: '2026-10-20' } })).status).toBe(403);
    const cases: [unknown, number, string[]][] = [
      [{ dueDate: '2026-02-30' }, 400, ['dueDate']],
      [{ dueDate: '2026-13-01' }, 400, ['dueDate']],
      [{ dueDate: '20 oktober' }, 400, ['dueDate']],
      [{ dueDate: 20261020 }, 400, ['dueDate']],
      [{}, 400, ['dueDate']],
      [{ dueDate: '2026-10-20', status: 'submitted' }, 400, ['status']],
      [[], 400, ['(body)']],
      [{ dueDate: '2026-09-01' }, 400, ['dueDate']],
    ];
    for (const [json, status, fields] of cases) {
      const r = await call(url, { token: tokens.admin, method: 'PATCH', json });
      expect(r.status, JSON.stringify(json)).toBe(status);
      expect(fieldsOf(r), JSON.stringify(json)).toEqual(fields);
    }
    const done = await call(`/api/v1/forbund/sydnarke/obligations/${submitted.id}`, { token: tokens.admin, method: 'PATCH', json: { dueDate: '2026-07-30' } });
    expect(done.status).toBe(409);
    expect(fieldsOf(done)).toEqual(['dueDate']);
    // Another förbund's admin cannot reach it, neither through its own förbund nor through this one.
    expect((await call(`/api/v1/forbund/sofint/obligations/${h.id}`, { token: tokens.sofintAdmin, method: 'PATCH', json: { dueDate: '2026-10-20' } })).status).toBe(404);
    expect((await call(url, { token: tokens.sofintAdmin, method: 'PATCH', json: { dueDate: '2026-10-20' } })).status).toBe(403);
    expect((await db.prisma.reportingObligation.findUniqueOrThrow({ where: { id: h.id } })).dueDate.toISOString().slice(0, 10)).toBe('2026-10-15');
    expect(notifier.reportingCalls).toEqual([]);
  });
});

describe('POST projects/:key/withdraw', () => {
  it('withdraws the open reports, keeps submitted ones and tells the workflow', async () => {
    const submittedFirst = await obligation('ledarskapsutbildning', 'quarterly', '2026-03-31');
    const s = await call(linkPath(submittedFirst.id, '/api/v1/submissions'), { method: 'POST', json: { figures: {}, narrative: 'Utbildningen har startat.' } });
    expect(s.status).toBe(201);
    notifier.reset();

    expect((await call('/api/v1/forbund/sydnarke/projects/ledarskapsutbildning/withdraw', { token: tokens.secretary, method: 'POST' })).status).toBe(403);
    expect(notifier.reportingCalls).toEqual([]);
    expect((await call('/api/v1/forbund/sydnarke/projects/finns-inte/withdraw', { token: tokens.admin, method: 'POST' })).status).toBe(404);

    const r = await call('/api/v1/forbund/sydnarke/projects/ledarskapsutbildning/withdraw', { token: tokens.admin, method: 'POST' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ key: 'ledarskapsutbildning', status: 'withdrawn', workflowNotified: true });
    expect(notifier.reportingCalls).toEqual([{ projectId: submittedFirst.projectId, reason: expect.any(String) }]);

    const obligations = await db.prisma.reportingObligation.findMany({ where: { projectId: submittedFirst.projectId } });
    expect(obligations.filter((o) => o.status === 'open')).toEqual([]);
    expect(obligations.find((o) => o.id === submittedFirst.id)!.status).toBe('submitted');
    expect(obligations.filter((o) => o.status === 'withdrawn').length).toBe(obligations.length - 1);
    expect(await db.prisma.auditEvent.count({ where: { action: 'project.withdrawn', entityId: submittedFirst.projectId } })).toBe(1);

    const steps = await call('/api/v1/forbund/sydnarke/pending-steps?limit=200', { token: tokens.admin });
    expect(steps.json.data.filter((x: Json) => x.links?.project?.endsWith('/ledarskapsutbildning'))).toEqual([]);
    const reminders = await call('/api/v1/forbund/sydnarke/planned-reminders?days=365&limit=200', { token: tokens.admin });
    expect(reminders.json.data.filter((x: Json) => x.project.key === 'ledarskapsutbildning')).toEqual([]);
    const project = await call('/api/v1/forbund/sydnarke/projects/ledarskapsutbildning', { token: tokens.board });
    expect(project.json.status).toBe('withdrawn');

    // The coordinator's link of a withdrawn report takes nothing.
    notifier.reset();
    const open = obligations.find((o) => o.status === 'withdrawn')!;
    const before = await counts();
    const late = await call(linkPath(open.id, '/api/v1/submissions'), { method: 'POST', json: { figures: {}, narrative: 'Ändå.' } });
    expect(late.status).toBe(409);
    expect(await counts()).toEqual(before);
    expect(notifier.reportingCalls).toEqual([]);
  });
});

describe('OpenAPI', () => {
  const toOpenApi = (p: string) => p.replace(/:(\w+)/g, '{$1}');

  it('serves the document', async () => {
    const r = await call('/api/v1/openapi.json');
    expect(r.status).toBe(200);
    expect(r.json.openapi).toMatch(/^3\.1/);
    expect(r.json.servers).toEqual([{ url: PUBLIC_BASE }]);
    expect(Object.keys(r.json.paths)).toContain('/api/v1/forbund/{forbund}/pending-steps');
  });

  /** Every route express serves, as "METHOD /openapi/{path}", from the router stacks. */
  function servedRoutes(): Set<string> {
    const out = new Set<string>();
    type Layer = { route?: { path: string | string[]; methods: Record<string, boolean> }; handle?: { stack?: Layer[] }; rawPath?: unknown };
    const walk = (stack: Layer[], prefix: string) => {
      for (const layer of stack) {
        if (layer.route) {
          for (const p of ([] as string[]).concat(layer.route.path)) {
            for (const [m, on] of Object.entries(layer.route.methods)) if (on && m !== '_all') out.add(`${m.toUpperCase()} ${toOpenApi(prefix + p)}`);
          }
        } else if (layer.handle?.stack) {
          // Express 5 (router 2.x) keeps the mount path of a nested router as rawPath.
          expect(typeof layer.rawPath, 'mount path of a nested router').toBe('string');
          const mount = layer.rawPath as string;
          walk(layer.handle.stack, prefix + (mount === '/' ? '' : mount));
        }
      }
    };
    walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
    return out;
  }

  it('documents every route express serves, and serves every documented route', async () => {
    const doc = (await call('/api/v1/openapi.json')).json;
    const documented = new Set<string>();
    for (const [p, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const m of Object.keys(ops)) if (['get', 'put', 'post', 'patch', 'delete', 'head', 'options'].includes(m)) documented.add(`${m.toUpperCase()} ${p}`);
    }
    const served = servedRoutes();
    expect(served.size).toBeGreaterThan(5);
    expect([...served].filter((r) => !documented.has(r)), 'served but not documented').toEqual([]);
    expect([...documented].filter((r) => !served.has(r)), 'documented but not served').toEqual([]);
  });

  it('over HTTP: no documented route answers "no route", undocumented ones do', async () => {
    const doc = (await call('/api/v1/openapi.json')).json;
    const isNoRoute = (r: { status: number; json: Json }) => r.status === 404 && /^no route /.test(r.json?.error?.message ?? '');
    for (const [p, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      // Nonexistent ids: probes must not change anything.
      const path = p.replace('{forbund}', 'sydnarke').replace(/\{(\w+)\}/g, 'probe-$1');
      for (const m of Object.keys(ops)) {
        const r = await call(path, { method: m.toUpperCase(), token: tokens.admin, ...(['post', 'patch', 'put'].includes(m) ? { json: {} } : {}) });
        expect(isNoRoute(r), `${m.toUpperCase()} ${p} → ${r.status} ${r.text.slice(0, 120)}`).toBe(false);
      }
    }
    for (const [method, path] of [
      ['GET', '/api/v1/forbund/sydnarke/nothing-here'],
      ['DELETE', '/api/v1/forbund/sydnarke/projects/pa-vag'],
      ['PUT', '/api/v1/forbund/sydnarke/obligations/x'],
      ['DELETE', '/api/v1/submissions/x'],
      ['GET', '/api/v2/openapi.json'],
      ['GET', '/'],
    ]) {
      const r = await call(path, { method, token: tokens.admin });
      expect(isNoRoute(r), `${method} ${path} → ${r.status} ${r.text.slice(0, 120)}`).toBe(true);
      expect(r.json.error.status).toBe(404);
    }
    expect(notifier.reportingCalls).toEqual([]);
  });
});
