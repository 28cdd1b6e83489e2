/**
 * How an attachment reads in the terminal: `[image] cat.jpg (1.2 MB, 800×600)`,
 * `[file] report.pdf (2.1 MB)`, `[voice] 0:05`. The name is the sender's: shown through
 * `visible`, so it cannot drive the terminal.
 */
import type { Attachment } from '@parley/client';
import { oneLine, visible } from '../format.js';

/** 1234567 -> "1.2 MB" (decimal units, as file managers show sizes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** 5000 -> "0:05", 3_725_000 -> "1:02:05". */
export function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const s = String(total % 60).padStart(2, '0');
  const m = Math.floor(total / 60) % 60;
  const h = Math.floor(total / 3600);
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export function attachmentText(a: Attachment, mark?: (text: string) => string): string {
  const name = visible(a.name, mark);
  switch (a.kind) {
    case 'image': {
      const size = a.width && a.height ? `, ${a.width}×${a.height}` : '';
      return `[image] ${name} (${formatBytes(a.size)}${size})`;
    }
    case 'voice':
      return `[voice] ${formatDuration(a.durationMs ?? 0)}`;
    case 'file':
      return `[file] ${name} (${formatBytes(a.size)})`;
  }
}

/** A message's text on one line: the attachment first, then the caption, if any. */
export function messageText(
  m: { body: string; attachment?: Attachment | undefined },
  mark?: (text: string) => string,
): string {
  const body = oneLine(m.body, mark);
  if (!m.attachment) return body;
  const attachment = attachmentText(m.attachment, mark);
  return body === '' ? attachment : `${attachment} ${body}`;
}
