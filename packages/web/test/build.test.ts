/**
 * The built client stays light: what a first visit downloads (the entry script and everything
 * it imports up front, not the chunks loaded later on demand) is under 300 KB gzipped.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { WEB_DIR, ensureBuilt } from './support/harness.js';

const BUDGET_BYTES = 300 * 1024;

it('keeps the first load under 300 KB of gzipped JavaScript', () => {
  ensureBuilt();
  const html = readFileSync(join(WEB_DIR, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="\/([^"]+\.js)"/g)].map(
    (m) => m[1]!,
  );
  assert.ok(scripts.length > 0, 'index.html loads a script');
  const total = scripts.reduce(
    (sum, file) => sum + gzipSync(readFileSync(join(WEB_DIR, file)), { level: 9 }).length,
    0,
  );
  assert.ok(total < BUDGET_BYTES, `${Math.round(total / 1024)} KB gzipped`);
});
