#!/usr/bin/env node
/**
 * Regenerates packages/server/src/domain/common-passwords-list.ts from zxcvbn's ranked password
 * list: `npm pack @zxcvbn-ts/language-common`, unpack it, then
 * `node scripts/common-passwords.mjs package/src/passwords.json`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { URL } from 'node:url';

const [source] = process.argv.slice(2);
if (!source) throw new Error('usage: node scripts/common-passwords.mjs path/to/passwords.json');
const target = new URL('../packages/server/src/domain/common-passwords-list.ts', import.meta.url);
const ranked = JSON.parse(readFileSync(source, 'utf8'));
const seen = new Set();
for (const password of ranked) {
  const lower = password.toLowerCase();
  // Shorter ones the length rule refuses; the rest must fit a template literal unescaped.
  if (lower.length < 8 || lower.length > 64 || !/^[\x21-\x7e]+$/.test(lower)) continue;
  if (/[`\\$]/.test(lower)) continue;
  seen.add(lower);
  if (seen.size === 5000) break;
}
const current = readFileSync(target, 'utf8');
const header = current.slice(0, current.indexOf('export const'));
writeFileSync(
  target,
  `${header}export const COMMON_PASSWORDS_TEXT = \`\n${[...seen].join('\n')}\n\`;\n`,
);
console.log(`wrote ${seen.size} passwords`);
