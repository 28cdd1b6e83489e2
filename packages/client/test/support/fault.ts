/**
 * A transport wrapper that plays a bad network around a real transport: cut the current link,
 * refuse new ones, or swallow frames from the server (a lost ack, a half-open connection).
 */
import type { Transport, TransportFactory } from '../../src/index.js';

export interface FaultyNetwork {
  transport: TransportFactory;
  /** Cuts the current link, as a dropped network would. */
  cut(): void;
  /** While true, new links fail to open. */
  offline: boolean;
  /**
   * Called with each frame from the server: return 'drop' to swallow it, 'cut' to swallow it and
   * cut the link right after.
   */
  filter: ((text: string) => 'pass' | 'drop' | 'cut') | null;
  /** Called with each frame from the server that passed: returns the text the client gets. */
  rewrite: ((text: string) => string) | null;
}

export function faultyNetwork(inner: TransportFactory): FaultyNetwork {
  let current: { transport: Transport; fail: (reason: string) => void } | null = null;
  const network: FaultyNetwork = {
    offline: false,
    filter: null,
    rewrite: null,
    cut: () => current?.fail('network cut'),
    transport: (url, handlers) => {
      let closed = false;
      let link: Transport | null = null;
      const fail = (reason: string): void => {
        if (closed) return;
        closed = true;
        link?.close();
        handlers.onClose(reason);
      };
      if (network.offline) {
        setTimeout(() => fail('network unreachable'), 0);
        return { send: () => undefined, close: () => fail('closed') };
      }
      const opened = inner(url, {
        onOpen: () => handlers.onOpen(),
        onFrame: (text) => {
          if (closed) return;
          const verdict = network.filter?.(text) ?? 'pass';
          if (verdict === 'pass') handlers.onFrame(network.rewrite?.(text) ?? text);
          if (verdict === 'cut') fail('network cut');
        },
        onClose: (reason) => fail(reason),
      });
      link = opened;
      const transport: Transport = {
        send: (text) => {
          if (!closed) opened.send(text);
        },
        close: () => fail('closed by the client'),
      };
      current = { transport, fail };
      return transport;
    },
  };
  return network;
}

/** The frame's type, for filters. */
export function frameType(text: string): string {
  return (JSON.parse(text) as { type: string }).type;
}
