// Bearer tokens with roles, stored as SHA-256 hashes. A token belongs to one förbund.
import type { NextFunction, Request, Response } from 'express';
import type { PrismaClient } from '../prisma/db.js';
import { createToken, hashToken, type Role } from '../services/tokens.js';
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

export function authenticate(prisma: PrismaClient) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) return next(new HttpError(401, 'missing bearer token: send "Authorization: Bearer <token>"', [{ field: 'Authorization', problem: 'missing or not a bearer token' }]));
    const row = await prisma.apiToken.findUnique({ where: { tokenHash: hashToken(m[1]) }, include: { forbund: { select: { slug: true } } } });
    if (!row || row.revokedAt) return next(new HttpError(401, 'unknown or revoked token', [{ field: 'Authorization', problem: 'unknown or revoked token' }]));
    req.auth = { tokenId: row.id, forbundId: row.forbundId, forbundSlug: row.forbund.slug, role: row.role, name: row.name };
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
