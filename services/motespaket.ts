// The meeting pack (mötespaket): one PDF per board meeting for reading or printing before the
// meeting. First the kallelse with the föredragningslista (domain/kallelse-pdf.ts, as mailed: its
// handlingar linked to where they are read signed in), then, item by item in agenda order, a
// separator page naming the item's handlingar, followed by the pages of each of its PDF
// handlingar (the newest version of each). Word and Excel handlingar cannot be merged into a PDF:
// the separator page lists them by title, to be read in Årscykel. A secret handling (OSL) is
// included only for a reader who may read it (the staff today; `includeSecret`); for another it
// is named on the separator page as secret, without its content. Put together with pdf-lib.
import PDFKit from 'pdfkit';
import { PDFDocument } from 'pdf-lib';
import { toStockholmDate } from '../domain/dates.js';
import { HANDLING_KINDS, kindOfContentType, secretHandlingLine, type HandlingVersion } from '../domain/handlingar.js';
import { collectPdf, kallelsePdf, winAnsi } from '../domain/kallelse-pdf.js';
import { meetingName, svDate, svList } from '../domain/texts.js';
import type { Prisma, PrismaClient } from '../prisma/db.js';
import { meetingTime } from './arscykel.js';
import { DocumentContentRefused, type DocumentStore } from './document-store.js';
import { contentOf, latestHandlingarOf } from './handlingar.js';
import { ownersOf } from './people.js';
import { agendaLinesOf, agendaOf } from './styrelse.js';

type Db = PrismaClient | Prisma.TransactionClient;

/** How a handling is in the pack. */
type Entry =
  | { h: HandlingVersion; in: 'pdf'; pdf: PDFDocument }
  | { h: HandlingVersion; in: 'listed'; why: 'word-excel' | 'secret' | 'unreadable' };

export interface MeetingPack {
  pdf: Uint8Array;
  filename: string;
  /** The handlingar whose pages follow, in order, and those only named. */
  included: { id: string; title: string; pages: number }[];
  listed: { id: string; title: string; why: 'word-excel' | 'secret' | 'unreadable' }[];
}

/**
 * The pack of a board meeting of the förbund: the kallelse, then the items' handlingar in agenda
 * order. `baseUrl` makes the kallelse's links absolute; `includeSecret` is whether the reader may
 * read secret handlingar; `documents` is where the handlingar's bytes are (default the database).
 * A handling whose stored bytes do not match its SHA-256 is named, not included; a bucket that
 * cannot be read fails the pack (DocumentStoreUnavailable).
 */
export async function meetingPack(prisma: Db, m: { id: string; forbundId: string; startsAt: Date; endsAt: Date; location: string | null }, o: { baseUrl: string; includeSecret: boolean; documents?: DocumentStore }): Promise<MeetingPack> {
  const [forbund, lines, items, chairs, secretaries] = await Promise.all([
    prisma.forbund.findUniqueOrThrow({ where: { id: m.forbundId }, select: { name: true } }),
    agendaLinesOf(prisma, m.id, { baseUrl: o.baseUrl }),
    agendaOf(prisma, m.id),
    ownersOf(prisma, m.forbundId, 'chair'),
    ownersOf(prisma, m.forbundId, 'secretary'),
  ]);
  const chairName = chairs[0]?.name;
  const secretaryName = svList(secretaries.map((p) => p.name)) || undefined;
  const date = toStockholmDate(m.startsAt);
  const kallelse = await kallelsePdf({ forbundName: forbund.name, when: meetingTime(m), location: m.location, items: lines, kind: 'kallelse', ...(chairName ? { chairName } : {}), ...(secretaryName ? { secretaryName } : {}) });

  // Each item's handlingar, read one at a time (the PDFs are loaded to be merged; the others never leave the database).
  const handlingar = await latestHandlingarOf(prisma, items.flatMap((i) => (i.matterId ? [i.matterId] : [])));
  const sections: { item: (typeof items)[number]; entries: Entry[] }[] = [];
  for (const item of items) {
    const hs = item.matterId ? (handlingar.get(item.matterId) ?? []) : [];
    if (!hs.length) continue;
    const entries: Entry[] = [];
    for (const h of hs) {
      if (h.secret && !o.includeSecret) entries.push({ h, in: 'listed', why: 'secret' });
      else if (kindOfContentType(h.contentType) !== 'pdf') entries.push({ h, in: 'listed', why: 'word-excel' });
      else {
        const row = await prisma.document.findUniqueOrThrow({ where: { id: h.id }, select: { id: true, content: true, storageKey: true, sha256: true } });
        let bytes: Buffer;
        try {
          bytes = await contentOf(row, o.documents);
        } catch (err) {
          // Altered or gone (logged by contentOf): never merged in.
          if (!(err instanceof DocumentContentRefused)) throw err;
          entries.push({ h, in: 'listed', why: 'unreadable' });
          continue;
        }
        try {
          entries.push({ h, in: 'pdf', pdf: await PDFDocument.load(bytes, { updateMetadata: false }) });
        } catch {
          // Encrypted or damaged: named, to be read on its own.
          entries.push({ h, in: 'listed', why: 'unreadable' });
        }
      }
    }
    sections.push({ item, entries });
  }

  const separators = sections.length ? await PDFDocument.load(await separatorPages(forbund.name, date, sections)) : undefined;
  const out = await PDFDocument.create();
  out.setTitle(`Mötespaket – ${meetingName('styrelse')} ${svDate(date)} – ${forbund.name}`);
  out.setAuthor(forbund.name);
  out.setLanguage('sv-SE');
  out.setCreator('Årscykel');
  out.setProducer('Årscykel (pdf-lib)');
  const append = async (from: PDFDocument, indices?: number[]) => {
    for (const p of await out.copyPages(from, indices ?? from.getPageIndices())) out.addPage(p);
  };
  await append(await PDFDocument.load(kallelse));
  const included: MeetingPack['included'] = [];
  const listed: MeetingPack['listed'] = [];
  for (const [n, s] of sections.entries()) {
    await append(separators!, [n]);
    for (const e of s.entries) {
      if (e.in === 'pdf') {
        await append(e.pdf);
        included.push({ id: e.h.id, title: e.h.title, pages: e.pdf.getPageCount() });
      } else listed.push({ id: e.h.id, title: e.h.title, why: e.why });
    }
  }
  return { pdf: await out.save(), filename: `motespaket-${date}.pdf`, included, listed };
}

/** One page per agenda item with handlingar: the item, and each handling with where it is (its pages follow, or it is read in Årscykel). */
async function separatorPages(forbundName: string, date: string, sections: { item: { number: number; title: string; matter: { dnr: string } | null }; entries: Entry[] }[]): Promise<Buffer> {
  const doc = new PDFKit({ size: 'A4', margins: { top: 57, bottom: 57, left: 71, right: 71 }, autoFirstPage: false, lang: 'sv-SE' });
  const done = collectPdf(doc);
  const text = (s: string, opts: PDFKit.Mixins.TextOptions = {}) => doc.text(winAnsi(s), opts);
  for (const s of sections) {
    doc.addPage();
    const width = doc.page.width - 142;
    doc.font('Helvetica').fontSize(10).fillColor('#555555');
    text(`${forbundName} – mötespaket, ${meetingName('styrelse')} ${svDate(date)}`, { width });
    doc.moveDown(2);
    doc.font('Helvetica-Bold').fontSize(16).fillColor('black');
    text(`Handlingar till punkt ${s.item.number}`, { width });
    doc.moveDown(0.3);
    doc.font('Helvetica').fontSize(12);
    text(`${s.item.number}. ${s.item.title}${s.item.matter ? ` (Dnr ${s.item.matter.dnr})` : ''}`, { width });
    doc.moveDown(1);
    doc.fontSize(11);
    for (const e of s.entries) {
      const kind = kindOfContentType(e.h.contentType);
      const type = kind ? HANDLING_KINDS[kind].sv : 'fil';
      const line =
        e.in === 'pdf'
          ? `${e.h.title} (${type}, ${e.pdf.getPageCount() === 1 ? '1 sida' : `${e.pdf.getPageCount()} sidor`}) – följer i paketet.`
          : e.why === 'secret'
            ? `${secretHandlingLine(e.h.title)} – ingår inte i paketet.`
            : e.why === 'word-excel'
              ? `${e.h.title} (${type}-fil) – kan inte fogas in i en pdf; läs den i Årscykel.`
              : `${e.h.title} (${type}) – kunde inte fogas in (skyddad eller skadad fil); läs den i Årscykel.`;
      text(`– ${line}`, { width });
      doc.moveDown(0.3);
    }
  }
  doc.end();
  return done;
}
