// The protokollsutdrag (domain/utdrag-pdf.ts), read back with pdf.js as a reader sees it: the
// heading, the förbund and the organ, the § with its decision, the certification and the justering.
import { describe, expect, it } from 'vitest';
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { drawn, pdfLines } from './support/pdf.js';
import { organName, protokollsutdragPdf } from '../domain/utdrag-pdf.js';

const input = {
  forbundName: 'Samordningsförbundet Sydnärke',
  body: 'styrelse',
  meetingDate: '2037-02-26',
  paragraph: 6,
  title: 'Ansökan om medel för ”Steg framåt” – Hallsberg & Kumla',
  dnr: '2037-00003',
  decision: 'Styrelsen beviljar 450 000 kronor för perioden 1 mars–31 december 2037.',
  justeradOn: '2037-03-04',
  certifiedBy: { name: 'Sara Sekreterare', title: 'Sekreterare' },
};

describe('the protokollsutdrag as PDF', () => {
  it('an A4 page: PROTOKOLLSUTDRAG, the förbund, Styrelsen, the sammanträdesdatum, the § with its Dnr, the decision, "Rätt utdraget intygar" and the justering', async () => {
    const pdf = await protokollsutdragPdf(input);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
    const { pages, lines, bold } = await pdfLines(pdf);
    if (process.env.SHOW_TEXTS) console.log(lines.join('\n'));
    expect(pages).toBe(1);
    expect(lines.slice(0, 4)).toEqual(['PROTOKOLLSUTDRAG', 'Samordningsförbundet Sydnärke', 'Styrelsen', 'Sammanträdesdatum 26 februari 2037']);
    expect(bold).toContain('PROTOKOLLSUTDRAG');
    // The § heading (wrapped at the margin: it reads as one when the lines are joined).
    expect(lines.join(' ')).toContain('§ 6 Ansökan om medel för ”Steg framåt” – Hallsberg & Kumla (Dnr 2037-00003) Beslut');
    const at = (s: string) => (s.startsWith('§') ? lines.findIndex((l) => l.startsWith(s)) : lines.indexOf(s));
    const order = [
      '§ 6 Ansökan om medel',
      'Beslut',
      'Styrelsen beviljar 450 000 kronor för perioden 1 mars–31 december 2037.',
      'Rätt utdraget intygar',
      'Sara Sekreterare',
      'Sekreterare',
      'Protokollet justerat 4 mars 2037',
    ].map(at);
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(lines).toContain('Protokollsutdrag § 6, styrelsens sammanträde 26 februari 2037 – Samordningsförbundet Sydnärke – sida 1 av 1');
  });

  it("prints the §'s record lines after the decision; without a Dnr there is none in the heading", async () => {
    const pdf = await protokollsutdragPdf({
      ...input,
      dnr: undefined,
      paragraph: 4,
      title: 'Val av justerare',
      decision: 'Styrelsen väljer Örjan Åkesson att justera protokollet.',
      recordLines: ['Reservation: Kalle Ek reserverar sig mot beslutet.', 'Jäv: Anna Ärlig deltar inte i beslutet.'],
    });
    const { lines } = await pdfLines(pdf);
    expect(lines).toContain('§ 4 Val av justerare');
    expect(lines.join('\n')).not.toContain('Dnr');
    const decision = lines.indexOf('Styrelsen väljer Örjan Åkesson att justera protokollet.');
    expect(lines.slice(decision + 1, decision + 3)).toEqual(['Reservation: Kalle Ek reserverar sig mot beslutet.', 'Jäv: Anna Ärlig deltar inte i beslutet.']);
    expect(lines.indexOf('Rätt utdraget intygar')).toBeGreaterThan(decision + 2);
  });

  it('a long decision runs over a page; the certification stays whole and every page is numbered', async () => {
    const decision = Array.from({ length: 90 }, (_, i) => `Punkt ${i + 1}: styrelsen uppdrar åt förbundschefen att följa upp insatsen och återrapportera.`).join(' ');
    const pdf = await protokollsutdragPdf({ ...input, decision });
    const { pages, lines } = await pdfLines(pdf);
    expect(pages).toBeGreaterThan(1);
    for (let p = 1; p <= pages; p++) expect(lines.some((l) => l.endsWith(`sida ${p} av ${pages}`))).toBe(true);
    const cert = lines.indexOf('Rätt utdraget intygar');
    expect(lines.slice(cert + 1, cert + 4)).toEqual(['Sara Sekreterare', 'Sekreterare', 'Protokollet justerat 4 mars 2037']);
  });

  it('names the organ in Swedish', () => {
    expect(organName('styrelse')).toBe('Styrelsen');
    expect(organName('Styrelsen')).toBe('Styrelsen');
    expect(organName('arbetsutskottet')).toBe('Arbetsutskottet');
    expect(organName('presidium')).toBe('Presidiet');
    expect(organName('beredningsgrupp')).toBe('Beredningsgruppen');
    expect(organName(' Styrelse ')).toBe('Styrelsen');
    expect(organName(' arbetsutskottet ')).toBe('Arbetsutskottet');
  });
});

describe('the protokollsutdrag as laid out on the page', () => {
  const RIGHT = 595.28 - 71;

  it('without record lines the certification follows the decision; blank record lines leave no gap', async () => {
    const { lines } = await pdfLines(await protokollsutdragPdf(input));
    expect(lines[lines.indexOf('Styrelsen beviljar 450 000 kronor för perioden 1 mars–31 december 2037.') + 1]).toBe('Rätt utdraget intygar');
    const pdf = await protokollsutdragPdf({ ...input, recordLines: ['Reservation: Kalle Ek reserverar sig mot beslutet.', '  ', 'Jäv: Anna Ärlig deltar inte i beslutet.'] });
    const [{ runs }] = await drawn(pdf);
    const at = (s: string) => runs.find((r) => r.s === s)!.baseline;
    expect(at('Jäv: Anna Ärlig deltar inte i beslutet.') - at('Reservation: Kalle Ek reserverar sig mot beslutet.')).toBeLessThan(20);
  });

  it('a full-width rule under the date, the signature line half the width in black with the name under it, the footer centred', async () => {
    const pdf = await protokollsutdragPdf(input);
    const [{ runs, rules }] = await drawn(pdf);
    const run = (s: string) => runs.find((r) => r.s === s)!;
    const [rule, line] = [...rules].sort((a, b) => a.y - b.y);
    expect([rule.from, rule.to].map(Math.round)).toEqual([71, 524]);
    expect(rule.y).toBeGreaterThan(run('Sammanträdesdatum').baseline);
    expect(rule.y).toBeLessThan(run('Beslut').baseline);
    expect([line.from, line.to].map(Math.round)).toEqual([71, 288]);
    // The name's top 4 pt under the line (its baseline 4 + 7.2 pt down).
    expect(run('Sara Sekreterare').baseline - line.y).toBeGreaterThan(9);
    expect(run('Sara Sekreterare').baseline - line.y).toBeLessThan(16);
    expect(run('Sekreterare').color).toBe('#555555');
    expect(run('Protokollet justerat 4 mars 2037').color).toBe('#000000');
    const footer = runs.find((r) => r.s.startsWith('Protokollsutdrag § 6,'))!;
    expect((footer.x + footer.right) / 2).toBeCloseTo(595.28 / 2, 0);
    // The rule under the date grey, the signature line black.
    const doc = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, useSystemFonts: false, verbosity: 0 }).promise;
    const ops = await (await doc.getPage(1)).getOperatorList();
    await doc.destroy();
    const strokes: string[] = [];
    let stroke = '#000000';
    ops.fnArray.forEach((fn, i) => {
      if (fn === OPS.setStrokeRGBColor) stroke = (ops.argsArray[i] as string[])[0];
      else if (fn === OPS.constructPath) strokes.push(stroke);
    });
    expect(strokes).toEqual(['#555555', '#000000']);

  });

  it('a long decision wraps at the right margin', async () => {
    const decision = Array.from({ length: 40 }, (_, i) => `Ja, ${i + 1} av oss.`).join(' ');
    const [{ runs }] = await drawn(await protokollsutdragPdf({ ...input, decision }));
    const wrapped = runs.filter((r) => r.s.startsWith('Ja,') || r.s.includes('av oss.'));
    expect(wrapped.length).toBeGreaterThan(3);
    for (const r of wrapped) expect(r.right).toBeLessThanOrEqual(RIGHT + 0.5);
  });

  it('however long the record, the certification is never split over two pages', async () => {
    for (let k = 20; k <= 60; k++) {
      const recordLines = Array.from({ length: k }, (_, i) => `Protokollsanteckning: Ledamot ${i + 1}: instämmer.`);
      const pages = await drawn(await protokollsutdragPdf({ ...input, recordLines }));
      const pageOf = (s: string) => pages.findIndex((p) => p.runs.some((r) => r.s === s));
      const cert = pageOf('Rätt utdraget intygar');
      for (const s of ['Sara Sekreterare', 'Sekreterare', 'Protokollet justerat 4 mars 2037']) expect(pageOf(s), `k=${k} ${s}`).toBe(cert);
    }
  });

  it('the document is titled for the viewer and says it is in Swedish', async () => {
    const pdf = await protokollsutdragPdf(input);
    expect(pdf.toString('latin1')).toContain('/Lang (sv-SE)');
    const doc = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, useSystemFonts: false, verbosity: 0 }).promise;
    const { info } = (await doc.getMetadata()) as unknown as { info: { Title: string; Author: string } };
    await doc.destroy();
    expect(info.Title).toBe('Protokollsutdrag § 6 – Styrelsen 26 februari 2037 – Samordningsförbundet Sydnärke');
    expect(info.Author).toBe('Samordningsförbundet Sydnärke');
  });
});
