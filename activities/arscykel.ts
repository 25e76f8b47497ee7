// Activities of the årscykel workflow: decide the next step of the year, and carry one out
// (send or update or cancel an invite, remind of a milestone or a kallelse, escalate).
import { ApplicationFailure } from '@temporalio/common';
import { daysBetween, toStockholmDate } from '../domain/dates.js';
import { buildInvite } from '../domain/ics.js';
import { decide, type Decided, type Decision, type Step } from '../domain/schedule.js';
import { calendarMissing, inviteMail, kallelseReminder, milestoneEscalation, milestoneOverdue, milestoneReminder, svDate, type CycleMailFacts } from '../domain/texts.js';
import { audit } from '../services/audit.js';
import { cycleSettingsOf, describeWhen, loadCyclePlan, meetingDate, preparationOf } from '../services/arscykel.js';
import { bodyMembers, officialOf, ownersOf, peopleWithRole, toAddress } from '../services/people.js';
import { isoDay } from '../services/rapportering.js';
import type { PrismaClient } from '../prisma/db.js';
import { stepOutcome, type Address, type StepOutcome } from './mail.js';
import type { ActivityDeps } from './deps.js';

const uniq = (xs: Address[]) => [...new Map(xs.map((a) => [a.email.toLowerCase(), a])).values()];

/** Who is invited to a meeting: preparatory meetings go to their own body; board meetings to the secretary (and the board where configured). */
export async function inviteesOf(prisma: PrismaClient, forbundId: string, kind: string, inviteBoardMembers: boolean): Promise<Address[]> {
  const secretaries = (await peopleWithRole(prisma, forbundId, 'secretary')).map(toAddress);
  const official = await officialOf(prisma, forbundId);
  let people: Address[] = [];
  if (kind === 'styrelse') people = [...secretaries, ...(inviteBoardMembers ? (await bodyMembers(prisma, forbundId, 'styrelse')).map(toAddress) : [])];
  else if (kind === 'beredningsgrupp') people = [...(await bodyMembers(prisma, forbundId, 'beredningsgrupp')).map(toAddress), ...(official ? [toAddress(official)] : [])];
  else people = [...(await bodyMembers(prisma, forbundId, 'presidium')).map(toAddress), ...(official ? [toAddress(official)] : [])];
  return uniq(people.length ? people : secretaries);
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

export function cycleActivities(deps: ActivityDeps) {
  const { prisma, mailer } = deps;

  async function decideCycle(input: { forbundId: string; year: number; now: number }): Promise<Decided> {
    const now = new Date(input.now);
    const plan = await loadCyclePlan(prisma, input.forbundId, input.year, now);
    if (!plan) return { decision: { action: 'end', reason: 'förbund not found' }, forbundId: input.forbundId, forbund: '', searchAttributes: deps.searchAttributes };
    return { decision: cycleDecision(plan, input.year, now), forbundId: input.forbundId, forbund: plan.forbund.slug, searchAttributes: deps.searchAttributes };
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
      const yearMeetings = await prisma.meeting.findMany({ where: { forbundId: forbund.id, year: m.year } });
      const prep = preparationOf(yearMeetings, settings.kallelseDays).get(m.id);
      const handled = await prisma.milestone.findMany({ where: { meetingId: m.id }, orderBy: { dueDate: 'asc' } });
      const lines = [
        ...(prep?.beredningsgrupp ? [`Beredningsgruppens möte: ${svDate(prep.beredningsgrupp)}`] : []),
        ...(prep?.beredning ? [`Beredning (presidiet): ${svDate(prep.beredning)}`] : []),
        ...(prep ? [`Ärenden ska vara beredda senast: ${svDate(prep.matters)}`, `Kallelse med föredragningslista skickas senast: ${svDate(prep.kallelse)}`] : []),
        ...(handled.length ? ['Ärenden enligt årscykeln:', ...handled.map((h) => `– ${h.title}`)] : []),
      ];
      const description = lines.join('\n') || `${m.title}, ${forbund.name}`;
      const cancelled = m.status === 'cancelled';
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
      const text = inviteMail({ forbundName: forbund.name, meetingTitle: m.title, when: describeWhen(m), location: m.location ?? undefined, update: m.sequence > 0, cancelled, description });
      const r = await mailer.send({ ...base, kind: cancelled ? 'meeting.cancel' : 'meeting.invite', to: attendees, ...text, calendar: { method: cancelled ? 'CANCEL' : 'REQUEST', content: ics } });
      return stepOutcome(r);
    }

    if (step.kind.startsWith('milestone-')) {
      const ms = await prisma.milestone.findUnique({ where: { id: step.subjectId }, include: { meeting: true } });
      if (!ms || ms.status !== 'open' || !step.key.includes(`:${isoDay(ms.dueDate)}:`)) return 'skipped';
      const owners = (await ownersOf(prisma, forbund.id, ms.owner)).map(toAddress);
      const facts: CycleMailFacts = {
        forbundName: forbund.name,
        title: ms.title,
        dueDate: isoDay(ms.dueDate),
        ownerName: owners.map((o) => o.name).join(', ') || ms.owner,
        ...(ms.meeting ? { meetingTitle: ms.meeting.title, meetingDate: meetingDate(ms.meeting) } : {}),
      };
      const to = owners.length ? owners : officialAddr;
      if (step.kind === 'milestone-reminder') {
        return stepOutcome(await mailer.send({ ...base, kind: 'milestone.reminder', to, ...milestoneReminder(facts, daysBetween(today, facts.dueDate)) }));
      }
      if (step.kind === 'milestone-overdue') {
        return stepOutcome(await mailer.send({ ...base, kind: 'milestone.overdue', to, cc: officialAddr, ...milestoneOverdue(facts) }));
      }
      const daysLate = daysBetween(facts.dueDate, today);
      await raiseEscalation(forbund.id, `milestone:${ms.id}:${facts.dueDate}`, 'milestone', ms.id, `milestone ${daysLate} days late`, now);
      const presidium = (await bodyMembers(prisma, forbund.id, 'presidium')).map(toAddress);
      return stepOutcome(await mailer.send({ ...base, kind: 'milestone.escalation', to: uniq([...officialAddr, ...presidium]), cc: to, ...milestoneEscalation(facts, daysLate) }));
    }

    if (step.kind === 'kallelse') {
      const m = await prisma.meeting.findUnique({ where: { id: step.subjectId } });
      if (!m || m.status !== 'planned' || m.startsAt <= now) return 'skipped';
      const secretaries = (await peopleWithRole(prisma, forbund.id, 'secretary')).map(toAddress);
      const text = kallelseReminder({ forbundName: forbund.name, secretaryName: secretaries.map((s) => s.name).join(', ') || 'sekreterare', meetingTitle: m.title, meetingDate: meetingDate(m) });
      return stepOutcome(await mailer.send({ ...base, kind: 'meeting.kallelse', to: secretaries.length ? secretaries : officialAddr, ...text }));
    }

    if (step.kind === 'calendar-missing') {
      const nextYear = Number(step.subjectId);
      const adopted = await prisma.cycleYear.findUnique({ where: { forbundId_year: { forbundId: forbund.id, year: nextYear } } });
      if (adopted?.calendarAdoptedAt) return 'skipped';
      const plan = await loadCyclePlan(prisma, forbund.id, input.year, now);
      await raiseEscalation(forbund.id, `calendar:${nextYear}`, 'calendar', String(nextYear), `calendar for ${nextYear} not adopted`, now);
      const presidium = (await bodyMembers(prisma, forbund.id, 'presidium')).map(toAddress);
      const secretaries = (await peopleWithRole(prisma, forbund.id, 'secretary')).map(toAddress);
      const text = calendarMissing({ forbundName: forbund.name, nextYear, lastMeetingDate: plan!.lastBoardDate });
      return stepOutcome(await mailer.send({ ...base, kind: 'calendar.missing', to: uniq([...officialAddr, ...presidium, ...secretaries]), ...text }));
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

  return { decideCycle, performCycleStep };
}
