// Configuration as `npm start` reads it: production rules, Temporal TLS / mTLS / API key, and
// problems named by the variable at fault.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { connectionOptions } from '../worker/client.js';
import { ConfigError, loadConfig, VARIABLES } from '../worker/config.js';

const dir = mkdtempSync(join(tmpdir(), 'arscykel-config-'));
const base = { DATA_DIR: dir, LINK_SECRET: 'x'.repeat(32) };
const problems = (env: NodeJS.ProcessEnv) => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe('configuration', () => {
  it('ARSCYKEL_RUNS: all by default; api or worker apart only against PostgreSQL and a Temporal cluster', () => {
    expect(loadConfig(base).runs).toBe('all');
    expect(problems({ ...base, ARSCYKEL_RUNS: 'both' })).toEqual([expect.stringMatching(/^ARSCYKEL_RUNS="both": must be all, api or worker/)]);
    expect(problems({ ...base, ARSCYKEL_RUNS: 'worker' })).toEqual([expect.stringMatching(/^ARSCYKEL_RUNS=worker: needs DATABASE_URL/), expect.stringMatching(/^ARSCYKEL_RUNS=worker: needs TEMPORAL_ADDRESS/)]);
    const apart = { ...base, DATABASE_URL: 'postgres://db.internal/arscykel', TEMPORAL_ADDRESS: 'temporal.internal:7233' };
    expect(loadConfig({ ...apart, ARSCYKEL_RUNS: 'api' }).runs).toBe('api');
    expect(loadConfig({ ...apart, ARSCYKEL_RUNS: 'worker' }).runs).toBe('worker');
  });

  it("the worker's sizing: bounded defaults, whole numbers, the cache at least the workflow tasks", () => {
    expect(loadConfig(base).worker).toEqual({ maxCachedWorkflows: 500, maxConcurrentWorkflowTasks: 20, maxConcurrentActivities: 20 });
    expect(loadConfig({ ...base, WORKER_CACHED_WORKFLOWS: '2000', WORKER_ACTIVITIES: '50' }).worker).toMatchObject({ maxCachedWorkflows: 2000, maxConcurrentActivities: 50 });
    expect(problems({ ...base, WORKER_ACTIVITIES: 'many' })).toEqual([expect.stringMatching(/^WORKER_ACTIVITIES="many": must be a whole number/)]);
    expect(problems({ ...base, WORKER_CACHED_WORKFLOWS: '10', WORKER_WORKFLOW_TASKS: '40' })).toEqual([expect.stringMatching(/^WORKER_CACHED_WORKFLOWS=10: must be at least WORKER_WORKFLOW_TASKS \(40\)/)]);
  });

  it('production refuses to start a private dev server: TEMPORAL_ADDRESS is required', () => {
    expect(problems({ ...base, ARSCYKEL_ENV: 'production' })).toEqual([expect.stringMatching(/^TEMPORAL_ADDRESS: required in production/)]);
    expect(problems({ ...base, NODE_ENV: 'production' })).toEqual([expect.stringMatching(/^TEMPORAL_ADDRESS: required in production/)]);
    expect(problems({ ...base, ARSCYKEL_ENV: 'production', TEMPORAL_ADDRESS: 'temporal.internal:7233' })).toEqual([]);
    expect(problems({ ...base, ARSCYKEL_ENV: 'staging' })).toEqual([expect.stringMatching(/^ARSCYKEL_ENV="staging": must be production or development/)]);
  });

  it('npm start in production without an address exits 2 with the reason, before opening anything', () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const r = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), ['worker/main.ts'], { cwd: root, env: { PATH: process.env.PATH, ...base, ARSCYKEL_ENV: 'production' }, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('TEMPORAL_ADDRESS: required in production');
  });

  it('mTLS: both certificate and key, read from the files; a missing file is named', () => {
    const ca = join(dir, 'ca.pem');
    const crt = join(dir, 'client.pem');
    const key = join(dir, 'client.key');
    writeFileSync(ca, 'CA');
    writeFileSync(crt, 'CERT');
    writeFileSync(key, 'KEY');
    const address = { TEMPORAL_ADDRESS: 'temporal.internal:7233' };
    expect(problems({ ...base, ...address, TEMPORAL_TLS_CERT: crt })).toEqual(['TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY: give both (mTLS) or neither']);
    expect(problems({ ...base, ...address, TEMPORAL_TLS_CA: join(dir, 'nope.pem') })).toEqual([`TEMPORAL_TLS_CA="${join(dir, 'nope.pem')}": no such file`]);
    const c = loadConfig({ ...base, ...address, TEMPORAL_TLS_CA: ca, TEMPORAL_TLS_CERT: crt, TEMPORAL_TLS_KEY: key, TEMPORAL_TLS_SERVER_NAME: 'temporal' });
    const o = connectionOptions({ ...c.temporal, address: c.temporal.address! });
    expect(o.address).toBe('temporal.internal:7233');
    expect(o.tls).toEqual({ serverNameOverride: 'temporal', serverRootCACertificate: Buffer.from('CA'), clientCertPair: { crt: Buffer.from('CERT'), key: Buffer.from('KEY') } });
  });

  it('Temporal Cloud: an API key implies TLS with the system CAs; TLS needs an address', () => {
    const c = loadConfig({ ...base, TEMPORAL_ADDRESS: 'my-ns.a1b2c.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'my-ns.a1b2c', TEMPORAL_API_KEY: 'secret-key' });
    expect(connectionOptions({ ...c.temporal, address: c.temporal.address! })).toEqual({ address: 'my-ns.a1b2c.tmprl.cloud:7233', tls: {}, apiKey: 'secret-key' });
    expect(loadConfig({ ...base, TEMPORAL_ADDRESS: 'localhost:7233' }).temporal.tls).toBeUndefined();
    expect(problems({ ...base, TEMPORAL_TLS: 'true' })).toEqual(['TEMPORAL_ADDRESS: required with TLS or an API key']);
  });

  it('a bad PORT is blamed alone, not the PUBLIC_BASE_URL nobody set', () => {
    expect(problems({ ...base, PORT: 'abc' })).toEqual(['PORT="abc": must be a whole number from 0 to 65535']);
  });

  it('an out-of-range or non-decimal number is blamed alone', () => {
    expect(problems({ ...base, PORT: '99999' })).toEqual(['PORT="99999": must be a whole number from 0 to 65535']);
    expect(problems({ ...base, PORT: '0x10' })).toEqual(['PORT="0x10": must be a whole number from 0 to 65535']);
  });

  it('SMTP settings without SMTP_HOST are said to have no effect; bad values are named either way', () => {
    expect(problems({ ...base, SMTP_PORT: '2525' })).toEqual(['SMTP_PORT: set without SMTP_HOST, so mail would go to the outbox; set SMTP_HOST too, or remove it']);
    expect(problems({ ...base, SMTP_HOST: 'smtp.example', SMTP_PORT: 'x', SMTP_SECURE: 'maybe' })).toEqual([
      'SMTP_PORT="x": must be a whole number from 1 to 65535',
      'SMTP_SECURE="maybe": must be true or false',
    ]);
  });

  it('a named Temporal binary must be an executable file', () => {
    expect(problems({ ...base, TEMPORAL_CLI_PATH: '/nope/temporal' })).toEqual(['TEMPORAL_CLI_PATH="/nope/temporal": not an executable file']);
    expect(problems({ ...base, TEMPORAL_TEST_SERVER_PATH: dir })).toEqual([`TEMPORAL_TEST_SERVER_PATH="${dir}": not an executable file`]);
  });

  it('TRUST_PROXY is a small whole number', () => {
    expect(loadConfig({ ...base, TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ ...base }).trustProxy).toBeUndefined();
    expect(problems({ ...base, TRUST_PROXY: 'true' })).toEqual(['TRUST_PROXY="true": must be a whole number from 0 to 10']);
  });

  it('TEMPORAL_METRICS_PORT: the SDK\'s metrics on a port of their own, off without it', () => {
    expect(loadConfig({ ...base, TEMPORAL_METRICS_PORT: '9464' }).temporalMetricsPort).toBe(9464);
    expect(loadConfig({ ...base }).temporalMetricsPort).toBeUndefined();
    expect(problems({ ...base, TEMPORAL_METRICS_PORT: '0' })).toEqual(['TEMPORAL_METRICS_PORT="0": must be a whole number from 1 to 65535']);
    expect(problems({ ...base, PORT: '9464', TEMPORAL_METRICS_PORT: '9464' })).toEqual([expect.stringMatching(/^TEMPORAL_METRICS_PORT="9464": the API's PORT already/)]);
  });

  it('the README\'s configuration table names every variable', () => {
    const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Layout'));
    expect(Object.keys(VARIABLES).filter((name) => !table.includes(`\`${name}\``))).toEqual([]);
  });
});
