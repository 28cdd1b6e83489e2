/**
 * Where a downloaded file goes. The name is the sender's choice, so it is made safe first (no
 * directories, no control characters, no hidden or reserved names), and an existing file is
 * never overwritten: "cat.jpg" becomes "cat (1).jpg", and so on.
 */
import { open, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';

/** Longest name kept, in UTF-16 units (file systems allow 255 bytes; this stays under). */
const MAX_NAME = 120;

/**
 * A name safe to create in a directory: path separators and controls become "_", leading dots
 * go (no "..", no hidden files), and an empty result is "file".
 */
export function safeFileName(name: string): string {
  const cleaned = name
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069/\\]/g, '_')
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '')
    .trim();
  if (cleaned === '') return 'file';
  if (cleaned.length <= MAX_NAME) return cleaned;
  const ext = extname(cleaned).slice(0, 16);
  return `${cleaned.slice(0, MAX_NAME - ext.length)}${ext}`;
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false;
}

/**
 * Claims a path for the download: `target` if it is a file path, or the safe name inside it if
 * it is a directory (default: the current one). The claim is an empty file created exclusively,
 * so two downloads cannot pick the same name; the download later renames its bytes over it.
 */
export async function claimSavePath(senderName: string, target: string | null): Promise<string> {
  const base = target === null ? '.' : target;
  const path = (await isDirectory(base)) ? join(base, safeFileName(senderName)) : base;
  const ext = extname(path);
  const stem = path.slice(0, path.length - ext.length);
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? path : `${stem} (${n})${ext}`;
    try {
      await (await open(candidate, 'wx')).close();
      return resolve(candidate);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 999) throw error;
    }
  }
}
