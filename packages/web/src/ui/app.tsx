/**
 * The top of the interface: applies the theme, then shows the login screen or the chats depending
 * on whether someone is signed in.
 */
import { useEffect } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { useTheme } from '../state/preferences.js';
import { useSession } from '../state/session.js';
import { AuthScreen } from './auth-screen.js';
import { ChatShell } from './chat-shell.js';
import { Logo } from './icons.js';

function useApplyTheme(): void {
  const theme = useTheme();
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.style.colorScheme = theme;
  }, [theme]);
}

export function App() {
  useApplyTheme();
  const session = useSession();
  const { t } = useI18n();
  if (session.phase === 'starting') {
    return (
      <div className="splash" role="status" aria-label={t.loading}>
        <Logo size={64} />
      </div>
    );
  }
  if (session.phase === 'signed-out') return <AuthScreen />;
  return <ChatShell key={session.user.id} me={session.user} />;
}
