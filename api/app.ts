// The HTTP API: JSON everywhere, bearer tokens with roles, errors naming the field at fault.
import express from 'express';
import type { PendingStep } from '../domain/pending.js';
import type { PrismaClient } from '../prisma/db.js';
import type { WorkflowNotifier } from '../worker/client.js';
import { authenticate } from './auth.js';
import { errorHandler, HttpError } from './errors.js';
import { openApiDocument } from './openapi.js';
import { cyclePendingSteps, cycleRoutes } from './kalendarium.js';
import { reportingRoutes, reportPendingSteps } from './rapportering.js';

export interface ApiDeps {
  prisma: PrismaClient;
  notifier: WorkflowNotifier;
  publicBaseUrl: string;
  linkSecret: string;
  now: () => Date;
  /** Where pending steps come from: reports, and the cycle's steps. */
  pendingSources: ((deps: ApiDeps, forbund: { id: string; slug: string }, today: string) => Promise<PendingStep[]>)[];
}

export function createApp(input: Omit<ApiDeps, 'now' | 'pendingSources'> & Partial<Pick<ApiDeps, 'now'>>) {
  const deps: ApiDeps = { now: () => new Date(), ...input, pendingSources: [reportPendingSteps, cyclePendingSteps] };
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(express.json({ limit: '200kb' }));

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/api/v1/openapi.json', (_req, res) => {
    res.json(openApiDocument(deps.publicBaseUrl));
  });

  const reporting = reportingRoutes(deps);
  const cycle = cycleRoutes(deps);
  app.use(reporting.public);
  app.use(cycle.public);

  const forbund = express.Router({ mergeParams: true });
  forbund.use(authenticate(deps.prisma));
  forbund.use(reporting.forbund);
  forbund.use(cycle.forbund);
  app.use('/api/v1/forbund/:forbund', forbund);

  app.use((req, _res, next) => next(new HttpError(404, `no route ${req.method} ${req.path}`)));
  app.use(errorHandler);
  return app;
}
