/** How the terminal client prints: colors (only on a TTY, never with NO_COLOR) and times. */

export interface Style {
  dim(text: string): string;
  bold(text: string): string;
  me(text: string): string;
  peer(text: string): string;
  ok(text: string): string;
  warn(text: string): string;
  error(text: string): string;
}

function sgr(open: number, close: number): (text: string) => string {
  return (text) => `\x1b[${open}m${text}\x1b[${close}m`;
}

export function makeStyle(enabled: boolean): Style {
  if (!enabled) {
    const plain = (text: string): string => text;
    return {
      dim: plain,
      bold: plain,
      me: plain,
      peer: plain,
      ok: plain,
      warn: plain,
      error: plain,
    };
  }
  return {
    dim: sgr(2, 22),
    bold: sgr(1, 22),
    me: sgr(32, 39),
    peer: sgr(36, 39),
    ok: sgr(32, 39),
    warn: sgr(33, 39),
    error: sgr(31, 39),
  };
}

/** Colors when writing to a terminal, unless NO_COLOR is set (https://no-color.org). */
export function colorsWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') return true;
  return stream.isTTY === true;
}

const pad = (n: number): string => n.toString().padStart(2, '0');

/** "14:05" today, "2026-03-01 14:05" on other days (local time). */
export function formatTime(ts: number, now: number = Date.now()): string {
  const d = new Date(ts);
  const today = new Date(now);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const sameDay =
    d.getFullYear() === today.getFullYear() &&
    d.getMonth() === today.getMonth() &&
    d.getDate() === today.getDate();
  return sameDay ? hm : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}`;
}

/** One line of a message body: newlines shown as "⏎" so a message stays on one line. */
export function oneLine(text: string): string {
  return text.replace(/\r?\n/g, ' ⏎ ');
}

/** Shortens to `max` characters with an ellipsis. */
export function preview(text: string, max: number): string {
  const line = oneLine(text);
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}
