/** Binds a listener, and says which setting to change when the port or address cannot be had. */
import { once } from 'node:events';
import type { AddressInfo, Server } from 'node:net';
import { StartupError, errnoOf } from './startup-error.js';

export interface ListenTarget {
  port: number;
  host: string;
  /** The variable that sets the port, named in the error (PARLEY_PORT, PARLEY_TCP_PORT...). */
  portSetting: string;
}

export async function listen(server: Server, target: ListenTarget): Promise<AddressInfo> {
  server.listen(target.port, target.host);
  try {
    await once(server, 'listening');
  } catch (error) {
    throw listenError(error, target);
  }
  return server.address() as AddressInfo;
}

function listenError(error: unknown, { port, host, portSetting }: ListenTarget): Error {
  const where = `${host}:${port}`;
  switch (errnoOf(error)) {
    case 'EADDRINUSE':
      return new StartupError(portSetting, `port ${port} is already in use (${where})`, {
        cause: error,
      });
    case 'EACCES':
      return new StartupError(
        portSetting,
        `no permission to listen on port ${port} (below 1024 needs privileges; use a higher port behind a proxy)`,
        { cause: error },
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new StartupError('PARLEY_HOST', `this machine has no address ${host}`, {
        cause: error,
      });
    default:
      return error instanceof Error ? error : new Error(String(error));
  }
}
