/**
 * A small built-in emoji picker: a few categories of common emoji in a grid. Arrow keys move
 * through the grid, Enter picks, Escape closes and returns focus to the emoji button. The tabs
 * and the grid are one Tab stop each (a roving tabindex), so Tab leaves the picker instead of
 * walking through every emoji. Loaded on first use, so it costs nothing on the first page load.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { useI18n } from '../i18n/i18n.js';
import type { Messages } from '../i18n/en.js';

type CategoryLabel = Extract<keyof Messages, `emoji${string}`>;

const CATEGORIES: {
  label: Exclude<CategoryLabel, 'emoji' | 'emojiPicker'>;
  icon: string;
  emoji: string;
}[] = [
  {
    label: 'emojiSmileys',
    icon: '😀',
    emoji:
      '😀 😃 😄 😁 😆 😅 🤣 😂 🙂 😉 😊 😇 🥰 😍 🤩 😘 😋 😛 😜 🤪 🤗 🤭 🤫 🤔 😐 😑 😏 😒 🙄 😬 😌 😔 😪 😴 😷 🤒 🥵 🥶 😵 🤯 🥳 😎 🤓 😕 😟 😮 😲 🥺 😢 😭 😱 😤 😡 🤬 😈 💀 🤡 👻',
  },
  {
    label: 'emojiPeople',
    icon: '👍',
    emoji:
      '👋 🤚 ✋ 👌 🤌 ✌️ 🤞 🤟 🤘 🤙 👈 👉 👆 👇 👍 👎 ✊ 👊 👏 🙌 👐 🤝 🙏 💪 🫶 👀 🧠 👶 🧒 👦 👧 🧑 👨 👩 🧓 👴 👵 🙋 🙆 🙅 🤷 🤦 💁 🙇 🏃 💃 🕺 👯',
  },
  {
    label: 'emojiNature',
    icon: '🐱',
    emoji:
      '🐶 🐱 🐭 🐹 🐰 🦊 🐻 🐼 🐨 🐯 🦁 🐮 🐷 🐸 🐵 🐔 🐧 🐦 🦆 🦉 🐺 🐴 🦄 🐝 🦋 🐢 🐍 🐙 🐬 🐳 🌵 🎄 🌲 🌳 🌴 🌱 🍀 🍁 🍂 🌷 🌹 🌸 🌼 🌻 🌞 🌝 🌙 ⭐ 🌈 ☀️ ⛅ 🌧️ ❄️ 🔥 💧 🌊',
  },
  {
    label: 'emojiFood',
    icon: '🍜',
    emoji:
      '🍏 🍎 🍐 🍊 🍋 🍌 🍉 🍇 🍓 🍒 🍑 🥭 🍍 🥝 🍅 🥑 🌽 🥕 🥔 🍞 🥐 🧀 🥚 🍳 🥓 🍔 🍟 🍕 🌭 🥪 🌮 🍜 🍝 🍣 🍱 🥟 🍚 🍛 🍲 🍥 🥮 🍡 🍦 🍰 🎂 🍫 🍬 🍭 🍩 🍪 ☕ 🍵 🧋 🍺 🍻 🥂 🍷',
  },
  {
    label: 'emojiActivities',
    icon: '⚽',
    emoji:
      '⚽ 🏀 🏈 ⚾ 🎾 🏐 🏓 🏸 🥊 🎯 🎳 🎮 🎲 🧩 🎨 🎬 🎤 🎧 🎼 🎹 🎸 🎻 🏆 🥇 🎉 🎊 🎁 🎈 🧧 🏮 🎆 🎇 ✈️ 🚗 🚲 🚀 🏠 🏖️ ⛰️ 💻 📱 📷 💡 📚 ✏️ 📌 📎 ✂️ 🔑 🔒 💰 💎 ⏰ 📅',
  },
  {
    label: 'emojiSymbols',
    icon: '❤️',
    emoji:
      '❤️ 🧡 💛 💚 💙 💜 🖤 🤍 🤎 💔 ❣️ 💕 💞 💓 💗 💖 💘 💝 💯 💢 💥 💫 💦 💨 💬 💭 💤 ✅ ❌ ❓ ❗ ⚠️ 🚫 ⭕ 🆗 🆒 🆕 🔝 ➕ ➖ ✔️ ☑️ 🔴 🟢 🔵 ⬆️ ⬇️ ➡️ ⬅️ 🔁 ♻️ 🎵 ™️ ©️',
  },
];

const COLUMNS = 8;

interface Props {
  id: string;
  onPick: (emoji: string) => void;
  /** `refocus`: return focus to the emoji button (closed from the keyboard). */
  onClose: (refocus: boolean) => void;
  anchor: RefObject<HTMLButtonElement | null>;
}

export default function EmojiPicker({ id, onPick, onClose, anchor }: Props) {
  const { t } = useI18n();
  const [category, setCategory] = useState(0);
  /** The grid's one tabbable emoji: the last one focused. */
  const [current, setCurrent] = useState(0);
  const root = useRef<HTMLDivElement>(null);
  const grid = useRef<HTMLDivElement>(null);
  const emoji = CATEGORIES[category]!.emoji.split(' ');

  useEffect(() => {
    grid.current?.querySelector<HTMLButtonElement>('button')?.focus();
  }, []);

  // Escape closes it wherever the focus is (after a pick the focus is back in the input).
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      event.preventDefault();
      onClose(root.current?.contains(document.activeElement) ?? false);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

  // A click anywhere else closes the picker (the emoji button toggles it itself).
  useEffect(() => {
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (root.current?.contains(target) || anchor.current?.contains(target)) return;
      onClose(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [onClose, anchor]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const buttons = [...(grid.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (index === -1) return;
    const step: Record<string, number> = {
      ArrowRight: 1,
      ArrowLeft: -1,
      ArrowDown: COLUMNS,
      ArrowUp: -COLUMNS,
    };
    const delta = step[event.key];
    if (delta === undefined) return;
    event.preventDefault();
    buttons[Math.max(0, Math.min(buttons.length - 1, index + delta))]?.focus();
  };

  return (
    <div
      ref={root}
      id={id}
      className="emoji-picker"
      role="dialog"
      aria-label={t.emojiPicker}
      onKeyDown={onKeyDown}
    >
      <div className="emoji-tabs" role="tablist" aria-label={t.emojiPicker}>
        {CATEGORIES.map((c, i) => {
          const name = t[c.label];
          return (
            <button
              key={c.label}
              type="button"
              role="tab"
              aria-selected={i === category}
              aria-label={name}
              title={name}
              tabIndex={i === category ? 0 : -1}
              onClick={() => {
                setCategory(i);
                setCurrent(0);
              }}
              onKeyDown={(e) => {
                if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
                  e.preventDefault();
                  const next =
                    (i + (e.key === 'ArrowRight' ? 1 : -1) + CATEGORIES.length) % CATEGORIES.length;
                  setCategory(next);
                  setCurrent(0);
                  const tabs = e.currentTarget.parentElement?.querySelectorAll('[role="tab"]');
                  (tabs?.[next] as HTMLElement | undefined)?.focus();
                }
              }}
            >
              <span aria-hidden="true">{c.icon}</span>
            </button>
          );
        })}
      </div>
      <div
        ref={grid}
        className="emoji-grid"
        role="group"
        aria-label={t[CATEGORIES[category]!.label]}
      >
        {emoji.map((e, i) => (
          <button
            key={e}
            type="button"
            className="emoji"
            tabIndex={i === current ? 0 : -1}
            onFocus={() => setCurrent(i)}
            onClick={() => onPick(e)}
          >
            {e}
          </button>
        ))}
      </div>
    </div>
  );
}
