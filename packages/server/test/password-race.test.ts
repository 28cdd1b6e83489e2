/**
 * A login racing a password change must not keep a session made with the old password. Logins
 * with the old password run back to back from several addresses while the password changes;
 * once the change is answered, every token they obtained must be dead, whichever store.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RawClient } from './support/raw-client.js';
import { testPostgres } from './support/postgres.js';
import { PASSWORD, connectUser, startTestServer } from './support/server.js';

const { skip: postgresSkip, createDatabase } = await testPostgres();
const LANES = 4;

for (const store of ['sqlite', 'postgres'] as const) {
  describe(
    `login racing a password change (${store})`,
    {
      skip: store === 'postgres' ? (postgresSkip ?? false) : false,
    },
    () => {
      it('leaves no live session made with the old password', async () => {
        const server = await startTestServer(
          store === 'postgres' ? { databaseUrl: await createDatabase() } : {},
        );
        try {
          const { username, client: owner } = await connectUser(server.tcpUrl);
          let changed = false;
          const tokens: string[] = [];
          // Each lane logs in with the old password again and again until the change is answered.
          const lane = async (n: number) => {
            for (let i = 0; !changed && i < 200; i++) {
              const c = await RawClient.tcp(server.tcpUrl, `127.0.2.${n + 1}`);
              await c.expect('welcome', { type: 'hello', versions: [1] });
              const reply = await c.request({ type: 'login', username, password: PASSWORD });
              if (reply.type === 'authed') tokens.push(reply.token!);
              c.close();
            }
          };
          const lanes = Array.from({ length: LANES }, (_, n) => lane(n));
          // Let the lanes get going, then change the password under them.
          while (tokens.length < LANES) await new Promise((r) => setImmediate(r));
          await owner.expect('ok', {
            type: 'change_password',
            oldPassword: PASSWORD,
            newPassword: 'the new secret words',
          });
          changed = true;
          await Promise.all(lanes);

          const alive: string[] = [];
          for (const token of tokens) {
            // One connection per token: refused tokens count against a connection.
            const check = await RawClient.tcp(server.tcpUrl);
            await check.expect('welcome', { type: 'hello', versions: [1] });
            if ((await check.request({ type: 'auth', token })).type === 'authed') alive.push(token);
            check.close();
          }
          assert.ok(tokens.length > LANES, `the logins ran (${tokens.length} sessions)`);
          assert.deepEqual(alive, [], 'a session made with the old password outlived the change');
          owner.close();
        } finally {
          await server.dispose();
        }
      });
    },
  );
}
