import type { Prisma, PrismaClient } from '../prisma/db.js';

type Tx = Pick<PrismaClient, 'auditEvent'> | Prisma.TransactionClient;

/** Records one state change: who did what to which entity, with the change's data. */
export function audit(
  db: Tx,
  e: { forbundId: string; actor: string; action: string; entityType: string; entityId: string; data?: Record<string, unknown> },
) {
  return db.auditEvent.create({ data: { ...e, data: (e.data ?? {}) as Prisma.InputJsonValue } });
}
