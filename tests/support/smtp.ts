// A real SMTP server in the test process (smtp-server), so the mailer is tested over the wire:
// every message it accepts is parsed with mailparser and kept in `messages`, in arrival order.
// A message is parsed before the server answers DATA, so when nodemailer's sendMail() resolves
// the message is already in `messages`.
import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface TestSmtpServer {
  port: number;
  host: string;
  /** Parsed messages, in the order they were received. */
  messages: ParsedMail[];
  /** The raw message sources, same order as `messages`. */
  raw: Buffer[];
  /** SMTP envelope recipients (RCPT TO) of each message, same order as `messages`. */
  envelopes: { from: string; to: string[] }[];
  /** The mailer config for this server (plain SMTP, no TLS, no auth). */
  transport: { kind: 'smtp'; host: string; port: number; secure: false };
  /** Forget the messages received so far. */
  clear(): void;
  close(): Promise<void>;
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const messages: ParsedMail[] = [];
  const raw: Buffer[] = [];
  const envelopes: { from: string; to: string[] }[] = [];
  const server = new SMTPServer({
    // No STARTTLS (nodemailer would upgrade and reject the server's self-signed certificate)
    // and no AUTH: a local relay, as in many small installations.
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', callback);
      stream.on('end', () => {
        const source = Buffer.concat(chunks);
        simpleParser(source)
          .then((mail) => {
            messages.push(mail);
            raw.push(source);
            envelopes.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
            });
            callback();
          })
          .catch(callback);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    host: '127.0.0.1',
    messages,
    raw,
    envelopes,
    transport: { kind: 'smtp', host: '127.0.0.1', port, secure: false },
    clear() {
      messages.length = 0;
      raw.length = 0;
      envelopes.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The e-mail addresses of a parsed To/Cc header. */
export function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  if (!field) return [];
  return (Array.isArray(field) ? field : [field]).flatMap((a) => a.value.map((v) => v.address ?? ''));
}
