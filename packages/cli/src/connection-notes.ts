/**
 * What long-running commands (chat, listen) say about the connection. The SDK reports every
 * failed reconnect attempt as a state change; a person needs one line when the connection is
 * lost (or, at start, cannot be made) and one when it is back, not a line per retry.
 */
import type { ConnectionState } from '@parley/client';

export type ConnectionNote =
  /** The connection was up and is gone. */
  | { kind: 'lost'; reason: string }
  /** No connection was made yet, and the first attempt failed. */
  | { kind: 'unreachable'; reason: string }
  /** Online (again) after one of the above. */
  | { kind: 'back' };

export class ConnectionNotes {
  private wasOnline: boolean;
  private down = false;

  /** `current`: the client's state when the notes start (online or not yet). */
  constructor(current: ConnectionState) {
    this.wasOnline = current.status === 'online';
  }

  /** The note this state change deserves, or null when it changes nothing a person cares about. */
  next(state: ConnectionState): ConnectionNote | null {
    if (state.status === 'reconnecting' && !this.down) {
      this.down = true;
      return { kind: this.wasOnline ? 'lost' : 'unreachable', reason: state.lastError };
    }
    if (state.status !== 'online') return null;
    this.wasOnline = true;
    if (!this.down) return null;
    this.down = false;
    return { kind: 'back' };
  }
}
