/** Contract cases: users and sessions. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { GetFixture } from './fixture.js';
import { T0 } from './fixture.js';

const HOUR = 3_600_000;

export function accountCases(f: GetFixture): void {
  it('finds a registered user by name and by id', async () => {
    const user = await f().user();
    assert.deepEqual(await f().store.findUserByUsername(user.username), user);
    assert.deepEqual(await f().store.findUserById(user.id), user);
    assert.equal(user.createdAt, T0);
  });

  it('finds nobody for an unknown name or id', async () => {
    assert.equal(await f().store.findUserByUsername('nobody-has-this-name'), null);
    assert.equal(await f().store.findUserById(987_654_321), null);
  });

  it('refuses a username that is already taken, keeping the first account', async () => {
    const user = await f().user();
    assert.equal(await f().store.createUser(user.username, 'other-hash', T0 + 1), null);
    assert.deepEqual(await f().store.findUserById(user.id), user);
  });

  it('changes the password hash and ends every other session at once', async () => {
    const { store } = f();
    const user = await f().user();
    const open = (name: string) => f().session(user, name, T0 + HOUR);
    const [kept, phone, tablet] = [await open('kept'), await open('phone'), await open('tablet')];
    const revoked = await store.changePassword(user.id, 'new-hash', kept.id, T0 + 1);
    assert.deepEqual(revoked, [phone.id, tablet.id]);
    assert.equal((await store.findUserById(user.id))?.passwordHash, 'new-hash');
    assert.deepEqual(await store.findSession(`kept-${user.id}`, T0 + 2), kept);
    assert.equal(await store.findSession(`phone-${user.id}`, T0 + 2), null);
  });

  it('finds a live session by token hash, but not an unknown, revoked or expired one', async () => {
    const { store } = f();
    const user = await f().user();
    const live = await f().session(user, 'live', T0 + HOUR);
    assert.deepEqual(live, {
      id: live.id,
      userId: user.id,
      device: 'live',
      createdAt: T0,
      expiresAt: T0 + HOUR,
      ackedPts: 0,
      lastSeenAt: T0,
    });
    assert.deepEqual(await store.findSession(`live-${user.id}`, T0 + 1), live);
    assert.equal(await store.findSession('unknown-token-hash', T0 + 1), null);
    // Expired at exactly expiresAt.
    assert.equal(await store.findSession(`live-${user.id}`, T0 + HOUR), null);

    await store.revokeSession(live.id, T0 + 2);
    assert.equal(await store.findSession(`live-${user.id}`, T0 + 3), null);
  });

  it('logs out every other device of a user and names the sessions it ended', async () => {
    const { store } = f();
    const user = await f().user();
    const other = await f().user();
    const phone = await f().session(user, 'phone', T0 + HOUR);
    const laptop = await f().session(user, 'laptop', T0 + HOUR);
    const tablet = await f().session(user, 'tablet', T0 + HOUR);
    const revokedBefore = await f().session(user, 'old', T0 + HOUR);
    await store.revokeSession(revokedBefore.id, T0);
    await f().session(user, 'expired', T0 + 10);
    const othersPhone = await f().session(other, 'phone', T0 + HOUR);

    const revoked = await store.revokeUserSessions(user.id, laptop.id, T0 + 100);
    assert.deepEqual(
      revoked,
      [phone.id, tablet.id].sort((x, y) => x - y),
    );
    assert.equal(await store.findSession(`phone-${user.id}`, T0 + 101), null);
    assert.equal(await store.findSession(`tablet-${user.id}`, T0 + 101), null);
    assert.equal((await store.findSession(`laptop-${user.id}`, T0 + 101))?.id, laptop.id);
    assert.equal((await store.findSession(`phone-${other.id}`, T0 + 101))?.id, othersPhone.id);

    assert.deepEqual(await store.revokeUserSessions(user.id, null, T0 + 200), [laptop.id]);
    assert.equal(await store.findSession(`laptop-${user.id}`, T0 + 201), null);
    assert.deepEqual(await store.revokeUserSessions(user.id, null, T0 + 300), []);
  });

  it("never moves a device's delivered cursor backwards", async () => {
    const { store } = f();
    const user = await f().user();
    const session = await f().session(user, 'ack', T0 + HOUR);
    const other = await f().session(user, 'ack2', T0 + HOUR);
    await store.ackSessions([{ sessionId: session.id, pts: 5 }]);
    await store.ackSessions([
      { sessionId: session.id, pts: 3 },
      { sessionId: other.id, pts: 7 },
    ]);
    assert.equal((await store.findSession(`ack-${user.id}`, T0))?.ackedPts, 5);
    assert.equal(
      (await store.findSession(`ack2-${user.id}`, T0))?.ackedPts,
      7,
      'each device its own',
    );
    await store.ackSessions([{ sessionId: session.id, pts: 9 }]);
    assert.equal((await store.findSession(`ack-${user.id}`, T0))?.ackedPts, 9);
  });

  it("creates no session for a password hash that is no longer the user's", async () => {
    const { store } = f();
    const user = await f().user();
    const kept = await f().session(user, 'kept', T0 + HOUR);
    await store.changePassword(user.id, 'changed-hash', kept.id, T0 + 1);
    const late = await store.createSession(
      {
        userId: user.id,
        tokenHash: `late-${user.id}`,
        device: 'late',
        expiresAt: T0 + HOUR,
        verifiedPasswordHash: user.passwordHash,
        maxPerUser: 10,
      },
      T0 + 2,
    );
    assert.deepEqual(late, { kind: 'stale_password' });
    assert.equal(await store.findSession(`late-${user.id}`, T0 + 3), null);
  });

  it('keeps at most maxPerUser live sessions, ending the least recently seen', async () => {
    const { store } = f();
    const user = await f().user();
    const first = await f().session(user, 'first', T0 + HOUR, T0);
    const second = await f().session(user, 'second', T0 + HOUR, T0 + 1);
    await store.touchSession(first.id, T0 + 2);
    const created = await store.createSession(
      {
        userId: user.id,
        tokenHash: `third-${user.id}`,
        device: 'third',
        expiresAt: T0 + HOUR,
        verifiedPasswordHash: user.passwordHash,
        maxPerUser: 2,
      },
      T0 + 3,
    );
    assert.equal(created.kind, 'created');
    assert.deepEqual(created.kind === 'created' && created.revoked, [second.id]);
    assert.equal(await store.findSession(`second-${user.id}`, T0 + 4), null);
    const listed = await store.listSessions(user.id, T0 + 4);
    assert.deepEqual(
      listed.map((s) => [s.device, s.lastSeenAt]),
      [
        ['third', T0 + 3],
        ['first', T0 + 2],
      ],
      'live sessions, most recently seen first',
    );
  });

  it("revokes one session of the user's, and no other user's", async () => {
    const { store } = f();
    const user = await f().user();
    const other = await f().user();
    const phone = await f().session(user, 'phone', T0 + HOUR);
    const othersPhone = await f().session(other, 'phone', T0 + HOUR);
    assert.equal(await store.revokeUserSession(user.id, othersPhone.id, T0 + 1), false);
    assert.equal((await store.findSession(`phone-${other.id}`, T0 + 2))?.id, othersPhone.id);
    assert.equal(await store.revokeUserSession(user.id, phone.id, T0 + 1), true);
    assert.equal(await store.revokeUserSession(user.id, phone.id, T0 + 2), false, 'only once');
    assert.deepEqual(await store.listSessions(user.id, T0 + 3), []);
  });

  it('registers with an invite once, and a taken name does not use it up', async () => {
    const { store } = f();
    const taken = await f().user();
    const code = `invite-${taken.id}`;
    assert.deepEqual(await store.createInvitedUser('nobody_x', 'h', 'unknown-code', T0), {
      kind: 'invalid_invite',
    });
    await store.createInvite(code, T0);
    assert.deepEqual(await store.createInvitedUser(taken.username, 'h', code, T0), {
      kind: 'username_taken',
    });
    const name = `invited_${taken.id}`;
    const created = await store.createInvitedUser(name, 'h', code, T0 + 1);
    assert.equal(created.kind === 'created' && created.user.username, name);
    assert.deepEqual(await store.createInvitedUser(`${name}_b`, 'h', code, T0 + 2), {
      kind: 'invalid_invite',
    });
    assert.equal(await store.findUserByUsername(`${name}_b`), null);
  });
}
