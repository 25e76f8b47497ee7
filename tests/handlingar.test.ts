// A matter's handlingar (issue 19, the board's papers) over HTTP, on PGlite (or PostgreSQL): real
// files uploaded as multipart (a PDF made with pdf-lib, a .docx and an .xlsx zipped here, a .doc
// and an .xls as Compound File Binaries written here), each type found in the content; refused
// without storing anything: an .exe renamed .pdf (415), a file over 20 MB (413), no title (400);
// versions by key; the bytes downloaded equal those uploaded (SHA-256); a secret handling in no
// public response and never linked from the kallelse (mail text and PDF); the meeting pack read
// with pdf.js: the kallelse's pages, then each item's handlingar in agenda order. Then the same
// through the matter's page (its section Handlingar, the upload form and its error summary).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import { createApiToken } from '../api/auth.js';
import { cfbRootNames, secretHandlingLine } from '../domain/handlingar.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import { kallelseMail } from '../domain/texts.js';
import type { Database } from '../prisma/db.js';
import { meetingTime } from '../services/arscykel.js';
import { detectHandlingKind } from '../services/handlingar.js';
import { importForbund } from '../services/import.js';
import { agendaLinesOf, ensureAgenda } from '../services/styrelse.js';
import { pagePerson, signInCookie } from './support/browser.js';
import { testDatabase } from './support/database.js';
import { apiCaller, fieldsOf, serve, type Json } from './support/http.js';
import { RecordingNotifier } from './support/notifier.js';
import { pdfLines, pdfText } from './support/pdf.js';

const PUBLIC_BASE = 'https://arscykel.example';
const LINK_SECRET = 'h'.repeat(32);
const S = '/api/v1/forbund/sydnarke';
const MB = 1024 * 1024;
// Monday 5 January 2037: the January board's agenda (23 January) is open for matters.
const clock = new Date('2037-01-05T09:00:00Z');

let db: Database;
let served: { base: string; close(): Promise<void> };
let forbundId: string;
let meetingId: string;
const tokens = { admin: '', secretary: '', board: '' };
const call = apiCaller(() => served.base);
const dnrs = { steg: '', budget: '', other: '' };

// --- real files, made here -------------------------------------------------------------------

/** A PDF with one page per entry, each page's lines set in Helvetica. */
async function pdfFile(pages: string[][]): Promise<Buffer> {
  const d = await PDFDocument.create();
  const font = await d.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const p = d.addPage([595, 842]);
    lines.forEach((l, i) => p.drawText(l, { x: 72, y: 760 - i * 24, size: 14, font }));
  }
  return Buffer.from(await d.save());
}

/** A zip archive of stored (uncompressed) entries, as Office writes its containers (deflated there, stored here). */
function zip(entries: [string, string][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of entries) {
    const data = Buffer.from(text, 'utf8');
    const n = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    centrals.push(central, n);
    offset += local.length + n.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const contentTypes = (main: string, part: string) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="${part}" ContentType="${main}"/></Types>`;
const rels = (target: string) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="${target}"/></Relationships>`;

const docx = () =>
  zip([
    ['[Content_Types].xml', contentTypes('application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml', '/word/document.xml')],
    ['_rels/.rels', rels('word/document.xml')],
    ['word/document.xml', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Yttrande</w:t></w:r></w:p></w:body></w:document>'],
  ]);
const xlsx = () =>
  zip([
    ['[Content_Types].xml', contentTypes('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml', '/xl/workbook.xml')],
    ['_rels/.rels', rels('xl/workbook.xml')],
    ['xl/workbook.xml', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="Budget" sheetId="1" r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/></sheets></workbook>'],
  ]);

/** A Compound File Binary (MS-CFB, version 3) whose root storage holds these (empty) streams, as a .doc or .xls does. */
function cfb(streams: string[]): Buffer {
  const FREE = 0xffffffff;
  const END = 0xfffffffe;
  const header = Buffer.alloc(512);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0);
  header.writeUInt16LE(0x3e, 0x18);
  header.writeUInt16LE(3, 0x1a);
  header.writeUInt16LE(0xfffe, 0x1c);
  header.writeUInt16LE(9, 0x1e);
  header.writeUInt16LE(6, 0x20);
  header.writeUInt32LE(1, 0x2c); // one FAT sector
  header.writeUInt32LE(1, 0x30); // the directory in sector 1
  header.writeUInt32LE(4096, 0x38);
  header.writeUInt32LE(END, 0x3c);
  header.writeUInt32LE(END, 0x44);
  for (let i = 0; i < 109; i++) header.writeUInt32LE(i === 0 ? 0 : FREE, 0x4c + i * 4);
  const fat = Buffer.alloc(512, 0xff);
  fat.writeUInt32LE(0xfffffffd, 0); // sector 0: the FAT itself
  fat.writeUInt32LE(END, 4); // sector 1: the directory, one sector
  const dir = Buffer.alloc(512);
  const entry = (i: number, name: string, type: number, o: { left?: number; right?: number; child?: number } = {}) => {
    const at = i * 128;
    dir.write(name, at, 'utf16le');
    dir.writeUInt16LE((name.length + 1) * 2, at + 64);
    dir[at + 66] = type;
    dir[at + 67] = 1;
    dir.writeUInt32LE(o.left ?? FREE, at + 68);
    dir.writeUInt32LE(o.right ?? FREE, at + 72);
    dir.writeUInt32LE(o.child ?? FREE, at + 76);
    dir.writeUInt32LE(END, at + 116);
  };
  // The root's children as a tree: the first, with the next as its right sibling.
  entry(0, 'Root Entry', 5, { child: 1 });
  streams.slice(0, 3).forEach((name, i) => entry(i + 1, name, 2, i + 2 <= streams.length ? { right: i + 2 } : {}));
  for (let i = streams.length + 1; i < 4; i++) {
    dir.writeUInt32LE(FREE, i * 128 + 68);
    dir.writeUInt32LE(FREE, i * 128 + 72);
    dir.writeUInt32LE(FREE, i * 128 + 76);
  }
  return Buffer.concat([header, fat, dir]);
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

// --- calls -----------------------------------------------------------------------------------

interface Part {
  name: string;
  data: Buffer;
  type?: string;
}

/** POST matters/:dnr/documents as multipart/form-data, as curl -F sends it. */
async function upload(dnr: string, fields: Record<string, string>, file?: Part, token = tokens.admin) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  if (file) fd.append('file', new Blob([file.data], { type: file.type ?? 'application/octet-stream' }), file.name);
  const res = await fetch(`${served.base}${S}/matters/${dnr}/documents`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: fd });
  const text = await res.text();
  let json: Json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

const download = async (path: string, headers: Record<string, string>) => {
  const res = await fetch(`${served.base}${path}`, { headers, redirect: 'manual' });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
};

/** What is stored: the rows and the audit of uploads. */
const stored = async () => ({ documents: await db.prisma.document.count({ where: { forbundId } }), audited: await db.prisma.auditEvent.count({ where: { forbundId, action: 'handling.uploaded' } }) });

// The files of the test, uploaded below.
const files: Record<string, { id: string; key: string; data: Buffer }> = {};

beforeAll(async () => {
  db = await testDatabase();
  forbundId = (await importForbund(db.prisma, parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml'), { year: 2037, actor: 'test' })).forbundId;
  tokens.admin = await createApiToken(db.prisma, { forbundId, name: 'Olga Tjänsteman', role: 'admin' });
  tokens.secretary = await createApiToken(db.prisma, { forbundId, name: 'Sekreteraren', role: 'secretary' });
  tokens.board = await createApiToken(db.prisma, { forbundId, name: 'Ledamot', role: 'board_member' });
  served = await serve(createApp({ prisma: db.prisma, notifier: new RecordingNotifier(), publicBaseUrl: PUBLIC_BASE, linkSecret: LINK_SECRET, now: () => clock }));
  const january = await db.prisma.meeting.findFirstOrThrow({ where: { forbundId, kind: 'styrelse', year: 2037 }, orderBy: { startsAt: 'asc' } });
  meetingId = january.id;
  for (const [k, title] of [
    ['steg', 'Ansökan om medel: Steg framåt'],
    ['budget', 'Budgetuppföljning efter oktober'],
    ['other', 'Policy för rapportering'],
  ] as const) {
    const r = await call(`${S}/matters`, { token: tokens.admin, method: 'POST', json: { title, kind: k === 'steg' ? 'funding_application' : 'other', owner: 'official', meeting: meetingId } });
    expect(r.status).toBe(201);
    dnrs[k] = r.json.dnr;
  }
  // Two of them on the föredragningslista, after the standing items: Steg framåt, then the budget.
  await ensureAgenda(db.prisma, meetingId);
  const n = await db.prisma.agendaItem.count({ where: { meetingId } });
  for (const [i, k] of (['steg', 'budget'] as const).entries()) {
    const m = await db.prisma.matter.findUniqueOrThrow({ where: { forbundId_dnr: { forbundId, dnr: dnrs[k] } } });
    await db.prisma.agendaItem.create({ data: { meetingId, number: n + i + 1, title: m.title, kind: 'matter', matterId: m.id } });
  }
}, 120_000);

afterAll(async () => {
  await served?.close();
  await db?.close();
});

describe('the type is found in the content', () => {
  it('PDF, .docx and .xlsx by file-type; .doc and .xls by the root of their Compound File; nothing else', async () => {
    expect(await detectHandlingKind(await pdfFile([['x']]))).toBe('pdf');
    expect(await detectHandlingKind(docx())).toBe('docx');
    expect(await detectHandlingKind(xlsx())).toBe('xlsx');
    expect(cfbRootNames(cfb(['\u0005SummaryInformation', 'WordDocument', '1Table']))?.sort()).toEqual(['\u0005SummaryInformation', '1Table', 'WordDocument']);
    expect(await detectHandlingKind(cfb(['\u0005SummaryInformation', 'WordDocument']))).toBe('doc');
    expect(await detectHandlingKind(cfb(['Workbook']))).toBe('xls');
    expect(await detectHandlingKind(cfb(['Book']))).toBe('xls');
    expect(await detectHandlingKind(cfb(['PowerPoint Document', 'Current User']))).toBeUndefined();
    expect(await detectHandlingKind(cfb(['EncryptedPackage', 'EncryptionInfo']))).toBeUndefined();
    expect(await detectHandlingKind(Buffer.concat([Buffer.from('MZ'), Buffer.alloc(500, 1)]))).toBeUndefined();
    expect(await detectHandlingKind(Buffer.from('hej, en textfil'))).toBeUndefined();
    // A truncated or looping Compound File is no kind, and the reader stops.
    const broken = cfb(['WordDocument']);
    broken.writeUInt32LE(0, 512 + 4); // the directory's chain points back at itself… through the FAT
    expect(await detectHandlingKind(broken.subarray(0, 700))).toBeUndefined();
  });
});

describe('uploading handlingar to a matter', () => {
  it('takes a real PDF with a title: stored in the database with its SHA-256, audited, 201 with the version', async () => {
    const data = await pdfFile([['Tjänsteskrivelse sida 1', 'Steg framåt'], ['Tjänsteskrivelse sida 2']]);
    const before = await stored();
    const r = await upload(dnrs.steg, { title: 'Tjänsteskrivelse', secret: 'false' }, { name: 'tjänsteskrivelse.pdf', data, type: 'application/pdf' });
    expect(r.status, r.text).toBe(201);
    expect(r.json).toMatchObject({ version: 1, title: 'Tjänsteskrivelse', fileName: 'tjänsteskrivelse.pdf', contentType: 'application/pdf', type: 'PDF', size: data.length, sha256: sha(data), secret: false, uploadedBy: 'Olga Tjänsteman (admin)' });
    expect(r.json.readAt).toBe(`/handlingar/${r.json.id}`);
    files.pdf = { id: r.json.id, key: r.json.key, data };
    const row = await db.prisma.document.findUniqueOrThrow({ where: { id: r.json.id } });
    expect(Buffer.from(row.content!).equals(data)).toBe(true);
    expect(row.storageKey).toBeNull();
    expect(await stored()).toEqual({ documents: before.documents + 1, audited: before.audited + 1 });
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { forbundId, action: 'handling.uploaded', entityId: r.json.id } });
    expect(audit.data).toMatchObject({ dnr: dnrs.steg, version: 1, sha256: sha(data), secret: false });
  });

  it('takes Word and Excel files by their content, whatever their name or the type the client gives', async () => {
    const cases: [string, Buffer, string, string][] = [
      ['Yttrande från Försäkringskassan', docx(), 'yttrande.pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['Budget 2037', xlsx(), 'budget.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      ['Äldre yttrande', cfb(['\u0005SummaryInformation', 'WordDocument']), 'yttrande.doc', 'application/msword'],
      ['Äldre budget', cfb(['Workbook']), 'budget.xls', 'application/vnd.ms-excel'],
    ];
    for (const [title, data, name, type] of cases) {
      const r = await upload(dnrs.budget, { title }, { name, data, type: 'application/pdf' }, tokens.secretary);
      expect(r.status, `${title}: ${r.text}`).toBe(201);
      expect(r.json.contentType, title).toBe(type);
      expect(r.json.uploadedBy).toBe('Sekreteraren (secretary)');
    }
    files.docx = { id: '', key: '', data: docx() };
  });

  it('refuses, naming the field and storing nothing: an .exe renamed .pdf (415), a file over 20 MB (413), no title (400), and more', async () => {
    const before = await stored();
    const pdf = await pdfFile([['x']]);
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00', 'latin1'), Buffer.alloc(2048, 0), Buffer.from('PE\0\0')]);

    const renamed = await upload(dnrs.steg, { title: 'Bilaga' }, { name: 'bilaga.pdf', data: exe, type: 'application/pdf' });
    expect(renamed.status).toBe(415);
    expect(fieldsOf(renamed)).toEqual(['file']);
    expect(renamed.json.error.message).toContain('not a PDF, Word (.docx, .doc) or Excel (.xlsx, .xls) file by its content');

    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(20 * MB + 1 - 9, 0x20)]);
    const over = await upload(dnrs.steg, { title: 'Stor' }, { name: 'stor.pdf', data: big });
    expect(over.status).toBe(413);
    expect(fieldsOf(over)).toEqual(['file']);
    expect(over.json.error.message).toContain('20 MB');
    // Declared larger still: refused from its Content-Length, before it is read.
    const huge = await upload(dnrs.steg, { title: 'Större' }, { name: 'storre.pdf', data: Buffer.concat([big, Buffer.alloc(2 * MB)]) });
    expect(huge.status).toBe(413);
    expect(fieldsOf(huge)).toEqual(['file']);

    const untitled = await upload(dnrs.steg, {}, { name: 'x.pdf', data: pdf });
    expect(untitled.status).toBe(400);
    expect(fieldsOf(untitled)).toEqual(['title']);
    expect(fieldsOf(await upload(dnrs.steg, { title: '   ' }, { name: 'x.pdf', data: pdf }))).toEqual(['title']);
    expect(fieldsOf(await upload(dnrs.steg, { title: 'Två\nrader' }, { name: 'x.pdf', data: pdf }))).toEqual(['title']);
    expect(fieldsOf(await upload(dnrs.steg, { title: 'Omvänd \u202etext' }, { name: 'x.pdf', data: pdf }))).toEqual(['title']);
    expect(fieldsOf(await upload(dnrs.steg, { title: 'Utredning 19121212-1212' }, { name: 'x.pdf', data: pdf }))).toEqual(['title']);
    expect(fieldsOf(await upload(dnrs.steg, { title: 'x'.repeat(301) }, { name: 'x.pdf', data: pdf }))).toEqual(['title']);
    expect(fieldsOf(await upload(dnrs.steg, { title: 'Utredning' }, { name: 'utredning 121212-1212.pdf', data: pdf }))).toEqual(['file']);
    expect(fieldsOf(await upload(dnrs.steg, { title: 'Ingen fil' }))).toEqual(['file']);
    expect(fieldsOf(await upload(dnrs.steg, { title: 'Tom' }, { name: 'tom.pdf', data: Buffer.alloc(0) }))).toEqual(['file']);
    expect(fieldsOf(await upload(dnrs.steg, { title: 'Bilaga', secret: 'kanske' }, { name: 'x.pdf', data: pdf }))).toEqual(['secret']);
    expect(fieldsOf(await upload(dnrs.steg, { title: 'Bilaga', key: 'finns-inte' }, { name: 'x.pdf', data: pdf }))).toEqual(['key']);
    expect(fieldsOf(await upload(dnrs.steg, { title: 'Bilaga', extra: '1' }, { name: 'x.pdf', data: pdf }))).toEqual(['extra']);
    // Both wrong: the file's status, every field named.
    const both = await upload(dnrs.steg, {}, { name: 'bilaga.pdf', data: exe });
    expect(both.status).toBe(415);
    expect(fieldsOf(both)).toEqual(['file', 'title']);
    // Not multipart at all; no such matter; a role that does not upload.
    const json = await call(`${S}/matters/${dnrs.steg}/documents`, { token: tokens.admin, method: 'POST', json: { title: 'x' } });
    expect(json.status).toBe(415);
    expect((await upload('2037-99999', { title: 'x' }, { name: 'x.pdf', data: pdf })).status).toBe(404);
    expect((await upload(dnrs.steg, { title: 'x' }, { name: 'x.pdf', data: pdf }, tokens.board)).status).toBe(403);
    expect((await fetch(`${served.base}${S}/matters/${dnrs.steg}/documents`, { method: 'POST', body: new FormData() })).status).toBe(401);

    expect(await stored()).toEqual(before);
  }, 60_000);

  it('a new version by its key: the next number, the title kept when left out; a secret handling stays secret', async () => {
    const v2data = await pdfFile([['Tjänsteskrivelse, reviderad, sida 1'], ['Tjänsteskrivelse, reviderad, sida 2'], ['Tjänsteskrivelse, reviderad, sida 3']]);
    const v2 = await upload(dnrs.steg, { key: files.pdf.key }, { name: 'tjänsteskrivelse-rev.pdf', data: v2data });
    expect(v2.status, v2.text).toBe(201);
    expect(v2.json).toMatchObject({ key: files.pdf.key, version: 2, title: 'Tjänsteskrivelse', secret: false });
    files.pdf2 = { id: v2.json.id, key: v2.json.key, data: v2data };

    // A secret handling (OSL): its own key; a new version may not drop the sekretess.
    const secretData = await pdfFile([['HEMLIGT-INNEHALL Yttrande om enskild']]);
    const s1 = await upload(dnrs.steg, { title: 'Yttrande om enskild', secret: 'true' }, { name: 'yttrande.pdf', data: secretData });
    expect(s1.status, s1.text).toBe(201);
    expect(s1.json.secret).toBe(true);
    files.secret = { id: s1.json.id, key: s1.json.key, data: secretData };
    const drop = await upload(dnrs.steg, { key: s1.json.key, secret: 'false' }, { name: 'yttrande.pdf', data: secretData });
    expect(drop.status).toBe(400);
    expect(fieldsOf(drop)).toEqual(['secret']);
    const s2 = await upload(dnrs.steg, { key: s1.json.key, title: 'Yttrande om enskild, kompletterat' }, { name: 'yttrande2.pdf', data: secretData });
    expect(s2.json).toMatchObject({ version: 2, secret: true, title: 'Yttrande om enskild, kompletterat' });
    files.secret = { id: s2.json.id, key: s2.json.key, data: secretData };

    const list = await call(`${S}/matters/${dnrs.steg}/documents`, { token: tokens.secretary });
    expect(list.status).toBe(200);
    expect(list.json.data.map((h: Json) => [h.title, h.secret, h.versions.map((v: Json) => v.version)])).toEqual([
      ['Tjänsteskrivelse', false, [2, 1]],
      ['Yttrande om enskild, kompletterat', true, [2, 1]],
    ]);
    expect(list.json.data[0].latest.id).toBe(files.pdf2.id);
    expect(JSON.stringify(list.json)).not.toContain('HEMLIGT');
    expect((await call(`${S}/matters/${dnrs.steg}/documents`, { token: tokens.board })).status).toBe(403);
    expect((await call(`${S}/matters/2037-99999/documents`, { token: tokens.admin })).status).toBe(404);
  });

  it('downloads the very bytes uploaded, as an attachment with a safe name, never sniffed', async () => {
    for (const f of [files.pdf, files.pdf2, files.secret]) {
      const d = await download(`${S}/matters/${dnrs.steg}/documents/${f.id}`, { authorization: `Bearer ${tokens.admin}` });
      expect(d.status).toBe(200);
      expect(sha(d.body)).toBe(sha(f.data));
      expect(d.headers.get('content-type')).toBe('application/pdf');
      expect(d.headers.get('x-content-type-options')).toBe('nosniff');
      expect(d.headers.get('content-disposition')).toMatch(/^attachment; filename="[A-Za-z0-9._ -]+\.pdf"; filename\*=UTF-8''[A-Za-z0-9%._-]+\.pdf$/);
    }
    const first = await download(`${S}/matters/${dnrs.steg}/documents/${files.pdf.id}`, { authorization: `Bearer ${tokens.secretary}` });
    expect(first.headers.get('content-disposition')).toBe(`attachment; filename="tjansteskrivelse.pdf"; filename*=UTF-8''tj%C3%A4nsteskrivelse.pdf`);
    // A .docx uploaded under a .pdf name is saved as .docx.
    const word = (await call(`${S}/matters/${dnrs.budget}/documents`, { token: tokens.admin })).json.data[0].latest;
    const w = await download(word.download, { authorization: `Bearer ${tokens.admin}` });
    expect(w.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(w.headers.get('content-disposition')).toContain('filename="yttrande.docx"');
    // Another matter's Dnr, a board member, no token: nothing.
    expect((await download(`${S}/matters/${dnrs.budget}/documents/${files.pdf.id}`, { authorization: `Bearer ${tokens.admin}` })).status).toBe(404);
    expect((await download(`${S}/matters/${dnrs.steg}/documents/${files.pdf.id}`, { authorization: `Bearer ${tokens.board}` })).status).toBe(403);
    expect((await download(`${S}/matters/${dnrs.steg}/documents/${files.pdf.id}`, {})).status).toBe(401);
  });
});

describe('who reads a secret handling', () => {
  it('the kallelse names it without a link, and links the others to where they are read signed in (mail text and PDF)', async () => {
    const m = await db.prisma.meeting.findUniqueOrThrow({ where: { id: meetingId }, include: { forbund: true } });
    const items = await agendaLinesOf(db.prisma, meetingId, { baseUrl: PUBLIC_BASE });
    const mail = kallelseMail({ forbundName: m.forbund.name, when: meetingTime(m), location: m.location, items, forInformation: false });
    expect(mail.text).toContain(`    ${secretHandlingLine('Yttrande om enskild, kompletterat')}\n`);
    expect(mail.text).toContain('Handling: Yttrande om enskild, kompletterat (sekretess, läses inloggad)');
    expect(mail.text).toContain(`    Tjänsteskrivelse: ${PUBLIC_BASE}/handlingar/${files.pdf2.id}\n`);
    for (const id of [files.secret.id, ...(await db.prisma.document.findMany({ where: { secret: true } })).map((d) => d.id)]) {
      expect(mail.text).not.toContain(id);
      expect(mail.html).not.toContain(id);
    }
    expect(mail.html).not.toMatch(/<a [^>]*>[^<]*Yttrande om enskild/);

    // The kallelse PDF: the secret one named, no link annotation to it; the others linked.
    const pdf = await download(`${S}/meetings/${meetingId}/pack.pdf`, { authorization: `Bearer ${tokens.admin}` });
    expect(pdf.status).toBe(200);
    const links = await linksOf(pdf.body);
    expect(links).toContain(`${PUBLIC_BASE}/handlingar/${files.pdf2.id}`);
    expect(links.some((l) => l.includes(files.secret.id))).toBe(false);
    const kallelse = await download(`${S}/meetings/${meetingId}/kallelse.pdf`, { authorization: `Bearer ${tokens.board}` });
    expect(await pdfText(kallelse.body)).toContain('Handling: Yttrande om enskild, kompletterat (sekretess, läses inloggad)');
    expect((await linksOf(kallelse.body)).some((l) => l.includes(files.secret.id))).toBe(false);
  });

  it('no public page or public API shows it: the reports, the anslagstavla and its protokoll; its address asks for sign-in', async () => {
    // The January meeting held and justerat, its anslag up: the protokoll is public.
    await db.prisma.meeting.update({ where: { id: meetingId }, data: { heldAt: new Date('2037-01-23T12:00:00Z'), justeradAt: new Date('2037-01-04T12:00:00Z'), anslagPostedAt: new Date('2037-01-04T13:00:00Z') } });
    const secretTitle = 'Yttrande om enskild';
    const pub = ['/forbund/sydnarke/rapporter', '/api/v1/public/forbund/sydnarke/reports', '/forbund/sydnarke/anslag', '/api/v1/public/forbund/sydnarke/anslag'];
    for (const path of pub) {
      const r = await call(path);
      expect(r.status, path).toBe(200);
      expect(r.text, path).not.toContain(secretTitle);
      expect(r.text, path).not.toContain(files.secret.id);
    }
    const anslag = (await call('/api/v1/public/forbund/sydnarke/anslag')).json;
    expect(anslag.current.map((a: Json) => a.meetingId)).toContain(meetingId);
    const protokoll = await download(`/forbund/sydnarke/anslag/${meetingId}/protokoll.pdf`, {});
    expect(protokoll.status).toBe(200);
    const text = await pdfText(protokoll.body);
    expect(text).toContain('Ansökan om medel: Steg framåt');
    expect(text).not.toContain(secretTitle);
    expect(text).not.toContain('HEMLIGT');
    expect((await linksOf(protokoll.body)).some((l) => l.includes('/handlingar/'))).toBe(false);
    await db.prisma.meeting.update({ where: { id: meetingId }, data: { heldAt: null, justeradAt: null, anslagPostedAt: null } });

    // The stable address leads to the staff's pages, which ask a stranger (or a bearer token) to sign in.
    const stable = await download(`/handlingar/${files.secret.id}`, {});
    expect(stable.status).toBe(303);
    expect(stable.headers.get('location')).toBe(`/admin/handlingar/${files.secret.id}`);
    for (const headers of [{}, { authorization: `Bearer ${tokens.admin}` }] as Record<string, string>[]) {
      const admin = await download(`/admin/handlingar/${files.secret.id}`, headers);
      expect(admin.status).toBe(303);
      expect(admin.headers.get('location')).toMatch(/^\/admin\/logga-in/);
      expect(admin.body.toString('latin1')).not.toContain('HEMLIGT');
    }
    expect((await download('/handlingar/inte-ett-id', {})).status).toBe(404);
  });
});

describe('the meeting pack', () => {
  it('is the kallelse, then each item\'s handlingar in agenda order: a page naming them, then the PDFs\' pages', async () => {
    const r = await download(`${S}/meetings/${meetingId}/pack.pdf`, { authorization: `Bearer ${tokens.secretary}` });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    const pack = await pagesOf(r.body);
    const kallelse = await pagesOf((await download(`${S}/meetings/${meetingId}/kallelse.pdf`, { authorization: `Bearer ${tokens.admin}` })).body);
    // The kallelse first, page for page (its links now absolute).
    expect(pack.slice(0, kallelse.length).map((p) => p[0])).toEqual(kallelse.map((p) => p[0]));
    expect(pack[0].join(' ')).toContain('Kallelse');
    expect(pack[0].join(' ')).toContain('Föredragningslista');
    const rest = pack.slice(kallelse.length).map((p) => p.join(' '));
    const steg = await db.prisma.agendaItem.findFirstOrThrow({ where: { meetingId, matter: { dnr: dnrs.steg } } });
    const budget = await db.prisma.agendaItem.findFirstOrThrow({ where: { meetingId, matter: { dnr: dnrs.budget } } });
    expect(rest).toEqual([
      expect.stringContaining(`Handlingar till punkt ${steg.number}`),
      'Tjänsteskrivelse, reviderad, sida 1',
      'Tjänsteskrivelse, reviderad, sida 2',
      'Tjänsteskrivelse, reviderad, sida 3',
      'HEMLIGT-INNEHALL Yttrande om enskild',
      expect.stringContaining(`Handlingar till punkt ${budget.number}`),
    ]);
    // The item's page names its handlingar and where each is.
    expect(rest[0]).toContain('Tjänsteskrivelse (PDF, 3 sidor) – följer i paketet.');
    expect(rest[0]).toContain('Yttrande om enskild, kompletterat (PDF, 1 sida) – följer i paketet.');
    expect(rest[5]).toContain('Yttrande från Försäkringskassan (Word-fil) – kan inte fogas in i en pdf; läs den i Årscykel.');
    expect(rest[5]).toContain('Budget 2037 (Excel-fil) – kan inte fogas in i en pdf; läs den i Årscykel.');
    expect(rest[5]).toContain('Äldre budget (Excel-fil)');
    // Only the newest version of a handling.
    expect(rest.join(' ')).not.toContain('Tjänsteskrivelse sida 1');
    expect((await download(`${S}/meetings/${meetingId}/pack.pdf`, { authorization: `Bearer ${tokens.board}` })).status).toBe(403);
    expect((await download(`${S}/meetings/00000000-0000-0000-0000-000000000000/pack.pdf`, { authorization: `Bearer ${tokens.admin}` })).status).toBe(404);
  }, 60_000);

  it('leaves a secret handling\'s pages out for a reader who may not read it', async () => {
    const { meetingPack } = await import('../services/motespaket.js');
    const m = await db.prisma.meeting.findUniqueOrThrow({ where: { id: meetingId } });
    const pack = await meetingPack(db.prisma, m, { baseUrl: PUBLIC_BASE, includeSecret: false });
    expect(pack.listed.filter((x) => x.why === 'secret').map((x) => x.title)).toEqual(['Yttrande om enskild, kompletterat']);
    const text = await pdfText(pack.pdf);
    expect(text).not.toContain('HEMLIGT');
    expect(text).toContain('Handling: Yttrande om enskild, kompletterat (sekretess, läses inloggad) – ingår inte i paketet.');
  });
});

describe('the matter\'s page', () => {
  const plain = (html: string) => html.replace(/\u00a0/g, ' ').replace(/\u2060/g, '');
  let cookie = '';
  beforeAll(async () => {
    const who = await pagePerson(db.prisma, { forbundId, name: 'Sixten Sekreterare', role: 'secretary', publicBaseUrl: PUBLIC_BASE, now: () => clock });
    cookie = await signInCookie(served.base, who);
  });
  const get = async (path: string) => {
    const res = await fetch(`${served.base}${path}`, { headers: { cookie }, redirect: 'manual' });
    return { status: res.status, html: plain(await res.text()), location: res.headers.get('location'), headers: res.headers };
  };
  const post = async (path: string, fields: Record<string, string>, file?: Part) => {
    const fd = new FormData();
    for (const [k, v] of Object.entries(fields)) fd.append(k, v);
    if (file) fd.append('file', new Blob([file.data]), file.name);
    const res = await fetch(`${served.base}${path}`, { method: 'POST', headers: { cookie, origin: served.base }, body: fd, redirect: 'manual' });
    return { status: res.status, html: plain(await res.text()), location: res.headers.get('location') };
  };

  it('lists each handling with its versions, size, type, sekretess and download link, and the upload form', async () => {
    const p = await get(`/admin/arenden/${dnrs.steg}`);
    expect(p.status).toBe(200);
    expect(p.html).toContain('<h2 id="handlingar">Handlingar</h2>');
    expect(p.html).toContain('<h3 id="handling-1">Tjänsteskrivelse</h3>');
    expect(p.html).toContain('<h3 id="handling-2">Yttrande om enskild, kompletterat <strong class="tag warn">Sekretess</strong></h3>');
    expect(p.html).toContain(`<a href="/admin/handlingar/${files.pdf2.id}">Ladda ned<span class="vh"> Tjänsteskrivelse, version 2</span></a>`);
    expect(p.html).toContain(`<a href="/admin/handlingar/${files.pdf.id}">Ladda ned<span class="vh"> Tjänsteskrivelse, version 1</span></a>`);
    expect(p.html).toMatch(/<td>PDF, \d+,\d kB|<td>PDF, \d+ kB/);
    expect(p.html).toContain('av Olga Tjänsteman (tjänsteperson)');
    expect(p.html).toContain(`<form method="post" action="/admin/arenden/${dnrs.steg}/handlingar" enctype="multipart/form-data" novalidate>`);
    expect(p.html).toContain(`<option value="${files.pdf.key}">Tjänsteskrivelse (version 2)</option>`);
    expect(p.html).toContain('Pdf, Word (.docx, .doc) eller Excel (.xlsx, .xls), högst 20 MB.');

    // Signed in, the staff read every handling, the secret one too, from the page and from the kallelse's link.
    const d = await get(`/admin/handlingar/${files.secret.id}`);
    expect(d.status).toBe(200);
    expect(d.headers.get('content-disposition')).toMatch(/^attachment; /);
    expect(d.headers.get('x-content-type-options')).toBe('nosniff');
    const viaLink = await get(`/handlingar/${files.pdf2.id}`);
    expect(viaLink.location).toBe(`/admin/handlingar/${files.pdf2.id}`);
    expect((await get(`/admin/handlingar/${crypto.randomUUID()}`)).status).toBe(404);
    // The meeting page links the pack; the pack is served to the signed-in staff.
    expect((await get(`/admin/moten/${meetingId}`)).html).toContain(`<a href="/admin/moten/${meetingId}/motespaket.pdf">Mötespaketet som PDF (kallelsen och handlingarna)</a>`);
    const pack = await get(`/admin/moten/${meetingId}/motespaket.pdf`);
    expect(pack.status).toBe(200);
    expect(pack.headers.get('content-type')).toBe('application/pdf');
  });

  it('uploads through the form; a problem is shown in the error summary and next to its field, and nothing is stored', async () => {
    const before = await stored();
    const bad = await post(`/admin/arenden/${dnrs.other}/handlingar`, { title: '' }, { name: 'program.pdf', data: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(600, 7)]) });
    expect(bad.status).toBe(415);
    expect(bad.html).toContain('<div class="error-summary" role="alert"');
    expect(bad.html).toContain('<a href="#handling-fil">Filen är inte en pdf-, Word- eller Excel-fil');
    expect(bad.html).toContain('<a href="#handling-titel">Skriv handlingens titel.</a>');
    expect(bad.html).toContain('<p class="error" id="handling-fil-fel">');
    expect(bad.html).toContain('aria-describedby="handling-titel-hint handling-titel-fel" aria-invalid="true"');
    expect(bad.html).toContain('<details open><summary>Ladda upp en handling</summary>');
    const untitled = await post(`/admin/arenden/${dnrs.other}/handlingar`, { title: '' }, { name: 'x.pdf', data: await pdfFile([['x']]) });
    expect(untitled.status).toBe(400);
    expect(untitled.html).toContain('<a href="#handling-titel">Skriv handlingens titel.</a>');
    expect(await stored()).toEqual(before);

    const data = await pdfFile([['Policy, förslag']]);
    const ok = await post(`/admin/arenden/${dnrs.other}/handlingar`, { title: 'Förslag till policy', secret: 'ja' }, { name: 'policy.pdf', data });
    expect(ok.status, ok.html).toBe(303);
    expect(ok.location).toBe(`/admin/arenden/${dnrs.other}?klart=handling-uppladdad&vid=handlingar#handlingar`);
    const row = await db.prisma.document.findFirstOrThrow({ where: { matter: { dnr: dnrs.other } } });
    expect(row).toMatchObject({ title: 'Förslag till policy', secret: true, version: 1, sha256: sha(data) });
    expect(row.uploadedBy).toContain('Sixten Sekreterare');
    const after = await get(ok.location!);
    expect(after.html).toContain('Handlingen är uppladdad och sparad med ärendet.');
    expect(after.html).toContain('Förslag till policy <strong class="tag warn">Sekretess</strong>');
  });
});

describe('declared', () => {
  it('the routes are in the OpenAPI document', async () => {
    const doc = (await call('/api/v1/openapi.json')).json;
    expect(Object.keys(doc.paths['/api/v1/forbund/{forbund}/matters/{dnr}/documents']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/v1/forbund/{forbund}/matters/{dnr}/documents/{id}'])).toEqual(['get']);
    expect(Object.keys(doc.paths['/api/v1/forbund/{forbund}/meetings/{id}/pack.pdf'])).toEqual(['get']);
    expect(Object.keys(doc.paths['/admin/arenden/{dnr}/handlingar'])).toEqual(['post']);
  });
});

/** The URLs of a PDF's link annotations. */
async function linksOf(pdf: Uint8Array): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, useSystemFonts: false, verbosity: 0 }).promise;
  const out: string[] = [];
  for (let p = 1; p <= doc.numPages; p++) for (const a of await (await doc.getPage(p)).getAnnotations()) if (a.subtype === 'Link') out.push(String(a.url ?? a.unsafeUrl ?? ''));
  await doc.destroy();
  return out;
}

/** Each page's lines, top to bottom (pdf.js). */
async function pagesOf(pdf: Uint8Array): Promise<string[][]> {
  const doc = await PDFDocument.load(pdf);
  const pages: string[][] = [];
  for (let i = 0; i < doc.getPageCount(); i++) {
    const one = await PDFDocument.create();
    const [p] = await one.copyPages(doc, [i]);
    one.addPage(p);
    pages.push((await pdfLines(await one.save())).lines);
  }
  return pages;
}
