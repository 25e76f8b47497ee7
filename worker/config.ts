// Configuration from environment variables, validated at start. Every variable is optional:
// without them Årscykel runs with embedded defaults (PGlite, an outbox directory, a local
// Temporal dev server).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { MailTransportConfig } from '../activities/mail.js';
import type { DatabaseTarget } from '../prisma/db.js';

export interface Config {
  dataDir: string;
  database: DatabaseTarget;
  port: number;
  publicBaseUrl: string;
  mail: MailTransportConfig;
  temporal: { address?: string; namespace: string; taskQueue: string };
  linkSecret: string;
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
  TEMPORAL_ADDRESS: 'Temporal frontend host:port; without it a local dev server is started',
  TEMPORAL_NAMESPACE: 'Temporal namespace (default "default")',
  TEMPORAL_TASK_QUEUE: 'task queue of the worker (default "arscykel")',
  LINK_SECRET: 'secret (at least 32 characters) behind submission links and feed URLs; default generated once into DATA_DIR/link-secret',
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const dataDir = resolve(env.DATA_DIR || 'data');
  const int = (name: string, def: number, min: number, max: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) problems.push(`${name}="${raw}": must be a whole number from ${min} to ${max}`);
    return n;
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

  const mail: MailTransportConfig = env.SMTP_HOST
    ? { kind: 'smtp', host: env.SMTP_HOST, port: int('SMTP_PORT', 587, 1, 65535), secure: bool('SMTP_SECURE', false), user: env.SMTP_USER || undefined, password: env.SMTP_PASSWORD || undefined }
    : { kind: 'outbox', dir: resolve(env.OUTBOX_DIR || join(dataDir, 'outbox')) };

  if (env.TEMPORAL_ADDRESS && !/^[^\s:/]+:\d{1,5}$/.test(env.TEMPORAL_ADDRESS)) {
    problems.push(`TEMPORAL_ADDRESS="${env.TEMPORAL_ADDRESS}": must be host:port, e.g. localhost:7233`);
  }
  if (env.LINK_SECRET !== undefined && env.LINK_SECRET.length < 32) problems.push('LINK_SECRET: must be at least 32 characters');
  if (problems.length) throw new ConfigError(problems);

  return {
    dataDir,
    database,
    port,
    publicBaseUrl,
    mail,
    temporal: { address: env.TEMPORAL_ADDRESS || undefined, namespace: env.TEMPORAL_NAMESPACE || 'default', taskQueue: env.TEMPORAL_TASK_QUEUE || 'arscykel' },
    linkSecret: env.LINK_SECRET || persistedSecret(dataDir),
  };
}

function persistedSecret(dataDir: string): string {
  const file = join(dataDir, 'link-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}
