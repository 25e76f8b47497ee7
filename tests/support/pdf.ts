// Reading a PDF back as a person reads it, with pdf.js: its lines top to bottom (the text runs on
// one baseline joined by a space, pages in order) and which runs are set in bold.
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

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
