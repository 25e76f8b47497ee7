// Medlemssamråd om budget over HTTP, with the real app and database (Sydnärke, in its own year
// 2016, consulting its members on the budget 2017): the official starts the samråd (one row per
// member, the year's workflow told), records a reply; the other members are late once the reply
// date has passed; bad input is a 400 naming the field; the secretary reads but cannot write. The
// money page shows the samråd and whether the budget is adopted, as GET budget/:year does.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import { createApiToken } from '../api/auth.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { pagePerson, postForm, sessionCookie } from './support/browser.js';
import { testDatabase } from './support/database.js';
import { apiCaller, fieldsOf, serve, type Json } from './support/http.js';
import { RecordingNotifier } from './support/notifier.js';

const PUBLIC_BASE = 'https://arscykel.example';
const S = '/api/v1/forbund/sydnarke';
let clock = new Date('2016-04-06T08:00:00Z');

let db: Database;
let served: { base: string; close(): Promise<void> };
let forbundId: string;
let members: { key: string; name: string }[];
const notifier = new RecordingNotifier();
const tokens = { admin: '', secretary: '', economist: '' };
const call = apiCaller(() => served.base);
const start = (json: Json, token = tokens.admin, year = 2017) => call(`${S}/budget-consultations/${year}`, { token, method: 'POST', json });
const reply = (key: string, json: Json, token = tokens.admin, year = 2017) => call(`${S}/budget-consultations/${year}/members/${key}`, { token, method: 'PUT', json });

beforeAll(async () => {
  db = await testDatabase();
  forbundId = (await importForbund(db.prisma, parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml'), { actor: 'test' })).forbundId;
  const official = await db.prisma.person.findFirstOrThrow({ where: { forbundId, roles: { has: 'official' } } });
  tokens.admin = await createApiToken(db.prisma, { forbundId, name: official.name, role: 'admin', personId: official.id });
  tokens.secretary = await createApiToken(db.prisma, { forbundId, name: 'Sekreteraren', role: 'secretary' });
  tokens.economist = await createApiToken(db.prisma, { forbundId, name: 'Ekonomen', role: 'economist' });
  members = await db.prisma.member.findMany({ where: { forbundId }, select: { key: true, name: true }, orderBy: { name: 'asc' } });
  expect(members.length).toBeGreaterThanOrEqual(3);
  served = await serve(createApp({ prisma: db.prisma, notifier, publicBaseUrl: PUBLIC_BASE, linkSecret: 's'.repeat(32), now: () => clock }));
}, 120_000);

afterAll(async () => {
  await served?.close();
  await db?.close();
});

describe('the samråd on the budget over the API', () => {
  it('bad input is a 400 naming the field, and nothing is stored', async () => {
    const cases: [Json, string[]][] = [
      [{}, ['replyBy']],
      [{ replyBy: '15 maj' }, ['replyBy']],
      [{ replyBy: '2016-04-05' }, ['replyBy']], // yesterday
      [{ replyBy: '2016-05-13', message: 'x'.repeat(5001) }, ['message']],
      [{ replyBy: '2016-05-13', message: 'Gäller 19121212-1212.' }, ['message']],
      [{ replyBy: '2016-05-13', other: 1 }, ['other']],
    ];
    for (const [json, fields] of cases) {
      const r = await start(json);
      expect(r.status, JSON.stringify(json)).toBe(400);
      expect(fieldsOf(r).sort(), JSON.stringify(json)).toEqual(fields);
    }
    // A budget year already past is not consulted on.
    const past = await start({ replyBy: '2016-05-13' }, tokens.admin, 2015);
    expect(past.status).toBe(400);
    expect(fieldsOf(past)).toEqual(['year']);
    expect(await db.prisma.budgetConsultation.count({ where: { forbundId } })).toBe(0);
  });

  it('the secretary cannot start it (403) and nothing is stored', async () => {
    expect((await start({ replyBy: '2016-05-13' }, tokens.secretary)).status).toBe(403);
    expect((await start({ replyBy: '2016-05-13' }, tokens.economist)).status).toBe(403);
    expect(await db.prisma.budgetConsultation.count({ where: { forbundId } })).toBe(0);
  });

  it('the official starts it: every member consulted, waiting, the year it is sent in told; audited; a second start is refused (409)', async () => {
    notifier.cycleCalls.length = 0;
    const r = await start({ replyBy: '2016-05-13', message: 'Förslaget bygger på oförändrade medlemsbidrag.\nHör av er med frågor.' });
    expect(r.status).toBe(201);
    expect(r.json.year).toBe(2017);
    expect(r.json.members.map((m: Json) => m.memberName)).toEqual(members.map((m) => m.name));
    for (const m of r.json.members) expect(m).toMatchObject({ replyBy: '2016-05-13', repliedOn: null, reply: null, state: 'waiting', late: false, reminders: [] });
    expect(r.json.notConsulted).toEqual([]);
    // Told to the årscykel of 2016, the year it is sent in (the budget is 2017's).
    expect(notifier.cycleCalls).toEqual([expect.objectContaining({ forbundId, year: 2016 })]);
    const audited = await db.prisma.auditEvent.findMany({ where: { forbundId, action: 'budget-consultation.started' } });
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ entityType: 'budget_consultation', entityId: '2017' });

    const again = await start({ replyBy: '2016-05-20' });
    expect(again.status).toBe(409);
    expect(await db.prisma.budgetConsultation.count({ where: { forbundId } })).toBe(members.length);
  });

  it('a member added later is consulted by starting again; those consulted keep their rows', async () => {
    const added = await db.prisma.member.create({ data: { forbundId, key: 'ny-medlem', name: 'Örebro läns nya kommun', kind: 'municipality' } });
    const before = await db.prisma.budgetConsultation.findMany({ where: { forbundId }, orderBy: { id: 'asc' } });
    const r = await start({ replyBy: '2016-05-20' });
    expect(r.status).toBe(201);
    const after = await db.prisma.budgetConsultation.findMany({ where: { forbundId, id: { in: before.map((b) => b.id) } }, orderBy: { id: 'asc' } });
    expect(after).toEqual(before);
    expect(r.json.members.find((m: Json) => m.memberKey === 'ny-medlem')).toMatchObject({ replyBy: '2016-05-20' });
    members.push({ key: added.key, name: added.name });
  });

  it("the official records a member's reply; bad input is a 400 naming the field; the secretary cannot (403)", async () => {
    const [first] = members;
    const bad: [Json, string[]][] = [
      [{ repliedOn: '2016-04-07', reply: 'Ja.' }, ['repliedOn']], // tomorrow
      [{ repliedOn: '2016-04-06', reply: '' }, ['reply']],
      [{ repliedOn: '2016-04-06', reply: 'x'.repeat(5001) }, ['reply']],
      [{ reply: 'Ja.' }, ['repliedOn']],
    ];
    for (const [json, fields] of bad) {
      const r = await reply(first.key, json);
      expect(r.status, JSON.stringify(json)).toBe(400);
      expect(fieldsOf(r).sort(), JSON.stringify(json)).toEqual(fields);
    }
    expect((await reply(first.key, { repliedOn: '2016-04-06', reply: 'Ja.' }, tokens.secretary)).status).toBe(403);
    expect((await reply('ingen-sadan', { repliedOn: '2016-04-06', reply: 'Ja.' })).status).toBe(404);
    expect((await reply(first.key, { repliedOn: '2016-04-06', reply: 'Ja.' }, tokens.admin, 2018)).status).toBe(404);
    expect(await db.prisma.budgetConsultation.count({ where: { forbundId, repliedOn: { not: null } } })).toBe(0);

    const ok = await reply(first.key, { repliedOn: '2016-04-06', reply: 'Vi tillstyrker förslaget.\nMed en synpunkt på lokalhyran.' });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ memberKey: first.key, repliedOn: '2016-04-06', reply: 'Vi tillstyrker förslaget.\nMed en synpunkt på lokalhyran.', state: 'replied', late: false });
    expect(await db.prisma.auditEvent.count({ where: { forbundId, action: 'budget-consultation.reply-recorded' } })).toBe(1);

    // Recorded again: a correction, the earlier reply kept in the audit log.
    const corrected = await reply(first.key, { repliedOn: '2016-04-06', reply: 'Vi tillstyrker förslaget.' });
    expect(corrected.status).toBe(200);
    expect(corrected.json.reply).toBe('Vi tillstyrker förslaget.');
    const c = await db.prisma.auditEvent.findFirstOrThrow({ where: { forbundId, action: 'budget-consultation.reply-corrected' } });
    expect((c.data as Json).from).toEqual({ repliedOn: '2016-04-06', reply: 'Vi tillstyrker förslaget.\nMed en synpunkt på lokalhyran.' });
  });

  it('after the reply date the others are late; the secretary and the economist read it', async () => {
    clock = new Date('2016-05-16T08:00:00Z');
    const r = await call(`${S}/budget-consultations/2017`, { token: tokens.secretary });
    expect(r.status).toBe(200);
    const byKey = new Map<string, Json>(r.json.members.map((m: Json) => [m.memberKey, m]));
    expect(byKey.get(members[0].key)).toMatchObject({ state: 'replied', late: false });
    for (const m of members.slice(1)) {
      if (m.key === 'ny-medlem') expect(byKey.get(m.key)).toMatchObject({ state: 'waiting', late: false }); // replies by 20 May
      else expect(byKey.get(m.key), m.key).toMatchObject({ state: 'late', late: true, repliedOn: null });
    }
    expect((await call(`${S}/budget-consultations/2017`, { token: tokens.economist })).status).toBe(200);
    expect((await call(`${S}/budget-consultations/20x7`, { token: tokens.economist })).status).toBe(400);
    // Another year: nothing started.
    expect((await call(`${S}/budget-consultations/2018`, { token: tokens.admin })).json).toMatchObject({ year: 2018, started: false, members: [] });
    // Each late member is a pending step of the official's, until its reply is recorded; the one that replied and the one not yet due are not.
    const steps = (await call(`${S}/pending-steps`, { token: tokens.admin })).json.data.filter((x: Json) => x.type === 'samrad');
    const late = members.slice(1).filter((m) => m.key !== 'ny-medlem');
    expect(steps.map((x: Json) => x.waitingOn.name).sort()).toEqual(late.map((m) => m.name).sort());
    expect(steps[0]).toMatchObject({ overdue: true, links: { page: '/admin/pengar/2017#samrad' } });
    expect(steps[0].title).toMatch(/^Svar på samrådet om budget 2017 från .+ har inte kommit in \(senast 2016-05-1\d\)$/);
  });

  it('is in the OpenAPI document', async () => {
    const doc = await call('/api/v1/openapi.json');
    const path = doc.json.paths['/api/v1/forbund/{forbund}/budget-consultations/{year}'];
    expect(Object.keys(path).sort()).toEqual(['get', 'post']);
    expect(doc.json.paths['/api/v1/forbund/{forbund}/budget-consultations/{year}/members/{memberKey}'].put).toBeDefined();
    const budget = doc.json.paths['/api/v1/forbund/{forbund}/budget/{year}'].get.responses['200'].content['application/json'].schema;
    expect(Object.keys(budget.properties)).toEqual(expect.arrayContaining(['adopted', 'revisions']));
  });
});

describe('the budget adopted', () => {
  it('GET budget/:year says whether it is adopted, and its revisions', async () => {
    const before = await call(`${S}/budget/2017`, { token: tokens.economist });
    expect(before.status).toBe(200);
    expect(before.json).toMatchObject({ adopted: null, revisions: [] });
    await db.prisma.budgetYear.update({
      where: { forbundId_year: { forbundId, year: 2017 } },
      data: { adoptedAt: new Date('2016-11-24T14:00:00Z'), adoptedBy: 'beslut 2016-00031 § 7', revisions: [{ at: '2017-04-20T12:00:00.000Z', by: 'beslut 2017-00012 § 5', what: 'Insatsen Steg framåt utökad med 200 000 kr' }] },
    });
    const after = await call(`${S}/budget/2017`, { token: tokens.economist });
    expect(after.json.adopted).toEqual({ at: '2016-11-24T14:00:00.000Z', by: 'beslut 2016-00031 § 7' });
    expect(after.json.revisions).toEqual([{ at: '2017-04-20T12:00:00.000Z', by: 'beslut 2017-00012 § 5', what: 'Insatsen Steg framåt utökad med 200 000 kr' }]);
  });
});

describe('the money page', () => {
  const get = async (path: string, cookie: string) => {
    const r = await fetch(`${served.base}${path}`, { headers: { cookie }, redirect: 'manual' });
    return { status: r.status, html: (await r.text()).replace(/\u00a0/g, ' ') };
  };

  it("shows the samråd per member and the adoption; the official records a reply with the form (errors next to the fields); the secretary only reads", async () => {
    const officialPerson = await pagePerson(db.prisma, { forbundId, name: (await db.prisma.person.findFirstOrThrow({ where: { forbundId, roles: { has: 'official' } } })).name, role: 'official', publicBaseUrl: PUBLIC_BASE, now: () => clock });
    const secretaryPerson = await pagePerson(db.prisma, { forbundId, name: 'Sara Sekreterare', role: 'secretary', publicBaseUrl: PUBLIC_BASE, now: () => clock });
    const asOfficial = await sessionCookie(officialPerson);
    const asSecretary = await sessionCookie(secretaryPerson);

    const page = await get('/admin/pengar/2017', asOfficial);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<h2 id="samrad">Medlemssamråd om budget 2017</h2>');
    expect(page.html).toContain('Antagen av styrelsen 24 november 2016, beslut 2016-00031 § 7.');
    expect(page.html).toContain('beslut 2017-00012 § 5, Insatsen Steg framåt utökad med 200 000 kr');
    expect(page.html).toContain(`<dt>${members[1].name}</dt><dd><strong class="tag late">Försenat</strong>`);
    expect(page.html).toContain(`<dt>${members[0].name}</dt><dd><strong class="tag done">Svar</strong>`);
    expect(page.html).toContain('Registrera ett svar');
    // Every member consulted: no start form.
    expect(page.html).not.toContain('Skicka förslaget för samråd');
    // The next year's page: not adopted, nothing started, the form to start it.
    const next = await get('/admin/pengar/2018', asOfficial);
    expect(next.html).toContain('Inte antagen ännu av styrelsen.');
    expect(next.html).toContain('Starta samrådet om budget 2018');

    const bad = await postForm(served.base, '/admin/pengar/2017/samrad/svar', { memberKey: members[1].key, repliedOn: '2099-01-01', reply: '' }, asOfficial);
    expect(bad.status).toBe(400);
    const badHtml = (await bad.text()).replace(/\u00a0/g, ' ');
    expect(badHtml).toContain('<a href="#samrad-svarade">Dagen för svaret kan inte ligga i framtiden.</a>');
    expect(badHtml).toContain('<a href="#samrad-svar">Skriv vad medlemmen svarade.</a>');

    const refused = await postForm(served.base, '/admin/pengar/2017/samrad/svar', { memberKey: members[1].key, repliedOn: '2016-05-16', reply: 'Ja.' }, asSecretary);
    expect(refused.status).toBe(403);
    const read = await get('/admin/pengar/2017', asSecretary);
    expect(read.status).toBe(200);
    expect(read.html).toContain('Medlemssamråd om budget 2017');
    expect(read.html).not.toContain('Registrera ett svar');

    const ok = await postForm(served.base, '/admin/pengar/2017/samrad/svar', { memberKey: members[1].key, repliedOn: '2016-05-16', reply: 'Vi tillstyrker.' }, asOfficial);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toContain('klart=samrad-svar');
    const after = await get('/admin/pengar/2017', asOfficial);
    expect(after.html).toContain(`<dt>${members[1].name}</dt><dd><strong class="tag done">Svar, efter svarsdagen</strong>`);

    const started = await postForm(served.base, '/admin/pengar/2018/samrad', { replyBy: '2016-06-01', message: '' }, asOfficial);
    expect(started.status).toBe(303);
    expect(await db.prisma.budgetConsultation.count({ where: { forbundId, year: 2018 } })).toBe(members.length);

    // The audit log says it in Swedish.
    const log = await get('/admin/logg', asOfficial);
    expect(log.html).toContain('Startade samrådet med medlemmarna om förslaget till budget 2017');
    expect(log.html).toContain('Registrerade svaret från');
    expect(log.html).toContain('Medlemssamråd om budget 2017');
  });
});
