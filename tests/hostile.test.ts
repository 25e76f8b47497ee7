// The hostile hour (issue 19) over real HTTP on PGlite: /metrics keeps one label for every request
// no route took, however many paths are tried; a body nested thousands deep is refused before
// any login; and every route the OpenAPI document lists, fuzzed with hostile bodies, queries and
// path parameters, with and without a valid token, answers no 5xx.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AfterAnswer } from '../api/after-answer.js';
import { createApp, UNMATCHED_ROUTE } from '../api/app.js';
import { createApiToken } from '../api/auth.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { declinePurpose, feedPurpose, projectFeedPurpose, signPurpose, submissionPurpose, token as linkToken } from '../services/links.js';
import { testDatabase } from './support/database.js';
import { fieldsOf, serve, type Json } from './support/http.js';
import { RecordingNotifier } from './support/notifier.js';

const SECRET = 'f'.repeat(32);
const BASE = 'https://arscykel.example';
const NOW = new Date('2026-03-02T09:00:00Z');

/** A workflow that answers every update with a refusal (409): the routes that go through one are fuzzed up to it. */
class RefusingNotifier extends RecordingNotifier {
  override async update(): Promise<never> {
    throw ApplicationFailure.create({ type: 'Refused', message: 'the fuzz workflow refuses', nonRetryable: true });
  }
}

let db: Database;
let fuzzed: { base: string; close(): Promise<void> };
let guarded: { base: string; close(): Promise<void> };
/** The sign-in links the apps are still making when the tests end: done before the database closes. */
const afterAnswer = new AfterAnswer();
let forbundId: string;
let admin: string;
const ids = { meeting: '', obligation: '', project: '', projectKey: '', person: '', item: '', dnr: '', milestone: '', delivery: 'no-such-delivery', line: '' };

beforeAll(async () => {
  db = await testDatabase();
  forbundId = (await importForbund(db.prisma, parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml'), { year: 2026, actor: 'test' })).forbundId;
  admin = await createApiToken(db.prisma, { forbundId, name: 'fuzz', role: 'admin' });
  // The fuzzing app: limits that never answer 429 (so every request reaches its route).
  fuzzed = await serve(
    createApp({ prisma: db.prisma, notifier: new RefusingNotifier(), afterAnswer, publicBaseUrl: BASE, linkSecret: SECRET, now: () => NOW, guards: { authFailuresPer10Minutes: 1e9, publicPerMinute: 1e9, queue: 100_000, ...({ authFailuresPerAccountPer10Minutes: 1e9, signInRequestsPer10Minutes: 1e9 } as object) } }),
  );
  // The app as it runs: default limits (so 401, 403 and 429 all happen).
  guarded = await serve(createApp({ prisma: db.prisma, notifier: new RecordingNotifier(), afterAnswer, publicBaseUrl: BASE, linkSecret: SECRET, now: () => NOW }));

  const meeting = await db.prisma.meeting.findFirstOrThrow({ where: { forbundId, kind: 'styrelse', startsAt: { gt: NOW } }, orderBy: { startsAt: 'asc' } });
  ids.meeting = meeting.id;
  const obligation = await db.prisma.reportingObligation.findFirstOrThrow({ where: { project: { forbundId } }, include: { project: true } });
  ids.obligation = obligation.id;
  ids.project = obligation.projectId;
  ids.projectKey = obligation.project.key;
  ids.person = (await db.prisma.person.findFirstOrThrow({ where: { forbundId } })).id;
  ids.milestone = (await db.prisma.milestone.findFirst({ where: { forbundId } }))?.id ?? 'no-such-milestone';
  const registered = await fetch(`${fuzzed.base}/api/v1/forbund/sydnarke/matters`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Ansökan om medel', kind: 'other', owner: 'official' }) });
  ids.dnr = ((await registered.json()) as Json).dnr ?? '2026-00001';
  ids.item = (await db.prisma.agendaItem.findFirst({ where: { meetingId: meeting.id } }))?.id ?? 'no-such-item';
  ids.line = (await db.prisma.budgetLine.findFirst({ where: { forbundId } }))?.key ?? 'no-such-line';
}, 120_000);

afterAll(async () => {
  await fuzzed?.close();
  await guarded?.close();
  await afterAnswer.settled();
  await db?.close();
});

const metricsSize = async (base: string) => Buffer.byteLength(await (await fetch(`${base}/metrics`)).text());

/** Runs the tasks `width` at a time, without the request log lines (tens of thousands of them). */
async function pool<T>(items: T[], width: number, run: (item: T) => Promise<void>) {
  const write = process.stdout.write;
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => (typeof chunk === 'string' && chunk.startsWith('{"time"') ? true : (write as (...a: unknown[]) => boolean).call(process.stdout, chunk, ...rest))) as typeof process.stdout.write;
  try {
    let next = 0;
    await Promise.all(Array.from({ length: width }, async () => {
      while (next < items.length) await run(items[next++]);
    }));
  } finally {
    process.stdout.write = write;
  }
}

describe('/metrics under 20,000 unauthenticated requests to random paths', () => {
  it('labels every request no route took as one fixed label, so /metrics does not grow with the paths tried', async () => {
    const before = await metricsSize(guarded.base);
    const rand = () => randomBytes(6).toString('hex');
    const paths = Array.from({ length: 20_000 }, (_, i) => {
      const r = rand();
      switch (i % 8) {
        case 0: return `/api/v1/forbund/${r}/projects`; // 401 (no token), then 429
        case 1: return `/api/v1/forbund/sydnarke/${r}/${rand()}`; // 401
        case 2: return `/api/v1/forbund/sydnarke/projects/${r}`; // 401, then 429
        case 3: return `/${r}/${rand()}`; // 404
        case 4: return `/admin/${r}`; // the pages' sign-in
        case 5: return `/submit/${r}?token=${rand()}`; // 403/404
        case 6: return `/feeds/${r}/all.ics?token=${rand()}`; // 403/404, then 429
        default: return `/api/v1/${r}?x=${rand()}`;
      }
    });
    const statuses = new Map<number, number>();
    const t0 = performance.now();
    await pool(paths, 16, async (path) => {
      const res = await fetch(`${guarded.base}${path}`, { headers: path.includes('/projects') && path.length % 2 ? { authorization: `Bearer ak_${rand()}` } : {}, redirect: 'manual' });
      await res.arrayBuffer();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    });
    const after = await metricsSize(guarded.base);
    const text = await (await fetch(`${guarded.base}/metrics`)).text();
    console.log(`/metrics: ${before} bytes before, ${after} bytes after 20,000 unauthenticated requests to random paths (${Math.round(performance.now() - t0)} ms; statuses ${JSON.stringify(Object.fromEntries(statuses))})`);
    // The refusals the issue saw grow it: 401, 403 and 429 all happened.
    expect(statuses.get(401) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(429) ?? 0).toBeGreaterThan(0);
    expect([...statuses.keys()].some((s) => s === 403 || s === 404)).toBe(true);
    expect([...statuses.keys()].every((s) => s < 500)).toBe(true);
    // One label for all of them, and none of the paths sent.
    expect(text).toContain(`route="${UNMATCHED_ROUTE}"`);
    for (const path of paths.slice(0, 200)) expect(text).not.toContain(path.split('?')[0].split('/').filter(Boolean).pop()!);
    expect(after - before).toBeLessThan(20_000);
  }, 600_000);

  it('a matched route is labelled by its pattern, the förbund as :forbund, also when it answered with an error', async () => {
    await fetch(`${guarded.base}/api/v1/forbund/sydnarke/projects`, { headers: { authorization: `Bearer ${admin}` } });
    await fetch(`${guarded.base}/api/v1/forbund/sydnarke/obligations/nope/lock`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
    const text = await (await fetch(`${guarded.base}/metrics`)).text();
    expect(text).toContain('route="/api/v1/forbund/:forbund/projects"');
    expect(text).toMatch(/route="\/api\/v1\/forbund\/:forbund\/obligations\/:id\/lock",status="404"/);
    expect(text).not.toContain('route="/api/v1/forbund/sydnarke/projects"');
    expect(text).not.toContain('route="/obligations/:id/lock"');
  });
});

describe('deep JSON is refused before anything else reads it', () => {
  const deepArray = '['.repeat(10_000) + ']'.repeat(10_000); // 20 kB, 10,000 deep
  const deepObject = '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000);

  it('400 naming the body, on every kind of route, before any login', async () => {
    for (const [method, path, auth] of [
      ['POST', '/api/v1/forbund/sydnarke/tokens', false],
      ['POST', '/api/v1/forbund/sydnarke/tokens', true],
      ['PUT', `/api/v1/forbund/sydnarke/meetings/${ids.meeting}/agenda`, true],
      ['POST', `/api/v1/submissions/${ids.obligation}?token=x`, false],
      ['POST', '/local/v1/tokens', false],
      ['POST', '/admin/logga-in', false],
      ['POST', '/no/such/route', false],
    ] as const) {
      for (const body of [deepArray, deepObject]) {
        const res = await fetch(`${guarded.base}${path}`, { method, headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${admin}` } : {}) }, body });
        const json = (await res.json()) as Json;
        expect(res.status, `${method} ${path}`).toBe(400);
        expect(fieldsOf({ json }), `${method} ${path}`).toEqual(['(body)']);
        expect(json.error.message).toBe('request body is nested deeper than 64 levels');
      }
    }
  });

  it('64 levels are read as before', async () => {
    const res = await fetch(`${guarded.base}/api/v1/forbund/sydnarke/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` }, body: JSON.stringify({ name: 'x', role: 'admin', deep: JSON.parse('['.repeat(62) + ']'.repeat(62)) }) });
    expect(res.status).toBe(400);
    expect(fieldsOf({ json: await res.json() })).toEqual(['deep']);
  });

  it('a body that is not UTF-8 is refused, not stored with U+FFFD', async () => {
    const body = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from('","role":"admin"}')]);
    const res = await fetch(`${guarded.base}/api/v1/forbund/sydnarke/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` }, body });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Json).error.message).toBe('request body is not valid UTF-8');
  });
});

describe('fuzzing every route of the OpenAPI document', () => {
  type Op = { method: string; path: string; body?: { example?: unknown; schema?: Json } };

  const HOSTILE_STRINGS = ['\u0000', 'x'.repeat(150_000), '\ud800', '\u202e', '1e309', '__proto__', '../../etc/passwd', '121212-1212', 'Kumla\r\nBcc: x@evil.example', '<script>alert(1)</script>', "'; DROP TABLE \"Forbund\"; --"];
  const HOSTILE_VALUES: unknown[] = [null, true, -1, 0.5, 2 ** 53 + 1, [], {}, [[[[]]]], { __proto__: { admin: true } }, ...HOSTILE_STRINGS];
  /** Raw JSON texts: what JSON.stringify cannot write. */
  const RAW = ['1e309', '-1e309', '-0', '1e-400', '123456789012345678901234567890', '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}'];

  function bodies(op: Op): { type: string; body: string | Buffer }[] {
    const json = (v: unknown) => ({ type: 'application/json', body: JSON.stringify(v) });
    const out: { type: string; body: string | Buffer }[] = [
      { type: 'application/json', body: '['.repeat(10_000) + ']'.repeat(10_000) },
      { type: 'application/json', body: '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000) },
      { type: 'application/json', body: '{"a":' },
      { type: 'application/json', body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]) },
      { type: 'application/json', body: JSON.stringify({ x: 'y'.repeat(190_000) }) },
      { type: 'application/json', body: JSON.stringify({ x: 'y'.repeat(300_000) }) },
      { type: 'application/x-www-form-urlencoded', body: `a=1&__proto__[x]=1&title=${encodeURIComponent('121212\n1212')}&x=%ff%fe&n=%00` },
      { type: 'text/plain', body: 'hello' },
      ...[null, 1, 'text', [], true, {}].map(json),
      ...RAW.map((r) => ({ type: 'application/json', body: r })),
    ];
    // The example of the route's body with each field made hostile in turn.
    const example = op.body?.example;
    if (example && typeof example === 'object' && !Array.isArray(example)) {
      for (const field of Object.keys(example)) {
        for (const v of HOSTILE_VALUES) out.push(json({ ...example, [field]: v }));
        for (const r of RAW.slice(0, 4)) out.push({ type: 'application/json', body: JSON.stringify({ ...example, [field]: 0 }).replace(`"${field}":0`, `"${field}":${r}`) });
      }
    }
    return out;
  }

  const QUERIES = ['', '?page=1e309&limit=-1', '?page=1&page=2&limit[]=3', '?__proto__=x&constructor=y&hasOwnProperty=1', `?q=${'a'.repeat(6000)}`, '?token=%00&year=99999999999999999999&days=1e309&through=NaN', '?%ff=%fe&date=2026-02-30', '?year=2026&q=%E2%80%AE&typ=%0d%0aX'];

  /** Path parameters: the real ones first (fuzzed in full), then hostile ones (sent as they are). */
  function paths(template: string): { path: string; real: boolean }[] {
    const real: Record<string, string> = { forbund: 'sydnarke', slug: 'sydnarke', year: '2026', id: ids.meeting, key: ids.projectKey, dnr: ids.dnr, personId: ids.person, itemId: ids.item, meetingId: ids.meeting, body: 'all' };
    const fill = (pick: (name: string) => string) => template.replace(/\{(\w+)\}/g, (_, name: string) => pick(name));
    const variants = [{ path: fill((n) => real[n] ?? 'x'), real: true }];
    // Some routes take an id of another table: the obligation, the project, the milestone, the budget line.
    const other = (name: string, value: string) => variants.push({ path: fill((n) => (n === name ? value : real[n] ?? 'x')), real: true });
    if (/\/(submissions|submit|obligations|rapporter)\/\{id\}/.test(template)) other('id', ids.obligation);
    if (template.includes('/feeds/projects/{id}')) other('id', ids.project);
    if (/\/(milestones|moment)\/\{id\}/.test(template)) other('id', ids.milestone);
    if (template.includes('/lines/{key}')) other('key', ids.line);
    if (/\{\w+\}/.test(template)) {
      for (const hostile of ['%00', '%ff%fe', '..%2F..%2F', 'x'.repeat(2000), '1e309', '__proto__', '-1', '%E2%80%AE121212-1212']) variants.push({ path: fill((n) => (n === 'forbund' || n === 'slug' ? real[n] : hostile)), real: false });
      variants.push({ path: fill((n) => (n === 'forbund' || n === 'slug' ? 'no-such-forbund' : real[n] ?? 'x')), real: false });
    }
    return variants;
  }

  /** The secret a public route's link carries, for the "with a valid token" pass. */
  function linkTokenFor(path: string): string | undefined {
    const id = (re: RegExp) => re.exec(path)?.[1];
    if (id(/\/(?:submissions|submit)\/([^/?]+)/)) return linkToken(SECRET, submissionPurpose(id(/\/(?:submissions|submit)\/([^/?]+)/)!));
    if (id(/\/feeds\/projects\/([^/?]+)/)) return linkToken(SECRET, projectFeedPurpose(id(/\/feeds\/projects\/([^/?]+)/)!));
    if (path.startsWith('/feeds/')) return linkToken(SECRET, feedPurpose(forbundId, 'all'));
    const m = /\/meetings\/([^/]+)\/(forhinder|justera)\/([^/?]+)/.exec(path);
    if (m) return linkToken(SECRET, (m[2] === 'forhinder' ? declinePurpose : signPurpose)(m[1], m[3]));
    return undefined;
  }

  it('answers no 5xx to any of them, without a token and with a valid one', async () => {
    const doc = (await (await fetch(`${fuzzed.base}/api/v1/openapi.json`)).json()) as Json;
    const ops: Op[] = [];
    for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
      for (const [method, o] of Object.entries(methods)) {
        const content = o.requestBody?.content?.['application/json'];
        const ref = content?.schema?.$ref as string | undefined;
        const example = content?.example ?? (ref ? doc.components.schemas[ref.split('/').pop()!]?.example : undefined);
        ops.push({ method: method.toUpperCase(), path, body: content ? { example, schema: content.schema } : undefined });
      }
    }
    expect(ops.length).toBeGreaterThan(100);

    type Req = { method: string; url: string; headers: Record<string, string>; body?: string | Buffer; what: string };
    const reqs: Req[] = [];
    for (const op of ops) {
      for (const { path, real } of paths(op.path)) {
        for (const auth of [false, true]) {
          const link = auth ? linkTokenFor(path) : undefined;
          const headers: Record<string, string> = auth && path.startsWith('/api/v1/forbund/') ? { authorization: `Bearer ${admin}` } : {};
          const withToken = (q: string) => (link ? `${q}${q ? '&' : '?'}token=${link}` : q);
          for (const q of real ? QUERIES : ['']) reqs.push({ method: op.method, url: `${path}${withToken(q)}`, headers, what: `${op.method} ${path.slice(0, 80)} query ${q.slice(0, 40)}` });
          if (op.method !== 'GET') {
            for (const b of real ? bodies(op) : bodies(op).slice(0, 1)) reqs.push({ method: op.method, url: `${path}${withToken('')}`, headers: { ...headers, 'content-type': b.type }, body: b.body, what: `${op.method} ${path.slice(0, 80)} body ${String(b.body).slice(0, 60)}` });
          }
        }
      }
    }
    const fiveXX: string[] = [];
    const statuses = new Map<number, number>();
    const t0 = performance.now();
    await pool(reqs, 6, async (r) => {
      let status: number;
      try {
        const res = await fetch(`${fuzzed.base}${r.url}`, { method: r.method, headers: r.headers, body: r.body, redirect: 'manual' });
        status = res.status;
        const text = await res.text();
        if (status >= 500) fiveXX.push(`${status} ${r.what}: ${text.slice(0, 200)}`);
      } catch (err) {
        status = 0;
        fiveXX.push(`no answer ${r.what}: ${(err as Error).message}`);
      }
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
    console.log(`fuzz: ${ops.length} operations, ${reqs.length} requests in ${Math.round(performance.now() - t0)} ms; 5xx: ${fiveXX.length}; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`);
    expect(fiveXX).toEqual([]);
    // The valid token reached the routes: some requests were served.
    expect((statuses.get(200) ?? 0) + (statuses.get(201) ?? 0)).toBeGreaterThan(0);
  }, 600_000);
});
