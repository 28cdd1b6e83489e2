/**
 * WCAG 2 contrast check of what is on screen: every visible element with text of its own is
 * measured against the colour actually behind it (translucent backgrounds composited up the
 * tree). Normal text needs 4.5:1, large text (24px, or 18.66px bold) 3:1. Disabled controls are
 * exempt, as WCAG says.
 */
import type { Page } from 'playwright-core';

export interface ContrastProblem {
  text: string;
  ratio: number;
  needed: number;
  color: string;
  background: string;
}

export function contrastProblems(page: Page): Promise<ContrastProblem[]> {
  return page.evaluate(() => {
    type Rgba = [number, number, number, number];
    const parse = (value: string): Rgba | null => {
      const rgb = value.match(/^rgba?\(([^)]+)\)$/);
      if (rgb) {
        const [r, g, b, a] = rgb[1]!
          .split(/[\s,/]+/)
          .filter(Boolean)
          .map(Number);
        return [r!, g!, b!, a ?? 1];
      }
      // color-mix() and friends compute to color(srgb r g b / a), channels in 0..1.
      const srgb = value.match(/^color\(srgb ([^)]+)\)$/);
      if (srgb) {
        const [r, g, b, a] = srgb[1]!
          .split(/[\s/]+/)
          .filter(Boolean)
          .map(Number);
        return [r! * 255, g! * 255, b! * 255, a ?? 1];
      }
      return null;
    };
    const over = (top: Rgba, bottom: Rgba): Rgba => {
      const a = top[3] + bottom[3] * (1 - top[3]);
      if (a === 0) return [0, 0, 0, 0];
      const mix = (i: number) => (top[i]! * top[3] + bottom[i]! * bottom[3] * (1 - top[3])) / a;
      return [mix(0), mix(1), mix(2), a];
    };
    const background = (el: Element | null): Rgba => {
      const layers: Rgba[] = [];
      for (let node = el; node; node = node.parentElement) {
        const color = parse(getComputedStyle(node).backgroundColor);
        if (color && color[3] > 0) {
          layers.push(color);
          if (color[3] >= 1) break;
        }
      }
      let result: Rgba = [255, 255, 255, 1];
      for (const layer of layers.reverse()) result = over(layer, result);
      return result;
    };
    const luminance = ([r, g, b]: Rgba) => {
      const f = (c: number) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const problems: {
      text: string;
      ratio: number;
      needed: number;
      color: string;
      background: string;
    }[] = [];
    for (const el of document.querySelectorAll('body *')) {
      const own = [...el.childNodes]
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent ?? '')
        .join('')
        .trim();
      if (!own) continue;
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      if (box.width < 2 || box.height < 2 || style.visibility !== 'visible') continue;
      if (el.closest('.sr-only, [aria-hidden="true"] .meta-spacer, .meta-spacer')) continue;
      if (el.closest(':disabled, [aria-disabled="true"]')) continue;
      if (box.bottom < 0 || box.top > innerHeight || box.right < 0 || box.left > innerWidth)
        continue;
      const fg = parse(style.color);
      if (!fg) continue;
      const bg = background(el);
      const text = over(fg, bg);
      const [hi, lo] = [luminance(text), luminance(bg)].sort((a, b) => b - a);
      const ratio = (hi! + 0.05) / (lo! + 0.05);
      const size = parseFloat(style.fontSize);
      const bold = Number(style.fontWeight) >= 700;
      const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
      if (ratio < needed) {
        problems.push({
          text: own.slice(0, 40),
          ratio: Math.round(ratio * 100) / 100,
          needed,
          color: style.color,
          background: `rgb(${bg.slice(0, 3).map(Math.round).join(', ')})`,
        });
      }
    }
    return problems;
  });
}
