/**
 * The interface language: English or Simplified Chinese, following the browser unless the person
 * chose one. Components read strings as `t.key` (or `t.key(args)`), so a missing or misspelled
 * key is a type error, and every dictionary must have every key (see `Messages`).
 */
import { createContext, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { usePreferences, type LocalePreference } from '../state/preferences.js';
import { en, type Messages } from './en.js';
import { zhCN } from './zh-cn.js';
import { createFormatters, type Formatters } from './format.js';

export type Locale = 'en' | 'zh-CN';

const dictionaries: Record<Locale, Messages> = { en, 'zh-CN': zhCN };

/** The locale a preference stands for; "system" follows the browser's language list. */
export function resolveLocale(
  preference: LocalePreference,
  languages: readonly string[] = navigator.languages,
): Locale {
  if (preference !== 'system') return preference;
  for (const language of languages) {
    const lower = language.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

export interface I18n {
  locale: Locale;
  t: Messages;
  fmt: Formatters;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const { locale: preference } = usePreferences();
  const locale = resolveLocale(preference);
  const value = useMemo<I18n>(
    () => ({ locale, t: dictionaries[locale], fmt: createFormatters(locale) }),
    [locale],
  );
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
