/**
 * Composition root: builds the store, bus, domain services and gateways from a Config and starts
 * listening. Nothing else in the server wires adapters together.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Server as HttpServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeDataLocation } from './boot/data-location.js';
import { listen } from './boot/listen.js';
import { openStore } from './boot/open-store.js';
import { StartupError } from './boot/startup-error.js';
import { createLocalDiskBlobStore } from './blobs/local-disk.js';
import type { Bus, BusOptions } from './bus/bus.js';
import { createMemoryBus } from './bus/memory-bus.js';
import { createRedisBus } from './bus/redis-bus.js';
import { loadConfig, pageBytesOf, type Config, type ConfigInput } from './config.js';
import { createAccounts } from './domain/accounts.js';
import { createAckBuffer } from './domain/acks.js';
import { createContacts } from './domain/contacts.js';
import { createConversations } from './domain/conversations.js';
import { createLoginThrottle } from './domain/login-throttle.js';
import { createRegistrationGate } from './domain/registration.js';
import { createMembership } from './domain/membership.js';
import { createMessages } from './domain/messages.js';
import { createPresence } from './domain/presence.js';
import { createMemoryPresenceDirectory } from './domain/presence-directory.js';
import { createRedisPresenceDirectory } from './presence/redis-directory.js';
import { createPublisher } from './domain/publisher.js';
import { createSync } from './domain/sync.js';
import { createTyping } from './domain/typing.js';
import type { Domain } from './domain/index.js';
import { DomainError } from './domain/errors.js';
import { createFiles } from './files/files.js';
import { registerFileRoutes, type FileRoutesDeps } from './files/routes.js';
import { createUploads } from './files/uploads.js';
import { createHttpApp } from './gateway/http.js';
import { createIpLimit } from './gateway/ip-limit.js';
import { createMetricsApp } from './gateway/metrics-http.js';
import { createTcpGateway } from './gateway/tcp.js';
import { attachWebSocketGateway } from './gateway/websocket.js';
import { authTelemetry } from './auth-telemetry.js';
import { createRedisLimits } from './limits/redis-limits.js';
import { createLogger } from './log.js';
import { createMetrics } from './metrics.js';
import type { AddressInfo, Server as NetServer } from 'node:net';
import type { WebSocketServer } from 'ws';
import type { Connection, ConnectionHandler } from './session/connection.js';
import { SessionRegistry } from './session/registry.js';
import type { Store } from './store/index.js';
import { Session, type SessionContext } from './session/session.js';

export interface RunningServer {
  config: Config;
  /** http://host:port: the web client, /healthz, /readyz. */
  httpUrl: string;
  /** http://metricsHost:metricsPort/metrics (Prometheus), or null when metrics are off. */
  metricsUrl: string | null;
  /** ws://host:port/ws */
  wsUrl: string;
  /** tcp://host:port */
  tcpUrl: string;
  /** Where the data is: the SQLite file, or the PostgreSQL URL with the password hidden. */
  dataLocation: string;
  /** Graceful stop: stop accepting, flush and acknowledge pending writes, say bye, close the store. */
  stop(): Promise<void>;
}

const LOGIN_WINDOW_MS = 15 * 60_000;
const REGISTRATION_WINDOW_MS = 60 * 60_000;
const DAY_MS = 24 * 60 * 60_000;
const ACK_FLUSH_MS = 1000;
/** Adapters a caller may supply instead of the ones the configuration picks (tests, embedders). */
export interface ServerAdapters {
  createBus?: (options: BusOptions) => Bus | Promise<Bus>;
}

/** The host part of a URL to a listener on `host` (a wildcard address is reached on localhost). */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));
/** How long the last log lines may take to reach stdout once the server has stopped. */
const LOG_FLUSH_MS = 1000;

/**
 * `starting`: listeners bound, store not open yet; `serving`; `draining`: stopping. Outside
 * `serving`, /readyz answers 503 and new WebSocket upgrades and TCP connections are refused.
 */
type Phase = 'starting' | 'serving' | 'draining';

function readTlsFile(path: string, setting: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new StartupError(setting, `cannot read ${path} (${(error as Error).message})`, {
      cause: error,
    });
  }
}

export async function startServer(
  input: ConfigInput = {},
  env: Record<string, string | undefined> = {},
  argv: readonly string[] = [],
  adapters: ServerAdapters = {},
): Promise<RunningServer> {
  const config = loadConfig(input, env, argv);
  const { log, flush: flushLog } = createLogger(config.logLevel);
  const now = Date.now;
  const metrics = createMetrics();
  const pageBytes = pageBytesOf(config);
  let phase: Phase = 'starting';
  const admits = () => phase === 'serving';
  // The file routes are registered with the listeners, before the store they need is open.
  let fileRoutes: FileRoutesDeps | null = null;

  // The listeners are bound before anything is written to disk, so a start that fails on a port
  // leaves no data directory behind. Connections are refused until the store is open.
  const { http, metricsHttp, tcp, wss } = await createListeners();
  try {
    await listenBoth();
  } catch (error) {
    closeListeners();
    throw error;
  }
  const store: Store = await openStore(config, (err) =>
    // Calls fail from here on and /readyz says so; the process stays up for the operator to see.
    log.error({ err }, 'the store stopped: every request now fails'),
  ).catch((error: unknown) => {
    closeListeners();
    throw error;
  });
  // The bus never throws at a request: failures are counted, logged, and healed by sync.
  const busFailed = (op: 'publish' | 'subscribe' | 'unsubscribe' | 'handler', err: unknown) => {
    metrics.busErrors.labels(op).inc();
    log.warn({ err, op }, 'bus call failed');
  };
  const redis =
    config.redisUrl === undefined ? null : { url: config.redisUrl, prefix: config.redisPrefix };
  const createBus =
    adapters.createBus ??
    (redis ? (options: BusOptions) => createRedisBus(redis, options) : createMemoryBus);
  // The registry is built below; a gap the bus reports before then has no device to catch up.
  let catchUpAll = (): void => undefined;
  // Redis is reached before the node takes traffic; when it cannot be, the start fails whole.
  const presenceFailed = (err: unknown) => log.warn({ err }, 'presence update failed');
  const { bus, limits, presenceDirectory } = await (async () => {
    const opened = await createBus({
      onHandlerError: (error) => busFailed('handler', error),
      onGap: () => {
        metrics.busGaps.inc();
        log.warn('the bus reconnected: live devices catch up from the store');
        catchUpAll();
      },
    });
    try {
      // Limits and presence that nodes share live in Redis; a lone node keeps them in memory.
      return {
        bus: opened,
        limits: redis ? await createRedisLimits(redis) : null,
        presenceDirectory: redis
          ? await createRedisPresenceDirectory({ ...redis, now, onError: presenceFailed })
          : createMemoryPresenceDirectory(),
      };
    } catch (error) {
      await opened.close();
      throw error;
    }
  })().catch(async (error: unknown) => {
    closeListeners();
    await store.close();
    throw error;
  });
  const loginPolicy = {
    pairAttempts: config.loginAttempts,
    ipAttempts: config.loginIpAttempts,
    usernameFailures: config.loginUserFailures,
    baseDelayMs: config.loginBackoffMs,
    maxDelayMs: LOGIN_WINDOW_MS,
    windowMs: LOGIN_WINDOW_MS,
  };
  const publisher = createPublisher(bus, (error) => busFailed('publish', error));
  const acks = createAckBuffer({ store, flushEveryMs: ACK_FLUSH_MS });
  const contacts = createContacts({
    store,
    publisher,
    now,
    defaultDirectMessages: config.directMessages,
  });
  const membership = createMembership(store);
  const blobs = createLocalDiskBlobStore(join(config.dataDir, 'blobs'));
  const files = createFiles({ store, blobs, now });
  const domain: Domain = {
    contacts,
    accounts: createAccounts({
      store,
      publisher,
      throttle: limits ? limits.loginThrottle(loginPolicy) : createLoginThrottle(loginPolicy),
      registration: createRegistrationGate(
        {
          mode: config.registration,
          perIp: config.registrationsPerIp,
          windowMs: REGISTRATION_WINDOW_MS,
        },
        limits?.windowLimit('registrations', REGISTRATION_WINDOW_MS),
      ),
      sessionTtlMs: Math.round(config.sessionTtlDays * DAY_MS),
      maxSessionsPerUser: config.sessionsPerUser,
      now,
      onEvent: authTelemetry(log, metrics),
    }),
    conversations: createConversations({
      store,
      contacts,
      publisher,
      now,
      maxPageSize: config.maxPageSize,
      pageBytes,
    }),
    messages: createMessages({
      store,
      membership,
      contacts,
      publisher,
      now,
      maxMessageChars: config.maxMessageChars,
      maxPageSize: config.maxPageSize,
      pageBytes,
      commitMaxMs: config.commitMaxMs,
      attachmentFor: files.attachmentFor,
      onCommitted(batchSize, commitMs) {
        metrics.messagesStored.inc(batchSize);
        metrics.commitBatchSize.observe(batchSize);
        metrics.commitSeconds.observe(commitMs / 1000);
      },
    }),
    sync: createSync({ store, acks, maxPageSize: config.maxPageSize, pageBytes }),
    typing: createTyping({ membership, contacts, publisher, now }),
    presence: createPresence({
      store,
      publisher,
      directory: presenceDirectory,
      now,
      onError: presenceFailed,
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
  catchUpAll = () => registry.catchUpAll();
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
      maxUploadBytes: config.maxUploadBytes,
    },
  };

  const fileFailed = (err: unknown, what: string) =>
    log.error({ err, what }, 'file request failed');
  const abandonMs = config.uploadAbandonMinutes * 60_000;
  const uploads = createUploads({
    dir: join(config.dataDir, 'uploads'),
    maxBytes: config.maxUploadBytes,
    abandonMs,
    files,
    onError: fileFailed,
  });
  // Abandoned uploads are looked for a few times per abandon period (at most every 10 minutes).
  const sweepUploads = setInterval(
    () => {
      uploads
        .removeAbandoned(Date.now())
        .catch((err: unknown) => fileFailed(err, 'remove abandoned uploads'));
    },
    Math.min(Math.max(abandonMs / 4, 100), 10 * 60_000),
  );
  sweepUploads.unref();
  fileRoutes = {
    uploads,
    files,
    blobs,
    authenticate: async (token) => {
      try {
        return (await domain.accounts.authenticate(token)).user.id;
      } catch (error) {
        if (error instanceof DomainError) return null;
        throw error;
      }
    },
  };

  // Every open socket, so shutdown can wait for goodbyes to be written and then stop.
  const open = new Set<Connection>();
  let lastConnectionId = 0;
  function onConnection(connection: Connection): ConnectionHandler {
    const id = ++lastConnectionId;
    const about = { connection: id, transport: connection.transport, ip: connection.remoteAddress };
    open.add(connection);
    metrics.connections.labels(connection.transport).inc();
    log.debug(about, 'connection opened');
    const session = new Session(connection, ctx);
    return {
      onFrame: (text) => session.onFrame(text),
      onFramingError: (code, message, fatal) => session.onFramingError(code, message, fatal),
      onClose: () => {
        open.delete(connection);
        metrics.connections.labels(connection.transport).dec();
        log.debug(about, 'connection closed');
        session.onClose();
      },
    };
  }

  async function createListeners(): Promise<{
    http: HttpServer;
    metricsHttp: HttpServer | null;
    tcp: NetServer;
    wss: WebSocketServer;
  }> {
    const tls =
      config.tlsCert && config.tlsKey
        ? {
            cert: readTlsFile(config.tlsCert, 'PARLEY_TLS_CERT'),
            key: readTlsFile(config.tlsKey, 'PARLEY_TLS_KEY'),
          }
        : null;
    const webDir = config.webDir ?? DEFAULT_WEB_DIR;
    if (!existsSync(webDir)) log.warn({ webDir }, 'web client not built: run npm run build');
    const httpFailed = (err: unknown) => log.error({ err }, 'http request failed');
    const app = await createHttpApp({
      tls,
      webDir: existsSync(webDir) ? webDir : null,
      routes: [registerFileRoutes(() => (phase === 'serving' ? fileRoutes : null))],
      onInternalError: httpFailed,
      isReady: async () => {
        if (phase !== 'serving') return false;
        try {
          await Promise.all([store.ping(), bus.ping()]);
          return true;
        } catch {
          return false;
        }
      },
    });
    const http: HttpServer = app.server;
    const metricsHttp: HttpServer | null = config.metrics
      ? (await createMetricsApp(metrics.registry, httpFailed)).server
      : null;
    const ipLimit = createIpLimit(config.connectionsPerIp);
    const allowedOrigins = config.allowedOrigins
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean);
    const wss = attachWebSocketGateway(http, {
      maxFrameBytes: config.maxFrameBytes,
      allowedOrigins,
      ipLimit,
      admits,
      onConnection,
    });
    const tcp: NetServer = createTcpGateway({
      maxFrameBytes: config.maxFrameBytes,
      tls,
      ipLimit,
      admits,
      onConnection,
    });
    return { http, metricsHttp, tcp, wss };
  }

  async function listenBoth(): Promise<void> {
    await Promise.all([
      listen(http, { port: config.port, host: config.host, portSetting: 'PARLEY_PORT' }),
      listen(tcp, { port: config.tcpPort, host: config.host, portSetting: 'PARLEY_TCP_PORT' }),
      metricsHttp &&
        listen(metricsHttp, {
          port: config.metricsPort,
          host: config.metricsHost,
          portSetting: 'PARLEY_METRICS_PORT',
        }),
    ]);
  }

  function closeListeners(): void {
    wss.close();
    if (http.listening) http.close();
    if (tcp.listening) tcp.close();
    if (metricsHttp?.listening) metricsHttp.close();
  }

  const httpPort = (http.address() as AddressInfo).port;
  const tcpPort = (tcp.address() as AddressInfo).port;
  const host = urlHost(config.host);
  const secure = config.tlsCert !== undefined;
  const urls = {
    httpUrl: `${secure ? 'https' : 'http'}://${host}:${httpPort}`,
    wsUrl: `${secure ? 'wss' : 'ws'}://${host}:${httpPort}/ws`,
    tcpUrl: `${secure ? 'tls' : 'tcp'}://${host}:${tcpPort}`,
    metricsUrl: metricsHttp
      ? `http://${urlHost(config.metricsHost)}:${(metricsHttp.address() as AddressInfo).port}/metrics`
      : null,
  };
  const dataLocation = describeDataLocation(config);
  phase = 'serving';
  log.info(
    { ...urls, data: dataLocation, bus: config.redisUrl ? 'redis' : 'memory' },
    'parley is listening',
  );

  let stopped: Promise<void> | null = null;
  function stop(): Promise<void> {
    stopped ??= drainAndClose();
    return stopped;
  }

  async function drainAndClose(): Promise<void> {
    phase = 'draining';
    log.info('shutting down: draining connections');
    // No new TCP connections. HTTP stays up until the drain ends, so probes see /readyz answer
    // 503 and a load balancer moves traffic away; new WebSocket upgrades are refused (503).
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
    http.close();
    http.closeAllConnections();
    metricsHttp?.close();
    metricsHttp?.closeAllConnections();
    registry.stop();
    clearInterval(sweepUploads);
    await domain.presence.stop();
    await bus.close();
    limits?.close();
    await acks.close();
    await store.close();
    log.info('stopped');
    await flushLog(LOG_FLUSH_MS);
  }

  return { config, ...urls, dataLocation, stop };
}
