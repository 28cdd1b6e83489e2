/**
 * Configuration: defaults, overridden by PARLEY_* environment variables, overridden by command
 * line flags (--port 8080 or --port=8080, the variable's name without PARLEY_ in kebab case).
 * Everything is validated at start; a bad value stops the server with a message naming it.
 */
import { z } from 'zod';
import { DEFAULT_LIMITS, REGISTRATION_MODES } from '@parley/protocol';
import { SQLITE_THREADS } from './store/index.js';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const nonNegativeInt = z.coerce.number().int().nonnegative();
const bool = z
  .union([z.boolean(), z.enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])])
  .transform((v) => v === true || v === '1' || v === 'true' || v === 'yes' || v === 'on');

/** Each setting: its schema and the environment variable that sets it. */
const settings = {
  host: {
    env: 'PARLEY_HOST',
    schema: z.string().min(1).default('0.0.0.0'),
    help: 'Address to listen on.',
  },
  port: {
    env: 'PARLEY_PORT',
    schema: port.default(8080),
    help: 'HTTP + WebSocket port (0 = any free port).',
  },
  tcpPort: {
    env: 'PARLEY_TCP_PORT',
    schema: port.default(8081),
    help: 'Raw TCP port (0 = any free port).',
  },
  dataDir: {
    env: 'PARLEY_DATA_DIR',
    schema: z.string().min(1).default('./data'),
    help: 'SQLite file and uploads.',
  },
  databaseUrl: {
    env: 'DATABASE_URL',
    schema: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
    help: 'PostgreSQL URL; unset = SQLite in the data directory.',
  },
  tlsCert: {
    env: 'PARLEY_TLS_CERT',
    schema: z.string().optional(),
    help: 'PEM certificate file: serve https/wss and TLS on the TCP port.',
  },
  tlsKey: {
    env: 'PARLEY_TLS_KEY',
    schema: z.string().optional(),
    help: 'PEM private key file (with PARLEY_TLS_CERT).',
  },
  logLevel: {
    env: 'PARLEY_LOG_LEVEL',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    help: 'pino log level.',
  },
  allowedOrigins: {
    env: 'PARLEY_ALLOWED_ORIGINS',
    schema: z.string().default(''),
    help: "Comma-separated extra origins allowed to open WebSockets (the server's own origin always is).",
  },
  webDir: {
    env: 'PARLEY_WEB_DIR',
    schema: z.string().optional(),
    help: 'Built web client to serve at / (default: packages/web/dist).',
  },
  maxFrameBytes: {
    env: 'PARLEY_MAX_FRAME_BYTES',
    schema: positiveInt.default(DEFAULT_LIMITS.maxFrameBytes),
    help: 'Largest frame accepted.',
  },
  maxMessageChars: {
    env: 'PARLEY_MAX_MESSAGE_CHARS',
    schema: positiveInt.default(DEFAULT_LIMITS.maxMessageChars),
    help: 'Longest message body.',
  },
  maxPageSize: {
    env: 'PARLEY_MAX_PAGE_SIZE',
    schema: positiveInt.default(DEFAULT_LIMITS.maxPageSize),
    help: 'Most items per history or sync page.',
  },
  commitMaxMs: {
    env: 'PARLEY_COMMIT_MAX_MS',
    schema: positiveInt.default(50),
    help: 'Longest a group commit of messages should take: batches are sized from recent commits to fit (at most 512 messages).',
  },
  heartbeatMs: {
    env: 'PARLEY_HEARTBEAT_MS',
    schema: positiveInt.default(DEFAULT_LIMITS.heartbeatMs),
    help: 'Client ping interval; idle connections close after twice this (60 s).',
  },
  outboundQueueBytes: {
    env: 'PARLEY_OUTBOUND_QUEUE_BYTES',
    schema: positiveInt.default(1024 * 1024),
    help: 'Unwritten bytes per connection; one that stays over it without reading is closed.',
  },
  pageBytes: {
    env: 'PARLEY_PAGE_BYTES',
    schema: positiveInt.optional(),
    help: 'Most bytes per sync, history or conversations page (default: queue bytes / 4).',
  },
  frameRate: {
    env: 'PARLEY_FRAME_RATE',
    schema: positiveInt.default(100),
    help: 'Frames per second per connection (burst: twice this).',
  },
  sendRate: {
    env: 'PARLEY_SEND_RATE',
    schema: positiveInt.default(20),
    help: 'Messages per second per user on a node (burst: twice this).',
  },
  ipFrameRate: {
    env: 'PARLEY_IP_FRAME_RATE',
    schema: positiveInt.default(1000),
    help: 'Frames per second from one IP address across its connections (burst: twice this); NAT puts many people behind one.',
  },
  connectionsPerIp: {
    env: 'PARLEY_CONNECTIONS_PER_IP',
    schema: nonNegativeInt.default(100),
    help: 'Most open connections from one IP address (0 = no limit).',
  },
  authTimeoutMs: {
    env: 'PARLEY_AUTH_TIMEOUT_MS',
    schema: positiveInt.default(30_000),
    help: 'Close a connection not logged in after this long (auth_timeout).',
  },
  loginAttempts: {
    env: 'PARLEY_LOGIN_ATTEMPTS',
    schema: positiveInt.default(5),
    help: 'Failed logins per username from one IP before each next try waits (1 s, doubling).',
  },
  loginIpAttempts: {
    env: 'PARLEY_LOGIN_IP_ATTEMPTS',
    schema: positiveInt.default(50),
    help: 'Login attempts from one IP, any usernames, before each next try waits (doubling).',
  },
  loginUserFailures: {
    env: 'PARLEY_LOGIN_USER_FAILURES',
    schema: positiveInt.default(100),
    help: 'Failures for one username from all IPs in 15 min after which each IP gets 1 free try.',
  },
  loginBackoffMs: {
    env: 'PARLEY_LOGIN_BACKOFF_MS',
    schema: positiveInt.default(1000),
    help: 'First wait after the free login attempts; it doubles per attempt, up to 15 minutes.',
  },
  sqliteThread: {
    env: 'PARLEY_SQLITE_THREAD',
    schema: z.enum(SQLITE_THREADS).default('auto'),
    help: 'Where SQLite commits run: worker (own thread), main (event loop), or auto (worker with 2+ cores).',
  },
  registration: {
    env: 'PARLEY_REGISTRATION',
    schema: z.enum(REGISTRATION_MODES).default('open'),
    help: 'Who may register: open, invite (a code from `parley-server invite`) or closed.',
  },
  registrationsPerIp: {
    env: 'PARLEY_REGISTRATIONS_PER_IP',
    schema: nonNegativeInt.default(10),
    help: 'New accounts one IP may register per hour (0 = no limit).',
  },
  sessionsPerUser: {
    env: 'PARLEY_SESSIONS_PER_USER',
    schema: positiveInt.default(50),
    help: 'Logged-in devices per user; a new login past it ends the least recently seen.',
  },
  sessionTtlDays: {
    env: 'PARLEY_SESSION_TTL_DAYS',
    schema: z.coerce.number().positive().default(30),
    help: 'Session token lifetime in days (fractions allowed: 0.5 = 12 hours).',
  },
  shutdownGraceMs: {
    env: 'PARLEY_SHUTDOWN_GRACE_MS',
    schema: nonNegativeInt.default(5000),
    help: 'How long SIGTERM (or SIGHUP, SIGINT) waits for connections to drain.',
  },
  metrics: {
    env: 'PARLEY_METRICS',
    schema: bool.default(true),
    help: 'Serve Prometheus metrics at /metrics on the metrics listener.',
  },
  metricsHost: {
    env: 'PARLEY_METRICS_HOST',
    schema: z.string().min(1).default('127.0.0.1'),
    help: 'Address of the metrics listener (plain HTTP; the public port has no /metrics).',
  },
  metricsPort: {
    env: 'PARLEY_METRICS_PORT',
    schema: port.default(8082),
    help: 'Port of the metrics listener (0 = any free port).',
  },
} as const;

type Settings = typeof settings;
export type Config = { [K in keyof Settings]: z.output<Settings[K]['schema']> };
export type ConfigInput = { [K in keyof Settings]?: z.input<Settings[K]['schema']> };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

/** Parses `--name value` and `--name=value` flags into setting keys. Unknown flags are errors. */
function parseFlags(argv: readonly string[]): Record<string, string> {
  const byFlag = new Map(Object.keys(settings).map((k) => [kebab(k), k]));
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new ConfigError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const key = byFlag.get(name);
    if (!key) throw new ConfigError(`unknown flag --${name} (see --help)`);
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new ConfigError(`--${name} needs a value`);
    out[key] = value;
  }
  return out;
}

/** The page byte budget in force: the setting, or a quarter of the outbound queue bound. */
export function pageBytesOf(config: Config): number {
  return config.pageBytes ?? Math.max(1, Math.floor(config.outboundQueueBytes / 4));
}

/** Builds the configuration; throws ConfigError listing every bad setting. */
export function loadConfig(
  overrides: ConfigInput = {},
  env: Record<string, string | undefined> = {},
  argv: readonly string[] = [],
): Config {
  const flags = parseFlags(argv);
  const errors: string[] = [];
  const config: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(settings)) {
    const raw =
      key in flags
        ? flags[key]
        : key in overrides
          ? overrides[key as keyof ConfigInput]
          : env[setting.env] === ''
            ? undefined
            : env[setting.env];
    const parsed = (setting.schema as z.ZodType).safeParse(raw);
    if (parsed.success) config[key] = parsed.data;
    else
      errors.push(
        `${setting.env} (--${kebab(key)}): ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      );
  }
  if ((config.tlsCert === undefined) !== (config.tlsKey === undefined)) {
    errors.push('PARLEY_TLS_CERT and PARLEY_TLS_KEY go together: set both or neither');
  }
  if (
    typeof config.pageBytes === 'number' &&
    typeof config.outboundQueueBytes === 'number' &&
    config.pageBytes > config.outboundQueueBytes
  ) {
    errors.push('PARLEY_PAGE_BYTES must not exceed PARLEY_OUTBOUND_QUEUE_BYTES');
  }
  if (errors.length > 0) throw new ConfigError(`invalid configuration:\n  ${errors.join('\n  ')}`);
  return config as Config;
}

/** The configuration table for --help and the README. */
export function describeSettings(): string {
  return Object.entries(settings)
    .map(([key, s]) => `  --${kebab(key).padEnd(22)} ${s.env.padEnd(28)} ${s.help}`)
    .join('\n');
}
