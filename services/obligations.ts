// What the official does about a project's reports, as the API and the official's pages both do
// it: give a report a new due date, withdraw a project, see to a mail that was not delivered (or
// correct its address and have it sent again). Each writes the database (audited) and then tells
// the workflow concerned through the notifier.
import { isIsoDate, toStockholmDate } from '../domain/dates.js';
import { stepsToRun, type Step } from '../domain/schedule.js';
import { svDate } from '../domain/texts.js';
import type { Prisma, PrismaClient } from '../prisma/db.js';
import type { WorkflowNotifier } from './notifier.js';
import { audit } from './audit.js';
import { loadCyclePlan } from './arscykel.js';
import { isoDay, loadReportingPlan } from './rapportering.js';
import { invalid, missing, Refusal } from './refusal.js';

interface Deps {
  prisma: PrismaClient;
  notifier: WorkflowNotifier;
  now: () => Date;
}

const STATUS_SV: Record<string, string> = { submitted: 'inlämnad', withdrawn: 'återkallad', open: 'öppen', handled: 'hanterad utanför Årscykel' };

/**
 * Why an open report cannot get `dueDate` as its new due date, or undefined: it must be open, the
 * date real and not before its period ends. Shared by redateObligation and the start list's
 * "Ge ny sista dag" (services/startlage.ts).
 */
export function obligationRedateRefusal(o: { status: string; periodEnd: Date }, dueDate: unknown, field = 'dueDate'): Refusal | undefined {
  if (o.status !== 'open') {
    return new Refusal(409, `obligation is ${o.status}; only an open report can be re-dated`, `Rapporten är ${STATUS_SV[o.status] ?? o.status}; bara en rapport som väntar kan få ny sista dag.`, [{ field, problem: `the report is ${o.status}`, sv: `Rapporten är ${STATUS_SV[o.status] ?? o.status}.` }]);
  }
  if (!isIsoDate(dueDate)) return invalid([{ field, problem: 'must be a date YYYY-MM-DD', sv: 'Ange ett datum som finns, till exempel 2026-05-15.' }]);
  if (dueDate < isoDay(o.periodEnd)) return invalid([{ field, problem: `must not be before the period ends (${isoDay(o.periodEnd)})`, sv: `Sista dag kan inte ligga före periodens slut, ${svDate(isoDay(o.periodEnd))}.` }]);
  return undefined;
}

/**
 * The write of a new due date, inside the caller's transaction: the date, the open escalation
 * about the old date resolved (the new date gets its own reminders), audited as
 * `obligation.redated` (the coordinator's calendar counts these for its SEQUENCE).
 */
export async function redateInTransaction(
  tx: Prisma.TransactionClient,
  a: { forbundId: string; obligation: { id: string; dueDate: Date }; dueDate: string; actor: string; now: Date; data?: Record<string, unknown>; guard?: Prisma.ReportingObligationWhereInput },
) {
  const data = { dueDate: new Date(`${a.dueDate}T00:00:00Z`) };
  if (a.guard) {
    // Only while the report still stands as read (a bulk change checks each row in its transaction).
    const changed = await tx.reportingObligation.updateMany({ where: { id: a.obligation.id, ...a.guard }, data });
    if (changed.count !== 1) throw new Refusal(409, `obligation "${a.obligation.id}" changed meanwhile`, 'Rapporten har ändrats under tiden.', [{ field: 'id', problem: 'changed meanwhile', sv: 'Rapporten har ändrats under tiden.' }]);
  }
  const u = a.guard ? await tx.reportingObligation.findUniqueOrThrow({ where: { id: a.obligation.id } }) : await tx.reportingObligation.update({ where: { id: a.obligation.id }, data });
  await tx.escalation.updateMany({ where: { forbundId: a.forbundId, subjectType: 'obligation', subjectId: a.obligation.id, resolvedAt: null }, data: { resolvedAt: a.now } });
  await audit(tx, { forbundId: a.forbundId, actor: a.actor, action: 'obligation.redated', entityType: 'obligation', entityId: a.obligation.id, data: { from: isoDay(a.obligation.dueDate), to: a.dueDate, ...a.data } });
  return u;
}

/**
 * A new due date for an open report, not before its period ends: the open escalation about the
 * old date is resolved (the new date gets its own reminders), audited, the workflow told.
 */
export async function redateObligation(deps: Deps, a: { forbundId: string; id: string; dueDate: unknown; actor: string }) {
  const { prisma } = deps;
  const o = await prisma.reportingObligation.findFirst({ where: { id: a.id, project: { forbundId: a.forbundId } } });
  if (!o) throw missing(`obligation "${a.id}"`, 'Rapporten finns inte.');
  const refusal = obligationRedateRefusal(o, a.dueDate);
  if (refusal) throw refusal;
  const dueDate = a.dueDate as string;
  const obligation = await prisma.$transaction((tx) => redateInTransaction(tx, { forbundId: a.forbundId, obligation: o, dueDate, actor: a.actor, now: deps.now() }));
  const workflowNotified = await deps.notifier.reportingChanged(o.projectId, 'due date changed');
  return { obligation, from: isoDay(o.dueDate), workflowNotified };
}

/** Withdraws a project: its open reports are no longer expected (audited, the workflow told and ended). */
export async function withdrawProject(deps: Deps, a: { forbundId: string; key: string; actor: string }) {
  const { prisma } = deps;
  const x = await prisma.project.findUnique({ where: { forbundId_key: { forbundId: a.forbundId, key: a.key } } });
  if (!x) throw missing(`project "${a.key}"`, 'Insatsen finns inte.');
  if (x.status !== 'withdrawn') {
    await prisma.$transaction(async (tx) => {
      await tx.project.update({ where: { id: x.id }, data: { status: 'withdrawn' } });
      await tx.reportingObligation.updateMany({ where: { projectId: x.id, status: 'open' }, data: { status: 'withdrawn' } });
      await audit(tx, { forbundId: a.forbundId, actor: a.actor, action: 'project.withdrawn', entityType: 'project', entityId: x.id });
    });
  }
  const workflowNotified = await deps.notifier.reportingChanged(x.id, 'project withdrawn');
  return { project: x, workflowNotified };
}

/** A mail that failed for good (or addresses refused) is seen to: it leaves the pending steps (audited). */
export async function resolveDelivery(deps: Pick<Deps, 'prisma' | 'now'>, a: { forbundId: string; id: string; actor: string }) {
  const { prisma } = deps;
  const n = await prisma.notification.findFirst({ where: { id: a.id, forbundId: a.forbundId } });
  if (!n || (n.status !== 'failed' && n.rejected.length === 0)) throw missing('delivery failure', 'Det finns inget sådant utskick som inte kom fram.');
  if (!n.resolvedAt) {
    await prisma.$transaction(async (tx) => {
      await tx.notification.update({ where: { id: n.id }, data: { resolvedAt: deps.now() } });
      await audit(tx, { forbundId: a.forbundId, actor: a.actor, action: 'delivery.resolved', entityType: 'notification', entityId: n.id, data: { key: n.key } });
    });
  }
  return { id: n.id, resolved: true as const };
}

// --- a failed delivery fixed where it is shown: the address corrected, the mail sent again ---

/** An e-mail address as a mail header and a calendar invite accept it (no spaces, quotes, commas or brackets). */
const EMAIL = /^[^\s@",;:<>()\\[\]]+@[^\s@",;:<>()\\[\]]+\.[^\s@",;:<>()\\[\].]+$/;
export const isEmailAddress = (s: string) => s.length <= 254 && EMAIL.test(s);

/** The workflow that sent a mail, read from the mail's key, and so the one that can send it again. */
export type DeliveryOwner =
  | { kind: 'reporting'; projectId: string }
  | { kind: 'cycle' }
  | { kind: 'matter'; matterId: string }
  | { kind: 'none' };

export interface DeliveryRepair {
  id: string;
  key: string;
  status: string;
  owner: DeliveryOwner;
  /** Whether removing the failure makes its workflow send the mail again (its step is still the one to run). */
  resendable: boolean;
  /** Why it cannot be sent again (English for the API, Swedish for the pages). */
  why?: { en: string; sv: string };
  /** The addresses that failed, each with the förbund's people it belongs to. */
  recipients: { email: string; people: { id: string; key: string; name: string }[] }[];
}

/** Why a failed mail cannot be sent again: the API's English and the pages' Swedish (a whole sentence). */
const NOT_AGAIN = {
  board: {
    en: "the board meeting's process sends each of its mails at its own step and does not go back to a step it has passed; send the message another way",
    sv: 'Det kan inte skickas igen: det hör till styrelsemötets process, som skickar varje e-post i sitt eget steg och inte går tillbaka till ett steg den har passerat.',
  },
  other: { en: 'no workflow sends this mail again', sv: 'Det kan inte skickas igen: inget arbetsflöde skickar det på nytt.' },
  notMail: { en: 'this is a step of a process that failed, not a mail; its workflow tries the step again by itself', sv: 'Det här är ett steg i en process som inte gick att genomföra, inte ett enskilt e-postmeddelande; arbetsflödet försöker igen av sig självt.' },
  partly: { en: 'the other recipients received it; it cannot be sent again to one address alone', sv: 'Det kan inte skickas igen: de andra mottagarna fick det, och det går inte att skicka om till bara den här adressen.' },
  unplanned: { en: 'its step is no longer planned (the report or milestone is done, withdrawn or has a new date)', sv: 'Det kan inte skickas igen: steget är inte längre planerat, eftersom rapporten eller momentet är klart, återkallat eller har fått ett nytt datum.' },
  superseded: { en: 'a later step of the same item is already due, so this one is not sent again', sv: 'Det kan inte skickas igen: ett senare utskick om samma sak har redan blivit aktuellt.' },
} as const;

async function ownerOf(prisma: PrismaClient, forbundId: string, key: string): Promise<DeliveryOwner> {
  const [kind, id, third] = key.split(':');
  if (kind === 'report' && third === 'letter') {
    const p = await prisma.project.findFirst({ where: { id, forbundId }, select: { id: true } });
    return p ? { kind: 'reporting', projectId: p.id } : { kind: 'none' };
  }
  if (kind === 'report') {
    const o = await prisma.reportingObligation.findFirst({ where: { id, project: { forbundId } }, select: { projectId: true } });
    return o ? { kind: 'reporting', projectId: o.projectId } : { kind: 'none' };
  }
  if (kind === 'receipt' || kind === 'returned') {
    const x = await prisma.submission.findFirst({ where: { id, obligation: { project: { forbundId } } }, select: { obligation: { select: { projectId: true } } } });
    return x ? { kind: 'reporting', projectId: x.obligation.projectId } : { kind: 'none' };
  }
  // The year's workflow: milestone reminders, invites to the preparatory meetings (invite:<meeting>:<sequence>), the missing calendar,
  // the budget's samråd with the members (samrad:<consultation>:<step>) and the October notice (budget-october:<förbund>:<year>).
  if (kind === 'milestone' || kind === 'calendar' || kind === 'samrad' || kind === 'budget-october' || (kind === 'invite' && key.split(':').length === 3)) return { kind: 'cycle' };
  if (kind === 'followup') {
    const item = await prisma.agendaItem.findFirst({ where: { id, meeting: { forbundId } }, select: { matterId: true } });
    return item?.matterId ? { kind: 'matter', matterId: item.matterId } : { kind: 'none' };
  }
  return { kind: 'none' };
}

/**
 * Whether a failed mail can be sent again, and by whom: its workflow (read from its key) must
 * still have it as the step to run once the failure is removed. The schedule loop (domain/
 * schedule.ts stepsToRun) skips keys sent or failed, and of a group's past steps runs only the
 * latest: a reminder superseded by a later one of the same report is not sent again.
 */
export async function deliveryRepair(deps: Pick<Deps, 'prisma' | 'now'>, a: { forbundId: string; id: string }): Promise<DeliveryRepair> {
  const { prisma } = deps;
  const n = await prisma.notification.findFirst({ where: { id: a.id, forbundId: a.forbundId } });
  if (!n || (n.status !== 'failed' && n.rejected.length === 0)) throw missing('delivery failure', 'Det finns inget sådant utskick som inte kom fram.');
  const failed = n.status === 'failed' ? n.recipients : n.rejected;
  const people = failed.length
    ? await prisma.person.findMany({ where: { forbundId: a.forbundId, OR: failed.map((email) => ({ email: { equals: email, mode: 'insensitive' as const } })) }, select: { id: true, key: true, name: true, email: true }, orderBy: { key: 'asc' } })
    : [];
  const recipients = failed.map((email) => ({ email, people: people.filter((p) => p.email.trim().toLowerCase() === email.trim().toLowerCase()).map(({ id, key, name }) => ({ id, key, name })) }));
  const owner = await ownerOf(prisma, a.forbundId, n.key);
  const base = { id: n.id, key: n.key, status: n.status, owner, recipients };
  const no = (why: { en: string; sv: string }): DeliveryRepair => ({ ...base, resendable: false, why });
  if (n.kind === 'meeting.step-failed') return no(NOT_AGAIN.notMail);
  if (n.status !== 'failed') return no(NOT_AGAIN.partly);
  const now = deps.now();
  const stillRuns = (steps: Step[], sent: Set<string>) => {
    if (!steps.some((s) => s.key === n.key)) return no(NOT_AGAIN.unplanned);
    const done = new Set(sent);
    done.delete(n.key);
    return stepsToRun(steps, done, now).some((s) => s.key === n.key) ? { ...base, resendable: true } : no(NOT_AGAIN.superseded);
  };
  switch (owner.kind) {
    case 'reporting': {
      const plan = await loadReportingPlan(prisma, owner.projectId, now);
      if (!plan || plan.project.status !== 'active') return no(NOT_AGAIN.unplanned);
      return stillRuns(plan.steps, plan.sent);
    }
    case 'cycle': {
      const plan = await loadCyclePlan(prisma, a.forbundId, Number(toStockholmDate(now).slice(0, 4)), now);
      if (!plan) return no(NOT_AGAIN.unplanned);
      return stillRuns(plan.steps, plan.sent);
    }
    case 'matter': {
      // The matter's workflow sends the first follow-up reminder not yet settled once its time has come.
      const [, itemId, due, which] = n.key.split(':');
      const item = await prisma.agendaItem.findUnique({ where: { id: itemId }, include: { matter: true, meeting: true } });
      if (!item?.matter || item.matter.status !== 'follow_up' || item.reportedBackAt || !item.meeting.justeradAt || !item.actionDue || isoDay(item.actionDue) !== due) return no(NOT_AGAIN.unplanned);
      if (which === 'before') {
        const later = await prisma.notification.count({ where: { key: `followup:${itemId}:${due}:overdue`, status: { in: ['sent', 'failed'] } } });
        if (later) return no(NOT_AGAIN.superseded);
      }
      return { ...base, resendable: true };
    }
    default:
      return no(/^(invite|underlag|kallelse|kallelse-reminder|minutes|justering|decisions|utdrag|declined|withdrawn|released|matter-moved):/.test(n.key) ? NOT_AGAIN.board : NOT_AGAIN.other);
  }
}

/**
 * A failed mail sent again: the failed recipient's address corrected first when it is a person of
 * the förbund (`email`, for `recipient` — needed only when several addresses failed), then the
 * failure removed so its key can be claimed again (its data kept in the audit event
 * `delivery.resent`), in one transaction; then the workflow that owns the mail is told to re-plan,
 * and runs the step again. 409 when its step would not run again (deliveryRepair says why).
 */
export async function resendDelivery(deps: Deps, a: { forbundId: string; id: string; recipient?: unknown; email?: unknown; actor: string }) {
  const { prisma } = deps;
  const r = await deliveryRepair(deps, a);
  if (!r.resendable) throw new Refusal(409, `this mail cannot be sent again: ${r.why!.en}`, r.why!.sv, [{ field: 'id', problem: r.why!.en, sv: r.why!.sv }]);
  const same = (x: string, y: string) => x.trim().toLowerCase() === y.trim().toLowerCase();
  let correction: { from: string; to: string; people: { id: string; key: string; name: string }[] } | undefined;
  if (a.email !== undefined && a.email !== null && a.email !== '') {
    const email = typeof a.email === 'string' ? a.email.trim() : '';
    if (!isEmailAddress(email)) throw invalid([{ field: 'email', problem: 'must be an e-mail address', sv: 'Ange en e-postadress, till exempel namn@kommun.se.' }]);
    const withPeople = r.recipients.filter((x) => x.people.length);
    let target: DeliveryRepair['recipients'][number] | undefined;
    if (a.recipient !== undefined && a.recipient !== null && a.recipient !== '') {
      target = typeof a.recipient === 'string' ? r.recipients.find((x) => same(x.email, a.recipient as string)) : undefined;
      if (!target) throw invalid([{ field: 'recipient', problem: `must be one of the addresses that failed: ${r.recipients.map((x) => x.email).join(', ')}`, sv: 'Välj den adress som var fel.' }]);
    } else if (r.recipients.length === 1 || withPeople.length === 1) {
      target = r.recipients.length === 1 ? r.recipients[0] : withPeople[0];
    } else {
      throw invalid([{ field: 'recipient', problem: `several addresses failed; say which one to correct: ${r.recipients.map((x) => x.email).join(', ')}`, sv: 'Välj den adress som var fel.' }]);
    }
    if (!target.people.length) {
      throw invalid([{ field: 'email', problem: `${target.email} is not the address of a person of the förbund, so it cannot be corrected here; correct it in the förbund file`, sv: `${target.email} är inte adressen till någon person i förbundet och kan inte rättas här. Rätta den i förbundsfilen.` }]);
    }
    if (!same(target.email, email)) correction = { from: target.email, to: email, people: target.people };
  }
  const n = await prisma.notification.findUniqueOrThrow({ where: { id: r.id } });
  await prisma.$transaction(async (tx) => {
    for (const p of correction?.people ?? []) {
      await tx.person.update({ where: { id: p.id }, data: { email: correction!.to } });
      await audit(tx, { forbundId: a.forbundId, actor: a.actor, action: 'person.email-corrected', entityType: 'person', entityId: p.id, data: { key: p.key, from: correction!.from, to: correction!.to, notificationId: n.id } });
    }
    // The failure removed: the mailer can claim the key again. What it held is kept in the audit event.
    const gone = await tx.notification.deleteMany({ where: { id: n.id, forbundId: a.forbundId, status: 'failed', resolvedAt: null } });
    if (gone.count !== 1) throw new Refusal(409, 'the delivery failure was seen to or sent meanwhile', 'Utskicket har redan åtgärdats eller skickats.', [{ field: 'id', problem: 'changed meanwhile', sv: 'Utskicket har ändrats.' }]);
    await audit(tx, {
      forbundId: a.forbundId,
      actor: a.actor,
      action: 'delivery.resent',
      entityType: 'notification',
      entityId: n.id,
      data: { key: n.key, kind: n.kind, subject: n.subject, recipients: n.recipients, error: n.error, messageId: n.messageId, claimedAt: n.claimedAt.toISOString(), ...(correction ? { corrected: { from: correction.from, to: correction.to } } : {}) },
    });
  });
  const reason = 'failed delivery sent again';
  const owner = r.owner;
  const workflowNotified =
    owner.kind === 'reporting'
      ? await deps.notifier.reportingChanged(owner.projectId, reason)
      : owner.kind === 'matter'
        ? await deps.notifier.matterChanged(owner.matterId, reason)
        : await deps.notifier.cycleChanged(a.forbundId, Number(toStockholmDate(deps.now()).slice(0, 4)), reason);
  return { id: n.id, key: n.key, corrected: correction ? { from: correction.from, to: correction.to, people: correction.people.map((p) => p.name) } : null, workflowNotified };
}
