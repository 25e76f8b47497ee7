// The governance year as stored: meetings with their preparation deadlines, milestones, and the
// steps the årscykel workflow takes (invites, reminders, escalations), from the pure rules.
import { octoberNotice, samradKey, samradReminderPlan, type OctoberNotice } from '../domain/budgetsamrad.js';
import { addDays, startOfStockholmDay, stockholmDateTime, toStockholmDate, toStockholmTime } from '../domain/dates.js';
import type { Cycle } from '../domain/forbund-file.js';
import { kallelseDeadline, preparationDeadline } from '../domain/kalendarium.js';
import { dueSinceGoLive, plannedFrom, reminderPlanFrom, SEND_TIME, DEFAULT_POLICY, type ReportingPolicy } from '../domain/rapportering.js';
import type { Step } from '../domain/schedule.js';
import { svWhen, type MeetingTime } from '../domain/texts.js';
import type { PrismaClient } from '../prisma/db.js';
import { bodyMembers, officialOf } from './people.js';
import { goLiveOf, isoDay, settledKeys } from './rapportering.js';

export type CycleSettings = Omit<Cycle, 'meetings' | 'planningDays'>;

export function cycleSettingsOf(forbund: { cycleSettings: unknown }): CycleSettings {
  const s = forbund.cycleSettings as Partial<CycleSettings>;
  return { defaults: { start: '09:00', end: '12:00' }, kallelseDays: 7, inviteBoardMembers: false, preparation: { beredningsgruppDaysBefore: 21, beredningDaysBefore: 14 }, milestones: {}, ...s };
}

type MeetingRow = { id: string; key: string; kind: string; title: string; startsAt: Date; endsAt: Date; location: string | null; forMeetingId: string | null; status: string; sequence: number; year: number; updatedAt: Date };

export const meetingDate = (m: { startsAt: Date }) => toStockholmDate(m.startsAt);

/** Preparation deadlines of each board meeting: its beredningsgrupp and beredning, and the kallelse. */
export function preparationOf(meetings: MeetingRow[], kallelseDays: number) {
  const plain = meetings.filter((m) => m.status === 'planned').map((m) => ({ key: m.id, kind: m.kind as never, date: meetingDate(m), forKey: m.forMeetingId ?? undefined }));
  const out = new Map<string, { matters: string; kallelse: string; beredningsgrupp?: string; beredning?: string }>();
  for (const m of meetings.filter((x) => x.kind === 'styrelse' && x.status === 'planned')) {
    const prep = (kind: string) => meetings.find((p) => p.kind === kind && p.forMeetingId === m.id && p.status === 'planned');
    const bg = prep('beredningsgrupp');
    const b = prep('beredning');
    out.set(m.id, {
      matters: preparationDeadline(plain, m.id),
      kallelse: kallelseDeadline(meetingDate(m), kallelseDays),
      ...(bg ? { beredningsgrupp: meetingDate(bg) } : {}),
      ...(b ? { beredning: meetingDate(b) } : {}),
    });
  }
  return out;
}

export const inviteKey = (meetingId: string, sequence: number) => `invite:${meetingId}:${sequence}`;
export const milestoneKey = (id: string, due: string, step: string) => `milestone:${id}:${due}:${step}`;
export const calendarKey = (forbundId: string, nextYear: number) => `calendar:${forbundId}:${nextYear}`;
/** The seats whose holders get the samråd's mails for a member without a registrator: its ledamöter in the styrelse. */
export const SAMRAD_SEATS = { body: { kind: 'styrelse' as const }, role: { not: 'deputy' } };
export const octoberKey = (forbundId: string, year: number) => `budget-october:${forbundId}:${year}`;

/**
 * The October notice of `year` as the data stands (domain/budgetsamrad.ts octoberNotice): the
 * förbund's vpBudget milestone of the year and its board meeting, whether next year's budget is
 * adopted, the year's planned board meetings with the day their agenda closes for matters.
 */
export async function octoberNoticeOf(prisma: PrismaClient, forbund: { id: string; goLiveOn?: Date | null; cycleSettings: unknown }, year: number): Promise<OctoberNotice | undefined> {
  const [vp, budget, meetings] = await Promise.all([
    prisma.milestone.findUnique({ where: { forbundId_year_kind: { forbundId: forbund.id, year, kind: 'vpBudget' } } }),
    prisma.budgetYear.findUnique({ where: { forbundId_year: { forbundId: forbund.id, year: year + 1 } }, select: { adoptedAt: true } }),
    prisma.meeting.findMany({ where: { forbundId: forbund.id, year }, orderBy: { startsAt: 'asc' } }),
  ]);
  const prep = preparationOf(meetings, cycleSettingsOf(forbund).kallelseDays);
  // A milestone on a preparatory meeting (Sydnärke's on the beredningsgrupp in November) goes to the board meeting it prepares.
  const at = vp?.meetingId ? meetings.find((m) => m.id === vp.meetingId) : undefined;
  const boardId = at && at.kind !== 'styrelse' ? at.forMeetingId : vp?.meetingId ?? null;
  return octoberNotice({
    year,
    goLive: goLiveOf(forbund),
    ...(vp ? { vpBudget: { meetingId: boardId, done: vp.status !== 'open' } } : {}),
    budgetAdopted: !!budget?.adoptedAt,
    boardMeetings: meetings.filter((m) => m.kind === 'styrelse' && m.status === 'planned' && prep.has(m.id)).map((m) => ({ id: m.id, date: meetingDate(m), mattersBy: prep.get(m.id)!.matters })),
  });
}

export async function loadCyclePlan(prisma: PrismaClient, forbundId: string, year: number, now: Date) {
  const forbund = await prisma.forbund.findUnique({ where: { id: forbundId } });
  if (!forbund) return undefined;
  const settings = cycleSettingsOf(forbund);
  const policy: ReportingPolicy = (forbund.reportingPolicy as unknown as ReportingPolicy) ?? DEFAULT_POLICY;
  const [years, meetings, milestones] = await Promise.all([
    prisma.cycleYear.findMany({ where: { forbundId, year: { gte: year } } }),
    prisma.meeting.findMany({ where: { forbundId, year: { gte: year } }, orderBy: { startsAt: 'asc' } }),
    prisma.milestone.findMany({ where: { forbundId, year: { lte: year }, status: 'open' }, include: { meeting: true }, orderBy: { dueDate: 'asc' } }),
  ]);
  const adopted = new Set(years.filter((y) => y.calendarAdoptedAt).map((y) => y.year));
  const steps: Step[] = [];

  // Invites: every change of an adopted meeting (new, moved: higher SEQUENCE; cancelled) goes out once.
  // A board meeting's invites, kallelse and minutes are its own workflow's (workflows/sammantrade.ts).
  const invitedBefore = new Set(
    (await prisma.notification.findMany({ where: { forbundId, key: { startsWith: 'invite:' } }, select: { key: true } })).map((n) => n.key.split(':')[1]),
  );
  for (const m of meetings) {
    if (!adopted.has(m.year) || m.kind === 'planning_day' || m.kind === 'styrelse' || m.endsAt <= now) continue;
    if (m.status === 'cancelled' && !invitedBefore.has(m.id)) continue;
    steps.push({ key: inviteKey(m.id, m.sequence), group: `invite:${m.id}`, at: (m.updatedAt < now ? m.updatedAt : now).toISOString(), kind: m.status === 'cancelled' ? 'cancel' : 'invite', subjectId: m.id, summary: `${m.status === 'cancelled' ? 'cancel' : m.sequence > 0 ? 'invite update' : 'invite'}: ${m.title} ${meetingDate(m)}` });
  }

  // Milestones: reminded like reports, escalated to the official and the presidium when late;
  // none due before the förbund's go-live (it predates the product).
  const from = plannedFrom(goLiveOf(forbund));
  for (const ms of milestones) {
    const due = isoDay(ms.dueDate);
    for (const r of reminderPlanFrom(policy, due, from)) {
      steps.push({ key: milestoneKey(ms.id, due, r.key), group: `milestone:${ms.id}`, at: r.at.toISOString(), kind: `milestone-${r.kind}`, subjectId: ms.id, summary: `milestone ${r.key}: ${ms.title}, due ${due}` });
    }
  }

  // Medlemssamråd om budget (services/budgetsamrad.ts): the proposal to each member consulted this
  // year (on this year's budget, late, or next year's), once; and, to those without a reply, the
  // reminder before the reply date and the one after it. Those sent in a later year are that year's.
  const goLive = goLiveOf(forbund);
  const consultations = await prisma.budgetConsultation.findMany({
    where: { forbundId, year: { in: [year, year + 1] } },
    include: { member: { select: { name: true, email: true, memberships: { where: SAMRAD_SEATS, select: { id: true } } } } },
    orderBy: { sentAt: 'asc' },
  });
  for (const c of consultations) {
    const sentOn = toStockholmDate(c.sentAt);
    // A member with neither a registrator nor a ledamot gets no mail: no step that would only be skipped.
    if (Number(sentOn.slice(0, 4)) > year || !dueSinceGoLive(sentOn, goLive) || (!c.member.email && !c.member.memberships.length)) continue;
    steps.push({ key: samradKey(c.id, 'sent'), group: samradKey(c.id, 'sent'), at: c.sentAt.toISOString(), kind: 'samrad-sent', subjectId: c.id, summary: `budget samråd ${c.year}: proposal to ${c.member.name}, reply by ${isoDay(c.replyBy)}` });
    for (const r of samradReminderPlan({ id: c.id, sentOn, replyBy: isoDay(c.replyBy), replied: !!c.repliedOn }, goLive)) {
      steps.push({ key: r.key, group: `samrad:${c.id}:reminders`, at: r.at, kind: `samrad-${r.kind}`, subjectId: c.id, summary: `budget samråd ${c.year}: ${r.kind} to ${c.member.name}, reply by ${isoDay(c.replyBy)}` });
    }
  }

  // The budget decided in time: in October, unless a board meeting by 30 November has it.
  const notice = await octoberNoticeOf(prisma, forbund, year);
  if (notice && toStockholmDate(now) <= `${year}-11-30` && ((await officialOf(prisma, forbundId)) || (await bodyMembers(prisma, forbundId, 'presidium')).length)) {
    steps.push({ key: octoberKey(forbundId, year), group: 'budget-october', at: stockholmDateTime(notice.day, SEND_TIME).toISOString(), kind: 'budget-october', subjectId: String(year), summary: `budget ${year + 1}: no board meeting by ${year}-11-30 has it (${notice.kind === 'agenda' ? `agenda closes ${notice.mattersBy}` : 'extra meeting needed'})` });
  }

  const thisYear = meetings.filter((m) => m.year === year);
  // Next year's calendar must be adopted by the last board meeting of the year.
  const boards = thisYear.filter((m) => m.kind === 'styrelse' && m.status === 'planned');
  const last = boards[boards.length - 1];
  const lastDate = last ? meetingDate(last) : `${year}-12-31`;
  const nextAdopted = adopted.has(year + 1);
  if (!nextAdopted) {
    steps.push({ key: calendarKey(forbundId, year + 1), group: 'calendar', at: stockholmDateTime(addDays(lastDate, 1), SEND_TIME).toISOString(), kind: 'calendar-missing', subjectId: String(year + 1), summary: `calendar ${year + 1} not adopted: escalate` });
  }

  const sent = await settledKeys(prisma, steps.map((s) => s.key), forbundId);
  const escalatedCalendar = await prisma.escalation.findUnique({ where: { forbundId_key: { forbundId, key: `calendar:${year + 1}` } } });
  if (escalatedCalendar) sent.add(calendarKey(forbundId, year + 1));
  return { forbund, settings, meetings, milestones, steps, sent, nextAdopted, lastBoardDate: lastDate, yearEnd: startOfStockholmDay(`${year + 1}-01-01`) };
}

/** A meeting's local date and times (none for a whole-day planning day, stored 00:00–23:59). */
export function meetingTime(m: { startsAt: Date; endsAt: Date }): MeetingTime {
  const date = toStockholmDate(m.startsAt);
  const start = toStockholmTime(m.startsAt);
  const end = toStockholmTime(m.endsAt);
  return start === '00:00' && end === '23:59' ? { date } : { date, start, end };
}

/** 'torsdagen den 26 februari 2037 kl. 9.00–12.00' */
export function describeWhen(m: { startsAt: Date; endsAt: Date }): string {
  return svWhen(meetingTime(m));
}
