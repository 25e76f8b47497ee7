// Sending e-mail: SMTP when configured, otherwise .eml files in an outbox directory.
//
// Delivery guarantee. Every message has a key, its Message-ID is derived from the key, and a
// row under the key is claimed before the message is handed to the transport:
// - a key already sent (or failed for good) is never sent again;
// - while one attempt holds the claim, an overlapping attempt sends nothing (it fails with a
//   retryable MailClaimedError and tries again later);
// - an attempt that dies after the SMTP server accepted the message but before the row says
//   `sent` leaves its claim behind, and the message is sent again, with the same Message-ID (so
//   mail clients show one message). Inside a Temporal activity the claim token names the
//   activity (workflowId, runId, activityId) and the attempt, and a later attempt of the same
//   activity takes such a claim over at once: Temporal starts attempt n+1 only once attempt n
//   has failed or timed out, and since send() heartbeats, a dead worker's attempt times out
//   within the activity's heartbeat timeout (30 s, workflows/schedule.ts). Any other claim (another
//   activity's, or one made outside an activity) is taken over only after CLAIM_LIFETIME_MS.
//   That window, a crash between the server's "250 OK" and the database write that records it,
//   is the only way a dead attempt's message goes out twice. The records are written in batches
//   (below), so the window is a little longer than one write of its own: at most RECORD_WAIT_MS
//   (50 ms) and the batch's statement; a crash in a burst sends again the messages accepted in
//   that time (at 300 a second, some 15–30), each once. send() returns only once its record is
//   committed, so an activity never reports a mail as sent that the database does not know as sent;
// - an attempt timed out while still alive (cut off from Temporal, or past its start-to-close
//   time) claims nothing more once it hears so (its cancellation, at its next heartbeat). Until
//   then the next attempt may take over a claim it still has at the transport, and that message
//   goes twice, with the same Message-ID.
// A permanent refusal (SMTP 5xx, every recipient refused, a message that cannot be built) is
// recorded as `failed` and reported, not thrown: it needs a person, not a retry. A temporary
// one (connection refused, timeout, 4xx) releases the claim and throws, so Temporal retries.
// A loop over several mails sends them with sendAll() or settleEach(): a mail that is claimed
// elsewhere, or fails for now, holds up none of the others; the first failure is thrown at the
// end, and the retry skips the keys already sent.
//
// Heartbeats. Inside an activity, send() heartbeats after each message is handed over, and while
// any of the activity's sends waits (for a slot, the database or the SMTP server) every
// HEARTBEAT_EVERY_MS, or a third of the heartbeat timeout when that is shorter. A long loop of
// sends is not timed out; an attempt told it is over claims nothing more (see above).
//
// At the speed of SMTP. A burst (thousands of send() calls at once) must neither queue thousands
// of statements for the database pool nor pile thousands of claimed messages into nodemailer's
// queue (a claim is meant to be taken just before its message goes). So:
// - at most `maxInFlight` sends (MAX_IN_FLIGHT, 20 per pooled SMTP connection) hold a claim and
//   are with the transport at once; the other calls wait in memory, in order, unclaimed. A claimed
//   message waits behind at most that many others: at one message a second, under two minutes,
//   within the activity's time and well within the claim's lifetime;
// - claims and records are written together, in one statement for all that are pending (class
//   Journal): at once when the transport is idle (a lone mail waits for nothing), when the
//   transport runs low on claimed messages, or RECORD_WAIT_MS after the oldest record. A burst
//   of 2,000 takes some 50–80 statements instead of 4,000;
// - a key that is already there, a refusal and a temporary failure take the single-row paths as
//   before (the takeover of a claim with them).
// The batched path runs one statement at a time, so the pool of 10 connections (prisma/db.ts) is
// enough however large the burst.
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Context } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { Prisma, type PrismaClient } from '../prisma/db.js';
import { mails } from '../services/metrics.js';
import { normalEmail, splitRoutine } from '../domain/dagens-lage.js';

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
  /**
   * A routine notice (an escalation, a reminder, a moved matter): the förbund's official and
   * secretaries take it in the day's digest ("Dagens läge") instead of a mail of its own; the
   * others get the mail.
   */
  routine?: boolean;
  /** The one link the reader needs, for the notice's line in the digest. */
  link?: string;
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

/**
 * Sends a mailer has under way at once (claimed and with the transport); the rest wait in memory.
 * Enough to keep every pooled connection busy while the next batch of messages is being claimed.
 */
export const MAX_IN_FLIGHT = SMTP_POOL.maxConnections * 20;

/** Rows in one batched claim or record statement (a burst is written in several). */
const BATCH_ROWS = 500;

/** The longest an accepted message waits for its record to be written (see the delivery guarantee). */
const RECORD_WAIT_MS = 50;

/** The longest a claim waits to be written while the transport still has plenty to send. */
const CLAIM_WAIT_MS = 250;

/** Another attempt of the same step holds the claim; Temporal retries this one later. */
export class MailClaimedError extends Error {
  constructor(key: string) {
    super(`mail ${key} is being sent by another attempt`);
    this.name = 'MailClaimedError';
  }
}

/** How often send() heartbeats while it waits, at most (the SDK throttles what reaches the server). */
export const HEARTBEAT_EVERY_MS = 5_000;

/** The Temporal activity attempt a send() runs in. */
interface ActivityAttempt {
  ctx: Context;
  /**
   * The activity across its attempts, or undefined when its info does not say. Each part is
   * URI-encoded (no '#', no '/'), so two activities never share one.
   */
  identity: string | undefined;
  attempt: number;
}

/** The activity attempt this code runs in, or undefined outside an activity. */
function currentAttempt(): ActivityAttempt | undefined {
  let ctx: Context;
  try {
    ctx = Context.current();
  } catch {
    return undefined;
  }
  const { info } = ctx;
  const e = encodeURIComponent;
  const w = info.workflowExecution;
  // A local activity's ids are counted apart from the activities' ids of the same run.
  const identity = w
    ? `${info.isLocal ? 'local' : 'activity'}/${e(w.workflowId)}/${e(w.runId)}/${e(info.activityId)}`
    : info.activityRunId
      ? `standalone/${e(info.activityId)}/${e(info.activityRunId)}`
      : undefined;
  return { ctx, identity, attempt: info.attempt };
}

/** A claim token: `${identity}#${attempt}#${uuid}` inside an activity, else a bare uuid. */
function claimTokenFor(at: ActivityAttempt | undefined): string {
  return at?.identity ? `${at.identity}#${at.attempt}#${randomUUID()}` : randomUUID();
}

/** The activity and attempt a claim token names (undefined for a bare uuid). */
export function claimHolder(token: string | null): { identity: string; attempt: number } | undefined {
  const parts = token?.split('#');
  if (parts?.length !== 3 || !/^[1-9]\d*$/.test(parts[1])) return undefined;
  return { identity: parts[0], attempt: Number(parts[1]) };
}

/**
 * An attempt told it is over (timed out, its workflow gone, cancelled) claims nothing more: a
 * later attempt may already be sending the same mails. A worker shutting down lets its attempts
 * finish within the grace time.
 */
function stopIfOver(at: ActivityAttempt | undefined): void {
  const signal = at?.ctx.cancellationSignal;
  if (!signal?.aborted) return;
  const reason: unknown = signal.reason;
  if (reason instanceof CancelledFailure && reason.message === 'WORKER_SHUTDOWN') return;
  throw reason ?? new CancelledFailure('CANCELLED');
}

function beat(ctx: Context): void {
  try {
    ctx.heartbeat();
  } catch {
    // A heartbeat is a courtesy: an activity that has finished or cannot report still sends.
  }
}

/** The activities whose sends are waiting, each with one heartbeat timer for all its sends. */
const beating = new WeakMap<Context, { sends: number; timer: NodeJS.Timeout }>();

/** Heartbeats for the activity while the returned function has not been called. */
function keepBeating(ctx: Context): () => void {
  let b = beating.get(ctx);
  if (!b) {
    const every = Math.max(50, Math.min(HEARTBEAT_EVERY_MS, (ctx.info.heartbeatTimeoutMs || Infinity) / 3));
    b = { sends: 0, timer: setInterval(() => beat(ctx), every).unref() };
    beating.set(ctx, b);
  }
  const mine = b;
  mine.sends++;
  let done = false;
  return () => {
    if (done) return;
    done = true;
    if (--mine.sends === 0) {
      clearInterval(mine.timer);
      if (beating.get(ctx) === mine) beating.delete(ctx);
    }
  };
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

/** At most `n` holders at once; the others wait, first come first served. */
function semaphore(n: number) {
  let free = n;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
  return async function acquire(): Promise<() => void> {
    if (free > 0) free--;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    let released = false;
    return () => {
      if (!released) {
        released = true;
        release();
      }
    };
  };
}

interface Claim {
  mail: OutgoingMail;
  messageId: string;
  token: string;
}

interface Sent {
  key: string;
  token: string;
  sentAt: Date;
  rejected: string[];
}

interface Pending<T, R> {
  item: T;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

/**
 * The mailer's writes to Notification, batched: new claims (INSERT … ON CONFLICT (key) DO NOTHING
 * RETURNING, answering for each claim whether this attempt now holds the key) and records of
 * accepted messages (UPDATE … FROM, each row matched by key and claim token), everything pending
 * in one statement, the rows as one JSON parameter (jsonb_to_recordset). One statement at a time;
 * what comes meanwhile goes in the next. A statement goes:
 * - at once when the transport has nothing to send (a lone mail, or the end of a burst), or when
 *   claims wait and the transport is running low (so a burst claims in large batches just before
 *   the pool would run dry, not one by one);
 * - else RECORD_WAIT_MS after the oldest record (the longest an accepted message waits to be
 *   recorded), or CLAIM_WAIT_MS after the oldest claim.
 * When a statement fails as a whole, its rows are written one by one, so one bad row (a forbundId
 * that does not exist) or a passing error fails only its own send.
 */
class Journal {
  private claims: Pending<Claim, boolean>[] = [];
  private records: Pending<Sent, void>[] = [];
  private oldestClaim = 0;
  private oldestRecord = 0;
  private running = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    /** Messages handed to the transport and not yet answered. */
    private readonly atTransport: () => number,
    private readonly lowWater: number,
  ) {}

  /** True when this attempt now holds the key's claim; false when the key already has a row. */
  claim(item: Claim): Promise<boolean> {
    return new Promise((resolve, reject) => {
      if (!this.claims.length) this.oldestClaim = Date.now();
      this.claims.push({ item, resolve, reject });
      this.poke();
    });
  }

  record(item: Sent): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.records.length) this.oldestRecord = Date.now();
      this.records.push({ item, resolve, reject });
      this.poke();
    });
  }

  /** Writes now if it is time (in the same turn of the event loop, so its calls join), else later. */
  poke(): void {
    if (this.running || (!this.claims.length && !this.records.length)) return;
    const now = Date.now();
    const due =
      this.atTransport() === 0 ||
      (this.claims.length > 0 && (this.atTransport() < this.lowWater || now - this.oldestClaim >= CLAIM_WAIT_MS)) ||
      (this.records.length > 0 && now - this.oldestRecord >= RECORD_WAIT_MS) ||
      this.claims.length + this.records.length >= BATCH_ROWS;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (due) {
      this.running = true;
      queueMicrotask(() => void this.write());
    } else {
      const at = Math.min(this.records.length ? this.oldestRecord + RECORD_WAIT_MS : Infinity, this.claims.length ? this.oldestClaim + CLAIM_WAIT_MS : Infinity);
      this.timer = setTimeout(() => this.poke(), Math.max(0, at - now));
    }
  }

  private async write(): Promise<void> {
    const claims = this.claims.splice(0, BATCH_ROWS);
    // What does not fit keeps its (earlier) oldest time: it is due at once after this statement.
    const records = this.records.splice(0, BATCH_ROWS - claims.length);
    try {
      let mine: Set<string> | undefined;
      try {
        mine = await this.statement(
          claims.map((c) => c.item),
          records.map((r) => r.item),
        );
      } catch {
        mine = undefined;
      }
      if (mine) {
        for (const c of claims) c.resolve(mine.has(c.item.token));
        for (const r of records) r.resolve();
      } else {
        await Promise.all([...claims.map((c) => this.claimOne(c.item).then(c.resolve, c.reject)), ...records.map((r) => this.recordOne(r.item).then(r.resolve, r.reject))]);
      }
    } finally {
      this.running = false;
      this.poke();
    }
  }

  /** One statement for the lot: the claim tokens inserted. */
  private async statement(claims: Claim[], records: Sent[]): Promise<Set<string>> {
    const claimRows = Prisma.sql`jsonb_to_recordset(${JSON.stringify(claims.map(claimRow))}::jsonb)
      AS c("id" text, "forbundId" text, "key" text, "messageId" text, "kind" text, "recipients" text[], "subject" text, "claimToken" text, "claimedAt" timestamp(3))`;
    const recordRows = Prisma.sql`jsonb_to_recordset(${JSON.stringify(records.map((x) => ({ key: x.key, claimToken: x.token, sentAt: x.sentAt.toISOString(), rejected: x.rejected })))}::jsonb)
      AS v("key" text, "claimToken" text, "sentAt" timestamp(3), "rejected" text[])`;
    const update = Prisma.sql`UPDATE "Notification" AS n
      SET "status" = 'sent', "sentAt" = v."sentAt", "rejected" = v."rejected", "claimToken" = NULL
      FROM ${recordRows}
      WHERE n."key" = v."key" AND n."claimToken" = v."claimToken"`;
    const insert = Prisma.sql`INSERT INTO "Notification" ("id", "forbundId", "key", "messageId", "kind", "recipients", "subject", "status", "claimToken", "claimedAt")
      SELECT c."id", c."forbundId", c."key", c."messageId", c."kind", c."recipients", c."subject", 'sending', c."claimToken", c."claimedAt"
      FROM ${claimRows}
      ON CONFLICT ("key") DO NOTHING
      RETURNING "claimToken"`;
    if (!claims.length) {
      await this.prisma.$executeRaw(update);
      return new Set();
    }
    // A claim and a record never touch the same row: a record's row exists and is claimed by it,
    // so a claim of the same key conflicts (and looks at the row after this statement).
    const inserted = await this.prisma.$queryRaw<{ claimToken: string }[]>(records.length ? Prisma.sql`WITH sent AS (${update}) ${insert}` : insert);
    return new Set(inserted.map((r) => r.claimToken));
  }

  private async claimOne(c: Claim): Promise<boolean> {
    try {
      const { id: _, claimedAt, ...data } = claimRow(c);
      await this.prisma.notification.create({ data: { ...data, claimedAt: new Date(claimedAt), status: 'sending' } });
      return true;
    } catch (err) {
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') return false;
      throw err;
    }
  }

  private async recordOne(x: Sent): Promise<void> {
    await this.prisma.notification.updateMany({ where: { key: x.key, claimToken: x.token }, data: { status: 'sent', sentAt: x.sentAt, rejected: x.rejected, claimToken: null } });
  }
}

function claimRow(c: Claim) {
  return {
    id: randomUUID(),
    forbundId: c.mail.forbundId,
    key: c.mail.key,
    messageId: c.messageId,
    kind: c.mail.kind,
    recipients: [...c.mail.to, ...(c.mail.cc ?? [])].map((a) => a.email),
    subject: c.mail.subject,
    claimToken: c.token,
    // timestamp(3) without time zone holds UTC, as Prisma writes it: the literal's zone is ignored.
    claimedAt: new Date().toISOString(),
  };
}

/** Handed over and accepted by the transport; not yet recorded. */
interface Accepted {
  outcome: 'accepted';
  messageId: string;
  token: string;
  info: { rejected?: unknown[]; message?: Buffer };
}

export function createMailer(deps: { prisma: PrismaClient; transport: MailTransportConfig; log?: (line: string) => void; maxInFlight?: number }): Mailer {
  const { prisma } = deps;
  const transporter = createTransport(deps.transport);
  const log = deps.log ?? ((line: string) => console.log(line));
  const slot = semaphore(Math.max(1, deps.maxInFlight ?? MAX_IN_FLIGHT));
  /** Messages handed to the transport and not yet answered. */
  let atTransport = 0;
  const journal = new Journal(prisma, () => atTransport, SMTP_POOL.maxConnections * 4);

  /**
   * Claims the key for this attempt: 'mine', or the row that settles it. A claim held by an
   * earlier attempt of this activity is taken over at once (that attempt failed or timed out),
   * any other only once it is older than CLAIM_LIFETIME_MS.
   */
  async function claim(mail: OutgoingMail, messageId: string, token: string, at: ActivityAttempt | undefined) {
    if (await journal.claim({ mail, messageId, token })) return 'mine' as const;
    const row = await prisma.notification.findUnique({ where: { key: mail.key } });
    // Gone again: the attempt that held it gave it back after a temporary failure; retry.
    if (!row) throw new MailClaimedError(mail.key);
    if (row.status !== 'sending') return row;
    const holder = claimHolder(row.claimToken);
    const earlier = at?.identity !== undefined && holder?.identity === at.identity && holder.attempt < at.attempt ? holder : undefined;
    if (!earlier && Date.now() - row.claimedAt.getTime() < CLAIM_LIFETIME_MS) throw new MailClaimedError(mail.key);
    stopIfOver(at);
    const taken = await prisma.notification.updateMany({
      where: { key: mail.key, status: 'sending', claimToken: row.claimToken },
      data: { claimToken: token, claimedAt: new Date() },
    });
    if (taken.count === 0) throw new MailClaimedError(mail.key);
    log(
      earlier
        ? `mail: ${mail.key}: attempt ${at!.attempt} takes over the claim of attempt ${earlier.attempt} of the same activity (it failed or timed out while sending); sending again with the same Message-ID`
        : `mail: ${mail.key}: taking over a stale claim (an earlier attempt died while sending); sending again with the same Message-ID`,
    );
    return 'mine' as const;
  }

  /** Claim and hand over; the slot is held from the claim until the transport has answered. */
  async function deliver(mail: OutgoingMail, at: ActivityAttempt | undefined): Promise<SendResult | Accepted> {
    stopIfOver(at);
    const messageId = messageIdFor(mail.key, mail.from.email);
    const token = claimTokenFor(at);
    const claimed = await claim(mail, messageId, token, at);
    if (claimed !== 'mine') return { outcome: 'already', messageId: claimed.messageId };
    const mine = { key: mail.key, claimToken: token };
    try {
      if (mail.to.length === 0) throw Object.assign(new Error('no recipient'), { code: 'EENVELOPE' });
      atTransport++;
      try {
        const info = await transporter.sendMail({
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
        if (at) beat(at.ctx);
        return { outcome: 'accepted', messageId, token, info };
      } finally {
        atTransport--;
        // The transport may be running low: time to claim the next batch (and record the accepted ones).
        journal.poke();
      }
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
  }

  async function sendNow(mail: OutgoingMail, at: ActivityAttempt | undefined): Promise<SendResult> {
    const release = await slot();
    let delivered: Awaited<ReturnType<typeof deliver>>;
    try {
      delivered = await deliver(mail, at);
    } finally {
      // The next waiting mail may claim while this one is recorded.
      release();
    }
    if (delivered.outcome !== 'accepted') return delivered;
    const { messageId, token, info } = delivered;

    if (deps.transport.kind === 'outbox') {
      mkdirSync(deps.transport.dir, { recursive: true });
      const file = join(deps.transport.dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${mail.key.replace(/[^a-zA-Z0-9_-]+/g, '_').slice(0, 120)}.eml`);
      writeFileSync(file, info.message!);
      log(`mail: ${mail.subject} → ${mail.to.map((a) => a.email).join(', ')} (${file})`);
    }
    const rejected = (info.rejected ?? []).map((r) => (typeof r === 'string' ? r : (r as { address: string }).address));
    await journal.record({ key: mail.key, token, sentAt: new Date(), rejected });
    mails.inc({ outcome: rejected.length ? 'rejected_recipients' : 'sent' });
    if (rejected.length) log(`mail: ${mail.key}: refused for ${rejected.join(', ')}, recorded for the official`);
    return { outcome: 'sent', messageId, rejected };
  }

  return {
    close: () => transporter.close(),
    async send(outgoing) {
      const routed = outgoing.routine ? await toDigest(prisma, outgoing) : { mail: outgoing };
      if (!routed.mail) return routed.result;
      const mail = routed.mail;
      const at = currentAttempt();
      const stopBeating = at ? keepBeating(at.ctx) : () => {};
      try {
        return await sendNow(mail, at);
      } finally {
        stopBeating();
      }
    },
  };
}

/**
 * A routine mail's official and secretaries take it in their digest (a DigestItem each, once per
 * key and person); the mail goes on to the others. When nobody else remains, the notice is
 * recorded under its key as delivered into the digest, so its step is done and a retry finds it.
 */
async function toDigest(prisma: PrismaClient, mail: OutgoingMail): Promise<{ mail: OutgoingMail; result?: undefined } | { mail: undefined; result: SendResult }> {
  const staff = await prisma.person.findMany({ where: { forbundId: mail.forbundId, roles: { hasSome: ['official', 'secretary'] } }, select: { email: true } });
  const split = splitRoutine(mail.to, mail.cc ?? [], new Set(staff.map((p) => normalEmail(p.email))));
  if (!split.digested.length) return { mail };
  await prisma.digestItem.createMany({
    data: split.digested.map((a) => ({ forbundId: mail.forbundId, key: `${mail.key}#${normalEmail(a.email)}`, email: normalEmail(a.email), name: a.name, kind: mail.kind, subject: mail.subject, link: mail.link ?? null })),
    skipDuplicates: true,
  });
  if (split.to.length) return { mail: { ...mail, to: split.to, cc: split.cc } };
  const messageId = messageIdFor(mail.key, mail.from.email);
  const row = { forbundId: mail.forbundId, key: mail.key, messageId, kind: mail.kind, recipients: split.digested.map((a) => normalEmail(a.email)), subject: mail.subject, status: 'sent' as const, sentAt: new Date() };
  const created = await prisma.notification.createMany({ data: [row], skipDuplicates: true });
  return { mail: undefined, result: created.count ? { outcome: 'sent', messageId, rejected: [] } : { outcome: 'already', messageId } };
}

/** What an activity step reports back to its workflow. */
export type StepOutcome = 'sent' | 'skipped' | 'failed';

export const stepOutcome = (r: SendResult): StepOutcome => (r.outcome === 'already' ? 'skipped' : r.outcome);

function isCancellation(err: unknown): boolean {
  return err instanceof CancelledFailure;
}

/** The failure to throw for a loop: a cancellation first (the activity reports itself cancelled), else the first. */
function firstFailure(failures: unknown[]): unknown {
  return failures.find(isCancellation) ?? failures[0];
}

/**
 * Runs `each` for every item in turn, also after one of them throws (a mail claimed by another
 * attempt, an SMTP server down for now): a failed item holds up none of the others. The results
 * in order when all succeeded; else, once all were tried, the first failure is thrown (a
 * cancellation before any other), so Temporal retries the activity and the retry finds the keys
 * already sent. For a loop whose mails are built one by one (reading the database for each).
 */
export async function settleEach<T, R>(items: readonly T[], each: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  const failures: unknown[] = [];
  for (const [i, item] of items.entries()) {
    try {
      results.push(await each(item, i));
    } catch (err) {
      failures.push(err);
      // Over (timed out, cancelled): the next attempt sends the rest.
      if (isCancellation(err)) break;
    }
  }
  if (failures.length) throw firstFailure(failures);
  return results;
}

/**
 * Sends every mail, all handed to the mailer at once (it keeps at most maxInFlight claimed and
 * sends in order): a mail that fails for now holds up none of the others. The results in order
 * when all succeeded; else, once every mail was tried, the first failure is thrown (a
 * cancellation before any other), so Temporal retries and the retry sends only what is left.
 */
export async function sendAll(mailer: Pick<Mailer, 'send'>, mails: readonly OutgoingMail[]): Promise<SendResult[]> {
  const settled = await Promise.allSettled(mails.map((m) => mailer.send(m)));
  const failures = settled.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (failures.length) throw firstFailure(failures);
  return settled.map((r) => (r as PromiseFulfilledResult<SendResult>).value);
}
