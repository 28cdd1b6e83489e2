/**
 * Images with sharp (libvips): what others download is re-encoded from the pixels, so nothing
 * of the original's metadata survives (EXIF with GPS position, XMP, comments); EXIF orientation
 * is applied first so the picture stands the way the camera held it. GIF keeps its frames
 * (animation) and loses its metadata the same way. Thumbnails are small WebP files.
 */
import sharp from 'sharp';
import type { DisplayableImageType } from './sniff.js';

export const THUMBNAIL_MAX_PX = 320;

export interface ImageSize {
  width: number;
  height: number;
}

/** Writes the metadata-free, upright copy of `input` to `output`; returns its size. */
export async function sanitizeImage(
  input: string,
  output: string,
  type: DisplayableImageType,
): Promise<ImageSize> {
  const animated = type === 'image/gif' || type === 'image/webp';
  // .rotate() with no angle applies the EXIF orientation; sharp writes no metadata unless asked.
  const pipeline = sharp(input, { animated }).rotate();
  switch (type) {
    case 'image/jpeg':
      await pipeline.jpeg({ quality: 90, mozjpeg: true }).toFile(output);
      break;
    case 'image/png':
      await pipeline.png().toFile(output);
      break;
    case 'image/webp':
      await pipeline.webp({ quality: 90 }).toFile(output);
      break;
    case 'image/gif':
      await pipeline.gif().toFile(output);
      break;
    default: {
      const unknownType: never = type;
      throw new Error(`no encoder for ${String(unknownType)}`);
    }
  }
  return sizeOf(output);
}

/** The picture's size; for an animation, one frame's. */
export async function sizeOf(path: string): Promise<ImageSize> {
  const meta = await sharp(path).metadata();
  const width = meta.width;
  const height = meta.pageHeight ?? meta.height;
  if (!width || !height) throw new Error('image without dimensions');
  return { width, height };
}

/** A WebP preview of (the first frame of) an upright image, at most 320 px on its long side. */
export async function writeThumbnail(input: string, output: string): Promise<ImageSize> {
  const info = await sharp(input, { animated: false })
    .resize(THUMBNAIL_MAX_PX, THUMBNAIL_MAX_PX, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 80 })
    .toFile(output);
  return { width: info.width, height: info.height };
}
