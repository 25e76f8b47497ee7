// "Läget vid start" in the admin API: what was open when the förbund began using Årscykel (not
// overdue work, not pending steps; domain/startlage.ts), and settling a set of it in bulk —
// handled outside Årscykel, a new due date, still wanted (services/startlage.ts, as the start
// page does it).
import { Router, type Request } from 'express';
import type { StartAction } from '../domain/startlage.js';
import { settleStartItems, startList } from '../services/startlage.js';
import { actor } from './auth.js';
import { declare } from './declare.js';
import type { ApiDeps } from './deps.js';
import { asHttp } from './refusal.js';

interface SettleBody {
  items: { type: 'report' | 'milestone'; id: string }[];
  action: StartAction;
  dueDate?: string;
}

const ITEM_EXAMPLE = {
  type: 'report',
  id: '9b1d…',
  title: 'Kvartalsrapport 1 april–30 juni 2037',
  dueDate: '2037-07-15',
  plannedFrom: '2037-09-14',
  project: { id: '5c2e…', key: 'kvartal', name: 'Kvartalet' },
  report: { kind: 'quarterly', periodStart: '2037-04-01', periodEnd: '2037-06-30' },
};

export function startRoutes(deps: ApiDeps): Router {
  const r = Router({ mergeParams: true });
  const route = declare('/api/v1/forbund/{forbund}').route;
  const fid = (req: Request) => req.auth!.forbundId;

  route(
    r,
    {
      method: 'get',
      path: '/start-items',
      summary:
        "\"Läget vid start\": the reports and milestones still open whose due date lies before the day Årscykel acts on them from (the förbund's go-live, or the day a report was added if later) and that the official has not settled. They are not overdue and not pending steps; nobody was reminded of them. data lists them (reports with their project and period, milestones with kind and year), goLiveOn is the förbund's go-live",
      roles: ['admin', 'secretary'],
      response: { example: { goLiveOn: '2037-09-14', data: [ITEM_EXAMPLE, { type: 'milestone', id: '7a4f…', title: 'Budgetdialog med medlemmarna', dueDate: '2037-05-29', plannedFrom: '2037-09-14', milestone: { kind: 'budgetDialogue', year: 2037, owner: 'official' } }] } },
    },
    async (req, res) => {
      const { goLiveOn, items } = await startList(deps.prisma, fid(req));
      res.json({ goLiveOn, data: items });
    },
  );

  route<SettleBody>(
    r,
    {
      method: 'post',
      path: '/start-items/settle',
      summary:
        'settle items of "Läget vid start" in one transaction (audited per item, the workflows told): action handled (handled outside Årscykel: a report gets status handled, a milestone is done), redate (dueDate becomes the due date: today or later, for a report not before its period ends), wanted (still wanted: kept open, a pending step that waits and is never overdue). 400 names the field (an unknown id, a missing or wrong dueDate), 409 an item no longer on the list; nothing is changed then',
      roles: ['admin'],
      body: {
        schema: {
          type: 'object',
          additionalProperties: false,
          required: ['items', 'action'],
          properties: {
            items: {
              type: 'array',
              minItems: 1,
              maxItems: 1000,
              items: { type: 'object', additionalProperties: false, required: ['type', 'id'], properties: { type: { enum: ['report', 'milestone'] }, id: { type: 'string', minLength: 1, maxLength: 100 } } },
            },
            action: { enum: ['handled', 'redate', 'wanted'] },
            dueDate: { type: 'string', description: 'YYYY-MM-DD; required with action redate, not allowed otherwise' },
          },
        },
        example: { items: [{ type: 'report', id: '9b1d…' }, { type: 'milestone', id: '7a4f…' }], action: 'redate', dueDate: '2037-10-30' },
      },
      response: { example: { action: 'redate', settled: [{ type: 'report', id: '9b1d…', title: 'Kvartalsrapport 1 april–30 juni 2037 från Kvartalet', dueDate: '2037-10-30' }], workflowNotified: true } },
    },
    async (req, res) => {
      res.json(await asHttp(settleStartItems(deps, { forbundId: fid(req), items: req.valid.items, action: req.valid.action, dueDate: req.valid.dueDate, actor: actor(req) })));
    },
  );

  return r;
}
