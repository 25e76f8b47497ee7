// The board's public work as OParl 1.1 JSON over HTTP (no login), with the real app and a PGlite
// database: the System and Body, a meeting with its agenda and its justerat protokoll, every object
// type served checked against OParl 1.1's required fields, every list walked through links.next,
// and nothing that is not public: no e-mail address in any answer, no secret handling, no agenda
// before the kallelse, no decision before the justering, nobody but the board's members.
//
// The required fields are OParl 1.1's, from the spec's schema files (github.com/OParl/spec,
// schema/<Type>.json "required"), plus created and modified, which the spec's text requires of
// every object (src/3-01-eigenschaften-mit-verwendung-in-mehreren-objekttypen.md).
import { createHash } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { testDatabase } from './support/database.js';
import { PUBLIC_BOARD_FILE } from './support/fixtures.js';
import { RecordingNotifier } from './support/notifier.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** OParl/spec schema/<Type>.json "required", and created/modified (spec 3.1). */
const REQUIRED: Record<string, string[]> = {
  System: ['id', 'type', 'oparlVersion', 'body'], // schema/System.json
  Body: ['id', 'type', 'name', 'organization', 'person', 'meeting', 'paper', 'legislativeTerm'], // schema/Body.json
  Organization: ['id', 'type'], // schema/Organization.json
  Person: ['id', 'type'], // schema/Person.json
  Membership: ['id', 'type'], // schema/Membership.json
  Meeting: ['id', 'type'], // schema/Meeting.json
  AgendaItem: ['id', 'type', 'order'], // schema/AgendaItem.json
  Consultation: ['id', 'type'], // schema/Consultation.json
  Paper: ['id', 'type'], // schema/Paper.json
  File: ['id', 'type', 'accessUrl'], // schema/File.json
  Location: ['id', 'type'], // schema/Location.json
};
const ALWAYS = ['created', 'modified']; // src/3-01: "muss in allen Objekttypen angegeben werden"
/** OParl's date-time (src/2-04-json-ausgabe.md): yyyy-mm-ddThh:mm:ss±hh:mm. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
const EMAIL = /[\w.+-]+@[\w-]+(\.[\w-]+)+/;

const BASE = 'https://arscykel.example';
const O = `${BASE}/oparl/v1`;

/** Checks one object (and every object embedded in it) against OParl 1.1's required fields; returns the types seen. */
function checkObject(o: Json, seen: Set<string> = new Set()): Set<string> {
  expect(typeof o.type, JSON.stringify(o).slice(0, 200)).toBe('string');
  const type = String(o.type).replace('https://schema.oparl.org/1.1/', '');
  expect(Object.keys(REQUIRED), `known type ${o.type}`).toContain(type);
  for (const f of [...REQUIRED[type], ...ALWAYS]) {
    expect(o[f], `${type} ${o.id} has ${f}`).toBeDefined();
    expect(o[f], `${type} ${o.id}: ${f} is not null`).not.toBeNull();
  }
  expect(o.id.startsWith(`${O}/`), o.id).toBe(true);
  expect(o.created).toMatch(DATE_TIME);
  expect(o.modified).toMatch(DATE_TIME);
  expect(Date.parse(o.created)).toBeLessThanOrEqual(Date.parse(o.modified));
  expect(o.deleted).toBe(false);
  if (o.web !== undefined) expect(o.web.startsWith(`${BASE}/forbund/`), o.web).toBe(true);
  seen.add(type);
  // Embedded objects (OParl "interne Ausgabe"): checked too.
  for (const v of Object.values(o)) {
    for (const x of Array.isArray(v) ? v : [v]) if (x && typeof x === 'object' && 'type' in x) checkObject(x, seen);
  }
  return seen;
}

const FILE = PUBLIC_BOARD_FILE;

let db: Database;
let app: ReturnType<typeof createApp>;
let clock = new Date('2037-03-10T09:00:00Z');
let forbundId: string;
const id: Record<string, string> = {};
const t = (iso: string) => new Date(iso);
const pdfBytes = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`);

const get = (path: string) => request(app).get(path.startsWith(BASE) ? path.slice(BASE.length) : path);
const getJson = async (path: string): Promise<Json> => {
  const r = await get(path);
  expect(r.status, `${path} → ${r.status} ${r.text.slice(0, 200)}`).toBe(200);
  expect(r.headers['content-type']).toMatch(/^application\/json/);
  expect(r.headers['access-control-allow-origin']).toBe('*');
  expect(r.text, `no e-mail address in ${path}`).not.toMatch(EMAIL);
  return r.body;
};
/** Every object of a list, following links.next; checks the pagination on the way. */
async function walk(first: string): Promise<{ items: Json[]; pages: number }> {
  const items: Json[] = [];
  let next: string | undefined = first;
  let pages = 0;
  let total: number | undefined;
  while (next) {
    const page: Json = await getJson(next);
    pages++;
    expect(Object.keys(page).sort()).toEqual(['data', 'links', 'pagination']);
    total ??= page.pagination.totalElements;
    expect(page.pagination.currentPage).toBe(pages);
    expect(page.data.length).toBeLessThanOrEqual(page.pagination.elementsPerPage);
    if (page.pagination.currentPage < page.pagination.totalPages) expect(page.links.next).toBeDefined();
    else expect(page.links.next).toBeUndefined();
    items.push(...page.data);
    next = page.links.next;
    expect(pages).toBeLessThan(100);
  }
  expect(items.length).toBe(total);
  return { items, pages };
}

beforeAll(async () => {
  db = await testDatabase();
  const prisma = db.prisma;
  ({ forbundId } = await importForbund(prisma, parseForbundFile(FILE, 'sydnarke.yaml'), { actor: 'test' }));
  for (const m of await prisma.meeting.findMany({ where: { forbundId } })) id[m.key] = m.id;
  for (const p of await prisma.person.findMany({ where: { forbundId } })) id[p.key] = p.id;
  id.beredningsgruppMembership = (await prisma.bodyMembership.findFirstOrThrow({ where: { body: { forbundId, kind: 'beredningsgrupp' } } })).id;
  const matter = async (number: number, title: string, kind: 'funding_application' | 'report' | 'other' = 'other') =>
    (await prisma.matter.create({ data: { forbundId, year: 2037, number, dnr: `2037-${String(number).padStart(5, '0')}`, title, kind, owner: 'official', createdAt: t(`2037-01-${String(number + 1).padStart(2, '0')}T09:00:00Z`) } })).id;
  id.mJan = await matter(1, 'Ansökan om medel: Steg framåt', 'funding_application');
  id.mFeb = await matter(2, 'Årsredovisning 2036', 'report');
  id.mMar = await matter(3, 'Verksamhetsplan 2038');
  const doc = async (matterId: string, key: string, version: number, title: string, uploadedAt: string, secret = false) => {
    const bytes = pdfBytes(`${title} v${version}`);
    return (await prisma.document.create({
      data: { forbundId, matterId, key, version, title, fileName: `${key}-${version}.pdf`, contentType: 'application/pdf', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), secret, content: new Uint8Array(bytes), uploadedBy: 'official', uploadedAt: t(uploadedAt) },
    })).id;
  };
  id.janV1 = await doc(id.mJan, 'ansokan', 1, 'Ansökan', '2037-01-05T09:00:00Z');
  id.janV2 = await doc(id.mJan, 'ansokan', 2, 'Ansökan', '2037-01-20T09:00:00Z');
  id.janSecret = await doc(id.mJan, 'yttrande', 1, 'Yttrande om en enskild', '2037-01-06T09:00:00Z', true);
  id.febOpenThenSecret = await doc(id.mFeb, 'rb', 1, 'Revisionsberättelse', '2037-02-01T09:00:00Z');
  id.febSecretV2 = await doc(id.mFeb, 'rb', 2, 'Revisionsberättelse', '2037-02-20T09:00:00Z', true);
  id.febArsred = await doc(id.mFeb, 'arsred', 1, 'Årsredovisning', '2037-02-01T09:00:00Z');
  id.marDoc = await doc(id.mMar, 'vp', 1, 'Verksamhetsplan', '2037-03-01T09:00:00Z');

  const item = (meetingId: string, number: number, title: string, kind: string, extra: Record<string, unknown> = {}) => prisma.agendaItem.create({ data: { meetingId, number, title, kind, ...extra } }).then((r) => r.id);
  // January: kallelse sent, justerat, anslag posted.
  await prisma.meeting.update({ where: { id: id['styrelse-01'] }, data: { location: 'Kommunhuset, Askersund', kallelseSentAt: t('2037-01-12T08:00:00Z'), heldAt: t('2037-01-22T11:00:00Z'), justeradAt: t('2037-01-28T13:00:00Z'), anslagPostedAt: t('2037-01-28T13:00:00Z'), anslagRemovedOn: t('2037-02-18T00:00:00Z') } });
  id.jan1 = await item(id['styrelse-01'], 1, 'Mötets öppnande', 'opening', { paragraph: 1, decision: 'Ordföranden förklarar mötet öppnat.' });
  id.jan2 = await item(id['styrelse-01'], 2, 'Ansökan om medel: Steg framåt', 'matter', { matterId: id.mJan, proposal: 'Styrelsen beviljar 400 000 kr.', paragraph: 2, decision: 'Styrelsen beviljar Steg framåt 400 000 kr för 2037.' });
  // February: kallelse sent, held, minutes out for justering.
  await prisma.meeting.update({ where: { id: id['styrelse-02'] }, data: { kallelseSentAt: t('2037-02-12T08:00:00Z'), heldAt: t('2037-02-26T11:00:00Z'), minutesSentAt: t('2037-02-27T10:00:00Z') } });
  id.feb1 = await item(id['styrelse-02'], 1, 'Årsredovisning 2036', 'matter', { matterId: id.mFeb, proposal: 'Styrelsen fastställer årsredovisningen.', paragraph: 3, decision: 'UTKAST TILL BESLUT' });
  id.feb2 = await item(id['styrelse-02'], 2, 'Ansökan om medel: Steg framåt, uppföljning', 'matter', { matterId: id.mJan });
  // March: the agenda drafted, no kallelse.
  id.mar1 = await item(id['styrelse-03'], 1, 'UTKAST Verksamhetsplan 2038', 'matter', { matterId: id.mMar, proposal: 'UTKAST förslag' });
  await prisma.meeting.update({ where: { id: id['styrelse-04'] }, data: { status: 'cancelled' } });
  app = createApp({ prisma, notifier: new RecordingNotifier(), publicBaseUrl: BASE, linkSecret: 's'.repeat(32), now: () => clock });
});

afterAll(async () => {
  await db?.close();
});

beforeEach(() => {
  clock = new Date('2037-03-10T09:00:00Z');
});

describe('OParl 1.1', () => {
  it('the System and the Body: the entry point, every list linked, absolute ids', async () => {
    const system = await getJson('/oparl/v1/system');
    checkObject(system);
    expect(system).toMatchObject({ id: `${O}/system`, oparlVersion: 'https://schema.oparl.org/1.1/', body: `${O}/body` });
    const bodies = await walk(system.body);
    expect(bodies.items.map((b: Json) => b.id)).toEqual([`${O}/body/sydnarke`]);
    const body = await getJson(`${O}/body/sydnarke`);
    expect(bodies.items[0]).toEqual(body);
    checkObject(body);
    expect(body).toMatchObject({ name: 'Samordningsförbundet Sydnärke', system: `${O}/system`, legislativeTerm: [], web: `${BASE}/forbund/sydnarke` });
    for (const l of ['organization', 'person', 'membership', 'meeting', 'agendaItem', 'paper', 'file']) expect(body[l]).toBe(`${O}/body/sydnarke/${l}`);
  });

  it('a meeting with its agenda and its justerat protokoll, and each object the same when fetched by its id', async () => {
    const m = await getJson(`${O}/meeting/${id['styrelse-01']}`);
    expect([...checkObject(m)].sort()).toEqual(['AgendaItem', 'File', 'Location', 'Meeting']);
    expect(m).toMatchObject({
      id: `${O}/meeting/${id['styrelse-01']}`,
      meetingState: 'durchgeführt',
      cancelled: false,
      start: '2037-01-22T08:00:00+00:00',
      location: { id: `${O}/meeting/${id['styrelse-01']}/location`, description: 'Kommunhuset, Askersund' },
      web: `${BASE}/forbund/sydnarke/moten/${id['styrelse-01']}`,
      invitation: { id: `${O}/meeting/${id['styrelse-01']}/invitation`, mimeType: 'application/pdf', accessUrl: `${BASE}/forbund/sydnarke/moten/${id['styrelse-01']}/kallelse.pdf` },
      resultsProtocol: { id: `${O}/meeting/${id['styrelse-01']}/resultsProtocol`, mimeType: 'application/pdf', accessUrl: `${BASE}/forbund/sydnarke/anslag/${id['styrelse-01']}/protokoll.pdf` },
    });
    expect(m.organization).toHaveLength(1);
    expect(m.agendaItem.map((i: Json) => [i.order, i.number, i.name, i.resolutionText, i['arscykel:paragraph']])).toEqual([
      [0, '1', 'Mötets öppnande', 'Ordföranden förklarar mötet öppnat.', 1],
      [1, '2', 'Ansökan om medel: Steg framåt', 'Styrelsen beviljar Steg framåt 400 000 kr för 2037.', 2],
    ]);
    const steg = m.agendaItem[1];
    expect(steg).toMatchObject({ meeting: m.id, consultation: `${O}/consultation/${id.jan2}`, 'arscykel:proposal': 'Styrelsen beviljar 400 000 kr.', 'arscykel:dnr': '2037-00001' });
    // The version January's kallelse carried (v1, not v2 uploaded after it), never the secret yttrande.
    expect(steg.auxiliaryFile.map((f: Json) => f.id)).toEqual([`${O}/file/${id.janV1}`]);
    // Every embedded object is served at its id, the same.
    for (const x of [m.location, m.invitation, m.resultsProtocol, ...m.agendaItem, ...steg.auxiliaryFile]) expect(await getJson(x.id)).toEqual(x);
    const consultation = await getJson(steg.consultation);
    checkObject(consultation);
    expect(consultation).toMatchObject({ paper: `${O}/paper/${id.mJan}`, agendaItem: steg.id, meeting: m.id, authoritative: true });
    // The files' addresses answer: the protokoll as filed, the handling inline and as a download.
    const protokoll = await get(m.resultsProtocol.accessUrl);
    expect([protokoll.status, protokoll.headers['content-type']]).toEqual([200, 'application/pdf']);
    const kallelse = await get(m.invitation.accessUrl);
    expect([kallelse.status, kallelse.headers['content-type']]).toEqual([200, 'application/pdf']);
    const f = steg.auxiliaryFile[0];
    const access = await get(f.accessUrl).buffer(true);
    expect(access.status).toBe(200);
    expect(access.headers['content-disposition']).toMatch(/^inline; filename="ansokan-1\.pdf"/);
    expect(createHash('sha256').update(access.body as Buffer).digest('hex')).toBe(f['arscykel:sha256']);
    const download = await get(f.downloadUrl);
    expect(download.status).toBe(200);
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename=/);
  });

  it('before the justering: the agenda of a sent kallelse without any decision; before the kallelse: no agenda at all', async () => {
    const feb = await getJson(`${O}/meeting/${id['styrelse-02']}`);
    checkObject(feb);
    expect(feb.meetingState).toBe('eingeladen');
    expect(feb.resultsProtocol).toBeUndefined();
    expect(feb.agendaItem.map((i: Json) => [i.name, i.resolutionText, i['arscykel:paragraph']])).toEqual([
      ['Årsredovisning 2036', undefined, undefined],
      ['Ansökan om medel: Steg framåt, uppföljning', undefined, undefined],
    ]);
    expect(JSON.stringify(feb)).not.toContain('UTKAST');
    expect((await get(feb.agendaItem[0].consultation)).body.authoritative).toBe(false);
    // The revisionsberättelse was open in v1 and secret in v2: neither is public; February's kallelse carried Ansökan v2.
    expect(feb.agendaItem[0].auxiliaryFile.map((f: Json) => f.id)).toEqual([`${O}/file/${id.febArsred}`]);
    expect(feb.agendaItem[1].auxiliaryFile.map((f: Json) => f.id)).toEqual([`${O}/file/${id.janV2}`]);

    const mar = await getJson(`${O}/meeting/${id['styrelse-03']}`);
    checkObject(mar);
    expect(mar).toMatchObject({ meetingState: 'terminiert', cancelled: false });
    for (const k of ['agendaItem', 'invitation', 'resultsProtocol']) expect(mar[k]).toBeUndefined();
    expect(JSON.stringify(mar)).not.toContain('UTKAST');
    expect((await get(`/oparl/v1/agendaItem/${id.mar1}`)).status).toBe(404);
    expect((await get(`/oparl/v1/consultation/${id.mar1}`)).status).toBe(404);
    expect((await get(`/oparl/v1/meeting/${id['styrelse-03']}/invitation`)).status).toBe(404);
    expect((await get(`/oparl/v1/paper/${id.mMar}`)).status).toBe(404);

    const apr = await getJson(`${O}/meeting/${id['styrelse-04']}`);
    expect(apr.cancelled).toBe(true);
    expect(apr.meetingState).toBeUndefined();
    // A preparatory meeting is not the board's.
    expect((await get(`/oparl/v1/meeting/${id['beredningsgrupp-02']}`)).status).toBe(404);
  });

  it('every list, walked through links.next two at a time: each object of OParl 1.1 shape, fetched alone the same; nothing not public', async () => {
    const body = await getJson(`${O}/body/sydnarke`);
    const types = new Set<string>();
    const all: Record<string, Json[]> = {};
    for (const l of ['organization', 'person', 'membership', 'meeting', 'agendaItem', 'paper', 'file']) {
      const { items, pages } = await walk(`${body[l]}?limit=2`);
      all[l] = items;
      if (items.length > 2) expect(pages).toBeGreaterThan(1);
      for (const o of items) {
        checkObject(o, types);
        expect(await getJson(o.id)).toEqual(o);
      }
    }
    expect([...types].sort()).toEqual(Object.keys(REQUIRED).filter((x) => x !== 'System' && x !== 'Body').sort());
    expect(all.meeting.map((m: Json) => m.id)).toEqual(['styrelse-01', 'styrelse-02', 'styrelse-03', 'styrelse-04'].map((k) => `${O}/meeting/${id[k]}`));
    expect(all.agendaItem.map((i: Json) => i.id)).toEqual([id.jan1, id.jan2, id.feb1, id.feb2].map((x) => `${O}/agendaItem/${x}`));
    expect(all.paper.map((p: Json) => [p.reference, p.paperType, p.date])).toEqual([
      ['2037-00002', 'Rapport', '2037-01-03'],
      ['2037-00001', 'Ansökan om medel', '2037-01-02'],
    ]);
    expect(all.paper[1].consultation.map((c: Json) => c.agendaItem)).toEqual([`${O}/agendaItem/${id.jan2}`, `${O}/agendaItem/${id.feb2}`]);
    // Files: the handlingar the kallelser carried, the kallelser, the protokoll; nothing secret or unsent.
    const fileIds = all.file.map((f: Json) => f.id);
    expect(fileIds.filter((x: string) => /\/file\//.test(x)).sort()).toEqual([id.janV1, id.janV2, id.febArsred].map((x) => `${O}/file/${x}`).sort());
    expect(fileIds.filter((x: string) => x.endsWith('/invitation'))).toHaveLength(2);
    expect(fileIds.filter((x: string) => x.endsWith('/resultsProtocol'))).toEqual([`${O}/meeting/${id['styrelse-01']}/resultsProtocol`]);
    // People: the board today, nobody else.
    expect(all.person.map((p: Json) => [p.name, p.status, p.membership[0].role, p.membership[0].votingRight])).toEqual([
      ['Anna Ordförande', ['Ordförande, Åby kommun'], 'Ordförande', true],
      ['Bo Vice', ['Vice ordförande, Region Östra Sjö'], 'Vice ordförande', true],
      ['Cecilia Ledamot', ['Ledamot, Försäkringskassan'], 'Ledamot', true],
      ['David Ersättare', ['Ersättare, Åby kommun'], 'Ersättare', false],
    ]);
    expect(all.person[0].membership[0]).toMatchObject({ startDate: '2035-01-01', endDate: '2038-12-31' });
    const board = all.organization.find((o: Json) => o.organizationType === 'Gremium');
    expect(board).toMatchObject({ memberCount: 4, votingMemberCount: 3, membership: all.membership.map((m: Json) => m.id) });
    const onBehalfOf = await getJson(all.person[0].membership[0].onBehalfOf);
    expect(onBehalfOf).toMatchObject({ name: 'Åby kommun', organizationType: 'Institution' });
    const everything = JSON.stringify(all);
    expect(everything).not.toMatch(EMAIL);
    expect(everything).not.toMatch(/Olga|Sixten|Cora|Erik|UTKAST|Yttrande|Verksamhetsplan/);
    for (const hidden of [id.janSecret, id.febOpenThenSecret, id.febSecretV2, id.marDoc]) expect(everything).not.toContain(hidden);
  });

  it('404 for what is not public or not there: a secret handling (its bytes too), people who are not on the board, an unknown body', async () => {
    for (const x of [id.janSecret, id.febOpenThenSecret, id.febSecretV2, id.marDoc]) {
      expect((await get(`/oparl/v1/file/${x}`)).status).toBe(404);
      expect((await get(`/oparl/v1/file/${x}/access`)).status).toBe(404);
    }
    for (const k of ['official', 'secretary', 'coord', 'erik']) {
      const r = await get(`/oparl/v1/person/${id[k]}`);
      expect(r.status).toBe(404);
      expect(r.text).not.toMatch(EMAIL);
    }
    expect((await get(`/oparl/v1/membership/${id.beredningsgruppMembership}`)).status).toBe(404);
    const unknown = await get('/oparl/v1/body/finns-inte/meeting');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ type: 'https://schema.oparl.org/1.1/Error', message: 'body "finns-inte" not found', error: { status: 404 } });
    expect(unknown.headers['access-control-allow-origin']).toBe('*');
    expect((await get('/oparl/v1/body/finns-inte')).status).toBe(404);
    expect((await get('/oparl/v1/meeting/not-an-id')).status).toBe(404);
    expect((await get('/oparl/v1/meeting/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it("the filters: created and modified since and until, kept in every link; omit_internal; a bad value is 400 naming the parameter", async () => {
    const list = `${O}/body/sydnarke/meeting`;
    // The rows were written today (the real clock); the kallelser, justeringar and anslag in 2037:
    // since 1 January 2037 January and February, since 1 February only February (justerat in January).
    const since = encodeURIComponent('2037-01-01T00:00:00+01:00');
    const recent = await getJson(`${list}?modified_since=${since}&limit=1`);
    expect(recent.pagination).toMatchObject({ totalElements: 2, totalPages: 2 });
    expect(recent.links.next).toContain(`modified_since=${since}`);
    expect(recent.links.next).toContain('limit=1');
    expect((await walk(`${list}?modified_since=${since}&limit=1`)).items.map((m: Json) => m.id)).toEqual([`${O}/meeting/${id['styrelse-01']}`, `${O}/meeting/${id['styrelse-02']}`]);
    const feb = await walk(`${list}?modified_since=${encodeURIComponent('2037-02-01T00:00:00+01:00')}&limit=1`);
    expect(feb.items.map((m: Json) => m.id)).toEqual([`${O}/meeting/${id['styrelse-02']}`]);
    expect((await getJson(`${list}?modified_until=${encodeURIComponent('2000-01-01T00:00:00Z')}`)).data).toEqual([]);
    expect((await getJson(`${list}?created_since=${encodeURIComponent('2100-01-01T00:00:00+00:00')}`)).pagination).toMatchObject({ totalElements: 0, totalPages: 1 });
    const files = await getJson(`${O}/body/sydnarke/file?created_until=${encodeURIComponent('2037-01-10T00:00:00+00:00')}`);
    expect(files.data.map((f: Json) => f.id)).toEqual([`${O}/file/${id.janV1}`]);
    const omitted = await getJson(`${list}?omit_internal=true`);
    expect(omitted.data.every((m: Json) => m.agendaItem === undefined)).toBe(true);
    expect(omitted.links.first).toContain('omit_internal=true');
    for (const [q, field] of [
      ['created_since=yesterday', 'created_since'],
      ['modified_until=2037-01-01', 'modified_until'],
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=ten', 'limit'],
      ['page=0', 'page'],
      ['omit_internal=maybe', 'omit_internal'],
    ]) {
      const r = await get(`/oparl/v1/body/sydnarke/meeting?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error.fields.map((f: Json) => f.field)).toEqual([field]);
      expect(r.body.type).toBe('https://schema.oparl.org/1.1/Error');
    }
  });

  it('a change shows at once (the answer is kept per data version): February justerat, its decision and protokoll appear', async () => {
    const before = await getJson(`${O}/agendaItem/${id.feb1}`);
    expect(before.resolutionText).toBeUndefined();
    await db.prisma.agendaItem.update({ where: { id: id.feb1 }, data: { decision: 'Styrelsen fastställer årsredovisningen för 2036.' } });
    await db.prisma.meeting.update({ where: { id: id['styrelse-02'] }, data: { justeradAt: t('2037-03-05T10:00:00Z'), anslagPostedAt: t('2037-03-05T10:00:00Z') } });
    const after = await getJson(`${O}/agendaItem/${id.feb1}`);
    expect(after).toMatchObject({ resolutionText: 'Styrelsen fastställer årsredovisningen för 2036.', 'arscykel:paragraph': 3 });
    expect(Date.parse(after.modified)).toBeGreaterThan(Date.parse(before.modified));
    const feb = await getJson(`${O}/meeting/${id['styrelse-02']}`);
    expect(feb).toMatchObject({ meetingState: 'durchgeführt', resultsProtocol: { accessUrl: `${BASE}/forbund/sydnarke/anslag/${id['styrelse-02']}/protokoll.pdf` } });
  });

  it('OpenAPI documents every OParl route as public, with each object schema holding OParl’s required fields', async () => {
    const doc = (await request(app).get('/api/v1/openapi.json')).body as Json;
    const paths = Object.keys(doc.paths).filter((p) => p.startsWith('/oparl/'));
    expect(paths.length).toBeGreaterThanOrEqual(21);
    for (const p of paths) expect(doc.paths[p].get.security, p).toEqual([]);
    const schemaOf = (p: string) => doc.paths[p].get.responses['200'].content['application/json'].schema;
    expect(schemaOf('/oparl/v1/system').required).toEqual(expect.arrayContaining([...REQUIRED.System, ...ALWAYS]));
    expect(schemaOf('/oparl/v1/body/{slug}').required).toEqual(expect.arrayContaining([...REQUIRED.Body, ...ALWAYS]));
    for (const [p, type] of [
      ['/oparl/v1/meeting/{id}', 'Meeting'],
      ['/oparl/v1/agendaItem/{id}', 'AgendaItem'],
      ['/oparl/v1/paper/{id}', 'Paper'],
      ['/oparl/v1/file/{id}', 'File'],
      ['/oparl/v1/person/{id}', 'Person'],
      ['/oparl/v1/membership/{id}', 'Membership'],
      ['/oparl/v1/organization/{id}', 'Organization'],
      ['/oparl/v1/consultation/{id}', 'Consultation'],
      ['/oparl/v1/meeting/{id}/location', 'Location'],
    ])
      expect(schemaOf(p).required, p).toEqual(expect.arrayContaining([...REQUIRED[type], ...ALWAYS]));
    expect(schemaOf('/oparl/v1/body/{slug}/meeting').required).toEqual(['data', 'pagination', 'links']);
    expect(doc.paths['/oparl/v1/body/{slug}/paper'].get.parameters.map((x: Json) => x.name)).toEqual(expect.arrayContaining(['slug', 'created_since', 'created_until', 'modified_since', 'modified_until', 'limit']));
  });
});
