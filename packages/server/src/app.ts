/**
 * Composition root: builds the store, bus, domain services and gateways from a Config and starts
 * listening. Nothing else in the server wires adapters together.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Server as NetServer } from 'node:net';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Bus, BusOptions } from './bus/bus.js';
import { createMemoryBus } from './bus/memory-bus.js';
import { loadConfig, pageBytesOf, type Config, type ConfigInput } from './config.js';
import { createAccounts } from './domain/accounts.js';
import { createAckBuffer } from './domain/acks.js';
import { createConversations } from './domain/conversations.js';
import { createLoginThrottle } from './domain/login-throttle.js';
import { createRegistrationGate } from './domain/registration.js';
import { createMembership } from './domain/membership.js';
import { createMessages } from './domain/messages.js';
import { createPresence } from './domain/presence.js';
import { createPublisher } from './domain/publisher.js';
import { createSync } from './domain/sync.js';
import { createTyping } from './domain/typing.js';
import type { Domain } from './domain/index.js';
import { createHttpHandler } from './gateway/http.js';
import { createIpLimit } from './gateway/ip-limit.js';
import { createStaticHandler } from './gateway/static-files.js';
import { createTcpGateway } from './gateway/tcp.js';
import { attachWebSocketGateway } from './gateway/websocket.js';
import { authTelemetry } from './auth-telemetry.js';
import { createLogger } from './log.js';
import { createMetrics } from './metrics.js';
import type { Connection, ConnectionHandler } from './session/connection.js';
import { SessionRegistry } from './session/registry.js';
import { Session, type SessionContext } from './session/session.js';
import { createStore } from './store/index.js';

export interface RunningServer {
  config: Config;
  /** http://host:port: the web client, /healthz, /readyz, /metrics. */
  httpUrl: string;
  /** ws://host:port/ws */
  wsUrl: string;
  /** tcp://host:port */
  tcpUrl: string;
  /** Graceful stop: stop accepting, flush and acknowledge pending writes, say bye, close the store. */
  stop(): Promise<void>;
}

const LOGIN_WINDOW_MS = 15 * 60_000;
const REGISTRATION_WINDOW_MS = 60 * 60_000;
const DAY_MS = 24 * 60 * 60_000;
const ACK_FLUSH_MS = 1000;
/** Adapters a caller may supply instead of the ones the configuration picks (tests, embedders). */
export interface ServerAdapters {
  createBus?: (options: BusOptions) => Bus;
}

const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

export async function startServer(
  input: ConfigInput = {},
  env: Record<string, string | undefined> = {},
  argv: readonly string[] = [],
  adapters: ServerAdapters = {},
): Promise<RunningServer> {
  const config = loadConfig(input, env, argv);
  const log = createLogger(config.logLevel);
  const now = Date.now;
  const metrics = createMetrics();
  const pageBytes = pageBytesOf(config);

  const store = await createStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    sqliteThread: config.sqliteThread,
    // Calls fail from here on and /readyz says so; the process stays up for the operator to see.
    onFailure: (err) => log.error({ err }, 'the store stopped: every request now fails'),
  });
  // The bus never throws at a request: failures are counted, logged, and healed by sync.
  const busFailed = (op: 'publish' | 'subscribe' | 'unsubscribe' | 'handler', err: unknown) => {
    metrics.busErrors.labels(op).inc();
    log.warn({ err, op }, 'bus call failed');
  };
  const bus = (adapters.createBus ?? createMemoryBus)({
    onHandlerError: (error) => busFailed('handler', error),
  });
  const publisher = createPublisher(bus, (error) => busFailed('publish', error));
  const acks = createAckBuffer({ store, flushEveryMs: ACK_FLUSH_MS });
  const membership = createMembership(store);
  const domain: Domain = {
    accounts: createAccounts({
      store,
      publisher,
      throttle: createLoginThrottle({
        pairAttempts: config.loginAttempts,
        ipAttempts: config.loginIpAttempts,
        usernameFailures: config.loginUserFailures,
        baseDelayMs: config.loginBackoffMs,
        maxDelayMs: LOGIN_WINDOW_MS,
        windowMs: LOGIN_WINDOW_MS,
      }),
      registration: createRegistrationGate({
        mode: config.registration,
        perIp: config.registrationsPerIp,
        windowMs: REGISTRATION_WINDOW_MS,
      }),
      sessionTtlMs: Math.round(config.sessionTtlDays * DAY_MS),
      maxSessionsPerUser: config.sessionsPerUser,
      now,
      onEvent: authTelemetry(log, metrics),
    }),
    conversations: createConversations({
      store,
      publisher,
      now,
      maxPageSize: config.maxPageSize,
      pageBytes,
    }),
    messages: createMessages({
      store,
      membership,
      publisher,
      now,
      maxMessageChars: config.maxMessageChars,
      maxPageSize: config.maxPageSize,
      pageBytes,
      commitMaxMs: config.commitMaxMs,
      onCommitted(batchSize, commitMs) {
        metrics.messagesStored.inc(batchSize);
        metrics.commitBatchSize.observe(batchSize);
        metrics.commitSeconds.observe(commitMs / 1000);
      },
    }),
    sync: createSync({ store, acks, maxPageSize: config.maxPageSize, pageBytes }),
    typing: createTyping({ membership, publisher, now }),
    presence: createPresence({
      store,
      publisher,
      now,
      onError: (err) => log.warn({ err }, 'presence update failed'),
    }),
  };

  const registry = new SessionRegistry({
    bus,
    now,
    sendRate: config.sendRate,
    ipFrameRate: config.ipFrameRate,
    heartbeatMs: config.heartbeatMs,
    authTimeoutMs: config.authTimeoutMs,
    onBusError: busFailed,
    onDevices: (userId, activity) => domain.presence.devices(userId, activity),
  });
  const ctx: SessionContext = {
    domain,
    registry,
    metrics,
    log,
    now,
    limits: {
      frameRate: config.frameRate,
      outboundQueueBytes: config.outboundQueueBytes,
      authFailures: config.loginAttempts,
      heartbeatMs: config.heartbeatMs,
      maxFrameBytes: config.maxFrameBytes,
      maxMessageChars: config.maxMessageChars,
      maxPageSize: config.maxPageSize,
    },
  };

  // Every open socket, so shutdown can wait for goodbyes to be written and then stop.
  const open = new Set<Connection>();
  function onConnection(connection: Connection): ConnectionHandler {
    open.add(connection);
    metrics.connections.labels(connection.transport).inc();
    const session = new Session(connection, ctx);
    return {
      onFrame: (text) => session.onFrame(text),
      onFramingError: (code, message, fatal) => session.onFramingError(code, message, fatal),
      onClose: () => {
        open.delete(connection);
        metrics.connections.labels(connection.transport).dec();
        session.onClose();
      },
    };
  }

  let shuttingDown = false;
  const tls =
    config.tlsCert && config.tlsKey
      ? { cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) }
      : null;
  const webDir = config.webDir ?? DEFAULT_WEB_DIR;
  if (!existsSync(webDir)) log.warn({ webDir }, 'web client not built: run npm run build');
  const handler = createHttpHandler({
    serveStatic: existsSync(webDir) ? createStaticHandler(webDir) : null,
    metrics: config.metrics ? metrics.registry : null,
    isReady: async () => {
      if (shuttingDown) return false;
      try {
        await Promise.all([store.ping(), bus.ping()]);
        return true;
      } catch {
        return false;
      }
    },
  });
  const http: HttpServer = tls
    ? createHttpsServer(tls, (req, res) => void handler(req, res))
    : createHttpServer((req, res) => void handler(req, res));
  const ipLimit = createIpLimit(config.connectionsPerIp);
  const allowedOrigins = config.allowedOrigins
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  const wss = attachWebSocketGateway(http, {
    maxFrameBytes: config.maxFrameBytes,
    allowedOrigins,
    ipLimit,
    onConnection,
  });
  const tcp: NetServer = createTcpGateway({
    maxFrameBytes: config.maxFrameBytes,
    tls,
    ipLimit,
    onConnection,
  });

  http.listen(config.port, config.host);
  tcp.listen(config.tcpPort, config.host);
  await Promise.all([once(http, 'listening'), once(tcp, 'listening')]);
  const httpPort = (http.address() as AddressInfo).port;
  const tcpPort = (tcp.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const secure = tls !== null;
  const urls = {
    httpUrl: `${secure ? 'https' : 'http'}://${host}:${httpPort}`,
    wsUrl: `${secure ? 'wss' : 'ws'}://${host}:${httpPort}/ws`,
    tcpUrl: `${secure ? 'tls' : 'tcp'}://${host}:${tcpPort}`,
  };
  log.info({ ...urls, store: config.databaseUrl ? 'postgres' : 'sqlite' }, 'parley is listening');

  async function stop(): Promise<void> {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info('shutting down: draining connections');
    http.close();
    tcp.close();
    // Requests already taken are answered first: their writes commit and their replies go out
    // before the goodbye, so no client is left guessing whether its request happened.
    const deadline = Date.now() + config.shutdownGraceMs;
    registry.draining = true;
    let graceTimer: NodeJS.Timeout | undefined;
    await Promise.race([
      registry.settled(),
      new Promise((r) => (graceTimer = setTimeout(r, config.shutdownGraceMs))),
    ]);
    clearTimeout(graceTimer);
    await domain.messages.drain();
    registry.closeAll('shutdown');
    while (open.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const connection of open) connection.destroy();
    wss.close();
    http.closeAllConnections();
    registry.stop();
    await domain.presence.stop();
    await bus.close();
    await acks.close();
    await store.close();
    log.info('stopped');
  }

  return { config, ...urls, stop };
}
