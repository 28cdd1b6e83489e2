/**
 * Every frame of the protocol as a zod schema, with its TypeScript type inferred from it. Frames
 * are JSON objects discriminated on `type`. Requests carry a client-chosen `id` that the server
 * echoes on its reply (or on the `error` that replaces it); pushes from the server carry none.
 * docs/protocol.md shows each frame with an example exchange.
 */
import { z } from 'zod';
import { ERROR_CODES, CLOSE_REASONS } from './errors.js';
import {
  CLIENT_MSG_ID_MAX_LENGTH,
  DEVICE_NAME_MAX_LENGTH,
  FRIEND_GROUPING_MAX_LENGTH,
  FRIEND_NOTE_MAX_LENGTH,
  FRIEND_REMARK_MAX_LENGTH,
  PASSWORD_MAX_LENGTH,
  PRESENCE_QUERY_MAX,
  SEARCH_PAGE_MAX,
  SEARCH_QUERY_MAX_LENGTH,
} from './limits.js';
import { textProblem, type TextKind } from './text.js';
import { attachmentSchema, sendAttachmentSchema } from './attachments.js';

// ---------------------------------------------------------------------------------------------
// Shared shapes

export const requestId = z.string().min(1).max(64);
const id = z.number().int().positive();
const seq = z.number().int().nonnegative();
const pts = z.number().int().nonnegative();
/** Milliseconds since the Unix epoch, server clock. */
const timestamp = z.number().int().nonnegative();

export const userSchema = z.object({
  id,
  username: z.string(),
});
export type User = z.infer<typeof userSchema>;

export const sessionInfoSchema = z.object({
  /** Identifies this device's session (for "log out this device"). */
  id,
  device: z.string(),
  expiresAt: timestamp,
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

/** One of the user's logged-in devices, as the device list shows it. */
export const deviceSessionSchema = z.object({
  id,
  device: z.string(),
  createdAt: timestamp,
  /** When the device last logged in or resumed its session. */
  lastSeenAt: timestamp,
  expiresAt: timestamp,
  /** The session of the connection that asked. */
  current: z.boolean(),
});
export type DeviceSession = z.infer<typeof deviceSessionSchema>;

/**
 * What others see of a user (version 3): `online` (a device in use), `away` (every device idle),
 * `busy` (the user said so, devices connected), `offline` (no device connected, or invisible).
 */
export const PRESENCE_STATUSES = ['online', 'away', 'busy', 'offline'] as const;
export type PresenceStatus = (typeof PRESENCE_STATUSES)[number];
/** What a user chooses for all their devices: `online` (the default), `busy`, `invisible`. */
export const PRESENCE_CHOICES = ['online', 'busy', 'invisible'] as const;
export type PresenceChoice = (typeof PRESENCE_CHOICES)[number];

export const presenceSchema = z.object({
  userId: id,
  status: z.enum(PRESENCE_STATUSES),
  /** When the user was last connected and not invisible; null when never, or not to be told. */
  lastSeenAt: timestamp.nullable(),
  /** The user's own choice: only in what the user's own devices are told. */
  choice: z.enum(PRESENCE_CHOICES).optional(),
});
export type Presence = z.infer<typeof presenceSchema>;

/** Who may create an account: anyone, holders of an invite code, or nobody. */
export const REGISTRATION_MODES = ['open', 'invite', 'closed'] as const;
export type RegistrationMode = (typeof REGISTRATION_MODES)[number];

export const messageSchema = z.object({
  conversationId: id,
  /** Position in the conversation: 1, 2, 3... with no gaps. */
  seq: seq,
  senderId: id,
  /** The sender's own id for this message, unique per sender; makes sends idempotent. */
  clientMsgId: z.string(),
  /** May be empty when the message has an attachment. */
  body: z.string(),
  ts: timestamp,
  /** Version 3: the image, file or voice recording the message carries. */
  attachment: attachmentSchema.optional(),
});
export type Message = z.infer<typeof messageSchema>;

/** What identifies a conversation; later issues add `group`. */
export const conversationInfoSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('direct'), id, peer: userSchema }),
]);
export type ConversationInfo = z.infer<typeof conversationInfoSchema>;

/** A conversation as the conversation list shows it. */
export const conversationSummarySchema = z.object({
  info: conversationInfoSchema,
  /** Seq of the newest message, 0 when empty. */
  lastSeq: seq,
  lastMessage: messageSchema.nullable(),
  /** The caller's read cursor: every message up to this seq has been read. */
  readSeq: seq,
  /** The other member's read cursor (direct conversations), for "read" ticks. */
  peerReadSeq: seq,
  /** Messages from others after `readSeq`. */
  unread: z.number().int().nonnegative(),
});
export type ConversationSummary = z.infer<typeof conversationSummarySchema>;

/**
 * Who may start a direct chat with a user and message them: `friends` only (the default) or
 * `everyone`. Someone the user has written to in a conversation may always answer there.
 */
export const DIRECT_MESSAGE_SETTINGS = ['friends', 'everyone'] as const;
export type DirectMessageSetting = (typeof DIRECT_MESSAGE_SETTINGS)[number];

/** One of the user's friends, as the user's own friend list shows them. Version 3. */
export const friendSchema = z.object({
  user: userSchema,
  /** The user's private display name for this friend; null: none, show the username. */
  remark: z.string().nullable(),
  /** The group this friend is listed under in the user's list; null: ungrouped. */
  grouping: z.string().nullable(),
  /** When the two became friends. */
  since: timestamp,
});
export type Friend = z.infer<typeof friendSchema>;

/** A friend request waiting for an answer, from `from` to `to`. Version 3. */
export const friendRequestSchema = z.object({
  from: userSchema,
  to: userSchema,
  /** What the sender wrote with the request; may be empty. */
  note: z.string(),
  ts: timestamp,
});
export type FriendRequest = z.infer<typeof friendRequestSchema>;

/**
 * One entry of a user's update stream. Every change a user's devices must learn of travels as an
 * update with the user's next `pts`, so a device resumes from one number.
 */
export const updateSchema = z.discriminatedUnion('kind', [
  /** A conversation the user is in now exists (sent before its first message). */
  z.object({ kind: z.literal('conversation'), conversation: conversationInfoSchema }),
  /** A new message in one of the user's conversations, including the user's own. */
  z.object({ kind: z.literal('message'), message: messageSchema }),
  /** A member's read cursor moved (the user's own, from any device, or a peer's). */
  z.object({ kind: z.literal('read'), conversationId: id, userId: id, seq }),
  /**
   * Version 3. A friend request the user sent (from another of their devices) or received. A
   * later request between the same two replaces an earlier one.
   */
  z.object({ kind: z.literal('friend_request'), request: friendRequestSchema }),
  /**
   * Version 3. The request from `fromUserId` to `toUserId` no longer waits: declined, cancelled,
   * accepted (a `friend_added` follows) or ended by a block.
   */
  z.object({ kind: z.literal('friend_request_closed'), fromUserId: id, toUserId: id }),
  /** Version 3. A new friend (a request was accepted, by either side). */
  z.object({ kind: z.literal('friend_added'), friend: friendSchema }),
  /** Version 3. The user changed a friend's remark or grouping (on any device). */
  z.object({ kind: z.literal('friend_updated'), friend: friendSchema }),
  /** Version 3. The friendship ended: removed by either side, or by a block. */
  z.object({ kind: z.literal('friend_removed'), userId: id }),
  /** Version 3. The user blocked this user (on any device). */
  z.object({ kind: z.literal('blocked'), user: userSchema, ts: timestamp }),
  /** Version 3. The user unblocked this user. */
  z.object({ kind: z.literal('unblocked'), userId: id }),
  /** Version 3. The user's privacy setting changed (on any device). */
  z.object({ kind: z.literal('privacy'), directMessages: z.enum(DIRECT_MESSAGE_SETTINGS) }),
]);
export type Update = z.infer<typeof updateSchema>;
export type UpdateKind = Update['kind'];

export const updateEnvelopeSchema = z.object({ pts, update: updateSchema });
export type UpdateEnvelope = z.infer<typeof updateEnvelopeSchema>;

/**
 * The protocol version that introduced each update kind. A connection that negotiated an older
 * version is not sent the kind (its pts still passes, see docs/protocol.md section 6). Typed as a
 * record over every kind, so a new kind cannot be added without saying when it arrived.
 */
export const UPDATE_KIND_SINCE: Readonly<Record<UpdateKind, number>> = {
  conversation: 1,
  message: 1,
  read: 1,
  friend_request: 3,
  friend_request_closed: 3,
  friend_added: 3,
  friend_updated: 3,
  friend_removed: 3,
  blocked: 3,
  unblocked: 3,
  privacy: 3,
};

/** Whether a connection on protocol `version` may be sent an update of `kind`. */
export function updateKindInVersion(kind: UpdateKind, version: number): boolean {
  return UPDATE_KIND_SINCE[kind] <= version;
}

const KNOWN_UPDATE_KINDS: ReadonlySet<string> = new Set(Object.keys(UPDATE_KIND_SINCE));

/**
 * What a client decodes in place of an update whose kind this build does not know (a newer
 * server's). The client skips it and still moves its cursor past its pts: one new kind must not
 * make a whole page undecodable, or an old client would fetch the same page forever.
 */
export const unknownUpdateSchema = z.object({
  kind: z.literal('unknown'),
  /** The kind as the server sent it. */
  sentKind: z.string(),
});
export type UnknownUpdate = z.infer<typeof unknownUpdateSchema>;

/** An update as a client receives it: a known kind, validated in full, or an unknown one. */
const receivedUpdateSchema = z.preprocess(
  (value) => {
    if (typeof value !== 'object' || value === null) return value;
    const kind = (value as { kind?: unknown }).kind;
    if (typeof kind !== 'string' || KNOWN_UPDATE_KINDS.has(kind)) return value;
    return { kind: 'unknown', sentKind: kind };
  },
  z.discriminatedUnion('kind', [...updateSchema.options, unknownUpdateSchema]),
);
export type ReceivedUpdate = Update | UnknownUpdate;

export const receivedEnvelopeSchema = z.object({ pts, update: receivedUpdateSchema });
export type ReceivedEnvelope = z.infer<typeof receivedEnvelopeSchema>;

// ---------------------------------------------------------------------------------------------
// Client -> server

/**
 * A string field people will see or the server will look up: refuses control characters by
 * text.ts's rules. (Lone surrogates are refused for every string of a frame by the codec.)
 */
function text(kind: TextKind, schema: z.ZodString): z.ZodString {
  return schema.superRefine((value, ctx) => {
    const problem = textProblem(value, kind);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });
}

const device = text('line', z.string().min(1).max(DEVICE_NAME_MAX_LENGTH));
// Username and password rules are checked by the server so it can answer with the specific
// code (invalid_username, weak_password); the schema bounds the size and, for the username
// (also looked up by login and open_direct), refuses control characters, which PostgreSQL
// cannot even compare (U+0000). A password is only hashed, so it may hold any character.
const username = text('line', z.string().min(1).max(64));
const password = z.string().min(1).max(PASSWORD_MAX_LENGTH);

export const helloFrame = z.object({
  type: z.literal('hello'),
  id: requestId,
  /** Protocol versions the client speaks. */
  versions: z.array(z.number().int().positive()).min(1).max(16),
  /** Free-form client name and version, for logs. */
  client: text('line', z.string().max(64)).optional(),
});
export const registerFrame = z.object({
  type: z.literal('register'),
  id: requestId,
  username,
  password,
  device: device.optional(),
  /** Needed when the server's registration is invite-only. */
  invite: z.string().min(1).max(128).optional(),
});
export const loginFrame = z.object({
  type: z.literal('login'),
  id: requestId,
  username,
  password,
  device: device.optional(),
});
export const authFrame = z.object({
  type: z.literal('auth'),
  id: requestId,
  token: z.string().min(1).max(256),
});
export const logoutFrame = z.object({
  type: z.literal('logout'),
  id: requestId,
  /** Also end every other session of this user. */
  everywhere: z.boolean().optional(),
});
export const changePasswordFrame = z.object({
  type: z.literal('change_password'),
  id: requestId,
  oldPassword: password,
  newPassword: password,
});
export const whoamiFrame = z.object({ type: z.literal('whoami'), id: requestId });
/** The user's logged-in devices. */
export const listSessionsFrame = z.object({ type: z.literal('sessions'), id: requestId });
/** Logs out one other device of the user; its connections end at once. */
export const revokeSessionFrame = z.object({
  type: z.literal('revoke_session'),
  id: requestId,
  sessionId: id,
});
export const openDirectFrame = z.object({
  type: z.literal('open_direct'),
  id: requestId,
  username,
});
/** Where a `conversations` page ends: opaque to clients, passed back to get the next page. */
const conversationsCursor = z.string().min(1).max(64);

export const listConversationsFrame = z.object({
  type: z.literal('conversations'),
  id: requestId,
  /** The previous page's `cursor`: continue after it. Omitted: the first page. */
  cursor: conversationsCursor.optional(),
  limit: z.number().int().positive().max(1000).optional(),
});
export const sendFrame = z
  .object({
    type: z.literal('send'),
    id: requestId,
    conversationId: id,
    clientMsgId: text('line', z.string().min(1).max(CLIENT_MSG_ID_MAX_LENGTH)),
    // The configurable character limit is enforced by the server; this bounds the parse.
    body: text('multiline', z.string().max(1_000_000)),
    /** Version 3: a file the sender uploaded. */
    attachment: sendAttachmentSchema.optional(),
  })
  // Nothing at all to send is refused here; a blank body (spaces) by the server.
  .refine((frame) => frame.body.length > 0 || frame.attachment !== undefined, {
    message: 'must not be empty without an attachment',
    path: ['body'],
  });
export const historyFrame = z
  .object({
    type: z.literal('history'),
    id: requestId,
    conversationId: id,
    /** Messages with seq strictly below this, newest first in the page. Default: the newest. */
    before: seq.optional(),
    /** Messages with seq strictly above this, oldest first. Not with `before`. */
    after: seq.optional(),
    limit: z.number().int().positive().max(1000).optional(),
  })
  // Both directions at once has no meaning; refusing it here keeps the domain from guessing.
  .refine((frame) => frame.before === undefined || frame.after === undefined, {
    message: 'give before or after, not both',
    path: ['after'],
  });
export const syncFrame = z.object({
  type: z.literal('sync'),
  id: requestId,
  /** The last pts this device has applied; null for a new device (answers the current pts). */
  pts: pts.nullable(),
  limit: z.number().int().positive().max(1000).optional(),
});
export const readFrame = z.object({
  type: z.literal('read'),
  id: requestId,
  conversationId: id,
  seq,
});
export const ackFrame = z.object({
  type: z.literal('ack'),
  /** Every update up to this pts has reached this device. */
  pts,
});
export const pingFrame = z.object({ type: z.literal('ping'), id: requestId.optional() });
/**
 * Version 3. Sets the user's choice for every device (`choice`), and/or whether this device is
 * idle (`idle`: no input for a while, or the window hidden). Reply: `ok`.
 */
export const setPresenceFrame = z
  .object({
    type: z.literal('set_presence'),
    id: requestId,
    choice: z.enum(PRESENCE_CHOICES).optional(),
    idle: z.boolean().optional(),
  })
  .refine((f) => f.choice !== undefined || f.idle !== undefined, {
    message: 'give choice, idle or both',
  });
/**
 * Version 3. The presence of these users now (changes are pushed as `presence_changed` to the
 * user's contacts without asking). Reply: `presence`.
 */
export const presenceFrame = z.object({
  type: z.literal('presence'),
  id: requestId,
  userIds: z.array(id).max(PRESENCE_QUERY_MAX),
});
/**
 * Version 3. "I am typing in this conversation" (`active`), or "I stopped" (sent, cleared the
 * input). No id and no reply, as `ack`: it is a hint, sent at most every TYPING_REFRESH_MS while
 * the user types; the others see it expire TYPING_EXPIRES_MS after the last one.
 */
export const typingFrame = z.object({
  type: z.literal('typing'),
  conversationId: id,
  active: z.boolean(),
});

// Friends (version 3) ------------------------------------------------------------------------

const friendNote = text('line', z.string().max(FRIEND_NOTE_MAX_LENGTH));
/** A remark or grouping: null (or absent) clears it; an empty string is refused. */
const friendLabel = (max: number) => text('line', z.string().min(1).max(max)).nullable();

/** Looks a user up by exact username (after the server's normalization). */
export const findUserFrame = z.object({ type: z.literal('find_user'), id: requestId, username });
/** The user's friends, pending requests both ways, blocked users and privacy setting. */
export const contactsFrame = z.object({ type: z.literal('contacts'), id: requestId });
/** Asks `userId` to be friends. If they already asked the caller, this accepts their request. */
export const friendRequestFrame = z.object({
  type: z.literal('friend_request'),
  id: requestId,
  userId: id,
  note: friendNote.optional(),
});
/** Accepts the request `userId` sent the caller. */
export const friendAcceptFrame = z.object({
  type: z.literal('friend_accept'),
  id: requestId,
  userId: id,
});
/** Declines the request `userId` sent the caller; the sender is not told why. */
export const friendDeclineFrame = z.object({
  type: z.literal('friend_decline'),
  id: requestId,
  userId: id,
});
/** Withdraws the caller's own request to `userId`. */
export const friendCancelFrame = z.object({
  type: z.literal('friend_cancel'),
  id: requestId,
  userId: id,
});
/** Ends the friendship with `userId`, for both. */
export const friendRemoveFrame = z.object({
  type: z.literal('friend_remove'),
  id: requestId,
  userId: id,
});
/** Sets the caller's remark and grouping for a friend; null clears one. */
export const friendEditFrame = z.object({
  type: z.literal('friend_edit'),
  id: requestId,
  userId: id,
  remark: friendLabel(FRIEND_REMARK_MAX_LENGTH),
  grouping: friendLabel(FRIEND_GROUPING_MAX_LENGTH),
});
/** Blocks `userId`: no messages or requests from them; ends a friendship and pending requests. */
export const blockFrame = z.object({ type: z.literal('block'), id: requestId, userId: id });
export const unblockFrame = z.object({ type: z.literal('unblock'), id: requestId, userId: id });
/** Sets who may start a direct chat with the caller and message them. */
export const setPrivacyFrame = z.object({
  type: z.literal('set_privacy'),
  id: requestId,
  directMessages: z.enum(DIRECT_MESSAGE_SETTINGS),
});

// Search (version 3) ---------------------------------------------------------------------------

/** The first protocol version with `search`; an older connection sending it gets `unknown_type`. */
export const SEARCH_SINCE = 3;

/** Where a search page ends: opaque to clients, passed back as `before` for the next page. */
const searchCursor = z.number().int().positive();

/**
 * Version 3. Messages in the caller's conversations (or in `conversationId`, which must be one)
 * with every word of `query`: Latin words by their start, Chinese, Japanese and Korean text as
 * substrings. A blank query (or one of punctuation only) is refused with `invalid`.
 */
export const searchFrame = z.object({
  type: z.literal('search'),
  id: requestId,
  query: text('line', z.string().min(1).max(SEARCH_QUERY_MAX_LENGTH)),
  conversationId: id.optional(),
  /** The previous page's `cursor`: older results. Omitted: the newest. */
  before: searchCursor.optional(),
  limit: z.number().int().positive().max(SEARCH_PAGE_MAX).optional(),
});

export const clientFrameSchemas = {
  hello: helloFrame,
  register: registerFrame,
  login: loginFrame,
  auth: authFrame,
  logout: logoutFrame,
  change_password: changePasswordFrame,
  whoami: whoamiFrame,
  sessions: listSessionsFrame,
  revoke_session: revokeSessionFrame,
  open_direct: openDirectFrame,
  conversations: listConversationsFrame,
  send: sendFrame,
  history: historyFrame,
  sync: syncFrame,
  read: readFrame,
  ack: ackFrame,
  ping: pingFrame,
  find_user: findUserFrame,
  contacts: contactsFrame,
  friend_request: friendRequestFrame,
  friend_accept: friendAcceptFrame,
  friend_decline: friendDeclineFrame,
  friend_cancel: friendCancelFrame,
  friend_remove: friendRemoveFrame,
  friend_edit: friendEditFrame,
  block: blockFrame,
  unblock: unblockFrame,
  set_privacy: setPrivacyFrame,
  typing: typingFrame,
  set_presence: setPresenceFrame,
  presence: presenceFrame,
  search: searchFrame,
} as const;

export const clientFrameSchema = z.discriminatedUnion('type', [
  helloFrame,
  registerFrame,
  loginFrame,
  authFrame,
  logoutFrame,
  changePasswordFrame,
  whoamiFrame,
  listSessionsFrame,
  revokeSessionFrame,
  openDirectFrame,
  listConversationsFrame,
  sendFrame,
  historyFrame,
  syncFrame,
  readFrame,
  ackFrame,
  pingFrame,
  findUserFrame,
  contactsFrame,
  friendRequestFrame,
  friendAcceptFrame,
  friendDeclineFrame,
  friendCancelFrame,
  friendRemoveFrame,
  friendEditFrame,
  blockFrame,
  unblockFrame,
  setPrivacyFrame,
  typingFrame,
  setPresenceFrame,
  presenceFrame,
  searchFrame,
]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;
export type ClientFrameType = ClientFrame['type'];
export type ClientFrameOf<T extends ClientFrameType> = Extract<ClientFrame, { type: T }>;

// ---------------------------------------------------------------------------------------------
// Server -> client

export const welcomeFrame = z.object({
  type: z.literal('welcome'),
  id: requestId,
  version: z.number().int().positive(),
  serverTime: timestamp,
  limits: z.object({
    maxFrameBytes: z.number().int().positive(),
    maxMessageChars: z.number().int().positive(),
    maxPageSize: z.number().int().positive(),
    heartbeatMs: z.number().int().positive(),
    /** Largest upload accepted, in bytes (version 3; absent from older servers). */
    maxUploadBytes: z.number().int().positive().optional(),
  }),
  /** Who may register here, so a client can ask for an invite code or hide registration. */
  registration: z.enum(REGISTRATION_MODES),
});
export const authedFrame = z.object({
  type: z.literal('authed'),
  id: requestId,
  user: userSchema,
  session: sessionInfoSchema,
  /** The new session's token: present after `register` and `login`, never after `auth`. */
  token: z.string().optional(),
});
export const meFrame = z.object({
  type: z.literal('me'),
  id: requestId,
  user: userSchema,
  session: sessionInfoSchema,
});
export const okFrame = z.object({ type: z.literal('ok'), id: requestId });
export const sessionsFrame = z.object({
  type: z.literal('sessions'),
  id: requestId,
  /** Live sessions, most recently seen first. */
  sessions: z.array(deviceSessionSchema),
});
export const conversationFrame = z.object({
  type: z.literal('conversation'),
  id: requestId,
  conversation: conversationSummarySchema,
});
export const conversationsFrame = z.object({
  type: z.literal('conversations'),
  id: requestId,
  /** Newest activity first. */
  conversations: z.array(conversationSummarySchema),
  /**
   * More conversations follow: ask again with `cursor`. Version 2; absent (a version-1 server)
   * means false.
   */
  more: z.boolean().optional(),
  /** Where this page ends, when `more` is true. Version 2. */
  cursor: conversationsCursor.optional(),
});
export const sentFrame = z.object({
  type: z.literal('sent'),
  id: requestId,
  conversationId: id,
  clientMsgId: z.string(),
  seq,
  ts: timestamp,
  /** True when this clientMsgId was already stored: the original seq and ts are returned. */
  duplicate: z.boolean(),
});
export const historyPageFrame = z.object({
  type: z.literal('history'),
  id: requestId,
  conversationId: id,
  /** Always in ascending seq order. */
  messages: z.array(messageSchema),
  /** More messages exist in the direction asked for. */
  hasMore: z.boolean(),
});
export const updatesFrame = z.object({
  type: z.literal('updates'),
  id: requestId,
  /** Ascending pts; a gap is an update this connection's version does not know (section 6). */
  updates: z.array(receivedEnvelopeSchema),
  /** The cursor after this page: send it in the next `sync` and in `ack`. */
  pts,
  /** More updates follow: sync again from `pts`. When false, live `update` pushes follow. */
  more: z.boolean(),
});
export const updateFrame = z.object({
  type: z.literal('update'),
  pts,
  update: receivedUpdateSchema,
});
/** The user `find_user` asked for. Version 3. */
export const userFrame = z.object({ type: z.literal('user'), id: requestId, user: userSchema });
/** The answer to `contacts`. Version 3. */
export const contactsReplyFrame = z.object({
  type: z.literal('contacts'),
  id: requestId,
  /** In the order friends were added, oldest first. */
  friends: z.array(friendSchema),
  /** Requests to the caller, newest first (at most MAX_LISTED_INCOMING_REQUESTS). */
  incoming: z.array(friendRequestSchema),
  /** The caller's requests waiting for an answer, newest first. */
  outgoing: z.array(friendRequestSchema),
  blocked: z.array(z.object({ user: userSchema, ts: timestamp })),
  /** The caller's setting, or the server's default when they never chose. */
  directMessages: z.enum(DIRECT_MESSAGE_SETTINGS),
});
export type Contacts = Omit<z.infer<typeof contactsReplyFrame>, 'type' | 'id'>;

export const pongFrame = z.object({
  type: z.literal('pong'),
  id: requestId.optional(),
  serverTime: timestamp,
});
export const errorFrame = z.object({
  type: z.literal('error'),
  /** The request's id, or null when the frame had none that could be read. */
  id: requestId.nullable(),
  code: z.enum(ERROR_CODES),
  message: z.string(),
  /** For rate_limited and too_many_attempts: when to try again. */
  retryAfterMs: z.number().int().nonnegative().optional(),
});
/**
 * Version 3: answers `presence`, in the order asked. A user the caller may not see (no
 * conversation in common) is shown `offline` with no last-seen time: nothing is revealed.
 */
export const presenceReplyFrame = z.object({
  type: z.literal('presence'),
  id: requestId,
  users: z.array(presenceSchema),
});
/**
 * Version 3, pushed live only: a contact's presence changed (someone the user shares a
 * conversation with), or the user's own (then with `choice`, to all the user's devices).
 * Coalesced: at most about one a second per user.
 */
export const presencePushFrame = z.object({
  type: z.literal('presence_changed'),
  presence: presenceSchema,
});
/**
 * Version 3, pushed live only (never stored, never replayed by sync): `userId` is typing in
 * `conversationId`, or stopped. Show it until `active: false`, a message from that user, or
 * TYPING_EXPIRES_MS without a refresh, whichever comes first.
 */
export const typingPushFrame = z.object({
  type: z.literal('typing'),
  conversationId: id,
  userId: id,
  active: z.boolean(),
});
/** One message `search` found, with the conversation it is in (to name it and open it there). */
export const searchResultSchema = z.object({
  message: messageSchema,
  conversation: conversationInfoSchema,
});
export type SearchResult = z.infer<typeof searchResultSchema>;

/** Version 3: answers `search`. */
export const searchResultsFrame = z.object({
  type: z.literal('search_results'),
  id: requestId,
  /** Newest first. */
  results: z.array(searchResultSchema),
  /** Older results exist: ask again with `before: cursor`. */
  more: z.boolean(),
  /** Where this page ends, when `more` is true. */
  cursor: searchCursor.optional(),
});

export const byeFrame = z.object({
  type: z.literal('bye'),
  reason: z.enum(CLOSE_REASONS),
});

export const serverFrameSchema = z.discriminatedUnion('type', [
  welcomeFrame,
  authedFrame,
  meFrame,
  okFrame,
  sessionsFrame,
  conversationFrame,
  conversationsFrame,
  sentFrame,
  historyPageFrame,
  updatesFrame,
  updateFrame,
  userFrame,
  contactsReplyFrame,
  pongFrame,
  errorFrame,
  typingPushFrame,
  presenceReplyFrame,
  presencePushFrame,
  searchResultsFrame,
  byeFrame,
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;
export type ServerFrameType = ServerFrame['type'];
export type ServerFrameOf<T extends ServerFrameType> = Extract<ServerFrame, { type: T }>;
export type ErrorFrame = ServerFrameOf<'error'>;

/** Server frames that answer a request, by the request type they answer. */
export interface ReplyOf {
  hello: ServerFrameOf<'welcome'>;
  register: ServerFrameOf<'authed'>;
  login: ServerFrameOf<'authed'>;
  auth: ServerFrameOf<'authed'>;
  logout: ServerFrameOf<'ok'>;
  change_password: ServerFrameOf<'ok'>;
  whoami: ServerFrameOf<'me'>;
  sessions: ServerFrameOf<'sessions'>;
  revoke_session: ServerFrameOf<'ok'>;
  open_direct: ServerFrameOf<'conversation'>;
  conversations: ServerFrameOf<'conversations'>;
  send: ServerFrameOf<'sent'>;
  history: ServerFrameOf<'history'>;
  sync: ServerFrameOf<'updates'>;
  read: ServerFrameOf<'ok'>;
  ping: ServerFrameOf<'pong'>;
  find_user: ServerFrameOf<'user'>;
  contacts: ServerFrameOf<'contacts'>;
  friend_request: ServerFrameOf<'ok'>;
  friend_accept: ServerFrameOf<'ok'>;
  friend_decline: ServerFrameOf<'ok'>;
  friend_cancel: ServerFrameOf<'ok'>;
  friend_remove: ServerFrameOf<'ok'>;
  friend_edit: ServerFrameOf<'ok'>;
  block: ServerFrameOf<'ok'>;
  unblock: ServerFrameOf<'ok'>;
  set_privacy: ServerFrameOf<'ok'>;
  set_presence: ServerFrameOf<'ok'>;
  presence: ServerFrameOf<'presence'>;
  search: ServerFrameOf<'search_results'>;
}
/** Client frames that expect a reply. */
export type RequestType = keyof ReplyOf;
export type RequestFrame = ClientFrameOf<RequestType>;
