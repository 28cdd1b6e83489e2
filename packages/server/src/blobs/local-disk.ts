/**
 * The blob store on local disk: `<dir>/ab/abcdef...` (two hex digits of fan-out keep
 * directories small). Writes go to a temporary name in the same directory tree and are renamed
 * into place after fsync, so a blob is either whole or absent, even after a crash.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import {
  assertBlobKey,
  BlobNotFoundError,
  type BlobSource,
  type BlobStore,
  type ByteRange,
} from './blob-store.js';

export function createLocalDiskBlobStore(dir: string): BlobStore {
  const tmpDir = join(dir, 'tmp');
  const pathOf = (sha256: string) => {
    assertBlobKey(sha256);
    return join(dir, sha256.slice(0, 2), sha256);
  };
  const exists = async (path: string) => (await stat(path).catch(() => null)) !== null;

  async function fsyncFile(path: string): Promise<void> {
    const handle = await open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  return {
    async put(sha256, source: BlobSource) {
      const target = pathOf(sha256);
      await mkdir(join(dir, sha256.slice(0, 2)), { recursive: true });
      if (await exists(target)) {
        if (source.kind === 'file') await rm(source.path, { force: true });
        else source.stream.destroy();
        return;
      }
      let staged: string;
      if (source.kind === 'file') {
        staged = source.path;
      } else {
        await mkdir(tmpDir, { recursive: true });
        staged = join(tmpDir, `${sha256}.${randomBytes(6).toString('hex')}`);
        try {
          await pipeline(source.stream, createWriteStream(staged, { flags: 'wx' }));
        } catch (error) {
          await rm(staged, { force: true });
          throw error;
        }
      }
      await fsyncFile(staged);
      // Both live under the data directory, so this is normally an atomic rename; across file
      // systems (a mount inside it) the copy goes to a temporary name first and is renamed.
      try {
        await rename(staged, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
        await mkdir(tmpDir, { recursive: true });
        const copy = join(tmpDir, `${sha256}.${randomBytes(6).toString('hex')}`);
        await copyFile(staged, copy);
        await fsyncFile(copy);
        await rename(copy, target);
        await rm(staged, { force: true });
      }
    },

    async open(sha256, range?: ByteRange): Promise<Readable> {
      const path = pathOf(sha256);
      if (!(await exists(path))) throw new BlobNotFoundError(sha256);
      return createReadStream(path, range === undefined ? {} : range);
    },

    async stat(sha256) {
      const found = await stat(pathOf(sha256)).catch(() => null);
      return found === null ? null : { size: found.size };
    },

    async delete(sha256) {
      await rm(pathOf(sha256), { force: true });
    },
  };
}
