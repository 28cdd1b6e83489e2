/**
 * TEMPORARY development stand-in for `@parley/client` while the SDK is being written: an
 * in-memory world with a few people and conversations, so the interface can be built and looked
 * at. Used only when PARLEY_WEB_FAKE_SDK=1 (see vite.config.ts). Deleted once the SDK lands.
 */
import { DEFAULT_LIMITS, type ConversationSummary, type Message, type User } from '@parley/protocol';
import type {
  ClientEvents,
  ClientOptions,
  ConnectionState,
  HistoryPage,
  OutboxEntry,
} from '../../client/src/types.js';

export * from '../../client/src/types.js';

export class ParleyError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const webSocketTransport = () => () => ({ send() {}, close() {} });
export const localStorageStorage = (_key: string) => ({
  load: async () => null,
  save: async () => {},
});

interface Conv {
  summary: ConversationSummary;
  messages: Message[];
}

const PEERS = ['li.wei', 'sophie', 'mei_lin', 'alex.chen', 'oskar', 'bench'];
const MIN = 60_000;
const HOUR = 60 * MIN;

function seed(me: User): Map<number, Conv> {
  const now = Date.now();
  const convs = new Map<number, Conv>();
  const scripts: Record<string, [number, string, number][]> = {
    'li.wei': [
      [1, '周末一起去爬山吗？⛰️', 26 * HOUR],
      [0, '好啊！几点出发？', 26 * HOUR - 3 * MIN],
      [1, '早上八点，地铁站见', 26 * HOUR - 4 * MIN],
      [1, '记得带水和防晒 ☀️', 26 * HOUR - 4 * MIN + 20_000],
      [0, 'OK 👍', 26 * HOUR - 10 * MIN],
      [1, 'Did you see the release notes? https://example.com/parley/releases', 40 * MIN],
      [0, 'Yes! Delivery receipts look great.\nThe offline queue too.', 35 * MIN],
      [1, 'The new client feels fast even with long chats', 6 * MIN],
      [1, 'Lunch at 12:30?', 5 * MIN],
      [1, '🍜🥟', 5 * MIN - 10_000],
    ],
    sophie: [
      [0, 'Can you send me the slides from today?', 3 * HOUR],
      [1, 'Sure, give me a minute', 3 * HOUR - 2 * MIN],
      [1, 'Sent them by mail. Let me know if anything is missing!', 2 * HOUR],
      [0, 'Got them, thanks 🙏', 80 * MIN],
    ],
    mei_lin: [[1, '明天的会议改到下午三点了', 2 * 24 * HOUR]],
    'alex.chen': [
      [1, '<script>alert("hi")</script> is what I typed, and it showed up as text. Nice.', 5 * 24 * HOUR],
      [0, 'As it should 😄', 5 * 24 * HOUR - 5 * MIN],
    ],
    oskar: [[0, 'See you tomorrow', 9 * 24 * HOUR]],
  };
  let id = 1;
  for (const peerName of PEERS) {
    const peer = { id: 100 + id, username: peerName };
    const lines =
      peerName === 'bench'
        ? Array.from({ length: 10_000 }, (_, i): [number, string, number] => [
            i % 3 === 0 ? 0 : 1,
            `Message ${i + 1}` + (i % 7 === 0 ? ' with a longer text that wraps onto a second line in the bubble to vary heights' : ''),
            (10_000 - i) * 7 * MIN + 30 * 24 * HOUR,
          ])
        : (scripts[peerName] ?? []);
    const messages = lines.map(([fromPeer, body, ago], i): Message => ({
      conversationId: id,
      seq: i + 1,
      senderId: fromPeer ? peer.id : me.id,
      clientMsgId: `seed-${id}-${i}`,
      body,
      ts: now - ago,
    }));
    const last = messages[messages.length - 1] ?? null;
    const unread = peerName === 'li.wei' ? 3 : peerName === 'mei_lin' ? 1 : 0;
    convs.set(id, {
      messages,
      summary: {
        info: { kind: 'direct', id, peer },
        lastSeq: last?.seq ?? 0,
        lastMessage: last,
        readSeq: (last?.seq ?? 0) - unread,
        peerReadSeq: peerName === 'sophie' ? 3 : (last?.seq ?? 0),
        unread,
      },
    });
    id++;
  }
  return convs;
}

type Handler = (e: unknown) => void;

export class ParleyClient {
  state: ConnectionState = { status: 'idle' };
  user: User | null = null;
  limits = DEFAULT_LIMITS;
  pts = 0;
  private handlers = new Map<string, Set<Handler>>();
  private convs = new Map<number, Conv>();
  private entries: OutboxEntry[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(_options: ClientOptions) {
    (window as unknown as { fake: ParleyClient }).fake = this;
  }

  on<E extends keyof ClientEvents>(event: E, handler: (e: ClientEvents[E]) => void): () => void {
    const set = this.handlers.get(event) ?? new Set();
    set.add(handler as Handler);
    this.handlers.set(event, set);
    return () => set.delete(handler as Handler);
  }
  private emit<E extends keyof ClientEvents>(event: E, value: ClientEvents[E]): void {
    for (const h of this.handlers.get(event) ?? []) h(value);
  }
  private setState(state: ConnectionState): void {
    this.state = state;
    this.emit('state', state);
  }

  async connect(): Promise<void> {
    this.setState({ status: 'connecting', attempt: 0 });
    await delay(250);
    const saved = localStorage.getItem('fake.user');
    if (saved) this.authed(JSON.parse(saved) as User);
    else this.setState({ status: 'unauthenticated' });
  }
  private authed(user: User): void {
    this.user = user;
    localStorage.setItem('fake.user', JSON.stringify(user));
    if (this.convs.size === 0) this.convs = seed(user);
    this.emit('authenticated', { user, session: { id: 1, device: 'x', expiresAt: 0 } });
    this.setState({ status: 'online' });
    this.emit('synced', { pts: 0 });
  }
  close(): void {
    if (this.timer) clearTimeout(this.timer);
  }
  /** Dev helper: `fake.offline(8)` drops the connection for 8 s. */
  offline(seconds = 8): void {
    this.setState({ status: 'reconnecting', attempt: 1, retryAt: Date.now() + seconds * 1000, lastError: 'x' });
    this.timer = setTimeout(() => {
      this.setState({ status: 'online' });
      this.emit('synced', { pts: 0 });
      for (const e of this.entries) if (e.status === 'pending') this.deliver(e);
    }, seconds * 1000);
  }
  /** Dev helper: a message from a peer. */
  incoming(conversationId: number, body: string): void {
    const conv = this.convs.get(conversationId)!;
    this.append(conv, conv.summary.info.peer.id, body, `in-${Date.now()}`);
  }
  private append(conv: Conv, senderId: number, body: string, clientMsgId: string): Message {
    const message: Message = {
      conversationId: conv.summary.info.id,
      seq: conv.messages.length + 1,
      senderId,
      clientMsgId,
      body,
      ts: Date.now(),
    };
    conv.messages.push(message);
    const fromPeer = senderId !== this.user!.id;
    conv.summary = {
      ...conv.summary,
      lastSeq: message.seq,
      lastMessage: message,
      unread: conv.summary.unread + (fromPeer ? 1 : 0),
    };
    this.emit('message', { message, live: true });
    return message;
  }
  async register(username: string, _password: string): Promise<User> {
    await delay(300);
    if (username === 'taken') throw new ParleyError('username_taken', 'taken');
    const user = { id: 1, username };
    this.authed(user);
    return user;
  }
  async login(username: string, password: string): Promise<User> {
    await delay(300);
    if (password === 'wrongpass') throw new ParleyError('invalid_credentials', 'no');
    const user = { id: 1, username };
    this.authed(user);
    return user;
  }
  async logout(_options?: { everywhere?: boolean }): Promise<void> {
    localStorage.removeItem('fake.user');
    this.user = null;
    this.setState({ status: 'closed', reason: 'logged_out' });
  }
  async changePassword(oldPassword: string, _n: string): Promise<void> {
    await delay(300);
    if (oldPassword === 'wrongpass') throw new ParleyError('invalid_credentials', 'no');
  }
  async openDirect(username: string): Promise<ConversationSummary> {
    await delay(200);
    for (const c of this.convs.values()) if (c.summary.info.peer.username === username) return c.summary;
    if (username === 'nobody') throw new ParleyError('not_found', 'no');
    const id = this.convs.size + 1;
    const conv: Conv = {
      messages: [],
      summary: {
        info: { kind: 'direct', id, peer: { id: 500 + id, username } },
        lastSeq: 0,
        lastMessage: null,
        readSeq: 0,
        peerReadSeq: 0,
        unread: 0,
      },
    };
    this.convs.set(id, conv);
    this.emit('conversation', { conversation: conv.summary.info });
    return conv.summary;
  }
  async conversations(): Promise<ConversationSummary[]> {
    await delay(150);
    return [...this.convs.values()].map((c) => c.summary);
  }
  send(conversationId: number, body: string): OutboxEntry {
    const entry: OutboxEntry = {
      status: 'pending',
      clientMsgId: `c-${Date.now()}-${Math.random()}`,
      conversationId,
      body,
      createdAt: Date.now(),
    };
    this.entries.push(entry);
    this.emit('outbox', { entry });
    if (this.state.status === 'online') setTimeout(() => this.deliver(entry), 350);
    return entry;
  }
  private deliver(entry: OutboxEntry): void {
    const conv = this.convs.get(entry.conversationId)!;
    if (entry.body.includes('fail')) {
      const failed: OutboxEntry = { ...entry, status: 'failed', error: { code: 'forbidden', message: 'x' } };
      this.entries = this.entries.map((e) => (e.clientMsgId === entry.clientMsgId ? failed : e));
      this.emit('outbox', { entry: failed });
      return;
    }
    const message = this.append(conv, this.user!.id, entry.body, entry.clientMsgId);
    const sent: OutboxEntry = { ...entry, status: 'sent', seq: message.seq, ts: message.ts };
    this.entries = this.entries.filter((e) => e.clientMsgId !== entry.clientMsgId);
    this.emit('outbox', { entry: sent });
    setTimeout(() => {
      conv.summary = { ...conv.summary, peerReadSeq: message.seq };
      this.emit('read', { conversationId: conv.summary.info.id, userId: conv.summary.info.peer.id, seq: message.seq });
    }, 1500);
  }
  retry(clientMsgId: string): void {
    const entry = this.entries.find((e) => e.clientMsgId === clientMsgId);
    if (!entry) return;
    const pending: OutboxEntry = { status: 'pending', clientMsgId, conversationId: entry.conversationId, body: entry.body.replace('fail', 'ok'), createdAt: entry.createdAt };
    this.entries = this.entries.map((e) => (e.clientMsgId === clientMsgId ? pending : e));
    this.emit('outbox', { entry: pending });
    setTimeout(() => this.deliver(pending), 350);
  }
  discard(clientMsgId: string): void {
    this.entries = this.entries.filter((e) => e.clientMsgId !== clientMsgId);
  }
  outbox(): OutboxEntry[] {
    return this.entries;
  }
  async history(
    conversationId: number,
    options: { before?: number; after?: number; limit?: number } = {},
  ): Promise<HistoryPage> {
    await delay(200);
    const all = this.convs.get(conversationId)?.messages ?? [];
    const limit = options.limit ?? 50;
    if (options.after !== undefined) {
      const rest = all.filter((m) => m.seq > options.after!);
      return { messages: rest.slice(0, limit), hasMore: rest.length > limit };
    }
    const below = options.before === undefined ? all : all.filter((m) => m.seq < options.before!);
    return { messages: below.slice(-limit), hasMore: below.length > limit };
  }
  async markRead(conversationId: number, seq: number): Promise<void> {
    const conv = this.convs.get(conversationId)!;
    conv.summary = { ...conv.summary, readSeq: seq, unread: 0 };
    this.emit('read', { conversationId, userId: this.user!.id, seq });
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
