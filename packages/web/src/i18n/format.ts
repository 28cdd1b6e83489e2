/**
 * Localized dates and times through Intl: the clock time of a message, the short time of the
 * conversation list, and the day separators of the chat.
 */
import type { Locale } from './i18n.js';

const DAY_MS = 24 * 60 * 60 * 1000;

function startOfDay(ts: number): number {
  const d = new Date(ts);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** Whole calendar days between two instants in local time (0 = same day, 1 = yesterday). */
export function daysBetween(earlier: number, later: number): number {
  return Math.round((startOfDay(later) - startOfDay(earlier)) / DAY_MS);
}

export function sameDay(a: number, b: number): boolean {
  return startOfDay(a) === startOfDay(b);
}

export interface Formatters {
  /** 14:05 / 下午2:05 as the locale writes it. */
  time(ts: number): string;
  /** Conversation list: the time today, "Yesterday", a weekday this week, else the date. */
  listTime(ts: number, now: number): string;
  /** Day separator: "Today", "Yesterday", "Monday, March 3" or with the year when not this year. */
  day(ts: number, now: number): string;
  /** Full date and time for tooltips. */
  full(ts: number): string;
}

export function createFormatters(locale: Locale): Formatters {
  const time = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' });
  const weekdayShort = new Intl.DateTimeFormat(locale, { weekday: 'short' });
  const monthDay = new Intl.DateTimeFormat(locale, { month: 'numeric', day: 'numeric' });
  const fullDate = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  });
  const dayLong = new Intl.DateTimeFormat(locale, {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
  });
  const dayLongYear = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
  });
  const full = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short' });
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const capitalize = (s: string): string => s.charAt(0).toLocaleUpperCase(locale) + s.slice(1);

  return {
    time: (ts) => time.format(ts),
    listTime(ts, now) {
      const days = daysBetween(ts, now);
      if (days <= 0) return time.format(ts);
      if (days === 1) return capitalize(relative.format(-1, 'day'));
      if (days < 7) return weekdayShort.format(ts);
      if (new Date(ts).getFullYear() === new Date(now).getFullYear()) return monthDay.format(ts);
      return fullDate.format(ts);
    },
    day(ts, now) {
      const days = daysBetween(ts, now);
      if (days <= 1 && days >= 0) return capitalize(relative.format(-days, 'day'));
      if (new Date(ts).getFullYear() === new Date(now).getFullYear()) return dayLong.format(ts);
      return dayLongYear.format(ts);
    },
    full: (ts) => full.format(ts),
  };
}
