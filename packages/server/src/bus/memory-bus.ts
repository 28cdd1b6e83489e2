/** The in-process Bus: one node, no network. Handlers run on a microtask, as a network bus would. */
import {
  BusClosedError,
  type Bus,
  type BusHandler,
  type BusMessage,
  type BusOptions,
} from './bus.js';

export function createMemoryBus({ onHandlerError }: BusOptions): Bus {
  const topics = new Map<number, Set<BusHandler>>();
  let closed = false;
  const deliver = (handler: BusHandler, message: BusMessage) => {
    // A handler that throws must not reach the event loop (it would kill the node) nor stop
    // the other handlers; and one that was unsubscribed meanwhile gets nothing.
    if (!topics.get(message.userId)?.has(handler)) return;
    try {
      handler(message);
    } catch (error) {
      onHandlerError(error);
    }
  };
  return {
    async publish(message: BusMessage) {
      if (closed) throw new BusClosedError();
      const handlers = topics.get(message.userId);
      if (!handlers) return;
      for (const handler of handlers) queueMicrotask(() => deliver(handler, message));
    },
    async subscribe(userId, handler) {
      if (closed) throw new BusClosedError();
      let handlers = topics.get(userId);
      if (!handlers) topics.set(userId, (handlers = new Set()));
      handlers.add(handler);
    },
    async unsubscribe(userId, handler) {
      const handlers = topics.get(userId);
      if (!handlers) return;
      handlers.delete(handler);
      if (handlers.size === 0) topics.delete(userId);
    },
    async ping() {
      if (closed) throw new BusClosedError();
    },
    async close() {
      closed = true;
      topics.clear();
    },
  };
}
