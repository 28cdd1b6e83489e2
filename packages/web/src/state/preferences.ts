/**
 * The person's interface choices (theme, language, whether we already asked about notifications),
 * kept in localStorage and shared by every component through one tiny external store.
 */
import { useSyncExternalStore } from 'react';

export type ThemePreference = 'system' | 'light' | 'dark';
export type LocalePreference = 'system' | 'en' | 'zh-CN';
export type Theme = 'light' | 'dark';

export interface Preferences {
  theme: ThemePreference;
  locale: LocalePreference;
  /** The person answered (or dismissed) our notification prompt: do not ask again. */
  notificationPromptDone: boolean;
}

const KEY = 'parley.preferences';
const DEFAULTS: Preferences = { theme: 'system', locale: 'system', notificationPromptDone: false };

function read(): Preferences {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return DEFAULTS;
    const parsed = JSON.parse(raw) as Partial<Preferences>;
    return {
      theme: ['light', 'dark', 'system'].includes(parsed.theme ?? '') ? parsed.theme! : 'system',
      locale: ['en', 'zh-CN', 'system'].includes(parsed.locale ?? '') ? parsed.locale! : 'system',
      notificationPromptDone: parsed.notificationPromptDone === true,
    };
  } catch {
    // Storage disabled or a corrupt value: fall back to defaults rather than fail to start.
    return DEFAULTS;
  }
}

let current = read();
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function updatePreferences(change: Partial<Preferences>): void {
  current = { ...current, ...change };
  try {
    localStorage.setItem(KEY, JSON.stringify(current));
  } catch {
    // Not persisted (private mode, quota); the choice still holds for this page.
  }
  for (const listener of listeners) listener();
}

export function usePreferences(): Preferences {
  return useSyncExternalStore(subscribe, () => current);
}

const darkQuery = (): MediaQueryList => window.matchMedia('(prefers-color-scheme: dark)');

function subscribeSystemTheme(listener: () => void): () => void {
  const query = darkQuery();
  query.addEventListener('change', listener);
  return () => query.removeEventListener('change', listener);
}

/** The theme in effect: the person's choice, or the system's when they left it to the system. */
export function useTheme(): Theme {
  const { theme } = usePreferences();
  const systemDark = useSyncExternalStore(subscribeSystemTheme, () => darkQuery().matches);
  return theme === 'system' ? (systemDark ? 'dark' : 'light') : theme;
}
