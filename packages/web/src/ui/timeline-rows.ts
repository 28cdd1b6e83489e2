/**
 * Turns a conversation's messages and outgoing entries into the rows the chat shows. Each message
 * row knows its place in a group of consecutive messages from one sender, and carries the day
 * separator or unread line that goes above it: a separator is not a row of its own, so the rows
 * the list keeps its scroll anchor on are always messages. Rows are plain values, so unchanged
 * ones compare equal field by field.
 */
import { sameDay } from '../i18n/format.js';
import type { Attachment, Message, OutboxEntry, SendAttachment } from '../state/sdk.js';
import { uploadedFile } from '../state/use-uploads.js';

/** Messages closer than this from one sender form a group (one avatar, tight bubbles). */
const GROUP_GAP_MS = 5 * 60 * 1000;

export type Delivery = 'sending' | 'sent' | 'read' | 'failed';

export interface MessageRow {
  kind: 'message';
  key: string;
  mine: boolean;
  senderId: number;
  body: string;
  /** The image, file or voice message it carries, if any. */
  attachment: Attachment | null;
  ts: number;
  clientMsgId: string;
  /** Null while the message waits in the outbox. */
  seq: number | null;
  /** Own messages only. */
  delivery: Delivery | null;
  /** Why a failed message was refused (an error code), said under it. */
  failure: string | null;
  groupStart: boolean;
  groupEnd: boolean;
  /** First message of a day: the day separator goes above it. */
  dayStart: boolean;
  /** First unread message: the unread line goes above it. */
  unreadStart: boolean;
}

export type Row = { kind: 'intro'; key: 'intro' } | MessageRow;

export interface RowsInput {
  messages: readonly Message[];
  outgoing: readonly OutboxEntry[];
  me: number;
  peerReadSeq: number;
  /** The first message to show under the unread line, or null for no line. */
  unreadFromSeq: number | null;
  /** The whole history is loaded: the conversation's beginning is shown. */
  atBeginning: boolean;
}

type Item = Omit<
  MessageRow,
  'kind' | 'key' | 'groupStart' | 'groupEnd' | 'dayStart' | 'unreadStart'
>;

export function buildRows(input: RowsInput): Row[] {
  const items: Item[] = [];
  for (const m of input.messages) {
    const mine = m.senderId === input.me;
    items.push({
      mine,
      senderId: m.senderId,
      body: m.body,
      attachment: m.attachment ?? null,
      ts: m.ts,
      clientMsgId: m.clientMsgId,
      seq: m.seq,
      delivery: mine ? (m.seq <= input.peerReadSeq ? 'read' : 'sent') : null,
      failure: null,
    });
  }
  for (const e of input.outgoing) {
    items.push({
      mine: true,
      senderId: input.me,
      body: e.body,
      attachment: e.attachment ? pendingAttachment(e.attachment) : null,
      ts: e.createdAt,
      clientMsgId: e.clientMsgId,
      seq: null,
      delivery: e.status === 'failed' ? 'failed' : 'sending',
      failure: e.status === 'failed' ? e.error.code : null,
    });
  }

  const rows: Row[] = input.atBeginning ? [{ kind: 'intro', key: 'intro' }] : [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const previous = items[i - 1] ?? null;
    const next = items[i + 1] ?? null;
    const dayStart = previous === null || !sameDay(previous.ts, item.ts);
    const unreadStart = item.seq !== null && item.seq === input.unreadFromSeq;
    const nextBreaks =
      next === null ||
      !sameDay(item.ts, next.ts) ||
      (next.seq !== null && next.seq === input.unreadFromSeq) ||
      !continues(item, next);
    rows.push({
      kind: 'message',
      // The sender's clientMsgId keeps the key (and the DOM node) when a pending message is sent.
      key: `m-${item.senderId}-${item.clientMsgId}`,
      ...item,
      groupStart: dayStart || unreadStart || !continues(previous, item),
      groupEnd: nextBreaks,
      dayStart,
      unreadStart,
    });
  }
  return rows;
}

/**
 * What a pending message's attachment looks like before the server has described it: what this
 * page uploaded, or only the kind and id after a reload (the row then shows a plain file card).
 */
function pendingAttachment(sent: SendAttachment): Attachment {
  const file = uploadedFile(sent.fileId);
  const kind = sent.kind ?? (file?.media === 'image' ? 'image' : 'file');
  return {
    ...(file ?? { name: '', size: 0, mime: '' }),
    fileId: sent.fileId,
    kind,
    ...(sent.durationMs === undefined ? {} : { durationMs: sent.durationMs }),
  };
}

function continues(a: Item | null, b: Item): boolean {
  return a !== null && a.senderId === b.senderId && b.ts - a.ts < GROUP_GAP_MS;
}

/** The first message from someone else after `readSeq`, or null when everything was read. */
export function firstUnreadSeq(
  messages: readonly Message[],
  me: number,
  readSeq: number,
): number | null {
  for (const m of messages) if (m.seq > readSeq && m.senderId !== me) return m.seq;
  return null;
}
