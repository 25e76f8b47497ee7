// The official's administration: API tokens (create, list, revoke) and the audit trail.
import { Router, type Request } from 'express';
import { createToken, revokeToken, ROLES, tokenJson, tokenNameProblem, type Role } from '../services/tokens.js';
import { actor, allow } from './auth.js';
import type { ApiDeps } from './deps.js';
import { badRequest, notFound, objectBody, page, pageResponse } from './errors.js';

export function adminRoutes(deps: ApiDeps): Router {
  const { prisma } = deps;
  const r = Router({ mergeParams: true });
  const fid = (req: Request) => req.auth!.forbundId;

  r.get('/tokens', allow('admin'), async (req, res) => {
    const rows = await prisma.apiToken.findMany({ where: { forbundId: fid(req) }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    res.json({ data: rows.map(tokenJson) });
  });

  r.post('/tokens', allow('admin'), async (req, res) => {
    const b = objectBody(req);
    const fields = Object.keys(b)
      .filter((k) => !['name', 'role'].includes(k))
      .map((field) => ({ field, problem: 'unknown field; allowed: name, role' }));
    const badName = tokenNameProblem(b.name);
    if (badName) fields.push({ field: 'name', problem: badName });
    if (!ROLES.includes(b.role as Role)) fields.push({ field: 'role', problem: `must be one of ${ROLES.join(', ')}` });
    if (fields.length) throw badRequest(fields);
    const { id, token } = await createToken(prisma, { forbundId: fid(req), name: (b.name as string).trim(), role: b.role as Role, actor: actor(req) });
    const row = await prisma.apiToken.findUniqueOrThrow({ where: { id } });
    res.status(201).set('Cache-Control', 'no-store').json({ ...tokenJson(row), token });
  });

  r.post('/tokens/:id/revoke', allow('admin'), async (req, res) => {
    const row = await revokeToken(prisma, { forbundId: fid(req), id: String(req.params.id), actor: actor(req), now: deps.now() });
    if (!row) throw notFound(`token "${req.params.id}"`);
    res.json(tokenJson(row));
  });

  r.get('/audit', allow('admin'), async (req, res) => {
    const p = page(req);
    const filter: Record<string, string> = {};
    for (const f of ['action', 'entityType', 'entityId', 'tokenId'] as const) {
      const v = req.query[f];
      if (v === undefined) continue;
      if (typeof v !== 'string' || !v || v.length > 100) throw badRequest([{ field: f, problem: 'must be a text of 1 to 100 characters' }]);
      filter[f] = v;
    }
    const where = { forbundId: fid(req), ...filter };
    const [rows, total] = await Promise.all([
      prisma.auditEvent.findMany({ where, orderBy: [{ at: 'desc' }, { id: 'desc' }], skip: (p.page - 1) * p.limit, take: p.limit }),
      prisma.auditEvent.count({ where }),
    ]);
    const data = rows.map((e) => ({ id: e.id, at: e.at.toISOString(), actor: e.actor, tokenId: e.tokenId, action: e.action, entityType: e.entityType, entityId: e.entityId, data: e.data }));
    res.json(pageResponse(req, data, total, p));
  });
  return r;
}
