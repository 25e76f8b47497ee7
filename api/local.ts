// What the command-line tools do through a running `npm start` when it holds the embedded
// database: create a token, import a förbund file. Only from this machine (loopback), and only
// with the local key, an HMAC of the link secret that only processes reading DATA_DIR can make.
import { timingSafeEqual } from 'node:crypto';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { ForbundFileError, parseForbundFile } from '../domain/forbund-file.js';
import { importForbund } from '../services/import.js';
import { token } from '../services/links.js';
import { createToken, ROLES, type Role } from '../services/tokens.js';
import { notifyImport } from '../worker/runtime.js';
import type { ApiDeps } from './deps.js';
import { badRequest, HttpError } from './errors.js';

export const LOCAL_KEY_HEADER = 'x-arscykel-local-key';
export const localKey = (linkSecret: string) => token(linkSecret, 'local-cli');

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export function localRoutes(deps: ApiDeps): Router {
  const r = Router();
  const expected = Buffer.from(localKey(deps.linkSecret));
  r.use((req: Request, _res: Response, next: NextFunction) => {
    const given = Buffer.from(req.get(LOCAL_KEY_HEADER) ?? '');
    if (!LOOPBACK.has(req.socket.remoteAddress ?? '') || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return next(new HttpError(403, 'local administration is for the command-line tools on this machine', [{ field: LOCAL_KEY_HEADER, problem: 'missing or wrong' }]));
    }
    next();
  });

  r.post('/v1/tokens', async (req, res) => {
    const b = (req.body ?? {}) as { forbund?: unknown; role?: unknown; name?: unknown };
    const forbund = typeof b.forbund === 'string' ? await deps.prisma.forbund.findUnique({ where: { slug: b.forbund } }) : null;
    if (!forbund) throw badRequest([{ field: 'forbund', problem: `no förbund "${String(b.forbund)}"; import one first` }]);
    if (!ROLES.includes(b.role as Role)) throw badRequest([{ field: 'role', problem: `must be one of ${ROLES.join(', ')}` }]);
    if (typeof b.name !== 'string' || !b.name.trim() || b.name.length > 100) throw badRequest([{ field: 'name', problem: 'must be a text of 1 to 100 characters' }]);
    const created = await createToken(deps.prisma, { forbundId: forbund.id, role: b.role as Role, name: b.name.trim(), actor: 'cli (npm run token)' });
    res.status(201).json(created);
  });

  r.post('/v1/import', async (req, res) => {
    const b = (req.body ?? {}) as { text?: unknown; fileName?: unknown; year?: unknown };
    if (typeof b.text !== 'string' || typeof b.fileName !== 'string') throw badRequest([{ field: 'text', problem: 'text and fileName are required' }]);
    if (b.year !== undefined && !(Number.isInteger(b.year) && (b.year as number) >= 2000 && (b.year as number) <= 2100)) throw badRequest([{ field: 'year', problem: 'must be a year from 2000 to 2100' }]);
    let file;
    try {
      file = parseForbundFile(b.text, b.fileName);
    } catch (err) {
      if (err instanceof ForbundFileError) return void res.status(400).json({ error: { status: 400, message: err.message, fields: [{ field: 'text', problem: err.message }] } });
      throw err;
    }
    const summary = await importForbund(deps.prisma, file, { year: b.year as number | undefined, actor: `import:${b.fileName}`, fileName: b.fileName });
    const told = await notifyImport(deps.prisma, deps.notifier, summary);
    res.json({ summary, told });
  });
  return r;
}
