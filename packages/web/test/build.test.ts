/**
 * The built client stays light: what a first visit downloads (the entry script and everything
 * it imports up front, not the chunks loaded later on demand) is under 300 KB gzipped, and the
 * build leaves brotli and gzip twins the server sends in its place.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
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

it('writes brotli and gzip twins of index.html and every script and stylesheet', () => {
  ensureBuilt();
  const assets = readdirSync(join(WEB_DIR, 'assets')).filter((f) => /\.(js|css)$/.test(f));
  assert.ok(assets.length > 0, 'the build has assets');
  for (const file of ['index.html', ...assets.map((f) => `assets/${f}`)]) {
    const original = readFileSync(join(WEB_DIR, file));
    const br = readFileSync(join(WEB_DIR, `${file}.br`));
    assert.ok(brotliDecompressSync(br).equals(original), `${file}.br`);
    assert.ok(gunzipSync(readFileSync(join(WEB_DIR, `${file}.gz`))).equals(original), `${file}.gz`);
    assert.ok(br.length < original.length, `${file}.br is smaller`);
  }
});
