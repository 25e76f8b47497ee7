import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type { Database } from '../../prisma/db.js';
import type { UpdateTarget } from '../../services/notifier.js';
import { RecordingNotifier } from './notifier.js';

/**
 * The statutory chain's workflows played for the page tests: each update is recorded and done as
 * its activity does it (the revisionsberättelse registered once; with `sendToMembers`, the papers
 * then go to the members at once and each member waits for its decision). The workflows
 * themselves run in tests/redovisning-workflow.test.ts.
 */
export class ChainNotifier extends RecordingNotifier {
  updates: { target: UpdateTarget; name: string; args: Record<string, unknown> }[] = [];
  constructor(
    private readonly db: () => Database,
    private readonly now: Date,
    private readonly opts: { sendToMembers?: { replyBy: Date } } = {},
  ) {
    super();
  }
  override async update<R, A extends [unknown]>(target: UpdateTarget, def: UpdateDefinition<R, A>, args: A): Promise<R> {
    const a = args[0] as Record<string, string>;
    this.updates.push({ target, name: def.name, args: a });
    const prisma = this.db().prisma;
    if (def.name === 'registerAuditReport' && 'reportId' in target) {
      const r = await prisma.statutoryReport.findUniqueOrThrow({ where: { id: target.reportId } });
      if (r.auditRegisteredAt || r.auditReportOn) throw ApplicationFailure.create({ type: 'Refused', message: 'the revisionsberättelse is already registered', nonRetryable: true });
      const sent = this.opts.sendToMembers ? { sentToMembersAt: this.now, replyBy: this.opts.sendToMembers.replyBy } : {};
      await prisma.statutoryReport.update({ where: { id: r.id }, data: { auditReportOn: new Date(`${a.auditReportOn}T00:00:00Z`), auditDocumentId: a.documentId, auditRegisteredAt: this.now, auditRegisteredBy: a.actor, ...sent } });
      if (this.opts.sendToMembers) for (const m of await prisma.member.findMany({ where: { forbundId: r.forbundId } })) await prisma.memberDischarge.create({ data: { reportId: r.id, memberId: m.id } });
      return {} as R;
    }
    if (def.name === 'recordDischarge' && 'dischargeId' in target) {
      await prisma.memberDischarge.update({ where: { id: target.dischargeId }, data: { outcome: a.outcome, decidedOn: new Date(`${a.decidedOn}T00:00:00Z`), reference: a.reference ?? null, recordedAt: this.now, recordedBy: a.actor } });
      return {} as R;
    }
    throw new Error(`not played here: ${def.name}`);
  }
}
