/**
 * A bus a test can break and slow down, standing in for a networked bus (which can fail and
 * answers over the network, so calls can finish late and out of order). It wraps the real
 * in-process bus: what it delivers, it delivers for real.
 */
import type { Bus, BusOptions } from '../../src/bus/bus.js';
import { createMemoryBus } from '../../src/bus/memory-bus.js';

type Op = 'subscribe' | 'unsubscribe';

export function createControlledBus() {
  const listeners: Array<{ op: Op; phase: 'called' | 'done'; resolve: () => void }> = [];
  const notify = (op: Op, phase: 'called' | 'done') => {
    for (const l of listeners.filter((x) => x.op === op && x.phase === phase)) {
      listeners.splice(listeners.indexOf(l), 1);
      l.resolve();
    }
  };
  const control = {
    /** Publishes reject while true. */
    failPublish: false,
    /** Ping rejects while true. */
    failPing: false,
    /** While set, subscribe / unsubscribe calls take effect only once it resolves. */
    gates: { subscribe: null, unsubscribe: null } as Record<Op, Promise<void> | null>,
    /** Resolves at the next call of `op` (`called`) or when it took effect (`done`). */
    next(op: Op, phase: 'called' | 'done'): Promise<void> {
      return new Promise((resolve) => listeners.push({ op, phase, resolve }));
    },
    createBus(options: BusOptions): Bus {
      const inner = createMemoryBus(options);
      const gated =
        (op: Op): Bus[Op] =>
        async (userId, handler) => {
          notify(op, 'called');
          await control.gates[op];
          await inner[op](userId, handler);
          notify(op, 'done');
        };
      return {
        async publish(message) {
          if (control.failPublish) throw new Error('bus unreachable');
          await inner.publish(message);
        },
        subscribe: gated('subscribe'),
        unsubscribe: gated('unsubscribe'),
        async ping() {
          if (control.failPing) throw new Error('bus unreachable');
          await inner.ping();
        },
        close: () => inner.close(),
      };
    },
  };
  return control;
}

/** A promise and the function that resolves it. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
