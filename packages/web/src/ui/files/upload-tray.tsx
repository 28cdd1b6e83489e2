/**
 * The files on their way, above the composer: name, a progress bar, what is happening (uploading,
 * waiting for the network, paused) and pause, resume and cancel; or, for one that was refused,
 * why in words (too large says the limit) and a button to dismiss it.
 */
import { DEFAULT_LIMITS } from '@parley/protocol';
import { errorText } from '../../i18n/errors.js';
import { useI18n } from '../../i18n/i18n.js';
import type { Messages } from '../../i18n/en.js';
import { formatBytes } from '../../i18n/units.js';
import { useClient } from '../../state/client-context.js';
import { errorCode } from '../../state/sdk.js';
import type { UploadItem } from '../../state/use-uploads.js';
import { CloseIcon, PauseIcon, PlayIcon } from '../icons.js';

interface Props {
  items: readonly UploadItem[];
  onDismiss: (id: number) => void;
}

export function UploadTray({ items, onDismiss }: Props) {
  const { t } = useI18n();
  if (items.length === 0) return null;
  return (
    <ul className="upload-tray" aria-label={t.uploadsLabel}>
      {items.map((item) => (
        <UploadRow key={item.id} item={item} onDismiss={onDismiss} />
      ))}
    </ul>
  );
}

function UploadRow({ item, onDismiss }: { item: UploadItem; onDismiss: (id: number) => void }) {
  const { t } = useI18n();
  const client = useClient();
  const percent = item.total > 0 ? Math.floor((item.sent / item.total) * 100) : 0;
  const limit = client.limits?.maxUploadBytes ?? DEFAULT_LIMITS.maxUploadBytes;
  const failed = item.status === 'failed';
  return (
    <li className={failed ? 'upload upload-failed' : 'upload'} aria-label={t.uploading(item.name)}>
      <div className="upload-text">
        <span className="upload-name">{item.name}</span>
        <span className="upload-status" role={failed ? 'alert' : 'status'}>
          {failed
            ? t.uploadFailed(failureText(t, item.error, limit))
            : statusText(t, item, percent)}
        </span>
      </div>
      {!failed && (
        <div
          className="upload-bar"
          role="progressbar"
          aria-label={t.uploading(item.name)}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
        >
          <span style={{ width: `${percent}%` }} />
        </div>
      )}
      <div className="upload-actions">
        {item.status === 'paused' && (
          <button
            type="button"
            className="icon-btn icon-btn-small"
            aria-label={t.resumeUpload}
            title={t.resumeUpload}
            onClick={() => item.upload.resume()}
          >
            <PlayIcon size={16} />
          </button>
        )}
        {(item.status === 'uploading' || item.status === 'waiting') && (
          <button
            type="button"
            className="icon-btn icon-btn-small"
            aria-label={t.pauseUpload}
            title={t.pauseUpload}
            onClick={() => item.upload.pause()}
          >
            <PauseIcon size={16} />
          </button>
        )}
        <button
          type="button"
          className="icon-btn icon-btn-small"
          aria-label={failed ? t.dismiss : t.cancelUpload}
          title={failed ? t.dismiss : t.cancelUpload}
          onClick={() => (failed ? onDismiss(item.id) : void item.upload.cancel())}
        >
          <CloseIcon size={16} />
        </button>
      </div>
    </li>
  );
}

function statusText(t: Messages, item: UploadItem, percent: number): string {
  switch (item.status) {
    case 'uploading':
      return `${t.uploadProgress(percent)} · ${formatBytes(item.sent)} / ${formatBytes(item.total)}`;
    case 'waiting':
      return `${t.uploadWaiting} ${t.uploadProgress(percent)}`;
    case 'paused':
      return `${t.uploadPaused} ${t.uploadProgress(percent)}`;
    case 'done':
    case 'failed':
    case 'cancelled':
      return t.uploadSending;
  }
}

function failureText(t: Messages, error: unknown, limit: number): string {
  switch (errorCode(error)) {
    case 'too_large':
      return t.uploadTooLarge(formatBytes(limit));
    case 'invalid':
      return t.uploadRefused;
    case 'invalid_token':
    case 'unauthenticated':
      return t.uploadNoSession;
    default:
      return errorText(t, error);
  }
}
