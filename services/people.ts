import type { Prisma, PrismaClient } from '../prisma/db.js';
import type { Address } from '../activities/mail.js';
import { nameWithTitle, roleTitle, svList, titlesOfRole } from '../domain/texts.js';

type Db = PrismaClient | Prisma.TransactionClient;

export const toAddress = (p: { name: string; email: string }): Address => ({ name: p.name, email: p.email });

/** The verkställande tjänsteman: the person with the role `official`. */
export function officialOf(prisma: Db, forbundId: string) {
  return prisma.person.findFirst({ where: { forbundId, roles: { has: 'official' } }, orderBy: { key: 'asc' } });
}

export function peopleWithRole(prisma: Db, forbundId: string, role: string) {
  return prisma.person.findMany({ where: { forbundId, roles: { has: role } }, orderBy: { key: 'asc' } });
}

export async function bodyMembers(prisma: Db, forbundId: string, kind: 'styrelse' | 'presidium' | 'beredningsgrupp') {
  const body = await prisma.body.findUnique({
    where: { forbundId_kind: { forbundId, kind } },
    include: { memberships: { include: { person: true }, orderBy: { person: { key: 'asc' } } } },
  });
  return body?.memberships.map((m) => m.person) ?? [];
}

/** The people a milestone owner names: a role, `chair` or `vice_chair` (the board's seat), or a person key. */
export async function ownersOf(prisma: Db, forbundId: string, owner: string) {
  if (owner === 'chair' || owner === 'vice_chair') {
    const board = await prisma.body.findUnique({ where: { forbundId_kind: { forbundId, kind: 'styrelse' } }, include: { memberships: { where: { role: owner }, include: { person: true } } } });
    return board?.memberships.map((m) => m.person) ?? [];
  }
  const byRole = await peopleWithRole(prisma, forbundId, owner);
  if (byRole.length) return byRole;
  return prisma.person.findMany({ where: { forbundId, key: owner } });
}

/** The roles, in the order their title is preferred after a person's name (a function before a seat). */
const TITLE_ORDER = ['official', 'secretary', 'economist', 'chair', 'vice_chair', 'board_member', 'member', 'deputy', 'coordinator', 'auditor'];

/** A person's Swedish title: by their roles and their seat on the board ('förbundschef', 'ordförande'); none without either. */
export async function titleOfPerson(prisma: Db, person: { id: string; roles: string[] }): Promise<string | undefined> {
  const seat = await prisma.bodyMembership.findFirst({ where: { personId: person.id, body: { kind: 'styrelse' } }, select: { role: true } });
  const held = new Set([...person.roles, ...(seat ? [seat.role] : [])]);
  const role = TITLE_ORDER.find((r) => held.has(r));
  return role ? roleTitle(role) : undefined;
}

/**
 * Who an owner or an actionBy (a role or a person key) names, as a person reads it: each name with its
 * Swedish title ('Örjan Tjänsteman (förbundschef)'); for a role nobody holds, its title ('förbundschefen');
 * undefined for a person key that names nobody. Never the key itself.
 */
export async function ownerLabel(prisma: Db, forbundId: string, owner: string): Promise<string | undefined> {
  const people = await ownersOf(prisma, forbundId, owner);
  const role = titlesOfRole(owner);
  if (role) return people.length ? svList(people.map((p) => nameWithTitle(p.name, role.title))) : role.the;
  if (!people.length) return undefined;
  return svList(await Promise.all(people.map(async (p) => nameWithTitle(p.name, await titleOfPerson(prisma, p)))));
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
