// Going live (issue 18): a förbund that starts in Årscykel in the middle of a year is not flooded.
// Nothing due before its go-live is reminded, called overdue, escalated or registered as a matter;
// what falls due on or after it is reminded as before. The pure decision (domain/rapportering.ts:
// plannedFrom, reminderPlanFrom), the plans the activities build from it, the import's go-live
// date, and both workflows on Temporal's time-skipping test server (production worker, real
// activities, database and SMTP) with a förbund going live on Monday 14 September 2037.
import type { WorkflowHandle } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { toStockholmDate } from '../domain/dates.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import { DEFAULT_POLICY, dueSinceGoLive, plannedFrom, reminderPlan, reminderPlanFrom } from '../domain/rapportering.js';
import type { Decision } from '../domain/schedule.js';
import { loadCyclePlan } from '../services/arscykel.js';
import { importForbund } from '../services/import.js';
import { isoDay, loadReportingPlan } from '../services/rapportering.js';
import { arscykel } from '../workflows/arscykel.js';
import { projectReporting } from '../workflows/rapportering.js';
import { currentDecision, cycleWorkflowId, reportingWorkflowId } from '../workflows/signals.js';
import { MEMBERS_YAML } from './support/fixtures.js';
import { toOf } from './support/mails.js';
import { advanceTo, eventually, workflowTestBed, type WorkflowTestBed } from './support/temporal.js';

const LINK_SECRET = 'x'.repeat(32);

describe('the decision, given the go-live date (pure)', () => {
  it('plans from the go-live, or from the day an item was added when that is later', () => {
    expect(plannedFrom('2037-09-14')).toBe('2037-09-14');
    expect(plannedFrom('2037-09-14', '2037-03-01')).toBe('2037-09-14');
    expect(plannedFrom('2037-09-14', '2038-02-10')).toBe('2038-02-10'); // a project added later
    expect(plannedFrom(null, '2038-02-10')).toBe('2038-02-10');
    expect(plannedFrom(undefined, undefined)).toBeUndefined();
  });

  it('nothing is reminded, overdue or escalated for an item due before go-live; from go-live on, the plan as before', () => {
    expect(reminderPlanFrom(DEFAULT_POLICY, '2037-07-15', '2037-09-14')).toEqual([]);
    expect(reminderPlanFrom(DEFAULT_POLICY, '2037-09-11', '2037-09-14')).toEqual([]); // the Friday before
    expect(reminderPlanFrom(DEFAULT_POLICY, '2037-09-14', '2037-09-14')).toEqual(reminderPlan(DEFAULT_POLICY, '2037-09-14')); // due on go-live day
    expect(reminderPlanFrom(DEFAULT_POLICY, '2037-10-15', '2037-09-14')).toEqual(reminderPlan(DEFAULT_POLICY, '2037-10-15'));
    expect(reminderPlanFrom(DEFAULT_POLICY, '2037-10-15', '2037-09-14').map((r) => r.key)).toEqual(['reminder-14', 'reminder-3', 'reminder-0', 'overdue', 'escalation']);
    // No go-live known (a database from before go-live dates): everything, as before.
    expect(reminderPlanFrom(DEFAULT_POLICY, '2013-03-01', undefined)).toEqual(reminderPlan(DEFAULT_POLICY, '2013-03-01'));
    expect(dueSinceGoLive('2037-09-13', '2037-09-14')).toBe(false);
    expect(dueSinceGoLive('2037-09-14', '2037-09-14')).toBe(true);
    expect(dueSinceGoLive('2013-03-01', null)).toBe(true);
  });
});

// Quarterly reports due the 15th after each quarter: Q1 Wed 15 Apr and Q2 Wed 15 Jul, before
// go-live; Q3 Thu 15 Oct after it (reminded Thu 1 Oct, Mon 12 Oct, Thu 15 Oct, overdue Fri 16 Oct,
// escalated Thu 22 Oct); Q4 Fri 15 Jan 2038. Milestones: bokslut (Thu 12 Feb, the beredning of
// styrelse-02) and the budget dialogue (Fri 29 May) before go-live; VP and budget Tue 20 Oct after it.
const fileFor = (slug: string, goLive = '\n  goLive: 2037-09-14') => `
forbund:
  id: ${slug}
  name: Samordningsförbundet Mitt i Året
  email: kansli@${slug}.example
  year: 2037${goLive}
${MEMBERS_YAML}
people:
  - { id: official, name: Örjan Tjänsteman, email: official@${slug}.example, roles: [official] }
  - { id: secretary, name: Sara Sekreterare, email: secretary@${slug}.example, roles: [secretary] }
  - { id: economist, name: Ekon Omsson, email: economist@${slug}.example, roles: [economist] }
  - { id: chair, name: Ordf Örn, email: chair@${slug}.example, roles: [board_member] }
  - { id: bg-fk, name: Märta Chef, email: bg-fk@${slug}.example, roles: [] }
  - { id: co-a, name: Åsa Kvartal, email: a@${slug}.example, roles: [coordinator] }
bodies:
  styrelse:
    members:
      - { person: chair, role: chair, member: kommunen }
  presidium:
    members:
      - { person: chair, role: chair }
  beredningsgrupp:
    members:
      - { person: bg-fk, member: fk }
reporting:
  kinds:
    quarterly: { dueDays: 15 }
  reminders: [14, 3, 0]
  overdue: { reminderDaysAfter: 1, escalateDaysAfter: 7 }
projects:
  - { id: kvartal, name: Kvartalet, coordinator: co-a, start: 2037-01-01, end: 2037-12-31, reports: [quarterly] }
cycle:
  defaults: { start: "09:00", end: "12:00" }
  kallelseDays: 7
  meetings:
    - { id: styrelse-02, body: styrelse, date: 2037-02-26 }
    - { id: styrelse-11, body: styrelse, date: 2037-11-26 }
  milestones:
    bokslut: { meeting: styrelse-02, owner: economist }
    budgetDialogue: { due: 2037-05-29, owner: official }
    vpBudget: { due: 2037-10-20, owner: official }
    halfYearReports: false
    delar: false
    budgetFollowUp: false
    nextCalendar: false
    stateAllocation: false
    attestReview: false
`;

const GO_LIVE_AT = '2037-09-14T10:00:00.000Z'; // Monday 14 September 2037, 12:00 Stockholm
const Q3_REMINDER_14 = '2037-10-01T06:00:00.000Z';
const AFTER_ESCALATIONS = '2037-10-28T10:00:00.000Z'; // Q3 escalated Thu 22 Oct, VP and budget Tue 27 Oct

let bed: WorkflowTestBed;
workflowTestBed({ linkSecret: LINK_SECRET }, (b) => (bed = b));

async function importFile(slug: string, goLive?: string) {
  return importForbund(bed.db.prisma, parseForbundFile(fileFor(slug, goLive), `${slug}.yaml`), { actor: 'test' });
}

async function quarterly(forbundId: string) {
  const p = await bed.db.prisma.project.findFirstOrThrow({ where: { forbundId, key: 'kvartal' }, include: { obligations: { orderBy: { dueDate: 'asc' } } } });
  return { project: p, due: p.obligations.map((o) => isoDay(o.dueDate)), obligations: p.obligations };
}

describe('the go-live date of a förbund', () => {
  it('is the day of the first import (Stockholm) unless the file says; a re-import keeps it, a file that gives one moves it', async () => {
    const prisma = bed.db.prisma;
    const { forbundId } = await importFile('forsta-importen', '');
    const goLive = async () => isoDay((await prisma.forbund.findUniqueOrThrow({ where: { id: forbundId } })).goLiveOn!);
    expect(await goLive()).toBe(toStockholmDate(new Date()));
    // As if the first import was on another day: a re-import without goLive keeps it.
    await prisma.forbund.update({ where: { id: forbundId }, data: { goLiveOn: new Date('2037-03-02T00:00:00Z') } });
    expect((await importFile('forsta-importen', '')).counts.forbund).toMatchObject({ unchanged: 1 });
    expect(await goLive()).toBe('2037-03-02');
    await importFile('forsta-importen');
    expect(await goLive()).toBe('2037-09-14');
    // The year read of the API and the official's year page show it (api/kalendarium.ts, api/admin/ar.ts).
  });

  it('plans no reminder of a report or milestone due before it; a project added later plans from the day it was added', async () => {
    const prisma = bed.db.prisma;
    const { forbundId } = await importFile('planen');
    const q = await quarterly(forbundId);
    expect(q.due).toEqual(['2037-04-15', '2037-07-15', '2037-10-15', '2038-01-15']);
    const plan = (await loadReportingPlan(prisma, q.project.id, new Date(GO_LIVE_AT)))!;
    const planned = new Set(plan.steps.filter((s) => s.kind !== 'letter').map((s) => s.subjectId));
    expect([...planned]).toEqual([q.obligations[2].id, q.obligations[3].id]);

    const cycle = (await loadCyclePlan(prisma, forbundId, 2037, new Date(GO_LIVE_AT)))!;
    const milestones = await prisma.milestone.findMany({ where: { forbundId } });
    const remindedMilestones = new Set(cycle.steps.filter((s) => s.kind.startsWith('milestone-')).map((s) => milestones.find((m) => m.id === s.subjectId)!.kind));
    expect([...remindedMilestones]).toEqual(['vpBudget']);

    // The same report planned as if the project had been added on 1 November 2037 (after Q3 fell due).
    await prisma.reportingObligation.updateMany({ where: { projectId: q.project.id }, data: { createdAt: new Date('2037-11-01T09:00:00Z') } });
    const later = (await loadReportingPlan(prisma, q.project.id, new Date('2037-11-01T09:00:00Z')))!;
    expect([...new Set(later.steps.filter((s) => s.kind !== 'letter').map((s) => s.subjectId))]).toEqual([q.obligations[3].id]);
  });
});

describe('a förbund going live mid-year, on the time-skipping test server', () => {
  it('sends no mail, registers no matter and plans no reminder about what fell due before go-live; what falls due after it is reminded and escalated as before', async () => {
    const prisma = bed.db.prisma;
    const { forbundId } = await importFile('mitt-i-aret');
    const q = await quarterly(forbundId);
    const [q1, q2, q3] = q.obligations;
    const milestones = await prisma.milestone.findMany({ where: { forbundId } });
    const before = milestones.filter((m) => m.kind !== 'vpBudget').map((m) => m.id);
    const vpBudget = milestones.find((m) => m.kind === 'vpBudget')!;
    expect(milestones.map((m) => `${m.kind} ${isoDay(m.dueDate)}`).sort()).toEqual(['bokslut 2037-02-12', 'budgetDialogue 2037-05-29', 'vpBudget 2037-10-20']);

    await advanceTo(bed.env, GO_LIVE_AT);
    expect(await bed.notifier.reportingChanged(q.project.id, 'go-live')).toBe(true);
    expect(await bed.notifier.cycleChanged(forbundId, 2037, 'go-live')).toBe(true);
    const reporting = bed.env.client.workflow.getHandle<typeof projectReporting>(reportingWorkflowId(q.project.id));
    const cycle = bed.env.client.workflow.getHandle<typeof arscykel>(cycleWorkflowId(forbundId));
    const decision = (h: WorkflowHandle) => h.query(currentDecision) as Promise<Decision | null>;

    // At go-live: the reporting workflow sleeps until Q3's first reminder; Q1 and Q2 are not its to remind.
    await eventually(async () => expect(await decision(reporting)).toMatchObject({ action: 'sleep', until: Q3_REMINDER_14 }));
    await eventually(async () => expect((await decision(cycle))?.action).toBe('sleep'));
    const sentAtGoLive = await prisma.notification.findMany({ where: { forbundId } });
    // Only the invites to the autumn's preparatory meetings went out.
    expect(sentAtGoLive.every((n) => n.kind === 'meeting.invite')).toBe(true);
    expect(bed.smtp.messages.filter((m) => /Påminnelse|Försen|Eskalering|trots påminnelser/.test(`${m.subject} ${m.text}`))).toEqual([]);
    expect(await prisma.matter.count({ where: { forbundId } })).toBe(0);
    expect(await prisma.escalation.count({ where: { forbundId } })).toBe(0);

    // Q3's first reminder comes as before, 14 days ahead at 08:00.
    await advanceTo(bed.env, plusMinute(Q3_REMINDER_14));
    const reminder = await eventually(() => {
      const m = bed.smtp.messages.find((x) => x.subject?.startsWith('Påminnelse: kvartalsrapport'));
      expect(m).toBeDefined();
      return m!;
    });
    expect(reminder.subject).toBe('Påminnelse: kvartalsrapport för ”Kvartalet” ska lämnas senast 15 oktober 2037 – Samordningsförbundet Mitt i Året');
    expect(toOf(reminder)).toEqual(['a@mitt-i-aret.example']);

    // After Q3 and VP-budget fell due: reminded, overdue and escalated; Q3 is registered as a matter.
    await advanceTo(bed.env, AFTER_ESCALATIONS);
    await eventually(async () => expect(await prisma.escalation.count({ where: { forbundId } })).toBe(2));
    const keys = (await prisma.notification.findMany({ where: { forbundId }, select: { key: true } })).map((n) => n.key);
    const q3Steps = keys.filter((k) => k.startsWith(`report:${q3.id}:`)).map((k) => k.split(':').pop()).sort();
    expect(q3Steps).toEqual(['escalation', 'overdue', 'reminder-0', 'reminder-14', 'reminder-3']);
    expect(keys.filter((k) => k.startsWith(`milestone:${vpBudget.id}:`)).map((k) => k.split(':').pop()).sort()).toEqual(['escalation', 'overdue', 'reminder-0', 'reminder-14', 'reminder-3']);
    // Nothing at all about what fell due before go-live.
    for (const id of [q1.id, q2.id, ...before]) expect(keys.filter((k) => k.includes(id))).toEqual([]);
    // An escalated report is no matter with a Dnr of its own: the board hears of it as "Rapportläge för insatserna".
    expect(await prisma.matter.count({ where: { forbundId, obligationId: { not: null } } })).toBe(0);
    const escalations = await prisma.escalation.findMany({ where: { forbundId } });
    expect(escalations.map((e) => e.subjectId).sort()).toEqual([q3.id, vpBudget.id].sort());
    // The coordinator was reminded, so the escalation says so; its day count is from the due date.
    const escalation = bed.smtp.messages.find((m) => m.subject?.startsWith('Eskalering: kvartalsrapport'))!;
    expect(escalation.subject).toBe('Eskalering: kvartalsrapport för ”Kvartalet” är 7 dagar försenad – Samordningsförbundet Mitt i Året');
    expect(escalation.text).toContain('och är nu 7 dagar försenad trots påminnelser.');

    expect(escalation.text).toContain('Rapportläge för insatserna');

    // The next board meeting (26 November) lists it in its compiled item, fixed with the kallelse on 19 November.
    const board = await prisma.meeting.findFirstOrThrow({ where: { forbundId, key: 'styrelse-11' } });
    expect(await bed.notifier.meetingChanged(board.id, 'test: the board meeting runs')).toBe(true);
    await advanceTo(bed.env, '2037-11-19T12:00:00.000Z');
    const item = await eventually(async () => {
      const fixed = await prisma.meeting.findUniqueOrThrow({ where: { id: board.id } });
      expect(fixed.kallelseSentAt).not.toBeNull();
      return prisma.agendaItem.findFirstOrThrow({ where: { meetingId: board.id, kind: 'report_status' } });
    }, 30_000);
    expect(item).toMatchObject({ title: 'Rapportläge för insatserna', matterId: null, proposal: 'Styrelsen tar del av rapportläget.' });
    expect(item.compilation).toEqual({ projects: [{ project: 'Kvartalet', reports: [{ kind: 'quarterly', periodStart: '2037-07-01', periodEnd: '2037-09-30', dueDate: '2037-10-15' }] }] });
    const agenda = await prisma.agendaItem.findMany({ where: { meetingId: board.id }, orderBy: { number: 'asc' } });
    expect(agenda.map((i) => i.kind).indexOf('report_status')).toBe(agenda.map((i) => i.kind).indexOf('official_report') + 1);
    const kallelse = await eventually(() => {
      const m = bed.smtp.messages.find((x) => x.subject?.startsWith('Kallelse'));
      expect(m).toBeDefined();
      return m!;
    });
    expect(kallelse.text).toContain('Rapportläge för insatserna\n    Kvartalet: kvartalsrapport 1 juli–30 september 2037, skulle ha lämnats 15 oktober 2037');
    // Q1 and Q2, due before go-live, are not in it: they predate the product.
    expect(kallelse.text).not.toMatch(/1 januari–31 mars|1 april–30 juni/);
  });
});

const plusMinute = (iso: string) => new Date(Date.parse(iso) + 60_000).toISOString();
