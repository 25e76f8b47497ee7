// The printable kallelse (or protokoll) of a board meeting: an A4 PDF with the förbund's name as
// heading, the meeting's time and place in Swedish, the numbered föredragningslista with Dnr and
// the documents' titles (linked), and signature lines. Attached to the kallelse mail as
// kallelse.pdf; with kind 'protokoll', the minutes: the § numbers, the decisions and who acts (by
// name and Swedish title, never a role key).
//
// The text is set in PDFKit's built-in Helvetica, whose WinAnsi encoding covers Swedish (å ä ö
// Å Ä Ö é), the en dash and the Swedish quotes ”…”; any other character is replaced (see
// `winAnsi`) rather than printed as a wrong glyph.
import PDFDocument from 'pdfkit';
import { actionOf, svDate, svWhen, meetingName, type AgendaLine, type BoardMeetingFacts } from './texts.js';

export interface KallelsePdfFacts extends BoardMeetingFacts {
  items: AgendaLine[];
  chairName?: string;
  secretaryName?: string;
  kind?: 'kallelse' | 'protokoll';
}

/** The document's bytes once it ends (call doc.end() after this). */
export function collectPdf(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  return new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

/** Unicode characters outside Latin-1 that WinAnsi (Windows-1252) has, and so Helvetica prints. */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** Near substitutes for characters Helvetica cannot print. */
const SUBSTITUTES: Record<string, string> = {
  '\u2010': '-', // hyphen
  '\u2011': '-', // non-breaking hyphen
  '\u2012': '–', // figure dash
  '\u2212': '–', // minus
  '\u2009': ' ', // thin space
  '\u202f': ' ', // narrow no-break space
  '\u2007': ' ', // figure space
  '\u200b': '', // zero-width space
  '\u2192': '->',
  '\u2190': '<-',
  '\u2264': '<=',
  '\u2265': '>=',
  '\u2032': "'",
  '\u2033': '"',
  '\u201f': '”',
  '\u201b': '’',
};

/** The text as Helvetica (WinAnsi) can print it: composed (å, not a + ring), anything else replaced. */
export function winAnsi(s: string): string {
  let out = '';
  for (const c of s.normalize('NFC')) {
    const code = c.codePointAt(0)!;
    if (c === '\n' || c === '\t') out += c;
    else if ((code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(c)) out += c;
    else if (c in SUBSTITUTES) out += SUBSTITUTES[c];
    else out += '?';
  }
  return out;
}

const REGULAR = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const GREY = '#555555';

/** A4 in points, with margins of 25 mm at the sides and 20 mm top and bottom. */
const MARGIN = { top: 57, bottom: 57, left: 71, right: 71 };
/** Where the item's title starts, right of its number. */
const INDENT = 28;

export async function kallelsePdf(f: KallelsePdfFacts): Promise<Buffer> {
  const protokoll = f.kind === 'protokoll';
  const title = protokoll ? 'Protokoll' : 'Kallelse';
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    lang: 'sv-SE',
    info: { Title: winAnsi(`${title} – ${meetingName('styrelse')} ${svDate(f.when.date)} – ${f.forbundName}`), Author: winAnsi(f.forbundName) },
  });
  const done = collectPdf(doc);

  const left = MARGIN.left;
  const width = doc.page.width - MARGIN.left - MARGIN.right;
  /** Text at the current position, or at x (and y) when given. */
  const text = (s: string, opts: PDFKit.Mixins.TextOptions = {}, x?: number, y?: number) => doc.text(winAnsi(s), x, y, opts);

  // Heading: the förbund, then what this is.
  doc.font(BOLD).fontSize(18);
  text(f.forbundName, { width });
  doc.moveDown(0.8);
  doc.font(BOLD).fontSize(16);
  text(title, { width });
  doc.moveDown(0.3);
  doc.font(REGULAR).fontSize(12);
  text(protokoll ? 'Styrelsens sammanträde' : 'Ledamöterna kallas till styrelsens sammanträde.', { width });
  doc.moveDown(0.8);

  // Time and place, in a label column.
  const facts: [string, string][] = [
    ['Tid', svWhen(f.when)],
    ...(f.location ? ([['Plats', f.location]] as [string, string][]) : []),
  ];
  doc.fontSize(11);
  for (const [label, value] of facts) {
    const y = doc.y;
    doc.font(BOLD);
    text(label, { width: 60 });
    doc.font(REGULAR);
    text(value, { width: width - 70 }, left + 70, y);
    doc.x = left;
    doc.moveDown(0.2);
  }
  doc.moveDown(1);

  // The föredragningslista (or the minutes' paragraphs).
  doc.font(BOLD).fontSize(13);
  text(protokoll ? 'Paragrafer och beslut' : 'Föredragningslista', { width });
  doc.moveDown(0.5);
  for (const a of f.items) {
    // Keep an item's first lines together: start it on a new page near the bottom.
    if (doc.y > doc.page.height - MARGIN.bottom - 60) doc.addPage();
    const y = doc.y;
    doc.font(BOLD).fontSize(11);
    const number = protokoll && a.paragraph !== undefined ? `§ ${a.paragraph}` : `${a.number}.`;
    text(number, { width: INDENT + 6, lineBreak: false }, left, y);
    // The item's title and what follows it, right of the number.
    const x = left + INDENT + 8;
    const sub = { width: width - INDENT - 8 };
    doc.font(REGULAR);
    text(a.title, sub, x, y);
    doc.fontSize(10).fillColor(GREY);
    if (a.dnr) text(`Dnr ${a.dnr}`, sub, x);
    for (const d of a.documents ?? []) {
      doc.fillColor('#1a4d8f');
      text(`Handling: ${d.title}`, { ...sub, link: d.url }, x);
      doc.fillColor(GREY);
    }
    doc.fillColor('black');
    if (protokoll) {
      doc.fontSize(11);
      if (a.decision) {
        doc.moveDown(0.2);
        doc.font(BOLD);
        text('Beslut', sub, x);
        doc.font(REGULAR);
        text(a.decision, sub, x);
      }
      // Who acts, by name and title (as the mails print it); never a role key.
      const who = actionOf(a);
      if (who) {
        doc.fontSize(10).fillColor(GREY);
        text(who, sub, x);
        doc.fillColor('black');
      }
    }
    doc.x = left;
    doc.moveDown(0.6);
  }

  // Signature lines: the chair and the secretary (and, for the minutes, the justerare).
  const signers: [string, string | undefined][] = protokoll
    ? [
        ['Vid protokollet, sekreterare', f.secretaryName],
        ['Ordförande', f.chairName],
        ['Justerare', undefined],
      ]
    : [
        ['Ordförande', f.chairName],
        ['Sekreterare', f.secretaryName],
      ];
  const shown = protokoll ? signers : signers.filter(([, name]) => name);
  if (shown.length) {
    doc.moveDown(1.5);
    // The signatures stay together: two to a row, each row about 75 points high.
    if (doc.y > doc.page.height - MARGIN.bottom - Math.ceil(shown.length / 2) * 75) doc.addPage();
    const col = (width - 20) / 2;
    let row = doc.y;
    shown.forEach(([label, name], i) => {
      const x = left + (i % 2) * (col + 20);
      if (i % 2 === 0 && i > 0) row += 75;
      if (row > doc.page.height - MARGIN.bottom - 60) {
        doc.addPage();
        row = doc.y;
      }
      const lineY = row + 36;
      doc.moveTo(x, lineY).lineTo(x + col, lineY).lineWidth(0.5).strokeColor('black').stroke();
      doc.font(REGULAR).fontSize(10).fillColor('black');
      text(name ?? ' ', { width: col }, x, lineY + 4);
      doc.fillColor(GREY);
      text(label, { width: col }, x);
      doc.fillColor('black');
    });
    doc.x = left;
  }

  // Footer on every page: the meeting and the page number.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing in the margin would otherwise start a new page
    doc.font(REGULAR).fontSize(8).fillColor(GREY);
    text(`${title}, ${meetingName('styrelse')} ${svDate(f.when.date)} – sida ${i + 1} av ${range.count}`, { width, align: 'center', lineBreak: false }, left, doc.page.height - 40);
    doc.page.margins.bottom = bottom;
  }
  doc.fillColor('black');
  doc.end();
  return done;
}
