/**
 * Text typed into a composer and not sent, per user and conversation, for this page's lifetime
 * only (never written to storage): it survives switching conversations, and is dropped with the
 * rest of a user's unsent text when they choose to discard it after being signed out.
 */
const drafts = new Map<string, string>();

export function draftKey(userId: number, conversationId: number): string {
  return `${userId}:${conversationId}`;
}

export function readDraft(key: string): string {
  return drafts.get(key) ?? '';
}

/** Keeps `text` as the draft (an empty text removes it). */
export function saveDraft(key: string, text: string): void {
  if (text) drafts.set(key, text);
  else drafts.delete(key);
}

/** Drops every draft of `userId`. */
export function discardDrafts(userId: number): void {
  for (const key of [...drafts.keys()]) if (key.startsWith(`${userId}:`)) drafts.delete(key);
}
