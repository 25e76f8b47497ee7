import type { PrismaClient } from '../prisma/db.js';
import type { Mailer } from './mail.js';
import type { WorkflowNotifier } from '../services/notifier.js';
import type { DocumentStore } from '../services/document-store.js';

/** What activities are given: the database, the mailer and the link settings. */
export interface ActivityDeps {
  prisma: PrismaClient;
  mailer: Mailer;
  /** Base URL of the API, for links in e-mails. */
  publicBaseUrl: string;
  /** Secret behind submission and feed tokens. */
  linkSecret: string;
  /** The Temporal namespace has Årscykel's search attributes registered (see worker/visibility.ts). */
  searchAttributes: boolean;
  /** Tells a matter's workflow (started if missing) that the matter was registered, placed, moved or decided. */
  notifier?: Pick<WorkflowNotifier, 'matterChanged' | 'statutoryChanged' | 'reportingChanged'>;
  /** Where the handlingar's bytes are (the database unless configured): the årsredovisning goes to the members with them. */
  documents?: DocumentStore;
}
