// An SMTP server that accepts every message and throws it away (no STARTTLS, no AUTH, as a local
// relay), in a process of its own so it does not share the senders' event loop.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { serveCalls } from './child.js';

let accepted = 0;
const server = new SMTPServer({
  disabledCommands: ['STARTTLS', 'AUTH'],
  authOptional: true,
  logger: false,
  closeTimeout: 50,
  onData(stream, _session, callback) {
    stream.on('data', () => {});
    stream.on('error', callback);
    stream.on('end', () => {
      accepted++;
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
});
