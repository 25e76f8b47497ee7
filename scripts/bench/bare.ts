// The baselines: bare express in a process of its own, answering
// - GET /x with a JSON body set by the bench (one page of pending steps as the app served it, so
//   both send the same bytes), and GET /b/<name> with any body set by name (JSON or HTML, sent as
//   the app sent it: the same bytes and content type);
// - GET /fixed with a fixed JSON body of 2 KB (the same in every run, whatever the app answers).
import type { AddressInfo } from 'node:net';
import express from 'express';
import { serveCalls } from './child.js';

/** A fixed JSON body of 2,048 bytes: ten items of a list, padded to the size. */
function fixedBody(): string {
  const items = Array.from({ length: 10 }, (_, i) => ({ id: `item-${i + 1}`, title: `Rapport ${i + 1} till styrelsen`, dueDate: '2026-12-15', status: 'open', owner: 'samordnare@bench.example' }));
  const base = JSON.stringify({ data: items, pad: '' });
  return JSON.stringify({ data: items, pad: 'x'.repeat(Math.max(0, 2048 - Buffer.byteLength(base))) });
}
export const FIXED_BYTES = 2048;
const fixed = fixedBody();

let body: unknown = { data: [] };
const named = new Map<string, { text: string; type: string }>();
const app = express();
app.get('/x', (_req, res) => {
  res.json(body);
});
app.get('/fixed', (_req, res) => {
  res.type('application/json').send(fixed);
});
app.get('/b/:name', (req, res) => {
  const b = named.get(req.params.name);
  if (!b) return void res.status(404).end();
  res.type(b.type).send(b.text);
});
const server = app.listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const base = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

serveCalls({
  url: () => `${base()}/x`,
  fixedUrl: () => `${base()}/fixed`,
  body: (json: string) => {
    body = JSON.parse(json);
  },
  /** Sets the body GET /b/<name> answers; returns its URL. */
  named: (a: { name: string; text: string; type: string }) => {
    named.set(a.name, { text: a.text, type: a.type });
    return `${base()}/b/${encodeURIComponent(a.name)}`;
  },
});
