// The day's digest is sent: each person's routine notices not yet in a digest are taken into one
// (their digestKey set, in one statement per person), then every digest taken and not yet sent
// goes out under its key. A retry after a crash between the two finds the digest taken and sends
// it; the mailer's key makes it go once.
import { toStockholmDate } from '../domain/dates.js';
import { digestSections, subjectLine } from '../domain/dagens-lage.js';
import { dagensLage } from '../domain/texts.js';
import type { ActivityDeps } from './deps.js';
import { settleEach } from './mail.js';

export function digestActivities(deps: ActivityDeps) {
  const { prisma, mailer } = deps;

  /** Takes the waiting notices into today's digests; the keys taken (one per förbund and person). */
  async function takeDigests(now: Date): Promise<string[]> {
    const day = toStockholmDate(now);
    const waiting = await prisma.digestItem.groupBy({ by: ['forbundId', 'email'], where: { digestKey: null, createdAt: { lte: now } } });
    const keys: string[] = [];
    for (const w of waiting) {
      const base = `digest:${w.forbundId}:${w.email}:${day}`;
      // A second run on one day (a catch-up, a manual trigger) sends a second digest of what came since, under a key of its own.
      const earlier = await prisma.digestItem.findMany({ where: { digestKey: { startsWith: base } }, distinct: ['digestKey'], select: { digestKey: true } });
      const key = earlier.length ? `${base}:${earlier.length + 1}` : base;
      await prisma.digestItem.updateMany({ where: { forbundId: w.forbundId, email: w.email, digestKey: null, createdAt: { lte: now } }, data: { digestKey: key } });
      keys.push(key);
    }
    return keys;
  }

  /** The digests taken and not yet sent (this run's, and any a crashed run of the last week left). */
  async function unsentDigests(now: Date): Promise<string[]> {
    const since = new Date(now.getTime() - 7 * 86_400_000);
    const taken = await prisma.digestItem.findMany({ where: { digestKey: { not: null }, createdAt: { gte: since } }, distinct: ['digestKey'], select: { digestKey: true }, orderBy: { digestKey: 'asc' } });
    const keys = taken.map((t) => t.digestKey!);
    const sent = new Set((await prisma.notification.findMany({ where: { key: { in: keys } }, select: { key: true } })).map((n) => n.key));
    return keys.filter((k) => !sent.has(k));
  }

  async function sendDigest(key: string): Promise<'sent' | 'failed' | 'skipped'> {
    const items = await prisma.digestItem.findMany({ where: { digestKey: key }, orderBy: { createdAt: 'asc' } });
    if (!items.length) return 'skipped';
    const forbund = await prisma.forbund.findUnique({ where: { id: items[0].forbundId } });
    if (!forbund) return 'skipped';
    const day = key.split(':')[3];
    const text = dagensLage({
      forbundName: forbund.name,
      personName: items[0].name,
      day,
      sections: digestSections(items.map((i) => ({ kind: i.kind, subject: subjectLine(i.subject, forbund.name), link: i.link, at: i.createdAt }))).map((s) => ({
        section: s.section,
        lines: s.lines.map((l) => ({ subject: l.subject, link: l.link })),
      })),
      todoUrl: `${deps.publicBaseUrl}/admin`,
    });
    const r = await mailer.send({ key, forbundId: forbund.id, from: { name: forbund.name, email: forbund.email }, kind: 'digest', to: [{ name: items[0].name, email: items[0].email }], ...text });
    return r.outcome === 'already' ? 'skipped' : r.outcome;
  }

  /** Run by the daily Schedule (07:00 Europe/Stockholm): one digest per person with notices waiting. */
  async function sendDigests(input: { now: number }): Promise<{ sent: number; failed: number }> {
    await takeDigests(new Date(input.now));
    const outcomes = await settleEach(await unsentDigests(new Date(input.now)), sendDigest);
    return { sent: outcomes.filter((o) => o === 'sent').length, failed: outcomes.filter((o) => o === 'failed').length };
  }

  return { sendDigests };
}
