/**
 * Which strings a client may send. Two rules, checked when a frame is decoded, so the server's
 * domain and both stores only ever see text they store and push byte for byte alike:
 *
 * 1. Every string is well-formed UTF-16: no lone surrogate. JSON lets a client write one
 *    (`"\ud800"`), but UTF-8 cannot encode it, so each database driver replaced it differently
 *    (one U+FFFD on PostgreSQL, three on SQLite) while the live push carried the original.
 * 2. Text shown to people refuses control characters: a message body may hold newline and tab
 *    only; single-line fields (names, ids) none at all. U+0000 cannot be stored by PostgreSQL,
 *    and the others rewrite terminals (ESC, CR) or hide text. Refused, not stripped: what the
 *    sender's device shows is then exactly what every other device shows.
 */

/** Where the string is used decides which control characters it may contain. */
export type TextKind =
  /** A message body: newline (U+000A) and tab (U+0009) allowed. */
  | 'multiline'
  /** A name or an identifier: no control character at all. */
  | 'line';

// C0 (U+0000-U+001F), DEL (U+007F) and C1 (U+0080-U+009F), minus what each kind allows.
// Matching control characters is the point of these patterns, hence the lint exceptions.
const FORBIDDEN: Record<TextKind, RegExp> = {
  // eslint-disable-next-line no-control-regex
  multiline: /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/,
  // eslint-disable-next-line no-control-regex
  line: /[\u0000-\u001F\u007F-\u009F]/,
};

/** String.prototype.isWellFormed is ES2024 (Node 20, current browsers); our lib is ES2023. */
interface Es2024String {
  isWellFormed(): boolean;
}

/** False when the string holds a lone surrogate (it could not be encoded as UTF-8). */
export function isWellFormed(text: string): boolean {
  return (text as unknown as Es2024String).isWellFormed();
}

/** `U+0001`: how an error message names a character. */
function codePointName(char: string): string {
  return `U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Why `text` may not be sent as `kind`, or null when it may. The reason names the first
 * offending character, so a developer sees at once what to change.
 */
export function textProblem(text: string, kind: TextKind): string | null {
  if (!isWellFormed(text)) return 'must be well-formed UTF-16 (it holds a lone surrogate)';
  const found = FORBIDDEN[kind].exec(text);
  if (found === null) return null;
  const allowed = kind === 'multiline' ? 'only newline and tab are allowed' : 'none is allowed';
  return `control character ${codePointName(found[0])} at index ${found.index} (${allowed})`;
}

/**
 * The path of the first string anywhere in `value` that is not well-formed, or null. Run on a
 * whole decoded frame, so no string field, present or added later, can carry a lone surrogate.
 */
export function findIllFormedString(value: unknown, path: string[] = []): string[] | null {
  if (typeof value === 'string') return isWellFormed(value) ? null : path;
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, child] of Object.entries(value)) {
    if (!isWellFormed(key)) return [...path, key];
    const found = findIllFormedString(child, [...path, key]);
    if (found !== null) return found;
  }
  return null;
}
