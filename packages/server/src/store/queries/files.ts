/**
 * Files: finished uploads, who may read them, and which blobs are still named by some file.
 * Blobs are shared by content (SHA-256); rows are per upload.
 */
import type { FileRecord, NewFile } from '../store.js';
import type { FileRow } from '../schema.js';
import { inTransaction } from './context.js';
import type { QueryContext } from './context.js';

function toFile(row: FileRow): FileRecord {
  return {
    id: row.id,
    ownerId: row.owner_id,
    uploadId: row.upload_id,
    name: row.name,
    size: row.size,
    mime: row.mime,
    media: row.media,
    sha256: row.sha256,
    width: row.width,
    height: row.height,
    thumbnail:
      row.thumb_sha256 === null || row.thumb_width === null || row.thumb_height === null
        ? null
        : { sha256: row.thumb_sha256, width: row.thumb_width, height: row.thumb_height },
    createdAt: row.created_at,
  };
}

export async function createFile(
  ctx: QueryContext,
  file: NewFile,
  now: number,
): Promise<FileRecord> {
  await ctx.db
    .insertInto('files')
    .values({
      id: file.id,
      owner_id: file.ownerId,
      upload_id: file.uploadId,
      name: file.name,
      size: file.size,
      mime: file.mime,
      media: file.media,
      sha256: file.sha256,
      width: file.width,
      height: file.height,
      thumb_sha256: file.thumbnail?.sha256 ?? null,
      thumb_width: file.thumbnail?.width ?? null,
      thumb_height: file.thumbnail?.height ?? null,
      created_at: now,
    })
    .onConflict((oc) => oc.column('upload_id').doNothing())
    .execute();
  const stored = await findFileByUpload(ctx, file.uploadId);
  if (stored === null) throw new Error(`file of upload ${file.uploadId} vanished`);
  return stored;
}

export async function findFile({ db }: QueryContext, fileId: string): Promise<FileRecord | null> {
  const row = await db.selectFrom('files').selectAll().where('id', '=', fileId).executeTakeFirst();
  return row === undefined ? null : toFile(row);
}

export async function findFileByUpload(
  { db }: QueryContext,
  uploadId: string,
): Promise<FileRecord | null> {
  const row = await db
    .selectFrom('files')
    .selectAll()
    .where('upload_id', '=', uploadId)
    .executeTakeFirst();
  return row === undefined ? null : toFile(row);
}

export async function readableFile(
  { db }: QueryContext,
  userId: number,
  fileId: string,
): Promise<FileRecord | null> {
  const row = await db
    .selectFrom('files as f')
    .selectAll('f')
    .where('f.id', '=', fileId)
    .where((eb) =>
      eb.or([
        eb('f.owner_id', '=', userId),
        eb.exists(
          eb
            .selectFrom('messages as m')
            .innerJoin('conversation_members as cm', 'cm.conversation_id', 'm.conversation_id')
            .select('m.seq')
            .whereRef('m.file_id', '=', 'f.id')
            .where('cm.user_id', '=', userId),
        ),
      ]),
    )
    .executeTakeFirst();
  return row === undefined ? null : toFile(row);
}

export async function deleteFile(ctx: QueryContext, fileId: string): Promise<string[]> {
  return inTransaction(ctx, async (trx) => {
    const row = await trx
      .deleteFrom('files')
      .where('id', '=', fileId)
      .returning(['sha256', 'thumb_sha256'])
      .executeTakeFirst();
    if (row === undefined) return [];
    const blobs = [row.sha256, ...(row.thumb_sha256 === null ? [] : [row.thumb_sha256])];
    const unreferenced: string[] = [];
    for (const sha256 of new Set(blobs)) {
      const other = await trx
        .selectFrom('files')
        .select('id')
        .where((eb) => eb.or([eb('sha256', '=', sha256), eb('thumb_sha256', '=', sha256)]))
        .limit(1)
        .executeTakeFirst();
      if (other === undefined) unreferenced.push(sha256);
    }
    return unreferenced;
  });
}
