// The statutory year on Temporal's time-skipping test server, with the production worker, the real
// activities, a real database and a real SMTP server: from 31 December through the board's adoption
// of the årsredovisning (the protokoll justerat), the revisorer, the revisionsberättelse, the four
// members' decisions on ansvarsfrihet (one through the registrator's link, one refused → a matter
// for the board, one late and reminded with the official in copy and on the pending steps), and the
// budget for next year adopted at a November board meeting.
import type { ParsedMail } from 'mailparser';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import { stockholmDateTime } from '../domain/dates.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { uploadHandling } from '../services/handlingar.js';
import { consultationOf, recordReply, startConsultation } from '../services/budgetsamrad.js';
import { importForbund } from '../services/import.js';
import { registerMatter } from '../services/styrelse.js';
import { pendingSteps } from '../services/pending-steps.js';
import { statutoryReportsOf } from '../services/redovisning.js';
import type { OutboxNotifier } from '../worker/client.js';
import { dischargeWorkflowId, justeraMinutes, markPrepared, meetingStage, meetingWorkflowId, recordDecision, recordDischarge, registerAuditReport, sendMinutes, statutoryWorkflowId } from '../workflows/signals.js';
import { MEMBERS_YAML } from './support/fixtures.js';
import { keyOf, toOf, ccOf } from './support/mails.js';
import type { TestSmtpServer } from './support/smtp.js';
import { advanceTo, completedResult, eventually, recordHistory, workflowTestBed, type RunningWorker, type TestWorkflowEnvironment } from './support/temporal.js';

const LINK_SECRET = 'y'.repeat(32);

const FILE = `
forbund:
  id: statut
  name: Samordningsförbundet Statut
  email: kansli@statut.example
  year: 2037
${MEMBERS_YAML.replace('kind: municipality }', 'kind: municipality, email: registrator@aby.example }')}
people:
  - { id: official, name: Örjan Tjänsteman, email: official@statut.example, roles: [official] }
  - { id: secretary, name: Sara Sekreterare, email: secretary@statut.example, roles: [secretary] }
  - { id: rev-1, name: Rut Revisor, email: rev-1@statut.example, roles: [auditor], appointedBy: [fk, af] }
  - { id: rev-2, name: Ragnar Granskare, email: rev-2@statut.example, roles: [auditor], appointedBy: [regionen] }
  - { id: l-kommun, name: Karin Kommun, email: l-kommun@statut.example, roles: [board_member] }
  - { id: co, name: Cora Samordnare, email: co@statut.example, roles: [coordinator] }
  - { id: l-region, name: Rolf Region, email: l-region@statut.example, roles: [board_member] }
  - { id: l-fk, name: Frida Kassa, email: l-fk@statut.example, roles: [board_member] }
  - { id: l-af, name: Arne Förmedling, email: l-af@statut.example, roles: [board_member] }
bodies:
  styrelse:
    members:
      - { person: l-kommun, role: chair, member: kommunen }
      - { person: l-region, role: vice_chair, member: regionen }
      - { person: l-fk, member: fk }
      - { person: l-af, member: af }
projects:
  - { id: sesam, name: SESAM, coordinator: co, start: 2037-04-01, end: 2038-12-31, reports: [final], startCondition: Startar när Försäkringskassan har beslutat om medfinansiering }
cycle:
  defaults: { start: "09:00", end: "12:00" }
  kallelseDays: 7
  meetings:
    - { id: styrelse-03, body: styrelse, date: 2037-03-12 }
    - { id: styrelse-11, body: styrelse, date: 2037-11-19 }
  milestones:
    bokslut: { meeting: styrelse-03, owner: official, title: Årsredovisning 2036 }
    vpBudget: { meeting: styrelse-11, owner: official, title: Verksamhetsplan och budget 2038 }
`;

/** A second förbund whose plan has no board meeting in October or November: its VP and budget have nowhere to be decided. */
const NO_NOVEMBER = `
forbund: { id: utannov, name: Samordningsförbundet Utan November, email: kansli@utannov.example, year: 2037 }
${MEMBERS_YAML}
people:
  - { id: official, name: Olga Officiell, email: official@utannov.example, roles: [official] }
  - { id: ordf, name: Ola Ordförande, email: ordf@utannov.example, roles: [board_member] }
  - { id: sekr, name: Sigrid Sekreterare, email: sekr@utannov.example, roles: [secretary] }
bodies:
  styrelse: { members: [{ person: ordf, role: chair, member: kommunen }] }
  presidium: { members: [{ person: ordf, role: chair, member: kommunen }] }
projects: []
cycle:
  meetings:
    - { id: styrelse-03, body: styrelse, date: 2037-03-12 }
    - { id: styrelse-06, body: styrelse, date: 2037-06-10 }
  milestones:
    vpBudget: true
`;

const at = (date: string, time = '08:00') => stockholmDateTime(date, time).toISOString();
const OFFICIAL = { actor: 'token:00000000-0000-0000-0000-000000000002 Örjan (admin)' };
const SECRETARY = { actor: 'token:00000000-0000-0000-0000-000000000001 Sara (secretary)' };

let db: Database;
let smtp: TestSmtpServer;
let env: TestWorkflowEnvironment;
let worker: RunningWorker;
let notifier: OutboxNotifier;

workflowTestBed({ linkSecret: LINK_SECRET }, (bed) => ({ db, smtp, env, worker, notifier } = bed));

let clock = new Date();
/** The test server's clock to this instant, and the API's with it. */
async function go(iso: string) {
  await advanceTo(env, iso);
  clock = new Date(iso);
}

const text = (m: ParsedMail) => m.text ?? '';
const mailsWith = (prefix: string) => smtp.messages.filter((m) => keyOf(m).startsWith(prefix));

async function pdf(lines: string[]): Promise<Buffer> {
  const d = await PDFDocument.create();
  const font = await d.embedFont(StandardFonts.Helvetica);
  const p = d.addPage([595, 842]);
  lines.forEach((l, i) => p.drawText(l, { x: 72, y: 760 - i * 24, size: 14, font }));
  return Buffer.from(await d.save());
}

/** A workflow's result once it has completed (tests/support/temporal.ts completedResult). */
const completed = (workflowId: string) => completedResult(env.client.workflow.getHandle(workflowId));

/** A board meeting held and its protokoll justerat: its planned matter prepared, every item decided. */
async function holdAndJustera(meetingId: string, date: string, decisions: Record<string, string>) {
  await notifier.meetingChanged(meetingId, 'calendar adopted');
  const matter = await eventually(async () => db.prisma.matter.findFirstOrThrow({ where: { meetingId, milestoneId: { not: null } } }), 60_000);
  await notifier.update({ matterId: matter.id }, markPrepared, [OFFICIAL]);
  await go(at(date, '12:05'));
  const handle = env.client.workflow.getHandle(meetingWorkflowId(meetingId));
  await eventually(async () => expect(await handle.query(meetingStage)).toBe('held'), 20_000);
  const items = await db.prisma.agendaItem.findMany({ where: { meetingId }, include: { matter: true }, orderBy: { number: 'asc' } });
  for (const i of items) await notifier.update({ meetingId }, recordDecision, [{ ...SECRETARY, itemId: i.id, decision: (i.matter && decisions[i.matter.title]) || `Beslut ${i.number}.`, version: i.version }]);
  await notifier.update({ meetingId }, sendMinutes, [{ ...SECRETARY, justerare: 'l-region' }]);
  await notifier.update({ meetingId }, justeraMinutes, [SECRETARY]);
  await completed(meetingWorkflowId(meetingId));
  return matter;
}

describe('the statutory year', () => {
  it('runs from 31 December through the adopted årsredovisning, the revisionsberättelse, four members’ ansvarsfrihet, the budget samråd, a grant to a project with a conditional start and the budget adopted in November; a förbund with no November board is told in October', async () => {
    await go('2036-12-31T09:00:00Z');
    const { forbundId } = await importForbund(db.prisma, parseForbundFile(FILE, 'statut.yaml'), { year: 2037, actor: 'test' });
    const [mar, nov] = await db.prisma.meeting.findMany({ where: { forbundId, kind: 'styrelse' }, orderBy: { startsAt: 'asc' } });
    const other = await importForbund(db.prisma, parseForbundFile(NO_NOVEMBER, 'utannov.yaml'), { year: 2037, actor: 'test' });
    await notifier.cycleChanged(forbundId, 2037, 'imported');
    await notifier.cycleChanged(other.forbundId, 2037, 'imported');
    const app = createApp({ prisma: db.prisma, notifier, publicBaseUrl: 'http://localhost:3000', linkSecret: LINK_SECRET, now: () => clock });

    // March: the årsredovisning is uploaded to its matter and adopted; nothing goes anywhere before the protokoll is justerat.
    await notifier.meetingChanged(mar.id, 'calendar adopted');
    const bokslut = await eventually(async () => db.prisma.matter.findFirstOrThrow({ where: { meetingId: mar.id, milestoneId: { not: null } } }));
    // A funding application for the project, on the same meeting: the decision sets its grant when justerat.
    const application = await registerMatter(db.prisma, forbundId, { title: 'Ansökan om medel: SESAM', kind: 'funding_application', owner: 'official', meetingId: mar.id, funding: { projectKey: 'sesam', year: 2037, amount: 400_000 } }, new Date(clock), OFFICIAL.actor);
    await notifier.update({ matterId: application.id }, markPrepared, [OFFICIAL]);
    expect(await db.prisma.reportingObligation.count({ where: { project: { forbundId } } })).toBe(0);
    await uploadHandling(db.prisma, forbundId, bokslut.dnr, { title: 'Årsredovisning 2036', file: { name: 'arsredovisning-2036.pdf', data: await pdf(['Årsredovisning 2036']) } }, OFFICIAL.actor);
    expect(await db.prisma.statutoryReport.count({ where: { forbundId } })).toBe(0);
    await holdAndJustera(mar.id, '2037-03-12', { 'Årsredovisning 2036': 'Styrelsen antar årsredovisningen för 2036.', 'Ansökan om medel: SESAM': 'Styrelsen beviljar SESAM 400 000 kr för 2037.' });
    await eventually(async () => expect((await db.prisma.project.findFirstOrThrow({ where: { forbundId, key: 'sesam' } })).grants).toEqual({ '2037': 400_000 }));
    // A conditional start: no reports are owed while the condition is not met.
    expect(await db.prisma.reportingObligation.count({ where: { project: { forbundId } } })).toBe(0);
    const report = await eventually(async () => db.prisma.statutoryReport.findFirstOrThrow({ where: { forbundId, kind: 'arsredovisning' } }));
    expect(report).toMatchObject({ year: 2036, matterId: bokslut.id, adoptedBy: `beslut ${bokslut.dnr} § 6` });

    // The revisorer get it, with the årsredovisning and the justerat protokoll attached.
    await eventually(() => expect(mailsWith(`redovisning:${report.id}:auditor:`)).toHaveLength(2));
    const toAuditor = mailsWith(`redovisning:${report.id}:auditor:`).find((m) => toOf(m).includes('rev-1@statut.example'))!;
    expect(toAuditor.subject).toMatch(/Årsredovisning 2036 för granskning/);
    expect(text(toAuditor)).toContain('Hej Rut Revisor');
    expect(toAuditor.attachments.map((a) => a.filename).sort()).toEqual(['arsredovisning-2036.pdf', 'protokoll-2037-03-12.pdf']);
    expect(mailsWith(`redovisning:${report.id}:member:`)).toHaveLength(0);

    // The official registers the revisionsberättelse: a handling of the matter, dated; a date in the future is refused, and so is a second registration.
    const rb = await uploadHandling(db.prisma, forbundId, bokslut.dnr, { title: 'Revisionsberättelse 2036', file: { name: 'revisionsberattelse-2036.pdf', data: await pdf(['Revisionsberättelse']) } }, OFFICIAL.actor);
    await go(at('2037-03-26', '10:00'));
    await expect(notifier.update({ reportId: report.id }, registerAuditReport, [{ ...OFFICIAL, auditReportOn: '2037-04-30', documentId: rb.id }])).rejects.toThrow();
    await notifier.update({ reportId: report.id }, registerAuditReport, [{ ...OFFICIAL, auditReportOn: '2037-03-25', documentId: rb.id }]);
    await expect(notifier.update({ reportId: report.id }, registerAuditReport, [{ ...OFFICIAL, auditReportOn: '2037-03-24', documentId: rb.id }])).rejects.toThrow();

    // Every member gets the three, with a personal link; the municipality through its registrator, the others through their ledamot.
    await eventually(() => expect(mailsWith(`redovisning:${report.id}:member:`)).toHaveLength(4));
    const toMembers = mailsWith(`redovisning:${report.id}:member:`);
    expect(toMembers.map((m) => toOf(m)[0]).sort()).toEqual(['l-af@statut.example', 'l-fk@statut.example', 'l-region@statut.example', 'registrator@aby.example']);
    const toAby = toMembers.find((m) => toOf(m).includes('registrator@aby.example'))!;
    expect(toAby.subject).toMatch(/Årsredovisning 2036, revisionsberättelse och beslut om ansvarsfrihet/);
    expect(text(toAby)).toContain('senast tisdagen den 30 juni 2037');
    expect(text(toAby)).toContain('det justerade protokollet från styrelsens sammanträde 12 mars 2037');
    expect(toAby.attachments.map((a) => a.filename).sort()).toEqual(['arsredovisning-2036.pdf', 'protokoll-2037-03-12.pdf', 'revisionsberattelse-2036.pdf']);
    const link = /http:\/\/localhost:3000(\/ansvarsfrihet\/[^?\s]+\?token=[\w-]+)/.exec(text(toAby))![1];
    const discharges = await db.prisma.memberDischarge.findMany({ where: { reportId: report.id }, include: { member: true } });
    const of = (key: string) => discharges.find((d) => d.member.key === key)!;

    // April: the budget proposal for 2038 goes to the members for samråd, replies by 15 May; three reply in time, Arbetsförmedlingen does not.
    await go(at('2037-04-01', '09:00'));
    const samradDeps = { prisma: db.prisma, notifier, now: () => clock };
    await startConsultation(samradDeps, forbundId, 2038, { replyBy: '2037-05-15' }, OFFICIAL.actor);
    await eventually(() => expect(mailsWith('samrad:').filter((m) => keyOf(m).endsWith(':sent'))).toHaveLength(4));
    await go(at('2037-04-20', '10:00'));
    for (const key of ['kommunen', 'regionen', 'fk']) await recordReply(samradDeps, forbundId, 2038, key, { repliedOn: '2037-04-20', reply: 'Vi tillstyrker förslaget.' }, OFFICIAL.actor);

    // Åby kommun's registrator reports through the link in May: a forged token is refused, a future date asked again; the answer is recorded once.
    await go(at('2037-05-20', '14:00'));
    // The member that did not reply was reminded on 8 May and, late, on Monday 18 May; the others were not.
    const samrad = await consultationOf(db.prisma, forbundId, 2038, clock);
    expect(samrad.members.filter((m) => m.state === 'late').map((m) => m.memberName)).toEqual(['Arbetsförmedlingen']);
    await eventually(() => expect(mailsWith('samrad:').filter((m) => !keyOf(m).endsWith(':sent')).map((m) => [keyOf(m).split(':').pop(), toOf(m)[0]])).toEqual([['reminder', 'l-af@statut.example'], ['late', 'l-af@statut.example']]));
    expect((await request(app).get(link.replace(/token=[\w-]+/, 'token=forged'))).status).toBe(403);
    const form = await request(app).get(link);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Åby kommun ombeds besluta om ansvarsfrihet');
    const wrong = await request(app).post(link).type('form').send({ outcome: 'beviljad', decidedOn: '2037-06-01', reference: 'KF § 45' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('Beslutsdagen kan inte vara senare än i dag.');
    const ok = await request(app).post(link).type('form').send({ outcome: 'beviljad', decidedOn: '2037-05-18', reference: 'KF § 45' });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('Åby kommun beslutade måndagen den 18 maj 2037 att bevilja styrelsen ansvarsfrihet för 2036 (KF § 45).');
    expect((await request(app).post(link).type('form').send({ outcome: 'inte_beviljad', decidedOn: '2037-05-19' })).text).toContain('Beslutet är redan registrerat');
    // Försäkringskassan's decision comes by letter: the official enters it.
    await notifier.update({ dischargeId: of('fk').id }, recordDischarge, [{ ...OFFICIAL, outcome: 'beviljad', decidedOn: '2037-05-12', reference: 'FK 2037/1234' }]);

    // The region refuses: a matter for the board is registered.
    await go(at('2037-06-10', '11:00'));
    await notifier.update({ dischargeId: of('regionen').id }, recordDischarge, [{ ...OFFICIAL, outcome: 'inte_beviljad', decidedOn: '2037-06-08', reference: 'RF § 88' }]);
    const refusal = await eventually(async () => db.prisma.matter.findFirstOrThrow({ where: { forbundId, title: { contains: 'har inte beviljat styrelsen ansvarsfrihet för 2036' } } }));
    expect(refusal.title).toBe('Region Östra Sjö har inte beviljat styrelsen ansvarsfrihet för 2036');
    expect(refusal.description).toContain('RF § 88');
    expect(refusal.meetingId).toBe(nov.id);

    // Arbetsförmedlingen is silent: reminded two weeks before the date, then the working day after it with the official in copy, and a pending step.
    expect(mailsWith(`discharge:`)).toHaveLength(0);
    await go(at('2037-06-16', '08:05'));
    const before = await eventually(() => {
      const m = mailsWith(`discharge:${of('af').id}:before`);
      expect(m).toHaveLength(1);
      return m[0];
    });
    expect(toOf(before)).toEqual(['l-af@statut.example']);
    expect(before.subject).toMatch(/Påminnelse: beslut om ansvarsfrihet för 2036 senast 30 juni 2037/);
    expect(mailsWith('discharge:').map(keyOf)).toEqual([`discharge:${of('af').id}:before`]);
    expect((await pendingSteps(db.prisma, forbundId, '2037-06-30')).filter((s) => s.type === 'discharge')).toEqual([]);
    await go(at('2037-07-01', '08:05'));
    const late = await eventually(() => {
      const m = mailsWith(`discharge:${of('af').id}:late-1`);
      expect(m).toHaveLength(1);
      return m[0];
    });
    expect(late.subject).toMatch(/har inte kommit in/);
    expect(ccOf(late)).toEqual(['official@statut.example']);
    const steps = (await pendingSteps(db.prisma, forbundId, '2037-07-01')).filter((s) => s.type === 'discharge');
    expect(steps).toMatchObject([{ id: of('af').id, overdue: true, waitingOn: { name: 'Arbetsförmedlingen' } }]);

    // The year page's figures: each member's state.
    const [row] = await statutoryReportsOf(db.prisma, forbundId, 2036, '2037-07-01');
    expect(row.discharges.map((d) => [d.member.name, d.state])).toEqual([
      ['Arbetsförmedlingen', 'late'],
      ['Försäkringskassan', 'beviljad'],
      ['Region Östra Sjö', 'inte_beviljad'],
      ['Åby kommun', 'beviljad'],
    ]);

    // Arbetsförmedlingen decides in August; the chain is through.
    await go(at('2037-08-20', '10:00'));
    await notifier.update({ dischargeId: of('af').id }, recordDischarge, [{ ...OFFICIAL, outcome: 'beviljad', decidedOn: '2037-08-19', reference: null }]);
    const chain = env.client.workflow.getHandle(statutoryWorkflowId(report.id));
    const result = await completed(statutoryWorkflowId(report.id));
    await recordHistory(chain, 'redovisning-arsredovisning');
    for (const [key, name] of [['kommunen', 'by-link'], ['regionen', 'refused'], ['af', 'late']]) {
      const child = env.client.workflow.getHandle(dischargeWorkflowId(of(key).id));
      await completed(dischargeWorkflowId(of(key).id));
      await recordHistory(child, `ansvarsfrihet-${name}`);
    }
    expect(result).toContain('Region Östra Sjö ansvarsfrihet inte beviljad');
    // Reminded again a month after the first late one (31 July), and no more after the decision.
    expect(mailsWith('discharge:').map(keyOf)).toEqual([`discharge:${of('af').id}:before`, `discharge:${of('af').id}:late-1`, `discharge:${of('af').id}:late-2`]);

    // October: the förbund with no board meeting in October or November is told (the official and the presidium); this one, whose November board has the budget, is not.
    await go(at('2037-10-01', '09:00'));
    const told = await eventually(() => {
      const m = smtp.messages.filter((x) => keyOf(x) === `budget-october:${other.forbundId}:2037`);
      expect(m).toHaveLength(1);
      return m[0];
    });
    expect(toOf(told).sort()).toEqual(['official@utannov.example', 'ordf@utannov.example']);
    expect(text(told)).toContain('30 november 2037');
    expect(smtp.messages.filter((x) => keyOf(x) === `budget-october:${forbundId}:2037`)).toHaveLength(0);

    // November: the board decides the budget and VP for 2038; justerat, the budget is adopted.
    expect(await db.prisma.budgetYear.findUnique({ where: { forbundId_year: { forbundId, year: 2038 } } })).toBeNull();
    await holdAndJustera(nov.id, '2037-11-19', { 'Verksamhetsplan och budget 2038': 'Styrelsen fastställer verksamhetsplan och budget för 2038.' });
    const budget = await eventually(async () => db.prisma.budgetYear.findUniqueOrThrow({ where: { forbundId_year: { forbundId, year: 2038 } } }));
    expect(budget.adoptedBy).toMatch(/^beslut 2037-\d{5} § \d+$/);
    expect(await db.prisma.auditEvent.count({ where: { forbundId, action: 'budget.adopted' } })).toBe(1);
    void worker;
  }, 240_000);

  it('a delårsrapport, where the förbundsordning asks for one, is adopted and sent to the revisorer and the members without ansvarsfrihet', async () => {
    await go('2037-07-01T08:00:00Z');
    const file = FILE.replace('id: statut', 'id: delar').replace(/@statut\.example/g, '@delar.example').replace('date: 2037-03-12', 'date: 2037-09-17').replace(/bokslut: .*\n/, 'delar: { meeting: styrelse-03, owner: official, title: Delårsrapport 2037 }\n');
    const { forbundId } = await importForbund(db.prisma, parseForbundFile(file, 'delar.yaml'), { year: 2037, actor: 'test' });
    const [sep] = await db.prisma.meeting.findMany({ where: { forbundId, kind: 'styrelse' }, orderBy: { startsAt: 'asc' } });
    await holdAndJustera(sep.id, '2037-09-17', { 'Delårsrapport 2037': 'Styrelsen godkänner delårsrapporten.' });
    const report = await eventually(async () => db.prisma.statutoryReport.findFirstOrThrow({ where: { forbundId } }));
    expect(report).toMatchObject({ kind: 'delarsrapport', year: 2037 });
    expect(await completed(statutoryWorkflowId(report.id))).toBe('Delårsrapport 2037: skickad till revisorerna och medlemmarna');
    await recordHistory(env.client.workflow.getHandle(statutoryWorkflowId(report.id)), 'redovisning-delarsrapport');
    expect(mailsWith(`redovisning:${report.id}:auditor:`)).toHaveLength(2);
    const toMembers = mailsWith(`redovisning:${report.id}:member:`);
    expect(toMembers).toHaveLength(4);
    expect(toMembers[0].subject).toMatch(/Delårsrapport 2037 för kännedom/);
    expect(text(toMembers[0])).not.toContain('/ansvarsfrihet/');
    expect(await db.prisma.memberDischarge.count({ where: { reportId: report.id } })).toBe(0);
    // A revisionsberättelse is the årsredovisning's only.
    await expect(notifier.update({ reportId: report.id }, registerAuditReport, [{ ...OFFICIAL, auditReportOn: '2037-09-20', documentId: 'x' }])).rejects.toThrow();
  }, 120_000);
});
