/**
 * What long-running commands (chat, listen) say about the connection. The SDK reports every
 * failed reconnect attempt as a state change; a person needs one line when the connection is
 * lost and one when it is back, not a line per retry while the server is down.
 */
import type { ConnectionState } from '@parley/client';

export type ConnectionNote = { kind: 'lost'; reason: string } | { kind: 'back' };

export class ConnectionNotes {
  private lost = false;

  /** The note this state change deserves, or null when it changes nothing a person cares about. */
  next(state: ConnectionState): ConnectionNote | null {
    if (state.status === 'reconnecting' && !this.lost) {
      this.lost = true;
      return { kind: 'lost', reason: state.lastError };
    }
    if (state.status === 'online' && this.lost) {
      this.lost = false;
      return { kind: 'back' };
    }
    return null;
  }
}
