// Signing in to the official's and the secretary's pages, and the guard against forged forms.
//
// A person signs in with their API token (a password field, or the sign-in link that
// `npm run demo` / `npm run token` print, which only shows a button: a link opened by a mail
// scanner or a preview signs nobody in). The token is checked like a bearer token (its hash, not
// revoked) and must be an admin's (the official's) or a secretary's. The browser then holds a
// session cookie, never the token: `<payload>.<HMAC>`, the payload naming the token's id, a
// random session id and when it was issued and expires (8 hours), signed with a key derived from
// the link secret. Every request checks the signature, the expiry, that the token still exists
// and is not revoked (revoking the token ends its sessions at once), and that the session was not
// signed out. Signing in and out is audited; a signed-out session is refused by this process at
// once and by any other process through the audit row (so it holds with several processes on one
// PostgreSQL). The cookie is HttpOnly, SameSite=Strict, Path=/, and Secure (named `__Host-…`)
// when PUBLIC_BASE_URL is https.
//
// Forged forms (CSRF): besides SameSite=Strict, every POST must come from this site: its Origin
// (or, without one, its Referer) must be PUBLIC_BASE_URL's origin or the origin the request was
// made to. The pages are sent with `Referrer-Policy: same-origin`, so browsers send the Origin on
// their own forms (under the API's `no-referrer` they would send `Origin: null`).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { PrismaClient } from '../prisma/db.js';
import { audit } from '../services/audit.js';
import { token as hmacToken } from '../services/links.js';
import { hashToken, type Role } from '../services/tokens.js';
import type { Auth } from './auth.js';

/** The link `npm run demo` and `npm run token` print: it opens a page with a button that signs in (a GET alone does not). */
export const signInLink = (publicBaseUrl: string, token: string) => `${publicBaseUrl.replace(/\/$/, '')}/admin/logga-in?token=${encodeURIComponent(token)}`;

/** The roles the pages are for. */
export const PAGE_ROLES: readonly Role[] = ['admin', 'secretary'];
export const SESSION_HOURS = 8;

interface Payload {
  /** The API token's id. */
  t: string;
  /** The session's own id (random). */
  s: string;
  /** Issued and expires, ms since the epoch. */
  i: number;
  x: number;
}

export interface Session {
  auth: Auth;
  sessionId: string;
  issuedAt: Date;
}

export function sessions(o: { prisma: PrismaClient; linkSecret: string; publicBaseUrl: string; now: () => Date }) {
  const key = hmacToken(o.linkSecret, 'admin-session-key');
  const secure = o.publicBaseUrl.startsWith('https:');
  const cookieName = secure ? '__Host-arscykel-sida' : 'arscykel-sida';
  const publicOrigin = new URL(o.publicBaseUrl).origin;
  /** Sessions signed out in this process (until they would have expired anyway). */
  const ended = new Map<string, number>();

  const sign = (payload: string) => createHmac('sha256', key).update(payload).digest('base64url');

  function read(req: Request): Payload | undefined {
    const raw = cookieValue(req.get('cookie'), cookieName);
    if (!raw) return undefined;
    const dot = raw.indexOf('.');
    if (dot < 1) return undefined;
    const payload = raw.slice(0, dot);
    const given = Buffer.from(raw.slice(dot + 1));
    const expected = Buffer.from(sign(payload));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const p = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Payload;
      if (typeof p.t !== 'string' || typeof p.s !== 'string' || typeof p.i !== 'number' || typeof p.x !== 'number') return undefined;
      return p;
    } catch {
      return undefined;
    }
  }

  const cookie = (value: string, maxAge: number) =>
    `${cookieName}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;

  const actorOf = (a: Auth) => `token:${a.tokenId} ${a.name} (${a.role})`;

  return {
    /** The token's holder, if the token is known and not revoked (whatever its role). */
    async holder(plain: string): Promise<Auth | undefined> {
      if (!/^\S{1,200}$/.test(plain)) return undefined;
      const row = await o.prisma.apiToken.findUnique({ where: { tokenHash: hashToken(plain) }, include: { forbund: { select: { slug: true, name: true } } } });
      if (!row || row.revokedAt) return undefined;
      return { tokenId: row.id, forbundId: row.forbundId, forbundSlug: row.forbund.slug, role: row.role, name: row.name };
    },

    /** Starts a session for the holder (audited) and sets its cookie. */
    async start(res: Response, auth: Auth): Promise<void> {
      const now = o.now().getTime();
      const p: Payload = { t: auth.tokenId, s: randomBytes(16).toString('base64url'), i: now, x: now + SESSION_HOURS * 3600_000 };
      await audit(o.prisma, { forbundId: auth.forbundId, actor: actorOf(auth), action: 'session.started', entityType: 'session', entityId: p.s, data: { expires: new Date(p.x).toISOString() } });
      const payload = Buffer.from(JSON.stringify(p)).toString('base64url');
      res.append('Set-Cookie', cookie(`${payload}.${sign(payload)}`, SESSION_HOURS * 3600));
    },

    /** The signed-in person, or undefined (no cookie, a forged or expired one, a revoked token, signed out). */
    async current(req: Request): Promise<Session | undefined> {
      const p = read(req);
      const now = o.now().getTime();
      if (!p || p.x <= now || p.i > now + 60_000) return undefined;
      if (ended.has(p.s)) return undefined;
      const row = await o.prisma.apiToken.findUnique({ where: { id: p.t }, include: { forbund: { select: { slug: true } } } });
      if (!row || row.revokedAt) return undefined;
      const out = await o.prisma.auditEvent.findFirst({ where: { forbundId: row.forbundId, at: { gte: new Date(p.i - 60_000) }, action: 'session.ended', entityType: 'session', entityId: p.s }, select: { id: true } });
      if (out) return undefined;
      return { auth: { tokenId: row.id, forbundId: row.forbundId, forbundSlug: row.forbund.slug, role: row.role, name: row.name }, sessionId: p.s, issuedAt: new Date(p.i) };
    },

    /** Ends the session (audited) and clears its cookie. */
    async end(res: Response, s: Session | undefined): Promise<void> {
      if (s) {
        const p = { x: s.issuedAt.getTime() + SESSION_HOURS * 3600_000 };
        ended.set(s.sessionId, p.x);
        for (const [id, x] of ended) if (x <= o.now().getTime()) ended.delete(id);
        await audit(o.prisma, { forbundId: s.auth.forbundId, actor: actorOf(s.auth), action: 'session.ended', entityType: 'session', entityId: s.sessionId });
      }
      res.append('Set-Cookie', cookie('', 0));
    },

    /** Clears a cookie that no longer opens anything. */
    clear(res: Response): void {
      res.append('Set-Cookie', cookie('', 0));
    },

    hasCookie(req: Request): boolean {
      return cookieValue(req.get('cookie'), cookieName) !== undefined;
    },

    /** A POST from a page of this site: Origin (else Referer) is the public origin or the one the request was made to. */
    sameOrigin(req: Request): boolean {
      const allowed = new Set([publicOrigin, `${req.protocol}://${req.get('host') ?? ''}`]);
      const origin = req.get('origin');
      if (origin !== undefined) return allowed.has(origin);
      const referer = req.get('referer');
      if (!referer) return false;
      try {
        return allowed.has(new URL(referer).origin);
      } catch {
        return false;
      }
    },
  };
}

export type Sessions = ReturnType<typeof sessions>;

/** One cookie's value from a Cookie header. */
function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const v = part.slice(eq + 1).trim();
      return v || undefined;
    }
  }
  return undefined;
}
