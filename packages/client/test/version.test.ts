/**
 * A server that speaks no protocol version the SDK does. The real server always speaks this
 * SDK's version, so a small TCP server plays a newer one.
 */
import assert from 'node:assert/strict';
import net, { type AddressInfo } from 'node:net';
import { after, it } from 'node:test';
import { encodeLengthPrefixed, LengthPrefixedDecoder } from '@parley/protocol';
import { ParleyError } from '../src/index.js';
import { newClient } from './support/sdk.js';

let hellos = 0;
const newer = net.createServer((socket) => {
  const decoder = new LengthPrefixedDecoder();
  socket.on('data', (chunk: Buffer) => {
    for (const text of decoder.push(chunk)) {
      const hello = JSON.parse(text) as { id: string };
      hellos += 1;
      const error = {
        type: 'error',
        id: hello.id,
        code: 'unsupported_version',
        message: 'this server speaks version 99 only',
      };
      socket.write(encodeLengthPrefixed(JSON.stringify(error)));
    }
  });
});
after(() => newer.close());

it('gives up with unsupported_version instead of retrying a server it cannot speak to', async () => {
  await new Promise<void>((resolve) => newer.listen(0, '127.0.0.1', resolve));
  const { port } = newer.address() as AddressInfo;
  const client = newClient(`tcp://127.0.0.1:${port}`);
  await assert.rejects(client.connect(), (error) => {
    assert.ok(error instanceof ParleyError);
    assert.equal(error.code, 'unsupported_version');
    assert.match(error.message, /version 99/);
    return true;
  });
  assert.equal(client.state.status, 'closed');
  assert.equal(hellos, 1, 'asked once, not in a reconnect loop');
});
