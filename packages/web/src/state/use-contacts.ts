/** The person's contacts (friends, requests, blocked, privacy) from the SDK, kept current. */
import { useEffect, useState } from 'react';
import type { ChatClient, ContactsState, Friend } from './sdk.js';

export function useContacts(client: ChatClient): ContactsState {
  const [state, setState] = useState<ContactsState>(() => client.contactsState);
  useEffect(() => {
    setState(client.contactsState);
    return client.on('contacts', ({ contacts }) => setState(contacts));
  }, [client]);
  return state;
}

/** What the person calls a friend: their remark, else the username. */
export function friendLabel(friend: Friend): string {
  return friend.remark ?? friend.user.username;
}

/** Friends under their groupings, named groups in alphabetical order, ungrouped last. */
export function groupedFriends(
  friends: readonly Friend[],
): Array<{ grouping: string | null; friends: Friend[] }> {
  const groups = new Map<string | null, Friend[]>();
  for (const friend of friends) {
    const list = groups.get(friend.grouping) ?? [];
    list.push(friend);
    groups.set(friend.grouping, list);
  }
  const named = [...groups.keys()]
    .filter((g): g is string => g !== null)
    .sort((a, b) => a.localeCompare(b));
  return [...named, null]
    .filter((g) => groups.has(g))
    .map((grouping) => ({
      grouping,
      friends: [...groups.get(grouping)!].sort((a, b) =>
        friendLabel(a).localeCompare(friendLabel(b)),
      ),
    }));
}
