// A real SMTP server in the test process (smtp-server), so the mailer is tested over the wire:
// every message it accepts is parsed with mailparser and kept in `messages`, in arrival order.
// A message is parsed before the server answers DATA, so when nodemailer's sendMail() resolves
// the message is already in `messages`. It can also misbehave as real servers do: refuse some
// recipients (550), answer DATA with an error, hold a message before answering, or be down.
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
  /** Addresses answered with "550 no such user" at RCPT TO. */
  refuse: Set<string>;
  /** The answer to the next DATA commands instead of accepting them (e.g. 554 or 451), used up one per message. */
  dataErrors: { code: number; message: string }[];
  /** While set, accepted messages wait for this promise before the server answers DATA. */
  hold?: Promise<void>;
  /** Stops listening (connections are refused) until up() listens again on the same port. */
  down(): Promise<void>;
  up(): Promise<void>;
  /** Forget the messages received so far. */
  clear(): void;
  close(): Promise<void>;
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const messages: ParsedMail[] = [];
  const raw: Buffer[] = [];
  const envelopes: { from: string; to: string[] }[] = [];
  const refuse = new Set<string>();
  const dataErrors: { code: number; message: string }[] = [];
  let self: TestSmtpServer;
  const create = () =>
    new SMTPServer({
      // No STARTTLS (nodemailer would upgrade and reject the server's self-signed certificate)
      // and no AUTH: a local relay, as in many small installations.
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      logger: false,
      // Pooled clients keep connections open; going down (or closing) drops them at once.
      closeTimeout: 50,
      onRcptTo(address, _session, callback) {
        if (refuse.has(address.address.toLowerCase())) callback(Object.assign(new Error(`5.1.1 <${address.address}>: no such user`), { responseCode: 550 }));
        else callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', callback);
        stream.on('end', () => {
          const failure = dataErrors.shift();
          if (failure) return callback(Object.assign(new Error(failure.message), { responseCode: failure.code }));
          const source = Buffer.concat(chunks);
          Promise.resolve(self.hold)
            .then(() => simpleParser(source))
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
  let server = create();
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  await listen(0);
  const port = (server.server.address() as AddressInfo).port;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  self = {
    port,
    host: '127.0.0.1',
    messages,
    raw,
    envelopes,
    transport: { kind: 'smtp', host: '127.0.0.1', port, secure: false },
    refuse,
    dataErrors,
    down: close,
    async up() {
      server = create();
      await listen(port);
    },
    clear() {
      messages.length = 0;
      raw.length = 0;
      envelopes.length = 0;
      refuse.clear();
      dataErrors.length = 0;
      self.hold = undefined;
    },
    close,
  };
  return self;
}

/** The e-mail addresses of a parsed To/Cc header. */
export function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  if (!field) return [];
  return (Array.isArray(field) ? field : [field]).flatMap((a) => a.value.map((v) => v.address ?? ''));
}
