/**
 * The blob store port: bytes by their SHA-256, stored once whoever uploads them. Small on
 * purpose, so an S3-compatible adapter is a few calls (PutObject, GetObject with Range,
 * HeadObject, DeleteObject). The local-disk adapter is local-disk.ts.
 */
import type { Readable } from 'node:stream';

/** What to store: a finished file on local disk (the adapter may move it), or a stream. */
export type BlobSource = { kind: 'file'; path: string } | { kind: 'stream'; stream: Readable };

/** Inclusive byte range, as HTTP Range gives it. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface BlobStore {
  /**
   * Stores the bytes under `sha256` (hex, the caller computed it). When a blob with that key
   * exists already, nothing is written: identical content is kept once. A `file` source is
   * consumed either way (moved in or removed).
   */
  put(sha256: string, source: BlobSource): Promise<void>;
  /** Reads the blob, or the range of it; rejects with BlobNotFoundError when there is none. */
  open(sha256: string, range?: ByteRange): Promise<Readable>;
  /** The blob's size, or null when there is none. */
  stat(sha256: string): Promise<{ size: number } | null>;
  /** Removes the blob; removing one that is not there is not an error. */
  delete(sha256: string): Promise<void>;
}

export class BlobNotFoundError extends Error {
  override name = 'BlobNotFoundError';
  constructor(sha256: string) {
    super(`no blob ${sha256}`);
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Keys are hex SHA-256 and nothing else: an adapter never builds a path from anything else. */
export function assertBlobKey(sha256: string): void {
  if (!SHA256_HEX.test(sha256)) throw new Error(`not a blob key: ${JSON.stringify(sha256)}`);
}
