import { afterEach, describe, expect, it } from 'vitest';
import { hasColumn, hasTable } from '../../src/core/db/dialect/catalog';
import { createTestApp, type TestApp } from '../support/app';

/** The schema questions the audit log asks on a database it did not migrate itself, answered alike on both engines. */
let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('the schema catalog', () => {
  it('tells which tables and columns exist, on the database and inside a transaction', async () => {
    t = await createTestApp({ withUsers: false });
    const db = t.ctx.db;
    expect(await hasTable(db, 'audit_log')).toBe(true);
    expect(await hasTable(db, 'no_such_table')).toBe(false);
    expect(await hasTable(db, 'audit_log_at_idx')).toBe(false); // an index of audit_log (migration 0900): not a table
    expect(await hasColumn(db, 'e_signatures', 'audit_anchor')).toBe(true);
    expect(await hasColumn(db, 'e_signatures', 'no_such_column')).toBe(false);
    expect(await hasColumn(db, 'no_such_table', 'id')).toBe(false);
    // asked inside a write transaction, which then commits its row: a missing table is an answer, never an error
    await db.transaction().execute(async (trx) => {
      expect(await hasTable(trx, 'audit_chain')).toBe(true);
      expect(await hasTable(trx, 'no_such_table')).toBe(false);
      await trx.insertInto('qms_meta').values({ key: 'catalog_test', value: 'kept' }).execute();
    });
    expect(await db.selectFrom('qms_meta').select('value').where('key', '=', 'catalog_test').executeTakeFirst()).toEqual({ value: 'kept' });
  });
});
