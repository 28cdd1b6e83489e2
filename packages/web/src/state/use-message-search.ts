/**
 * Searching the user's messages as they type in the list's search box: asks the server a
 * moment after the last keystroke, and shows only the answer to the newest query.
 */
import { useEffect, useState } from 'react';
import type { ChatClient, SearchResult } from './sdk.js';

export type MessageSearch =
  | { status: 'idle' }
  | { status: 'searching' }
  | { status: 'done'; results: SearchResult[] }
  | { status: 'failed' };

/** Typing pauses this long before a query goes to the server. */
const DEBOUNCE_MS = 250;

export function useMessageSearch(client: ChatClient, query: string): MessageSearch {
  const [state, setState] = useState<MessageSearch>({ status: 'idle' });
  const wanted = query.trim();
  useEffect(() => {
    if (wanted === '') {
      setState({ status: 'idle' });
      return;
    }
    let current = true;
    setState({ status: 'searching' });
    const timer = setTimeout(() => {
      client.search(wanted, { limit: 30 }).then(
        (page) => {
          if (current) setState({ status: 'done', results: page.results });
        },
        () => {
          // A query with nothing to search for (punctuation) is refused: show no results.
          if (current) setState({ status: 'failed' });
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [client, wanted]);
  return state;
}
