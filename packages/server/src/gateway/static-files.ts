/**
 * Serves the built web client. Paths are resolved inside the root and never escape it; unknown
 * paths without a file extension get index.html (client-side routes).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function createStaticHandler(root: string) {
  const base = resolve(root);
  return async function serveStatic(
    req: IncomingMessage,
    res: ServerResponse,
    pathname: string,
  ): Promise<boolean> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return false;
    }
    const candidate = resolve(join(base, normalize(decoded)));
    if (candidate !== base && !candidate.startsWith(base + sep)) return false;
    const file = await existingFile(candidate === base ? join(base, 'index.html') : candidate);
    const target =
      file ?? (extname(decoded) === '' ? await existingFile(join(base, 'index.html')) : null);
    if (!target) return false;
    const type = CONTENT_TYPES[extname(target)] ?? 'application/octet-stream';
    // Hashed asset names never change content; index.html must be revalidated to pick up builds.
    const immutable = target.includes(`${sep}assets${sep}`);
    res.writeHead(200, {
      'content-type': type,
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(target).pipe(res);
    return true;
  };
}

async function existingFile(path: string): Promise<string | null> {
  try {
    return (await stat(path)).isFile() ? path : null;
  } catch {
    return null;
  }
}
