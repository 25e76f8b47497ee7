// The printable kallelse (or protokoll) of a board meeting: an A4 PDF with the förbund's name as
// heading, the meeting's time and place in Swedish, the numbered föredragningslista with Dnr and
// the documents' titles (linked; a secret handling named without a link), and signature lines.
// Attached to the kallelse mail as kallelse.pdf; with kind 'protokoll', the minutes: the §
// numbers, the decisions and who acts (by name and Swedish title, never a role key).
//
// The text is set in PDFKit's built-in Helvetica, whose WinAnsi encoding covers Swedish (å ä ö
// Å Ä Ö é), the en dash and the Swedish quotes ”…”; any other character is replaced (see
// `winAnsi`) rather than printed as a wrong glyph.
import PDFDocument from 'pdfkit';
import type { IsoDate } from './dates.js';
import { secretHandlingLine } from './handlingar.js';
import { actionOf, svDate, svInstant, svList, svWhen, meetingName, type AgendaLine, type BoardMeetingFacts } from './texts.js';

/** Närvaro as the protokoll prints it: names, the member represented, for whom an ersättare serves. */
export interface PrintedNarvaro {
  /** Beslutande ledamöter, with a title for the ordförande and vice ordförande. */
  beslutande: { name: string; memberName?: string; title?: string }[];
  tjanstgorande: { name: string; memberName?: string; forName: string }[];
  ersattare: { name: string; memberName?: string }[];
  others: { name: string; title: string }[];
}

/** What the protokoll says of one § besides its decision, by name. */
export interface PrintedRecord {
  /** Not taking part (jäv, or absent for the §), and who served instead (an ersättare of the same member), if anyone. */
  notTakingPart: { name: string; reason: 'jav' | 'franvarande'; insteadName?: string }[];
  reservations: { name: string; text?: string }[];
  notes: { name: string; text: string }[];
  vote?: { yes: string[]; no: string[]; abstain: string[]; result: string };
}

/** One who signs the protokoll, and when they did (an ISO instant) once signed. */
export interface PrintedSigner {
  name: string;
  role: 'ordforande' | 'justerare';
  signedAt?: string;
}

export interface KallelsePdfFacts extends BoardMeetingFacts {
  items: (AgendaLine & { record?: PrintedRecord })[];
  chairName?: string;
  secretaryName?: string;
  kind?: 'kallelse' | 'protokoll';
  /** The protokoll's närvaro. */
  narvaro?: PrintedNarvaro;
  /** The protokoll's justering: where, by when or when it was done (an ISO instant), and who signs. */
  justering?: { place?: string | null; due?: IsoDate | null; justeradAt?: string | null; signers: PrintedSigner[] };
  /**
   * The ANSLAG/BEVIS block of the protokoll: the dates of the anslag once justerat, where the
   * protokoll is kept, and the SHA-256 of the justerade version (the filed protokoll).
   */
  anslag?: { postedOn?: IsoDate | null; removedOn?: IsoDate | null; keptAt: string; sha256?: string | null };
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

/** 'Olivia Ledamots', 'Lars' (a name ending in s, x or z takes no s). */
const genitive = (name: string) => (/[sxz]$/i.test(name.trim()) ? name.trim() : `${name.trim()}s`);

const withMember = (p: { name: string; memberName?: string }) => (p.memberName ? `${p.name} (${p.memberName})` : p.name);

/** The lines a § prints after its decision: jäv and who served instead, reservationer, protokollsanteckningar, omröstning. */
export function recordLines(r: PrintedRecord): string[] {
  const lines: string[] = [];
  for (const x of r.notTakingPart) {
    const lead = x.reason === 'jav' ? `Jäv: ${x.name} deltar inte i handläggningen av ärendet` : `Frånvarande: ${x.name} deltar inte i beslutet`;
    const instead = x.insteadName ? `${x.insteadName} (ersättare för samma medlem) tjänstgör i ${genitive(x.name)} ställe` : 'ingen ersättare för samma medlem finns att tillgå, så platsen är tom vid beslutet';
    lines.push(`${lead}; ${instead}.`);
  }
  for (const x of r.reservations) lines.push(`Reservation: ${x.name} reserverar sig mot beslutet${x.text ? `: ${x.text}` : '.'}`);
  for (const x of r.notes) lines.push(`Protokollsanteckning: ${x.name}: ${x.text}`);
  if (r.vote) {
    const side = (names: string[]) => (names.length ? `${names.length} (${svList(names)})` : '0');
    lines.push(`Omröstning: ja ${side(r.vote.yes)}, nej ${side(r.vote.no)}, avstår ${side(r.vote.abstain)}; ${r.vote.result}`);
  }
  return lines;
}

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
  const bottomLimit = () => doc.page.height - MARGIN.bottom;
  /** Text at the current position, or at x (and y) when given. */
  const text = (s: string, opts: PDFKit.Mixins.TextOptions = {}, x?: number, y?: number) => doc.text(winAnsi(s), x, y, opts);
  /** A heading of a section, on a new page when it would stand alone at the bottom. */
  const heading = (s: string) => {
    if (doc.y > bottomLimit() - 60) doc.addPage();
    doc.x = left;
    doc.font(BOLD).fontSize(13).fillColor('black');
    text(s, { width });
    doc.moveDown(0.4);
  };
  /** Label and value side by side (the value wraps in its column). */
  const labelled = (rows: [string, string][], labelWidth: number) => {
    doc.fontSize(11);
    for (const [label, value] of rows) {
      if (doc.y > bottomLimit() - 20) doc.addPage();
      const y = doc.y;
      doc.font(BOLD);
      text(label, { width: labelWidth - 10 }, left, y);
      const after = doc.y;
      doc.font(REGULAR);
      text(value, { width: width - labelWidth }, left + labelWidth, y);
      doc.y = Math.max(doc.y, after);
      doc.x = left;
      doc.moveDown(0.2);
    }
  };

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
  labelled([['Tid', svWhen(f.when)], ...(f.location ? ([['Plats', f.location]] as [string, string][]) : [])], 70);
  doc.moveDown(1);

  // The protokoll's närvaro: who decided, who served for whom, who else was there.
  if (protokoll && f.narvaro) {
    const n = f.narvaro;
    heading('Närvaro');
    const groups: [string, string[]][] = [
      ['Beslutande ledamöter', n.beslutande.map((p) => `${withMember(p)}${p.title ? `, ${p.title}` : ''}`)],
      ['Tjänstgörande ersättare', n.tjanstgorande.map((p) => `${withMember(p)} för ${p.forName}`)],
      ['Ersättare, ej tjänstgörande', n.ersattare.map(withMember)],
      ['Övriga närvarande', n.others.map((o) => `${o.name}, ${o.title}`)],
    ];
    for (const [label, names] of groups) {
      if (!names.length) continue;
      if (doc.y > bottomLimit() - 40) doc.addPage();
      doc.font(BOLD).fontSize(11);
      text(label, { width }, left);
      doc.font(REGULAR).fontSize(11);
      for (const name of names) text(name, { width: width - INDENT }, left + INDENT);
      doc.x = left;
      doc.moveDown(0.4);
    }
    doc.moveDown(0.6);
  }

  // The föredragningslista (or the minutes' paragraphs).
  heading(protokoll ? 'Paragrafer och beslut' : 'Föredragningslista');
  doc.moveDown(0.1);
  for (const a of f.items) {
    // Keep an item's first lines together: start it on a new page near the bottom.
    if (doc.y > bottomLimit() - 60) doc.addPage();
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
      // A secret handling (OSL) is named, never linked: it is read signed in. (So is one without an absolute address.)
      if (d.secret || !/^https?:\/\//.test(d.url)) {
        text(d.secret ? secretHandlingLine(d.title) : `Handling: ${d.title}`, sub, x);
        continue;
      }
      doc.fillColor('#1a4d8f');
      text(`Handling: ${d.title}`, { ...sub, link: d.url }, x);
      doc.fillColor(GREY);
    }
    doc.fillColor('black');
    if (a.lines?.length) {
      doc.fontSize(10).moveDown(0.2);
      for (const l of a.lines) text(`– ${l}`, sub, x);
    }
    if (!protokoll && a.proposal) {
      doc.fontSize(11).moveDown(0.2);
      doc.font(BOLD);
      text('Förslag till beslut:', sub, x);
      doc.font(REGULAR);
      text(a.proposal, sub, x);
    }
    if (protokoll) {
      doc.fontSize(11);
      if (a.decision) {
        doc.moveDown(0.2);
        doc.font(BOLD);
        text('Beslut', sub, x);
        doc.font(REGULAR);
        text(a.decision, sub, x);
      }
      // Jäv, reservationer, anteckningar and omröstning, after the decision.
      const record = a.record ? recordLines(a.record) : [];
      if (record.length) {
        doc.moveDown(0.2).fontSize(10);
        for (const line of record) text(line, sub, x);
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

  // The protokoll's justering: where and when, then the signatures, kept together on one page.
  if (protokoll && f.justering) {
    doc.moveDown(0.8);
    const rowsOfSigners = Math.ceil((1 + Math.max(2, f.justering.signers.length)) / 2);
    if (doc.y > bottomLimit() - 90 - rowsOfSigners * 95) doc.addPage();
    heading('Justering');
    const j = f.justering;
    const when = j.justeradAt ? svInstant(j.justeradAt) : j.due ? `senast ${svDate(j.due)}` : '';
    const placeAndTime = [j.place ?? '', when].filter(Boolean).join(', ');
    labelled([['Plats och tid för justering', placeAndTime || 'fylls i vid justeringen']], 170);
  }

  // Signature lines: the chair and the secretary (and, for the minutes, the justerare).
  type Line = { label: string; name?: string; signed?: string };
  const signers: Line[] = protokoll
    ? [
        { label: 'Vid protokollet, sekreterare', name: f.secretaryName },
        ...(f.justering?.signers.length
          ? f.justering.signers.map((s): Line => ({ label: s.role === 'ordforande' ? 'Ordförande' : 'Justerare', name: s.name, ...(s.signedAt ? { signed: `Justerat elektroniskt ${svInstant(s.signedAt)} via personlig länk` } : {}) }))
          : [
              { label: 'Ordförande', name: f.chairName },
              { label: 'Justerare', name: undefined },
            ]),
      ]
    : [
        { label: 'Ordförande', name: f.chairName },
        { label: 'Sekreterare', name: f.secretaryName },
      ];
  const shown = protokoll ? signers : signers.filter((s) => s.name);
  if (shown.length) {
    doc.moveDown(1.5);
    const rowHeight = shown.some((s) => s.signed) ? 95 : 75;
    // The signatures stay together: two to a row.
    if (doc.y > bottomLimit() - Math.ceil(shown.length / 2) * rowHeight) doc.addPage();
    const col = (width - 20) / 2;
    let row = doc.y;
    shown.forEach((s, i) => {
      const x = left + (i % 2) * (col + 20);
      if (i % 2 === 0 && i > 0) row += rowHeight;
      if (row > bottomLimit() - rowHeight + 15) {
        doc.addPage();
        row = doc.y;
      }
      const lineY = row + 36;
      doc.moveTo(x, lineY).lineTo(x + col, lineY).lineWidth(0.5).strokeColor('black').stroke();
      doc.font(REGULAR).fontSize(10).fillColor('black');
      text(s.name ?? ' ', { width: col }, x, lineY + 4);
      doc.fillColor(GREY);
      text(s.label, { width: col }, x);
      if (s.signed) {
        doc.fontSize(8);
        text(s.signed, { width: col }, x);
      }
      doc.fillColor('black');
    });
    doc.x = left;
    doc.y = row + rowHeight;
  }

  // The ANSLAG/BEVIS block: the justering made known on the anslagstavla (kommunallagen 8 kap. 12 §).
  if (protokoll && f.anslag) {
    const a = f.anslag;
    const later = 'fylls i när protokollet justerats';
    const rows: [string, string][] = [
      ['Organ', 'Styrelsen'],
      ['Sammanträdesdatum', svDate(f.when.date)],
      ['Datum då anslaget sätts upp', a.postedOn ? svDate(a.postedOn) : later],
      ['Datum då anslaget tas ned', a.removedOn ? svDate(a.removedOn) : later],
      ['Förvaringsplats för protokollet', a.keptAt],
    ];
    doc.moveDown(1);
    if (doc.y > bottomLimit() - 60 - (rows.length + (a.sha256 ? 2 : 0)) * 22) doc.addPage();
    const top = doc.y;
    doc.x = left;
    doc.font(BOLD).fontSize(12);
    text('ANSLAG/BEVIS', { width }, left + 8, top + 8);
    doc.font(REGULAR).fontSize(10);
    text('Protokollet är justerat. Justeringen har tillkännagetts genom anslag på förbundets anslagstavla.', { width: width - 16 }, left + 8);
    doc.moveDown(0.4);
    for (const [label, value] of rows) {
      const y = doc.y;
      doc.font(BOLD).fontSize(10);
      text(label, { width: 190 }, left + 8, y);
      const after = doc.y;
      doc.font(REGULAR);
      text(value, { width: width - 16 - 200 }, left + 208, y);
      doc.y = Math.max(doc.y, after) + 3;
    }
    if (a.sha256) {
      // The checksum on a line of its own, in a fixed-width face, so it can be compared character by character.
      doc.moveDown(0.2);
      doc.font(BOLD).fontSize(10);
      text('Kontrollsumma (SHA-256) för den justerade versionen', { width: width - 16 }, left + 8);
      doc.font('Courier').fontSize(9);
      text(a.sha256, { width: width - 16 }, left + 8);
      doc.font(REGULAR);
    }
    const end = doc.y + 6;
    doc.rect(left, top, width, end - top).lineWidth(0.8).strokeColor('black').stroke();
    doc.x = left;
    doc.y = end;
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
