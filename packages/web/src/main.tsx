/** Entry point: preferences, language, the SDK client, then the app. */
import { createRoot } from 'react-dom/client';
import { I18nProvider } from './i18n/i18n.js';
import { ClientProvider } from './state/client-context.js';
import { App } from './ui/app.js';
// Order matters: the phone layout (in shell.css) overrides the chat and composer rules.
import './styles/theme.css';
import './styles/controls.css';
import './styles/auth.css';
import './styles/chat.css';
import './styles/composer.css';
import './styles/files.css';
import './styles/dialogs.css';
import './styles/shell.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');
createRoot(root).render(
  <I18nProvider>
    <ClientProvider>
      <App />
    </ClientProvider>
  </I18nProvider>,
);
