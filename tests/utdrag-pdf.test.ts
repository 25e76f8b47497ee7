// The protokollsutdrag (domain/utdrag-pdf.ts), read back with pdf.js as a reader sees it: the
// heading, the förbund and the organ, the § with its decision, the certification and the justering.
import { describe, expect, it } from 'vitest';
import { pdfLines } from './support/pdf.js';
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
  });
});
