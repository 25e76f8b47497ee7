// A matter's handlingar without a database (domain/handlingar.ts): which stored content type is
// which kind; how a legacy Office file (a Compound File Binary) is told apart as a Word document or
// an Excel workbook from the names in its root storage, however its FAT, DIFAT and directory are
// laid out, and that a damaged one (loops, bytes past its end) is refused or read without hanging;
// what a title may be; how a size and the size limit read in Swedish; the name a file is stored
// and downloaded under and the download header; and how versions are grouped and ordered.
import { describe, expect, it } from 'vitest';
import {
  attachmentHeader,
  cfbKind,
  cfbRootNames,
  cleanFileName,
  downloadName,
  groupVersions,
  handlingPath,
  HANDLING_MAX_BYTES,
  HANDLING_TITLE_MAX,
  kindOfContentType,
  secretHandlingLine,
  svLimit,
  svSize,
  titleProblem,
} from '../domain/handlingar.js';

// ---- Compound File Binary, built by hand (MS-CFB) ----

const FREE = 0xffffffff;
const END = 0xfffffffe;
const FATSECT = 0xfffffffd;
const DIFSECT = 0xfffffffc;

interface Entry {
  name: string;
  /** 1 storage, 2 stream, 5 root, 0 unused. */
  type: number;
  left?: number;
  right?: number;
  child?: number;
  /** The stated name length in bytes, when not the name's own (with its terminating NUL). */
  nameBytes?: number;
}

/** A sector of FAT (or DIFAT) slots: every slot free but those given. */
function slots(size: number, given: Record<number, number>): Buffer {
  const s = Buffer.alloc(size, 0xff);
  for (const [i, v] of Object.entries(given)) s.writeUInt32LE(v, Number(i) * 4);
  return s;
}

/** A directory sector: 128-byte entries, the missing ones left zero. */
function dirSector(size: number, entries: (Entry | undefined)[]): Buffer {
  const s = Buffer.alloc(size);
  entries.forEach((e, i) => {
    if (!e) return;
    const at = i * 128;
    s.write(e.name, at, 'utf16le');
    s.writeUInt16LE(e.nameBytes ?? (e.name.length + 1) * 2, at + 64);
    s[at + 66] = e.type;
    s[at + 67] = 1;
    s.writeUInt32LE(e.left ?? FREE, at + 68);
    s.writeUInt32LE(e.right ?? FREE, at + 72);
    s.writeUInt32LE(e.child ?? FREE, at + 76);
    s.writeUInt32LE(END, at + 116);
  });
  return s;
}

/** A whole file: the header (one sector) with these fields, then the sectors by number (sector n at (n + 1) × size). */
function compound(o: { shift?: number; fatCount: number; fatSlots: number[]; dirStart: number; difatStart?: number; sectors: Record<number, Buffer>; length?: number }): Buffer {
  const shift = o.shift ?? 9;
  const size = 1 << shift;
  const last = Math.max(...Object.keys(o.sectors).map(Number));
  const b = Buffer.alloc(o.length ?? (last + 2) * size);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(b, 0);
  b.writeUInt16LE(0x3e, 0x18);
  b.writeUInt16LE(shift === 12 ? 4 : 3, 0x1a);
  b.writeUInt16LE(0xfffe, 0x1c);
  b.writeUInt16LE(shift, 0x1e);
  b.writeUInt16LE(6, 0x20);
  b.writeUInt32LE(o.fatCount, 0x2c);
  b.writeUInt32LE(o.dirStart, 0x30);
  b.writeUInt32LE(4096, 0x38);
  b.writeUInt32LE(END, 0x3c);
  b.writeUInt32LE(o.difatStart ?? END, 0x44);
  for (let i = 0; i < 109; i++) b.writeUInt32LE(o.fatSlots[i] ?? FREE, 0x4c + i * 4);
  for (const [n, data] of Object.entries(o.sectors)) {
    const at = (Number(n) + 1) * size;
    if (at < b.length) data.copy(b, at, 0, Math.min(data.length, b.length - at));
  }
  return b;
}

/** The root and its children as a right-leaning chain: entry 1, its right sibling 2, and so on. */
const chain = (names: string[]): Entry[] => [{ name: 'Root Entry', type: 5, child: names.length ? 1 : FREE }, ...names.map((name, i) => ({ name, type: 2, right: i + 2 <= names.length ? i + 2 : FREE }))];

/** The usual small file: the FAT in sector 0, the directory in sector 1 (one sector). */
function simple(entries: (Entry | undefined)[], shift = 9): Buffer {
  const size = 1 << shift;
  return compound({ shift, fatCount: 1, fatSlots: [0], dirStart: 1, sectors: { 0: slots(size, { 0: FATSECT, 1: END }), 1: dirSector(size, entries) } });
}

describe('the kind of a stored content type', () => {
  it('each of the five kinds taken, and nothing for another type', () => {
    expect(kindOfContentType('application/pdf')).toBe('pdf');
    expect(kindOfContentType('application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe('docx');
    expect(kindOfContentType('application/msword')).toBe('doc');
    expect(kindOfContentType('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).toBe('xlsx');
    expect(kindOfContentType('application/vnd.ms-excel')).toBe('xls');
    expect(kindOfContentType('text/plain')).toBeUndefined();
    expect(kindOfContentType('')).toBeUndefined();
  });
});

describe('a legacy Office file is told apart by its streams', () => {
  it('a Word document (.doc) has WordDocument, whatever its case', () => {
    expect(cfbKind(simple(chain(['\u0005SummaryInformation', 'WordDocument', '1Table'])))).toBe('doc');
    expect(cfbKind(simple(chain(['WORDDOCUMENT'])))).toBe('doc');
  });

  it('an Excel workbook (.xls) has Workbook, or Book before Excel 97', () => {
    expect(cfbKind(simple(chain(['Workbook'])))).toBe('xls');
    expect(cfbKind(simple(chain(['Book'])))).toBe('xls');
    expect(cfbKind(simple(chain(['\u0005SummaryInformation', 'BOOK'])))).toBe('xls');
  });

  it('a PowerPoint, an encrypted file, an empty root or bytes that are no compound file are refused', () => {
    expect(cfbKind(simple(chain(['PowerPoint Document', 'Current User'])))).toBeUndefined();
    expect(cfbKind(simple(chain(['EncryptedPackage', 'EncryptionInfo'])))).toBeUndefined();
    expect(cfbKind(simple(chain([])))).toBeUndefined();
    expect(cfbKind(Buffer.concat([Buffer.from('MZ'), Buffer.alloc(2000, 1)]))).toBeUndefined();
  });
});

describe("the names in a compound file's root storage", () => {
  it('the streams and storages directly in the root, read through the tree to the left and the right', () => {
    // Entry 2 is the root's child; 1 is its left sibling, 3 its right; 3 has a child of its own (not in the root).
    const entries: Entry[] = [
      { name: 'Root Entry', type: 5, child: 2 },
      { name: 'Data', type: 2 },
      { name: 'WordDocument', type: 2, left: 1, right: 3 },
      { name: 'ObjectPool', type: 1, child: 4 },
    ];
    const more: Entry[] = [{ name: 'Inner', type: 2 }];
    const b = compound({ fatCount: 1, fatSlots: [0], dirStart: 1, sectors: { 0: slots(512, { 0: FATSECT, 1: 2, 2: END }), 1: dirSector(512, entries), 2: dirSector(512, more) } });
    expect(cfbRootNames(b)?.sort()).toEqual(['Data', 'ObjectPool', 'WordDocument']);
  });

  it('an unused entry linked into the tree is no name', () => {
    const entries: Entry[] = [
      { name: 'Root Entry', type: 5, child: 1 },
      { name: 'Workbook', type: 2, right: 2 },
      { name: 'Gone', type: 0, right: 3 },
      { name: 'Odd root', type: 5 },
    ];
    expect(cfbRootNames(simple(entries))).toEqual(['Workbook']);
  });

  it('a directory over several sectors, in the order its chain gives', () => {
    // Directory sectors 3 then 1: the root in 3, the streams in 1.
    const first: Entry[] = [{ name: 'Root Entry', type: 5, child: 4 }];
    const second: Entry[] = [
      { name: 'WordDocument', type: 2, right: 5 },
      { name: '1Table', type: 2 },
    ];
    const b = compound({ fatCount: 1, fatSlots: [0], dirStart: 3, sectors: { 0: slots(512, { 0: FATSECT, 3: 1, 1: END }), 1: dirSector(512, second), 3: dirSector(512, first) } });
    expect(cfbRootNames(b)).toEqual(['WordDocument', '1Table']);
  });

  it('a version 4 file with 4096-byte sectors', () => {
    expect(cfbRootNames(simple(chain(['Workbook', '\u0005DocumentSummaryInformation']), 12))).toEqual(['Workbook', '\u0005DocumentSummaryInformation']);
    expect(cfbKind(simple(chain(['Workbook']), 12))).toBe('xls');
  });

  it('any sector size but 512 or 4096 bytes is no compound file', () => {
    expect(cfbRootNames(simple(chain(['WordDocument']), 10))).toBeUndefined();
    expect(cfbRootNames(simple(chain(['WordDocument']), 11))).toBeUndefined();
  });

  it('fewer than 512 bytes is no compound file', () => {
    expect(cfbRootNames(new Uint8Array(16))).toBeUndefined();
    expect(cfbRootNames(simple(chain(['WordDocument'])).subarray(0, 511))).toBeUndefined();
  });

  it('a first entry that is not the root is no compound file', () => {
    expect(cfbRootNames(simple([{ name: 'Root Entry', type: 1, child: 1 }, { name: 'WordDocument', type: 2 }]))).toBeUndefined();
  });

  it('reads the bytes of a view into a larger buffer, not the buffer from its start', () => {
    const file = simple(chain(['WordDocument']));
    const big = new Uint8Array(file.length + 100);
    big.set(file, 100);
    expect(cfbRootNames(big.subarray(100))).toEqual(['WordDocument']);
  });

  it('a name is read whole up to 31 characters, and as nothing when its stated length does not fit', () => {
    const long = 'A'.repeat(31);
    expect(cfbRootNames(simple(chain([long])))).toEqual([long]);
    const bad = (nameBytes: number) => simple([{ name: 'Root Entry', type: 5, child: 1 }, { name: 'Workbook', type: 2, nameBytes }]);
    expect(cfbRootNames(bad(66))).toEqual(['']);
    expect(cfbRootNames(bad(0))).toEqual(['']);
    expect(cfbRootNames(bad(1))).toEqual(['']);
    expect(cfbRootNames(bad(2))).toEqual(['']);
    expect(cfbRootNames(bad(4))).toEqual(['W']);
  });

  it('a file cut off after its last whole directory entry still gives that entry', () => {
    const b = simple(chain(['WordDocument'])).subarray(0, 1024 + 256);
    expect(cfbRootNames(b)).toEqual(['WordDocument']);
    expect(cfbKind(b)).toBe('doc');
  });

  it('a chain read from the last slot of a FAT that ends the file', () => {
    // The FAT in sector 128, the file's last; the directory runs from sector 127 (its link: the FAT's last slot) to sector 1.
    const b = compound({
      fatCount: 1,
      fatSlots: [128],
      dirStart: 127,
      sectors: { 128: slots(512, { 127: 1, 1: END }), 127: dirSector(512, [{ name: 'Root Entry', type: 5, child: 4 }]), 1: dirSector(512, [{ name: 'Workbook', type: 2 }]) },
    });
    expect(b.length).toBe(130 * 512);
    expect(cfbRootNames(b)).toEqual(['Workbook']);
  });

  it('a FAT said to lie just past the end of the file ends the chain, not the reading', () => {
    // 1536 bytes: the header, sector 0 (unused) and the directory in sector 1; the FAT "in sector 2", which is not there.
    const b = compound({ fatCount: 1, fatSlots: [2], dirStart: 1, sectors: { 0: Buffer.alloc(512), 1: dirSector(512, chain(['WordDocument'])) } });
    expect(b.length).toBe(1536);
    expect(cfbRootNames(b)).toEqual(['WordDocument']);
  });

  it('the FAT sectors past the first 109 are found along the DIFAT chain', () => {
    // 237 FAT sectors: 109 in the header, 127 in DIFAT sector 2 (the 111th, sector 3, in its second slot),
    // the 237th (sector 5) in DIFAT sector 4, reached from sector 2's last slot.
    // The directory runs 1 → 14080 (link in FAT number 110) → 30208 (link in FAT number 236) → 6.
    const mid = 110 * 128;
    const far = 236 * 128;
    const b = compound({
      fatCount: 237,
      fatSlots: [0],
      dirStart: 1,
      difatStart: 2,
      sectors: {
        0: slots(512, { 0: FATSECT, 1: mid, 2: DIFSECT, 3: FATSECT, 4: DIFSECT, 5: FATSECT, 6: END }),
        1: dirSector(512, [{ name: 'Root Entry', type: 5, child: 1 }, { name: '\u0005SummaryInformation', type: 2, right: 4 }]),
        2: slots(512, { 1: 3, 127: 4 }),
        3: slots(512, { 0: far }),
        4: slots(512, { 0: 5, 127: END }),
        5: slots(512, { 0: 6 }),
        6: dirSector(512, [{ name: 'WordDocument', type: 2, right: 13 }, { name: '1Table', type: 2 }]),
        [mid]: dirSector(512, [{ name: 'Data', type: 2, right: 8 }]),
        [far]: dirSector(512, [{ name: 'ObjectPool', type: 1, right: 12 }]),
      },
    });
    expect(cfbRootNames(b)).toEqual(['\u0005SummaryInformation', 'Data', 'ObjectPool', 'WordDocument', '1Table']);
    expect(cfbKind(b)).toBe('doc');
  });

  it('110 FAT sectors: the 110th is the first slot of the DIFAT, not what follows the header; the DIFAT slots past the count are not read', () => {
    // The directory runs 1 → 13952 (link in FAT number 109, sector 3) → 6 → 14080, where it ends: FAT number 110 is
    // past the count, so sector 4 in the DIFAT's second slot is no FAT (read as one, it would lead on to sector 5).
    const far = 109 * 128;
    const after = 110 * 128;
    const b = compound({
      fatCount: 110,
      fatSlots: [0],
      dirStart: 1,
      difatStart: 2,
      sectors: {
        0: slots(512, { 0: FATSECT, 1: far, 2: DIFSECT, 3: FATSECT, 4: FATSECT, 6: after }),
        1: dirSector(512, [{ name: 'Root Entry', type: 5, child: 1 }, { name: 'Data', type: 2, right: 4 }]),
        2: slots(512, { 0: 3, 1: 4, 127: END }),
        3: slots(512, { 0: 6 }),
        4: slots(512, { 0: 5 }),
        5: dirSector(512, [{ name: 'WordDocument', type: 2 }]),
        6: dirSector(512, [{ name: 'CompObj', type: 2, right: 12 }]),
        [far]: dirSector(512, [{ name: 'Ole', type: 2, right: 8 }]),
        [after]: dirSector(512, [{ name: 'Book', type: 2, right: 16 }]),
      },
    });
    expect(cfbRootNames(b)).toEqual(['Data', 'Ole', 'CompObj', 'Book']);
    expect(cfbKind(b)).toBe('xls');
  });

  it('only as many FAT sectors as the header counts are read from it', () => {
    // Two FAT sectors (0 and 2); the header's third slot (sector 4) is past the count and not read.
    // The directory runs 1 → 128 (link in FAT number 0) → 256 (link in FAT number 1), and ends there.
    const b = compound({
      fatCount: 2,
      fatSlots: [0, 2, 4],
      dirStart: 1,
      sectors: {
        0: slots(512, { 0: FATSECT, 1: 128, 2: FATSECT, 4: FATSECT }),
        1: dirSector(512, [{ name: 'Root Entry', type: 5, child: 1 }, { name: 'Data', type: 2, right: 4 }]),
        2: slots(512, { 0: 256 }),
        3: dirSector(512, [{ name: 'WordDocument', type: 2 }]),
        4: slots(512, { 0: 3 }),
        128: dirSector(512, [{ name: 'Ole', type: 2, right: 8 }]),
        256: dirSector(512, [{ name: 'CompObj', type: 2, right: 12 }]),
      },
    });
    expect(cfbRootNames(b)).toEqual(['Data', 'Ole', 'CompObj']);
    expect(cfbKind(b)).toBeUndefined();
  });

  it('a loop in the DIFAT, the directory chain or the tree is read once and ends', () => {
    const difatLoop = compound({ fatCount: 0xfffffff0, fatSlots: [0], dirStart: 1, difatStart: 2, sectors: { 0: slots(512, { 0: FATSECT, 1: END, 2: DIFSECT }), 1: dirSector(512, chain(['Workbook'])), 2: slots(512, { 127: 2 }) } });
    expect(cfbRootNames(difatLoop)).toEqual(['Workbook']);
    const dirLoop = compound({ fatCount: 1, fatSlots: [0], dirStart: 1, sectors: { 0: slots(512, { 0: FATSECT, 1: 1 }), 1: dirSector(512, chain(['WordDocument'])) } });
    expect(cfbRootNames(dirLoop)).toEqual(['WordDocument']);
    const treeLoop = simple([{ name: 'Root Entry', type: 5, child: 1 }, { name: 'Workbook', type: 2, left: 2, right: 1 }, { name: 'Book', type: 2, left: 1, right: 0 }]);
    expect(cfbRootNames(treeLoop)?.sort()).toEqual(['Book', 'Workbook']);
  });

  it('a directory chain that runs past the end of the file ends there, even where the FAT would lead back in', () => {
    // 2048 bytes: the header and sectors 0 to 2. The directory runs 1 → 4 (not in the file); the FAT's link from 4 to 2 is not followed.
    const b = compound({
      fatCount: 1,
      fatSlots: [0],
      dirStart: 1,
      sectors: { 0: slots(512, { 0: FATSECT, 1: 4, 4: 2, 2: END }), 1: dirSector(512, [{ name: 'Root Entry', type: 5, child: 1 }, { name: 'Data', type: 2, right: 4 }]), 2: dirSector(512, [{ name: 'WordDocument', type: 2 }]) },
    });
    expect(b.length).toBe(2048);
    expect(cfbRootNames(b)).toEqual(['Data']);
    expect(cfbKind(b)).toBeUndefined();
  });

  it('a directory or DIFAT said to start past the end of the file gives nothing, without reading there', () => {
    const noDir = compound({ fatCount: 1, fatSlots: [0], dirStart: 9, sectors: { 0: slots(512, { 0: FATSECT }), 1: dirSector(512, chain(['WordDocument'])) } });
    expect(cfbRootNames(noDir)).toBeUndefined();
    const farDifat = compound({ fatCount: 2, fatSlots: [], dirStart: 1, difatStart: 40, sectors: { 0: slots(512, { 0: FATSECT, 1: END }), 1: dirSector(512, chain(['WordDocument'])) } });
    expect(cfbRootNames(farDifat)).toEqual(['WordDocument']);
  });
});

describe("a handling's title", () => {
  it('is required', () => {
    expect(titleProblem('')).toEqual({ problem: 'is required', sv: 'Skriv handlingens titel.' });
  });

  it('may be 300 characters, not 301', () => {
    expect(HANDLING_TITLE_MAX).toBe(300);
    expect(titleProblem('Y'.repeat(300))).toBeUndefined();
    expect(titleProblem('Y'.repeat(301))).toEqual({ problem: 'must be at most 300 characters', sv: 'Titeln får vara högst 300 tecken.' });
  });

  it('is one line without invisible control characters', () => {
    expect(titleProblem('Yttrande över budget 2027')).toBeUndefined();
    expect(titleProblem('Yttrande\u202egdub')?.sv).toBe('Texten får bara vara en rad, utan radbrytningar eller osynliga styrtecken.');
  });
});

describe('sizes as a person reads them', () => {
  it('the limit is 20 MB', () => {
    expect(HANDLING_MAX_BYTES).toBe(20 * 1024 * 1024);
    expect(svLimit(HANDLING_MAX_BYTES)).toBe('20 MB');
    expect(svLimit(5 * 1024 * 1024 + 600 * 1024)).toBe('6 MB');
    expect(svLimit(5 * 1024 * 1024 + 400 * 1024)).toBe('5 MB');
  });

  it('bytes under 1 kB, whole kB rounded up under 1 MB, then MB with one decimal and a comma', () => {
    expect(svSize(0)).toBe('0 byte');
    expect(svSize(812)).toBe('812 byte');
    expect(svSize(1023)).toBe('1023 byte');
    expect(svSize(1024)).toBe('1 kB');
    expect(svSize(1025)).toBe('2 kB');
    expect(svSize(34 * 1024)).toBe('34 kB');
    expect(svSize(1024 * 1024 - 1)).toBe('1024 kB');
    expect(svSize(1024 * 1024)).toBe('1,0 MB');
    expect(svSize(Math.round(1.2 * 1024 * 1024))).toBe('1,2 MB');
    expect(svSize(HANDLING_MAX_BYTES)).toBe('20,0 MB');
  });
});

describe('the name a file is kept under', () => {
  it('without the folders of a Windows or a Unix path', () => {
    expect(cleanFileName('C:\\Users\\anna\\Dokument\\Yttrande.pdf')).toBe('Yttrande.pdf');
    expect(cleanFileName('/home/anna/Budget 2027.xlsx')).toBe('Budget 2027.xlsx');
    expect(cleanFileName('Protokoll.docx')).toBe('Protokoll.docx');
  });

  it('without control characters, bidi overrides, marks or characters no file name may hold, and trimmed', () => {
    expect(cleanFileName('Faktura\u202efdp.exe')).toBe('Fakturafdp.exe');
    expect(cleanFileName('Rad\u0000ett\u2028\u200f\u2066.pdf')).toBe('Radett.pdf');
    expect(cleanFileName('a"b<c>d|e:f*g?h.pdf')).toBe('abcdefgh.pdf');
    expect(cleanFileName('  Yttrande.pdf \t')).toBe('Yttrande.pdf');
    expect(cleanFileName('Årsredovisning 2025 (slutlig).pdf')).toBe('Årsredovisning 2025 (slutlig).pdf');
  });

  it('at most 200 characters, keeping the end with the extension', () => {
    const name = `${'a'.repeat(196)}bcde.pdf`;
    expect(cleanFileName(name)).toBe(`${'a'.repeat(192)}bcde.pdf`);
    expect(cleanFileName(name)).toHaveLength(200);
    expect(cleanFileName('x'.repeat(200))).toBe('x'.repeat(200));
  });
});

describe('the name a download is saved under', () => {
  it("the given name's stem with the extension of the kind found in the content", () => {
    expect(downloadName('Yttrande.docx', 'Yttrande', 'pdf')).toBe('Yttrande.pdf');
    expect(downloadName('Budget.XLS', 'Budget', 'xlsx')).toBe('Budget.xlsx');
    expect(downloadName('Protokoll', 'P', 'doc')).toBe('Protokoll.doc');
    expect(downloadName('C:\\temp\\Kallelse 12 mars.pdf', 'K', 'docx')).toBe('Kallelse 12 mars.docx');
  });

  it('only a last extension of up to five letters or digits is taken off', () => {
    expect(downloadName('Rapport.v2.final.pdf', 'R', 'pdf')).toBe('Rapport.v2.final.pdf');
    expect(downloadName('Rapport.final', 'R', 'pdf')).toBe('Rapport.pdf');
    expect(downloadName('Rapport.utkast', 'R', 'pdf')).toBe('Rapport.utkast.pdf');
    expect(downloadName('Rapport.', 'R', 'pdf')).toBe('Rapport..pdf');
  });

  it("the title's when the name gives no stem, and 'handling' when neither does", () => {
    expect(downloadName('.pdf', 'Yttrande över budget', 'pdf')).toBe('Yttrande över budget.pdf');
    expect(downloadName('', '..Yttrande', 'doc')).toBe('Yttrande.doc');
    expect(downloadName('', '.. Yttrande', 'doc')).toBe('Yttrande.doc');
    expect(downloadName('', 'Budget 2.0', 'pdf')).toBe('Budget 2.0.pdf');
    expect(downloadName('...', '  ', 'xls')).toBe('handling.xls');
    expect(downloadName('', '', 'xlsx')).toBe('handling.xlsx');
  });

  it('no leading dots, so no hidden file; the stem trimmed', () => {
    expect(downloadName('..hemlig', 'T', 'pdf')).toBe('hemlig.pdf');
    expect(downloadName(' Budget .xlsx', 'T', 'xlsx')).toBe('Budget.xlsx');
  });

  it('a stem of at most 150 characters', () => {
    expect(downloadName(`${'b'.repeat(150)}c.pdf`, 'T', 'pdf')).toBe(`${'b'.repeat(150)}.pdf`);
    expect(downloadName('', `${'t'.repeat(150)}u`, 'doc')).toBe(`${'t'.repeat(150)}.doc`);
  });
});

describe('the download header', () => {
  it('an ASCII name without accents and the name itself in UTF-8', () => {
    expect(attachmentHeader('Årsredovisning 2025.pdf')).toBe(`attachment; filename="Arsredovisning 2025.pdf"; filename*=UTF-8''%C3%85rsredovisning%202025.pdf`);
    expect(attachmentHeader('Yttrande-över_budget.docx')).toBe(`attachment; filename="Yttrande-over_budget.docx"; filename*=UTF-8''Yttrande-%C3%B6ver_budget.docx`);
  });

  it("quotes, brackets, stars and apostrophes neither break the header nor the UTF-8 name", () => {
    expect(attachmentHeader('Budget (rev*2) "ny".xlsx')).toBe(`attachment; filename="Budget _rev_2_ _ny_.xlsx"; filename*=UTF-8''Budget%20%28rev%2A2%29%20%22ny%22.xlsx`);
    expect(attachmentHeader("Anna's.pdf")).toBe(`attachment; filename="Anna_s.pdf"; filename*=UTF-8''Anna%27s.pdf`);
  });

  it('a run of replaced characters is one underscore; the ASCII name trimmed, or handling when nothing is left', () => {
    expect(attachmentHeader('a<>b.pdf')).toBe(`attachment; filename="a_b.pdf"; filename*=UTF-8''a%3C%3Eb.pdf`);
    expect(attachmentHeader(' x.pdf ')).toBe(`attachment; filename="x.pdf"; filename*=UTF-8''%20x.pdf%20`);
    expect(attachmentHeader('  ')).toBe(`attachment; filename="handling"; filename*=UTF-8''%20%20`);
    expect(attachmentHeader('日本.pdf')).toBe(`attachment; filename="_.pdf"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.pdf`);
  });
});

describe("a matter's handlingar and their versions", () => {
  const at = (iso: string) => new Date(`${iso}T09:00:00Z`);

  it('the newest version first, the handlingar in the order each was first uploaded', () => {
    const rows = [
      { key: 'budget', version: 1, uploadedAt: at('2026-03-02') },
      { key: 'yttrande', version: 1, uploadedAt: at('2026-03-01') },
      { key: 'budget', version: 3, uploadedAt: at('2026-03-10') },
      { key: 'budget', version: 2, uploadedAt: at('2026-03-05') },
    ];
    const groups = groupVersions(rows);
    expect(groups.map((g) => g.key)).toEqual(['yttrande', 'budget']);
    expect(groups[1].versions.map((v) => v.version)).toEqual([3, 2, 1]);
    expect(groups[1].latest.version).toBe(3);
    expect(groups[0].latest).toBe(rows[1]);
    expect(groups[0].versions).toEqual([rows[1]]);
  });

  it("a handling's place is its earliest upload, not its first row's", () => {
    const rows = [
      { key: 'a', version: 2, uploadedAt: at('2026-03-09') },
      { key: 'b', version: 1, uploadedAt: at('2026-03-05') },
      { key: 'a', version: 1, uploadedAt: at('2026-03-01') },
    ];
    expect(groupVersions(rows).map((g) => g.key)).toEqual(['a', 'b']);
  });

  it('handlingar first uploaded at the same moment in the order of their keys', () => {
    const rows = [
      { key: 'b', version: 1, uploadedAt: at('2026-03-01') },
      { key: 'a', version: 1, uploadedAt: at('2026-03-01') },
    ];
    expect(groupVersions(rows).map((g) => g.key)).toEqual(['a', 'b']);
    expect(groupVersions([])).toEqual([]);
  });
});

describe('how a handling is pointed to', () => {
  it('its path, the id encoded', () => {
    expect(handlingPath('h1')).toBe('/handlingar/h1');
    expect(handlingPath('a b/c')).toBe('/handlingar/a%20b%2Fc');
  });

  it('a secret handling in the kallelse: its title, no link', () => {
    expect(secretHandlingLine('Yttrande')).toBe('Handling: Yttrande (sekretess, läses inloggad)');
  });
});
