/**
 * Terminal escape injection: what a peer (or the server) chose must never reach the terminal as
 * control characters. A message `ESC]2;PWNED BEL ESC[2J ESC[H...` would retitle the terminal,
 * clear it and forge lines. Each command that prints others' text is run for real, and its raw
 * output checked byte for byte.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CliUser,
  PASSWORD,
  startTestServer,
  tempDir,
  uniqueName,
  waitForOutput,
  type TestServer,
} from './support/cli.js';
import { startTamperProxy, unmark, type TamperProxy } from './support/tamper-proxy.js';

/** Retitle, clear the screen, home the cursor, then forge a line from someone else. */
const ATTACK =
  '@ESC@]2;PWNED@BEL@@ESC@[2J@ESC@[Hhi@CR@root: forged by cr@NL@mallory: forged line@CSI@31m@DEL@';

// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

function assertInert(output: string, what: string): void {
  const found = CONTROL.exec(output);
  assert.equal(
    found,
    null,
    `${what} wrote U+${found?.[0].charCodeAt(0).toString(16).padStart(4, '0')} raw:\n${JSON.stringify(output)}`,
  );
  assert.ok(
    !output.split('\n').some((line) => /^\s*(mallory|root): forged/.test(line)),
    `${what} printed a forged line:\n${output}`,
  );
}

describe('terminal escape injection', () => {
  let server: TestServer;
  let proxy: TamperProxy;
  let dir: string;
  let victim: CliUser;
  let victimName: string;
  let peer: CliUser;
  let peerName: string;

  before(async () => {
    server = await startTestServer();
    proxy = await startTamperProxy(server.wsUrl);
    dir = tempDir();
    victimName = uniqueName('v');
    peerName = uniqueName('p');
    // The victim talks to the server through the tampering proxy; the peer directly.
    victim = new CliUser(proxy.url, join(dir, 'victim.json'));
    peer = new CliUser(server.wsUrl, join(dir, 'peer.json'));
    for (const [user, name] of [
      [victim, victimName],
      [peer, peerName],
    ] as const) {
      const r = await user.run(['register', name], { env: { PARLEY_PASSWORD: PASSWORD } });
      assert.equal(r.code, 0, r.stderr);
    }
    const sent = await peer.run(['send', victimName, ATTACK]);
    assert.equal(sent.code, 0, sent.stderr);
  });
  after(async () => {
    await proxy.close();
    await server.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('history shows the control characters of a message as visible marks', async () => {
    const r = await victim.run(['history', peerName]);
    assert.equal(r.code, 0, r.stderr);
    assertInert(r.stdout + r.stderr, 'history');
    assert.match(r.stdout, /\^\[\]2;PWNED\^G\^\[\[2J\^\[\[Hhi\^Mroot: forged by cr ⏎ mallory/);
    assert.match(r.stdout, /<U\+009B>31m\^\?/);
  });

  it('listen prints the message inert, on one line', async () => {
    const listener = victim.spawn(['listen']);
    let out = '';
    listener.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await waitForOutput(listener.stderr!, /Listening as/);
      const printed = waitForOutput(listener.stdout!, /second attack/);
      const sent = await peer.run(['send', victimName, `${ATTACK} second attack`]);
      assert.equal(sent.code, 0, sent.stderr);
      await printed;
    } finally {
      listener.kill('SIGINT');
      await once(listener, 'close');
    }
    assertInert(out, 'listen');
    assert.equal(out.split('\n').filter((l) => l.includes('second attack')).length, 1);
  });

  it('chat shows the message inert', async () => {
    const chat = victim.spawn(['chat', peerName]);
    let out = '';
    chat.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    chat.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    await waitForOutput(chat.stdout!, /PWNED/);
    chat.stdin!.end('/quit\n');
    await once(chat, 'close');
    assertInert(out, 'chat');
    assert.match(out, /\^\[\]2;PWNED\^G/);
  });

  it('shows a name and a server error that carry escapes as visible marks', async () => {
    const name = uniqueName('n');
    const tampered = await startTamperProxy(server.wsUrl, (frame) => {
      // The peer's name and every error message the server sends arrive booby-trapped.
      let out = frame.split(`"${peerName}"`).join(`"${peerName}@ESC@]2;NAME@BEL@"`);
      out = out.replace(
        /"type":"error","id":("[^"]*"|\d+),"code":"[a-z_]+","message":"[^"]*"/,
        (m) =>
          m.replace(
            /"code":"[a-z_]+","message":"[^"]*"/,
            '"code":"forbidden","message":"no@ESC@]2;ERR@BEL@@NL@parley: forged"',
          ),
      );
      return unmark(out);
    });
    try {
      const user = new CliUser(tampered.url, join(dir, `${name}.json`));
      const reg = await user.run(['register', name], { env: { PARLEY_PASSWORD: PASSWORD } });
      assert.equal(reg.code, 0, reg.stderr);
      await peer.run(['send', name, 'hello']);
      const chat = user.spawn(['chat', peerName]);
      let out = '';
      chat.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      await waitForOutput(chat.stdout!, /hello/);
      chat.stdin!.end('/quit\n');
      await once(chat, 'close');
      assertInert(out, 'chat title and sender');
      assert.match(out, /\^\[\]2;NAME\^G/);

      const refused = await user.run(['chat', uniqueName('nobody')]);
      assert.notEqual(refused.code, 0);
      assertInert(refused.stdout + refused.stderr, 'an error message');
      assert.match(refused.stderr, /no\^\[\]2;ERR\^G ⏎ parley: forged/);
    } finally {
      await tampered.close();
    }
  });
});
