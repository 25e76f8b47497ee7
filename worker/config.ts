// Configuration from environment variables, validated at start. Every variable is optional:
// without them Årscykel runs with embedded defaults (PGlite, an outbox directory, a local
// Temporal dev server).
import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { MailTransportConfig } from '../activities/mail.js';
import type { DatabaseTarget } from '../prisma/db.js';
import type { DocumentStorageConfig } from '../services/document-store.js';
import type { OidcConfig } from '../services/oidc.js';
import { freeBytes, storageFailureOf } from '../services/storage.js';

export interface Config {
  dataDir: string;
  database: DatabaseTarget;
  /** Where the handlingar's bytes are kept: the database (default), or an S3 bucket. */
  documents: DocumentStorageConfig;
  port: number;
  publicBaseUrl: string;
  mail: MailTransportConfig;
  temporal: TemporalConfig;
  linkSecret: string;
  /** production: no embedded Temporal dev server is started. */
  environment: 'production' | 'development';
  /** A workflow bundle built by `npm run build:workflows`, instead of bundling at start. */
  workflowBundlePath?: string;
  /** Express's `trust proxy`: how many proxies stand in front, so rate limits see the client's address. */
  trustProxy?: number;
  /** Port of the Temporal SDK's own Prometheus endpoint (temporal_* metrics); none without it. */
  temporalMetricsPort?: number;
  /** Signing in to the pages with an OpenID Connect provider, besides the e-mail link; none without OIDC_ISSUER. */
  oidc?: OidcConfig;
  /** What this process runs: the API and the worker (the embedded default), or one of them. */
  runs: 'all' | 'api' | 'worker';
  /** The worker's sizing, bounded for the machine (the SDK's defaults grew a 2-core deployment's process past 1.4 GB). */
  worker: WorkerSizing;
}

export interface WorkerSizing {
  /** Workflows kept in the worker's cache (sticky execution); one evicted is replayed when it next has work. */
  maxCachedWorkflows: number;
  /** Workflow tasks run at once. */
  maxConcurrentWorkflowTasks: number;
  /** Activities run at once (each holds a database connection for a while, some an SMTP one). */
  maxConcurrentActivities: number;
}

export interface TemporalConfig {
  /** host:port of the frontend; without it `npm start` runs a local dev server. */
  address?: string;
  namespace: string;
  taskQueue: string;
  /** TLS to the frontend: a server CA to trust (else the system's), a client certificate and key for mTLS, a server name override. */
  tls?: { caPath?: string; certPath?: string; keyPath?: string; serverName?: string };
  /** Temporal Cloud API key (sent as a bearer token; implies TLS). */
  apiKey?: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Every variable Årscykel reads, with its meaning (also printed by the README). */
export const VARIABLES: Record<string, string> = {
  DATA_DIR: 'directory for the embedded database, the outbox and the generated link secret (default ./data)',
  DATABASE_URL: 'PostgreSQL connection URL; without it an embedded PGlite database under DATA_DIR/pglite is used',
  PORT: 'HTTP port of the API (default 3000)',
  PUBLIC_BASE_URL: 'base URL used in links in e-mails (default http://localhost:PORT)',
  SMTP_HOST: 'SMTP server; without it e-mails are written as .eml files to OUTBOX_DIR',
  SMTP_PORT: 'SMTP port (default 587)',
  SMTP_SECURE: 'true for implicit TLS (port 465), false for STARTTLS (default false)',
  SMTP_USER: 'SMTP user name (optional)',
  SMTP_PASSWORD: 'SMTP password (optional)',
  OUTBOX_DIR: 'where e-mails go without SMTP (default DATA_DIR/outbox)',
  DOCUMENT_STORAGE: 'where the handlingar\'s bytes are kept: database (default; in the Document row, so a backup of the database holds the record whole) or s3 (an S3-compatible bucket, backed up with the database)',
  S3_ENDPOINT: 'URL of an S3-compatible server (MinIO, Ceph, …); without it AWS S3 of S3_REGION',
  S3_REGION: 'region of the bucket (default eu-north-1)',
  S3_BUCKET: 'bucket for the handlingar; required with DOCUMENT_STORAGE=s3',
  S3_ACCESS_KEY_ID: 'access key id for the bucket; required with DOCUMENT_STORAGE=s3',
  S3_SECRET_ACCESS_KEY: 'secret access key for the bucket; required with DOCUMENT_STORAGE=s3',
  S3_FORCE_PATH_STYLE: 'true to address the bucket as ENDPOINT/BUCKET/key rather than BUCKET.ENDPOINT/key (default true when S3_ENDPOINT is given, else false)',
  TEMPORAL_ADDRESS: 'Temporal frontend host:port; without it a local dev server is started',
  TEMPORAL_NAMESPACE: 'Temporal namespace (default "default")',
  TEMPORAL_TASK_QUEUE: 'task queue of the worker (default "arscykel")',
  TEMPORAL_TLS: 'true to connect to TEMPORAL_ADDRESS over TLS (implied by the TLS paths and TEMPORAL_API_KEY)',
  TEMPORAL_TLS_CA: 'file with the CA certificate (PEM) that signed the Temporal server\'s certificate (default: the system\'s CAs)',
  TEMPORAL_TLS_CERT: 'file with the client certificate (PEM) for mTLS; with TEMPORAL_TLS_KEY',
  TEMPORAL_TLS_KEY: 'file with the client private key (PEM) for mTLS; with TEMPORAL_TLS_CERT',
  TEMPORAL_TLS_SERVER_NAME: 'server name to verify instead of the host of TEMPORAL_ADDRESS',
  TEMPORAL_API_KEY: 'API key for Temporal Cloud',
  TEMPORAL_METRICS_PORT: 'port of the Temporal SDK\'s own Prometheus metrics (temporal_*: polls, task latencies, slots, RPCs) at /metrics on all interfaces; default: not exported',
  TEMPORAL_WORKFLOW_BUNDLE: 'prebuilt workflow bundle (npm run build:workflows writes dist/workflow-bundle.js); default: bundled at start',
  ARSCYKEL_RUNS: 'what this process runs: all (default: the API and the worker), api (the HTTP API and pages only) or worker (the Temporal worker only: workflows, activities, the reconciliation at start, kept changes, schedules); api and worker apart need DATABASE_URL and TEMPORAL_ADDRESS',
  WORKER_CACHED_WORKFLOWS: 'workflows the worker keeps cached (default 500; each some hundred kB of memory; one evicted is replayed when it next has work)',
  WORKER_WORKFLOW_TASKS: 'workflow tasks the worker runs at once (default 20)',
  WORKER_ACTIVITIES: 'activities the worker runs at once (default 20)',
  ARSCYKEL_ENV: 'production or development (default development; NODE_ENV=production counts too); production needs TEMPORAL_ADDRESS',
  LOG_FORMAT: 'json (default: one JSON object per line) or text',
  TRUST_PROXY: 'number of reverse proxies in front of the API (default 0): rate limits then count the client address from X-Forwarded-For',
  LINK_SECRET: 'secret (at least 32 characters) behind submission links and feed URLs; default generated once into DATA_DIR/link-secret',
  OIDC_ISSUER: 'issuer URL of an OpenID Connect provider for signing in to the pages (its metadata discovered at /.well-known/openid-configuration); without it only the e-mail link',
  OIDC_CLIENT_ID: 'client id registered at the OIDC provider (redirect URI PUBLIC_BASE_URL/admin/logga-in/oidc/klar); required with OIDC_ISSUER',
  OIDC_CLIENT_SECRET: 'client secret from the OIDC provider; required with OIDC_ISSUER',
  OIDC_MATCH_CLAIM: 'the ID token (or userinfo) claim holding the person\'s e-mail address as the förbund file has it (default email, which must come with email_verified true)',
  OIDC_LABEL: 'text of the sign-in page\'s OIDC button (default "Logga in med e-legitimation")',
  OIDC_ALLOW_HTTP: 'true to allow an http:// OIDC_ISSUER (tests and development only; refused in production)',
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const dataDir = resolve(env.DATA_DIR || 'data');
  const int = (name: string, def: number, min: number, max: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    const n = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
    if (n >= min && n <= max) return n;
    // Reported here; the default stands in, so nothing derived from it is blamed as well.
    problems.push(`${name}="${raw}": must be a whole number from ${min} to ${max}`);
    return def;
  };
  const bool = (name: string, def: boolean) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    if (!['true', 'false', '1', '0'].includes(raw)) problems.push(`${name}="${raw}": must be true or false`);
    return raw === 'true' || raw === '1';
  };

  let database: DatabaseTarget = { pgliteDir: join(dataDir, 'pglite') };
  if (env.DATABASE_URL) {
    try {
      const u = new URL(env.DATABASE_URL);
      if (!['postgres:', 'postgresql:'].includes(u.protocol)) throw new Error();
      database = { url: env.DATABASE_URL };
    } catch {
      problems.push('DATABASE_URL: must be a postgresql:// URL, e.g. postgresql://user:pass@localhost:5432/arscykel');
    }
  }

  const port = int('PORT', 3000, 0, 65535);
  let publicBaseUrl = env.PUBLIC_BASE_URL || `http://localhost:${port}`;
  try {
    const u = new URL(publicBaseUrl);
    if (!['http:', 'https:'].includes(u.protocol)) throw new Error();
    publicBaseUrl = publicBaseUrl.replace(/\/$/, '');
  } catch {
    problems.push(`PUBLIC_BASE_URL="${env.PUBLIC_BASE_URL}": must be an http(s) URL`);
  }

  // DATA_DIR holds what is not configured elsewhere: the embedded database, the outbox, the link
  // secret, the dev server's state. It must be a writable directory of ours, checked now rather
  // than failing (or hanging, under /proc) later.
  const needsDataDir = !env.DATABASE_URL || (!env.SMTP_HOST && !env.OUTBOX_DIR) || !env.LINK_SECRET || !env.TEMPORAL_ADDRESS;
  if (needsDataDir) {
    const problem = unusableDirectory(dataDir);
    if (problem) problems.push(`DATA_DIR="${env.DATA_DIR ?? 'data'}" (${dataDir}): ${problem}`);
  }
  if (env.OUTBOX_DIR && !env.SMTP_HOST) {
    const problem = unusableDirectory(resolve(env.OUTBOX_DIR));
    if (problem) problems.push(`OUTBOX_DIR="${env.OUTBOX_DIR}": ${problem}`);
  }

  // SMTP settings are checked even without SMTP_HOST, and said to have no effect then.
  const smtpPort = int('SMTP_PORT', 587, 1, 65535);
  const smtpSecure = bool('SMTP_SECURE', false);
  if (!env.SMTP_HOST) {
    const orphans = ['SMTP_PORT', 'SMTP_SECURE', 'SMTP_USER', 'SMTP_PASSWORD'].filter((k) => env[k]);
    if (orphans.length) problems.push(`${orphans.join(', ')}: set without SMTP_HOST, so mail would go to the outbox; set SMTP_HOST too, or remove ${orphans.length > 1 ? 'them' : 'it'}`);
  }
  for (const name of ['TEMPORAL_CLI_PATH', 'TEMPORAL_TEST_SERVER_PATH']) {
    const path = env[name];
    if (!path) continue;
    try {
      accessSync(path, constants.X_OK);
      if (!statSync(path).isFile()) throw new Error();
    } catch {
      problems.push(`${name}="${path}": not an executable file`);
    }
  }

  const mail: MailTransportConfig = env.SMTP_HOST
    ? { kind: 'smtp', host: env.SMTP_HOST, port: smtpPort, secure: smtpSecure, user: env.SMTP_USER || undefined, password: env.SMTP_PASSWORD || undefined }
    : { kind: 'outbox', dir: resolve(env.OUTBOX_DIR || join(dataDir, 'outbox')) };

  if (env.TEMPORAL_ADDRESS && !/^[^\s:/]+:\d{1,5}$/.test(env.TEMPORAL_ADDRESS)) {
    problems.push(`TEMPORAL_ADDRESS="${env.TEMPORAL_ADDRESS}": must be host:port, e.g. localhost:7233 or my-ns.a1b2c.tmprl.cloud:7233`);
  }
  const environment = (env.ARSCYKEL_ENV || (env.NODE_ENV === 'production' ? 'production' : 'development')) as Config['environment'];
  if (!['production', 'development'].includes(environment)) problems.push(`ARSCYKEL_ENV="${env.ARSCYKEL_ENV}": must be production or development`);
  if (environment === 'production' && !env.TEMPORAL_ADDRESS) {
    problems.push('TEMPORAL_ADDRESS: required in production (without it a private Temporal dev server would be started, whose workflows no one else sees)');
  }
  const file = (name: string) => {
    const path = env[name];
    if (!path) return undefined;
    if (!existsSync(path)) problems.push(`${name}="${path}": no such file`);
    return resolve(path);
  };
  const tlsPaths = { caPath: file('TEMPORAL_TLS_CA'), certPath: file('TEMPORAL_TLS_CERT'), keyPath: file('TEMPORAL_TLS_KEY') };
  if (!!tlsPaths.certPath !== !!tlsPaths.keyPath) problems.push('TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY: give both (mTLS) or neither');
  const apiKey = env.TEMPORAL_API_KEY || undefined;
  const wantsTls = bool('TEMPORAL_TLS', false) || !!(tlsPaths.caPath || tlsPaths.certPath || apiKey || env.TEMPORAL_TLS_SERVER_NAME);
  if (wantsTls && !env.TEMPORAL_ADDRESS) problems.push('TEMPORAL_ADDRESS: required with TLS or an API key');
  const workflowBundlePath = file('TEMPORAL_WORKFLOW_BUNDLE');
  if (env.LOG_FORMAT && !['json', 'text'].includes(env.LOG_FORMAT)) problems.push(`LOG_FORMAT="${env.LOG_FORMAT}": must be json or text`);
  const trustProxy = int('TRUST_PROXY', 0, 0, 10) || undefined;
  const temporalMetricsPort = int('TEMPORAL_METRICS_PORT', 0, 1, 65535) || undefined;
  if (temporalMetricsPort && temporalMetricsPort === port) problems.push(`TEMPORAL_METRICS_PORT="${env.TEMPORAL_METRICS_PORT}": the API's PORT already; give the SDK's metrics a port of their own`);
  if (env.LINK_SECRET !== undefined && env.LINK_SECRET.length < 32) problems.push('LINK_SECRET: must be at least 32 characters');
  const runs = (env.ARSCYKEL_RUNS || 'all') as Config['runs'];
  if (!['all', 'api', 'worker'].includes(runs)) problems.push(`ARSCYKEL_RUNS="${env.ARSCYKEL_RUNS}": must be all, api or worker`);
  else if (runs !== 'all') {
    // Apart, the two processes share the database and Temporal, which the embedded ones cannot be.
    if (!env.DATABASE_URL) problems.push(`ARSCYKEL_RUNS=${runs}: needs DATABASE_URL (the embedded database is one process's); run both in one process with ARSCYKEL_RUNS=all`);
    if (!env.TEMPORAL_ADDRESS) problems.push(`ARSCYKEL_RUNS=${runs}: needs TEMPORAL_ADDRESS (the local dev server is started by the process that runs all)`);
  }
  const worker: WorkerSizing = {
    maxCachedWorkflows: int('WORKER_CACHED_WORKFLOWS', 500, 10, 100_000),
    maxConcurrentWorkflowTasks: int('WORKER_WORKFLOW_TASKS', 20, 2, 1000),
    maxConcurrentActivities: int('WORKER_ACTIVITIES', 20, 1, 1000),
  };
  // The SDK runs a workflow task only for a workflow it holds in its cache.
  if (worker.maxCachedWorkflows < worker.maxConcurrentWorkflowTasks) problems.push(`WORKER_CACHED_WORKFLOWS=${worker.maxCachedWorkflows}: must be at least WORKER_WORKFLOW_TASKS (${worker.maxConcurrentWorkflowTasks})`);
  const documents = documentStorageConfig(env, problems, bool);
  const oidc = oidcConfig(env, environment, problems, bool);
  if (problems.length) throw new ConfigError(problems);

  return {
    dataDir,
    database,
    documents,
    port,
    publicBaseUrl,
    mail,
    temporal: {
      address: env.TEMPORAL_ADDRESS || undefined,
      namespace: env.TEMPORAL_NAMESPACE || 'default',
      taskQueue: env.TEMPORAL_TASK_QUEUE || 'arscykel',
      ...(wantsTls ? { tls: { ...tlsPaths, serverName: env.TEMPORAL_TLS_SERVER_NAME || undefined } } : {}),
      ...(apiKey ? { apiKey } : {}),
    },
    linkSecret: env.LINK_SECRET || persistedSecret(dataDir),
    environment,
    ...(workflowBundlePath ? { workflowBundlePath } : {}),
    ...(trustProxy ? { trustProxy } : {}),
    ...(temporalMetricsPort ? { temporalMetricsPort } : {}),
    ...(oidc ? { oidc } : {}),
    runs,
    worker,
  };
}

/** The OIDC button's text without OIDC_LABEL. */
export const DEFAULT_OIDC_LABEL = 'Logga in med e-legitimation';

/** OIDC_*: all or nothing (an issuer needs its client id and secret, and they an issuer); an http issuer only with OIDC_ALLOW_HTTP, never in production. */
function oidcConfig(env: NodeJS.ProcessEnv, environment: string, problems: string[], bool: (name: string, def: boolean) => boolean): OidcConfig | undefined {
  const allowHttp = bool('OIDC_ALLOW_HTTP', false);
  if (!env.OIDC_ISSUER) {
    const orphans = ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_MATCH_CLAIM', 'OIDC_LABEL', 'OIDC_ALLOW_HTTP'].filter((k) => env[k]);
    if (orphans.length) problems.push(`${orphans.join(', ')}: set without OIDC_ISSUER, so there is no OpenID Connect sign-in; set OIDC_ISSUER too, or remove ${orphans.length > 1 ? 'them' : 'it'}`);
    return undefined;
  }
  const before = problems.length;
  let issuer: URL | undefined;
  try {
    issuer = new URL(env.OIDC_ISSUER);
    if (!['http:', 'https:'].includes(issuer.protocol) || issuer.search || issuer.hash) throw new Error();
  } catch {
    problems.push(`OIDC_ISSUER="${env.OIDC_ISSUER}": must be the provider's issuer URL, e.g. https://login.microsoftonline.com/<tenant>/v2.0`);
    issuer = undefined;
  }
  if (issuer?.protocol === 'http:' && !allowHttp) problems.push(`OIDC_ISSUER="${env.OIDC_ISSUER}": must be https (an http issuer only with OIDC_ALLOW_HTTP=true, for tests and development)`);
  if (allowHttp && environment === 'production') problems.push('OIDC_ALLOW_HTTP: not allowed in production (the provider must be reached over https)');
  const missing = ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'].filter((k) => !env[k]);
  if (missing.length) problems.push(`${missing.join(', ')}: required with OIDC_ISSUER (as registered at the provider)`);
  const matchClaim = env.OIDC_MATCH_CLAIM || 'email';
  if (!/^[A-Za-z_][A-Za-z0-9_.:-]{0,99}$/.test(matchClaim)) problems.push(`OIDC_MATCH_CLAIM="${env.OIDC_MATCH_CLAIM}": must be a claim name, e.g. email, preferred_username or upn`);
  const label = (env.OIDC_LABEL ?? '').trim() || DEFAULT_OIDC_LABEL;
  if (label.length > 80) problems.push('OIDC_LABEL: at most 80 characters (it is a button)');
  if (problems.length > before || !issuer) return undefined;
  // The issuer as given: discovery requires the metadata's `issuer` to be the same URL.
  return { issuer: env.OIDC_ISSUER, clientId: env.OIDC_CLIENT_ID!, clientSecret: env.OIDC_CLIENT_SECRET!, matchClaim, label, ...(allowHttp ? { allowHttp } : {}) };
}

/** DOCUMENT_STORAGE and S3_*: the database by default; s3 needs a bucket and its credentials. S3_* without s3 are said to have no effect. */
function documentStorageConfig(env: NodeJS.ProcessEnv, problems: string[], bool: (name: string, def: boolean) => boolean): DocumentStorageConfig {
  const S3_VARIABLES = ['S3_ENDPOINT', 'S3_REGION', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'S3_FORCE_PATH_STYLE'];
  const kind = env.DOCUMENT_STORAGE || 'database';
  if (kind !== 's3') {
    if (kind !== 'database') problems.push(`DOCUMENT_STORAGE="${env.DOCUMENT_STORAGE}": must be database or s3`);
    const orphans = S3_VARIABLES.filter((k) => env[k]);
    if (orphans.length && kind === 'database') problems.push(`${orphans.join(', ')}: set without DOCUMENT_STORAGE=s3, so handlingar are kept in the database; set DOCUMENT_STORAGE=s3 too, or remove ${orphans.length > 1 ? 'them' : 'it'}`);
    return { kind: 'database' };
  }
  const endpoint = env.S3_ENDPOINT || undefined;
  if (endpoint) {
    try {
      const u = new URL(endpoint);
      if (!['http:', 'https:'].includes(u.protocol)) throw new Error();
    } catch {
      problems.push(`S3_ENDPOINT="${endpoint}": must be an http(s) URL, e.g. https://s3.example.se or http://localhost:9000`);
    }
  }
  const region = env.S3_REGION || 'eu-north-1';
  if (!/^[a-z0-9-]{1,40}$/.test(region)) problems.push(`S3_REGION="${env.S3_REGION}": must be a region name, e.g. eu-north-1`);
  const missing = ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'].filter((k) => !env[k]);
  if (missing.length) problems.push(`${missing.join(', ')}: required with DOCUMENT_STORAGE=s3 (the bucket for the handlingar and its credentials)`);
  const forcePathStyle = bool('S3_FORCE_PATH_STYLE', !!endpoint);
  return { kind: 's3', ...(endpoint ? { endpoint } : {}), region, bucket: env.S3_BUCKET ?? '', accessKeyId: env.S3_ACCESS_KEY_ID ?? '', secretAccessKey: env.S3_SECRET_ACCESS_KEY ?? '', forcePathStyle };
}

/** Why a directory cannot hold Årscykel's data, or undefined when it can (it is created if missing). */
export function unusableDirectory(dir: string): string | undefined {
  if (/^\/(proc|sys|dev)(\/|$)/.test(dir)) return 'is a system directory (/proc, /sys, /dev), not one for data';
  if (existsSync(dir) && !statSync(dir).isDirectory()) return 'is not a directory';
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    return `cannot be created (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
  if (!statSync(dir).isDirectory()) return 'is not a directory';
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    return 'is not writable';
  }
  return undefined;
}

/**
 * The link secret kept in DATA_DIR, made once. Written whole or not at all (a temporary file
 * renamed), so a full disk cannot leave an empty secret behind; an empty file (left so by an
 * earlier version) is made again.
 */
function persistedSecret(dataDir: string): string {
  const file = join(dataDir, 'link-secret');
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    if (kept) return kept;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  const partial = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(partial, secret + '\n', { mode: 0o600 });
    renameSync(partial, file);
  } catch (err) {
    rmSync(partial, { force: true });
    throw new ConfigError([cannotWrite('DATA_DIR', dataDir, file, err)]);
  }
  return secret;
}

/** Why a file in a directory of ours cannot be written, said so a person can act: a full disk by name. */
export function cannotWrite(variable: string, dir: string, file: string, err: unknown): string {
  const failure = storageFailureOf(err);
  if (failure?.diskFull) {
    const free = freeBytes(dir);
    return `${variable} (${dir}): the disk is full (${failure.code}: no space left on device${free !== undefined ? `, ${free} bytes free` : ''}); cannot write ${file}. Free space on that disk (df -h ${dir}) and start again`;
  }
  return `${variable} (${dir}): cannot write ${file} (${failure?.code ?? (err as NodeJS.ErrnoException)?.code ?? (err instanceof Error ? err.message : String(err))})`;
}
