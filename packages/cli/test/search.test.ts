/** `parley search`: the real program against a real server, Chinese and English, paged. */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CliUser,
  PASSWORD,
  startTestServer,
  tempDir,
  uniqueName,
  type TestServer,
} from './support/cli.js';

describe('parley search', () => {
  let server: TestServer;
  let dir: string;
  before(async () => {
    server = await startTestServer();
    dir = tempDir();
  });
  after(async () => {
    await server.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  async function user(): Promise<{ name: string; cli: CliUser }> {
    const name = uniqueName('s');
    const cli = new CliUser(server.tcpUrl, join(dir, `${name}.json`));
    const r = await cli.run(['register', name], { env: { PARLEY_PASSWORD: PASSWORD } });
    assert.equal(r.code, 0, r.stderr);
    return { name, cli };
  }

  it('finds Chinese and English, names the chat, escapes the text and pages', async () => {
    const alice = await user();
    const bob = await user();
    const carol = await user();
    for (const [from, to, text] of [
      [alice, bob, '我们明天去北京吧'],
      [bob, alice, 'Tickets to the station \u202ebooked'],
      [carol, alice, '北京 is cold'],
    ] as const) {
      const sent = await from.cli.run(['send', to.name, text]);
      assert.equal(sent.code, 0, sent.stderr);
    }

    const chinese = await bob.cli.run(['search', '京']);
    assert.equal(chinese.code, 0, chinese.stderr);
    const lines = chinese.stdout.split('\n').filter(Boolean);
    assert.equal(lines.length, 1, 'not carol’s chat: bob is not in it');
    assert.match(lines[0]!, new RegExp(`\\[${alice.name} #1\\] ${alice.name}: 我们明天去北京吧`));

    const english = await alice.cli.run(['search', 'STATION']);
    assert.equal(english.code, 0, english.stderr);
    assert.match(english.stdout, new RegExp(`\\[${bob.name} #2\\] ${bob.name}: Tickets`));
    assert.doesNotMatch(english.stdout, /\u202e/, 'the text cannot reorder the terminal');

    const both = await alice.cli.run(['search', '北京', '--limit', '1']);
    assert.equal(both.code, 0, both.stderr);
    assert.match(both.stdout, /北京 is cold/);
    const hint = /parley search '北京' --before (\d+)/.exec(both.stderr);
    assert.ok(hint, both.stderr);
    const older = await alice.cli.run(['search', '北京', '--limit', '1', '--before', hint[1]!]);
    assert.match(older.stdout, /我们明天去北京吧/);
    assert.doesNotMatch(older.stderr, /--before/);

    const withBob = await alice.cli.run(['search', '北京', '--with', bob.name]);
    assert.deepEqual(withBob.stdout.split('\n').filter(Boolean).length, 1);
    assert.match(withBob.stdout, /我们明天去北京吧/);

    const blank = await alice.cli.run(['search', '?!']);
    assert.equal(blank.code, 1);
    assert.match(blank.stderr, /no letters, digits or CJK/);
  });
});
