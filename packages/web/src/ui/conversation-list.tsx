/**
 * The conversation list: avatar, name, last message, time and unread badge per conversation,
 * newest activity first, with a search box that filters the chats by name and searches the
 * messages (message-search-results.tsx). Arrow keys move between conversations, Enter opens.
 */
import { memo, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { preview, type ConversationItem } from '../state/conversations.js';
import { useClient } from '../state/client-context.js';
import { useMessageSearch } from '../state/use-message-search.js';
import { usePresence } from '../state/use-presence.js';
import type { User } from '../state/sdk.js';
import { Avatar } from './avatar.js';
import { ConnectionStatus } from './connection-status.js';
import { attachmentPreview } from './files/attachment-preview.js';
import { AlertIcon, ClockIcon, ComposeIcon, ContactsIcon, SearchIcon } from './icons.js';
import { NotificationPrompt } from './notification-prompt.js';
import { MessageSearchResults } from './message-search-results.js';
import { presenceLabel } from './presence-label.js';
import { useNow } from './use-now.js';

interface Props {
  me: User;
  items: ConversationItem[];
  loaded: boolean;
  loadFailed: boolean;
  onReload: () => void;
  activeId: number | null;
  onSelect: (id: number) => void;
  onNewChat: () => void;
  onSettings: () => void;
  /** Friend requests waiting (a badge on the phone layout's Contacts button). */
  requests: number;
  onContacts: () => void;
}

export function ConversationList(props: Props) {
  const { items, activeId, onSelect, me } = props;
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const listRef = useRef<HTMLUListElement>(null);
  const now = useNow(60_000);
  const messageSearch = useMessageSearch(useClient(), query);

  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q ? items.filter((i) => i.summary.info.peer.username.includes(q)) : items;
  }, [items, query]);
  const focusId = shown.some((i) => i.summary.info.id === activeId)
    ? activeId
    : (shown[0]?.summary.info.id ?? null);

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const options = [...(listRef.current?.querySelectorAll<HTMLElement>('[role="option"]') ?? [])];
    const index = options.indexOf(document.activeElement as HTMLElement);
    const target =
      event.key === 'ArrowDown'
        ? options[Math.min(options.length - 1, index + 1)]
        : event.key === 'ArrowUp'
          ? options[Math.max(0, index - 1)]
          : event.key === 'Home'
            ? options[0]
            : event.key === 'End'
              ? options[options.length - 1]
              : undefined;
    if (target) {
      event.preventDefault();
      target.focus();
    }
  };

  return (
    <section className="list-column" aria-label={t.chats}>
      <header className="list-header">
        <button
          type="button"
          className="icon-btn mobile-only"
          aria-label={t.myAccount(me.username)}
          onClick={props.onSettings}
        >
          <Avatar name={me.username} size={32} />
        </button>
        <div className="list-title">
          <h1>{t.chats}</h1>
          <ConnectionStatus />
        </div>
        <button
          type="button"
          className="icon-btn mobile-only icon-btn-badged"
          aria-label={props.requests > 0 ? t.contactsWithRequests(props.requests) : t.contacts}
          onClick={props.onContacts}
        >
          <ContactsIcon />
          {props.requests > 0 && (
            <span className="badge icon-badge" aria-hidden="true">
              {props.requests > 99 ? '99+' : props.requests}
            </span>
          )}
        </button>
        <button
          type="button"
          className="icon-btn"
          aria-label={t.newChat}
          title={t.newChat}
          onClick={props.onNewChat}
        >
          <ComposeIcon />
        </button>
      </header>
      <div className="search">
        <SearchIcon size={16} />
        <input
          type="search"
          aria-label={t.searchChatsAndMessages}
          placeholder={t.searchChatsAndMessages}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      </div>
      <NotificationPrompt />
      {!props.loaded ? (
        props.loadFailed ? (
          <div className="list-empty" role="alert">
            <p>{t.chatsLoadFailed}</p>
            <button type="button" className="btn" onClick={props.onReload}>
              {t.tryAgain}
            </button>
          </div>
        ) : (
          <p className="list-empty" role="status">
            {t.loadingChats}
          </p>
        )
      ) : items.length === 0 ? (
        <div className="list-empty">
          <p className="list-empty-title">{t.noChats}</p>
          <p>{t.noChatsHint}</p>
          <button type="button" className="btn btn-primary" onClick={props.onNewChat}>
            {t.startChat}
          </button>
        </div>
      ) : shown.length === 0 ? (
        <p className={query.trim() === '' ? 'list-empty' : 'list-note'}>{t.noMatches}</p>
      ) : (
        <ul
          ref={listRef}
          className={query.trim() === '' ? 'conversations' : 'conversations conversations-matched'}
          role="listbox"
          aria-label={t.conversations}
          onKeyDown={onKeyDown}
        >
          {shown.map((item) => (
            <ConversationRow
              key={item.summary.info.id}
              item={item}
              me={me.id}
              active={item.summary.info.id === activeId}
              tabbable={item.summary.info.id === focusId}
              now={now}
              onSelect={onSelect}
            />
          ))}
        </ul>
      )}
      {props.loaded && (
        <MessageSearchResults
          search={messageSearch}
          query={query.trim()}
          now={now}
          onOpen={(result) => onSelect(result.message.conversationId)}
        />
      )}
    </section>
  );
}

const ConversationRow = memo(function ConversationRow({
  item,
  me,
  active,
  tabbable,
  now,
  onSelect,
}: {
  item: ConversationItem;
  me: number;
  active: boolean;
  tabbable: boolean;
  now: number;
  onSelect: (id: number) => void;
}) {
  const { t, fmt } = useI18n();
  const { summary } = item;
  const name = summary.info.peer.username;
  const last = preview(item);
  const ownLast = last !== null && (last.mine || summary.lastMessage?.senderId === me);
  const text =
    last === null
      ? t.noMessagesYet
      : [last.attachment && attachmentPreview(t, last.attachment), flatten(last.body)]
          .filter(Boolean)
          .join(' ');
  const line =
    last?.status === 'pending'
      ? t.previewSending(text)
      : last?.status === 'failed'
        ? t.previewFailed(text)
        : ownLast
          ? t.youPrefix(text)
          : text;
  const time = last ? fmt.listTime(last.ts, now) : '';
  const unread = summary.unread;
  const client = useClient();
  const presence = usePresence(client, summary.info.peer.id);
  const label = [
    name,
    presenceLabel(presence, t, fmt, now),
    unread > 0 ? t.unreadCount(unread) : null,
    line,
    time,
  ]
    .filter(Boolean)
    .join(', ');

  return (
    <li
      role="option"
      aria-selected={active}
      aria-label={label}
      tabIndex={tabbable ? 0 : -1}
      className="conversation"
      onClick={() => onSelect(summary.info.id)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onSelect(summary.info.id);
        }
      }}
    >
      <Avatar name={name} size={46} status={presence?.status ?? null} />
      <div className="conversation-main">
        <div className="conversation-top">
          <span className="conversation-name">{name}</span>
          <time className="conversation-time">{time}</time>
        </div>
        <div className="conversation-bottom">
          <span className={last ? 'conversation-preview' : 'conversation-preview muted'}>
            {last?.status === 'pending' && <ClockIcon size={14} />}
            {last?.status === 'failed' && (
              <span className="preview-failed">
                <AlertIcon size={14} />
              </span>
            )}
            <span className="preview-text">
              {ownLast && last?.status !== 'pending' && last?.status !== 'failed'
                ? t.youPrefix(text)
                : text}
            </span>
          </span>
          {unread > 0 && (
            <span className="badge" aria-hidden="true">
              {unread > 99 ? '99+' : unread}
            </span>
          )}
        </div>
      </div>
    </li>
  );
});

/** One line of preview: newlines become spaces. */
function flatten(body: string): string {
  return body.replace(/\s+/g, ' ').trim();
}
