// Where a handling's bytes are kept (services/document-store.ts). With DOCUMENT_STORAGE=s3 against
// a real S3-compatible server (moto_server, tests/support/s3.ts): a PDF uploaded through the API
// lands in the bucket under <forbundId>/<matterId>/<sha256>/<uuid>, the row holds no content, the
// bytes read back through the API are those uploaded and the meeting pack includes its pages; an
// object altered (or removed) behind the app's back is refused, never served; a row that cannot
// be committed takes its object away again; with the server stopped an upload answers 503 and
// stores nothing, a read answers 503, and /health/ready says so. And the default: the bytes in the
// database row, checked the same way. The configuration's DOCUMENT_STORAGE and S3_* problems.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, DeleteObjectCommand } from '@aws-sdk/client-s3';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import { createApiToken } from '../api/auth.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database, PrismaClient } from '../prisma/db.js';
import { documentStore, type DocumentStore } from '../services/document-store.js';
import { uploadHandling } from '../services/handlingar.js';
import { importForbund } from '../services/import.js';
import { ensureAgenda } from '../services/styrelse.js';
import { ConfigError, loadConfig } from '../worker/config.js';
import { testDatabase } from './support/database.js';
import { apiCaller, serve, type Json } from './support/http.js';
import { RecordingNotifier } from './support/notifier.js';
import { pdfText } from './support/pdf.js';
import { pagePerson, signInCookie } from './support/browser.js';
import { describeWithS3 } from './support/s3.js';

const PUBLIC_BASE = 'https://arscykel.example';
const LINK_SECRET = 'h'.repeat(32);
const S = '/api/v1/forbund/sydnarke';
// Monday 5 January 2037: the January board's agenda (23 January) is open for matters.
const clock = new Date('2037-01-05T09:00:00Z');
const configDir = mkdtempSync(join(tmpdir(), 'arscykel-documents-'));
const configBase = { DATA_DIR: configDir, LINK_SECRET: 'x'.repeat(32) };

let db: Database;
let forbundId: string;
let meetingId: string;
let matterId: string;
let dnr: string;
let admin: string;

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function pdfFile(lines: string[]): Promise<Buffer> {
  const d = await PDFDocument.create();
  const font = await d.embedFont(StandardFonts.Helvetica);
  const p = d.addPage([595, 842]);
  lines.forEach((l, i) => p.drawText(l, { x: 72, y: 760 - i * 24, size: 14, font }));
  return Buffer.from(await d.save());
}

/** An app with this store of handlingar, served on a loopback port. */
async function served(documents?: DocumentStore) {
  const s = await serve(createApp({ prisma: db.prisma, notifier: new RecordingNotifier(), publicBaseUrl: PUBLIC_BASE, linkSecret: LINK_SECRET, now: () => clock, ...(documents ? { documents } : {}) }));
  const call = apiCaller(() => s.base);
  return {
    ...s,
    call,
    /** POST matters/:dnr/documents as multipart/form-data. */
    async upload(title: string, data: Buffer) {
      const fd = new FormData();
      fd.append('title', title);
      fd.append('file', new Blob([data], { type: 'application/pdf' }), `${title}.pdf`);
      const res = await fetch(`${s.base}${S}/matters/${dnr}/documents`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: fd });
      const text = await res.text();
      let json: Json;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, json, text, retryAfter: res.headers.get('retry-after') };
    },
    async download(id: string) {
      const res = await fetch(`${s.base}${S}/matters/${dnr}/documents/${id}`, { headers: { authorization: `Bearer ${admin}` } });
      return { status: res.status, type: res.headers.get('content-type') ?? '', body: Buffer.from(await res.arrayBuffer()) };
    },
    /** A page of the staff's, signed in with `cookie`; a form posted with a file. */
    async page(path: string, cookie: string, form?: { title: string; data: Buffer }) {
      let body: FormData | undefined;
      if (form) {
        body = new FormData();
        body.append('title', form.title);
        body.append('file', new Blob([form.data]), `${form.title}.pdf`);
      }
      const res = await fetch(`${s.base}${path}`, { method: form ? 'POST' : 'GET', headers: { cookie, ...(form ? { origin: s.base } : {}) }, body, redirect: 'manual' });
      return { status: res.status, type: res.headers.get('content-type') ?? '', text: (await res.text()).replace(/\u00a0/g, ' '), location: res.headers.get('location') };
    },
    async pack() {
      const res = await fetch(`${s.base}${S}/meetings/${meetingId}/pack.pdf`, { headers: { authorization: `Bearer ${admin}` } });
      return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
    },
  };
}

const documentCount = () => db.prisma.document.count({ where: { forbundId } });

beforeAll(async () => {
  db = await testDatabase();
  forbundId = (await importForbund(db.prisma, parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml'), { year: 2037, actor: 'test' })).forbundId;
  admin = await createApiToken(db.prisma, { forbundId, name: 'Olga Tjänsteman', role: 'admin' });
  meetingId = (await db.prisma.meeting.findFirstOrThrow({ where: { forbundId, kind: 'styrelse', year: 2037 }, orderBy: { startsAt: 'asc' } })).id;
  const s = await served();
  const r = await s.call(`${S}/matters`, { token: admin, method: 'POST', json: { title: 'Ansökan om medel: Steg framåt', kind: 'funding_application', owner: 'official', meeting: meetingId } });
  await s.close();
  expect(r.status, r.text).toBe(201);
  dnr = r.json.dnr;
  // On the föredragningslista, so the meeting pack takes its handlingar.
  await ensureAgenda(db.prisma, meetingId);
  const n = await db.prisma.agendaItem.count({ where: { meetingId } });
  const m = await db.prisma.matter.findUniqueOrThrow({ where: { forbundId_dnr: { forbundId, dnr } } });
  matterId = m.id;
  await db.prisma.agendaItem.create({ data: { meetingId, number: n + 1, title: m.title, kind: 'matter', matterId } });
}, 120_000);

afterAll(async () => {
  await db?.close();
});

describeWithS3('handlingar in an S3 bucket (DOCUMENT_STORAGE=s3, moto_server)', (s3) => {
  let app: Awaited<ReturnType<typeof served>>;
  let store: DocumentStore;
  const uploaded = { id: '', key: '', data: Buffer.alloc(0) };
  let cookie = '';

  beforeAll(async () => {
    const { config } = s3();
    const documents = loadConfig({ ...configBase, DOCUMENT_STORAGE: 's3', S3_ENDPOINT: config.endpoint, S3_BUCKET: config.bucket, S3_ACCESS_KEY_ID: config.accessKeyId, S3_SECRET_ACCESS_KEY: config.secretAccessKey }).documents;
    expect(documents).toEqual({ kind: 's3', ...config });
    store = documentStore(documents);
    app = await served(store);
    cookie = await signInCookie(app.base, await pagePerson(db.prisma, { forbundId, name: 'Sixten Sekreterare', role: 'secretary', publicBaseUrl: PUBLIC_BASE, now: () => clock }));
  });
  afterAll(async () => {
    await app?.close();
  });

  it('an uploaded PDF goes to the bucket: the row holds its key and no content, the bytes read back are those uploaded, the meeting pack includes it', async () => {
    const data = await pdfFile(['Underlag ur hinken', 'Steg framåt']);
    const before = await documentCount();
    const r = await app.upload('Underlag ur hinken', data);
    expect(r.status, r.text).toBe(201);
    expect(r.json).toMatchObject({ version: 1, size: data.length, sha256: sha(data), contentType: 'application/pdf' });
    Object.assign(uploaded, { id: r.json.id, key: r.json.key, data });
    expect(await documentCount()).toBe(before + 1);

    const row = await db.prisma.document.findUniqueOrThrow({ where: { id: r.json.id } });
    expect(row.content).toBeNull();
    expect(row.storageKey).toMatch(new RegExp(`^${forbundId}/${matterId}/${sha(data)}/[0-9a-f-]{36}$`));
    expect(await s3().keys()).toContain(row.storageKey);
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { forbundId, action: 'handling.uploaded', entityId: r.json.id } });
    expect(audit.data).toMatchObject({ sha256: sha(data), storageKey: row.storageKey });

    const got = await app.download(r.json.id);
    expect(got.status).toBe(200);
    expect(got.type).toBe('application/pdf');
    expect(got.body.equals(data)).toBe(true);

    const pack = await app.pack();
    expect(pack.status).toBe(200);
    expect(await pdfText(pack.body)).toContain('Underlag ur hinken');

    // The matter's page takes an upload into the bucket too, and serves it back.
    const form = await app.page(`/admin/arenden/${dnr}/handlingar`, cookie, { title: 'Via sidan', data: await pdfFile(['Via sidan']) });
    expect(form.status, form.text).toBe(303);
    const viaPage = await db.prisma.document.findFirstOrThrow({ where: { matterId, title: 'Via sidan' } });
    expect(viaPage.content).toBeNull();
    expect(await s3().keys()).toContain(viaPage.storageKey);
    const read = await app.page(`/admin/handlingar/${viaPage.id}`, cookie);
    expect(read.status).toBe(200);
    expect(read.type).toBe('application/pdf');
  });

  it('/health/ready reports the bucket', async () => {
    const r = await app.call('/health/ready');
    expect(r.json.documents).toEqual({ storage: 's3', status: 'ok', bucket: s3().bucket, endpoint: s3().endpoint });
  });

  it('an object altered behind the app\'s back is refused, never served; the meeting pack leaves it out', async () => {
    const row = await db.prisma.document.findUniqueOrThrow({ where: { id: uploaded.id } });
    const forged = await pdfFile(['Förfalskat underlag', 'Steg framåt']);
    await s3().client.send(new PutObjectCommand({ Bucket: s3().bucket, Key: row.storageKey!, Body: forged, ContentType: 'application/pdf' }));
    const got = await app.download(uploaded.id);
    expect(got.status).toBe(500);
    expect(got.type).toMatch(/^application\/json/);
    expect(JSON.parse(got.body.toString()).error.message).toMatch(/do not match its SHA-256/);
    expect(got.body.includes(forged.subarray(0, 64))).toBe(false);
    const pack = await app.pack();
    expect(pack.status).toBe(200);
    const text = await pdfText(pack.body);
    expect(text).not.toContain('Förfalskat underlag');
    expect(text).toContain('Underlag ur hinken'); // named on the item's page, not included

    // Gone from the bucket: refused too.
    await s3().client.send(new DeleteObjectCommand({ Bucket: s3().bucket, Key: row.storageKey! }));
    const gone = await app.download(uploaded.id);
    expect(gone.status).toBe(500);
    expect(JSON.parse(gone.body.toString()).error.message).toMatch(/is not in the S3 bucket/);
  });

  it('a row that cannot be committed takes its object away again', async () => {
    const failing = new Proxy(db.prisma, {
      get: (target, p, receiver) => (p === '$transaction' ? () => Promise.reject(new Error('the database went away')) : Reflect.get(target, p, receiver)),
    }) as PrismaClient;
    const keys = await s3().keys();
    const before = await documentCount();
    await expect(uploadHandling(failing, forbundId, dnr, { title: 'Aldrig sparad', file: { name: 'aldrig.pdf', data: await pdfFile(['Aldrig sparad']) } }, 'test', store)).rejects.toThrow('the database went away');
    expect(await s3().keys()).toEqual(keys);
    expect(await documentCount()).toBe(before);
  });

  it('with the server stopped: an upload answers 503 and stores nothing, a read answers 503, /health/ready says the bucket is unavailable', async () => {
    // One that is readable while the server runs…
    const data = await pdfFile(['Läses medan servern är nere']);
    const ok = await app.upload('Läses senare', data);
    expect(ok.status, ok.text).toBe(201);
    await s3().stop();

    const before = await documentCount();
    const audited = await db.prisma.auditEvent.count({ where: { forbundId, action: 'handling.uploaded' } });
    const r = await app.upload('Når inte hinken', await pdfFile(['Når inte hinken']));
    expect(r.status, r.text).toBe(503);
    expect(r.retryAfter).toBe('60');
    expect(r.json.error.message).toMatch(/^the object storage for handlingar \(S3 bucket "arscykel-handlingar" at http:\/\/127\.0\.0\.1:\d+\) cannot store the handling; nothing was stored \(.+\)\. Try again later, or tell the administrator$/);
    expect(await documentCount()).toBe(before);
    expect(await db.prisma.auditEvent.count({ where: { forbundId, action: 'handling.uploaded' } })).toBe(audited);

    const got = await app.download(ok.json.id);
    expect(got.status).toBe(503);
    expect(JSON.parse(got.body.toString()).error.message).toMatch(/cannot be read/);
    expect((await app.pack()).status).toBe(503);

    // The pages say it in Swedish: the form sent back with the problem at the file, nothing stored.
    const form = await app.page(`/admin/arenden/${dnr}/handlingar`, cookie, { title: 'Når inte hinken', data: await pdfFile(['Når inte hinken']) });
    expect(form.status).toBe(503);
    expect(form.text).toContain('Handlingen kunde inte sparas: lagringen för handlingar kan inte nås just nu, så inget har sparats.');
    expect(await documentCount()).toBe(before);
    const page = await app.page(`/admin/handlingar/${ok.json.id}`, cookie);
    expect(page.status).toBe(503);
    expect(page.text).toContain('Lagringen för handlingar kan inte nås just nu, så handlingen kan inte visas.');
    expect((await app.page(`/admin/moten/${meetingId}/motespaket.pdf`, cookie)).status).toBe(503);

    const ready = await app.call('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.json.status).toBe('degraded');
    expect(ready.json.documents).toMatchObject({ storage: 's3', status: 'unavailable', bucket: 'arscykel-handlingar' });
    expect(ready.json.documents.detail).toBeTruthy();
  }, 60_000);
});

describe('handlingar in the database (the default)', () => {
  let app: Awaited<ReturnType<typeof served>>;
  beforeAll(async () => {
    expect(loadConfig(configBase).documents).toEqual({ kind: 'database' });
    app = await served(); // no store given: the database
  });
  afterAll(async () => {
    await app?.close();
  });

  it('the bytes are in the row, read back whole, and bytes altered in the row are refused', async () => {
    const data = await pdfFile(['Underlag i databasen']);
    const r = await app.upload('Underlag i databasen', data);
    expect(r.status, r.text).toBe(201);
    const row = await db.prisma.document.findUniqueOrThrow({ where: { id: r.json.id } });
    expect(Buffer.from(row.content!).equals(data)).toBe(true);
    expect(row.storageKey).toBeNull();
    const got = await app.download(r.json.id);
    expect(got.status).toBe(200);
    expect(got.body.equals(data)).toBe(true);
    expect((await app.call('/health/ready')).json.documents).toEqual({ storage: 'database', status: 'ok' });

    const altered = Buffer.from(data);
    altered[altered.length - 10] ^= 1;
    await db.prisma.document.update({ where: { id: r.json.id }, data: { content: new Uint8Array(altered) } });
    const refused = await app.download(r.json.id);
    expect(refused.status).toBe(500);
    expect(JSON.parse(refused.body.toString()).error.message).toMatch(/do not match its SHA-256/);
    await db.prisma.document.update({ where: { id: r.json.id }, data: { content: new Uint8Array(data) } });
  });

  it('a handling kept in a bucket, read where no bucket is configured: 503 naming DOCUMENT_STORAGE', async () => {
    const row = await db.prisma.document.findFirstOrThrow({ where: { forbundId, storageKey: { not: null } } }).catch(() => undefined);
    if (!row) return; // the bucket's tests were skipped
    const got = await app.download(row.id);
    expect(got.status).toBe(503);
    expect(JSON.parse(got.body.toString()).error.message).toMatch(/DOCUMENT_STORAGE=s3/);
  });
});

describe('configuration: DOCUMENT_STORAGE and S3_*', () => {
  const problems = (env: NodeJS.ProcessEnv) => {
    try {
      loadConfig({ ...configBase, ...env });
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
    return [];
  };

  it('s3 needs a bucket and its credentials; the region defaults to eu-north-1 and path style follows the endpoint', () => {
    expect(problems({ DOCUMENT_STORAGE: 's3' })).toEqual(['S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: required with DOCUMENT_STORAGE=s3 (the bucket for the handlingar and its credentials)']);
    expect(problems({ DOCUMENT_STORAGE: 's3', S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'k' })).toEqual([expect.stringMatching(/^S3_SECRET_ACCESS_KEY: required with DOCUMENT_STORAGE=s3/)]);
    const creds = { DOCUMENT_STORAGE: 's3', S3_BUCKET: 'handlingar', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' };
    expect(loadConfig({ ...configBase, ...creds }).documents).toEqual({ kind: 's3', region: 'eu-north-1', bucket: 'handlingar', accessKeyId: 'k', secretAccessKey: 's', forcePathStyle: false });
    expect(loadConfig({ ...configBase, ...creds, S3_ENDPOINT: 'https://s3.example.se' }).documents).toMatchObject({ endpoint: 'https://s3.example.se', forcePathStyle: true });
    expect(loadConfig({ ...configBase, ...creds, S3_ENDPOINT: 'https://s3.example.se', S3_FORCE_PATH_STYLE: 'false', S3_REGION: 'eu-west-1' }).documents).toMatchObject({ forcePathStyle: false, region: 'eu-west-1' });
    expect(problems({ ...creds, S3_ENDPOINT: 'ftp://x' })).toEqual([expect.stringMatching(/^S3_ENDPOINT="ftp:\/\/x": must be an http\(s\) URL/)]);
    expect(problems({ ...creds, S3_FORCE_PATH_STYLE: 'ja' })).toEqual(['S3_FORCE_PATH_STYLE="ja": must be true or false']);
  });

  it('an unknown storage, and S3_* without s3, are named', () => {
    expect(problems({ DOCUMENT_STORAGE: 'disk' })).toEqual(['DOCUMENT_STORAGE="disk": must be database or s3']);
    expect(problems({ S3_BUCKET: 'b', S3_ENDPOINT: 'http://localhost:9000' })).toEqual([expect.stringMatching(/^S3_ENDPOINT, S3_BUCKET: set without DOCUMENT_STORAGE=s3, so handlingar are kept in the database/)]);
  });
});
