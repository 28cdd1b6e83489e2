/**
 * What a file really is, from its bytes (file-type reads the first few KB), never from what the
 * uploader claimed. Only the raster formats browsers decode as pictures (JPEG, PNG, GIF, WebP)
 * count as images to show inline; everything else, HTML and SVG included (they can carry
 * script), is a file that is only ever downloaded.
 */
import { fileTypeFromFile } from 'file-type';

export const DISPLAYABLE_IMAGE_TYPES = [
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
] as const;
export type DisplayableImageType = (typeof DISPLAYABLE_IMAGE_TYPES)[number];

export type Sniffed =
  { media: 'image'; mime: DisplayableImageType } | { media: 'file'; mime: string };

const OCTET_STREAM = 'application/octet-stream';

function isDisplayable(mime: string): mime is DisplayableImageType {
  return (DISPLAYABLE_IMAGE_TYPES as readonly string[]).includes(mime);
}

/**
 * A type a browser could interpret as a document or script even when downloaded is served as
 * plain bytes instead (defence in depth beside `Content-Disposition: attachment`).
 */
function safeFileType(mime: string): string {
  return /^text\/|html|xml|javascript|ecmascript/.test(mime) ? OCTET_STREAM : mime;
}

export async function sniffFile(path: string): Promise<Sniffed> {
  const found = await fileTypeFromFile(path);
  if (found === undefined) return { media: 'file', mime: OCTET_STREAM };
  if (isDisplayable(found.mime)) return { media: 'image', mime: found.mime };
  return { media: 'file', mime: safeFileType(found.mime) };
}
