/**
 * The search tokenizer, one for both stores and for both sides (what is indexed and what is
 * asked). Chinese, Japanese and Korean text has no spaces between words and people expect a
 * substring to be found, so a run of CJK characters becomes its single characters (for
 * one-character queries) and its overlapping pairs (bigrams: a longer query is the phrase of its
 * pairs). Every other script becomes lower-cased words of letters and digits. Measured in
 * /work/shared/RESEARCH-wave2.md section 4: correct for 1- and 2-character queries, where FTS5's
 * trigram tokenizer and pg_trgm find nothing or scan, and with no database extension.
 *
 * The stores see only space-separated tokens: SQLite's FTS5 `unicode61` and PostgreSQL's
 * tsvector keep each one whole.
 */

/** Han, Kana and Hangul: written without spaces between words. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** A character that belongs to a word (letters, digits and the marks that modify them). */
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
/** Longer words are cut (the same way in queries): PostgreSQL refuses lexemes over 2 KB. */
export const MAX_TOKEN_CHARS = 64;
/**
 * Tokens indexed per message at most; the rest of a very long message is not searchable.
 * Keeps a PostgreSQL tsvector well under its 1 MB limit (a few bytes per token and position).
 */
export const MAX_INDEXED_TOKENS = 20_000;

/** A piece of text: a CJK run or a word, in the order they appear. */
type Piece = { kind: 'cjk'; chars: string[] } | { kind: 'word'; word: string };

function pieces(text: string): Piece[] {
  const out: Piece[] = [];
  let cjk: string[] = [];
  let word = '';
  const flush = () => {
    if (cjk.length > 0) out.push({ kind: 'cjk', chars: cjk });
    if (word !== '') out.push({ kind: 'word', word: [...word].slice(0, MAX_TOKEN_CHARS).join('') });
    cjk = [];
    word = '';
  };
  for (const char of text.normalize('NFKC').toLowerCase()) {
    if (CJK.test(char)) {
      if (word !== '') flush();
      cjk.push(char);
    } else if (WORD_CHAR.test(char)) {
      if (cjk.length > 0) flush();
      word += char;
    } else {
      flush();
    }
  }
  flush();
  return out;
}

function bigrams(chars: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

/**
 * What a message indexes, in order: first its words and CJK bigrams as they appear (so a
 * bigram phrase is adjacent), then every CJK character alone. A single character is never a
 * bigram, so the two parts cannot be confused.
 */
export function indexTokens(text: string): string[] {
  const sequence: string[] = [];
  const singles: string[] = [];
  for (const piece of pieces(text)) {
    if (piece.kind === 'word') sequence.push(piece.word);
    else {
      sequence.push(...bigrams(piece.chars));
      singles.push(...piece.chars);
    }
  }
  return [...sequence, ...singles].slice(0, MAX_INDEXED_TOKENS);
}

/** One part of a query; a message matches when it matches every term. */
export type QueryTerm =
  /** A single CJK character, anywhere. */
  | { kind: 'char'; char: string }
  /** Two or more CJK characters in sequence: their bigrams, adjacent and in order. */
  | { kind: 'phrase'; bigrams: string[] }
  /** A word, or the start of one (as the user types). */
  | { kind: 'prefix'; word: string };

/** The query's terms; empty when it has no letters, digits or CJK characters. */
export function queryTerms(query: string): QueryTerm[] {
  return pieces(query).map((piece): QueryTerm => {
    if (piece.kind === 'word') return { kind: 'prefix', word: piece.word };
    if (piece.chars.length === 1) return { kind: 'char', char: piece.chars[0]! };
    return { kind: 'phrase', bigrams: bigrams(piece.chars) };
  });
}
