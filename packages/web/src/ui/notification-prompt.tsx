/**
 * A polite, dismissible offer to turn on desktop notifications. The browser's own permission
 * prompt only appears after the person clicks "Turn on"; "Not now" hides the offer for good (it
 * stays available in Settings).
 */
import { useI18n } from '../i18n/i18n.js';
import { requestNotificationPermission, useNotificationPermission } from '../state/attention.js';
import { updatePreferences, usePreferences } from '../state/preferences.js';
import { BellIcon } from './icons.js';

export function NotificationPrompt() {
  const { t } = useI18n();
  const { notificationPromptDone } = usePreferences();
  const permission = useNotificationPermission();
  if (notificationPromptDone || permission !== 'default') return null;
  const done = () => updatePreferences({ notificationPromptDone: true });
  return (
    <div className="prompt" role="region" aria-label={t.notifications}>
      <BellIcon size={18} />
      <p>{t.notifyPrompt}</p>
      <div className="prompt-actions">
        <button type="button" className="btn btn-small" onClick={done}>
          {t.notifyLater}
        </button>
        <button
          type="button"
          className="btn btn-small btn-primary"
          onClick={() => void requestNotificationPermission().finally(done)}
        >
          {t.notifyEnable}
        </button>
      </div>
    </div>
  );
}
