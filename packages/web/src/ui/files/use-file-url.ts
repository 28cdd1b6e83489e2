/**
 * A downloaded file as an object URL for <img> and <audio>: downloads need the session token in
 * a header, which an element's `src` cannot send. The URL is revoked when the element goes.
 */
import { useEffect, useState } from 'react';
import { useClient } from '../../state/client-context.js';

export type FileUrl =
  | { status: 'loading'; url: null }
  | { status: 'ready'; url: string }
  | { status: 'failed'; url: null };

/** Downloads `fileId` (or its thumbnail) while `enabled`; null id: nothing to fetch yet. */
export function useFileUrl(fileId: string | null, thumbnail: boolean, enabled = true): FileUrl {
  const client = useClient();
  const [state, setState] = useState<FileUrl>({ status: 'loading', url: null });
  useEffect(() => {
    if (fileId === null || !enabled) return;
    let url: string | null = null;
    let live = true;
    setState({ status: 'loading', url: null });
    client.files.downloadFile(fileId, { thumbnail }).then(
      (blob) => {
        if (!live) return;
        url = URL.createObjectURL(blob);
        setState({ status: 'ready', url });
      },
      () => {
        if (live) setState({ status: 'failed', url: null });
      },
    );
    return () => {
      live = false;
      if (url !== null) URL.revokeObjectURL(url);
    };
  }, [client, fileId, thumbnail, enabled]);
  return state;
}
