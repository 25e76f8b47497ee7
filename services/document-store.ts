// Where a handling's bytes are kept (the port services/handlingar.ts writes and reads through):
//
// - database (the default): in the Document row itself (Document.content), so a backup of the
//   database holds the record whole. There is nothing to put or get: the caller writes the bytes
//   into the row in the same transaction as the rest of it.
// - s3: in an S3-compatible bucket (DOCUMENT_STORAGE=s3, worker/config.ts), by the key
//   `<forbundId>/<matterId>/<sha256>/<uuid>` kept in Document.storageKey; the row's content is
//   null. The object is put before the row is committed and deleted (best effort) when the row
//   is not; the bucket must then be backed up together with the database.
//
// Whichever holds them, the bytes are checked against Document.sha256 when read back
// (services/handlingar.ts, contentOf): bytes that do not match are refused, never served.
// A bucket that cannot be reached is DocumentStoreUnavailable (503: nothing stored, or try again).
import { DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { logger } from '../worker/log.js';

const log = logger({ component: 'documents' });

/** The bucket and how to reach it (worker/config.ts: S3_*). */
export interface S3DocumentConfig {
  /** An S3-compatible server's URL (MinIO, Ceph, moto, …); without it AWS S3 of the region. */
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Addresses as endpoint/bucket/key rather than bucket.endpoint/key (most S3-compatible servers want this). */
  forcePathStyle: boolean;
}

export type DocumentStorageConfig = { kind: 'database' } | ({ kind: 's3' } & S3DocumentConfig);

/** What /health/ready says of the store of handlingar. */
export interface DocumentStoreReadiness {
  storage: 'database' | 's3';
  status: 'ok' | 'unavailable';
  bucket?: string;
  endpoint?: string;
  detail?: string;
}

/** The store of handlingar: the database (bytes in the row), or an S3 bucket. */
export type DocumentStore =
  | { kind: 'database' }
  | {
      kind: 's3';
      bucket: string;
      endpoint?: string;
      /** Stores the bytes under `key`; DocumentStoreUnavailable when the bucket cannot take them. */
      put(key: string, bytes: Buffer, contentType: string, sha256: string): Promise<void>;
      /** The bytes under `key`; DocumentStoreUnavailable when the bucket cannot be read, DocumentContentRefused when the object is not there. */
      get(key: string): Promise<Buffer>;
      /** Removes an object put for a row that was never committed. */
      delete(key: string): Promise<void>;
      ready(): Promise<DocumentStoreReadiness>;
    };

/** The default: handlingar in the database. */
export const DATABASE_DOCUMENTS: DocumentStore = { kind: 'database' };

/** The object storage cannot be reached (or refuses us): nothing was stored, or nothing can be read now. The API answers 503. */
export class DocumentStoreUnavailable extends Error {
  constructor(
    message: string,
    /** Said to a person in Swedish. */
    readonly sv = 'Lagringen för handlingar kan inte nås just nu. Försök igen om en stund, eller kontakta administratören om det inte går över.',
  ) {
    super(message);
  }
}

/** The stored bytes of a handling are not those uploaded (altered, or gone): refused, never served. */
export class DocumentContentRefused extends Error {
  readonly sv = 'Handlingens innehåll stämmer inte med det som laddades upp, så den visas inte. Kontakta administratören.';
}

/** The store of the configuration: the database, or an S3 client for the bucket. */
export function documentStore(config: DocumentStorageConfig): DocumentStore {
  return config.kind === 's3' ? s3DocumentStore(config) : DATABASE_DOCUMENTS;
}

/** The readiness of a store (the database's own check covers a store that is the database). */
export async function documentStoreReadiness(store: DocumentStore | undefined): Promise<DocumentStoreReadiness> {
  return !store || store.kind === 'database' ? { storage: 'database', status: 'ok' } : store.ready();
}

/** Why a call to the bucket failed, in a few words: `ECONNREFUSED`, `AccessDenied (403)`. */
function reasonOf(err: unknown): string {
  const e = err as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number }; cause?: unknown; errors?: unknown[] };
  const code = e.code ?? (e.errors?.[0] as { code?: string } | undefined)?.code ?? (e.cause as { code?: string } | undefined)?.code;
  if (code) return code;
  const status = e.$metadata?.httpStatusCode;
  const name = e.name && e.name !== 'Error' ? e.name : undefined;
  const text = (e.message ?? String(err)).split('\n')[0].slice(0, 200);
  return [name ?? text, status ? `(${status})` : undefined].filter(Boolean).join(' ') || 'unknown error';
}

/** How long a call to the bucket may take: connecting, and the whole request (a handling is at most some MB). */
const CONNECT_MS = 5_000;
const REQUEST_MS = 60_000;
const READY_MS = 2_000;

export function s3DocumentStore(config: S3DocumentConfig): Extract<DocumentStore, { kind: 's3' }> {
  const client = new S3Client({
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    requestHandler: { connectionTimeout: CONNECT_MS, requestTimeout: REQUEST_MS },
    maxAttempts: 3,
  });
  const where = `S3 bucket "${config.bucket}"${config.endpoint ? ` at ${config.endpoint}` : ` (AWS ${config.region})`}`;
  const unavailable = (what: string, err: unknown) => new DocumentStoreUnavailable(`the object storage for handlingar (${where}) cannot ${what} (${reasonOf(err)})`);
  const notThere = (err: unknown) => (err as { name?: string }).name === 'NoSuchKey' || (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;
  return {
    kind: 's3',
    bucket: config.bucket,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    async put(key, bytes, contentType, sha256) {
      try {
        // A server that checks checksums (AWS S3, MinIO) refuses bytes that are not those of the SHA-256 the row will hold.
        await client.send(new PutObjectCommand({ Bucket: config.bucket, Key: key, Body: bytes, ContentType: contentType, ContentLength: bytes.length, ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64') }));
      } catch (err) {
        throw unavailable('store the handling; nothing was stored', err);
      }
    },
    async get(key) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: config.bucket, Key: key }));
        if (!out.Body) throw new Error('an empty answer');
        return Buffer.from(await out.Body.transformToByteArray());
      } catch (err) {
        // NoSuchBucket is the configuration's (or the server's) trouble; NoSuchKey is the object's.
        if (notThere(err) && (err as { name?: string }).name !== 'NoSuchBucket') throw new DocumentContentRefused(`the object ${key} is not in the ${where}`);
        throw unavailable('be read', err);
      }
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket: config.bucket, Key: key }));
    },
    async ready() {
      const base = { storage: 's3' as const, bucket: config.bucket, ...(config.endpoint ? { endpoint: config.endpoint } : {}) };
      try {
        await client.send(new HeadBucketCommand({ Bucket: config.bucket }), { abortSignal: AbortSignal.timeout(READY_MS) });
        return { ...base, status: 'ok' };
      } catch (err) {
        return { ...base, status: 'unavailable', detail: (err as Error).name === 'AbortError' || (err as Error).name === 'TimeoutError' ? `no answer within ${READY_MS} ms` : reasonOf(err) };
      }
    },
  };
}

/** Removes an object whose row was not committed; a failure is logged (the object is then an orphan to remove by hand). */
export async function deleteOrphan(store: DocumentStore, key: string, why: unknown): Promise<void> {
  if (store.kind !== 's3') return;
  try {
    await store.delete(key);
    log.warn('handling not stored: its object was removed again', { bucket: store.bucket, key, reason: (why as Error)?.message?.split('\n')[0] });
  } catch (err) {
    log.error('handling not stored, and its object could not be removed: remove it from the bucket by hand', { bucket: store.bucket, key, reason: (why as Error)?.message?.split('\n')[0], error: reasonOf(err) });
  }
}

/** Logs a refused read (the bytes do not match, or the object is gone). */
export function logRefusedContent(fields: Record<string, unknown>): void {
  log.error('handling refused: its stored bytes do not match its SHA-256 (altered, or gone)', fields);
}
