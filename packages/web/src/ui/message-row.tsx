/**
 * One row of the chat: a message bubble (with its day separator or unread line above it when it
 * opens a day or the unread part) or the intro at the very beginning of the conversation. Text is
 * rendered as text: React escapes it, and only http(s) links become anchors.
 */
import { memo, type ReactNode } from 'react';
import { sendFailureText } from '../i18n/errors.js';
import { useI18n } from '../i18n/i18n.js';
import { Avatar } from './avatar.js';
import { AttachmentView } from './files/attachment-view.js';
import { AlertIcon, CheckIcon, ClockIcon, DoubleCheckIcon, RetryIcon, TrashIcon } from './icons.js';
import type { Delivery, MessageRow, Row } from './timeline-rows.js';

export interface RowActions {
  retry(clientMsgId: string): void;
  discard(clientMsgId: string): void;
}

interface Props {
  row: Row;
  peerName: string;
  online: boolean;
  now: number;
  actions: RowActions;
}

function shallowEqual(a: object, b: object): boolean {
  const ka = Object.keys(a) as (keyof typeof a)[];
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.is(a[k], b[k]));
}

/** Re-renders only when the row's own values change, not whenever the list is rebuilt. */
export const RowView = memo(
  function RowView({ row, peerName, online, now, actions }: Props) {
    if (row.kind === 'intro') return <Intro peerName={peerName} />;
    return <Bubble row={row} peerName={peerName} online={online} now={now} actions={actions} />;
  },
  (a, b) =>
    a.peerName === b.peerName &&
    a.online === b.online &&
    a.actions === b.actions &&
    // `now` only matters to day separators ("Today" turning into "Yesterday").
    (a.now === b.now || !(a.row.kind === 'message' && a.row.dayStart)) &&
    shallowEqual(a.row, b.row),
);

function Intro({ peerName }: { peerName: string }) {
  const { t } = useI18n();
  return (
    <div className="intro">
      <Avatar name={peerName} size={64} />
      <p className="intro-name">{peerName}</p>
      <p className="intro-text">{t.beginningOfChat(peerName)}</p>
    </div>
  );
}

function Bubble({
  row,
  peerName,
  online,
  now,
  actions,
}: {
  row: MessageRow;
  peerName: string;
  online: boolean;
  now: number;
  actions: RowActions;
}) {
  const { t, fmt } = useI18n();
  const classes = ['msg', row.mine ? 'msg-mine' : 'msg-theirs'];
  if (row.groupStart) classes.push('msg-group-start');
  if (row.groupEnd) classes.push('msg-group-end');
  if (row.delivery === 'failed') classes.push('msg-failed');
  const big = row.attachment === null && isEmojiOnly(row.body);
  if (row.attachment) classes.push('msg-attachment');

  return (
    <>
      {row.dayStart && (
        <div className="day-separator" role="separator" aria-label={fmt.day(row.ts, now)}>
          <span aria-hidden="true">{fmt.day(row.ts, now)}</span>
        </div>
      )}
      {row.unreadStart && (
        <div className="unread-line" role="separator" aria-label={t.unreadLine}>
          <span aria-hidden="true">{t.unreadLine}</span>
        </div>
      )}
      <div className={classes.join(' ')} role="article">
        {!row.mine && (
          <div className="msg-avatar">{row.groupStart && <Avatar name={peerName} size={34} />}</div>
        )}
        {row.mine && row.delivery === 'failed' && (
          <div className="msg-actions">
            <button
              type="button"
              className="icon-btn icon-btn-small danger"
              aria-label={t.retrySending}
              title={t.retrySending}
              onClick={() => actions.retry(row.clientMsgId)}
            >
              <RetryIcon size={16} />
            </button>
            <button
              type="button"
              className="icon-btn icon-btn-small"
              aria-label={t.deleteUnsent}
              title={t.deleteUnsent}
              onClick={() => actions.discard(row.clientMsgId)}
            >
              <TrashIcon size={16} />
            </button>
          </div>
        )}
        <div className={big ? 'bubble bubble-emoji' : 'bubble'}>
          <span className="sr-only">{row.mine ? t.you : peerName}: </span>
          {row.attachment && (
            <AttachmentView attachment={row.attachment} pending={row.seq === null} />
          )}
          <span className="bubble-text">
            <span className="bubble-body">{linkify(row.body)}</span>
            {/* An invisible copy of the time keeps the last line clear of the real one. */}
            <span className="meta-spacer" aria-hidden="true">
              {fmt.time(row.ts)}
            </span>
          </span>
          <span className="bubble-meta">
            <time dateTime={new Date(row.ts).toISOString()} title={fmt.full(row.ts)}>
              {fmt.time(row.ts)}
            </time>
            {row.delivery && <DeliveryMark delivery={row.delivery} online={online} />}
          </span>
        </div>
        {row.delivery === 'failed' && (
          // Said in words under the bubble, not only in a tooltip: touch screens and screen
          // readers have no hover, and the person needs to know whether retrying can help.
          <p className="msg-failure">{t.failedBecause(sendFailureText(t, row.failure))}</p>
        )}
      </div>
    </>
  );
}

function DeliveryMark({ delivery, online }: { delivery: Delivery; online: boolean }) {
  const { t } = useI18n();
  const [label, icon] =
    delivery === 'sending'
      ? [online ? t.statusSending : t.statusQueued, <ClockIcon size={14} />]
      : delivery === 'sent'
        ? [t.statusSent, <CheckIcon size={14} />]
        : delivery === 'read'
          ? [t.statusRead, <DoubleCheckIcon size={15} />]
          : [t.statusFailed, <AlertIcon size={14} />];
  return (
    <span className={`delivery delivery-${delivery}`} role="img" aria-label={label} title={label}>
      {icon}
    </span>
  );
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]}]/gi;

/** Plain text with http(s) URLs as links that open in a new tab; everything else stays text. */
function linkify(text: string): ReactNode[] {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const index = match.index ?? 0;
    if (index > last) parts.push(text.slice(last, index));
    parts.push(
      <a key={index} href={match[0]} target="_blank" rel="noopener noreferrer nofollow">
        {match[0]}
      </a>,
    );
    last = index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

const EMOJI_ONLY = /^(?:\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u200d|\ufe0f|\s){1,12}$/u;

/** One to three emoji and nothing else: shown large, as QQ and WeChat do. */
function isEmojiOnly(text: string): boolean {
  if (!EMOJI_ONLY.test(text)) return false;
  const count = [...text.matchAll(/\p{Extended_Pictographic}/gu)].length;
  return count >= 1 && count <= 3;
}
