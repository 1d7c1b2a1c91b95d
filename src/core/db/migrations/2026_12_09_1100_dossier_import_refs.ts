import { sql, type Kysely } from 'kysely';
import { createTrigger, dropTrigger, refuse, suspendSetting } from '../dialect/ddl';
import { engineOf } from '../dialect/engine';

/**
 * PostgreSQL only: a dossier's two references to its imports (created_import_id, updated_import_id) are checked
 * once per statement instead of once per row, and the suspended summary triggers are no longer called per row.
 *
 * A foreign key checks each inserted row with its own lookup and row lock of dossier_imports: for the bulk import's
 * 10,000-row statements, the two references cost about 40 % of the inserts' database CPU (3.8 → 2.3 s per 100,000
 * rows, province data). The same guarantee, that a dossier never names a missing import, now holds by:
 * - dossier_imports is the import history: its rows are never deleted and their ids never change (refused below, as
 *   the audit log's rows are; TRUNCATE too). An import that exists when a dossier names it therefore always exists;
 * - every statement that inserts or updates dossiers checks, once, that every import id among its rows exists
 *   (an anti-join of the statement's distinct ids: one or two per import), and fails with foreign_key_violation.
 * Concurrent writers need no lock: an import visible to the check can no longer disappear; one not yet committed
 * by another transaction is not visible, so the check refuses the statement rather than let it through.
 *
 * The row triggers that keep the summary rows, held back by a bulk write (dialect/bulk.ts suspendTriggers), are
 * given a WHEN clause reading the same setting: PostgreSQL then skips them when the row is written instead of
 * queueing an event and calling the function, which returned at once, a million times.
 *
 * SQLite keeps its foreign keys (checked in process, without these costs) and needs none of this.
 */

const CHECK = 'dossiers_import_ids_exist';
const NO_DELETE = 'dossier_imports_no_delete';
const KEEP_ID = 'dossier_imports_keep_id';
const NO_TRUNCATE = 'dossier_imports_no_truncate';
const HISTORY = 'dossier_imports is the import history: its rows are never deleted and their ids never change';

/** The summary triggers of migration 2026_12_05_1000 (suspendable), as they are created there, plus their WHEN. */
const STATS = [
  { name: 'dossier_stats_on_insert', event: 'insert' },
  { name: 'dossier_stats_on_update', event: 'update of procedure_id, received_on, due_on, returned_on, outcome, channel' },
];

async function statsTriggers(db: Kysely<any>, when: boolean): Promise<void> {
  for (const t of STATS) {
    await sql.raw(`drop trigger ${t.name} on dossiers`).execute(db);
    const condition = when ? ` when (current_setting('${suspendSetting(t.name)}', true) is distinct from 'on')` : '';
    // The function (created by 2026_12_05_1000) still checks the setting itself: the WHEN clause only spares the call.
    await sql.raw(`create trigger ${t.name} after ${t.event} on dossiers for each row${condition} execute function ${t.name}()`).execute(db);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  if (engineOf(db) !== 'postgres') return;
  await createTrigger(db, NO_DELETE, 'before delete on dossier_imports', refuse(HISTORY));
  await createTrigger(db, KEEP_ID, 'before update of id on dossier_imports when old.id <> new.id', refuse(HISTORY));
  await sql
    .raw(`create or replace function ${NO_TRUNCATE}() returns trigger language plpgsql as $fn$ begin raise exception '${HISTORY}'; end $fn$`)
    .execute(db);
  await sql.raw(`create trigger ${NO_TRUNCATE} before truncate on dossier_imports for each statement execute function ${NO_TRUNCATE}()`).execute(db);

  await sql
    .raw(
      `create or replace function ${CHECK}() returns trigger language plpgsql as $fn$
      begin
        if exists (
          select 1 from (select created_import_id as id from new_rows union select updated_import_id from new_rows) r
          where not exists (select 1 from dossier_imports i where i.id = r.id)
        ) then
          raise exception using errcode = 'foreign_key_violation',
            message = 'dossiers: created_import_id or updated_import_id is not the id of a dossier_imports row';
        end if;
        return null;
      end $fn$`,
    )
    .execute(db);
  // Transition tables need a trigger without a column list: every update of dossiers is checked (one small query).
  for (const event of ['insert', 'update'])
    await sql
      .raw(`create trigger ${CHECK}_${event} after ${event} on dossiers referencing new table as new_rows for each statement execute function ${CHECK}()`)
      .execute(db);
  await sql`alter table dossiers drop constraint dossiers_created_import_id_fkey, drop constraint dossiers_updated_import_id_fkey`.execute(db);

  await statsTriggers(db, true);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (engineOf(db) !== 'postgres') return;
  await statsTriggers(db, false);
  await sql`alter table dossiers
    add constraint dossiers_created_import_id_fkey foreign key (created_import_id) references dossier_imports (id),
    add constraint dossiers_updated_import_id_fkey foreign key (updated_import_id) references dossier_imports (id)`.execute(db);
  for (const event of ['insert', 'update']) await sql.raw(`drop trigger ${CHECK}_${event} on dossiers`).execute(db);
  await sql.raw(`drop function ${CHECK}()`).execute(db);
  await sql.raw(`drop trigger ${NO_TRUNCATE} on dossier_imports`).execute(db);
  await sql.raw(`drop function ${NO_TRUNCATE}()`).execute(db);
  await dropTrigger(db, KEEP_ID, 'dossier_imports');
  await dropTrigger(db, NO_DELETE, 'dossier_imports');
}
