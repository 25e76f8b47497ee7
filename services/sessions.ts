// Server-side sessions of the people signed in to the pages (PersonSession). The browser holds a
// random secret in a cookie; the database holds its SHA-256 hash, the address the person signed in
// with, how (an e-mail link, or OIDC), and when the session was made, last seen, ends and was
// revoked. A session is open while it is not revoked, not past its absolute end (12 hours after
// signing in) and not idle (seen within the last 60 minutes); last seen is written at most once a
// minute, so a page's burst of requests costs one write.
//
// A session is a person's, not a förbund's: the address's Person rows (one per förbund whose file
// names it) give the roles, per förbund, at every request, so a change in the förbund file
// (a role taken away, the person removed) holds at once. The pages' role comes from them:
// official → admin (the tjänsteperson's pages), secretary → secretary. The other roles (board
// member, auditor, coordinator, economist) sign in the same way and are carried in the session's
// roles for their pages to come.
import { createHash, randomBytes } from 'node:crypto';
import { normalEmail } from '../domain/dagens-lage.js';
import type { PrismaClient } from '../prisma/db.js';
import { audit } from './audit.js';
import type { Role } from './tokens.js';

export const IDLE_MINUTES = 60;
export const ABSOLUTE_HOURS = 12;
/** Last seen is written at most this often. */
export const SEEN_EVERY_MS = 60_000;

export type SessionVia = 'email-link' | 'oidc';

export interface SessionRow {
  id: string;
  email: string;
  via: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
  userAgent: string;
}

export const secretHash = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** When the session ends if nothing more happens: idle after its last request, or its absolute end. */
export const endsAt = (s: Pick<SessionRow, 'lastSeenAt' | 'expiresAt'>): Date => new Date(Math.min(s.expiresAt.getTime(), s.lastSeenAt.getTime() + IDLE_MINUTES * 60_000));

/** Open: not revoked, not past its end, not idle. */
export const isOpen = (s: Pick<SessionRow, 'lastSeenAt' | 'expiresAt' | 'revokedAt'>, now: Date): boolean => !s.revokedAt && endsAt(s).getTime() > now.getTime();

/** A new session for the address: the secret for the cookie (returned once, only its hash stored). */
export async function createSession(prisma: PrismaClient, o: { email: string; via: SessionVia; userAgent?: string; now: Date }): Promise<{ row: SessionRow; secret: string }> {
  const secret = randomBytes(32).toString('base64url');
  const row = await prisma.personSession.create({
    data: {
      secretHash: secretHash(secret),
      email: normalEmail(o.email),
      via: o.via,
      createdAt: o.now,
      lastSeenAt: o.now,
      expiresAt: new Date(o.now.getTime() + ABSOLUTE_HOURS * 3600_000),
      userAgent: (o.userAgent ?? '').slice(0, 300),
    },
  });
  return { row, secret };
}

/** The open session the secret belongs to, its last seen brought up to now (at most once a minute); else undefined. */
export async function openSession(prisma: PrismaClient, secret: string, now: Date): Promise<SessionRow | undefined> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(secret)) return undefined;
  const row = await prisma.personSession.findUnique({ where: { secretHash: secretHash(secret) } });
  if (!row || !isOpen(row, now)) return undefined;
  if (now.getTime() - row.lastSeenAt.getTime() >= SEEN_EVERY_MS) {
    // Only if no other request wrote it meanwhile (and never backwards).
    await prisma.personSession.updateMany({ where: { id: row.id, lastSeenAt: { lte: new Date(now.getTime() - SEEN_EVERY_MS) } }, data: { lastSeenAt: now } });
    row.lastSeenAt = now;
  }
  return row;
}

/** Ends a session for good (sign-out, or the official); undefined when there is no such open session. */
export async function revokeSession(prisma: PrismaClient, o: { id: string; by: string; now: Date }): Promise<SessionRow | undefined> {
  const done = await prisma.personSession.updateMany({ where: { id: o.id, revokedAt: null }, data: { revokedAt: o.now, revokedBy: o.by.slice(0, 300) } });
  if (done.count === 0) return undefined;
  return (await prisma.personSession.findUnique({ where: { id: o.id } })) ?? undefined;
}

/** A person of one förbund: their Person row there, with the roles the förbund file gives them. */
export interface PersonInForbund {
  personId: string;
  name: string;
  email: string;
  roles: string[];
  forbund: { id: string; slug: string; name: string };
}

/** The address's Person rows, one per förbund (the förbund's name order); the same address compared without case. */
export async function peopleOf(prisma: PrismaClient, email: string): Promise<PersonInForbund[]> {
  const e = normalEmail(email);
  if (!e) return [];
  const rows = await prisma.person.findMany({
    where: { email: { equals: e, mode: 'insensitive' } },
    include: { forbund: { select: { id: true, slug: true, name: true } } },
    orderBy: [{ forbund: { name: 'asc' } }, { key: 'asc' }],
  });
  // One per förbund: a förbund file names a person once (two rows with one address: the first, roles joined).
  const out = new Map<string, PersonInForbund>();
  for (const r of rows) {
    if (normalEmail(r.email) !== e) continue;
    const seen = out.get(r.forbundId);
    if (seen) seen.roles = [...new Set([...seen.roles, ...r.roles])];
    else out.set(r.forbundId, { personId: r.id, name: r.name, email: r.email, roles: [...r.roles], forbund: r.forbund });
  }
  return [...out.values()];
}

/** The role on the pages a person's roles give: official → admin, secretary → secretary; none yet for the others. */
export function pageRoleOf(roles: readonly string[]): Role | undefined {
  if (roles.includes('official')) return 'admin';
  if (roles.includes('secretary')) return 'secretary';
  return undefined;
}

/** A person as the audit trail names them in a förbund: `person:<id> <name> (<role>)`. */
export const personActor = (p: Pick<PersonInForbund, 'personId' | 'name' | 'roles'>) => `person:${p.personId} ${p.name} (${pageRoleOf(p.roles) ?? p.roles[0] ?? 'person'})`;

/** Audits the same event in every förbund the person belongs to (a session is the person's, not one förbund's). */
export async function auditForPerson(prisma: PrismaClient, people: PersonInForbund[], e: { action: string; entityType: string; entityId: (p: PersonInForbund) => string; data?: Record<string, unknown>; actor?: string }): Promise<void> {
  for (const p of people) await audit(prisma, { forbundId: p.forbund.id, actor: e.actor ?? personActor(p), action: e.action, entityType: e.entityType, entityId: e.entityId(p), ...(e.data ? { data: e.data } : {}) });
}

/** The open sessions of a förbund's people, newest first, each with the person it belongs to there. */
export async function openSessionsOf(prisma: PrismaClient, forbundId: string, now: Date): Promise<(SessionRow & { person: { id: string; name: string; roles: string[] } })[]> {
  const people = await prisma.person.findMany({ where: { forbundId }, select: { id: true, name: true, email: true, roles: true }, orderBy: { key: 'asc' } });
  const byEmail = new Map<string, { id: string; name: string; roles: string[] }>();
  for (const p of people) if (!byEmail.has(normalEmail(p.email))) byEmail.set(normalEmail(p.email), { id: p.id, name: p.name, roles: p.roles });
  if (!byEmail.size) return [];
  const rows = await prisma.personSession.findMany({
    where: { email: { in: [...byEmail.keys()] }, revokedAt: null, expiresAt: { gt: now }, lastSeenAt: { gt: new Date(now.getTime() - IDLE_MINUTES * 60_000) } },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    take: 500,
  });
  return rows.map((r) => ({ ...r, person: byEmail.get(r.email)! }));
}
