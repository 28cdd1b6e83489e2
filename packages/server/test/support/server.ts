/** Starts real servers on ephemeral ports with a fresh SQLite file, and cleans them up. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startServer,
  type ConfigInput,
  type RunningServer,
  type ServerAdapters,
} from '../../src/index.js';
import { RawClient } from './raw-client.js';

export interface TestServer extends RunningServer {
  dataDir: string;
  /** Stops the server and removes its data. */
  dispose(): Promise<void>;
}

export function tempDir(prefix = 'parley-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startTestServer(
  overrides: ConfigInput = {},
  adapters: ServerAdapters = {},
): Promise<TestServer> {
  const dataDir = overrides.dataDir ?? tempDir();
  const server = await startServer(
    {
      host: '127.0.0.1',
      port: 0,
      tcpPort: 0,
      // The metrics listener's default port is fixed; tests run side by side.
      metricsPort: 0,
      logLevel: 'silent',
      // Tests register many users from 127.0.0.1; the tests of the limit set their own.
      registrationsPerIp: 0,
      ...overrides,
      dataDir,
    },
    {},
    [],
    adapters,
  );
  return {
    ...server,
    dataDir,
    async dispose() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
/** A username no other test in this process uses. */
export function uniqueName(prefix = 'user'): string {
  return `${prefix}${process.pid}x${++counter}`;
}

export const PASSWORD = 'correct horse battery';

/** Connects, says hello and registers a new user; returns the client and its token. */
export async function connectUser(
  url: string,
  name = uniqueName(),
  versions: number[] = [1],
): Promise<{ client: RawClient; token: string; userId: number; username: string }> {
  const client = url.startsWith('tcp') ? await RawClient.tcp(url) : await RawClient.ws(url);
  await client.expect('welcome', { type: 'hello', versions });
  const authed = await client.expect('authed', {
    type: 'register',
    username: name,
    password: PASSWORD,
  });
  return { client, token: authed.token!, userId: authed.user.id, username: authed.user.username };
}

/** Connects another device of an existing user with its token. */
export async function connectDevice(
  url: string,
  token: string,
  versions: number[] = [1],
): Promise<RawClient> {
  const client = url.startsWith('tcp') ? await RawClient.tcp(url) : await RawClient.ws(url);
  await client.expect('welcome', { type: 'hello', versions });
  await client.expect('authed', { type: 'auth', token });
  return client;
}

/** Syncs from `pts` until caught up; returns every update seen and the final cursor. */
export async function syncAll(client: RawClient, pts: number | null) {
  const updates = [];
  let cursor = pts;
  for (;;) {
    const page = await client.expect('updates', { type: 'sync', pts: cursor });
    updates.push(...page.updates);
    cursor = page.pts;
    if (!page.more) return { updates, pts: cursor };
  }
}
