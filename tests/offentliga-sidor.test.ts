// The förbund's public pages over HTTP (no login, issue 21): the start page, the board's meetings
// by year and its ICS feed, one meeting (its föredragningslista once the kallelse is sent, its
// decisions once justerat), the kallelse PDF, a public handling's bytes, the decisions with their
// search and pages, the projects and a project's page. Each rule both ways: what is out, and what
// is not yet (an agenda before its kallelse, decisions before the justering, a secret handling, a
// version uploaded after the kallelse, a withdrawn or coming project), the 404s, and nothing
// private (no e-mail address, no staff, no secret link).
import ICAL from 'ical.js';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import { createApiToken } from '../api/auth.js';
import { ForbundFileError, parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { uploadHandling } from '../services/handlingar.js';
import { importForbund } from '../services/import.js';
import { publicProjects } from '../services/publicering.js';
import { registerMatter } from '../services/styrelse.js';
import { testDatabase } from './support/database.js';
import { MEMBERS_YAML } from './support/fixtures.js';
import { RecordingNotifier } from './support/notifier.js';
import { pdfText } from './support/pdf.js';

const FILE = `
forbund: { id: sydnarke, name: Samordningsförbundet Sydnärke, email: kansli@sydnarke.example, year: 2037 }
${MEMBERS_YAML}
people:
  - { id: official, name: Olga Tjänsteman, email: olga@sydnarke.example, roles: [official] }
  - { id: secretary, name: Sixten Sekreterare, email: sixten@sydnarke.example, roles: [secretary] }
  - { id: co, name: Klara Samordnare, email: klara@sydnarke.example, roles: [coordinator] }
  - { id: anna, name: Anna Ordförande, email: anna@aby.example, roles: [board_member] }
  - { id: bo, name: Bo Ledamot, email: bo@region.example, roles: [board_member] }
  - { id: cilla, name: Cilla Ersättare, email: cilla@aby.example, roles: [board_member] }
bodies:
  styrelse:
    members:
      - { person: anna, role: chair, member: kommunen }
      - { person: bo, member: regionen }
      - { person: cilla, role: deputy, member: kommunen, order: 1 }
projects:
  - id: pa-vag
    name: På väg
    huvudman: Försäkringskassan
    purpose: "På väg ger personer som länge stått utanför arbetsmarknaden samordnat stöd mot arbete eller studier.\\n\\nInsatsen drivs av Försäkringskassan och kommunerna tillsammans."
    coordinator: co
    start: 2037-01-01
    end: 2038-12-31
    grants: { 2037: 1210000, 2038: 950000 }
    goals: [Minst 30 deltagare per år., Hälften går vidare till arbete eller studier.]
    reports: [quarterly, final]
  - { id: indraget, name: Indraget projekt, huvudman: Laxå kommun, coordinator: co, start: 2037-01-01, end: 2037-12-31, reports: [quarterly, final] }
  - { id: kommande, name: Kommande insats, huvudman: Åby kommun, coordinator: co, start: 2037-09-01, end: 2038-12-31, reports: [quarterly, final] }
cycle:
  meetings:
    - { id: styrelse-02, body: styrelse, date: 2037-02-26, location: Kumla stadshus }
    - { id: styrelse-04, body: styrelse, date: 2037-04-23, location: Hallsbergs kommunhus }
    - { id: styrelse-06, body: styrelse, date: 2037-06-11 }
    - { id: styrelse-09, body: styrelse, date: 2037-09-17 }
    - { id: beredning-04, body: beredningsgrupp, date: 2037-04-09 }
  milestones: { bokslut: false, budgetDialogue: false, halfYearReports: false, delar: false, budgetFollowUp: false, vpBudget: false, nextCalendar: false, stateAllocation: false, attestReview: false }
`;

// 1 May 2037, 10:00 in Stockholm.
const NOW = new Date('2037-05-01T08:00:00Z');
const BASE = 'https://arscykel.example';
const S = '/forbund/sydnarke';
const TEXT = {
  proposalApril: 'Styrelsen beviljar Steg framåt 400 000 kr för 2037.',
  draftTitle: 'Utkast: Omorganisation av kansliet',
  unjusteradDecision: 'Styrelsen beslutar enligt förslaget (protokollet är inte justerat).',
  decidedFunding: 'Styrelsen beviljar På väg 1 210 000 kr för 2037 och uppdrar åt förbundschefen att teckna avtal.',
  narrative: 'Första kvartalet: 18 deltagare har börjat.',
};

let db: Database;
let app: ReturnType<typeof createApp>;
const id: Record<string, string> = {};
const doc: Record<string, string> = {};
const dnr: Record<string, string> = {};
let forbundId: string;
/** Text as read: the pages keep dates and numbers together with no-break spaces. */
const text = (html: string) => html.replace(/\u00a0/g, ' ').replace(/&nbsp;/g, ' ');
const pdf = (t: string) => ({ name: `${t}.pdf`, data: Buffer.from(`%PDF-1.4\n% ${t}\n%%EOF\n`) });
const binary = (r: request.Test) =>
  r.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });

/** Nothing private: no e-mail address, no staff or coordinator by name, no secret link. */
function expectNothingPrivate(body: string) {
  expect(body).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.-]+|mailto:/);
  expect(body).not.toMatch(/Olga|Sixten|Klara|token=|\/submit\/|\/feeds\/|\/justera\/|\/forhinder\//);
  expect(body).not.toMatch(/Hemlig bilaga|Sent uppladdad|Utkast till yttrande/);
  expect(body).not.toContain(TEXT.draftTitle);
  expect(body).not.toContain(TEXT.unjusteradDecision);
  // What a person reads is Swedish: no role key or kind code in the text (tags and attributes aside).
  const read = body.replace(/<style>[\s\S]*?<\/style>/g, '').replace(/<[^>]*>/g, ' ');
  expect(read).not.toMatch(/(?<![\p{L}\p{N}_-])(official|secretary|chair|vice_chair|board_member|member|deputy|coordinator|funding_application|opening|undefined|null|NaN)(?![\p{L}\p{N}_-])/iu);
}

beforeAll(async () => {
  db = await testDatabase();
  const prisma = db.prisma;
  forbundId = (await importForbund(prisma, parseForbundFile(FILE, 'sydnarke.yaml'), { actor: 'test' })).forbundId;
  for (const m of await prisma.meeting.findMany({ where: { forbundId } })) id[m.key] = m.id;
  // Other years: 2036 (a link on the page, not in the feed), 2038 (in the feed: next year), 2039 (not in the feed).
  const other = async (key: string, day: string) =>
    (id[key] = (await prisma.meeting.create({ data: { forbundId, year: Number(day.slice(0, 4)), key, kind: 'styrelse', title: 'Styrelsemöte', startsAt: new Date(`${day}T08:00:00Z`), endsAt: new Date(`${day}T11:00:00Z`), location: 'Kumla stadshus' } })).id);
  await other('styrelse-2036', '2036-11-20');
  await other('styrelse-2038', '2038-02-25');
  await other('styrelse-2039', '2039-02-24');

  const matter = async (key: string, title: string, kind: 'funding_application' | 'report' | 'other' = 'other') => {
    const m = await registerMatter(prisma, forbundId, { title, kind, owner: 'official' }, new Date('2037-01-10T09:00:00Z'), 'test');
    dnr[key] = m.dnr;
    return m;
  };
  const upload = async (key: string, dnrOf: string, title: string, secret = false) => (doc[key] = (await uploadHandling(prisma, forbundId, dnrOf, { title, secret, file: pdf(key) }, 'test')).id);

  // February: held and justerat, its anslag up: 30 decisions (two pages), one of them a funding decision with a handling.
  const feb = id['styrelse-02'];
  const funding = await matter('funding', 'Ansökan om medel: På väg', 'funding_application');
  await upload('febPublic', funding.dnr, 'Ansökan På väg');
  await prisma.meeting.update({ where: { id: feb }, data: { kallelseSentAt: new Date('2037-02-19T07:00:00Z'), heldAt: new Date('2037-02-26T11:00:00Z'), minutesSentAt: new Date('2037-02-27T10:00:00Z'), justeradAt: new Date('2037-03-04T09:20:00Z'), anslagPostedAt: new Date('2037-03-04T09:20:00Z'), anslagRemovedOn: new Date('2037-03-25T00:00:00Z'), protocolSha256: 'ab'.repeat(32) } });
  await prisma.agendaItem.deleteMany({ where: { meetingId: feb } });
  for (let n = 1; n <= 30; n++) {
    await prisma.agendaItem.create({
      data:
        n === 6
          ? { meetingId: feb, number: n, title: 'Ansökan om medel: På väg', kind: 'matter', matterId: funding.id, paragraph: n, decision: TEXT.decidedFunding, proposal: 'Styrelsen beviljar På väg 1 210 000 kr för 2037.' }
          : { meetingId: feb, number: n, title: `Ärende nummer ${n}`, kind: 'other', paragraph: n, decision: `Styrelsen lägger ärende ${n} till handlingarna.` },
    });
  }

  // April: the kallelse sent, held, minutes not justerat: the agenda is public, its decisions not.
  const apr = id['styrelse-04'];
  const steg = await matter('steg', 'Ansökan om medel: Steg framåt', 'funding_application');
  await upload('aprPublic', steg.dnr, 'Tjänsteskrivelse Steg framåt');
  await upload('aprSecret', steg.dnr, 'Hemlig bilaga om enskild', true);
  await upload('aprLate', steg.dnr, 'Sent uppladdad kalkyl');
  await prisma.meeting.update({ where: { id: apr }, data: { kallelseSentAt: new Date('2037-04-16T06:00:00Z'), heldAt: new Date('2037-04-23T11:00:00Z') } });
  // Uploaded after the kallelse went: not sent out, so not public.
  await prisma.document.update({ where: { id: doc.aprLate }, data: { uploadedAt: new Date('2037-04-20T10:00:00Z') } });
  await prisma.agendaItem.deleteMany({ where: { meetingId: apr } });
  await prisma.agendaItem.create({ data: { meetingId: apr, number: 1, title: 'Mötets öppnande', kind: 'opening' } });
  await prisma.agendaItem.create({ data: { meetingId: apr, number: 2, title: 'Ansökan om medel: Steg framåt', kind: 'matter', matterId: steg.id, proposal: TEXT.proposalApril, paragraph: 31, decision: TEXT.unjusteradDecision } });

  // June: the kallelse not sent: nothing of its agenda is public, nor its matter's handlingar.
  const jun = id['styrelse-06'];
  const draft = await matter('draft', TEXT.draftTitle);
  await upload('junDraft', draft.dnr, 'Utkast till yttrande');
  await prisma.agendaItem.deleteMany({ where: { meetingId: jun } });
  await prisma.agendaItem.create({ data: { meetingId: jun, number: 1, title: TEXT.draftTitle, kind: 'matter', matterId: draft.id, proposal: 'Ett förslag som inte är ute.' } });

  // September: cancelled (moved once before).
  await prisma.meeting.update({ where: { id: id['styrelse-09'] }, data: { status: 'cancelled', sequence: 2 } });

  // The withdrawn project is not public; the one starting in September not yet.
  await prisma.project.update({ where: { forbundId_key: { forbundId, key: 'indraget' } }, data: { status: 'withdrawn' } });
  // På väg's first quarter: submitted and approved.
  const q1 = await prisma.reportingObligation.findFirstOrThrow({ where: { project: { forbundId, key: 'pa-vag' }, kind: 'quarterly', periodEnd: new Date('2037-03-31T00:00:00Z') } });
  await prisma.submission.create({ data: { obligationId: q1.id, version: 1, submittedAt: new Date('2037-04-10T09:30:00Z'), late: false, figures: { participantsActive: 18 }, narrative: TEXT.narrative, submittedBy: 'Klara Samordnare', reviewStatus: 'approved', reviewedAt: new Date('2037-04-12T09:30:00Z'), reviewedBy: 'Olga Tjänsteman' } });
  await prisma.reportingObligation.update({ where: { id: q1.id }, data: { status: 'submitted' } });

  app = createApp({ prisma, notifier: new RecordingNotifier(), publicBaseUrl: BASE, linkSecret: 's'.repeat(32), now: () => NOW });
});

afterAll(async () => {
  await db?.close();
});

describe('the start page and the navigation', () => {
  it('no login, Swedish, what the förbund is, its members and board by name (no address), the coming meetings, and links to every public page and the open data', async () => {
    const r = await request(app).get(S);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    expect(r.headers['content-security-policy']).toContain("default-src 'none'");
    expect(r.headers['ratelimit-policy']).toBeTruthy();
    const t = text(r.text);
    expect(t).toMatch(/^<!doctype html><html lang="sv">/);
    expect(t).toContain('<h1>Samordningsförbundet Sydnärke</h1>');
    expect(t).toContain('samordningsförbund enligt lagen (2003:1210)');
    for (const m of ['Åby kommun', 'Region Östra Sjö', 'Försäkringskassan', 'Arbetsförmedlingen']) expect(t).toContain(`<li>${m}</li>`);
    expect(t).toContain('Anna Ordförande, ordförande (Åby kommun)');
    expect(t).toContain('Bo Ledamot, ledamot (Region Östra Sjö)');
    expect(t).toContain('Cilla Ersättare, ersättare (Åby kommun)');
    // The coming meetings: June (and September, cancelled); not February or April, past.
    const coming = t.split('<h2 id="nasta">')[1].split('</section>')[0];
    expect(coming).toContain('torsdagen den 11 juni 2037');
    expect(coming).toMatch(/torsdagen den 17 september 2037.*Inställt/);
    expect(coming).not.toContain('april');
    for (const href of [`${S}/moten`, `${S}/beslut`, `${S}/anslag`, `${S}/insatser`, `${S}/rapporter`, '/oparl/v1/body/sydnarke']) {
      expect(t).toContain(`href="${href}"`);
      expect((await request(app).get(href)).status, href).toBe(200);
    }
    // The shared navigation, the start page marked as the current page.
    expect(t).toContain(`<nav class="public" aria-label="Förbundets sidor"><ul><li><a href="${S}" aria-current="page">Start</a></li><li><a href="${S}/moten">Sammanträden</a></li>`);
    expectNothingPrivate(t);
  });

  it('the navigation is on the anslagstavla too, with Anslagstavla marked', async () => {
    const t = text((await request(app).get(`${S}/anslag`)).text);
    expect(t).toContain(`<a href="${S}/anslag" aria-current="page">Anslagstavla</a>`);
    expect(t).toContain(`<p class="brand"><a href="${S}">Samordningsförbundet Sydnärke</a></p>`);
  });

  it('an unknown förbund: the Swedish 404 page on every public page', async () => {
    for (const p of ['', '/moten', '/moten.ics', `/moten/${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}`, '/beslut', '/insatser', '/insatser/pa-vag', `/handlingar/${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}`]) {
      const r = await request(app).get(`/forbund/finns-inte${p}`);
      expect(r.status, p).toBe(404);
      expect(r.text).toContain('<h1>Sidan finns inte</h1>');
    }
  });

  it('OpenAPI lists the routes as public', async () => {
    const doc = (await request(app).get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    for (const p of ['/forbund/{slug}', '/forbund/{slug}/moten', '/forbund/{slug}/moten.ics', '/forbund/{slug}/moten/{id}', '/forbund/{slug}/moten/{id}/kallelse.pdf', '/forbund/{slug}/handlingar/{id}', '/forbund/{slug}/beslut', '/forbund/{slug}/insatser', '/forbund/{slug}/insatser/{key}'])
      expect(doc.paths[p]?.get?.security, p).toEqual([]);
  });
});

describe("the board's meetings", () => {
  it('the year (this year by default): each board meeting with day, time, place, what is out; the cancelled one marked; no other body; links to the other years', async () => {
    const r = await request(app).get(`${S}/moten`);
    expect(r.status).toBe(200);
    const t = text(r.text);
    expect(t).toContain('<h1>Styrelsens sammanträden 2037</h1>');
    const items = t.split('<ol class="meetings"')[1].split('</ol>')[0].split(/<li(?= class="cancelled"><h3|><h3)/).slice(1);
    expect(items).toHaveLength(4);
    const [feb, apr, jun, sep] = items;
    expect(feb).toContain(`href="${S}/moten/${id['styrelse-02']}">Styrelsemöte 26 februari 2037</a>`);
    expect(feb).toContain('torsdagen den 26 februari 2037, kl. 9.00–12.00');
    expect(feb).toContain('<dt>Plats</dt><dd>Kumla stadshus</dd>');
    expect(feb).toContain('Protokollet justerades 4 mars 2037.');
    expect(feb).toContain(`href="${S}/moten/${id['styrelse-02']}/kallelse.pdf"`);
    expect(feb).toContain(`href="${S}/anslag/${id['styrelse-02']}/protokoll.pdf"`);
    expect(apr).toContain('Kallelsen skickades 16 april 2037.');
    expect(apr).toContain(`href="${S}/moten/${id['styrelse-04']}/kallelse.pdf"`);
    expect(apr).not.toContain('protokoll.pdf');
    expect(jun).toContain('Kallelsen är inte skickad ännu.');
    expect(jun).not.toContain('.pdf');
    expect(sep).toContain('class="cancelled"');
    expect(sep).toContain('<span class="tag cancelled">Inställt</span>');
    expect(sep).toContain('Sammanträdet är inställt.');
    expect(t).not.toContain('9 april 2037'); // the beredningsgrupp's meeting
    // The years with meetings, this one current.
    expect(t).toContain(`<a href="${S}/moten?ar=2036">2036</a>`);
    expect(t).toContain(`<a href="${S}/moten?ar=2037" aria-current="page">2037</a>`);
    expect(t).toContain(`<a href="${S}/moten?ar=2039">2039</a>`);
    // The calendar to subscribe to, with how.
    expect(t).toContain(`${BASE}/forbund/sydnarke/moten.ics`);
    expect(t).toMatch(/Outlook: .*Google Kalender: .*Apple Kalender: /);
    expect(t).toContain(`<a href="${S}/moten" aria-current="page">Sammanträden</a>`);
    expectNothingPrivate(t);
  });

  it('another year by ?ar=; a year without meetings says so; a bad year is this year', async () => {
    const y2036 = text((await request(app).get(`${S}/moten?ar=2036`)).text);
    expect(y2036).toContain('<h1>Styrelsens sammanträden 2036</h1>');
    expect(y2036).toContain('20 november 2036');
    expect(y2036).not.toContain('26 februari 2037');
    expect(text((await request(app).get(`${S}/moten?ar=2045`)).text)).toContain('Styrelsen har inga sammanträden inlagda för 2045.');
    expect(text((await request(app).get(`${S}/moten?ar=tjugo`)).text)).toContain('<h1>Styrelsens sammanträden 2037</h1>');
  });

  it('the ICS feed: this year and next, stable UIDs, SEQUENCE from the meeting, the cancelled one CANCELLED; no attendee, organizer or address', async () => {
    const r = await request(app).get(`${S}/moten.ics`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const ics = r.text;
    const cal = new ICAL.Component(ICAL.parse(ics));
    expect(cal.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(cal.getFirstPropertyValue('x-wr-calname')).toBe('Samordningsförbundet Sydnärke – styrelsens sammanträden');
    const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    const keyOf = (uid: string) => Object.keys(id).find((k) => uid.includes(id[k]));
    expect(events.map((e) => keyOf(e.uid))).toEqual(['styrelse-02', 'styrelse-04', 'styrelse-06', 'styrelse-09', 'styrelse-2038']);
    const sep = events[3];
    expect(sep.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(sep.sequence).toBe(2);
    expect(events[0].component.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(events[0].sequence).toBe(0);
    expect(events[0].location).toBe('Kumla stadshus');
    expect(events[0].summary).toBe('Styrelsemöte – Samordningsförbundet Sydnärke');
    expect(events[0].startDate.toJSDate().toISOString()).toBe('2037-02-26T08:00:00.000Z');
    expect(events[0].component.getFirstPropertyValue('url')).toBe(`${BASE}/forbund/sydnarke/moten/${id['styrelse-02']}`);
    expect(ics).not.toMatch(/ATTENDEE|ORGANIZER|mailto:|token=/i);
    expect(ics).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.-]+/);
    // Stable: the same UIDs when asked again.
    const again = new ICAL.Component(ICAL.parse((await request(app).get(`${S}/moten.ics`)).text)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v).uid);
    expect(again).toEqual(events.map((e) => e.uid));
  });
});

describe('one meeting', () => {
  it('before its kallelse: the facts only, no agenda, no matter, no handling, no kallelse PDF', async () => {
    const r = await request(app).get(`${S}/moten/${id['styrelse-06']}`);
    expect(r.status).toBe(200);
    const t = text(r.text);
    expect(t).toContain('<h1>Styrelsemöte 11 juni 2037</h1>');
    expect(t).toContain('Föredragningslistan och handlingarna publiceras här när kallelsen har skickats.');
    expect(t).toContain('<dt>Kallelse</dt><dd>inte skickad ännu</dd>');
    expect(t).not.toContain(dnr.draft);
    expect(t).not.toContain('Ett förslag som inte är ute.');
    expect(t).not.toContain('kallelse.pdf');
    expect(t).toContain(`<a href="${S}/moten" aria-current="true">Sammanträden</a>`);
    expectNothingPrivate(t);
    expect((await request(app).get(`${S}/moten/${id['styrelse-06']}/kallelse.pdf`)).status).toBe(404);
    expect((await request(app).get(`${S}/handlingar/${doc.junDraft}`)).status).toBe(404);
  });

  it('a meeting held without a kallelse here (called before the förbund used Årscykel) says so and where to ask, not that the kallelse is still to come', async () => {
    const later = createApp({ prisma: db.prisma, notifier: new RecordingNotifier(), publicBaseUrl: BASE, linkSecret: 's'.repeat(32), now: () => new Date('2037-07-01T08:00:00Z') });
    const t = text((await request(later).get(`${S}/moten/${id['styrelse-06']}`)).text);
    expect(t).toContain('<dt>Kallelse</dt><dd>inte publicerad här</dd>');
    expect(t).toContain('<dt>Protokoll</dt><dd>inte publicerat här</dd>');
    expect(t).toContain('kan begäras ut från förbundet');
    expect(t).not.toContain('inte skickad ännu');
    const year = text((await request(later).get(`${S}/moten?ar=2037`)).text);
    expect(year).toContain('kan begäras ut från förbundet');
    expect(year).not.toContain('Kallelsen är inte skickad ännu.');
  });

  it('the kallelse sent: the föredragningslista with förslag, Dnr and the public handling linked (not the secret one, nor the version uploaded later); no decisions before the justering', async () => {
    const t = text((await request(app).get(`${S}/moten/${id['styrelse-04']}`)).text);
    expect(t).toContain('<h1>Styrelsemöte 23 april 2037</h1>');
    expect(t).toContain('<dt>Kallelse</dt><dd>skickad 16 april 2037</dd>');
    expect(t).toContain('<h3>1. Mötets öppnande</h3>');
    expect(t).toContain('<h3>2. Ansökan om medel: Steg framåt</h3>');
    expect(t).toContain(`<dt>Diarienummer</dt><dd>${dnr.steg}</dd>`);
    expect(t).toContain(`<p><strong>Förslag till beslut</strong></p><p>${TEXT.proposalApril}</p>`);
    expect(t).toContain(`<a href="${S}/handlingar/${doc.aprPublic}">Tjänsteskrivelse Steg framåt</a>`);
    expect(t).not.toContain(doc.aprSecret);
    expect(t).not.toContain(doc.aprLate);
    expect(t).not.toContain('§ 31');
    expect(t).toContain('Besluten publiceras när protokollet har justerats.');
    expect(t).toContain(`href="${S}/moten/${id['styrelse-04']}/kallelse.pdf"`);
    expectNothingPrivate(t);
  });

  it('justerat: the decisions by § and the protokoll', async () => {
    const t = text((await request(app).get(`${S}/moten/${id['styrelse-02']}`)).text);
    expect(t).toContain('<h2 id="foredragningslista">Föredragningslista och beslut</h2>');
    expect(t).toContain('<dt>Protokoll</dt><dd>justerat 4 mars 2037</dd>');
    const six = t.split('<h3>6. Ansökan om medel: På väg</h3>')[1].split('<h3>7.')[0];
    expect(six).toContain('<dt>Paragraf</dt><dd>§ 6</dd>');
    expect(six).toContain(`<dd>${dnr.funding}</dd>`);
    expect(six).toContain(`<p><strong>Beslut</strong></p><p>${TEXT.decidedFunding}</p>`);
    expect(six).toContain(`href="${S}/handlingar/${doc.febPublic}"`);
    expect(t).toContain(`href="${S}/anslag/${id['styrelse-02']}/protokoll.pdf"`);
    expectNothingPrivate(t);
  });

  it('the cancelled meeting says so', async () => {
    expect(text((await request(app).get(`${S}/moten/${id['styrelse-09']}`)).text)).toContain('<strong>Sammanträdet är inställt.</strong>');
  });

  it('404 page for a meeting that is not the board\'s, unknown, of another förbund or not an id', async () => {
    for (const m of [id['beredning-04'], 'a1b2c3d4-0000-4000-8000-000000000000', 'inte-ett-id']) {
      const r = await request(app).get(`${S}/moten/${m}`);
      expect(r.status).toBe(404);
      expect(r.text).toContain('<h1>Sidan finns inte</h1>');
      expect(r.text).toContain('Det finns inget sammanträde med styrelsen på den här adressen.');
      expect(r.text).toContain('<html lang="sv">');
      expect((await request(app).get(`${S}/moten/${m}/kallelse.pdf`)).status).toBe(404);
    }
  });

  it('the kallelse PDF: the föredragningslista with förslag and Dnr, the public handling linked to its public address, the secret one and the late one not there; no address, no secret link', async () => {
    const r = await binary(request(app).get(`${S}/moten/${id['styrelse-04']}/kallelse.pdf`));
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(r.headers['content-disposition']).toBe('inline; filename="kallelse-2037-04-23.pdf"');
    const bytes = r.body as Buffer;
    const printed = await pdfText(bytes);
    for (const part of ['Samordningsförbundet Sydnärke', '23 april 2037', 'Hallsbergs kommunhus', 'Mötets öppnande', 'Ansökan om medel: Steg framåt', `Dnr ${dnr.steg}`, TEXT.proposalApril, 'Tjänsteskrivelse Steg framåt', 'Anna Ordförande', 'Sixten Sekreterare'])
      expect(printed).toContain(part);
    expect(printed).not.toMatch(/Hemlig bilaga|Sent uppladdad/);
    expect(printed).not.toContain(TEXT.unjusteradDecision);
    expect(printed).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.-]+/);
    // The link in the PDF: the handling's public address, nothing else.
    const raw = bytes.toString('latin1');
    const uris = [...raw.matchAll(/\/URI \(([^)]*)\)/g)].map((m) => m[1]);
    expect(uris).toEqual([`${BASE}/forbund/sydnarke/handlingar/${doc.aprPublic}`]);
    expect(raw).not.toMatch(/token=|mailto:|\/admin\//);
  });

  it('the kallelse PDF of a justerat meeting is still the kallelse, without the decisions', async () => {
    const printed = await pdfText((await binary(request(app).get(`${S}/moten/${id['styrelse-02']}/kallelse.pdf`))).body as Buffer);
    expect(printed).toContain('Ansökan om medel: På väg');
    expect(printed).not.toContain(TEXT.decidedFunding);
  });
});

describe('a public handling', () => {
  it('its bytes with the content type and file name of the record', async () => {
    const r = await binary(request(app).get(`${S}/handlingar/${doc.aprPublic}`));
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(r.headers['content-disposition']).toMatch(/^attachment; filename=".*\.pdf"/);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect((r.body as Buffer).toString('latin1')).toContain('% aprPublic');
  });

  it('404 for a secret handling, a version uploaded after the kallelse, a handling of a matter whose kallelse is not sent, another förbund, an unknown id', async () => {
    for (const d of [doc.aprSecret, doc.aprLate, doc.junDraft, 'a1b2c3d4-0000-4000-8000-000000000000', 'x']) {
      const r = await request(app).get(`${S}/handlingar/${d}`);
      expect(r.status, d).toBe(404);
      expect(r.text).toContain('<h1>Sidan finns inte</h1>');
      expect(r.text).not.toContain('% ');
    }
    expect((await request(app).get(`/forbund/annat/handlingar/${doc.aprPublic}`)).status).toBe(404);
  });
});

describe('the decisions', () => {
  it('from justerade protokoll only, by §, 25 a page with a link to the next', async () => {
    const t = text((await request(app).get(`${S}/beslut`)).text);
    expect(t).toContain('<h1>Styrelsens beslut</h1>');
    expect(t).toContain('30 beslut. Sida 1 av 2.');
    const items = t.split('<ol class="decisions">')[1].split('</ol>')[0].split('<li>').slice(1);
    expect(items).toHaveLength(25);
    expect(items[0]).toContain('<h3>§ 1 Ärende nummer 1</h3>');
    expect(items[0]).toContain(`<a href="${S}/moten/${id['styrelse-02']}">Styrelsen 26 februari 2037</a>`);
    expect(items[5]).toContain('<h3>§ 6 Ansökan om medel: På väg</h3>');
    expect(items[5]).toContain(`<dt>Diarienummer</dt><dd>${dnr.funding}</dd>`);
    expect(items[5]).toContain(TEXT.decidedFunding);
    expect(t).toContain(`<a href="${S}/beslut?sida=2" rel="next">Nästa sida`);
    expect(t).not.toContain('Föregående sida');
    expect(t).not.toContain(TEXT.unjusteradDecision);
    expect(t).toContain(`<label for="q">Sök bland besluten</label>`);
    expect(t).toContain('<button type="submit">Sök</button>');
    expectNothingPrivate(t);
    const two = text((await request(app).get(`${S}/beslut?sida=2`)).text);
    expect(two.split('<ol class="decisions">')[1].split('</ol>')[0].split('<li>').slice(1)).toHaveLength(5);
    expect(two).toContain('<h3>§ 26 Ärende nummer 26</h3>');
    expect(two).toContain(`<a href="${S}/beslut" rel="prev">Föregående sida`);
    expect(two).not.toContain('Nästa sida');
    // Beyond the last page: the last page.
    expect(text((await request(app).get(`${S}/beslut?sida=9`)).text)).toContain('Sida 2 av 2.');
  });

  it('the search over title, decision and Dnr; the year; an empty result says so', async () => {
    const byTitle = text((await request(app).get(`${S}/beslut`).query({ q: 'på väg' })).text);
    expect(byTitle).toContain('Ett beslut som matchar ”på väg”.');
    expect(byTitle).toContain('§ 6 Ansökan om medel: På väg');
    expect(byTitle).toContain('value="på väg"');
    const byDecision = text((await request(app).get(`${S}/beslut`).query({ q: 'avtal' })).text);
    expect(byDecision).toContain('§ 6 Ansökan om medel: På väg');
    const byDnr = text((await request(app).get(`${S}/beslut`).query({ q: dnr.funding })).text);
    expect(byDnr).toContain('Ett beslut som matchar');
    expect(byDnr).toContain('§ 6 Ansökan om medel: På väg');
    // Decisions not justerat are not found either.
    const unjusterat = text((await request(app).get(`${S}/beslut`).query({ q: 'Steg framåt' })).text);
    expect(unjusterat).toContain('Inga beslut som matchar ”Steg framåt”.');
    expect(unjusterat).not.toContain('<ol class="decisions">');
    const byYear = text((await request(app).get(`${S}/beslut?ar=2036`)).text);
    expect(byYear).toContain('Inga beslut från 2036.');
    expect(text((await request(app).get(`${S}/beslut?ar=2037`)).text)).toContain('30 beslut från 2037.');
    // Escaped, both in the field and in the answer.
    const hostile = (await request(app).get(`${S}/beslut`).query({ q: '<script>alert(1)</script>' })).text;
    expect(hostile).not.toContain('<script>');
    expect(hostile).toContain('&lt;script&gt;');
  });
});

describe('the projects', () => {
  it('those the publication rule lists (not the withdrawn one, not one starting later), each with its purpose', async () => {
    const listed = (await publicProjects(db.prisma, forbundId, '2037-05-01')).map((p) => p.key);
    expect(listed).toEqual(['pa-vag']);
    const t = text((await request(app).get(`${S}/insatser`)).text);
    expect(t).toContain('<h1>Insatser</h1>');
    expect(t).toContain(`<a href="${S}/insatser/pa-vag">På väg</a>`);
    expect(t).toContain('På väg ger personer som länge stått utanför arbetsmarknaden samordnat stöd mot arbete eller studier.');
    expect(t).not.toContain('Insatsen drivs av'); // only the first sentence in the list
    expect(t).not.toMatch(/Indraget|Kommande/);
    expectNothingPrivate(t);
  });

  it("a project's page: purpose, period, huvudman, grants per year in kronor, goals, and the report the rule publishes", async () => {
    const r = await request(app).get(`${S}/insatser/pa-vag`);
    expect(r.status).toBe(200);
    const t = text(r.text);
    expect(t).toContain('<h1>På väg</h1>');
    expect(t).toContain('<div class="lead"><p>På väg ger personer som länge stått utanför arbetsmarknaden samordnat stöd mot arbete eller studier.</p><p>Insatsen drivs av Försäkringskassan och kommunerna tillsammans.</p></div>');
    expect(t).toContain('<dt>Period</dt><dd>1 januari 2037–31 december 2038</dd>');
    expect(t).toContain('<dt>Huvudman</dt><dd>Försäkringskassan</dd>');
    expect(t).toContain('<tr><th scope="row">2037</th><td>1 210 000 kr</td></tr><tr><th scope="row">2038</th><td>950 000 kr</td></tr>');
    expect(t).toContain('<li>Minst 30 deltagare per år.</li><li>Hälften går vidare till arbete eller studier.</li>');
    expect(t).toContain(`<a href="${S}/insatser" aria-current="true">Insatser</a>`);
    // The report: exactly what the publication rule publishes today.
    const report = (await publicProjects(db.prisma, forbundId, '2037-05-01')).find((p) => p.key === 'pa-vag')!.report;
    if (report) {
      expect(t).toContain(report.narrative);
      expect(t).toContain('<h3 class="report-title">');
    } else {
      expect(t).not.toContain(TEXT.narrative);
      expect(t).toContain('Ingen rapport har publicerats ännu.');
    }
    expectNothingPrivate(t);
  });

  it('404 page for a withdrawn, a coming or an unknown project', async () => {
    for (const k of ['indraget', 'kommande', 'finns-inte', 'Ö']) {
      const r = await request(app).get(`${S}/insatser/${encodeURIComponent(k)}`);
      expect(r.status, k).toBe(404);
      expect(r.text).toContain('Det finns ingen insats på den här adressen.');
    }
  });
});

describe("a project's purpose", () => {
  it('the förbund file: free text over paragraphs, screened like all free text (a personnummer refused, naming the field)', () => {
    const withPurpose = (purpose: string) => FILE.replace(/purpose: "[^"]*"/, `purpose: ${JSON.stringify(purpose)}`);
    expect(parseForbundFile(withPurpose('Första stycket.\n\nAndra stycket.'), 'sydnarke.yaml').projects[0].purpose).toBe('Första stycket.\n\nAndra stycket.');
    let error: unknown;
    try {
      parseForbundFile(withPurpose('Insatsen för 19850101-1234 och andra.'), 'sydnarke.yaml');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ForbundFileError);
    expect((error as ForbundFileError).message).toMatch(/\/projects\/0\/purpose.*personnummer/);
    expect(parseForbundFile(FILE.replace(/^    purpose: .*$/m, ''), 'sydnarke.yaml').projects[0].purpose).toBeUndefined();
  });

  it('the project API: POST and PATCH take it, a personnummer is refused; the public page shows it at once', async () => {
    const token = await createApiToken(db.prisma, { forbundId, name: 'official', role: 'admin' });
    const api = (method: 'post' | 'patch', path: string, body: object) => request(app)[method](`/api/v1/forbund/sydnarke${path}`).set('Authorization', `Bearer ${token}`).send(body);
    const created = await api('post', '/projects', { key: 'steg-framat', name: 'Steg framåt', huvudman: 'Kumla kommun', purpose: 'Unga vuxna i Kumla får stöd mot arbete.', coordinator: { key: 'co' }, start: '2037-01-01', end: '2037-12-31', reports: [] });
    expect(created.status).toBe(201);
    expect(created.body.purpose).toBe('Unga vuxna i Kumla får stöd mot arbete.');
    expect(text((await request(app).get(`${S}/insatser/steg-framat`)).text)).toContain('<div class="lead"><p>Unga vuxna i Kumla får stöd mot arbete.</p></div>');
    const changed = await api('patch', '/projects/steg-framat', { purpose: 'Unga vuxna i Kumla får samordnat stöd mot arbete eller studier.\n\nHuvudman är Kumla kommun.' });
    expect(changed.status).toBe(200);
    expect(changed.body.changed).toBe(true);
    expect(text((await request(app).get(`${S}/insatser/steg-framat`)).text)).toContain('<p>Unga vuxna i Kumla får samordnat stöd mot arbete eller studier.</p><p>Huvudman är Kumla kommun.</p>');
    const refused = await api('patch', '/projects/steg-framat', { purpose: 'Gäller 19850101-1234.' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['purpose']);
    const cleared = await api('patch', '/projects/steg-framat', { purpose: null });
    expect(cleared.body.purpose).toBe('');
  });
});

describe('kept ready', () => {
  it('a page is kept with an ETag (304 for a reader who has it), and a change shows at once', async () => {
    const first = await request(app).get(`${S}/moten`);
    expect((await request(app).get(`${S}/moten`).set('If-None-Match', first.headers.etag)).status).toBe(304);
    await db.prisma.meeting.update({ where: { id: id['styrelse-06'] }, data: { location: 'Laxå folkets hus' } });
    const after = await request(app).get(`${S}/moten`);
    expect(after.headers.etag).not.toBe(first.headers.etag);
    expect(after.text).toContain('Laxå folkets hus');
  });
});
