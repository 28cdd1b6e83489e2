/**
 * The chat screen: a transcript printed line by line above a readline prompt. Lines printed while
 * the user types appear above the prompt without disturbing what is typed; a tracked line (an own
 * message waiting for its ack) can be rewritten in place later, while it is still on screen.
 */
import readline from 'node:readline';
import { stripVTControlCharacters } from 'node:util';

interface Tracked {
  /** Rows printed before this line. */
  row: number;
  text: string;
}

export class ChatView {
  readonly rl: readline.Interface;
  private readonly tty: boolean;
  /** Rows printed since the view opened: positions of tracked lines are kept in these units. */
  private rowsPrinted = 0;
  private readonly tracked = new Map<string, Tracked>();

  constructor(
    private readonly input: NodeJS.ReadStream,
    private readonly output: NodeJS.WriteStream,
    prompt: string,
  ) {
    this.tty = output.isTTY === true && input.isTTY === true;
    this.rl = readline.createInterface({ input, output, prompt, terminal: this.tty });
  }

  /** Shows the prompt (with whatever was typed so far). */
  prompt(): void {
    this.rl.prompt(true);
  }

  /** Prints a line above the prompt; with `key`, it can be rewritten by `update`. */
  print(text: string, key: string | null = null): void {
    if (!this.tty) {
      this.output.write(`${text}\n`);
      return;
    }
    this.clearPrompt();
    this.output.write(`${text}\n`);
    if (key !== null) this.tracked.set(key, { row: this.rowsPrinted, text });
    this.rowsPrinted += this.rowsOf(text);
    this.rl.prompt(true);
  }

  /** Rewrites a tracked line if it is still on screen; otherwise prints `fallback`, if given. */
  update(key: string, text: string, fallback: string | null = null): void {
    const line = this.tracked.get(key);
    const up = line ? this.rowsPrinted - line.row : Infinity;
    const screenRows = this.output.rows ?? 24;
    if (
      !this.tty ||
      !line ||
      up >= screenRows - 1 ||
      this.rowsOf(text) !== this.rowsOf(line.text)
    ) {
      if (fallback !== null) this.print(fallback);
      return;
    }
    this.clearPrompt();
    readline.moveCursor(this.output, 0, -up);
    readline.cursorTo(this.output, 0);
    // Same rows as before: overwrite, padding over whatever of the old text is longer.
    const pad = Math.max(0, displayWidth(line.text) - displayWidth(text));
    this.output.write(`${text}${' '.repeat(pad)}`);
    readline.cursorTo(this.output, 0);
    readline.moveCursor(this.output, 0, up);
    line.text = text;
    this.rl.prompt(true);
  }

  /** Forgets a tracked line (it will not change any more). */
  release(key: string): void {
    this.tracked.delete(key);
  }

  /** After Enter, the terminal still shows "> typed text": remove it (it is printed formatted). */
  eraseEcho(typed: string): void {
    if (!this.tty) return;
    const rows = this.rowsOf(`${this.rl.getPrompt()}${typed}`);
    readline.moveCursor(this.output, 0, -rows);
    readline.cursorTo(this.output, 0);
    readline.clearScreenDown(this.output);
  }

  close(): void {
    this.rl.close();
  }

  private clearPrompt(): void {
    const { rows } = this.rl.getCursorPos();
    readline.moveCursor(this.output, 0, -rows);
    readline.cursorTo(this.output, 0);
    readline.clearScreenDown(this.output);
  }

  private rowsOf(text: string): number {
    const columns = this.output.columns || 80;
    return Math.max(1, Math.ceil(displayWidth(text) / columns));
  }
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
