/** Who else is typing in a conversation, as React state, from the SDK's `typing` events. */
import { useEffect, useState } from 'react';
import type { ChatClient } from './sdk.js';

export function useTyping(client: ChatClient, conversationId: number): number[] {
  const [typing, setTyping] = useState<number[]>(() => client.typingIn(conversationId));
  useEffect(() => {
    setTyping(client.typingIn(conversationId));
    return client.on('typing', (event) => {
      if (event.conversationId === conversationId) setTyping(event.userIds);
    });
  }, [client, conversationId]);
  return typing;
}
