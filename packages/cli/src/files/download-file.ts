/** Saving a file from the server to disk: a safe, unused path, progress, and the SHA-256 check. */
import { rm } from 'node:fs/promises';
import type { ParleyClient } from '@parley/client';
import { downloadToFile } from '@parley/client/node';
import { CliError, toCliError } from '../cli-error.js';
import { claimSavePath } from './save-path.js';

/**
 * Downloads `fileId` as `name` into `target` (a directory, default the current one, or a file
 * path). Resolves with the path it wrote; on failure the claimed name is freed again.
 */
export async function saveFile(
  client: ParleyClient,
  fileId: string,
  name: string,
  target: string | null,
  onProgress: (received: number, total: number | null) => void,
): Promise<string> {
  const path = await claimSavePath(name, target).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`cannot create a file for ${fileId}: ${error.code ?? error.message}`);
  });
  try {
    await downloadToFile(client.files, fileId, path, { onProgress });
  } catch (error) {
    await rm(path, { force: true });
    if ((error as { code?: unknown } | null)?.code === 'forbidden') {
      throw new CliError(`no such file, or not one shared with you: ${fileId}`);
    }
    throw toCliError(error);
  }
  return path;
}

/**
 * The name the uploader gave a file, from the download's Content-Disposition (`filename*`, as
 * the server sends it: protocol.md, Files over HTTP); asks for one byte only.
 */
export async function fileNameOf(client: ParleyClient, fileId: string): Promise<string> {
  let response;
  try {
    response = await client.files.fetchFile(fileId, { headers: { range: 'bytes=0-0' } });
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === 'forbidden') {
      throw new CliError(`no such file, or not one shared with you: ${fileId}`);
    }
    throw toCliError(error);
  }
  await response.body?.cancel().catch(() => undefined);
  const header = response.headers.get('content-disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(header)?.[1];
  if (encoded === undefined) return fileId;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return fileId;
  }
}
