import type { PrismaClient } from '../prisma/db.js';
import type { Address } from '../activities/mail.js';

export const toAddress = (p: { name: string; email: string }): Address => ({ name: p.name, email: p.email });

/** The verkställande tjänsteman: the person with the role `official`. */
export function officialOf(prisma: PrismaClient, forbundId: string) {
  return prisma.person.findFirst({ where: { forbundId, roles: { has: 'official' } }, orderBy: { key: 'asc' } });
}

export function peopleWithRole(prisma: PrismaClient, forbundId: string, role: string) {
  return prisma.person.findMany({ where: { forbundId, roles: { has: role } }, orderBy: { key: 'asc' } });
}

export async function bodyMembers(prisma: PrismaClient, forbundId: string, kind: 'styrelse' | 'presidium' | 'beredningsgrupp') {
  const body = await prisma.body.findUnique({
    where: { forbundId_kind: { forbundId, kind } },
    include: { memberships: { include: { person: true }, orderBy: { person: { key: 'asc' } } } },
  });
  return body?.memberships.map((m) => m.person) ?? [];
}

/** The people a milestone owner names: a role, `chair` (the board's chair), or a person key. */
export async function ownersOf(prisma: PrismaClient, forbundId: string, owner: string) {
  if (owner === 'chair') {
    const board = await prisma.body.findUnique({ where: { forbundId_kind: { forbundId, kind: 'styrelse' } }, include: { memberships: { where: { role: 'chair' }, include: { person: true } } } });
    return board?.memberships.map((m) => m.person) ?? [];
  }
  const byRole = await peopleWithRole(prisma, forbundId, owner);
  if (byRole.length) return byRole;
  return prisma.person.findMany({ where: { forbundId, key: owner } });
}

/** Addresses once each, in order (e-mail compared without case). */
export function uniqueAddresses(xs: Address[]): Address[] {
  return [...new Map(xs.map((a) => [a.email.trim().toLowerCase(), a] as const)).values()];
}

/** To and Cc of one mail: each address once, and none that is in To repeated in Cc. */
export function recipients(to: Address[], cc: Address[] = []): { to: Address[]; cc: Address[] } {
  const t = uniqueAddresses(to);
  const inTo = new Set(t.map((a) => a.email.trim().toLowerCase()));
  return { to: t, cc: uniqueAddresses(cc).filter((a) => !inTo.has(a.email.trim().toLowerCase())) };
}
