/**
 * The chat screen: a transcript printed line by line above a readline prompt. Lines printed while
 * the user types appear above the prompt without disturbing what is typed; a tracked line (an own
 * message waiting for its ack) can be rewritten in place later, while it is still on screen. On a
 * terminal, long lines are wrapped here, continuation rows indented (see wrap.ts).
 */
import readline from 'node:readline';
import { displayWidth, fitTo } from './wrap.js';

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
    private readonly basePrompt: string,
  ) {
    this.tty = output.isTTY === true && input.isTTY === true;
    this.rl = readline.createInterface({ input, output, prompt: basePrompt, terminal: this.tty });
  }

  /**
   * A transient status before the prompt ("bob is typing…"), or none. Only on a terminal: in a
   * pipe or a log it would be noise that is stale by the time anyone reads it.
   */
  setStatus(status: string | null): void {
    if (!this.tty) return;
    this.clearPrompt();
    this.rl.setPrompt(status === null ? this.basePrompt : `${status} ${this.basePrompt}`);
    this.rl.prompt(true);
  }

  /** Calls `onChange` with the line being typed whenever a key changes it (terminal only). */
  onEdit(onChange: (line: string) => void): void {
    if (!this.tty) return;
    // readline updates its line after the keypress event: read it once that handler has run.
    this.input.on('keypress', () => setImmediate(() => onChange(this.rl.line)));
  }

  /** Shows the prompt (with whatever was typed so far). */
  prompt(): void {
    this.rl.prompt(true);
  }

  /** Prints a line above the prompt; with `key`, it can be rewritten by `update`. */
  print(raw: string, key: string | null = null): void {
    if (!this.tty) {
      this.output.write(`${raw}\n`);
      return;
    }
    const text = fitTo(this.output, raw);
    this.clearPrompt();
    this.output.write(`${text}\n`);
    if (key !== null) this.tracked.set(key, { row: this.rowsPrinted, text });
    this.rowsPrinted += this.rowsOf(text);
    this.rl.prompt(true);
  }

  /** Rewrites a tracked line if it is still on screen; otherwise prints `fallback`, if given. */
  update(key: string, raw: string, fallback: string | null = null): void {
    const text = this.tty ? fitTo(this.output, raw) : raw;
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
    // Same rows as before: overwrite each, clearing whatever of the old one was longer.
    const rows = text.split('\n');
    rows.forEach((row, i) => {
      if (i > 0) this.output.write('\n');
      this.output.write(row);
      readline.clearLine(this.output, 1);
    });
    readline.cursorTo(this.output, 0);
    readline.moveCursor(this.output, 0, up - (rows.length - 1));
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
    let rows = 0;
    for (const line of text.split('\n')) {
      rows += Math.max(1, Math.ceil(displayWidth(line) / columns));
    }
    return rows;
  }
}
