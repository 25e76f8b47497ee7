// Renewing secret links over real HTTP, with a real SMTP peer (the mails read as received) and a
// real database loaded from the Sydnärke example placed in 2026: a report's new link mailed to the
// coordinator, the old one answering "Länken har ersatts av en ny" and writing nothing; feeds
// renewed by the official only; a "can't come" link renewed before the meeting and expired once it
// has begun; a justering link renewed while the protokoll is out for justering and refused once
// signed or justerat; a submission link expired long after its report closed; the admin pages' buttons.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMailer, type Mailer } from '../activities/mail.js';
import { createApp } from '../api/app.js';
import { createApiToken } from '../api/auth.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { renewProjectFeed } from '../services/lankar.js';
import { declineLink, projectFeedLink, signLink, submissionLink } from '../services/links.js';
import { isoDay } from '../services/rapportering.js';
import { pagePerson, postForm, sessionCookie } from './support/browser.js';
import { testDatabase } from './support/database.js';
import { apiCaller, fieldsOf, serve } from './support/http.js';
import { toOf } from './support/mails.js';
import { RecordingNotifier } from './support/notifier.js';
import { startSmtpServer, type TestSmtpServer } from './support/smtp.js';

const NOW = new Date('2026-04-20T08:00:00Z'); // Monday 20 April 2026, 10:00 in Stockholm
const clock = { now: NOW };
const PUBLIC_BASE = 'https://arscykel.example';
const SECRET = 'lankar-test-secret';
const Y = '/api/v1/forbund/sydnarke';

let db: Database;
let smtp: TestSmtpServer;
let mailer: Mailer;
let served: Awaited<ReturnType<typeof serve>> | undefined;
let base: string;
let forbundId: string;
const tokens = { admin: '', secretary: '' };
const call = apiCaller(() => base);
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ');
const pathOf = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

/** An open report of an active project, due after the test's day, with its coordinator. */
async function openReport(skip = 0) {
  const list = await db.prisma.reportingObligation.findMany({
    where: { status: 'open', dueDate: { gt: NOW }, project: { forbundId, status: 'active' } },
    include: { project: { include: { coordinator: true } } },
    orderBy: [{ dueDate: 'asc' }, { id: 'asc' }],
  });
  const o = list.filter((x, i, all) => all.findIndex((y) => y.projectId === x.projectId) === i)[skip];
  expect(o).toBeDefined();
  return o;
}

const writes = async () => ({
  submissions: await db.prisma.submission.count(),
  drafts: await db.prisma.submissionDraft.count(),
  audit: await db.prisma.auditEvent.count(),
});

beforeAll(async () => {
  db = await testDatabase();
  forbundId = (await importForbund(db.prisma, parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml'), { year: 2026, actor: 'test' })).forbundId;
  await db.prisma.forbund.update({ where: { id: forbundId }, data: { goLiveOn: new Date('2000-01-01T00:00:00Z') } });
  tokens.admin = await createApiToken(db.prisma, { forbundId, name: 'official', role: 'admin' });
  tokens.secretary = await createApiToken(db.prisma, { forbundId, name: 'secretary', role: 'secretary' });
  smtp = await startSmtpServer();
  mailer = createMailer({ prisma: db.prisma, transport: smtp.transport, log: () => {} });
  served = await serve(createApp({ prisma: db.prisma, notifier: new RecordingNotifier(), mailer, publicBaseUrl: PUBLIC_BASE, linkSecret: SECRET, now: () => clock.now }));
  base = served.base;
}, 120_000);

afterAll(async () => {
  await served?.close();
  mailer?.close();
  await smtp?.close();
  await db?.close();
});

beforeEach(() => {
  clock.now = NOW;
  smtp.clear();
});

describe("a report's submission link", () => {
  it('renewed: the coordinator gets the new link by mail; the old link shows "ersatts" and writes nothing; the new one opens the form', async () => {
    const o = await openReport();
    const old = submissionLink(PUBLIC_BASE, SECRET, o.id);
    expect((await call(pathOf(old))).status).toBe(200);

    // Not the secretary's to do.
    expect((await call(`${Y}/obligations/${o.id}/link/renew`, { method: 'POST', token: tokens.secretary })).status).toBe(403);
    const r = await call(`${Y}/obligations/${o.id}/link/renew`, { method: 'POST', token: tokens.admin });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ obligationId: o.id, generation: 1, mail: 'sent', mailedTo: { name: o.project.coordinator.name, email: o.project.coordinator.email } });

    // The mail, as received.
    expect(smtp.messages).toHaveLength(1);
    const mail = smtp.messages[0];
    expect(toOf(mail)).toEqual([o.project.coordinator.email.toLowerCase()]);
    expect(mail.subject).toMatch(/^Ny länk till rapporten: /);
    expect(mail.subject).toContain(o.project.name);
    expect(mail.text).toContain('Den tidigare länken fungerar inte längre');
    const fresh = submissionLink(PUBLIC_BASE, SECRET, o.id, 1);
    expect(mail.text).toContain(fresh);
    expect(mail.text).not.toContain(old);

    // The old link: a Swedish page naming the official; nothing of the report, nothing written.
    const before = await writes();
    const page = await call(pathOf(old));
    expect(page.status).toBe(403);
    expect(page.type).toMatch(/text\/html/);
    expect(text(page.text)).toContain('Länken har ersatts av en ny');
    expect(text(page.text)).toContain('Raéd Shaqdih, förbundschef');
    expect(page.text).not.toContain(o.project.name);
    const posted = await fetch(`${base}${pathOf(old)}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ action: 'draft', narrative: 'Ett utkast' }).toString() });
    expect(posted.status).toBe(403);
    expect(text(await posted.text())).toContain('Länken har ersatts av en ny');
    const api = await call(pathOf(old).replace('/submit/', '/api/v1/submissions/'), { method: 'POST', json: { narrative: 'x' } });
    expect(api.status).toBe(403);
    expect(fieldsOf(api)).toEqual(['token']);
    expect(await writes()).toEqual(before);

    // The new link opens the form.
    const opened = await call(pathOf(fresh));
    expect(opened.status).toBe(200);
    expect(opened.text).toContain('<form');

    // Audited, with the kind and never a token.
    const ev = await db.prisma.auditEvent.findFirstOrThrow({ where: { forbundId, action: 'link.renewed', entityId: o.id } });
    expect(ev.data).toMatchObject({ kind: 'submission', generation: 1 });
    expect(JSON.stringify(ev)).not.toContain(new URL(fresh).searchParams.get('token')!);
  });

  it('the project feed carries the renewed link; a link of another report still works', async () => {
    const o = await openReport();
    const other = await db.prisma.reportingObligation.findFirstOrThrow({ where: { projectId: o.projectId, id: { not: o.id } } });
    const feed = await call(pathOf(projectFeedLink(PUBLIC_BASE, SECRET, o.projectId)));
    expect(feed.status).toBe(200);
    const unfolded = feed.text.replace(/\r\n[ \t]/g, '');
    expect(unfolded).toContain(submissionLink(PUBLIC_BASE, SECRET, o.id, 1));
    expect(unfolded).toContain(submissionLink(PUBLIC_BASE, SECRET, other.id));
  });

  it(`expires once the report is closed for good and 90 days have passed since its due date ("Länken har gått ut")`, async () => {
    const o = await openReport(1);
    await db.prisma.project.update({ where: { id: o.projectId }, data: { status: 'withdrawn' } });
    const link = pathOf(submissionLink(PUBLIC_BASE, SECRET, o.id));
    const due = Date.parse(`${isoDay(o.dueDate)}T10:00:00Z`);
    clock.now = new Date(due + 89 * 86_400_000);
    const closed = await call(link);
    expect(closed.status).toBe(409);
    expect(text(closed.text)).toContain('Insatsen är återkallad');
    clock.now = new Date(due + 90 * 86_400_000);
    const expired = await call(link);
    expect(expired.status).toBe(410);
    expect(text(expired.text)).toContain('Länken har gått ut');
    expect(text(expired.text)).toContain('Raéd Shaqdih, förbundschef');
    expect((await call(link.replace('/submit/', '/api/v1/submissions/'))).status).toBe(410);
    // Nothing to renew: refused, nothing changed.
    const r = await call(`${Y}/obligations/${o.id}/link/renew`, { method: 'POST', token: tokens.admin });
    expect(r.status).toBe(409);
    expect(await db.prisma.linkGeneration.count({ where: { purpose: `submission:${o.id}` } })).toBe(0);
  });
});

describe('calendar feeds', () => {
  it('a secretary cannot renew a feed (403, nothing changed)', async () => {
    const list = async () => (await call(`${Y}/feeds`, { token: tokens.admin })).json.data as { body: string; url: string; generation: number }[];
    const before = await list();
    const r = await call(`${Y}/feeds/styrelse/renew`, { method: 'POST', token: tokens.secretary });
    expect(r.status).toBe(403);
    expect(await list()).toEqual(before);
    expect(await db.prisma.linkGeneration.count({ where: { purpose: { startsWith: 'feed:' } } })).toBe(0);
  });

  it('renewed by the official: the new address works, the old one does not, GET feeds lists the new one', async () => {
    const before = ((await call(`${Y}/feeds`, { token: tokens.admin })).json.data as { body: string; url: string }[]).find((f) => f.body === 'styrelse')!;
    expect((await call(pathOf(before.url))).status).toBe(200);
    const r = await call(`${Y}/feeds/styrelse/renew`, { method: 'POST', token: tokens.admin });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ body: 'styrelse', generation: 1 });
    expect(r.json.url).not.toBe(before.url);
    const fresh = await call(pathOf(r.json.url));
    expect(fresh.status).toBe(200);
    expect(fresh.type).toMatch(/text\/calendar/);
    expect((await call(pathOf(before.url))).status).toBe(403);
    const listed = ((await call(`${Y}/feeds`, { token: tokens.admin })).json.data as { body: string; url: string; generation: number }[]).find((f) => f.body === 'styrelse')!;
    expect(listed).toMatchObject({ url: r.json.url, generation: 1 });
    // The other feeds are untouched.
    expect((await call(`${Y}/feeds/nonsense/renew`, { method: 'POST', token: tokens.admin })).status).toBe(404);
  });

  it("a project's feed, by the official through the API and by the coordinator's page (renewProjectFeed)", async () => {
    const o = await openReport(2);
    const project = await db.prisma.project.findUniqueOrThrow({ where: { id: o.projectId } });
    const old = pathOf(projectFeedLink(PUBLIC_BASE, SECRET, project.id));
    const r = await call(`${Y}/projects/${project.key}/feed/renew`, { method: 'POST', token: tokens.admin });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ projectId: project.id, generation: 1 });
    expect((await call(pathOf(r.json.url))).status).toBe(200);
    expect((await call(old)).status).toBe(403);
    const g = await renewProjectFeed(db.prisma, { forbundId, projectId: project.id, by: `coordinator:${project.coordinatorId}`, now: NOW });
    expect(g).toBe(2);
    expect((await call(pathOf(r.json.url))).status).toBe(403);
    expect((await call(pathOf(projectFeedLink(PUBLIC_BASE, SECRET, project.id, 2)))).status).toBe(200);
  });
});

describe('the "can\'t come" link', () => {
  it('renewed before the meeting (mailed to the person), and expired once the meeting has begun', async () => {
    const m = await db.prisma.meeting.findFirstOrThrow({ where: { forbundId, kind: 'styrelse', startsAt: { gt: NOW } }, orderBy: { startsAt: 'asc' } });
    const seat = await db.prisma.bodyMembership.findFirstOrThrow({ where: { body: { forbundId, kind: 'styrelse' }, role: { not: 'deputy' } }, include: { person: true } });
    await db.prisma.attendance.create({ data: { meetingId: m.id, personId: seat.personId, seat: 'ledamot' } });
    const old = pathOf(declineLink(PUBLIC_BASE, SECRET, m.id, seat.personId));
    expect((await call(old)).status).toBe(200);

    const r = await call(`${Y}/meetings/${m.id}/attendance/${seat.personId}/link/renew`, { method: 'POST', token: tokens.secretary });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ generation: 1, mail: 'sent' });
    expect(smtp.messages).toHaveLength(1);
    expect(toOf(smtp.messages[0])).toEqual([seat.person.email.toLowerCase()]);
    expect(smtp.messages[0].subject).toMatch(/^Ny länk för förhinder/);
    const fresh = declineLink(PUBLIC_BASE, SECRET, m.id, seat.personId, 1);
    expect(smtp.messages[0].text).toContain(fresh);

    const replaced = await call(old);
    expect(replaced.status).toBe(403);
    expect(text(replaced.text)).toContain('Länken har ersatts av en ny');
    expect(text(replaced.text)).toContain('styrelsens sekreterare');
    expect((await call(pathOf(fresh))).status).toBe(200);

    // From the meeting's start the link no longer acts (its Swedish page), and is not renewed.
    clock.now = new Date(m.startsAt.getTime() + 60_000);
    const begun = await call(pathOf(fresh));
    expect(begun.status).toBe(410);
    expect(begun.type).toMatch(/text\/html/);
    expect((await call(`${Y}/meetings/${m.id}/attendance/${seat.personId}/link/renew`, { method: 'POST', token: tokens.secretary })).status).toBe(409);
    // One not called: 404.
    clock.now = NOW;
    expect((await call(`${Y}/meetings/${m.id}/attendance/nobody/link/renew`, { method: 'POST', token: tokens.secretary })).status).toBe(404);
  });
});

/** A held board meeting before the test's day, its minutes out for justering with two justerare (the example has no chair). */
async function outForJustering() {
  const m = await db.prisma.meeting.findFirstOrThrow({ where: { forbundId, kind: 'styrelse', startsAt: { lt: NOW } }, orderBy: { startsAt: 'desc' } });
  const [first, second] = await Promise.all(['nils-ledamot', 'olivia-ledamot'].map((key) => db.prisma.person.findFirstOrThrow({ where: { forbundId, key } })));
  return { m, first, second };
}

describe('the justering link', () => {
  it('renewed while out for justering (mailed to the justerare): the old link shows "ersatts", the new one opens the protokoll; 409 once signed or justerat', async () => {
    const { m, first, second } = await outForJustering();
    const renew = (personId: string) => call(`${Y}/meetings/${m.id}/signers/${personId}/link/renew`, { method: 'POST', token: tokens.secretary });
    // Before the minutes are sent for justering: nothing to renew.
    const early = await renew(first.id);
    expect(early.status).toBe(409);
    expect(early.json.error.message).toMatch(/not been sent for justering/);

    await db.prisma.meeting.update({ where: { id: m.id }, data: { heldAt: new Date(m.startsAt.getTime() + 3 * 3_600_000), justerare: first.key, justerare2: second.key, minutesSentAt: new Date('2026-03-02T08:00:00Z'), justeringDue: new Date('2026-03-12T00:00:00Z'), protocolSha256: 'ab'.repeat(32) } });
    await db.prisma.protocolDocument.create({ data: { meetingId: m.id, pdf: new Uint8Array(Buffer.from('%PDF-1.4 test')), sha256: 'ab'.repeat(32), createdAt: new Date('2026-03-02T08:00:00Z') } });
    const old = pathOf(signLink(PUBLIC_BASE, SECRET, m.id, first.id));
    expect((await call(old)).status).toBe(200);

    const r = await renew(first.id);
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ meetingId: m.id, personId: first.id, generation: 1, mail: 'sent', mailedTo: { name: first.name, email: first.email } });
    expect(smtp.messages).toHaveLength(1);
    const mail = smtp.messages[0];
    expect(toOf(mail)).toEqual([first.email.toLowerCase()]);
    expect(mail.subject).toMatch(/^Ny länk för justering av protokollet: /);
    expect(mail.text).toContain('Den tidigare länken för att justera protokollet fungerar inte längre');
    const fresh = signLink(PUBLIC_BASE, SECRET, m.id, first.id, 1);
    expect(mail.text).toContain(fresh);
    expect(mail.text).not.toContain(`${PUBLIC_BASE}${old}`);

    // The old link: the "ersatts" page naming the secretary, nothing of the protokoll; the new one opens it.
    const replaced = await call(old);
    expect(replaced.status).toBe(403);
    expect(text(replaced.text)).toContain('Länken har ersatts av en ny');
    expect(text(replaced.text)).toContain('styrelsens sekreterare');
    expect(replaced.text).not.toContain('Jag har läst protokollet');
    const opened = await call(pathOf(fresh));
    expect(opened.status).toBe(200);
    expect(opened.text).toContain('<form');
    // The other justerare's link is untouched.
    expect((await call(pathOf(signLink(PUBLIC_BASE, SECRET, m.id, second.id)))).status).toBe(200);

    const ev = await db.prisma.auditEvent.findFirstOrThrow({ where: { forbundId, action: 'link.renewed', entityId: m.id, data: { path: ['kind'], equals: 'sign' } } });
    expect(ev.data).toMatchObject({ kind: 'sign', generation: 1, personId: first.id });
    expect(JSON.stringify(ev)).not.toContain(new URL(fresh).searchParams.get('token')!);

    // One who does not sign the protokoll: 404.
    const other = await db.prisma.person.findFirstOrThrow({ where: { forbundId, key: 'per-ledamot' } });
    expect((await renew(other.id)).status).toBe(404);

    // Once the person has signed: 409, naming why; nothing changed.
    await db.prisma.signature.create({ data: { meetingId: m.id, personId: first.id, role: 'justerare', signedAt: NOW, fromAddress: '127.0.0.1', pdfSha256: 'ab'.repeat(32) } });
    const signed = await renew(first.id);
    expect(signed.status).toBe(409);
    expect(signed.json.error.message).toMatch(/signed the protokoll already/);
    // Once justerat: 409 for everyone.
    await db.prisma.meeting.update({ where: { id: m.id }, data: { justeradAt: NOW } });
    const justerat = await renew(second.id);
    expect(justerat.status).toBe(409);
    expect(justerat.json.error.message).toMatch(/justerat already/);
    expect(await db.prisma.linkGeneration.findMany({ where: { purpose: { startsWith: `sign:${m.id}:` } }, select: { purpose: true, generation: true } })).toEqual([{ purpose: `sign:${m.id}:${first.id}`, generation: 1 }]);
    expect(smtp.messages).toHaveLength(1);
    await db.prisma.meeting.update({ where: { id: m.id }, data: { justeradAt: null } });
    await db.prisma.signature.deleteMany({ where: { meetingId: m.id } });
  });
});

describe('the admin pages', () => {
  it('the report page: "Skicka ny länk till samordnaren", confirmed, then back with a message; the secretary cannot', async () => {
    const official = await pagePerson(db.prisma, { forbundId, name: 'Raéd Shaqdih', role: 'official', publicBaseUrl: PUBLIC_BASE, now: () => clock.now });
    const secretary = await pagePerson(db.prisma, { forbundId, name: 'Sara Sekreterare', role: 'secretary', publicBaseUrl: PUBLIC_BASE, now: () => clock.now });
    const cookie = await sessionCookie(official);
    const o = await openReport(3);
    const get = (path: string, c = cookie) => fetch(`${base}${path}`, { headers: { cookie: c }, redirect: 'manual' });
    const reportPage = await (await get(`/admin/rapporter/${o.id}`)).text();
    expect(reportPage).toContain('Skicka ny länk till samordnaren');
    const confirm = await get(`/admin/rapporter/${o.id}/ny-lank`);
    expect(confirm.status).toBe(200);
    const confirmText = text(await confirm.text());
    expect(confirmText).toContain('Den tidigare länken slutar fungera');
    expect(confirmText).toContain(o.project.coordinator.name);

    const refused = await postForm(base, `/admin/rapporter/${o.id}/ny-lank`, {}, await sessionCookie(secretary));
    expect(refused.status).toBe(403);
    expect(await db.prisma.linkGeneration.count({ where: { purpose: `submission:${o.id}` } })).toBe(0);

    const done = await postForm(base, `/admin/rapporter/${o.id}/ny-lank`, {}, cookie);
    expect(done.status).toBe(303);
    const back = done.headers.get('location')!;
    expect(back).toMatch(new RegExp(`^/admin/rapporter/${o.id}\\?klart=ny-lank`));
    expect(text(await (await get(back)).text())).toContain('En ny länk till rapporten är skickad till samordnaren');
    expect(smtp.messages.map((x) => toOf(x)[0])).toEqual([o.project.coordinator.email.toLowerCase()]);
  });

  it('the meeting page: "Skicka ny länk" for each called (before the meeting) and each justerare who has not signed, back with a message', async () => {
    const secretary = await pagePerson(db.prisma, { forbundId, name: 'Sara Sekreterare', role: 'secretary', publicBaseUrl: PUBLIC_BASE, now: () => clock.now });
    const cookie = await sessionCookie(secretary);
    const get = async (path: string) => (await fetch(`${base}${path}`, { headers: { cookie }, redirect: 'manual' })).text();

    // Förhinder: a called person of a meeting to come.
    const future = await db.prisma.meeting.findFirstOrThrow({ where: { forbundId, kind: 'styrelse', startsAt: { gt: NOW } }, orderBy: { startsAt: 'asc' } });
    const called = await db.prisma.attendance.findFirstOrThrow({ where: { meetingId: future.id, status: { not: 'released' } }, include: { person: true } });
    const before = await db.prisma.linkGeneration.findUnique({ where: { purpose: `decline:${future.id}:${called.personId}` } });
    const page = await get(`/admin/moten/${future.id}`);
    expect(page).toContain(`Skicka ny länk<span class="vh"> för förhinder till ${called.person.name}</span>`);
    const done = await postForm(base, `/admin/moten/${future.id}/kallade/${called.personId}/ny-lank`, {}, cookie);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`/admin/moten/${future.id}?klart=ny-forhinderslank&vid=kallade#kallade`);
    expect(text(await get(done.headers.get('location')!))).toContain('En ny länk för att meddela förhinder är skickad');
    expect((await db.prisma.linkGeneration.findUniqueOrThrow({ where: { purpose: `decline:${future.id}:${called.personId}` } })).generation).toBe((before?.generation ?? 0) + 1);
    expect(smtp.messages.map((x) => toOf(x)[0])).toEqual([called.person.email.toLowerCase()]);
    smtp.clear();

    // Justering: both justerare listed; the one who signed has no button.
    const { m, first, second } = await outForJustering();
    await db.prisma.signature.create({ data: { meetingId: m.id, personId: second.id, role: 'justerare', signedAt: NOW, fromAddress: '127.0.0.1', pdfSha256: 'ab'.repeat(32) } });
    const minutes = await get(`/admin/moten/${m.id}`);
    expect(minutes).toContain(`Skicka ny länk<span class="vh"> för justering till ${first.name}</span>`);
    expect(minutes).not.toContain(`för justering till ${second.name}`);
    expect(text(minutes)).toContain('Har justerat');
    // No förhinder button once the meeting has begun.
    expect(minutes).not.toContain('för förhinder till');
    const sent = await postForm(base, `/admin/moten/${m.id}/justerare/${first.id}/ny-lank`, {}, cookie);
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe(`/admin/moten/${m.id}?klart=ny-justeringslank&vid=protokoll#protokoll`);
    expect(text(await get(sent.headers.get('location')!))).toContain('En ny länk för att justera protokollet är skickad');
    expect(smtp.messages.map((x) => toOf(x)[0])).toEqual([first.email.toLowerCase()]);
    // The one who signed: refused as a Swedish page, nothing changed.
    const refused = await postForm(base, `/admin/moten/${m.id}/justerare/${second.id}/ny-lank`, {}, cookie);
    expect(refused.status).toBe(409);
    expect(text(await refused.text())).toContain('Personen har redan justerat protokollet');
  });

  it('the year page lists the feeds; "Byt länk" renews one (the official only)', async () => {
    const official = await pagePerson(db.prisma, { forbundId, name: 'Raéd Shaqdih', role: 'official', publicBaseUrl: PUBLIC_BASE, now: () => clock.now });
    const secretary = await pagePerson(db.prisma, { forbundId, name: 'Sara Sekreterare', role: 'secretary', publicBaseUrl: PUBLIC_BASE, now: () => clock.now });
    const cookie = await sessionCookie(official);
    const year = await (await fetch(`${base}/admin/ar/2026`, { headers: { cookie } })).text();
    expect(year).toContain('Kalenderflöden');
    expect(year).toContain('Byt länk');
    const listed = ((await call(`${Y}/feeds`, { token: tokens.admin })).json.data as { body: string; url: string }[]).find((f) => f.body === 'beredningsgrupp')!;
    expect(year).toContain(listed.url);
    const secretaryYear = await (await fetch(`${base}/admin/ar/2026`, { headers: { cookie: await sessionCookie(secretary) } })).text();
    expect(secretaryYear).toContain(listed.url);
    expect(secretaryYear).not.toContain('Byt länk');
    expect((await postForm(base, '/admin/ar/2026/kalenderfloden/beredningsgrupp/byt-lank', {}, await sessionCookie(secretary))).status).toBe(403);

    const done = await postForm(base, '/admin/ar/2026/kalenderfloden/beredningsgrupp/byt-lank', { tillbaka: '/admin/ar/2026#kalenderfloden' }, cookie);
    expect(done.status).toBe(303);
    const page = await (await fetch(`${base}${done.headers.get('location')}`, { headers: { cookie } })).text();
    expect(text(page)).toContain('Kalenderflödet har en ny adress');
    expect(page).not.toContain(listed.url);
    expect((await call(pathOf(listed.url))).status).toBe(403);
  });
});
