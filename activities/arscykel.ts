// Activities of the årscykel workflow: decide the next step of the year, and carry steps out
// (send or update or cancel an invite, remind of a milestone or a kallelse, escalate), answering
// with the decision that follows them.
import { ApplicationFailure } from '@temporalio/common';
import { daysBetween, toStockholmDate } from '../domain/dates.js';
import { buildInvite } from '../domain/ics.js';
import { decide, type Decision, type Step } from '../domain/schedule.js';
import { budgetAgendaNotice, calendarMissing, inviteDetails, samradProposal, samradReminder, type SamradMailFacts, inviteMail, kallelseReminder, milestoneEscalation, milestoneOverdue, milestoneReminder, roleTitle, svList, type CycleMailFacts, type InviteFacts } from '../domain/texts.js';
import { audit } from '../services/audit.js';
import { cycleSettingsOf, loadCyclePlan, meetingDate, meetingTime, octoberNoticeOf, preparationOf, SAMRAD_SEATS } from '../services/arscykel.js';
import { budgetDecidedBy } from '../domain/budgetsamrad.js';
import { samradMessageOf } from '../services/budgetsamrad.js';
import { budgetOverview } from '../services/pengar.js';
import { bodyMembers, officialOf, ownersOf, peopleWithRole, recipients, toAddress, uniqueAddresses } from '../services/people.js';
import { goLiveOf, isoDay } from '../services/rapportering.js';
import { dueSinceGoLive } from '../domain/rapportering.js';
import type { Prisma, PrismaClient } from '../prisma/db.js';
import { stepOutcome, type Address, type StepOutcome } from './mail.js';
import type { ActivityDeps } from './deps.js';
import { carryOutEach, planned, type Carried, type Planned } from './steps.js';

const sameAddress = (a: Address, b: Address | undefined) => !!b && a.email.trim().toLowerCase() === b.email.trim().toLowerCase();
type MeetingRow = Prisma.MeetingGetPayload<object>;

/** Who is invited to a meeting: preparatory meetings go to their own body; board meetings to the secretary (and the board where configured). */
export async function inviteesOf(prisma: PrismaClient, forbundId: string, kind: string, inviteBoardMembers: boolean): Promise<Address[]> {
  const secretaries = (await peopleWithRole(prisma, forbundId, 'secretary')).map(toAddress);
  const official = await officialOf(prisma, forbundId);
  let people: Address[] = [];
  if (kind === 'styrelse') people = [...secretaries, ...(inviteBoardMembers ? (await bodyMembers(prisma, forbundId, 'styrelse')).map(toAddress) : [])];
  else if (kind === 'beredningsgrupp') people = [...(await bodyMembers(prisma, forbundId, 'beredningsgrupp')).map(toAddress), ...(official ? [toAddress(official)] : [])];
  else people = [...(await bodyMembers(prisma, forbundId, 'presidium')).map(toAddress), ...(official ? [toAddress(official)] : [])];
  return uniqueAddresses(people.length ? people : secretaries);
}

function cycleDecision(plan: NonNullable<Awaited<ReturnType<typeof loadCyclePlan>>>, year: number, now: Date): Decision {
  const otherwise: Decision =
    now < plan.yearEnd
      ? { action: 'sleep', until: plan.yearEnd.toISOString() }
      : plan.nextAdopted
        ? { action: 'rollover', year: year + 1 }
        : { action: 'waitForChange', why: `the calendar for ${year + 1} is not adopted` };
  const d = decide(plan.steps, plan.sent, now, otherwise);
  if (d.action === 'sleep') {
    // The year's end comes before any later step; after it, an adopted calendar means rollover.
    if (now < plan.yearEnd && new Date(d.until) > plan.yearEnd) return { action: 'sleep', until: plan.yearEnd.toISOString() };
    if (now >= plan.yearEnd && plan.nextAdopted) return { action: 'rollover', year: year + 1 };
  }
  return d;
}

/** What an invite says: the meeting's time and change, its preparation or the board meeting it prepares, the matters due. */
export async function inviteFacts(prisma: PrismaClient, forbund: { id: string; name: string }, kallelseDays: number, m: MeetingRow): Promise<InviteFacts> {
  const yearMeetings = await prisma.meeting.findMany({ where: { forbundId: forbund.id, year: m.year } });
  const prep = preparationOf(yearMeetings, kallelseDays);
  const board = m.forMeetingId ? yearMeetings.find((x) => x.id === m.forMeetingId && x.status === 'planned') : undefined;
  const matters = async (meetingId: string) =>
    (await prisma.milestone.findMany({ where: { meetingId }, orderBy: { dueDate: 'asc' } })).map((h) => ({ title: h.title, dueDate: isoDay(h.dueDate) }));
  const change = m.status === 'cancelled' ? 'cancelled' : m.sequence > 0 ? 'update' : 'new';
  const previous = change === 'update' ? await previousTimeOf(prisma, m) : undefined;
  return {
    forbundName: forbund.name,
    kind: m.kind,
    when: meetingTime(m),
    location: m.location,
    change,
    ...(previous ? { previous } : {}),
    ...(prep.get(m.id) ? { preparation: prep.get(m.id) } : {}),
    ...(board ? { prepares: { kind: board.kind, when: meetingTime(board), kallelse: prep.get(board.id)?.kallelse }, preparedMatters: await matters(board.id) } : {}),
    matters: await matters(m.id),
  };
}

/**
 * The time and place the invitees last had: from the first move (audit `meeting.moved`) after
 * the last invite that went out for the meeting. Unknown when the change left no such record.
 */
async function previousTimeOf(prisma: PrismaClient, m: MeetingRow): Promise<InviteFacts['previous']> {
  const sent = await prisma.notification.findMany({ where: { forbundId: m.forbundId, key: { startsWith: `invite:${m.id}:` }, status: 'sent' }, select: { key: true } });
  const lastSent = Math.max(-1, ...sent.map((n) => Number(n.key.split(':')[2])).filter((q) => q < m.sequence));
  if (lastSent < 0) return undefined;
  const moves = await prisma.auditEvent.findMany({ where: { forbundId: m.forbundId, action: 'meeting.moved', entityType: 'meeting', entityId: m.id }, orderBy: { at: 'asc' } });
  const move = moves.map((e) => e.data as { from?: { startsAt?: string; endsAt?: string; location?: string | null }; sequence?: number }).find((d) => (d.sequence ?? 0) > lastSent && d.from?.startsAt && d.from.endsAt);
  if (!move) return undefined;
  return { when: meetingTime({ startsAt: new Date(move.from!.startsAt!), endsAt: new Date(move.from!.endsAt!) }), location: move.from!.location ?? null };
}


export function cycleActivities(deps: ActivityDeps) {
  const { prisma, mailer } = deps;

  async function decideCycle(input: { forbundId: string; year: number; now: number }): Promise<Planned> {
    const now = new Date(input.now);
    const plan = await loadCyclePlan(prisma, input.forbundId, input.year, now);
    if (!plan) return { decision: { action: 'end', reason: 'förbund not found' }, forbundId: input.forbundId, forbund: '', searchAttributes: deps.searchAttributes, steps: [] };
    const decided = { decision: cycleDecision(plan, input.year, now), forbundId: input.forbundId, forbund: plan.forbund.slug, searchAttributes: deps.searchAttributes };
    return planned(decided, plan.steps, plan.sent, now);
  }

  /** Carries out the steps due together (the year's invites, a day's milestone reminders) and answers with the decision after them. */
  async function carryOutCycleSteps(input: { forbundId: string; year: number; steps: Step[]; now: number }): Promise<Carried> {
    const outcomes = await carryOutEach(input.steps, (step) => performCycleStep({ forbundId: input.forbundId, year: input.year, step, now: input.now }));
    return { outcomes, next: await decideCycle(input) };
  }

  async function performCycleStep(input: { forbundId: string; year: number; step: Step; now: number }): Promise<StepOutcome> {
    const { step } = input;
    const now = new Date(input.now);
    const today = toStockholmDate(now);
    const forbund = await prisma.forbund.findUnique({ where: { id: input.forbundId } });
    if (!forbund) return 'skipped';
    const settings = cycleSettingsOf(forbund);
    const from = { name: forbund.name, email: forbund.email };
    const official = await officialOf(prisma, forbund.id);
    const officialAddr = official ? [toAddress(official)] : [];
    const base = { key: step.key, forbundId: forbund.id, from };

    if (step.kind === 'invite' || step.kind === 'cancel') {
      const m = await prisma.meeting.findUnique({ where: { id: step.subjectId } });
      if (!m || `invite:${m.id}:${m.sequence}` !== step.key) return 'skipped';
      const cancelled = m.status === 'cancelled';
      const facts = await inviteFacts(prisma, forbund, settings.kallelseDays, m);
      const description = inviteDetails(facts) || `${m.title}, ${forbund.name}`;
      const attendees = await inviteesOf(prisma, forbund.id, m.kind, settings.inviteBoardMembers);
      const ics = buildInvite({
        method: cancelled ? 'CANCEL' : 'REQUEST',
        organizer: from,
        attendees,
        dtstamp: now,
        event: {
          uid: `meeting-${m.id}@arscykel`,
          sequence: m.sequence,
          summary: `${m.title} – ${forbund.name}`,
          start: m.startsAt,
          end: m.endsAt,
          ...(m.location ? { location: m.location } : {}),
          description,
          status: cancelled ? 'CANCELLED' : 'CONFIRMED',
        },
      });
      const text = inviteMail(facts);
      const r = await mailer.send({ ...base, kind: cancelled ? 'meeting.cancel' : 'meeting.invite', to: attendees, ...text, calendar: { method: cancelled ? 'CANCEL' : 'REQUEST', content: ics } });
      return stepOutcome(r);
    }

    if (step.kind.startsWith('milestone-')) {
      const ms = await prisma.milestone.findUnique({ where: { id: step.subjectId }, include: { meeting: true } });
      if (!ms || ms.status !== 'open' || !step.key.includes(`:${isoDay(ms.dueDate)}:`)) return 'skipped';
      // Nor one due before go-live (set since the decision): it predates the product.
      if (!dueSinceGoLive(isoDay(ms.dueDate), goLiveOf(forbund))) return 'skipped';
      const owners = (await ownersOf(prisma, forbund.id, ms.owner)).map(toAddress);
      const to = owners.length ? owners : officialAddr;
      // Where it is marked done: its step on Att göra (the anchor api/admin/start.ts gives it), or,
      // for one the board's decision completes (a matter of its own, next year's calendar), the year's milestones.
      const pages = deps.publicBaseUrl.replace(/\/$/, '');
      const byDecision = ms.kind === 'nextCalendar' || !!(await prisma.matter.findUnique({ where: { milestoneId: ms.id }, select: { id: true } }));
      const markUrl = byDecision ? `${pages}/admin/ar/${ms.year}#moment` : `${pages}/admin#${`steg-milestone-${ms.id}`.replace(/[^A-Za-z0-9-]/g, '-')}`;
      const facts: CycleMailFacts = {
        forbundName: forbund.name,
        title: ms.title,
        dueDate: isoDay(ms.dueDate),
        ownerName: svList(to.map((o) => o.name)) || roleTitle(ms.owner) || 'ansvarig',
        ...(ms.meeting ? { meetingKind: ms.meeting.kind, meetingDate: meetingDate(ms.meeting) } : {}),
        markUrl,
        byDecision,
      };
      if (step.kind === 'milestone-reminder') {
        return stepOutcome(await mailer.send({ ...base, kind: 'milestone.reminder', routine: true, link: markUrl, to, ...milestoneReminder(facts, daysBetween(today, facts.dueDate)) }));
      }
      if (step.kind === 'milestone-overdue') {
        // The official in copy, unless the official already receives it as an owner.
        const r = recipients(to, officialAddr);
        return stepOutcome(await mailer.send({ ...base, kind: 'milestone.overdue', routine: true, link: markUrl, ...r, ...milestoneOverdue({ ...facts, copyTo: r.cc.map((a) => `${a.name}, verkställande tjänsteman,`) }) }));
      }
      const daysLate = daysBetween(facts.dueDate, today);
      await raiseEscalation(forbund.id, `milestone:${ms.id}:${facts.dueDate}`, 'milestone', ms.id, `milestone ${daysLate} days late`, now);
      const presidium = (await bodyMembers(prisma, forbund.id, 'presidium')).map(toAddress);
      // To the official and the presidium, the owners in copy; with neither, to the owners.
      const escalated = recipients([...officialAddr, ...presidium], to);
      const r = escalated.to.length ? escalated : recipients(to);
      const audience = { official: officialAddr.length > 0, presidium: presidium.some((p) => !sameAddress(p, officialAddr[0])), names: r.to.map((a) => a.name) };
      return stepOutcome(await mailer.send({ ...base, kind: 'milestone.escalation', routine: true, link: markUrl, ...r, ...milestoneEscalation({ ...facts, greetName: undefined }, daysLate, audience) }));
    }

    if (step.kind === 'kallelse') {
      const m = await prisma.meeting.findUnique({ where: { id: step.subjectId } });
      if (!m || m.status !== 'planned' || m.startsAt <= now) return 'skipped';
      const secretaries = (await peopleWithRole(prisma, forbund.id, 'secretary')).map(toAddress);
      const to = secretaries.length ? secretaries : officialAddr;
      const text = kallelseReminder({ forbundName: forbund.name, secretaryName: svList(to.map((s) => s.name)) || 'sekreterare', meetingKind: m.kind, meeting: meetingTime(m), kallelseDate: step.key.split(':')[2] });
      return stepOutcome(await mailer.send({ ...base, kind: 'meeting.kallelse', to, ...text }));
    }

    if (step.kind.startsWith('samrad-')) {
      // Medlemssamråd om budget: the proposal to the member, or a reminder while it has not replied.
      const c = await prisma.budgetConsultation.findUnique({ where: { id: step.subjectId }, include: { member: { include: { memberships: { where: SAMRAD_SEATS, include: { person: true } } } } } });
      if (!c || c.forbundId !== forbund.id) return 'skipped';
      const kind = step.kind.slice('samrad-'.length) as 'sent' | 'reminder' | 'late';
      const replyBy = isoDay(c.replyBy);
      if (kind !== 'sent' && (c.repliedOn || !dueSinceGoLive(replyBy, goLiveOf(forbund)))) return 'skipped';
      // The member's registrator; without one, its ledamöter in the styrelse.
      const to: Address[] = c.member.email ? [{ name: c.member.name, email: c.member.email }] : uniqueAddresses(c.member.memberships.map((x) => toAddress(x.person)));
      if (!to.length) return 'skipped';
      const overview = await budgetOverview(prisma, forbund.id, c.year);
      const facts: SamradMailFacts = {
        forbundName: forbund.name,
        memberName: c.member.name,
        budgetYear: c.year,
        replyBy,
        sentOn: toStockholmDate(c.sentAt),
        ...(overview ? { totals: { income: overview.totals.income, costs: overview.totals.costs, result: overview.totals.result } } : {}),
        ...(overview?.contributions.find((x) => x.memberKey === c.member.key) ? { contribution: overview.contributions.find((x) => x.memberKey === c.member.key)!.perYear } : {}),
      };
      if (kind === 'sent') {
        const message = await samradMessageOf(prisma, forbund.id, c.year, c.sentAt);
        return stepOutcome(await mailer.send({ ...base, kind: 'money.samrad', to, ...samradProposal({ ...facts, ...(message ? { message } : {}) }) }));
      }
      // After the reply date the official is told too (in the day's digest, with the link to the samråd).
      const late = kind === 'late';
      const link = `${deps.publicBaseUrl.replace(/\/$/, '')}/admin/pengar/${c.year}#samrad`;
      const r = await mailer.send({ ...base, kind: 'money.samrad-reminder', to, ...(late ? { ...recipients(to, officialAddr), routine: true, link } : {}), ...samradReminder(facts, late) });
      if (r.outcome === 'sent') await prisma.budgetConsultation.updateMany({ where: { id: c.id, NOT: { reminders: { has: kind } } }, data: { reminders: { push: kind } } });
      return stepOutcome(r);
    }

    if (step.kind === 'budget-october') {
      const year = Number(step.subjectId);
      const notice = await octoberNoticeOf(prisma, forbund, year);
      if (!notice) return 'skipped';
      const presidium = (await bodyMembers(prisma, forbund.id, 'presidium')).map(toAddress);
      const r = recipients([...officialAddr, ...presidium]);
      if (!r.to.length) return 'skipped';
      const audience = { official: officialAddr.length > 0, presidium: presidium.some((p) => !sameAddress(p, officialAddr[0])), names: r.to.map((a) => a.name) };
      const f = notice.kind === 'agenda' ? { kind: 'agenda' as const, meetingDate: notice.meetingDate, mattersBy: notice.mattersBy } : { kind: 'extra' as const };
      return stepOutcome(await mailer.send({ ...base, kind: 'money.budget-october', ...r, ...budgetAgendaNotice({ forbundName: forbund.name, year, decidedBy: budgetDecidedBy(year), ...f }, audience) }));
    }

    if (step.kind === 'calendar-missing') {
      const nextYear = Number(step.subjectId);
      const adopted = await prisma.cycleYear.findUnique({ where: { forbundId_year: { forbundId: forbund.id, year: nextYear } } });
      if (adopted?.calendarAdoptedAt) return 'skipped';
      const plan = await loadCyclePlan(prisma, forbund.id, input.year, now);
      await raiseEscalation(forbund.id, `calendar:${nextYear}`, 'calendar', String(nextYear), `calendar for ${nextYear} not adopted`, now);
      const presidium = (await bodyMembers(prisma, forbund.id, 'presidium')).map(toAddress);
      const secretaries = (await peopleWithRole(prisma, forbund.id, 'secretary')).map(toAddress);
      const r = recipients([...officialAddr, ...presidium, ...secretaries]);
      const others = (xs: Address[]) => xs.some((p) => !sameAddress(p, officialAddr[0]));
      const audience = { official: officialAddr.length > 0, presidium: others(presidium), secretary: others(secretaries), names: r.to.map((a) => a.name) };
      const text = calendarMissing({ forbundName: forbund.name, nextYear, lastMeetingDate: plan!.lastBoardDate }, audience);
      return stepOutcome(await mailer.send({ ...base, kind: 'calendar.missing', ...r, ...text }));
    }
    // Bad data, not a passing fault: no retry will help, so the step is recorded as failed at once.
    throw ApplicationFailure.nonRetryable(`unknown cycle step kind ${step.kind}`, 'BadStep');
  }

  async function raiseEscalation(forbundId: string, key: string, subjectType: string, subjectId: string, reason: string, now: Date) {
    await prisma.$transaction(async (tx) => {
      const existing = await tx.escalation.findUnique({ where: { forbundId_key: { forbundId, key } } });
      if (existing) return;
      const e = await tx.escalation.create({ data: { forbundId, key, subjectType, subjectId, reason, raisedAt: now } });
      await audit(tx, { forbundId, actor: 'system', action: 'escalation.raised', entityType: subjectType, entityId: subjectId, data: { escalationId: e.id, reason } });
    });
  }

  return { decideCycle, performCycleStep, carryOutCycleSteps };
}
