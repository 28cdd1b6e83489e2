/**
 * What a message carries, in its bubble: an image preview that opens full size, a file card with
 * its name, size and a download button, or a voice message with a play button and its length.
 * File names are always text (React escapes them), never markup or a URL the sender chose.
 */
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n.js';
import { formatBytes, formatDuration } from '../../i18n/units.js';
import { useClient } from '../../state/client-context.js';
import type { Attachment } from '../../state/sdk.js';
import { DownloadIcon, FileIcon, PauseIcon, PlayIcon } from '../icons.js';
import { ImageViewer } from './image-viewer.js';
import { useFileUrl } from './use-file-url.js';

/** The largest a preview is drawn in the chat, in CSS pixels (either side). */
const PREVIEW_MAX = 240;
/** A preview's box when the image's size is not known yet (a pending message after a reload). */
const PREVIEW_FALLBACK = { width: PREVIEW_MAX, height: 180 };

/** The preview's size in the chat: reserved before the image loads, so the list does not jump. */
export function previewSize(attachment: Attachment): { width: number; height: number } {
  const width = attachment.width ?? attachment.thumbnail?.width;
  const height = attachment.height ?? attachment.thumbnail?.height;
  if (width === undefined || height === undefined) return PREVIEW_FALLBACK;
  const scale = Math.min(1, PREVIEW_MAX / width, PREVIEW_MAX / height);
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}

/** The height the attachment adds to its bubble, for the list's size estimate. */
export function attachmentHeight(attachment: Attachment): number {
  switch (attachment.kind) {
    case 'image':
      return previewSize(attachment).height + 8;
    case 'file':
      return 64;
    case 'voice':
      return 48;
  }
}

export function AttachmentView({
  attachment,
  pending,
}: {
  attachment: Attachment;
  pending: boolean;
}) {
  switch (attachment.kind) {
    case 'image':
      return <ImageAttachment attachment={attachment} />;
    case 'file':
      return <FileCard attachment={attachment} pending={pending} />;
    case 'voice':
      return <VoiceMessage attachment={attachment} />;
  }
}

function ImageAttachment({ attachment }: { attachment: Attachment }) {
  const { t } = useI18n();
  const size = previewSize(attachment);
  const preview = useFileUrl(attachment.fileId, attachment.thumbnail !== undefined);
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="attachment-image"
        style={{ width: size.width, height: size.height }}
        aria-label={t.openImage(attachment.name)}
        onClick={() => setOpen(true)}
      >
        {preview.status === 'ready' && (
          <img
            src={preview.url}
            alt={t.imageAlt(attachment.name)}
            width={size.width}
            height={size.height}
          />
        )}
        {preview.status === 'failed' && (
          <span className="attachment-missing">{t.imageUnavailable}</span>
        )}
      </button>
      {open && <ImageViewer attachment={attachment} onClose={() => setOpen(false)} />}
    </>
  );
}

function FileCard({ attachment, pending }: { attachment: Attachment; pending: boolean }) {
  const { t } = useI18n();
  const client = useClient();
  const [failed, setFailed] = useState(false);
  const download = async () => {
    setFailed(false);
    try {
      const blob = await client.files.downloadFile(attachment.fileId);
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = attachment.name;
      link.click();
      // The browser has taken the file once the click's task ran.
      setTimeout(() => URL.revokeObjectURL(url), 0);
    } catch {
      setFailed(true);
    }
  };
  return (
    <div className="attachment-file">
      <FileIcon size={28} />
      <div className="attachment-file-text">
        <span className="attachment-name">{attachment.name}</span>
        <span className="attachment-size">
          {failed ? t.downloadFailed : attachment.size > 0 ? formatBytes(attachment.size) : ''}
        </span>
      </div>
      {!pending && (
        <button
          type="button"
          className="icon-btn"
          aria-label={t.download(attachment.name)}
          title={t.download(attachment.name)}
          onClick={() => void download()}
        >
          <DownloadIcon size={20} />
        </button>
      )}
    </div>
  );
}

function VoiceMessage({ attachment }: { attachment: Attachment }) {
  const { t } = useI18n();
  const duration = formatDuration(attachment.durationMs ?? 0);
  // The recording is fetched on the first press of play, not for every voice message in view.
  const [wanted, setWanted] = useState(false);
  const audioUrl = useFileUrl(attachment.fileId, false, wanted);
  const audio = useRef<HTMLAudioElement>(null);
  const [playing, setPlaying] = useState(false);

  useEffect(() => {
    if (wanted && audioUrl.status === 'ready') void audio.current?.play().catch(() => undefined);
  }, [wanted, audioUrl.status]);

  const toggle = () => {
    if (!wanted) return setWanted(true);
    const element = audio.current;
    if (!element) return;
    if (element.paused) void element.play().catch(() => undefined);
    else element.pause();
  };

  return (
    <div className="attachment-voice" role="group" aria-label={t.voiceMessage(duration)}>
      <button
        type="button"
        className="icon-btn voice-play"
        aria-label={playing ? t.pauseVoice : t.playVoice(duration)}
        onClick={toggle}
      >
        {playing ? <PauseIcon size={18} /> : <PlayIcon size={18} />}
      </button>
      <span className="voice-bar" aria-hidden="true" />
      <span className="attachment-size">{duration}</span>
      {audioUrl.status === 'ready' && (
        <audio
          ref={audio}
          src={audioUrl.url}
          preload="auto"
          onPlay={() => setPlaying(true)}
          onPause={() => setPlaying(false)}
          onEnded={() => setPlaying(false)}
        />
      )}
    </div>
  );
}
