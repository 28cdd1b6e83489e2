/**
 * Compact language and theme switches, for places without the settings dialog (the login screen)
 * and for the rail's theme button.
 */
import { useI18n } from '../i18n/i18n.js';
import {
  updatePreferences,
  usePreferences,
  useTheme,
  type LocalePreference,
} from '../state/preferences.js';
import { MoonIcon, SunIcon } from './icons.js';

export function ThemeToggle({ className = 'icon-btn' }: { className?: string }) {
  const { t } = useI18n();
  const theme = useTheme();
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className={className}
      aria-label={next === 'dark' ? t.switchToDark : t.switchToLight}
      title={next === 'dark' ? t.switchToDark : t.switchToLight}
      onClick={() => updatePreferences({ theme: next })}
    >
      {theme === 'dark' ? <SunIcon /> : <MoonIcon />}
    </button>
  );
}

export function LanguageSelect() {
  const { t } = useI18n();
  const { locale } = usePreferences();
  return (
    <select
      className="select"
      aria-label={t.language}
      value={locale}
      onChange={(e) => updatePreferences({ locale: e.target.value as LocalePreference })}
    >
      <option value="system">{t.languageSystem}</option>
      <option value="en">English</option>
      <option value="zh-CN">简体中文</option>
    </select>
  );
}

export function PreferenceSwitches() {
  return (
    <div className="pref-switches">
      <LanguageSelect />
      <ThemeToggle />
    </div>
  );
}
