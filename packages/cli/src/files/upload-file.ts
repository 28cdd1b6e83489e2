/**
 * Sending a file from disk as a message: checked before a byte is sent (it exists, is a file,
 * fits the server's limit), uploaded with progress, then sent and acknowledged.
 */
import { stat } from 'node:fs/promises';
import type { OutboxEntry, ParleyClient } from '@parley/client';
import { fileSource } from '@parley/client/node';
import { acknowledged } from '../acknowledged.js';
import { CliError, EXIT, toCliError } from '../cli-error.js';
import { formatBytes } from './attachment-text.js';

/** Files travel over HTTP: a tcp:// client needs to be told where that is. */
export function requireHttp(client: ParleyClient, server: string): void {
  if (client.files.httpUrl !== null) return;
  throw new CliError(
    `files travel over HTTP, and ${server} does not say where that is: give the server's ` +
      'HTTP address with --http-url http://host:8080 (env PARLEY_HTTP_URL)',
    EXIT.usage,
  );
}

/** The file's size, or a clear refusal: missing, not a file, over the server's limit. */
export async function checkUpload(client: ParleyClient, path: string): Promise<number> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    const why = error.code === 'ENOENT' ? 'no such file' : (error.code ?? error.message);
    throw new CliError(`cannot read ${path}: ${why}`, EXIT.usage);
  });
  if (!info.isFile()) throw new CliError(`${path} is not a file`, EXIT.usage);
  const limit = client.limits?.maxUploadBytes;
  if (limit !== undefined && info.size > limit) {
    throw new CliError(
      `${path} is too large: ${formatBytes(info.size)}, and this server takes files up to ` +
        `${formatBytes(limit)} (${limit} bytes)`,
    );
  }
  return info.size;
}

export interface UploadHandlers {
  onProgress(sent: number, total: number): void;
  /**
   * Whether to give up when the upload's retries ran out and it waits for the connection
   * (scripts fail; the chat keeps it waiting and it continues once back online).
   */
  failWhenWaiting: boolean;
}

/** Uploads `path` and sends it to the conversation; resolves once the server stored the message. */
export async function sendFileMessage(
  client: ParleyClient,
  conversationId: number,
  path: string,
  caption: string,
  handlers: UploadHandlers,
): Promise<OutboxEntry> {
  const upload = client.files.upload(await fileSource(path));
  upload.on('progress', ({ sent, total }) => handlers.onProgress(sent, total));
  const gaveUp = new Promise<never>((_resolve, reject) => {
    if (!handlers.failWhenWaiting) return;
    upload.on('status', ({ status }) => {
      if (status !== 'waiting') return;
      // Rejected before cancelling, so the race reports this rather than `cancelled`.
      reject(
        new CliError(
          `upload interrupted: lost the connection to the server (${formatBytes(upload.sent)} ` +
            `of ${formatBytes(upload.total)} sent)`,
          EXIT.unreachable,
        ),
      );
      // The server drops the partial upload (if it is back to hear this, else after a day).
      void upload.cancel().catch(() => undefined);
    });
  });
  let file;
  try {
    file = await Promise.race([upload.done, gaveUp]);
  } catch (error) {
    throw uploadError(error);
  }
  const entry = client.send(conversationId, caption, { attachment: { fileId: file.fileId } });
  try {
    await acknowledged(client, entry);
  } catch (error) {
    client.discard(entry.clientMsgId);
    throw error;
  }
  return entry;
}

function uploadError(error: unknown): CliError {
  const e = toCliError(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'too_large') return new CliError(`the server refused the file: ${e.message}`);
  if (code === 'disconnected') {
    return new CliError(`upload interrupted: ${e.message}`, EXIT.unreachable);
  }
  return e;
}
