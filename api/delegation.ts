// Delegation decisions in the API: the official records the decisions taken under the board's
// delegationsordning; they reach the next board meeting as the item "Anmälan av delegationsbeslut"
// (services/delegation.ts). Once the kallelse has reported one it can no longer be changed (409).
import { Router, type Request } from 'express';
import type { DelegationInput } from '../domain/delegation.js';
import { correctDelegationDecision, delegationDecision, listDelegationDecisions, recordDelegationDecision, removeDelegationDecision } from '../services/delegation.js';
import { actor } from './auth.js';
import { declare, type JsonSchema } from './declare.js';
import type { ApiDeps } from './deps.js';
import { asHttp } from './refusal.js';

const FIELDS: Record<string, JsonSchema> = {
  decidedOn: { type: 'string', maxLength: 10, description: 'the day it was decided, YYYY-MM-DD, not in the future' },
  delegationPoint: { type: 'string', maxLength: 200, description: 'the point of the delegationsordning it was taken under, e.g. 3.2 (one line)' },
  subject: { type: 'string', maxLength: 200, description: 'what it concerns, e.g. Attest av fakturor (one line)' },
  decision: { type: 'string', maxLength: 5000, description: 'what was decided, as the board is told' },
};

const EXAMPLE = {
  id: '0c5e…',
  decidedOn: '2027-02-03',
  decider: { name: 'Olga Tjänsteman', title: 'förbundschef' },
  delegationPoint: '3.2',
  subject: 'Attest av fakturor',
  decision: 'Fakturorna från Kumla kommun för januari attesteras.',
  matterId: null,
  recordedBy: 'person:8d1f… Olga Tjänsteman (admin)',
  recordedAt: '2027-02-03T09:12:00.000Z',
  reported: { agendaItemId: '41aa…', itemNumber: 6, meetingId: '6f1c…', meetingTitle: 'Styrelsemöte', meetingDate: '2027-02-25' },
};

export function delegationRoutes(deps: ApiDeps): Router {
  const r = Router({ mergeParams: true });
  const route = declare('/api/v1/forbund/{forbund}').route;
  const fid = (req: Request) => req.auth!.forbundId;
  const id = (req: Request) => String(req.params.id);

  route(
    r,
    {
      method: 'get',
      path: '/delegation-decisions',
      summary:
        'the decisions taken under delegation, newest decided first; each with the board meeting and item ("Anmälan av delegationsbeslut") that reported it, null while not yet reported. A decision is reported to the first board meeting whose agenda closes on or after the day it was decided, fixed when that kallelse goes out',
      roles: ['admin', 'secretary'],
      response: { example: { data: [EXAMPLE] } },
    },
    async (req, res) => {
      res.json({ data: await listDelegationDecisions(deps.prisma, fid(req)) });
    },
  );

  route(r, { method: 'get', path: '/delegation-decisions/:id', summary: 'one decision taken under delegation', roles: ['admin', 'secretary'], params: { id: 'delegation decision id' }, response: { example: EXAMPLE } }, async (req, res) => {
    res.json(await asHttp(delegationDecision(deps.prisma, fid(req), id(req))));
  });

  route<DelegationInput>(
    r,
    {
      method: 'post',
      path: '/delegation-decisions',
      summary:
        "record a decision taken under delegation (audited delegation.recorded); the one who decided is the signed-in person (a token without a person: the förbund's official), by name and Swedish title. 400 names the field (a missing or future decidedOn, a text too long, not one line, or with a personnummer)",
      roles: ['admin'],
      body: { schema: { type: 'object', additionalProperties: false, required: ['decidedOn', 'delegationPoint', 'subject', 'decision'], properties: FIELDS }, example: { decidedOn: '2027-02-03', delegationPoint: '3.2', subject: 'Attest av fakturor', decision: 'Fakturorna från Kumla kommun för januari attesteras.' } },
      response: { status: 201, example: { ...EXAMPLE, reported: null } },
    },
    async (req, res) => {
      res.status(201).json(await asHttp(recordDelegationDecision(deps, { forbundId: fid(req), personId: req.auth!.personId, actor: actor(req), input: req.valid })));
    },
  );

  route<DelegationInput>(
    r,
    {
      method: 'patch',
      path: '/delegation-decisions/:id',
      summary: 'correct a decision not yet reported to the board (the fields sent; audited delegation.corrected). 409 once the kallelse has reported it, naming the meeting',
      roles: ['admin'],
      params: { id: 'delegation decision id' },
      body: { schema: { type: 'object', additionalProperties: false, minProperties: 1, properties: FIELDS }, example: { decision: 'Fakturorna från Kumla kommun för januari och februari attesteras.' } },
      response: { example: { ...EXAMPLE, reported: null } },
    },
    async (req, res) => {
      res.json(await asHttp(correctDelegationDecision(deps, { forbundId: fid(req), id: id(req), actor: actor(req), input: req.valid })));
    },
  );

  route(
    r,
    {
      method: 'delete',
      path: '/delegation-decisions/:id',
      summary: 'remove a decision not yet reported to the board (recorded by mistake; audited delegation.removed). 409 once the kallelse has reported it, naming the meeting',
      roles: ['admin'],
      params: { id: 'delegation decision id' },
      response: { example: { removed: { ...EXAMPLE, reported: null } } },
    },
    async (req, res) => {
      res.json({ removed: await asHttp(removeDelegationDecision(deps, { forbundId: fid(req), id: id(req), actor: actor(req) })) });
    },
  );

  return r;
}
