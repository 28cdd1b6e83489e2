/**
 * The message composer: a growing multi-line input (Enter sends, Shift+Enter breaks the line, and
 * Enter while an input method is composing, as in Chinese pinyin input, is left to the IME), an
 * emoji picker, the send button, an attach button (and pasting files or an image from the
 * clipboard), and a voice recorder. Drafts survive switching conversations.
 */
import {
  lazy,
  Suspense,
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type ClipboardEvent,
  type KeyboardEvent,
} from 'react';
import { useI18n } from '../i18n/i18n.js';
import { readDraft, saveDraft } from '../state/drafts.js';
import { VoiceRecorder } from './files/voice-recorder.js';
import { PaperclipIcon, SendIcon, SmileIcon } from './icons.js';

const EmojiPicker = lazy(() => import('./emoji-picker.js'));

const MAX_HEIGHT = 180;

interface Props {
  draftKey: string;
  peerName: string;
  maxChars: number;
  onSend: (body: string) => void;
  /** The person is typing (true on each edit that leaves text) or cleared the input (false). */
  onTyping: (active: boolean) => void;
  /** Files picked, or pasted from the clipboard: each is sent as its own message. */
  onFiles: (files: File[]) => void;
  /** A voice message was recorded. */
  onVoice: (audio: Blob, name: string, durationMs: number) => void;
}

export function Composer(props: Props) {
  const { draftKey, peerName, maxChars, onSend, onTyping, onFiles, onVoice } = props;
  const { t } = useI18n();
  const [text, setText] = useState(() => readDraft(draftKey));
  const [picker, setPicker] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);
  const emojiButton = useRef<HTMLButtonElement>(null);
  const filePicker = useRef<HTMLInputElement>(null);
  const hintId = useId();
  const pickerId = useId();

  useEffect(() => {
    saveDraft(draftKey, text);
  }, [draftKey, text]);

  // Leaving the chat with text unsent: the other side should not see "typing" for 6 s more.
  useEffect(() => () => onTyping(false), [onTyping]);

  // Focus the input on open, on desktops only: on a phone it would pop up the keyboard.
  useEffect(() => {
    if (window.matchMedia('(min-width: 700px)').matches) input.current?.focus();
  }, []);

  useLayoutEffect(() => {
    const el = input.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, MAX_HEIGHT)}px`;
  }, [text]);

  const body = text.replace(/^\s*\n/, '').trimEnd();
  const over = body.length - maxChars;
  const canSend = body.trim().length > 0 && over <= 0;

  const send = () => {
    if (!canSend) return;
    onSend(body);
    setText('');
    saveDraft(draftKey, '');
    input.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    // keyCode 229: some browsers report IME confirmation this way instead of isComposing.
    if (event.keyCode === 229) return;
    event.preventDefault();
    send();
  };

  // A pasted image (a screenshot) or files copied in a file manager are sent; text pastes as text.
  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    const files = [...event.clipboardData.files];
    if (files.length === 0) return;
    event.preventDefault();
    onFiles(files);
  };

  const insert = (emoji: string) => {
    const el = input.current;
    const start = el?.selectionStart ?? text.length;
    const end = el?.selectionEnd ?? text.length;
    const next = text.slice(0, start) + emoji + text.slice(end);
    setText(next);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + emoji.length, start + emoji.length);
    });
  };

  const closePicker = useCallback((refocus: boolean) => {
    setPicker(false);
    if (refocus) emojiButton.current?.focus();
  }, []);

  return (
    <form
      className="composer"
      aria-label={t.composer}
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      {picker && (
        <Suspense fallback={null}>
          <EmojiPicker id={pickerId} onPick={insert} onClose={closePicker} anchor={emojiButton} />
        </Suspense>
      )}
      <button
        ref={emojiButton}
        type="button"
        className="icon-btn composer-emoji"
        aria-label={t.emoji}
        aria-haspopup="dialog"
        aria-expanded={picker}
        aria-controls={picker ? pickerId : undefined}
        title={t.emoji}
        onClick={() => setPicker((open) => !open)}
      >
        <SmileIcon size={22} />
      </button>
      <button
        type="button"
        className="icon-btn composer-attach"
        aria-label={t.attachFile}
        title={t.attachFile}
        onClick={() => filePicker.current?.click()}
      >
        <PaperclipIcon size={22} />
      </button>
      <input
        ref={filePicker}
        type="file"
        multiple
        hidden
        aria-label={t.attachFile}
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
      <div className="composer-field">
        <textarea
          ref={input}
          rows={1}
          aria-label={t.messageLabel}
          aria-describedby={hintId}
          placeholder={t.messagePlaceholder(peerName)}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            onTyping(e.target.value.trim() !== '');
          }}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          enterKeyHint="send"
        />
        <span id={hintId} className={over > 0 ? 'composer-hint composer-over' : 'composer-hint'}>
          {over > 0 ? t.tooLong(over) : t.composerHint}
        </span>
      </div>
      <VoiceRecorder onRecorded={onVoice} />
      <button
        type="submit"
        className="send-btn"
        aria-label={t.send}
        title={t.send}
        disabled={!canSend}
      >
        <SendIcon size={20} />
      </button>
    </form>
  );
}
