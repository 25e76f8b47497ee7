// npm run bench [-- --projects 300 --forbund 3]
// Measures what grows: importing many projects, and the API calls the official waits on
// (pending steps, planned reminders, year plan) over HTTP against an embedded database.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createApiToken } from '../api/auth.js';
import { createApp } from '../api/app.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import { openDatabase } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { offlineNotifier } from '../worker/client.js';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const nProjects = arg('projects', 300);
const nForbund = arg('forbund', 3);
const base = parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml');
const db = await openDatabase(process.env.DATABASE_URL ? { url: process.env.DATABASE_URL } : { memory: true });
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

let token = '';
for (let f = 0; f < nForbund; f++) {
  const file = {
    ...base,
    forbund: { ...base.forbund, id: `bench-${f}`, name: `Benchförbund ${f}` },
    projects: Array.from({ length: nProjects }, (_, i) => ({ ...base.projects[i % base.projects.length], id: `p-${i}`, name: `Projekt ${i}` })),
  };
  const t0 = process.hrtime.bigint();
  const s = await importForbund(db.prisma, file, { actor: 'bench', year: 2026 });
  console.log(`import förbund ${f}: ${nProjects} projects in ${ms(t0).toFixed(0)} ms`);
  if (f === 0) token = await createApiToken(db.prisma, { forbundId: s.forbundId, role: 'admin', name: 'bench' });
  const t1 = process.hrtime.bigint();
  await importForbund(db.prisma, file, { actor: 'bench', year: 2026 });
  console.log(`re-import (no changes): ${ms(t1).toFixed(0)} ms`);
}

const app = createApp({ prisma: db.prisma, notifier: offlineNotifier, publicBaseUrl: 'http://localhost', linkSecret: 'b'.repeat(32), now: () => new Date('2026-11-25T09:00:00Z') });
const server = app.listen(0);
const port = (server.address() as AddressInfo).port;
for (const path of ['pending-steps?limit=50', 'planned-reminders?limit=50', 'projects?limit=50', 'years/2026']) {
  const times: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t0 = process.hrtime.bigint();
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/forbund/bench-0/${path}`, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
    times.push(ms(t0));
  }
  times.sort((a, b) => a - b);
  console.log(`GET ${path}: p50 ${times[14].toFixed(1)} ms, p95 ${times[28].toFixed(1)} ms (${nProjects} projects)`);
}
server.close();
await db.close();
process.exit(0);
