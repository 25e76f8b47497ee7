// A matter's handlingar (uploaded files): which files are taken, what a title may be, and how a
// handling is named, sized and grouped for the reader. Pure: the bytes in, the answers out.
//
// The type is read from the content, never from the file's name or the client's content type
// (services/handlingar.ts): `file-type` reads the magic bytes (a PDF, or a zip container that it
// tells apart as .docx or .xlsx by its [Content_Types].xml); the legacy Office files (.doc, .xls)
// are all one kind to it (a Compound File Binary, "cfb"), so the CFB's root directory is read here
// (cfbKind): a Word document has the stream WordDocument, an Excel workbook Workbook (or Book,
// before Excel 97). Anything else (an .exe renamed .pdf, a PowerPoint, a macro-enabled .docm, a
// password-protected Office file, whose CFB holds only EncryptedPackage) is refused.
import { textProblem } from './fritext.js';

/** The largest handling taken: 20 MB. */
export const HANDLING_MAX_BYTES = 20 * 1024 * 1024;
/** A title's longest. */
export const HANDLING_TITLE_MAX = 300;

export type HandlingKind = 'pdf' | 'docx' | 'doc' | 'xlsx' | 'xls';

export const HANDLING_KINDS: Record<HandlingKind, { mime: string; ext: string; sv: 'PDF' | 'Word' | 'Excel' }> = {
  pdf: { mime: 'application/pdf', ext: 'pdf', sv: 'PDF' },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ext: 'docx', sv: 'Word' },
  doc: { mime: 'application/msword', ext: 'doc', sv: 'Word' },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: 'xlsx', sv: 'Excel' },
  xls: { mime: 'application/vnd.ms-excel', ext: 'xls', sv: 'Excel' },
};

/** The kind of a stored content type ('application/pdf' → 'pdf'), undefined for another. */
export const kindOfContentType = (contentType: string): HandlingKind | undefined =>
  (Object.keys(HANDLING_KINDS) as HandlingKind[]).find((k) => HANDLING_KINDS[k].mime === contentType);

/** A Compound File Binary's kind, of those taken: a Word document (.doc) or an Excel workbook (.xls); undefined for another (PowerPoint, an installer, an encrypted OOXML file). */
export function cfbKind(data: Uint8Array): 'doc' | 'xls' | undefined {
  const names = (cfbRootNames(data) ?? []).map((n) => n.toLowerCase());
  if (names.includes('worddocument')) return 'doc';
  if (names.includes('workbook') || names.includes('book')) return 'xls';
  return undefined;
}

const FREESECT = 0xffffffff;
const ENDOFCHAIN = 0xfffffffe;
/** Sector numbers at and above this mark a chain's end or a special sector. */
const MAXREGSECT = 0xfffffffa;

/**
 * The names of the entries directly in a Compound File Binary's root storage (MS-CFB: the header,
 * the FAT through the DIFAT, the directory chain, the root's red-black tree of children), or
 * undefined when the bytes are not one. Bounded: every chain and tree walk stops at a loop.
 */
export function cfbRootNames(b: Uint8Array): string[] | undefined {
  if (b.length < 512) return undefined;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const u32 = (at: number) => (at + 4 <= b.length ? dv.getUint32(at, true) : FREESECT);
  const shift = dv.getUint16(0x1e, true);
  if (shift !== 9 && shift !== 12) return undefined;
  const size = 1 << shift;
  const perSector = size / 4;
  const offsetOf = (sector: number) => (sector + 1) * size;
  const sectors = Math.ceil(b.length / size);

  // The FAT's own sectors: the first 109 in the header, the rest along the DIFAT chain.
  const fat: number[] = [];
  const fatCount = u32(0x2c);
  for (let i = 0; i < 109 && fat.length < fatCount; i++) fat.push(u32(0x4c + i * 4));
  let difat = u32(0x44);
  const seenDifat = new Set<number>();
  while (fat.length < fatCount && difat < MAXREGSECT && !seenDifat.has(difat) && difat < sectors) {
    seenDifat.add(difat);
    for (let i = 0; i < perSector - 1 && fat.length < fatCount; i++) fat.push(u32(offsetOf(difat) + i * 4));
    difat = u32(offsetOf(difat) + (perSector - 1) * 4);
  }
  const next = (sector: number) => {
    const f = fat[Math.floor(sector / perSector)];
    return f === undefined || f >= MAXREGSECT ? ENDOFCHAIN : u32(offsetOf(f) + (sector % perSector) * 4);
  };

  // The directory: 128-byte entries along its chain.
  const entries: { name: string; type: number; left: number; right: number; child: number }[] = [];
  const seen = new Set<number>();
  for (let s = u32(0x30); s < MAXREGSECT && s < sectors && !seen.has(s); s = next(s)) {
    seen.add(s);
    for (let at = offsetOf(s); at + 128 <= Math.min(offsetOf(s) + size, b.length); at += 128) {
      const length = dv.getUint16(at + 64, true);
      const name = length >= 2 && length <= 64 ? Buffer.from(b.subarray(at, at + length - 2)).toString('utf16le') : '';
      entries.push({ name, type: b[at + 66], left: u32(at + 68), right: u32(at + 72), child: u32(at + 76) });
    }
  }
  const root = entries[0];
  if (!root || root.type !== 5) return undefined;
  const names: string[] = [];
  const visited = new Set<number>();
  const stack = [root.child];
  while (stack.length) {
    const i = stack.pop()!;
    if (i >= MAXREGSECT || visited.has(i) || !entries[i]) continue;
    visited.add(i);
    const x = entries[i];
    if (x.type === 1 || x.type === 2) names.push(x.name);
    stack.push(x.left, x.right);
  }
  return names;
}

/** What is wrong with a title (trimmed), in English and Swedish; undefined when it is good. */
export function titleProblem(title: string): { problem: string; sv: string } | undefined {
  if (!title) return { problem: 'is required', sv: 'Skriv handlingens titel.' };
  if (title.length > HANDLING_TITLE_MAX) return { problem: `must be at most ${HANDLING_TITLE_MAX} characters`, sv: `Titeln får vara högst ${HANDLING_TITLE_MAX} tecken.` };
  return textProblem(title);
}

/** '20 MB' */
export const svLimit = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

/** A size as a person reads it: '812 byte', '34 kB', '1,2 MB'. */
export function svSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte`;
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} kB`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace('.', ',')} MB`;
}

/** Characters left out of a file name: control characters, line and paragraph separators, bidi overrides and marks. */
const NOT_IN_NAME = /[\p{Cc}\u2028\u2029\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/gu;

/** The name as given, without a path or characters that belong in no name; at most 200 characters. */
export function cleanFileName(name: string): string {
  const base = (name.split(/[\\/]/).pop() ?? '').replace(NOT_IN_NAME, '').replace(/["<>|:*?]/g, '').trim();
  return base.slice(-200);
}

/**
 * The name a download is saved under: the given name's stem (or the title's) with the extension of
 * the kind found in the content, so a PDF uploaded as 'x.docx' is saved as 'x.pdf'.
 */
export function downloadName(fileName: string, title: string, kind: HandlingKind): string {
  const stem = cleanFileName(fileName).replace(/\.[A-Za-z0-9]{1,5}$/, '').replace(/^\.+/, '').trim() || cleanFileName(title).replace(/^\.+/, '').trim() || 'handling';
  return `${stem.slice(0, 150)}.${HANDLING_KINDS[kind].ext}`;
}

/** `attachment; filename="…"` with an ASCII stand-in and the name itself as RFC 5987 UTF-8, safe in a header. */
export function attachmentHeader(name: string): string {
  const ascii = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._ -]/g, '_')
    .replace(/_+/g, '_')
    .trim() || 'handling';
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** One stored version of a handling, as listed (never its content). */
export interface HandlingVersion {
  id: string;
  key: string;
  version: number;
  title: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  secret: boolean;
  uploadedBy: string;
  uploadedAt: Date;
}

/** A handling across its versions: the newest first, and the order of the matter's handlingar by when each was first uploaded. */
export function groupVersions<T extends Pick<HandlingVersion, 'key' | 'version' | 'uploadedAt'>>(rows: T[]): { key: string; latest: T; versions: T[] }[] {
  const byKey = new Map<string, T[]>();
  for (const r of rows) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
  const first = (vs: T[]) => vs.reduce((m, v) => Math.min(m, v.uploadedAt.getTime()), Infinity);
  return [...byKey.entries()]
    .map(([key, vs]) => ({ key, versions: [...vs].sort((a, b) => b.version - a.version), firstAt: first(vs) }))
    .sort((a, b) => a.firstAt - b.firstAt || a.key.localeCompare(b.key))
    .map(({ key, versions }) => ({ key, latest: versions[0], versions }));
}

/** The path a handling is read at: it asks the reader to sign in (staff today; the board's members with their own sign-in). */
export const handlingPath = (id: string) => `/handlingar/${encodeURIComponent(id)}`;

/** A secret handling as the kallelse names it, without a link: 'Handling: Yttrande (sekretess, läses inloggad)'. */
export const secretHandlingLine = (title: string) => `Handling: ${title} (sekretess, läses inloggad)`;
