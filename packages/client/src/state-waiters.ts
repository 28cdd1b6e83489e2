/**
 * Promises that settle when the connection reaches a state: `connect()` waits for a settled
 * state, requests made while offline wait for the connection (bounded by a timeout).
 */
import { ParleyError } from './errors.js';
import type { ConnectionState } from './types.js';

/** For a state: keep waiting, go ahead, or fail with this error. */
export type StateCheck = (state: ConnectionState) => 'wait' | 'ok' | ParleyError;

/** What a request needs before it can go out: a welcomed connection, or a session too. */
export type Gate = 'connection' | 'session';

export function gateCheck(gate: Gate): StateCheck {
  return (state) => {
    switch (state.status) {
      case 'syncing':
      case 'online':
        return 'ok';
      case 'unauthenticated':
        return gate === 'connection' ? 'ok' : new ParleyError('unauthenticated', 'not logged in');
      case 'idle':
        return new ParleyError('disconnected', 'not connected: call connect() first');
      case 'closed':
        return new ParleyError('disconnected', `not connected (${state.reason})`);
      default:
        return 'wait';
    }
  };
}

export class StateWaiters {
  private readonly waiters = new Set<(state: ConnectionState) => void>();

  /** Settles when `check` says so for the current or a later state, or fails after timeoutMs. */
  wait(
    current: () => ConnectionState,
    check: StateCheck,
    timeoutMs: number | null = null,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      const first = check(current());
      if (first === 'ok') return resolve();
      if (first !== 'wait') return reject(first);
      const timer =
        timeoutMs === null
          ? null
          : setTimeout(() => {
              this.waiters.delete(waiter);
              reject(new ParleyError('disconnected', `not connected within ${timeoutMs} ms`));
            }, timeoutMs);
      const waiter = (state: ConnectionState): void => {
        const result = check(state);
        if (result === 'wait') return;
        this.waiters.delete(waiter);
        if (timer) clearTimeout(timer);
        if (result === 'ok') resolve();
        else reject(result);
      };
      this.waiters.add(waiter);
    });
  }

  /** Tells every waiter the state changed. */
  notify(state: ConnectionState): void {
    for (const waiter of [...this.waiters]) waiter(state);
  }
}
