/**
 * Contract cases: files (one per upload), who may read them, messages carrying them, and which
 * blobs a deleted file leaves unreferenced.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { it } from 'node:test';
import type { Attachment } from '@parley/protocol';
import type { NewFile } from '../../src/store/store.js';
import type { GetFixture } from './fixture.js';
import { T0, messageOf, msg } from './fixture.js';

const hex = () => randomBytes(32).toString('hex');

function newFile(ownerId: number, sha256 = hex(), thumb: string | null = null): NewFile {
  return {
    id: randomBytes(18).toString('base64url'),
    ownerId,
    uploadId: randomBytes(16).toString('hex'),
    name: 'photo.jpg',
    size: 1234,
    mime: thumb === null ? 'application/pdf' : 'image/jpeg',
    media: thumb === null ? 'file' : 'image',
    sha256,
    width: thumb === null ? null : 640,
    height: thumb === null ? null : 480,
    thumbnail: thumb === null ? null : { sha256: thumb, width: 320, height: 240 },
  };
}

function attachmentOf(file: NewFile): Attachment {
  return { kind: 'file', fileId: file.id, name: file.name, size: file.size, mime: file.mime };
}

export function fileCases(f: GetFixture): void {
  it('stores one file per upload: finishing an upload twice returns the first file', async () => {
    const { store } = f();
    const owner = await f().user();
    const file = newFile(owner.id, hex(), hex());
    const first = await store.createFile(file, T0);
    assert.deepEqual(first, { ...file, createdAt: T0 });
    const again = await store.createFile({ ...file, id: 'another-id' }, T0 + 1);
    assert.deepEqual(again, first);
    assert.deepEqual(await store.findFile(file.id), first);
    assert.deepEqual(await store.findFileByUpload(file.uploadId), first);
    assert.equal(await store.findFile('another-id'), null);
  });

  it('lets the uploader and members of a conversation carrying the file read it, nobody else', async () => {
    const { store } = f();
    const { a, b, conversationId } = await f().pair();
    const stranger = await f().user();
    const file = newFile(a.id);
    await store.createFile(file, T0);
    assert.equal((await store.readableFile(a.id, file.id))?.id, file.id);
    assert.equal(await store.readableFile(b.id, file.id), null, 'not sent yet');
    const [stored] = await store.appendMessages(
      [{ ...msg(conversationId, a.id, ''), attachment: attachmentOf(file) }],
      T0,
    );
    assert.deepEqual(messageOf(stored).attachment, attachmentOf(file));
    assert.equal((await store.readableFile(b.id, file.id))?.id, file.id);
    assert.equal(await store.readableFile(stranger.id, file.id), null);
    assert.equal(await store.readableFile(stranger.id, 'no-such-file'), null);
  });

  it('returns the attachment wherever the message is read: history, the update stream, the list', async () => {
    const { store } = f();
    const { a, b, conversationId } = await f().pair();
    const file = newFile(a.id);
    await store.createFile(file, T0);
    const [stored] = await store.appendMessages(
      [{ ...msg(conversationId, a.id, 'see this'), attachment: attachmentOf(file) }],
      T0,
    );
    const seq = messageOf(stored).seq;
    const page = await store.history({ conversationId, limit: 10 });
    assert.deepEqual(page.messages.at(-1)?.attachment, attachmentOf(file));
    const updates = await store.updatesSince(b.id, 0, 100);
    const pushed = updates.find((u) => u.update.kind === 'message')?.update;
    assert.ok(pushed?.kind === 'message' && pushed.message.seq === seq);
    assert.deepEqual(pushed.message.attachment, attachmentOf(file));
    const summary = await store.conversationFor(b.id, conversationId);
    assert.deepEqual(summary?.lastMessage?.attachment, attachmentOf(file));
    const plain = await store.appendMessages([msg(conversationId, a.id, 'plain')], T0);
    assert.equal('attachment' in messageOf(plain[0]), false, 'no attachment key without one');
  });

  it('frees a blob only when the last file naming it is deleted', async () => {
    const { store } = f();
    const owner = await f().user();
    const content = hex();
    const thumb = hex();
    const one = newFile(owner.id, content, thumb);
    const two = newFile(owner.id, content, thumb);
    await store.createFile(one, T0);
    await store.createFile(two, T0);
    assert.deepEqual(await store.deleteFile(one.id), []);
    assert.equal(await store.findFile(one.id), null);
    assert.equal((await store.findFile(two.id))?.sha256, content);
    assert.deepEqual((await store.deleteFile(two.id)).sort(), [content, thumb].sort());
    assert.deepEqual(await store.deleteFile(two.id), [], 'deleting twice frees nothing');
  });
}
