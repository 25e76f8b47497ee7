// The OpenAPI 3.1 description of the API. A test checks it against the routes express serves.
// Routes declared with api/declare.ts write their own paths; the older ones are described here.
import { declaredPaths, IDEMPOTENCY_PARAMETER } from './declare.js';
const error = { $ref: '#/components/responses/Error' };
const json = (schema: object = { type: 'object' }) => ({ content: { 'application/json': { schema } } });
const forbundParam = { name: 'forbund', in: 'path', required: true, schema: { type: 'string' }, description: 'slug of the förbund, e.g. sydnarke' };
const pageParams = [
  { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1, default: 1 } },
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
];
const SPLIT = { type: 'object', additionalProperties: false, properties: { women: { type: 'integer', minimum: 0 }, men: { type: 'integer', minimum: 0 } } };
const tokenParam = { name: 'token', in: 'query', required: true, schema: { type: 'string' }, description: 'the secret token of the submission link' };
const pathParam = (name: string, description: string) => ({ name, in: 'path', required: true, schema: { type: 'string' }, description });
const list = (item: string) => json({ $ref: '#/components/schemas/Page', properties: { data: { type: 'array', items: { $ref: `#/components/schemas/${item}` } } } });

type Op = { summary: string; roles?: string[]; params?: object[]; body?: object; ok?: object; status?: string; public?: boolean };
const op = (o: Op) => ({
  summary: o.summary + (o.roles ? ` (roles: ${o.roles.join(', ')})` : ''),
  ...(o.public ? { security: [] } : {}),
  parameters: [...(o.public ? [] : [forbundParam]), ...(o.params ?? [])],
  ...(o.body ? { requestBody: { required: true, ...json(o.body) } } : {}),
  responses: { [o.status ?? '200']: { description: 'OK', ...(o.ok ?? json()) }, '400': error, '401': error, '403': error, '404': error, '409': error },
});

const paths: Record<string, Record<string, object>> = {
  '/health/live': { get: { summary: 'liveness: the process answers', security: [], responses: { '200': { description: 'OK', ...json() } } } },
  '/health/ready': {
    get: {
      summary: 'readiness: the database answers (503 if not); Temporal and the worker are reported (status degraded while Temporal is unreachable)',
      security: [],
      responses: { '200': { description: 'ready', ...json() }, '503': { description: 'database unavailable', ...json() } },
    },
  },
  '/health': { get: { summary: 'same as /health/ready', security: [], responses: { '200': { description: 'ready', ...json() }, '503': { description: 'database unavailable', ...json() } } } },
  '/metrics': { get: { summary: 'Prometheus metrics of the process', security: [], responses: { '200': { description: 'metrics', content: { 'text/plain': {} } } } } },
  '/api/v1/openapi.json': { get: { summary: 'this document', security: [], responses: { '200': { description: 'OK', ...json() } } } },
  '/api/v1/forbund/{forbund}/projects': { get: op({ summary: 'projects with their reporting obligations', roles: ['admin', 'secretary', 'board_member'], params: pageParams, ok: list('Project') }) },
  '/api/v1/forbund/{forbund}/projects/{key}': { get: op({ summary: 'one project', roles: ['admin', 'secretary', 'board_member'], params: [pathParam('key', 'project key')], ok: json({ $ref: '#/components/schemas/Project' }) }) },
  '/api/v1/forbund/{forbund}/projects/{key}/withdraw': { post: op({ summary: 'withdraw a project: its open reports are withdrawn and its workflow ends', roles: ['admin'], params: [pathParam('key', 'project key')] }) },
  '/api/v1/forbund/{forbund}/obligations/{id}': {
    patch: op({ summary: 'move the due date of an open report; the workflow re-plans its reminders', roles: ['admin'], params: [pathParam('id', 'obligation id')], body: { type: 'object', required: ['dueDate'], properties: { dueDate: { type: 'string', format: 'date' } }, additionalProperties: false } }),
  },
  '/api/v1/forbund/{forbund}/obligations/{id}/submissions': {
    get: op({ summary: 'the versions of a submitted report (the first submission and its corrections), oldest first', roles: ['admin', 'secretary'], params: [pathParam('id', 'obligation id')] }),
  },
  '/api/v1/forbund/{forbund}/obligations/{id}/lock': {
    post: op({ summary: 'lock a submitted report: the coordinator can no longer correct it (audited)', roles: ['admin'], params: [pathParam('id', 'obligation id')] }),
  },
  '/api/v1/forbund/{forbund}/pending-steps': { get: op({ summary: 'what waits on whom, due when: overdue first', roles: ['admin', 'secretary'], params: pageParams, ok: list('PendingStep') }) },
  '/api/v1/forbund/{forbund}/planned-reminders': {
    get: op({ summary: 'reminders that will be sent, to whom and when', roles: ['admin', 'secretary'], params: [...pageParams, { name: 'days', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 730, default: 365 } }] }),
  },
  '/api/v1/submissions/{id}': {
    get: op({ summary: 'the report a submission link opens', public: true, params: [pathParam('id', 'obligation id'), tokenParam] }),
    post: op({ summary: `submit a report (aggregate figures and text only; no text may hold a personal identity number); a late report is accepted and marked late; submitting again corrects it (a new version, the earlier kept) until the official locks it, at most 5 versions; the draft is cleared. With an Idempotency-Key the request is the report's one-time form key: the same key sent again answers 200 with the submission it made (the same body, header Idempotent-Replayed: true) and makes no new version`, public: true, status: '201', params: [pathParam('id', 'obligation id'), tokenParam, { $ref: '#/components/parameters/IdempotencyKey' }], body: { $ref: '#/components/schemas/SubmissionInput' } }),
  },
  '/api/v1/submissions/{id}/draft': {
    put: op({ summary: 'save a draft of the report (replacing the last): the same shape as a submission, nothing required, checked only for whole numbers and no personal identity number; GET submissions/{id} returns it until the report is submitted', public: true, params: [pathParam('id', 'obligation id'), tokenParam], body: { $ref: '#/components/schemas/SubmissionInput' } }),
  },
  '/feeds/projects/{id}/reports.ics': {
    get: { summary: "subscribable ICS feed of one project's report due dates, for its coordinator (secret URL from the year letter): an all-day event per report, UID per report, SEQUENCE rising when a due date moves, a withdrawn report CANCELLED", security: [], parameters: [pathParam('id', 'project id'), { ...tokenParam, description: 'the secret token of the feed URL' }], responses: { '200': { description: 'iCalendar', content: { 'text/calendar': {} } }, '403': error } },
  },
  '/api/v1/forbund/{forbund}/years/{year}': { get: op({ summary: 'the year plan: meetings with preparation deadlines, milestones, whether the calendar is adopted', roles: ['admin', 'secretary', 'board_member'], params: [pathParam('year', 'e.g. 2026')], ok: json({ $ref: '#/components/schemas/YearPlan' }) }) },
  '/api/v1/forbund/{forbund}/years/{year}/calendar': {
    post: op({
      summary: "adopt a year's calendar (kalendarium): the given meetings, or with meetings: \"proposed\" those stored, or last year's rhythm moved to this year (meeting date rules kept); invites go out",
      roles: ['admin', 'secretary'],
      status: '201',
      params: [pathParam('year', 'the year adopted')],
      body: { type: 'object', required: ['meetings'], additionalProperties: false, properties: { meetings: { oneOf: [{ type: 'array', items: { $ref: '#/components/schemas/MeetingInput' } }, { const: 'proposed' }] } } },
      ok: json({ $ref: '#/components/schemas/YearPlan' }),
    }),
  },
  '/api/v1/forbund/{forbund}/meetings/{id}/cancel': { post: op({ summary: 'cancel a meeting: METHOD:CANCEL goes out to everyone invited', roles: ['admin', 'secretary'], params: [pathParam('id', 'meeting id')] }) },
  '/api/v1/forbund/{forbund}/milestones/{id}/done': { post: op({ summary: 'mark a milestone of the årscykel done', roles: ['admin', 'secretary'], params: [pathParam('id', 'milestone id')] }) },
  '/api/v1/forbund/{forbund}/deliveries/{id}/resolve': {
    post: op({ summary: 'mark a delivery failure (a mail refused for good, or addresses the mail server refused) as seen to; it leaves the pending steps', roles: ['admin'], params: [pathParam('id', 'id of the delivery failure, from its pending step')] }),
  },
  '/api/v1/forbund/{forbund}/tokens': {
    get: op({ summary: "the förbund's API tokens (never their secrets)", roles: ['admin'] }),
    post: op({
      summary: 'create an API token; the token is in this response only (audited)',
      roles: ['admin'],
      status: '201',
      body: { type: 'object', required: ['name', 'role'], additionalProperties: false, properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, role: { enum: ['admin', 'secretary', 'board_member'] } } },
    }),
  },
  '/api/v1/forbund/{forbund}/tokens/{id}/revoke': { post: op({ summary: 'revoke a token at once (audited)', roles: ['admin'], params: [pathParam('id', 'token id')] }) },
  '/api/v1/forbund/{forbund}/audit': {
    get: op({
      summary: 'the audit trail, newest first: who (the token by id) did what to which entity',
      roles: ['admin'],
      params: [...pageParams, ...['action', 'entityType', 'entityId', 'tokenId'].map((name) => ({ name, in: 'query', schema: { type: 'string' } }))],
      ok: list('AuditEvent'),
    }),
  },
  '/local/v1/tokens': {
    post: {
      summary: 'for `npm run token` while `npm start` holds the embedded database: loopback only, with the X-Arscykel-Local-Key header',
      security: [],
      requestBody: { required: true, ...json({ type: 'object', required: ['forbund', 'role', 'name'], properties: { forbund: { type: 'string' }, role: { enum: ['admin', 'secretary', 'board_member'] }, name: { type: 'string' } } }) },
      responses: { '201': { description: 'the token', ...json() }, '400': error, '403': error },
    },
  },
  '/local/v1/import': {
    post: {
      summary: 'for `npm run import` while `npm start` holds the embedded database: loopback only, with the X-Arscykel-Local-Key header',
      security: [],
      requestBody: { required: true, ...json({ type: 'object', required: ['text', 'fileName'], properties: { text: { type: 'string' }, fileName: { type: 'string' }, year: { type: 'integer' } } }) },
      responses: { '200': { description: 'what the import changed', ...json() }, '400': error, '403': error },
    },
  },
  '/api/v1/forbund/{forbund}/feeds': { get: op({ summary: 'secret URLs of the subscribable ICS feeds (whole förbund and per body)', roles: ['admin', 'secretary'] }) },
  '/feeds/{forbund}/{body}.ics': {
    get: { summary: 'subscribable ICS feed of meetings and milestones (secret URL)', security: [], parameters: [pathParam('forbund', 'slug'), pathParam('body', 'all, styrelse, presidium or beredningsgrupp'), tokenParam], responses: { '200': { description: 'iCalendar', content: { 'text/calendar': {} } }, '403': error } },
  },
  '/submit/{id}': {
    get: { summary: 'HTML form of the submission link (Swedish): the goals, participants by women and men, costs, narrative; filled in from the draft or the latest version', security: [], parameters: [pathParam('id', 'obligation id'), tokenParam], responses: { '200': { description: 'HTML form', content: { 'text/html': {} } }, '403': error } },
    post: { summary: 'form post of the submission link: action=submit (201 receipt; 400 the form again with each problem next to its field) or action=draft (303 back to the form, filled in); the hidden formKey (made when the form is shown) makes a repeated post (a double click, a reload) answer 200 with the receipt of the submission it made, not a correction', security: [], parameters: [pathParam('id', 'obligation id'), tokenParam], responses: { '201': { description: 'HTML receipt', content: { 'text/html': {} } }, '400': error, '403': error } },
  },
};


/** The hand-written paths and the declared ones (api/declare.ts); one path may have operations from both. */
function mergePaths(a: Record<string, Record<string, object>>, b: Record<string, Record<string, object>>) {
  const out = { ...a };
  for (const [path, ops] of Object.entries(b)) out[path] = { ...(out[path] ?? {}), ...ops };
  return out;
}

export function openApiDocument(serverUrl: string) {
  return {
    openapi: '3.1.0',
    info: { title: 'Årscykel API', version: '1.0.0', description: 'Governance year and project reporting of a samordningsförbund.' },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    paths: mergePaths(paths, declaredPaths()),
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      parameters: { IdempotencyKey: IDEMPOTENCY_PARAMETER },
      responses: {
        Error: {
          description: 'Error with the fields at fault',
          ...json({ type: 'object', properties: { error: { type: 'object', properties: { status: { type: 'integer' }, message: { type: 'string' }, fields: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, problem: { type: 'string' } } } } } } } }),
        },
      },
      schemas: {
        Page: {
          type: 'object',
          properties: {
            data: { type: 'array' },
            pagination: { type: 'object', properties: { totalElements: { type: 'integer' }, elementsPerPage: { type: 'integer' }, currentPage: { type: 'integer' }, totalPages: { type: 'integer' } } },
            links: { type: 'object', properties: { first: { type: 'string' }, prev: { type: 'string' }, next: { type: 'string' }, last: { type: 'string' } } },
          },
        },
        Project: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            key: { type: 'string' },
            name: { type: 'string' },
            status: { enum: ['active', 'withdrawn'] },
            grants: { type: 'object', description: 'ceiling in whole kronor per budget year, e.g. { "2027": 1210000 }' },
            grantDecisions: { type: 'array', description: "the board's decisions on the project's funding applications (set when the protokoll is justerat)", items: { type: 'object', properties: { year: { type: 'integer' }, amount: { type: 'integer' }, granted: { type: 'boolean' }, budgetLineKey: { type: ['string', 'null'] }, dnr: { type: ['string', 'null'] }, ref: { type: 'string', example: 'beslut 2027-00012 § 5' }, at: { type: 'string' }, text: { type: 'string', example: 'Beviljat 2027: 400 000 kr, beslut 2027-00012 § 5' } } } },
            startCondition: { type: ['object', 'null'], description: 'a conditional start: no reports are planned until it is met (POST projects/{key}/condition-met)', properties: { condition: { type: 'string' }, metOn: { type: ['string', 'null'] }, metBy: { type: ['string', 'null'] }, text: { type: 'string', example: 'Villkorad start: Försäkringskassan beviljar projektmedel — väntar på beslut' } } },
            obligations: { type: 'array', items: { $ref: '#/components/schemas/Obligation' } },
          },
        },
        Obligation: { type: 'object', properties: { id: { type: 'string' }, kind: { enum: ['quarterly', 'halfYear', 'annual', 'final', 'financial'] }, periodStart: { type: 'string', format: 'date' }, periodEnd: { type: 'string', format: 'date' }, dueDate: { type: 'string', format: 'date' }, status: { enum: ['open', 'submitted', 'withdrawn'] }, overdue: { type: 'boolean' } } },
        PendingStep: { type: 'object', properties: { type: { type: 'string' }, id: { type: 'string' }, title: { type: 'string' }, waitingOn: { type: 'object' }, dueDate: { type: 'string', format: 'date' }, overdue: { type: 'boolean' }, daysOverdue: { type: 'integer' }, escalated: { type: 'boolean' } } },
        AuditEvent: { type: 'object', properties: { id: { type: 'string' }, at: { type: 'string', format: 'date-time' }, actor: { type: 'string' }, tokenId: { type: ['string', 'null'] }, action: { type: 'string' }, entityType: { type: 'string' }, entityId: { type: 'string' }, data: { type: 'object' } } },
        YearPlan: { type: 'object', properties: { year: { type: 'integer' }, calendar: { type: 'object' }, meetings: { type: 'array', items: { type: 'object' } }, milestones: { type: 'array', items: { type: 'object' } } } },
        MeetingInput: {
          type: 'object',
          required: ['key', 'kind', 'date'],
          additionalProperties: false,
          properties: { key: { type: 'string' }, kind: { enum: ['styrelse', 'presidium', 'beredningsgrupp', 'beredning', 'planning_day'] }, title: { type: 'string' }, date: { type: 'string', format: 'date' }, start: { type: 'string' }, end: { type: 'string' }, location: { type: 'string' }, for: { type: 'string', description: 'key of the styrelse meeting a preparatory meeting prepares' } },
        },
        SubmissionInput: {
          type: 'object',
          required: ['figures', 'narrative'],
          additionalProperties: false,
          description: 'aggregate figures only. Participants by women and men (each row given needs both; a part no larger than its whole), costs to date in kronor, and per goal of the project (in order, one each) the participants who reached it by women and men and/or another number, and a comment. The flat totals of the older API (participantsActive …) are still accepted for a row not given by women and men.',
          properties: {
            figures: {
              type: 'object',
              additionalProperties: false,
              properties: {
                participants: { type: 'object', additionalProperties: false, properties: Object.fromEntries(['active', 'new', 'ended', 'toWork', 'toStudies'].map((k) => [k, SPLIT])) },
                costsToDate: { type: 'integer', minimum: 0 },
                goals: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { women: { type: 'integer', minimum: 0 }, men: { type: 'integer', minimum: 0 }, value: { type: 'integer', minimum: 0 }, comment: { type: 'string', maxLength: 2000 } } } },
                ...Object.fromEntries(['participantsActive', 'participantsNew', 'participantsEnded', 'participantsToWork', 'participantsToStudies'].map((k) => [k, { type: 'integer', minimum: 0, deprecated: true }])),
              },
            },
            narrative: { type: 'string', minLength: 1, maxLength: 20000 },
            submittedBy: { type: 'string', maxLength: 200 },
          },
          example: {
            figures: {
              participants: { active: { women: 14, men: 11 }, new: { women: 3, men: 4 }, ended: { women: 2, men: 3 }, toWork: { women: 1, men: 2 }, toStudies: { women: 1, men: 0 } },
              costsToDate: 350000,
              goals: [{ women: 1, men: 2, comment: 'Tre till arbete hittills; flera nära.' }],
            },
            narrative: 'Under kvartalet har 25 deltagare tagit del av insatsen.',
            submittedBy: 'Sara Samordnare',
          },
        },
      },
    },
  };
}
