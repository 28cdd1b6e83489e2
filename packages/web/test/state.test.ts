/**
 * The client's state reducers without a browser: the rules that decide what the list and the chat
 * show when events arrive in awkward orders.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  conversationsReducer,
  initialConversations,
  preview,
  totalUnread,
} from '../src/state/conversations.js';
import { initialTimeline, mergeMessages, timelineReducer } from '../src/state/timeline.js';
import type { ConversationSummary, Message, OutboxEntry } from '../src/state/sdk.js';
import { buildRows } from '../src/ui/timeline-rows.js';
import { attachmentPreview } from '../src/ui/files/attachment-preview.js';
import { previewSize } from '../src/ui/files/attachment-view.js';
import { en } from '../src/i18n/en.js';
import { zhCN } from '../src/i18n/zh-cn.js';
import { formatBytes, formatDuration } from '../src/i18n/units.js';

const ME = 1;
const PEER = { id: 2, username: 'bob' };

function message(seq: number, senderId = PEER.id, ts = 1_000 + seq): Message {
  return {
    conversationId: 7,
    seq,
    senderId,
    clientMsgId: `c${senderId}-${seq}`,
    body: `m${seq}`,
    ts,
  };
}

function summary(lastSeq: number, readSeq: number, unread: number): ConversationSummary {
  return {
    info: { kind: 'direct', id: 7, peer: PEER },
    lastSeq,
    lastMessage: lastSeq > 0 ? message(lastSeq) : null,
    readSeq,
    peerReadSeq: 0,
    unread,
  };
}

const pending: OutboxEntry = {
  status: 'pending',
  clientMsgId: 'mine-1',
  conversationId: 7,
  body: 'hello',
  createdAt: 5_000,
};

describe('conversation list state', () => {
  const loaded = conversationsReducer(initialConversations, {
    type: 'loaded',
    summaries: [summary(3, 1, 2)],
    outbox: [],
    now: 10_000,
  });

  it('counts a new message from the peer as unread, once', () => {
    const once = conversationsReducer(loaded, {
      type: 'message',
      message: message(4),
      me: ME,
      viewing: false,
    });
    const twice = conversationsReducer(once, {
      type: 'message',
      message: message(4),
      me: ME,
      viewing: false,
    });
    assert.equal(totalUnread(once), 3);
    assert.equal(twice, once);
  });

  it('does not count messages in the chat on screen, nor the person’s own', () => {
    const seen = conversationsReducer(loaded, {
      type: 'message',
      message: message(4),
      me: ME,
      viewing: true,
    });
    const own = conversationsReducer(seen, {
      type: 'message',
      message: message(5, ME),
      me: ME,
      viewing: false,
    });
    assert.equal(totalUnread(own), 2);
  });

  it('clears the count when the person read up to the newest message on any device', () => {
    const read = conversationsReducer(loaded, {
      type: 'read',
      conversationId: 7,
      userId: ME,
      seq: 3,
      me: ME,
    });
    assert.equal(totalUnread(read), 0);
  });

  it('previews a queued message until the message itself arrives', () => {
    const queued = conversationsReducer(loaded, { type: 'outbox', entry: pending });
    assert.equal(preview(queued.items.get(7)!)?.status, 'pending');
    const arrived = conversationsReducer(queued, {
      type: 'message',
      message: { ...message(4, ME, 6_000), clientMsgId: 'mine-1', body: 'hello' },
      me: ME,
      viewing: false,
    });
    assert.deepEqual(preview(arrived.items.get(7)!), {
      body: 'hello',
      attachment: null,
      ts: 6_000,
      mine: false,
      status: null,
    });
  });
});

describe('chat timeline state', () => {
  it('merges pages and live messages in order without duplicates, keeping objects', () => {
    const live = [message(5)];
    const merged = mergeMessages(live, [message(3), message(4), message(5)]);
    assert.deepEqual(
      merged.map((m) => m.seq),
      [3, 4, 5],
    );
    assert.equal(merged[2], live[0]);
  });

  it('turns a queued message into a delivered one in place', () => {
    let state = initialTimeline([pending], 7);
    state = timelineReducer(state, {
      type: 'latest-loaded',
      page: { messages: [message(1)], hasMore: false },
    });
    state = timelineReducer(state, {
      type: 'outbox',
      entry: { ...pending, status: 'sent', seq: 2, ts: 6_000 },
      me: ME,
    });
    assert.equal(state.outgoing.length, 0);
    assert.deepEqual(
      state.messages.map((m) => m.clientMsgId),
      ['c2-1', 'mine-1'],
    );
    // The row keeps its key from "sending" to "sent", so the bubble does not flicker.
    const rows = buildRows({
      messages: state.messages,
      outgoing: [],
      me: ME,
      peerReadSeq: 2,
      unreadFromSeq: null,
      atBeginning: true,
    });
    const before = buildRows({
      messages: [message(1)],
      outgoing: [pending],
      me: ME,
      peerReadSeq: 0,
      unreadFromSeq: null,
      atBeginning: true,
    });
    const last = rows.at(-1)!;
    assert.equal(last.key, before.at(-1)!.key);
    assert.equal(last.kind === 'message' ? last.delivery : null, 'read');
  });

  it('shows a refused message as failed, with the reason, until it is retried', () => {
    const failed: OutboxEntry = {
      status: 'failed',
      clientMsgId: 'mine-1',
      conversationId: 7,
      body: 'hello',
      createdAt: 5_000,
      error: { code: 'forbidden', message: 'not a member' },
    };
    let state = timelineReducer(initialTimeline([], 7), { type: 'outbox', entry: failed, me: ME });
    const row = buildRows({
      messages: [],
      outgoing: state.outgoing,
      me: ME,
      peerReadSeq: 0,
      unreadFromSeq: null,
      atBeginning: true,
    }).at(-1)!;
    assert.deepEqual(row.kind === 'message' ? [row.delivery, row.failure] : null, [
      'failed',
      'forbidden',
    ]);
    state = timelineReducer(state, { type: 'outbox', entry: pending, me: ME });
    assert.deepEqual(
      state.outgoing.map((e) => e.status),
      ['pending'],
    );
  });

  it('puts the unread line and a day separator above the right messages', () => {
    const day = 24 * 60 * 60 * 1000;
    const rows = buildRows({
      messages: [message(1, PEER.id, 0), message(2, ME, day), message(3, PEER.id, day + 1)],
      outgoing: [],
      me: ME,
      peerReadSeq: 0,
      unreadFromSeq: 3,
      atBeginning: false,
    });
    const flags = rows.map((r) => (r.kind === 'message' ? [r.dayStart, r.unreadStart] : null));
    assert.deepEqual(flags, [
      [true, false],
      [true, false],
      [false, true],
    ]);
  });
});

describe('attachments in the list and the chat', () => {
  const file = { fileId: 'f1', name: 'report <b>.pdf', size: 1_536, mime: 'application/pdf' };
  it('previews images, files and voice messages in English and Chinese', () => {
    assert.equal(attachmentPreview(en, { ...file, kind: 'image' }), '[Image]');
    assert.equal(attachmentPreview(en, { ...file, kind: 'file' }), '[File] report <b>.pdf');
    assert.equal(
      attachmentPreview(en, { ...file, kind: 'voice', durationMs: 5_400 }),
      '[Voice] 0:05',
    );
    assert.equal(attachmentPreview(zhCN, { ...file, kind: 'image' }), '[图片]');
    assert.equal(attachmentPreview(zhCN, { ...file, kind: 'file' }), '[文件] report <b>.pdf');
    assert.equal(
      attachmentPreview(zhCN, { fileId: 'f2', kind: 'voice', durationMs: 65_000 }),
      '[语音] 1:05',
    );
  });

  it('reserves an image preview at its proportions, at most 240 px either side', () => {
    assert.deepEqual(previewSize({ ...file, kind: 'image', width: 4000, height: 3000 }), {
      width: 240,
      height: 180,
    });
    assert.deepEqual(previewSize({ ...file, kind: 'image', width: 100, height: 1000 }), {
      width: 24,
      height: 240,
    });
    assert.deepEqual(previewSize({ ...file, kind: 'image', width: 50, height: 40 }), {
      width: 50,
      height: 40,
    });
  });

  it('writes sizes and lengths the way a chat does', () => {
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1_536), '1.5 KB');
    assert.equal(formatBytes(20 * 1024 * 1024), '20.0 MB');
    assert.equal(formatBytes(100 * 1024 * 1024), '100 MB');
    assert.equal(formatDuration(0), '0:00');
    assert.equal(formatDuration(3_723_000), '1:02:03');
  });
});
