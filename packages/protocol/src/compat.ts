/**
 * What a connection on an older protocol version is sent in place of what it does not know.
 * Version 3 added attachments: a version-2 client gets a message with an attachment as text,
 * `[image] cat.jpg` (then a newline and the body, when there is one), so it shows something
 * rather than an empty message, and never a field it cannot decode.
 */
import { attachmentAsText } from './attachments.js';
import type {
  ConversationSummary,
  Message,
  ReceivedUpdate,
  ServerFrame,
  Update,
} from './frames.js';

/** The first version that carries attachments. */
export const ATTACHMENTS_SINCE = 3;

export function messageForVersion(message: Message, version: number): Message {
  if (version >= ATTACHMENTS_SINCE || message.attachment === undefined) return message;
  const { attachment, ...rest } = message;
  return { ...rest, body: attachmentAsText(attachment, message.body) };
}

export function updateForVersion<U extends Update | ReceivedUpdate>(update: U, version: number): U {
  return update.kind === 'message'
    ? { ...update, message: messageForVersion(update.message, version) }
    : update;
}

function summaryForVersion(summary: ConversationSummary, version: number): ConversationSummary {
  return summary.lastMessage === null
    ? summary
    : { ...summary, lastMessage: messageForVersion(summary.lastMessage, version) };
}

/** The frame as a connection on `version` is to be sent it. */
export function frameForVersion(frame: ServerFrame, version: number): ServerFrame {
  if (version >= ATTACHMENTS_SINCE) return frame;
  switch (frame.type) {
    case 'history':
      return { ...frame, messages: frame.messages.map((m) => messageForVersion(m, version)) };
    case 'updates':
      return {
        ...frame,
        updates: frame.updates.map((e) => ({ ...e, update: updateForVersion(e.update, version) })),
      };
    case 'update':
      return { ...frame, update: updateForVersion(frame.update, version) };
    case 'conversation':
      return { ...frame, conversation: summaryForVersion(frame.conversation, version) };
    case 'conversations':
      return {
        ...frame,
        conversations: frame.conversations.map((c) => summaryForVersion(c, version)),
      };
    case 'search_results':
      return {
        ...frame,
        results: frame.results.map((r) => ({
          ...r,
          message: messageForVersion(r.message, version),
        })),
      };
    case 'welcome':
    case 'authed':
    case 'me':
    case 'ok':
    case 'sessions':
    case 'sent':
    case 'pong':
    case 'error':
    case 'bye':
    case 'typing':
    case 'user':
    case 'contacts':
    case 'presence':
    case 'presence_changed':
      return frame;
    default: {
      const unknownFrame: never = frame;
      throw new Error(`unknown frame ${JSON.stringify(unknownFrame)}`);
    }
  }
}
