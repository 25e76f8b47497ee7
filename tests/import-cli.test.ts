// `npm run import` of several förbund files in one process (a folder, or files named), as a
// national deployment imports its förbund: every file is checked before any is imported, and a
// Temporal that nobody listens on is not waited for (the changes are kept for the worker).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
let dir: string;
let env: NodeJS.ProcessEnv;

const run = (args: string[]) => spawnSync(TSX, ['scripts/import.ts', ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'arscykel-import-'));
  // Temporal points at a closed port: nobody listens, so nothing is waited for.
  env = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: join(dir, 'data'), TEMPORAL_ADDRESS: '127.0.0.1:1', LOG_FORMAT: 'json' };
  mkdirSync(join(dir, 'land'));
  mkdirSync(join(dir, 'trasig'));
  for (const f of ['sofint.yaml', 'hjotiborg.yaml']) copyFileSync(join(ROOT, 'examples', f), join(dir, 'land', f));
  writeFileSync(join(dir, 'land', 'README.txt'), 'not a förbund file');
  copyFileSync(join(ROOT, 'examples', 'nedansiljan.yaml'), join(dir, 'trasig', 'a-nedansiljan.yaml'));
  const broken = readFileSync(join(ROOT, 'examples', 'sydnarke.yaml'), 'utf8').replace(/^forbund:/m, 'forbund:\n  färg: blå');
  writeFileSync(join(dir, 'trasig', 'b-sydnarke.yaml'), broken);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run import of a folder', () => {
  it('imports each .yaml file of the folder in one process, and keeps the changes for the workflows when Temporal is away', () => {
    const r = run([join(dir, 'land')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^sofint \d{4}: imported$/m);
    expect(r.stdout).toMatch(/^hjotiborg \d{4}: imported$/m);
    expect(r.stdout.match(/Temporal not reachable; the change is kept/g)).toHaveLength(2);
    // Again: each förbund is as its file says.
    const again = run([join(dir, 'land', 'hjotiborg.yaml'), join(dir, 'land', 'sofint.yaml')]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^hjotiborg \d{4}: no changes$/m);
    expect(again.stdout).toMatch(/^sofint \d{4}: no changes$/m);
  });

  it('one faulty file imports none: the error names the file, the path and the problem', () => {
    const r = run([join(dir, 'trasig')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('b-sydnarke.yaml');
    expect(r.stderr).toMatch(/\/forbund.*färg/);
    expect(r.stderr).toContain('nothing was imported');
    // The good file of that folder was not imported: alone, it is imported now.
    const alone = run([join(dir, 'trasig', 'a-nedansiljan.yaml')]);
    expect(alone.status, alone.stderr).toBe(0);
    expect(alone.stdout).toMatch(/^nedansiljan \d{4}: imported$/m);
  });

  it('a folder without förbund files, a path that is not there, the same förbund twice: named, nothing imported', () => {
    const empty = join(dir, 'tom');
    mkdirSync(empty);
    const r = run([empty, join(dir, 'finns-inte.yaml')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${empty}: no .yaml or .yml file in this folder`);
    expect(r.stderr).toContain('finns-inte.yaml: cannot read');
    const twice = run([join(dir, 'land', 'sofint.yaml'), join(dir, 'land')]);
    expect(twice.status).toBe(1);
    expect(twice.stderr).toMatch(/förbund "sofint" is also in/);
  });
});
