// Projects (insatser) without a file: create one and change it, the official only. Declared once
// (api/declare.ts): the body's schema is checked with ajv and both routes are written into the
// OpenAPI document with an example. The rules and the planning of the reports are the service's
// (services/projekt.ts); the answer is the project as GET projects/:key gives it, with what
// happened to its reports and whether its workflow was told.
import { Router, type Request } from 'express';
import { toStockholmDate } from '../domain/dates.js';
import { PURPOSE_MAX } from '../domain/forbund-file.js';
import { REPORT_KINDS } from '../domain/rapportering.js';
import { createProject, recordConditionMet, updateProject, type ProjectInput, type ProjectResult } from '../services/projekt.js';
import { actor } from './auth.js';
import { declare, type JsonSchema } from './declare.js';
import type { ApiDeps } from './deps.js';
import { asHttp } from './refusal.js';
import { projectJson } from './rapportering.js';
import { grantDecisionsOf } from '../services/beviljning.js';

const date: JsonSchema = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' };
const properties: Record<string, JsonSchema> = {
  key: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 64, description: "the project's key within the förbund (a-z, 0-9, hyphens), as in the förbund file; its identity: it cannot be changed" },
  name: { type: 'string', minLength: 1, maxLength: 200 },
  dnr: { type: ['string', 'null'], maxLength: 40, description: 'diarienummer of the decision, e.g. 2026-00012' },
  huvudman: { type: ['string', 'null'], maxLength: 200, description: 'owner organisation (projektägare)' },
  purpose: { type: ['string', 'null'], maxLength: PURPOSE_MAX, description: "what the project is for, as the public reads it on the project's page (/forbund/{slug}/insatser/{key}): free text, paragraphs separated by blank lines; null or '' clears it" },
  coordinator: {
    type: 'object',
    additionalProperties: false,
    properties: { key: { type: 'string', maxLength: 64 }, name: { type: 'string', maxLength: 200 }, email: { type: 'string', maxLength: 254 } },
    description: 'who reports for the project: { key } of a person of the förbund, or { name, email } of a new person (made with role coordinator, a key from the name)',
  },
  start: { ...date, description: 'first day of the project period, YYYY-MM-DD' },
  end: { ...date, description: 'last day of the project period, YYYY-MM-DD; not before start, at most 10 years after it' },
  grants: {
    type: 'object',
    propertyNames: { pattern: '^[0-9]{4}$' },
    // The amounts are checked by the service, so a wrong one is named as grants.<year> like the rest.
    additionalProperties: { description: 'whole kronor, 0 to 1000000000' },
    description: 'ceiling in whole kronor per budget year, e.g. { "2026": 1210000 }; no year after the year the project ends',
  },
  goals: { type: 'array', maxItems: 50, items: { type: 'string', minLength: 1, maxLength: 2000 }, description: "the project's goals, one per item" },
  reports: { type: 'array', uniqueItems: true, items: { type: 'string', enum: [...REPORT_KINDS] }, description: "the report kinds the project owes, each one the förbund's reporting policy has; [] = none. Default on create: every kind of the policy" },
};

const CREATE_EXAMPLE = {
  key: 'steg-framat',
  name: 'Steg framåt',
  dnr: '2026-00012',
  huvudman: 'Kumla kommun',
  purpose: 'Steg framåt ger unga vuxna i Kumla som står långt från arbetsmarknaden samordnat stöd på vägen till arbete eller studier.',
  coordinator: { name: 'Omar Berglund', email: 'omar.berglund@kumla.example' },
  start: '2026-09-01',
  end: '2027-12-31',
  grants: { '2026': 400000, '2027': 1210000 },
  goals: ['40 % av deltagarna ska gå vidare till arbete eller studier.', 'Minst 30 deltagare per år.'],
  reports: ['quarterly', 'final'],
};

const PROJECT_EXAMPLE = {
  id: '3f0c…',
  key: 'steg-framat',
  name: 'Steg framåt',
  dnr: '2026-00012',
  huvudman: 'Kumla kommun',
  coordinator: { name: 'Omar Berglund', email: 'omar.berglund@kumla.example' },
  period: { start: '2026-09-01', end: '2027-12-31' },
  grants: { '2026': 400000, '2027': 1210000 },
  goals: ['40 % av deltagarna ska gå vidare till arbete eller studier.', 'Minst 30 deltagare per år.'],
  status: 'active',
  grantDecisions: [],
  startCondition: null,
  purpose: 'Steg framåt ger unga vuxna i Kumla som står långt från arbetsmarknaden samordnat stöd på vägen till arbete eller studier.',
  obligations: [{ id: '9b1d…', kind: 'quarterly', periodStart: '2026-09-01', periodEnd: '2026-09-30', dueDate: '2026-10-15', status: 'open', overdue: false, submissions: [] }],
  changes: { added: [{ id: '9b1d…', kind: 'quarterly', periodStart: '2026-09-01', periodEnd: '2026-09-30', dueDate: '2026-10-15' }], withdrawn: [], reopened: [], redated: [], kept: [] },
  workflowNotified: true,
};

export function projectRoutes(deps: ApiDeps): Router {
  const { prisma } = deps;
  const r = Router({ mergeParams: true });
  const route = declare('/api/v1/forbund/{forbund}').route;
  const fid = (req: Request) => req.auth!.forbundId;

  /** The project as GET projects/:key answers (api/rapportering.ts), with what the change did. */
  async function answer(forbundId: string, x: Pick<ProjectResult, 'project' | 'changes' | 'workflowNotified'>) {
    const p = await prisma.project.findUniqueOrThrow({
      where: { id: x.project.id },
      include: { coordinator: true, obligations: { orderBy: { dueDate: 'asc' }, include: { submissions: { select: { id: true, submittedAt: true, late: true } } } } },
    });
    if (p.forbundId !== forbundId) throw new Error('project of another förbund');
    return {
      ...projectJson(p, toStockholmDate(deps.now()), (await grantDecisionsOf(prisma, forbundId, [p.id])).get(p.id)),
      changes: x.changes,
      workflowNotified: x.workflowNotified,
    };
  }

  route<ProjectInput>(
    r,
    {
      method: 'post',
      path: '/projects',
      summary: "create a project without the förbund file: its reports are planned from the förbund's reporting policy and its workflow is started (audited). The answer is the project as GET projects/:key gives it, with changes (the reports planned) and workflowNotified",
      roles: ['admin'],
      body: { schema: { type: 'object', additionalProperties: false, required: ['key', 'name', 'coordinator', 'start', 'end'], properties }, example: CREATE_EXAMPLE },
      response: { status: 201, example: PROJECT_EXAMPLE },
    },
    async (req, res) => {
      const x = await asHttp(createProject(deps, { forbundId: fid(req), input: req.valid, actor: actor(req) }));
      res.status(201).location(`/api/v1/forbund/${req.auth!.forbundSlug}/projects/${encodeURIComponent(x.project.key)}`).json(await answer(fid(req), x));
    },
  );

  route<ProjectInput>(
    r,
    {
      method: 'patch',
      path: '/projects/:key',
      summary: "change a project: the fields sent replace the stored ones (the key cannot change; a withdrawn project is 409). Its reports are planned again: an end moved earlier withdraws the open reports no longer owed (submitted ones are kept), a due date moved through the API is kept; the workflow is told (audited). The answer as for POST projects, with changed (false: nothing differed, nothing written)",
      roles: ['admin'],
      params: { key: 'project key' },
      body: { schema: { type: 'object', additionalProperties: false, minProperties: 1, properties }, example: { end: '2027-06-30', grants: { '2026': 400000, '2027': 600000 } } },
      response: { example: { ...PROJECT_EXAMPLE, changed: true, changes: { added: [{ id: '5c2e…', kind: 'final', periodStart: '2026-09-01', periodEnd: '2027-06-30', dueDate: '2027-08-30' }], withdrawn: [{ id: '7a4f…', kind: 'quarterly', periodStart: '2027-07-01', periodEnd: '2027-09-30', dueDate: '2027-10-15' }], reopened: [], redated: [], kept: [] } } },
    },
    async (req, res) => {
      const x = await asHttp(updateProject(deps, { forbundId: fid(req), key: String(req.params.key), input: req.valid, actor: actor(req) }));
      res.json({ ...(await answer(fid(req), x)), changed: x.changed });
    },
  );

  route<{ metOn: string; note?: string }>(
    r,
    {
      method: 'post',
      path: '/projects/:key/condition-met',
      summary:
        "record that a project's conditional start is met (the outside decision was made) on metOn: its reports are planned from that day as if the project started then (a period ending before it is not owed; the period it falls in is owed from it) and its workflow is told (audited project.condition_met). 400 naming metOn (not a date, in the future, after the project's end) or note; 409 when the project has no start condition, it is already met, or the project is withdrawn. The answer is the project as GET projects/:key gives it, with changes (the reports planned) and workflowNotified",
      roles: ['admin'],
      params: { key: 'project key' },
      body: {
        schema: {
          type: 'object',
          additionalProperties: false,
          required: ['metOn'],
          properties: {
            metOn: { type: 'string', maxLength: 40, description: 'the day the condition was met (the outside decision), YYYY-MM-DD; not in the future, not after the project ends' },
            note: { type: 'string', maxLength: 2000, description: 'optional: what was decided, e.g. Försäkringskassan beviljade projektmedel 2009-12-10' },
          },
        },
        example: { metOn: '2009-12-10', note: 'Försäkringskassan beviljade projektmedel.' },
      },
      response: { example: { ...PROJECT_EXAMPLE, startCondition: { condition: 'Försäkringskassan beviljar projektmedel', metOn: '2009-12-10', metBy: 'token:… official (admin)', text: 'Villkorad start: Försäkringskassan beviljar projektmedel — villkoret uppfyllt 10 december 2009' } } },
    },
    async (req, res) => {
      const x = await asHttp(recordConditionMet(deps, { forbundId: fid(req), key: String(req.params.key), metOn: req.valid.metOn, note: req.valid.note, actor: actor(req) }));
      res.json(await answer(fid(req), x));
    },
  );

  return r;
}
