import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigrator, migrateToLatest } from '../../src/core/db/migrate';
import { createTestApp, rows, type TestApp } from '../support/app';
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
  rows<{ type: string; name: string }>(t, "select type, name from sqlite_master where tbl_name = ? and type in ('index', 'trigger') order by name", table);

describe('vocabulary migration', () => {
  it('turns preventive actions into risk-based ones, back and forth, losing no row, index or trigger', async () => {
    const nc = await ncIn(t, 'in_progress');
    const risk = await newAction(t, nc.id, { ownerId: t.users.leader, type: 'risk' });
    const corrective = await newAction(t, nc.id, { ownerId: t.users.leader, type: 'corrective' });
    const before = rows(t, 'select * from nc_actions order by id');
    const indexes = schemaOf('nc_actions');
    expect(indexes.map((r) => r.name)).toContain('fc_nc_actions_update');

    // Down (with the later migrations first): the rows written as `risk` are `preventive` again, as before the migration.
    const down = await createMigrator(t.ctx.db).migrateTo('2026_12_06_1200_dossier_handling_unit');
    expect(down.error).toBeUndefined();
    expect(down.results?.at(-1)?.migrationName).toBe('2026_12_06_1300_vocabulary');
    expect(down.results?.every((r) => r.direction === 'Down' && r.status === 'Success')).toBe(true);
    expect(rows(t, 'select id, type from nc_actions where id in (?, ?) order by id', risk, corrective)).toEqual([
      { id: risk, type: 'preventive' },
      { id: corrective, type: 'corrective' },
    ]);
    expect(() => t.ctx.sqlite.prepare("update nc_actions set type = 'risk' where id = ?").run(corrective)).toThrow(/CHECK/);

    // Up again: every row as it was, the CHECK now refuses "preventive".
    await migrateToLatest(t.ctx.db);
    expect(rows(t, 'select * from nc_actions order by id')).toEqual(before);
    expect(schemaOf('nc_actions')).toEqual(indexes);
    expect(() => t.ctx.sqlite.prepare("update nc_actions set type = 'preventive' where id = ?").run(corrective)).toThrow(/CHECK/);
    expect(rows(t, 'pragma foreign_key_check')).toEqual([]);
    expect(rows(t, 'pragma foreign_keys')).toEqual([{ foreign_keys: 1 }]);
    // Child rows still point at the rebuilt table (nc_action_notes references nc_actions).
    expect(rows<{ sql: string }>(t, "select sql from sqlite_master where name = 'nc_action_notes'")[0].sql).toContain('"nc_actions"');
  });

  it('accepts the Sở KH&CN inspection as an audit type and refuses an unknown one', () => {
    const audit = rows<{ id: number }>(t, 'select id from audits limit 1')[0];
    const check = rows<{ sql: string }>(t, "select sql from sqlite_master where name = 'audits'")[0].sql;
    expect(check).toContain("'inspection'");
    const items = rows<{ sql: string }>(t, "select sql from sqlite_master where name = 'audit_programme_items'")[0].sql;
    expect(items).toContain("'inspection'");
    if (audit) expect(() => t.ctx.sqlite.prepare("update audits set type = 'visit' where id = ?").run(audit.id)).toThrow(/CHECK/);
  });
});
