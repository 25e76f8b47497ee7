// The protokoll as printed and its record as stored: närvaro, jäv with who serves instead,
// reservationer, protokollsanteckningar, omröstning, the justering with its signers and the
// ANSLAG/BEVIS block, read back with pdf.js; the activities that record närvaro and a §'s record
// against a real database (PGlite), refused when the process is past them.
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { protocolActivities } from '../activities/protokoll.js';
import { kallelsePdf, type KallelsePdfFacts } from '../domain/kallelse-pdf.js';
import { stockholmDateTime } from '../domain/dates.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { protocolPdf } from '../services/protokoll.js';
import { ensureAgenda } from '../services/styrelse.js';
import { MEMBERS_YAML } from './support/fixtures.js';
import { pdfLines, pdfText } from './support/pdf.js';
import { testDatabase } from './support/database.js';

const base: KallelsePdfFacts = {
  forbundName: 'Samordningsförbundet Sydnärke',
  when: { date: '2037-02-26', start: '09:00', end: '12:00' },
  location: 'Kumla stadshus',
  chairName: 'Karin Kommun',
  secretaryName: 'Sara Sekreterare',
  items: [
    { number: 1, title: 'Mötets öppnande', paragraph: 11 },
    {
      number: 2,
      title: 'Ansökan om medel för ”Steg framåt”',
      dnr: '2037-00003',
      paragraph: 12,
      decision: 'Styrelsen beviljar 450 000 kronor.',
      proposal: 'Styrelsen beviljar 450 000 kronor.',
      record: {
        notTakingPart: [
          { name: 'Karin Kommun', reason: 'jav', insteadName: 'Elsa Kommun' },
          { name: 'Frida Kassa', reason: 'franvarande' },
        ],
        reservations: [{ name: 'Rolf Region', text: 'Till förmån för avslag.' }],
        notes: [{ name: 'Elsa Kommun', text: 'Kommunen följer insatsen.' }],
        vote: { yes: ['Elsa Kommun', 'Arne Förmedling'], no: ['Rolf Region'], abstain: [], result: 'Styrelsen har bifallit förslaget.' },
      },
    },
  ],
  narvaro: {
    beslutande: [
      { name: 'Karin Kommun', memberName: 'Åby kommun', title: 'ordförande' },
      { name: 'Rolf Region', memberName: 'Region Östra Sjö', title: 'vice ordförande' },
      { name: 'Frida Kassa', memberName: 'Försäkringskassan' },
    ],
    tjanstgorande: [{ name: 'Anders Ersättare', memberName: 'Arbetsförmedlingen', forName: 'Arne Förmedling' }],
    ersattare: [{ name: 'Elsa Kommun', memberName: 'Åby kommun' }],
    others: [{ name: 'Örjan Tjänsteman', title: 'förbundschef' }],
  },
};

describe('the protokoll as PDF', () => {
  it('before justering: närvaro, each § with jäv, reservation, anteckning and omröstning after its decision; the justering and an ANSLAG/BEVIS block to fill in', async () => {
    const pdf = await kallelsePdf({
      ...base,
      kind: 'protokoll',
      justering: { place: 'Kumla stadshus', due: '2037-03-11', signers: [{ name: 'Karin Kommun', role: 'ordforande' }, { name: 'Rolf Region', role: 'justerare' }] },
      anslag: { keptAt: 'Förbundets kansli, Samordningsförbundet Sydnärke' },
    });
    const { lines } = await pdfLines(pdf);
    if (process.env.SHOW_TEXTS) console.log(lines.join('\n'));
    const text = lines.join(' ');
    const at = (s: string) => lines.indexOf(s);
    expect(at('Närvaro')).toBeGreaterThan(0);
    expect(at('Beslutande ledamöter')).toBeGreaterThan(at('Närvaro'));
    expect(lines).toContain('Karin Kommun (Åby kommun), ordförande');
    expect(lines).toContain('Rolf Region (Region Östra Sjö), vice ordförande');
    expect(lines).toContain('Tjänstgörande ersättare');
    expect(lines).toContain('Anders Ersättare (Arbetsförmedlingen) för Arne Förmedling');
    expect(lines).toContain('Ersättare, ej tjänstgörande');
    expect(lines).toContain('Elsa Kommun (Åby kommun)');
    expect(lines).toContain('Övriga närvarande');
    expect(lines).toContain('Örjan Tjänsteman, förbundschef');
    // The § 12 record, after its decision; a protokoll prints no förslag till beslut.
    expect(at('Styrelsen beviljar 450 000 kronor.')).toBeLessThan(at('Karin Kommun (Åby kommun), ordförande') + 100);
    expect(text).toContain('Jäv: Karin Kommun deltar inte i handläggningen av ärendet; Elsa Kommun (ersättare för samma medlem) tjänstgör i Karin Kommuns ställe.');
    expect(text).toContain('Frånvarande: Frida Kassa deltar inte i beslutet; ingen ersättare för samma medlem finns att tillgå, så platsen är tom vid beslutet.');
    expect(text).toContain('Reservation: Rolf Region reserverar sig mot beslutet: Till förmån för avslag.');
    expect(text).toContain('Protokollsanteckning: Elsa Kommun: Kommunen följer insatsen.');
    expect(text).toContain('Omröstning: ja 2 (Elsa Kommun och Arne Förmedling), nej 1 (Rolf Region), avstår 0; Styrelsen har bifallit förslaget.');
    expect(text).not.toContain('Förslag till beslut');
    expect(text.indexOf('Beslut Styrelsen beviljar')).toBeLessThan(text.indexOf('Jäv:'));
    // The justering: place and by when, a line per signer with name and role.
    expect(lines).toContain('Justering');
    expect(text).toContain('Plats och tid för justering Kumla stadshus, senast 11 mars 2037');
    expect(lines).toContain('Sara Sekreterare Karin Kommun');
    expect(lines).toContain('Vid protokollet, sekreterare Ordförande');
    expect(lines).toContain('Rolf Region');
    expect(lines).toContain('Justerare');
    expect(text).not.toContain('Justerat elektroniskt');
    // ANSLAG/BEVIS, its dates to be filled in.
    expect(lines).toContain('ANSLAG/BEVIS');
    expect(lines).toContain('Organ Styrelsen');
    expect(lines).toContain('Sammanträdesdatum 26 februari 2037');
    expect(lines).toContain('Datum då anslaget sätts upp fylls i när protokollet justerats');
    expect(lines).toContain('Datum då anslaget tas ned fylls i när protokollet justerats');
    expect(lines).toContain('Förvaringsplats för protokollet Förbundets kansli, Samordningsförbundet Sydnärke');
    expect(text).not.toContain('SHA-256');
    expect(at('ANSLAG/BEVIS')).toBeGreaterThan(at('Justerare'));
  });

  it('once justerat: when and where, each signature electronic via the personal link, the anslag dates and the SHA-256 of the justerade version', async () => {
    const sha = 'ab'.repeat(32);
    const pdf = await kallelsePdf({
      ...base,
      kind: 'protokoll',
      justering: {
        place: 'Kumla stadshus',
        due: '2037-03-11',
        justeradAt: '2037-03-04T12:12:00.000Z',
        signers: [
          { name: 'Karin Kommun', role: 'ordforande', signedAt: '2037-03-03T09:30:00.000Z' },
          { name: 'Rolf Region', role: 'justerare', signedAt: '2037-03-04T12:12:00.000Z' },
        ],
      },
      anslag: { postedOn: '2037-03-04', removedOn: '2037-03-25', keptAt: 'Förbundets kansli, Samordningsförbundet Sydnärke', sha256: sha },
    });
    const { lines } = await pdfLines(pdf);
    if (process.env.SHOW_TEXTS) console.log(lines.join('\n'));
    const text = lines.join(' ');
    expect(text).toContain('Plats och tid för justering Kumla stadshus, 4 mars 2037 kl. 13.12');
    expect(text).toContain('Justerat elektroniskt 3 mars 2037 kl. 10.30 via personlig länk');
    expect(text).toContain('Justerat elektroniskt 4 mars 2037 kl. 13.12 via personlig länk');
    expect(lines).toContain('Datum då anslaget sätts upp 4 mars 2037');
    expect(lines).toContain('Datum då anslaget tas ned 25 mars 2037');
    expect(text).toContain(`Kontrollsumma (SHA-256) för den justerade versionen ${sha}`);
  });

  it('the kallelse prints the förslag till beslut under its item, and is signed by the ordförande and the secretary', async () => {
    const { lines } = await pdfLines(await kallelsePdf(base));
    expect(lines[lines.indexOf('2. Ansökan om medel för ”Steg framåt”') + 2]).toBe('Förslag till beslut:');
    expect(lines[lines.indexOf('Förslag till beslut:') + 1]).toBe('Styrelsen beviljar 450 000 kronor.');
    expect(lines).toContain('Plats Kumla stadshus');
    expect(lines).toContain('Ordförande Sekreterare');
    expect(lines.join(' ')).not.toMatch(/Närvaro|Jäv|ANSLAG/);
  });
});

// --- stored: the activities and the PDF from the database ------------------------------------

const FILE = `
forbund:
  id: protokoll
  name: Samordningsförbundet Protokoll
  email: kansli@protokoll.example
  year: 2037
${MEMBERS_YAML}
people:
  - { id: official, name: Örjan Tjänsteman, email: official@protokoll.example, roles: [official] }
  - { id: secretary, name: Sara Sekreterare, email: secretary@protokoll.example, roles: [secretary] }
  - { id: l-kommun, name: Karin Kommun, email: l-kommun@protokoll.example, roles: [board_member] }
  - { id: l-region, name: Rolf Region, email: l-region@protokoll.example, roles: [board_member] }
  - { id: l-fk, name: Frida Kassa, email: l-fk@protokoll.example, roles: [board_member] }
  - { id: e-kommun, name: Elsa Kommun, email: e-kommun@protokoll.example, roles: [board_member] }
  - { id: e-kommun2, name: Eskil Kommun, email: e-kommun2@protokoll.example, roles: [board_member] }
  - { id: e-region, name: Erik Region, email: e-region@protokoll.example, roles: [board_member] }
bodies:
  styrelse:
    members:
      - { person: l-kommun, role: chair, member: kommunen }
      - { person: l-region, role: vice_chair, member: regionen }
      - { person: l-fk, member: fk }
      - { person: e-kommun, role: deputy, member: kommunen, order: 1 }
      - { person: e-kommun2, role: deputy, member: kommunen, order: 2 }
      - { person: e-region, role: deputy, member: regionen, order: 3 }
projects: []
cycle:
  defaults: { start: "09:00", end: "12:00" }
  meetings:
    - { id: styrelse-02, body: styrelse, date: 2037-02-26 }
`;

describe('the record as stored', () => {
  let db: Database;
  let meetingId: string;
  let acts: ReturnType<typeof protocolActivities>;
  const start = stockholmDateTime('2037-02-26', '09:00').getTime();
  const failure = async (p: Promise<unknown>) => {
    const err = await p.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    return err as ApplicationFailure;
  };

  beforeAll(async () => {
    db = await testDatabase();
    const { forbundId } = await importForbund(db.prisma, parseForbundFile(FILE, 'protokoll.yaml'), { year: 2037, actor: 'test' });
    const m = await db.prisma.meeting.findFirstOrThrow({ where: { forbundId, key: 'styrelse-02' } });
    meetingId = m.id;
    await ensureAgenda(db.prisma, meetingId);
    acts = protocolActivities({ prisma: db.prisma, mailer: undefined as never, publicBaseUrl: 'http://x.test', linkSecret: 'x'.repeat(32), searchAttributes: false });
  }, 60_000);
  afterAll(async () => db?.close());

  const narvaro = { beslutande: ['l-kommun', 'l-fk'], tjanstgorande: [{ person: 'e-region', for: 'l-region' }], ersattare: ['e-kommun', 'e-kommun2'], others: [{ name: 'Örjan Tjänsteman', title: 'förbundschef' }] };

  it('närvaro waits for the meeting; a wrong capacity is named by its field; once recorded it is stored and audited', async () => {
    const early = await failure(acts.saveNarvaro({ now: start - 60_000, meetingId, actor: 'test', narvaro }));
    expect(early.type).toBe('Refused');
    expect(early.message).toMatch(/has not begun/);
    const wrong = await failure(acts.saveNarvaro({ now: start + 60_000, meetingId, actor: 'test', narvaro: { ...narvaro, tjanstgorande: [{ person: 'e-kommun', for: 'l-region' }], ersattare: ['e-kommun2'] } }));
    expect(wrong.type).toBe('Invalid');
    expect((wrong.details?.[0] as { fields: { field: string }[] }).fields.map((f) => f.field)).toEqual(['tjanstgorande[0].person']);
    const saved = await acts.saveNarvaro({ now: start + 60_000, meetingId, actor: 'test', narvaro });
    expect(saved.board.map((p) => [p.name, p.role])).toEqual([
      ['Karin Kommun', 'beslutande'],
      ['Frida Kassa', 'beslutande'],
      ['Erik Region', 'tjanstgorande'],
      ['Elsa Kommun', 'ersattare'],
      ['Eskil Kommun', 'ersattare'],
    ]);
    expect((await db.prisma.meeting.findUniqueOrThrow({ where: { id: meetingId } })).narvaro).toEqual(saved);
    expect(await db.prisma.auditEvent.count({ where: { action: 'narvaro.recorded', entityId: meetingId } })).toBe(1);
  });

  it("a §'s record: the jävig ordförande's seat goes to the same member's first ersättare; a reservation by one who did not take part is refused", async () => {
    const item = await db.prisma.agendaItem.findFirstOrThrow({ where: { meetingId, kind: 'previous_minutes' } });
    const bad = await failure(acts.saveParagraphRecord({ now: start + 120_000, meetingId, actor: 'test', itemId: item.id, record: { jav: ['l-kommun'], reservations: [{ person: 'l-kommun' }] } }));
    expect(bad.type).toBe('Invalid');
    const r = await acts.saveParagraphRecord({ now: start + 120_000, meetingId, actor: 'test', itemId: item.id, record: { jav: ['l-kommun'], reservations: [{ person: 'l-fk', text: 'Mot beslutet.' }], vote: { yes: ['e-kommun', 'e-region'], no: ['l-fk'], abstain: [], result: 'Bifall.' } } });
    const id = async (key: string) => (await db.prisma.person.findFirstOrThrow({ where: { key } })).id;
    expect(r.servingInstead).toEqual([{ personId: await id('e-kommun'), forPersonId: await id('l-kommun') }]);
    expect((await db.prisma.agendaItem.findUniqueOrThrow({ where: { id: item.id } })).record).toEqual(r);
    await db.prisma.agendaItem.update({ where: { id: item.id }, data: { decision: 'Protokollet läggs till handlingarna.' } });
    const nowhere = await failure(acts.saveParagraphRecord({ now: start + 120_000, meetingId, actor: 'test', itemId: 'nope', record: {} }));
    expect(nowhere.type).toBe('Invalid');
  });

  it('the PDF from the database: before justering, and filed once justerat; after the minutes went to justering nothing more is recorded', async () => {
    await db.prisma.meeting.update({ where: { id: meetingId }, data: { heldAt: new Date(start), justerare: 'l-fk', justeringPlace: 'Åby kommunhus', justeringDue: new Date('2037-03-11T00:00:00Z') } });
    const before = await pdfText(await protocolPdf(db.prisma, meetingId, { final: false }));
    if (process.env.SHOW_TEXTS) console.log(before);
    expect(before).toContain('Karin Kommun (Åby kommun), ordförande');
    expect(before).toContain('Erik Region (Region Östra Sjö) för Rolf Region');
    expect(before).toContain('Jäv: Karin Kommun deltar inte i handläggningen av ärendet; Elsa Kommun (ersättare för samma medlem) tjänstgör i Karin Kommuns ställe.');
    expect(before).toContain('Reservation: Frida Kassa reserverar sig mot beslutet: Mot beslutet.');
    expect(before).toContain('Omröstning: ja 2 (Elsa Kommun och Erik Region), nej 1 (Frida Kassa), avstår 0; Bifall.');
    expect(before).toContain('Plats och tid för justering Åby kommunhus, senast 11 mars 2037');
    expect(before).toContain('Datum då anslaget sätts upp fylls i när protokollet justerats');
    expect(before).toContain('Förvaringsplats för protokollet Förbundets kansli, Samordningsförbundet Protokoll');

    const [chair, fk] = await Promise.all(['l-kommun', 'l-fk'].map((key) => db.prisma.person.findFirstOrThrow({ where: { key } })));
    const sha = 'c0ffee'.padEnd(64, '0');
    await db.prisma.signature.createMany({
      data: [
        { meetingId, personId: chair.id, role: 'ordforande', signedAt: new Date('2037-03-03T09:30:00Z'), fromAddress: '127.0.0.1', pdfSha256: sha },
        { meetingId, personId: fk.id, role: 'justerare', signedAt: new Date('2037-03-04T12:12:00Z'), fromAddress: '127.0.0.1', pdfSha256: sha },
      ],
    });
    await db.prisma.meeting.update({ where: { id: meetingId }, data: { minutesSentAt: new Date(start + 3_600_000), justeradAt: new Date('2037-03-04T12:12:00Z'), protocolSha256: sha, anslagPostedAt: new Date('2037-03-04T12:12:00Z'), anslagRemovedOn: new Date('2037-03-25T00:00:00Z') } });
    const filed = await pdfText(await protocolPdf(db.prisma, meetingId, { final: true }));
    if (process.env.SHOW_TEXTS) console.log(filed);
    expect(filed).toContain('Plats och tid för justering Åby kommunhus, 4 mars 2037 kl. 13.12');
    expect(filed).toContain('Justerat elektroniskt 3 mars 2037 kl. 10.30 via personlig länk');
    expect(filed).toContain('Justerat elektroniskt 4 mars 2037 kl. 13.12 via personlig länk');
    expect(filed).toContain('Datum då anslaget sätts upp 4 mars 2037');
    expect(filed).toContain('Datum då anslaget tas ned 25 mars 2037');
    expect(filed).toContain(`Kontrollsumma (SHA-256) för den justerade versionen ${sha}`);

    // Names and Swedish words only: no role key or code key reaches the paper.
    for (const t of [before, filed]) expect(t).not.toMatch(/(?<![\p{L}_])(chair|vice_chair|deputy|member|official|secretary|ordforande|tjanstgorande|franvarande|beslutande:|jav)(?![\p{L}_])/iu);

    const late = await failure(acts.saveNarvaro({ now: start + 7_200_000, meetingId, actor: 'test', narvaro }));
    expect(late.type).toBe('Refused');
    expect(late.message).toMatch(/justerade/);
  });
});
