// Medlemssamråd om budget: the official starts the samråd on a budget year's proposal (one row per
// member, BudgetConsultation), records each member's reply, and reads where every member stands.
// The mails (the proposal, the reminders) are steps of the årscykel workflow of the year the samråd
// is sent in (services/arscykel.ts loadCyclePlan, activities/arscykel.ts): the API and the page only
// write the rows and tell that workflow. Refusals in English (API) and Swedish (pages).
import { isLate, samradState, validateReply, validateStart, type ReplyInput, type SamradState, type StartInput } from '../domain/budgetsamrad.js';
import { toStockholmDate, type IsoDate } from '../domain/dates.js';
import { pendingStep, type PendingStep } from '../domain/pending.js';
import type { PrismaClient } from '../prisma/db.js';
import { audit } from './audit.js';
import type { WorkflowNotifier } from './notifier.js';
import { invalid, missing, Refusal } from './refusal.js';
import { isoDay } from './rapportering.js';

export interface SamradDeps {
  prisma: PrismaClient;
  notifier: WorkflowNotifier;
  now: () => Date;
}

/** One member's part of the samråd, as the API and the page show it. */
export interface SamradMemberView {
  memberKey: string;
  memberName: string;
  /** The row's id (the key of its mails, `samrad:<id>:…`). */
  id: string;
  sentAt: string;
  replyBy: IsoDate;
  repliedOn: IsoDate | null;
  reply: string | null;
  recordedAt: string | null;
  recordedBy: string | null;
  /** Reminders sent: 'reminder' (before the reply date), 'late' (after it). */
  reminders: string[];
  state: SamradState;
  /** No reply by the reply date, or a reply after it. */
  late: boolean;
}

export interface SamradView {
  /** The budget year consulted on. */
  year: number;
  started: boolean;
  /** Members of the förbund not (yet) consulted for the year. */
  notConsulted: { memberKey: string; memberName: string }[];
  members: SamradMemberView[];
}

const yearNow = (now: Date) => Number(toStockholmDate(now).slice(0, 4));

/** The samråd on the budget of `year`: every consulted member (by name), where its reply stands; the members not consulted. */
export async function consultationOf(prisma: PrismaClient, forbundId: string, year: number, now: Date = new Date()): Promise<SamradView> {
  const today = toStockholmDate(now);
  const [rows, members] = await Promise.all([
    prisma.budgetConsultation.findMany({ where: { forbundId, year }, include: { member: { select: { key: true, name: true } } } }),
    prisma.member.findMany({ where: { forbundId }, select: { id: true, key: true, name: true }, orderBy: { name: 'asc' } }),
  ]);
  const consulted = new Set(rows.map((r) => r.memberId));
  return {
    year,
    started: rows.length > 0,
    notConsulted: members.filter((m) => !consulted.has(m.id)).map((m) => ({ memberKey: m.key, memberName: m.name })),
    members: rows
      .map((r) => {
        const c = { replyBy: isoDay(r.replyBy), repliedOn: r.repliedOn ? isoDay(r.repliedOn) : null };
        return {
          memberKey: r.member.key,
          memberName: r.member.name,
          id: r.id,
          sentAt: r.sentAt.toISOString(),
          ...c,
          reply: r.reply,
          recordedAt: r.recordedAt?.toISOString() ?? null,
          recordedBy: r.recordedBy,
          reminders: r.reminders,
          state: samradState(c, today),
          late: isLate(c, today),
        };
      })
      .sort((a, b) => a.memberName.localeCompare(b.memberName, 'sv')),
  };
}

function checkYear(year: number, now: Date) {
  const thisYear = yearNow(now);
  if (!Number.isInteger(year) || year < thisYear || year > thisYear + 3) {
    throw invalid([{ field: 'year', problem: `must be the budget year consulted on, ${thisYear} to ${thisYear + 3}`, sv: `Samrådet gäller budgeten för ett år från ${thisYear} till ${thisYear + 3}.` }]);
  }
}

/**
 * Starts the samråd on the budget of `year`: one row per member not yet consulted for the year (a
 * member consulted already keeps its row and its reply date), sent now; audited
 * `budget-consultation.started`; the year's workflow is told, and sends the proposal to each.
 * 409 when every member is consulted already, or the förbund has no members.
 */
export async function startConsultation(deps: SamradDeps, forbundId: string, year: number, input: StartInput, actor: string, now: Date = deps.now()): Promise<SamradView & { workflowNotified: boolean }> {
  checkYear(year, now);
  const checked = validateStart(input, toStockholmDate(now));
  if (!checked.ok) throw invalid(checked.problems);
  const v = checked.value;
  const created = await deps.prisma.$transaction(async (tx) => {
    const members = await tx.member.findMany({ where: { forbundId }, orderBy: { name: 'asc' } });
    if (!members.length) throw new Refusal(409, 'the förbund has no members to consult', 'Förbundet har inga medlemmar att samråda med.');
    const existing = new Set((await tx.budgetConsultation.findMany({ where: { forbundId, year }, select: { memberId: true } })).map((r) => r.memberId));
    const fresh = members.filter((m) => !existing.has(m.id));
    if (!fresh.length) throw new Refusal(409, `the samråd on the budget ${year} is started already: every member is consulted`, `Samrådet om budget ${year} är redan startat: alla medlemmar har fått förslaget.`);
    await tx.budgetConsultation.createMany({ data: fresh.map((m) => ({ forbundId, year, memberId: m.id, sentAt: now, replyBy: new Date(v.replyBy) })), skipDuplicates: true });
    await audit(tx, { forbundId, actor, action: 'budget-consultation.started', entityType: 'budget_consultation', entityId: String(year), data: { year, replyBy: v.replyBy, sentAt: now.toISOString(), members: fresh.map((m) => m.name), ...(v.message ? { message: v.message } : {}) } });
    return fresh.length;
  });
  const workflowNotified = created ? await deps.notifier.cycleChanged(forbundId, yearNow(now), `budget samråd ${year} started`) : true;
  return { ...(await consultationOf(deps.prisma, forbundId, year, now)), workflowNotified };
}

/**
 * Records a member's reply (the day it came, what it said). Recorded again, it replaces the earlier
 * one (a correction): audited `budget-consultation.reply-corrected` with the earlier reply, which the
 * log keeps; the first time `budget-consultation.reply-recorded`. Its reminders stop (the year's
 * workflow is told). 404 for a member not consulted for the year.
 */
export async function recordReply(deps: SamradDeps, forbundId: string, year: number, memberKey: string, input: ReplyInput, actor: string, now: Date = deps.now()): Promise<SamradMemberView & { workflowNotified: boolean }> {
  const checked = validateReply(input, toStockholmDate(now));
  if (!checked.ok) throw invalid(checked.problems);
  const v = checked.value;
  const member = await deps.prisma.member.findUnique({ where: { forbundId_key: { forbundId, key: memberKey } } });
  if (!member) throw missing(`member "${memberKey}"`, 'Medlemmen finns inte.');
  const row = await deps.prisma.budgetConsultation.findUnique({ where: { forbundId_year_memberId: { forbundId, year, memberId: member.id } } });
  if (!row) throw missing(`a samråd on the budget ${year} with ${member.name}`, `${member.name} har inte fått förslaget till budget ${year} för samråd.`);
  const before = row.repliedOn ? { repliedOn: isoDay(row.repliedOn), reply: row.reply } : null;
  await deps.prisma.$transaction(async (tx) => {
    await tx.budgetConsultation.update({ where: { id: row.id }, data: { repliedOn: new Date(v.repliedOn), reply: v.reply, recordedAt: now, recordedBy: actor } });
    await audit(tx, {
      forbundId,
      actor,
      action: before ? 'budget-consultation.reply-corrected' : 'budget-consultation.reply-recorded',
      entityType: 'budget_consultation',
      entityId: String(year),
      data: { year, member: member.name, memberKey, repliedOn: v.repliedOn, ...(before ? { from: before } : {}) },
    });
  });
  const workflowNotified = before ? true : await deps.notifier.cycleChanged(forbundId, yearNow(now), `budget samråd ${year}: ${member.key} replied`);
  const view = (await consultationOf(deps.prisma, forbundId, year, now)).members.find((m) => m.id === row.id)!;
  return { ...view, workflowNotified };
}

/**
 * The official's message sent with the proposal. The schema has no column for it: it is kept in the
 * audit event that started the samråd for the row (matched by the time the row was sent).
 */
export async function samradMessageOf(prisma: PrismaClient, forbundId: string, year: number, sentAt: Date): Promise<string | undefined> {
  const events = await prisma.auditEvent.findMany({ where: { forbundId, action: 'budget-consultation.started', entityType: 'budget_consultation', entityId: String(year) } });
  const d = events.map((e) => e.data as { sentAt?: string; message?: string }).find((x) => x.sentAt === sentAt.toISOString());
  return typeof d?.message === 'string' ? d.message : undefined;
}

/**
 * The official's pending steps of the samråd: each member whose reply is late (the reply date has
 * passed with none recorded), until it is recorded. Consultations on a budget already adopted are
 * over and show none.
 */
export async function samradPendingSteps(prisma: PrismaClient, forbund: { id: string; slug: string }, today: string): Promise<PendingStep[]> {
  const rows = await prisma.budgetConsultation.findMany({ where: { forbundId: forbund.id, repliedOn: null, replyBy: { lt: new Date(`${today}T00:00:00Z`) } }, include: { member: true }, orderBy: { replyBy: 'asc' } });
  if (!rows.length) return [];
  const adopted = new Set((await prisma.budgetYear.findMany({ where: { forbundId: forbund.id, adoptedAt: { not: null } }, select: { year: true } })).map((b) => b.year));
  return rows
    .filter((c) => !adopted.has(c.year))
    .map((c) =>
      pendingStep(
        {
          type: 'samrad',
          id: c.id,
          title: `Svar på samrådet om budget ${c.year} från ${c.member.name} har inte kommit in (senast ${isoDay(c.replyBy)})`,
          waitingOn: { role: 'member', name: c.member.name, email: c.member.email ?? null },
          dueDate: isoDay(c.replyBy),
          escalated: false,
          links: { record: `/api/v1/forbund/${forbund.slug}/budget-consultations/${c.year}/members/${c.member.key}`, page: `/admin/pengar/${c.year}#samrad` },
        },
        today,
      ),
    );
}
