// What the routes are given: one declaration, shared by the app and every route module.
import type { Mailer } from '../activities/mail.js';
import type { PrismaClient } from '../prisma/db.js';
import type { DocumentStore } from '../services/document-store.js';
import type { DataVersions, ReadCache } from '../services/read-cache.js';
import type { WorkflowNotifier } from '../services/notifier.js';
import type { OidcConfig } from '../services/oidc.js';
import type { AfterAnswer } from './after-answer.js';
import type { GuardOptions } from './guards.js';

/** What /health/ready reports of the things the process depends on. */
export interface Readiness {
  temporal: { status: 'ok' | 'connecting' | 'unavailable'; address?: string; detail?: string };
}

export interface ApiDeps {
  prisma: PrismaClient;
  notifier: WorkflowNotifier;
  publicBaseUrl: string;
  linkSecret: string;
  now: () => Date;
  /** The förbund's data versions: given by the process that listens for them, else asked per read. */
  versions?: DataVersions;
  /** What reads keep ready per förbund and data version (made by createApp). */
  reads: ReadCache;
  /** The state of Temporal and the worker, for /health/ready (absent: not run by this process). */
  readiness?: () => Promise<Readiness>;
  /** Limits of the guards (api/guards.ts); defaults suit one server. */
  guards?: Partial<GuardOptions>;
  /** Reverse proxies in front (express `trust proxy`), so limits count clients, not the proxy. */
  trustProxy?: number;
  /** Sends the sign-in links and renewed secret links (the worker's mailer, from the same configuration); without one no link is sent. */
  mailer?: Pick<Mailer, 'send'>;
  /** Signing in to the pages with the deployment's OpenID Connect provider too (OIDC_*); without it only by e-mail link. */
  oidc?: OidcConfig;
  /** Work routes go on with after their answer, which a stop waits for (made by createApp when not given). */
  afterAnswer: AfterAnswer;
  /** Where the handlingar's bytes are kept (services/document-store.ts); default the database (Document.content). */
  documents?: DocumentStore;
}
