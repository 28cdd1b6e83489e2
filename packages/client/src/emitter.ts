/**
 * A small typed event emitter over an event map (ClientEvents by default; uploads have their own). A handler that throws does not stop the others
 * or the SDK: its error is rethrown on a fresh task, where the host reports it as uncaught.
 */
import type { ClientEvents } from './types.js';

export class Emitter<Events extends object = ClientEvents> {
  private readonly handlers = new Map<keyof Events, Set<(event: never) => void>>();

  on<E extends keyof Events>(event: E, handler: (event: Events[E]) => void): () => void {
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

  emit<E extends keyof Events>(event: E, payload: Events[E]): void {
    const set = this.handlers.get(event);
    if (!set) return;
    for (const handler of [...set]) {
      try {
        (handler as (event: Events[E]) => void)(payload);
      } catch (error) {
        setTimeout(() => {
          throw error;
        }, 0);
      }
    }
  }
}
