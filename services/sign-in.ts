// Signing in by e-mail (the embedded default): a person gives their address on the sign-in page
// and, if the address belongs to a person of some förbund, gets a one-time link by mail. The link
// holds for 15 minutes, once, and only in the browser that asked: asking sets a binding cookie
// whose hash is stored with the link (SignInLink.browserHash), and using the link needs it. Only
// the link's hash is stored.
//
// The page answers the same for every address, known or not, and before anything is looked up:
// the lookup, the link and the mail happen after the answer (requestSignInLink is started without
// being awaited), so neither the page nor its timing says whether an address is known. An address
// gets at most 5 links per 15 minutes (counted in the database, so across processes); more are
// answered the same and not sent.
import { createHash, randomBytes } from 'node:crypto';
import type { Mailer } from '../activities/mail.js';
import { normalEmail } from '../domain/dagens-lage.js';
import { signInMail } from '../domain/texts.js';
import type { PrismaClient } from '../prisma/db.js';
import { audit } from './audit.js';
import { peopleOf } from './sessions.js';

export const LINK_MINUTES = 15;
export const LINKS_PER_ADDRESS = 5;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** A plausible e-mail address (the form's check; what counts is whether a Person has it). */
export const looksLikeEmail = (s: string) => s.length <= 254 && /^[^\s@<>(),;:"\\]+@[^\s@<>(),;:"\\]+\.[^\s@<>(),;:"\\]+$/.test(s);

/** A new browser binding: the cookie's random value. */
export const newBrowserSecret = () => randomBytes(24).toString('base64url');
export const isBrowserSecret = (s: string | undefined): s is string => !!s && /^[A-Za-z0-9_-]{32}$/.test(s);

/** The link the mail carries: its page only shows a button (a mail scanner's GET signs nobody in). */
export const signInLinkUrl = (publicBaseUrl: string, token: string) => `${publicBaseUrl.replace(/\/$/, '')}/admin/logga-in/lank?token=${encodeURIComponent(token)}`;

export type RequestOutcome = 'sent' | 'unknown' | 'too-many' | 'no-mailer' | 'not-sent';

/**
 * Makes and mails a link for the address, if it is a person's. Run after the page has answered.
 * Logs, never throws: there is nobody to tell.
 */
export async function requestSignInLink(
  deps: { prisma: PrismaClient; mailer?: Pick<Mailer, 'send'>; publicBaseUrl: string; now: () => Date; log: (msg: string, fields?: Record<string, unknown>) => void },
  o: { email: string; browserSecret: string },
): Promise<RequestOutcome> {
  const { prisma } = deps;
  const email = normalEmail(o.email);
  const people = await peopleOf(prisma, email);
  // An address that is nobody's has no förbund to audit in: it is logged (by its domain and a hash, not the address).
  const said = { domain: email.split('@')[1] ?? '', emailHash: sha256(email).slice(0, 12) };
  if (!people.length) {
    deps.log('sign-in link asked for an address that is no person of any förbund; nothing sent', said);
    return 'unknown';
  }
  const now = deps.now();
  const recent = await prisma.signInLink.count({ where: { email, createdAt: { gt: new Date(now.getTime() - LINK_MINUTES * 60_000) } } });
  if (recent >= LINKS_PER_ADDRESS) {
    deps.log(`sign-in link not sent: ${recent} links in the last ${LINK_MINUTES} minutes for this address`, said);
    return 'too-many';
  }
  if (!deps.mailer) {
    deps.log('sign-in link not sent: this process has no mailer', said);
    return 'no-mailer';
  }
  const token = randomBytes(32).toString('base64url');
  const row = await prisma.signInLink.create({ data: { tokenHash: sha256(token), email, browserHash: sha256(o.browserSecret), createdAt: now, expiresAt: new Date(now.getTime() + LINK_MINUTES * 60_000) } });
  const first = people[0];
  const text = signInMail({ forbundNames: people.map((p) => p.forbund.name), personName: first.name, link: signInLinkUrl(deps.publicBaseUrl, token), minutes: LINK_MINUTES });
  const forbund = await prisma.forbund.findUniqueOrThrow({ where: { id: first.forbund.id }, select: { name: true, email: true } });
  try {
    const r = await deps.mailer.send({ key: `signin:${row.id}`, forbundId: first.forbund.id, kind: 'signin.link', from: { name: forbund.name, email: forbund.email }, to: [{ name: first.name, email: first.email }], ...text });
    if (r.outcome === 'failed') {
      deps.log('sign-in link not delivered', { ...said, error: r.error });
      return 'not-sent';
    }
    return 'sent';
  } catch (err) {
    deps.log('sign-in link not sent: the mail could not be handed over', { ...said, error: (err as Error).message.split('\n')[0] });
    return 'not-sent';
  }
}

export type LinkRefusal = 'unknown' | 'expired' | 'used' | 'other-browser';
export type LinkCheck = { ok: true; email: string; id: string } | { ok: false; why: LinkRefusal; email?: string; id?: string };

/** What the link would do in this browser now, without using it (the GET page). */
export async function checkSignInLink(prisma: PrismaClient, token: string, browserSecret: string | undefined, now: Date): Promise<LinkCheck> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { ok: false, why: 'unknown' };
  const row = await prisma.signInLink.findUnique({ where: { tokenHash: sha256(token) } });
  if (!row) return { ok: false, why: 'unknown' };
  const who = { email: row.email, id: row.id };
  if (row.usedAt) return { ok: false, why: 'used', ...who };
  if (row.expiresAt.getTime() <= now.getTime()) return { ok: false, why: 'expired', ...who };
  if (!browserSecret || sha256(browserSecret) !== row.browserHash) return { ok: false, why: 'other-browser', ...who };
  return { ok: true, ...who };
}

/** Uses the link: at most once, whichever request comes first; the refusal says why. */
export async function useSignInLink(prisma: PrismaClient, token: string, browserSecret: string | undefined, now: Date): Promise<LinkCheck> {
  const check = await checkSignInLink(prisma, token, browserSecret, now);
  if (!check.ok) return check;
  const taken = await prisma.signInLink.updateMany({ where: { id: check.id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
  return taken.count === 1 ? check : { ok: false, why: 'used', email: check.email, id: check.id };
}

/** A refused use of a link that was some person's: audited in each of their förbund (who and why, and the address it came from). */
export async function auditRefusedSignIn(prisma: PrismaClient, o: { email: string; why: LinkRefusal; address: string }): Promise<number> {
  const people = await peopleOf(prisma, o.email);
  for (const p of people) await audit(prisma, { forbundId: p.forbund.id, actor: 'signin-link', action: 'signin.refused', entityType: 'person', entityId: p.personId, data: { name: p.name, why: o.why, address: o.address } });
  return people.length;
}
