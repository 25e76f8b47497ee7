// "Anmälan av delegationsbeslut" over HTTP, with the real app and database: the official records
// decisions taken under delegation; when the next board meeting's agenda closes they are compiled
// into its item (after the official's report), printed in the kallelse; the kallelse fixes them
// (reportedAtItemId), so a reported one can no longer be changed (409) and a later one goes to the
// following meeting. The meeting's activities run as its workflow runs them.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meetingActivities } from '../activities/styrelse.js';
import type { Mailer, OutgoingMail } from '../activities/mail.js';
import { createApp } from '../api/app.js';
import { createApiToken } from '../api/auth.js';
import { toStockholmDate } from '../domain/dates.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import { agendaLine, svDate } from '../domain/texts.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { agendaLinesOf, boardPlan } from '../services/styrelse.js';
import { testDatabase } from './support/database.js';
import { apiCaller, fieldsOf, serve, type Json } from './support/http.js';
import { RecordingNotifier } from './support/notifier.js';
import { pagePerson, postForm, sessionCookie } from './support/browser.js';
import { pdfText } from './support/pdf.js';

const PUBLIC_BASE = 'https://arscykel.example';
const LINK_SECRET = 'e'.repeat(32);
const S = '/api/v1/forbund/sydnarke';
let clock = new Date('2037-01-05T09:00:00Z');

let db: Database;
let served: { base: string; close(): Promise<void> };
let forbundId: string;
let official: { id: string; name: string };
const tokens = { admin: '', secretary: '' };
const call = apiCaller(() => served.base);
const mails: OutgoingMail[] = [];
const mailer: Mailer = {
  async send(mail) {
    mails.push(mail);
    return { outcome: 'sent', messageId: `<${mails.length}@test>`, rejected: [] };
  },
  close() {},
};
let activities: ReturnType<typeof meetingActivities>;
let boards: { id: string; title: string; startsAt: Date }[];

const record = (json: Record<string, unknown>, token = tokens.admin) => call(`${S}/delegation-decisions`, { token, method: 'POST', json });
const itemOf = (meetingId: string) => db.prisma.agendaItem.findFirst({ where: { meetingId, kind: 'delegation_report' } });
const svDateOf = (d: Date) => svDate(toStockholmDate(d));
const closesAt = async (meetingId: string) => new Date((await boardPlan(db.prisma, meetingId))!.agendaClosesAt);

beforeAll(async () => {
  db = await testDatabase();
  forbundId = (await importForbund(db.prisma, parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml'), { year: 2037, actor: 'test' })).forbundId;
  official = await db.prisma.person.findFirstOrThrow({ where: { forbundId, roles: { has: 'official' } }, select: { id: true, name: true } });
  tokens.admin = await createApiToken(db.prisma, { forbundId, name: official.name, role: 'admin', personId: official.id });
  tokens.secretary = await createApiToken(db.prisma, { forbundId, name: 'Sekreteraren', role: 'secretary' });
  served = await serve(createApp({ prisma: db.prisma, notifier: new RecordingNotifier(), publicBaseUrl: PUBLIC_BASE, linkSecret: LINK_SECRET, now: () => clock }));
  activities = meetingActivities({ prisma: db.prisma, mailer, publicBaseUrl: PUBLIC_BASE, linkSecret: LINK_SECRET, searchAttributes: false });
  boards = await db.prisma.meeting.findMany({ where: { forbundId, kind: 'styrelse', year: 2037, status: 'planned' }, orderBy: { startsAt: 'asc' }, select: { id: true, title: true, startsAt: true } });
  expect(boards.length).toBeGreaterThanOrEqual(2);
}, 120_000);

afterAll(async () => {
  await served?.close();
  await db?.close();
});

describe('recording a delegation decision', () => {
  it('the official records it, named with the Swedish title; audited', async () => {
    const r = await record({ decidedOn: '2037-01-02', delegationPoint: '3.2', subject: 'Attest av fakturor', decision: 'Fakturorna från Kumla kommun för december attesteras.' });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ decidedOn: '2037-01-02', decider: { name: official.name, title: 'förbundschef' }, delegationPoint: '3.2', subject: 'Attest av fakturor', reported: null });
    const earlier = await record({ decidedOn: '2036-12-20', delegationPoint: '2.1', subject: 'Avtal om lokalhyra', decision: 'Avtalet om lokalhyra förlängs ett år.' });
    expect(earlier.status).toBe(201);
    const audited = await db.prisma.auditEvent.findMany({ where: { forbundId, action: 'delegation.recorded' } });
    expect(audited.map((a) => a.entityId).sort()).toEqual([r.json.id, earlier.json.id].sort());
    // The secretary reads them, newest decided first.
    const list = await call(`${S}/delegation-decisions`, { token: tokens.secretary });
    expect(list.status).toBe(200);
    expect(list.json.data.map((d: Json) => d.decidedOn)).toEqual(['2037-01-02', '2036-12-20']);
  });

  it('the secretary cannot record one (403), and nothing is stored', async () => {
    const before = await db.prisma.delegationDecision.count({ where: { forbundId } });
    const r = await record({ decidedOn: '2037-01-02', delegationPoint: '3.2', subject: 'Attest', decision: 'Attesteras.' }, tokens.secretary);
    expect(r.status).toBe(403);
    const id = (await db.prisma.delegationDecision.findFirstOrThrow({ where: { forbundId } })).id;
    expect((await call(`${S}/delegation-decisions/${id}`, { token: tokens.secretary, method: 'PATCH', json: { subject: 'Annat' } })).status).toBe(403);
    expect((await call(`${S}/delegation-decisions/${id}`, { token: tokens.secretary, method: 'DELETE' })).status).toBe(403);
    expect(await db.prisma.delegationDecision.count({ where: { forbundId } })).toBe(before);
  });

  it('bad input is a 400 naming the field, and nothing is stored', async () => {
    const before = await db.prisma.delegationDecision.count({ where: { forbundId } });
    const good = { decidedOn: '2037-01-02', delegationPoint: '3.2', subject: 'Attest av fakturor', decision: 'Attesteras.' };
    const cases: [Record<string, unknown>, string[]][] = [
      [{ ...good, decidedOn: '2037-01-06' }, ['decidedOn']], // tomorrow
      [{ ...good, decidedOn: '2 januari' }, ['decidedOn']],
      [{ ...good, subject: 'x'.repeat(201) }, ['subject']],
      [{ ...good, subject: 'Attest\nav fakturor' }, ['subject']],
      [{ ...good, decision: 'Gäller 19121212-1212.' }, ['decision']],
      [{ decidedOn: '2037-01-02', subject: 'Attest' }, ['decision', 'delegationPoint']],
      [{ ...good, decider: 'Någon annan' }, ['decider']],
    ];
    for (const [json, fields] of cases) {
      const r = await record(json);
      expect(r.status, JSON.stringify(json)).toBe(400);
      expect(fieldsOf(r).sort(), JSON.stringify(json)).toEqual(fields);
    }
    expect(await db.prisma.delegationDecision.count({ where: { forbundId } })).toBe(before);
    // Declared once, in the OpenAPI document.
    const doc = (await call('/api/v1/openapi.json')).json;
    expect(Object.keys(doc.paths['/api/v1/forbund/{forbund}/delegation-decisions']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/v1/forbund/{forbund}/delegation-decisions/{id}']).sort()).toEqual(['delete', 'get', 'patch']);
  });
});

describe('reported to the next board meeting', () => {
  it('in its item "Anmälan av delegationsbeslut" when the agenda closes, printed in the kallelse, then fixed', async () => {
    const [first, second] = boards;
    const closes = await closesAt(first.id);
    const closeDay = toStockholmDate(closes);
    // Recorded after the agenda closed, decided the day after: for the following meeting.
    clock = new Date(closes.getTime() + 24 * 3600_000);
    await activities.closeAgenda({ now: closes.getTime(), meetingId: first.id });
    const item = (await itemOf(first.id))!;
    expect(item).toMatchObject({ title: 'Anmälan av delegationsbeslut', matterId: null, proposal: 'Styrelsen lägger anmälan av delegationsbesluten till handlingarna.' });
    const agenda = await db.prisma.agendaItem.findMany({ where: { meetingId: first.id }, orderBy: { number: 'asc' } });
    const kinds = agenda.map((i) => i.kind);
    expect(kinds.indexOf('delegation_report')).toBeGreaterThan(kinds.indexOf('official_report'));
    expect(kinds.indexOf('delegation_report')).toBeLessThan(kinds.indexOf('other_questions'));
    expect((item.compilation as Json).decisions.map((d: Json) => d.decidedOn)).toEqual(['2036-12-20', '2037-01-02']);

    const later = await record({ decidedOn: toStockholmDate(clock), delegationPoint: '3.2', subject: 'Attest av fakturor', decision: 'Fakturorna för januari attesteras.' });
    expect(later.status).toBe(201);
    expect(toStockholmDate(clock) > closeDay).toBe(true);
    // A correction before the kallelse reaches the item (its agenda has closed, the kallelse not gone).
    const unreported = (await call(`${S}/delegation-decisions`, { token: tokens.admin })).json.data.find((d: Json) => d.decidedOn === '2037-01-02');
    const fixed = await call(`${S}/delegation-decisions/${unreported.id}`, { token: tokens.admin, method: 'PATCH', json: { decision: 'Fakturorna från Kumla kommun för december attesteras, 48 200 kr.' } });
    expect(fixed.status).toBe(200);
    expect(fixed.json.decision).toBe('Fakturorna från Kumla kommun för december attesteras, 48 200 kr.');
    expect(await db.prisma.auditEvent.count({ where: { forbundId, action: 'delegation.corrected', entityId: unreported.id } })).toBe(1);
    const refreshed = (await itemOf(first.id))!;
    expect((refreshed.compilation as Json).decisions.map((d: Json) => d.decision)).toEqual(['Avtalet om lokalhyra förlängs ett år.', 'Fakturorna från Kumla kommun för december attesteras, 48 200 kr.']);

    // The kallelse: the agenda is fixed, and the decisions with it.
    await activities.sendKallelse({ now: clock.getTime(), meetingId: first.id });
    expect((await db.prisma.meeting.findUniqueOrThrow({ where: { id: first.id } })).kallelseSentAt).not.toBeNull();
    const lines = (await agendaLinesOf(db.prisma, first.id)).map(agendaLine).join('\n');
    expect(lines).toContain(
      `Anmälan av delegationsbeslut\n    2036-12-20 Avtal om lokalhyra (punkt 2.1), ${official.name} (förbundschef): Avtalet om lokalhyra förlängs ett år.\n    2037-01-02 Attest av fakturor (punkt 3.2), ${official.name} (förbundschef): Fakturorna från Kumla kommun för december attesteras, 48 200 kr.\n    Förslag till beslut: Styrelsen lägger anmälan av delegationsbesluten till handlingarna.`,
    );
    expect(lines).not.toContain('Fakturorna för januari attesteras.');
    for (const m of mails.filter((x) => x.subject.startsWith('Kallelse'))) expect(m.text).toContain('Anmälan av delegationsbeslut');
    const pdfRes = await fetch(`${served.base}${S}/meetings/${first.id}/kallelse.pdf`, { headers: { authorization: `Bearer ${tokens.secretary}` } });
    expect(pdfRes.status).toBe(200);
    const text = (await pdfText(Buffer.from(await pdfRes.arrayBuffer()))).replace(/\s+/g, ' ');
    expect(text).toContain('Anmälan av delegationsbeslut');
    expect(text).toContain('2036-12-20 Avtal om lokalhyra (punkt 2.1)');

    const reported = await db.prisma.delegationDecision.findMany({ where: { forbundId, reportedAtItemId: { not: null } } });
    expect(reported.map((d) => d.reportedAtItemId)).toEqual([item.id, item.id]);
    expect(await db.prisma.delegationDecision.count({ where: { forbundId, reportedAtItemId: null } })).toBe(1);

    // A reported decision can no longer be changed or removed: 409 naming why.
    const change = await call(`${S}/delegation-decisions/${unreported.id}`, { token: tokens.admin, method: 'PATCH', json: { subject: 'Annat' } });
    expect(change.status).toBe(409);
    expect(change.json.error.message).toContain('reported to the board');
    expect(change.json.error.message).toContain(toStockholmDate(first.startsAt));
    expect((await call(`${S}/delegation-decisions/${unreported.id}`, { token: tokens.admin, method: 'DELETE' })).status).toBe(409);
    expect((await db.prisma.delegationDecision.findUniqueOrThrow({ where: { id: unreported.id } })).subject).toBe('Attest av fakturor');
    const shown = (await call(`${S}/delegation-decisions/${unreported.id}`, { token: tokens.secretary })).json;
    expect(shown.reported).toMatchObject({ agendaItemId: item.id, meetingId: first.id, itemNumber: item.number });

    // The following meeting: only the later decision; the first meeting's item stays as fixed.
    const closes2 = await closesAt(second.id);
    clock = new Date(closes2.getTime() + 3600_000);
    await activities.closeAgenda({ now: closes2.getTime(), meetingId: second.id });
    const next = (await itemOf(second.id))!;
    expect((next.compilation as Json).decisions.map((d: Json) => d.id)).toEqual([later.json.id]);
    expect((await itemOf(first.id))!.compilation).toEqual(refreshed.compilation);
  }, 60_000);

  it('an unreported decision recorded by mistake can be removed (audited); nothing is left to report', async () => {
    const [, second] = boards;
    const open = (await call(`${S}/delegation-decisions`, { token: tokens.admin })).json.data.find((d: Json) => d.reported === null);
    const r = await call(`${S}/delegation-decisions/${open.id}`, { token: tokens.admin, method: 'DELETE' });
    expect(r.status).toBe(200);
    expect(await db.prisma.auditEvent.count({ where: { forbundId, action: 'delegation.removed', entityId: open.id } })).toBe(1);
    // The second meeting's agenda has closed and its kallelse not gone: the item leaves with it.
    expect(await itemOf(second.id)).toBeNull();
    expect((await call(`${S}/delegation-decisions/${open.id}`, { token: tokens.admin })).status).toBe(404);
  });
});

describe('the page /admin/delegationsbeslut', () => {
  const get = async (path: string, cookie: string) => {
    const r = await fetch(`${served.base}${path}`, { headers: { cookie }, redirect: 'manual' });
    return { status: r.status, html: (await r.text()).replace(/\u00a0/g, ' ') };
  };

  it('the official records one with the form (errors next to the fields, nothing stored); the list says which meeting reported each; the secretary only reads', async () => {
    const officialPerson = await pagePerson(db.prisma, { forbundId, name: official.name, role: 'official', publicBaseUrl: PUBLIC_BASE, now: () => clock });
    const secretaryPerson = await pagePerson(db.prisma, { forbundId, name: 'Sara Sekreterare', role: 'secretary', publicBaseUrl: PUBLIC_BASE, now: () => clock });
    const asOfficial = await sessionCookie(officialPerson);
    const asSecretary = await sessionCookie(secretaryPerson);
    const before = await db.prisma.delegationDecision.count({ where: { forbundId } });

    const page = await get('/admin/delegationsbeslut', asOfficial);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<h1>Delegationsbeslut</h1>');
    expect(page.html).toContain('Registrera ett delegationsbeslut');
    expect(page.html).toContain(`Anmäld till styrelsemöte ${svDateOf(boards[0].startsAt)}`);
    expect(page.html).toContain(`${official.name} (förbundschef)`);

    const bad = await postForm(served.base, '/admin/delegationsbeslut', { decidedOn: '2099-01-01', delegationPoint: '3.2', subject: '', decision: 'Attesteras.' }, asOfficial);
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain('Något behöver rättas');
    expect(badHtml).toContain('<a href="#beslutsdag">Beslutsdagen kan inte ligga i framtiden.</a>');
    expect(badHtml).toContain('<a href="#arende">Ange vad beslutet gäller.</a>');
    expect(await db.prisma.delegationDecision.count({ where: { forbundId } })).toBe(before);

    const refused = await postForm(served.base, '/admin/delegationsbeslut', { decidedOn: toStockholmDate(clock), delegationPoint: '3.2', subject: 'Attest', decision: 'Attesteras.' }, asSecretary);
    expect(refused.status).toBe(403);
    expect(await db.prisma.delegationDecision.count({ where: { forbundId } })).toBe(before);
    const read = await get('/admin/delegationsbeslut', asSecretary);
    expect(read.status).toBe(200);
    expect(read.html).not.toContain('Registrera ett delegationsbeslut');

    const ok = await postForm(served.base, '/admin/delegationsbeslut', { decidedOn: toStockholmDate(clock), delegationPoint: '4.1', subject: 'Beställning av utbildning', decision: 'Utbildningen beställs för 12 000 kr.' }, asOfficial);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toContain('klart=delegationsbeslut-registrerat');
    expect(await db.prisma.delegationDecision.count({ where: { forbundId } })).toBe(before + 1);
    const after = await get('/admin/delegationsbeslut', asOfficial);
    expect(after.html).toContain('Beställning av utbildning');
    expect(after.html).toContain('Inte anmäld än');
    // The audit log says it in Swedish.
    const log = await get('/admin/logg', asOfficial);
    expect(log.html).toContain('Registrerade ett delegationsbeslut');
  });
});
