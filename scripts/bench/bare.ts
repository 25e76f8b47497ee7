// The baseline: bare express answering GET /x with a JSON body set by the bench (one page of
// pending steps as the app served it, so both send the same bytes), in a process of its own.
import type { AddressInfo } from 'node:net';
import express from 'express';
import { serveCalls } from './child.js';

let body: unknown = { data: [] };
const app = express();
app.get('/x', (_req, res) => {
  res.json(body);
});
const server = app.listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));

serveCalls({
  url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`,
  body: (json: string) => {
    body = JSON.parse(json);
  },
});
