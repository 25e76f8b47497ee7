// Activities of a matter's workflow: read it, mark it prepared, tell its owner it moved on,
// remind of the follow-up of its decision, record the report back, close it.
import { addDays, addWorkingDays, stockholmDateTime, toStockholmDate } from '../domain/dates.js';
import { followUpDue, matterMoved, svList, type BoardMeetingFacts } from '../domain/texts.js';
import { SEND_TIME } from '../domain/rapportering.js';
import { audit } from '../services/audit.js';
import { meetingTime } from '../services/arscykel.js';
import { officialOf, ownersOf, recipients, toAddress } from '../services/people.js';
import { isoDay, settledKeys } from '../services/rapportering.js';
import type { MatterView } from '../workflows/signals.js';
import type { ActivityDeps } from './deps.js';
import { stepOutcome, type StepOutcome } from './mail.js';
import { invalid } from './styrelse.js';

/** A follow-up is reminded a week before it is due, and again the working day after it (overdue). */
export const FOLLOW_UP_REMINDER_DAYS = 7;

export interface MatterState {
  id: string;
  dnr: string;
  title: string;
  status: string;
  meeting: { id: string; title: string; date: string } | null;
  followUp: { itemId: string; paragraph: number; due: string; reminders: { key: string; at: string; overdue: boolean; sent: boolean }[] } | null;
}

export const matterView = (m: { id: string; dnr: string; title: string; status: string }): MatterView => ({ id: m.id, dnr: m.dnr, title: m.title, status: m.status });

export function matterActivities(deps: ActivityDeps) {
  const { prisma, mailer } = deps;

  /** The item that decided the matter with a follow-up (who is to act by when). */
  const followUpItem = (matterId: string) =>
    prisma.agendaItem.findFirst({ where: { matterId, decision: { not: null }, meeting: { justeradAt: { not: null } } }, include: { meeting: true }, orderBy: { decidedAt: 'desc' } });

  async function readMatter(input: { now: number; matterId: string }): Promise<MatterState | null> {
    const m = await prisma.matter.findUnique({ where: { id: input.matterId }, include: { meeting: true } });
    if (!m) return null;
    let followUp: MatterState['followUp'] = null;
    if (m.status === 'follow_up') {
      const item = await followUpItem(m.id);
      if (item?.actionDue) {
        const due = isoDay(item.actionDue);
        const reminders = [
          { key: `followup:${item.id}:${due}:before`, at: stockholmDateTime(addDays(due, -FOLLOW_UP_REMINDER_DAYS), SEND_TIME).toISOString(), overdue: false },
          { key: `followup:${item.id}:${due}:overdue`, at: stockholmDateTime(addWorkingDays(due, 1), SEND_TIME).toISOString(), overdue: true },
        ];
        const sent = await settledKeys(prisma, reminders.map((r) => r.key), m.forbundId);
        followUp = { itemId: item.id, paragraph: item.paragraph ?? item.number, due, reminders: reminders.map((r) => ({ ...r, sent: sent.has(r.key) })) };
      } else followUp = { itemId: item?.id ?? '', paragraph: item?.paragraph ?? 0, due: '', reminders: [] };
    }
    return {
      id: m.id,
      dnr: m.dnr,
      title: m.title,
      status: m.status,
      meeting: m.meeting ? { id: m.meeting.id, title: m.meeting.title, date: toStockholmDate(m.meeting.startsAt) } : null,
      followUp,
    };
  }

  async function markMatterPrepared(input: { now: number; matterId: string; actor: string }): Promise<MatterView> {
    const m = await prisma.$transaction(async (tx) => {
      const cur = await tx.matter.findUniqueOrThrow({ where: { id: input.matterId } });
      if (cur.status !== 'registered') return cur;
      const m = await tx.matter.update({ where: { id: cur.id }, data: { status: 'prepared', preparedAt: new Date(input.now) } });
      await audit(tx, { forbundId: m.forbundId, actor: input.actor, action: 'matter.prepared', entityType: 'matter', entityId: m.id, data: { dnr: m.dnr } });
      return m;
    });
    return matterView(m);
  }

  async function ownerAddresses(forbundId: string, owner: string) {
    const owners = (await ownersOf(prisma, forbundId, owner)).map(toAddress);
    const official = await officialOf(prisma, forbundId);
    return { owners: owners.length ? owners : official ? [toAddress(official)] : [], official: official ? [toAddress(official)] : [] };
  }

  async function tellOwnerMatterMoved(input: { now: number; matterId: string; fromMeetingId: string }): Promise<StepOutcome> {
    const m = await prisma.matter.findUniqueOrThrow({ where: { id: input.matterId }, include: { forbund: true, meeting: true } });
    const from = await prisma.meeting.findUniqueOrThrow({ where: { id: input.fromMeetingId } });
    const { owners, official } = await ownerAddresses(m.forbundId, m.owner);
    if (!owners.length) return 'skipped';
    const facts = (x: { startsAt: Date; endsAt: Date; location: string | null }): BoardMeetingFacts => ({ forbundName: m.forbund.name, when: meetingTime(x), location: x.location });
    const text = matterMoved({ forbundName: m.forbund.name, ownerName: svList(owners.map((o) => o.name)), dnr: m.dnr, title: m.title, from: facts(from), ...(m.meeting ? { to: facts(m.meeting) } : {}) });
    return stepOutcome(await mailer.send({ key: `matter-moved:${m.id}:${from.id}`, forbundId: m.forbundId, from: { name: m.forbund.name, email: m.forbund.email }, kind: 'matter.moved', ...recipients(owners, official), ...text, routine: true, link: `${deps.publicBaseUrl}/admin/arenden/${m.dnr}` }));
  }

  async function remindFollowUp(input: { now: number; matterId: string; key: string; overdue: boolean }): Promise<StepOutcome> {
    const m = await prisma.matter.findUniqueOrThrow({ where: { id: input.matterId }, include: { forbund: true } });
    const item = await followUpItem(m.id);
    if (m.status !== 'follow_up' || !item?.actionDue || !item.actionBy) return 'skipped';
    const { owners, official } = await ownerAddresses(m.forbundId, item.actionBy);
    const text = followUpDue({
      forbundName: m.forbund.name,
      ownerName: svList(owners.map((o) => o.name)),
      dnr: m.dnr,
      title: m.title,
      paragraph: item.paragraph ?? item.number,
      meetingDate: toStockholmDate(item.meeting.startsAt),
      decision: item.decision ?? '',
      due: isoDay(item.actionDue),
      overdue: input.overdue,
    });
    return stepOutcome(await mailer.send({ key: input.key, forbundId: m.forbundId, from: { name: m.forbund.name, email: m.forbund.email }, kind: 'matter.follow-up', ...recipients(owners, input.overdue ? official : []), ...text, routine: true, link: `${deps.publicBaseUrl}/admin` }));
  }

  async function recordReportBack(input: { now: number; matterId: string; actor: string; text: string }): Promise<MatterView> {
    if (!input.text.trim()) throw invalid([{ field: 'text', problem: 'must say what was done' }]);
    const m = await prisma.$transaction(async (tx) => {
      const cur = await tx.matter.findUniqueOrThrow({ where: { id: input.matterId } });
      const item = await tx.agendaItem.findFirst({ where: { matterId: cur.id, decision: { not: null } }, orderBy: { decidedAt: 'desc' } });
      if (item) await tx.agendaItem.update({ where: { id: item.id }, data: { reportedBackAt: new Date(input.now), reportedBack: input.text.trim() } });
      const m = await tx.matter.update({ where: { id: cur.id }, data: { status: 'closed', closedAt: new Date(input.now) } });
      await audit(tx, { forbundId: m.forbundId, actor: input.actor, action: 'matter.reported-back', entityType: 'matter', entityId: m.id, data: { dnr: m.dnr, text: input.text.trim() } });
      return m;
    });
    return matterView(m);
  }

  async function closeMatter(input: { now: number; matterId: string }): Promise<MatterView> {
    const m = await prisma.$transaction(async (tx) => {
      const cur = await tx.matter.findUniqueOrThrow({ where: { id: input.matterId } });
      if (cur.status !== 'decided') return cur;
      const m = await tx.matter.update({ where: { id: cur.id }, data: { status: 'closed', closedAt: new Date(input.now) } });
      await audit(tx, { forbundId: m.forbundId, actor: 'system', action: 'matter.closed', entityType: 'matter', entityId: m.id, data: { dnr: m.dnr } });
      return m;
    });
    return matterView(m);
  }

  return { readMatter, markMatterPrepared, tellOwnerMatterMoved, remindFollowUp, recordReportBack, closeMatter };
}
