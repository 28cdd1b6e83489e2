/**
 * Files (issue 10): one row per finished upload, and the attachment a message carries. Rows
 * point at blobs by SHA-256, so identical content uploaded twice is stored once and a blob is
 * deleted only when no row names it any more.
 */
import type { Kysely, Migration } from 'kysely';

// As in 001: migrations see the database as it was when they were written.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export function filesMigration(): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createTable('files')
        // Random and unguessable (not the hash: a hash would tell who holds the same content).
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id'))
        // The tus upload it came from: asking for an upload's file twice finds the same row.
        .addColumn('upload_id', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('mime', 'text', (c) => c.notNull())
        .addColumn('media', 'text', (c) => c.notNull())
        // SHA-256 of what a download returns (for images, the re-encoded file), hex.
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('width', 'integer')
        .addColumn('height', 'integer')
        .addColumn('thumb_sha256', 'text')
        .addColumn('thumb_width', 'integer')
        .addColumn('thumb_height', 'integer')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('files_sha256').on('files').column('sha256').execute();
      await db.schema
        .createIndex('files_thumb_sha256')
        .on('files')
        .column('thumb_sha256')
        .execute();

      // The attachment as sent (JSON), and its file id for "may this user download it".
      await db.schema.alterTable('messages').addColumn('attachment', 'text').execute();
      await db.schema.alterTable('messages').addColumn('file_id', 'text').execute();
      await db.schema.createIndex('messages_file_id').on('messages').column('file_id').execute();
    },

    async down(db: AnyDb): Promise<void> {
      await db.schema.dropIndex('messages_file_id').execute();
      await db.schema.alterTable('messages').dropColumn('file_id').execute();
      await db.schema.alterTable('messages').dropColumn('attachment').execute();
      await db.schema.dropTable('files').execute();
    },
  };
}
