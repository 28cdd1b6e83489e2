/**
 * Composition root: builds the store, bus, domain services and gateways from a Config and starts
 * listening. Nothing else in the server wires adapters together.
 */
import type { Config, ConfigInput } from './config.js';

export interface RunningServer {
  config: Config;
  /** http://host:port: the web client, /healthz, /readyz, /metrics. */
  httpUrl: string;
  /** ws://host:port/ws */
  wsUrl: string;
  /** tcp://host:port */
  tcpUrl: string;
  /** Graceful stop: stop accepting, drain connections, flush writes, close the store. */
  stop(): Promise<void>;
}

export async function startServer(
  _input: ConfigInput = {},
  _env: Record<string, string | undefined> = {},
): Promise<RunningServer> {
  throw new Error('not implemented yet');
}
