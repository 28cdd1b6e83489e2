/**
 * From a finished upload to what is stored: the sniffed type, and for images the clean copy
 * others download, its size and its thumbnail. An image that does not decode is kept as a plain
 * file of unknown type (still downloadable, never shown inline).
 */
import { rm } from 'node:fs/promises';
import { sha256OfFile } from '../blobs/hash.js';
import { sanitizeImage, writeThumbnail, type ImageSize } from './images.js';
import { sniffFile } from './sniff.js';

export interface StoredVariant {
  path: string;
  sha256: string;
}

export type ProcessedUpload =
  | { media: 'file'; mime: string; content: StoredVariant }
  | {
      media: 'image';
      mime: string;
      content: StoredVariant;
      size: ImageSize;
      thumbnail: StoredVariant & ImageSize;
    };

/**
 * `path` is the uploaded file, `sha256` its hash; `workPath` is a prefix for temporary files
 * beside it. The caller stores `content` (and `thumbnail`) and removes the rest.
 */
export async function processUpload(
  path: string,
  sha256: string,
  workPath: string,
): Promise<ProcessedUpload> {
  const sniffed = await sniffFile(path);
  if (sniffed.media === 'file') return { ...sniffed, content: { path, sha256 } };
  const cleanPath = `${workPath}.clean`;
  const thumbPath = `${workPath}.thumb`;
  try {
    const size = await sanitizeImage(path, cleanPath, sniffed.mime);
    const thumb = await writeThumbnail(cleanPath, thumbPath);
    return {
      media: 'image',
      mime: sniffed.mime,
      content: { path: cleanPath, sha256: await sha256OfFile(cleanPath) },
      size,
      thumbnail: { path: thumbPath, sha256: await sha256OfFile(thumbPath), ...thumb },
    };
  } catch {
    await rm(cleanPath, { force: true });
    await rm(thumbPath, { force: true });
    return { media: 'file', mime: 'application/octet-stream', content: { path, sha256 } };
  }
}
