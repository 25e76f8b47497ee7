// API tokens: created (audited, shown once, stored as a SHA-256 hash), listed without secrets,
// revoked (audited). Shared by the API and `npm run token`.
import { createHash, randomBytes } from 'node:crypto';
import { screenField } from '../domain/fritext.js';
import type { PrismaClient } from '../prisma/db.js';
import { audit } from './audit.js';

export type Role = 'admin' | 'secretary' | 'board_member' | 'economist';
export const ROLES: Role[] = ['admin', 'secretary', 'board_member', 'economist'];

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** What is wrong with a token's name (one line, 1 to 100 characters, no personnummer), in English; undefined when it is good. */
export function tokenNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || !name.trim() || name.length > 100) return 'must be a text of 1 to 100 characters';
  return screenField('name', name)?.problem;
}

/** Creates a token; the plain token is returned once and only its hash is stored. */
export async function createToken(prisma: PrismaClient, args: { forbundId: string; name: string; role: Role; personId?: string; actor: string }): Promise<{ id: string; token: string }> {
  const token = `ak_${randomBytes(24).toString('base64url')}`;
  const { actor, ...data } = args;
  const row = await prisma.$transaction(async (tx) => {
    const r = await tx.apiToken.create({ data: { ...data, tokenHash: hashToken(token) } });
    await audit(tx, { forbundId: args.forbundId, actor, action: 'token.created', entityType: 'token', entityId: r.id, data: { name: r.name, role: r.role } });
    return r;
  });
  return { id: row.id, token };
}

export async function revokeToken(prisma: PrismaClient, args: { forbundId: string; id: string; actor: string; now: Date }) {
  return prisma.$transaction(async (tx) => {
    const row = await tx.apiToken.findFirst({ where: { id: args.id, forbundId: args.forbundId } });
    if (!row) return undefined;
    if (row.revokedAt) return row;
    const r = await tx.apiToken.update({ where: { id: row.id }, data: { revokedAt: args.now } });
    await audit(tx, { forbundId: args.forbundId, actor: args.actor, action: 'token.revoked', entityType: 'token', entityId: row.id, data: { name: row.name, role: row.role } });
    return r;
  });
}

export const tokenJson = (t: { id: string; name: string; role: string; createdAt: Date; revokedAt: Date | null }) => ({
  id: t.id,
  name: t.name,
  role: t.role,
  createdAt: t.createdAt.toISOString(),
  revokedAt: t.revokedAt?.toISOString() ?? null,
});
