// The personal justering link over HTTP (supertest): the ordförande and the justerare read the
// protokoll as sent for justering (its §§ as text, the exact PDF and its SHA-256), see who has
// signed, and justerar it; a forged token shows nothing, one who does not sign or a protokoll not
// yet sent gets a 409 page, a changed PDF is refused, and Temporal away leaves nothing done.
//
// The meeting's workflow is played by a fake notifier (FakeSigningNotifier below) that records
// the signMinutes update the page sends and answers as the workflow would: it stores the
// signature (and on the last one the justering and the anslag) as recordSignature does, refuses,
// or is unreachable. So these tests are about the pages and the update they send; the real path
// through the workflow and the activity is tested with the workflow (tests/styrelse-*.test.ts).
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import { kallelsePdf } from '../domain/kallelse-pdf.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import { anslagDates } from '../domain/protokoll.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { signLink } from '../services/links.js';
import { TemporalUnavailable } from '../worker/client.js';
import { signMinutes } from '../workflows/signals.js';
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
  - { id: eva, name: Eva Ärlig, email: eva@sydnarke.example, roles: [board_member] }
  - { id: orjan, name: Örjan Åkesson, email: orjan@sydnarke.example, roles: [board_member] }
  - { id: kim, name: Kim Ledamot, email: kim@sydnarke.example, roles: [board_member] }
projects: []
bodies: { styrelse: { members: [{ person: eva, role: chair, member: kommunen }, { person: orjan, member: regionen }, { person: kim, member: fk }] } }
cycle:
  meetings:
    - { id: styrelse-02, body: styrelse, date: 2037-02-26, start: "09:00", end: "12:00", location: "Kumla stadshus, sammanträdesrum Östra" }
  milestones: { bokslut: false, budgetDialogue: false, halfYearReports: false, delar: false, budgetFollowUp: false, vpBudget: false, nextCalendar: false, stateAllocation: false, attestReview: false }
`;

type SignArgs = { actor: string; personId: string; pdfSha256: string; fromAddress: string; userAgent: string };

/** The meeting's workflow, played: records each update and answers as `mode` says (see the file's head). */
class FakeSigningNotifier extends RecordingNotifier {
  updates: { meetingId: string; name: string; args: SignArgs }[] = [];
  mode: 'sign' | 'refuse' | 'down' = 'sign';
  signers: string[] = [];
  constructor(private db: () => Database, private clock: () => Date) {
    super();
  }
  override async update(...call: unknown[]): Promise<never> {
    const [target, def, args] = call as [{ meetingId?: string }, { name: string }, unknown[]];
    const a = args[0] as SignArgs;
    this.updates.push({ meetingId: target.meetingId!, name: def.name, args: a });
    if (this.mode === 'down') throw new TemporalUnavailable('Temporal is down');
    if (this.mode === 'refuse') throw ApplicationFailure.create({ type: 'Refused', message: 'the protokoll has changed', nonRetryable: true });
    // As recordSignature does: the signature, and on the last one the justering and the anslag.
    const prisma = this.db().prisma;
    const now = this.clock();
    const role = a.personId === this.signers[0] ? 'ordforande' : 'justerare';
    await prisma.signature.create({ data: { meetingId: target.meetingId!, personId: a.personId, role, signedAt: now, fromAddress: a.fromAddress, userAgent: a.userAgent, pdfSha256: a.pdfSha256 } });
    const signed = await prisma.signature.count({ where: { meetingId: target.meetingId! } });
    let justeradAt: string | null = null;
    if (signed === this.signers.length) {
      const d = anslagDates(now.toISOString().slice(0, 10));
      await prisma.meeting.update({ where: { id: target.meetingId! }, data: { justeradAt: now, anslagPostedAt: now, anslagRemovedOn: new Date(`${d.removedOn}T00:00:00Z`) } });
      justeradAt = now.toISOString();
    }
    const person = await prisma.person.findUniqueOrThrow({ where: { id: a.personId } });
    return { signed: person.name, justeradAt } as never;
  }
}

const SECRET = 'j'.repeat(32);
const BASE = 'https://arscykel.example';
let db: Database;
let clock = new Date('2037-03-04T09:15:00Z'); // 10.15 in Stockholm
const notifier = new FakeSigningNotifier(() => db, () => clock);
let app: ReturnType<typeof createApp>;
let meetingId: string;
const ids: Record<string, string> = {};
let pdf: Buffer;
let sha256: string;

/** The path and query of a person's link; `token` replaced to forge one. */
const link = (who: string, token?: string) => {
  const u = new URL(signLink(BASE, SECRET, meetingId, ids[who]));
  if (token !== undefined) u.searchParams.set('token', token);
  return `${u.pathname}${u.search}`;
};
const pdfLink = (who: string) => link(who).replace('?', '/protokoll.pdf?');
/** The page's text as read (the page keeps dates and times together with no-break spaces). */
const text = (html: string) => html.replace(/\u00a0/g, ' ');
const post = (path: string, form: Record<string, string>) => request(app).post(path).type('form').set('user-agent', 'Mozilla/5.0 (Testlasaren)').send(form);

beforeAll(async () => {
  db = await testDatabase();
  const prisma = db.prisma;
  const { forbundId } = await importForbund(prisma, parseForbundFile(FILE, 'sydnarke.yaml'), { actor: 'test' });
  for (const p of await prisma.person.findMany({ where: { forbundId } })) ids[p.key] = p.id;
  notifier.signers = [ids.eva, ids.orjan];
  const m = await prisma.meeting.findFirstOrThrow({ where: { forbundId, key: 'styrelse-02' } });
  meetingId = m.id;
  await prisma.agendaItem.deleteMany({ where: { meetingId } });
  await prisma.agendaItem.createMany({
    data: [
      { meetingId, number: 1, title: 'Mötets öppnande', kind: 'opening', paragraph: 12 },
      { meetingId, number: 2, title: 'Val av justerare', kind: 'justerare', paragraph: 13, decision: 'Styrelsen väljer Örjan Åkesson att justera protokollet.' },
      { meetingId, number: 3, title: 'Ansökan om medel för ”Steg framåt” & <mer>', kind: 'other', paragraph: 14, decision: 'Styrelsen beviljar 450 000 kronor.', actionBy: 'official', actionDue: new Date('2037-04-30T00:00:00Z') },
    ],
  });
  await prisma.meeting.update({ where: { id: meetingId }, data: { heldAt: new Date('2037-02-26T11:00:00Z') } });
  pdf = await kallelsePdf({ forbundName: 'Samordningsförbundet Sydnärke', when: { date: '2037-02-26', start: '09:00', end: '12:00' }, items: [{ number: 1, title: 'Mötets öppnande', paragraph: 12 }], kind: 'protokoll' });
  sha256 = createHash('sha256').update(pdf).digest('hex');
  app = createApp({ prisma, notifier, publicBaseUrl: BASE, linkSecret: SECRET, now: () => clock });
});

afterAll(async () => {
  await db?.close();
});

/** As the secretary's sendMinutes does: the justerare chosen, the exact PDF stored with its SHA-256. */
async function sendForJustering() {
  await db.prisma.meeting.update({ where: { id: meetingId }, data: { justerare: 'orjan', minutesSentAt: new Date('2037-03-01T08:00:00Z'), justeringDue: new Date('2037-03-12T00:00:00Z'), protocolSha256: sha256 } });
  await db.prisma.protocolDocument.create({ data: { meetingId, pdf: new Uint8Array(pdf), sha256, createdAt: new Date('2037-03-01T08:00:00Z') } });
}

describe('the justering link', () => {
  it('a forged token: 403, a Swedish page that shows nothing of the meeting; the PDF and the POST too', async () => {
    for (const r of [await request(app).get(link('eva', 'x'.repeat(43))), await request(app).get(pdfLink('eva').replace(/token=[^&]+/, 'token=nope')), await post(link('eva', 'forged'), { sha256: 'x' })]) {
      expect(r.status).toBe(403);
      expect(r.type).toBe('text/html');
      expect(r.text).toContain('<html lang="sv">');
      expect(r.text).toContain('<h1>Länken fungerar inte</h1>');
      expect(r.text).not.toMatch(/Sydnärke|Styrelsemöte|februari|Eva|Kumla/);
    }
    // Another person's token does not open the link either.
    const other = new URL(signLink(BASE, SECRET, meetingId, ids.orjan)).searchParams.get('token')!;
    expect((await request(app).get(link('eva', other))).status).toBe(403);
    expect(notifier.updates).toEqual([]);
  });

  it('before the minutes are sent for justering: 409, the protokoll is not ready', async () => {
    const r = await request(app).get(link('eva'));
    expect(r.status).toBe(409);
    expect(text(r.text)).toContain('Protokollet är inte klart för justering');
    expect(r.text).not.toContain('Jag har läst protokollet');
    expect((await request(app).get(pdfLink('eva'))).status).toBe(409);
  });

  it('one who does not sign the protokoll: 409, nothing to sign', async () => {
    await sendForJustering();
    const r = await request(app).get(link('kim'));
    expect(r.status).toBe(409);
    expect(text(r.text)).toContain('Du justerar inte protokollet');
    expect(r.text).not.toContain('<form');
    expect((await request(app).get(pdfLink('kim'))).status).toBe(409);
  });

  it("the ordförande's page: the förbund, the meeting, the person and role, the §§ as text, the PDF and its SHA-256, who has signed, the form; opening it changes nothing", async () => {
    const r = await request(app).get(link('eva'));
    expect(r.status).toBe(200);
    expect(r.type).toBe('text/html');
    expect(r.headers['content-security-policy']).toContain("default-src 'none'");
    const t = text(r.text);
    expect(t).toMatch(/^<!doctype html><html lang="sv">/);
    expect(t).toContain('<h1>Justera protokollet</h1>');
    expect(t).toContain('Samordningsförbundet Sydnärke');
    expect(t).toContain('torsdagen den 26 februari 2037');
    expect(t).toContain('kl. 9.00–12.00');
    expect(t).toContain('Kumla stadshus, sammanträdesrum Östra');
    expect(t).toContain('Eva Ärlig (ordförande): Som ordförande justerar du protokollet från styrelsens sammanträde den 26 februari 2037.');
    // The protokoll's §§ with their decisions, escaped.
    expect(t).toContain('§ 12 Mötets öppnande');
    expect(t).toContain('§ 14 Ansökan om medel för ”Steg framåt” &amp; &lt;mer&gt;');
    expect(t).toContain('<strong>Beslut:</strong> Styrelsen beviljar 450 000 kronor.');
    expect(t).toContain('Verkställs av Olga Tjänsteman (förbundschef) senast torsdagen den 30 april 2037.');
    expect(t).not.toContain('<mer>');
    // The exact PDF, its SHA-256, and the form carrying it.
    expect(t).toContain(`href="${pdfLink('eva').replace(/&/g, '&amp;')}"`);
    expect(t).toContain(`<dd class="sha">${sha256}</dd>`);
    expect(t).toContain(`<input type="hidden" name="sha256" value="${sha256}">`);
    expect(t).toContain('<button type="submit">Jag har läst protokollet och justerar det</button>');
    expect(t).toMatch(/<form class="sign" method="post" action="\?token=[\w-]+">/);
    // Who signs: the ordförande and the justerare, neither yet.
    expect(t).toContain('Eva Ärlig, ordförande</span><span><strong>Har inte justerat ännu</strong>');
    expect(t).toContain('Örjan Åkesson, justerare</span><span><strong>Har inte justerat ännu</strong>');
    expect(t).not.toContain('Kim Ledamot');
    expect(r.headers['cache-control']).toContain('no-store');
    expect(await db.prisma.signature.count()).toBe(0);

    // The justerare's own page names their role.
    expect(text((await request(app).get(link('orjan'))).text)).toContain('Örjan Åkesson (justerare): Du är vald till justerare och ombeds justera protokollet');
  });

  it('the PDF: exactly the stored one, inline, protokoll-<date>.pdf', async () => {
    const r = await request(app).get(pdfLink('eva')).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(r.headers['content-disposition']).toBe('inline; filename="protokoll-2037-02-26.pdf"');
    const body = r.body as Buffer;
    expect(createHash('sha256').update(body).digest('hex')).toBe(sha256);
    expect(await pdfText(body)).toContain('Protokoll');
  });

  it('a PDF changed since the page was shown (another SHA-256 posted): 409, nothing sent to the workflow, the page again with a notice', async () => {
    const r = await post(link('eva'), { sha256: 'a'.repeat(64) });
    expect(r.status).toBe(409);
    expect(text(r.text)).toContain('Protokollet har ändrats sedan sidan visades, så inget justerades.');
    expect(r.text).toContain(`value="${sha256}"`);
    expect((await post(link('eva'), {})).status).toBe(409);
    expect(notifier.updates).toEqual([]);
  });

  it('Temporal away: 503, a Swedish page saying to try again; the workflow refusing: 409', async () => {
    notifier.mode = 'down';
    const down = await post(link('eva'), { sha256 });
    expect(down.status).toBe(503);
    expect(text(down.text)).toContain('Tjänsten är tillfälligt otillgänglig, och inget har ändrats. Försök igen om en stund.');
    notifier.mode = 'refuse';
    const refused = await post(link('eva'), { sha256 });
    expect(refused.status).toBe(409);
    expect(text(refused.text)).toContain('<h1>Justeringen kunde inte registreras</h1>');
    expect(notifier.updates).toHaveLength(2);
    expect(await db.prisma.signature.count()).toBe(0);
    notifier.mode = 'sign';
    notifier.updates = [];
  });

  it('the ordförande signs: the update carries who, the hash, the address and the browser; the receipt says who and when; the link then says when', async () => {
    const r = await post(link('eva'), { sha256 });
    expect(r.status).toBe(200);
    expect(notifier.updates).toHaveLength(1);
    expect(notifier.updates[0]).toMatchObject({ meetingId, name: signMinutes.name, args: { actor: 'justering-link', personId: ids.eva, pdfSha256: sha256, userAgent: 'Mozilla/5.0 (Testlasaren)' } });
    expect(notifier.updates[0].args.fromAddress).toMatch(/127\.0\.0\.1|::1/);
    const t = text(r.text);
    expect(t).toContain('<h1>Tack – din justering är registrerad</h1>');
    expect(t).toContain('Eva Ärlig (ordförande) justerade den 4 mars 2037 kl. 10.15 protokollet från styrelsens sammanträde den 26 februari 2037.');
    expect(t).toContain('Protokollet är justerat när alla har justerat det.');
    expect(t).toContain('Eva Ärlig, ordförande</span><span>Har justerat 4 mars 2037 kl. 10.15');
    expect(t).toContain('Örjan Åkesson, justerare</span><span><strong>Har inte justerat ännu</strong>');

    const again = text((await request(app).get(link('eva'))).text);
    expect(again).toContain('<h1>Du har justerat protokollet</h1>');
    expect(again).toContain('Du justerade protokollet 4 mars 2037 kl. 10.15.');
    expect(again).not.toContain('<form');
    // Sent twice (the back button): what stands, no second update.
    const twice = await post(link('eva'), { sha256 });
    expect(twice.status).toBe(200);
    expect(text(twice.text)).toContain('Du justerade protokollet 4 mars 2037 kl. 10.15.');
    expect(notifier.updates).toHaveLength(1);
  });

  it('the last signature justerar the protokoll: the receipt says so, and every link says when and by whom', async () => {
    clock = new Date('2037-03-04T09:20:00Z');
    const r = await post(link('orjan'), { sha256 });
    expect(r.status).toBe(200);
    const t = text(r.text);
    expect(t).toContain('Örjan Åkesson (justerare) justerade den 4 mars 2037 kl. 10.20 protokollet från styrelsens sammanträde den 26 februari 2037.');
    expect(t).toContain('Protokollet är nu justerat: alla har justerat det. Justeringen tillkännages på <a href="/forbund/sydnarke/anslag">förbundets anslagstavla</a>.');
    for (const who of ['eva', 'orjan']) {
      const page = text((await request(app).get(link(who))).text);
      expect(page).toContain('<h1>Protokollet är justerat</h1>');
      expect(page).toContain('Protokollet är justerat 4 mars 2037 kl. 10.20, av Eva Ärlig (ordförande) och Örjan Åkesson (justerare).');
      expect(page).toContain('det här är protokollet från styrelsens sammanträde den 26 februari 2037.');
      expect(page).not.toContain('<form');
    }
    expect(notifier.updates.map((u) => u.args.personId)).toEqual([ids.eva, ids.orjan]);
  });

  it('OpenAPI lists the link\'s routes as public', async () => {
    const doc = (await request(app).get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    expect(Object.keys(doc.paths['/meetings/{id}/justera/{personId}']).sort()).toEqual(['get', 'post']);
    expect(doc.paths['/meetings/{id}/justera/{personId}'].post.security).toEqual([]);
    expect(doc.paths['/meetings/{id}/justera/{personId}/protokoll.pdf'].get).toBeDefined();
  });
});
