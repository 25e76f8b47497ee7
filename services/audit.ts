import type { Prisma, PrismaClient } from '../prisma/db.js';

type Tx = Pick<PrismaClient, 'auditEvent'> | Prisma.TransactionClient;

/**
 * Records one state change: who did what to which entity, with the change's data. An actor that
 * is an API token ("token:<id> <name> (<role>)") is also recorded by the token's id, so two tokens
 * with the same name are told apart.
 */
export function audit(
  db: Tx,
  e: { forbundId: string; actor: string; action: string; entityType: string; entityId: string; data?: Record<string, unknown> },
) {
  const tokenId = /^token:([0-9a-f-]{36}) /.exec(e.actor)?.[1] ?? null;
  return db.auditEvent.create({ data: { ...e, tokenId, data: (e.data ?? {}) as Prisma.InputJsonValue } });
}
