import type { Selectable } from 'kysely';
import type { Db } from '../db/database';
import type { FilesTable } from '../db/schema';

export type FileRow = Selectable<FilesTable>;

/** One row per stored content; storing the same content again changes nothing. */
export async function insertFileIfAbsent(db: Db, row: FileRow): Promise<void> {
  await db
    .insertInto('files')
    .values(row)
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
}

export function findFile(db: Db, sha256: string): Promise<FileRow | undefined> {
  return db.selectFrom('files').select(['sha256', 'size', 'mime', 'ext', 'created_at']).where('sha256', '=', sha256).executeTakeFirst();
}
