/** How the terminal shows people: a friend by remark with the username beside it, requests. */
import type { Friend, FriendRequest } from '@parley/client';
import type { Style } from './format.js';
import { oneLine, visible } from './format.js';

/** "Remark (username)" or "username"; every part chosen by people, so made visible. */
export function friendName(friend: Friend, s: Style): string {
  const username = visible(friend.user.username, s.control);
  return friend.remark === null
    ? s.peer(username)
    : `${s.peer(visible(friend.remark, s.control))} ${s.dim(`(${username})`)}`;
}

/** Friends under their grouping headers (ungrouped last), one per line. */
export function friendLines(friends: readonly Friend[], s: Style): string[] {
  const groups = new Map<string | null, Friend[]>();
  for (const friend of friends) {
    const list = groups.get(friend.grouping) ?? [];
    list.push(friend);
    groups.set(friend.grouping, list);
  }
  const names = [...groups.keys()]
    .filter((g): g is string => g !== null)
    .sort((a, b) => a.localeCompare(b));
  const lines: string[] = [];
  for (const group of [...names, null]) {
    const members = groups.get(group);
    if (!members) continue;
    if (names.length > 0)
      lines.push(s.bold(group === null ? 'Ungrouped' : visible(group, s.control)));
    for (const f of members) lines.push(`${names.length > 0 ? '  ' : ''}${friendName(f, s)}`);
  }
  return lines;
}

/** One request: who, and the note on one line. */
export function requestLine(request: FriendRequest, who: 'from' | 'to', s: Style): string {
  const name = s.peer(visible(request[who].username, s.control));
  const note =
    request.note === '' ? '' : `  ${s.dim('“')}${oneLine(request.note, s.control)}${s.dim('”')}`;
  return `${name}${note}`;
}
