// The board's process over HTTP, with the Sydnärke example placed in 2037: the routes answer
// over the network, every action reaches its workflow on Temporal's time-skipping test server
// (the production worker, real activities, a real SMTP peer), and the February board gets its
// agenda with the annual accounts and the projects' annual reports on it.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from './support/pdf.js';
import { createApp } from '../api/app.js';
import { createApiToken } from '../api/auth.js';
import { createMailer } from '../activities/mail.js';
import { stockholmDateTime } from '../domain/dates.js';
import { svWhen } from '../domain/texts.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { meetingTime } from '../services/arscykel.js';
import { importForbund } from '../services/import.js';
import { declineLink } from '../services/links.js';
import { notifyBoardMeetings } from '../services/styrelse.js';
import { offlineNotifier } from '../worker/client.js';
import { pagePerson, sessionCookie } from './support/browser.js';
import { testDatabase } from './support/database.js';
import { apiCaller, fieldsOf, serve, type Json } from './support/http.js';
import { startSmtpServer, type TestSmtpServer } from './support/smtp.js';
import { meetingWorkflowId } from '../workflows/signals.js';
import { advanceTo, eventually, recordHistory, runWorker, SEARCH_ATTRIBUTES_ON, TASK_QUEUE, testNotifier, timeSkippingServer, type RunningWorker, type TestWorkflowEnvironment } from './support/temporal.js';

const LINK_SECRET = 'l'.repeat(32);
const PUBLIC_BASE = 'http://arscykel.test';

let db: Database;
let smtp: TestSmtpServer;
let env: TestWorkflowEnvironment;
let worker: RunningWorker;
let server: { base: string; close(): Promise<void> };
let offline: { base: string; close(): Promise<void> };
let forbundId: string;
let clock = new Date('2037-01-05T09:00:00Z');
const tokens = { admin: '', secretary: '', board: '' };
const call = apiCaller(() => server.base);
const callOffline = apiCaller(() => offline.base);
const S = '/api/v1/forbund/sydnarke';

async function to(iso: string) {
  await advanceTo(env, iso);
  clock = new Date(await env.currentTimeMs());
}

beforeAll(async () => {
  [db, smtp] = await Promise.all([testDatabase(), startSmtpServer()]);
  env = await timeSkippingServer();
  const notifier = testNotifier(db.prisma);
  notifier.connect(env.client, TASK_QUEUE);
  worker = await runWorker(env, { prisma: db.prisma, mailer: createMailer({ prisma: db.prisma, transport: smtp.transport, log: () => {} }), publicBaseUrl: PUBLIC_BASE, linkSecret: LINK_SECRET, searchAttributes: SEARCH_ATTRIBUTES_ON, notifier });
  await to('2037-01-05T09:00:00Z');
  forbundId = (await importForbund(db.prisma, parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml'), { year: 2037, actor: 'test' })).forbundId;
  tokens.admin = await createApiToken(db.prisma, { forbundId, name: 'Förbundschefen', role: 'admin' });
  tokens.secretary = await createApiToken(db.prisma, { forbundId, name: 'Sekreteraren', role: 'secretary' });
  tokens.board = await createApiToken(db.prisma, { forbundId, name: 'Ledamot', role: 'board_member' });
  server = await serve(createApp({ prisma: db.prisma, notifier, publicBaseUrl: PUBLIC_BASE, linkSecret: LINK_SECRET, now: () => clock }));
  offline = await serve(createApp({ prisma: db.prisma, notifier: offlineNotifier, publicBaseUrl: PUBLIC_BASE, linkSecret: LINK_SECRET, now: () => clock }));
  // As the import does: every board meeting ahead gets its workflow.
  expect(await notifyBoardMeetings(db.prisma, notifier, forbundId, 'förbund file imported', clock)).toBe(true);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await offline?.close();
  await worker?.stop();
  await env?.teardown();
  await Promise.all([db?.close(), smtp?.close()]);
});

const february = async (): Promise<Json> => (await call(`${S}/meetings?year=2037`, { token: tokens.board })).json.data.find((m: Json) => m.key === 'styrelse-02');

describe('meetings, matters, persons and memberships', () => {
  it('lists the board meetings of the year with their state and the roster, to every role; nothing to a stranger', async () => {
    const r = await call(`${S}/meetings?year=2037&limit=3`, { token: tokens.board });
    expect(r.status).toBe(200);
    expect(r.json.pagination).toMatchObject({ totalElements: 7, elementsPerPage: 3, totalPages: 3 });
    expect(r.json.data.map((m: Json) => m.key)).toEqual(['styrelse-01', 'styrelse-02', 'styrelse-04']);
    expect(r.json.links.next).toContain('page=2');
    expect(r.json.data[1]).toMatchObject({ type: 'Meeting', kind: 'styrelse', meetingState: 'planned', kallelseDate: '2037-02-20' });
    // Once the ledamöter are invited the meeting shows the quorum forecast.
    await eventually(async () => expect((await february()).quorum).toEqual({ seats: 7, expected: 7, needed: 4, quorate: true }));
    expect((await call(`${S}/meetings?year=2037`)).status).toBe(401);
    expect((await call(`${S}/meetings?year=20x7`, { token: tokens.board })).json.error.fields).toEqual([{ field: 'year', problem: 'must be a year written with four digits' }]);

    const roster = await call(`${S}/memberships?date=2037-02-26`, { token: tokens.board });
    expect(roster.json.data.filter((m: Json) => m.seat === 'ledamot')).toHaveLength(7);
    const ersattare = roster.json.data.filter((m: Json) => m.seat === 'ersattare');
    expect(ersattare.map((m: Json) => m.order)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(ersattare[0]).toMatchObject({ votingRight: false, startDate: expect.stringMatching(/^20\d\d-01-01$/) });
    expect((await call(`${S}/persons`, { token: tokens.board })).json.data.length).toBeGreaterThan(14);
  });

  it('registers a matter with the next Dnr of the year; a wrong value names its field and stores nothing', async () => {
    const bad = await call(`${S}/matters`, { token: tokens.admin, method: 'POST', json: { title: '', kind: 'grant', owner: 'official', documents: [{ title: 'x', url: 'ftp://nope' }], extra: 1 } });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad).sort()).toEqual(['documents[0].url', 'extra', 'kind', 'title']);
    const nobody = await call(`${S}/matters`, { token: tokens.admin, method: 'POST', json: { title: 'Ansökan', kind: 'funding_application', owner: 'nobody-here' } });
    expect(nobody.json.error.fields).toEqual([{ field: 'owner', problem: '"nobody-here" is neither a role (official, secretary, economist, chair) nor a person\'s key' }]);
    const pnr = await call(`${S}/matters`, { token: tokens.admin, method: 'POST', json: { title: 'Ansökan för 19850101-0009', kind: 'funding_application', owner: 'official' } });
    expect(pnr.status).toBe(400);
    expect(fieldsOf(pnr)).toEqual(['title']);
    expect((await call(`${S}/matters`, { token: tokens.secretary, method: 'POST', json: { title: 'x', kind: 'other', owner: 'official' } })).status).toBe(403);
    expect(await db.prisma.matter.count({ where: { forbundId, obligationId: null, milestoneId: null } })).toBe(0);

    const ok = await call(`${S}/matters`, { token: tokens.admin, method: 'POST', json: { title: 'Ansökan om medel: Steg framåt', kind: 'funding_application', owner: 'official', documents: [{ title: 'Ansökan', url: 'https://docs.example/ansokan.pdf' }] } });
    expect(ok.status).toBe(201);
    expect(ok.json).toMatchObject({ type: 'Paper', dnr: expect.stringMatching(/^2037-\d{5}$/), status: 'registered', meeting: { name: expect.any(String) }, workflowNotified: true });
    expect(ok.json.meeting.start.slice(0, 10)).toBe('2037-01-23'); // styrelse-01, whose agenda is still open
    const again = await call(`${S}/matters/${ok.json.dnr}`, { token: tokens.board });
    expect(again.json).toMatchObject({ dnr: ok.json.dnr, name: 'Ansökan om medel: Steg framåt', consultation: [] });
    expect((await call(`${S}/matters/2037-99999`, { token: tokens.board })).status).toBe(404);
  });

  it('the February board gets its agenda with the annual accounts and the projects\' annual reports; the matters\' owner marks them prepared', async () => {
    // The plan's matters of the February board were registered when its workflow started.
    const planned = await eventually(async () => {
      const list = (await call(`${S}/matters?limit=50`, { token: tokens.board })).json.data as Json[];
      const feb = list.filter((m) => m.meeting?.start?.startsWith('2037-02-27'));
      expect(feb.map((m) => m.name).sort()).toEqual(['Fastställande av verksamhetsplan', 'Helårsrapport från insatser', 'Årsredovisning med bokslut']);
      return feb;
    });
    const bokslut = planned.find((m) => m.name === 'Årsredovisning med bokslut');
    const vp = planned.find((m) => m.name === 'Fastställande av verksamhetsplan');
    expect((await call(`${S}/matters/${bokslut.dnr}/prepared`, { token: tokens.board, method: 'POST' })).status).toBe(403);
    const prepared = await call(`${S}/matters/${bokslut.dnr}/prepared`, { token: tokens.admin, method: 'POST' });
    expect(prepared.json).toMatchObject({ dnr: bokslut.dnr, status: 'prepared' });
    const twice = await call(`${S}/matters/${bokslut.dnr}/prepared`, { token: tokens.admin, method: 'POST' });
    expect(twice.status).toBe(409);
    expect(twice.json.error.message).toMatch(/not waiting to be prepared/);
    // A project's annual report for 2036 is in before the board reads them.
    const o = await db.prisma.reportingObligation.findFirstOrThrow({ where: { kind: 'annual', project: { forbundId }, periodEnd: { gte: new Date('2036-01-01'), lte: new Date('2036-12-31') } }, include: { project: true } });
    await db.prisma.submission.create({ data: { obligationId: o.id, late: false, figures: { participantsActive: 31, participantsToWork: 9 }, narrative: 'Året i korthet.' } });
    await db.prisma.reportingObligation.update({ where: { id: o.id }, data: { status: 'submitted' } });

    // The agenda closes for matters on the day of the beredning (13 Feb, 17.00).
    await to(stockholmDateTime('2037-02-13', '17:05').toISOString());
    const feb = await eventually(async () => {
      const m = await february();
      expect(m.agendaItem.some((i: Json) => i.kind === 'matter')).toBe(true);
      return m;
    });
    expect(feb.agendaItem.map((i: Json) => `${i.number}. ${i.title}`)).toEqual([
      '1. Mötets öppnande',
      '2. Val av justerare',
      '3. Godkännande av dagordningen',
      '4. Föregående protokoll',
      '5. Verkställande tjänstemannens rapport',
      '6. Helårsrapport från insatser',
      '7. Årsredovisning med bokslut',
      '8. Övriga frågor',
      '9. Mötets avslutande',
    ]);
    const reports = (await call(`${S}/matters/${planned.find((m) => m.name === 'Helårsrapport från insatser').dnr}`, { token: tokens.board })).json;
    expect(reports.status).toBe('on_agenda');
    expect(reports.compilation.find((c: Json) => c.project === o.project.name)).toMatchObject({ status: 'submitted', figures: { participantsActive: 31 } });
    // The VP was not prepared: it moved to the next board meeting.
    expect((await call(`${S}/matters/${vp.dnr}`, { token: tokens.board })).json.meeting.start.slice(0, 10)).toBe('2037-04-27');

    const pdf = await fetch(`${server.base}${S}/meetings/${feb.id}/kallelse.pdf`, { headers: { authorization: `Bearer ${tokens.board}` } });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(await pdfText(new Uint8Array(await pdf.arrayBuffer()))).toContain('Årsredovisning med bokslut');
  });

  it("edits the agenda through the workflow: a wrong item is named; a dropped matter is refused; the secretary's order is kept", async () => {
    const feb = await february();
    const ids = feb.agendaItem.map((i: Json) => ({ id: i.id }));
    const bad = await call(`${S}/meetings/${feb.id}/agenda`, { token: tokens.secretary, method: 'PUT', json: { items: [{ id: 'nope' }, {}] } });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad)).toContain('items[1].id');
    const unknown = await call(`${S}/meetings/${feb.id}/agenda`, { token: tokens.secretary, method: 'PUT', json: { items: [...ids, { id: 'nope' }] } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.fields).toEqual([{ field: `items[${ids.length}].id`, problem: 'no item nope on this agenda' }]);
    const dropped = await call(`${S}/meetings/${feb.id}/agenda`, { token: tokens.secretary, method: 'PUT', json: { items: ids.filter((_: Json, n: number) => n !== 5) } });
    expect(dropped.status).toBe(400);
    expect(dropped.json.error.message).toMatch(/Helårsrapport från insatser.*must stay on the agenda/);
    expect((await call(`${S}/meetings/${feb.id}/agenda`, { token: tokens.board, method: 'PUT', json: { items: ids } })).status).toBe(403);
    const ok = await call(`${S}/meetings/${feb.id}/agenda`, { token: tokens.secretary, method: 'PUT', json: { items: [...ids.slice(0, 5), { title: 'Information om nationella Finsamkonferensen' }, ...ids.slice(5)] } });
    expect(ok.status).toBe(200);
    expect(ok.json[5]).toMatchObject({ number: 6, title: 'Information om nationella Finsamkonferensen', kind: 'other' });
    // The förslag till beslut of a kept item, printed in the kallelse; a new item has none.
    const listed = ok.json.map((i: Json) => ({ id: i.id }));
    const bokslut = ok.json.find((i: Json) => i.title === 'Årsredovisning med bokslut');
    expect((await call(`${S}/meetings/${feb.id}/agenda`, { token: tokens.secretary, method: 'PUT', json: { items: [...listed, { title: 'Ny', proposal: 'x' }] } })).status).toBe(400);
    const proposed = await call(`${S}/meetings/${feb.id}/agenda`, { token: tokens.secretary, method: 'PUT', json: { items: listed.map((i: Json) => (i.id === bokslut.id ? { id: i.id, proposal: 'Styrelsen godkänner årsredovisningen för 2036.' } : i)) } });
    expect(proposed.status).toBe(200);
    expect((await db.prisma.agendaItem.findUniqueOrThrow({ where: { id: bokslut.id } })).proposal).toBe('Styrelsen godkänner årsredovisningen för 2036.');
    const pdf = await fetch(`${server.base}${S}/meetings/${feb.id}/kallelse.pdf`, { headers: { authorization: `Bearer ${tokens.board}` } });
    expect(await pdfText(new Uint8Array(await pdf.arrayBuffer()))).toContain('Förslag till beslut: Styrelsen godkänner årsredovisningen för 2036.');
    // Left out, the förslag stays.
    expect((await call(`${S}/meetings/${feb.id}/agenda`, { token: tokens.secretary, method: 'PUT', json: { items: listed } })).status).toBe(200);
    expect((await db.prisma.agendaItem.findUniqueOrThrow({ where: { id: bokslut.id } })).proposal).toBe('Styrelsen godkänner årsredovisningen för 2036.');
  });

  it("the invite's can't-come link asks before it acts, calls in the ersättare, and refuses a forged token", async () => {
    const feb = await february();
    const ledamot = feb.participant.find((p: Json) => p.seat === 'ledamot');
    const url = declineLink(server.base, LINK_SECRET, feb.id, ledamot.person.id).replace(server.base, '');
    const page = await call(url);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Jag kan inte komma');
    expect((await february()).participant.find((p: Json) => p.person.id === ledamot.person.id).status).toBe('invited'); // opening the link changes nothing
    expect((await call(url.replace(/token=[^&]+/, 'token=forged'), { method: 'POST' })).status).toBe(403);
    const done = await call(url, { method: 'POST' });
    expect(done.status).toBe(200);
    expect(done.text).toMatch(/kallas in i ditt ställe/);
    const after = await february();
    expect(after.participant.find((p: Json) => p.person.id === ledamot.person.id).status).toBe('declined');
    expect(after.participant.filter((p: Json) => p.seat === 'ersattare')).toHaveLength(1);
    expect(after.quorum).toMatchObject({ seats: 7, expected: 7, quorate: true });
  });

  it('with Temporal away an action answers 503 and changes nothing; reads still work', async () => {
    const feb = await february();
    const r = await callOffline(`${S}/meetings/${feb.id}/kallelse`, { token: tokens.secretary, method: 'POST' });
    expect(r.status).toBe(503);
    expect(r.json.error.message).toMatch(/nothing was done/);
    expect((await callOffline(`${S}/meetings/${feb.id}`, { token: tokens.board })).json.kallelseSentAt).toBeNull();
  });

  it('sends the kallelse early on request; then the agenda is fixed and a decision waits for the meeting', async () => {
    const feb = await february();
    const sent = await call(`${S}/meetings/${feb.id}/kallelse`, { token: tokens.secretary, method: 'POST' });
    expect(sent.status).toBe(200);
    expect(sent.json.sentAt).toMatch(/^2037-02-13/);
    const after = await february();
    expect(after.meetingState).toBe('kallelse sent');
    const edit = await call(`${S}/meetings/${feb.id}/agenda`, { token: tokens.secretary, method: 'PUT', json: { items: after.agendaItem.map((i: Json) => ({ id: i.id })) } });
    expect(edit.status).toBe(409);
    expect(edit.json.error.message).toMatch(/the kallelse has gone out/);
    const early = await call(`${S}/meetings/${feb.id}/agenda/${after.agendaItem[5].id}/decision`, { token: tokens.secretary, method: 'PUT', json: { decision: 'Fastställs.', version: after.agendaItem[5].version } });
    expect(early.status).toBe(409);
    expect(early.json.error.message).toMatch(/has not begun/);
    await recordHistory(env.client.workflow.getHandle(meetingWorkflowId(feb.id)), 'styrelsemote-kallelse-now');
  });

  it('lists what waits on whom among the pending steps: the minutes of the held meeting, the matters to prepare for the next', async () => {
    await to(stockholmDateTime('2037-03-16', '09:00').toISOString());
    const r = await call(`${S}/pending-steps?limit=200`, { token: tokens.admin });
    expect(r.status).toBe(200);
    const steps = r.json.data as Json[];
    expect(steps.find((s) => s.type === 'minutes' && s.title.includes('styrelsen 2037-02-27'))).toMatchObject({ waitingOn: { role: 'secretary' }, overdue: true });
    expect(steps.find((s) => s.type === 'matter' && /Fastställande av verksamhetsplan/.test(s.title))).toMatchObject({ dueDate: '2037-04-10', waitingOn: { role: 'official' }, links: { prepared: expect.stringContaining('/prepared') } });
    // The overdue minutes come before what is not yet due.
    expect(steps.findIndex((s) => s.type === 'minutes')).toBeLessThan(steps.findIndex((s) => s.type === 'matter'));
  });

  it("records the närvaro and a §'s record through the workflow: a wrong capacity is named by its field, jäv gives the seat to the same member's ersättare, the protokoll prints them", async () => {
    const feb = await february();
    const url = `${S}/meetings/${feb.id}/narvaro`;
    const ledamoter = ['maria-ledamot', 'nils-ledamot', 'per-ledamot', 'rut-ledamot', 'sven-ledamot', 'tove-ledamot'];
    const put = (path: string, json: unknown, token = tokens.secretary) => call(path, { token, method: 'PUT', json });
    expect((await put(url, { beslutande: ledamoter, tjanstgorande: [], ersattare: [], others: [] }, tokens.board)).status).toBe(403);
    const shape = await put(url, { beslutande: ledamoter, tjanstgorande: [{ person: 'carl-ersattare' }] });
    expect(shape.status).toBe(400);
    expect(fieldsOf(shape).sort()).toEqual(['ersattare', 'others', 'tjanstgorande[0].for']);
    // Askersund's ersättare cannot serve for Kumla's ledamot (Finsamlagen 12 §).
    const other = await put(url, { beslutande: ledamoter, tjanstgorande: [{ person: 'axel-ersattare', for: 'olivia-ledamot' }], ersattare: [], others: [] });
    expect(other.status).toBe(400);
    expect(other.json.error.fields).toEqual([{ field: 'tjanstgorande[0].person', problem: 'Axel Ersättare is not an ersättare of the same member as Olivia Ledamot (Finsamlagen 12 §)' }]);
    const ok = await put(url, { beslutande: ledamoter, tjanstgorande: [{ person: 'carl-ersattare', for: 'olivia-ledamot' }], ersattare: ['axel-ersattare'], others: [{ name: 'Örjan Tjänsteman', title: 'förbundschef' }] });
    expect(ok.status).toBe(200);
    expect(ok.json.board.map((p: Json) => p.role)).toEqual([...ledamoter.map(() => 'beslutande'), 'tjanstgorande', 'ersattare']);

    const item = feb.agendaItem.find((i: Json) => i.title === 'Årsredovisning med bokslut');
    const rec = `${S}/meetings/${feb.id}/items/${item.id}/record`;
    // A jävig ledamot did not take part in the decision: no reservation from her.
    const javig = await put(rec, { jav: ['maria-ledamot'], reservations: [{ person: 'maria-ledamot' }] });
    expect(javig.status).toBe(400);
    expect(fieldsOf(javig)).toEqual(['reservations[0].person']);
    const done = await put(rec, { jav: ['maria-ledamot'], reservations: [{ person: 'nils-ledamot', text: 'Till förmån för återremiss.' }], notes: [{ person: 'rut-ledamot', text: 'Regionen återkommer om insatserna.' }], vote: { yes: ['axel-ersattare', 'per-ledamot', 'rut-ledamot'], no: ['nils-ledamot'], abstain: ['sven-ledamot'], result: 'Styrelsen har beslutat enligt förslaget.' } });
    expect(done.status).toBe(200);
    expect(done.json.servingInstead).toHaveLength(1);
    expect((await put(`${S}/meetings/${feb.id}/items/nope/record`, {})).json.error.fields).toEqual([{ field: 'itemId', problem: "no such item on this meeting's agenda" }]);

    const pdf = await fetch(`${server.base}${S}/meetings/${feb.id}/kallelse.pdf`, { headers: { authorization: `Bearer ${tokens.board}` } });
    const text = await pdfText(new Uint8Array(await pdf.arrayBuffer()));
    expect(text).toContain('Carl Ersättare (Kumla kommun) för Olivia Ledamot');
    expect(text).toContain('Örjan Tjänsteman, förbundschef');
    expect(text).toContain('Jäv: Maria Ledamot deltar inte i handläggningen av ärendet; Axel Ersättare (ersättare för samma medlem) tjänstgör i Maria Ledamots ställe.');
    expect(text).toContain('Reservation: Nils Ledamot reserverar sig mot beslutet: Till förmån för återremiss.');
    expect(text).toContain('Omröstning: ja 3 (Axel Ersättare, Per Ledamot och Rut Ledamot), nej 1 (Nils Ledamot), avstår 1 (Sven Ledamot); Styrelsen har beslutat enligt förslaget.');
    expect(text).toContain('Datum då anslaget sätts upp fylls i när protokollet justerats');

    // A meeting that has not begun records no närvaro.
    const april = (await call(`${S}/meetings?year=2037`, { token: tokens.board })).json.data.find((m: Json) => m.key === 'styrelse-04');
    const early = await put(`${S}/meetings/${april.id}/narvaro`, { beslutande: [], tjanstgorande: [], ersattare: [], others: [] });
    expect(early.status).toBe(409);
    expect(early.json.error.message).toMatch(/has not begun/);
  });

  it('on the meeting page: the närvaro form and a §\'s form, a mistake sent back with its error and what was chosen, 409 as a Swedish page', async () => {
    const feb = await february();
    const form = (path: string, fields: Record<string, string>, cookie = '') =>
      fetch(`${server.base}${path}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.base, ...(cookie ? { cookie } : {}) }, body: new URLSearchParams(fields).toString() });
    // The förbund file's secretary, signed in (a session as the e-mail link makes it).
    const cookie = await sessionCookie(await pagePerson(db.prisma, { forbundId, name: 'Styrelsens sekreterare (exempel)', role: 'secretary', publicBaseUrl: PUBLIC_BASE, now: () => clock }));
    const get = async (path: string) => (await fetch(`${server.base}${path}`, { headers: { cookie } })).text();

    const page = await get(`/admin/moten/${feb.id}`);
    expect(page).toContain('<h2 id="narvaro">Närvaro</h2>');
    expect(page).toContain('Carl Ersättare (Kumla kommun) för Olivia Ledamot');
    expect(page).toContain('<option value="tjanstgorande:olivia-ledamot" selected>Tjänstgörande för Olivia Ledamot</option>');
    // Askersund's ersättare is offered only Askersund's ledamot.
    expect(page).not.toMatch(/name="n:axel-ersattare"[^]*?tjanstgorande:olivia-ledamot[^]*?name="n:britt-ersattare"/);
    expect(page).toContain('Jäv: Maria Ledamot deltar inte i handläggningen av ärendet');

    const all = ['maria-ledamot', 'nils-ledamot', 'per-ledamot', 'rut-ledamot', 'sven-ledamot', 'tove-ledamot'];
    const base = { ...Object.fromEntries(all.map((k) => [`n:${k}`, 'beslutande'])), 'n:olivia-ledamot': 'franvarande', 'n:carl-ersattare': 'tjanstgorande:olivia-ledamot', 'ovrig-namn-0': 'Örjan Tjänsteman', 'ovrig-titel-0': 'förbundschef' };
    const wrong = await form(`/admin/moten/${feb.id}/narvaro`, { ...base, 'n:axel-ersattare': 'tjanstgorande:olivia-ledamot', 'ovrig-namn-1': 'Sara Sekreterare', 'ovrig-titel-1': '' }, cookie);
    expect(wrong.status).toBe(400);
    const back = await wrong.text();
    expect(back).toContain('href="#narvaro-n-axel-ersattare"');
    expect(back).toContain('Skriv titeln, som den ska stå i protokollet.');
    expect(back).toContain('value="Sara Sekreterare"');
    const saved = await form(`/admin/moten/${feb.id}/narvaro`, { ...base, 'n:axel-ersattare': 'ersattare', 'ovrig-namn-1': 'Sara Sekreterare', 'ovrig-titel-1': 'sekreterare' }, cookie);
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toMatch(/#narvaro$/);
    expect(await get(saved.headers.get('location')!)).toContain('Närvaron är sparad');

    const item = feb.agendaItem.find((i: Json) => i.title === 'Helårsrapport från insatser');
    const path = `/admin/moten/${feb.id}/punkter/${item.id}/paragraf`;
    const refused = await form(path, { 'jav:maria-ledamot': '1', 'res-person-0': 'maria-ledamot', 'res-text-0': 'Emot.' }, cookie);
    expect(refused.status).toBe(400);
    const refusedText = await refused.text();
    expect(refusedText).toContain('Bara den som deltog i beslutet kan reservera sig mot det.');
    expect(refusedText).toContain(`href="#punkt-${item.id}-res-person-0"`);
    const ok = await form(path, { 'jav:maria-ledamot': '1', 'ant-person-0': 'tove-ledamot', 'ant-text-0': 'Arbetsförmedlingen vill se fler deltagare.' }, cookie);
    expect(ok.status).toBe(303);
    const after = await get(ok.headers.get('location')!);
    expect(after).toContain('Protokollsanteckning: Tove Ledamot: Arbetsförmedlingen vill se fler deltagare.');

    const april = (await call(`${S}/meetings?year=2037`, { token: tokens.board })).json.data.find((m: Json) => m.key === 'styrelse-04');
    const early = await form(`/admin/moten/${april.id}/narvaro`, {}, cookie);
    expect(early.status).toBe(409);
    expect(await early.text()).toContain('Sammanträdet har inte börjat än.');
  });

  it('a board heading below quorum before its kallelse is a pending step for the secretary', async () => {
    const april = (await call(`${S}/meetings?year=2037`, { token: tokens.board })).json.data.find((m: Json) => m.key === 'styrelse-04');
    const keyOf = new Map(((await call(`${S}/persons?limit=200`, { token: tokens.board })).json.data as Json[]).map((p) => [p.id, p.key]));
    const decline = (personId: string) => call(`${S}/meetings/${april.id}/decline`, { token: tokens.secretary, method: 'POST', json: { person: keyOf.get(personId) } });
    expect((await call(`${S}/meetings/${april.id}/decline`, { token: tokens.secretary, method: 'POST', json: { person: 'no-such-person' } })).json.error.fields).toEqual([{ field: 'person', problem: 'no person with key "no-such-person"' }]);
    // Every ledamot declines: each has an ersättare called in; then four of those decline too, with nobody left to call.
    let last: Json;
    for (const p of april.participant) last = (await decline(p.person.id)).json;
    expect(last.quorum).toEqual({ seats: 7, expected: 7, needed: 4, quorate: true });
    const ersattare = (await call(`${S}/meetings/${april.id}`, { token: tokens.board })).json.participant.filter((p: Json) => p.seat === 'ersattare');
    expect(ersattare).toHaveLength(7);
    for (const p of ersattare.slice(0, 4)) last = (await decline(p.person.id)).json;
    expect(last).toMatchObject({ calledIn: null, quorum: { expected: 3, quorate: false } });
    const steps = (await call(`${S}/pending-steps?limit=200`, { token: tokens.admin })).json.data as Json[];
    expect(steps.find((s) => s.type === 'quorum')).toMatchObject({ title: 'Styrelsen 2037-04-27 är inte beslutsför: 3 av 7 kommer (minst 4 behövs)', dueDate: '2037-04-20', waitingOn: { role: 'secretary' } });
    // A non-member cannot be declined for; one already declined answers the same again.
    const again = await decline(ersattare[0].person.id);
    expect(again.status).toBe(200);
    expect(again.json.quorum.expected).toBe(3);
  });

  it("a förhinder calls in only the same member's ersättare; the link then says what was recorded, and Jag kan ändå komma calls the ledamot again", async () => {
    const june = (await call(`${S}/meetings?year=2037`, { token: tokens.board })).json.data.find((m: Json) => m.key === 'styrelse-06');
    await db.prisma.meeting.update({ where: { id: june.id }, data: { location: 'Kumla stadshus, sal 2' } });
    const people = (await call(`${S}/persons?limit=200`, { token: tokens.board })).json.data as Json[];
    const id = (key: string) => people.find((p) => p.key === key).id;
    const link = (personKey: string) => declineLink(server.base, LINK_SECRET, june.id, id(personKey)).replace(server.base, '');
    const answer = (personKey: string, svar: string) => call(link(personKey), { method: 'POST', body: `svar=${svar}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const when = svWhen(meetingTime({ startsAt: new Date(june.start), endsAt: new Date(june.end) }));

    // The page names the förbund and the meeting, in the look of the public pages.
    const ask = await call(link('olivia-ledamot'));
    expect(ask.status).toBe(200);
    expect(ask.type).toMatch(/text\/html/);
    const text = ask.text.replace(/\u00a0/g, ' ');
    expect(text).toContain('<html lang="sv">');
    expect(text).toContain('<header class="site"><div class="wrap"><p>Samordningsförbundet Sydnärke</p>');
    expect(text).toContain(`Olivia Ledamot, du är kallad som ledamot för Kumla kommun till styrelsens sammanträde ${when}.`);
    expect(text).toMatch(/<dt>Sammanträde<\/dt><dd>Styrelsemöte<\/dd>/);
    expect(text).toContain(`<dt>Datum</dt><dd>${when.replace(/ kl\..*/, '')}</dd><dt>Tid</dt><dd>kl. 9.00–12.00</dd><dt>Plats</dt><dd>Kumla stadshus, sal 2</dd>`);
    expect(text).toContain('Jag kan inte komma – kalla in min ersättare');

    // Kumla's ledamot cannot come: Kumla's ersättare is called in.
    const olivia = await answer('olivia-ledamot', 'forhinder');
    expect(olivia.status).toBe(200);
    expect(olivia.text).toContain('Carl Ersättare kallas in i ditt ställe');
    // Kumla's ersättare is told before confirming that nobody is left to call, and then cannot come either:
    // Kumla's seat stays empty, and Askersund's free ersättare (first in the board's order) is not called in.
    const carlAsk = await call(link('carl-ersattare'));
    expect(carlAsk.text).toContain('som ersättare för Olivia Ledamot (Kumla kommun)');
    expect(carlAsk.text).toContain('Det finns ingen fler ersättare för Kumla kommun som kan kallas in');
    const carl = await answer('carl-ersattare', 'forhinder');
    expect(carl.status).toBe(200);
    expect(carl.text).toContain('Ingen ersättare för Kumla kommun kunde kallas in i ditt ställe, så platsen står tom.');
    const after = (await call(`${S}/meetings/${june.id}`, { token: tokens.board })).json;
    expect(after.participant.map((p: Json) => p.person.key)).not.toContain('axel-ersattare');
    expect(after.participant.filter((p: Json) => p.seat === 'ersattare').map((p: Json) => [p.person.key, p.status])).toEqual([['carl-ersattare', 'declined']]);
    expect(after.quorum).toEqual({ seats: 7, expected: 6, needed: 4, quorate: true });

    // The link used again says what was recorded and offers Jag kan ändå komma.
    const again = await call(link('olivia-ledamot'));
    expect(again.status).toBe(200);
    expect(again.text).toContain('Förhindret är anmält');
    expect(again.text).toContain('Ingen ersättare för Kumla kommun kunde kallas in');
    expect(again.text).toMatch(/<input type="hidden" name="svar" value="kommer"><button type="submit" class="secondary">Jag kan ändå komma<\/button>/);
    const carlAgain = await call(link('carl-ersattare'));
    expect(carlAgain.text).toContain('Förhindret är anmält');
    // Olivia can come after all: called again (Carl, who declined too, is not released: he was not coming).
    const coming = await answer('olivia-ledamot', 'kommer');
    expect(coming.status).toBe(200);
    expect(coming.text).toContain('Välkommen – förhindret är återtaget');
    expect(coming.text.replace(/\u00a0/g, ' ')).toContain('Olivia Ledamot, du är kallad till styrelsens sammanträde');
    const still = (await call(`${S}/meetings/${june.id}`, { token: tokens.board })).json;
    expect(still.participant.find((p: Json) => p.person.key === 'olivia-ledamot').status).toBe('invited');
    expect(still.quorum).toEqual({ seats: 7, expected: 7, needed: 4, quorate: true });
    // Answered again, there is no förhinder to take back.
    expect((await answer('olivia-ledamot', 'kommer')).text).toContain('Du har inte anmält något förhinder');
    // Someone not called to the meeting has nothing to report.
    const axel = await call(link('axel-ersattare'));
    expect(axel.status).toBe(409);
    expect(axel.text).toContain('Du är inte kallad till sammanträdet');
  });

  it('the förhinder link stops working once the meeting has begun', async () => {
    // The February meeting is past (the clock stands in March): neither the one who declined nor one who did not can change anything.
    const feb = await february();
    const before = feb.participant.map((p: Json) => [p.person.id, p.status]);
    for (const p of feb.participant.slice(0, 2)) {
      const url = declineLink(server.base, LINK_SECRET, feb.id, p.person.id).replace(server.base, '');
      for (const r of [await call(url), await call(url, { method: 'POST' }), await call(url, { method: 'POST', body: 'svar=kommer', headers: { 'content-type': 'application/x-www-form-urlencoded' } })]) {
        expect(r.status).toBe(410);
        expect(r.text).toContain('<h1>Sammanträdet har börjat</h1>');
        expect(r.text).toContain('har redan börjat. Förhinder kan inte längre anmälas eller ändras via länken.');
        expect(r.text).toContain('Samordningsförbundet Sydnärke');
      }
    }
    expect((await february()).participant.map((p: Json) => [p.person.id, p.status])).toEqual(before);
    // A forged token shows nothing of the meeting.
    const forged = await call(`/meetings/${feb.id}/forhinder/${feb.participant[0].person.id}?token=forged`);
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('Länken fungerar inte');
    expect(forged.text).not.toContain('Sydnärke');
  });

  it('describes every new route in the OpenAPI document with an example', async () => {
    const doc = (await call('/api/v1/openapi.json')).json;
    const op = doc.paths['/api/v1/forbund/{forbund}/matters'].post;
    expect(op.requestBody.content['application/json'].example).toMatchObject({ kind: 'funding_application' });
    expect(op.requestBody.content['application/json'].schema.required).toEqual(['title', 'kind', 'owner']);
    expect(doc.paths['/api/v1/forbund/{forbund}/meetings/{id}/agenda/{itemId}/decision'].put.summary).toMatch(/roles: admin, secretary/);
    expect(doc.paths['/meetings/{id}/forhinder/{personId}'].get.security).toEqual([]);
    expect(doc.paths['/api/v1/forbund/{forbund}/meetings/{id}/narvaro'].put.summary).toMatch(/roles: admin, secretary/);
    expect(doc.paths['/api/v1/forbund/{forbund}/meetings/{id}/narvaro'].put.requestBody.content['application/json'].example).toMatchObject({ tjanstgorande: [{ person: 'carl-ersattare', for: 'olivia-ledamot' }] });
    expect(doc.paths['/api/v1/forbund/{forbund}/meetings/{id}/items/{itemId}/record'].put.summary).toMatch(/roles: admin, secretary/);
  });
});
