/**
 * Wraps a line to the terminal's width itself, indenting the continuation rows, so that however
 * a peer pads a message it cannot make its tail start a row the way a new message ("12:01 bob:")
 * does. Our own color codes take no width; everything else was made visible before (format.ts).
 */
import { stripVTControlCharacters } from 'node:util';

/** Continuation rows start this far in. */
export const WRAP_INDENT = 4;

/**
 * `text` broken into rows of at most `width` columns, joined by newlines, every row but the first
 * indented. Wrap at one column less than the terminal has, so no row fills its last column (where
 * a terminal waits to wrap and "clear to end of line" would eat the last character).
 */
export function wrapIndented(text: string, width: number): string {
  if (width <= WRAP_INDENT + 1 || displayWidth(text) <= width) return text;
  const rows: string[] = [];
  let row = '';
  let used = 0;
  // eslint-disable-next-line no-control-regex -- our own SGR codes, which take no columns
  for (const token of text.match(/\x1b\[[0-9;]*m|[\s\S]/gu) ?? []) {
    const w = token.startsWith('\x1b') ? 0 : displayWidth(token);
    if (used + w > width) {
      rows.push(row);
      row = ' '.repeat(WRAP_INDENT);
      used = WRAP_INDENT;
    }
    row += token;
    used += w;
  }
  rows.push(row);
  return rows.join('\n');
}

/** Wraps for `stream` when it is a terminal; output for pipes and files is left as it is. */
export function fitTo(stream: { isTTY?: boolean; columns?: number }, text: string): string {
  if (stream.isTTY !== true || !stream.columns) return text;
  return text
    .split('\n')
    .map((line) => wrapIndented(line, stream.columns! - 1))
    .join('\n');
}

/** Terminal columns a string takes: escape codes take none, wide (CJK, emoji) characters two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of stripVTControlCharacters(text)) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20 || (cp >= 0x300 && cp <= 0x36f) || cp === 0x200d || cp === 0xfe0f) continue;
    width += isWide(cp) ? 2 : 1;
  }
  return width;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}
