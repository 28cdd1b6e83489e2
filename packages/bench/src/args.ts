/**
 * Command-line options of the load generator. Every number is bounded so a typo cannot start a
 * run that never ends or exhausts the machine, and a target URL must be on loopback: the
 * generator is for measuring our own server on this machine, never for loading someone else's.
 */
import { isIPv4 } from 'node:net';

export type Workload = 'w1' | 'w2';
export type TransportKind = 'ws' | 'tcp';

export interface BenchOptions {
  workload: Workload;
  transport: TransportKind;
  /** A running server to target; null = the generator starts one itself. */
  url: string | null;
  /** PID of the server behind `url`, so its CPU and RSS can be read; null = not measured. */
  serverPid: number | null;
  /** W1: online users (each registered and connected). W2: accounts whose tokens are shared. */
  users: number;
  /** W1: messages per second, all senders together. */
  rate: number;
  /** W1: seconds of sending. W2: seconds the connections are held. */
  durationS: number;
  /** W1: seconds to wait after sending for the last acks and deliveries. */
  drainS: number;
  /** W1: direct conversations each user has (its random recipients are drawn from these). */
  peers: number;
  /** W1: how often a connection acks its cursor when it moved (the SDK: 500 ms); 0 = never. */
  ackMs: number;
  /** W2: connections to hold. */
  connections: number;
  /** W2: generator processes holding the connections; null = one per 10,000 connections. */
  workers: number | null;
  /** Where the JSON report goes; null = bench-results/<workload>-<timestamp>.json. */
  jsonPath: string | null;
  /** Pin the server to core 0 and the generator to core 1 (taskset). */
  pin: boolean;
}

export class BenchArgsError extends Error {
  override name = 'BenchArgsError';
  constructor(
    readonly code: 'unknown_flag' | 'bad_value' | 'non_loopback_url' | 'bad_url',
    message: string,
  ) {
    super(message);
  }
}

export const USAGE = `Usage: npm run bench -- [options]

  --workload w1|w2      w1: one-to-one messages; w2: idle connections (default w1)
  --transport ws|tcp    protocol transport (default ws; implied by --url)
  --url <url>           target a running server on loopback (ws://127.0.0.1:8080/ws or
                        tcp://127.0.0.1:8081); default: start one (pinned to core 0)
  --server-pid <pid>    with --url: the server's PID, to report its CPU and RSS
                        (its group commit is read from http://127.0.0.1:8082/metrics)
  --users <n>           w1: online users (default 200); w2: accounts sharing the
                        connections (default min(connections, 50))
  --rate <n>            w1: messages per second in total (default 1000)
  --duration <s>        w1: seconds of sending; w2: seconds to hold (default 10)
  --drain <s>           w1: seconds to wait for late acks and deliveries (default 15)
  --peers <n>           w1: direct conversations per user (default 8)
  --ack-ms <ms>         w1: ack the cursor at most this often, like the SDK (default 500;
                        0 = never, to see what acks cost the server)
  --connections <n>     w2: connections to hold (default 1000)
  --workers <n>         w2: generator processes (default one per 10,000 connections)
  --json <file>         report file (default bench-results/<workload>-<timestamp>.json)
  --no-pin              do not pin server and generator to separate cores
  --help                this text`;

const LIMITS = {
  users: [2, 20_000],
  rate: [1, 500_000],
  durationS: [1, 3600],
  drainS: [0, 600],
  peers: [1, 1000],
  ackMs: [0, 60_000],
  connections: [1, 200_000],
  workers: [1, 64],
  serverPid: [1, 2 ** 22],
} as const;

function int(flag: string, raw: string, [min, max]: readonly [number, number]): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BenchArgsError('bad_value', `--${flag} must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** True for localhost, 127.0.0.0/8 and ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1') return true;
  return isIPv4(host) && host.startsWith('127.');
}

/** Checks a target URL: ws:// or tcp://, with a port, on loopback. Returns its transport. */
export function checkTargetUrl(raw: string): TransportKind {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BenchArgsError('bad_url', `--url "${raw}" is not a URL`);
  }
  const transport = url.protocol === 'ws:' ? 'ws' : url.protocol === 'tcp:' ? 'tcp' : null;
  if (transport === null) {
    throw new BenchArgsError('bad_url', `--url must start with ws:// or tcp://, got "${raw}"`);
  }
  if (!isLoopbackHost(url.hostname)) {
    throw new BenchArgsError(
      'non_loopback_url',
      `refusing --url ${raw}: the load generator only targets servers on this machine ` +
        '(localhost, 127.0.0.0/8, ::1)',
    );
  }
  if (url.port === '') throw new BenchArgsError('bad_url', `--url ${raw} needs a port`);
  return transport;
}

/** Parses argv (without node and script); throws BenchArgsError. Returns null for --help. */
export function parseArgs(argv: readonly string[]): BenchOptions | null {
  let users: number | null = null;
  let transport: TransportKind | null = null;
  const options: BenchOptions = {
    workload: 'w1',
    transport: 'ws',
    url: null,
    serverPid: null,
    users: 0,
    rate: 1000,
    durationS: 10,
    drainS: 15,
    peers: 8,
    ackMs: 500,
    connections: 1000,
    workers: null,
    jsonPath: null,
    pin: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return null;
    if (arg === '--no-pin') {
      options.pin = false;
      continue;
    }
    if (!arg.startsWith('--')) throw new BenchArgsError('unknown_flag', `unexpected "${arg}"`);
    const eq = arg.indexOf('=');
    const flag = arg.slice(2, eq === -1 ? undefined : eq);
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new BenchArgsError('bad_value', `--${flag} needs a value`);
    switch (flag) {
      case 'workload':
        if (value !== 'w1' && value !== 'w2') {
          throw new BenchArgsError('bad_value', '--workload must be w1 or w2');
        }
        options.workload = value;
        break;
      case 'transport':
        if (value !== 'ws' && value !== 'tcp') {
          throw new BenchArgsError('bad_value', '--transport must be ws or tcp');
        }
        transport = value;
        break;
      case 'url':
        options.url = value;
        break;
      case 'server-pid':
        options.serverPid = int(flag, value, LIMITS.serverPid);
        break;
      case 'users':
        users = int(flag, value, LIMITS.users);
        break;
      case 'rate':
        options.rate = int(flag, value, LIMITS.rate);
        break;
      case 'duration':
        options.durationS = int(flag, value, LIMITS.durationS);
        break;
      case 'drain':
        options.drainS = int(flag, value, LIMITS.drainS);
        break;
      case 'peers':
        options.peers = int(flag, value, LIMITS.peers);
        break;
      case 'ack-ms':
        options.ackMs = int(flag, value, LIMITS.ackMs);
        break;
      case 'connections':
        options.connections = int(flag, value, LIMITS.connections);
        break;
      case 'workers':
        options.workers = int(flag, value, LIMITS.workers);
        break;
      case 'json':
        options.jsonPath = value;
        break;
      default:
        throw new BenchArgsError('unknown_flag', `unknown flag --${flag} (see --help)`);
    }
  }
  if (options.url !== null) {
    const implied = checkTargetUrl(options.url);
    if (transport !== null && transport !== implied) {
      throw new BenchArgsError('bad_value', `--transport ${transport} does not match --url`);
    }
    transport = implied;
  } else if (options.serverPid !== null) {
    throw new BenchArgsError('bad_value', '--server-pid goes with --url');
  }
  options.transport = transport ?? 'ws';
  options.users =
    users ?? (options.workload === 'w1' ? 200 : Math.max(1, Math.min(options.connections, 50)));
  return options;
}
