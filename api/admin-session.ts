// Signing in to the pages: the cookies, the server-side session behind them, and the guard against
// forged forms.
//
// A person signs in as themselves, by a one-time link sent to their address (services/sign-in.ts)
// or through the deployment's OpenID Connect provider (services/oidc.ts), never with an API token: tokens are for machines and sign nobody in here.
// The browser then holds a session cookie with a random secret; the database holds its hash in a
// PersonSession row (services/sessions.ts) with the idle (60 minutes) and absolute (12 hours)
// timeouts. Every request looks the session up, so signing out, or the official ending a session
// on /admin/inloggningar, holds at once in every process. The person's roles are read from their
// Person rows, per förbund: one who belongs to several förbund chooses one (a cookie that names it
// by slug; it can only pick among the person's own förbund). Both are kept for the minute after
// the session was last seen while nothing has changed (services/read-cache.ts epoch: any förbund's
// data, a session ended in any process, a write of this one), so a page's burst and a busy
// official's clicks cost no statement; the minute's last-seen write still reads them again.
//
// Cookies: HttpOnly, Path=/, Secure and named `__Host-…` when PUBLIC_BASE_URL is https. The session
// and the förbund chosen are SameSite=Strict. The browser binding of a sign-in link is SameSite=Lax,
// so that the link opened from a mail (a navigation from another site) shows at once whether it
// was asked for in this browser; it signs nobody in by itself.
//
// Forged forms (CSRF): besides SameSite=Strict, every POST must come from this site: its Origin
// (or, without one, its Referer) must be PUBLIC_BASE_URL's origin or the origin the request was
// made to. The pages are sent with `Referrer-Policy: same-origin`, so browsers send the Origin on
// their own forms (under the API's `no-referrer` they would send `Origin: null`).
import type { Request, Response } from 'express';
import type { PrismaClient } from '../prisma/db.js';
import type { DataVersions } from '../services/read-cache.js';
import { isBrowserSecret, newBrowserSecret } from '../services/sign-in.js';
import { ABSOLUTE_HOURS, auditForPerson, createSession, isOpen, openSession, pageRoleOf, peopleOf, revokeSession, secretHash, SEEN_EVERY_MS, type PersonInForbund, type SessionRow, type SessionVia } from '../services/sessions.js';
import type { Auth } from './auth.js';

/** The session cookie's name for a deployment (the tests sign in with it). */
export const sessionCookieName = (publicBaseUrl: string) => (publicBaseUrl.startsWith('https:') ? '__Host-arscykel-sida' : 'arscykel-sida');
/** The förbund chosen, for a person of several. */
export const forbundCookieName = (publicBaseUrl: string) => (publicBaseUrl.startsWith('https:') ? '__Host-arscykel-forbund' : 'arscykel-forbund');

/** A session that is open, and the person's Person rows (one per förbund) as they are now. */
export interface SignedIn {
  session: SessionRow;
  people: PersonInForbund[];
}

/** The signed-in person in the förbund the pages are about (res.locals.session). */
export interface Session {
  /** As req.auth: the förbund, the pages' role, the name. */
  auth: Auth;
  sessionId: string;
  email: string;
  /** The person's roles in this förbund (official, secretary, board_member, coordinator, auditor, economist). */
  roles: string[];
  /** Every förbund the person belongs to (several: the pages offer to change). */
  people: PersonInForbund[];
}

/** The person in the förbund chosen (by slug), or the only one; undefined when one must be chosen first. */
export function personIn(cur: SignedIn, slug: string | undefined): PersonInForbund | undefined {
  if (cur.people.length === 1) return cur.people[0];
  return cur.people.find((p) => p.forbund.slug === slug);
}

/** The session as the pages use it, for a person whose roles there give a page role; else undefined. */
export function sessionFor(cur: SignedIn, p: PersonInForbund): Session | undefined {
  const role = pageRoleOf(p.roles);
  if (!role) return undefined;
  return {
    auth: { personId: p.personId, sessionId: cur.session.id, forbundId: p.forbund.id, forbundSlug: p.forbund.slug, role, name: p.name },
    sessionId: cur.session.id,
    email: cur.session.email,
    roles: p.roles,
    people: cur.people,
  };
}

/** Sessions kept at most (a deployment's people signed in at once); the oldest goes first. */
const KEPT_SESSIONS = 5000;

export function sessions(o: { prisma: PrismaClient; publicBaseUrl: string; now: () => Date; versions?: DataVersions }) {
  const kept = new Map<string, { epoch: number; signedIn: SignedIn }>();
  const secure = o.publicBaseUrl.startsWith('https:');
  const names = { session: sessionCookieName(o.publicBaseUrl), forbund: forbundCookieName(o.publicBaseUrl), browser: secure ? '__Host-arscykel-inloggning' : 'arscykel-inloggning' };
  const publicOrigin = new URL(o.publicBaseUrl).origin;

  const cookie = (name: string, value: string, maxAge: number, sameSite: 'Strict' | 'Lax' = 'Strict') =>
    `${name}=${value}; Path=/; HttpOnly; SameSite=${sameSite}; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;

  return {
    /** Starts a session for the address (audited in each of the person's förbund) and sets its cookie. */
    async start(req: Request, res: Response, a: { email: string; via: SessionVia; people: PersonInForbund[] }): Promise<SessionRow> {
      const { row, secret } = await createSession(o.prisma, { email: a.email, via: a.via, userAgent: req.get('user-agent') ?? '', now: o.now() });
      await auditForPerson(o.prisma, a.people, { action: 'session.started', entityType: 'session', entityId: () => row.id, data: { via: a.via, expires: row.expiresAt.toISOString() } });
      res.append('Set-Cookie', cookie(names.session, secret, ABSOLUTE_HOURS * 3600));
      return row;
    },

    /** The signed-in person (an open session; their Person rows now), or undefined. */
    async current(req: Request): Promise<SignedIn | undefined> {
      const secret = cookieValue(req.get('cookie'), names.session);
      if (!secret) return undefined;
      const now = o.now();
      const epoch = o.versions?.epoch();
      const hash = secretHash(secret);
      const k = kept.get(hash);
      if (k && epoch !== undefined && k.epoch === epoch && isOpen(k.signedIn.session, now) && now.getTime() - k.signedIn.session.lastSeenAt.getTime() < SEEN_EVERY_MS) return k.signedIn;
      kept.delete(hash);
      const session = await openSession(o.prisma, secret, now);
      if (!session) return undefined;
      const signedIn = { session, people: await peopleOf(o.prisma, session.email) };
      if (epoch !== undefined) {
        if (kept.size >= KEPT_SESSIONS) kept.delete(kept.keys().next().value!);
        kept.set(hash, { epoch, signedIn });
      }
      return signedIn;
    },

    /** Signs out: the session is revoked for good (audited), its cookie cleared. */
    async end(res: Response, cur: SignedIn | undefined): Promise<void> {
      if (cur) {
        const ended = await revokeSession(o.prisma, { id: cur.session.id, by: 'self', now: o.now() });
        if (ended) await auditForPerson(o.prisma, cur.people, { action: 'session.ended', entityType: 'session', entityId: () => cur.session.id });
      }
      res.append('Set-Cookie', cookie(names.session, '', 0));
    },

    /** Clears a session cookie that no longer opens anything. */
    clear(res: Response): void {
      res.append('Set-Cookie', cookie(names.session, '', 0));
    },

    hasCookie(req: Request): boolean {
      return cookieValue(req.get('cookie'), names.session) !== undefined;
    },

    /** The browser's binding for sign-in links, if it has one. */
    browser(req: Request): string | undefined {
      const v = cookieValue(req.get('cookie'), names.browser);
      return isBrowserSecret(v) ? v : undefined;
    },

    /** The browser's binding, made now if it has none (an hour, renewed by every request for a link). */
    bind(req: Request, res: Response): string {
      const v = this.browser(req) ?? newBrowserSecret();
      res.append('Set-Cookie', cookie(names.browser, v, 3600, 'Lax'));
      return v;
    },

    /** The förbund chosen (its slug), for a person of several. */
    chosen(req: Request): string | undefined {
      const v = cookieValue(req.get('cookie'), names.forbund);
      return v && /^[a-z0-9-]{1,64}$/.test(v) ? v : undefined;
    },

    choose(res: Response, slug: string): void {
      res.append('Set-Cookie', cookie(names.forbund, slug, 30 * 24 * 3600));
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
