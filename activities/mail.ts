// Sending e-mail: SMTP when configured, otherwise .eml files in an outbox directory. Every
// message has a key; its Message-ID is derived from the key and the send is recorded under it,
// so a retried activity finds the record and sends nothing (and a crash between sending and
// recording resends the same Message-ID, which mail clients treat as one message).
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { PrismaClient } from '../prisma/db.js';

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
}

export type MailTransportConfig =
  | { kind: 'smtp'; host: string; port: number; secure: boolean; user?: string; password?: string }
  | { kind: 'outbox'; dir: string };

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ sent: boolean; messageId: string }>;
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
    });
  }
  return nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
}

export function createMailer(deps: { prisma: PrismaClient; transport: MailTransportConfig; log?: (line: string) => void }): Mailer {
  const transporter = createTransport(deps.transport);
  const log = deps.log ?? ((line: string) => console.log(line));
  return {
    async send(mail) {
      const messageId = messageIdFor(mail.key, mail.from.email);
      const already = await deps.prisma.notification.findUnique({ where: { key: mail.key } });
      if (already) return { sent: false, messageId: already.messageId };
      const info = await transporter.sendMail({
        messageId,
        from: fmt(mail.from),
        to: mail.to.map(fmt),
        cc: mail.cc?.map(fmt),
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        icalEvent: mail.calendar ? { method: mail.calendar.method, content: mail.calendar.content } : undefined,
        headers: { 'X-Arscykel-Key': mail.key },
      });
      if (deps.transport.kind === 'outbox') {
        mkdirSync(deps.transport.dir, { recursive: true });
        const file = join(deps.transport.dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${mail.key.replace(/[^a-zA-Z0-9_-]+/g, '_').slice(0, 120)}.eml`);
        writeFileSync(file, (info as unknown as { message: Buffer }).message);
        log(`mail: ${mail.subject} → ${mail.to.map((a) => a.email).join(', ')} (${file})`);
      }
      const recipients = [...mail.to, ...(mail.cc ?? [])].map((a) => a.email);
      await deps.prisma.notification.upsert({
        where: { key: mail.key },
        create: { key: mail.key, forbundId: mail.forbundId, messageId, kind: mail.kind, recipients, subject: mail.subject },
        update: {},
      });
      return { sent: true, messageId };
    },
  };
}
