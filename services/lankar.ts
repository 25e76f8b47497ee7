// Renewing secret links one at a time (services/links.ts keeps the generations): a report's
// submission link (the new one mailed to the project's coordinator), one person's "can't come"
// link to a board meeting (mailed to them, before the meeting begins), the justering link of the
// ordförande or a justerare (mailed to them, while the protokoll is out for justering and they
// have not signed), a förbund's calendar feed
// and a project's feed (the new address answered; a calendar subscribed to the old one stops
// updating). Shared by the API (api/lankar.ts), the admin pages and the coordinator's page.
// Also: whom a link's page names to ask (the official for a report, the board's secretary for a
// meeting), and the facts the expiry rules of domain/lankar.ts read.
import type { Mailer, OutgoingMail, SendResult } from '../activities/mail.js';
import { logger } from '../worker/log.js';
import { toStockholmDate } from '../domain/dates.js';
import { declineLinkClosed, signLinkActs, submissionLinkExpired, type SubmissionLinkFacts } from '../domain/lankar.js';
import { declineNewLink, reportNewLink, roleTitle, signNewLink } from '../domain/texts.js';
import type { PrismaClient } from '../prisma/db.js';
import { meetingTime } from './arscykel.js';
import { declineLink, declinePurpose, feedLink, feedPurpose, projectFeedLink, projectFeedPurpose, renewLink, signLink, signPurpose, submissionLink, submissionPurpose } from './links.js';
import { protocolSigners } from './protokoll.js';
import { officialOf, ownersOf, toAddress } from './people.js';
import { isoDay } from './rapportering.js';
import { missing, Refusal } from './refusal.js';

const log = logger({ component: 'links' });

/** The most versions a coordinator may submit of one report (api/rapportering.ts MAX_VERSIONS). */
const MAX_VERSIONS = 5;

/** The calendar feeds of a förbund, by body. */
export const FEED_BODIES = ['all', 'styrelse', 'presidium', 'beredningsgrupp'] as const;
export type FeedBody = (typeof FEED_BODIES)[number];
/** Each feed as the pages name it. */
export const FEED_NAMES_SV: Record<FeedBody, string> = { all: 'Hela årscykeln', styrelse: 'Styrelsen', presidium: 'Presidiet och beredningen', beredningsgrupp: 'Beredningsgruppen' };

/** How the mail with a new link went: the mailer's outcome, or not sent by a process without a mailer (tests and tools; a deployment always has one). */
export type Mailed = SendResult['outcome'] | 'not-sent';

async function sendNewLink(deps: { mailer?: Pick<Mailer, 'send'> }, mail: OutgoingMail): Promise<Mailed> {
  if (!deps.mailer) {
    log.warn('a renewed link was not mailed: this process has no mailer', { key: mail.key });
    return 'not-sent';
  }
  return (await deps.mailer.send(mail)).outcome;
}

export interface LinkDeps {
  prisma: PrismaClient;
  publicBaseUrl: string;
  linkSecret: string;
  now: () => Date;
}

/** Whom a link's page names to ask: a person by name and Swedish title, or the förbund's office. */
export type Ask = { name: string; title?: string; email: string } | { office: string; email: string };

/** About a report's link: the förbund's official (förbundschef), or the office when it has none. */
export async function reportContact(prisma: PrismaClient, forbund: { id: string; name: string; email: string }): Promise<Ask> {
  const official = await officialOf(prisma, forbund.id);
  return official ? { name: official.name, title: roleTitle('official'), email: official.email } : { office: forbund.name, email: forbund.email };
}

/** About a meeting's link: the board's secretary, or the office. */
export async function meetingContact(prisma: PrismaClient, forbund: { id: string; name: string; email: string }): Promise<Ask> {
  const secretary = (await ownersOf(prisma, forbund.id, 'secretary'))[0];
  return secretary ? { name: secretary.name, title: 'styrelsens sekreterare', email: secretary.email } : { office: forbund.name, email: forbund.email };
}

/** What the expiry rule of a submission link reads of a report: its state, and when it became final (its last version or its lock, whichever is later). */
export function submissionLinkFacts(o: { status: string; lockedAt: Date | null; dueDate: Date; project: { status: string }; submissions: { submittedAt: Date }[] }): SubmissionLinkFacts {
  const last = Math.max(o.lockedAt?.getTime() ?? 0, ...o.submissions.map((s) => s.submittedAt.getTime()));
  return {
    withdrawn: o.status === 'withdrawn' || o.project.status === 'withdrawn',
    locked: !!o.lockedAt,
    versions: o.submissions.length,
    maxVersions: MAX_VERSIONS,
    dueDate: isoDay(o.dueDate),
    ...(last > 0 ? { finalOn: toStockholmDate(new Date(last)) } : {}),
  };
}

/**
 * Renews one report's submission link and mails the new one to the project's coordinator (the
 * earlier link no longer works). Refused (409) for a withdrawn project (no report is expected) and
 * for a report whose link has expired; nothing is changed then.
 */
export async function renewSubmissionLink(deps: LinkDeps & { mailer?: Pick<Mailer, 'send'> }, a: { forbundId: string; obligationId: string; by: string }): Promise<{ generation: number; mailed: Mailed; to: { name: string; email: string } }> {
  const { prisma } = deps;
  const o = await prisma.reportingObligation.findFirst({
    where: { id: a.obligationId, project: { forbundId: a.forbundId } },
    include: { project: { include: { coordinator: true, forbund: true } }, submissions: { select: { submittedAt: true } } },
  });
  if (!o) throw missing(`obligation "${a.obligationId}"`, 'Det finns ingen sådan rapport i förbundet.');
  const facts = submissionLinkFacts(o);
  if (facts.withdrawn) throw new Refusal(409, 'the project is withdrawn and no report is expected; there is no link to renew', 'Insatsen är återkallad, så ingen rapport väntas och länken behöver inte bytas. Ingenting har ändrats.');
  if (submissionLinkExpired(facts, toStockholmDate(deps.now()))) throw new Refusal(409, 'the report is closed for good and its link has expired; there is no link to renew', 'Rapporten är stängd och länken har redan gått ut, så den behöver inte bytas. Ingenting har ändrats.');
  const { project } = o;
  const { forbund } = project;
  const generation = await renewLink(prisma, { forbundId: a.forbundId, purpose: submissionPurpose(o.id), by: a.by, now: deps.now() });
  const text = reportNewLink({
    forbundName: forbund.name,
    projectName: project.name,
    coordinatorName: project.coordinator.name,
    kind: o.kind,
    periodStart: isoDay(o.periodStart),
    periodEnd: isoDay(o.periodEnd),
    dueDate: isoDay(o.dueDate),
    link: submissionLink(deps.publicBaseUrl, deps.linkSecret, o.id, generation),
  });
  const to = toAddress(project.coordinator);
  const mailed = await sendNewLink(deps, { key: `newlink:${o.id}:${generation}`, forbundId: forbund.id, from: { name: forbund.name, email: forbund.email }, kind: 'report.new-link', to: [to], ...text });
  return { generation, mailed, to };
}

/**
 * Renews one person's "can't come" link to a board meeting and mails them the new one. Only before
 * the meeting begins, and only for one called to it (not an ersättare released again); 409 otherwise.
 */
export async function renewDeclineLink(deps: LinkDeps & { mailer?: Pick<Mailer, 'send'> }, a: { forbundId: string; meetingId: string; personId: string; by: string }): Promise<{ generation: number; mailed: Mailed; to: { name: string; email: string } }> {
  const { prisma } = deps;
  const m = await prisma.meeting.findFirst({ where: { id: a.meetingId, forbundId: a.forbundId }, include: { forbund: true } });
  if (!m) throw missing(`meeting "${a.meetingId}"`, 'Det finns inget sådant möte i förbundet.');
  const closed = declineLinkClosed(m, deps.now());
  if (closed) throw new Refusal(409, closed === 'cancelled' ? 'the meeting is cancelled; its links no longer act' : 'the meeting has begun; its "can\'t come" links no longer act', closed === 'cancelled' ? 'Mötet är inställt, så länken behöver inte bytas. Ingenting har ändrats.' : 'Mötet har redan börjat, så länken för förhinder fungerar inte längre och behöver inte bytas. Ingenting har ändrats.');
  const row = await prisma.attendance.findUnique({ where: { meetingId_personId: { meetingId: m.id, personId: a.personId } }, include: { person: true } });
  if (!row) throw missing(`attendance of "${a.personId}"`, 'Personen är inte kallad till mötet.');
  if (row.status === 'released') throw new Refusal(409, 'the person is no longer called to the meeting; their link does not act', 'Personen är inte längre inkallad till mötet, så länken behöver inte bytas. Ingenting har ändrats.');
  const generation = await renewLink(prisma, { forbundId: a.forbundId, purpose: declinePurpose(m.id, row.personId), by: a.by, now: deps.now() });
  const text = declineNewLink({ forbundName: m.forbund.name, when: meetingTime(m), location: m.location, personName: row.person.name, declineUrl: declineLink(deps.publicBaseUrl, deps.linkSecret, m.id, row.personId, generation) });
  const to = toAddress(row.person);
  const mailed = await sendNewLink(deps, { key: `newlink:${m.id}:${row.personId}:${generation}`, forbundId: m.forbund.id, from: { name: m.forbund.name, email: m.forbund.email }, kind: 'meeting.new-link', to: [to], ...text });
  return { generation, mailed, to };
}

/** Why a person's justering link cannot be renewed now (English for the API, Swedish for a page); undefined when it can. */
export function signLinkClosed(m: { status: string; minutesSentAt: Date | null; justeradAt: Date | null }, signedAt?: Date): { message: string; sv: string } | undefined {
  if (m.status === 'cancelled') return { message: 'the meeting is cancelled; its links no longer act', sv: 'Mötet är inställt, så länken behöver inte bytas. Ingenting har ändrats.' };
  if (!signLinkActs(m)) return { message: 'the protokoll is justerat already; the justering link only shows when and by whom', sv: 'Protokollet är redan justerat, så länken för justering behöver inte bytas. Ingenting har ändrats.' };
  if (!m.minutesSentAt) return { message: 'the minutes have not been sent for justering; there is no justering link yet', sv: 'Protokollet har inte skickats för justering än, så det finns ingen länk för justering att byta. Ingenting har ändrats.' };
  if (signedAt) return { message: 'the person has signed the protokoll already; their link has nothing left to do', sv: 'Personen har redan justerat protokollet, så länken behöver inte bytas. Ingenting har ändrats.' };
  return undefined;
}

/**
 * Renews the justering link of the ordförande or a justerare and mails them the new one (the
 * earlier link no longer works). Only while the protokoll is out for justering and the person has
 * not signed it; 409 otherwise (naming why), 404 for one who does not sign it.
 */
export async function renewSignLink(deps: LinkDeps & { mailer?: Pick<Mailer, 'send'> }, a: { forbundId: string; meetingId: string; personId: string; by: string }): Promise<{ generation: number; mailed: Mailed; to: { name: string; email: string } }> {
  const { prisma } = deps;
  const m = await prisma.meeting.findFirst({ where: { id: a.meetingId, forbundId: a.forbundId, kind: 'styrelse' }, include: { forbund: true } });
  if (!m) throw missing(`meeting "${a.meetingId}"`, 'Det finns inget sådant styrelsemöte i förbundet.');
  const early = signLinkClosed(m);
  if (early) throw new Refusal(409, early.message, early.sv);
  const me = (await protocolSigners(prisma, m)).find((x) => x.personId === a.personId);
  if (!me) throw missing(`signer "${a.personId}"`, 'Personen justerar inte protokollet (bara ordföranden och justerarna gör det).');
  const closed = signLinkClosed(m, me.signedAt);
  if (closed) throw new Refusal(409, closed.message, closed.sv);
  const person = await prisma.person.findUniqueOrThrow({ where: { id: me.personId } });
  const generation = await renewLink(prisma, { forbundId: a.forbundId, purpose: signPurpose(m.id, person.id), by: a.by, now: deps.now() });
  const text = signNewLink({
    forbundName: m.forbund.name,
    when: meetingTime(m),
    location: m.location,
    personName: person.name,
    signerRole: me.role,
    signUrl: signLink(deps.publicBaseUrl, deps.linkSecret, m.id, person.id, generation),
    ...(m.justeringDue ? { due: isoDay(m.justeringDue) } : {}),
  });
  const to = toAddress(person);
  const mailed = await sendNewLink(deps, { key: `newsignlink:${m.id}:${person.id}:${generation}`, forbundId: m.forbund.id, from: { name: m.forbund.name, email: m.forbund.email }, kind: 'minutes.new-link', to: [to], ...text });
  return { generation, mailed, to };
}

/** Renews a förbund's calendar feed of one body: the new address (the old one answers 403 from now on). */
export async function renewFeed(deps: LinkDeps, a: { forbundId: string; body: string; by: string }): Promise<{ body: FeedBody; generation: number; url: string }> {
  if (!(FEED_BODIES as readonly string[]).includes(a.body)) throw missing(`feed "${a.body}"`, 'Det finns inget sådant kalenderflöde.');
  const forbund = await deps.prisma.forbund.findUnique({ where: { id: a.forbundId }, select: { id: true, slug: true } });
  if (!forbund) throw missing('förbund', 'Förbundet finns inte.');
  const body = a.body as FeedBody;
  const generation = await renewLink(deps.prisma, { forbundId: forbund.id, purpose: feedPurpose(forbund.id, body), by: a.by, now: deps.now() });
  return { body, generation, url: feedLink(deps.publicBaseUrl, deps.linkSecret, forbund, body, generation) };
}

/**
 * Renews a project's calendar feed (its report due dates, for the coordinator): by the official,
 * or from the coordinator's own page. Answers the new generation (projectFeedLink builds the address).
 */
export async function renewProjectFeed(prisma: PrismaClient, a: { forbundId: string; projectId: string; by: string; now: Date }): Promise<number> {
  const p = await prisma.project.findFirst({ where: { id: a.projectId, forbundId: a.forbundId }, select: { id: true } });
  if (!p) throw missing(`project "${a.projectId}"`, 'Det finns ingen sådan insats i förbundet.');
  return renewLink(prisma, { forbundId: a.forbundId, purpose: projectFeedPurpose(p.id), by: a.by, now: a.now });
}

/** The project's feed address at generation `generation`. */
export const projectFeedUrl = (deps: Pick<LinkDeps, 'publicBaseUrl' | 'linkSecret'>, projectId: string, generation: number) => projectFeedLink(deps.publicBaseUrl, deps.linkSecret, projectId, generation);
