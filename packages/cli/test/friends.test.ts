/**
 * `parley friends`, `parley friend ...` and `parley requests`, and a request showing up in
 * `parley chat`: the real program against a real server with the default privacy (friends only).
 */
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
  waitForOutput,
  type TestServer,
} from './support/cli.js';

describe('parley friends', () => {
  let server: TestServer;
  let dir: string;
  before(async () => {
    server = await startTestServer({ directMessages: 'friends' });
    dir = tempDir();
  });
  after(async () => {
    await server.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  async function users(count: number): Promise<Array<{ name: string; cli: CliUser }>> {
    const made = [];
    for (let i = 0; i < count; i++) {
      const name = uniqueName('f');
      const cli = new CliUser(server.wsUrl, join(dir, `${name}.json`));
      const r = await cli.run(['register', name], { env: { PARLEY_PASSWORD: PASSWORD } });
      assert.equal(r.code, 0, r.stderr);
      made.push({ name, cli });
    }
    return made;
  }

  it('adds a friend with a note, accepts, lists with remark and grouping, then they chat', async () => {
    const [alice, bob] = (await users(2)) as [
      { name: string; cli: CliUser },
      { name: string; cli: CliUser },
    ];
    const stranger = await alice.cli.run(['send', bob.name, 'hi']);
    assert.equal(stranger.code, 1);
    assert.match(stranger.stderr, /friends only/);
    assert.match(stranger.stderr, new RegExp(`parley friend add ${bob.name}`));

    // The server refuses control characters in a note; a bidi override it lets through, and
    // the terminal shows it rather than obeying it.
    const added = await alice.cli.run(['friend', 'add', bob.name, '--note', 'from \u202ealice']);
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, new RegExp(`Friend request sent to ${bob.name}`));
    const again = await alice.cli.run(['friend', 'add', bob.name]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already waiting/);

    const waiting = await bob.cli.run(['requests']);
    assert.equal(waiting.code, 0, waiting.stderr);
    assert.match(waiting.stdout, new RegExp(`${alice.name} +“from <U\\+202E>alice”`));
    assert.doesNotMatch(waiting.stdout, /\u202e/, 'the note cannot reorder the terminal');
    const theirs = await alice.cli.run(['requests']);
    assert.match(theirs.stdout, /Yours, waiting/);

    const accepted = await bob.cli.run(['friend', 'accept', alice.name]);
    assert.equal(accepted.code, 0, accepted.stderr);
    assert.equal((await bob.cli.run(['friend', 'remark', alice.name, 'Ally', 'A.'])).code, 0);
    assert.equal((await bob.cli.run(['friend', 'group', alice.name, '同学'])).code, 0);
    const list = await bob.cli.run(['friends']);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(list.stdout.split('\n').filter(Boolean), [
      '同学',
      `  Ally A. (${alice.name})`,
    ]);
    const hers = await alice.cli.run(['friends']);
    assert.deepEqual(hers.stdout.split('\n').filter(Boolean), [bob.name]);

    const sent = await alice.cli.run(['send', bob.name, 'friends now']);
    assert.equal(sent.code, 0, sent.stderr);
  });

  it('says what went wrong: no such user, no request, not a friend, blocked', async () => {
    const [carol, dave] = (await users(2)) as [
      { name: string; cli: CliUser },
      { name: string; cli: CliUser },
    ];
    const nobody = await carol.cli.run(['friend', 'add', 'no-such-person']);
    assert.equal(nobody.code, 1);
    assert.match(nobody.stderr, /no such user: no-such-person/);
    const noRequest = await carol.cli.run(['friend', 'accept', dave.name]);
    assert.equal(noRequest.code, 1);
    assert.match(noRequest.stderr, /has sent you no friend request/);
    const notFriend = await carol.cli.run(['friend', 'remark', dave.name, 'D']);
    assert.equal(notFriend.code, 1);
    assert.match(notFriend.stderr, /is not your friend/);
    const usage = await carol.cli.run(['friend', 'hug', dave.name]);
    assert.equal(usage.code, 2);

    assert.equal((await dave.cli.run(['friend', 'block', carol.name])).code, 0);
    const blocked = await carol.cli.run(['friend', 'add', dave.name]);
    assert.equal(blocked.code, 1);
    assert.match(blocked.stderr, /blocked/);
    assert.equal((await dave.cli.run(['friend', 'unblock', carol.name])).code, 0);
    assert.equal((await carol.cli.run(['friend', 'add', dave.name])).code, 0);
  });

  it('shows a friend request arriving during parley chat', async () => {
    const [erin, frank, gina] = (await users(3)) as Array<{ name: string; cli: CliUser }> as [
      { name: string; cli: CliUser },
      { name: string; cli: CliUser },
      { name: string; cli: CliUser },
    ];
    // Erin and Frank are friends, so Erin may chat with him.
    assert.equal((await erin.cli.run(['friend', 'add', frank.name])).code, 0);
    assert.equal((await frank.cli.run(['friend', 'accept', erin.name])).code, 0);
    const chat = erin.cli.spawn(['chat', frank.name]);
    try {
      await waitForOutput(chat.stdout!, new RegExp(`Chat with ${frank.name}`));
      const shown = waitForOutput(chat.stdout!, /friend request from .*“let us talk<U\+202E>”/);
      const asked = await gina.cli.run(['friend', 'add', erin.name, '--note', 'let us talk\u202e']);
      assert.equal(asked.code, 0, asked.stderr);
      const screen = await shown;
      assert.match(screen, new RegExp(`friend request from ${gina.name}`));
      assert.doesNotMatch(screen, /\u202e/);
    } finally {
      chat.stdin!.end('/quit\n');
    }
  });
});
