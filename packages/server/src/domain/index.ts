/** The domain services, built once by the composition root and shared by every session. */
import type { Accounts } from './accounts.js';
import type { ContactsService } from './contacts.js';
import type { Conversations } from './conversations.js';
import type { Messages } from './messages.js';
import type { PresenceService } from './presence.js';
import type { SearchService } from './search.js';
import type { Sync } from './sync.js';
import type { Typing } from './typing.js';

export interface Domain {
  accounts: Accounts;
  contacts: ContactsService;
  conversations: Conversations;
  messages: Messages;
  presence: PresenceService;
  search: SearchService;
  sync: Sync;
  typing: Typing;
}

export { DomainError } from './errors.js';
