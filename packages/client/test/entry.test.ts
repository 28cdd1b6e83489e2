/**
 * The main entry is bundled into the web client: nothing it reaches may import a Node module
 * (or `ws`). Node-only code lives under src/node/; packages built for both may be imported.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]!);
}

it('keeps Node modules out of the browser entry', () => {
  const seen = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of importsOf(file)) {
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else external.add(spec);
    }
  };
  visit(join(src, 'index.ts'));
  assert.ok(seen.size > 5, 'the import graph was followed');
  // tus-js-client is for both: its package's `browser` field maps bundlers to its browser build.
  assert.deepEqual([...external].sort(), ['@parley/protocol', 'tus-js-client']);
});
