// The printable kallelse and protokoll, read back with a real PDF text extractor (pdf.js, as
// browsers use it): what a board member sees on paper, Swedish characters and all.
import { describe, expect, it } from 'vitest';
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { drawn, pdfLines } from './support/pdf.js';
import { kallelsePdf, recordLines, winAnsi, type KallelsePdfFacts } from '../domain/kallelse-pdf.js';
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
    // Line breaks and tabs are kept; no-break space and ÿ are Latin-1; control characters are not printable.
    expect(winAnsi('Beslut:\n\tBifall')).toBe('Beslut:\n\tBifall');
    expect(winAnsi('10\u00a0000 kr, Ÿÿ')).toBe('10\u00a0000 kr, Ÿÿ');
    expect(winAnsi('a\u0007b\u007fc\u0085d')).toBe('a?b?c?d');
  });
});

describe('what the protokoll records of a §', () => {
  it('jäv and absence, with who serves instead in the genitive Swedish uses (no extra s after s, x or z)', () => {
    const lines = recordLines({
      notTakingPart: [
        { name: 'Lars', reason: 'jav', insteadName: 'Elsa Kommun' },
        { name: 'Kristina Ek', reason: 'franvarande', insteadName: 'Max Ersättare' },
        { name: 'Felix Fox', reason: 'jav', insteadName: 'Anna Ärlig' },
        { name: 'Frida Kassa', reason: 'franvarande' },
      ],
      reservations: [],
      notes: [],
    });
    expect(lines).toEqual([
      'Jäv: Lars deltar inte i handläggningen av ärendet; Elsa Kommun (ersättare för samma medlem) tjänstgör i Lars ställe.',
      'Frånvarande: Kristina Ek deltar inte i beslutet; Max Ersättare (ersättare för samma medlem) tjänstgör i Kristina Eks ställe.',
      'Jäv: Felix Fox deltar inte i handläggningen av ärendet; Anna Ärlig (ersättare för samma medlem) tjänstgör i Felix Fox ställe.',
      'Frånvarande: Frida Kassa deltar inte i beslutet; ingen ersättare för samma medlem finns att tillgå, så platsen är tom vid beslutet.',
    ]);
  });

  it('a name with a space after it still takes its genitive right', () => {
    const [a, b] = recordLines({
      notTakingPart: [
        { name: 'Lars ', reason: 'jav', insteadName: 'Elsa Kommun' },
        { name: 'Karin Kommun ', reason: 'jav', insteadName: 'Elsa Kommun' },
      ],
      reservations: [],
      notes: [],
    });
    expect(a).toMatch(/tjänstgör i Lars ställe\.$/);
    expect(b).toMatch(/tjänstgör i Karin Kommuns ställe\.$/);
  });

  it('reservationer with and without a motivation, protokollsanteckningar and an omröstning, in that order', () => {
    expect(
      recordLines({
        notTakingPart: [],
        reservations: [{ name: 'Rolf Region', text: 'Till förmån för avslag.' }, { name: 'Kalle Ek' }],
        notes: [{ name: 'Elsa Kommun', text: 'Kommunen följer insatsen.' }],
        vote: { yes: ['Elsa Kommun', 'Arne Förmedling', 'Eva Ärlig'], no: ['Rolf Region'], abstain: [], result: 'Styrelsen har bifallit förslaget.' },
      }),
    ).toEqual([
      'Reservation: Rolf Region reserverar sig mot beslutet: Till förmån för avslag.',
      'Reservation: Kalle Ek reserverar sig mot beslutet.',
      'Protokollsanteckning: Elsa Kommun: Kommunen följer insatsen.',
      'Omröstning: ja 3 (Elsa Kommun, Arne Förmedling och Eva Ärlig), nej 1 (Rolf Region), avstår 0; Styrelsen har bifallit förslaget.',
    ]);
  });

  it('nothing recorded, no lines', () => {
    expect(recordLines({ notTakingPart: [], reservations: [], notes: [] })).toEqual([]);
  });
});

describe('the protokoll as PDF, whole', () => {
  const protokoll = (): KallelsePdfFacts => ({
    ...meeting,
    kind: 'protokoll',
    items: [
      {
        number: 1,
        title: 'Ansökan om medel',
        dnr: '2037-00003',
        paragraph: 12,
        documents: [
          { title: 'Tjänsteskrivelse', url: '/d/1' },
          { title: 'Hemlig bilaga', url: '', secret: true },
        ],
        lines: ['Rapport saknas för Steg framåt'],
        proposal: 'Styrelsen beviljar 450 000 kronor.',
        decision: 'Styrelsen beviljar 450 000 kronor.',
        record: { notTakingPart: [], reservations: [{ name: 'Rolf Region' }], notes: [] },
      },
      { number: 2, title: 'Övriga frågor' },
    ],
    narvaro: {
      beslutande: [
        { name: 'Karin Kommun', memberName: 'Åby kommun', title: 'ordförande' },
        { name: 'Frida Kassa', memberName: 'Försäkringskassan' },
      ],
      tjanstgorande: [{ name: 'Anders Ersättare', memberName: 'Arbetsförmedlingen', forName: 'Arne Förmedling' }],
      ersattare: [{ name: 'Elsa Kommun' }],
      others: [{ name: 'Örjan Tjänsteman', title: 'förbundschef' }],
    },
    justering: {
      place: 'Kumla stadshus',
      due: '2037-03-05',
      signers: [
        { name: 'Karin Kommun', role: 'ordforande', signedAt: '2037-03-03T09:30:00Z' },
        { name: 'Rolf Region', role: 'justerare' },
      ],
    },
    anslag: { postedOn: '2037-03-06', removedOn: null, keptAt: 'Förbundets kansli, Kumla', sha256: 'ab'.repeat(32) },
  });

  it('närvaro in its groups, the names indented under each label; an empty group is left out', async () => {
    const f = protokoll();
    f.narvaro!.ersattare = [];
    const pdf = await kallelsePdf(f);
    const { lines, bold } = await pdfLines(pdf);
    if (process.env.SHOW_TEXTS) console.log(lines.join('\n'));
    const at = (s: string) => lines.indexOf(s);
    expect(lines.slice(at('Närvaro'), at('Närvaro') + 8)).toEqual([
      'Närvaro',
      'Beslutande ledamöter',
      'Karin Kommun (Åby kommun), ordförande',
      'Frida Kassa (Försäkringskassan)',
      'Tjänstgörande ersättare',
      'Anders Ersättare (Arbetsförmedlingen) för Arne Förmedling',
      'Övriga närvarande',
      'Örjan Tjänsteman, förbundschef',
    ]);
    expect(bold).toContain('Närvaro');
    expect(bold).toContain('Beslutande ledamöter');
    expect(lines).not.toContain('Ersättare, ej tjänstgörande');
    const [{ runs }] = await drawn(pdf);
    const run = (s: string) => runs.find((r) => r.s === s)!;
    expect(run('Beslutande ledamöter').x).toBeCloseTo(71, 0);
    expect(run('Frida Kassa (Försäkringskassan)').x).toBeCloseTo(71 + 28, 0);
    expect(run('Örjan Tjänsteman, förbundschef').x).toBeCloseTo(71 + 28, 0);
  });

  it('a non-serving ersättare is listed under its own label', async () => {
    const { lines } = await pdfLines(await kallelsePdf(protokoll()));
    const i = lines.indexOf('Ersättare, ej tjänstgörande');
    expect(lines[i + 1]).toBe('Elsa Kommun');
  });

  it('each §: its number, Dnr, the documents named (a secret one as such, an address that is not absolute not linked), the lines, the decision and the record; the förslag is a kallelse matter', async () => {
    const pdf = await kallelsePdf(protokoll());
    const { lines } = await pdfLines(pdf);
    const at = lines.indexOf('§ 12 Ansökan om medel');
    expect(lines.slice(at, at + 10)).toEqual([
      '§ 12 Ansökan om medel',
      'Dnr 2037-00003',
      'Handling: Tjänsteskrivelse',
      'Handling: Hemlig bilaga (sekretess, läses inloggad)',
      '– Rapport saknas för Steg framåt',
      'Beslut',
      'Styrelsen beviljar 450 000 kronor.',
      'Reservation: Rolf Region reserverar sig mot beslutet.',
      '2. Övriga frågor',
      // Nothing more under the item: the page ends (the justering and its signatures go together on the next).
      'Protokoll, styrelsens sammanträde 26 februari 2037 – sida 1 av 2',
    ]);
    expect(lines).not.toContain('Förslag till beslut:');
    expect(pdf.toString('latin1')).not.toContain('(/d/1)');
  });

  it('the justering: place and last day, the signers by role, who has signed electronically and when', async () => {
    const { lines } = await pdfLines(await kallelsePdf(protokoll()));
    expect(lines).toContain('Justering');
    expect(lines).toContain('Plats och tid för justering Kumla stadshus, senast 5 mars 2037');
    expect(lines).toContain('Sara Sekreterare Karin Kommun');
    expect(lines).toContain('Vid protokollet, sekreterare Ordförande');
    expect(lines).toContain('Justerat elektroniskt 3 mars 2037 kl. 10.30 via personlig länk');
    expect(lines).toContain('Rolf Region');
    expect(lines).toContain('Justerare');
  });

  it('once justerat, the time it was done; with neither place nor time, a line to fill in', async () => {
    const done = protokoll();
    done.justering = { ...done.justering!, place: null, justeradAt: '2037-03-04T12:12:00Z' };
    expect((await pdfLines(await kallelsePdf(done))).lines).toContain('Plats och tid för justering 4 mars 2037 kl. 13.12');
    const open = protokoll();
    open.justering = { signers: [] };
    const { lines } = await pdfLines(await kallelsePdf(open));
    expect(lines).toContain('Plats och tid för justering fylls i vid justeringen');
    expect(lines).toContain('Vid protokollet, sekreterare Ordförande');
  });

  it('the ANSLAG/BEVIS block in a frame: organ, dates (one still to fill in), where the protokoll is kept, the checksum', async () => {
    const pdf = await kallelsePdf(protokoll());
    const { lines, bold } = await pdfLines(pdf);
    const at = lines.indexOf('ANSLAG/BEVIS');
    expect(lines.slice(at, at + 9)).toEqual([
      'ANSLAG/BEVIS',
      'Protokollet är justerat. Justeringen har tillkännagetts genom anslag på förbundets anslagstavla.',
      'Organ Styrelsen',
      'Sammanträdesdatum 26 februari 2037',
      'Datum då anslaget sätts upp 6 mars 2037',
      'Datum då anslaget tas ned fylls i när protokollet justerats',
      'Förvaringsplats för protokollet Förbundets kansli, Kumla',
      'Kontrollsumma (SHA-256) för den justerade versionen',
      'ab'.repeat(32),
    ]);
    expect(bold).toContain('ANSLAG/BEVIS');
    expect(pdf.toString('latin1')).toContain('/Courier');
  });
});

/** The frame drawn on a page (the ANSLAG/BEVIS box): its top and bottom, points from the page's top. */
async function frameOn(pdf: Uint8Array, page: number): Promise<{ top: number; bottom: number }> {
  const doc = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, useSystemFonts: false, verbosity: 0 }).promise;
  const ops = await (await doc.getPage(page)).getOperatorList();
  await doc.destroy();
  const boxes = ops.fnArray.flatMap((fn, i) => (fn === OPS.constructPath ? [(ops.argsArray[i] as unknown[])[2] as number[]] : [])).filter((m) => m[3] - m[1] > 50);
  expect(boxes).toHaveLength(1);
  return { top: boxes[0][1], bottom: boxes[0][3] };
}

describe('the kallelse and protokoll as laid out on the page', () => {
  const RIGHT = 595.28 - 71;
  const longTitle = 'Ansökan om medel för insatsen ”Steg framåt” för unga vuxna i Hallsberg, Kumla, Lekeberg, Laxå och Askersund under perioden 2037–2039';

  it('a kallelse item prints its lines and the förslag till beslut in bold; an http address is linked in blue, the rest in grey', async () => {
    const pdf = await kallelsePdf({
      ...meeting,
      items: [
        {
          number: 1,
          title: 'Rapportläge för insatserna',
          documents: [{ title: 'Intranätet', url: 'http://intranat.example/d/9' }],
          lines: ['Steg framåt: rapport saknas', 'Väg in: rapport saknas'],
          proposal: 'Styrelsen noterar rapportläget.',
        },
      ],
    });
    const { lines, bold } = await pdfLines(pdf);
    const at = lines.indexOf('1. Rapportläge för insatserna');
    expect(lines.slice(at, at + 6)).toEqual([
      '1. Rapportläge för insatserna',
      'Handling: Intranätet',
      '– Steg framåt: rapport saknas',
      '– Väg in: rapport saknas',
      'Förslag till beslut:',
      'Styrelsen noterar rapportläget.',
    ]);
    expect(bold).toContain('Förslag till beslut:');
    expect(pdf.toString('latin1')).toContain('(http://intranat.example/d/9)');
    const [{ runs }] = await drawn(pdf);
    const run = (s: string) => runs.find((r) => r.s === s)!;
    expect(run('Handling: Intranätet').color).toBe('#1a4d8f');
    expect(run('– Steg framåt: rapport saknas').color).toBe('#000000');
    expect(run('Styrelsen noterar rapportläget.').color).toBe('#000000');
  });

  it('the item number stands at the margin, its title and the rest in a column beside it that ends at the right margin', async () => {
    const pdf = await kallelsePdf({ ...meeting, items: [{ number: 1, title: longTitle, dnr: '2037-00003' }] });
    const [{ runs }] = await drawn(pdf);
    expect(runs.find((r) => r.s === '1.')!.x).toBeCloseTo(71, 0);
    const title = runs.filter((r) => longTitle.includes(r.s) && r.s !== '1.');
    expect(title.length).toBeGreaterThan(1);
    for (const r of title) {
      expect(r.x).toBeCloseTo(71 + 28 + 8, 0);
      expect(r.right).toBeLessThanOrEqual(RIGHT + 0.5);
    }
    expect(runs.find((r) => r.s === 'Dnr 2037-00003')!.x).toBeCloseTo(107, 0);
  });

  it('a long decision wraps at the right margin', async () => {
    const decision = Array.from({ length: 40 }, (_, i) => `Ja, ${i + 1} av oss.`).join(' ');
    const pdf = await kallelsePdf({ ...meeting, kind: 'protokoll', items: [{ number: 1, title: 'Omröstningen', paragraph: 1, decision }] });
    const [{ runs }] = await drawn(pdf);
    const wrapped = runs.filter((r) => r.s.startsWith('Ja,') || r.s.includes('av oss.'));
    expect(wrapped.length).toBeGreaterThan(3);
    for (const r of wrapped) expect(r.right).toBeLessThanOrEqual(RIGHT + 0.5);
    expect(Math.max(...wrapped.map((r) => r.right))).toBeGreaterThan(RIGHT - 30);
  });

  it('a long place wraps within the right margin and the list starts below its last line', async () => {
    const location = 'Kumla stadshus, sammanträdesrum Östra på plan tre, ingång från Torget; parkering finns bakom huset vid Södra vägen';
    const pdf = await kallelsePdf({ ...meeting, location });
    const [{ runs }] = await drawn(pdf);
    const place = runs.filter((r) => location.includes(r.s) && r.x > 100);
    expect(place.length).toBeGreaterThan(1);
    for (const r of place) expect(r.right).toBeLessThanOrEqual(RIGHT + 0.5);
    const heading = runs.find((r) => r.s === 'Föredragningslista')!;
    expect(heading.baseline - Math.max(...place.map((r) => r.baseline))).toBeGreaterThan(24);
  });

  it('the footer is centred between the margins', async () => {
    const [{ runs }] = await drawn(await kallelsePdf(meeting));
    const footer = runs.find((r) => r.s.startsWith('Kallelse, styrelsens sammanträde'))!;
    expect((footer.x + footer.right) / 2).toBeCloseTo(595.28 / 2, 0);
  });

  it('the document is titled for the viewer and says it is in Swedish', async () => {
    const pdf = await kallelsePdf({ ...meeting, kind: 'protokoll' });
    expect(pdf.toString('latin1')).toContain('/Lang (sv-SE)');
    const doc = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, useSystemFonts: false, verbosity: 0 }).promise;
    const { info } = (await doc.getMetadata()) as unknown as { info: { Title: string; Author: string } };
    await doc.destroy();
    expect(info.Title).toBe('Protokoll – styrelsens sammanträde 26 februari 2037 – Samordningsförbundet Sydnärke');
    expect(info.Author).toBe('Samordningsförbundet Sydnärke');
  });

  it('a kallelse with only the chair named has a signature line for the chair only', async () => {
    const { lines } = await pdfLines(await kallelsePdf({ ...meeting, secretaryName: undefined }));
    expect(lines).toContain('Eva Ärlig');
    expect(lines).toContain('Ordförande');
    expect(lines.join('\n')).not.toContain('Sekreterare');
  });

  it('signature lines two to a row, the name under the line and the role under the name, in black and grey; the rows a fixed step apart', async () => {
    const f = { ...meeting, kind: 'protokoll' as const, items: [{ number: 1, title: 'Mötets öppnande', paragraph: 1, actionBy: 'Åsa Öberg' }] };
    for (const [signers, step] of [[undefined, 75], [[{ name: 'Eva Ärlig', role: 'ordforande' as const, signedAt: '2037-03-03T09:30:00Z' }, { name: 'Rolf Region', role: 'justerare' as const }], 95]] as const) {
      const pdf = await kallelsePdf({ ...f, ...(signers ? { justering: { signers: [...signers] } } : {}) });
      const [{ runs, rules }] = await drawn(pdf);
      const run = (s: string) => runs.find((r) => r.s === s)!;
      const [a, b, c] = [...rules].sort((p, q) => p.y - q.y || p.from - q.from);
      expect([a.from, a.to, b.from, b.to, c.from, c.to].map((v) => Math.round(v))).toEqual([71, 288, 308, 524, 71, 288]);
      expect(a.y).toBeCloseTo(b.y, 3);
      expect(c.y - a.y).toBeCloseTo(step, 3);
      // The list ends above the first line, and the line follows it closely.
      const above = runs.find((r) => r.s.startsWith(signers ? 'Plats och tid för justering' : 'Verkställs av Åsa Öberg'))!.baseline;
      expect(a.y - above).toBeGreaterThan(20);
      expect(a.y - above).toBeLessThan(75);
      const sek = run('Sara Sekreterare');
      expect(sek.x).toBeCloseTo(71, 0);
      // The name's top 4 pt under the line (its baseline 4 + 7.2 pt down).
      expect(sek.baseline - a.y).toBeGreaterThan(9);
      expect(sek.baseline - a.y).toBeLessThan(16);
      expect(sek.color).toBe('#000000');
      const labels = ['Vid protokollet, sekreterare', 'Ordförande', 'Justerare'].map(run);
      for (const l of labels) expect(l.color).toBe('#555555');
      expect(labels[1].x).toBeCloseTo(308, 0);
      // The role stands the same distance under the line whether a name is printed above it or not.
      expect(labels[2].baseline - c.y).toBeCloseTo(labels[0].baseline - a.y, 1);
      expect(run(signers ? 'Eva Ärlig' : 'Eva Ärlig').color).toBe('#000000');
      if (signers) expect(run('Rolf Region').color).toBe('#000000');
    }
  });

  it('after who carries out a decision (in grey), the next § is black again', async () => {
    const pdf = await kallelsePdf({ ...meeting, kind: 'protokoll', items: [{ number: 1, title: 'Insatsen', paragraph: 1, decision: 'Bifall.', actionBy: 'Åsa Öberg' }, { number: 2, title: 'Övriga frågor', paragraph: 2 }] });
    const [{ runs }] = await drawn(pdf);
    expect(runs.find((r) => r.s.startsWith('Verkställs av Åsa Öberg'))!.color).toBe('#555555');
    expect(runs.find((r) => r.s === 'Övriga frågor')!.color).toBe('#000000');
    expect(runs.find((r) => r.s === '§ 2')!.color).toBe('#000000');
  });

  it('a short protokoll with justering and ANSLAG/BEVIS fits one page, the block below the signatures and in black', async () => {
    const pdf = await kallelsePdf({
      ...meeting,
      kind: 'protokoll',
      items: [{ number: 1, title: 'Mötets öppnande', paragraph: 1 }],
      justering: { signers: [{ name: 'Eva Ärlig', role: 'ordforande' }, { name: 'Rolf Region', role: 'justerare' }] },
      anslag: { keptAt: 'Förbundets kansli i Kumla stadshus, arkivet på plan två, hylla för styrelsens protokoll', sha256: 'cd'.repeat(32) },
    });
    const pages = await drawn(pdf);
    expect(pages).toHaveLength(1);
    const run = (s: string) => pages[0].runs.find((r) => r.s === s)!;
    // The rows a line and a little apart; a long value wraps inside the frame.
    const rows = ['Organ', 'Sammanträdesdatum', 'Datum då anslaget sätts upp', 'Datum då anslaget tas ned', 'Förvaringsplats för protokollet'].map((l) => run(l).baseline);
    for (let i = 1; i < rows.length; i++) expect(rows[i] - rows[i - 1]).toBeGreaterThan(13);
    const kept = pages[0].runs.filter((r) => r.x > 270 && r.baseline >= rows[4] - 1 && r.baseline < run('Kontrollsumma (SHA-256) för den justerade versionen').baseline);
    expect(kept.length).toBeGreaterThan(1);
    for (const r of kept) expect(r.right).toBeLessThanOrEqual(RIGHT - 8 + 0.5);
    // The frame: the heading 8 pt inside its top, the checksum inside its bottom.
    const frame = await frameOn(pdf, 1);
    expect(run('ANSLAG/BEVIS').baseline - frame.top).toBeGreaterThan(12);
    expect(run('ANSLAG/BEVIS').baseline - frame.top).toBeLessThan(20);
    expect(frame.bottom).toBeGreaterThan(run('cd'.repeat(32)).baseline + 2);
    expect(frame.bottom).toBeLessThan(run('cd'.repeat(32)).baseline + 14);
    expect(frame.top).toBeGreaterThan(run('Justerare').baseline);
    expect(run('Protokollet är justerat. Justeringen har tillkännagetts genom anslag på förbundets anslagstavla.').x).toBeCloseTo(79, 0);
    expect(run('Kontrollsumma (SHA-256) för den justerade versionen').x).toBeCloseTo(79, 0);
    expect(run('ANSLAG/BEVIS').baseline).toBeGreaterThan(run('Justerare').baseline + 10);
    expect(run('ANSLAG/BEVIS').color).toBe('#000000');
    expect(run('ANSLAG/BEVIS').x).toBeCloseTo(79, 0);
    expect(run('Organ').x).toBeCloseTo(79, 0);
    expect(run('Styrelsen').x).toBeCloseTo(71 + 208, 0);
    expect(run('cd'.repeat(32)).x).toBeCloseTo(79, 0);
  });

  it('however long the närvaro, a heading or group label never stands alone at the foot of a page', async () => {
    for (let n = 30; n <= 62; n++) {
      const pdf = await kallelsePdf({
        ...meeting,
        kind: 'protokoll',
        items: [{ number: 1, title: 'Mötets öppnande', paragraph: 1 }],
        narvaro: { beslutande: Array.from({ length: n }, (_, i) => ({ name: `Ledamot ${i + 1}` })), tjanstgorande: [{ name: 'Anders Ersättare', forName: 'Arne Förmedling' }], ersattare: [], others: [] },
      });
      const pages = await drawn(pdf);
      const pageOf = (s: string) => pages.findIndex((p) => p.runs.some((r) => r.s === s));
      expect(pageOf('Tjänstgörande ersättare'), `n=${n}`).toBe(pageOf('Anders Ersättare för Arne Förmedling'));
      // The heading is not set in the last 60 pt above the bottom margin (its top is 9.3 pt above its baseline).
      const heading = pages[pageOf('Paragrafer och beslut')].runs.find((r) => r.s === 'Paragrafer och beslut')!;
      expect(heading.baseline - 9.3, `n=${n}`).toBeLessThanOrEqual(841.89 - 57 - 60 + 0.5);
    }
  });

  it('however long the list, the justering stays with the signatures and the ANSLAG/BEVIS block stays whole', async () => {
    for (const withJustering of [true, false])
      for (const dnr of withJustering ? [undefined, '2037-00003'] : [undefined])
        for (let n = 10; n <= 36; n++) {
          const pdf = await kallelsePdf({
            ...meeting,
            kind: 'protokoll',
            items: Array.from({ length: n }, (_, i) => ({ number: i + 1, title: `Ärende ${i + 1}`, paragraph: i + 1, ...(i === 0 && dnr ? { dnr } : {}) })),
            ...(withJustering ? { justering: { signers: [{ name: 'Eva Ärlig', role: 'ordforande' as const }, { name: 'Rolf Region', role: 'justerare' as const }] } } : {}),
            anslag: { keptAt: 'Förbundets kansli', sha256: 'ef'.repeat(32) },
          });
          const pages = await drawn(pdf);
          const pageOf = (s: string) => pages.findIndex((p) => p.runs.some((r) => r.s === s));
          const first = pageOf('Sara Sekreterare');
          const at = `n=${n} ${withJustering ? 'justering' : ''} ${dnr ?? ''}`;
          for (const s of [...(withJustering ? ['Justering', 'Rolf Region'] : []), 'Eva Ärlig', 'Vid protokollet, sekreterare', 'Ordförande', 'Justerare']) expect(pageOf(s), `${at} ${s}`).toBe(first);
          expect(pageOf('ef'.repeat(32)), at).toBe(pageOf('ANSLAG/BEVIS'));
        }
  });
});
