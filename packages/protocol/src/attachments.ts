/**
 * Attachments (version 3): a message may carry one image, file or voice recording that was
 * uploaded over HTTP first (docs/protocol.md section 7, "Attachments"). The frame carries only
 * what describes the file; its bytes are fetched from `/api/files/<fileId>` with the session token.
 */
import { z } from 'zod';

export const ATTACHMENT_KINDS = ['image', 'file', 'voice'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

/** Longest file id the server issues; the schema bounds the parse. */
export const FILE_ID_MAX_LENGTH = 64;
/** Longest voice message, by its recorder's word (one hour). */
export const VOICE_MAX_DURATION_MS = 60 * 60 * 1000;

const dimension = z.number().int().positive();
export const fileIdSchema = z.string().min(1).max(FILE_ID_MAX_LENGTH);

/** A stored file as the server describes it (after an upload, and in every message carrying it). */
export const fileDescriptorSchema = z.object({
  /** Unguessable id: download at `/api/files/<fileId>`. */
  fileId: fileIdSchema,
  /** The file name the uploader gave (a name only, no directories). */
  name: z.string(),
  /** Bytes of what a download returns (for images: the re-encoded, metadata-free file). */
  size: z.number().int().nonnegative(),
  /** Sniffed from the bytes, never taken from the uploader. */
  mime: z.string(),
  /** `image` when the bytes are a raster image browsers display safely; `file` otherwise. */
  media: z.enum(['image', 'file']),
  /** Images: pixels, after EXIF orientation was applied. */
  width: dimension.optional(),
  height: dimension.optional(),
  /** Images: a small WebP preview exists at `/api/files/<fileId>/thumbnail`. */
  thumbnail: z.object({ width: dimension, height: dimension }).optional(),
});
export type FileDescriptor = z.infer<typeof fileDescriptorSchema>;

/** What a message carries (version 3). */
export const attachmentSchema = z.object({
  kind: z.enum(ATTACHMENT_KINDS),
  fileId: fileIdSchema,
  name: z.string(),
  size: z.number().int().nonnegative(),
  mime: z.string(),
  width: dimension.optional(),
  height: dimension.optional(),
  /** Voice: length of the recording in milliseconds, as the sender's recorder measured it. */
  durationMs: z.number().int().nonnegative().optional(),
  /** Images: the preview's size; fetch it from `/api/files/<fileId>/thumbnail`. */
  thumbnail: z.object({ width: dimension, height: dimension }).optional(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

/**
 * What `send` names: a file the sender uploaded. The server fills in name, size, type and
 * dimensions from what it stored, so a client cannot misdescribe a file to others.
 */
export const sendAttachmentSchema = z.object({
  fileId: fileIdSchema,
  /** Default: `image` for an image file, `file` otherwise. `image` needs an image file. */
  kind: z.enum(ATTACHMENT_KINDS).optional(),
  /** Needed for `voice`. */
  durationMs: z.number().int().nonnegative().max(VOICE_MAX_DURATION_MS).optional(),
});
export type SendAttachment = z.infer<typeof sendAttachmentSchema>;

/**
 * How a client that does not know attachments (version 2 and older) sees a message that has
 * one: the attachment becomes a line of text before the body, e.g. `[image] cat.jpg`.
 */
export function attachmentAsText(attachment: Attachment, body: string): string {
  const line = `[${attachment.kind}] ${attachment.name}`;
  return body === '' ? line : `${line}\n${body}`;
}
