/**
 * The HTTP side of files, as a Fastify plugin: the tus upload endpoint, an upload's finished
 * file, downloads with Range and the safety headers, thumbnails, and deleting one's own file.
 * Every route needs `Authorization: Bearer <session token>`.
 *
 * Downloads are answered 403 for anyone who may not read the file, and an unknown id gets the
 * very same answer, so probing ids reveals nothing.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BlobNotFoundError, type BlobStore } from '../blobs/blob-store.js';
import type { FileRecord } from '../store/store.js';
import { describeFile, type Files } from './files.js';
import { parseRange } from './http-range.js';
import { UPLOADS_PATH, type Uploads } from './uploads.js';

export interface FileRoutesDeps {
  uploads: Uploads;
  files: Files;
  blobs: BlobStore;
  /** The user a session token belongs to, or null when it is unknown, expired or revoked. */
  authenticate: (token: string) => Promise<number | null>;
}

const TUS_CONTENT_TYPE = 'application/offset+octet-stream';
const THUMBNAIL_TYPE = 'image/webp';

type IdParams = { Params: { id: string } };

/** A JSON error answer in the server's shape, `{"error": code}`, with this API's own codes. */
function sendFileError(reply: FastifyReply, status: number, error: string, extra: object = {}) {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .type('application/json')
    .send(JSON.stringify({ error, ...extra }));
}

/** `attachment; filename="cat.jpg"; filename*=UTF-8''cat.jpg`, ASCII fallback first. */
function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * The routes plugin. `current` gives the services once the server serves (the routes are
 * registered with the listener, before the store is open); until then every route answers 503.
 */
export function registerFileRoutes(current: () => FileRoutesDeps | null) {
  /** The caller and the services, or null once an answer (401, 503) was sent. */
  async function callerOf(
    req: FastifyRequest,
    reply: FastifyReply,
  ): Promise<{ userId: number; deps: FileRoutesDeps } | null> {
    const deps = current();
    if (deps === null) {
      sendFileError(reply, 503, 'unavailable');
      return null;
    }
    const header = req.headers.authorization;
    const match = header === undefined ? null : /^Bearer ([^\s]{1,256})$/.exec(header);
    const userId = match === null ? null : await deps.authenticate(match[1]!);
    if (userId === null) {
      sendFileError(reply.header('www-authenticate', 'Bearer'), 401, 'unauthenticated');
      return null;
    }
    return { userId, deps };
  }

  async function tus(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    const deps = current();
    if (deps === null) return sendFileError(reply, 503, 'unavailable');
    // OPTIONS is tus's capability discovery (and a CORS preflight): it carries no token.
    const caller = req.method === 'OPTIONS' ? { userId: 0, deps } : await callerOf(req, reply);
    if (caller === null) return reply;
    reply.hijack();
    await deps.uploads.handle(req.raw, reply.raw, caller.userId);
    return undefined;
  }

  async function serveBlob(
    blobs: BlobStore,
    req: FastifyRequest,
    reply: FastifyReply,
    file: FileRecord,
    sha256: string,
    mime: string,
    inline: boolean,
  ): Promise<FastifyReply> {
    const stat = await blobs.stat(sha256);
    if (stat === null) throw new BlobNotFoundError(sha256);
    const etag = `"${sha256}"`;
    reply
      .header('etag', etag)
      .header('accept-ranges', 'bytes')
      .header('cache-control', 'private, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      // Whatever the bytes are, nothing in them runs: no scripts, plugins or same-origin access.
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header(
        'content-disposition',
        contentDisposition(inline ? 'inline' : 'attachment', file.name),
      )
      .type(mime);
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    // If-Range: resume only while the file is the one the client has the first part of.
    const ifRange = req.headers['if-range'];
    const answer =
      ifRange !== undefined && ifRange !== etag
        ? ({ kind: 'whole' } as const)
        : parseRange(req.headers.range, stat.size);
    switch (answer.kind) {
      case 'unsatisfiable':
        return reply.code(416).header('content-range', `bytes */${stat.size}`).send();
      case 'partial': {
        const { start, end } = answer.range;
        reply
          .code(206)
          .header('content-range', `bytes ${start}-${end}/${stat.size}`)
          .header('content-length', end - start + 1);
        if (req.method === 'HEAD') return reply.send();
        return reply.send(await blobs.open(sha256, answer.range));
      }
      case 'whole':
        reply.header('content-length', stat.size);
        if (req.method === 'HEAD') return reply.send();
        return reply.send(await blobs.open(sha256));
      default: {
        const unknownAnswer: never = answer;
        throw new Error(`unknown range answer ${JSON.stringify(unknownAnswer)}`);
      }
    }
  }

  return async function fileRoutes(app: FastifyInstance): Promise<void> {
    await app.register(async (scope) => {
      // tus bodies stay unread here: @tus/server streams them to disk itself.
      scope.addContentTypeParser(TUS_CONTENT_TYPE, (_req, _payload, done) => done(null));

      scope.route({ method: ['POST', 'OPTIONS'], url: UPLOADS_PATH, handler: tus });
      scope.route({
        method: ['HEAD', 'PATCH', 'DELETE', 'OPTIONS'],
        url: `${UPLOADS_PATH}/:id`,
        handler: tus,
      });

      scope.get<IdParams>(`${UPLOADS_PATH}/:id/file`, async (req, reply) => {
        const caller = await callerOf(req, reply);
        if (caller === null) return reply;
        const state = await caller.deps.uploads.state(req.params.id, caller.userId);
        switch (state.kind) {
          case 'unknown':
            return sendFileError(reply, 404, 'not_found');
          case 'incomplete':
            return sendFileError(reply, 409, 'incomplete', {
              offset: state.offset,
              size: state.size,
            });
          case 'complete':
            return reply.header('cache-control', 'no-store').send(describeFile(state.file));
          default: {
            const unknownState: never = state;
            throw new Error(`unknown upload state ${JSON.stringify(unknownState)}`);
          }
        }
      });

      scope.get<IdParams>('/api/files/:id', async (req, reply) => {
        const caller = await callerOf(req, reply);
        if (caller === null) return reply;
        const { deps, userId } = caller;
        const file = await deps.files.readable(userId, req.params.id);
        if (file === null) return sendFileError(reply, 403, 'forbidden');
        return serveBlob(
          deps.blobs,
          req,
          reply,
          file,
          file.sha256,
          file.mime,
          file.media === 'image',
        );
      });

      scope.get<IdParams>('/api/files/:id/thumbnail', async (req, reply) => {
        const caller = await callerOf(req, reply);
        if (caller === null) return reply;
        const { deps, userId } = caller;
        const file = await deps.files.readable(userId, req.params.id);
        if (file === null) return sendFileError(reply, 403, 'forbidden');
        if (file.thumbnail === null) return sendFileError(reply, 404, 'no_thumbnail');
        return serveBlob(deps.blobs, req, reply, file, file.thumbnail.sha256, THUMBNAIL_TYPE, true);
      });

      scope.delete<IdParams>('/api/files/:id', async (req, reply) => {
        const caller = await callerOf(req, reply);
        if (caller === null) return reply;
        if (!(await caller.deps.files.remove(caller.userId, req.params.id))) {
          return sendFileError(reply, 403, 'forbidden');
        }
        return reply.code(204).send();
      });
    });
  };
}
