/**
 * Files after their upload: turning a finished upload into a stored file (type sniffed, images
 * cleaned, content stored once by SHA-256), who may read one, what a message's attachment says
 * about it, and deleting one without breaking another file of the same content.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { Attachment, FileDescriptor, SendAttachment } from '@parley/protocol';
import type { BlobStore } from '../blobs/blob-store.js';
import { sha256OfFile } from '../blobs/hash.js';
import { DomainError } from '../domain/errors.js';
import { processUpload } from '../media/process.js';
import type { FileRecord, Store } from '../store/store.js';
import { createKeyLock } from './key-lock.js';

export interface FinishedUpload {
  uploadId: string;
  ownerId: number;
  name: string;
  size: number;
  /** The uploaded bytes on disk; consumed (moved into the blob store or removed). */
  path: string;
  /** SHA-256 computed while streaming, or null when it has to be computed now. */
  sha256: string | null;
}

export interface FilesDeps {
  store: Store;
  blobs: BlobStore;
  now: () => number;
}

/** 144 random bits, URL-safe: ids are not guessable and say nothing about the content. */
const newFileId = () => randomBytes(18).toString('base64url');

const VOICE_TYPES = /^(audio\/|video\/webm$|video\/ogg$|video\/mp4$|application\/ogg$)/;

export function describeFile(file: FileRecord): FileDescriptor {
  return {
    fileId: file.id,
    name: file.name,
    size: file.size,
    mime: file.mime,
    media: file.media,
    ...(file.width !== null && file.height !== null
      ? { width: file.width, height: file.height }
      : {}),
    ...(file.thumbnail === null
      ? {}
      : { thumbnail: { width: file.thumbnail.width, height: file.thumbnail.height } }),
  };
}

export function createFiles({ store, blobs, now }: FilesDeps) {
  const withKeys = createKeyLock();

  return {
    /** Stores a finished upload; asking again for the same upload returns the same file. */
    async finish(upload: FinishedUpload): Promise<FileRecord> {
      const existing = await store.findFileByUpload(upload.uploadId);
      if (existing !== null) {
        await rm(upload.path, { force: true });
        return existing;
      }
      const sha256 = upload.sha256 ?? (await sha256OfFile(upload.path));
      const processed = await processUpload(upload.path, sha256, upload.path);
      const keys = [processed.content.sha256];
      if (processed.media === 'image') keys.push(processed.thumbnail.sha256);
      try {
        return await withKeys(keys, async () => {
          await blobs.put(processed.content.sha256, { kind: 'file', path: processed.content.path });
          if (processed.media === 'image') {
            await blobs.put(processed.thumbnail.sha256, {
              kind: 'file',
              path: processed.thumbnail.path,
            });
          }
          const stat = await blobs.stat(processed.content.sha256);
          return store.createFile(
            {
              id: newFileId(),
              ownerId: upload.ownerId,
              uploadId: upload.uploadId,
              name: upload.name,
              size: stat?.size ?? upload.size,
              mime: processed.mime,
              media: processed.media,
              sha256: processed.content.sha256,
              width: processed.media === 'image' ? processed.size.width : null,
              height: processed.media === 'image' ? processed.size.height : null,
              thumbnail:
                processed.media === 'image'
                  ? {
                      sha256: processed.thumbnail.sha256,
                      width: processed.thumbnail.width,
                      height: processed.thumbnail.height,
                    }
                  : null,
            },
            now(),
          );
        });
      } finally {
        // The original of a cleaned image, and anything a failure left: nothing stays behind.
        await rm(upload.path, { force: true });
        if (processed.media === 'image') {
          await rm(processed.content.path, { force: true });
          await rm(processed.thumbnail.path, { force: true });
        }
      }
    },

    /** The file when `userId` may download it, else null (unknown ids look the same). */
    readable: (userId: number, fileId: string) => store.readableFile(userId, fileId),

    /** The uploader's file made into what a message carries; refuses anyone else's. */
    async attachmentFor(senderId: number, wanted: SendAttachment): Promise<Attachment> {
      const file = await store.findFile(wanted.fileId);
      if (file === null || file.ownerId !== senderId) {
        throw new DomainError('not_found', 'attachment: you have uploaded no file with that id');
      }
      const kind = wanted.kind ?? file.media;
      if (kind === 'image' && file.media !== 'image') {
        throw new DomainError('invalid', 'attachment: the file is not an image');
      }
      if (kind === 'voice' && (wanted.durationMs === undefined || !VOICE_TYPES.test(file.mime))) {
        throw new DomainError(
          'invalid',
          'attachment: a voice message needs an audio file and its durationMs',
        );
      }
      if (kind !== 'voice' && wanted.durationMs !== undefined) {
        throw new DomainError('invalid', 'attachment: durationMs is for voice messages only');
      }
      const { fileId, name, size, mime, width, height, thumbnail } = describeFile(file);
      return {
        kind,
        fileId,
        name,
        size,
        mime,
        ...(width !== undefined && height !== undefined ? { width, height } : {}),
        ...(wanted.durationMs === undefined ? {} : { durationMs: wanted.durationMs }),
        ...(thumbnail === undefined ? {} : { thumbnail }),
      };
    },

    /**
     * The uploader deletes a file: messages carrying it keep their attachment, which no longer
     * downloads; other files of the same content keep theirs. False when it is not theirs.
     */
    async remove(userId: number, fileId: string): Promise<boolean> {
      const file = await store.findFile(fileId);
      if (file === null || file.ownerId !== userId) return false;
      const keys = [file.sha256, ...(file.thumbnail === null ? [] : [file.thumbnail.sha256])];
      await withKeys(keys, async () => {
        for (const sha256 of await store.deleteFile(fileId)) await blobs.delete(sha256);
      });
      return true;
    },

    findByUpload: (uploadId: string) => store.findFileByUpload(uploadId),
  };
}

export type Files = ReturnType<typeof createFiles>;
