/** Starts real servers and SDK clients for the SDK's tests, and waits on their events. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '@parley/server';
import {
  memoryStorage,
  ParleyClient,
  type ClientEventName,
  type ClientEvents,
  type ClientOptions,
  type ConnectionState,
} from '../../src/index.js';
import { transportFor } from '../../src/node/index.js';

export interface TestServer extends RunningServer {
  dispose(): Promise<void>;
}

export async function startTestServer(
  overrides: Record<string, unknown> = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-sdk-test-'));
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    tcpPort: 0,
    metricsPort: 0,
    dataDir,
    logLevel: 'silent',
    // Tests register many users from 127.0.0.1.
    registrationsPerIp: 0,
    ...overrides,
  });
  return {
    ...server,
    async dispose() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
/** A username no other test in this process uses. */
export function uniqueName(prefix = 'u'): string {
  counter += 1;
  return `${prefix}${process.pid}x${counter}`;
}

export const PASSWORD = 'correct horse battery';

/** A client with fast reconnects, so tests that cut the network do not wait long. */
export function newClient(url: string, options: Partial<ClientOptions> = {}): ParleyClient {
  return new ParleyClient({
    url,
    transport: transportFor(url),
    storage: memoryStorage(),
    reconnect: { minDelayMs: 20, maxDelayMs: 200 },
    requestTimeoutMs: 5_000,
    ...options,
  });
}

/** Resolves with the first event that matches; fails the test instead of hanging forever. */
export function nextEvent<E extends ClientEventName>(
  client: ParleyClient,
  event: E,
  match: (payload: ClientEvents[E]) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<ClientEvents[E]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${event} event within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = client.on(event, (payload) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

/** Resolves once the client is in the given state (at once if it already is). */
export function reachState(
  client: ParleyClient,
  status: ConnectionState['status'],
): Promise<unknown> {
  if (client.state.status === status) return Promise.resolve();
  return nextEvent(client, 'state', (s) => s.status === status);
}

/** Collects every payload of an event, for assertions on order and count. */
export function collect<E extends ClientEventName>(
  client: ParleyClient,
  event: E,
): ClientEvents[E][] {
  const seen: ClientEvents[E][] = [];
  client.on(event, (payload) => seen.push(payload));
  return seen;
}

/** Registers a new user on a fresh client; returns it online. */
export async function registered(
  url: string,
  options: Partial<ClientOptions> = {},
): Promise<ParleyClient> {
  const client = newClient(url, options);
  await client.connect();
  await client.register(uniqueName(), PASSWORD);
  await reachState(client, 'online');
  return client;
}
