// A matter's handlingar over HTTP, for the official and the secretary (API tokens):
//
//   POST matters/:dnr/documents          upload (multipart/form-data: file, title, secret, key)
//   GET  matters/:dnr/documents          every handling with its versions (never the content)
//   GET  matters/:dnr/documents/:id      one version's bytes, as an attachment
//   GET  meetings/:id/pack.pdf           the meeting pack (services/motespaket.ts)
//
// The upload is read into memory (multer, as the pages' SIE upload: api/admin/multipart.ts) up to
// the limit, a larger body refused from its Content-Length before it is read. The type is found in
// the content (services/handlingar.ts); 400, 413 and 415 name the field and store nothing.
//
// The stable address of a handling, /handlingar/:id, is what the kallelse links: it sends the
// reader to where it is read signed in (/admin/handlingar/:id, the staff's pages, which ask the
// reader to sign in first). No public page or public API ever serves a handling: a secret one
// (OSL) is named in the kallelse without a link and left out of the protokoll.
import { Router, type Request, type Response } from 'express';
import { attachmentHeader, downloadName, handlingPath, HANDLING_KINDS, HANDLING_MAX_BYTES, kindOfContentType, svLimit, type HandlingVersion } from '../domain/handlingar.js';
import { DocumentContentRefused, DocumentStoreUnavailable, type DocumentStore } from '../services/document-store.js';
import { contentOf, handlingarOfMatter, handlingWithContent, uploadHandling, UploadRefused } from '../services/handlingar.js';
import { meetingPack } from '../services/motespaket.js';
import { MultipartError, multipartOf } from './admin/multipart.js';
import { actor } from './auth.js';
import { declare } from './declare.js';
import type { ApiDeps } from './deps.js';
import { badRequest, HttpError, notFound } from './errors.js';

/** Who reads and uploads handlingar through the API: the official and the secretary. */
const STAFF = ['admin', 'secretary'] as const;

/** The multipart body's slack above the file's limit (the other fields and the part headers). */
const FORM_SLACK = 256 * 1024;

/** 'Olga Tjänsteman (admin)' from an actor ('token:<id> Olga Tjänsteman (admin)', 'person:<id> …'). */
export const uploaderName = (a: string) => a.replace(/^(token|person):\S+ /, '');

/** A version as the API lists it. */
export function versionView(base: string, dnr: string, v: HandlingVersion) {
  const kind = kindOfContentType(v.contentType);
  return {
    id: v.id,
    key: v.key,
    version: v.version,
    title: v.title,
    fileName: v.fileName,
    contentType: v.contentType,
    type: kind ? HANDLING_KINDS[kind].sv : null,
    size: v.size,
    sha256: v.sha256,
    secret: v.secret,
    uploadedBy: uploaderName(v.uploadedBy),
    uploadedAt: v.uploadedAt.toISOString(),
    download: `${base}/matters/${encodeURIComponent(dnr)}/documents/${v.id}`,
    readAt: handlingPath(v.id),
  };
}

/**
 * A stored version sent as a download: its content type, an attachment with a safe name, never
 * sniffed, never kept. Its bytes checked against its SHA-256 first (services/handlingar.ts,
 * contentOf): DocumentContentRefused or DocumentStoreUnavailable thrown, nothing sent.
 */
export async function sendHandling(res: Response, row: HandlingVersion & { content: Uint8Array | null; storageKey: string | null }, documents?: DocumentStore): Promise<void> {
  const kind = kindOfContentType(row.contentType) ?? 'pdf';
  const body = await contentOf(row, documents);
  res
    .status(200)
    .set({
      'Content-Type': row.contentType,
      'Content-Length': String(body.length),
      'Content-Disposition': attachmentHeader(downloadName(row.fileName, row.title, kind)),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Repr-Digest': `sha-256=:${Buffer.from(row.sha256, 'hex').toString('base64')}:`,
    })
    .end(body);
}

/** 'true'/'false' (also 'ja'/'nej', 'on', '1'/'0') of a form field; undefined when absent or empty; null when not one of those. */
export function booleanField(v: string | undefined): boolean | undefined | null {
  const t = (v ?? '').trim().toLowerCase();
  if (!t) return undefined;
  if (['true', '1', 'ja', 'on', 'yes'].includes(t)) return true;
  if (['false', '0', 'nej', 'off', 'no'].includes(t)) return false;
  return null;
}

/** The store's errors as the API answers them: 503 (with Retry-After) when the bucket cannot be reached, 500 for bytes that are not those uploaded. */
export function storeErrorAsHttp(res: Response, err: unknown): unknown {
  if (err instanceof DocumentStoreUnavailable) {
    res.set('Retry-After', '60');
    return new HttpError(503, `${err.message}. Try again later, or tell the administrator`);
  }
  if (err instanceof DocumentContentRefused) return new HttpError(500, `the handling is not served: ${err.message.replace(/; not served$/, '')}. Tell the administrator`);
  return err;
}

/** A multipart request refused before it is read: the body's declared length is beyond the limit. */
export const tooLarge = (req: Request) => Number(req.get('content-length') ?? 0) > HANDLING_MAX_BYTES + FORM_SLACK;

export const TOO_LARGE = { problem: `is larger than the limit of ${svLimit(HANDLING_MAX_BYTES)} (${HANDLING_MAX_BYTES} bytes)`, sv: `Filen är större än ${svLimit(HANDLING_MAX_BYTES)}. Dela upp den eller gör den mindre.` };

export function handlingRoutes(deps: ApiDeps): { forbund: Router; stable: Router } {
  const { prisma } = deps;
  const documents = deps.documents;
  const r = Router({ mergeParams: true });
  const stable = Router();
  const forbundRoute = declare('/api/v1/forbund/{forbund}').route;
  const stableRoute = declare('').route;
  const fid = (req: Request) => req.auth!.forbundId;
  const base = (req: Request) => `/api/v1/forbund/${req.auth!.forbundSlug}`;
  const asHttp = (res: Response, err: unknown) => (err instanceof UploadRefused ? new HttpError(err.status, err.message, err.problems.map(({ field, problem }) => ({ field, problem }))) : storeErrorAsHttp(res, err));

  const VERSION_EXAMPLE = {
    id: '0c9e7a51-3f0e-4b8e-9d7e-5a1c2b3d4e5f',
    key: '5b1f0a7e-2c3d-4e5f-8a9b-0c1d2e3f4a5b',
    version: 2,
    title: 'Tjänsteskrivelse',
    fileName: 'tjansteskrivelse.pdf',
    contentType: 'application/pdf',
    type: 'PDF',
    size: 48213,
    sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    secret: false,
    uploadedBy: 'Olga Tjänsteman (admin)',
    uploadedAt: '2037-01-12T09:30:00.000Z',
    download: '/api/v1/forbund/sydnarke/matters/2037-00012/documents/0c9e7a51-3f0e-4b8e-9d7e-5a1c2b3d4e5f',
    readAt: '/handlingar/0c9e7a51-3f0e-4b8e-9d7e-5a1c2b3d4e5f',
  };

  forbundRoute(
    r,
    {
      method: 'post',
      path: '/matters/:dnr/documents',
      summary: `upload a handling to a matter (multipart/form-data): field file (a PDF, Word .docx/.doc or Excel .xlsx/.xls file, the type found in its content, never its name; at most ${svLimit(HANDLING_MAX_BYTES)}), title (one line, required for a new handling; a new version keeps the handling's title when it is left out), secret (true or false: sekretess enligt OSL; a new version of a secret handling is secret too), key (a new version of that handling). Stored in the database (or the configured S3 bucket) with its SHA-256; audited. 400 names the field, 413 the limit, 415 the file; 503 when the bucket cannot be reached; nothing is stored`,
      roles: [...STAFF],
      params: { dnr: 'diarienummer, e.g. 2037-00012' },
      response: { status: 201, example: VERSION_EXAMPLE },
    },
    async (req, res) => {
      if (tooLarge(req)) {
        res.set('Connection', 'close');
        throw new HttpError(413, `file: ${TOO_LARGE.problem}`, [{ field: 'file', problem: TOO_LARGE.problem }]);
      }
      let form;
      try {
        form = await multipartOf(req, res, HANDLING_MAX_BYTES);
      } catch (err) {
        if (!(err instanceof MultipartError)) throw err;
        if (err.status === 413) throw new HttpError(413, `file: ${TOO_LARGE.problem}`, [{ field: 'file', problem: TOO_LARGE.problem }]);
        if (err.status === 415) throw new HttpError(415, 'the body must be multipart/form-data with the fields file, title, secret and key', [{ field: '(body)', problem: 'must be multipart/form-data' }]);
        throw badRequest([{ field: '(body)', problem: `is not a readable multipart form (${err.message})` }]);
      }
      const unknown = [...Object.keys(form.fields).filter((k) => !['title', 'secret', 'key'].includes(k)), ...Object.keys(form.files).filter((k) => k !== 'file')];
      if (unknown.length) throw badRequest(unknown.map((field) => ({ field, problem: 'unknown field' })));
      const secret = booleanField(form.fields.secret);
      if (secret === null) throw badRequest([{ field: 'secret', problem: 'must be true or false' }]);
      const file = form.files.file;
      try {
        const v = await uploadHandling(
          prisma,
          fid(req),
          String(req.params.dnr),
          { ...(form.fields.title !== undefined ? { title: form.fields.title } : {}), ...(secret !== undefined ? { secret } : {}), ...(form.fields.key ? { key: form.fields.key } : {}), ...(file ? { file: { name: file.filename, data: file.data } } : {}) },
          actor(req),
          documents,
        );
        res.status(201).json(versionView(base(req), v.dnr, v));
      } catch (err) {
        throw asHttp(res, err);
      }
    },
  );

  forbundRoute(
    r,
    {
      method: 'get',
      path: '/matters/:dnr/documents',
      summary: "a matter's handlingar, each with its versions (newest first), in the order they were first uploaded; secret ones marked (never the content)",
      roles: [...STAFF],
      params: { dnr: 'diarienummer, e.g. 2037-00012' },
      response: { example: { dnr: '2037-00012', data: [{ key: VERSION_EXAMPLE.key, title: 'Tjänsteskrivelse', secret: false, latest: VERSION_EXAMPLE, versions: [VERSION_EXAMPLE] }] } },
    },
    async (req, res) => {
      const dnr = String(req.params.dnr);
      let groups;
      try {
        groups = await handlingarOfMatter(prisma, fid(req), dnr);
      } catch (err) {
        if (err instanceof UploadRefused && err.status === 404) throw notFound(`matter "${dnr}"`);
        throw err;
      }
      const view = (v: HandlingVersion) => versionView(base(req), dnr, v);
      res.json({ dnr, data: groups.map((g) => ({ key: g.key, title: g.latest.title, secret: g.latest.secret, latest: view(g.latest), versions: g.versions.map(view) })) });
    },
  );

  forbundRoute(
    r,
    {
      method: 'get',
      path: '/matters/:dnr/documents/:id',
      summary: "one version of a handling: its bytes with the content type found at upload, as an attachment (Content-Disposition with a safe file name, X-Content-Type-Options: nosniff, Repr-Digest with its SHA-256)",
      roles: [...STAFF],
      params: { dnr: 'diarienummer', id: 'the version id' },
      response: { contentType: 'application/octet-stream' },
    },
    async (req, res) => {
      const row = await handlingWithContent(prisma, fid(req), String(req.params.id));
      if (!row || row.matter.dnr !== String(req.params.dnr)) throw notFound(`handling "${req.params.id}" of matter "${req.params.dnr}"`);
      await sendHandling(res, row, documents).catch((err: unknown) => {
        throw storeErrorAsHttp(res, err);
      });
    },
  );

  forbundRoute(
    r,
    {
      method: 'get',
      path: '/meetings/:id/pack.pdf',
      summary: "the meeting pack: one PDF with the kallelse and föredragningslista, then each agenda item's PDF handlingar in agenda order after a page naming them (Word and Excel handlingar are named there, to be read on their own); secret handlingar included for the official and the secretary",
      roles: [...STAFF],
      params: { id: 'board meeting id' },
      response: { contentType: 'application/pdf' },
    },
    async (req, res) => {
      const m = await prisma.meeting.findFirst({ where: { id: String(req.params.id), forbundId: fid(req), kind: 'styrelse' } });
      if (!m) throw notFound(`board meeting "${req.params.id}"`);
      const pack = await meetingPack(prisma, m, { baseUrl: deps.publicBaseUrl, includeSecret: true, documents }).catch((err: unknown) => {
        throw storeErrorAsHttp(res, err);
      });
      res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="${pack.filename}"`).send(Buffer.from(pack.pdf));
    },
  );

  stableRoute(
    stable,
    {
      method: 'get',
      path: '/handlingar/:id',
      summary: 'the stable address of a handling (the kallelse links it): sends the reader on to /admin/handlingar/:id, read signed in (the sign-in page first for one who is not); never the content without a session',
      params: { id: 'the version id' },
      response: { status: 303, contentType: 'text/html' },
    },
    (req, res) => {
      const id = String(req.params.id);
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound(`handling "${id}"`);
      res.redirect(303, `/admin${handlingPath(id)}`);
    },
  );

  return { forbund: r, stable };
}
