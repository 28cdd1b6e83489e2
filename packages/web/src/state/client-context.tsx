/**
 * Owns the page's SDK client: creates and connects it, closes it on unmount, and replaces it with
 * a fresh one after the session ends (log out, revoked elsewhere), so no state of the previous
 * account survives into the next.
 */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { followNetwork } from './network.js';
import { createClient, type ChatClient } from './sdk.js';

interface ClientContextValue {
  client: ChatClient;
  /** Why the previous session ended, when it ended without the person asking (shown at login). */
  endedReason: string | null;
  /** Drops `from` (if it is still the current client) and starts over with a fresh client. */
  restart(from: ChatClient, endedReason: string | null): void;
}

const ClientContext = createContext<ClientContextValue | null>(null);

export function ClientProvider({ children }: { children: ReactNode }) {
  const [current, setCurrent] = useState<{ client: ChatClient; endedReason: string | null }>(
    () => ({ client: createClient(), endedReason: null }),
  );
  const { client } = current;

  useEffect(() => {
    client.connect().catch(() => {
      // The connection state (reported through `state` events) tells the person what happened.
    });
    return () => client.close();
  }, [client]);
  useEffect(() => followNetwork(client), [client]);

  const restart = useCallback((from: ChatClient, endedReason: string | null) => {
    setCurrent((now) => (now.client === from ? { client: createClient(), endedReason } : now));
  }, []);

  return (
    <ClientContext.Provider value={{ client, endedReason: current.endedReason, restart }}>
      {children}
    </ClientContext.Provider>
  );
}

export function useClientContext(): ClientContextValue {
  const value = useContext(ClientContext);
  if (!value) throw new Error('useClientContext outside ClientProvider');
  return value;
}

export function useClient(): ChatClient {
  return useClientContext().client;
}
