// What the command-line tools do through a running `npm start` when it holds the embedded
// database: create a token, import a förbund file. Only from this machine (loopback), and only
// with the local key, an HMAC of the link secret that only processes reading DATA_DIR can make.
import { timingSafeEqual } from 'node:crypto';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { screenField } from '../domain/fritext.js';
import { ForbundFileError, parseForbundFile } from '../domain/forbund-file.js';
import { importForbund } from '../services/import.js';
import { token } from '../services/links.js';
import { createToken, ROLES, tokenNameProblem, type Role } from '../services/tokens.js';
import { notifyImport } from '../worker/runtime.js';
import type { ApiDeps } from './deps.js';
import { badRequest, HttpError, refuseDeepJson, sizeText } from './errors.js';

export const LOCAL_KEY_HEADER = 'x-arscykel-local-key';
/** Where `npm run import` sends a förbund file while `npm start` holds the embedded database. */
export const LOCAL_IMPORT_PATH = '/local/v1/import';
/** The largest request `npm run import` may send through the running server (the file, as JSON). */
export const LOCAL_IMPORT_LIMIT = 16 * 1024 * 1024;

/** 413 for a förbund file too large for the running server: its size, the limit and what to do. */
export function importTooLarge(bytes: number | undefined): HttpError {
  const size = bytes !== undefined ? `the förbund file (${sizeText(bytes)} as sent)` : 'the förbund file';
  const message = `${size} is larger than the running server takes through npm run import (at most ${sizeText(LOCAL_IMPORT_LIMIT)}); stop npm start and run npm run import again (it then writes to the database directly), or split the file`;
  return new HttpError(413, message, [{ field: 'text', problem: `is larger than ${sizeText(LOCAL_IMPORT_LIMIT)}` }]);
}
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
    const badName = tokenNameProblem(b.name);
    if (badName) throw badRequest([{ field: 'name', problem: badName }]);
    const created = await createToken(deps.prisma, { forbundId: forbund.id, role: b.role as Role, name: (b.name as string).trim(), actor: 'cli (npm run token)' });
    res.status(201).json(created);
  });

  // The förbund file comes whole in this body (the app's parser, at most 200 kB, leaves it alone): read
  // here, once the key is checked, up to LOCAL_IMPORT_LIMIT.
  const importBody = express.json({ limit: LOCAL_IMPORT_LIMIT });
  const readImport = (req: Request, res: Response, next: NextFunction) =>
    importBody(req, res, (err?: unknown) => {
      const e = err as { type?: string; length?: number } | undefined;
      if (e?.type === 'entity.too.large') return next(importTooLarge(e.length));
      if (err) return next(err);
      refuseDeepJson(req, res, next);
    });

  r.post('/v1/import', readImport, async (req, res) => {
    const b = (req.body ?? {}) as { text?: unknown; fileName?: unknown; year?: unknown };
    if (typeof b.text !== 'string' || typeof b.fileName !== 'string') throw badRequest([{ field: 'text', problem: 'text and fileName are required' }]);
    const badName = screenField('fileName', b.fileName);
    if (badName) throw badRequest([{ field: 'fileName', problem: badName.problem }]);
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
