import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  FramingError,
  LengthPrefixedDecoder,
  decodeClientFrame,
  decodeServerFrame,
  encodeFrame,
  encodeLengthPrefixed,
  type ClientFrame,
  type ClientFrameType,
  type ServerFrame,
  type ServerFrameType,
} from '@parley/protocol';

// One valid example of every client frame type. The Record type makes this fail to compile when
// a frame type is added without an example here.
const clientExamples: Record<ClientFrameType, ClientFrame> = {
  hello: { type: 'hello', id: 'h1', versions: [1], client: 'parley-cli/0.1.0' },
  register: { type: 'register', id: 'r1', username: 'alice', password: 'correct horse' },
  login: { type: 'login', id: 'l1', username: 'alice', password: 'correct horse', device: 'cli' },
  auth: { type: 'auth', id: 'a1', token: 'tGzv3JOkF0XG5Qx2TlKWIA' },
  logout: { type: 'logout', id: 'o1', everywhere: true },
  change_password: {
    type: 'change_password',
    id: 'c1',
    oldPassword: 'correct horse',
    newPassword: 'battery staple',
  },
  whoami: { type: 'whoami', id: 'w1' },
  sessions: { type: 'sessions', id: 'n1' },
  revoke_session: { type: 'revoke_session', id: 'k1', sessionId: 4 },
  open_direct: { type: 'open_direct', id: 'd1', username: 'bob' },
  conversations: { type: 'conversations', id: 'v1' },
  send: { type: 'send', id: 's1', conversationId: 7, clientMsgId: 'm-01', body: 'hi 👋' },
  history: { type: 'history', id: 'y1', conversationId: 7, before: 120, limit: 50 },
  sync: { type: 'sync', id: 'u1', pts: 42, limit: 100 },
  read: { type: 'read', id: 'e1', conversationId: 7, seq: 12 },
  ack: { type: 'ack', pts: 42 },
  ping: { type: 'ping', id: 'p1' },
  find_user: { type: 'find_user', id: 'f1', username: 'bob' },
  contacts: { type: 'contacts', id: 'f2' },
  friend_request: { type: 'friend_request', id: 'f3', userId: 2, note: 'we met at the meetup' },
  friend_accept: { type: 'friend_accept', id: 'f4', userId: 1 },
  friend_decline: { type: 'friend_decline', id: 'f5', userId: 1 },
  friend_cancel: { type: 'friend_cancel', id: 'f6', userId: 2 },
  friend_remove: { type: 'friend_remove', id: 'f7', userId: 2 },
  friend_edit: { type: 'friend_edit', id: 'f8', userId: 2, remark: '小王', grouping: 'Work' },
  block: { type: 'block', id: 'f9', userId: 2 },
  unblock: { type: 'unblock', id: 'fa', userId: 2 },
  set_privacy: { type: 'set_privacy', id: 'fb', directMessages: 'everyone' },
  typing: { type: 'typing', conversationId: 7, active: true },
  set_presence: { type: 'set_presence', id: 'q1', choice: 'busy', idle: false },
  presence: { type: 'presence', id: 'q2', userIds: [1, 2] },
  search: {
    type: 'search',
    id: 'f1',
    query: '北京 trip',
    conversationId: 7,
    before: 120,
    limit: 20,
  },
};

const message = {
  conversationId: 7,
  seq: 12,
  senderId: 1,
  clientMsgId: 'm-01',
  body: 'hi',
  ts: 1_760_000_000_000,
};
const summary = {
  info: { kind: 'direct' as const, id: 7, peer: { id: 2, username: 'bob' } },
  lastSeq: 12,
  lastMessage: message,
  readSeq: 12,
  peerReadSeq: 11,
  unread: 0,
};
const session = { id: 3, device: 'cli', expiresAt: 1_762_592_000_000 };

const serverExamples: Record<ServerFrameType, ServerFrame> = {
  welcome: {
    type: 'welcome',
    id: 'h1',
    version: 1,
    serverTime: 1_760_000_000_000,
    limits: { maxFrameBytes: 65536, maxMessageChars: 4000, maxPageSize: 200, heartbeatMs: 30000 },
    registration: 'open',
  },
  authed: {
    type: 'authed',
    id: 'l1',
    user: { id: 1, username: 'alice' },
    session,
    token: 'tGzv3JOkF0XG5Qx2TlKWIA',
  },
  me: { type: 'me', id: 'w1', user: { id: 1, username: 'alice' }, session },
  ok: { type: 'ok', id: 'e1' },
  user: { type: 'user', id: 'f1', user: { id: 2, username: 'bob' } },
  contacts: {
    type: 'contacts',
    id: 'f2',
    friends: [
      {
        user: { id: 2, username: 'bob' },
        remark: 'Bobby',
        grouping: null,
        since: 1_760_000_000_000,
      },
    ],
    incoming: [
      {
        from: { id: 3, username: 'carol' },
        to: { id: 1, username: 'alice' },
        note: 'hi',
        ts: 1_760_000_000_000,
      },
    ],
    outgoing: [],
    blocked: [{ user: { id: 4, username: 'mallory' }, ts: 1_760_000_000_000 }],
    directMessages: 'friends',
  },
  sessions: {
    type: 'sessions',
    id: 'n1',
    sessions: [
      {
        id: 3,
        device: 'cli',
        createdAt: 1_760_000_000_000,
        lastSeenAt: 1_760_000_100_000,
        expiresAt: 1_762_592_000_000,
        current: true,
      },
    ],
  },
  conversation: { type: 'conversation', id: 'd1', conversation: summary },
  conversations: { type: 'conversations', id: 'v1', conversations: [summary] },
  sent: {
    type: 'sent',
    id: 's1',
    conversationId: 7,
    clientMsgId: 'm-01',
    seq: 12,
    ts: 1_760_000_000_000,
    duplicate: false,
  },
  history: { type: 'history', id: 'y1', conversationId: 7, messages: [message], hasMore: true },
  updates: {
    type: 'updates',
    id: 'u1',
    updates: [
      { pts: 43, update: { kind: 'conversation', conversation: summary.info } },
      { pts: 44, update: { kind: 'message', message } },
      { pts: 45, update: { kind: 'read', conversationId: 7, userId: 2, seq: 12 } },
    ],
    pts: 45,
    more: false,
  },
  update: { type: 'update', pts: 46, update: { kind: 'message', message } },
  pong: { type: 'pong', id: 'p1', serverTime: 1_760_000_000_000 },
  error: { type: 'error', id: 's1', code: 'rate_limited', message: 'slow down', retryAfterMs: 500 },
  bye: { type: 'bye', reason: 'idle_timeout' },
  typing: { type: 'typing', conversationId: 7, userId: 2, active: false },
  presence: {
    type: 'presence',
    id: 'q2',
    users: [{ userId: 2, status: 'away', lastSeenAt: null, choice: 'online' }],
  },
  presence_changed: {
    type: 'presence_changed',
    presence: { userId: 2, status: 'offline', lastSeenAt: 1_760_000_000_000 },
  },
  search_results: {
    type: 'search_results',
    id: 'f1',
    results: [
      { message, conversation: { kind: 'direct', id: 7, peer: { id: 2, username: 'bob' } } },
    ],
    more: true,
    cursor: 118,
  },
};

function decodeOk(text: string): ClientFrame {
  const result = decodeClientFrame(text);
  if (!result.ok) assert.fail(`expected ${text} to decode, got ${result.code}: ${result.message}`);
  return result.frame;
}

describe('decodeClientFrame', () => {
  for (const [type, frame] of Object.entries(clientExamples)) {
    it(`accepts a valid ${type} frame unchanged`, () => {
      assert.deepEqual(decodeOk(JSON.stringify(frame)), frame);
    });
  }

  it('accepts the minimal forms of frames with optional fields', () => {
    for (const frame of [
      { type: 'hello', id: 'h', versions: [2, 1] },
      { type: 'register', id: 'r', username: 'alice', password: 'pw' },
      { type: 'logout', id: 'o' },
      { type: 'history', id: 'y', conversationId: 7 },
      { type: 'history', id: 'y', conversationId: 7, after: 0 },
      { type: 'sync', id: 'u', pts: null },
      { type: 'sync', id: 'u', pts: 0 },
      { type: 'ping' },
    ]) {
      assert.deepEqual(decodeOk(JSON.stringify(frame)), frame);
    }
  });

  it('drops fields the schema does not know, so later additions do not break older servers', () => {
    const frame = decodeOk('{"type":"ping","id":"p","extra":{"nested":true}}');
    assert.deepEqual(frame, { type: 'ping', id: 'p' });
  });

  it('rejects text that is not JSON as bad_frame, without an id', () => {
    for (const text of ['', '{', '{"type":"ping",}', 'ping', '\u0000']) {
      assert.deepEqual(decodeClientFrame(text), {
        ok: false,
        code: 'bad_frame',
        message: 'frame is not valid JSON',
        id: null,
      });
    }
  });

  it('rejects JSON that is not an object as bad_frame', () => {
    for (const text of ['null', '42', '"ping"', 'true', '[{"type":"ping","id":"p"}]']) {
      const result = decodeClientFrame(text);
      assert.equal(result.ok, false, text);
      if (!result.ok) {
        assert.equal(result.code, 'bad_frame', text);
        assert.equal(result.id, null);
      }
    }
  });

  it('rejects an unknown type as unknown_type and echoes the id', () => {
    const result = decodeClientFrame('{"type":"subscribe","id":"q7","topic":"x"}');
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.equal(result.code, 'unknown_type');
      assert.equal(result.id, 'q7');
      assert.match(result.message, /subscribe/);
    }
  });

  it('treats server-only and inherited property names as unknown types', () => {
    for (const type of ['welcome', 'sent', 'toString', '__proto__', 'constructor']) {
      const result = decodeClientFrame(JSON.stringify({ type, id: 'x' }));
      assert.equal(result.ok, false, type);
      if (!result.ok) assert.equal(result.code, 'unknown_type', type);
    }
  });

  it('rejects a missing or non-string type as invalid', () => {
    for (const text of ['{"id":"a"}', '{"type":7,"id":"a"}', '{"type":null,"id":"a"}']) {
      const result = decodeClientFrame(text);
      assert.equal(result.ok, false, text);
      if (!result.ok) {
        assert.equal(result.code, 'invalid', text);
        assert.equal(result.id, 'a', text);
      }
    }
  });

  it('accepts an empty body with an attachment (version 3)', () => {
    const frame = {
      type: 'send',
      id: 'f1',
      conversationId: 7,
      clientMsgId: 'm',
      body: '',
      attachment: { fileId: 'kvQxEUZhtPXYVCZmoDh8vl6t', kind: 'voice', durationMs: 1200 },
    };
    const result = decodeClientFrame(JSON.stringify(frame));
    assert.equal(result.ok, true);
  });

  const invalidCases: Array<[string, Record<string, unknown>, string]> = [
    ['a missing field', { type: 'send', id: 'i1', conversationId: 7, clientMsgId: 'm' }, 'body'],
    [
      'a field of the wrong type',
      { type: 'send', id: 'i2', conversationId: '7', clientMsgId: 'm', body: 'x' },
      'conversationId',
    ],
    [
      'an empty message body',
      { type: 'send', id: 'i3', conversationId: 7, clientMsgId: 'm', body: '' },
      'body',
    ],
    [
      'a clientMsgId over 64 characters',
      { type: 'send', id: 'i4', conversationId: 7, clientMsgId: 'm'.repeat(65), body: 'x' },
      'clientMsgId',
    ],
    [
      'an attachment without a file id',
      { type: 'send', id: 'i13', conversationId: 7, clientMsgId: 'm', body: '', attachment: {} },
      'attachment',
    ],
    ['an empty search query', { type: 'search', id: 'i20', query: '' }, 'query'],
    [
      'a search query over 100 characters',
      { type: 'search', id: 'i21', query: '北'.repeat(101) },
      'query',
    ],
    [
      'a search query with a control character',
      { type: 'search', id: 'i22', query: 'a\u0007b' },
      'query',
    ],
    ['a search page over 50', { type: 'search', id: 'i23', query: 'x', limit: 51 }, 'limit'],
    ['a search cursor of 0', { type: 'search', id: 'i24', query: 'x', before: 0 }, 'before'],
    ['a negative seq', { type: 'read', id: 'i5', conversationId: 7, seq: -1 }, 'seq'],
    ['a fractional pts', { type: 'sync', id: 'i6', pts: 1.5 }, 'pts'],
    ['a missing pts (null must be explicit)', { type: 'sync', id: 'i7' }, 'pts'],
    ['a zero conversation id', { type: 'history', id: 'i8', conversationId: 0 }, 'conversationId'],
    [
      'a page limit over 1000',
      { type: 'history', id: 'i9', conversationId: 7, limit: 1001 },
      'limit',
    ],
    [
      'a history request in both directions at once',
      { type: 'history', id: 'i12', conversationId: 7, before: 50, after: 10 },
      'after',
    ],
    ['an empty version list', { type: 'hello', id: 'i10', versions: [] }, 'versions'],
    ['a non-boolean everywhere', { type: 'logout', id: 'i11', everywhere: 'yes' }, 'everywhere'],
  ];
  for (const [what, frame, field] of invalidCases) {
    it(`rejects ${what} as invalid, naming the field and echoing the id`, () => {
      const result = decodeClientFrame(JSON.stringify(frame));
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.equal(result.code, 'invalid');
        assert.equal(result.id, frame['id']);
        assert.match(result.message, new RegExp(`^${field}`));
      }
    });
  }

  it('rejects a request without an id as invalid, with a null id', () => {
    const result = decodeClientFrame('{"type":"whoami"}');
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.equal(result.code, 'invalid');
      assert.equal(result.id, null);
    }
  });

  it('does not echo an id that is not a string of 1 to 64 characters', () => {
    for (const id of [5, '', 'x'.repeat(65), { a: 1 }]) {
      const result = decodeClientFrame(JSON.stringify({ type: 'whoami', id }));
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.equal(result.code, 'invalid');
        assert.equal(result.id, null);
      }
    }
  });
});

describe('decodeClientFrame: strings a client may send', () => {
  const send = (fields: Record<string, unknown>) =>
    decodeClientFrame(
      JSON.stringify({ type: 'send', id: 's', conversationId: 7, clientMsgId: 'm', ...fields }),
    );

  function assertRefused(result: ReturnType<typeof decodeClientFrame>, field: string) {
    assert.equal(result.ok, false, `expected ${field} to be refused`);
    if (!result.ok) {
      assert.equal(result.code, 'invalid');
      assert.match(result.message, new RegExp(`^${field}: `));
    }
  }

  // Every string field of every example, so a field added later is covered by its example.
  for (const [type, frame] of Object.entries(clientExamples)) {
    for (const [field, value] of Object.entries(frame)) {
      if (typeof value !== 'string' || field === 'type') continue;
      for (const [what, bad] of [
        ['a lone high surrogate', `${value}\ud800`],
        ['a lone low surrogate', `\udc00${value}`],
        ['a reversed pair', `\udc00\ud800`],
      ] as const) {
        it(`refuses ${what} in ${type}.${field} as invalid`, () => {
          const result = decodeClientFrame(JSON.stringify({ ...frame, [field]: bad }));
          assertRefused(result, field);
          // An id that cannot be encoded is not echoed either.
          if (!result.ok && field === 'id') assert.equal(result.id, null);
          if (!result.ok && field !== 'id')
            assert.equal(result.id, 'id' in frame ? frame.id : null);
        });
      }
    }
  }

  it('refuses a lone surrogate written as a JSON escape, as a client would send it', () => {
    const text = '{"type":"send","id":"s","conversationId":7,"clientMsgId":"m","body":"a\\ud800b"}';
    assertRefused(decodeClientFrame(text), 'body');
  });

  it('refuses a lone surrogate in a field the schema does not know, and in a key', () => {
    assertRefused(decodeClientFrame('{"type":"ping","id":"p","extra":["\\udfff"]}'), 'extra.0');
    const result = decodeClientFrame('{"type":"ping","id":"p","\\ud800":1}');
    assert.equal(result.ok, false);
  });

  it('accepts surrogate pairs (emoji, rare CJK) in every text field', () => {
    const text = '😀𠜎 ok';
    for (const frame of [
      { type: 'send', id: 's', conversationId: 7, clientMsgId: `m-${text}`, body: text },
      { type: 'login', id: 'l', username: text, password: text, device: text },
      { type: 'hello', id: 'h', versions: [1], client: text },
    ]) {
      assert.deepEqual(decodeOk(JSON.stringify(frame)), frame);
    }
  });

  it('accepts newline and tab in a body', () => {
    assert.equal(send({ body: 'line one\n\tline two\n' }).ok, true);
  });

  it('refuses every other C0 control, DEL and C1 in a body, naming the character', () => {
    const controls = [
      ...Array.from({ length: 0x20 }, (_, i) => i).filter((c) => c !== 0x09 && c !== 0x0a),
      0x7f,
      ...Array.from({ length: 0x20 }, (_, i) => 0x80 + i),
    ];
    for (const code of controls) {
      const result = send({ body: `hi ${String.fromCharCode(code)} there` });
      assertRefused(result, 'body');
      const name = `U\\+${code.toString(16).toUpperCase().padStart(4, '0')}`;
      if (!result.ok) assert.match(result.message, new RegExp(`${name} at index 3`));
    }
  });

  it('refuses any control character, newline and tab included, in names and ids', () => {
    for (const control of ['\n', '\t', '\u0000', '\u001b', '\u007f', '\u0085']) {
      assertRefused(send({ clientMsgId: `m${control}`, body: 'x' }), 'clientMsgId');
      for (const field of ['username', 'device']) {
        const login = { type: 'login', id: 'l', username: 'alice', password: 'pw', device: 'cli' };
        assertRefused(
          decodeClientFrame(JSON.stringify({ ...login, [field]: `a${control}` })),
          field,
        );
      }
      const hello = { type: 'hello', id: 'h', versions: [1], client: `x${control}` };
      assertRefused(decodeClientFrame(JSON.stringify(hello)), 'client');
    }
  });

  it('accepts control characters in a password, which is only ever hashed', () => {
    const frame = { type: 'login', id: 'l', username: 'alice', password: 'a\u0000b\u001bc\n' };
    assert.deepEqual(decodeOk(JSON.stringify(frame)), frame);
  });
});

describe('decodeServerFrame', () => {
  for (const [type, frame] of Object.entries(serverExamples)) {
    it(`accepts a valid ${type} frame unchanged`, () => {
      const result = decodeServerFrame(JSON.stringify(frame));
      assert.deepEqual(result, { ok: true, frame });
    });
  }

  it('accepts an error frame whose id could not be read', () => {
    const frame = {
      type: 'error',
      id: null,
      code: 'bad_frame',
      message: 'frame is not valid JSON',
    };
    assert.deepEqual(decodeServerFrame(JSON.stringify(frame)), { ok: true, frame });
  });

  it('rejects an error code or close reason outside the protocol', () => {
    for (const frame of [
      { type: 'error', id: 'x', code: 'teapot', message: '' },
      { type: 'bye', reason: 'tired' },
    ]) {
      const result = decodeServerFrame(JSON.stringify(frame));
      assert.equal(result.ok, false);
      if (!result.ok) assert.equal(result.code, 'invalid');
    }
  });

  it('decodes an update kind it does not know as unknown, in a page and in a push, keeping its pts', () => {
    const reaction = { kind: 'reaction', conversationId: 5, emoji: '👍' };
    const read = { kind: 'read', conversationId: 5, userId: 2, seq: 1 };
    const page = decodeServerFrame(
      JSON.stringify({
        type: 'updates',
        id: '7',
        updates: [
          { pts: 42, update: reaction },
          { pts: 43, update: read },
        ],
        pts: 43,
        more: false,
      }),
    );
    assert.deepEqual(page, {
      ok: true,
      frame: {
        type: 'updates',
        id: '7',
        updates: [
          { pts: 42, update: { kind: 'unknown', sentKind: 'reaction' } },
          { pts: 43, update: read },
        ],
        pts: 43,
        more: false,
      },
    });
    const push = decodeServerFrame(JSON.stringify({ type: 'update', pts: 44, update: reaction }));
    assert.deepEqual(push, {
      ok: true,
      frame: { type: 'update', pts: 44, update: { kind: 'unknown', sentKind: 'reaction' } },
    });
  });

  it('still rejects a known update kind with a bad field', () => {
    const result = decodeServerFrame(
      JSON.stringify({ type: 'update', pts: 1, update: { kind: 'read', conversationId: 'x' } }),
    );
    assert.equal(result.ok, false);
  });

  it('rejects malformed JSON as bad_frame', () => {
    const result = decodeServerFrame('{"type":');
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.code, 'bad_frame');
  });
});

describe('encodeFrame', () => {
  it('round-trips every client frame through decodeClientFrame', () => {
    for (const frame of Object.values(clientExamples)) {
      assert.deepEqual(decodeOk(encodeFrame(frame)), frame);
    }
  });

  it('round-trips every server frame through decodeServerFrame', () => {
    for (const frame of Object.values(serverExamples)) {
      assert.deepEqual(decodeServerFrame(encodeFrame(frame)), { ok: true, frame });
    }
  });
});

// -------------------------------------------------------------------------------------------------
// TCP framing

const utf8 = new TextEncoder();

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** A 4-byte big-endian length prefix followed by `body` as given (not necessarily valid UTF-8). */
function rawFrame(body: Uint8Array, length = body.length): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, length, false);
  out.set(body, 4);
  return out;
}

describe('encodeLengthPrefixed', () => {
  it('writes the UTF-8 byte length (not the character count) big-endian before the body', () => {
    const text = '{"body":"héllo 👋"}';
    const bytes = encodeLengthPrefixed(text);
    const body = utf8.encode(text);
    assert.equal(bytes.length, 4 + body.length);
    assert.equal(new DataView(bytes.buffer).getUint32(0, false), body.length);
    assert.notEqual(body.length, text.length);
    assert.deepEqual(bytes.subarray(4), body);
  });
});

describe('LengthPrefixedDecoder', () => {
  const texts = [
    encodeFrame(clientExamples.hello),
    encodeFrame(clientExamples.send),
    '{"type":"send","id":"s2","conversationId":7,"clientMsgId":"m-02","body":"日本語 and 😀"}',
    encodeFrame(clientExamples.ping),
  ];
  const stream = concat(texts.map(encodeLengthPrefixed));

  it('reassembles frames delivered one byte at a time', () => {
    const decoder = new LengthPrefixedDecoder();
    const out: string[] = [];
    for (let i = 0; i < stream.length; i++) out.push(...decoder.push(stream.subarray(i, i + 1)));
    assert.deepEqual(out, texts);
    assert.equal(decoder.pendingBytes, 0);
  });

  it('returns every frame of a chunk that holds several, in order', () => {
    const decoder = new LengthPrefixedDecoder();
    assert.deepEqual(decoder.push(stream), texts);
    assert.equal(decoder.pendingBytes, 0);
  });

  it('reassembles frames whatever the chunk boundaries', () => {
    // Every split of the stream into three chunks: covers a boundary inside each length prefix,
    // inside each body and inside each multi-byte character.
    for (let a = 0; a <= stream.length; a++) {
      for (let b = a; b <= stream.length; b += 7) {
        const decoder = new LengthPrefixedDecoder();
        const out = [
          ...decoder.push(stream.subarray(0, a)),
          ...decoder.push(stream.subarray(a, b)),
          ...decoder.push(stream.subarray(b)),
        ];
        assert.deepEqual(out, texts, `split at ${a}, ${b}`);
      }
    }
  });

  it('keeps a partial frame until the rest arrives', () => {
    const decoder = new LengthPrefixedDecoder();
    const bytes = encodeLengthPrefixed(texts[1]!);
    assert.deepEqual(decoder.push(bytes.subarray(0, 10)), []);
    assert.equal(decoder.pendingBytes, 10);
    assert.deepEqual(decoder.push(bytes.subarray(10)), [texts[1]]);
    assert.equal(decoder.pendingBytes, 0);
  });

  it('decodes a multi-byte character split between chunks', () => {
    const text = '{"type":"send","body":"😀"}';
    const bytes = encodeLengthPrefixed(text);
    const emoji = 4 + text.indexOf('😀'); // ASCII before it: byte offset = character offset
    for (let cut = emoji + 1; cut < emoji + 4; cut++) {
      const decoder = new LengthPrefixedDecoder();
      assert.deepEqual(decoder.push(bytes.subarray(0, cut)), []);
      assert.deepEqual(decoder.push(bytes.subarray(cut)), [text]);
    }
  });

  it('accepts a frame of exactly the maximum size', () => {
    const decoder = new LengthPrefixedDecoder(16);
    const text = '{"type":"ping"}_';
    assert.equal(text.length, 16);
    assert.deepEqual(decoder.push(encodeLengthPrefixed(text)), [text]);
  });

  it('throws too_large on a length prefix above the maximum before the body arrives', () => {
    const decoder = new LengthPrefixedDecoder(1024);
    const prefix = new Uint8Array(4);
    new DataView(prefix.buffer).setUint32(0, 1025, false);
    assert.throws(
      () => decoder.push(prefix),
      (error: unknown) => error instanceof FramingError && error.code === 'too_large',
    );
  });

  it('throws too_large for a lying prefix near 4 GiB with the default maximum', () => {
    const decoder = new LengthPrefixedDecoder();
    assert.throws(
      () => decoder.push(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x7b])),
      (error: unknown) => error instanceof FramingError && error.code === 'too_large',
    );
  });

  it('throws too_large on an oversize frame that follows a valid one in the same chunk', () => {
    const decoder = new LengthPrefixedDecoder(64);
    const chunk = concat([
      encodeLengthPrefixed('{"type":"ping"}'),
      rawFrame(new Uint8Array(0), 65),
    ]);
    assert.throws(
      () => decoder.push(chunk),
      (error: unknown) => error instanceof FramingError && error.code === 'too_large',
    );
  });

  it('throws bad_frame on a body that is not valid UTF-8', () => {
    for (const body of [
      [0x7b, 0xff, 0x7d], // a byte that never occurs in UTF-8
      [0x7b, 0xc3, 0x7d], // a lead byte without its continuation
      [0x7b, 0xc0, 0xaf, 0x7d], // an overlong encoding of '/'
      [0x7b, 0xed, 0xa0, 0x80, 0x7d], // an encoded UTF-16 surrogate
    ]) {
      const decoder = new LengthPrefixedDecoder();
      assert.throws(
        () => decoder.push(rawFrame(new Uint8Array(body))),
        (error: unknown) => error instanceof FramingError && error.code === 'bad_frame',
        body.join(','),
      );
    }
  });

  it('accepts Node Buffers that are views into a larger pool', () => {
    // Sockets hand out Buffers with a non-zero byteOffset into a shared ArrayBuffer.
    const pool = Buffer.alloc(256, 0xee);
    const bytes = encodeLengthPrefixed(texts[0]!);
    pool.set(bytes, 100);
    const decoder = new LengthPrefixedDecoder();
    const view = pool.subarray(100, 100 + bytes.length);
    assert.deepEqual(decoder.push(view.subarray(0, 2)), []);
    assert.deepEqual(decoder.push(view.subarray(2)), [texts[0]]);
  });
});
