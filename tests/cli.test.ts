// The commands a person types, as child processes: `npm start` (worker/main.ts) holding the
// embedded database, `npm run token` and `npm run import` while it runs, a second start, a port
// already taken. Temporal is pointed at a closed port: the API must not need it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/temporal.js';
import { freePort } from './support/fixtures.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
let dataDir: string;
let env: NodeJS.ProcessEnv;
let server: ChildProcess | undefined;
let port: number;
let output = '';

const run = (args: string[], extra: NodeJS.ProcessEnv = {}) => spawnSync(TSX, args, { cwd: ROOT, env: { ...env, ...extra }, encoding: 'utf8', timeout: 60_000 });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'arscykel-cli-'));
  port = await freePort();
  // Temporal and SMTP both point at a closed port: the API must come up all the same, and say so.
  env = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, PORT: String(port), TEMPORAL_ADDRESS: '127.0.0.1:1', SMTP_HOST: '127.0.0.1', SMTP_PORT: '1', LOG_FORMAT: 'json' };
  const imported = run(['scripts/import.ts', 'examples/sofint.yaml']);
  expect(imported.status, imported.stderr).toBe(0);
  server = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  server.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  await eventually(() => expect(output).toContain('"msg":"api listening"'), 60_000);
}, 120_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server!.once('exit', r));
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the command line while npm start holds the embedded database', () => {
  it('npm start says what it cannot reach, by its variable, without suggesting what is already set', async () => {
    await eventually(() => expect(output).toContain('temporal unavailable'), 30_000);
    await eventually(() => expect(output).toContain('smtp not reachable'), 30_000);
    const lines = output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    const temporal = lines.find((l) => String(l.msg).startsWith('temporal unavailable'));
    expect(temporal).toMatchObject({ level: 'warn', address: '127.0.0.1:1' });
    expect(temporal.reason.length).toBeGreaterThan(10);
    expect(output).not.toContain('set TEMPORAL_ADDRESS');
    expect(lines.find((l) => String(l.msg).startsWith('smtp not reachable'))).toMatchObject({ variable: 'SMTP_HOST/SMTP_PORT', host: '127.0.0.1', port: 1 });
  });

  it('npm run demo while npm start runs imports through it and prints the URL it really serves', () => {
    const r = run(['scripts/demo.ts']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`http://localhost:${port}/api/v1/forbund/sydnarke/pending-steps`);
  });

  it('npm run token goes through the running server: the token works now and after a restart', async () => {
    const lock = JSON.parse(readFileSync(join(dataDir, 'arscykel.lock'), 'utf8'));
    expect(lock).toMatchObject({ what: 'npm start', url: `http://localhost:${port}` });
    const r = run(['scripts/token.ts', 'sofint', 'admin', 'Officiell']);
    expect(r.status, r.stderr).toBe(0);
    const token = r.stdout.trim();
    expect(token).toMatch(/^ak_/);
    const res = await fetch(`http://localhost:${port}/api/v1/forbund/sofint/tokens`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: { name: string }[] }).data.map((t) => t.name)).toEqual(['Officiell']);

    // An import through the server, and a bad file named by file, path and problem, importing nothing.
    const again = run(['scripts/import.ts', 'examples/sofint.yaml']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('no changes');
    expect(again.stdout).toContain('through the running server');

    // The local administration refuses a caller without the key.
    const sneaky = await fetch(`http://localhost:${port}/local/v1/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ forbund: 'sofint', role: 'admin', name: 'x' }) });
    expect(sneaky.status).toBe(403);

    // Stop (the lock goes with it), start again: the token was kept.
    server!.kill('SIGTERM');
    expect(await new Promise((r) => server!.once('exit', r))).toBe(0);
    expect(existsSync(join(dataDir, 'arscykel.lock'))).toBe(false);
    output = '';
    server = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    await eventually(() => expect(output).toContain('"msg":"api listening"'), 60_000);
    expect((await fetch(`http://localhost:${port}/api/v1/forbund/sofint/projects`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  it('a second npm start on the same DATA_DIR is refused with who holds it', () => {
    const r = run(['worker/main.ts'], { PORT: '0' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/in use by npm start \(pid \d+/);
  });

  it('a port already taken is said, and the process exits 1 without holding the database', async () => {
    const other = mkdtempSync(join(tmpdir(), 'arscykel-cli-port-'));
    try {
      const r = run(['worker/main.ts'], { DATA_DIR: other });
      expect(r.status).toBe(1);
      expect(r.stdout).toContain(`PORT=${port}: the port is already in use`);
      expect(r.stdout).not.toContain('api listening');
      expect(existsSync(join(other, 'arscykel.lock'))).toBe(false);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('bad places for DATA_DIR are named, and the process exits 2 at once', () => {
    const asFile = join(dataDir, 'link-secret');
    for (const [dir, problem] of [
      ['/proc/arscykel', 'is a system directory'],
      [asFile, 'is not a directory'],
    ]) {
      const r = run(['worker/main.ts'], { DATA_DIR: dir });
      expect(r.status, dir).toBe(2);
      expect(r.stderr).toContain(`DATA_DIR="${dir}"`);
      expect(r.stderr).toContain(problem);
    }
  });

  it('an unreachable DATABASE_URL is named, without a stack trace', () => {
    const r = run(['worker/main.ts'], { DATABASE_URL: 'postgresql://nobody:x@127.0.0.1:1/none', PORT: '0' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('DATABASE_URL: cannot use the database at 127.0.0.1:1/none (ECONNREFUSED)');
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
  });
});
