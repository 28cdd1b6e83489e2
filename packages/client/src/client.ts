/**
 * The SDK's facade. It wires the connection (transport, state, backoff, heartbeat), the sync
 * engine (cursor, resume, gaps), the outbox and the persisted state together, and turns them into
 * the methods and events an application uses.
 */
import type {
  ClientFrameOf,
  Presence,
  PresenceChoice,
  ReceivedEnvelope,
  ReceivedUpdate,
  ReplyOf,
  RequestType,
} from '@parley/protocol';
import { DEFAULT_BACKOFF } from './backoff.js';
import { ContactBook } from './contact-book.js';
import { Connection } from './connection.js';
import { Emitter } from './emitter.js';
import { ParleyError, toParleyError } from './errors.js';
import { Outbox } from './outbox.js';
import { Persister } from './persister.js';
import { newClientMsgId } from './ids.js';
import { gateCheck, StateWaiters, type Gate } from './state-waiters.js';
import { SyncEngine } from './sync.js';
import { ParleyFiles } from './files.js';
import { httpUrlFrom } from './http-files.js';
import { DEFAULT_UPLOAD_RETRY_DELAYS_MS } from './uploads.js';
import { TypingTracker } from './typing.js';
import { PresenceBook } from './presence.js';
import type {
  ClientStorage,
  ClientEventHandler,
  ClientEventName,
  ClientOptions,
  ConnectionState,
  ContactsState,
  ConversationSummary,
  DirectMessageSetting,
  FriendLabels,
  ConversationsPage,
  HistoryOptions,
  HistoryPage,
  KeptUnsent,
  Limits,
  LogoutOptions,
  OutboxEntry,
  DeviceSession,
  RegisterOptions,
  SearchOptions,
  SearchPage,
  SendOptions,
  RegistrationMode,
  SessionEndReason,
  User,
  WhoAmI,
} from './types.js';

const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
/** Times `conversations()` reads the list when updates show that a pass missed one. */
const MAX_LISTING_PASSES = 3;
/** How long `checkConnection()` waits for a pong before it gives the link up. */
const CHECK_PING_TIMEOUT_MS = 5_000;

/**
 * A Parley client: one account on one server, over any transport.
 *
 * @example
 * const client = new ParleyClient({ url: 'ws://localhost:8080/ws', transport: webSocketTransport() });
 * client.on('message', ({ message }) => console.log(message.body));
 * await client.connect();
 * if (!client.user) await client.login('alice', 'correct horse');
 * const chat = await client.openDirect('bob');
 * await client.sendAndWait(chat.info.id, 'hi bob');
 */
export class ParleyClient {
  private readonly emitter = new Emitter();
  private readonly persister: Persister;
  private readonly connection: Connection;
  private readonly syncEngine: SyncEngine;
  private readonly queue: Outbox;
  private readonly typingTracker = new TypingTracker({
    // Only a live session announces: before sync ends the server would refuse or drop it.
    send: (conversationId, active) =>
      this.connection.state.status === 'online' &&
      this.connection.notify({ type: 'typing', conversationId, active }),
    changed: (conversationId, userIds) => this.emitter.emit('typing', { conversationId, userIds }),
    now: () => Date.now(),
  });
  private readonly presenceBook = new PresenceBook({
    fetch: async (userIds) => (await this.connection.request('presence', { userIds })).users,
    sendIdle: async (idle) => {
      await this.connection.request('set_presence', { idle });
    },
    changed: (presence) => this.emitter.emit('presence', presence),
  });
  private readonly requestTimeoutMs: number;
  private readonly device: string;
  private readonly waiters = new StateWaiters();
  private authedUser: User | null = null;
  private registrationMode: RegistrationMode | null = null;
  /** The token this client's session runs on (others sharing the storage may log in anew). */
  private sessionToken: string | null = null;
  private unwatch: (() => void) | null = null;
  private readonly storage: ClientStorage | null;
  private loading: Promise<void> | null = null;
  /** Cleared by close(), so a connect() still loading storage does not start afterwards. */
  private wanted = false;
  /** One set per `conversations()` pass under way: the conversations updates touched meanwhile. */
  private readonly listings = new Set<Set<number>>();
  private readonly book = new ContactBook(() => this.authedUser?.id ?? null);
  /** The protocol version of the current link (friends need 3). */
  private version = 0;

  constructor(options: ClientOptions) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.device = options.device ?? 'parley-sdk';
    this.storage = options.storage ?? null;
    this.files = new ParleyFiles({
      httpUrl: (options.httpUrl ?? httpUrlFrom(options.url))?.replace(/\/+$/, '') ?? null,
      token: () => this.sessionToken,
      retryDelaysMs: options.uploadRetryDelaysMs ?? DEFAULT_UPLOAD_RETRY_DELAYS_MS,
      onOnline: (resume) =>
        this.emitter.on('state', (state) => {
          if (state.status === 'online') resume();
        }),
      sendAndWait: (conversationId, body, sendOptions) =>
        this.sendAndWait(conversationId, body, sendOptions),
    });
    this.persister = new Persister(this.storage);
    this.connection = new Connection(
      {
        url: options.url,
        transport: options.transport,
        backoff: { ...DEFAULT_BACKOFF, ...options.reconnect },
        requestTimeoutMs: this.requestTimeoutMs,
        clientName: options.clientName ?? 'parley-sdk',
      },
      {
        onWelcome: (welcome) => {
          const { version, limits, serverTime, registration } = welcome;
          this.registrationMode = registration;
          this.version = version;
          this.emitter.emit('welcome', { version, limits, serverTime, registration });
          // What other clients on the storage did meanwhile: messages they queued, a logout.
          return this.refreshFromStorage().then(() => this.resume());
        },
        onUpdate: (frame) => this.syncEngine.onLive({ pts: frame.pts, update: frame.update }),
        onTyping: (frame) => this.typingTracker.received(frame),
        onPresence: (frame) => this.presenceBook.apply(frame.presence),
        onSessionEnd: (reason) => this.endSession(reason),
        onLinkDown: () => {
          this.typingTracker.reset();
          this.syncEngine.linkDown();
          this.queue.linkDown();
        },
        onState: (state) => {
          this.emitter.emit('state', state);
          this.waiters.notify(state);
        },
      },
    );
    this.syncEngine = new SyncEngine(
      {
        fetch: (pts) => this.connection.request('sync', { pts }),
        apply: (envelope, live) => this.apply(envelope, live),
        ack: (pts) => this.connection.notify({ type: 'ack', pts }),
        saveCursor: (pts) => this.persister.saveCursor(pts),
        onError: (error) => this.connection.drop(`sync failed: ${toParleyError(error).message}`),
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      },
      null,
    );
    this.queue = new Outbox({
      transmit: async ({ conversationId, clientMsgId, body, attachment }) => {
        const sent = await this.connection.request('send', {
          conversationId,
          clientMsgId,
          body,
          ...(attachment === undefined ? {} : { attachment }),
        });
        return { seq: sent.seq, ts: sent.ts };
      },
      canSend: () => this.connection.state.status === 'online',
      persist: (entry) => this.persister.putEntry(entry),
      forget: (ids) => this.persister.removeEntries(ids),
      emit: (entry) => this.emitter.emit('outbox', { entry }),
      newId: newClientMsgId,
      now: () => Date.now(),
    });
  }

  /** Where the connection stands; every change is also a `state` event. */
  get state(): ConnectionState {
    return this.connection.state;
  }

  /** The logged-in user (known from storage before the connection is back); null when none. */
  get user(): User | null {
    if (this.authedUser) return this.authedUser;
    const stored = this.persister.state;
    return stored.token !== null ? stored.user : null;
  }

  /** Who may register on this server, from the last `welcome`; null before the first. */
  get registration(): RegistrationMode | null {
    return this.registrationMode;
  }

  /** The server's limits, from the last `welcome`; null before the first connection. */
  get limits(): Limits | null {
    return this.connection.limits;
  }

  /** The last update pts applied: what a reconnect resumes from; null for a new device. */
  get pts(): number | null {
    return this.syncEngine.pts;
  }

  /** Subscribes to an event; returns the function that unsubscribes. */
  on<E extends ClientEventName>(event: E, handler: ClientEventHandler<E>): () => void {
    return this.emitter.on(event, handler);
  }

  /**
   * Loads storage and starts connecting (from `idle` or `closed`). Resolves once the client is
   * `unauthenticated` (log in next) or `online` (a stored session resumed and synced); rejects if
   * it is closed first (`unsupported_version` when the server speaks no version of the SDK's,
   * else `disconnected`). While the server is unreachable it keeps retrying and does not settle:
   * watch `state` events to show progress or give up.
   */
  async connect(): Promise<void> {
    this.wanted = true;
    const status = this.connection.state.status;
    if (status === 'idle' || status === 'closed') {
      this.loading ??= this.load();
      await this.loading;
      if (!this.wanted) throw new ParleyError('disconnected', 'client closed');
      // Another tab's writes: take in its queued messages at once (close() unsubscribes).
      this.unwatch ??=
        this.storage?.watch?.(() => {
          void this.persister.refresh().then(() => this.mergeStoredOutbox());
        }) ?? null;
      this.connection.start();
    }
    await this.waiters.wait(
      () => this.connection.state,
      (state) => {
        if (state.status === 'unauthenticated' || state.status === 'online') return 'ok';
        if (state.status === 'closed') {
          return this.connection.fatalError ?? new ParleyError('disconnected', state.reason);
        }
        return 'wait';
      },
    );
  }

  /** Closes the connection for good (until `connect()`); stored state is kept. */
  close(): void {
    this.wanted = false;
    this.unwatch?.();
    this.unwatch = null;
    this.connection.stop('closed');
    this.queue.stop(new ParleyError('disconnected', 'client closed'));
    void this.persister.flush().catch(() => undefined);
  }

  /**
   * The device lost its network (in a browser, the window's `offline` event): drops the link at
   * once, so `state` says so and new messages wait in the outbox, instead of after the heartbeat
   * has waited out the silence. Reconnect attempts go on with the usual backoff.
   */
  networkLost(): void {
    this.connection.drop('the device went offline');
  }

  /**
   * The network may be back or may have changed (in a browser, the window's `online` event; a
   * laptop waking up). While waiting to reconnect, reconnects now; on a live link, pings the
   * server and drops the link (reconnecting) if no pong comes within a few seconds. Resolves
   * true when the current link answered the ping.
   *
   * @example
   * window.addEventListener('offline', () => client.networkLost());
   * window.addEventListener('online', () => void client.checkConnection());
   */
  async checkConnection(): Promise<boolean> {
    if (this.connection.state.status === 'reconnecting') {
      this.connection.retryNow();
      return false;
    }
    return this.connection.probe(Math.min(CHECK_PING_TIMEOUT_MS, this.requestTimeoutMs));
  }

  /**
   * Creates an account and logs in; the token is stored, then the device syncs. An invite-only
   * server (see `registration`) needs `options.invite`.
   */
  register(username: string, password: string, options: RegisterOptions = {}): Promise<User> {
    const invite = options.invite === undefined ? {} : { invite: options.invite };
    return this.authenticate('register', { username, password, device: this.device, ...invite });
  }

  /** Logs in; the token is stored, then the device syncs. */
  login(username: string, password: string): Promise<User> {
    return this.authenticate('login', { username, password, device: this.device });
  }

  /**
   * Logs out this device (or, with `everywhere`, every device of the user). The stored token,
   * cursor and outbox are cleared even when the server cannot be told.
   */
  async logout(options: LogoutOptions = {}): Promise<void> {
    try {
      await this.call('session', 'logout', options.everywhere ? { everywhere: true } : {});
    } catch (error) {
      // The server's `bye logged_out` may overtake its `ok`; then the logout did happen.
      const state = this.connection.state;
      if (!(state.status === 'closed' && state.reason === 'logged_out')) {
        this.endSession('logged_out');
        throw error;
      }
    }
    this.endSession('logged_out');
  }

  /** Changes the password; every other session of the user is logged out. */
  async changePassword(oldPassword: string, newPassword: string): Promise<void> {
    await this.call('session', 'change_password', { oldPassword, newPassword });
  }

  async whoami(): Promise<WhoAmI> {
    const me = await this.call('session', 'whoami', {});
    return { user: me.user, session: me.session };
  }

  /** The user's logged-in devices, most recently seen first; `current` marks this one. */
  async sessions(): Promise<DeviceSession[]> {
    return (await this.call('session', 'sessions', {})).sessions;
  }

  /**
   * Logs out another device of the user by its session id (from `sessions()`); its connections
   * end at once. This device logs out with `logout()` instead.
   */
  async revokeSession(sessionId: number): Promise<void> {
    await this.call('session', 'revoke_session', { sessionId });
  }

  /** Opens (creating on first use) the one-to-one conversation with `username`. */
  async openDirect(username: string): Promise<ConversationSummary> {
    return (await this.call('session', 'open_direct', { username })).conversation;
  }

  /**
   * Every conversation of the user, newest activity first. The server answers in pages bounded
   * in count and bytes; this follows them to the end. A conversation that gets a message while
   * the pages are read moves to the top, past pages already read: when an update names one the
   * pages did not bring, the list is read once more.
   */
  async conversations(): Promise<ConversationSummary[]> {
    for (let pass = 1; ; pass++) {
      const touched = new Set<number>();
      this.listings.add(touched);
      let list: ConversationSummary[];
      try {
        list = await this.allConversationPages();
      } finally {
        this.listings.delete(touched);
      }
      const ids = new Set(list.map((summary) => summary.info.id));
      const missed = [...touched].some((id) => !ids.has(id));
      if (!missed || pass >= MAX_LISTING_PASSES) return list;
    }
  }

  private async allConversationPages(): Promise<ConversationSummary[]> {
    const byId = new Map<number, ConversationSummary>();
    let cursor: string | undefined;
    for (;;) {
      const page = await this.conversationsPage(cursor);
      for (const summary of page.conversations) {
        if (!byId.has(summary.info.id)) byId.set(summary.info.id, summary);
      }
      if (page.cursor === null) return [...byId.values()];
      cursor = page.cursor;
    }
  }

  /**
   * One page of the conversation list: pass the previous page's `cursor` for the next one;
   * `cursor` is null on the last page.
   */
  async conversationsPage(cursor?: string, limit?: number): Promise<ConversationsPage> {
    const page = await this.call('session', 'conversations', { cursor, limit });
    const next = page.more === true && page.cursor !== undefined ? page.cursor : null;
    return { conversations: page.conversations, cursor: next };
  }

  /**
   * Queues a message and returns its outbox entry at once. It goes out when online, survives
   * reconnects (and restarts, with a persistent storage); `outbox` events report its progress.
   */
  send(conversationId: number, body: string, options: SendOptions = {}): OutboxEntry {
    this.typingTracker.sent(conversationId);
    return this.queue.add(
      conversationId,
      body,
      this.limits?.maxMessageChars ?? null,
      options.attachment,
    );
  }

  /**
   * The user is typing in `conversationId`: call it on every input event. The others see "typing"
   * (protocol 3 servers); the SDK sends at most one frame per refresh period, and nothing offline.
   */
  typing(conversationId: number): void {
    this.typingTracker.typed(conversationId);
  }

  /** The user stopped typing (cleared the input, left the chat) before sending. */
  stopTyping(conversationId: number): void {
    this.typingTracker.stopped(conversationId);
  }

  /**
   * The presence of these users now (protocol 3): `online`, `away`, `busy` or `offline` with
   * when they were last seen. Only contacts (users you share a conversation with) are shown as
   * they are; anyone else shows offline. Their changes then arrive as `presence` events, and the
   * SDK asks again after each reconnect.
   */
  async presence(userIds: number[]): Promise<Presence[]> {
    await this.waiters.wait(
      () => this.connection.state,
      gateCheck('session'),
      this.requestTimeoutMs,
    );
    return this.presenceBook.query(userIds);
  }

  /** The last known presence of `userId` (null before any `presence` call or event about them). */
  knownPresence(userId: number): Presence | null {
    return this.presenceBook.get(userId);
  }

  /** Sets the user's status for all devices: `online`, `busy` or `invisible` (shown offline). */
  async setPresence(choice: PresenceChoice): Promise<void> {
    await this.call('session', 'set_presence', { choice });
    const me = this.authedUser;
    if (me) await this.presenceBook.query([me.id]);
  }

  /**
   * This device is idle (no input for a while, window hidden) or back: when all the user's
   * devices are idle, others see `away`. Kept across reconnects.
   */
  async setIdle(idle: boolean): Promise<void> {
    await this.presenceBook.setIdle(idle, this.connection.state.status === 'online');
  }

  /** Who else is typing in `conversationId` now; every change is also a `typing` event. */
  typingIn(conversationId: number): number[] {
    return this.typingTracker.usersIn(conversationId);
  }

  /**
   * Like `send`, resolving once the server has stored the message. Rejects with a ParleyError if
   * it fails for good, is discarded, the session ends first (`unauthenticated`; the entry stays
   * queued for the same user's next login) or the client is closed (`disconnected`).
   */
  sendAndWait(
    conversationId: number,
    body: string,
    options: SendOptions = {},
  ): Promise<OutboxEntry> {
    return this.queue.wait(this.send(conversationId, body, options).clientMsgId);
  }

  /**
   * Files: uploads (resumable, with progress, pause, resume, cancel), `sendFile`, downloads.
   * See docs/sdk.md, "Files".
   */
  readonly files: ParleyFiles;

  /** Sends a failed outbox entry again. */
  retry(clientMsgId: string): void {
    this.queue.retry(clientMsgId);
  }

  /** Removes an entry from the outbox (a pending one may already have reached the server). */
  discard(clientMsgId: string): void {
    this.queue.discard(clientMsgId);
  }

  /** The outbox: pending, failed and recently sent entries, oldest first. */
  outbox(): OutboxEntry[] {
    return this.queue.list();
  }

  /**
   * After a session ended without a logout on this device (see `KeptUnsent`), the messages
   * written here that never went out: they stay stored, are sent if the same user logs in again,
   * and are dropped (never sent) if another user logs in. Null while someone is signed in, and
   * when nothing unsent is kept. Tell the person, and offer `discardKeptUnsent()`.
   */
  keptUnsent(): KeptUnsent | null {
    const stored = this.persister.state.user;
    if (this.user !== null || stored === null) return null;
    const entries = this.queue.list().filter((e) => e.status !== 'sent');
    return entries.length > 0 ? { user: stored, entries } : null;
  }

  /**
   * Deletes what `keptUnsent()` describes from storage (the unsent messages, the cursor and who
   * they belonged to), as a logout would have. Does nothing while someone is signed in.
   */
  async discardKeptUnsent(): Promise<void> {
    if (this.user !== null) return;
    // No session is stored any more (it ended elsewhere): forget what was kept for it.
    this.forgetUser(new ParleyError('disconnected', 'discarded after the session ended'), null);
    await this.persister.flush();
  }

  /** One page of a conversation's messages (ascending seq); the newest page by default. */
  async history(conversationId: number, options: HistoryOptions = {}): Promise<HistoryPage> {
    const { before, after, limit } = options;
    const page = await this.call('session', 'history', { conversationId, before, after, limit });
    return { messages: page.messages, hasMore: page.hasMore };
  }

  /**
   * Searches the user's own history (protocol 3): messages with every word of `query`, in all
   * the user's conversations or in `options.conversationId`, newest first. Latin words match by
   * their start ("stat" finds "station"), Chinese, Japanese and Korean text as a substring
   * ("京" and "北京" both find "我们明天去北京吧"). A query of 1 to 100 characters; a blank one,
   * or one with no letters or digits, is refused with `invalid`. To show a hit in its place,
   * load `history(conversationId, { before: seq + 1 })`.
   */
  async search(query: string, options: SearchOptions = {}): Promise<SearchPage> {
    const { conversationId, cursor, limit } = options;
    const page = await this.call('session', 'search', {
      query,
      conversationId,
      before: cursor,
      limit,
    });
    return {
      results: page.results,
      more: page.more,
      ...(page.cursor === undefined ? {} : { cursor: page.cursor }),
    };
  }

  /** Marks every message up to `seq` read (the peer sees it; other devices get a `read`). */
  async markRead(conversationId: number, seq: number): Promise<void> {
    await this.call('session', 'read', { conversationId, seq });
  }

  // Contacts ------------------------------------------------------------------------------------

  /**
   * The user's friends, pending requests, blocked users and privacy setting, as this client
   * keeps them: loaded after every sync and kept current by updates (`contacts` events).
   */
  get contactsState(): ContactsState {
    return this.book.snapshot();
  }

  /** Loads the contacts from the server again (the SDK does this after every sync itself). */
  async refreshContacts(): Promise<ContactsState> {
    this.book.loadStarted();
    let reply: ReplyOf['contacts'];
    try {
      reply = await this.call('session', 'contacts', {});
    } catch (error) {
      this.book.loadFailed();
      throw error;
    }
    const { friends, incoming, outgoing, blocked, directMessages } = reply;
    this.book.load({ friends, incoming, outgoing, blocked, directMessages });
    const state = this.book.snapshot();
    this.emitter.emit('contacts', { contacts: state, cause: null, live: false });
    return state;
  }

  /** The user with exactly this username; rejects with `not_found` when there is none. */
  async findUser(username: string): Promise<User> {
    return (await this.call('session', 'find_user', { username })).user;
  }

  /**
   * Asks `userId` to be friends, with an optional note. If they had asked the user already, this
   * accepts their request. Refusals: `already_friends`, `already_requested`, `blocked`,
   * `limit_reached`, `not_found`.
   */
  async sendFriendRequest(userId: number, note?: string): Promise<void> {
    await this.call(
      'session',
      'friend_request',
      note === undefined ? { userId } : { userId, note },
    );
  }

  /** Accepts the friend request `userId` sent; `not_found` when there is none. */
  async acceptFriend(userId: number): Promise<void> {
    await this.call('session', 'friend_accept', { userId });
  }

  /** Declines the friend request `userId` sent. */
  async declineFriend(userId: number): Promise<void> {
    await this.call('session', 'friend_decline', { userId });
  }

  /** Withdraws the user's own request to `userId`. */
  async cancelFriendRequest(userId: number): Promise<void> {
    await this.call('session', 'friend_cancel', { userId });
  }

  /** Ends the friendship with `userId` (for both). */
  async removeFriend(userId: number): Promise<void> {
    await this.call('session', 'friend_remove', { userId });
  }

  /** Sets the private remark and grouping of a friend (null clears one). */
  async editFriend(userId: number, labels: FriendLabels): Promise<void> {
    await this.call('session', 'friend_edit', { userId, ...labels });
  }

  /** Blocks `userId`: no messages or requests from them; a friendship and requests end. */
  async block(userId: number): Promise<void> {
    await this.call('session', 'block', { userId });
  }

  async unblock(userId: number): Promise<void> {
    await this.call('session', 'unblock', { userId });
  }

  /** Who may start a direct chat with the user and message them. */
  async setDirectMessages(directMessages: DirectMessageSetting): Promise<void> {
    await this.call('session', 'set_privacy', { directMessages });
  }

  // -------------------------------------------------------------------------------------------

  private async load(): Promise<void> {
    await this.persister.load();
    const stored = this.persister.state;
    this.queue.merge(stored.outbox);
    this.syncEngine.reset(stored.pts);
  }

  /**
   * Re-reads the storage between links. If another client logged out or in as someone else, this
   * one follows (what it held belongs to nobody now); else it takes in their queued messages.
   */
  private async refreshFromStorage(): Promise<void> {
    await this.persister.refresh();
    const stored = this.persister.state;
    if ((stored.user?.id ?? null) !== this.persister.owner) {
      this.syncEngine.reset(stored.pts);
      this.queue.clear(new ParleyError('forbidden', 'another login replaced this session'));
      this.persister.adopt();
      const hadSession = this.authedUser !== null;
      this.authedUser = null;
      this.sessionToken = null;
      if (hadSession && stored.token === null) {
        this.emitter.emit('sessionEnded', { reason: 'logged_out' });
      }
    }
    this.mergeStoredOutbox();
  }

  private mergeStoredOutbox(): void {
    const stored = this.persister.state;
    // Another account's entries are never this session's to send (its turn comes on reconnect).
    if ((stored.user?.id ?? null) === this.persister.owner) this.queue.merge(stored.outbox);
  }

  /** After `welcome`: resume the stored session, if any. Rejecting drops the link. */
  private async resume(): Promise<void> {
    const linkId = this.connection.linkId;
    const token = this.persister.state.token;
    if (token === null) {
      this.connection.settle('unauthenticated', linkId);
      return;
    }
    try {
      const authed = await this.connection.request('auth', { token });
      this.sessionToken = token;
      await this.startSession(authed, linkId);
    } catch (error) {
      if (!(error instanceof ParleyError && error.code === 'invalid_token')) throw error;
      if (this.connection.isCurrent(linkId)) this.endSession('invalid_token');
    }
  }

  private async authenticate(
    type: 'register' | 'login',
    fields: Omit<ClientFrameOf<'register'>, 'type' | 'id'>,
  ): Promise<User> {
    await this.waiters.wait(
      () => this.connection.state,
      gateCheck('connection'),
      this.requestTimeoutMs,
    );
    const linkId = this.connection.linkId;
    const authed = await this.connection.request(type, fields);
    if (authed.token === undefined) throw new ParleyError('internal', 'the server sent no token');
    const owner = this.persister.owner;
    if (owner !== null && owner !== authed.user.id) {
      // Another account on this device: the old cursor and queued messages are not this user's
      // (the persister clears them in storage too, at the login below).
      this.syncEngine.reset(null);
      this.book.clear();
      this.queue.clear(new ParleyError('forbidden', 'another user logged in'));
    }
    this.sessionToken = authed.token;
    this.persister.login(authed.token, authed.user);
    await this.persister.flush();
    if (this.connection.isCurrent(linkId)) {
      // A failed sync drops the link; the reconnect resumes with the stored token.
      await this.startSession(authed, linkId).catch((error: unknown) => {
        this.connection.drop(`sync failed: ${toParleyError(error).message}`, linkId);
      });
    }
    return authed.user;
  }

  private async startSession(authed: ReplyOf['auth'], linkId: number): Promise<void> {
    this.authedUser = authed.user;
    this.emitter.emit('authenticated', { user: authed.user, session: authed.session });
    this.connection.settle('syncing', linkId);
    await this.syncEngine.run();
    if (!this.connection.isCurrent(linkId)) return;
    this.emitter.emit('synced', { pts: this.syncEngine.pts ?? 0 });
    this.connection.settle('online', linkId);
    this.queue.drain();
    // Updates keep the contacts current from here; a failed load is retried on the next link.
    if (this.version >= 3) void this.refreshContacts().catch(() => undefined);
    // Presence pushes are live only: ask again what may have changed while away. A server
    // older than protocol 3 has no presence; nothing is lost by skipping it.
    if (this.version >= 3) this.presenceBook.resumed(authed.user.id).catch(() => undefined);
  }

  /**
   * The session is over. `logged_out` forgets everything this device kept for the user; a
   * revoked or expired session keeps the cursor and outbox, in case the same user logs in again.
   */
  private endSession(reason: SessionEndReason): void {
    const hadSession = this.persister.state.token !== null || this.authedUser !== null;
    const token = this.sessionToken ?? this.persister.state.token;
    this.authedUser = null;
    this.sessionToken = null;
    if (reason === 'logged_out') {
      this.forgetUser(new ParleyError('disconnected', 'logged out'), token);
    } else {
      // The entries stay queued for this user's next login, but nobody may be left waiting on a
      // session that is gone: sendAndWait() would never settle.
      const why = `the session ended (${reason}); the message stays queued for the next login`;
      this.queue.stop(new ParleyError('unauthenticated', why));
      this.persister.endSession(token, false);
    }
    void this.persister.flush().catch(() => undefined);
    // An expired token leaves a working connection: the user can log in on it right away.
    if (reason === 'invalid_token') this.connection.settle('unauthenticated');
    else this.connection.stop(reason);
    if (hadSession) this.emitter.emit('sessionEnded', { reason });
  }

  /** Forgets the user this device kept state for: cursor, outbox (failing its waiters), who. */
  private forgetUser(error: ParleyError, endedToken: string | null): void {
    this.book.clear();
    this.presenceBook.clear();
    this.syncEngine.reset(null);
    this.queue.clear(error);
    this.persister.endSession(endedToken, true);
  }

  private apply(envelope: ReceivedEnvelope, live: boolean): void {
    const update = envelope.update;
    const touched = conversationOf(update);
    if (touched !== null) for (const listing of this.listings) listing.add(touched);
    switch (update.kind) {
      case 'message': {
        const message = update.message;
        this.typingTracker.messageFrom(message.conversationId, message.senderId);
        this.emitter.emit('message', { message, live });
        // Our own message in the stream proves the server has it, even if its ack was lost.
        if (message.senderId === this.authedUser?.id) {
          this.queue.confirm(message.clientMsgId, message.seq, message.ts);
        }
        return;
      }
      case 'read':
        this.emitter.emit('read', {
          conversationId: update.conversationId,
          userId: update.userId,
          seq: update.seq,
        });
        return;
      case 'conversation':
        this.emitter.emit('conversation', { conversation: update.conversation });
        return;
      case 'friend_request':
      case 'friend_request_closed':
      case 'friend_added':
      case 'friend_updated':
      case 'friend_removed':
      case 'blocked':
      case 'unblocked':
      case 'privacy':
        this.book.apply(update);
        if (update.kind === 'friend_request' && update.request.to.id === this.authedUser?.id) {
          this.emitter.emit('friendRequest', { request: update.request, live });
        }
        this.emitter.emit('contacts', { contacts: this.book.snapshot(), cause: update, live });
        return;
      case 'unknown':
        // A newer server's kind: nothing to show, and the cursor still moves past it (sync.ts).
        return;
      default: {
        const unknown: never = update;
        return unknown;
      }
    }
  }

  /** Sends a request once the connection (and session, if needed) is there. */
  private async call<T extends RequestType>(
    gate: Gate,
    type: T,
    fields: Omit<ClientFrameOf<T>, 'type' | 'id'>,
  ): Promise<ReplyOf[T]> {
    await this.waiters.wait(() => this.connection.state, gateCheck(gate), this.requestTimeoutMs);
    return this.connection.request(type, fields);
  }
}

/** The conversation an update is about, if any. */
function conversationOf(update: ReceivedUpdate): number | null {
  switch (update.kind) {
    case 'message':
      return update.message.conversationId;
    case 'read':
      return update.conversationId;
    case 'conversation':
      return update.conversation.id;
    case 'friend_request':
    case 'friend_request_closed':
    case 'friend_added':
    case 'friend_updated':
    case 'friend_removed':
    case 'blocked':
    case 'unblocked':
    case 'privacy':
    case 'unknown':
      return null;
    default: {
      const unknown: never = update;
      return unknown;
    }
  }
}
