// npm run bench:load [-- --concurrent 200 --projects 300]
// The service under a burst: `--concurrent` requests to pending-steps at once (each given 30 s),
// while /health/live and /health/ready are asked every 100 ms. Prints how the burst ended (served,
// refused with 503, timed out) and how long health took. On the embedded database, or on
// PostgreSQL with DATABASE_URL (an empty database: it is migrated and filled). The server runs in
// a child process (as in production), so the load does not share its event loop.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createApp } from '../api/app.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import { openDatabase } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { createToken } from '../services/tokens.js';
import { offlineNotifier } from '../worker/client.js';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const concurrent = arg('concurrent', 200);
const nProjects = arg('projects', 300);

if (process.argv.includes('--serve')) await serve();
else await burst();

async function serve() {
const db = await openDatabase(process.env.DATABASE_URL ? { url: process.env.DATABASE_URL } : { memory: true });
const base = parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml');
const file = { ...base, forbund: { ...base.forbund, id: 'load' }, projects: Array.from({ length: nProjects }, (_, i) => ({ ...base.projects[i % base.projects.length], id: `p-${i}`, name: `Projekt ${i}` })) };
const { forbundId } = await importForbund(db.prisma, file, { actor: 'load', year: 2026 });
const { token } = await createToken(db.prisma, { forbundId, role: 'admin', name: 'load', actor: 'load' });
const app = createApp({ prisma: db.prisma, notifier: offlineNotifier, publicBaseUrl: 'http://localhost', linkSecret: 'l'.repeat(32) });
const server = app.listen(0);
await new Promise((r) => server.once('listening', r));
console.log(`LISTENING http://127.0.0.1:${(server.address() as AddressInfo).port} ${token} ${db.kind}`);
}

async function burst() {
const child = spawn(process.execPath, [...process.execArgv, process.argv[1], '--serve', '--projects', String(nProjects)], { env: { ...process.env, LOG_FORMAT: 'text' }, stdio: ['ignore', 'pipe', 'inherit'] });
const [url, token, kind] = await new Promise<string[]>((resolve, reject) => {
  let out = '';
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
    const m = /LISTENING (\S+) (\S+) (\S+)/.exec(out);
    if (m) resolve(m.slice(1));
  });
  child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
});

const health: Record<string, number[]> = { '/health/live': [], '/health/ready': [] };
let polling = true;
const poll = Promise.all(
  Object.keys(health).map(async (path) => {
    while (polling) {
      const t0 = performance.now();
      await fetch(`${url}${path}`).then((r) => r.arrayBuffer()).catch(() => {});
      health[path].push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 100));
    }
  }),
);

const outcomes: Record<string, number> = {};
const served: number[] = [];
const t0 = performance.now();
await Promise.all(
  Array.from({ length: concurrent }, async () => {
    const start = performance.now();
    // One connection per request (node:http, no pooling), as 200 separate users would open.
    const status = await new Promise<number | string>((resolve) => {
      const req = http.get(`${url}/api/v1/forbund/load/pending-steps?limit=50`, { agent: false, headers: { authorization: `Bearer ${token}` }, timeout: 30_000 }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('timeout', () => {
        req.destroy();
        resolve('timed out');
      });
      req.on('error', () => resolve('failed'));
    });
    outcomes[status] = (outcomes[status] ?? 0) + 1;
    if (status === 200) served.push(performance.now() - start);
  }),
);
const total = performance.now() - t0;
polling = false;
await poll;

const stat = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? `p50 ${s[Math.floor(s.length / 2)].toFixed(0)} ms, max ${s[s.length - 1].toFixed(0)} ms (${s.length} asked)` : 'not asked';
};
console.log(`database: ${kind}; ${concurrent} concurrent GET pending-steps (${nProjects} projects) in ${total.toFixed(0)} ms`);
console.log(`  outcomes: ${Object.entries(outcomes).map(([k, v]) => `${k}: ${v}`).join(', ')}`);
console.log(`  served: ${stat(served)}`);
for (const [path, xs] of Object.entries(health)) console.log(`  ${path} during the burst: ${stat(xs)}`);
child.kill();
process.exit(0);
}
