// What goes out in the days ahead, for the official's start page: calendar invites and
// cancellations of the meetings, the milestones' reminders and escalations and the missing
// calendar (the årscykel's plan, services/arscykel.ts), and each board meeting's invites,
// underlag, the reminder of the kallelse, the kallelse and the justering reminders (its plan,
// services/styrelse.ts). Steps already sent are left out. The reports' reminders come from the
// same function as GET planned-reminders (api/rapportering.ts) and are added by the page.
// Texts are Swedish: this is what a person reads.
import { addDays, toStockholmDate } from '../domain/dates.js';
import { MEETING_TITLES, type MeetingKind } from '../domain/kalendarium.js';
import type { PrismaClient } from '../prisma/db.js';
import { loadCyclePlan, meetingDate, meetingTime } from './arscykel.js';
import { ownersOf } from './people.js';
import { boardPlan } from './styrelse.js';
import { svDate, svWhen } from '../domain/texts.js';

export interface Upcoming {
  /** When it goes (ISO instant); for `asap`, when it became due. */
  at: string;
  /** Due already: goes out as soon as the workflow runs (a new or moved meeting's invite). */
  asap: boolean;
  /** What kind of send, in a word or two ('Kalenderinbjudan', 'Påminnelse', 'Kallelse' …). */
  kind: string;
  what: string;
  to: string;
  /** The meeting it is about, for a link to it on the year page. */
  meetingId?: string;
  year?: number;
}

const BODY_OF: Record<string, string> = {
  beredningsgrupp: 'beredningsgruppen',
  beredning: 'presidiet',
  presidium: 'presidiet',
  styrelse: 'styrelsen',
  planning_day: 'styrelsen',
};

const titleOf = (m: { kind: string; title: string }) => m.title || MEETING_TITLES[m.kind as MeetingKind];
const meetingLabel = (m: { kind: string; title: string; startsAt: Date }) => `${titleOf(m)} ${svDate(meetingDate(m))}`;
/** 'Styrelsemöte 26 februari 2026 kl. 9.00–12.00' */
const meetingWhen = (m: { kind: string; title: string; startsAt: Date; endsAt: Date }) => `${titleOf(m)} ${svWhen(meetingTime(m), 'short')}`;

/** Everything the workflows will send from now until `days` days ahead (and what is due already), in time order. */
export async function upcomingSends(prisma: PrismaClient, forbundId: string, now: Date, days = 14): Promise<Upcoming[]> {
  const until = new Date(now.getTime() + days * 86_400_000);
  const inWindow = (at: string) => at >= now.toISOString() && at <= until.toISOString();
  const year = Number(toStockholmDate(now).slice(0, 4));
  const out: Upcoming[] = [];

  // The year's own steps (and, late in the year, what is already planned for the next).
  const plan = await loadCyclePlan(prisma, forbundId, year, now);
  if (plan) {
    const meetingById = new Map(plan.meetings.map((m) => [m.id, m]));
    const milestoneById = new Map(plan.milestones.map((m) => [m.id, m]));
    const owners = new Map<string, string>();
    const ownerNames = async (owner: string) => {
      if (!owners.has(owner)) owners.set(owner, (await ownersOf(prisma, forbundId, owner)).map((p) => p.name).join(', ') || 'ansvarig');
      return owners.get(owner)!;
    };
    for (const s of plan.steps) {
      if (plan.sent.has(s.key)) continue;
      if (s.kind === 'invite' || s.kind === 'cancel') {
        const m = meetingById.get(s.subjectId);
        if (!m) continue;
        const asap = s.at <= now.toISOString();
        if (!asap && !inWindow(s.at)) continue;
        out.push({
          at: s.at,
          asap,
          kind: s.kind === 'cancel' ? 'Avbokning' : m.sequence > 0 ? 'Ändrad kalenderinbjudan' : 'Kalenderinbjudan',
          what: s.kind === 'invite' ? meetingWhen(m) : `${meetingLabel(m)} är inställt`,
          to: BODY_OF[m.kind] ?? 'deltagarna',
          meetingId: m.id,
          year: m.year,
        });
      } else if (s.kind.startsWith('milestone-')) {
        const ms = milestoneById.get(s.subjectId);
        if (!ms || !inWindow(s.at)) continue;
        const name = await ownerNames(ms.owner);
        const due = svDate(ms.dueDate.toISOString().slice(0, 10));
        if (s.kind === 'milestone-reminder') out.push({ at: s.at, asap: false, kind: 'Påminnelse', what: `Momentet ”${ms.title}”, sista dag ${due}`, to: name });
        else if (s.kind === 'milestone-overdue') out.push({ at: s.at, asap: false, kind: 'Påminnelse, försenat', what: `Momentet ”${ms.title}”, sista dag var ${due}`, to: `${name}, med kopia till tjänstepersonen` });
        else out.push({ at: s.at, asap: false, kind: 'Eskalering', what: `Momentet ”${ms.title}” är försenat (sista dag ${due})`, to: 'tjänstepersonen och presidiet' });
      } else if (s.kind.startsWith('samrad-') && (inWindow(s.at) || (s.kind === 'samrad-sent' && s.at <= now.toISOString()))) {
        const c = await prisma.budgetConsultation.findUnique({ where: { id: s.subjectId }, include: { member: { select: { name: true } } } });
        if (!c) continue;
        const replyBy = svDate(c.replyBy.toISOString().slice(0, 10));
        if (s.kind === 'samrad-sent') out.push({ at: s.at, asap: s.at <= now.toISOString(), kind: 'Samråd om budget', what: `Förslaget till budget ${c.year}, svar senast ${replyBy}`, to: c.member.name });
        else out.push({ at: s.at, asap: false, kind: s.kind === 'samrad-late' ? 'Påminnelse, försenat' : 'Påminnelse', what: `Samrådet om budget ${c.year}, svar senast ${replyBy}`, to: c.member.name });
      } else if (s.kind === 'budget-october' && inWindow(s.at)) {
        out.push({ at: s.at, asap: false, kind: 'Påminnelse', what: `Budget ${Number(s.subjectId) + 1}: inget styrelsemöte senast 30 november har ärendet`, to: 'tjänstepersonen och presidiet' });
      } else if (s.kind === 'calendar-missing' && inWindow(s.at)) {
        out.push({ at: s.at, asap: false, kind: 'Eskalering', what: `Sammanträdesplanen för ${s.subjectId} är inte fastställd`, to: 'tjänstepersonen, presidiet och sekreteraren' });
      }
    }
  }

  // Each board meeting ahead runs its own process: invites, underlag, kallelse, justering.
  const adopted = new Set((await prisma.cycleYear.findMany({ where: { forbundId, calendarAdoptedAt: { not: null } }, select: { year: true } })).map((y) => y.year));
  const boards = await prisma.meeting.findMany({
    where: { forbundId, kind: 'styrelse', status: 'planned', year: { in: [...adopted] }, decisionsSentAt: null, startsAt: { lte: new Date(until.getTime() + 60 * 86_400_000) }, OR: [{ endsAt: { gt: now } }, { minutesSentAt: { not: null } }] },
    include: { preparedBy: { where: { status: 'planned' } } },
    orderBy: { startsAt: 'asc' },
  });
  const sentKeys = new Set(
    (await prisma.notification.findMany({ where: { forbundId, status: { in: ['sent', 'failed'] }, OR: boards.map((m) => ({ key: { contains: `:${m.id}:` } })) }, select: { key: true } })).map((n) => n.key),
  );
  const sentWith = (prefix: string) => [...sentKeys].some((k) => k.startsWith(prefix));
  for (const m of boards) {
    const p = await boardPlan(prisma, m.id);
    if (!p) continue;
    const label = meetingLabel(m);
    const base = { meetingId: m.id, year: m.year };
    if (m.endsAt > now && !sentWith(`invite:${m.id}:${m.sequence}:`)) {
      out.push({ ...base, at: m.updatedAt.toISOString(), asap: true, kind: m.sequence > 0 ? 'Ändrad kalenderinbjudan' : 'Kalenderinbjudan', what: meetingWhen(m), to: 'ledamöterna, sekreteraren och tjänstepersonen' });
    }
    if (!p.kallelseSentAt) {
      for (const kind of ['beredningsgrupp', 'beredning'] as const) {
        const prep = p[kind];
        const prepMeeting = m.preparedBy.filter((x) => x.kind === kind).sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime())[0];
        if (!prep || !prepMeeting || !inWindow(prep.underlagAt) || sentWith(`underlag:${m.id}:${prepMeeting.id}`)) continue;
        out.push({ ...base, at: prep.underlagAt, asap: false, kind: 'Underlag', what: `Ärendena till ${label}, inför mötet ${svDate(prep.date)}`, to: kind === 'beredning' ? 'presidiet' : 'beredningsgruppen' });
      }
      if (inWindow(p.kallelseReminderAt) && !sentWith(`kallelse-reminder:${m.id}:${p.kallelseDate}`)) {
        out.push({ ...base, at: p.kallelseReminderAt, asap: false, kind: 'Påminnelse', what: `Kallelsen till ${label} ska gå ut senast ${svDate(p.kallelseDate)}`, to: 'sekreteraren' });
      }
      if (inWindow(p.kallelseAt)) {
        out.push({ ...base, at: p.kallelseAt, asap: false, kind: 'Kallelse', what: `Kallelse med föredragningslista till ${label}`, to: 'ledamöterna och de inkallade ersättarna' });
      }
    }
    if (p.minutesSentAt && !p.justeradAt && p.justeringDue) {
      for (const r of p.justeringReminders) {
        if (!inWindow(r.at) || sentWith(`justering:${m.id}:${p.justeringDue}:${r.overdue ? 'overdue' : 'reminder'}`)) continue;
        out.push({ ...base, at: r.at, asap: false, kind: r.overdue ? 'Påminnelse, försenat' : 'Påminnelse', what: `Protokollet från ${label} ska justeras senast ${svDate(p.justeringDue)}`, to: 'justeraren' });
      }
    }
  }
  return out.sort((a, b) => Number(b.asap) - Number(a.asap) || a.at.localeCompare(b.at));
}

/** The last day the list covers (for its heading). */
export const upcomingUntil = (now: Date, days = 14) => addDays(toStockholmDate(now), days);
