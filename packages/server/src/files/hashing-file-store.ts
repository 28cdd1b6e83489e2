/**
 * tus's FileStore, computing each upload's SHA-256 while the bytes stream to disk. Node's hash
 * state cannot be saved, so it lives in memory: when the chain breaks (the server restarted
 * during an upload, or a write failed part-way so the bytes hashed and the bytes on disk may
 * differ), `digest` answers null and the caller hashes the finished file from disk instead.
 */
import { createHash, type Hash } from 'node:crypto';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { FileStore } from '@tus/file-store';

interface RunningHash {
  hash: Hash;
  /** Bytes hashed so far: the upload's offset when the hash is valid. */
  offset: number;
}

export class HashingFileStore extends FileStore {
  private readonly hashes = new Map<string, RunningHash>();

  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    let running = this.hashes.get(id) ?? (offset === 0 ? newHash() : undefined);
    if (running !== undefined && running.offset !== offset) running = undefined;
    this.hashes.delete(id);
    let seen = 0;
    // Beside the store's own pipe, like tus's progress listener: both see every chunk in order.
    if (running !== undefined) {
      const hash = running.hash;
      readable.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        seen += chunk.length;
      });
    }
    const newOffset = await super.write(readable, id, offset);
    if (running !== undefined && newOffset === offset + seen) {
      running.offset = newOffset;
      this.hashes.set(id, running);
    }
    return newOffset;
  }

  override async remove(id: string): Promise<void> {
    this.hashes.delete(id);
    await super.remove(id);
  }

  /** The upload's SHA-256 when every byte of its `size` went through this process, else null. */
  digest(id: string, size: number): string | null {
    const running = this.hashes.get(id);
    this.hashes.delete(id);
    return running !== undefined && running.offset === size ? running.hash.digest('hex') : null;
  }

  /** Forgets the hash of an upload that is gone (cleanup). */
  forget(id: string): void {
    this.hashes.delete(id);
  }

  /** Path of the upload's bytes (ids are checked against UPLOAD_ID before they get here). */
  pathOf(id: string): string {
    return join(this.directory, id);
  }
}

function newHash(): RunningHash {
  return { hash: createHash('sha256'), offset: 0 };
}
