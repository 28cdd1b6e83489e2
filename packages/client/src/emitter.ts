/**
 * A small typed event emitter over ClientEvents. A handler that throws does not stop the others
 * or the SDK: its error is rethrown on a fresh task, where the host reports it as uncaught.
 */
import type { ClientEventHandler, ClientEventName, ClientEvents } from './types.js';

export class Emitter {
  private readonly handlers = new Map<ClientEventName, Set<(event: never) => void>>();

  on<E extends ClientEventName>(event: E, handler: ClientEventHandler<E>): () => void {
    let set = this.handlers.get(event);
    if (!set) {
      set = new Set();
      this.handlers.set(event, set);
    }
    set.add(handler);
    return () => {
      set.delete(handler);
    };
  }

  emit<E extends ClientEventName>(event: E, payload: ClientEvents[E]): void {
    const set = this.handlers.get(event);
    if (!set) return;
    for (const handler of [...set]) {
      try {
        (handler as ClientEventHandler<E>)(payload);
      } catch (error) {
        setTimeout(() => {
          throw error;
        }, 0);
      }
    }
  }
}
