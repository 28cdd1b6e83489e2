/**
 * Resumable uploads over the tus protocol (tus.io, version 1.0.0) with @tus/server: a client
 * creates an upload declaring its length, sends bytes with PATCH, asks with HEAD how many
 * arrived after a broken connection and continues from there. Bytes stream to
 * `<dataDir>/uploads`, never whole in memory; the SHA-256 is computed on the way
 * (hashing-file-store.ts). Rules on top of tus:
 *
 * - the session token identifies the uploader; only the uploader may see or continue an upload
 *   (anyone else gets the same 404 as for an id that does not exist);
 * - the declared length is required (no deferred length) and refused with 413 before the first
 *   byte when over the limit; a client sending more than it declared is cut off with 413 and the
 *   upload removed;
 * - a finished upload becomes a file (files.ts) and leaves the uploads directory;
 * - unfinished uploads older than the abandon time are removed by a timer.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ERRORS, Server, type ServerOptions, type Upload } from '@tus/server';
import { textProblem } from '@parley/protocol';
import type { FileRecord } from '../store/store.js';
import type { Files } from './files.js';
import { HashingFileStore } from './hashing-file-store.js';

export const UPLOADS_PATH = '/api/uploads';
/** Ids we issue: 32 hex digits. Anything else is unknown without touching the disk. */
export const UPLOAD_ID = /^[0-9a-f]{32}$/;
const NAME_MAX_LENGTH = 255;

export interface UploadsDeps {
  dir: string;
  maxBytes: number;
  abandonMs: number;
  files: Files;
  onError: (error: unknown, what: string) => void;
}

/** Where an upload stands, for its uploader. */
export type UploadState =
  | { kind: 'unknown' }
  | { kind: 'incomplete'; offset: number; size: number }
  | { kind: 'complete'; file: FileRecord };

type TusRequest = Parameters<NonNullable<ServerOptions['onIncomingRequest']>>[0];

/** A tus error answer: @tus/server sends `status_code` and `body` as they are. */
const refusal = (status_code: number, body: string) => ({ status_code, body: `${body}\n` });

/** The file name without directories or anything that is not plain text on one line. */
export function uploadName(raw: string | null | undefined): string | null {
  const name = (raw ?? '').split(/[\\/]/).pop()!.trim();
  if (name === '' || name === '.' || name === '..') return 'file';
  if (name.length > NAME_MAX_LENGTH || textProblem(name, 'line') !== null) return null;
  return name;
}

export function createUploads(deps: UploadsDeps) {
  const { files } = deps;
  const datastore = new HashingFileStore({
    directory: deps.dir,
    expirationPeriodInMilliseconds: deps.abandonMs,
  });
  // Who sent each request, set by the route after checking the token (routes.ts).
  const uploaders = new WeakMap<IncomingMessage, number>();
  const finishing = new Map<string, Promise<FileRecord>>();

  function uploaderOf(req: TusRequest): number {
    // srvx keeps the Node request it wraps; the route registered its user before handing it on.
    const node = (req as { runtime?: { node?: { req?: IncomingMessage } } }).runtime?.node?.req;
    const userId = node === undefined ? undefined : uploaders.get(node);
    if (userId === undefined) throw refusal(401, 'unauthenticated');
    return userId;
  }

  async function ownedUpload(id: string, userId: number): Promise<Upload | null> {
    if (!UPLOAD_ID.test(id)) return null;
    const upload = await datastore.getUpload(id).catch(() => null);
    return upload?.metadata?.owner === String(userId) ? upload : null;
  }

  /** Turns a finished upload into its file, once even when asked twice at the same time. */
  function finish(upload: Upload): Promise<FileRecord> {
    const running = finishing.get(upload.id);
    if (running !== undefined) return running;
    const size = upload.size ?? upload.offset;
    const done = files
      .finish({
        uploadId: upload.id,
        ownerId: Number(upload.metadata?.owner),
        name: upload.metadata?.filename ?? 'file',
        size,
        path: datastore.pathOf(upload.id),
        sha256: datastore.digest(upload.id, size),
      })
      .finally(async () => {
        finishing.delete(upload.id);
        await datastore.configstore.delete(upload.id).catch(() => undefined);
      });
    finishing.set(upload.id, done);
    return done;
  }

  async function removeUpload(id: string): Promise<void> {
    datastore.forget(id);
    const path = datastore.pathOf(id);
    // With the image variants a finish interrupted by a crash may have left beside it.
    for (const leftover of [path, `${path}.clean`, `${path}.thumb`]) {
      await rm(leftover, { force: true });
    }
    await datastore.configstore.delete(id).catch(() => undefined);
  }

  const tus = new Server({
    path: UPLOADS_PATH,
    datastore,
    maxSize: deps.maxBytes,
    relativeLocation: true,
    // The web client is same-origin; other origins get no CORS grant.
    allowedOrigins: [],
    namingFunction: () => randomBytes(16).toString('hex'),
    async onUploadCreate(req, upload) {
      const userId = uploaderOf(req);
      if (upload.sizeIsDeferred) throw refusal(400, 'Upload-Length is required');
      const name = uploadName(upload.metadata?.filename ?? upload.metadata?.name);
      if (name === null) {
        throw refusal(400, `filename: 1 to ${NAME_MAX_LENGTH} characters, no control characters`);
      }
      return { metadata: { owner: String(userId), filename: name } };
    },
    async onIncomingRequest(req, id) {
      const userId = uploaderOf(req);
      // POST asks with the id it is about to create: nothing to own yet.
      if (req.method === 'POST') return;
      if ((await ownedUpload(id, userId)) === null) throw ERRORS.FILE_NOT_FOUND;
    },
    async onUploadFinish(_req, upload) {
      const file = await finish(upload);
      return { headers: { 'Parley-File-Id': file.id } };
    },
    onResponseError(req, error) {
      // More bytes than declared: the upload is over, and what came of it goes at once.
      if ('status_code' in error && error.status_code === 413 && req.method === 'PATCH') {
        const id = new URL(req.url).pathname.split('/').pop() ?? '';
        if (UPLOAD_ID.test(id)) {
          removeUpload(id).catch((e: unknown) => deps.onError(e, 'remove refused upload'));
        }
      }
      if (!('status_code' in error)) deps.onError(error, 'upload request');
      return undefined;
    },
  });

  return {
    /** Answers one tus request (POST, HEAD, PATCH, DELETE, OPTIONS) of an authenticated user. */
    handle(req: IncomingMessage, res: ServerResponse, userId: number): Promise<void> {
      uploaders.set(req, userId);
      return tus.handle(req, res);
    },

    /** The uploader's view of an upload; anyone else's looks unknown. */
    async state(id: string, userId: number): Promise<UploadState> {
      if (!UPLOAD_ID.test(id)) return { kind: 'unknown' };
      const file = await files.findByUpload(id);
      if (file !== null)
        return file.ownerId === userId ? { kind: 'complete', file } : { kind: 'unknown' };
      const upload = await ownedUpload(id, userId);
      if (upload === null) return { kind: 'unknown' };
      const size = upload.size ?? 0;
      // Finished on disk but not yet a file (the server stopped in between): finish it now.
      if (upload.offset === size) return { kind: 'complete', file: await finish(upload) };
      return { kind: 'incomplete', offset: upload.offset, size };
    },

    /**
     * Removes every upload begun more than the abandon time ago. Finished uploads leave at once,
     * so whatever is this old is abandoned, whether its last bytes arrived or not.
     */
    async removeAbandoned(now: number): Promise<number> {
      let removed = 0;
      for (const id of (await datastore.configstore.list?.()) ?? []) {
        if (finishing.has(id)) continue;
        const info = await datastore.configstore.get(id);
        const created = info?.creation_date ? Date.parse(info.creation_date) : 0;
        if (now - created < deps.abandonMs) continue;
        await removeUpload(id);
        removed++;
      }
      return removed;
    },
  };
}

export type Uploads = ReturnType<typeof createUploads>;
