// Everyone's own pages in a real browser (Debian's Chromium through playwright-core), on the
// Sydnärke example placed in 2037, on Tuesday 10 March: the January board meeting is held and
// justerat (its anslag up), the April meeting's kallelse has gone out with a matter whose
// handlingar are a tjänsteskrivelse and a secret yttrande. A ledamot signs in by the e-mail link,
// sees the year's meetings, reads the secret handling (its bytes, its content type) and downloads
// the meeting pack (the kallelse and the handlingar's text in it); the public pages never show the
// secret handling. An ersättare called in reports a förhinder (through the meeting's workflow, a
// stand-in here that records the update). A samordnare sees only their projects' reports and opens
// one's form. A revisor reads the justerat protokoll and the årsredovisning and reaches nothing
// of the staff's (403), nor uploads. At the HTTP level: a samordnare cannot read a handling, nor a
// board member of another förbund. axe-core against WCAG 2.1 A/AA at 1280 and 375 px, screenshots
// in test-output/screenshots/mina-*.png.
import { readFileSync } from 'node:fs';
import type { UpdateDefinition } from '@temporalio/common';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMailer, type Mailer } from '../../activities/mail.js';
import { createApp } from '../../api/app.js';
import { parseForbundFile } from '../../domain/forbund-file.js';
import type { Database } from '../../prisma/db.js';
import { uploadHandling } from '../../services/handlingar.js';
import { importForbund } from '../../services/import.js';
import type { WorkflowNotifier } from '../../services/notifier.js';
import { ensureAgenda, registerMatter } from '../../services/styrelse.js';
import { browserPages, describeInChromium, pagePerson, sessionCookie, type PagePerson } from '../support/browser.js';
import { testDatabase } from '../support/database.js';
import { freePort } from '../support/fixtures.js';
import { pdfText } from '../support/pdf.js';
import { addresses, startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { eventually } from '../support/temporal.js';

// Tuesday 10 March 2037, 10:00 in Stockholm.
const NOW = new Date('2037-03-10T09:00:00Z');
const SECRET_TITLE = 'Yttrande om enskild person';
const SECRET_TEXT = 'HEMLIGT-INNEHALL yttrande';
const OPEN_TEXT = 'TJANSTESKRIVELSE-TEXT om ansokan';
const JAN_SECRET_TITLE = 'Utredning om enskild deltagare';

/** The meeting's workflow, played: a förhinder and its withdrawal recorded as the workflow records them; every update kept. */
class BoardNotifier implements WorkflowNotifier {
  updates: { target: unknown; name: string; args: unknown }[] = [];
  constructor(private readonly db: () => Database) {}
  async reportingChanged() {
    return true;
  }
  async cycleChanged() {
    return true;
  }
  async meetingChanged() {
    return true;
  }
  async matterChanged() {
    return true;
  }
  async statutoryChanged() {
    return true;
  }
  async reviewChanged() {
    return true;
  }
  async update<R, A extends [unknown]>(target: { meetingId: string } | { matterId: string }, def: UpdateDefinition<R, A>, args: A): Promise<R> {
    this.updates.push({ target, name: def.name, args: args[0] });
    const { personId } = args[0] as { personId: string };
    const meetingId = (target as { meetingId: string }).meetingId;
    const prisma = this.db().prisma;
    const person = await prisma.person.findUniqueOrThrow({ where: { id: personId } });
    const quorum = { seats: 7, expected: 6, needed: 4, quorate: true };
    if (def.name === 'declineMeeting') {
      await prisma.attendance.update({ where: { meetingId_personId: { meetingId, personId } }, data: { status: 'declined', respondedAt: NOW } });
      return { declined: person.name, calledIn: null, quorum } as R;
    }
    if (def.name === 'withdrawDecline') {
      await prisma.attendance.update({ where: { meetingId_personId: { meetingId, personId } }, data: { status: 'invited', respondedAt: NOW } });
      return { back: person.name, released: null, quorum } as R;
    }
    throw new Error(`not played here: ${def.name}`);
  }
}

let db: Database;
let smtp: TestSmtpServer;
let mailer: Mailer;
let base: string;
let server: import('node:http').Server;
let forbundId: string;
let otherForbundId: string;
const notifier = new BoardNotifier(() => db);
const ids = {} as { jan: string; apr: string; secret: string; open: string; janSecret: string; annual: string; annualSecret: string };
const data = {} as { secret: Buffer; open: Buffer };
const people = {} as Record<'maria' | 'axel' | 'coordinator' | 'auditor' | 'other' | 'official', PagePerson>;

/** A PDF with these lines, set in Helvetica. */
async function pdfFile(lines: string[]): Promise<Buffer> {
  const d = await PDFDocument.create();
  const font = await d.embedFont(StandardFonts.Helvetica);
  const p = d.addPage([595, 842]);
  lines.forEach((l, i) => p.drawText(l, { x: 72, y: 760 - i * 24, size: 14, font }));
  return Buffer.from(await d.save());
}

beforeAll(async () => {
  db = await testDatabase();
  const prisma = db.prisma;
  forbundId = (await importForbund(prisma, parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml'), { year: 2037, actor: 'import' })).forbundId;
  otherForbundId = (await importForbund(prisma, parseForbundFile(readFileSync('examples/nedansiljan.yaml', 'utf8'), 'nedansiljan.yaml'), { year: 2037, actor: 'import' })).forbundId;
  smtp = await startSmtpServer();
  mailer = createMailer({ prisma, transport: smtp.transport, log: () => {} });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const as = (forbund: string, name: string, role: 'official' | 'board_member' | 'coordinator' | 'auditor') => pagePerson(prisma, { forbundId: forbund, name, role, publicBaseUrl: base, now: () => NOW });
  people.maria = await as(forbundId, 'Maria Ledamot', 'board_member');
  people.axel = await as(forbundId, 'Axel Ersättare', 'board_member');
  people.coordinator = await as(forbundId, 'Samordnare På väg (exempel)', 'coordinator');
  people.auditor = await as(forbundId, 'Rita Revisor', 'auditor');
  people.official = await as(forbundId, 'Raéd Shaqdih', 'official');
  people.other = await as(otherForbundId, 'Cecilia Ledamot', 'board_member');

  // January: held and justerat, its anslag up; a decided matter with a secret handling of its own.
  const jan = await prisma.meeting.findFirstOrThrow({ where: { forbundId, year: 2037, key: 'styrelse-01' } });
  const apr = await prisma.meeting.findFirstOrThrow({ where: { forbundId, year: 2037, key: 'styrelse-04' } });
  ids.jan = jan.id;
  ids.apr = apr.id;
  await ensureAgenda(prisma, jan.id);
  await ensureAgenda(prisma, apr.id);
  const janMatter = await registerMatter(prisma, forbundId, { title: 'Ansökan om medel: Försteget', kind: 'funding_application', owner: 'official', meetingId: jan.id }, new Date('2037-01-05T09:00:00Z'), 'test');
  ids.janSecret = (await uploadHandling(prisma, forbundId, janMatter.dnr, { title: JAN_SECRET_TITLE, secret: true, file: { name: 'utredning.pdf', data: await pdfFile(['HEMLIG utredning']) } }, 'test')).id;
  const janItems = await prisma.agendaItem.count({ where: { meetingId: jan.id } });
  await prisma.agendaItem.create({ data: { meetingId: jan.id, number: janItems + 1, title: janMatter.title, kind: 'matter', matterId: janMatter.id, paragraph: 5, decision: 'Styrelsen beviljar 300 000 kr till Försteget för 2037.', decidedAt: new Date('2037-01-23T10:00:00Z') } });
  await prisma.meeting.update({ where: { id: jan.id }, data: { kallelseSentAt: new Date('2037-01-15T07:00:00Z'), heldAt: new Date('2037-01-23T11:00:00Z'), justeradAt: new Date('2037-02-02T12:00:00Z'), anslagPostedAt: new Date('2037-02-02T13:00:00Z'), decisionsSentAt: new Date('2037-02-02T13:00:00Z') } });

  // April: the kallelse sent, a matter with a tjänsteskrivelse and a secret yttrande.
  const aprMatter = await registerMatter(prisma, forbundId, { title: 'Ansökan om medel: Steg framåt', kind: 'funding_application', owner: 'official', meetingId: apr.id }, NOW, 'test');
  data.open = await pdfFile([OPEN_TEXT]);
  data.secret = await pdfFile([SECRET_TEXT]);
  ids.open = (await uploadHandling(prisma, forbundId, aprMatter.dnr, { title: 'Tjänsteskrivelse', file: { name: 'tjansteskrivelse.pdf', data: data.open } }, 'test')).id;
  ids.secret = (await uploadHandling(prisma, forbundId, aprMatter.dnr, { title: SECRET_TITLE, secret: true, file: { name: 'yttrande.pdf', data: data.secret } }, 'test')).id;
  const aprItems = await prisma.agendaItem.count({ where: { meetingId: apr.id } });
  await prisma.agendaItem.create({ data: { meetingId: apr.id, number: aprItems + 1, title: aprMatter.title, kind: 'matter', matterId: aprMatter.id, proposal: 'Styrelsen beviljar 400 000 kr för 2037.' } });
  await prisma.matter.update({ where: { id: aprMatter.id }, data: { status: 'on_agenda' } });
  await prisma.meeting.update({ where: { id: apr.id }, data: { kallelseSentAt: new Date('2037-03-09T07:00:00Z') } });
  // Called: the seven ledamöter; Maria has a förhinder and Axel (her ersättare) is called in.
  const ledamoter = await prisma.bodyMembership.findMany({ where: { body: { forbundId, kind: 'styrelse' }, role: 'member' } });
  for (const l of ledamoter) {
    const maria = l.personId === people.maria.personId;
    await prisma.attendance.create({ data: { meetingId: apr.id, personId: l.personId, seat: 'ledamot', status: maria ? 'declined' : 'invited', ...(maria ? { respondedAt: new Date('2037-03-09T10:00:00Z'), replacedBy: people.axel.personId } : {}) } });
  }
  await prisma.attendance.create({ data: { meetingId: apr.id, personId: people.axel.personId, seat: 'ersattare', forPersonId: people.maria.personId, status: 'invited' } });

  // The årsredovisning for 2036, adopted by the board in February and sent to the revisorer (a StatutoryReport on its matter), with a handling and a secret one.
  const annual = await registerMatter(prisma, forbundId, { title: 'Årsredovisning 2036', kind: 'budget', owner: 'economist' }, new Date('2037-02-01T09:00:00Z'), 'test');
  ids.annual = (await uploadHandling(prisma, forbundId, annual.dnr, { title: 'Årsredovisning 2036, förslag', file: { name: 'arsredovisning.pdf', data: await pdfFile(['Arsredovisning 2036']) } }, 'test')).id;
  ids.annualSecret = (await uploadHandling(prisma, forbundId, annual.dnr, { title: 'Bilaga om enskild', secret: true, file: { name: 'bilaga.pdf', data: await pdfFile(['HEMLIG bilaga']) } }, 'test')).id;
  await prisma.statutoryReport.create({ data: { forbundId, year: 2036, kind: 'arsredovisning', matterId: annual.id, adoptedAt: new Date('2037-02-20T10:00:00Z'), adoptedBy: `beslut ${annual.dnr} § 6`, sentToAuditorsAt: new Date('2037-02-20T10:05:00Z') } });

  const app = createApp({ prisma, notifier, mailer, publicBaseUrl: base, linkSecret: 'm'.repeat(32), now: () => NOW });
  server = await new Promise((resolve) => {
    const s = app.listen(port, '127.0.0.1', () => resolve(s));
  });
}, 120_000);

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  mailer?.close();
  await smtp?.close();
  await db?.close();
});

const text = async (p: Promise<string | null>) => (await p)?.replace(/\u2060/g, '').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();
const get = async (path: string, cookie = '') => {
  const res = await fetch(`${base}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  return { status: res.status, type: res.headers.get('content-type') ?? '', location: res.headers.get('location'), body: Buffer.from(await res.arrayBuffer()) };
};

describeInChromium((newContext) => {
  const { errors, newPage, check } = browserPages(newContext, () => base, 'mina');

  /** Signed in for the browser: a session cookie set as the app sets it (see signInInBrowser), then /admin. */
  async function signIn(page: Page, who: PagePerson) {
    const cookie = await sessionCookie(who);
    const url = `${base}/admin/test-inloggning`;
    await page.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Inloggad</title>', headers: { 'set-cookie': `${cookie}; Path=/; HttpOnly; SameSite=Strict` } }));
    await page.goto(url);
    await page.goto(`${base}/admin`);
  }

  it('a ledamot signs in by e-mail link, sees the meetings, reads the secret handling and downloads the meeting pack', async () => {
    const page = await newPage();
    await page.goto(`${base}/admin/logga-in`);
    const before = smtp.messages.length;
    await page.getByLabel('Din e-postadress').fill(people.maria.email);
    await page.getByRole('button', { name: 'Skicka länk' }).click();
    await page.waitForLoadState();
    const mail = await eventually(() => {
      const m = smtp.messages.slice(before).find((x) => addresses(x.to).includes(people.maria.email));
      expect(m).toBeDefined();
      return m!;
    });
    const link = new RegExp(`${base.replace(/[.]/g, '\\.')}/admin/logga-in/lank\\?token=[A-Za-z0-9_-]+`).exec(mail.text ?? '')![0];
    await page.goto(link);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Logga in' }).click()]);
    expect(page.url()).toBe(`${base}/admin`);

    // Her own start page, her own menu.
    expect(await text(page.locator('h1').textContent())).toBe('Mina sidor');
    expect(await text(page.locator('header .who').textContent())).toBe('Maria Ledamot, ledamot');
    const menu = await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link').allTextContents();
    expect(menu).toEqual(['Start', 'Mina möten', 'Mina förhinder', 'Medlemmarnas beslut']);
    const board = page.locator('section[aria-labelledby="styrelsen"]');
    expect(await text(board.textContent())).toContain('Du är ledamot i styrelsen för Askersunds kommun.');
    expect(await text(board.locator('dl').textContent())).toContain('Förhinder anmält');
    await check(page, 'start-ledamot');

    await Promise.all([page.waitForNavigation(), page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Mina möten' }).click()]);
    expect(await text(page.locator('h1').textContent())).toBe('Mina möten 2037');
    const cards = page.locator('ul.cards > li');
    expect(await cards.count()).toBe(await db.prisma.meeting.count({ where: { forbundId, year: 2037, kind: 'styrelse' } }));
    expect(await text(cards.first().textContent())).toContain('Protokollet är justerat');
    expect(await cards.first().getByRole('link', { name: /^Protokollet \(PDF\)/ }).getAttribute('href')).toBe(`/admin/protokoll/${ids.jan}.pdf`);
    await check(page, 'moten');

    await Promise.all([page.waitForNavigation(), page.locator(`a[href="/admin/mina-moten/${ids.apr}"]`).click()]);
    const items = page.locator('section[aria-labelledby="lista"]');
    const secret = items.locator('li', { hasText: SECRET_TITLE }).last();
    expect(await text(secret.textContent())).toContain('Sekretess enligt OSL');
    expect(await secret.getByRole('link', { name: SECRET_TITLE }).getAttribute('href')).toBe(`/admin/handlingar/${ids.secret}`);
    expect(await items.getByRole('link', { name: 'Tjänsteskrivelse' }).getAttribute('href')).toBe(`/admin/handlingar/${ids.open}`);
    expect(await text(items.textContent())).toContain('Förslag till beslut: Styrelsen beviljar 400 000 kr för 2037.');
    await check(page, 'mote');

    // The secret handling itself: its very bytes, as a PDF attachment.
    const read = await page.context().request.get(`${base}/admin/handlingar/${ids.secret}`);
    expect(read.status()).toBe(200);
    expect(read.headers()['content-type']).toBe('application/pdf');
    expect(read.headers()['content-disposition']).toMatch(/^attachment; /);
    expect(Buffer.compare(await read.body(), data.secret)).toBe(0);
    // Reached through the kallelse's stable address too.
    const viaStable = await page.context().request.get(`${base}/handlingar/${ids.secret}`);
    expect(Buffer.compare(await viaStable.body(), data.secret)).toBe(0);
    // The read of a secret handling is in the audit trail, by her.
    const audited = await db.prisma.auditEvent.findFirst({ where: { forbundId, action: 'handling.read', entityId: ids.secret } });
    expect(audited?.actor).toContain('Maria Ledamot');

    // The meeting pack: the kallelse, then the handlingar, the secret one included.
    const pack = await page.context().request.get(`${base}/admin/mina-moten/${ids.apr}/motespaket.pdf`);
    expect(pack.status()).toBe(200);
    expect(pack.headers()['content-type']).toBe('application/pdf');
    const packText = await pdfText(await pack.body());
    expect(packText).toContain('Kallelse');
    expect(packText).toContain('Ansökan om medel: Steg framåt');
    expect(packText).toContain(OPEN_TEXT);
    expect(packText).toContain(SECRET_TEXT);
    const kallelse = await page.context().request.get(`${base}/admin/mina-moten/${ids.apr}/kallelse.pdf`);
    expect(await pdfText(await kallelse.body())).toContain('Styrelsen beviljar 400 000 kr för 2037.');
    const protokoll = await page.context().request.get(`${base}/admin/protokoll/${ids.jan}.pdf`);
    expect(protokoll.status()).toBe(200);
    expect(await pdfText(await protokoll.body())).toContain('Styrelsen beviljar 300 000 kr till Försteget för 2037.');

    // The decisions sent to the members.
    await page.goto(`${base}/admin/medlemmarnas-beslut`);
    expect(await text(page.locator('h1').textContent())).toBe('Medlemmarnas beslut 2037');
    expect(await text(page.locator('main').textContent())).toContain('§ 5 Ansökan om medel: Försteget');
    await check(page, 'beslut');

    // Her förhinder: recorded, with the ersättare called in, and "Jag kan ändå komma".
    await page.goto(`${base}/admin/mina-forhinder`);
    const april = page.locator(`#mote-${ids.apr}`).first();
    expect(await text(april.textContent())).toContain('Axel Ersättare är inkallad i ditt ställe.');
    expect(await april.getByRole('button', { name: /^Jag kan ändå komma/ }).count()).toBe(1);
    await check(page, 'forhinder-ledamot');
    expect(errors).toEqual([]);
  }, 120_000);

  it('the public pages never show the secret handlings: their titles, addresses and contents', async () => {
    const paths = ['/forbund/sydnarke/rapporter', '/api/v1/public/forbund/sydnarke/reports', '/forbund/sydnarke/anslag', '/api/v1/public/forbund/sydnarke/anslag'];
    for (const path of paths) {
      const r = await get(path);
      expect(r.status, path).toBe(200);
      const body = r.body.toString('utf8');
      for (const secret of [SECRET_TITLE, JAN_SECRET_TITLE, ids.secret, ids.janSecret, '/handlingar/']) expect(body, path).not.toContain(secret);
    }
    // The January protokoll is on the anslagstavla; it names no handling, the secret one least of all.
    const anslag = (await get('/forbund/sydnarke/anslag')).body.toString('utf8');
    expect(anslag).toContain(`/forbund/sydnarke/anslag/${ids.jan}/protokoll.pdf`);
    const pdf = await get(`/forbund/sydnarke/anslag/${ids.jan}/protokoll.pdf`);
    expect(pdf.status).toBe(200);
    const t = await pdfText(pdf.body);
    expect(t).toContain('Ansökan om medel: Försteget');
    expect(t).not.toContain(JAN_SECRET_TITLE);
    expect(t).not.toContain('HEMLIG');
    // The stable address asks a stranger to sign in; the bytes never leave without a session.
    const stable = await get(`/admin/handlingar/${ids.secret}`);
    expect(stable.status).toBe(303);
    expect(stable.location).toMatch(/^\/admin\/logga-in/);
    expect(stable.body.toString('latin1')).not.toContain('HEMLIGT');
  });

  it('an ersättare called in sees the meeting under Mina förhinder and reports a förhinder through the workflow', async () => {
    const page = await newPage();
    await signIn(page, people.axel);
    expect(await text(page.locator('header .who').textContent())).toBe('Axel Ersättare, ersättare');
    await page.goto(`${base}/admin/mina-forhinder`);
    const april = page.locator(`#mote-${ids.apr}`);
    expect(await text(april.textContent())).toContain('Kallad som ersättare för Maria Ledamot');
    await check(page, 'forhinder');

    await Promise.all([page.waitForNavigation(), april.getByRole('link', { name: /^Anmäl förhinder/ }).click()]);
    expect(await text(page.locator('h1').textContent())).toBe('Anmäl förhinder');
    expect(await text(page.locator('main').textContent())).toContain('Det finns ingen fler ersättare för Askersunds kommun som kan kallas in');
    await check(page, 'forhinder-fraga');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Anmäl förhinder' }).click()]);
    expect(new URL(page.url()).pathname).toBe('/admin/mina-forhinder');
    expect(await text(page.getByRole('status').textContent())).toContain('Förhindret är anmält. Ingen ersättare för samma medlem kunde kallas in');
    // Through the meeting's workflow, as himself.
    expect(notifier.updates.at(-1)).toMatchObject({ target: { meetingId: ids.apr }, name: 'declineMeeting', args: { personId: people.axel.personId } });
    expect((notifier.updates.at(-1)!.args as { actor: string }).actor).toContain('Axel Ersättare');
    expect(await text(page.locator('section[aria-labelledby="anmalda"]').textContent())).toContain('Förhinder anmält');
    await check(page, 'forhinder-anmalt');

    // And he can come after all.
    await Promise.all([page.waitForNavigation(), page.locator(`section[aria-labelledby="kommande"] #mote-${ids.apr}`).getByRole('button', { name: /^Jag kan ändå komma/ }).click()]);
    expect(notifier.updates.at(-1)).toMatchObject({ name: 'withdrawDecline', args: { personId: people.axel.personId } });
    expect(await text(page.getByRole('status').textContent())).toContain('Du är kallad till sammanträdet igen.');
    expect(errors).toEqual([]);
  }, 60_000);

  it("a samordnare sees only their projects' reports and opens one's form", async () => {
    const page = await newPage();
    await signIn(page, people.coordinator);
    expect(await text(page.locator('h1').textContent())).toBe('Mina sidor');
    expect(await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link').allTextContents()).toEqual(['Start', 'Mina rapporter']);
    await check(page, 'start-samordnare');
    await Promise.all([page.waitForNavigation(), page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Mina rapporter' }).click()]);
    const rows = page.locator('ul.reports > li');
    const mine = await db.prisma.reportingObligation.count({ where: { project: { forbundId, coordinatorId: people.coordinator.personId } } });
    expect(mine).toBeGreaterThan(0);
    expect(await rows.count()).toBe(mine);
    for (const row of await rows.allTextContents()) expect(row).toContain('På väg');
    expect(await text(page.locator('main').textContent())).not.toContain('Mottagningsteamet');
    const feed = page.locator('section[aria-labelledby="kalender"]').getByRole('link', { name: 'Kalender för På väg' });
    expect(await feed.getAttribute('href')).toMatch(new RegExp(`^${base.replace(/[.]/g, '\\.')}/feeds/projects/[0-9a-f-]{36}/reports\\.ics\\?token=`));
    await check(page, 'rapporter');

    // The link reached someone else: the coordinator changes it; the old address stops, the new one opens the feed.
    const oldFeed = (await feed.getAttribute('href'))!;
    expect((await fetch(oldFeed)).status).toBe(200);
    await Promise.all([page.waitForNavigation(), page.locator('section[aria-labelledby="kalender"]').getByRole('button', { name: 'Byt länk till kalendern för På väg' }).click()]);
    expect(await text(page.locator('main').textContent())).toContain('Kalenderlänken är bytt.');
    const newFeed = (await page.locator('section[aria-labelledby="kalender"]').getByRole('link', { name: 'Kalender för På väg' }).getAttribute('href'))!;
    expect(newFeed).not.toBe(oldFeed);
    expect((await fetch(oldFeed)).status).toBe(403);
    const ics = await fetch(newFeed);
    expect(ics.status).toBe(200);
    expect(await ics.text()).toContain('BEGIN:VCALENDAR');
    expect(await db.prisma.auditEvent.count({ where: { forbundId, action: 'link.renewed', actor: { contains: people.coordinator.personId } } })).toBe(1);

    const first = rows.first().getByRole('link');
    const href = (await first.getAttribute('href'))!;
    expect(href).toMatch(/^\/submit\/[0-9a-f-]{36}\?token=[A-Za-z0-9_-]+$/);
    const answer = await Promise.all([page.waitForNavigation(), first.click()]).then(([r]) => r);
    expect(answer?.status()).toBe(200);
    expect(await text(page.locator('h1').textContent())).toMatch(/^Kvartalsrapport|^Delårsrapport|^Helårsrapport|^Ekonomisk|^Slutrapport/);
    // The coordinator reaches nothing of the board's.
    expect((await page.goto(`${base}/admin/mina-moten`))?.status()).toBe(403);
    expect(errors).toEqual([]);
  }, 60_000);

  it("a revisor reads the justerade protokoll and the årsredovisning, and reaches nothing of the staff's", async () => {
    const page = await newPage();
    await signIn(page, people.auditor);
    expect(await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link').allTextContents()).toEqual(['Start', 'Revision']);
    await Promise.all([page.waitForNavigation(), page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Revision' }).click()]);
    expect(await text(page.locator('h1').textContent())).toBe('Revision 2037');
    const protokoll = page.locator('section[aria-labelledby="protokoll"]');
    expect(await protokoll.getByRole('link').count()).toBe(1);
    expect(await protokoll.getByRole('link').getAttribute('href')).toBe(`/admin/protokoll/${ids.jan}.pdf`);
    const annual = page.locator('section[aria-labelledby="arsredovisning"]');
    expect(await annual.getByRole('link', { name: 'Årsredovisning 2036, förslag' }).getAttribute('href')).toBe(`/admin/handlingar/${ids.annual}`);
    expect(await text(annual.textContent())).not.toContain('Bilaga om enskild');
    expect(await text(annual.locator('h3').first().textContent())).toContain('Årsredovisning 2036');
    expect(await text(annual.textContent())).toContain('Väntar på revisionsberättelsen');
    expect(await page.locator('form').count()).toBe(1); // Logga ut only: nothing to change here.
    await check(page, 'revision');

    const req = page.context().request;
    expect((await req.get(`${base}/admin/protokoll/${ids.jan}.pdf`)).status()).toBe(200);
    expect((await req.get(`${base}/admin/handlingar/${ids.annual}`)).status()).toBe(200);
    for (const id of [ids.annualSecret, ids.secret, ids.open]) expect((await req.get(`${base}/admin/handlingar/${id}`)).status(), id).toBe(403);
    expect((await req.get(`${base}/admin/mina-moten/${ids.apr}/motespaket.pdf`)).status()).toBe(403);

    // The staff's pages: refused, with a way back.
    const refused = await page.goto(`${base}/admin/arenden`);
    expect(refused?.status()).toBe(403);
    expect(await text(page.locator('h1').textContent())).toBe('Sidan är inte för dig');
    await check(page, 'inte-for-dig');
    for (const path of [`/admin/pengar/2037`, `/admin/moten/${ids.apr}`, '/admin/logg']) expect((await req.get(`${base}${path}`)).status(), path).toBe(403);
    // Nor can anything be uploaded.
    const dnr = (await db.prisma.matter.findFirstOrThrow({ where: { forbundId, title: 'Årsredovisning 2036' } })).dnr;
    const before = await db.prisma.document.count({ where: { forbundId } });
    const upload = await req.post(`${base}/admin/arenden/${dnr}/handlingar`, { headers: { origin: base }, multipart: { title: 'Revisionsberättelse', file: { name: 'rb.pdf', mimeType: 'application/pdf', buffer: await pdfFile(['Revisionsberattelse']) } } });
    expect(upload.status()).toBe(403);
    expect(await db.prisma.document.count({ where: { forbundId } })).toBe(before);
    expect(errors).toEqual([]);
  }, 60_000);
});

it('at the HTTP level: a samordnare cannot read a handling, nor a board member of another förbund; the staff still can', async () => {
  const coordinator = await sessionCookie(people.coordinator);
  for (const id of [ids.secret, ids.open, ids.annual]) {
    const r = await get(`/admin/handlingar/${id}`, coordinator);
    expect(r.status, id).toBe(403);
    expect(r.body.toString('latin1')).not.toContain('HEMLIGT');
  }
  const other = await sessionCookie(people.other);
  for (const id of [ids.secret, ids.open]) {
    const r = await get(`/admin/handlingar/${id}`, other);
    expect(r.status, id).toBe(404);
    expect(r.body.toString('latin1')).not.toContain('HEMLIGT');
  }
  // Nor the other förbund's meetings or protokoll.
  expect((await get(`/admin/mina-moten/${ids.apr}`, other)).status).toBe(404);
  expect((await get(`/admin/protokoll/${ids.jan}.pdf`, other)).status).toBe(404);
  // The official keeps the staff's start page and reads every handling.
  const official = await sessionCookie(people.official);
  const start = await get('/admin', official);
  expect(start.status).toBe(200);
  expect(start.body.toString('utf8')).toMatch(/<h1[^>]*>Att göra<\/h1>/);
  const r = await get(`/admin/handlingar/${ids.secret}`, official);
  expect(r.status).toBe(200);
  expect(Buffer.compare(r.body, data.secret)).toBe(0);
  // A person whose file role says ledamot but who has no seat has no pages.
  const seatless = await pagePerson(db.prisma, { forbundId, name: 'Lena Utan Plats', role: 'board_member', publicBaseUrl: base, now: () => NOW });
  const none = await get('/admin', await sessionCookie(seatless));
  expect(none.status).toBe(403);
  expect(none.body.toString('utf8')).toContain('Du har inga sidor här ännu');
}, 60_000);
