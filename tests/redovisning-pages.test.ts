// The statutory chain in the pages, over HTTP with the real app and database: the year page's
// "Årsredovisning och ansvarsfrihet" lists where last year's årsredovisning stands and each
// member's decision (beviljad, inte beviljad with the board matter it opened, waiting, late); the
// official registers the revisionsberättelse and a member's decision through its forms (a bad date
// comes back in the error summary naming the field, nothing sent; a refusal by the workflow is a
// 409 page); the secretary reads the section without forms; Att göra links its steps to the
// section; the revisor's page shows the adopted report from StatutoryReport and reads only its
// non-secret handlingar.
//
// The workflows are played by a fake notifier whose `update` records the call and writes what the
// workflow's activity would (or refuses as the workflow does once registered): the chain's real
// path, on Temporal's time-skipping server, is tests/redovisning-workflow.test.ts. Rows of the
// chain (StatutoryReport, MemberDischarge) are inserted directly.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import { refusalMatterTitle } from '../domain/redovisning.js';
import type { Database } from '../prisma/db.js';
import { uploadHandling } from '../services/handlingar.js';
import { importForbund } from '../services/import.js';
import { registerMatter } from '../services/styrelse.js';
import { pagePerson, postForm, sessionCookie } from './support/browser.js';
import { testDatabase } from './support/database.js';
import { serve } from './support/http.js';
import { ChainNotifier } from './support/chain-notifier.js';

const PUBLIC_BASE = 'https://arscykel.example';
// Sunday 10 May 2037, 10:00 in Stockholm.
const NOW = new Date('2037-05-10T08:00:00Z');


let db: Database;
let served: { base: string; close(): Promise<void> };
const notifier = new ChainNotifier(() => db, NOW);
const sydnarke = {} as { id: string; report: string; annualDnr: string; rbDoc: string; openDoc: string; secretDoc: string; standInDoc: string; refusalDnr: string; waiting: { id: string; name: string }[]; granted: string; lateReport: string };
const nedansiljan = {} as { id: string; report: string; rbDoc: string; annualDoc: string };
const cookies = {} as Record<'official' | 'secretary' | 'auditor' | 'otherOfficial', string>;

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const get = async (path: string, cookie: string) => {
  const r = await fetch(`${served.base}${path}`, { headers: { cookie }, redirect: 'manual' });
  return { status: r.status, html: (await r.text()).replace(/\u00a0/g, ' ').replace(/\u2060/g, '') };
};
/** The year page's section, alone. */
const sectionOf = (html: string) => {
  const start = html.indexOf('<section aria-labelledby="ansvarsfrihet">');
  expect(start, 'the section is on the page').toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</section>', start));
};

beforeAll(async () => {
  db = await testDatabase();
  const prisma = db.prisma;
  sydnarke.id = (await importForbund(prisma, parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml'), { year: 2037, actor: 'import' })).forbundId;
  nedansiljan.id = (await importForbund(prisma, parseForbundFile(readFileSync('examples/nedansiljan.yaml', 'utf8'), 'nedansiljan.yaml'), { year: 2037, actor: 'import' })).forbundId;
  const pdf = (text: string) => ({ name: 'dokument.pdf', data: Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`) });

  // Sydnärke: the årsredovisning 2036, adopted 15 March 2037, its revisionsberättelse registered and the papers sent 1 April; the members' decisions coming in.
  const annual = await registerMatter(prisma, sydnarke.id, { title: 'Årsredovisning och bokslut 2036', kind: 'report', owner: 'official' }, new Date('2037-02-01T09:00:00Z'), 'test');
  sydnarke.annualDnr = annual.dnr;
  sydnarke.openDoc = (await uploadHandling(prisma, sydnarke.id, annual.dnr, { title: 'Årsredovisning 2036', file: pdf('arsredovisning') }, 'test')).id;
  sydnarke.rbDoc = (await uploadHandling(prisma, sydnarke.id, annual.dnr, { title: 'Revisionsberättelse 2036', file: pdf('revisionsberattelse') }, 'test')).id;
  sydnarke.secretDoc = (await uploadHandling(prisma, sydnarke.id, annual.dnr, { title: 'Bilaga om enskild', secret: true, file: pdf('hemlig') }, 'test')).id;
  const report = await prisma.statutoryReport.create({
    data: {
      forbundId: sydnarke.id,
      year: 2036,
      kind: 'arsredovisning',
      matterId: annual.id,
      adoptedAt: new Date('2037-03-15T10:00:00Z'),
      adoptedBy: `beslut ${annual.dnr} § 6`,
      sentToAuditorsAt: new Date('2037-03-15T10:05:00Z'),
      auditReportOn: day('2037-03-30'),
      auditDocumentId: sydnarke.rbDoc,
      auditRegisteredAt: new Date('2037-04-01T07:00:00Z'),
      auditRegisteredBy: 'test',
      sentToMembersAt: new Date('2037-04-01T07:00:05Z'),
      replyBy: day('2037-06-30'),
    },
  });
  sydnarke.report = report.id;
  const members = await prisma.member.findMany({ where: { forbundId: sydnarke.id }, orderBy: { name: 'asc' } });
  expect(members.length).toBeGreaterThanOrEqual(4);
  const [granted, refused, ...waiting] = members;
  const refusal = await registerMatter(prisma, sydnarke.id, { title: refusalMatterTitle(refused.name, 2036), kind: 'other', owner: 'official' }, new Date('2037-04-20T09:00:00Z'), 'test');
  sydnarke.refusalDnr = refusal.dnr;
  sydnarke.granted = (await prisma.memberDischarge.create({ data: { reportId: report.id, memberId: granted.id, outcome: 'beviljad', decidedOn: day('2037-04-22'), reference: 'KF § 45', recordedAt: new Date('2037-04-23T08:00:00Z'), recordedBy: 'test' } })).id;
  await prisma.memberDischarge.create({ data: { reportId: report.id, memberId: refused.id, outcome: 'inte_beviljad', decidedOn: day('2037-04-19'), reference: 'RF § 12', recordedAt: new Date('2037-04-20T08:00:00Z'), recordedBy: 'test', refusalMatterId: refusal.id } });
  sydnarke.waiting = [];
  for (const m of waiting) sydnarke.waiting.push({ id: (await prisma.memberDischarge.create({ data: { reportId: report.id, memberId: m.id, reminders: ['before'] } })).id, name: m.name });
  // The årsredovisning 2035: one member never answered (late, reminded twice).
  const old = await prisma.statutoryReport.create({
    data: { forbundId: sydnarke.id, year: 2035, kind: 'arsredovisning', adoptedAt: new Date('2036-03-15T10:00:00Z'), adoptedBy: 'beslut 2036-00004 § 6', sentToAuditorsAt: new Date('2036-03-15T10:05:00Z'), auditReportOn: day('2036-03-30'), auditRegisteredAt: new Date('2036-04-01T07:00:00Z'), sentToMembersAt: new Date('2036-04-01T07:00:05Z'), replyBy: day('2036-06-30') },
  });
  sydnarke.lateReport = old.id;
  await prisma.memberDischarge.create({ data: { reportId: old.id, memberId: waiting[0].id, reminders: ['before', 'late-1', 'late-2'] } });
  // The delårsrapport 2037 (no revisionsberättelse, no ansvarsfrihet), adopted in April.
  const interim = await registerMatter(prisma, sydnarke.id, { title: 'Delårsrapport januari–mars 2037', kind: 'report', owner: 'official' }, new Date('2037-04-01T09:00:00Z'), 'test');
  await prisma.statutoryReport.create({ data: { forbundId: sydnarke.id, year: 2037, kind: 'delarsrapport', matterId: interim.id, adoptedAt: new Date('2037-04-20T10:00:00Z'), adoptedBy: `beslut ${interim.dnr} § 3`, sentToAuditorsAt: new Date('2037-04-20T10:05:00Z') } });
  // A matter titled as an årsredovisning that no report is of: its handling is not the revisor's.
  const standIn = await registerMatter(prisma, sydnarke.id, { title: 'Årsredovisning 2034, arbetsmaterial', kind: 'report', owner: 'official' }, new Date('2037-02-02T09:00:00Z'), 'test');
  sydnarke.standInDoc = (await uploadHandling(prisma, sydnarke.id, standIn.dnr, { title: 'Arbetsmaterial', file: pdf('arbetsmaterial') }, 'test')).id;

  // Nedansiljan: the årsredovisning 2036 adopted 20 March 2037 and with the revisorer; its revisionsberättelse uploaded to the matter, not registered.
  const n = await registerMatter(prisma, nedansiljan.id, { title: 'Årsredovisning 2036', kind: 'report', owner: 'official' }, new Date('2037-02-01T09:00:00Z'), 'test');
  nedansiljan.annualDoc = (await uploadHandling(prisma, nedansiljan.id, n.dnr, { title: 'Årsredovisning 2036', file: pdf('arsredovisning') }, 'test')).id;
  nedansiljan.rbDoc = (await uploadHandling(prisma, nedansiljan.id, n.dnr, { title: 'Revisionsberättelse', file: pdf('rb') }, 'test')).id;
  nedansiljan.report = (await prisma.statutoryReport.create({ data: { forbundId: nedansiljan.id, year: 2036, kind: 'arsredovisning', matterId: n.id, adoptedAt: new Date('2037-03-20T10:00:00Z'), adoptedBy: `beslut ${n.dnr} § 4`, sentToAuditorsAt: new Date('2037-03-20T10:05:00Z') } })).id;

  const as = async (forbundId: string, name: string, role: 'official' | 'secretary' | 'auditor') => sessionCookie(await pagePerson(prisma, { forbundId, name, role, publicBaseUrl: PUBLIC_BASE, now: () => NOW }));
  const officialName = async (forbundId: string) => (await prisma.person.findFirstOrThrow({ where: { forbundId, roles: { has: 'official' } } })).name;
  cookies.official = await as(sydnarke.id, await officialName(sydnarke.id), 'official');
  cookies.secretary = await as(sydnarke.id, 'Sara Sekreterare', 'secretary');
  cookies.auditor = await as(sydnarke.id, 'Rita Revisor', 'auditor');
  cookies.otherOfficial = await as(nedansiljan.id, await officialName(nedansiljan.id), 'official');
  served = await serve(createApp({ prisma, notifier, publicBaseUrl: PUBLIC_BASE, linkSecret: 'r'.repeat(32), now: () => NOW }));
}, 120_000);

afterAll(async () => {
  await served?.close();
  await db?.close();
});

describe('the year page: Årsredovisning och ansvarsfrihet', () => {
  it("lists where last year's årsredovisning stands and each member's decision", async () => {
    const page = await get('/admin/ar/2037', cookies.official);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<a href="#ansvarsfrihet">Årsredovisning och ansvarsfrihet</a>');
    const s = sectionOf(page.html);
    expect(s).toContain('<h3 id="arsredovisning-2036-rubrik">Årsredovisning 2036</h3>');
    expect(s).toContain('Väntar på medlemmarnas beslut om ansvarsfrihet');
    expect(s).toContain(`15 mars 2037, beslut ${sydnarke.annualDnr} § 6`);
    expect(s).toContain(`<a href="/admin/handlingar/${sydnarke.rbDoc}">30 mars 2037: Revisionsberättelse 2036</a>`);
    expect(s).toContain('Skickad till medlemmarna</dt><dd style="margin:0;flex:1 1 16rem">1 april 2037');
    expect(s).toContain('30 juni 2037');
    // Each member: its row with its state.
    const rows = [...s.matchAll(/<tr id="medlem-[^"]+"><th scope="row">([^<]+)<\/th><td><span class="tag[^"]*">([^<]+)<\/span>(.*?)<\/td><td[^>]*>([^<]*)<\/td><td>([^<]*)<\/td><td>(\d+)<\/td><\/tr>/g)].map((m) => [m[1], m[2], m[4], m[5], m[6], m[3]]);
    expect(rows.length).toBe(2 + sydnarke.waiting.length);
    const granted = rows.find((r) => r[3] === 'KF § 45')!;
    expect(granted.slice(1, 3)).toEqual(['Ansvarsfrihet beviljad', '22 april 2037']);
    const refused = rows.find((r) => r[3] === 'RF § 12')!;
    expect(refused[1]).toBe('Ansvarsfrihet inte beviljad');
    expect(refused[5]).toBe(`<br>Ärende till styrelsen: <a href="/admin/arenden/${sydnarke.refusalDnr}">${sydnarke.refusalDnr}</a>`);
    for (const w of sydnarke.waiting) expect(rows.find((r) => r[0] === w.name)?.slice(1, 5)).toEqual(['Väntar på beslut', '–', '–', '1']);
    // The official's form for each member still waiting; no revisionsberättelse to register.
    expect(s.match(/<summary>Registrera medlemmens beslut/g)?.length).toBe(sydnarke.waiting.length);
    expect(s).not.toContain('Registrera revisionsberättelsen');
    // This year's delårsrapport: adopted, with the revisorer; no revisionsberättelse nor ansvarsfrihet.
    const interim = s.slice(s.indexOf('<article id="delarsrapport-2037"'));
    expect(interim).toContain('<h3 id="delarsrapport-2037-rubrik">Delårsrapport 2037</h3>');
    expect(interim).toContain('Skickas till medlemmarna');
    expect(interim).not.toContain('Revisionsberättelse');
    expect(interim).not.toContain('<table');
    // The year before: the årsredovisning 2035, a member late.
    const before = sectionOf((await get('/admin/ar/2036', cookies.official)).html);
    expect(before).toContain('Årsredovisning 2035');
    expect(before).toContain('Försenat');
  });

  it('before the board has adopted it', async () => {
    const page = await get('/admin/ar/2038', cookies.official);
    expect(page.status).toBe(200);
    expect(sectionOf(page.html)).toContain('Styrelsen har inte antagit årsredovisningen för 2037 ännu.');
  });

  it('the official registers the revisionsberättelse through the form: a bad date in the error summary, then the workflow told; a second time refused (409)', async () => {
    const form = sectionOf((await get('/admin/ar/2037', cookies.otherOfficial)).html);
    expect(form).toContain('Väntar på revisionsberättelsen');
    expect(form).toContain('<summary>Registrera revisionsberättelsen');
    expect(form).toContain(`name="documentId" value="${nedansiljan.rbDoc}"`);
    expect(form).toContain(`name="documentId" value="${nedansiljan.annualDoc}"`);
    const action = `/admin/ar/2037/redovisning/${nedansiljan.report}/revisionsberattelse`;
    expect(form).toContain(`action="${action}"`);

    const bad = await postForm(served.base, action, { auditReportOn: '2099-01-01', documentId: '' }, cookies.otherOfficial);
    expect(bad.status).toBe(400);
    const badHtml = (await bad.text()).replace(/\u00a0/g, ' ');
    expect(badHtml).toContain('Något behöver rättas');
    expect(badHtml).toContain(`<a href="#rb-${nedansiljan.report}-datum">Datumet kan inte vara senare än i dag.</a>`);
    expect(badHtml).toContain(`<a href="#rb-${nedansiljan.report}-handling">Välj revisionsberättelsen bland ärendets handlingar (ladda upp den på ärendet först).</a>`);
    expect(badHtml).toContain(`id="rb-${nedansiljan.report}-datum" name="auditReportOn" value="2099-01-01"`);
    expect(badHtml).toMatch(/<details open><summary>Registrera revisionsberättelsen/);
    const notADate = await postForm(served.base, action, { auditReportOn: '30 april', documentId: nedansiljan.rbDoc }, cookies.otherOfficial);
    expect(notADate.status).toBe(400);
    expect(await notADate.text()).toContain('Skriv revisionsberättelsens datum som ÅÅÅÅ-MM-DD.');
    expect(notifier.updates.filter((u) => u.name === 'registerAuditReport')).toEqual([]);

    const ok = await postForm(served.base, action, { auditReportOn: '2037-04-15', documentId: nedansiljan.rbDoc }, cookies.otherOfficial);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/admin/ar/2037?klart=revisionsberattelse&vid=ansvarsfrihet#ansvarsfrihet');
    const told = notifier.updates.filter((u) => u.name === 'registerAuditReport');
    expect(told.length).toBe(1);
    expect(told[0].target).toEqual({ reportId: nedansiljan.report });
    expect(told[0].args).toMatchObject({ auditReportOn: '2037-04-15', documentId: nedansiljan.rbDoc });
    expect(String(told[0].args.actor)).toMatch(/^person:\S+ .+ \(admin\)$/);
    const after = await get(ok.headers.get('location')!, cookies.otherOfficial);
    const s = sectionOf(after.html);
    expect(s).toContain('Revisionsberättelsen är registrerad.');
    expect(s).toContain(`<a href="/admin/handlingar/${nedansiljan.rbDoc}">15 april 2037: Revisionsberättelse</a>`);
    expect(s).not.toContain('<summary>Registrera revisionsberättelsen');

    const again = await postForm(served.base, action, { auditReportOn: '2037-04-15', documentId: nedansiljan.rbDoc }, cookies.otherOfficial);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('Revisionsberättelsen är redan registrerad');
    // Had the workflow refused it (registered meanwhile), the same: a page, nothing changed.
    await db.prisma.statutoryReport.update({ where: { id: nedansiljan.report }, data: { auditRegisteredAt: null } });
    const raced = await postForm(served.base, action, { auditReportOn: '2037-04-15', documentId: nedansiljan.rbDoc }, cookies.otherOfficial);
    expect(raced.status).toBe(409);
    expect(await raced.text()).toContain('Revisionsberättelsen kunde inte registreras');
    expect(notifier.updates.filter((u) => u.name === 'registerAuditReport').length).toBe(2);
    await db.prisma.statutoryReport.update({ where: { id: nedansiljan.report }, data: { auditRegisteredAt: NOW } });
    // Another förbund's report is not found here.
    expect((await postForm(served.base, `/admin/ar/2037/redovisning/${sydnarke.report}/revisionsberattelse`, { auditReportOn: '2037-04-15', documentId: sydnarke.rbDoc }, cookies.otherOfficial)).status).toBe(404);
  });

  it("the official records a member's decision: errors by field, then the workflow told; an answer already recorded refused (409)", async () => {
    const w = sydnarke.waiting[0];
    const action = `/admin/ar/2037/ansvarsfrihet/${w.id}`;
    const bad = await postForm(served.base, action, { decidedOn: '2037-03-01', reference: '' }, cookies.official);
    expect(bad.status).toBe(400);
    const badHtml = (await bad.text()).replace(/\u00a0/g, ' ');
    expect(badHtml).toContain(`<a href="#af-${w.id}-utfall">Välj om ansvarsfrihet beviljades eller inte.</a>`);
    expect(badHtml).toContain(`<a href="#af-${w.id}-datum">Beslutsdagen kan inte vara före 2037-04-01, då handlingarna skickades.</a>`);
    expect(notifier.updates.filter((u) => u.name === 'recordDischarge')).toEqual([]);

    const ok = await postForm(served.base, action, { outcome: 'beviljad', decidedOn: '2037-05-05', reference: 'KF § 61' }, cookies.official);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toContain('klart=ansvarsfrihet');
    const told = notifier.updates.filter((u) => u.name === 'recordDischarge');
    expect(told.map((u) => [u.target, u.args.outcome, u.args.decidedOn, u.args.reference])).toEqual([[{ dischargeId: w.id }, 'beviljad', '2037-05-05', 'KF § 61']]);
    const s = sectionOf((await get('/admin/ar/2037', cookies.official)).html);
    expect(s).toContain('KF § 61');
    expect(s.match(/<summary>Registrera medlemmens beslut/g)?.length ?? 0).toBe(sydnarke.waiting.length - 1);

    const again = await postForm(served.base, `/admin/ar/2037/ansvarsfrihet/${sydnarke.granted}`, { outcome: 'inte_beviljad', decidedOn: '2037-05-05' }, cookies.official);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('Beslutet är redan registrerat');
  });

  it('the secretary reads the section, with no forms, and cannot post them', async () => {
    const page = await get('/admin/ar/2037', cookies.secretary);
    expect(page.status).toBe(200);
    const s = sectionOf(page.html);
    expect(s).toContain('Ansvarsfrihet beviljad');
    expect(s).not.toContain('<form');
    expect(s).not.toContain('Registrera medlemmens beslut');
    expect(s).toContain('Tjänstepersonen registrerar revisionsberättelsen och medlemmarnas beslut.');
    const w = sydnarke.waiting[sydnarke.waiting.length - 1];
    const refused = await postForm(served.base, `/admin/ar/2037/ansvarsfrihet/${w.id}`, { outcome: 'beviljad', decidedOn: '2037-05-05' }, cookies.secretary);
    expect(refused.status).toBe(403);
    expect(notifier.updates.filter((u) => 'dischargeId' in u.target && u.target.dischargeId === w.id)).toEqual([]);
  });
});

describe('Att göra', () => {
  it("links the chain's steps to the year page's section", async () => {
    const late = await get('/admin?typ=revision', cookies.official);
    expect(late.status).toBe(200);
    expect(late.html).toContain('Revision och ansvarsfrihet');
    expect(late.html).toContain('har inte meddelat sitt beslut om ansvarsfrihet');
    expect(late.html).toContain(', medlem');
    expect(late.html).toContain('href="/admin/ar/2036#ansvarsfrihet"');
    // Nedansiljan's årsredovisning, with the revisorer and its revisionsberättelse not registered (as before the form above): the official's step.
    await db.prisma.statutoryReport.update({ where: { id: nedansiljan.report }, data: { auditRegisteredAt: null, auditReportOn: null, auditDocumentId: null } });
    const step = await get('/admin?typ=revision', cookies.otherOfficial);
    expect(step.html).toContain('Registrera revisorernas revisionsberättelse för årsredovisningen 2036');
    expect(step.html).toContain('href="/admin/ar/2037#ansvarsfrihet"');
    expect(step.html).toContain('Registrera revisionsberättelsen');
  });
});

describe("the revisor's page", () => {
  it('shows the adopted årsredovisning from StatutoryReport with its non-secret handlingar, the revisionsberättelse and the members; reads only those', async () => {
    const page = await get('/admin/revision?ar=2037', cookies.auditor);
    expect(page.status).toBe(200);
    const start = page.html.indexOf('<section aria-labelledby="arsredovisning">');
    const s = page.html.slice(start, page.html.indexOf('</section>', start));
    expect(s).toContain(`Årsredovisning 2036 <span class="muted">(Dnr ${sydnarke.annualDnr})</span>`);
    expect(s).toContain(`<a href="/admin/handlingar/${sydnarke.openDoc}">Årsredovisning 2036</a>`);
    expect(s).toContain(`<a href="/admin/handlingar/${sydnarke.rbDoc}">Revisionsberättelse 2036</a>`);
    expect(s).toContain('30 mars 2037, registrerad 1 april 2037');
    expect(s).toContain('Ansvarsfrihet inte beviljad');
    expect(s).toContain('RF § 12');
    expect(s).not.toContain('Bilaga om enskild');
    expect(s).not.toContain('Arbetsmaterial');
    expect(s).toContain('Delårsrapport 2037');
    expect(page.html).not.toContain('<form method="post" action="/admin/ar');
    for (const id of [sydnarke.openDoc, sydnarke.rbDoc]) expect((await get(`/admin/handlingar/${id}`, cookies.auditor)).status, id).toBe(200);
    for (const id of [sydnarke.secretDoc, sydnarke.standInDoc]) expect((await get(`/admin/handlingar/${id}`, cookies.auditor)).status, id).toBe(403);
    // The year page is the staff's.
    expect((await get('/admin/ar/2037', cookies.auditor)).status).toBe(403);
  });
});
