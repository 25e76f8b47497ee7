// Sending e-mail: SMTP when configured, otherwise .eml files in an outbox directory.
//
// Delivery guarantee. Every message has a key, its Message-ID is derived from the key, and a
// row under the key is claimed before the message is handed to the transport:
// - a key already sent (or failed for good) is never sent again;
// - while one attempt holds the claim, an overlapping attempt of the same step sends nothing
//   (it fails with a retryable error and tries again later);
// - an attempt that dies after the SMTP server accepted the message but before the row says
//   `sent` leaves a stale claim; after CLAIM_LIFETIME_MS a retry takes it over and sends again,
//   with the same Message-ID (so mail clients show one message). That window, a crash between
//   the server's "250 OK" and one database write, is the only way a message goes out twice.
// A permanent refusal (SMTP 5xx, every recipient refused, a message that cannot be built) is
// recorded as `failed` and reported, not thrown: it needs a person, not a retry. A temporary
// one (connection refused, timeout, 4xx) releases the claim and throws, so Temporal retries.
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { Prisma, type PrismaClient } from '../prisma/db.js';
import { mails } from '../services/metrics.js';

export interface Address {
  name: string;
  email: string;
}

export interface OutgoingMail {
  /** Idempotency key: the same key is sent at most once. */
  key: string;
  forbundId: string;
  kind: string;
  from: Address;
  to: Address[];
  cc?: Address[];
  subject: string;
  text: string;
  html: string;
  /** An iTIP calendar message (REQUEST / CANCEL) sent as the text/calendar alternative. */
  calendar?: { method: 'REQUEST' | 'CANCEL'; content: string };
  /** Files attached to the message, e.g. the kallelse as kallelse.pdf (application/pdf). */
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

export type MailTransportConfig =
  | { kind: 'smtp'; host: string; port: number; secure: boolean; user?: string; password?: string }
  | { kind: 'outbox'; dir: string };

export type SendResult =
  /** Handed over now; `rejected` are the addresses the server refused while taking the others. */
  | { outcome: 'sent'; messageId: string; rejected: string[] }
  /** Sent or failed before under this key: nothing done. */
  | { outcome: 'already'; messageId: string }
  /** Refused for good; recorded as a delivery failure for a person to see to. */
  | { outcome: 'failed'; messageId: string; error: string };

export interface Mailer {
  send(mail: OutgoingMail): Promise<SendResult>;
  /** Closes the pooled SMTP connections. */
  close(): void;
}

/** Longer than an attempt can take (the SMTP timeouts below, and the activity's 2 minutes). */
export const CLAIM_LIFETIME_MS = 5 * 60_000;

/** SMTP timeouts, all below the activity's start-to-close timeout of 2 minutes. */
export const SMTP_TIMEOUTS = { connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 60_000 };

/**
 * A pool of a few SMTP connections, each reused for many messages: a burst waits its turn in
 * nodemailer's queue instead of opening a connection per mail (which servers refuse or greet too
 * late under load).
 */
export const SMTP_POOL = { pool: true, maxConnections: 5, maxMessages: 100 } as const;

/** Another attempt of the same step holds the claim; Temporal retries this one later. */
export class MailClaimedError extends Error {
  constructor(key: string) {
    super(`mail ${key} is being sent by another attempt`);
    this.name = 'MailClaimedError';
  }
}

export function messageIdFor(key: string, fromEmail: string): string {
  const domain = fromEmail.split('@')[1] ?? 'arscykel.invalid';
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 40)}@${domain}>`;
}

const fmt = (a: Address) => ({ name: a.name, address: a.email });

export function createTransport(config: MailTransportConfig): Transporter {
  if (config.kind === 'smtp') {
    return nodemailer.createTransport({
      host: config.host,
      port: config.port,
      secure: config.secure,
      auth: config.user ? { user: config.user, pass: config.password ?? '' } : undefined,
      ...SMTP_TIMEOUTS,
      ...SMTP_POOL,
    });
  }
  return nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
}

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
}

/**
 * A refusal no retry will change: the server answered 5xx (an unknown mailbox, a policy), or the
 * message itself is unsendable. Authentication failures (535) are left to retries: they are a
 * configuration problem that an operator fixes, after which the same mail should go out.
 */
export function isPermanentMailError(err: unknown): boolean {
  const e = err as SmtpError;
  if (e.code === 'EAUTH' || e.code === 'ENOAUTH') return false;
  if (typeof e.responseCode === 'number') return e.responseCode >= 500 && e.responseCode < 600;
  return e.code === 'EMESSAGE' || e.code === 'EENVELOPE';
}

export function createMailer(deps: { prisma: PrismaClient; transport: MailTransportConfig; log?: (line: string) => void }): Mailer {
  const { prisma } = deps;
  const transporter = createTransport(deps.transport);
  const log = deps.log ?? ((line: string) => console.log(line));

  /** Claims the key for this attempt: 'mine', or the row that settles it. */
  async function claim(mail: OutgoingMail, messageId: string, token: string) {
    const recipients = [...mail.to, ...(mail.cc ?? [])].map((a) => a.email);
    try {
      await prisma.notification.create({
        data: { key: mail.key, forbundId: mail.forbundId, messageId, kind: mail.kind, recipients, subject: mail.subject, status: 'sending', claimToken: token },
      });
      return 'mine' as const;
    } catch (err) {
      if (!(err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002')) throw err;
    }
    const row = await prisma.notification.findUniqueOrThrow({ where: { key: mail.key } });
    if (row.status !== 'sending') return row;
    if (Date.now() - row.claimedAt.getTime() < CLAIM_LIFETIME_MS) throw new MailClaimedError(mail.key);
    const taken = await prisma.notification.updateMany({
      where: { key: mail.key, status: 'sending', claimToken: row.claimToken },
      data: { claimToken: token, claimedAt: new Date() },
    });
    if (taken.count === 0) throw new MailClaimedError(mail.key);
    log(`mail: ${mail.key}: taking over a stale claim (an earlier attempt died while sending); sending again with the same Message-ID`);
    return 'mine' as const;
  }

  return {
    close: () => transporter.close(),
    async send(mail) {
      const messageId = messageIdFor(mail.key, mail.from.email);
      const token = randomUUID();
      const claimed = await claim(mail, messageId, token);
      if (claimed !== 'mine') return { outcome: 'already', messageId: claimed.messageId };
      const mine = { key: mail.key, claimToken: token };

      let info: { rejected?: unknown[]; message?: Buffer };
      try {
        if (mail.to.length === 0) throw Object.assign(new Error('no recipient'), { code: 'EENVELOPE' });
        info = await transporter.sendMail({
          messageId,
          from: fmt(mail.from),
          to: mail.to.map(fmt),
          cc: mail.cc?.map(fmt),
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          icalEvent: mail.calendar ? { method: mail.calendar.method, content: mail.calendar.content } : undefined,
          attachments: mail.attachments?.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
          headers: { 'X-Arscykel-Key': mail.key },
        });
      } catch (err) {
        if (isPermanentMailError(err)) {
          const e = err as SmtpError;
          const error = (e.response ?? e.message).slice(0, 500);
          await prisma.notification.updateMany({ where: mine, data: { status: 'failed', error, claimToken: null } });
          mails.inc({ outcome: 'failed' });
          log(`mail: ${mail.key}: not delivered, recorded for the official: ${error}`);
          return { outcome: 'failed', messageId, error };
        }
        // Temporary: give the claim back so the retry can send at once.
        await prisma.notification.deleteMany({ where: { ...mine, status: 'sending' } });
        mails.inc({ outcome: 'retried' });
        throw err;
      }

      if (deps.transport.kind === 'outbox') {
        mkdirSync(deps.transport.dir, { recursive: true });
        const file = join(deps.transport.dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${mail.key.replace(/[^a-zA-Z0-9_-]+/g, '_').slice(0, 120)}.eml`);
        writeFileSync(file, info.message!);
        log(`mail: ${mail.subject} → ${mail.to.map((a) => a.email).join(', ')} (${file})`);
      }
      const rejected = (info.rejected ?? []).map((r) => (typeof r === 'string' ? r : (r as { address: string }).address));
      await prisma.notification.updateMany({ where: mine, data: { status: 'sent', sentAt: new Date(), rejected, claimToken: null } });
      mails.inc({ outcome: rejected.length ? 'rejected_recipients' : 'sent' });
      if (rejected.length) log(`mail: ${mail.key}: refused for ${rejected.join(', ')}, recorded for the official`);
      return { outcome: 'sent', messageId, rejected };
    },
  };
}

/** What an activity step reports back to its workflow. */
export type StepOutcome = 'sent' | 'skipped' | 'failed';

export const stepOutcome = (r: SendResult): StepOutcome => (r.outcome === 'already' ? 'skipped' : r.outcome);
