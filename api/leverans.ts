// Delivery failures: mails refused for good (or a step whose retries ran out) and addresses the
// SMTP server refused. Each is a pending step for the official until someone marks it seen to, or
// corrects the address and has it sent again (when its workflow still has it as a step to run).
import { Router, type Request } from 'express';
import { deliveryRepair, resendDelivery, resolveDelivery } from '../services/obligations.js';
import { actor, allow } from './auth.js';
import { declare } from './declare.js';
import type { ApiDeps } from './deps.js';
import { asHttp } from './refusal.js';


export function deliveryRoutes(deps: ApiDeps): Router {
  const r = Router({ mergeParams: true });
  const route = declare('/api/v1/forbund/{forbund}').route;
  const fid = (req: Request) => req.auth!.forbundId;
  r.post('/deliveries/:id/resolve', allow('admin'), async (req, res) => {
    res.json(await asHttp(resolveDelivery(deps, { forbundId: req.auth!.forbundId, id: String(req.params.id), actor: actor(req) })));
  });

  route(
    r,
    {
      method: 'get',
      path: '/deliveries/:id',
      summary: "a delivery failure: which workflow sent it (owner), whether it can be sent again (resendable; why not, when not: its step was passed or superseded, or its process does not go back), and the addresses that failed with the förbund's people they belong to",
      roles: ['admin', 'secretary'],
      params: { id: 'notification id' },
      response: { example: { id: '3e1a…', key: 'report:9b1d…:2037-10-15:reminder-14', status: 'failed', owner: { kind: 'reporting', projectId: '5c2e…' }, resendable: true, recipients: [{ email: 'asa@kumla.example', people: [{ id: '77b0…', key: 'co-a', name: 'Åsa Kvartal' }] }] } },
    },
    async (req, res) => {
      const x = await asHttp(deliveryRepair(deps, { forbundId: fid(req), id: String(req.params.id) }));
      res.json({ ...x, why: x.why?.en });
    },
  );

  route<{ recipient?: string; email?: string }>(
    r,
    {
      method: 'post',
      path: '/deliveries/:id/resend',
      summary:
        "send a failed mail again: when email is given, the failed address (recipient, needed only when several failed) is corrected to it on the förbund's person it belongs to (audited); the failure is removed (kept in the audit event delivery.resent) so the mailer can claim its key again, and the workflow that sent it is told to re-plan and runs the step again. 409 when its step would not run again (passed, superseded by a later reminder, or a board meeting's process that does not go back): mark it seen to instead",
      roles: ['admin'],
      params: { id: 'notification id' },
      body: {
        schema: { type: 'object', additionalProperties: false, properties: { recipient: { type: 'string', maxLength: 254 }, email: { type: 'string', maxLength: 254 } } },
        example: { recipient: 'asa@kumla.exmaple', email: 'asa@kumla.example' },
      },
      response: { example: { id: '3e1a…', key: 'report:9b1d…:2037-10-15:reminder-14', corrected: { from: 'asa@kumla.exmaple', to: 'asa@kumla.example', people: ['Åsa Kvartal'] }, workflowNotified: true } },
    },
    async (req, res) => {
      res.json(await asHttp(resendDelivery(deps, { forbundId: fid(req), id: String(req.params.id), recipient: req.valid.recipient, email: req.valid.email, actor: actor(req) })));
    },
  );
  return r;
}
