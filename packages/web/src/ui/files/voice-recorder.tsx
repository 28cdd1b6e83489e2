/**
 * Recording a voice message with MediaRecorder (Chromium records audio/webm;codecs=opus): the
 * microphone button starts, "stop and send" hands the recording and its length to `onRecorded`,
 * cancel throws it away. The microphone is released as soon as recording ends.
 */
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n.js';
import { formatDuration } from '../../i18n/units.js';
import { CloseIcon, MicIcon, StopIcon } from '../icons.js';

const PREFERRED_TYPE = 'audio/webm;codecs=opus';

type Recording =
  | { status: 'idle' }
  | { status: 'starting' }
  | { status: 'recording'; startedAt: number }
  | { status: 'denied' };

interface Session {
  recorder: MediaRecorder;
  stream: MediaStream;
  chunks: Blob[];
  startedAt: number;
  /** Stop means send; cancel stops without. */
  send: boolean;
}

export function VoiceRecorder({
  onRecorded,
}: {
  onRecorded: (audio: Blob, name: string, durationMs: number) => void;
}) {
  const { t } = useI18n();
  const [recording, setRecording] = useState<Recording>({ status: 'idle' });
  const [now, setNow] = useState(() => performance.now());
  const session = useRef<Session | null>(null);
  const onRecordedRef = useRef(onRecorded);
  onRecordedRef.current = onRecorded;

  // Leaving the chat while recording: release the microphone, send nothing.
  useEffect(() => () => finish(false), []);

  useEffect(() => {
    if (recording.status !== 'recording') return;
    const timer = setInterval(() => setNow(performance.now()), 250);
    return () => clearInterval(timer);
  }, [recording.status]);

  function finish(send: boolean) {
    const current = session.current;
    if (!current) return;
    current.send = send;
    if (current.recorder.state !== 'inactive') current.recorder.stop();
    else current.stream.getTracks().forEach((track) => track.stop());
  }

  async function start() {
    if (typeof MediaRecorder === 'undefined' || !navigator.mediaDevices) {
      setRecording({ status: 'denied' });
      return;
    }
    setRecording({ status: 'starting' });
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch {
      setRecording({ status: 'denied' });
      return;
    }
    const type = MediaRecorder.isTypeSupported(PREFERRED_TYPE) ? PREFERRED_TYPE : '';
    const recorder = new MediaRecorder(stream, type === '' ? {} : { mimeType: type });
    const current: Session = {
      recorder,
      stream,
      chunks: [],
      startedAt: performance.now(),
      send: false,
    };
    session.current = current;
    recorder.ondataavailable = (event) => {
      if (event.data.size > 0) current.chunks.push(event.data);
    };
    recorder.onstop = () => {
      stream.getTracks().forEach((track) => track.stop());
      if (session.current === current) session.current = null;
      setRecording({ status: 'idle' });
      if (!current.send || current.chunks.length === 0) return;
      const mime = recorder.mimeType || type || 'audio/webm';
      const audio = new Blob(current.chunks, { type: mime });
      const durationMs = Math.round(performance.now() - current.startedAt);
      onRecordedRef.current(audio, `voice.${extensionOf(mime)}`, durationMs);
    };
    recorder.start();
    setNow(current.startedAt);
    setRecording({ status: 'recording', startedAt: current.startedAt });
  }

  if (recording.status === 'recording') {
    const elapsed = formatDuration(now - recording.startedAt);
    return (
      <div className="voice-recording" role="group" aria-label={t.recording(elapsed)}>
        <button
          type="button"
          className="icon-btn"
          aria-label={t.cancelRecording}
          title={t.cancelRecording}
          onClick={() => finish(false)}
        >
          <CloseIcon size={20} />
        </button>
        <span className="recording-dot" aria-hidden="true" />
        <span className="recording-time" aria-live="off">
          {elapsed}
        </span>
        <button
          type="button"
          className="icon-btn recording-stop"
          aria-label={t.stopAndSend}
          title={t.stopAndSend}
          onClick={() => finish(true)}
        >
          <StopIcon size={20} />
        </button>
      </div>
    );
  }
  return (
    <>
      <button
        type="button"
        className="icon-btn composer-voice"
        aria-label={t.recordVoice}
        title={recording.status === 'denied' ? t.microphoneDenied : t.recordVoice}
        disabled={recording.status === 'starting'}
        onClick={() => void start()}
      >
        <MicIcon size={22} />
      </button>
      {recording.status === 'denied' && (
        <span className="sr-only" role="alert">
          {t.microphoneDenied}
        </span>
      )}
    </>
  );
}

function extensionOf(mime: string): string {
  if (mime.startsWith('audio/ogg')) return 'ogg';
  if (mime.startsWith('audio/mp4')) return 'm4a';
  return 'webm';
}
