// A real S3-compatible server for the tests of handlingar in object storage: moto's server mode
// (`moto_server`, from PyPI, installed pinned into .moto/bin by scripts/install-moto.sh, which
// `npm test` runs first). Found at MOTO_SERVER_PATH, .moto/bin/moto_server or on the PATH; started
// as a child process on a free loopback port, waited for until it answers, given a bucket, and
// stopped after. Without it the tests skip and say why, except where CI or REQUIRE_BROWSER=1 is
// set (CI installs it), where they fail.
import { spawn, type ChildProcess } from 'node:child_process';
import { delimiter, join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe } from 'vitest';
import type { S3DocumentConfig } from '../../services/document-store.js';
import { isExecutable } from '../../worker/temporal-servers.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** moto_server's path, or why there is none. */
export function findMotoServer(): { path: string } | { missing: string } {
  const candidates = [process.env.MOTO_SERVER_PATH, join(ROOT, '.moto/bin/moto_server'), ...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, 'moto_server'))].filter((p): p is string => !!p);
  const found = candidates.find(isExecutable);
  if (found) return { path: found };
  const why = 'no moto_server found (looked at MOTO_SERVER_PATH, .moto/bin and the PATH); install it with `bash scripts/install-moto.sh` (needs python3)';
  if (process.env.REQUIRE_BROWSER === '1' || process.env.CI) throw new Error(`${process.env.CI ? 'CI' : 'REQUIRE_BROWSER=1'}: ${why}`);
  return { missing: why };
}

/** A port free on the loopback now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

export interface S3Server {
  endpoint: string;
  bucket: string;
  /** The bucket as DOCUMENT_STORAGE=s3 configures it. */
  config: S3DocumentConfig;
  /** A client of our own, to look in the bucket behind the app's back. */
  client: S3Client;
  /** The keys in the bucket. */
  keys(): Promise<string[]>;
  /** Stops the server (and waits until it is gone). */
  stop(): Promise<void>;
}

/** Starts moto_server on a free port, waits until it answers (30 s at most) and makes the bucket. */
export async function startS3Server(executable: string, bucket = 'arscykel-handlingar'): Promise<S3Server> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(executable, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (b: Buffer) => (output = (output + b.toString()).slice(-4000)));
  child.stderr!.on('data', (b: Buffer) => (output = (output + b.toString()).slice(-4000)));
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  let gone = false;
  void exited.then(() => (gone = true));
  const stop = async () => {
    if (gone) return;
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(t);
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (gone) throw new Error(`moto_server exited before it answered:\n${output}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`moto_server did not answer on ${endpoint} within 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const config: S3DocumentConfig = { endpoint, region: 'eu-north-1', bucket, accessKeyId: 'arscykel-test', secretAccessKey: 'arscykel-test-secret', forcePathStyle: true };
  const client = new S3Client({ endpoint, region: config.region, forcePathStyle: true, credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } });
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-north-1' } }));
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    endpoint,
    bucket,
    config,
    client,
    async keys() {
      const out = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
      return (out.Contents ?? []).map((o) => o.Key!);
    },
    async stop() {
      client.destroy();
      await stop();
    },
  };
}

/**
 * Tests against a real S3-compatible server: skipped (and said why) without moto_server; the
 * server started with its bucket before them and stopped after them.
 */
export function describeWithS3(title: string, body: (s3: () => S3Server) => void): void {
  const found = findMotoServer();
  const skipReason = 'missing' in found ? found.missing : undefined;
  if (skipReason) console.warn(`object storage tests skipped: ${skipReason}`);
  describe.skipIf(!!skipReason)(`${title}${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
    let server: S3Server | undefined;
    beforeAll(async () => {
      server = await startS3Server((found as { path: string }).path);
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
    });
    body(() => server!);
  });
}
