// A matter's handlingar, stored with the record: each upload checked (the type by its content,
// the size, a one-line title, sekretess), kept in the database (Document.content, so a backup holds
// the record whole; or, configured, in an S3 bucket: services/document-store.ts) with its SHA-256,
// checked when read back, as version 1 of a new handling or the next version of one by its key;
// audited. Read back as lists (never the content) and one version with its bytes. The API
// (api/handlingar.ts), the matter's page (api/admin/arenden.ts), the kallelse (agendaLinesOf in
// services/styrelse.ts) and the meeting pack (services/motespaket.ts) all go through here.
import { createHash, randomUUID } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { cfbKind, groupVersions, HANDLING_KINDS, HANDLING_MAX_BYTES, cleanFileName, svLimit, titleProblem, type HandlingKind, type HandlingVersion } from '../domain/handlingar.js';
import { containsIdentityNumber } from '../domain/personnummer.js';
import type { Prisma, PrismaClient } from '../prisma/db.js';
import { audit } from './audit.js';
import { DATABASE_DOCUMENTS, deleteOrphan, DocumentContentRefused, DocumentStoreUnavailable, logRefusedContent, type DocumentStore } from './document-store.js';
import type { Problem } from './refusal.js';

type Db = PrismaClient | Prisma.TransactionClient;

/** An upload not taken, and why: 400 a field wrong, 404 no such matter, 413 too large, 415 not a PDF, Word or Excel file. Nothing is stored. */
export class UploadRefused extends Error {
  constructor(
    readonly status: 400 | 404 | 413 | 415,
    readonly problems: Problem[],
  ) {
    super(problems.map((p) => `${p.field}: ${p.problem}`).join('; '));
  }
  /** The Swedish text of every problem. */
  get sv(): string {
    return this.problems.map((p) => p.sv).join(' ');
  }
}

/** The columns of a version as listed: everything but the content. */
export const VERSION_COLUMNS = { id: true, key: true, version: true, title: true, fileName: true, contentType: true, size: true, sha256: true, secret: true, uploadedBy: true, uploadedAt: true, matterId: true } as const;

export interface UploadInput {
  /** Required for a new handling; for a new version, absent or empty keeps the handling's title. */
  title?: string;
  /** Sekretess enligt OSL. Absent: a new handling is not secret, a new version is as secret as the handling. */
  secret?: boolean;
  /** A new version of the handling with this key. */
  key?: string;
  file?: { name: string; data: Buffer };
}

/** What the bytes are by their content (never their name), of the kinds taken; undefined for anything else. */
export async function detectHandlingKind(data: Uint8Array): Promise<HandlingKind | undefined> {
  if (!data.length) return undefined;
  const t = await fileTypeFromBuffer(data);
  if (!t) return undefined;
  if (t.ext === 'pdf' || t.ext === 'docx' || t.ext === 'xlsx') return t.ext;
  if (t.ext === 'cfb') return cfbKind(data);
  return undefined;
}

const matterOf = async (prisma: Db, forbundId: string, dnr: string) => {
  const m = await prisma.matter.findUnique({ where: { forbundId_dnr: { forbundId, dnr } }, select: { id: true, dnr: true, forbundId: true } });
  if (!m) throw new UploadRefused(404, [{ field: 'dnr', problem: `no matter "${dnr}" in this förbund`, sv: 'Det finns inget ärende med det diarienumret i förbundet.' }]);
  return m;
};

/**
 * Checks an upload and stores it as a new handling (version 1) or the next version of `key`;
 * audited as handling.uploaded. Throws UploadRefused (nothing stored) naming each field at fault.
 * The bytes go into the row (the database store), or into the bucket before the row is committed
 * (DocumentStoreUnavailable when it cannot take them; the object removed again when the row fails).
 */
export async function uploadHandling(prisma: PrismaClient, forbundId: string, dnr: string, input: UploadInput, actor: string, store: DocumentStore = DATABASE_DOCUMENTS): Promise<HandlingVersion & { dnr: string }> {
  const matter = await matterOf(prisma, forbundId, dnr);
  const file = input.file;
  const problems: Problem[] = [];
  let status: 400 | 413 | 415 = 400;

  // The earlier version, for a new version: its title and its sekretess carry over.
  const key = input.key?.trim() || undefined;
  const earlier = key ? await prisma.document.findFirst({ where: { matterId: matter.id, key }, orderBy: { version: 'desc' }, select: { title: true, secret: true } }) : null;
  if (key && !earlier) problems.push({ field: 'key', problem: `the matter has no handling with key "${key}"`, sv: 'Välj en av ärendets handlingar i listan, eller ingen för en ny handling.' });

  const title = (input.title ?? '').trim() || earlier?.title || '';
  const bad = titleProblem(title);
  if (bad) problems.push({ field: 'title', ...bad });

  if (earlier?.secret && input.secret === false)
    problems.push({ field: 'secret', problem: 'a new version of a secret handling is secret too', sv: 'Handlingen är sekretessbelagd, och en ny version av den är det också.' });

  let kind: HandlingKind | undefined;
  if (!file || !file.data.length) {
    problems.unshift({ field: 'file', problem: file ? 'is empty' : 'is required: a PDF, Word (.docx, .doc) or Excel (.xlsx, .xls) file', sv: file ? 'Filen är tom. Välj filen igen.' : 'Välj en fil: pdf, Word (.docx, .doc) eller Excel (.xlsx, .xls).' });
  } else if (file.data.length > HANDLING_MAX_BYTES) {
    status = 413;
    problems.unshift({ field: 'file', problem: `is larger than the limit of ${svLimit(HANDLING_MAX_BYTES)} (${HANDLING_MAX_BYTES} bytes)`, sv: `Filen är större än ${svLimit(HANDLING_MAX_BYTES)}. Dela upp den eller gör den mindre.` });
  } else if (containsIdentityNumber(file.name)) {
    problems.unshift({ field: 'file', problem: "the file's name looks like it contains a personal identity number; Årscykel holds none", sv: 'Filens namn ser ut att innehålla ett personnummer. Byt namn på filen och ladda upp den igen.' });
  } else {
    kind = await detectHandlingKind(file.data);
    if (!kind) {
      status = 415;
      problems.unshift({ field: 'file', problem: 'is not a PDF, Word (.docx, .doc) or Excel (.xlsx, .xls) file by its content', sv: 'Filen är inte en pdf-, Word- eller Excel-fil (.pdf, .docx, .doc, .xlsx, .xls). Årscykel läser vad filen innehåller, inte vad den heter.' });
    }
  }
  if (problems.length) throw new UploadRefused(status, problems);

  const data = file!.data;
  const sha256 = createHash('sha256').update(data).digest('hex');
  const secret = input.secret ?? earlier?.secret ?? false;
  const fileName = cleanFileName(file!.name) || `${title.slice(0, 100)}.${HANDLING_KINDS[kind!].ext}`;
  const handlingKey = key ?? randomUUID();
  const contentType = HANDLING_KINDS[kind!].mime;

  // In object storage: put first, so a committed row always has its object.
  const storageKey = store.kind === 's3' ? `${forbundId}/${matter.id}/${sha256}/${randomUUID()}` : null;
  if (store.kind === 's3') await store.put(storageKey!, data, contentType, sha256);
  const stored = storageKey ? { content: null, storageKey } : { content: new Uint8Array(data) };

  // The next version; two uploads at once both try, and the unique (matter, key, version) lets one through first.
  for (let attempt = 0; ; attempt++) {
    try {
      const row = await prisma.$transaction(async (tx) => {
        const last = await tx.document.findFirst({ where: { matterId: matter.id, key: handlingKey }, orderBy: { version: 'desc' }, select: { version: true } });
        const created = await tx.document.create({
          data: { forbundId, matterId: matter.id, key: handlingKey, version: (last?.version ?? 0) + 1, title, fileName, contentType, size: data.length, sha256, secret, ...stored, uploadedBy: actor },
          select: VERSION_COLUMNS,
        });
        await audit(tx, {
          forbundId,
          actor,
          action: 'handling.uploaded',
          entityType: 'document',
          entityId: created.id,
          data: { dnr: matter.dnr, key: created.key, version: created.version, title, fileName, contentType: created.contentType, size: created.size, sha256, secret, ...(storageKey ? { storageKey } : {}) },
        });
        return created;
      });
      return { ...row, dnr: matter.dnr };
    } catch (err) {
      if ((err as { code?: string }).code !== 'P2002' || attempt >= 4) {
        if (storageKey) await deleteOrphan(store, storageKey, err);
        throw err;
      }
    }
  }
}

/** Every version of every handling of a matter (no content), grouped: the handlingar by first upload, each with its versions newest first. */
export async function handlingarOfMatter(prisma: Db, forbundId: string, dnr: string) {
  const matter = await matterOf(prisma, forbundId, dnr);
  const rows = await prisma.document.findMany({ where: { matterId: matter.id, forbundId }, select: VERSION_COLUMNS, orderBy: [{ uploadedAt: 'asc' }, { version: 'asc' }] });
  return groupVersions(rows);
}

/** The newest version of each handling of these matters (no content), per matter in the order of first upload. */
export async function latestHandlingarOf(prisma: Db, matterIds: string[]): Promise<Map<string, HandlingVersion[]>> {
  const out = new Map<string, HandlingVersion[]>();
  if (!matterIds.length) return out;
  const rows = await prisma.document.findMany({ where: { matterId: { in: matterIds } }, select: VERSION_COLUMNS, orderBy: [{ uploadedAt: 'asc' }, { version: 'asc' }] });
  for (const id of matterIds) out.set(id, groupVersions(rows.filter((r) => r.matterId === id)).map((h) => h.latest));
  return out;
}

/** One version with its bytes, if it is the förbund's. */
export async function handlingWithContent(prisma: Db, forbundId: string, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const row = await prisma.document.findFirst({ where: { id, forbundId }, select: { ...VERSION_COLUMNS, content: true, storageKey: true, matter: { select: { dnr: true } } } });
  return row ?? undefined;
}

/**
 * The version's bytes as stored: in the row, or in the bucket by its storageKey; checked against
 * its SHA-256 first. Throws DocumentContentRefused (logged) for bytes that do not match or an
 * object that is gone, DocumentStoreUnavailable when the bucket cannot be read (or is not
 * configured here).
 */
export async function contentOf(row: { content: Uint8Array | null; storageKey: string | null; id: string; sha256: string }, store: DocumentStore = DATABASE_DOCUMENTS): Promise<Buffer> {
  let bytes: Buffer;
  if (row.content) bytes = Buffer.from(row.content);
  else if (!row.storageKey) throw new DocumentContentRefused(`handling ${row.id} has neither content nor a storage key`);
  else if (store.kind !== 's3') throw new DocumentStoreUnavailable(`handling ${row.id} is in object storage (${row.storageKey}), which this deployment does not read: set DOCUMENT_STORAGE=s3 and the bucket's S3_* variables`);
  else {
    try {
      bytes = await store.get(row.storageKey);
    } catch (err) {
      if (err instanceof DocumentContentRefused) logRefusedContent({ handling: row.id, storageKey: row.storageKey, bucket: store.bucket, reason: err.message });
      throw err;
    }
  }
  const found = createHash('sha256').update(bytes).digest('hex');
  if (found !== row.sha256) {
    logRefusedContent({ handling: row.id, ...(row.storageKey ? { storageKey: row.storageKey } : {}), expected: row.sha256, found, size: bytes.length });
    throw new DocumentContentRefused(`the stored bytes of handling ${row.id} do not match its SHA-256 (expected ${row.sha256}, found ${found}); not served`);
  }
  return bytes;
}
