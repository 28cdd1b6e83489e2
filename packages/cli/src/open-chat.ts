/** Opens the one-to-one conversation a command names, with refusals a person can act on. */
import type { ConversationSummary, ParleyClient, User } from '@parley/client';
import { CliError, toCliError } from './cli-error.js';

export async function openChat(
  client: ParleyClient,
  me: User,
  username: string,
): Promise<ConversationSummary> {
  // The server refuses this too, but its wording names a protocol field.
  if (username === me.username) {
    throw new CliError(`you are ${me.username}: name the user to chat with`);
  }
  try {
    return await client.openDirect(username);
  } catch (error) {
    throw toCliError(error, username);
  }
}
