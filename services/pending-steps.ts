// The pending steps: what waits for a person of a förbund today, from each part of its year (the
// reports, the cycle's milestones and meetings, failed e-mails, the board's matters and meetings,
// the money's reviews), each a plain PendingStep (domain/pending.ts). The API's pending-steps and
// the start page (Att göra) read them from here, sorted overdue first and kept
// ready per data version.
import { addDays, toStockholmDate } from '../domain/dates.js';
import { DEFAULT_JUSTERING_DAYS, OWNER_ROLES } from '../domain/forbund-file.js';
import { pendingStep, sortPending, type PendingStep } from '../domain/pending.js';
import { plannedFrom, REPORT_NAMES } from '../domain/rapportering.js';
import { PUBLISHED_KINDS } from '../domain/publicering.js';
import { startAwareStep, startState } from '../domain/startlage.js';
import type { PrismaClient } from '../prisma/db.js';
import { cycleSettingsOf, meetingDate } from './arscykel.js';
import { officialOf, ownersOf, peopleWithRole } from './people.js';
import type { ReadCache } from './read-cache.js';
import { activeProjectIds, goLiveOf, isoDay, obligationPlannedFrom } from './rapportering.js';
import { attendanceOf, boardPlan, justeringDueOn } from './styrelse.js';
import { statutoryPendingSteps } from './redovisning.js';
import { samradPendingSteps } from './budgetsamrad.js';

/** One part of the year's pending steps. */
export type PendingSource = (prisma: PrismaClient, forbund: { id: string; slug: string }, today: string) => Promise<PendingStep[]>;

export async function deliveryPendingSteps(prisma: PrismaClient, forbund: { id: string; slug: string }, today: string): Promise<PendingStep[]> {
  const rows = await prisma.notification.findMany({
    where: { forbundId: forbund.id, resolvedAt: null, OR: [{ status: 'failed' }, { status: 'sent', rejected: { isEmpty: false } }] },
    orderBy: { claimedAt: 'asc' },
    take: 500,
  });
  if (!rows.length) return [];
  const official = await officialOf(prisma, forbund.id);
  return rows.map((n) =>
    pendingStep(
      {
        type: 'delivery',
        id: n.id,
        title:
          n.status === 'failed'
            ? `Not delivered: "${n.subject}" to ${n.recipients.join(', ') || 'nobody'} (${n.error ?? 'refused'})`
            : `Refused by the mail server for ${n.rejected.join(', ')}: "${n.subject}"`,
        waitingOn: { role: 'official', name: official?.name ?? null, email: official?.email ?? null },
        dueDate: toStockholmDate(n.claimedAt),
        escalated: false,
        links: { resolve: `/api/v1/forbund/${forbund.slug}/deliveries/${n.id}/resolve`, ...(n.status === 'failed' ? { resend: `/api/v1/forbund/${forbund.slug}/deliveries/${n.id}/resend` } : {}) },
      },
      today,
    ),
  );
}

/**
 * Open reports whose period has ended or that fall due within 30 days. What was open at go-live
 * (domain/startlage.ts) is not a pending step but on "Läget vid start"; one the official kept open
 * ("still wanted") waits and is never overdue.
 */
export async function reportPendingSteps(prisma: PrismaClient, forbund: { id: string; slug: string }, today: string): Promise<PendingStep[]> {
  const forbundId = forbund.id;
  const horizon = new Date(`${today}T00:00:00Z`);
  horizon.setUTCDate(horizon.getUTCDate() + 30);
  const [obligations, escalations, f] = await Promise.all([
    prisma.reportingObligation.findMany({
      where: { status: 'open', projectId: { in: await activeProjectIds(prisma, forbundId) }, OR: [{ periodEnd: { lt: new Date(`${today}T00:00:00Z`) } }, { dueDate: { lte: horizon } }] },
      include: { project: { include: { coordinator: true } } },
    }),
    prisma.escalation.findMany({ where: { forbundId, subjectType: 'obligation', resolvedAt: null }, select: { subjectId: true } }),
    prisma.forbund.findUnique({ where: { id: forbundId }, select: { goLiveOn: true } }),
  ]);
  const escalated = new Set(escalations.map((e) => e.subjectId));
  return obligations.flatMap((o) => {
    const step = pendingStep(
      {
        type: 'report',
        id: o.id,
        title: `${REPORT_NAMES[o.kind]} ${isoDay(o.periodStart)}–${isoDay(o.periodEnd)}: ${o.project.name}`,
        waitingOn: { role: 'coordinator', name: o.project.coordinator.name, email: o.project.coordinator.email },
        dueDate: isoDay(o.dueDate),
        escalated: escalated.has(o.id),
        links: { project: `/api/v1/forbund/${forbund.slug}/projects/${o.project.key}` },
      },
      today,
    );
    const shown = startAwareStep(step, startState({ status: o.status, dueDate: isoDay(o.dueDate), plannedFrom: obligationPlannedFrom(f ?? {}, o), startSettledAt: o.startSettledAt }));
    return shown ? [shown] : [];
  });
}

/**
 * Each report whose latest version waits for the förbundschef's review before it is published
 * (services/granskning.ts) is the official's step, due a week after it came in but not before its
 * period has ended (nothing of it is public before). Only the reports the public page could show:
 * the published kinds, and of an ended project its final report.
 */
export async function reviewPendingSteps(prisma: PrismaClient, forbund: { id: string; slug: string }, today: string): Promise<PendingStep[]> {
  const waiting = await prisma.reportingObligation.findMany({
    where: { projectId: { in: await activeProjectIds(prisma, forbund.id) }, kind: { in: [...PUBLISHED_KINDS] }, submissions: { some: { reviewStatus: 'pending' } } },
    include: { project: { select: { name: true, endDate: true } }, submissions: { orderBy: { version: 'desc' }, take: 1, select: { version: true, submittedAt: true, reviewStatus: true } } },
  });
  const rows = waiting.filter((o) => o.submissions[0]?.reviewStatus === 'pending' && (o.kind === 'final' || isoDay(o.project.endDate) >= today));
  if (!rows.length) return [];
  const official = await officialOf(prisma, forbund.id);
  return rows.map((o) => {
    const s = o.submissions[0];
    const week = addDays(toStockholmDate(s.submittedAt), 7);
    const ended = addDays(isoDay(o.periodEnd), 1);
    return pendingStep(
      {
        type: 'review',
        id: o.id,
        title: `Granska ${REPORT_NAMES[o.kind]} ${isoDay(o.periodStart)}–${isoDay(o.periodEnd)} från ${o.project.name} före publicering (version ${s.version})`,
        waitingOn: { role: 'official', name: official?.name ?? null, email: official?.email ?? null },
        dueDate: week > ended ? week : ended,
        escalated: false,
        links: { page: `/admin/rapporter/${o.id}#granskning`, review: `/api/v1/forbund/${forbund.slug}/obligations/${o.id}/review` },
      },
      today,
    );
  });
}

/**
 * The cycle's pending steps: open milestones (due within 30 days or late), and a missing calendar.
 * Milestones open at go-live are on "Läget vid start" instead (domain/startlage.ts); one kept open
 * there ("still wanted") waits and is never overdue.
 */
export async function cyclePendingSteps(prisma: PrismaClient, forbund: { id: string; slug: string }, today: string): Promise<PendingStep[]> {
  const horizon = new Date(`${addDays(today, 30)}T00:00:00Z`);
  const year = Number(today.slice(0, 4));
  const [all, escalations, next, lastBoard, f] = await Promise.all([
    prisma.milestone.findMany({ where: { forbundId: forbund.id, status: 'open', dueDate: { lte: horizon } }, include: { meeting: true } }),
    prisma.escalation.findMany({ where: { forbundId: forbund.id, resolvedAt: null, subjectType: { in: ['milestone', 'calendar'] } } }),
    prisma.cycleYear.findUnique({ where: { forbundId_year: { forbundId: forbund.id, year: year + 1 } } }),
    prisma.meeting.findFirst({ where: { forbundId: forbund.id, year, kind: 'styrelse', status: 'planned' }, orderBy: { startsAt: 'desc' } }),
    prisma.forbund.findUnique({ where: { id: forbund.id }, select: { goLiveOn: true } }),
  ]);
  // What was open at go-live is on "Läget vid start", not a pending step; one kept open ("still wanted") is never overdue.
  const from = plannedFrom(goLiveOf(f ?? {}));
  const stateOf = (ms: (typeof all)[number]) => startState({ status: ms.status, dueDate: isoDay(ms.dueDate), plannedFrom: from, startSettledAt: ms.startSettledAt });
  const milestones = all.filter((ms) => stateOf(ms) !== 'start');
  const escalated = new Set(escalations.map((e) => e.subjectId));
  // A milestone the board adopts is done by its decision: the step links to its matter.
  const matters = new Map((await prisma.matter.findMany({ where: { milestoneId: { in: milestones.map((m) => m.id) } }, select: { milestoneId: true, dnr: true } })).map((x) => [x.milestoneId!, x.dnr]));
  // A role name wins over a person whose key happens to be the same (as resolveOwner and the workflow do).
  // Owners resolved as the workflow resolves them: a role (chair = the board's chair) or a person key.
  const ownerKeys = [...new Set([...milestones.map((m) => m.owner), 'secretary'])];
  const resolved = new Map(await Promise.all(ownerKeys.map(async (o) => [o, await ownersOf(prisma, forbund.id, o)] as const)));
  const owner = (o: string) => {
    const p = resolved.get(o)?.[0];
    return { role: (OWNER_ROLES as readonly string[]).includes(o) ? o : 'person', name: p?.name ?? null, email: p?.email ?? null };
  };
  const steps = milestones.map((ms) => {
    const step = pendingStep(
      {
        type: 'milestone',
        id: ms.id,
        title: `${ms.title}${ms.meeting ? ` (${ms.meeting.title.toLowerCase()} ${meetingDate(ms.meeting)})` : ''}`,
        waitingOn: owner(ms.owner),
        dueDate: isoDay(ms.dueDate),
        escalated: escalated.has(ms.id),
        links: matters.has(ms.id)
          ? { matter: `/api/v1/forbund/${forbund.slug}/matters/${matters.get(ms.id)}`, year: `/api/v1/forbund/${forbund.slug}/years/${ms.year}` }
          : { done: `/api/v1/forbund/${forbund.slug}/milestones/${ms.id}/done`, year: `/api/v1/forbund/${forbund.slug}/years/${ms.year}` },
      },
      today,
    );
    // Never undefined here: what is on the start list was left out above.
    return startAwareStep(step, stateOf(ms))!;
  });
  // Next year's calendar is due at the last board meeting of the year.
  const due = lastBoard ? meetingDate(lastBoard) : `${year}-12-31`;
  if (!next?.calendarAdoptedAt && addDays(today, 30) >= due) {
    steps.push(
      pendingStep(
        {
          type: 'calendar',
          id: String(year + 1),
          title: `Sammanträdesplan för ${year + 1} fastställs av styrelsen`,
          waitingOn: owner('secretary'),
          dueDate: due,
          escalated: escalated.has(String(year + 1)),
          links: { adopt: `/api/v1/forbund/${forbund.slug}/years/${year + 1}/calendar` },
        },
        today,
      ),
    );
  }
  return steps;
}

/** The board's process as pending steps: matters to prepare, a board heading below quorum, minutes to send or justera, follow-ups. */
export async function boardPendingSteps(prisma: PrismaClient, forbund: { id: string; slug: string }, today: string): Promise<PendingStep[]> {
  const horizon = new Date(`${addDays(today, 30)}T23:59:59Z`);
  const [unprepared, homeless, meetings, followUps] = await Promise.all([
    prisma.matter.findMany({ where: { forbundId: forbund.id, status: 'registered', meeting: { startsAt: { lte: new Date(Date.parse(horizon.toISOString()) + 30 * 86_400_000) } } }, include: { meeting: true } }),
    // Moved on to "the next meeting" when there was none (or registered before one was planned): never hidden.
    prisma.matter.findMany({ where: { forbundId: forbund.id, status: { in: ['registered', 'prepared'] }, meetingId: null }, orderBy: [{ year: 'asc' }, { number: 'asc' }] }),
    prisma.meeting.findMany({ where: { forbundId: forbund.id, kind: 'styrelse', status: 'planned', decisionsSentAt: null, startsAt: { lte: new Date(Date.parse(horizon.toISOString()) + 14 * 86_400_000) }, endsAt: { gte: new Date(Date.parse(today) - 120 * 86_400_000) } }, include: { forbund: true } }),
    prisma.agendaItem.findMany({ where: { meeting: { forbundId: forbund.id, justeradAt: { not: null } }, actionDue: { not: null }, reportedBackAt: null, matter: { status: 'follow_up' } }, include: { matter: true, meeting: true } }),
  ]);
  const who = async (owner: string) => {
    const p = (await ownersOf(prisma, forbund.id, owner))[0];
    return { role: ['official', 'secretary', 'economist', 'chair'].includes(owner) ? owner : 'person', name: p?.name ?? null, email: p?.email ?? null };
  };
  const api = `/api/v1/forbund/${forbund.slug}`;
  const steps: PendingStep[] = [];
  for (const x of unprepared) {
    const plan = x.meetingId ? await boardPlan(prisma, x.meetingId) : null;
    if (!plan) continue;
    const due = toStockholmDate(new Date(plan.agendaClosesAt));
    if (due > addDays(today, 30)) continue;
    steps.push(pendingStep({ type: 'matter', id: x.id, title: `Bered ${x.dnr} ${x.title} till styrelsen ${plan.date}`, waitingOn: await who(x.owner), dueDate: due, escalated: false, links: { prepared: `${api}/matters/${x.dnr}/prepared`, matter: `${api}/matters/${x.dnr}` } }, today));
  }
  for (const x of homeless) {
    steps.push(pendingStep({ type: 'matter', id: x.id, title: `Inget styrelsemöte att ta ärendet: ${x.title}`, waitingOn: await who(x.owner), dueDate: today, escalated: false, links: { matter: `${api}/matters/${x.dnr}`, chooseMeeting: `${api}/matters/${x.dnr}/meeting`, page: `/admin/arenden/${x.dnr}` } }, today));
  }
  for (const m of meetings) {
    const date = toStockholmDate(m.startsAt);
    const links = { meeting: `${api}/meetings/${m.id}` };
    if (!m.kallelseSentAt) {
      const { quorum } = await attendanceOf(prisma, m);
      const plan = await boardPlan(prisma, m.id);
      const called = await prisma.attendance.count({ where: { meetingId: m.id } });
      if (called > 0 && !quorum.quorate && quorum.seats > 0 && plan) {
        steps.push(pendingStep({ type: 'quorum', id: m.id, title: `Styrelsen ${date} är inte beslutsför: ${quorum.expected} av ${quorum.seats} kommer (minst ${quorum.needed} behövs)`, waitingOn: await who('secretary'), dueDate: plan.kallelseDate, escalated: false, links }, today));
      }
    } else if (m.heldAt && !m.minutesSentAt) {
      const days = cycleSettingsOf(m.forbund).justeringDays ?? DEFAULT_JUSTERING_DAYS;
      steps.push(pendingStep({ type: 'minutes', id: m.id, title: `Protokoll från styrelsen ${date}: besluten förs in och protokollet skickas till justeraren`, waitingOn: await who('secretary'), dueDate: addDays(justeringDueOn(date, days), -7), escalated: false, links: { ...links, minutes: `${api}/meetings/${m.id}/minutes` } }, today));
    } else if (m.minutesSentAt && !m.justeradAt && m.justeringDue) {
      const justerare = m.justerare ? await who(m.justerare) : await who('secretary');
      steps.push(pendingStep({ type: 'justering', id: m.id, title: `Protokollet från styrelsen ${date} ska justeras`, waitingOn: justerare, dueDate: isoDay(m.justeringDue), escalated: false, links: { ...links, justering: `${api}/meetings/${m.id}/justering` } }, today));
    }
  }
  for (const i of followUps) {
    steps.push(pendingStep({ type: 'follow-up', id: i.id, title: `Återrapportera ${i.matter!.dnr} § ${i.paragraph ?? i.number} ${i.matter!.title}`, waitingOn: await who(i.actionBy ?? 'official'), dueDate: isoDay(i.actionDue!), escalated: false, links: { reportBack: `${api}/matters/${i.matter!.dnr}/report-back` } }, today));
  }
  return steps;
}

/** A quarterly review waiting for its actuals is the economist's pending step (due ten days after it opened). */
export async function moneyPendingSteps(prisma: PrismaClient, forbund: { id: string; slug: string }, today: string): Promise<PendingStep[]> {
  const waiting = await prisma.forecastReview.findMany({ where: { forbundId: forbund.id, status: 'waiting_for_actuals' }, orderBy: [{ year: 'asc' }, { quarter: 'asc' }] });
  if (!waiting.length) return [];
  const economist = (await peopleWithRole(prisma, forbund.id, 'economist'))[0] ?? (await officialOf(prisma, forbund.id));
  return waiting.map((w) =>
    pendingStep(
      {
        type: 'actuals',
        id: w.id,
        title: `Utfall t.o.m. ${['mars', 'juni', 'september', 'december'][w.quarter - 1]} ${w.year} till kvartalets prognos`,
        waitingOn: { role: economist?.roles.includes('economist') ? 'economist' : 'official', name: economist?.name ?? null, email: economist?.email ?? null },
        dueDate: addDays(toStockholmDate(w.createdAt), 10),
        escalated: addDays(toStockholmDate(w.createdAt), 10) < today,
        links: { actuals: `/api/v1/forbund/${forbund.slug}/actuals/${w.year}`, sie: `/api/v1/forbund/${forbund.slug}/actuals/${w.year}/sie` },
      },
      today,
    ),
  );
}

/** Where pending steps come from, in the order they are gathered. */
export const PENDING_SOURCES: PendingSource[] = [reportPendingSteps, reviewPendingSteps, cyclePendingSteps, deliveryPendingSteps, boardPendingSteps, moneyPendingSteps, statutoryPendingSteps, samradPendingSteps];

/** The day's pending steps of the förbund, unsorted. */
export async function pendingSteps(prisma: PrismaClient, forbundId: string, today: string): Promise<PendingStep[]> {
  const forbund = await prisma.forbund.findUniqueOrThrow({ where: { id: forbundId }, select: { id: true, slug: true } });
  const parts = await Promise.all(PENDING_SOURCES.map((src) => src(prisma, forbund, today)));
  return parts.flat();
}

/** The day's pending steps, overdue first, kept ready per data version (the API's pages and the start page cut from them). */
export function sortedPendingSteps(deps: { prisma: PrismaClient; reads: ReadCache }, forbundId: string, today: string): Promise<PendingStep[]> {
  return deps.reads.get(forbundId, `pending-steps ${today}`, async () => sortPending(await pendingSteps(deps.prisma, forbundId, today)));
}
