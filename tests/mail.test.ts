// The mailer over the wire: a real SMTP server in the test process (tests/support/smtp.ts)
// receives what nodemailer sends; the outbox transport's .eml files are parsed back.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLAIM_LIFETIME_MS, claimHolder, createMailer, MailClaimedError, messageIdFor, sendAll, settleEach, type Mailer, type OutgoingMail } from '../activities/mail.js';
import { kallelsePdf } from '../domain/kallelse-pdf.js';
import type { Database } from '../prisma/db.js';
import { testDatabase } from './support/database.js';
import { addresses, startSmtpServer, type TestSmtpServer } from './support/smtp.js';

let db: Database;
let smtp: TestSmtpServer;
let mailer: Mailer;
let forbundId: string;
let outboxDir: string;

beforeAll(async () => {
  [db, smtp] = await Promise.all([testDatabase(), startSmtpServer()]);
  const f = await db.prisma.forbund.create({
    data: { slug: 'mailtest', name: 'Samordningsförbundet Älvdalen', email: 'kansli@alvdalen.example', reportingPolicy: {}, cycleSettings: {} },
  });
  forbundId = f.id;
  mailer = createMailer({ prisma: db.prisma, transport: smtp.transport });
  outboxDir = mkdtempSync(join(tmpdir(), 'arscykel-outbox-'));
});

afterAll(async () => {
  await Promise.all([db?.close(), smtp?.close()]);
  if (outboxDir) rmSync(outboxDir, { recursive: true, force: true });
});

beforeEach(() => smtp.clear());

function mail(key: string, over: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    key,
    forbundId,
    kind: 'test',
    from: { name: 'Samordningsförbundet Älvdalen', email: 'kansli@alvdalen.example' },
    to: [{ name: 'Åsa Öberg', email: 'asa.oberg@example.se' }],
    cc: [{ name: 'Mårten Ärlig', email: 'marten@example.se' }],
    subject: 'Påminnelse: årsrapport för Försteget ska lämnas i dag – gärna före kl. 12',
    text: 'Hej Åsa,\n\nÅrsrapporten för insatsen Försteget ska lämnas i dag. Räksmörgås!\n',
    html: '<p>Hej Åsa,</p><p>Årsrapporten för insatsen <b>Försteget</b> ska lämnas i dag. Räksmörgås!</p>',
    ...over,
  };
}

describe('mailer over SMTP', () => {
  it('sends plain text and HTML with Swedish characters intact, to and cc, with the key and a derived Message-ID', async () => {
    const m = mail('test:plain-html');
    const res = await mailer.send(m);
    expect(res).toEqual({ outcome: 'sent', messageId: messageIdFor(m.key, m.from.email), rejected: [] });
    expect(smtp.messages).toHaveLength(1);
    const got = smtp.messages[0];
    expect(got.subject).toBe(m.subject);
    expect(got.text).toBe(m.text);
    expect(got.html).toContain('Årsrapporten för insatsen <b>Försteget</b> ska lämnas i dag. Räksmörgås!');
    expect(got.from?.value).toEqual([{ name: 'Samordningsförbundet Älvdalen', address: 'kansli@alvdalen.example' }]);
    expect(got.to && !Array.isArray(got.to) ? got.to.value : []).toEqual([{ name: 'Åsa Öberg', address: 'asa.oberg@example.se' }]);
    expect(addresses(got.cc)).toEqual(['marten@example.se']);
    expect(got.messageId).toBe(res.messageId);
    expect(got.headers.get('x-arscykel-key')).toBe('test:plain-html');
    // Both the cc and the to address were envelope recipients.
    expect(smtp.envelopes[0].to.sort()).toEqual(['asa.oberg@example.se', 'marten@example.se']);
    // The send is recorded under its key.
    const n = await db.prisma.notification.findUniqueOrThrow({ where: { key: m.key } });
    expect(n).toMatchObject({ forbundId, messageId: res.messageId, kind: 'test', subject: m.subject, recipients: ['asa.oberg@example.se', 'marten@example.se'], status: 'sent', rejected: [], claimToken: null });
    expect(n.sentAt).toBeInstanceOf(Date);
  });

  it('derives the Message-ID from the key only: same key same id, another key another id', () => {
    const a = messageIdFor('report:o1:2026-07-31:reminder-14', 'kansli@alvdalen.example');
    expect(messageIdFor('report:o1:2026-07-31:reminder-14', 'kansli@alvdalen.example')).toBe(a);
    expect(messageIdFor('report:o1:2026-07-31:reminder-3', 'kansli@alvdalen.example')).not.toBe(a);
    expect(a).toMatch(/^<[0-9a-f]{40}@alvdalen\.example>$/);
  });

  it('a second send with the same key sends nothing and returns the recorded Message-ID', async () => {
    const m = mail('test:twice');
    const first = await mailer.send(m);
    const second = await mailer.send({ ...m, subject: 'Ändrad rubrik', text: 'annat' });
    expect(first.outcome).toBe('sent');
    expect(second).toEqual({ outcome: 'already', messageId: first.messageId });
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0].subject).toBe(m.subject);
    expect(await db.prisma.notification.count({ where: { key: m.key } })).toBe(1);
    // Another key is another message.
    await mailer.send(mail('test:twice-other'));
    expect(smtp.messages.map((x) => x.messageId)).toEqual([first.messageId, messageIdFor('test:twice-other', m.from.email)]);
  });

  it('sends a calendar message as a text/calendar alternative with its method', async () => {
    const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'METHOD:REQUEST', 'BEGIN:VEVENT', 'UID:styrelse-02@alvdalen.example', 'DTSTAMP:20260101T000000Z', 'DTSTART:20260226T080000Z', 'DTEND:20260226T110000Z', 'SUMMARY:Styrelsemöte', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
    await mailer.send(mail('test:calendar', { subject: 'Kallelse: styrelsemöte 26 februari', calendar: { method: 'REQUEST', content: ics } }));
    const raw = smtp.raw[0].toString('utf8');
    expect(raw).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/i);
    const cal = smtp.messages[0].attachments.find((a) => a.contentType === 'text/calendar');
    expect(cal?.content.toString('utf8')).toContain('SUMMARY:Styrelsemöte');
  });

  it('sends a PDF attachment (the kallelse) with its filename and content type, the bytes intact, beside text and HTML', async () => {
    const pdf = await kallelsePdf({ forbundName: 'Samordningsförbundet Älvdalen', when: { date: '2037-02-26', start: '09:00', end: '12:00' }, items: [{ number: 1, title: 'Mötets öppnande' }] });
    const m = mail('test:attachment', { subject: 'Kallelse: styrelsens sammanträde 26 februari 2037 kl. 9.00', attachments: [{ filename: 'kallelse.pdf', content: pdf, contentType: 'application/pdf' }] });
    expect((await mailer.send(m)).outcome).toBe('sent');
    const got = smtp.messages[0];
    expect(got.text).toBe(m.text);
    expect(got.html).toContain('Räksmörgås!');
    expect(got.attachments).toHaveLength(1);
    const [att] = got.attachments;
    expect(att).toMatchObject({ filename: 'kallelse.pdf', contentType: 'application/pdf', contentDisposition: 'attachment' });
    expect(att.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(att.content.equals(pdf)).toBe(true);
  });
});

describe('delivery: claims, refusals and outages', () => {
  it('two overlapping attempts of one step send one message: the second finds the claim and backs off', async () => {
    let release!: () => void;
    smtp.hold = new Promise<void>((r) => (release = r));
    const m = mail('test:overlap');
    const first = mailer.send(m);
    // The first attempt is inside the SMTP conversation (its message held by the server).
    await expect.poll(async () => (await db.prisma.notification.findUnique({ where: { key: m.key } }))?.status).toBe('sending');
    await expect(mailer.send(m)).rejects.toBeInstanceOf(MailClaimedError);
    release();
    expect((await first).outcome).toBe('sent');
    expect(await mailer.send(m)).toEqual({ outcome: 'already', messageId: messageIdFor(m.key, m.from.email) });
    expect(smtp.messages).toHaveLength(1);
  });

  it('a claim left by an attempt that died is taken over after its lifetime, with the same Message-ID', async () => {
    const m = mail('test:stale-claim');
    const messageId = messageIdFor(m.key, m.from.email);
    await db.prisma.notification.create({
      data: { key: m.key, forbundId, messageId, kind: 'test', recipients: [], subject: m.subject, status: 'sending', claimToken: 'dead-attempt', claimedAt: new Date(Date.now() - CLAIM_LIFETIME_MS + 60_000) },
    });
    await expect(mailer.send(m)).rejects.toBeInstanceOf(MailClaimedError);
    expect(smtp.messages).toHaveLength(0);
    await db.prisma.notification.update({ where: { key: m.key }, data: { claimedAt: new Date(Date.now() - CLAIM_LIFETIME_MS - 1000) } });
    expect(await mailer.send(m)).toEqual({ outcome: 'sent', messageId, rejected: [] });
    expect(smtp.messages.map((x) => x.messageId)).toEqual([messageId]);
  });

  it('an unknown recipient (550) is a permanent failure: recorded, not thrown, never retried', async () => {
    smtp.refuse.add('asa.oberg@example.se').add('marten@example.se');
    const m = mail('test:all-refused');
    const res = await mailer.send(m);
    expect(res.outcome).toBe('failed');
    expect(res.outcome === 'failed' && res.error).toMatch(/550.*no such user/);
    const n = await db.prisma.notification.findUniqueOrThrow({ where: { key: m.key } });
    expect(n).toMatchObject({ status: 'failed', sentAt: null, resolvedAt: null, claimToken: null });
    smtp.refuse.clear();
    expect((await mailer.send(m)).outcome).toBe('already');
    expect(smtp.messages).toHaveLength(0);
  });

  it('a recipient refused while the others are accepted is sent and the refused address recorded', async () => {
    smtp.refuse.add('marten@example.se');
    const res = await mailer.send(mail('test:one-refused'));
    expect(res).toMatchObject({ outcome: 'sent', rejected: ['marten@example.se'] });
    expect(smtp.envelopes[0].to).toEqual(['asa.oberg@example.se']);
    expect(await db.prisma.notification.findUniqueOrThrow({ where: { key: 'test:one-refused' } })).toMatchObject({ status: 'sent', rejected: ['marten@example.se'] });
  });

  it('a 554 answer to the message is permanent; a 451 is temporary and leaves the key free for the retry', async () => {
    smtp.dataErrors.push({ code: 554, message: '5.7.1 message refused by policy' });
    expect((await mailer.send(mail('test:554'))).outcome).toBe('failed');
    smtp.dataErrors.push({ code: 451, message: '4.3.0 try again later' });
    await expect(mailer.send(mail('test:451'))).rejects.toMatchObject({ responseCode: 451 });
    expect(await db.prisma.notification.findUnique({ where: { key: 'test:451' } })).toBeNull();
    expect((await mailer.send(mail('test:451'))).outcome).toBe('sent');
    expect(smtp.messages).toHaveLength(1);
  });

  it('an SMTP server that is down throws (Temporal retries); once it is back the mail goes out once', async () => {
    await smtp.down();
    try {
      await expect(mailer.send(mail('test:down'))).rejects.toMatchObject({ code: 'ESOCKET' });
      expect(await db.prisma.notification.findUnique({ where: { key: 'test:down' } })).toBeNull();
    } finally {
      await smtp.up();
    }
    expect((await mailer.send(mail('test:down'))).outcome).toBe('sent');
    expect(smtp.messages).toHaveLength(1);
  });
});

describe('a burst', () => {
  it('2,000 mails at once through one mailer all arrive, each once, each recorded as sent', async () => {
    const burst = createMailer({ prisma: db.prisma, transport: smtp.transport, log: () => {} });
    const n = 2000;
    const t0 = performance.now();
    const results = await Promise.allSettled(Array.from({ length: n }, (_, i) => burst.send(mail(`test:burst:${i}`, { to: [{ name: `Mottagare ${i}`, email: `m${i}@example.se` }], cc: [] }))));
    const ms = performance.now() - t0;
    console.log(`[mail] burst of ${n}: ${ms.toFixed(0)} ms (${((n / ms) * 1000).toFixed(0)} mails/s)`);
    expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason)).slice(0, 3)).toEqual([]);
    expect(smtp.messages).toHaveLength(n);
    expect(new Set(smtp.messages.map((m) => m.messageId)).size).toBe(n);
    expect(await db.prisma.notification.count({ where: { key: { startsWith: 'test:burst:' }, status: 'sent' } })).toBe(n);
  }, 120_000);
});

describe('a burst through the batched claims and records', () => {
  it('500 sends at once, 50 of them a second attempt of the same step: each key goes out once, every row says sent', async () => {
    const burst = createMailer({ prisma: db.prisma, transport: smtp.transport, log: () => {} });
    const n = 500;
    const keys = Array.from({ length: n }, (_, i) => `test:batched:${i}`);
    // The repeats are started in between the first attempts, so many land in the same batched claim.
    const attempts = keys.flatMap((key, i) => (i % 10 === 0 ? [key, key] : [key]));
    const one = (key: string) => burst.send(mail(key, { to: [{ name: 'Mottagare', email: `${key.replace(/\W/g, '-')}@example.se` }], cc: [] }));
    const results = await Promise.allSettled(attempts.map(one));
    burst.close();

    const sent = new Map<string, number>();
    attempts.forEach((key, i) => {
      const r = results[i];
      if (r.status === 'fulfilled' && r.value.outcome === 'sent') sent.set(key, (sent.get(key) ?? 0) + 1);
      // A second attempt either finds the claim held (and is retried by Temporal) or the key sent.
      else if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(MailClaimedError);
      else expect(r.value.outcome).toBe('already');
    });
    expect([...sent.values()].every((x) => x === 1)).toBe(true);
    expect(sent.size).toBe(n);
    expect(smtp.messages).toHaveLength(n);
    expect(new Set(smtp.messages.map((m) => m.messageId))).toEqual(new Set(keys.map((k) => messageIdFor(k, 'kansli@alvdalen.example'))));
    expect(await db.prisma.notification.groupBy({ by: ['status'], where: { key: { startsWith: 'test:batched:' } }, _count: true })).toEqual([{ status: 'sent', _count: n }]);
    const rows = await db.prisma.notification.findMany({ where: { key: { startsWith: 'test:batched:' } } });
    expect(rows.every((r) => r.claimToken === null && r.sentAt instanceof Date && r.rejected.length === 0 && r.recipients.length === 1)).toBe(true);
  }, 60_000);

  it('holds at most maxInFlight claims at once; the other sends wait in memory, unclaimed, and go when there is room', async () => {
    const bounded = createMailer({ prisma: db.prisma, transport: smtp.transport, log: () => {}, maxInFlight: 8 });
    let release!: () => void;
    smtp.hold = new Promise<void>((r) => (release = r));
    const all = Promise.all(Array.from({ length: 30 }, (_, i) => bounded.send(mail(`test:bounded:${i}`, { cc: [] }))));
    const claimed = () => db.prisma.notification.count({ where: { key: { startsWith: 'test:bounded:' } } });
    await expect.poll(claimed).toBe(8);
    await new Promise((r) => setTimeout(r, 300));
    expect(await claimed()).toBe(8);
    release();
    expect((await all).every((r) => r.outcome === 'sent')).toBe(true);
    bounded.close();
    expect(smtp.messages).toHaveLength(30);
    expect(await db.prisma.notification.count({ where: { key: { startsWith: 'test:bounded:' }, status: 'sent' } })).toBe(30);
  });

  it('a claim that cannot be written (an unknown förbund) fails its own send only, not the batch it was in', async () => {
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => mailer.send(mail(`test:bad-row:${i}`, i === 7 ? { forbundId: '00000000-0000-4000-8000-000000000000' } : {}))));
    expect(results.map((r) => r.status)).toEqual(Array.from({ length: 20 }, (_, i) => (i === 7 ? 'rejected' : 'fulfilled')));
    expect(smtp.messages).toHaveLength(19);
    expect(await db.prisma.notification.count({ where: { key: { startsWith: 'test:bad-row:' }, status: 'sent' } })).toBe(19);
  });
});

describe('mailer with the outbox transport', () => {
  it('writes a readable .eml file per message and nothing for a repeated key', async () => {
    const lines: string[] = [];
    const outbox = createMailer({ prisma: db.prisma, transport: { kind: 'outbox', dir: join(outboxDir, 'nested') }, log: (l) => lines.push(l) });
    const m = mail('test:outbox', { subject: 'Försenad: halvårsrapport för Ödeshög skulle ha lämnats 31 juli 2026' });
    const res = await outbox.send(m);
    expect(res.outcome).toBe('sent');
    const files = readdirSync(join(outboxDir, 'nested'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/-test_outbox\.eml$/);
    const parsed = await simpleParser(readFileSync(join(outboxDir, 'nested', files[0])));
    expect(parsed.subject).toBe(m.subject);
    expect(parsed.text).toBe(m.text);
    expect(parsed.html).toContain('<b>Försteget</b>');
    expect(parsed.messageId).toBe(messageIdFor(m.key, m.from.email));
    expect(addresses(parsed.to)).toEqual(['asa.oberg@example.se']);
    expect(addresses(parsed.cc)).toEqual(['marten@example.se']);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(m.subject);

    expect(await outbox.send(m)).toEqual({ outcome: 'already', messageId: res.messageId });
    expect(readdirSync(join(outboxDir, 'nested'))).toHaveLength(1);
    expect(smtp.messages).toHaveLength(0);
  });

  it('keeps an attachment in the .eml file', async () => {
    const outbox = createMailer({ prisma: db.prisma, transport: { kind: 'outbox', dir: join(outboxDir, 'attached') }, log: () => {} });
    const pdf = Buffer.from('%PDF-1.3\n% Kallelse – Älvdalen\n%%EOF\n', 'latin1');
    expect((await outbox.send(mail('test:outbox-attachment', { attachments: [{ filename: 'kallelse.pdf', content: pdf, contentType: 'application/pdf' }] }))).outcome).toBe('sent');
    const [file] = readdirSync(join(outboxDir, 'attached'));
    const parsed = await simpleParser(readFileSync(join(outboxDir, 'attached', file)));
    expect(parsed.text).toContain('Räksmörgås!');
    expect(parsed.attachments.map((a) => [a.filename, a.contentType])).toEqual([['kallelse.pdf', 'application/pdf']]);
    expect(parsed.attachments[0].content.equals(pdf)).toBe(true);
  });
});

describe('inside a Temporal activity: heartbeats, claims tied to their attempt, loops that go on', () => {
  const workflowExecution = { workflowId: 'styrelsemote:m1', runId: '11111111-1111-4111-8111-111111111111' };
  /** An attempt of an activity of that run (MockActivityEnvironment: send() finds it with Context.current()). */
  const attempt = (n: number, over: { activityId?: string; runId?: string; heartbeatTimeoutMs?: number } = {}) =>
    new MockActivityEnvironment(
      { attempt: n, activityId: over.activityId ?? '7', activityType: 'sendKallelse', workflowExecution: { ...workflowExecution, ...(over.runId ? { runId: over.runId } : {}) }, heartbeatTimeoutMs: over.heartbeatTimeoutMs ?? 30_000 },
      { logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } },
    );
  /** Runs fn in the attempt's activity context. */
  const inside = <R>(env: MockActivityEnvironment, fn: () => Promise<R>) => env.run(fn) as Promise<R>;
  const claimOf = async (key: string) => (await db.prisma.notification.findUnique({ where: { key } }))?.claimToken ?? null;

  it('attempt 2 of the same activity takes over the claim of attempt 1 at once (no waiting out the claim lifetime), same Message-ID', async () => {
    let release!: () => void;
    smtp.hold = new Promise<void>((r) => (release = r));
    const m = mail('test:attempt-takeover');
    // Attempt 1 on one worker: its message is inside the SMTP conversation when the worker "dies".
    const dead = createMailer({ prisma: db.prisma, transport: smtp.transport, log: () => {} });
    const first = inside(attempt(1), () => dead.send(m));
    await expect.poll(() => claimOf(m.key)).toMatch(/#1#[0-9a-f-]{36}$/);
    const token1 = (await claimOf(m.key))!;
    expect(claimHolder(token1)).toEqual({ identity: `activity/styrelsemote%3Am1/${workflowExecution.runId}/7`, attempt: 1 });
    // Attempt 2 (Temporal retried after attempt 1 timed out) on another worker: the fresh claim is its own attempt's, dead.
    const lines: string[] = [];
    const retry = createMailer({ prisma: db.prisma, transport: smtp.transport, log: (l) => lines.push(l) });
    const second = inside(attempt(2), () => retry.send(m));
    await expect.poll(() => claimOf(m.key)).toMatch(/#2#[0-9a-f-]{36}$/);
    release();
    const messageId = messageIdFor(m.key, m.from.email);
    expect(await second).toEqual({ outcome: 'sent', messageId, rejected: [] });
    await first;
    dead.close();
    retry.close();
    expect(lines.some((l) => l.includes('attempt 2 takes over the claim of attempt 1'))).toBe(true);
    // Sent twice (attempt 1 was still talking to the server), under one Message-ID; recorded once, by attempt 2.
    expect(smtp.messages.map((x) => x.messageId)).toEqual([messageId, messageId]);
    expect(await db.prisma.notification.findUniqueOrThrow({ where: { key: m.key } })).toMatchObject({ status: 'sent', claimToken: null });
  });

  it('a fresh claim of another activity, another run, the same attempt, a later attempt or no activity is not taken over', async () => {
    let release!: () => void;
    smtp.hold = new Promise<void>((r) => (release = r));
    const m = mail('test:attempt-other');
    const holder = inside(attempt(2), () => mailer.send(m));
    await expect.poll(() => claimOf(m.key)).toMatch(/#2#/);
    await expect(inside(attempt(3, { activityId: '8' }), () => mailer.send(m))).rejects.toBeInstanceOf(MailClaimedError);
    await expect(inside(attempt(3, { runId: '22222222-2222-4222-8222-222222222222' }), () => mailer.send(m))).rejects.toBeInstanceOf(MailClaimedError);
    await expect(inside(attempt(2), () => mailer.send(m))).rejects.toBeInstanceOf(MailClaimedError);
    await expect(inside(attempt(1), () => mailer.send(m))).rejects.toBeInstanceOf(MailClaimedError);
    await expect(mailer.send(m)).rejects.toBeInstanceOf(MailClaimedError);
    release();
    expect((await holder).outcome).toBe('sent');
    expect(smtp.messages).toHaveLength(1);
  });

  it('an old claim of another activity is taken over only after the claim lifetime, as outside an activity', async () => {
    const m = mail('test:attempt-other-stale');
    const messageId = messageIdFor(m.key, m.from.email);
    const other = `activity/other/${workflowExecution.runId}/3#1#00000000-0000-4000-8000-000000000000`;
    await db.prisma.notification.create({
      data: { key: m.key, forbundId, messageId, kind: 'test', recipients: [], subject: m.subject, status: 'sending', claimToken: other, claimedAt: new Date(Date.now() - CLAIM_LIFETIME_MS + 60_000) },
    });
    await expect(inside(attempt(5), () => mailer.send(m))).rejects.toBeInstanceOf(MailClaimedError);
    await db.prisma.notification.update({ where: { key: m.key }, data: { claimedAt: new Date(Date.now() - CLAIM_LIFETIME_MS - 1000) } });
    expect(await inside(attempt(5), () => mailer.send(m))).toEqual({ outcome: 'sent', messageId, rejected: [] });
  });

  it('heartbeats after each message handed over, and while waiting for a slot and the server; none once done', async () => {
    const env = attempt(1);
    let beats = 0;
    env.on('heartbeat', () => beats++);
    const mails = [0, 1, 2].map((i) => mail(`test:heartbeat:${i}`, { cc: [] }));
    await inside(env, () => sendAll(mailer, mails));
    expect(smtp.messages).toHaveLength(3);
    expect(beats).toBeGreaterThanOrEqual(3);

    // One slot, the server holding the first message: the two others wait for the slot, heartbeating.
    const narrow = createMailer({ prisma: db.prisma, transport: smtp.transport, log: () => {}, maxInFlight: 1 });
    const slow = attempt(1, { heartbeatTimeoutMs: 300 });
    let waiting = 0;
    slow.on('heartbeat', () => waiting++);
    let release!: () => void;
    smtp.hold = new Promise<void>((r) => (release = r));
    const all = inside(slow, () => sendAll(narrow, [3, 4, 5].map((i) => mail(`test:heartbeat:${i}`, { cc: [] }))));
    await new Promise((r) => setTimeout(r, 700));
    expect(smtp.messages).toHaveLength(3);
    expect(waiting).toBeGreaterThanOrEqual(4);
    release();
    expect((await all).map((r) => r.outcome)).toEqual(['sent', 'sent', 'sent']);
    narrow.close();
    const after = waiting;
    await new Promise((r) => setTimeout(r, 400));
    expect(waiting).toBe(after);
  });

  it('an attempt told it timed out claims nothing more; a worker shutting down still sends', async () => {
    const timedOut = attempt(1);
    timedOut.cancel('TIMED_OUT');
    await expect(inside(timedOut, () => mailer.send(mail('test:timed-out')))).rejects.toBeInstanceOf(CancelledFailure);
    expect(await db.prisma.notification.findUnique({ where: { key: 'test:timed-out' } })).toBeNull();
    const shuttingDown = attempt(1);
    shuttingDown.cancel('WORKER_SHUTDOWN');
    expect((await inside(shuttingDown, () => mailer.send(mail('test:shutting-down')))).outcome).toBe('sent');
    expect(smtp.messages).toHaveLength(1);
  });

  it('sendAll and settleEach go on after a mail claimed elsewhere, throw at the end, and the retry sends only what is left', async () => {
    const keys = ['a', 'b', 'c', 'd'].map((x) => `test:loop:${x}`);
    // Another activity holds b's claim (its attempt is busy sending it).
    await db.prisma.notification.create({
      data: { key: keys[1], forbundId, messageId: messageIdFor(keys[1], 'kansli@alvdalen.example'), kind: 'test', recipients: [], subject: 's', status: 'sending', claimToken: 'activity/x/y/z#1#00000000-0000-4000-8000-000000000000' },
    });
    const mails = keys.map((k) => mail(k, { cc: [] }));
    await expect(inside(attempt(1), () => sendAll(mailer, mails))).rejects.toBeInstanceOf(MailClaimedError);
    expect(smtp.messages.map((x) => x.headers.get('x-arscykel-key'))).toEqual([keys[0], keys[2], keys[3]]);

    // settleEach, one by one: the same, and results only when everything went.
    smtp.clear();
    const seen: string[] = [];
    const each = (m: OutgoingMail) => (seen.push(m.key), mailer.send(m));
    await expect(inside(attempt(2), () => settleEach(mails, each))).rejects.toBeInstanceOf(MailClaimedError);
    expect(seen).toEqual(keys);
    expect(smtp.messages).toHaveLength(0);

    // The other attempt gave b back (a temporary failure): the retry sends b only.
    await db.prisma.notification.delete({ where: { key: keys[1] } });
    expect((await inside(attempt(3), () => settleEach(mails, each))).map((r) => r.outcome)).toEqual(['already', 'sent', 'already', 'already']);
    expect(smtp.messages.map((x) => x.headers.get('x-arscykel-key'))).toEqual([keys[1]]);
    expect((await sendAll(mailer, mails)).map((r) => r.outcome)).toEqual(['already', 'already', 'already', 'already']);
  });

  it('the first failure is thrown, a cancellation before any other', async () => {
    const claimed = new MailClaimedError('k');
    const cancelled = new CancelledFailure('TIMED_OUT');
    const failing = (fail: Map<number, Error>, tried: number[] = []) => async (i: number) => {
      tried.push(i);
      const err = fail.get(i);
      if (err) throw err;
      return i;
    };
    await expect(settleEach([1, 2, 3], failing(new Map([[1, claimed], [2, new Error('later')]])))).rejects.toBe(claimed);
    const tried: number[] = [];
    await expect(settleEach([1, 2, 3, 4], failing(new Map<number, Error>([[1, claimed], [3, cancelled]]), tried))).rejects.toBe(cancelled);
    // After a cancellation the loop stops: the next attempt sends the rest.
    expect(tried).toEqual([1, 2, 3]);
    expect(await settleEach([1, 2], async (i) => i * 2)).toEqual([2, 4]);
  });
});
