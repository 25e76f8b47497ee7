// A form with a file (multipart/form-data) as the pages send it, read by multer into memory: the
// pages' one upload (the bookkeeping's SIE or CSV file) is small, so nothing is written to disk.
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';

export interface UploadedFile {
  /** The name the browser gave (no path), '' when none was chosen. */
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface MultipartForm {
  fields: Record<string, string>;
  files: Record<string, UploadedFile>;
}

export class MultipartError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

/** Reads the request's multipart body: text fields and at most one file per field, each file at most `maxFileBytes`. */
export async function multipartOf(req: Request, res: Response, maxFileBytes: number): Promise<MultipartForm> {
  if (!req.is('multipart/form-data')) throw new MultipartError(415, 'not multipart/form-data');
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxFileBytes, files: 2, fields: 20, fieldSize: 1024 * 1024 } }).any();
  try {
    await new Promise<void>((resolve, reject) => upload(req, res, (err?: unknown) => (err ? reject(err) : resolve())));
  } catch (err) {
    if (err instanceof MulterError && err.code === 'LIMIT_FILE_SIZE') throw new MultipartError(413, 'the file is too large');
    throw new MultipartError(400, (err as Error).message);
  }
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries((req.body ?? {}) as Record<string, unknown>)) if (typeof v === 'string') fields[k] = v;
  const files: Record<string, UploadedFile> = {};
  for (const f of (req.files ?? []) as Express.Multer.File[]) {
    // Only the file's own name: some browsers send a path. Multer reads the name as Latin-1.
    const name = Buffer.from(f.originalname, 'latin1').toString('utf8');
    files[f.fieldname] = { filename: name.split(/[\\/]/).pop() ?? '', contentType: f.mimetype, data: f.buffer };
  }
  return { fields, files };
}
