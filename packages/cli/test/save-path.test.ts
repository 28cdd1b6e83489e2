/**
 * Names chosen by a sender, as a file system and a terminal get them. The server already refuses
 * control characters and strips directories; the terminal client does not rely on that.
 */
import assert from 'node:assert/strict';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { attachmentText } from '../src/files/attachment-text.js';
import { claimSavePath, safeFileName } from '../src/files/save-path.js';
import { tempDir } from './support/cli.js';

const EVIL = '../../evil\u001b]2;x\u0007.txt';

describe('file names from a sender', () => {
  it('become a plain name inside the target directory, never over an existing file', async () => {
    const dir = tempDir();
    try {
      assert.equal(safeFileName(EVIL), '_.._evil_]2;x_.txt');
      assert.equal(safeFileName('..'), 'file');
      assert.equal(safeFileName('a\\b/c'), 'a_b_c');
      const first = await claimSavePath(EVIL, dir);
      assert.equal(first, join(dir, '_.._evil_]2;x_.txt'));
      writeFileSync(first, 'kept');
      const second = await claimSavePath(EVIL, dir);
      assert.equal(second, join(dir, '_.._evil_]2;x_ (1).txt'));
      assert.deepEqual(readdirSync(dir).sort(), ['_.._evil_]2;x_ (1).txt', '_.._evil_]2;x_.txt']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are shown with their control characters made visible', () => {
    const text = attachmentText({
      kind: 'file',
      fileId: 'f',
      name: EVIL,
      size: 2_100_000,
      mime: 'text/plain',
    });
    assert.equal(text, '[file] ../../evil^[]2;x^G.txt (2.1 MB)');
    assert.ok(![...text].some((ch) => ch.charCodeAt(0) < 0x20), 'no control character');
    const image = {
      kind: 'image',
      fileId: 'i',
      name: 'cat.jpg',
      size: 1_200_000,
      mime: 'image/jpeg',
      width: 800,
      height: 600,
    } as const;
    assert.equal(attachmentText(image), '[image] cat.jpg (1.2 MB, 800×600)');
    assert.equal(
      attachmentText({
        kind: 'voice',
        fileId: 'v',
        name: 'voice.webm',
        size: 9,
        mime: 'audio/webm',
        durationMs: 5000,
      }),
      '[voice] 0:05',
    );
  });
});
