import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigrator, migrateToLatest } from '../../src/core/db/migrate';
import { createTestApp, rows, run, type TestApp } from '../support/app';
import { newAction, ncIn } from './helpers';

/**
 * Migration 2026_12_06_1300_vocabulary: the "preventive" action type becomes `risk`, and audits gain the type
 * `inspection`. The CHECK constraints are rebuilt; rows, indexes, triggers and foreign keys survive the rebuild.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const schemaOf = (table: string) =>
  await rows<{ type: string; name: string }>(
    t,
    "select type, name from sqlite_master where tbl_name = ? and type in ('index', 'trigger') order by name",
    table,
  );

describe('vocabulary migration', () => {
  it('turns preventive actions into risk-based ones, back and forth, losing no row, index or trigger', async () => {
    const nc = await ncIn(t, 'in_progress');
    const risk = await newAction(t, nc.id, { ownerId: t.users.leader, type: 'risk' });
    const corrective = await newAction(t, nc.id, { ownerId: t.users.leader, type: 'corrective' });
    const before = await rows(t, 'select * from nc_actions order by id');
    const indexes = schemaOf('nc_actions');
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
    expect(() => await run(t, "update nc_actions set type = 'risk' where id = ?", corrective)).toThrow(/CHECK/);

    // Up again: every row as it was, the CHECK now refuses "preventive".
    await migrateToLatest(t.ctx.db);
    expect(await rows(t, 'select * from nc_actions order by id')).toEqual(before);
    expect(schemaOf('nc_actions')).toEqual(indexes);
    expect(() => await run(t, "update nc_actions set type = 'preventive' where id = ?", corrective)).toThrow(/CHECK/);
    expect(await rows(t, 'pragma foreign_key_check')).toEqual([]);
    expect(await rows(t, 'pragma foreign_keys')).toEqual([{ foreign_keys: 1 }]);
    // Child rows still point at the rebuilt table (nc_action_notes references nc_actions).
    expect((await rows<{ sql: string }>(t, "select sql from sqlite_master where name = 'nc_action_notes'"))[0].sql).toContain('"nc_actions"');
  });

  it('accepts the Sở KH&CN inspection as an audit type and refuses an unknown one', () => {
    const audit = (await rows<{ id: number }>(t, 'select id from audits limit 1'))[0];
    const check = (await rows<{ sql: string }>(t, "select sql from sqlite_master where name = 'audits'"))[0].sql;
    expect(check).toContain("'inspection'");
    const items = (await rows<{ sql: string }>(t, "select sql from sqlite_master where name = 'audit_programme_items'"))[0].sql;
    expect(items).toContain("'inspection'");
    if (audit) expect(() => await run(t, "update audits set type = 'visit' where id = ?", audit.id)).toThrow(/CHECK/);
  });
});
