// Delivery failures: mails refused for good (or a step whose retries ran out) and addresses the
// SMTP server refused. Each is a pending step for the official until someone marks it seen to.
import { Router } from 'express';
import { toStockholmDate } from '../domain/dates.js';
import { pendingStep, type PendingStep } from '../domain/pending.js';
import { resolveDelivery } from '../services/obligations.js';
import { officialOf } from '../services/people.js';
import { actor, allow } from './auth.js';
import type { ApiDeps } from './deps.js';
import { asHttp } from './refusal.js';

export async function deliveryPendingSteps(deps: ApiDeps, forbund: { id: string; slug: string }, today: string): Promise<PendingStep[]> {
  const rows = await deps.prisma.notification.findMany({
    where: { forbundId: forbund.id, resolvedAt: null, OR: [{ status: 'failed' }, { status: 'sent', rejected: { isEmpty: false } }] },
    orderBy: { claimedAt: 'asc' },
    take: 500,
  });
  if (!rows.length) return [];
  const official = await officialOf(deps.prisma, forbund.id);
  return rows.map((n) =>
    pendingStep(
      {
        type: 'delivery',
        id: n.id,
        title:
          n.status === 'failed'
            ? `Not delivered: "${n.subject}" to ${n.recipients.join(', ') || 'nobody'} (${n.error ?? 'refused'})`
            : `Refused by the mail server for ${n.rejected.join(', ')}: "${n.subject}"`,
        waitingOn: { role: 'official', name: official?.name ?? null, email: official?.email ?? null },
        dueDate: toStockholmDate(n.claimedAt),
        escalated: false,
        links: { resolve: `/api/v1/forbund/${forbund.slug}/deliveries/${n.id}/resolve` },
      },
      today,
    ),
  );
}

export function deliveryRoutes(deps: ApiDeps): Router {
  const r = Router({ mergeParams: true });
  r.post('/deliveries/:id/resolve', allow('admin'), async (req, res) => {
    res.json(await asHttp(resolveDelivery(deps, { forbundId: req.auth!.forbundId, id: String(req.params.id), actor: actor(req) })));
  });
  return r;
}
