/**
 * Messages found by the list's search box: the chat's name, the message around the match with
 * the matched text highlighted, and its time. Choosing one opens that chat.
 */
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.js';
import type { MessageSearch } from '../state/use-message-search.js';
import type { SearchResult } from '../state/sdk.js';
import { Avatar } from './avatar.js';

/** A first match further in than this is brought into view: the text before it is cut... */
const CUT_AFTER = 24;
/** ...to this many characters. */
const LEAD = 12;

/** The body on one line, starting a little before the first match, with every match marked. */
export function highlighted(body: string, query: string): ReactNode[] {
  const text = body.replace(/\s+/g, ' ').trim();
  const lower = text.toLowerCase();
  const parts = query
    .toLowerCase()
    .split(/\s+/)
    .filter((p) => p !== '');
  const ranges: Array<[number, number]> = [];
  for (const part of parts) {
    for (let at = lower.indexOf(part); at >= 0; at = lower.indexOf(part, at + part.length)) {
      ranges.push([at, at + part.length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const first = ranges[0]?.[0] ?? 0;
  const start = first > CUT_AFTER ? first - LEAD : 0;
  const out: ReactNode[] = start > 0 ? ['…'] : [];
  let at = start;
  for (const [from, to] of ranges) {
    if (from < at) continue;
    if (from > at) out.push(text.slice(at, from));
    out.push(<mark key={from}>{text.slice(from, to)}</mark>);
    at = to;
  }
  out.push(text.slice(at));
  return out;
}

export function MessageSearchResults({
  search,
  query,
  now,
  onOpen,
}: {
  search: MessageSearch;
  query: string;
  now: number;
  onOpen: (result: SearchResult) => void;
}) {
  const { t, fmt } = useI18n();
  if (search.status === 'idle') return null;
  return (
    <section className="message-results" aria-label={t.messageResults}>
      <h2 className="list-section-title">{t.messageResults}</h2>
      {search.status === 'searching' ? (
        <p className="list-note" role="status">
          {t.searchingMessages}
        </p>
      ) : search.status === 'failed' || search.results.length === 0 ? (
        <p className="list-note">{t.noMessageMatches}</p>
      ) : (
        <ul className="conversations">
          {search.results.map((result) => {
            const { message, conversation } = result;
            const name = conversation.peer.username;
            return (
              <li key={`${message.conversationId}:${message.seq}`} className="conversation">
                <button type="button" className="message-result" onClick={() => onOpen(result)}>
                  <Avatar name={name} size={36} status={null} />
                  <span className="conversation-main">
                    <span className="conversation-top">
                      <span className="conversation-name">{name}</span>
                      <time className="conversation-time" title={fmt.full(message.ts)}>
                        {fmt.listTime(message.ts, now)}
                      </time>
                    </span>
                    <span className="conversation-preview">
                      <span className="preview-text">{highlighted(message.body, query)}</span>
                    </span>
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
