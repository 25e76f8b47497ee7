// Activities of the statutory chain (workflows/redovisning.ts): read where a report and a member's
// decision stand; send the adopted report to the revisorer, and with the revisionsberättelse and
// the justerat protokoll to every member's registrator; register the revisionsberättelse and a
// member's decision (each checked again in its transaction, whichever run reached it); remind a
// member; open the board matter a refusal of ansvarsfrihet calls for.
import { ApplicationFailure } from '@temporalio/common';
import { toStockholmDate, type IsoDate } from '../domain/dates.js';
import {
  auditReportProblems,
  chainStage,
  dischargeProblems,
  dischargeReminders,
  dischargeReplyBy,
  nextDischargeReminder,
  REPORT_TITLES,
  refusalMatterTitle,
  type ChainStage,
  type DischargeReminder,
  type ReportKind,
} from '../domain/redovisning.js';
import { dischargeRecordedText, dischargeReminder, reportToAuditor, reportToMember, svDate } from '../domain/texts.js';
import { audit } from '../services/audit.js';
import { DATABASE_DOCUMENTS } from '../services/document-store.js';
import { contentOf } from '../services/handlingar.js';
import { dischargeLink } from '../services/links.js';
import { peopleWithRole, toAddress } from '../services/people.js';
import { protocolPdf } from '../services/protokoll.js';
import { isoDay } from '../services/rapportering.js';
import { DuplicateMatterTitle, registerMatter } from '../services/styrelse.js';
import type { DischargeView, StatutoryReportView } from '../workflows/signals.js';
import type { ActivityDeps } from './deps.js';
import { sendAll, stepOutcome, type Address, type OutgoingMail, type StepOutcome } from './mail.js';

export interface ReportState {
  id: string;
  kind: ReportKind;
  year: number;
  title: string;
  forbund: string;
  stage: ChainStage;
  /** The members' decisions still waited for (årsredovisning, once sent). */
  waiting: { id: string; member: string }[];
  decided: { member: string; outcome: string }[];
}

export interface DischargeState {
  id: string;
  member: string;
  year: number;
  outcome: 'beviljad' | 'inte_beviljad' | null;
  refusalMatterId: string | null;
  sentOn: IsoDate | null;
  replyBy: IsoDate | null;
  next: (DischargeReminder & { late: boolean }) | null;
}

const refused = (why: string) => ApplicationFailure.nonRetryable(why, 'Refused');
const invalid = (problems: { field: string; problem: string }[]) => ApplicationFailure.nonRetryable(problems.map((p) => `${p.field}: ${p.problem}`).join('; '), 'Invalid', { fields: problems.map(({ field, problem }) => ({ field, problem })) });

export function statutoryActivities(deps: ActivityDeps) {
  const { prisma, mailer } = deps;
  const documents = deps.documents ?? DATABASE_DOCUMENTS;

  const loadReport = (reportId: string) =>
    prisma.statutoryReport.findUnique({ where: { id: reportId }, include: { forbund: true, discharges: { include: { member: true }, orderBy: { member: { name: 'asc' } } } } });

  async function readStatutoryReport(input: { reportId: string; now: number }): Promise<ReportState | null> {
    const r = await loadReport(input.reportId);
    if (!r) return null;
    const kind = r.kind as ReportKind;
    return {
      id: r.id,
      kind,
      year: r.year,
      title: `${REPORT_TITLES[kind]} ${r.year}`,
      forbund: r.forbund.slug,
      stage: chainStage({ ...r, kind }),
      waiting: r.discharges.filter((d) => !d.outcome).map((d) => ({ id: d.id, member: d.member.name })),
      decided: r.discharges.filter((d) => d.outcome).map((d) => ({ member: d.member.name, outcome: d.outcome! })),
    };
  }

  /** The report's handlingar as attachments (the latest version of each that is not secret), and the justerat protokoll that adopted it. */
  async function papersOf(r: { matterId: string | null; meetingId: string | null; auditDocumentId?: string | null }, o: { withAudit: boolean }) {
    const attachments: NonNullable<OutgoingMail['attachments']> = [];
    const names: string[] = [];
    if (r.matterId) {
      const docs = await prisma.document.findMany({ where: { matterId: r.matterId, secret: false }, orderBy: [{ key: 'asc' }, { version: 'desc' }] });
      const latest = docs.filter((d, i) => docs.findIndex((x) => x.key === d.key) === i);
      for (const d of latest) {
        if (d.id === r.auditDocumentId && !o.withAudit) continue;
        attachments.push({ filename: d.fileName, content: await contentOf(d, documents), contentType: d.contentType });
        names.push(d.id === r.auditDocumentId ? `revisionsberättelsen (${d.fileName})` : d.title);
      }
    }
    if (r.meetingId) {
      const m = await prisma.meeting.findUnique({ where: { id: r.meetingId } });
      if (m?.justeradAt) {
        attachments.push({ filename: `protokoll-${toStockholmDate(m.startsAt)}.pdf`, content: await protocolPdf(prisma, m.id, { final: true }), contentType: 'application/pdf' });
        names.push(`det justerade protokollet från styrelsens sammanträde ${svDate(toStockholmDate(m.startsAt))}`);
      }
    }
    return { attachments, names };
  }

  /** The adopted report to each of the förbund's revisorer (people with the role auditor); none registered is recorded, and seen on the year page. */
  async function sendReportToAuditors(input: { reportId: string; now: number }): Promise<StepOutcome[]> {
    const r = await loadReport(input.reportId);
    if (!r || !r.adoptedAt || r.sentToAuditorsAt) return ['skipped'];
    const auditors = await peopleWithRole(prisma, r.forbundId, 'auditor');
    const { attachments, names } = await papersOf(r, { withAudit: false });
    const from = { name: r.forbund.name, email: r.forbund.email };
    const mails: OutgoingMail[] = auditors.map((p) => ({
      key: `redovisning:${r.id}:auditor:${p.id}`,
      forbundId: r.forbundId,
      from,
      kind: 'report.auditors',
      to: [toAddress(p)],
      ...reportToAuditor({ forbundName: r.forbund.name, auditorName: p.name, kind: r.kind as ReportKind, year: r.year, adoptedBy: r.adoptedBy ?? '', adoptedOn: toStockholmDate(r.adoptedAt!), attached: names, pagesUrl: `${deps.publicBaseUrl.replace(/\/$/, '')}/admin/revision` }),
      attachments,
    }));
    const results = (await sendAll(mailer, mails)).map(stepOutcome);
    await prisma.$transaction(async (tx) => {
      const done = await tx.statutoryReport.updateMany({ where: { id: r.id, sentToAuditorsAt: null }, data: { sentToAuditorsAt: new Date(input.now) } });
      if (done.count) await audit(tx, { forbundId: r.forbundId, actor: 'system', action: 'report.sent_to_auditors', entityType: 'statutoryReport', entityId: r.id, data: { auditors: auditors.map((a) => a.name), attached: names } });
    });
    return results.length ? results : ['skipped'];
  }

  const reportView = (r: { id: string; kind: string; year: number; adoptedBy: string | null; auditReportOn: Date | null; adoptedAt: Date | null; sentToAuditorsAt: Date | null; auditRegisteredAt: Date | null; sentToMembersAt: Date | null }, discharges: { outcome: string | null }[]): StatutoryReportView => ({
    id: r.id,
    kind: r.kind as ReportKind,
    year: r.year,
    stage: chainStage({ ...r, kind: r.kind as ReportKind, discharges }),
    adoptedBy: r.adoptedBy,
    auditReportOn: r.auditReportOn ? isoDay(r.auditReportOn) : null,
  });

  /** The revisionsberättelse: checked against the report as it is in the transaction that writes it (registered once). */
  async function saveAuditReport(input: { reportId: string; now: number; actor: string; auditReportOn: string; documentId: string }): Promise<StatutoryReportView> {
    return prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT "id" FROM "StatutoryReport" WHERE "id" = ${input.reportId} FOR UPDATE`;
      const r = await tx.statutoryReport.findUniqueOrThrow({ where: { id: input.reportId }, include: { discharges: true } });
      if (r.kind !== 'arsredovisning') throw refused('a delårsrapport has no revisionsberättelse');
      if (!r.adoptedAt) throw refused('the årsredovisning is not adopted by the board yet');
      if (r.auditRegisteredAt) {
        if (isoDay(r.auditReportOn!) === input.auditReportOn && r.auditDocumentId === input.documentId) return reportView(r, r.discharges);
        throw refused(`the revisionsberättelse is already registered (dated ${isoDay(r.auditReportOn!)})`);
      }
      const docs = r.matterId ? await tx.document.findMany({ where: { matterId: r.matterId }, select: { id: true } }) : [];
      const problems = auditReportProblems(input, { today: toStockholmDate(new Date(input.now)), adoptedOn: toStockholmDate(r.adoptedAt), documentIds: docs.map((d) => d.id) });
      if (problems.length) throw invalid(problems);
      const saved = await tx.statutoryReport.update({
        where: { id: r.id },
        data: { auditReportOn: new Date(`${input.auditReportOn}T00:00:00Z`), auditDocumentId: input.documentId, auditRegisteredAt: new Date(input.now), auditRegisteredBy: input.actor },
      });
      await audit(tx, { forbundId: r.forbundId, actor: input.actor, action: 'report.audit_registered', entityType: 'statutoryReport', entityId: r.id, data: { year: r.year, auditReportOn: input.auditReportOn, documentId: input.documentId } });
      return reportView(saved, r.discharges);
    });
  }

  /**
   * The report, the revisionsberättelse and the justerat protokoll to every member's registrator
   * (its e-mail in the förbund file, else its ledamöter). For the årsredovisning each member is
   * asked for its decision on ansvarsfrihet by the reply date, through its personal link: the
   * members' rows are made first, in one transaction, so a retry sends the same links.
   */
  async function sendReportToMembers(input: { reportId: string; now: number }): Promise<StepOutcome[]> {
    const r = await loadReport(input.reportId);
    if (!r || !r.adoptedAt || r.sentToMembersAt) return ['skipped'];
    const kind = r.kind as ReportKind;
    const sentOn = toStockholmDate(new Date(input.now));
    const members = await prisma.member.findMany({ where: { forbundId: r.forbundId }, include: { memberships: { where: { body: { kind: 'styrelse' }, role: { not: 'deputy' } }, include: { person: true } } }, orderBy: { name: 'asc' } });
    const replyBy = r.replyBy ? isoDay(r.replyBy) : dischargeReplyBy(r.year, sentOn, (r.forbund.cycleSettings as { dischargeReplyBy?: string } | null)?.dischargeReplyBy);
    if (kind === 'arsredovisning') {
      await prisma.$transaction(async (tx) => {
        await tx.statutoryReport.updateMany({ where: { id: r.id, replyBy: null }, data: { replyBy: new Date(`${replyBy}T00:00:00Z`) } });
        for (const m of members) await tx.memberDischarge.upsert({ where: { reportId_memberId: { reportId: r.id, memberId: m.id } }, create: { reportId: r.id, memberId: m.id }, update: {} });
      });
    }
    const discharges = new Map((await prisma.memberDischarge.findMany({ where: { reportId: r.id } })).map((d) => [d.memberId, d]));
    const { attachments, names } = await papersOf(r, { withAudit: true });
    const from = { name: r.forbund.name, email: r.forbund.email };
    const mails: OutgoingMail[] = [];
    for (const m of members) {
      const to: Address[] = m.email ? [{ name: m.name, email: m.email }] : m.memberships.map((x) => toAddress(x.person));
      if (!to.length) continue;
      const d = discharges.get(m.id);
      const text = reportToMember({
        forbundName: r.forbund.name,
        memberName: m.name,
        kind,
        year: r.year,
        adoptedBy: r.adoptedBy ?? '',
        adoptedOn: toStockholmDate(r.adoptedAt),
        auditReportOn: r.auditReportOn ? isoDay(r.auditReportOn) : null,
        attached: names,
        replyBy: d ? replyBy : null,
        link: d ? dischargeLink(deps.publicBaseUrl, deps.linkSecret, d.id) : null,
      });
      mails.push({ key: `redovisning:${r.id}:member:${m.id}`, forbundId: r.forbundId, from, kind: 'report.members', to, ...text, attachments });
    }
    const results = (await sendAll(mailer, mails)).map(stepOutcome);
    await prisma.$transaction(async (tx) => {
      const done = await tx.statutoryReport.updateMany({ where: { id: r.id, sentToMembersAt: null }, data: { sentToMembersAt: new Date(input.now) } });
      if (done.count) await audit(tx, { forbundId: r.forbundId, actor: 'system', action: 'report.sent_to_members', entityType: 'statutoryReport', entityId: r.id, data: { members: members.map((m) => m.name), replyBy: kind === 'arsredovisning' ? replyBy : null, attached: names } });
    });
    return results.length ? results : ['skipped'];
  }

  const loadDischarge = (dischargeId: string) => prisma.memberDischarge.findUnique({ where: { id: dischargeId }, include: { member: true, report: { include: { forbund: true } } } });

  async function readDischarge(input: { dischargeId: string; now: number }): Promise<DischargeState | null> {
    const d = await loadDischarge(input.dischargeId);
    if (!d) return null;
    const sentOn = d.report.sentToMembersAt ? toStockholmDate(d.report.sentToMembersAt) : null;
    const replyBy = d.report.replyBy ? isoDay(d.report.replyBy) : null;
    const next = sentOn && replyBy && !d.outcome ? nextDischargeReminder({ sentOn, replyBy, sent: d.reminders }) : undefined;
    return { id: d.id, member: d.member.name, year: d.report.year, outcome: (d.outcome as DischargeState['outcome']) ?? null, refusalMatterId: d.refusalMatterId, sentOn, replyBy, next: next ?? null };
  }

  /** A reminder to the member's registrator, once per key; a late one is copied to the official. */
  async function remindDischarge(input: { dischargeId: string; key: string; now: number }): Promise<StepOutcome> {
    const d = await loadDischarge(input.dischargeId);
    if (!d || d.outcome || d.reminders.includes(input.key) || !d.report.sentToMembersAt || !d.report.replyBy) return 'skipped';
    const sentOn = toStockholmDate(d.report.sentToMembersAt);
    const replyBy = isoDay(d.report.replyBy);
    const reminder = dischargeReminders({ sentOn, replyBy }).find((x) => x.key === input.key);
    if (!reminder) return 'skipped';
    const memberships = await prisma.bodyMembership.findMany({ where: { memberId: d.memberId, body: { kind: 'styrelse' }, role: { not: 'deputy' } }, include: { person: true } });
    const to: Address[] = d.member.email ? [{ name: d.member.name, email: d.member.email }] : memberships.map((x) => toAddress(x.person));
    const official = reminder.late ? (await peopleWithRole(prisma, d.report.forbundId, 'official'))[0] : undefined;
    let outcome: StepOutcome = 'skipped';
    if (to.length) {
      const text = dischargeReminder({ forbundName: d.report.forbund.name, memberName: d.member.name, year: d.report.year, sentOn, replyBy, late: reminder.late, link: dischargeLink(deps.publicBaseUrl, deps.linkSecret, d.id) });
      const r = await mailer.send({ key: `discharge:${d.id}:${input.key}`, forbundId: d.report.forbundId, from: { name: d.report.forbund.name, email: d.report.forbund.email }, kind: 'report.discharge_reminder', to, ...(official ? { cc: [toAddress(official)] } : {}), ...text });
      outcome = stepOutcome(r);
    }
    await prisma.$transaction(async (tx) => {
      const fresh = await tx.memberDischarge.findUniqueOrThrow({ where: { id: d.id } });
      if (fresh.reminders.includes(input.key)) return;
      await tx.memberDischarge.update({ where: { id: d.id }, data: { reminders: [...fresh.reminders, input.key] } });
      await audit(tx, { forbundId: d.report.forbundId, actor: 'system', action: 'discharge.reminded', entityType: 'memberDischarge', entityId: d.id, data: { member: d.member.name, key: input.key, late: reminder.late, replyBy } });
    });
    return outcome;
  }

  /** A member's decision, recorded once: checked in the transaction that writes it, whichever run reached it. */
  async function saveDischarge(input: { dischargeId: string; now: number; actor: string; outcome: 'beviljad' | 'inte_beviljad'; decidedOn: string; reference?: string | null }): Promise<DischargeView> {
    return prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT "id" FROM "MemberDischarge" WHERE "id" = ${input.dischargeId} FOR UPDATE`;
      const d = await tx.memberDischarge.findUniqueOrThrow({ where: { id: input.dischargeId }, include: { member: true, report: true } });
      const view = (x: typeof d): DischargeView => ({ id: x.id, member: x.member.name, outcome: (x.outcome as DischargeView['outcome']) ?? null, decidedOn: x.decidedOn ? isoDay(x.decidedOn) : null, reference: x.reference });
      const reference = input.reference?.trim() || null;
      if (d.outcome) {
        if (d.outcome === input.outcome && isoDay(d.decidedOn!) === input.decidedOn && d.reference === reference) return view(d);
        throw refused(`${d.member.name}'s decision is already recorded: ${dischargeRecordedText({ memberName: d.member.name, year: d.report.year, outcome: d.outcome as 'beviljad', decidedOn: isoDay(d.decidedOn!), reference: d.reference })}`);
      }
      const problems = dischargeProblems(input, { today: toStockholmDate(new Date(input.now)), sentOn: d.report.sentToMembersAt ? toStockholmDate(d.report.sentToMembersAt) : null });
      if (problems.length) throw invalid(problems);
      const saved = await tx.memberDischarge.update({
        where: { id: d.id },
        data: { outcome: input.outcome, decidedOn: new Date(`${input.decidedOn}T00:00:00Z`), reference, recordedAt: new Date(input.now), recordedBy: input.actor },
        include: { member: true, report: true },
      });
      await audit(tx, { forbundId: d.report.forbundId, actor: input.actor, action: 'discharge.recorded', entityType: 'memberDischarge', entityId: d.id, data: { member: d.member.name, year: d.report.year, outcome: input.outcome, decidedOn: input.decidedOn, reference } });
      return view(saved);
    });
  }

  /** A refusal of ansvarsfrihet is for the board to handle: a matter, registered once, for the next board meeting. */
  async function openRefusalMatter(input: { dischargeId: string; now: number }): Promise<{ matterId: string; dnr: string } | null> {
    const d = await loadDischarge(input.dischargeId);
    if (!d || d.outcome !== 'inte_beviljad') return null;
    if (d.refusalMatterId) {
      const m = await prisma.matter.findUnique({ where: { id: d.refusalMatterId } });
      if (m) return { matterId: m.id, dnr: m.dnr };
    }
    const title = refusalMatterTitle(d.member.name, d.report.year);
    const description = dischargeRecordedText({ memberName: d.member.name, year: d.report.year, outcome: 'inte_beviljad', decidedOn: isoDay(d.decidedOn!), reference: d.reference }) + ' Styrelsen behöver ta ställning till medlemmens beslut och dess skäl.';
    let matter: { id: string; dnr: string };
    try {
      matter = await registerMatter(prisma, d.report.forbundId, { title, kind: 'other', owner: 'official', description }, new Date(input.now), 'system', { refuseDuplicateTitle: true });
    } catch (err) {
      // A second attempt after the first registered it (and died before recording it here).
      if (!(err instanceof DuplicateMatterTitle)) throw err;
      matter = err.other;
    }
    await prisma.$transaction(async (tx) => {
      await tx.memberDischarge.update({ where: { id: d.id }, data: { refusalMatterId: matter.id } });
      await audit(tx, { forbundId: d.report.forbundId, actor: 'system', action: 'discharge.refusal_matter', entityType: 'memberDischarge', entityId: d.id, data: { member: d.member.name, dnr: matter.dnr } });
    });
    await deps.notifier?.matterChanged(matter.id, `registered: ${title}`);
    return { matterId: matter.id, dnr: matter.dnr };
  }

  return { readStatutoryReport, sendReportToAuditors, saveAuditReport, sendReportToMembers, readDischarge, remindDischarge, saveDischarge, openRefusalMatter };
}
