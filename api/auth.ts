// Bearer tokens with roles, stored as SHA-256 hashes. A token belongs to one förbund.
import type { NextFunction, Request, Response } from 'express';
import type { PrismaClient } from '../prisma/db.js';
import { createToken, hashToken, type Role } from '../services/tokens.js';
import type { DataVersions } from '../services/read-cache.js';
import { HttpError } from './errors.js';

export type { Role };

export interface Auth {
  tokenId: string;
  forbundId: string;
  forbundSlug: string;
  role: Role;
  name: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    auth?: Auth;
  }
}

/** Creates a token (audited); the plain token is returned once and only its hash is stored. */
export async function createApiToken(prisma: PrismaClient, args: { forbundId: string; name: string; role: Role; personId?: string; actor?: string }): Promise<string> {
  return (await createToken(prisma, { ...args, actor: args.actor ?? 'cli' })).token;
}

/**
 * A known token is looked up again only when its förbund's data changed (a revoked token is such a
 * change). Unknown tokens are never remembered.
 */
export function authenticate(prisma: PrismaClient, versions: DataVersions) {
  const known = new Map<string, { auth: Auth; version: bigint }>();
  const forbundOfToken = async (tokenHash: string) => (await prisma.apiToken.findUnique({ where: { tokenHash }, select: { forbundId: true } }))?.forbundId;
  return async (req: Request, _res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) return next(new HttpError(401, 'missing bearer token: send "Authorization: Bearer <token>"', [{ field: 'Authorization', problem: 'missing or not a bearer token' }]));
    const hash = hashToken(m[1]);
    const seen = known.get(hash);
    if (seen && seen.version === (await versions.of(seen.auth.forbundId))) {
      req.auth = seen.auth;
      return next();
    }
    known.delete(hash);
    // The version is read before the token: a revocation committed in between makes it stale.
    const version = await versions.of(seen?.auth.forbundId ?? (await forbundOfToken(hash)) ?? '');
    const row = await prisma.apiToken.findUnique({ where: { tokenHash: hash }, include: { forbund: { select: { slug: true } } } });
    if (!row || row.revokedAt) return next(new HttpError(401, 'unknown or revoked token', [{ field: 'Authorization', problem: 'unknown or revoked token' }]));
    req.auth = { tokenId: row.id, forbundId: row.forbundId, forbundSlug: row.forbund.slug, role: row.role, name: row.name };
    if (known.size >= 10_000) known.clear();
    if (version > 0n) known.set(hash, { auth: req.auth, version });
    next();
  };
}

/** The route's förbund must be the token's, and the token's role among those allowed. */
export function allow(...roles: Role[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const auth = req.auth!;
    if (req.params.forbund && req.params.forbund !== auth.forbundSlug) {
      return next(new HttpError(403, `this token is for förbund "${auth.forbundSlug}", not "${req.params.forbund}"`));
    }
    if (!roles.includes(auth.role)) return next(new HttpError(403, `role ${auth.role} may not do this; allowed: ${roles.join(', ')}`));
    next();
  };
}

/** Who acts, for the audit trail: the token by id (names may repeat), its name and role. */
export const actor = (req: Request) => (req.auth ? `token:${req.auth.tokenId} ${req.auth.name} (${req.auth.role})` : 'anonymous');
