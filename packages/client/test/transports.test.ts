/**
 * The transports over real sockets: TCP with the length-prefix codec, WebSocket with `ws`.
 */
import assert from 'node:assert/strict';
import net, { type AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { encodeLengthPrefixed, LengthPrefixedDecoder } from '@parley/protocol';
import { WebSocketServer } from 'ws';
import type { TransportFactory, TransportHandlers } from '../src/index.js';
import {
  nodeWebSocketTransport,
  parseTcpUrl,
  tcpTransport,
  transportFor,
} from '../src/node/index.js';

/** Promise.withResolvers, which Node 20 lacks. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Opens a transport and records what it reports. */
function open(factory: TransportFactory, url: string) {
  const frames: string[] = [];
  let onFrame: (() => void) | null = null;
  const opened = deferred<void>();
  const closed = deferred<string>();
  const handlers: TransportHandlers = {
    onOpen: () => opened.resolve(),
    onFrame: (text) => {
      frames.push(text);
      onFrame?.();
    },
    onClose: (reason) => closed.resolve(reason),
  };
  const transport = factory(url, handlers);
  const frameCount = (n: number) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (frames.length >= n) resolve();
      };
      onFrame = check;
      check();
    });
  return { transport, frames, opened: opened.promise, closed: closed.promise, frameCount };
}

describe('TCP transport', () => {
  const servers: net.Server[] = [];
  after(() => servers.forEach((s) => s.close()));

  async function listen(onSocket: (socket: net.Socket) => void): Promise<string> {
    const server = net.createServer(onSocket);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `tcp://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('exchanges length-prefixed frames, however the bytes are split', async () => {
    const url = await listen((socket) => {
      const decoder = new LengthPrefixedDecoder();
      socket.on('data', (chunk) => {
        for (const text of decoder.push(chunk)) {
          // Echo back one byte at a time: the client must reassemble the frame.
          const bytes = encodeLengthPrefixed(text.replace('ping', 'pong'));
          for (const byte of bytes) socket.write(Uint8Array.of(byte));
        }
      });
    });
    const t = open(tcpTransport(), url);
    await t.opened;
    t.transport.send('{"type":"ping","text":"ping ünïcode ✓"}');
    t.transport.send('{"type":"ping","n":2}');
    await t.frameCount(2);
    assert.deepEqual(t.frames, [
      '{"type":"pong","text":"ping ünïcode ✓"}',
      '{"type":"pong","n":2}',
    ]);
    t.transport.close();
    await t.closed;
  });

  it('closes the connection when the server sends a length it cannot mean', async () => {
    const url = await listen((socket) => {
      const head = Buffer.alloc(4);
      head.writeUInt32BE(0xffffffff);
      socket.write(head);
    });
    const t = open(tcpTransport(), url);
    assert.match(await t.closed, /exceeds/);
  });

  it('reports a refused connection as a close with the reason', async () => {
    const url = await listen(() => undefined);
    const closing = servers.pop()!;
    await new Promise((resolve) => closing.close(resolve));
    const t = open(tcpTransport(), url);
    assert.match(await t.closed, /ECONNREFUSED/);
  });

  it('parses tcp:// and tls:// URLs and refuses others', () => {
    assert.deepEqual(parseTcpUrl('tcp://example.org:8081'), {
      secure: false,
      host: 'example.org',
      port: 8081,
    });
    assert.deepEqual(parseTcpUrl('tls://[::1]:9'), { secure: true, host: '::1', port: 9 });
    assert.throws(() => parseTcpUrl('tcp://example.org'), /port/);
    assert.throws(() => parseTcpUrl('http://example.org:80'), /tcp/);
    assert.throws(() => transportFor('http://example.org'), /unsupported/);
    assert.throws(() => transportFor('tcp://example.org'), /port/, 'before any connect');
  });
});

describe('WebSocket transport', () => {
  it('exchanges text frames with a ws server and reports its close reason', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => wss.once('listening', resolve));
    wss.on('connection', (ws) => {
      ws.on('message', (data) => {
        ws.send(data.toString().toUpperCase());
        ws.close(4000, 'shutdown');
      });
    });
    try {
      const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws`;
      const t = open(nodeWebSocketTransport(), url);
      await t.opened;
      t.transport.send('{"type":"hello"}');
      await t.frameCount(1);
      assert.deepEqual(t.frames, ['{"TYPE":"HELLO"}']);
      assert.equal(await t.closed, 'shutdown');
    } finally {
      wss.close();
    }
  });
});
