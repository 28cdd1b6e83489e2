/**
 * The scrolling message history, virtualized: only the rows near the viewport are in the DOM, so a
 * conversation of any length scrolls smoothly. The list is anchored at its end: it follows new
 * messages while the reader is at the bottom, stays put while they read history, keeps the
 * visible message in place when older pages load above, and offers "jump to latest" with a count
 * of what arrived meanwhile. It reports the newest message the reader has had on screen, which
 * is how far the chat is marked read.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { attachmentHeight } from './files/attachment-view.js';
import { ArrowDownIcon } from './icons.js';
import { RowView, type RowActions } from './message-row.js';
import type { Row } from './timeline-rows.js';
import { useNow } from './use-now.js';

/** Within this many pixels of the bottom counts as "at the latest message". */
const END_THRESHOLD = 80;
/** How long the first positioning (which may take a few frames to measure) is left alone. */
const SETTLE_MS = 300;

interface Props {
  rows: Row[];
  label: string;
  peerName: string;
  online: boolean;
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
  actions: RowActions;
  /** Bumped when the person sends a message: show it, wherever they were reading. */
  followSignal: number;
  /** The person can be looking (visible, focused tab): what is on screen counts as seen. */
  reading: boolean;
  /** The newest seq on screen while `reading` (called again as it changes). */
  onSeen: (seq: number) => void;
  /** Whether the list is at its latest message (and follows new ones), as it changes. */
  onAtEnd: (atEnd: boolean) => void;
}

export function MessageList(props: Props) {
  const { rows, hasOlder, loadingOlder, onLoadOlder } = props;
  const { t } = useI18n();
  const scrollRef = useRef<HTMLDivElement>(null);
  const now = useNow(60_000);
  const [atEnd, setAtEnd] = useState(true);
  const [unseen, setUnseen] = useState(0);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => estimate(rows[i]),
    getItemKey: (i) => rows[i]!.key,
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: END_THRESHOLD,
    overscan: 8,
    paddingStart: 12,
    paddingEnd: 12,
    onChange: (instance) => setAtEnd(instance.isAtEnd(END_THRESHOLD)),
  });

  // Rows change size at their top (a day separator moves up to the older messages just loaded
  // above it), so a row starting above the middle of the view that changes size must not push
  // what the reader is looking at: the scroll position absorbs the change.
  virtualizer.shouldAdjustScrollPositionOnItemSizeChange = (item, _delta, instance) =>
    item.start < (instance.scrollOffset ?? 0) + (instance.scrollRect?.height ?? 0) / 2;

  // Open at the unread line when there is one above the fold, else at the latest message.
  // Older pages load only once that first scroll has settled, so they cannot race it.
  const positioned = useRef(false);
  const [settled, setSettled] = useState(false);
  useLayoutEffect(() => {
    if (positioned.current || rows.length === 0) return;
    positioned.current = true;
    const unread = rows.findIndex((r) => r.kind === 'message' && r.unreadStart);
    if (unread >= 0) virtualizer.scrollToIndex(unread, { align: 'start' });
    else virtualizer.scrollToEnd();
    setTimeout(() => setSettled(true), SETTLE_MS);
  }, [rows, virtualizer]);

  // Report what is on screen after every render (scrolling, measuring and new rows all render),
  // but only once the first positioning has settled: on the way to the unread line the list may
  // pass the newest messages, which the reader has not seen.
  const { reading, onSeen } = props;
  useEffect(() => {
    if (!settled || !reading) return;
    const seq = newestOnScreen(virtualizer, rows);
    if (seq !== null) onSeen(seq);
  });

  // Count messages that arrive below while the reader is further up.
  const lastKey = useRef<string | null>(null);
  useEffect(() => {
    const last = rows[rows.length - 1];
    const previousKey = lastKey.current;
    lastKey.current = last?.key ?? null;
    if (!last || previousKey === null || previousKey === last.key) return;
    if (atEnd) return;
    let added = 0;
    for (let i = rows.length - 1; i >= 0 && rows[i]!.key !== previousKey; i--) {
      const row = rows[i]!;
      if (row.kind === 'message' && !row.mine) added++;
    }
    if (added > 0) setUnseen((n) => n + added);
  }, [rows, atEnd]);
  useEffect(() => {
    if (atEnd) setUnseen(0);
  }, [atEnd]);
  const { onAtEnd } = props;
  useEffect(() => onAtEnd(atEnd), [atEnd, onAtEnd]);

  useEffect(() => {
    if (props.followSignal > 0) virtualizer.scrollToEnd();
  }, [props.followSignal, virtualizer]);

  // Load older messages when the first rows come near the viewport.
  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;
  useEffect(() => {
    if (settled && hasOlder && !loadingOlder && firstIndex < 8) onLoadOlder();
  }, [settled, firstIndex, hasOlder, loadingOlder, onLoadOlder]);

  return (
    <div className="log-wrap">
      {loadingOlder && (
        <p className="loading-older" role="status">
          <span className="spinner" aria-hidden="true" />
          {t.loadingOlder}
        </p>
      )}
      <div ref={scrollRef} className="log" role="log" aria-label={props.label} tabIndex={0}>
        <div className="log-inner" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => (
            <div
              key={item.key}
              data-index={item.index}
              ref={virtualizer.measureElement}
              className="log-row"
              style={{ transform: `translateY(${item.start}px)` }}
            >
              <RowView
                row={rows[item.index]!}
                peerName={props.peerName}
                online={props.online}
                now={now}
                actions={props.actions}
              />
            </div>
          ))}
        </div>
      </div>
      {!atEnd && (
        <button
          type="button"
          className={unseen > 0 ? 'jump jump-new' : 'jump'}
          onClick={() => virtualizer.scrollToEnd()}
        >
          <ArrowDownIcon size={16} />
          {unseen > 0 ? t.newMessages(unseen) : t.jumpToLatest}
        </button>
      )}
    </div>
  );
}

/** Tolerance for rounding in row positions, in pixels. */
const EDGE_SLACK = 2;

/**
 * The highest seq of a message whose bottom edge is inside the viewport: a message counts as seen
 * once it is on screen down to its end (a message taller than the view, once read to its end).
 */
function newestOnScreen(
  virtualizer: ReturnType<typeof useVirtualizer<HTMLDivElement, Element>>,
  rows: readonly Row[],
): number | null {
  const top = virtualizer.scrollOffset ?? 0;
  const height = virtualizer.scrollRect?.height ?? 0;
  if (height === 0) return null;
  const bottom = top + height;
  let newest: number | null = null;
  for (const item of virtualizer.getVirtualItems()) {
    const row = rows[item.index];
    if (row?.kind !== 'message' || row.seq === null) continue;
    if (
      item.end > top &&
      item.end <= bottom + EDGE_SLACK &&
      (newest === null || row.seq > newest)
    ) {
      newest = row.seq;
    }
  }
  return newest;
}

function estimate(row: Row | undefined): number {
  if (!row) return 48;
  if (row.kind === 'intro') return 170;
  let size = row.groupStart ? 46 : 40;
  size += Math.floor(row.body.length / 48) * 21;
  if (row.attachment) size += attachmentHeight(row.attachment);
  if (row.dayStart) size += 44;
  if (row.unreadStart) size += 40;
  return size;
}
