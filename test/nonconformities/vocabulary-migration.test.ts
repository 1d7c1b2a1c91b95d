import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigrator, migrateToLatest } from '../../src/core/db/migrate';
import { createTestApp, rows, run, type TestApp } from '../support/app';
import { onPostgres } from '../support/engine';
import { newAction, ncIn } from './helpers';

/**
 * Migration 2026_12_06_1300_vocabulary: the "preventive" action type becomes `risk`, and audits gain the type
 * `inspection`. The CHECK constraints are rebuilt (SQLite rebuilds the table, PostgreSQL alters the CHECK in place);
 * rows, indexes, triggers and foreign keys survive.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

/** The indexes and triggers of a table, by name, as each engine's catalog lists them. */
const schemaOf = async (table: string) =>
  onPostgres
    ? await rows<{ type: string; name: string }>(
        t,
        `select 'index' as type, indexname as name from pg_indexes where schemaname = current_schema() and tablename = ?
         union all select 'trigger', tgname::text from pg_trigger where tgrelid = ?::regclass and not tgisinternal order by name`,
        table,
        table,
      )
    : await rows<{ type: string; name: string }>(
        t,
        "select type, name from sqlite_master where tbl_name = ? and type in ('index', 'trigger') order by name",
        table,
      );

/** The CHECK constraints of a table as SQL text. */
const checksOf = async (table: string): Promise<string> =>
  onPostgres
    ? ((
        await rows<{ sql: string }>(
          t,
          "select string_agg(pg_get_constraintdef(oid), ' ') as sql from pg_constraint where conrelid = ?::regclass and contype = 'c'",
          table,
        )
      )[0].sql ?? '')
    : (await rows<{ sql: string }>(t, 'select sql from sqlite_master where name = ?', table))[0].sql;

const REFUSED_BY_CHECK = /CHECK constraint failed|violates check constraint/;

describe('vocabulary migration', () => {
  it('turns preventive actions into risk-based ones, back and forth, losing no row, index or trigger', async () => {
    const nc = await ncIn(t, 'in_progress');
    const risk = await newAction(t, nc.id, { ownerId: t.users.leader, type: 'risk' });
    const corrective = await newAction(t, nc.id, { ownerId: t.users.leader, type: 'corrective' });
    const before = await rows(t, 'select * from nc_actions order by id');
    const indexes = await schemaOf('nc_actions');
    expect(indexes.map((r) => r.name)).toContain('fc_nc_actions_update');

    // Down (with the later migrations first): the rows written as `risk` are `preventive` again, as before the migration.
    const down = await createMigrator(t.ctx.db).migrateTo('2026_12_06_1200_dossier_handling_unit');
    expect(down.error).toBeUndefined();
    expect(down.results?.at(-1)?.migrationName).toBe('2026_12_06_1300_vocabulary');
    expect(down.results?.every((r) => r.direction === 'Down' && r.status === 'Success')).toBe(true);
    expect(await rows(t, 'select id, type from nc_actions where id in (?, ?) order by id', risk, corrective)).toEqual([
      { id: risk, type: 'preventive' },
      { id: corrective, type: 'corrective' },
    ]);
    await expect(run(t, "update nc_actions set type = 'risk' where id = ?", corrective)).rejects.toThrow(REFUSED_BY_CHECK);

    // Up again: every row as it was, the CHECK now refuses "preventive".
    await migrateToLatest(t.ctx.db);
    expect(await rows(t, 'select * from nc_actions order by id')).toEqual(before);
    expect(await schemaOf('nc_actions')).toEqual(indexes);
    await expect(run(t, "update nc_actions set type = 'preventive' where id = ?", corrective)).rejects.toThrow(REFUSED_BY_CHECK);
  });

  // SQLite-only: SQLite rebuilds nc_actions under a new name and renames it, which could leave foreign keys pointing at
  // the old table; PostgreSQL alters the CHECK in place and has no pragma foreign_key_check or sqlite_master.
  it.skipIf(onPostgres)('keeps the foreign keys on and the child tables pointing at the rebuilt table (SQLite)', async () => {
    expect(await rows(t, 'pragma foreign_key_check')).toEqual([]);
    expect(await rows(t, 'pragma foreign_keys')).toEqual([{ foreign_keys: 1 }]);
    // Child rows still point at the rebuilt table (nc_action_notes references nc_actions).
    expect((await rows<{ sql: string }>(t, "select sql from sqlite_master where name = 'nc_action_notes'"))[0].sql).toContain('"nc_actions"');
  });

  it('accepts the Sở KH&CN inspection as an audit type and refuses an unknown one', async () => {
    const audit = (await rows<{ id: number }>(t, 'select id from audits limit 1'))[0];
    expect(await checksOf('audits')).toContain("'inspection'");
    expect(await checksOf('audit_programme_items')).toContain("'inspection'");
    if (audit) await expect(run(t, "update audits set type = 'visit' where id = ?", audit.id)).rejects.toThrow(REFUSED_BY_CHECK);
  });
});
