/**
 * The files being sent in one conversation, as the chat shows them above the composer: each
 * with its progress and status until the SDK has uploaded it and queued its message (the message
 * then appears in the timeline like any other), or with the reason it was not sent.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  AttachmentKind,
  ChatClient,
  FileDescriptor,
  FileUpload,
  UploadStatus,
} from './sdk.js';
import { errorCode } from './sdk.js';

export interface UploadItem {
  id: number;
  name: string;
  kind: AttachmentKind | null;
  status: UploadStatus;
  sent: number;
  total: number;
  /** Why it failed (the SDK's ParleyError), once `status` is `failed`. */
  error: unknown;
  upload: FileUpload;
}

export interface SendFileRequest {
  file: Blob;
  name: string;
  kind?: AttachmentKind;
  durationMs?: number;
}

/**
 * What this page uploaded, by file id: the outbox keeps only the id of a pending message's
 * attachment, and the row shows its name and preview meanwhile.
 */
const uploadedFiles = new Map<string, FileDescriptor>();

export function uploadedFile(fileId: string): FileDescriptor | undefined {
  return uploadedFiles.get(fileId);
}

/**
 * Large files go up in requests of this size: a broken connection costs at most the unconfirmed
 * part of one, and each request stays within what proxies in front of a server commonly accept.
 */
const UPLOAD_CHUNK_BYTES = 4 * 1024 * 1024;

let nextId = 0;

export function useUploads(client: ChatClient, conversationId: number) {
  const [items, setItems] = useState<readonly UploadItem[]>([]);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const update = useCallback((id: number, change: Partial<UploadItem>) => {
    if (!mounted.current) return;
    setItems((list) => list.map((item) => (item.id === id ? { ...item, ...change } : item)));
  }, []);
  const remove = useCallback((id: number) => {
    if (!mounted.current) return;
    setItems((list) => list.filter((item) => item.id !== id));
  }, []);

  const sendFile = useCallback(
    (request: SendFileRequest) => {
      const id = ++nextId;
      const { upload, message } = client.files.sendFile(conversationId, request.file, {
        name: request.name,
        chunkSize: UPLOAD_CHUNK_BYTES,
        ...(request.kind === undefined ? {} : { kind: request.kind }),
        ...(request.durationMs === undefined ? {} : { durationMs: request.durationMs }),
      });
      const item: UploadItem = {
        id,
        name: request.name,
        kind: request.kind ?? null,
        status: upload.status,
        sent: upload.sent,
        total: upload.total,
        error: null,
        upload,
      };
      setItems((list) => [...list, item]);
      upload.on('progress', ({ sent, total }) => update(id, { sent, total }));
      upload.on('status', ({ status }) => {
        if (status === 'cancelled') remove(id);
        else if (status !== 'failed') update(id, { status });
      });
      upload.done.then(
        (file) => {
          uploadedFiles.set(file.fileId, file);
          // The message is in the outbox now: the timeline shows it from here on.
          remove(id);
        },
        (error: unknown) => {
          if (errorCode(error) === 'cancelled') remove(id);
          else update(id, { status: 'failed', error });
        },
      );
      // A refusal of the message itself shows on its row in the timeline.
      message.catch(() => undefined);
    },
    [client, conversationId, update, remove],
  );

  const dismiss = useCallback((id: number) => remove(id), [remove]);

  return { items, sendFile, dismiss };
}
