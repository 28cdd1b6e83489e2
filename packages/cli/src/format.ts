/**
 * How the terminal client prints: colors (only on a TTY, never with NO_COLOR), times, and text
 * from others made safe to print (no control character reaches the terminal raw).
 */

export interface Style {
  dim(text: string): string;
  bold(text: string): string;
  me(text: string): string;
  peer(text: string): string;
  ok(text: string): string;
  warn(text: string): string;
  error(text: string): string;
  /** How a control character from someone else is shown (reverse video, as irssi does). */
  control(text: string): string;
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
      control: plain,
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
    control: sgr(7, 27),
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

/**
 * C0 controls but newline, DEL, C1 controls (U+0080-U+009F: 0x9B is CSI to some terminals) and
 * the bidirectional overrides that make text display in another order than it is.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from a peer or the server, safe to write to a terminal: ESC and every other control
 * character is shown as a visible stand-in, marked by `mark` (reverse video on a color
 * terminal), so a message cannot retitle, clear or redraw the terminal. ESC is "^[", BEL "^G"
 * (caret notation), DEL "^?", a C1 or bidi control "<U+009B>". A tab becomes a space. Newlines
 * are kept; see `oneLine`.
 */
export function visible(text: string, mark: (text: string) => string = (t) => t): string {
  return text.replace(UNSAFE, (ch) => {
    const code = ch.charCodeAt(0);
    if (code === 0x09) return ' ';
    if (code < 0x20) return mark(`^${String.fromCharCode(code + 0x40)}`);
    if (code === 0x7f) return mark('^?');
    return mark(`<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`);
  });
}

/**
 * One line of a message body, safe to print: newlines shown as "⏎", so a message stays on one
 * line and cannot forge one that looks like another message, and controls made visible.
 */
export function oneLine(text: string, mark?: (text: string) => string): string {
  return visible(text.replace(/\r?\n/g, ' ⏎ '), mark);
}

/**
 * One JSON object per line for scripts. JSON.stringify escapes C0 controls but leaves DEL and C1
 * controls raw, which a terminal showing the output could still act on: escape those too (the
 * value parses the same).
 */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Shortens to `max` characters with an ellipsis. */
export function preview(text: string, max: number): string {
  const line = oneLine(text);
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}
