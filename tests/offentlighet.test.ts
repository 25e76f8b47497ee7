// What of the board's work is public, as the queries (services/offentligt.ts) read it from a
// PGlite database; the rules alone (domain/offentlighet.ts) are in tests/offentlighet-domain.test.ts.
// A board meeting's day and title always; its agenda only once the kallelse is sent; decisions and
// § only once justerat; the protokoll once the anslag is posted; handlingar only not secret, of a
// matter on a sent agenda, in the version the kallelse carried; people only the board's seats,
// never an e-mail address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { publicBoardMeetings, publicBoardPeople, publicDecisions, publicFile, publicMeeting, publicPaper, publicPapers } from '../services/offentligt.js';
import { testDatabase } from './support/database.js';
import { PUBLIC_BOARD_FILE } from './support/fixtures.js';

const t = (iso: string) => new Date(iso);

const FILE = PUBLIC_BOARD_FILE;

let db: Database;
let forbundId: string;
const id: Record<string, string> = {};
const AT = t('2037-03-10T09:00:00Z');

beforeAll(async () => {
  db = await testDatabase();
  const prisma = db.prisma;
  ({ forbundId } = await importForbund(prisma, parseForbundFile(FILE, 'sydnarke.yaml'), { actor: 'test' }));
  for (const m of await prisma.meeting.findMany({ where: { forbundId } })) id[m.key] = m.id;
  const matter = async (number: number, title: string, kind: 'funding_application' | 'report' | 'other' = 'other') =>
    (await prisma.matter.create({ data: { forbundId, year: 2037, number, dnr: `2037-${String(number).padStart(5, '0')}`, title, kind, owner: 'official', createdAt: t(`2037-01-${String(number + 1).padStart(2, '0')}T09:00:00Z`) } })).id;
  id.mJan = await matter(1, 'Ansökan om medel: Steg framåt', 'funding_application');
  id.mFeb = await matter(2, 'Årsredovisning 2036', 'report');
  id.mMar = await matter(3, 'Verksamhetsplan 2038');
  id.mNone = await matter(4, 'Ett ärende på ingen dagordning');
  const doc = async (matterId: string, key: string, version: number, title: string, uploadedAt: string, secret = false) =>
    (await prisma.document.create({
      data: { forbundId, matterId, key, version, title, fileName: `${key}-${version}.pdf`, contentType: 'application/pdf', size: 100 + version, sha256: String(version).repeat(64), secret, content: new Uint8Array(Buffer.from(`%PDF-1.4 ${title}`)), uploadedBy: 'official', uploadedAt: t(uploadedAt) },
    })).id;
  // January's matter: a handling v1 before the kallelse (12 Jan), v2 after it (the next kallelse carries it: February).
  id.janV1 = await doc(id.mJan, 'ansokan', 1, 'Ansökan', '2037-01-05T09:00:00Z');
  id.janV2 = await doc(id.mJan, 'ansokan', 2, 'Ansökan', '2037-01-20T09:00:00Z');
  id.janSecret = await doc(id.mJan, 'yttrande', 1, 'Yttrande om en enskild', '2037-01-06T09:00:00Z', true);
  // February's: an open v1, later marked secret in v2 — none of it is public.
  id.febOpen = await doc(id.mFeb, 'rb', 1, 'Revisionsberättelse', '2037-02-01T09:00:00Z');
  await doc(id.mFeb, 'rb', 2, 'Revisionsberättelse', '2037-02-20T09:00:00Z', true);
  id.febArsred = await doc(id.mFeb, 'arsred', 1, 'Årsredovisning', '2037-02-01T09:00:00Z');
  // March's matter, on an agenda whose kallelse is not sent, and one on no agenda.
  id.marDoc = await doc(id.mMar, 'vp', 1, 'Verksamhetsplan', '2037-03-01T09:00:00Z');
  id.noneDoc = await doc(id.mNone, 'x', 1, 'Underlag', '2037-03-01T09:00:00Z');

  const item = (meetingId: string, number: number, title: string, kind: string, extra: Record<string, unknown> = {}) =>
    prisma.agendaItem.create({ data: { meetingId, number, title, kind, ...extra } }).then((r) => r.id);
  // January: kallelse sent 12 Jan, justerat 28 Jan, anslag posted.
  await prisma.meeting.update({ where: { id: id['styrelse-01'] }, data: { location: 'Kommunhuset, Askersund', kallelseSentAt: t('2037-01-12T08:00:00Z'), heldAt: t('2037-01-22T11:00:00Z'), justeradAt: t('2037-01-28T13:00:00Z'), anslagPostedAt: t('2037-01-28T13:00:00Z') } });
  id.jan1 = await item(id['styrelse-01'], 1, 'Mötets öppnande', 'opening', { paragraph: 1, decision: 'Ordföranden förklarar mötet öppnat.' });
  id.jan2 = await item(id['styrelse-01'], 2, 'Ansökan om medel: Steg framåt', 'matter', { matterId: id.mJan, proposal: 'Styrelsen beviljar 400 000 kr.', paragraph: 2, decision: 'Styrelsen beviljar Steg framåt 400 000 kr för 2037.' });
  // February: kallelse sent 12 Feb, held, minutes sent for justering: not justerat.
  await prisma.meeting.update({ where: { id: id['styrelse-02'] }, data: { kallelseSentAt: t('2037-02-12T08:00:00Z'), heldAt: t('2037-02-26T11:00:00Z'), minutesSentAt: t('2037-02-27T10:00:00Z') } });
  id.feb1 = await item(id['styrelse-02'], 1, 'Årsredovisning 2036', 'matter', { matterId: id.mFeb, proposal: 'Styrelsen fastställer årsredovisningen.', paragraph: 3, decision: 'HEMLIGT UTKAST: Styrelsen fastställer årsredovisningen.' });
  id.feb2 = await item(id['styrelse-02'], 2, 'Ansökan om medel: Steg framåt, uppföljning', 'matter', { matterId: id.mJan, proposal: 'Styrelsen noterar informationen.' });
  // March: the agenda being drafted, no kallelse.
  id.mar1 = await item(id['styrelse-03'], 1, 'UTKAST Verksamhetsplan 2038', 'matter', { matterId: id.mMar, proposal: 'UTKAST förslag' });
  // April: cancelled.
  await prisma.meeting.update({ where: { id: id['styrelse-04'] }, data: { status: 'cancelled' } });
});

afterAll(async () => {
  await db?.close();
});

describe('the queries', () => {
  it("the board's meetings: every one with its day and title (a cancelled one as cancelled); the kallelse and protokoll linked only once public; no preparatory meetings", async () => {
    const ms = await publicBoardMeetings(db.prisma, forbundId, { at: AT });
    expect(ms.map((m) => m.id)).toEqual([id['styrelse-01'], id['styrelse-02'], id['styrelse-03'], id['styrelse-04']]);
    const [jan, feb, mar, apr] = ms;
    expect(jan).toMatchObject({ year: 2037, location: 'Kommunhuset, Askersund', cancelled: false, kallelseHref: `/forbund/sydnarke/moten/${jan.id}/kallelse.pdf`, protokollHref: `/forbund/sydnarke/anslag/${jan.id}/protokoll.pdf` });
    expect(feb).toMatchObject({ kallelseHref: `/forbund/sydnarke/moten/${feb.id}/kallelse.pdf`, protokollHref: null, justeradAt: null });
    expect(mar).toMatchObject({ kallelseHref: null, protokollHref: null, kallelseSentAt: null });
    expect(apr.cancelled).toBe(true);
    expect(await publicBoardMeetings(db.prisma, forbundId, { year: 2036 })).toEqual([]);
    // The anslag not yet posted at the time asked: no protokoll.
    expect((await publicBoardMeetings(db.prisma, forbundId, { at: t('2037-01-28T12:00:00Z') }))[0].protokollHref).toBeNull();
    expect(await publicMeeting(db.prisma, forbundId, id['beredningsgrupp-02'], AT)).toBeNull();
    expect(await publicMeeting(db.prisma, 'another-forbund', id['styrelse-01'], AT)).toBeNull();
  });

  it('the agenda once the kallelse is sent, with the decisions only once justerat; nothing of a draft agenda', async () => {
    const jan = (await publicMeeting(db.prisma, forbundId, id['styrelse-01'], AT))!;
    expect(jan.agenda.map((i) => [i.number, i.title, i.paragraph, i.decision])).toEqual([
      [1, 'Mötets öppnande', 1, 'Ordföranden förklarar mötet öppnat.'],
      [2, 'Ansökan om medel: Steg framåt', 2, 'Styrelsen beviljar Steg framåt 400 000 kr för 2037.'],
    ]);
    expect(jan.agenda[1]).toMatchObject({ proposal: 'Styrelsen beviljar 400 000 kr.', matter: { id: id.mJan, dnr: '2037-00001', title: 'Ansökan om medel: Steg framåt', kind: 'funding_application' } });
    const feb = (await publicMeeting(db.prisma, forbundId, id['styrelse-02'], AT))!;
    expect(feb.agenda.map((i) => [i.title, i.proposal, i.paragraph, i.decision])).toEqual([
      ['Årsredovisning 2036', 'Styrelsen fastställer årsredovisningen.', null, null],
      ['Ansökan om medel: Steg framåt, uppföljning', 'Styrelsen noterar informationen.', null, null],
    ]);
    expect(JSON.stringify(feb)).not.toContain('HEMLIGT');
    const mar = (await publicMeeting(db.prisma, forbundId, id['styrelse-03'], AT))!;
    expect(mar.agenda).toEqual([]);
    expect(JSON.stringify(mar)).not.toContain('UTKAST');
  });

  it('handlingar: per meeting the version its kallelse carried, never a secret one nor one of a handling secret in a later version; never the content', async () => {
    const jan = (await publicMeeting(db.prisma, forbundId, id['styrelse-01'], AT))!;
    expect(jan.agenda[1].files.map((f) => [f.id, f.version])).toEqual([[id.janV1, 1]]);
    expect(Object.keys(jan.agenda[1].files[0]).sort()).toEqual(['contentType', 'fileName', 'id', 'key', 'matterId', 'publishedAt', 'sha256', 'size', 'title', 'uploadedAt', 'version']);
    const feb = (await publicMeeting(db.prisma, forbundId, id['styrelse-02'], AT))!;
    expect(feb.agenda[0].files.map((f) => f.id)).toEqual([id.febArsred]); // rb: secret in v2, so v1 is not public either
    expect(feb.agenda[1].files.map((f) => [f.id, f.version])).toEqual([[id.janV2, 2]]); // February's kallelse carried v2
    // Each public from the kallelse that first carried it.
    expect(jan.agenda[1].files[0].publishedAt).toEqual(t('2037-01-12T08:00:00Z'));
    expect(feb.agenda[1].files[0].publishedAt).toEqual(t('2037-02-12T08:00:00Z'));
    expect(await publicFile(db.prisma, forbundId, id.janV1)).toMatchObject({ id: id.janV1, version: 1, matterId: id.mJan });
    expect(await publicFile(db.prisma, forbundId, id.janV2)).toMatchObject({ id: id.janV2, version: 2 });
    expect(await publicFile(db.prisma, forbundId, id.febArsred)).toMatchObject({ title: 'Årsredovisning' });
    for (const hidden of [id.janSecret, id.febOpen, id.marDoc, id.noneDoc]) expect(await publicFile(db.prisma, forbundId, hidden)).toBeNull();
    expect(await publicFile(db.prisma, 'another-forbund', id.janV1)).toBeNull();
  });

  it('decisions: only of justerade protokoll, newest meeting first then by §, searched in title, decision and Dnr', async () => {
    const all = await publicDecisions(db.prisma, forbundId, { skip: 0, take: 10 });
    expect(all.total).toBe(2);
    expect(all.items.map((d) => [d.meetingDate, d.paragraph, d.dnr])).toEqual([['2037-01-22', 1, null], ['2037-01-22', 2, '2037-00001']]);
    expect(JSON.stringify(all)).not.toContain('HEMLIGT');
    expect((await publicDecisions(db.prisma, forbundId, { q: 'STEG', skip: 0, take: 10 })).items.map((d) => d.agendaItemId)).toEqual([id.jan2]);
    expect((await publicDecisions(db.prisma, forbundId, { q: 'öppnat', skip: 0, take: 10 })).items.map((d) => d.agendaItemId)).toEqual([id.jan1]);
    expect((await publicDecisions(db.prisma, forbundId, { q: '2037-00001', skip: 0, take: 10 })).total).toBe(1);
    expect((await publicDecisions(db.prisma, forbundId, { q: 'årsredovisningen', skip: 0, take: 10 })).total).toBe(0); // February is not justerat
    expect((await publicDecisions(db.prisma, forbundId, { year: 2036, skip: 0, take: 10 })).total).toBe(0);
    const page2 = await publicDecisions(db.prisma, forbundId, { skip: 1, take: 1 });
    expect([page2.total, page2.items.map((d) => d.paragraph)]).toEqual([2, [2]]);
  });

  it('papers: only matters on a sent agenda, with their public handlingar as the latest kallelse carried them', async () => {
    const { total, items } = await publicPapers(db.prisma, forbundId, { skip: 0, take: 10 });
    expect(total).toBe(2);
    expect(items.map((p) => p.dnr)).toEqual(['2037-00002', '2037-00001']);
    const jan = items[1];
    expect(jan).toMatchObject({ title: 'Ansökan om medel: Steg framåt', kind: 'funding_application', registeredOn: '2037-01-02' });
    expect(jan.files.map((f) => f.id)).toEqual([id.janV2]);
    expect(jan.agendaItems).toEqual([{ meetingId: id['styrelse-01'], agendaItemId: id.jan2 }, { meetingId: id['styrelse-02'], agendaItemId: id.feb2 }]);
    expect(items[0].files.map((f) => f.id)).toEqual([id.febArsred]);
    expect(await publicPaper(db.prisma, forbundId, id.mJan)).toEqual(jan);
    expect(await publicPaper(db.prisma, forbundId, id.mMar)).toBeNull();
    expect(await publicPaper(db.prisma, forbundId, id.mNone)).toBeNull();
    expect((await publicPapers(db.prisma, forbundId, { skip: 1, take: 5 })).items.map((p) => p.dnr)).toEqual(['2037-00001']);
  });

  it("people: the board's seats today with role and member, never an e-mail, never the staff, a coordinator or a seat whose period ended", async () => {
    const people = await publicBoardPeople(db.prisma, forbundId, { on: '2037-03-10' });
    expect(people.map((p) => [p.name, p.roleSv, p.member])).toEqual([
      ['Anna Ordförande', 'Ordförande', 'Åby kommun'],
      ['Bo Vice', 'Vice ordförande', 'Region Östra Sjö'],
      ['Cecilia Ledamot', 'Ledamot', 'Försäkringskassan'],
      ['David Ersättare', 'Ersättare', 'Åby kommun'],
    ]);
    expect(JSON.stringify(people)).not.toMatch(/@|Olga|Sixten|Cora|Erik/);
    expect((await publicBoardPeople(db.prisma, forbundId, { on: '2033-06-01' })).map((p) => p.name)).toContain('Erik Avgången');
  });
});
