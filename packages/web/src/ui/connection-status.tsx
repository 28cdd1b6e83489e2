/**
 * The connection state in words, with a coloured dot: connecting, updating, online, or offline
 * with the seconds until the next attempt (or that there is no network at all).
 */
import { useI18n } from '../i18n/i18n.js';
import { useClient } from '../state/client-context.js';
import { useNetworkOnline } from '../state/network.js';
import { useConnectionState, useSecondsUntil } from '../state/use-connection.js';

export function ConnectionStatus() {
  const { t } = useI18n();
  const state = useConnectionState(useClient());
  const seconds = useSecondsUntil(state.status === 'reconnecting' ? state.retryAt : null);
  const network = useNetworkOnline();
  let text: string;
  let tone: 'ok' | 'busy' | 'off';
  switch (state.status) {
    case 'online':
      text = t.connOnline;
      tone = 'ok';
      break;
    case 'syncing':
      text = t.connSyncing;
      tone = 'busy';
      break;
    case 'idle':
    case 'connecting':
    case 'unauthenticated':
      text = t.connConnecting;
      tone = 'busy';
      break;
    case 'reconnecting':
      // Without a network the countdown means nothing: the client reconnects when it is back.
      text = network ? t.connReconnecting(seconds) : t.connNoNetwork;
      tone = 'off';
      break;
    case 'closed':
      text = t.connClosed;
      tone = 'off';
      break;
    default: {
      const unhandled: never = state;
      return unhandled;
    }
  }
  return (
    <p className={`conn conn-${tone}`} role="status">
      <span className="conn-dot" aria-hidden="true" />
      {text}
    </p>
  );
}
