/**
 * Serves the built web client. `/` is index.html; every other path is a file of the build or a 404
 * (the client keeps its state in history.state, so no path is a client-side route). Files are
 * sent brotli or gzip compressed when the build left a .br/.gz beside them and the browser
 * accepts it, with ETag revalidation; hashed files under /assets are cached for a year, the rest
 * revalidated. Dotfiles, paths out of the folder and symlinks that lead out of it are never served.
 */
import { realpath } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { requestPath } from './request-path.js';

/** Whether `path`, with every symlink resolved, is inside `base` (a missing file is: send 404s it). */
async function staysInside(base: string, path: string): Promise<boolean> {
  try {
    const real = await realpath(path);
    return real === base || real.startsWith(base + sep);
  } catch {
    return true;
  }
}

/** The file to send for a request target, relative to `base`, or null to answer 404. */
async function servableFile(base: string, target: string | undefined): Promise<string | null> {
  const pathname = requestPath(target);
  if (pathname === null) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  const file = resolve(base, '.' + (decoded === '/' ? '/index.html' : decoded));
  if (!file.startsWith(base + sep)) return null;
  // The precompressed twins are checked too: send picks them in place of the file.
  const inside = await Promise.all(
    [file, `${file}.br`, `${file}.gz`].map((p) => staysInside(base, p)),
  );
  return inside.every(Boolean) ? relative(base, file) : null;
}

export function staticFileRoutes(root: string) {
  return async function registerStaticFiles(app: FastifyInstance): Promise<void> {
    const base = await realpath(resolve(root));
    const assets = join(base, 'assets') + sep;
    await app.register(fastifyStatic, {
      root: base,
      serve: false,
      preCompressed: true,
      dotfiles: 'ignore',
      index: false,
      etag: true,
      cacheControl: false,
      setHeaders(res, path) {
        // Hashed asset names never change content; index.html must be revalidated to pick up builds.
        res.setHeader(
          'cache-control',
          path.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
        // The body depends on Accept-Encoding whenever a compressed twin exists.
        res.setHeader('vary', 'accept-encoding');
      },
    });
    app.get('/*', async (request, reply) => {
      const file = await servableFile(base, request.raw.url);
      if (file === null) return reply.callNotFound();
      return reply.sendFile(file);
    });
  };
}
