/**
 * The files side of the SDK (`client.files`): resumable uploads, sending a file in one call, and
 * downloads with the session token. Files travel over HTTP, beside the message connection.
 */
import { ParleyError } from './errors.js';
import { fetchFile, fileUrl, httpError } from './http-files.js';
import { startUpload, type UploadDeps } from './uploads.js';
import type {
  DownloadOptions,
  FileUpload,
  OutboxEntry,
  SendFileOptions,
  SendOptions,
  SentFile,
  UploadOptions,
  UploadSource,
} from './types.js';

export interface FilesDeps extends Omit<UploadDeps, 'httpUrl'> {
  httpUrl: string | null;
  sendAndWait(conversationId: number, body: string, options: SendOptions): Promise<OutboxEntry>;
}

export class ParleyFiles {
  /** @internal */
  constructor(private readonly deps: FilesDeps) {}

  /**
   * The server's HTTP address (uploads, downloads): `options.httpUrl`, or derived from a
   * `ws://`/`wss://` url. Null for a TCP client that was given none.
   */
  get httpUrl(): string | null {
    return this.deps.httpUrl;
  }

  private requireHttp(): string {
    if (this.deps.httpUrl === null) {
      throw new ParleyError('invalid', 'files need the httpUrl option on a TCP client');
    }
    return this.deps.httpUrl;
  }

  /**
   * Uploads a file, resumably: progress events, `pause()`, `resume()`, `cancel()`, and after a
   * broken connection it continues from what the server has, by itself. Needs a session.
   *
   * @example
   * const upload = client.files.upload(file); // a browser File, a Uint8Array, or fileSource(path)
   * upload.on('progress', ({ sent, total }) => bar.update(sent / total));
   * const stored = await upload.done;
   * await client.sendAndWait(chatId, '', { attachment: { fileId: stored.fileId } });
   */
  upload(source: UploadSource, options: UploadOptions = {}): FileUpload {
    return startUpload({ ...this.deps, httpUrl: this.requireHttp() }, source, options);
  }

  /**
   * Uploads a file and then sends a message carrying it (`kind` voice with `durationMs` for a
   * recording). The message is queued in the outbox once the upload is done.
   */
  sendFile(conversationId: number, source: UploadSource, options: SendFileOptions = {}): SentFile {
    const upload = this.upload(source, options);
    const message = upload.done.then((file) =>
      this.deps.sendAndWait(conversationId, options.body ?? '', {
        attachment: {
          fileId: file.fileId,
          ...(options.kind === undefined ? {} : { kind: options.kind }),
          ...(options.durationMs === undefined ? {} : { durationMs: options.durationMs }),
        },
      }),
    );
    return { upload, message };
  }

  /**
   * The download URL of a file (or of an image's thumbnail). It needs the token in an
   * `Authorization: Bearer` header, so an `<img src>` cannot use it directly: use
   * `downloadFile` and `URL.createObjectURL`, or `fetchFile` with `authorization()`.
   */
  fileUrl(fileId: string, options: { thumbnail?: boolean } = {}): string {
    return fileUrl(this.requireHttp(), fileId, options.thumbnail ?? false);
  }

  /** The header a file request needs (`{ authorization: 'Bearer ...' }`), or null when logged out. */
  authorization(): { authorization: string } | null {
    const token = this.deps.token();
    return token === null ? null : { authorization: `Bearer ${token}` };
  }

  /**
   * GETs a file with the session token. Rejects with a ParleyError: `forbidden` when this user
   * may not read it (the same for an unknown id), `invalid_token`, `disconnected`. Pass a
   * `Range` header to fetch a part (the answer is then 206).
   */
  fetchFile(fileId: string, options: DownloadOptions = {}): Promise<Response> {
    return fetchFile(this.requireHttp(), this.deps.token(), fileId, options);
  }

  /** The whole file (or thumbnail) as a Blob, e.g. for `URL.createObjectURL` in a browser. */
  async downloadFile(fileId: string, options: DownloadOptions = {}): Promise<Blob> {
    return (await this.fetchFile(fileId, options)).blob();
  }

  /**
   * Deletes a file this user uploaded. Messages that carried it keep their attachment, which no
   * longer downloads. Rejects with `forbidden` for anyone else's file.
   */
  async deleteFile(fileId: string): Promise<void> {
    const token = this.deps.token();
    if (token === null) throw new ParleyError('unauthenticated', 'log in first');
    const response = await fetch(fileUrl(this.requireHttp(), fileId), {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw await httpError(response);
  }
}
