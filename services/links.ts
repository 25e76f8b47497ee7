// Secret links: a coordinator's submission link for one report, subscribable calendar feeds, the
// "can't come" link of a board invite and the justering link of the protokoll. Tokens are HMACs
// of what they open, so nothing secret is stored and a link cannot be turned into one for
// another report. A link can be renewed (rotated): its purpose gets a new generation (table
// LinkGeneration; no row is generation 0) and only the current generation's token opens it.
// Generation 0 is the token as it was before renewals existed (links already sent keep working);
// generation n > 0 is the HMAC of `${purpose}#${n}`.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { PrismaClient } from '../prisma/db.js';
import { audit } from './audit.js';

type Db = Pick<PrismaClient, 'linkGeneration'>;

export function token(secret: string, purpose: string, generation = 0): string {
  return createHmac('sha256', secret).update(generation === 0 ? purpose : `${purpose}#${generation}`).digest('base64url');
}

export function tokenMatches(secret: string, purpose: string, candidate: string, generation = 0): boolean {
  const expected = Buffer.from(token(secret, purpose, generation));
  const given = Buffer.from(candidate);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** What a link's token is: the current one, one of an earlier generation (the link was renewed), or none of them. */
export type LinkState = 'current' | 'renewed' | 'invalid';

/** A token against the purpose's current generation (pure): 'renewed' when it is an earlier generation's. */
export function tokenState(secret: string, purpose: string, candidate: string, generation: number): LinkState {
  if (!candidate) return 'invalid';
  if (tokenMatches(secret, purpose, candidate, generation)) return 'current';
  for (let n = generation - 1; n >= 0; n--) if (tokenMatches(secret, purpose, candidate, n)) return 'renewed';
  return 'invalid';
}

/** A token against the purpose's current generation, looked up (one row by its key). */
export async function checkLink(prisma: Db, secret: string, purpose: string, candidate: string): Promise<LinkState> {
  if (!candidate) return 'invalid';
  return tokenState(secret, purpose, candidate, await generationOf(prisma, purpose));
}

/** The purpose's current generation: 0 until it is renewed. */
export async function generationOf(prisma: Db, purpose: string): Promise<number> {
  return (await prisma.linkGeneration.findUnique({ where: { purpose }, select: { generation: true } }))?.generation ?? 0;
}

/** The current generation of each purpose (0 for one never renewed), in one query: for building many links. */
export async function generationsOf(prisma: Db, purposes: readonly string[]): Promise<Map<string, number>> {
  const out = new Map(purposes.map((p) => [p, 0]));
  if (!purposes.length) return out;
  for (const r of await prisma.linkGeneration.findMany({ where: { purpose: { in: [...new Set(purposes)] } }, select: { purpose: true, generation: true } })) out.set(r.purpose, r.generation);
  return out;
}

/** What a purpose opens, for the audit trail (never the token). */
export type LinkKind = 'submission' | 'feed' | 'project-feed' | 'decline' | 'sign' | 'discharge';

/** A purpose's kind and the entity it belongs to (the audit event's subject). */
export function purposeOf(purpose: string): { kind: LinkKind; entityType: string; entityId: string; data: Record<string, string> } {
  const [head, a = '', b = ''] = purpose.split(':');
  if (head === 'submission') return { kind: 'submission', entityType: 'obligation', entityId: a, data: {} };
  if (head === 'feed' && a === 'project') return { kind: 'project-feed', entityType: 'project', entityId: b, data: {} };
  if (head === 'feed') return { kind: 'feed', entityType: 'forbund', entityId: a, data: { body: b } };
  if (head === 'decline') return { kind: 'decline', entityType: 'meeting', entityId: a, data: { personId: b } };
  if (head === 'sign') return { kind: 'sign', entityType: 'meeting', entityId: a, data: { personId: b } };
  if (head === 'discharge') return { kind: 'discharge', entityType: 'memberDischarge', entityId: a, data: {} };
  throw new Error(`not a link purpose: ${head}`);
}

/**
 * Renews one link: its purpose's generation goes up by one (an upsert: one statement, so renewals
 * at the same time each count and end in one consistent generation), audited as `link.renewed`
 * with the purpose's kind. The förbund's data version is bumped in the same transaction (the table
 * has no trigger of its own), so feeds and pages kept ready show the new link. Answers the new generation.
 */
export async function renewLink(prisma: PrismaClient, r: { forbundId: string; purpose: string; by: string; now: Date }): Promise<number> {
  const about = purposeOf(r.purpose);
  return prisma.$transaction(async (tx) => {
    const row = await tx.linkGeneration.upsert({
      where: { purpose: r.purpose },
      create: { purpose: r.purpose, forbundId: r.forbundId, generation: 1, renewedAt: r.now, renewedBy: r.by },
      update: { generation: { increment: 1 }, renewedAt: r.now, renewedBy: r.by },
      select: { generation: true },
    });
    await tx.$queryRaw`WITH bumped AS (UPDATE "DataVersion" SET version = version + 1 WHERE "forbundId" = ${r.forbundId} RETURNING "forbundId", version) SELECT count(pg_notify('data_version', "forbundId" || ':' || version)) FROM bumped`;
    await audit(tx, { forbundId: r.forbundId, actor: r.by, action: 'link.renewed', entityType: about.entityType, entityId: about.entityId, data: { kind: about.kind, generation: row.generation, ...about.data } });
    return row.generation;
  });
}

export const submissionPurpose = (obligationId: string) => `submission:${obligationId}`;
export const feedPurpose = (forbundId: string, body: string) => `feed:${forbundId}:${body}`;

/** The coordinator's link to one report; `generation` from generationOf/generationsOf (0: never renewed). */
export function submissionLink(baseUrl: string, secret: string, obligationId: string, generation = 0): string {
  return `${baseUrl.replace(/\/$/, '')}/submit/${obligationId}?token=${token(secret, submissionPurpose(obligationId), generation)}`;
}

/** A förbund's subscribable feed of one body's meetings ('all', 'styrelse', …). */
export function feedLink(baseUrl: string, secret: string, forbund: { id: string; slug: string }, body: string, generation = 0): string {
  return `${baseUrl.replace(/\/$/, '')}/feeds/${forbund.slug}/${body}.ics?token=${token(secret, feedPurpose(forbund.id, body), generation)}`;
}

export const declinePurpose = (meetingId: string, personId: string) => `decline:${meetingId}:${personId}`;

/** The "can't come" link of one person's invite to one board meeting. */
export function declineLink(baseUrl: string, secret: string, meetingId: string, personId: string, generation = 0): string {
  return `${baseUrl.replace(/\/$/, '')}/meetings/${meetingId}/forhinder/${personId}?token=${token(secret, declinePurpose(meetingId, personId), generation)}`;
}

export const signPurpose = (meetingId: string, personId: string) => `sign:${meetingId}:${personId}`;

/** The personal link through which the ordförande or a justerare reads and signs one meeting's protokoll. */
export function signLink(baseUrl: string, secret: string, meetingId: string, personId: string, generation = 0): string {
  return `${baseUrl.replace(/\/$/, '')}/meetings/${meetingId}/justera/${personId}?token=${token(secret, signPurpose(meetingId, personId), generation)}`;
}

export const projectFeedPurpose = (projectId: string) => `feed:project:${projectId}`;

/** The subscribable calendar of one project's report due dates (for its coordinator). */
export function projectFeedLink(baseUrl: string, secret: string, projectId: string, generation = 0): string {
  return `${baseUrl.replace(/\/$/, '')}/feeds/projects/${projectId}/reports.ics?token=${token(secret, projectFeedPurpose(projectId), generation)}`;
}

export const dischargePurpose = (dischargeId: string) => `discharge:${dischargeId}`;

/** A member's registrator reports the member's decision on ansvarsfrihet through this link. */
export function dischargeLink(baseUrl: string, secret: string, dischargeId: string, generation = 0): string {
  return `${baseUrl.replace(/\/$/, '')}/ansvarsfrihet/${dischargeId}?token=${token(secret, dischargePurpose(dischargeId), generation)}`;
}
