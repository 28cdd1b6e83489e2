/**
 * Transfer progress on stderr: a bar redrawn in place on a terminal, a line per tenth otherwise
 * (a log stays short), or nothing (--quiet).
 */
import { formatBytes } from './attachment-text.js';

export type ProgressMode = 'bar' | 'lines' | 'quiet';

const BAR_WIDTH = 30;

export function progressMode(stream: { isTTY?: boolean }, quiet: boolean): ProgressMode {
  if (quiet) return 'quiet';
  return stream.isTTY === true ? 'bar' : 'lines';
}

/** "[#########.....................]  31%  3.1 MB of 10 MB" */
export function progressBar(done: number, total: number): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * BAR_WIDTH);
  const percent = `${Math.floor(ratio * 100)}%`.padStart(4);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${percent}  ${formatBytes(done)} of ${formatBytes(total)}`;
}

export class Progress {
  private lastTenth = -1;
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly mode: ProgressMode,
    /** What is moving, e.g. "uploading cat.jpg" (already made safe to print). */
    private readonly label: string,
  ) {}

  update(done: number, total: number | null): void {
    const size = total ?? done;
    switch (this.mode) {
      case 'quiet':
        return;
      case 'bar':
        this.stream.write(`\r\x1b[2K${this.label} ${progressBar(done, size)}`);
        this.drawn = true;
        return;
      case 'lines': {
        const tenth = size > 0 ? Math.floor((done / size) * 10) : 10;
        if (tenth === this.lastTenth) return;
        this.lastTenth = tenth;
        this.stream.write(`${this.label}: ${tenth * 10}%\n`);
        return;
      }
    }
  }

  /** Ends the bar's line, so what follows starts on its own. */
  finish(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}
