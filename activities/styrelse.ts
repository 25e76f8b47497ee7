// Activities of a board meeting's workflow: invites with a "can't come" link, the preparatory
// bodies' underlag, the agenda closing for matters, the kallelse with its PDF, the minutes, the
// justering and the decisions sent to the members. Each mail has its own key: sent at most once.
import { currentReportStatus, refreshReportStatus } from '../services/rapportlage.js';
import { refreshDelegationReport } from '../services/delegation.js';
import { recordAdoptions } from '../services/redovisning.js';
import { reportStatusLines } from '../domain/rapportlage.js';
import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { isIsoDate, toStockholmDate, type IsoDate } from '../domain/dates.js';
import { sortForAgenda, nextBoardMeeting, type MatterKind } from '../domain/arenden.js';
import { editAgenda, paragraphs, undecided, withMatters, type AgendaEntry } from '../domain/dagordning.js';
import { buildInvite } from '../domain/ics.js';
import { kallelsePdf } from '../domain/kallelse-pdf.js';
import { ersattareFor, isLedamot } from '../domain/ledamoter.js';
import { meetingRefusal, meetingStateOf, type MeetingAction } from '../domain/sammantrade.js';
import type { FieldError } from '../domain/rapportuppgifter.js';
import {
  beredningsunderlag,
  decisionsToMember,
  declineReceived,
  declineWithdrawn,
  ersattareReleased,
  ersattareCallIn,
  inviteDetails,
  inviteMail,
  justeringReminder,
  kallelseDue,
  kallelseMail,
  minutesForJustering,
  paragraphExtract,
  svList,
  type BoardMeetingFacts,
  type InviteFacts,
} from '../domain/texts.js';
import { audit } from '../services/audit.js';
import { cycleSettingsOf, meetingTime } from '../services/arscykel.js';
import { declineLink, declinePurpose, generationsOf, signLink, signPurpose } from '../services/links.js';
import { protocolPdf, protocolSigners } from '../services/protokoll.js';
import { anslagDates } from '../domain/protokoll.js';
import { protokollsutdragPdf } from '../domain/utdrag-pdf.js';
import { officialOf, ownerLabel, ownersOf, peopleWithRole, recipients, toAddress, uniqueAddresses } from '../services/people.js';
import { isoDay } from '../services/rapportering.js';
import type { Prisma } from '../prisma/db.js';
import { agendaLinesOf, agendaOf, attendanceOf, boardPlan, boardSlots, itemView, DEFAULT_JUSTERING_DAYS, ensureAgenda, justeringDueOn, registerMatter, writeAgenda } from '../services/styrelse.js';
import type { AgendaItemView, DeclineResult, WithdrawResult } from '../workflows/signals.js';
import { inviteFacts } from './arscykel.js';
import type { ActivityDeps } from './deps.js';
import { sendAll, settleEach, stepOutcome, type Address, type OutgoingMail, type StepOutcome } from './mail.js';

/** A person's mistake in an update (the API answers 422 with the fields). */
export const invalid = (fields: FieldError[]) => ApplicationFailure.nonRetryable(fields.map((f) => `${f.field}: ${f.problem}`).join('; '), 'Invalid', { fields });
/**
 * In a transaction: the board meeting's row, locked until the transaction ends (so actions on
 * one meeting are serialised in the database too), refused when the process is past `action`.
 */
export async function mayStill(tx: Prisma.TransactionClient, meetingId: string, action: MeetingAction, now: number) {
  await tx.$queryRaw`SELECT "id" FROM "Meeting" WHERE "id" = ${meetingId} FOR UPDATE`;
  const fresh = await tx.meeting.findUnique({ where: { id: meetingId } });
  if (!fresh || fresh.kind !== 'styrelse') throw ApplicationFailure.nonRetryable(`no board meeting ${meetingId}`, 'NotFound');
  const why = meetingRefusal(action, meetingStateOf(fresh), now);
  if (why) throw refused(why);
  return fresh;
}

/** This is a second or later attempt of the activity (an earlier one may have committed before it died). */
const heartbeat = () => {
  try {
    Context.current().heartbeat();
  } catch {
    // Not in an activity (a test calling the function directly).
  }
};

const isRetry = () => {
  try {
    return Context.current().info.attempt > 1;
  } catch {
    return false;
  }
};

/** Whom a withdrawn förhinder releases: the ersättare called in for it, or, if that one declined too, the one called in next. */
function releasedBy<R extends { personId: string; status: string; replacedBy: string | null }>(rows: R[], first: string | null): R | undefined {
  const seen = new Set<string>();
  for (let id = first; id && !seen.has(id); ) {
    seen.add(id);
    const r = rows.find((x) => x.personId === id);
    if (!r) return undefined;
    if (r.status === 'invited') return r;
    id = r.replacedBy;
  }
  return undefined;
}

/** An action the process is past (the API answers 409). */
export const refused = (why: string) => ApplicationFailure.nonRetryable(why, 'Refused');

/**
 * A decision written over a version that is no longer the item's (someone else wrote it first):
 * refused, not retried, with the current version and decision (the API answers 409 with them).
 */
export const decisionConflict = (read: number, current: AgendaItemView) =>
  ApplicationFailure.nonRetryable(`the decision was changed by someone else: you read version ${read}, it is now version ${current.version}; read it again and send the version you read`, 'Conflict', {
    field: 'version',
    current: { version: current.version, decision: current.decision, actionBy: current.actionBy, actionDue: current.actionDue },
  });

/** The kind of matter each milestone of the year makes for its board meeting. */
const MILESTONE_MATTER_KIND: Record<string, MatterKind> = {
  bokslut: 'budget',
  delar: 'budget',
  budgetFollowUp: 'budget',
  budgetFollowUpSpring: 'budget',
  vpBudget: 'budget',
  stateAllocation: 'budget',
  vpAdoption: 'policy',
  attestReview: 'policy',
  annualReports: 'report',
  halfYearReports: 'report',
  financialReportsSpring: 'report',
  goalFollowUpSpring: 'report',
};


export function meetingActivities(deps: ActivityDeps) {
  const { prisma, mailer } = deps;
  /** The matters' workflows hear of what happened to them (and start where not running). */
  const tell = async (ids: string[], reason: string) => {
    for (const id of ids) await deps.notifier?.matterChanged(id, reason);
  };

  async function load(meetingId: string) {
    const m = await prisma.meeting.findUnique({ where: { id: meetingId }, include: { forbund: true } });
    if (!m || m.kind !== 'styrelse') throw ApplicationFailure.nonRetryable(`no board meeting ${meetingId}`, 'NotFound');
    const facts: BoardMeetingFacts = { forbundName: m.forbund.name, when: meetingTime(m), location: m.location };
    const from = { name: m.forbund.name, email: m.forbund.email };
    return { m, forbund: m.forbund, facts, from };
  }

  async function staffOf(forbundId: string) {
    const secretaries = (await peopleWithRole(prisma, forbundId, 'secretary')).map(toAddress);
    const official = await officialOf(prisma, forbundId);
    return { secretaries, official: official ? [toAddress(official)] : [] };
  }

  /** The agenda as the kallelse has it (each handling linked for the signed-in reader), or as the protokoll has it (without). */
  const agendaLines = (meetingId: string, as: 'kallelse' | 'protokoll' = 'kallelse') => agendaLinesOf(prisma, meetingId, as === 'kallelse' ? { baseUrl: deps.publicBaseUrl } : { handlingar: false });


  /** Each person's "can't come" (decline) or justering (sign) link to the meeting at its current generation, looked up in one query. */
  async function personalLinks(kind: 'decline' | 'sign', meetingId: string, personIds: string[]): Promise<(personId: string) => string> {
    const purpose = kind === 'decline' ? declinePurpose : signPurpose;
    const generations = await generationsOf(prisma, personIds.map((p) => purpose(meetingId, p)));
    const build = kind === 'decline' ? declineLink : signLink;
    return (personId) => build(deps.publicBaseUrl, deps.linkSecret, meetingId, personId, generations.get(purpose(meetingId, personId)));
  }

  const chairOf = async (forbundId: string) => (await ownersOf(prisma, forbundId, 'chair'))[0]?.name;

  /**
   * One person's invite (REQUEST or CANCEL) to the meeting at its current SEQUENCE. `answer`: the
   * invitee reported förhinder (the update keeps saying so: PARTSTAT=DECLINED, and their link is
   * offered to come after all), or is an ersättare no longer called in (a CANCEL, so that their
   * calendar keeps no date for it).
   */
  async function invite(now: Date, m: Awaited<ReturnType<typeof load>>, to: Address[], key: string, declineUrl?: string, lead?: { subject: string; text: string; html: string }, withdraw = false, answer?: 'declined' | 'released') {
    // A CANCEL for everyone when the meeting is cancelled; for one person when their call-in is withdrawn (or was).
    const cancelled = m.m.status === 'cancelled' || withdraw || answer === 'released';
    const declined = answer === 'declined' && !cancelled;
    const settings = cycleSettingsOf(m.forbund);
    // Once the kallelse has gone out, the invite says so (and when), not when it will go.
    const facts: InviteFacts = { ...(await inviteFacts(prisma, m.forbund, settings.kallelseDays, m.m)), ...(m.m.kallelseSentAt ? { kallelseSent: toStockholmDate(m.m.kallelseSentAt) } : {}) };
    const ics = buildInvite({
      method: cancelled ? 'CANCEL' : 'REQUEST',
      organizer: m.from,
      attendees: declined ? to.map((a) => ({ ...a, declined: true })) : to,
      dtstamp: now,
      // The "can't come" link is not for one whose förhinder is recorded (their mail offers it to come after all).
      ...(declineUrl && !cancelled && !declined ? { declineUrl } : {}),
      event: {
        uid: `meeting-${m.m.id}@arscykel`,
        sequence: m.m.sequence,
        summary: `${m.m.title} – ${m.forbund.name}`,
        start: m.m.startsAt,
        end: m.m.endsAt,
        ...(m.m.location ? { location: m.m.location } : {}),
        description: inviteDetails(facts) || `${m.m.title}, ${m.forbund.name}`,
        status: cancelled ? 'CANCELLED' : 'CONFIRMED',
      },
    });
    const text = lead ?? inviteMail({ ...facts, ...(answer && m.m.status !== 'cancelled' ? { answer } : {}), ...(declineUrl && !cancelled ? { declineUrl } : {}) });
    return mailer.send({ key, forbundId: m.forbund.id, from: m.from, kind: cancelled ? 'meeting.cancel' : 'meeting.invite', to, ...text, calendar: { method: cancelled ? 'CANCEL' : 'REQUEST', content: ics } });
  }

  /**
   * Invites at the meeting's current SEQUENCE: each ledamot (with a link to report förhinder),
   * called-in ersättare, and the secretary and the official. A move reaches those who reported
   * förhinder too (their update keeps the förhinder) and the ersättare no longer called in (a
   * CANCEL), so that no calendar keeps the old date; a cancellation reaches everyone called.
   */
  async function sendBoardInvites(input: { now: number; meetingId: string }): Promise<{ sent: number; skipped: number }> {
    const m = await load(input.meetingId);
    const announced = await prisma.notification.count({ where: { forbundId: m.forbund.id, key: { startsWith: `invite:${m.m.id}:` } } });
    if (m.m.status === 'cancelled' && announced === 0) return { sent: 0, skipped: 0 };
    const { roster, rows } = await attendanceOf(prisma, m.m);
    // The first invite calls the ledamöter holding their seat on the meeting's day.
    if (rows.length === 0 && m.m.status === 'planned') {
      await prisma.attendance.createMany({ data: roster.filter(isLedamot).map((s) => ({ meetingId: m.m.id, personId: s.personId, seat: 'ledamot' })), skipDuplicates: true });
    }
    await ensureAgenda(prisma, m.m.id);
    const called = await prisma.attendance.findMany({ where: { meetingId: m.m.id }, include: { person: true } });
    const staff = await staffOf(m.forbund.id);
    const others = uniqueAddresses([...staff.secretaries, ...staff.official]).filter((a) => !called.some((c) => c.person.email.toLowerCase() === a.email.toLowerCase()));
    const declineUrlOf = await personalLinks('decline', m.m.id, called.map((c) => c.personId));
    // One invite held up (another attempt sending it) holds up no other: all are tried, then the first failure is thrown.
    const outcomes = (
      await settleEach(
        [
          ...called.map((c) => () => {
            const answer = c.status === 'declined' ? ('declined' as const) : c.status === 'released' ? ('released' as const) : undefined;
            const declineUrl = answer === 'released' ? undefined : declineUrlOf(c.personId);
            return invite(new Date(input.now), m, [toAddress(c.person)], `invite:${m.m.id}:${m.m.sequence}:${c.personId}`, declineUrl, undefined, false, answer);
          }),
          ...(others.length ? [() => invite(new Date(input.now), m, others, `invite:${m.m.id}:${m.m.sequence}:staff`)] : []),
        ],
        (go) => go(),
      )
    ).map(stepOutcome);
    return { sent: outcomes.filter((o) => o === 'sent').length, skipped: outcomes.filter((o) => o !== 'sent').length };
  }

  /** The matters headed for the meeting, to its preparatory body a couple of working days before it meets. */
  async function sendBeredningsunderlag(input: { now: number; meetingId: string; body: 'beredningsgrupp' | 'beredning' }): Promise<StepOutcome> {
    const m = await load(input.meetingId);
    const prep = await prisma.meeting.findFirst({ where: { forMeetingId: m.m.id, kind: input.body, status: 'planned' }, orderBy: { startsAt: 'desc' } });
    if (!prep || prep.startsAt <= new Date(input.now)) return 'skipped';
    const matters = await prisma.matter.findMany({ where: { meetingId: m.m.id, status: { in: ['registered', 'prepared'] } }, orderBy: { number: 'asc' } });
    const bodyKind = input.body === 'beredningsgrupp' ? 'beredningsgrupp' : 'presidium';
    const members = (await prisma.body.findUnique({ where: { forbundId_kind: { forbundId: m.forbund.id, kind: bodyKind } }, include: { memberships: { include: { person: true } } } }))?.memberships.map((x) => toAddress(x.person)) ?? [];
    const staff = await staffOf(m.forbund.id);
    const r = recipients(members.length ? [...members, ...staff.official] : staff.official, staff.secretaries);
    if (!r.to.length) return 'skipped';
    const owners = new Map<string, string>();
    for (const x of matters) if (!owners.has(x.owner)) owners.set(x.owner, (await ownerLabel(prisma, m.forbund.id, x.owner)) ?? 'förbundschefen');
    const text = beredningsunderlag({
      forbundName: m.forbund.name,
      bodyKind: input.body,
      prepWhen: meetingTime(prep),
      board: m.facts,
      matters: matters.map((x) => ({ dnr: x.dnr, title: x.title, owner: owners.get(x.owner)!, prepared: x.status === 'prepared' })),
      overdueReports: reportStatusLines(await currentReportStatus(prisma, m.forbund.id)),
    });
    return stepOutcome(await mailer.send({ key: `underlag:${m.m.id}:${prep.id}`, forbundId: m.forbund.id, from: m.from, kind: 'meeting.underlag', ...r, ...text }));
  }

  /**
   * The agenda closes for matters: the prepared ones go on it (with the plan's matters for the
   * meeting and the compiled project reports), the others move to the next board meeting.
   */
  async function closeAgenda(input: { now: number; meetingId: string }): Promise<{ placed: { id: string; dnr: string }[]; moved: { id: string; dnr: string }[] }> {
    const m = await load(input.meetingId);
    await ensureAgenda(prisma, m.m.id);
    await compileProjectReports(m.m.id, new Date(input.now));
    // The escalated reports still missing, as one compiled item (not a matter each).
    await prisma.$transaction((tx) => refreshReportStatus(tx, m.m.id, m.forbund.id));
    // The decisions taken under delegation, as one compiled item ("Anmälan av delegationsbeslut").
    await prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT "id" FROM "Meeting" WHERE "id" = ${m.m.id} FOR UPDATE`;
      await refreshDelegationReport(tx, m.m.id, m.forbund.id);
    });
    const headed = await prisma.matter.findMany({ where: { meetingId: m.m.id, status: { in: ['registered', 'prepared', 'on_agenda'] } }, orderBy: { number: 'asc' } });
    const { placed, moved } = sortForAgenda(headed);
    const today = toStockholmDate(new Date(input.now));
    const next = nextBoardMeeting(
      (await boardSlots(prisma, m.forbund.id, m.m.year)).filter((s) => s.id !== m.m.id),
      today,
      toStockholmDate(m.m.startsAt),
    );
    await prisma.$transaction(async (tx) => {
      const current = (await tx.agendaItem.findMany({ where: { meetingId: m.m.id }, orderBy: { number: 'asc' } })).map((i): AgendaEntry & { id: string } => ({ id: i.id, title: i.title, kind: i.kind as AgendaEntry['kind'], matterId: i.matterId }));
      await writeAgenda(tx, m.m.id, withMatters(current, placed.map((x) => ({ id: x.id, title: x.title }))));
      await tx.matter.updateMany({ where: { id: { in: placed.map((x) => x.id) } }, data: { status: 'on_agenda' } });
      await tx.matter.updateMany({ where: { id: { in: moved.map((x) => x.id) } }, data: { meetingId: next?.id ?? null } });
      for (const x of moved) await audit(tx, { forbundId: m.forbund.id, actor: 'system', action: 'matter.moved', entityType: 'matter', entityId: x.id, data: { dnr: x.dnr, from: m.m.id, to: next?.id ?? null, reason: 'not prepared when the agenda closed' } });
      await audit(tx, { forbundId: m.forbund.id, actor: 'system', action: 'agenda.closed', entityType: 'meeting', entityId: m.m.id, data: { placed: placed.map((x) => x.dnr), moved: moved.map((x) => x.dnr) } });
    });
    await tell(placed.map((x) => x.id), `on the agenda of ${m.m.title} ${toStockholmDate(m.m.startsAt)}`);
    await tell(moved.map((x) => x.id), `not prepared for ${m.m.title} ${toStockholmDate(m.m.startsAt)}: moved on`);
    return { placed: placed.map((x) => ({ id: x.id, dnr: x.dnr })), moved: moved.map((x) => ({ id: x.id, dnr: x.dnr })) };
  }

  /** The year plan's matters for this meeting (the annual accounts, the VP and budget, the projects' reports …), registered once each. */
  async function registerPlannedMatters(input: { now: number; meetingId: string }): Promise<{ registered: string[] }> {
    const m = await load(input.meetingId);
    const milestones = await prisma.milestone.findMany({ where: { meetingId: m.m.id, status: 'open' }, orderBy: [{ dueDate: 'asc' }, { kind: 'asc' }] });
    for (const ms of milestones) {
      if (await prisma.matter.findUnique({ where: { milestoneId: ms.id } })) continue;
      await registerMatter(prisma, m.forbund.id, { title: ms.title, kind: MILESTONE_MATTER_KIND[ms.kind] ?? 'other', owner: ms.owner, meetingId: m.m.id, milestoneId: ms.id }, new Date(input.now), 'system').catch(async (err) => {
        // Two attempts at once: the other registered it.
        if (!(await prisma.matter.findUnique({ where: { milestoneId: ms.id } }))) throw err;
      });
    }
    const matters = await prisma.matter.findMany({ where: { meetingId: m.m.id, milestoneId: { not: null } }, select: { id: true, dnr: true } });
    await tell(matters.map((x) => x.id), `registered for ${m.m.title} ${toStockholmDate(m.m.startsAt)}`);
    return { registered: matters.map((x) => x.dnr) };
  }

  /** The board's reading of the projects: the matter of a half-year or annual report milestone carries the projects' submitted reports. */
  async function compileProjectReports(meetingId: string, now: Date) {
    const matters = await prisma.matter.findMany({ where: { meetingId, milestoneId: { not: null }, status: { in: ['registered', 'prepared'] } } });
    for (const x of matters) {
      const ms = await prisma.milestone.findUnique({ where: { id: x.milestoneId! } });
      const kind = ms?.kind === 'halfYearReports' ? 'halfYear' : ms?.kind === 'annualReports' ? 'annual' : undefined;
      if (!ms || !kind) continue;
      const periodYear = kind === 'annual' ? ms.year - 1 : ms.year;
      const obligations = await prisma.reportingObligation.findMany({
        where: { kind, project: { forbundId: x.forbundId }, periodEnd: { gte: new Date(`${periodYear}-01-01`), lte: new Date(`${periodYear}-12-31`) } },
        include: { project: true, submissions: { orderBy: { version: 'desc' }, take: 1 } },
        orderBy: { project: { name: 'asc' } },
      });
      const compilation = obligations.map((o) => ({
        project: o.project.name,
        period: `${isoDay(o.periodStart)}–${isoDay(o.periodEnd)}`,
        dueDate: isoDay(o.dueDate),
        status: o.submissions[0] ? 'submitted' : o.status === 'withdrawn' ? 'withdrawn' : 'missing',
        ...(o.submissions[0] ? { submittedAt: o.submissions[0].submittedAt.toISOString(), version: o.submissions[0].version, figures: o.submissions[0].figures, narrative: o.submissions[0].narrative } : {}),
      }));
      // Compiling is its preparation: the board reads what has come in, and what is missing.
      await prisma.matter.update({ where: { id: x.id }, data: { compilation: compilation as never, status: 'prepared', preparedAt: x.preparedAt ?? now } });
    }
  }

  /** The secretary, some working days before the kallelse must go: the agenda as it stands and the quorum forecast. */
  async function remindKallelse(input: { now: number; meetingId: string }): Promise<StepOutcome> {
    const m = await load(input.meetingId);
    if (m.m.kallelseSentAt || m.m.status !== 'planned') return 'skipped';
    const plan = (await boardPlan(prisma, m.m.id))!;
    const staff = await staffOf(m.forbund.id);
    const to = staff.secretaries.length ? staff.secretaries : staff.official;
    const { quorum } = await attendanceOf(prisma, m.m);
    const text = kallelseDue({ ...m.facts, secretaryName: svList(to.map((a) => a.name)) || 'sekreterare', kallelseDate: plan.kallelseDate, items: await agendaLines(m.m.id), quorum });
    return stepOutcome(await mailer.send({ key: `kallelse-reminder:${m.m.id}:${plan.kallelseDate}`, forbundId: m.forbund.id, from: m.from, kind: 'meeting.kallelse-reminder', to, ...text }));
  }

  /**
   * The kallelse is fixed: from now on the agenda cannot change, and who is called with it is
   * recorded (each called person's kallelseAt). The mails follow (deliverMeetingMails), exactly
   * what this recorded. Nothing for a cancelled meeting.
   */
  async function fixKallelse(input: { now: number; meetingId: string }): Promise<{ fixed: boolean; at: string | null }> {
    const m = await load(input.meetingId);
    return prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT "id" FROM "Meeting" WHERE "id" = ${m.m.id} FOR UPDATE`;
      const fresh = await tx.meeting.findUniqueOrThrow({ where: { id: m.m.id } });
      if (fresh.kallelseSentAt) return { fixed: true, at: fresh.kallelseSentAt.toISOString() };
      if (fresh.status !== 'planned') return { fixed: false, at: null };
      const now = new Date(input.now);
      // The report status as it stands when the agenda is fixed.
      await refreshReportStatus(tx, m.m.id, m.forbund.id);
      // The delegation decisions reported with it, each tied to the item so it is reported once.
      await refreshDelegationReport(tx, m.m.id, m.forbund.id, { fix: true });
      const items = await tx.agendaItem.count({ where: { meetingId: m.m.id } });
      const called = await tx.attendance.updateMany({ where: { meetingId: m.m.id, status: 'invited' }, data: { kallelseAt: now } });
      await tx.meeting.update({ where: { id: m.m.id }, data: { kallelseSentAt: now } });
      await audit(tx, { forbundId: m.forbund.id, actor: 'system', action: 'meeting.kallelse-sent', entityType: 'meeting', entityId: m.m.id, data: { items, recipients: called.count } });
      return { fixed: true, at: now.toISOString() };
    });
  }

  /** The kallelse with the agenda and a printable PDF: to those it recorded as called, the other ersättare for information. */
  async function kallelseMails(m: Awaited<ReturnType<typeof load>>, _now?: Date): Promise<StepOutcome[]> {
    // Nothing before the kallelse is fixed (a förhinder's mails run this too).
    if (!m.m.kallelseSentAt) return [];
    const { rows, roster } = await attendanceOf(prisma, m.m);
    const called = rows.filter((r) => r.kallelseAt && r.status === 'invited');
    const calledIds = new Set(rows.map((r) => r.personId));
    const ersattare = roster.filter((s) => !isLedamot(s) && !calledIds.has(s.personId));
    const keys = [...called.map((c) => `kallelse:${m.m.id}:${c.personId}`), `kallelse:${m.m.id}:for-information`];
    const done = new Set((await prisma.notification.findMany({ where: { key: { in: keys } }, select: { key: true } })).map((n) => n.key));
    if (keys.every((k) => done.has(k))) return [];
    const items = await agendaLines(m.m.id);
    const [chairName, staff] = await Promise.all([chairOf(m.forbund.id), staffOf(m.forbund.id)]);
    const secretaryName = svList(staff.secretaries.map((a) => a.name)) || undefined;
    const pdf = await kallelsePdf({ ...m.facts, items, ...(chairName ? { chairName } : {}), ...(secretaryName ? { secretaryName } : {}) });
    const attachments = [{ filename: 'kallelse.pdf', content: pdf, contentType: 'application/pdf' }];
    const declineUrlOf = await personalLinks('decline', m.m.id, called.map((c) => c.personId));
    const mails: OutgoingMail[] = called.map((c) => {
      const declineUrl = declineUrlOf(c.personId);
      const text = kallelseMail({ ...m.facts, items, forInformation: false, declineUrl, ...(chairName ? { chairName } : {}), ...(secretaryName ? { secretaryName } : {}) });
      return { key: `kallelse:${m.m.id}:${c.personId}`, forbundId: m.forbund.id, from: m.from, kind: 'meeting.kallelse', to: [toAddress(c.person)], ...text, attachments };
    });
    const people = await prisma.person.findMany({ where: { id: { in: ersattare.map((s) => s.personId) } } });
    const info = recipients(people.map(toAddress), [...staff.secretaries, ...staff.official]);
    if (info.to.length || info.cc.length) {
      const text = kallelseMail({ ...m.facts, items, forInformation: true, ...(chairName ? { chairName } : {}), ...(secretaryName ? { secretaryName } : {}) });
      mails.push({ key: `kallelse:${m.m.id}:for-information`, forbundId: m.forbund.id, from: m.from, kind: 'meeting.kallelse', to: info.to.length ? info.to : info.cc, cc: info.to.length ? info.cc : [], ...text, attachments });
    }
    return (await sendAll(mailer, mails.filter((x) => !done.has(x.key)))).map(stepOutcome);
  }

  /** Runs before ONE_AT_A_TIME fixed and sent the kallelse in one activity. */
  async function sendKallelse(input: { now: number; meetingId: string }): Promise<{ sent: number }> {
    const fixed = await fixKallelse(input);
    if (!fixed.fixed) return { sent: 0 };
    const outcomes = await kallelseMails(await load(input.meetingId));
    return { sent: outcomes.filter((o) => o === 'sent').length };
  }

  /** The meeting is held: its items get their § numbers, numbered on through the year. */
  async function openMinutes(input: { now: number; meetingId: string }): Promise<{ paragraphs: string }> {
    const m = await load(input.meetingId);
    const result = await prisma.$transaction(async (tx) => {
      const fresh = await tx.meeting.findUniqueOrThrow({ where: { id: m.m.id } });
      const items = await tx.agendaItem.findMany({ where: { meetingId: m.m.id }, orderBy: { number: 'asc' } });
      if (fresh.heldAt) return items.length ? `§ ${items[0].paragraph}–${items[items.length - 1].paragraph}` : '';
      const last = await tx.agendaItem.aggregate({ _max: { paragraph: true }, where: { meeting: { forbundId: m.forbund.id, year: m.m.year }, meetingId: { not: m.m.id } } });
      const numbered = paragraphs(items, last._max.paragraph ?? 0);
      for (const i of numbered) await tx.agendaItem.update({ where: { id: i.id }, data: { paragraph: i.paragraph } });
      await tx.meeting.update({ where: { id: m.m.id }, data: { heldAt: new Date(input.now) } });
      await audit(tx, { forbundId: m.forbund.id, actor: 'system', action: 'meeting.held', entityType: 'meeting', entityId: m.m.id, data: { paragraphs: numbered.map((i) => i.paragraph) } });
      return numbered.length ? `§ ${numbered[0].paragraph}–${numbered[numbered.length - 1].paragraph}` : '';
    });
    return { paragraphs: result };
  }

  async function saveAgenda(input: { now: number; meetingId: string; actor: string; items: ({ id: string; title?: string } | { title: string })[] }): Promise<AgendaItemView[]> {
    const m = await load(input.meetingId);
    await ensureAgenda(prisma, m.m.id);
    await prisma.$transaction(async (tx) => {
      await mayStill(tx, m.m.id, 'editAgenda', input.now);
      const current = (await tx.agendaItem.findMany({ where: { meetingId: m.m.id }, orderBy: { number: 'asc' } })).map((i) => ({ id: i.id, title: i.title, kind: i.kind as AgendaEntry['kind'], matterId: i.matterId }));
      const edited = editAgenda(current, input.items);
      if ('errors' in edited) throw invalid(edited.errors);
      await writeAgenda(tx, m.m.id, edited.items);
      await audit(tx, { forbundId: m.forbund.id, actor: input.actor, action: 'agenda.edited', entityType: 'meeting', entityId: m.m.id, data: { items: edited.items.map((i) => i.title) } });
    });
    return (await agendaOf(prisma, m.m.id)).map(itemView);
  }

  /**
   * The decision on one agenda item, written only over the version the writer read: the row is
   * updated where its version is still `input.version` (and the version raised), inside the
   * transaction that holds the meeting's lock; no row updated means someone else wrote it first,
   * refused as a Conflict with the current version and decision (nothing changed). An update from
   * before versions (no `version`) writes as it did.
   */
  async function saveDecision(input: { now: number; meetingId: string; actor: string; itemId: string; decision: string; actionBy?: string | null; actionDue?: string | null; version?: number }): Promise<AgendaItemView> {
    const m = await load(input.meetingId);
    const item = await prisma.agendaItem.findFirst({ where: { id: input.itemId, meetingId: m.m.id }, include: { matter: true } });
    const errors: FieldError[] = [];
    if (!item) errors.push({ field: 'itemId', problem: 'no such item on this meeting\'s agenda' });
    if (!input.decision.trim()) errors.push({ field: 'decision', problem: 'must not be empty' });
    if (input.actionDue && !isIsoDate(input.actionDue)) errors.push({ field: 'actionDue', problem: 'must be a date YYYY-MM-DD' });
    if (input.actionDue && !input.actionBy) errors.push({ field: 'actionBy', problem: 'is required with actionDue: who is to act by then' });
    if (input.actionBy && (await ownersOf(prisma, m.forbund.id, input.actionBy)).length === 0) errors.push({ field: 'actionBy', problem: `"${input.actionBy}" is neither a role (official, secretary, economist, chair) nor a person's key` });
    if (errors.length) throw invalid(errors);
    const decision = input.decision.trim();
    const actionDue = input.actionDue ? new Date(`${input.actionDue}T00:00:00Z`) : null;
    await prisma.$transaction(async (tx) => {
      await mayStill(tx, m.m.id, 'recordDecision', input.now);
      const data = { decision, decidedAt: new Date(input.now), actionBy: input.actionBy ?? null, actionDue, version: { increment: 1 } };
      if (typeof input.version !== 'number') {
        await tx.agendaItem.update({ where: { id: item!.id }, data });
      } else {
        const written = await tx.agendaItem.updateMany({ where: { id: item!.id, version: input.version }, data });
        if (written.count === 0) {
          const now = await tx.agendaItem.findUniqueOrThrow({ where: { id: item!.id } });
          // A second attempt of this activity after the first committed (and died before answering): the same write, done.
          if (isRetry() && now.version === input.version + 1 && now.decision === decision && now.actionBy === (input.actionBy ?? null) && (now.actionDue?.getTime() ?? null) === (actionDue?.getTime() ?? null)) return;
          throw decisionConflict(input.version, itemView({ ...now, matter: item!.matter }));
        }
      }
      await audit(tx, { forbundId: m.forbund.id, actor: input.actor, action: 'decision.recorded', entityType: 'agendaItem', entityId: item!.id, data: { meetingId: m.m.id, dnr: item!.matter?.dnr ?? null, paragraph: item!.paragraph, decision, version: (input.version ?? item!.version) + 1 } });
      // A milestone is done when the decision that adopts it is recorded: its Dnr and §.
      if (item!.matter?.milestoneId) {
        await tx.milestone.update({ where: { id: item!.matter.milestoneId }, data: { status: 'done', doneAt: new Date(input.now), doneBy: `beslut ${item!.matter.dnr} § ${item!.paragraph ?? item!.number}` } });
      }
    });
    const saved = (await agendaOf(prisma, m.m.id)).find((i) => i.id === item!.id)!;
    return itemView(saved);
  }

  /**
   * The minutes go for justering: who justerar (one or two justerare, and the ordförande), where,
   * by when, and the exact protokoll PDF they will sign with its SHA-256, all in one transaction;
   * the mails follow (deliverMeetingMails).
   */
  async function commitMinutes(input: { now: number; meetingId: string; actor: string; justerare: string; justerare2?: string | null; justeringPlace?: string | null }): Promise<{ justerare: string; justeringDue: string }> {
    const m = await load(input.meetingId);
    const items = await prisma.agendaItem.findMany({ where: { meetingId: m.m.id }, orderBy: { number: 'asc' } });
    const missing = undecided(items);
    const justerare = await prisma.person.findFirst({ where: { forbundId: m.forbund.id, key: input.justerare } });
    const second = input.justerare2 ? await prisma.person.findFirst({ where: { forbundId: m.forbund.id, key: input.justerare2 } }) : null;
    const errors: FieldError[] = [
      ...missing.map((i) => ({ field: `items[${i.number}]`, problem: `"${i.title}" has no decision recorded` })),
      ...(justerare ? [] : [{ field: 'justerare', problem: `no person with key "${input.justerare}"` }]),
      ...(input.justerare2 && !second ? [{ field: 'justerare2', problem: `no person with key "${input.justerare2}"` }] : []),
      ...(input.justerare2 && input.justerare2 === input.justerare ? [{ field: 'justerare2', problem: 'must be another person than justerare' }] : []),
    ];
    if (errors.length) throw invalid(errors);
    const settings = cycleSettingsOf(m.forbund);
    const due: IsoDate = m.m.justeringDue ? isoDay(m.m.justeringDue) : justeringDueOn(toStockholmDate(m.m.startsAt), settings.justeringDays ?? DEFAULT_JUSTERING_DAYS);
    return prisma.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT "id" FROM "Meeting" WHERE "id" = ${m.m.id} FOR UPDATE`;
        const again = await tx.meeting.findUniqueOrThrow({ where: { id: m.m.id } });
        if (again.minutesSentAt && again.justerare === justerare!.key && isRetry()) return { justerare: again.justerare, justeringDue: isoDay(again.justeringDue!) };
        await mayStill(tx, m.m.id, 'sendMinutes', input.now);
        const now = new Date(input.now);
        await tx.meeting.update({ where: { id: m.m.id }, data: { justerare: justerare!.key, justerare2: second?.key ?? null, justeringPlace: input.justeringPlace?.trim() || null, justeringDue: new Date(`${due}T00:00:00Z`), minutesSentAt: now } });
        // The version the signers are shown and sign: kept as it is, with its checksum.
        const pdf = await protocolPdf(tx, m.m.id, { final: false });
        const sha256 = createHash('sha256').update(pdf).digest('hex');
        const bytes = new Uint8Array(pdf);
        await tx.protocolDocument.upsert({ where: { meetingId: m.m.id }, create: { meetingId: m.m.id, pdf: bytes, sha256, createdAt: now }, update: { pdf: bytes, sha256, createdAt: now } });
        await tx.meeting.update({ where: { id: m.m.id }, data: { protocolSha256: sha256 } });
        await audit(tx, { forbundId: m.forbund.id, actor: input.actor, action: 'minutes.sent', entityType: 'meeting', entityId: m.m.id, data: { justerare: justerare!.key, justerare2: second?.key ?? null, justeringDue: due, sha256 } });
        return { justerare: justerare!.key, justeringDue: due };
      },
      { timeout: 30_000 },
    );
  }

  /** The protokoll to each who signs it (the ordförande and the justerare), each with a personal link to read and sign it; the secretary in copy. */
  async function minutesMail(m: Awaited<ReturnType<typeof load>>, _now?: Date): Promise<StepOutcome[]> {
    if (!m.m.minutesSentAt || !m.m.justerare || !m.m.justeringDue) return [];
    const signers = await protocolSigners(prisma, m.m);
    const keys = signers.map((x) => `minutes:${m.m.id}:${x.personId}`);
    const done = new Set((await prisma.notification.findMany({ where: { key: { in: keys } }, select: { key: true } })).map((n) => n.key));
    if (keys.every((k) => done.has(k))) return [];
    const doc = await prisma.protocolDocument.findUnique({ where: { meetingId: m.m.id } });
    const pdf = doc?.pdf ? Buffer.from(doc.pdf) : await kallelsePdf({ ...m.facts, items: await agendaLines(m.m.id, 'protokoll'), kind: 'protokoll' });
    const lines = await agendaLines(m.m.id, 'protokoll');
    const staff = await staffOf(m.forbund.id);
    const people = await prisma.person.findMany({ where: { id: { in: signers.map((x) => x.personId) } } });
    const signUrlOf = await personalLinks('sign', m.m.id, signers.map((x) => x.personId));
    const mails: OutgoingMail[] = signers
      .filter((x) => !done.has(`minutes:${m.m.id}:${x.personId}`))
      .map((x) => {
        const person = people.find((p) => p.id === x.personId)!;
        const text = minutesForJustering({ ...m.facts, justerareName: person.name, due: isoDay(m.m.justeringDue!), items: lines, signerRole: x.role, signUrl: signUrlOf(x.personId), ...(doc ? { sha256: doc.sha256 } : {}), ...(staff.secretaries[0] ? { secretaryName: staff.secretaries[0].name } : {}) });
        return { key: `minutes:${m.m.id}:${x.personId}`, forbundId: m.forbund.id, from: m.from, kind: 'meeting.minutes', ...recipients([toAddress(person)], staff.secretaries), ...text, attachments: [{ filename: 'protokoll.pdf', content: pdf, contentType: 'application/pdf' }] };
      });
    return (await sendAll(mailer, mails)).map(stepOutcome);
  }

  /** Runs before ONE_AT_A_TIME recorded and mailed the minutes in one activity. */
  async function sendMinutesForJustering(input: { now: number; meetingId: string; actor: string; justerare: string }): Promise<{ justerare: string; justeringDue: string }> {
    const r = await commitMinutes(input);
    await minutesMail(await load(input.meetingId));
    return r;
  }

  async function remindJusterare(input: { now: number; meetingId: string; overdue: boolean }): Promise<StepOutcome> {
    const m = await load(input.meetingId);
    if (m.m.justeradAt || !m.m.justerare || !m.m.justeringDue) return 'skipped';
    const justerare = await prisma.person.findFirst({ where: { forbundId: m.forbund.id, key: m.m.justerare } });
    if (!justerare) return 'skipped';
    const staff = await staffOf(m.forbund.id);
    const due = isoDay(m.m.justeringDue);
    const text = justeringReminder({ ...m.facts, justerareName: justerare.name, due, overdue: input.overdue });
    const r = recipients([toAddress(justerare)], input.overdue ? [...staff.secretaries, ...staff.official] : staff.secretaries);
    return stepOutcome(await mailer.send({ key: `justering:${m.m.id}:${due}:${input.overdue ? 'overdue' : 'reminder'}`, forbundId: m.forbund.id, from: m.from, kind: 'meeting.justering', ...r, ...text }));
  }

  async function recordJustering(input: { now: number; meetingId: string; actor: string }): Promise<{ justeradAt: string }> {
    const m = await load(input.meetingId);
    const at = await prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT "id" FROM "Meeting" WHERE "id" = ${m.m.id} FOR UPDATE`;
      const again = await tx.meeting.findUniqueOrThrow({ where: { id: m.m.id } });
      // A retry after the attempt that justerade died before answering: answer as it would have.
      if (again.justeradAt && isRetry()) return again.justeradAt;
      const fresh = await mayStill(tx, m.m.id, 'justera', input.now);
      const now = new Date(input.now);
      await tx.meeting.update({ where: { id: m.m.id }, data: { justeradAt: now, ...anslagOf(now) } });
      await audit(tx, { forbundId: m.forbund.id, actor: input.actor, action: 'minutes.justerade', entityType: 'meeting', entityId: m.m.id, data: { justerare: fresh.justerare } });
      return now;
    });
    return { justeradAt: at.toISOString() };
  }

  /** The anslag that announces the justering: up the day of justering, down at the earliest three weeks later. */
  const anslagOf = (at: Date) => ({ anslagPostedAt: at, anslagRemovedOn: new Date(`${anslagDates(toStockholmDate(at)).removedOn}T00:00:00Z`) });

  /**
   * The ordförande or a justerare signs through their personal link: who, when, from where, and
   * the SHA-256 of the PDF they were shown, which must be the one sent for justering. The last
   * signature justerar the protokoll and puts up its anslag.
   */
  async function recordSignature(input: { now: number; meetingId: string; actor: string; personId: string; pdfSha256: string; fromAddress: string; userAgent: string }): Promise<{ signed: string; justeradAt: string | null }> {
    const m = await load(input.meetingId);
    return prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT "id" FROM "Meeting" WHERE "id" = ${m.m.id} FOR UPDATE`;
      const fresh = await tx.meeting.findUniqueOrThrow({ where: { id: m.m.id } });
      const person = await tx.person.findFirst({ where: { id: input.personId, forbundId: m.forbund.id } });
      const mine = await tx.signature.findUnique({ where: { meetingId_personId: { meetingId: m.m.id, personId: input.personId } } });
      // The link used again, or a retry after the signature was stored: answer with what was recorded.
      if (mine && person) return { signed: person.name, justeradAt: fresh.justeradAt?.toISOString() ?? null };
      await mayStill(tx, m.m.id, 'justera', input.now);
      const signers = await protocolSigners(tx, fresh);
      const me = signers.find((x) => x.personId === input.personId);
      if (!me || !person) throw refused('this person does not sign the protokoll (only the ordförande and the justerare do)');
      if (!fresh.protocolSha256 || fresh.protocolSha256 !== input.pdfSha256) throw refused('the protokoll is not the one that was shown: read it again before signing');
      const now = new Date(input.now);
      await tx.signature.create({ data: { meetingId: m.m.id, personId: person.id, role: me.role, signedAt: now, fromAddress: input.fromAddress.slice(0, 200), userAgent: input.userAgent.slice(0, 300), pdfSha256: input.pdfSha256 } });
      await audit(tx, { forbundId: m.forbund.id, actor: input.actor, action: 'minutes.signed', entityType: 'meeting', entityId: m.m.id, data: { personId: person.id, role: me.role, sha256: input.pdfSha256, from: input.fromAddress } });
      const signed = await tx.signature.count({ where: { meetingId: m.m.id, personId: { in: signers.map((x) => x.personId) } } });
      if (signed < signers.length) return { signed: person.name, justeradAt: null };
      await tx.meeting.update({ where: { id: m.m.id }, data: { justeradAt: now, ...anslagOf(now) } });
      await audit(tx, { forbundId: m.forbund.id, actor: 'system', action: 'minutes.justerade', entityType: 'meeting', entityId: m.m.id, data: { signers: signers.map((x) => x.personId), sha256: input.pdfSha256 } });
      return { signed: person.name, justeradAt: now.toISOString() };
    });
  }

  /** Protokollsutdrag to each member organisation (its registrator, or else its ledamot); the matters decided move on to follow-up or close. */
  async function sendDecisions(input: { now: number; meetingId: string }): Promise<{ sent: number; matters: string[] }> {
    const m = await load(input.meetingId);
    const lines = (await agendaLines(m.m.id, 'protokoll')).filter((l) => l.decision);
    const items = await prisma.agendaItem.findMany({ where: { meetingId: m.m.id, matterId: { not: null }, decision: { not: null } } });
    const members = await prisma.member.findMany({ where: { forbundId: m.forbund.id }, include: { memberships: { where: { body: { kind: 'styrelse' }, role: { not: 'deputy' } }, include: { person: true } } }, orderBy: { name: 'asc' } });
    const justeradAt = toStockholmDate(m.m.justeradAt ?? new Date(input.now));
    const mails: OutgoingMail[] = [];
    // The members' registrators file the justerat protokoll itself, with its signatures and anslag.
    const protokoll = lines.length ? [{ filename: `protokoll-${toStockholmDate(m.m.startsAt)}.pdf`, content: await protocolPdf(prisma, m.m.id, { final: true }), contentType: 'application/pdf' }] : [];
    if (lines.length) {
      for (const mem of members) {
        const to: Address[] = mem.email ? [{ name: mem.name, email: mem.email }] : mem.memberships.map((x) => toAddress(x.person));
        if (!to.length) continue;
        const text = decisionsToMember({ ...m.facts, memberName: mem.name, justeradAt, items: lines });
        mails.push({ key: `decisions:${m.m.id}:${mem.id}`, forbundId: m.forbund.id, from: m.from, kind: 'meeting.decisions', to, ...text, attachments: protokoll });
      }
    }
    // Whom a decision concerns (who is to act on it) gets its § as a certified protokollsutdrag.
    if (lines.length) {
      const staff = await staffOf(m.forbund.id);
      const certifier = staff.secretaries[0] ? `${staff.secretaries[0].name}, sekreterare` : staff.official[0] ? `${staff.official[0].name}, förbundschef` : m.forbund.name;
      const [certName, certTitle] = certifier.split(', ');
      for (const item of await prisma.agendaItem.findMany({ where: { meetingId: m.m.id, decision: { not: null }, actionBy: { not: null } }, include: { matter: true } })) {
        const line = lines.find((l) => l.number === item.number);
        if (!line) continue;
        const pdf = await protokollsutdragPdf({ forbundName: m.forbund.name, body: 'styrelse', meetingDate: toStockholmDate(m.m.startsAt), paragraph: item.paragraph ?? item.number, title: item.title, ...(item.matter ? { dnr: item.matter.dnr } : {}), decision: item.decision!, justeradOn: justeradAt, certifiedBy: { name: certName, title: certTitle ?? '' } });
        for (const person of await ownersOf(prisma, m.forbund.id, item.actionBy!)) {
          const text = paragraphExtract({ ...m.facts, personName: person.name, line, justeradAt, certifiedBy: certifier });
          mails.push({ key: `utdrag:${m.m.id}:${item.id}:${person.id}`, forbundId: m.forbund.id, from: m.from, kind: 'meeting.extract', to: [toAddress(person)], ...text, attachments: [{ filename: `protokollsutdrag-${item.paragraph ?? item.number}.pdf`, content: pdf, contentType: 'application/pdf' }] });
        }
      }
    }
    // Every mail is tried; the meeting is marked sent only when all went.
    const sent = (await sendAll(mailer, mails)).filter((r) => r.outcome === 'sent').length;
    const adoptions = await prisma.$transaction(async (tx) => {
      for (const i of items) {
        await tx.matter.update({ where: { id: i.matterId! }, data: { status: i.actionDue || i.actionBy ? 'follow_up' : 'decided' } });
      }
      const upd = await tx.meeting.updateMany({ where: { id: m.m.id, decisionsSentAt: null }, data: { decisionsSentAt: new Date(input.now) } });
      if (upd.count) await audit(tx, { forbundId: m.forbund.id, actor: 'system', action: 'decisions.sent', entityType: 'meeting', entityId: m.m.id, data: { members: sent, decisions: lines.length } });
      // What the justerade decisions adopt: the year's reports go on to the revisorer and the members, the budget is adopted.
      return recordAdoptions(tx, m.m.id, new Date(input.now));
    });
    await tell(items.map((i) => i.matterId!), `decided at ${m.m.title} ${justeradAt}`);
    for (const id of adoptions.reports) await deps.notifier?.statutoryChanged(id, `adopted at ${m.m.title} ${justeradAt}`);
    for (const id of adoptions.fundedProjects) await deps.notifier?.reportingChanged(id, `grant decided at ${m.m.title} ${justeradAt}`);
    return { sent, matters: items.map((i) => i.matterId!) };
  }

  /** A cancelled meeting's matters go to the next board meeting whose agenda is open. */
  async function releaseMatters(input: { now: number; meetingId: string }): Promise<{ moved: string[] }> {
    const m = await load(input.meetingId);
    const next = nextBoardMeeting((await boardSlots(prisma, m.forbund.id, m.m.year)).filter((s) => s.id !== m.m.id), toStockholmDate(new Date(input.now)));
    const headed = await prisma.matter.findMany({ where: { meetingId: m.m.id, status: { in: ['registered', 'prepared', 'on_agenda'] } } });
    await prisma.$transaction(async (tx) => {
      for (const x of headed) {
        await tx.matter.update({ where: { id: x.id }, data: { meetingId: next?.id ?? null, status: x.status === 'on_agenda' ? 'prepared' : x.status } });
        await audit(tx, { forbundId: m.forbund.id, actor: 'system', action: 'matter.moved', entityType: 'matter', entityId: x.id, data: { dnr: x.dnr, from: m.m.id, to: next?.id ?? null, reason: 'meeting cancelled' } });
      }
      await tx.agendaItem.deleteMany({ where: { meetingId: m.m.id, matterId: { not: null } } });
    });
    await tell(headed.map((x) => x.id), `${m.m.title} cancelled: moved on`);
    return { moved: headed.map((x) => x.id) };
  }

  /**
   * A ledamot (or a called-in ersättare) cannot come: recorded with the ersättare called in (the
   * next of the same member), in one transaction. The mails follow (deliverMeetingMails): the
   * ersättare's invite, and the confirmation to the one who declined. A retry, or the link used
   * again, answers with what was recorded.
   */
  async function commitDecline(input: { now: number; meetingId: string; actor: string; personId: string }): Promise<DeclineResult> {
    const m = await load(input.meetingId);
    const result = await prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT "id" FROM "Meeting" WHERE "id" = ${m.m.id} FOR UPDATE`;
      const row = await tx.attendance.findUnique({ where: { meetingId_personId: { meetingId: m.m.id, personId: input.personId } }, include: { person: true } });
      if (!row) throw invalid([{ field: 'personId', problem: 'this person is not called to the meeting' }]);
      const before = await attendanceOf(tx, m.m);
      if (row.status === 'declined') {
        const calledIn = row.replacedBy ? before.rows.find((r) => r.personId === row.replacedBy) : before.rows.find((r) => r.forPersonId === row.personId);
        return { declined: row.person.name, calledIn: calledIn?.person.name ?? null, quorum: before.quorum };
      }
      await mayStill(tx, m.m.id, 'decline', input.now);
      const stand = ersattareFor(before.roster, before.called, row.personId);
      // An ersättare who declines is replaced for the ledamot they stood in for.
      const forPersonId = row.seat === 'ersattare' ? row.forPersonId : row.personId;
      await tx.attendance.update({ where: { id: row.id }, data: { status: 'declined', respondedAt: new Date(input.now), replacedBy: stand?.personId ?? null } });
      if (stand) await tx.attendance.create({ data: { meetingId: m.m.id, personId: stand.personId, seat: 'ersattare', forPersonId } });
      await audit(tx, { forbundId: m.forbund.id, actor: input.actor, action: 'meeting.declined', entityType: 'meeting', entityId: m.m.id, data: { personId: row.personId, calledIn: stand?.personId ?? null } });
      const after = await attendanceOf(tx, m.m);
      return { declined: row.person.name, calledIn: stand?.name ?? null, quorum: after.quorum };
    });
    return result;
  }

  /**
   * A ledamot who reported a förhinder can come after all: called again (with the kallelse if it
   * has gone), and the ersättare called in for them released, in one transaction. The mails follow
   * (deliverMeetingMails): the confirmation, and the ersättare's message with a CANCEL.
   */
  async function commitWithdrawal(input: { now: number; meetingId: string; actor: string; personId: string }): Promise<WithdrawResult> {
    const m = await load(input.meetingId);
    return prisma.$transaction(async (tx) => {
      const fresh = await mayStill(tx, m.m.id, 'decline', input.now);
      const row = await tx.attendance.findUnique({ where: { meetingId_personId: { meetingId: m.m.id, personId: input.personId } }, include: { person: true } });
      if (!row) throw invalid([{ field: 'personId', problem: 'this person is not called to the meeting' }]);
      const before = await attendanceOf(tx, m.m);
      const releasedRow = row.status === 'declined' ? releasedBy(before.rows, row.replacedBy) : undefined;
      if (row.status !== 'declined') {
        // A retry after the withdrawal was stored: answer with what was recorded.
        if (isRetry()) return { back: row.person.name, released: null, quorum: before.quorum };
        throw invalid([{ field: 'personId', problem: `${row.person.name} has no förhinder recorded for this meeting` }]);
      }
      const now = new Date(input.now);
      await tx.attendance.update({ where: { id: row.id }, data: { status: 'invited', respondedAt: now, replacedBy: null, ...(fresh.kallelseSentAt ? { kallelseAt: now } : {}) } });
      if (releasedRow) await tx.attendance.update({ where: { id: releasedRow.id }, data: { status: 'released', respondedAt: now } });
      await audit(tx, { forbundId: m.forbund.id, actor: input.actor, action: 'meeting.decline-withdrawn', entityType: 'meeting', entityId: m.m.id, data: { personId: row.personId, released: releasedRow?.personId ?? null } });
      const after = await attendanceOf(tx, m.m);
      return { back: row.person.name, released: releasedRow?.person.name ?? null, quorum: after.quorum };
    });
  }

  /** The call-in invites of the ersättare and the confirmations of the förhinder the record holds, each once. */
  async function declineMails(m: Awaited<ReturnType<typeof load>>, now = new Date()): Promise<StepOutcome[]> {
    const { rows, roster } = await attendanceOf(prisma, m.m);
    const declined = rows.filter((r) => r.status === 'declined');
    const stand = rows.filter((r) => r.seat === 'ersattare' && r.status === 'invited' && r.forPersonId);
    const released = rows.filter((r) => r.status === 'released');
    // A ledamot who withdrew a förhinder (called again after answering).
    const back = rows.filter((r) => r.status === 'invited' && r.respondedAt);
    const at = (r: { respondedAt: Date | null }) => r.respondedAt?.getTime() ?? 0;
    const keyOf = {
      declined: (r: (typeof rows)[number]) => `declined:${m.m.id}:${r.personId}:${at(r)}`,
      back: (r: (typeof rows)[number]) => `withdrawn:${m.m.id}:${r.personId}:${at(r)}`,
      released: (r: (typeof rows)[number]) => `released:${m.m.id}:${r.personId}:${at(r)}`,
    };
    const keys = [...stand.map((r) => `invite:${m.m.id}:${m.m.sequence}:${r.personId}`), ...declined.map(keyOf.declined), ...back.map(keyOf.back), ...released.map(keyOf.released)];
    const done = new Set((await prisma.notification.findMany({ where: { key: { in: keys } }, select: { key: true } })).map((n) => n.key));
    const items = m.m.kallelseSentAt && stand.some((r) => !done.has(`invite:${m.m.id}:${m.m.sequence}:${r.personId}`)) ? await agendaLines(m.m.id) : undefined;
    const staff = declined.length || back.length ? await staffOf(m.forbund.id) : undefined;
    const declineUrlOf = await personalLinks('decline', m.m.id, stand.map((r) => r.personId));
    const callIns = stand
      .filter((r) => !done.has(`invite:${m.m.id}:${m.m.sequence}:${r.personId}`))
      .map((r) => async () => {
        const forSeat = roster.find((s) => s.personId === r.forPersonId);
        const forName = forSeat?.name ?? rows.find((x) => x.personId === r.forPersonId)?.person.name ?? '';
        const member = forSeat?.memberId ? await prisma.member.findUnique({ where: { id: forSeat.memberId } }) : null;
        const declineUrl = declineUrlOf(r.personId);
        const text = ersattareCallIn({ ...m.facts, personName: r.person.name, forName, ...(member ? { memberName: member.name } : {}), declineUrl, ...(items ? { items } : {}) });
        return invite(now, m, [toAddress(r.person)], `invite:${m.m.id}:${m.m.sequence}:${r.personId}`, declineUrl, text);
      });
    const confirmations = declined
      .filter((r) => !done.has(keyOf.declined(r)))
      .map((r) => () => {
        const replacement = r.replacedBy ? rows.find((x) => x.personId === r.replacedBy)?.person.name : undefined;
        const confirm = declineReceived({ ...m.facts, personName: r.person.name, ...(replacement ? { ersattareName: replacement } : {}) });
        return mailer.send({ key: keyOf.declined(r), forbundId: m.forbund.id, from: m.from, kind: 'meeting.declined', ...recipients([toAddress(r.person)], staff!.secretaries), ...confirm });
      });
    const withdrawn = back
      .filter((r) => !done.has(keyOf.back(r)))
      .map((r) => () => {
        const releasedName = released.find((x) => x.forPersonId === r.personId && at(x) === at(r))?.person.name;
        return mailer.send({ key: keyOf.back(r), forbundId: m.forbund.id, from: m.from, kind: 'meeting.declined', ...recipients([toAddress(r.person)], staff!.secretaries), ...declineWithdrawn({ ...m.facts, personName: r.person.name, ...(releasedName ? { releasedName } : {}) }) });
      });
    const releases = released
      .filter((r) => !done.has(keyOf.released(r)))
      .map((r) => () => {
        const forName = rows.find((x) => x.personId === r.forPersonId)?.person.name ?? '';
        return invite(now, m, [toAddress(r.person)], keyOf.released(r), undefined, ersattareReleased({ ...m.facts, personName: r.person.name, forName }), true);
      });
    return (await settleEach([...callIns, ...confirmations, ...withdrawn, ...releases], (go) => go())).map(stepOutcome);
  }

  /** Runs before ONE_AT_A_TIME recorded and mailed a förhinder in one activity. */
  async function recordDecline(input: { now: number; meetingId: string; actor: string; personId: string }): Promise<DeclineResult> {
    const r = await commitDecline(input);
    await declineMails(await load(input.meetingId), new Date(input.now));
    return r;
  }

  /**
   * Every mail the record promises and that has not gone: the kallelse to those it called, the
   * ersättare's call-ins and the förhinder confirmations, the minutes to the justerare. The
   * stored state is the outbox: an action commits its change, and this delivers what follows from
   * it, however often it runs (each mail has its key). One failing mail holds up no other: all
   * are tried, then the first failure is thrown for Temporal to retry.
   */
  async function deliverMeetingMails(input: { now: number; meetingId: string }): Promise<{ sent: number }> {
    const m = await load(input.meetingId);
    if (m.m.status === 'cancelled') return { sent: 0 };
    let failure: unknown;
    const outcomes: StepOutcome[] = [];
    for (const part of [kallelseMails, declineMails, minutesMail]) {
      try {
        outcomes.push(...(await part(m, new Date(input.now))));
      } catch (err) {
        failure ??= err;
      }
      heartbeat();
    }
    if (failure !== undefined) throw failure;
    return { sent: outcomes.filter((o) => o === 'sent').length };
  }

  /**
   * A step of the meeting's process failed for good (the mail server away for hours): the
   * official sees it as a failed delivery on *Att göra*; the workflow tries again later, and the
   * row is marked seen to when the step goes through.
   */
  async function recordMeetingStepFailure(input: { meetingId: string; step: string; summary: string; error: string; now: number }): Promise<void> {
    const m = await load(input.meetingId);
    await prisma.notification.upsert({
      where: { key: `step-failed:${m.m.id}:${input.step}` },
      create: { key: `step-failed:${m.m.id}:${input.step}`, forbundId: m.forbund.id, messageId: '', kind: 'meeting.step-failed', recipients: [], subject: input.summary, status: 'failed', error: input.error.slice(0, 500) },
      update: { status: 'failed', error: input.error.slice(0, 500), resolvedAt: null },
    });
  }

  async function clearMeetingStepFailure(input: { meetingId: string; step: string; now: number }): Promise<void> {
    await prisma.notification.updateMany({ where: { key: `step-failed:${input.meetingId}:${input.step}`, resolvedAt: null }, data: { resolvedAt: new Date(input.now) } });
  }

  return {
    registerPlannedMatters,
    /** The meeting's plan, and whether the namespace has Årscykel's search attributes (the workflow upserts them only then). */
    readBoardMeeting: async (input: { now: number; meetingId: string }) => {
      const plan = await boardPlan(prisma, input.meetingId);
      return plan && { ...plan, searchAttributes: deps.searchAttributes };
    },
    sendBoardInvites,
    sendBeredningsunderlag,
    closeAgenda,
    remindKallelse,
    sendKallelse,
    openMinutes,
    saveAgenda,
    saveDecision,
    sendMinutesForJustering,
    remindJusterare,
    recordJustering,
    sendDecisions,
    releaseMatters,
    recordDecline,
    fixKallelse,
    commitMinutes,
    recordSignature,
    commitDecline,
    commitWithdrawal,
    deliverMeetingMails,
    recordMeetingStepFailure,
    clearMeetingStepFailure,
  };
}
