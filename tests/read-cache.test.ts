// What the API keeps ready per förbund stays right: every write to a förbund's rows bumps its data
// version in the same transaction (triggers), a process hears the bump (LISTEN/NOTIFY) without
// asking, and what it serves again changes the moment the data does: after its own writes at
// once, after another process's as soon as the commit is announced. Real database (PGlite, or
// PostgreSQL when TEST_DATABASE_URL is set, where "another process" is a second connection pool).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import { createApiToken } from '../api/auth.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import { openDatabase, type Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { submissionLink } from '../services/links.js';
import { dataVersions, readCache } from '../services/read-cache.js';
import { createSession } from '../services/sessions.js';
import { sessionCookieName } from '../api/admin-session.js';
import { serverDatabaseUrl, serverUrl } from './support/database.js';
import { apiCaller, serve } from './support/http.js';
import { RecordingNotifier } from './support/notifier.js';
import { eventually } from './support/temporal.js';

const NOW = new Date('2026-04-20T08:00:00Z');
const PUBLIC_BASE = 'https://arscykel.example';
const LINK_SECRET = 'read-cache-secret';
const load = (name: string) => parseForbundFile(readFileSync(`examples/${name}`, 'utf8'), name);

let db: Database;
/** Another process writing to the same database (on PGlite, which has one process, the same one). */
let other: Database;
let drop: (() => Promise<void>) | undefined;
let queries = 0;
let syd: string;
let sof: string;

const versionOf = async (forbundId: string) =>
  BigInt((await db.sql.query<{ version: string }>('SELECT version FROM "DataVersion" WHERE "forbundId" = $1', [forbundId]))[0].version);

beforeAll(async () => {
  if (serverUrl) {
    const created = await serverDatabaseUrl();
    drop = created.drop;
    db = await openDatabase({ url: created.url });
    other = await openDatabase({ url: created.url }, { migrate: false });
  } else {
    db = other = await openDatabase({ memory: true });
  }
  const query = db.sql.query.bind(db.sql);
  db.sql.query = ((text: string, params?: unknown[]) => {
    if (text.includes('"DataVersion"')) queries++;
    return query(text, params);
  }) as typeof db.sql.query;
  syd = (await importForbund(db.prisma, load('sydnarke.yaml'), { year: 2026, actor: 'test' })).forbundId;
  sof = (await importForbund(db.prisma, load('sofint.yaml'), { actor: 'test' })).forbundId;
  // In Årscykel since before the test's clock (the import's go-live is the real today): its reports are pending steps.
  await db.prisma.forbund.update({ where: { id: syd }, data: { goLiveOn: new Date('2000-01-01T00:00:00Z') } });
  await db.prisma.reportingObligation.updateMany({ where: { project: { forbundId: syd } }, data: { createdAt: new Date('2000-01-01T00:00:00Z') } });
});

afterAll(async () => {
  if (other !== db) await other?.close();
  await db?.close();
  await drop?.();
});

describe('data versions', () => {
  it('a write to any of a förbund’s rows bumps its version and no other förbund’s; the audit trail does not', async () => {
    const bumps = async (write: () => Promise<unknown>) => {
      const before = [await versionOf(syd), await versionOf(sof)];
      await write();
      return [Number((await versionOf(syd)) - before[0]), Number((await versionOf(sof)) - before[1])];
    };
    const o = await db.prisma.reportingObligation.findFirstOrThrow({ where: { project: { forbundId: syd } } });
    expect(await bumps(() => db.prisma.reportingObligation.update({ where: { id: o.id }, data: { dueDate: o.dueDate } }))).toEqual([1, 0]);
    expect(await bumps(() => db.prisma.submission.create({ data: { obligationId: o.id, version: 99, figures: {}, narrative: 'x', submittedBy: 'test', late: false } }))).toEqual([1, 0]);
    const m = await db.prisma.bodyMembership.findFirstOrThrow({ where: { body: { forbundId: sof } } });
    expect(await bumps(() => db.prisma.bodyMembership.update({ where: { id: m.id }, data: { role: m.role } }))).toEqual([0, 1]);
    expect(await bumps(() => db.prisma.forbund.update({ where: { id: sof }, data: { name: 'Sofint' } }))).toEqual([0, 1]);
    // One statement over many rows is one bump.
    expect(await bumps(() => db.prisma.person.updateMany({ where: { forbundId: syd }, data: { roles: { push: [] } } }))).toEqual([1, 0]);
    expect(await bumps(() => db.prisma.person.updateMany({ where: { forbundId: syd, key: 'nobody' }, data: { name: 'x' } }))).toEqual([0, 0]);
    expect(await bumps(() => db.prisma.auditEvent.create({ data: { forbundId: syd, actor: 'test', action: 'test', entityType: 'test', entityId: 'x', data: {} } }))).toEqual([0, 0]);
  });

  it('a listening process learns a version once and then hears every bump, also another process’s, without asking', async () => {
    const versions = dataVersions(db);
    // Listening starts in the background; until then each call asks.
    await eventually(async () => {
      const asked = queries;
      await versions.of(syd);
      await versions.of(syd);
      expect(queries).toBe(asked);
    });
    const asked = queries;
    const before = await versions.of(syd);
    await other.prisma.project.updateMany({ where: { forbundId: syd }, data: { status: 'active' }, });
    await other.prisma.milestone.updateMany({ where: { forbundId: syd }, data: { sequence: { increment: 0 } } });
    await eventually(async () => expect(await versions.of(syd)).toBe(before + 2n));
    expect(queries).toBe(asked);
    expect(await versions.of(syd)).toBe(await versionOf(syd));
  });

  it('a computation runs once per förbund, key and version, and again after a write', async () => {
    const reads = readCache(dataVersions(db));
    let runs = 0;
    const compute = async () => ++runs;
    expect(await Promise.all([reads.get(syd, 'k', compute), reads.get(syd, 'k', compute)])).toEqual([1, 1]);
    expect(await reads.get(syd, 'k', compute)).toBe(1);
    expect(await reads.get(sof, 'k', compute)).toBe(2);
    await other.prisma.meeting.updateMany({ where: { forbundId: syd }, data: { sequence: { increment: 0 } } });
    await eventually(async () => expect(await reads.get(syd, 'k', compute)).toBe(3));
    expect(await reads.get(sof, 'k', compute)).toBe(2);
  });
});

describe('the API serves what it keeps ready, and never what has changed', () => {
  let served: Awaited<ReturnType<typeof serve>>;
  let admin: string;
  const call = apiCaller(() => served.base);

  beforeAll(async () => {
    admin = await createApiToken(db.prisma, { forbundId: syd, name: 'official', role: 'admin' });
    const app = createApp({ prisma: db.prisma, versions: dataVersions(db), notifier: new RecordingNotifier(), publicBaseUrl: PUBLIC_BASE, linkSecret: LINK_SECRET, now: () => NOW });
    served = await serve(app);
  });
  afterAll(() => served?.close());

  const reportSteps = async () => {
    const r = await call('/api/v1/forbund/sydnarke/pending-steps?limit=100', { token: admin });
    expect(r.status).toBe(200);
    return { ids: (r.json.data as { type: string; id: string }[]).filter((s) => s.type === 'report').map((s) => s.id), etag: r.text };
  };

  it('pending steps: the same answer again until a report comes in through the link, then at once without it', async () => {
    const first = await reportSteps();
    expect(first.ids.length).toBeGreaterThan(0);
    expect((await reportSteps()).etag).toBe(first.etag);
    const id = first.ids[0];
    const u = new URL(submissionLink(PUBLIC_BASE, LINK_SECRET, id));
    const submitted = await call(`/api/v1/submissions/${id}${u.search}`, { method: 'POST', json: { figures: {}, narrative: 'Rapporten.' } });
    expect(submitted.status).toBe(201);
    expect((await reportSteps()).ids).not.toContain(id);
  });

  it('pending steps: a report closed by another process leaves the list as soon as its commit is announced', async () => {
    const { ids } = await reportSteps();
    await other.prisma.reportingObligation.update({ where: { id: ids[0] }, data: { status: 'submitted' } });
    await eventually(async () => expect((await reportSteps()).ids).not.toContain(ids[0]), 5000);
  });

  it('a client that has the page gets 304', async () => {
    const r = await fetch(`${served.base}/api/v1/forbund/sydnarke/pending-steps?limit=5`, { headers: { authorization: `Bearer ${admin}` } });
    const etag = r.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    // (fetch would add "Cache-Control: no-cache" to a conditional request; a calendar client does not)
    const again = await fetch(`${served.base}/api/v1/forbund/sydnarke/pending-steps?limit=5`, { headers: { authorization: `Bearer ${admin}`, 'if-none-match': etag, 'cache-control': 'max-age=0' } });
    expect(again.status).toBe(304);
  });

  it('a token revoked by another process is refused as soon as its commit is announced, though it was known', async () => {
    const token = await createApiToken(db.prisma, { forbundId: syd, name: 'short-lived', role: 'secretary' });
    expect((await call('/api/v1/forbund/sydnarke/pending-steps', { token })).status).toBe(200);
    await other.prisma.apiToken.updateMany({ where: { name: 'short-lived' }, data: { revokedAt: NOW } });
    await eventually(async () => expect((await call('/api/v1/forbund/sydnarke/pending-steps', { token })).status).toBe(401), 5000);
  });

  describe('a signed-in person, kept for the minute after they were last seen', () => {
    const page = async (secret: string) => {
      const r = await fetch(`${served.base}/admin`, { headers: { cookie: `${sessionCookieName(PUBLIC_BASE)}=${secret}` }, redirect: 'manual' });
      await r.arrayBuffer();
      return r.status;
    };
    const signIn = async (key: string) => {
      const p = await db.prisma.person.findFirstOrThrow({ where: { forbundId: syd, key } });
      return { person: p, ...(await createSession(db.prisma, { email: p.email, via: 'email-link', now: NOW })) };
    };

    it('is signed out at once by the official ending the session in another process', async () => {
      const official = await db.prisma.person.findFirstOrThrow({ where: { forbundId: syd, roles: { has: 'official' } } });
      const { row, secret } = await signIn(official.key);
      expect(await page(secret)).toBe(200);
      expect(await page(secret)).toBe(200);
      await other.prisma.personSession.updateMany({ where: { id: row.id }, data: { revokedAt: NOW, revokedBy: 'test' } });
      await eventually(async () => expect(await page(secret)).toBe(303), 5000);
    });

    it('loses the pages at once when another process takes the role away', async () => {
      const secretary = await db.prisma.person.findFirstOrThrow({ where: { forbundId: syd, roles: { has: 'secretary' }, NOT: { roles: { has: 'official' } } } });
      const { secret } = await signIn(secretary.key);
      expect(await page(secret)).toBe(200);
      await other.prisma.person.update({ where: { id: secretary.id }, data: { roles: secretary.roles.filter((r) => r !== 'secretary') } });
      try {
        await eventually(async () => expect(await page(secret)).not.toBe(200), 5000);
      } finally {
        await db.prisma.person.update({ where: { id: secretary.id }, data: { roles: secretary.roles } });
      }
    });
  });

  it('the calendar feed shows a moved meeting at once', async () => {
    const feeds = await call('/api/v1/forbund/sydnarke/feeds', { token: admin });
    const url = new URL((feeds.json.data as { body: string; url: string }[]).find((f) => f.body === 'styrelse')!.url);
    const feed = () => call(`${url.pathname}${url.search}`);
    const before = await feed();
    expect(before.status).toBe(200);
    expect(before.type).toContain('text/calendar');
    const meeting = await db.prisma.meeting.findFirstOrThrow({ where: { forbundId: syd, kind: 'styrelse', status: 'planned' }, orderBy: { startsAt: 'desc' } });
    await other.prisma.meeting.update({ where: { id: meeting.id }, data: { location: 'Flyttad till Kumla', sequence: { increment: 1 } } });
    await eventually(async () => expect((await feed()).text).toContain('Flyttad till Kumla'), 5000);
  });
});
