/**
 * One open conversation: header, history, offline notice, the files being sent and composer
 * (files dropped anywhere on it are sent). Marks read what the
 * person has had on screen, while the tab is visible and focused: never further than that.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { DEFAULT_LIMITS } from '@parley/protocol';
import { useI18n } from '../i18n/i18n.js';
import { useClient } from '../state/client-context.js';
import type { ConversationItem } from '../state/conversations.js';
import { draftKey } from '../state/drafts.js';
import type { User } from '../state/sdk.js';
import { useAttending, useConnectionState } from '../state/use-connection.js';
import { useTimeline } from '../state/use-timeline.js';
import { useTyping } from '../state/use-typing.js';
import { useUploads } from '../state/use-uploads.js';
import { usePresence } from '../state/use-presence.js';
import { presenceLabel } from './presence-label.js';
import { Avatar } from './avatar.js';
import { Composer } from './composer.js';
import { UploadTray } from './files/upload-tray.js';
import { BackIcon, WifiOffIcon } from './icons.js';
import { MessageList } from './message-list.js';
import type { RowActions } from './message-row.js';
import { buildRows, firstUnreadSeq } from './timeline-rows.js';

interface Props {
  me: User;
  item: ConversationItem;
  visible: boolean;
  onBack: () => void;
  onDiscarded: (clientMsgId: string) => void;
  /**
   * Whether the person is reading the latest messages (at the bottom, visible and focused tab):
   * then a new message is read as it arrives, else it counts as unread in the list.
   */
  onReadingLatest: (readingLatest: boolean) => void;
}

export function ChatPane({ me, item, visible, onBack, onDiscarded, onReadingLatest }: Props) {
  const client = useClient();
  const { t, fmt } = useI18n();
  const { summary } = item;
  const conversationId = summary.info.id;
  const peer = summary.info.peer.username;
  const connection = useConnectionState(client);
  const online = connection.status === 'online';
  // What was unread when the conversation was opened decides where the unread line goes.
  const [openedWith] = useState(() => ({ readSeq: summary.readSeq, unread: summary.unread }));
  const timeline = useTimeline(client, conversationId, me.id, openedWith);
  const { state } = timeline;
  const [followSignal, setFollowSignal] = useState(0);

  const unreadFrom = useRef<number | null | undefined>(undefined);
  if (unreadFrom.current === undefined && state.status === 'ready') {
    unreadFrom.current = firstUnreadSeq(state.messages, me.id, openedWith.readSeq);
  }

  const rows = useMemo(
    () =>
      buildRows({
        messages: state.messages,
        outgoing: state.outgoing,
        me: me.id,
        peerReadSeq: summary.peerReadSeq,
        unreadFromSeq: unreadFrom.current ?? null,
        atBeginning: state.status === 'ready' && !state.hasOlder,
      }),
    [state.messages, state.outgoing, state.status, state.hasOlder, me.id, summary.peerReadSeq],
  );

  // Mark read up to the newest message the person has seen: the list reports what was on screen
  // while they could be looking (a visible, focused tab), never what is below or off screen.
  const attending = useAttending();
  const reading = visible && attending;
  const [seenSeq, setSeenSeq] = useState(0);
  const onSeen = useCallback((seq: number) => setSeenSeq((s) => Math.max(s, seq)), []);
  const [atEnd, setAtEnd] = useState(true);
  useEffect(() => onReadingLatest(reading && atEnd), [onReadingLatest, reading, atEnd]);
  useEffect(() => () => onReadingLatest(false), [onReadingLatest]);
  const marked = useRef(0);
  useEffect(() => {
    if (!online || seenSeq <= summary.readSeq || seenSeq <= marked.current) return;
    marked.current = seenSeq;
    client.markRead(conversationId, seenSeq).catch(() => {
      // Try again on the next change (a reconnect re-runs this effect through `online`).
      marked.current = 0;
    });
  }, [client, conversationId, online, seenSeq, summary.readSeq]);

  const { retry, discard } = timeline;
  const actions = useMemo<RowActions>(
    () => ({
      retry,
      discard: (clientMsgId) => {
        discard(clientMsgId);
        onDiscarded(clientMsgId);
      },
    }),
    [retry, discard, onDiscarded],
  );

  const send = useCallback(
    (body: string) => {
      client.send(conversationId, body);
      setFollowSignal((n) => n + 1);
    },
    [client, conversationId],
  );
  const uploads = useUploads(client, conversationId);
  const { sendFile } = uploads;
  const sendFiles = useCallback(
    (files: File[]) => {
      for (const file of files) sendFile({ file, name: file.name || 'file' });
      setFollowSignal((n) => n + 1);
    },
    [sendFile],
  );
  const sendVoice = useCallback(
    (audio: Blob, name: string, durationMs: number) => {
      sendFile({ file: audio, name, kind: 'voice', durationMs });
      setFollowSignal((n) => n + 1);
    },
    [sendFile],
  );
  // Counts enter and leave events: they fire for every child the pointer crosses.
  const [dragDepth, setDragDepth] = useState(0);
  const carriesFiles = (e: DragEvent) => e.dataTransfer.types.includes('Files');

  const typingNow = useTyping(client, conversationId).length > 0;
  const presence = usePresence(client, summary.info.peer.id);
  const status = presenceLabel(presence, t, fmt, Date.now());
  const onTyping = useCallback(
    (active: boolean) => {
      if (active) client.typing(conversationId);
      else client.stopTyping(conversationId);
    },
    [client, conversationId],
  );

  return (
    <section
      className="chat"
      aria-label={t.chatWith(peer)}
      onDragEnter={(e) => {
        if (!carriesFiles(e)) return;
        e.preventDefault();
        setDragDepth((n) => n + 1);
      }}
      onDragOver={(e) => {
        if (!carriesFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={(e) => {
        if (carriesFiles(e)) setDragDepth((n) => Math.max(0, n - 1));
      }}
      onDrop={(e) => {
        setDragDepth(0);
        const files = [...e.dataTransfer.files];
        if (files.length === 0) return;
        e.preventDefault();
        sendFiles(files);
      }}
    >
      {dragDepth > 0 && (
        <div className="drop-overlay" aria-hidden="true">
          {t.dropFiles}
        </div>
      )}
      <header className="chat-header">
        <button
          type="button"
          className="icon-btn mobile-only"
          aria-label={t.backToChats}
          onClick={onBack}
        >
          <BackIcon size={22} />
        </button>
        <Avatar name={peer} size={36} status={presence?.status ?? null} />
        <div className="chat-heading">
          <h2 className="chat-title">{peer}</h2>
          <p className={typingNow ? 'chat-status chat-typing' : 'chat-status'} aria-live="polite">
            {typingNow ? t.typing : (status ?? '')}
          </p>
        </div>
      </header>
      {(connection.status === 'reconnecting' || connection.status === 'closed') && (
        <p className="offline-banner" role="status">
          <WifiOffIcon size={16} />
          {t.offlineBanner}
        </p>
      )}
      {state.status === 'error' && (
        <div className="load-error" role="alert">
          <span>{t.messagesLoadFailed}</span>
          <button type="button" className="btn btn-small" onClick={timeline.reload}>
            {t.tryAgain}
          </button>
        </div>
      )}
      {state.status === 'loading' ? (
        <div className="log-wrap log-loading" role="status">
          <span className="spinner" aria-hidden="true" />
          {t.loadingMessages}
        </div>
      ) : (
        <MessageList
          rows={rows}
          label={t.messagesWith(peer)}
          peerName={peer}
          online={online}
          hasOlder={state.hasOlder}
          loadingOlder={state.loadingOlder}
          onLoadOlder={timeline.loadOlder}
          actions={actions}
          followSignal={followSignal}
          reading={reading}
          onSeen={onSeen}
          onAtEnd={setAtEnd}
        />
      )}
      <UploadTray items={uploads.items} onDismiss={uploads.dismiss} />
      <Composer
        key={conversationId}
        draftKey={draftKey(me.id, conversationId)}
        peerName={peer}
        maxChars={(client.limits ?? DEFAULT_LIMITS).maxMessageChars}
        onSend={send}
        onTyping={onTyping}
        onFiles={sendFiles}
        onVoice={sendVoice}
      />
    </section>
  );
}
