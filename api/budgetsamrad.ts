// Medlemssamråd om budget in the API: the official starts the samråd on a budget year's proposal
// (every member gets it, by the årscykel workflow of the year it is sent in) and records each
// member's reply; the official, the secretary and the economist read where every member stands.
import { Router, type Request } from 'express';
import type { ReplyInput, StartInput } from '../domain/budgetsamrad.js';
import { consultationOf, recordReply, startConsultation } from '../services/budgetsamrad.js';
import { actor } from './auth.js';
import { declare, type JsonSchema } from './declare.js';
import type { ApiDeps } from './deps.js';
import { badRequest } from './errors.js';
import { asHttp } from './refusal.js';

export const SAMRAD_READERS = ['admin', 'secretary', 'economist'] as const;
export const SAMRAD_WRITERS = ['admin'] as const;

const MEMBER: JsonSchema = {
  type: 'object',
  properties: {
    memberKey: { type: 'string' },
    memberName: { type: 'string' },
    id: { type: 'string' },
    sentAt: { type: 'string', format: 'date-time' },
    replyBy: { type: 'string', format: 'date' },
    repliedOn: { type: ['string', 'null'], format: 'date' },
    reply: { type: ['string', 'null'] },
    recordedAt: { type: ['string', 'null'] },
    recordedBy: { type: ['string', 'null'] },
    reminders: { type: 'array', items: { type: 'string', enum: ['reminder', 'late'] }, description: 'reminders sent: before the reply date, and after it (late)' },
    state: { type: 'string', enum: ['replied', 'waiting', 'late'] },
    late: { type: 'boolean', description: 'no reply by the reply date, or a reply after it' },
  },
};
const VIEW: JsonSchema = {
  type: 'object',
  properties: {
    year: { type: 'integer', description: 'the budget year consulted on' },
    started: { type: 'boolean' },
    notConsulted: { type: 'array', items: { type: 'object', properties: { memberKey: { type: 'string' }, memberName: { type: 'string' } } } },
    members: { type: 'array', items: MEMBER },
  },
};
const EXAMPLE_MEMBER = {
  memberKey: 'kumla',
  memberName: 'Kumla kommun',
  id: '7d0e…',
  sentAt: '2026-04-06T07:12:00.000Z',
  replyBy: '2026-05-15',
  repliedOn: '2026-05-12',
  reply: 'Kumla kommun tillstyrker förslaget till budget 2027.',
  recordedAt: '2026-05-13T08:00:00.000Z',
  recordedBy: 'person:8d1f… Olga Tjänsteman (admin)',
  reminders: ['reminder'],
  state: 'replied',
  late: false,
};
const EXAMPLE = { year: 2027, started: true, notConsulted: [], members: [EXAMPLE_MEMBER, { ...EXAMPLE_MEMBER, memberKey: 'fk', memberName: 'Försäkringskassan', repliedOn: null, reply: null, recordedAt: null, recordedBy: null, reminders: ['reminder', 'late'], state: 'late', late: true }] };

const yearOf = (req: Request) => {
  const y = String(req.params.year);
  if (!/^\d{4}$/.test(y)) throw badRequest([{ field: 'year', problem: 'must be a year written with four digits' }]);
  return Number(y);
};

export function samradRoutes(deps: ApiDeps): Router {
  const r = Router({ mergeParams: true });
  const route = declare('/api/v1/forbund/{forbund}').route;
  const fid = (req: Request) => req.auth!.forbundId;

  route(
    r,
    {
      method: 'get',
      path: '/budget-consultations/:year',
      summary: "the samråd with the members on the budget of a year: per member consulted the day it was sent, the day to reply by, the reply recorded (the day and what it said), the reminders sent, and whether it is late (no reply by the reply date, or one after it); the members not consulted",
      roles: [...SAMRAD_READERS],
      params: { year: 'the budget year consulted on, e.g. 2027' },
      response: { schema: VIEW, example: EXAMPLE },
    },
    async (req, res) => {
      res.json(await consultationOf(deps.prisma, fid(req), yearOf(req), deps.now()));
    },
  );

  route<StartInput>(
    r,
    {
      method: 'post',
      path: '/budget-consultations/:year',
      summary:
        "start the samråd on the budget of a year (this year or the next three): every member not yet consulted gets a row, sent now, with the reply date; the year's årscykel workflow mails the proposal to each member (its registrator, else its ledamöter in the styrelse), reminds those without a reply 7 days before the reply date and on the first working day after it. Audited budget-consultation.started. 400 names the field (replyBy missing, not a date or before today; message over 5000 characters); 409 when every member is consulted already",
      roles: [...SAMRAD_WRITERS],
      params: { year: 'the budget year consulted on, e.g. 2027' },
      body: {
        schema: {
          type: 'object',
          additionalProperties: false,
          required: ['replyBy'],
          properties: {
            replyBy: { type: 'string', maxLength: 10, description: 'the day the members reply by, YYYY-MM-DD, not before today' },
            message: { type: 'string', maxLength: 5000, description: 'a message to the members with the proposal (several lines)' },
          },
        },
        example: { replyBy: '2026-05-15', message: 'Förslaget bygger på oförändrade medlemsbidrag.' },
      },
      response: { status: 201, schema: VIEW, example: { ...EXAMPLE, members: EXAMPLE.members.map((m) => ({ ...m, repliedOn: null, reply: null, recordedAt: null, recordedBy: null, reminders: [], state: 'waiting', late: false })) } },
    },
    async (req, res) => {
      const { workflowNotified, ...view } = await asHttp(startConsultation(deps, fid(req), yearOf(req), req.valid, actor(req), deps.now()));
      res.status(201).json({ ...view, workflowNotified });
    },
  );

  route<ReplyInput>(
    r,
    {
      method: 'put',
      path: '/budget-consultations/:year/members/:memberKey',
      summary:
        "record a member's reply to the samråd: the day it came and what it said. Recorded again, the reply is replaced (a correction; audited budget-consultation.reply-corrected with the earlier reply), the first time audited budget-consultation.reply-recorded; its reminders stop. 400 names the field (repliedOn missing, not a date or in the future; reply empty or over 5000 characters); 404 for a member not consulted for the year",
      roles: [...SAMRAD_WRITERS],
      params: { year: 'the budget year consulted on, e.g. 2027', memberKey: "the member's id in the förbund file, e.g. kumla" },
      body: {
        schema: {
          type: 'object',
          additionalProperties: false,
          required: ['repliedOn', 'reply'],
          properties: {
            repliedOn: { type: 'string', maxLength: 10, description: 'the day the member replied, YYYY-MM-DD, not in the future' },
            reply: { type: 'string', maxLength: 5000, description: 'what the member replied (1–5000 characters, several lines)' },
          },
        },
        example: { repliedOn: '2026-05-12', reply: 'Kumla kommun tillstyrker förslaget till budget 2027.' },
      },
      response: { schema: MEMBER, example: EXAMPLE_MEMBER },
    },
    async (req, res) => {
      const { workflowNotified, ...view } = await asHttp(recordReply(deps, fid(req), yearOf(req), String(req.params.memberKey), req.valid, actor(req), deps.now()));
      res.json({ ...view, workflowNotified });
    },
  );

  return r;
}
