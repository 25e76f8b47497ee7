// Renewing secret links through the API, one at a time (services/lankar.ts does the work): a
// report's submission link (mailed to the coordinator), one person's "can't come" link to a board
// meeting (mailed to them), the justering link of the ordförande or a justerare (mailed to them),
// a förbund's calendar feed and a project's feed (the new address in the
// answer). A renewed link's earlier address stops working at once: the pages behind it say so.
import { Router, type Request, type Response } from 'express';
import { meetingContact, renewDeclineLink, renewFeed, renewSignLink, renewProjectFeed, renewSubmissionLink, projectFeedUrl, FEED_BODIES } from '../services/lankar.js';
import { replacedLinkPage } from './pages/lank.js';
import { actor } from './auth.js';
import { declare } from './declare.js';
import type { ApiDeps } from './deps.js';
import { HttpError } from './errors.js';
import { answerHoldsSecret } from './idempotency.js';
import { asHttp } from './refusal.js';

/** The page of a renewed meeting link (förhinder or justering): nothing of the meeting, only whom to ask; undefined when the meeting is gone. */
export async function replacedMeetingLinkPage(prisma: ApiDeps['prisma'], meetingId: string, what: 'sammanträdet' | 'protokollet'): Promise<string | undefined> {
  const m = await prisma.meeting.findUnique({ where: { id: meetingId }, select: { forbund: { select: { id: true, name: true, email: true } } } });
  return m ? replacedLinkPage({ forbundName: m.forbund.name, ask: await meetingContact(prisma, m.forbund), what }) : undefined;
}

const MAILED_SCHEMA = {
  type: 'object',
  properties: {
    generation: { type: 'integer', description: 'the link\'s generation now (1 after the first renewal)' },
    mailedTo: { type: 'object', properties: { name: { type: 'string' }, email: { type: 'string' } } },
    mail: { type: 'string', enum: ['sent', 'already', 'failed', 'not-sent'], description: 'how the mail with the new link went; failed: see the delivery failures; not-sent: this process has no mailer (a test or tool)' },
  },
};

export function linkRoutes(deps: ApiDeps): Router {
  const { prisma } = deps;
  const r = Router({ mergeParams: true });
  const route = declare('/api/v1/forbund/{forbund}').route;
  const fid = (req: Request) => req.auth!.forbundId;

  route(
    r,
    {
      method: 'post',
      path: '/obligations/:id/link/renew',
      summary:
        "renew one report's submission link and mail the new link to the project's coordinator (\"Ny länk till rapporten …\"): the earlier link no longer opens the report (its page says it was replaced, and whom to ask). Audited (link.renewed). 409 for a withdrawn project or a report whose link has expired",
      roles: ['admin'],
      params: { id: 'report obligation id' },
      response: { schema: MAILED_SCHEMA, example: { obligationId: '2b1e…', generation: 1, mailedTo: { name: 'Anna Samordnare', email: 'anna@kumla.example' }, mail: 'sent' } },
    },
    async (req, res) => {
      const x = await asHttp(renewSubmissionLink(deps, { forbundId: fid(req), obligationId: String(req.params.id), by: actor(req) }));
      res.json({ obligationId: String(req.params.id), generation: x.generation, mailedTo: x.to, mail: x.mailed });
    },
  );

  route(
    r,
    {
      method: 'post',
      path: '/meetings/:id/attendance/:personId/link/renew',
      summary:
        "renew one called person's \"can't come\" (förhinder) link to a board meeting and mail them the new link: the earlier link no longer acts. Only before the meeting begins (409 after, or when the meeting is cancelled or the person is no longer called); 404 for one not called to it. Audited (link.renewed)",
      roles: ['admin', 'secretary'],
      params: { id: 'meeting id', personId: 'person id of the one called' },
      response: { schema: MAILED_SCHEMA, example: { meetingId: '6f0c…', personId: '91ad…', generation: 1, mailedTo: { name: 'Karin Kommun', email: 'karin@kumla.example' }, mail: 'sent' } },
    },
    async (req, res) => {
      const x = await asHttp(renewDeclineLink(deps, { forbundId: fid(req), meetingId: String(req.params.id), personId: String(req.params.personId), by: actor(req) }));
      res.json({ meetingId: String(req.params.id), personId: String(req.params.personId), generation: x.generation, mailedTo: x.to, mail: x.mailed });
    },
  );

  route(
    r,
    {
      method: 'post',
      path: '/meetings/:id/signers/:personId/link/renew',
      summary:
        "renew the justering link of the ordförande or a justerare (their personal link to read and sign the protokoll) and mail them the new link (\"Ny länk för justering av protokollet …\"): the earlier link no longer opens the protokoll (its page says it was replaced, and whom to ask). Only while the minutes are out for justering and the person has not signed (409 before the minutes are sent, once justerat, once the person has signed, or when the meeting is cancelled, naming why); 404 for one who does not sign the protokoll. Audited (link.renewed)",
      roles: ['admin', 'secretary'],
      params: { id: 'meeting id', personId: 'person id of the ordförande or a justerare' },
      response: { schema: MAILED_SCHEMA, example: { meetingId: '6f0c…', personId: '91ad…', generation: 1, mailedTo: { name: 'Bertil Ledamot', email: 'bertil@kumla.example' }, mail: 'sent' } },
    },
    async (req, res) => {
      const x = await asHttp(renewSignLink(deps, { forbundId: fid(req), meetingId: String(req.params.id), personId: String(req.params.personId), by: actor(req) }));
      res.json({ meetingId: String(req.params.id), personId: String(req.params.personId), generation: x.generation, mailedTo: x.to, mail: x.mailed });
    },
  );

  route(
    r,
    {
      method: 'post',
      path: '/feeds/:body/renew',
      summary: `renew the förbund's calendar feed of one body (${FEED_BODIES.join(', ')}): the answer has the new address; calendars subscribed to the old one stop updating (it answers 403) and must subscribe again. Audited (link.renewed)`,
      roles: ['admin'],
      params: { body: FEED_BODIES.join(', ') },
      response: { example: { body: 'styrelse', generation: 1, url: 'https://arscykel.example/feeds/sydnarke/styrelse.ics?token=…' } },
    },
    async (req, res) => {
      const renewed = await asHttp(renewFeed(deps, { forbundId: fid(req), body: String(req.params.body), by: actor(req) }));
      answerHoldsSecret(res);
      res.json(renewed);
    },
  );

  route(
    r,
    {
      method: 'post',
      path: '/projects/:id/feed/renew',
      summary: "renew a project's calendar feed of its report due dates (the coordinator's): the answer has the new address; the old one answers 403 from now on. The project by its id or its key. Audited (link.renewed)",
      roles: ['admin'],
      params: { id: 'project id or key' },
      response: { example: { projectId: '3c2d…', generation: 1, url: 'https://arscykel.example/feeds/projects/3c2d…/reports.ics?token=…' } },
    },
    async (req, res: Response) => {
      const key = String(req.params.id);
      const p = await prisma.project.findFirst({ where: { forbundId: fid(req), OR: [{ id: key }, { key }] }, select: { id: true } });
      if (!p) throw new HttpError(404, `project "${key}" not found`);
      const generation = await asHttp(renewProjectFeed(prisma, { forbundId: fid(req), projectId: p.id, by: actor(req), now: deps.now() }));
      answerHoldsSecret(res);
      res.json({ projectId: p.id, generation, url: projectFeedUrl(deps, p.id, generation) });
    },
  );

  return r;
}
