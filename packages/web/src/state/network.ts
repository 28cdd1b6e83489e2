/**
 * The browser's word on the network. It knows at once when the device loses its network (the
 * `offline` event) and when it is back (`online`), long before a heartbeat would notice the
 * silence (two heartbeats, about a minute) or a grown reconnect backoff would try again.
 */
import { useSyncExternalStore } from 'react';
import type { ChatClient } from './sdk.js';

/** Tells `client` of every network change; returns the function that stops. */
export function followNetwork(client: ChatClient): () => void {
  const lost = () => client.networkLost();
  // Reconnect now, or make sure a link that lived through the outage still answers.
  const back = () => void client.checkConnection();
  window.addEventListener('offline', lost);
  window.addEventListener('online', back);
  return () => {
    window.removeEventListener('offline', lost);
    window.removeEventListener('online', back);
  };
}

/** False while the browser says the device has no network at all. */
export function useNetworkOnline(): boolean {
  return useSyncExternalStore(subscribeNetwork, () => navigator.onLine);
}

function subscribeNetwork(onChange: () => void): () => void {
  window.addEventListener('offline', onChange);
  window.addEventListener('online', onChange);
  return () => {
    window.removeEventListener('offline', onChange);
    window.removeEventListener('online', onChange);
  };
}
