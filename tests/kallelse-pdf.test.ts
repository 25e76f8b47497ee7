// The printable kallelse and protokoll, read back with a real PDF text extractor (pdf.js, as
// browsers use it): what a board member sees on paper, Swedish characters and all.
import { describe, expect, it } from 'vitest';
import { pdfLines } from './support/pdf.js';
import { kallelsePdf, winAnsi } from '../domain/kallelse-pdf.js';
import type { AgendaLine } from '../domain/texts.js';


const items: AgendaLine[] = [
  { number: 1, title: 'Mötets öppnande', paragraph: 1 },
  { number: 2, title: 'Val av justerare', paragraph: 2, decision: 'Styrelsen väljer Örjan Åkesson att justera protokollet.' },
  { number: 3, title: 'Godkännande av dagordningen', paragraph: 3 },
  {
    number: 4,
    title: 'Ansökan om medel för ”Steg framåt” – Hallsberg & Kumla',
    dnr: '2037-00003',
    paragraph: 4,
    documents: [
      { title: 'Tjänsteskrivelse', url: 'https://arscykel.example/d/1' },
      { title: 'Ansökan från Hallsbergs kommun', url: 'https://arscykel.example/d/2' },
    ],
    decision: 'Styrelsen beviljar 450 000 kronor för perioden 1 mars–31 december 2037.',
    actionBy: 'Åsa Öberg',
    actionDue: '2037-04-30',
  },
  { number: 5, title: 'Årsredovisning med bokslut 2036', dnr: '2037-00001', paragraph: 5, documents: [{ title: 'Årsredovisning 2036', url: 'https://arscykel.example/d/3' }] },
  { number: 6, title: 'Övriga frågor', paragraph: 6 },
  { number: 7, title: 'Mötets avslutande', paragraph: 7 },
];
const meeting = {
  forbundName: 'Samordningsförbundet Sydnärke',
  when: { date: '2037-02-26', start: '09:00', end: '12:00' },
  location: 'Kumla stadshus, sammanträdesrum Östra',
  items,
  chairName: 'Eva Ärlig',
  secretaryName: 'Sara Sekreterare',
};

describe('the kallelse as PDF', () => {
  it('an A4 PDF: the förbund as heading, "Kallelse", time and place in Swedish, each item numbered with its Dnr and documents, signatures', async () => {
    const pdf = await kallelsePdf(meeting);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
    const { pages, lines } = await pdfLines(pdf);
    if (process.env.SHOW_TEXTS) console.log(lines.join('\n'));
    expect(pages).toBe(1);
    expect(lines[0]).toBe('Samordningsförbundet Sydnärke');
    expect(lines[1]).toBe('Kallelse');
    expect(lines).toContain('Ledamöterna kallas till styrelsens sammanträde.');
    expect(lines).toContain('Tid torsdagen den 26 februari 2037 kl. 9.00–12.00');
    expect(lines).toContain('Plats Kumla stadshus, sammanträdesrum Östra');
    expect(lines).toContain('Föredragningslista');
    // Every item in order, with its number; the matters' Dnr and documents right below them.
    const at = (s: string) => lines.indexOf(s);
    const numbered = items.map((a) => at(`${a.number}. ${a.title}`));
    expect(numbered.every((i) => i > 0)).toBe(true);
    expect([...numbered].sort((a, b) => a - b)).toEqual(numbered);
    expect(at('Dnr 2037-00003')).toBe(numbered[3] + 1);
    expect(lines.slice(numbered[3] + 2, numbered[3] + 4)).toEqual(['Handling: Tjänsteskrivelse', 'Handling: Ansökan från Hallsbergs kommun']);
    expect(at('Dnr 2037-00001')).toBe(numbered[4] + 1);
    expect(at('Handling: Årsredovisning 2036')).toBe(numbered[4] + 2);
    // Quotes, en dash, ampersand and åäö survive Helvetica's WinAnsi encoding.
    expect(lines).toContain('4. Ansökan om medel för ”Steg framåt” – Hallsberg & Kumla');
    // Signature lines: the names, then their roles.
    expect(lines).toContain('Eva Ärlig Sara Sekreterare');
    expect(lines).toContain('Ordförande Sekreterare');
    // A kallelse has no decisions.
    expect(lines.join('\n')).not.toMatch(/Beslut|§/);
    // The documents are links.
    expect(pdf.toString('latin1')).toContain('(https://arscykel.example/d/1)');
  });

  it('as protokoll: the § numbers, the decisions and who carries them out by when, and a line for the justerare', async () => {
    const pdf = await kallelsePdf({ ...meeting, kind: 'protokoll' });
    const { lines } = await pdfLines(pdf);
    if (process.env.SHOW_TEXTS) console.log(lines.join('\n'));
    expect(lines.slice(0, 3)).toEqual(['Samordningsförbundet Sydnärke', 'Protokoll', 'Styrelsens sammanträde']);
    expect(lines).toContain('Tid torsdagen den 26 februari 2037 kl. 9.00–12.00');
    expect(lines).toContain('Paragrafer och beslut');
    expect(lines).toContain('§ 4 Ansökan om medel för ”Steg framåt” – Hallsberg & Kumla');
    expect(lines).toContain('Styrelsen beviljar 450 000 kronor för perioden 1 mars–31 december 2037.');
    expect(lines).toContain('Verkställs av Åsa Öberg senast torsdagen den 30 april 2037.');
    expect(lines).toContain('Styrelsen väljer Örjan Åkesson att justera protokollet.');
    expect(lines.filter((l) => l === 'Beslut')).toHaveLength(2);
    expect(lines).toContain('Vid protokollet, sekreterare Ordförande');
    expect(lines).toContain('Justerare');
    expect(lines).not.toContain('Föredragningslista');
  });

  it('a long föredragningslista runs over pages, each numbered; without place or names there are no empty lines for them', async () => {
    const many: AgendaLine[] = Array.from({ length: 40 }, (_, i) => ({ number: i + 1, title: `Ärende ${i + 1} om insatsen ”Väg in” i Örebro län`, dnr: `2037-${String(i + 10).padStart(5, '0')}` }));
    const pdf = await kallelsePdf({ forbundName: 'Samordningsförbundet Sydnärke', when: { date: '2037-02-26' }, items: many });
    const { pages, lines } = await pdfLines(pdf);
    expect(pages).toBeGreaterThan(1);
    for (const a of many) expect(lines).toContain(`${a.number}. ${a.title}`);
    for (const a of many) expect(lines).toContain(`Dnr ${a.dnr}`);
    expect(lines).toContain('Tid torsdagen den 26 februari 2037');
    expect(lines.some((l) => l.startsWith('Plats'))).toBe(false);
    expect(lines).not.toContain('Ordförande');
    for (let p = 1; p <= pages; p++) expect(lines).toContain(`Kallelse, styrelsens sammanträde 26 februari 2037 – sida ${p} av ${pages}`);
  });

  it('characters Helvetica cannot print are replaced, not garbled', () => {
    expect(winAnsi('Åsa Öberg – ”På väg” € é')).toBe('Åsa Öberg – ”På väg” € é');
    expect(winAnsi('A\u030Asa')).toBe('Åsa'); // decomposed å
    expect(winAnsi('10\u202f000 \u2212 5 \u2192 ok')).toBe('10 000 – 5 -> ok');
    expect(winAnsi('Łódź 😀')).toBe('?ód? ?');
  });
});
