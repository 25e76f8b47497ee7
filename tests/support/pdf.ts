// Reading a PDF back as a person reads it, with pdf.js: its lines top to bottom (the text runs on
// one baseline joined by a space, pages in order) and which runs are set in bold; or as laid out:
// where each run stands, its size and colour, and the rules drawn.
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';

export async function pdfLines(pdf: Uint8Array): Promise<{ pages: number; lines: string[]; bold: Set<string> }> {
  const doc = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, useSystemFonts: false, verbosity: 0 }).promise;
  const lines: string[] = [];
  const bold = new Set<string>();
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    const content = await page.getTextContent();
    await page.getOperatorList(); // loads the fonts into commonObjs
    const rows = new Map<number, { x: number; s: string }[]>();
    for (const item of content.items) {
      if (!('str' in item) || !item.str.trim()) continue;
      const y = Math.round(item.transform[5]);
      rows.set(y, [...(rows.get(y) ?? []), { x: item.transform[4], s: item.str }]);
      const font = page.commonObjs.has(item.fontName) ? (page.commonObjs.get(item.fontName) as { name?: string }) : undefined;
      if (font?.name?.includes('Bold')) bold.add(item.str.trim());
    }
    // PDF y grows upwards: top of the page first.
    for (const [, row] of [...rows].sort((a, b) => b[0] - a[0])) lines.push(row.sort((a, b) => a.x - b.x).map((r) => r.s.trim()).join(' '));
  }
  await doc.destroy();
  return { pages: doc.numPages, lines, bold };
}

/** The whole text, its lines joined by a space (so text wrapped across lines still reads as one). */
export const pdfText = async (pdf: Uint8Array) => (await pdfLines(pdf)).lines.join(' ');

/** A page as drawn: each run of text with where it stands (points from the page's top-left), its size and colour, and the rules. */
export interface Run { s: string; x: number; right: number; baseline: number; size: number; color: string }
export interface Rule { from: number; to: number; y: number }
export async function drawn(pdf: Uint8Array): Promise<{ runs: Run[]; rules: Rule[] }[]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, useSystemFonts: false, verbosity: 0 }).promise;
  const pages: { runs: Run[]; rules: Rule[] }[] = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    const height = page.view[3];
    const ops = await page.getOperatorList();
    const colorAt = new Map<string, string>();
    const rules: Rule[] = [];
    let fill = '#000000';
    let at = '';
    ops.fnArray.forEach((fn, i) => {
      const args = ops.argsArray[i] as unknown[];
      if (fn === OPS.setFillRGBColor) fill = args[0] as string;
      else if (fn === OPS.setTextMatrix) at = `${(args[0] as number[])[4].toFixed(1)},${(args[0] as number[])[5].toFixed(1)}`;
      else if (fn === OPS.showText) colorAt.set(at, fill);
      else if (fn === OPS.constructPath) {
        const [x1, y1, x2] = args[2] as number[];
        rules.push({ from: x1, to: x2, y: y1 });
      }
    });
    const runs: Run[] = [];
    for (const item of (await page.getTextContent()).items) {
      if (!('str' in item) || !item.str.trim()) continue;
      const [size, , , , x, y] = item.transform as number[];
      runs.push({ s: item.str.trim(), x, right: x + item.width, baseline: height - y, size, color: colorAt.get(`${x.toFixed(1)},${y.toFixed(1)}`) ?? '?' });
    }
    pages.push({ runs, rules });
  }
  await doc.destroy();
  return pages;
}
