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
    const open = (name: string) =>
      store.createSession(
        { userId: user.id, tokenHash: `${name}-${user.id}`, device: name, expiresAt: T0 + HOUR },
        T0,
      );
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
    const live = await store.createSession(
      { userId: user.id, tokenHash: `live-${user.id}`, device: 'laptop', expiresAt: T0 + HOUR },
      T0,
    );
    assert.deepEqual(live, {
      id: live.id,
      userId: user.id,
      device: 'laptop',
      createdAt: T0,
      expiresAt: T0 + HOUR,
      ackedPts: 0,
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
    const open = (userId: number, name: string, expiresAt = T0 + HOUR) =>
      store.createSession({ userId, tokenHash: `${name}-${userId}`, device: name, expiresAt }, T0);
    const phone = await open(user.id, 'phone');
    const laptop = await open(user.id, 'laptop');
    const tablet = await open(user.id, 'tablet');
    const revokedBefore = await open(user.id, 'old');
    await store.revokeSession(revokedBefore.id, T0);
    await open(user.id, 'expired', T0 + 10);
    const othersPhone = await open(other.id, 'phone');

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
    const session = await store.createSession(
      { userId: user.id, tokenHash: `ack-${user.id}`, device: 'phone', expiresAt: T0 + HOUR },
      T0,
    );
    const other = await store.createSession(
      { userId: user.id, tokenHash: `ack2-${user.id}`, device: 'laptop', expiresAt: T0 + HOUR },
      T0,
    );
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
}
