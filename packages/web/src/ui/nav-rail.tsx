/**
 * The narrow left rail of the desktop layout: the person's avatar, the sections (only Chats for
 * now: friends and groups get their place here when they exist), theme and settings.
 */
import { useI18n } from '../i18n/i18n.js';
import { useClient } from '../state/client-context.js';
import { usePresence } from '../state/use-presence.js';
import type { User } from '../state/sdk.js';
import { Avatar } from './avatar.js';
import { ChatIcon, SettingsIcon } from './icons.js';
import { ThemeToggle } from './preference-switches.js';

export function NavRail({
  me,
  unread,
  onSettings,
}: {
  me: User;
  unread: number;
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
            aria-current="page"
            aria-label={unread > 0 ? `${t.chats}, ${t.unreadCount(unread)}` : t.chats}
            title={t.chats}
            onClick={(e) => e.preventDefault()}
          >
            <ChatIcon size={24} />
            {unread > 0 && (
              <span className="badge rail-badge" aria-hidden="true">
                {unread > 99 ? '99+' : unread}
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
