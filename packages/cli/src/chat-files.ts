/**
 * Files in `parley chat`: `/send-file PATH` with its progress in place, a number for each file
 * shown (`/save 3`), and `/save N [PATH]` to download it.
 */
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import type { Attachment, ParleyClient } from '@parley/client';
import type { ChatView } from './chat-view.js';
import { toCliError } from './cli-error.js';
import { saveFile } from './files/download-file.js';
import { progressBar } from './files/progress.js';
import { checkUpload, requireHttp, sendFileMessage } from './files/upload-file.js';
import { visible, type Style } from './format.js';

export const FILE_HELP = '/send-file PATH: send a file, /save N [PATH]: save file N.';

let transfers = 0;

export class ChatFiles {
  /** Files shown so far, by their number in `/save N`. */
  private readonly shown: Attachment[] = [];
  private readonly numbers = new Map<string, number>();

  constructor(
    private readonly client: ParleyClient,
    private readonly view: ChatView,
    private readonly s: Style,
    private readonly server: string,
    private readonly conversationId: number,
  ) {}

  /** The hint after a shown attachment: " /save 3" (the same file keeps its number). */
  hint(attachment: Attachment): string {
    let n = this.numbers.get(attachment.fileId);
    if (n === undefined) {
      this.shown.push(attachment);
      n = this.shown.length;
      this.numbers.set(attachment.fileId, n);
    }
    return `  ${this.s.dim(`/save ${n}`)}`;
  }

  /** `/send-file PATH`: the progress line is rewritten in place; the message shows when stored. */
  async send(typed: string): Promise<void> {
    const path = pathArg(typed);
    if (path === '') return this.view.print(this.s.dim('usage: /send-file PATH'));
    const label = `sending ${visible(basename(path))}`;
    const key = `transfer-${(transfers += 1)}`;
    try {
      requireHttp(this.client, this.server);
      await checkUpload(this.client, path);
      this.view.print(this.s.dim(`${label} ${progressBar(0, 1)}`), key);
      let percent = 0;
      await sendFileMessage(this.client, this.conversationId, path, '', {
        onProgress: (sent, total) => {
          const now = Math.floor((sent / Math.max(total, 1)) * 100);
          if (now === percent) return;
          percent = now;
          this.view.update(key, this.s.dim(`${label} ${progressBar(sent, total)}`));
        },
        failWhenWaiting: false,
      });
      const sent = this.s.dim(`${label}: sent`);
      this.view.update(key, sent, sent);
    } catch (error) {
      const text = this.s.error(`${label}: ${toCliError(error).message}`);
      this.view.update(key, text, text);
    } finally {
      this.view.release(key);
    }
  }

  /** `/save N [PATH]`: into the current directory by default, never over an existing file. */
  async save(args: string): Promise<void> {
    const match = /^(\d+)(?:\s+(.+))?$/.exec(args);
    const attachment = match ? this.shown[Number(match[1]) - 1] : undefined;
    if (!match || !attachment) {
      const range = this.shown.length === 0 ? 'no files shown yet' : `1 to ${this.shown.length}`;
      return this.view.print(this.s.dim(`usage: /save N [PATH], N the file's number (${range})`));
    }
    const name = attachment.kind === 'voice' ? voiceName(attachment) : attachment.name;
    const label = `saving ${visible(name, this.s.control)}`;
    const key = `transfer-${(transfers += 1)}`;
    this.view.print(this.s.dim(`${label} ${progressBar(0, attachment.size)}`), key);
    let percent = 0;
    try {
      requireHttp(this.client, this.server);
      const path = await saveFile(
        this.client,
        attachment.fileId,
        name,
        match[2] === undefined ? null : pathArg(match[2]),
        (received, total) => {
          const size = total ?? attachment.size;
          const now = Math.floor((received / Math.max(size, 1)) * 100);
          if (now === percent) return;
          percent = now;
          this.view.update(key, this.s.dim(`${label} ${progressBar(received, size)}`));
        },
      );
      const saved = this.s.ok(`saved ${visible(path)}`);
      this.view.update(key, saved, saved);
    } catch (error) {
      const text = this.s.error(`${label}: ${toCliError(error).message}`);
      this.view.update(key, text, text);
    } finally {
      this.view.release(key);
    }
  }
}

/** A path as typed at the prompt: quotes around it dropped, a leading "~/" for the home. */
function pathArg(typed: string): string {
  const path = typed.trim().replace(/^(['"])(.*)\1$/, '$2');
  return path.startsWith('~/') ? join(homedir(), path.slice(2)) : path;
}

/** A voice message's file name: what the recorder called it, else by its type. */
function voiceName(a: Attachment): string {
  if (a.name !== '') return a.name;
  return a.mime.includes('ogg') ? 'voice.ogg' : 'voice.webm';
}
