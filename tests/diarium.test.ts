// The diarium over HTTP (issue 18): GET matters filtered by state, kind, year and a text in the
// Dnr or title, each wrong value a 400 naming its field; a second open matter with the same title
// (without regard to case and white space) is a 409 naming the other Dnr, and nothing is stored
// until the request confirms; a matter moved on with no meeting to go to is a pending step until a
// coming meeting is chosen for it (PUT matters/:dnr/meeting). Then the same through the pages:
// the diarium with its filter and pages, registering (the Dnr said, the warning and "Registrera
// ändå"), the owner list naming each person once, the start page's "Välj möte" and the matter's
// page. The Sydnärke example placed in 2037, PGlite (or PostgreSQL), the workflows recorded.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import { createApiToken } from '../api/auth.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { pagePerson, postForm, signInCookie, type PagePerson } from './support/browser.js';
import { testDatabase } from './support/database.js';
import { apiCaller, fieldsOf, serve, type Json } from './support/http.js';
import { RecordingNotifier } from './support/notifier.js';

const PUBLIC_BASE = 'https://arscykel.example';
const LINK_SECRET = 'd'.repeat(32);
const S = '/api/v1/forbund/sydnarke';
// Monday 5 January 2037: the January board's agenda (23 Jan) is open for matters.
let clock = new Date('2037-01-05T09:00:00Z');

let db: Database;
let served: { base: string; close(): Promise<void> };
let forbundId: string;
const notifier = new RecordingNotifier();
const tokens = { admin: '', secretary: '', board: '' };
/** The pages: people sign in as themselves (the förbund file's official and secretary). */
const people = {} as Record<'official' | 'secretary', PagePerson>;
const call = apiCaller(() => served.base);
const register = (json: Record<string, unknown>, token = tokens.admin) => call(`${S}/matters`, { token, method: 'POST', json });
const list = async (query: string) => (await call(`${S}/matters?${query}`, { token: tokens.board })).json;
const dnrs = (r: Json) => (r.data as Json[]).map((m) => m.dnr);
const plain = (html: string) => html.replace(/\u00a0/g, ' ').replace(/\u2060/g, '');

const registered: Record<string, string> = {};

beforeAll(async () => {
  db = await testDatabase();
  forbundId = (await importForbund(db.prisma, parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml'), { year: 2037, actor: 'test' })).forbundId;
  tokens.admin = await createApiToken(db.prisma, { forbundId, name: 'Raéd Shaqdih', role: 'admin' });
  tokens.secretary = await createApiToken(db.prisma, { forbundId, name: 'Sekreteraren', role: 'secretary' });
  tokens.board = await createApiToken(db.prisma, { forbundId, name: 'Ledamot', role: 'board_member' });
  people.official = await pagePerson(db.prisma, { forbundId, name: 'Raéd Shaqdih', role: 'official', publicBaseUrl: PUBLIC_BASE, now: () => clock });
  people.secretary = await pagePerson(db.prisma, { forbundId, name: 'Styrelsens sekreterare (exempel)', role: 'secretary', publicBaseUrl: PUBLIC_BASE, now: () => clock });
  served = await serve(createApp({ prisma: db.prisma, notifier, publicBaseUrl: PUBLIC_BASE, linkSecret: LINK_SECRET, now: () => clock }));
  // The diarium's matters: one a kind, and more than a page of the pages' 20.
  const matters: [string, string, string][] = [
    ['steg', 'Ansökan om medel: Steg framåt', 'funding_application'],
    ['bokslut', 'Årsredovisning med bokslut 2036', 'budget'],
    ['policy', 'Policy för insatsernas rapportering', 'policy'],
    ['nya', 'Ansökan om medel: Nya vägar', 'funding_application'],
  ];
  for (const [key, title, kind] of matters) {
    const r = await register({ title, kind, owner: 'official' });
    expect(r.status).toBe(201);
    registered[key] = r.json.dnr;
  }
  for (let n = 1; n <= 20; n++) expect((await register({ title: `Information ${n}`, kind: 'other', owner: 'secretary' })).status).toBe(201);
}, 120_000);

afterAll(async () => {
  await served?.close();
  await db?.close();
});

beforeEach(() => notifier.reset());

describe('GET matters: filters and search', () => {
  it('filters by state, kind and year, and finds a text in the Dnr or the title without regard to case; newest first', async () => {
    const all = await list('limit=200');
    expect(all.pagination.totalElements).toBe(24);
    expect(dnrs(all)).toEqual([...dnrs(all)].sort().reverse());

    expect(dnrs(await list('kind=funding_application'))).toEqual([registered.nya, registered.steg]);
    expect(dnrs(await list('q=STEG%20FRAM'))).toEqual([registered.steg]);
    expect(dnrs(await list(`q=${registered.bokslut}`))).toEqual([registered.bokslut]);
    expect(dnrs(await list(`q=${registered.bokslut.slice(5)}`))).toEqual([registered.bokslut]);
    expect(dnrs(await list('q=ansökan&kind=policy'))).toEqual([]);
    expect((await list('year=2037&limit=1')).pagination.totalElements).toBe(24);
    expect((await list('year=2036')).pagination.totalElements).toBe(0);

    await db.prisma.matter.update({ where: { forbundId_dnr: { forbundId, dnr: registered.policy } }, data: { status: 'prepared' } });
    expect(dnrs(await list('status=prepared'))).toEqual([registered.policy]);
    expect((await list('status=registered&kind=other')).pagination.totalElements).toBe(20);
    await db.prisma.matter.update({ where: { forbundId_dnr: { forbundId, dnr: registered.policy } }, data: { status: 'registered' } });
  });

  it('a wrong value is a 400 naming its field', async () => {
    const cases: [string, string[]][] = [
      ['status=open', ['status']],
      ['kind=grant', ['kind']],
      ['year=20x7', ['year']],
      ['year=1999', ['year']],
      [`q=${'x'.repeat(101)}`, ['q']],
      ['status=registered&status=prepared', ['status']],
      ['kind=budget&year=37&q=ok', ['year']],
      ['kind=x&status=y', ['kind', 'status']],
      ['page=0', ['page']],
    ];
    for (const [q, fields] of cases) {
      const r = await call(`${S}/matters?${q}`, { token: tokens.board });
      expect(r.status, q).toBe(400);
      expect(fieldsOf(r).sort(), q).toEqual(fields);
    }
    // Declared once, with the filters, in the OpenAPI document.
    const doc = (await call('/api/v1/openapi.json')).json;
    const params = doc.paths['/api/v1/forbund/{forbund}/matters'].get.parameters.map((p: Json) => p.name);
    expect(params).toEqual(expect.arrayContaining(['status', 'kind', 'year', 'q', 'page', 'limit']));
    expect(Object.keys(doc.paths['/api/v1/forbund/{forbund}/matters/{dnr}/meeting'])).toEqual(['put']);
    expect(Object.keys(doc.paths['/admin/arenden'])).toEqual(['get', 'post']);
  });
});

describe('a second matter with the same title', () => {
  it('is a 409 naming the open matter of that title, and nothing is stored (not even a Dnr) until the request confirms', async () => {
    const before = await db.prisma.matter.count({ where: { forbundId } });
    const lastDnr = (await db.prisma.cycleYear.findUniqueOrThrow({ where: { forbundId_year: { forbundId, year: 2037 } } })).lastDnr;
    const twin = await register({ title: '  ansökan OM medel:   steg\tframåt ', kind: 'funding_application', owner: 'official' });
    expect(twin.status).toBe(409);
    expect(twin.json.error.message).toContain(registered.steg);
    expect(twin.json.error.fields).toEqual([{ field: 'title', problem: `the same title as the open matter ${registered.steg}` }]);
    expect(await db.prisma.matter.count({ where: { forbundId } })).toBe(before);
    expect((await db.prisma.cycleYear.findUniqueOrThrow({ where: { forbundId_year: { forbundId, year: 2037 } } })).lastDnr).toBe(lastDnr);
    expect(notifier.matterCalls).toEqual([]);
    // A wrong value is still a 400 first; confirmDuplicate must be a boolean.
    expect(fieldsOf(await register({ title: 'Ansökan om medel: Steg framåt', kind: 'funding_application', owner: 'official', confirmDuplicate: 'ja' }))).toEqual(['confirmDuplicate']);

    const confirmed = await register({ title: 'Ansökan om medel: Steg framåt', kind: 'funding_application', owner: 'official', confirmDuplicate: true });
    expect(confirmed.status).toBe(201);
    expect(confirmed.json.dnr).not.toBe(registered.steg);
    expect(notifier.matterCalls).toEqual([{ matterId: confirmed.json.id, reason: 'registered' }]);
    // A closed matter of the same title does not warn.
    await db.prisma.matter.updateMany({ where: { forbundId, title: 'Ansökan om medel: Nya vägar' }, data: { status: 'closed', closedAt: clock } });
    const again = await register({ title: 'Ansökan om medel: Nya vägar', kind: 'funding_application', owner: 'official' });
    expect(again.status).toBe(201);
    registered.nya2 = again.json.dnr;
    registered.steg2 = confirmed.json.dnr;
  });
});

describe('a matter with no board meeting', () => {
  it('is a pending step, "Inget styrelsemöte att ta ärendet", until a coming meeting is chosen for it', async () => {
    // As closeAgenda leaves a matter not prepared in time when no later meeting is planned.
    const x = await db.prisma.matter.update({ where: { forbundId_dnr: { forbundId, dnr: registered.bokslut } }, data: { meetingId: null } });
    const steps = async () => ((await call(`${S}/pending-steps?limit=200`, { token: tokens.secretary })).json.data as Json[]).filter((s) => s.type === 'matter' && s.id === x.id);
    const [step] = await steps();
    expect(step).toMatchObject({
      title: 'Inget styrelsemöte att ta ärendet: Årsredovisning med bokslut 2036',
      dueDate: '2037-01-05',
      overdue: false,
      waitingOn: { role: 'official', name: 'Raéd Shaqdih' },
      links: { matter: `${S}/matters/${registered.bokslut}`, chooseMeeting: `${S}/matters/${registered.bokslut}/meeting`, page: `/admin/arenden/${registered.bokslut}` },
    });
    // Prepared, it still has no meeting: still a step.
    await db.prisma.matter.update({ where: { id: x.id }, data: { status: 'prepared' } });
    expect(await steps()).toHaveLength(1);

    const feb = await db.prisma.meeting.findFirstOrThrow({ where: { forbundId, year: 2037, key: 'styrelse-02' } });
    const jan = await db.prisma.meeting.findFirstOrThrow({ where: { forbundId, year: 2037, key: 'styrelse-01' } });
    const bg = await db.prisma.meeting.findFirstOrThrow({ where: { forbundId, year: 2037, kind: 'beredningsgrupp' } });
    const put = (dnr: string, meeting: unknown, token = tokens.secretary) => call(`${S}/matters/${dnr}/meeting`, { token, method: 'PUT', json: { meeting } });
    expect((await put(registered.bokslut, feb.id, tokens.board)).status).toBe(403);
    for (const wrong of ['nej', bg.id]) {
      const r = await put(registered.bokslut, wrong);
      expect(r.status, wrong).toBe(400);
      expect(fieldsOf(r)).toEqual(['meeting']);
    }
    expect(fieldsOf(await put(registered.bokslut, ''))).toEqual(['meeting']);
    // A meeting whose kallelse is fixed takes no more matters.
    await db.prisma.meeting.update({ where: { id: jan.id }, data: { kallelseSentAt: clock } });
    expect(fieldsOf(await put(registered.bokslut, jan.id))).toEqual(['meeting']);
    await db.prisma.meeting.update({ where: { id: jan.id }, data: { kallelseSentAt: null } });
    expect((await put('2037-99999', feb.id)).status).toBe(404);
    expect(notifier.matterCalls).toEqual([]);
    expect((await db.prisma.matter.findUniqueOrThrow({ where: { id: x.id } })).meetingId).toBeNull();

    const ok = await put(registered.bokslut, feb.id);
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ dnr: registered.bokslut, status: 'prepared', meeting: { id: feb.id }, workflowNotified: true });
    expect(notifier.matterCalls).toEqual([{ matterId: x.id, reason: 'meeting chosen' }]);
    expect(await db.prisma.auditEvent.findFirst({ where: { forbundId, action: 'matter.moved', entityId: x.id } })).toMatchObject({ data: { dnr: registered.bokslut, from: null, to: feb.id, reason: 'meeting chosen' } });
    expect(await steps()).toEqual([]);
    // Once on an agenda its meeting is the meeting's: 409.
    await db.prisma.matter.update({ where: { id: x.id }, data: { status: 'on_agenda' } });
    const late = await put(registered.bokslut, jan.id);
    expect(late.status).toBe(409);
    await db.prisma.matter.update({ where: { id: x.id }, data: { status: 'registered' } });
  });
});

describe('the pages', () => {
  const get = async (path: string, cookie: string) => {
    const res = await fetch(`${served.base}${path}`, { headers: { cookie }, redirect: 'manual' });
    return { status: res.status, html: plain(await res.text()), location: res.headers.get('location') };
  };
  const rowsOf = (html: string) => [...html.matchAll(/<tr><td style="white-space:nowrap"><a href="\/admin\/arenden\/([\d-]+)">/g)].map((m) => m[1]);

  it('the diarium lists every matter newest first, 20 to a page, filtered by a GET form; a wrong filter is a 400 page naming the field', async () => {
    const cookie = await signInCookie(served.base, people.secretary);
    const first = await get('/admin/arenden', cookie);
    expect(first.status).toBe(200);
    expect(first.html).toContain('<a href="/admin/arenden" aria-current="page">Ärenden</a>');
    expect(first.html).toContain('role="search" aria-label="Filtrera ärendena"');
    expect(rowsOf(first.html)).toHaveLength(20);
    expect(first.html).toContain('Ärende 1–20 av 26.');
    expect(first.html).toContain('href="/admin/arenden?sida=2#lista" rel="next"');
    // The secretary does not register matters.
    expect(first.html).not.toContain('Registrera ett ärende');
    const second = await get('/admin/arenden?sida=2', cookie);
    expect(rowsOf(second.html)).toHaveLength(6);
    expect(rowsOf(second.html).slice(2)).toEqual([registered.nya, registered.policy, registered.bokslut, registered.steg]);
    expect(second.html).toContain('href="/admin/arenden#lista" rel="prev"');

    const found = await get('/admin/arenden?sok=steg&lage=registered&slag=funding_application&ar=2037', cookie);
    expect(rowsOf(found.html)).toEqual([registered.steg2, registered.steg]);
    expect(found.html).toContain('2 ärenden med filtret.');
    // A row: Dnr linked to the matter, title, kind, owner by name and title, state, meeting linked.
    const jan = await db.prisma.meeting.findFirstOrThrow({ where: { forbundId, year: 2037, key: 'styrelse-01' } });
    expect(found.html).toContain(`<td>Ansökan om medel: Steg framåt</td><td>Ansökan om medel</td><td>Raéd Shaqdih (förbundschef)</td><td>Registrerat, inte berett</td><td><a href="/admin/moten/${jan.id}">Styrelsemöte 23 januari 2037</a></td>`);
    expect(found.html).toContain('<option value="registered" selected>');
    expect(found.html).toContain('<a href="/admin/arenden">Visa alla ärenden</a>');
    expect(rowsOf((await get(`/admin/arenden?sok=${registered.nya2.slice(5)}`, cookie)).html)).toEqual([registered.nya2]);
    expect((await get('/admin/arenden?sok=finns-inte', cookie)).html).toContain('Inga ärenden med det filtret.');

    for (const [q, id, text] of [
      ['lage=open', 'lage', 'Välj ett läge i listan.'],
      ['slag=grant', 'slag', 'Välj ett slag i listan.'],
      ['ar=37', 'ar', 'Välj ett år i listan.'],
      [`sok=${'x'.repeat(101)}`, 'sok', 'Skriv högst 100 tecken.'],
      ['lage=registered&lage=closed', 'lista', 'Adressen har samma filter flera gånger.'],
    ]) {
      const bad = await get(`/admin/arenden?${q}`, cookie);
      expect(bad.status, q).toBe(400);
      expect(bad.html, q).toContain(`<a href="#${id}">${text}`);
      expect(rowsOf(bad.html), q).toEqual([]);
    }
  });

  it('registering says the Dnr it got; the owner list names each person once; a second matter with the same title warns and is stored only when confirmed', async () => {
    const official = await signInCookie(served.base, people.official);
    const page = await get('/admin/arenden', official);
    // Each person once: the official (key "official", also the role) is not listed twice.
    const owner = /<select id="arende-ansvarig"[^>]*>([\s\S]*?)<\/select>/.exec(page.html)![1];
    const values = [...owner.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]).filter(Boolean);
    const texts = [...owner.matchAll(/<option value="[^"]+"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(values).toEqual([...new Set(values)]);
    expect(texts).toEqual([...new Set(texts)]);
    expect(texts.filter((t) => t.startsWith('Raéd Shaqdih'))).toEqual(['Raéd Shaqdih (förbundschef)']);
    expect(values.slice(0, 3)).toEqual(['official', 'secretary', 'economist']);
    expect(values).not.toContain('chair');

    const before = await db.prisma.matter.count({ where: { forbundId } });
    const bad = await postForm(served.base, '/admin/arenden', { title: '', kind: 'policy', owner: 'official', meeting: '' }, official);
    expect(bad.status).toBe(400);
    expect(plain(await bad.text())).toContain('<a href="#arende-rubrik">Skriv ärendets rubrik.</a>');

    const twin = await postForm(served.base, '/admin/arenden', { title: 'POLICY för insatsernas  rapportering', kind: 'policy', owner: 'official', meeting: '' }, official);
    expect(twin.status).toBe(409);
    const warning = plain(await twin.text());
    expect(warning).toContain(`Det finns redan ett öppet ärende med samma rubrik:</strong> Dnr <a href="/admin/arenden/${registered.policy}">${registered.policy}</a> Policy för insatsernas rapportering (registrerat, inte berett).`);
    expect(warning).toContain('<input type="hidden" name="bekrafta" value="1">');
    expect(warning).toContain('Registrera ändå</button>');
    expect(await db.prisma.matter.count({ where: { forbundId } })).toBe(before);

    const confirmed = await postForm(served.base, '/admin/arenden', { title: 'POLICY för insatsernas  rapportering', kind: 'policy', owner: 'official', meeting: '', bekrafta: '1' }, official);
    expect(confirmed.status).toBe(303);
    const x = await db.prisma.matter.findFirstOrThrow({ where: { forbundId, title: 'POLICY för insatsernas  rapportering' } });
    expect(confirmed.headers.get('location')).toBe(`/admin/arenden?registrerat=${x.dnr}#registrerat`);
    const after = await get(`/admin/arenden?registrerat=${x.dnr}`, official);
    expect(after.html).toContain(`<p>Ärendet är registrerat med Dnr <a href="/admin/arenden/${x.dnr}">${x.dnr}</a>.</p>`);
    expect(after.html).toContain('Det går till styrelsemöte 23 januari 2037.');
    // The secretary may not register (403), as over the API.
    const secretary = await signInCookie(served.base, people.secretary);
    expect((await postForm(served.base, '/admin/arenden', { title: 'Något nytt', kind: 'other', owner: 'official' }, secretary)).status).toBe(403);
  });

  it('a funding application registered from the diarium names its project, year and amount; funding on another kind, or a sum not in whole kronor, is asked for again', async () => {
    const official = await signInCookie(served.base, people.official);
    const page = await get('/admin/arenden', official);
    expect(page.html).toMatch(/<select id="arende-insats"[^>]*>[\s\S]*<option value="pa-vag">På väg<\/option>/);
    const before = await db.prisma.matter.count({ where: { forbundId } });
    const wrongKind = await postForm(served.base, '/admin/arenden', { title: 'Riktlinjer', kind: 'policy', owner: 'official', meeting: '', fundingProject: 'pa-vag', fundingYear: '2037', fundingAmount: '400000' }, official);
    expect(wrongKind.status).toBe(400);
    expect(plain(await wrongKind.text())).toContain('<a href="#arende-insats">Insats, år och belopp anges bara för en ansökan om medel.</a>');
    const badSum = await postForm(served.base, '/admin/arenden', { title: 'Ansökan om medel: På väg', kind: 'funding_application', owner: 'official', meeting: '', fundingProject: 'pa-vag', fundingYear: '2037', fundingAmount: '12,5' }, official);
    expect(badSum.status).toBe(400);
    expect(plain(await badSum.text())).toContain('<a href="#arende-belopp">Skriv beloppet i hela kronor, till exempel 400000.</a>');
    expect(await db.prisma.matter.count({ where: { forbundId } })).toBe(before);
    const ok = await postForm(served.base, '/admin/arenden', { title: 'Ansökan om medel: På väg', kind: 'funding_application', owner: 'official', meeting: '', fundingProject: 'pa-vag', fundingYear: '2037', fundingAmount: '400 000' }, official);
    expect(ok.status).toBe(303);
    const x = await db.prisma.matter.findFirstOrThrow({ where: { forbundId, title: 'Ansökan om medel: På väg' } });
    expect(x.funding).toEqual({ projectKey: 'pa-vag', year: 2037, amount: 400000 });
  });

  it('a matter without a meeting: the start page offers "Välj möte", its page lists the coming meetings and puts it on one', async () => {
    const x = await db.prisma.matter.update({ where: { forbundId_dnr: { forbundId, dnr: registered.steg2 } }, data: { meetingId: null } });
    const cookie = await signInCookie(served.base, people.secretary);
    // Every page of Att göra, however the steps are ordered there.
    const startPages = async () => {
      let all = '';
      for (let n = 1; n <= 10; n++) {
        const p = await get(`/admin?sida=${n}`, cookie);
        all += p.html;
        if (!p.html.includes('rel="next"')) break;
      }
      return all;
    };
    const start = { html: await startPages() };
    expect(start.html).toContain('Inget styrelsemöte att ta ärendet: Ansökan om medel: Steg framåt');
    expect(start.html).toContain(`<a href="/admin/arenden/${x.dnr}#mote">Välj möte<span class="vh"> Inget styrelsemöte att ta ärendet: Ansökan om medel: Steg framåt</span></a>`);
    const diarium = await get(`/admin/arenden?sok=${x.dnr}`, cookie);
    expect(diarium.html).toContain('<strong class="tag warn">Inget möte</strong>');

    const page = await get(`/admin/arenden/${x.dnr}`, cookie);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Ärendet har inget styrelsemöte att tas upp på');
    expect(page.html).toContain(`action="/admin/arenden/${x.dnr}/berett"`);
    const jan = await db.prisma.meeting.findFirstOrThrow({ where: { forbundId, year: 2037, key: 'styrelse-01' } });
    expect(page.html).toContain(`<option value="${jan.id}">Styrelsemöte 23 januari 2037 (ärenden senast`);
    const empty = await postForm(served.base, `/admin/arenden/${x.dnr}/mote`, { meeting: '' }, cookie);
    expect(empty.status).toBe(400);
    expect(plain(await empty.text())).toContain('<a href="#mote-val">Välj ett styrelsemöte.</a>');
    const wrong = await postForm(served.base, `/admin/arenden/${x.dnr}/mote`, { meeting: 'nej' }, cookie);
    expect(wrong.status).toBe(400);
    const chosen = await postForm(served.base, `/admin/arenden/${x.dnr}/mote`, { meeting: jan.id }, cookie);
    expect(chosen.status).toBe(303);
    expect(chosen.headers.get('location')).toBe(`/admin/arenden/${x.dnr}?klart=arende-mote&vid=mote#mote`);
    expect((await db.prisma.matter.findUniqueOrThrow({ where: { id: x.id } })).meetingId).toBe(jan.id);
    const done = await get(chosen.headers.get('location')!.split('#')[0], cookie);
    expect(done.html).toContain('Mötet är valt.');
    expect(done.html).toContain(`Ärendet ska till <a href="/admin/moten/${jan.id}">Styrelsemöte 23 januari 2037</a>.`);
    expect(await startPages()).not.toContain('Inget styrelsemöte att ta ärendet: Ansökan om medel: Steg framåt');
    expect((await get('/admin/arenden/2037-99999', cookie)).status).toBe(404);
  });
});
