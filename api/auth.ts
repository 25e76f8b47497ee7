// Who a request acts for: a machine by its bearer token (the API; roles, stored as SHA-256 hashes,
// a token belongs to one förbund), or a person signed in to the pages (a server-side session,
// api/admin-session.ts; the person's Person row in the förbund chosen gives the role). Tokens
// sign nobody in to the pages.
import type { NextFunction, Request, Response } from 'express';
import type { PrismaClient } from '../prisma/db.js';
import { createToken, hashToken, type Role } from '../services/tokens.js';
import type { DataVersions } from '../services/read-cache.js';
import { HttpError } from './errors.js';
import { clientAddress, type FailureLimiter } from './guards.js';
import { logger } from '../worker/log.js';

export type { Role };

const log = logger({ component: 'auth' });

export interface Auth {
  /** The API token's id: a machine's request. */
  tokenId?: string;
  /** The person signed in to the pages: their Person row in this förbund, and the session. */
  personId?: string;
  sessionId?: string;
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
export function authenticate(prisma: PrismaClient, versions: DataVersions, limiter?: FailureLimiter) {
  const known = new Map<string, { auth: Auth; version: bigint }>();
  const forbundOfToken = async (tokenHash: string) => (await prisma.apiToken.findUnique({ where: { tokenHash }, select: { forbundId: true } }))?.forbundId;
  /**
   * A refusal (401), counted against the address and the token presented; once either has used up
   * its refusals, 429 instead. Only refusals get here: a valid token is never held back.
   */
  const refuse = (req: Request, res: Response, next: NextFunction, err: HttpError, tokenHash?: string) => {
    if (!limiter) return next(err);
    const keys = { address: clientAddress(req), ...(tokenHash ? { account: `token:${tokenHash.slice(0, 32)}` } : {}) };
    if (limiter.blocked(keys)) {
      res.set('Retry-After', String(limiter.retryAfter(keys)));
      return next(new HttpError(429, 'too many refused requests from this address or with this token; try again later'));
    }
    limiter.refused(keys);
    next(err);
  };
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) return refuse(req, res, next, new HttpError(401, 'missing bearer token: send "Authorization: Bearer <token>"', [{ field: 'Authorization', problem: 'missing or not a bearer token' }]));
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
    if (!row || row.revokedAt) {
      // Refused tokens are logged, not audited: an unknown token has no förbund to audit in, and a
      // revoked one used by a forgotten machine would fill the förbund's append-only log.
      log.warn('token refused', { reason: row ? 'revoked' : 'unknown', ...(row ? { tokenId: row.id, forbundId: row.forbundId } : {}), address: clientAddress(req) });
      return refuse(req, res, next, new HttpError(401, 'unknown or revoked token', [{ field: 'Authorization', problem: 'unknown or revoked token' }]), hash);
    }
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

/**
 * Who acts, for the audit trail: a signed-in person by their Person id (`person:<id> <name> (<role>)`),
 * a machine by its token's id (`token:<id> <name> (<role>)`; names may repeat).
 */
export const actor = (req: Request) => (req.auth ? actorOf(req.auth) : 'anonymous');
export const actorOf = (a: Pick<Auth, 'tokenId' | 'personId' | 'name' | 'role'>) => (a.personId ? `person:${a.personId} ${a.name} (${a.role})` : `token:${a.tokenId} ${a.name} (${a.role})`);
