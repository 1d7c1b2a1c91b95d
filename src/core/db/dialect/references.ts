import { sql, type Kysely } from 'kysely';
import { engineOf } from './engine';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema: a restored copy, the app's, a test's
type AnyDb = Kysely<any>;

/**
 * References that PostgreSQL checks once per statement by a trigger instead of by a foreign key (migration
 * 2026_12_09_1100_dossier_import_refs; SQLite keeps the foreign keys). A trigger holds for the statements that run
 * while it exists, not for rows loaded before it, as pg_restore loads a dump (data first, triggers after): whatever
 * checks a restored copy's foreign keys checks these too.
 */
export const TRIGGER_CHECKED_REFERENCES = [
  { table: 'dossiers', column: 'created_import_id', parent: 'dossier_imports' },
  { table: 'dossiers', column: 'updated_import_id', parent: 'dossier_imports' },
] as const;

export interface Orphans {
  table: string;
  column: string;
  parent: string;
  rows: number;
}

/** The rows whose trigger-checked reference points nowhere (none on SQLite, whose foreign keys hold them). */
export async function triggerCheckedOrphans(db: AnyDb): Promise<Orphans[]> {
  if (engineOf(db) !== 'postgres') return [];
  const found: Orphans[] = [];
  for (const r of TRIGGER_CHECKED_REFERENCES) {
    const exists = await sql<{ t: string | null }>`select to_regclass(${r.table})::text as t`.execute(db);
    if (!exists.rows[0]?.t) continue;
    const { rows } = await sql<{ n: number | string }>`
      select count(*) as n from ${sql.table(r.table)} c
      where c.${sql.ref(r.column)} is not null and not exists (select 1 from ${sql.table(r.parent)} p where p.id = c.${sql.ref(r.column)})`.execute(db);
    const n = Number(rows[0].n);
    if (n > 0) found.push({ ...r, rows: n });
  }
  return found;
}

/** Fails with the first orphan found: for a dump restored into a copy, before anything relies on it. */
export async function assertNoTriggerCheckedOrphans(db: AnyDb, what: string): Promise<void> {
  const [first] = await triggerCheckedOrphans(db);
  if (first) throw new Error(`${what}: ${first.rows} rows of ${first.table}.${first.column} point to no row of ${first.parent}`);
}
