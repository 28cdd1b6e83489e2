/** The in-process Bus: one node, no network. Handlers run on a microtask, as a network bus would. */
import type { Bus, BusHandler, BusMessage } from './bus.js';

export function createMemoryBus(): Bus {
  const topics = new Map<number, Set<BusHandler>>();
  return {
    async publish(message: BusMessage) {
      const handlers = topics.get(message.userId);
      if (!handlers) return;
      for (const handler of handlers) queueMicrotask(() => handler(message));
    },
    async subscribe(userId, handler) {
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
    async close() {
      topics.clear();
    },
  };
}
