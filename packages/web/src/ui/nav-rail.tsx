/**
 * The narrow left rail of the desktop layout: the person's avatar, the sections (Chats, Contacts
 * with a badge for friend requests waiting; groups get their place here when they exist), theme
 * and settings.
 */
import { useI18n } from '../i18n/i18n.js';
import { useClient } from '../state/client-context.js';
import { usePresence } from '../state/use-presence.js';
import type { User } from '../state/sdk.js';
import { Avatar } from './avatar.js';
import { ChatIcon, ContactsIcon, SettingsIcon } from './icons.js';
import { ThemeToggle } from './preference-switches.js';

export type Section = 'chats' | 'contacts';

export function NavRail({
  me,
  unread,
  requests,
  section,
  onSection,
  onSettings,
}: {
  me: User;
  unread: number;
  /** Friend requests waiting for the person's answer. */
  requests: number;
  section: Section;
  onSection: (section: Section) => void;
  onSettings: () => void;
}) {
  const { t } = useI18n();
  const own = usePresence(useClient(), me.id);
  return (
    <nav className="rail" aria-label={t.mainNavigation}>
      <button
        type="button"
        className="rail-me"
        aria-label={t.myAccount(me.username)}
        title={me.username}
        onClick={onSettings}
      >
        <Avatar name={me.username} size={38} status={own?.status ?? null} />
      </button>
      <ul className="rail-items">
        <li>
          <a
            className="rail-item"
            href="#chats"
            aria-current={section === 'chats' ? 'page' : undefined}
            aria-label={unread > 0 ? `${t.chats}, ${t.unreadCount(unread)}` : t.chats}
            title={t.chats}
            onClick={(e) => {
              e.preventDefault();
              onSection('chats');
            }}
          >
            <ChatIcon size={24} />
            {unread > 0 && (
              <span className="badge rail-badge" aria-hidden="true">
                {unread > 99 ? '99+' : unread}
              </span>
            )}
          </a>
        </li>
        <li>
          <a
            className="rail-item"
            href="#contacts"
            aria-current={section === 'contacts' ? 'page' : undefined}
            aria-label={requests > 0 ? t.contactsWithRequests(requests) : t.contacts}
            title={t.contacts}
            onClick={(e) => {
              e.preventDefault();
              onSection('contacts');
            }}
          >
            <ContactsIcon size={24} />
            {requests > 0 && (
              <span className="badge rail-badge" aria-hidden="true" data-testid="requests-badge">
                {requests > 99 ? '99+' : requests}
              </span>
            )}
          </a>
        </li>
      </ul>
      <div className="rail-bottom">
        <ThemeToggle className="rail-item" />
        <button
          type="button"
          className="rail-item"
          aria-label={t.settings}
          title={t.settings}
          onClick={onSettings}
        >
          <SettingsIcon size={22} />
        </button>
      </div>
    </nav>
  );
}
