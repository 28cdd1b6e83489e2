/**
 * Files in Node: uploading a file from disk (re-readable from any offset, so a resumed upload
 * reads only what the server lacks) and downloading to disk with Range, resuming after a broken
 * connection and checking the result against the server's SHA-256 (its ETag).
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ParleyError } from '../errors.js';
import type { ParleyFiles } from '../files.js';
import type { NodeFileSource } from '../types.js';

/** A file on disk to pass to `client.files.upload` or `sendFile`. */
export async function fileSource(path: string): Promise<NodeFileSource> {
  const { size } = await stat(path);
  return { kind: 'node-file', stream: createReadStream(path), size, name: basename(path) };
}

export interface DownloadToFileOptions {
  /** The thumbnail instead of the file. */
  thumbnail?: boolean;
  /** Called as bytes arrive (`received` counts what an earlier attempt already saved). */
  onProgress?: (received: number, total: number | null) => void;
  /** Attempts after a broken connection (default 5), each resuming with Range. */
  retries?: number;
  signal?: AbortSignal;
}

/** The file's SHA-256, from the server's ETag (`"<hex>"`), or null. */
function etagSha256(etag: string | null): string | null {
  const match = etag === null ? null : /^"([0-9a-f]{64})"$/.exec(etag);
  return match === null ? null : match[1]!;
}

async function hashOf(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Downloads a file to `path`. Bytes go to `path + '.part'` first; after a broken connection the
 * next attempt asks for the rest (`Range`, `If-Range` with the ETag, so a changed file starts
 * over), and a `.part` left by an earlier run is continued the same way. The finished file is
 * checked against the ETag's SHA-256 and renamed into place.
 */
export async function downloadToFile(
  files: ParleyFiles,
  fileId: string,
  path: string,
  options: DownloadToFileOptions = {},
): Promise<void> {
  const part = `${path}.part`;
  let etag: string | null = null;
  let lastError: unknown = null;
  for (let attempt = 0; attempt <= (options.retries ?? 5); attempt++) {
    const have = (await stat(part).catch(() => null))?.size ?? 0;
    const headers: Record<string, string> = {};
    if (have > 0) {
      headers['range'] = `bytes=${have}-`;
      if (etag !== null) headers['if-range'] = etag;
    }
    try {
      const response = await files.fetchFile(fileId, {
        headers,
        ...(options.thumbnail === undefined ? {} : { thumbnail: options.thumbnail }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      etag = response.headers.get('etag');
      const resumed = response.status === 206;
      const length = Number(response.headers.get('content-length') ?? NaN);
      const total = Number.isFinite(length) ? length + (resumed ? have : 0) : null;
      let received = resumed ? have : 0;
      const progress = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          received += chunk.length;
          options.onProgress?.(received, total);
          done(null, chunk);
        },
      });
      if (response.body === null) throw new ParleyError('internal', 'download without a body');
      await pipeline(
        Readable.fromWeb(response.body as WebReadableStream),
        progress,
        createWriteStream(part, { flags: resumed ? 'a' : 'w' }),
      );
      const expected = etagSha256(etag);
      if (expected !== null && !options.thumbnail && (await hashOf(part)) !== expected) {
        // Whatever went wrong, the bytes are not the file: start over.
        await rm(part, { force: true });
        throw new ParleyError('internal', 'downloaded bytes do not match the file');
      }
      await rename(part, path);
      return;
    } catch (error) {
      lastError = error;
      // Refusals (forbidden, not found) do not get better by asking again.
      if (
        error instanceof ParleyError &&
        error.code !== 'disconnected' &&
        error.code !== 'internal'
      )
        throw error;
      if (options.signal?.aborted) throw error;
    }
  }
  throw lastError instanceof ParleyError
    ? lastError
    : new ParleyError('disconnected', `download failed: ${String(lastError)}`);
}
