/**
 * Uploads over the tus resumable-upload protocol with tus-js-client (browsers and Node): the
 * server tells how much it has after a broken connection and the upload continues from there.
 * Retries: tus-js-client's own delays first; when they run out while the network is down, the
 * upload waits (`waiting`) and continues by itself once the client is online again.
 */
import { Upload as TusUpload, type DetailedError } from 'tus-js-client';
import { fileDescriptorSchema, type FileDescriptor } from '@parley/protocol';
import { Emitter } from './emitter.js';
import { ParleyError } from './errors.js';
import { errorForStatus, httpError } from './http-files.js';
import type {
  FileUpload,
  NodeFileSource,
  UploadEvents,
  UploadOptions,
  UploadSource,
  UploadStatus,
} from './types.js';

export const DEFAULT_UPLOAD_RETRY_DELAYS_MS = [0, 1000, 3000, 5000, 10_000];

export interface UploadDeps {
  /** `http://host:port` of the server. */
  httpUrl: string;
  /** The session token now (a re-login changes it), or null when logged out. */
  token: () => string | null;
  retryDelaysMs: number[];
  /** Calls `resume` each time the client comes online; returns the unsubscribe function. */
  onOnline: (resume: () => void) => () => void;
}

type TusInput = ConstructorParameters<typeof TusUpload>[0];

function isNodeFile(source: UploadSource): source is NodeFileSource {
  return typeof source === 'object' && 'kind' in source && source.kind === 'node-file';
}

function sizeOf(source: UploadSource): number {
  if (isNodeFile(source)) return source.size;
  if (source instanceof Uint8Array) return source.byteLength;
  return source.size;
}

function nameOf(source: UploadSource, options: UploadOptions): string {
  if (options.name !== undefined) return options.name;
  if (isNodeFile(source)) return source.name;
  const named = source as { name?: unknown };
  return typeof named.name === 'string' && named.name !== '' ? named.name : 'file';
}

/** What tus-js-client reads: Buffers and file streams in Node, Blobs in browsers. */
function tusInput(source: UploadSource): TusInput {
  // tus-js-client's types list no streams, but it reads an fs.ReadStream by its path.
  if (isNodeFile(source)) return source.stream as TusInput;
  if (!(source instanceof Uint8Array)) return source;
  const NodeBuffer = (globalThis as { Buffer?: { from(u: Uint8Array): TusInput } }).Buffer;
  return NodeBuffer !== undefined ? NodeBuffer.from(source) : new Blob([new Uint8Array(source)]);
}

/** A status answer that retrying cannot change (everything 4xx but conflicts and throttling). */
function isPermanent(status: number): boolean {
  return status >= 400 && status < 500 && status !== 409 && status !== 423 && status !== 429;
}

export function startUpload(
  deps: UploadDeps,
  source: UploadSource,
  options: UploadOptions = {},
): FileUpload {
  const emitter = new Emitter<UploadEvents>();
  const total = sizeOf(source);
  let status: UploadStatus = 'uploading';
  let sent = 0;
  let file: FileDescriptor | null = null;
  let settle: { resolve(f: FileDescriptor): void; reject(e: ParleyError): void };
  const done = new Promise<FileDescriptor>((resolve, reject) => (settle = { resolve, reject }));
  // Nobody may be listening yet; a rejection is still reported through `status` and `done`.
  done.catch(() => undefined);

  const setStatus = (next: UploadStatus) => {
    if (status === next) return;
    status = next;
    emitter.emit('status', { status });
  };
  const finished = () => status === 'done' || status === 'failed' || status === 'cancelled';
  const fail = (error: ParleyError) => {
    if (finished()) return;
    setStatus(error.code === 'cancelled' ? 'cancelled' : 'failed');
    stopWatching();
    settle.reject(error);
  };

  async function fetchDescriptor(uploadUrl: string): Promise<void> {
    const token = deps.token();
    const response = await fetch(`${uploadUrl}/file`, {
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw await httpError(response);
    file = fileDescriptorSchema.parse(await response.json());
    sent = total;
    setStatus('done');
    stopWatching();
    settle.resolve(file);
  }

  // Every byte is stored; asking for the file's description can still meet a broken network,
  // and then waits for the client to be online again, like the upload itself.
  let describing: string | null = null;
  function describe(uploadUrl: string): void {
    describing = null;
    fetchDescriptor(uploadUrl).catch((error: unknown) => {
      if (error instanceof ParleyError) return fail(error);
      // fetch rejects with a TypeError when the request did not reach the server.
      if (!(error instanceof TypeError)) return fail(new ParleyError('internal', String(error)));
      if (finished()) return;
      describing = uploadUrl;
      setStatus('waiting');
    });
  }

  const tus = new TusUpload(tusInput(source), {
    endpoint: `${deps.httpUrl}/api/uploads`,
    uploadSize: total,
    metadata: { filename: nameOf(source, options) },
    retryDelays: deps.retryDelaysMs,
    storeFingerprintForResuming: false,
    ...(options.chunkSize === undefined ? {} : { chunkSize: options.chunkSize }),
    onBeforeRequest(req) {
      const token = deps.token();
      if (token !== null) req.setHeader('Authorization', `Bearer ${token}`);
    },
    onProgress(bytesSent) {
      sent = bytesSent;
      emitter.emit('progress', { sent, total });
    },
    onShouldRetry: (error: DetailedError) => !isPermanent(error.originalResponse?.getStatus() ?? 0),
    onSuccess() {
      if (tus.url === null) return fail(new ParleyError('internal', 'upload has no URL'));
      describe(tus.url);
    },
    onError(error) {
      const uploadStatus: UploadStatus = status;
      const httpStatus = (error as DetailedError).originalResponse?.getStatus() ?? 0;
      if (httpStatus !== 0 && isPermanent(httpStatus)) {
        const body = (error as DetailedError).originalResponse?.getBody() ?? '';
        return fail(errorForStatus(httpStatus, body));
      }
      // The network (or the server) is away: continue once the client is back online.
      if (uploadStatus === 'paused' || finished()) return;
      setStatus('waiting');
    },
  });

  const stopWatching = deps.onOnline(() => {
    if (status !== 'waiting') return;
    setStatus('uploading');
    if (describing !== null) describe(describing);
    else tus.start();
  });

  tus.start();

  return {
    get status() {
      return status;
    },
    get sent() {
      return sent;
    },
    total,
    get file() {
      return file;
    },
    done,
    on: (event, handler) => emitter.on(event, handler),
    pause() {
      if (status !== 'uploading' && status !== 'waiting') return;
      setStatus('paused');
      void tus.abort(false);
    },
    resume() {
      if (status !== 'paused' && status !== 'waiting') return;
      setStatus('uploading');
      if (describing !== null) describe(describing);
      else tus.start();
    },
    async cancel() {
      if (finished()) return;
      fail(new ParleyError('cancelled', 'upload cancelled'));
      // Terminates the upload on the server (DELETE) when it was created.
      await tus.abort(true).catch(() => undefined);
    },
  };
}
