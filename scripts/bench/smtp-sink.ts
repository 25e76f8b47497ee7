// An SMTP server that accepts every message and throws it away (no STARTTLS, no AUTH, as a local
// relay), in a process of its own so it does not share the senders' event loop. It remembers, for
// every message accepted, when and to which RCPT TO addresses, so the bench can count mails per
// recipient within a window (the first five minutes of a worker's start).
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { serveCalls } from './child.js';

let accepted = 0;
/** Per message accepted: the time (ms since the epoch) and its recipients. */
const log: { at: number; to: string[] }[] = [];
const server = new SMTPServer({
  disabledCommands: ['STARTTLS', 'AUTH'],
  authOptional: true,
  logger: false,
  closeTimeout: 50,
  onData(stream, session, callback) {
    stream.on('data', () => {});
    stream.on('error', callback);
    stream.on('end', () => {
      accepted++;
      log.push({ at: Date.now(), to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()) });
      callback();
    });
  },
});
await new Promise<void>((resolve, reject) => {
  server.once('error', reject);
  server.listen(0, '127.0.0.1', () => resolve());
});

serveCalls({
  port: () => (server.server.address() as AddressInfo).port,
  accepted: () => accepted,
  /** Messages accepted in [from, to) (ms since the epoch), and how many each RCPT TO address got. */
  recipients: (a: { from: number; to: number }) => {
    const perRecipient: Record<string, number> = {};
    let messages = 0;
    for (const m of log) {
      if (m.at < a.from || m.at >= a.to) continue;
      messages++;
      for (const r of m.to) perRecipient[r] = (perRecipient[r] ?? 0) + 1;
    }
    return { messages, perRecipient };
  },
});
