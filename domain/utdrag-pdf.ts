// The protokollsutdrag: one § of a justerat protokoll as an A4 PDF, as a member organisation
// (or anyone asking for the allmän handling) receives it. The heading PROTOKOLLSUTDRAG, the
// förbund, the organ and the sammanträdesdatum; the § with its title and Dnr, the decision and
// what else the protokoll records of the § (reservationer, protokollsanteckningar, jäv); then
// the certification "Rätt utdraget intygar" with the certifier's name and title, and the day the
// protokoll was justerat.
//
// Set like the kallelse (domain/kallelse-pdf.ts): PDFKit's built-in Helvetica, whose WinAnsi
// encoding covers Swedish; any other character is replaced (`winAnsi`) rather than misprinted.
import PDFDocument from 'pdfkit';
import type { IsoDate } from './dates.js';
import { collectPdf, winAnsi } from './kallelse-pdf.js';
import { svDate } from './texts.js';

export interface ProtokollsutdragInput {
  forbundName: string;
  /** The organ whose protokoll it is: 'styrelse' (printed 'Styrelsen'), or its Swedish name. */
  body: string;
  meetingDate: IsoDate;
  /** The § number in the protokoll. */
  paragraph: number;
  title: string;
  dnr?: string;
  decision: string;
  /** What else the protokoll records of the §, each as a line: reservationer, protokollsanteckningar, jäv, omröstning. */
  recordLines?: string[];
  justeradOn: IsoDate;
  certifiedBy: { name: string; title: string };
}

const REGULAR = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const GREY = '#555555';
/** A4 in points, with margins of 25 mm at the sides and 20 mm top and bottom (as the kallelse). */
const MARGIN = { top: 57, bottom: 57, left: 71, right: 71 };

/** 'styrelse' → 'Styrelsen'; any other name as given, with a capital first letter. */
export function organName(body: string): string {
  const known: Record<string, string> = { styrelse: 'Styrelsen', styrelsen: 'Styrelsen', presidium: 'Presidiet', beredningsgrupp: 'Beredningsgruppen' };
  const name = known[body.trim().toLowerCase()] ?? body.trim();
  return name.charAt(0).toUpperCase() + name.slice(1);
}

export async function protokollsutdragPdf(input: ProtokollsutdragInput): Promise<Buffer> {
  const organ = organName(input.body);
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    lang: 'sv-SE',
    info: { Title: winAnsi(`Protokollsutdrag § ${input.paragraph} – ${organ} ${svDate(input.meetingDate)} – ${input.forbundName}`), Author: winAnsi(input.forbundName) },
  });
  const done = collectPdf(doc);
  const left = MARGIN.left;
  const width = doc.page.width - MARGIN.left - MARGIN.right;
  const text = (s: string, opts: PDFKit.Mixins.TextOptions = {}, x?: number, y?: number) => doc.text(winAnsi(s), x, y, opts);

  // Heading: what this is, the förbund, the organ.
  doc.font(BOLD).fontSize(16);
  text('PROTOKOLLSUTDRAG', { width, characterSpacing: 1 });
  doc.moveDown(0.6);
  doc.font(BOLD).fontSize(14);
  text(input.forbundName, { width });
  doc.moveDown(0.2);
  doc.font(REGULAR).fontSize(12);
  text(organ, { width });
  doc.moveDown(0.8);

  // The meeting's date in a label column.
  const facts: [string, string][] = [['Sammanträdesdatum', svDate(input.meetingDate)]];
  doc.fontSize(11);
  for (const [label, value] of facts) {
    const y = doc.y;
    doc.font(BOLD);
    text(label, { width: 130 });
    doc.font(REGULAR);
    text(value, { width: width - 140 }, left + 140, y);
    doc.x = left;
    doc.moveDown(0.2);
  }
  doc.moveDown(1);
  doc.moveTo(left, doc.y).lineTo(left + width, doc.y).lineWidth(0.5).strokeColor(GREY).stroke();
  doc.moveDown(1);

  // The §: number, title and Dnr; the decision; the rest of its record.
  doc.font(BOLD).fontSize(13).fillColor('black');
  text(`§ ${input.paragraph} ${input.title}${input.dnr ? ` (Dnr ${input.dnr})` : ''}`, { width });
  doc.moveDown(0.6);
  doc.font(BOLD).fontSize(11);
  text('Beslut', { width });
  doc.font(REGULAR);
  text(input.decision, { width });
  const record = (input.recordLines ?? []).filter((l) => l.trim());
  if (record.length) {
    doc.moveDown(0.6);
    for (const line of record) {
      text(line, { width });
      doc.moveDown(0.2);
    }
  }

  // The certification: "Rätt utdraget intygar", a line, the certifier's name and title.
  doc.moveDown(2);
  if (doc.y > doc.page.height - MARGIN.bottom - 130) doc.addPage();
  doc.font(BOLD).fontSize(11);
  text('Rätt utdraget intygar', { width });
  const lineY = doc.y + 36;
  const col = (width - 20) / 2;
  doc.moveTo(left, lineY).lineTo(left + col, lineY).lineWidth(0.5).strokeColor('black').stroke();
  doc.font(REGULAR).fontSize(10).fillColor('black');
  text(input.certifiedBy.name, { width: col }, left, lineY + 4);
  doc.fillColor(GREY);
  text(input.certifiedBy.title, { width: col }, left);
  doc.fillColor('black');
  doc.moveDown(1.2);
  doc.fontSize(11);
  text(`Protokollet justerat ${svDate(input.justeradOn)}`, { width }, left);

  // Footer on every page.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font(REGULAR).fontSize(8).fillColor(GREY);
    text(`Protokollsutdrag § ${input.paragraph}, ${organ.toLowerCase()}s sammanträde ${svDate(input.meetingDate)} – ${input.forbundName} – sida ${i + 1} av ${range.count}`, { width, align: 'center', lineBreak: false }, left, doc.page.height - 40);
    doc.page.margins.bottom = bottom;
  }
  doc.fillColor('black');
  doc.end();
  return done;
}
