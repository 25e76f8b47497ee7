// The förbund's public anslagstavla over HTTP (no login): each justerat board protokoll whose
// anslag is up, with the tillkännagivande, the dates, the förvaringsplats, the appeal notice and
// the protokoll's SHA-256 and PDF; anslag taken down under "Tidigare anslag" without the appeal
// notice; nothing of a protokoll not yet justerat or not yet posted. The JSON twin, the filed
// PDF, the 404s.
//
// The filed protokoll PDF is the real one (services/protokoll.ts protocolPdf, final), read back
// with pdf.js.
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pdfText } from './support/pdf.js';


import { createApp } from '../api/app.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { testDatabase } from './support/database.js';
import { MEMBERS_YAML } from './support/fixtures.js';
import { RecordingNotifier } from './support/notifier.js';

const FILE = `
forbund: { id: sydnarke, name: Samordningsförbundet Sydnärke, email: kansli@sydnarke.example, year: 2037 }
${MEMBERS_YAML}
people:
  - { id: official, name: Olga Tjänsteman, email: olga@sydnarke.example, roles: [official] }
  - { id: secretary, name: Sixten Sekreterare, email: sixten@sydnarke.example, roles: [secretary] }
projects: []
bodies: { styrelse: { members: [] } }
cycle:
  meetings:
    - { id: styrelse-01, body: styrelse, date: 2037-01-22 }
    - { id: styrelse-02, body: styrelse, date: 2037-02-26 }
    - { id: styrelse-03, body: styrelse, date: 2037-03-05 }
    - { id: styrelse-04, body: styrelse, date: 2037-03-06 }
  milestones: { bokslut: false, budgetDialogue: false, halfYearReports: false, delar: false, budgetFollowUp: false, vpBudget: false, nextCalendar: false, stateAllocation: false, attestReview: false }
`;

const SHA = { jan: '1'.repeat(64), feb: 'ab'.repeat(32) };
let db: Database;
let clock = new Date('2037-03-10T09:00:00Z');
let app: ReturnType<typeof createApp>;
const id: Record<string, string> = {};
const PAGE = '/forbund/sydnarke/anslag';
const JSON_PATH = '/api/v1/public/forbund/sydnarke/anslag';
/** Text as read: the page keeps dates together with no-break spaces. */
const text = (html: string) => html.replace(/\u00a0/g, ' ');
const day = (d: string) => new Date(`${d}T00:00:00Z`);

beforeAll(async () => {
  db = await testDatabase();
  const prisma = db.prisma;
  const { forbundId } = await importForbund(prisma, parseForbundFile(FILE, 'sydnarke.yaml'), { actor: 'test' });
  for (const m of await prisma.meeting.findMany({ where: { forbundId } })) id[m.key] = m.id;
  const held = (d: string) => new Date(`${d}T11:00:00Z`);
  // January: justerat 28 January, the anslag up 28 January – 18 February: taken down.
  await prisma.meeting.update({ where: { id: id['styrelse-01'] }, data: { heldAt: held('2037-01-22'), justeradAt: new Date('2037-01-28T13:00:00Z'), anslagPostedAt: new Date('2037-01-28T13:00:00Z'), anslagRemovedOn: day('2037-02-18'), protocolSha256: SHA.jan } });
  // February: justerat 4 March (10.20 in Stockholm), the anslag up until 25 March.
  await prisma.meeting.update({ where: { id: id['styrelse-02'] }, data: { heldAt: held('2037-02-26'), justeradAt: new Date('2037-03-04T09:20:00Z'), anslagPostedAt: new Date('2037-03-04T09:20:00Z'), anslagRemovedOn: day('2037-03-25'), protocolSha256: SHA.feb } });
  // 5 March: held, sent for justering, not justerat: not on the anslagstavla.
  await prisma.meeting.update({ where: { id: id['styrelse-03'] }, data: { heldAt: held('2037-03-05'), minutesSentAt: new Date('2037-03-06T10:00:00Z'), protocolSha256: 'c'.repeat(64) } });
  // 6 March: justerat on paper (through the API), its anslag not yet posted: not there either.
  await prisma.meeting.update({ where: { id: id['styrelse-04'] }, data: { heldAt: held('2037-03-06'), justeradAt: new Date('2037-03-09T10:00:00Z') } });
  app = createApp({ prisma, notifier: new RecordingNotifier(), publicBaseUrl: 'https://arscykel.example', linkSecret: 's'.repeat(32), now: () => clock });
});

afterAll(async () => {
  await db?.close();
});

beforeEach(() => {
  clock = new Date('2037-03-10T09:00:00Z');
});

describe('the anslagstavla', () => {
  it('the page: no login, Swedish, the February protokoll up with its tillkännagivande and the appeal notice; January under "Tidigare anslag"; nothing else', async () => {
    const r = await request(app).get(PAGE);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    expect(r.headers['content-security-policy']).toContain("default-src 'none'");
    expect(r.headers['ratelimit-policy']).toBeTruthy();
    const t = text(r.text);
    expect(t).toMatch(/^<!doctype html><html lang="sv">/);
    expect(t).toContain('<title>Anslagstavla – Samordningsförbundet Sydnärke</title>');
    expect(t).toContain('<h1>Anslagstavla</h1>');
    const [current, earlier] = t.split('<h2 id="tidigare">');
    // Up: February.
    expect(current).toContain('Styrelsens protokoll från sammanträdet 26 februari 2037 är justerat.');
    for (const [k, v] of [
      ['Organ', 'Styrelsen'],
      ['Sammanträdesdatum', '26 februari 2037'],
      ['Datum för justering', '4 mars 2037'],
      ['Anslaget sätts upp', '4 mars 2037'],
      ['Anslaget tas ned', '25 mars 2037'],
      ['Förvaringsplats för protokollet', 'Förbundets kansli, Samordningsförbundet Sydnärke'],
    ])
      expect(current).toContain(`<dt>${k}</dt><dd>${v}</dd>`);
    expect(current).toContain(
      'Den som vill överklaga beslut (laglighetsprövning enligt 13 kap. kommunallagen) ska göra det inom tre veckor från den dag anslaget sattes upp, senast 25 mars 2037.',
    );
    expect(current).toContain(`<dd class="sha">${SHA.feb}</dd>`);
    expect(current).toContain(`href="/forbund/sydnarke/anslag/${id['styrelse-02']}/protokoll.pdf"`);
    expect(current).not.toContain('22 januari 2037');
    // Taken down: January, without the appeal notice, its protokoll still linked.
    expect(earlier).toContain('Tidigare anslag</h2>');
    expect(earlier).toContain('Styrelsens protokoll från sammanträdet 22 januari 2037 är justerat.');
    expect(earlier).toContain('<dt>Anslaget tas ned</dt><dd>18 februari 2037</dd>');
    expect(earlier).toContain(`href="/forbund/sydnarke/anslag/${id['styrelse-01']}/protokoll.pdf"`);
    expect(earlier).not.toContain('Den som vill överklaga');
    // Not justerat, or not posted: not there. Nothing private.
    expect(t).not.toMatch(/(?<!\d)[56] mars 2037|c{64}/);
    expect(t).not.toMatch(/[\w.+-]+@[\w-]+\.\w+|mailto:|Olga|Sixten/);
    expect(t.match(/Den som vill överklaga/g)).toHaveLength(1);
  });

  it('the anslag stays up through the day it is taken down, and moves under "Tidigare anslag" the day after', async () => {
    clock = new Date('2037-03-25T21:00:00Z'); // 22.00 in Stockholm on 25 March
    expect(text((await request(app).get(PAGE)).text).split('<h2 id="tidigare">')[0]).toContain('sammanträdet 26 februari 2037 är justerat.');
    clock = new Date('2037-03-25T23:30:00Z'); // 00.30 on 26 March
    const t = text((await request(app).get(PAGE)).text);
    const [current, earlier] = t.split('<h2 id="tidigare">');
    expect(current).toContain('Det finns inga anslag på anslagstavlan just nu.');
    expect(earlier).toContain('sammanträdet 26 februari 2037 är justerat.');
    expect(earlier.indexOf('26 februari 2037')).toBeLessThan(earlier.indexOf('22 januari 2037'));
    expect(t).not.toContain('Den som vill överklaga');
  });

  it('before an anslag is posted it is not shown', async () => {
    clock = new Date('2037-03-04T09:00:00Z');
    const t = text((await request(app).get(PAGE)).text);
    expect(t).not.toContain('26 februari 2037');
    expect(t).toContain('Det finns inga anslag på anslagstavlan just nu.');
  });

  it('the JSON twin: the same anslag, the last day to appeal while up', async () => {
    const r = await request(app).get(JSON_PATH);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ forbund: { slug: 'sydnarke', name: 'Samordningsförbundet Sydnärke' }, asOf: '2037-03-10', links: { html: PAGE } });
    expect(r.body.current).toEqual([
      {
        meetingId: id['styrelse-02'],
        text: 'Styrelsens protokoll från sammanträdet 2037-02-26 är justerat.',
        organ: 'Styrelsen',
        meetingDate: '2037-02-26',
        justeradOn: '2037-03-04',
        postedOn: '2037-03-04',
        removedOn: '2037-03-25',
        appealUntil: '2037-03-25',
        storage: 'Förbundets kansli, Samordningsförbundet Sydnärke',
        sha256: SHA.feb,
        protokoll: `/forbund/sydnarke/anslag/${id['styrelse-02']}/protokoll.pdf`,
      },
    ]);
    expect(r.body.earlier.map((a: { meetingDate: string; appealUntil: string | null }) => [a.meetingDate, a.appealUntil])).toEqual([['2037-01-22', null]]);
    expect(r.body.appeal).toContain('laglighetsprövning enligt 13 kap. kommunallagen');
  });

  it('the protokoll as filed (its ANSLAG/BEVIS filled in) of that meeting, inline; 404 for a protokoll not on the anslagstavla', async () => {
    const r = await request(app).get(`/forbund/sydnarke/anslag/${id['styrelse-02']}/protokoll.pdf`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(r.headers['content-disposition']).toBe('inline; filename="protokoll-2037-02-26.pdf"');
    const printed = await pdfText(r.body as Buffer);
    for (const part of ['Protokoll', '26 februari 2037', 'ANSLAG/BEVIS', '4 mars 2037', '25 mars 2037', SHA.feb]) expect(printed).toContain(part);
    // Taken down: still an allmän handling.
    expect((await request(app).get(`/forbund/sydnarke/anslag/${id['styrelse-01']}/protokoll.pdf`)).status).toBe(200);
    for (const k of ['styrelse-03', 'styrelse-04']) {
      const gone = await request(app).get(`/forbund/sydnarke/anslag/${id[k]}/protokoll.pdf`);
      expect(gone.status).toBe(404);
      expect(gone.text).toContain('<h1>Sidan finns inte</h1>');
    }
    expect((await request(app).get(`/forbund/annat/anslag/${id['styrelse-02']}/protokoll.pdf`)).status).toBe(404);
  });

  it('an unknown förbund: a Swedish 404 page, and a JSON 404', async () => {
    const page = await request(app).get('/forbund/finns-inte/anslag');
    expect(page.status).toBe(404);
    expect(page.text).toContain('<h1>Sidan finns inte</h1>');
    const json = await request(app).get('/api/v1/public/forbund/finns-inte/anslag');
    expect(json.status).toBe(404);
    expect(json.body.error.status).toBe(404);
  });

  it('OpenAPI lists the three routes as public', async () => {
    const doc = (await request(app).get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    for (const p of ['/forbund/{slug}/anslag', '/forbund/{slug}/anslag/{meetingId}/protokoll.pdf', '/api/v1/public/forbund/{slug}/anslag']) expect(doc.paths[p].get.security).toEqual([]);
  });
});
