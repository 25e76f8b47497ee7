// The hostile hour (issue 19) for free text, over real HTTP on PGlite: a personnummer however it
// is written, and control characters (line breaks, bidi overrides) in one-line fields, are
// refused in every entry path (API bodies, the report form and its drafts, the förbund file
// through `npm run import`'s route) with 400 naming the field, and nothing is stored. And a
// förbund file too large for the running server is refused saying its size, the limit and what
// to do.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import { createApiToken } from '../api/auth.js';
import { LOCAL_IMPORT_LIMIT, LOCAL_KEY_HEADER, localKey } from '../api/local.js';
import { ForbundFileError, parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { submissionLink } from '../services/links.js';
import { testDatabase } from './support/database.js';
import { apiCaller, fieldsOf, serve, type Json } from './support/http.js';
import { RecordingNotifier } from './support/notifier.js';

const SECRET = 't'.repeat(32);
const NOW = new Date('2026-03-02T09:00:00Z');
const SYDNARKE = readFileSync('examples/sydnarke.yaml', 'utf8');
const S = '/api/v1/forbund/sydnarke';

let db: Database;
let served: { base: string; close(): Promise<void> };
let forbundId: string;
let admin: string;
let meetingId: string;
let obligationId: string;
const call = apiCaller(() => served.base);

beforeAll(async () => {
  db = await testDatabase();
  forbundId = (await importForbund(db.prisma, parseForbundFile(SYDNARKE, 'sydnarke.yaml'), { year: 2026, actor: 'test' })).forbundId;
  admin = await createApiToken(db.prisma, { forbundId, name: 'Förbundschefen', role: 'admin' });
  meetingId = (await db.prisma.meeting.findFirstOrThrow({ where: { forbundId, kind: 'styrelse', startsAt: { gt: new Date('2026-06-01') } }, orderBy: { startsAt: 'asc' } })).id;
  obligationId = (await db.prisma.reportingObligation.findFirstOrThrow({ where: { project: { forbundId }, status: 'open' }, orderBy: { dueDate: 'asc' } })).id;
  served = await serve(createApp({ prisma: db.prisma, notifier: new RecordingNotifier(), publicBaseUrl: 'https://arscykel.example', linkSecret: SECRET, now: () => NOW, guards: { authFailuresPer10Minutes: 1e9, publicPerMinute: 1e9 } }));
}, 120_000);

afterAll(async () => {
  await served?.close();
  await db?.close();
});

/** The ways of writing 121212-1212 that got through before (the check digit holds). */
const PERSONNUMMER = ['1912-12-12-1212', '121212\n1212', '121212/1212', '12.12.12-1212', '1212\u200b12-1212', '121212\u00ad1212', '121212\u20071212', '１２１２１２－１２１２', '١٢١٢١٢-١٢١٢'];

const counts = async () => ({
  audit: await db.prisma.auditEvent.count(),
  matters: await db.prisma.matter.count(),
  projects: await db.prisma.project.count(),
  tokens: await db.prisma.apiToken.count(),
  submissions: await db.prisma.submission.count(),
  drafts: await db.prisma.submissionDraft.count(),
  meetings: JSON.stringify(await db.prisma.meeting.findMany({ where: { forbundId }, select: { location: true, sequence: true }, orderBy: { id: 'asc' } })),
});

describe('a personnummer is refused in every free-text field of the API, however it is written', () => {
  it('meeting location, document titles and URLs, token names, project keys and names: 400 naming the field, nothing stored', async () => {
    const before = await counts();
    for (const pn of PERSONNUMMER) {
      const cases: [string, { method: string; json: unknown }, string[]][] = [
        [`${S}/meetings/${meetingId}`, { method: 'PATCH', json: { location: `Kumla ${pn}` } }, ['location']],
        [`${S}/matters`, { method: 'POST', json: { title: 'Ansökan', kind: 'other', owner: 'official', documents: [{ title: `Intyg ${pn}`, url: 'https://example.org/a.pdf' }, { title: 'Ansökan', url: `https://example.org/${encodeURIComponent(pn)}.pdf` }] } }, ['documents[0].title', 'documents[1].url']],
        [`${S}/matters`, { method: 'POST', json: { title: `Ärende om ${pn}`, kind: 'other', owner: 'official' } }, ['title']],
        [`${S}/tokens`, { method: 'POST', json: { name: `Token ${pn}`, role: 'secretary' } }, ['name']],
        [`${S}/projects`, { method: 'POST', json: { key: 'ny-insats', name: `Insats ${pn}`, coordinator: { key: 'samordnare-pa-vag' }, start: '2026-04-01', end: '2026-12-31' } }, ['name']],
      ];
      for (const [path, opts, fields] of cases) {
        const r = await call(path, { token: admin, ...opts });
        expect(r.status, `${path} ${JSON.stringify(pn)}`).toBe(400);
        expect(fieldsOf(r), `${path} ${JSON.stringify(pn)}`).toEqual(fields);
      }
    }
    // A project key that is a personnummer (it matches the key pattern).
    const key = await call(`${S}/projects`, { token: admin, method: 'POST', json: { key: '121212-1212', name: 'Insatsen', coordinator: { key: 'samordnare-pa-vag' }, start: '2026-04-01', end: '2026-12-31' } });
    expect(key.status).toBe(400);
    expect(fieldsOf(key)).toEqual(['key']);
    expect(key.json.error.message).toMatch(/personal identity number/);
    expect(await counts()).toEqual(before);
  });

  it('dates, phone numbers and amounts in the same fields still pass', async () => {
    const r = await call(`${S}/matters`, { token: admin, method: 'POST', json: { title: 'Budget 2 700 000 kr för perioden 2026-12-12–2027-06-30, ring 070-123 45 67', kind: 'other', owner: 'official', documents: [{ title: 'Protokoll 2026-12-12', url: 'https://example.org/2026-12-12/1500.pdf' }] } });
    expect(r.status, r.text).toBe(201);
  });

  it('the report and its draft: the narrative and who submitted, as JSON and from the form', async () => {
    const link = new URL(submissionLink('https://arscykel.example', SECRET, obligationId));
    const json = `/api/v1/submissions/${obligationId}${link.search}`;
    const before = await counts();
    for (const pn of PERSONNUMMER) {
      for (const [path, method] of [[json, 'POST'], [`/api/v1/submissions/${obligationId}/draft${link.search}`, 'PUT']] as const) {
        const r = await call(path, { method, json: { figures: {}, narrative: `Deltagaren ${pn} började.`, submittedBy: `Sara ${pn}` } });
        expect(r.status, `${method} ${JSON.stringify(pn)}`).toBe(400);
        expect(fieldsOf(r)).toEqual(expect.arrayContaining(['narrative', 'submittedBy']));
      }
      const form = await fetch(`${served.base}/submit/${obligationId}${link.search}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ action: 'draft', narrative: `Deltagaren ${pn} började.` }) });
      expect(form.status).toBe(400);
      expect(await form.text()).toContain('ser ut att innehålla ett personnummer');
    }
    expect(await counts()).toEqual(before);
  });
});

describe('control characters: refused in one-line fields, line breaks kept in multi-line ones', () => {
  const INJECTED = ['Kumla stadshus\r\nBcc: alla@example.org', 'Kumla\nstadshus', 'Kumla\rstadshus', 'Kumla\u2028stadshus', 'Kumla\u000bstadshus', 'Kumla \u202eshsdats\u202c', 'Kumla \u2066x\u2069', 'Kumla\u0085stadshus', 'Kumla\u001bstadshus'];

  it('a line break, C0/C1 control or bidi override in a location, a title, a name, a token name or a document URL: 400 naming the field', async () => {
    const before = await counts();
    for (const bad of INJECTED) {
      const cases: [string, { method: string; json: unknown }, string[]][] = [
        [`${S}/meetings/${meetingId}`, { method: 'PATCH', json: { location: bad } }, ['location']],
        [`${S}/matters`, { method: 'POST', json: { title: bad, kind: 'other', owner: 'official' } }, ['title']],
        [`${S}/matters`, { method: 'POST', json: { title: 'Ansökan', kind: 'other', owner: 'official', documents: [{ title: bad, url: 'https://example.org/a.pdf' }] } }, ['documents[0].title']],
        [`${S}/tokens`, { method: 'POST', json: { name: bad, role: 'secretary' } }, ['name']],
        [`${S}/projects`, { method: 'POST', json: { key: 'ny-insats', name: bad, coordinator: { name: 'Ny Samordnare', email: 'ny@example.org' }, start: '2026-04-01', end: '2026-12-31', goals: ['Mål ett'] } }, ['name']],
        [`${S}/projects`, { method: 'POST', json: { key: 'ny-insats', name: 'Insatsen', coordinator: { name: bad, email: 'ny@example.org' }, start: '2026-04-01', end: '2026-12-31' } }, ['coordinator.name']],
        [`${S}/meetings/${meetingId}/agenda`, { method: 'PUT', json: { items: [{ title: bad }] } }, ['items[0].title']],
      ];
      for (const [path, opts, fields] of cases) {
        const r = await call(path, { token: admin, ...opts });
        expect(r.status, `${path} ${JSON.stringify(bad)}`).toBe(400);
        expect(fieldsOf(r), `${path} ${JSON.stringify(bad)}`).toEqual(fields);
        expect(r.json.error.message, JSON.stringify(bad)).toMatch(/must be one line of text without control characters \(U\+[0-9A-F]{4} /);
      }
    }
    expect(await counts()).toEqual(before);
  });

  it('a narrative keeps its line breaks (LF, CR LF, tab) but not a bidi override or another control', async () => {
    const link = new URL(submissionLink('https://arscykel.example', SECRET, obligationId));
    const draft = `/api/v1/submissions/${obligationId}/draft${link.search}`;
    for (const bad of ['Bra\u202e.gpj', 'Bra\u0007', 'Bra\rsluttext', 'Bra\u2067x']) {
      const r = await call(draft, { method: 'PUT', json: { narrative: bad } });
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(fieldsOf(r)).toEqual(['narrative']);
      expect(r.json.error.message).toMatch(/must not hold invisible control characters/);
    }
    const who = await call(draft, { method: 'PUT', json: { narrative: 'Bra.', submittedBy: 'Sara\nBcc: x@example.org' } });
    expect(fieldsOf(who)).toEqual(['submittedBy']);
    const ok = await call(draft, { method: 'PUT', json: { narrative: 'Första stycket.\n\nAndra stycket,\r\nmed\tflik.' } });
    expect(ok.status, ok.text).toBe(200);
    const form = await fetch(`${served.base}/submit/${obligationId}${link.search}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ action: 'draft', narrative: 'Bra.', submittedBy: 'Sara\r\nBcc: x@example.org' }) });
    expect(form.status).toBe(400);
    expect(await form.text()).toContain('Texten får bara vara en rad');
  });

  it('a key of a body holding a control character is refused too', async () => {
    const r = await call(`${S}/projects`, { token: admin, method: 'POST', json: { key: 'ny-insats', name: 'Insatsen', coordinator: { key: 'samordnare-pa-vag' }, start: '2026-04-01', end: '2026-12-31', grants: { '2026\n': 5 } } });
    expect(r.status).toBe(400);
    expect(fieldsOf(r)).toEqual(['grants.(key)']);
  });
});

describe('the förbund file: every text screened, errors as file:path: problem', () => {
  const local = (json: unknown) => call('/local/v1/import', { method: 'POST', json, headers: { [LOCAL_KEY_HEADER]: localKey(SECRET) } });

  it('a personnummer in a budget line name, a meeting place with a line break, a person name with a bidi override: all named', async () => {
    const text = SYDNARKE.replace('name: Utbetalda projektpengar', 'name: "Utbetalda projektpengar 1212\u200b12-1212"')
      .replace(/(\n\s+- \{ id: [a-z0-9-]+, name: )([^,]+)(, email)/, '$1"$2\u202e"$3')
      .replace('defaults: { start: "09:00", end: "12:00" }', 'defaults: { start: "09:00", end: "12:00", location: "Kumla\\r\\nBcc: x@example.org" }');
    expect(text).not.toBe(SYDNARKE);
    let error: ForbundFileError | undefined;
    try {
      parseForbundFile(text, 'sydnarke.yaml');
    } catch (err) {
      error = err as ForbundFileError;
    }
    expect(error).toBeInstanceOf(ForbundFileError);
    const byPath = Object.fromEntries(error!.errors.map((e) => [e.path, e.message]));
    expect(Object.keys(byPath)).toEqual(expect.arrayContaining(['/budget/years/2016/costs/0/name', '/cycle/defaults/location']));
    expect(byPath['/budget/years/2016/costs/0/name']).toMatch(/personal identity number/);
    expect(byPath['/cycle/defaults/location']).toMatch(/one line/);
    expect(error!.errors.some((e) => /^\/people\/\d+\/name$/.test(e.path) && /U\+202E/.test(e.message))).toBe(true);
    expect(error!.errors.every((e) => e.file === 'sydnarke.yaml' && typeof e.line === 'number')).toBe(true);

    // The same through the running server's import route: 400, nothing imported.
    const before = await counts();
    const r = await local({ text, fileName: 'sydnarke.yaml' });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toContain('sydnarke.yaml:/budget/years/2016/costs/0/name: looks like it contains a personal identity number');
    expect(await counts()).toEqual(before);
  });

  it('a file nested thousands deep is refused before it is composed (which exhausted the stack, and could end the process)', async () => {
    for (const depth of [1_000, 10_000]) {
      const text = `forbund: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
      expect(() => parseForbundFile(text, 'djup.yaml'), String(depth)).toThrow('djup.yaml:1:73: nested deeper than 64 levels');
      const block = Array.from({ length: 200 }, (_, i) => `${'  '.repeat(i)}a${i}:`).join('\n') + ' 1\n';
      expect(() => parseForbundFile(block, 'djup.yaml')).toThrow(/nested deeper than 64 levels/);
    }
    const r = await local({ text: `forbund: ${'['.repeat(20_000)}${']'.repeat(20_000)}`, fileName: 'djup.yaml' });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/^djup\.yaml:1:\d+: nested deeper than 64 levels/);
  }, 60_000);

  it('a YAML block scalar that leaves a line break in a one-line text says how to write it', () => {
    const text = SYDNARKE.replace(/ {2}defaults: \{ start: "09:00", end: "12:00" \}.*\n/, '  defaults:\n    start: "09:00"\n    end: "12:00"\n    location: >\n      Kumla stadshus\n');
    expect(() => parseForbundFile(text, 'sydnarke.yaml')).toThrow(/cycle\/defaults\/location: must be one line.*use >-/);
    expect(() => parseForbundFile(text.replace('location: >', 'location: >-'), 'sydnarke.yaml')).not.toThrow();
  });
});

describe('npm run import of a large förbund file while the server runs', () => {
  const local = (body: string) => fetch(`${served.base}/local/v1/import`, { method: 'POST', headers: { 'content-type': 'application/json', [LOCAL_KEY_HEADER]: localKey(SECRET) }, body });

  it('a file of several MB goes through (the app-wide 200 kB limit is not its limit)', async () => {
    // The example with 3 MB of comments: a large file, the same förbund.
    const text = `${SYDNARKE}\n${Array.from({ length: 40_000 }, (_, i) => `# kommentar ${i} ${'x'.repeat(60)}`).join('\n')}\n`;
    expect(text.length).toBeGreaterThan(3_000_000);
    const r = await local(JSON.stringify({ text, fileName: 'sydnarke.yaml', year: 2026 }));
    const json = (await r.json()) as Json;
    expect(r.status, JSON.stringify(json).slice(0, 300)).toBe(200);
    expect(json.summary.slug).toBe('sydnarke');
  }, 60_000);

  it('over the limit: 413 saying the file\'s size, the limit and what to do', async () => {
    const text = 'x'.repeat(LOCAL_IMPORT_LIMIT + 1024);
    const r = await local(JSON.stringify({ text, fileName: 'stor.yaml' }));
    const json = (await r.json()) as Json;
    expect(r.status).toBe(413);
    expect(json.error.message).toBe('the förbund file (16.0 MB as sent) is larger than the running server takes through npm run import (at most 16.0 MB); stop npm start and run npm run import again (it then writes to the database directly), or split the file');
    expect(fieldsOf({ json })).toEqual(['text']);
  }, 60_000);

  it('without the local key nothing is read, however large', async () => {
    const r = await fetch(`${served.base}/local/v1/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'x'.repeat(1_000_000), fileName: 'x.yaml' }) });
    expect(r.status).toBe(403);
  });
});
