import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { pluginOf } from '../../src/core/db/dialect/engine';
import { openConfiguredDatabase, type Opened } from '../../src/core/db/open';
import { createTestApp, type TestApp } from '../support/app';
import { onPostgres } from '../support/engine';

/**
 * The writers' lock on PostgreSQL (core/db/postgres.ts), begun with the transaction in one round trip. Two handles on
 * one database stand for two app processes: while one holds a transaction, the other's write waits for the lock at
 * most its lock wait, then fails busy (55P03), with nothing written, and its connection goes back to the pool clean
 * (the next statements on every pooled connection work).
 */
describe.skipIf(!onPostgres)("the writers' lock between two processes (PostgreSQL)", () => {
  let t: TestApp;
  let other: Opened;
  beforeAll(async () => {
    t = await createTestApp();
    other = await openConfiguredDatabase(t.config);
    pluginOf(other.db)!.lockWaitMs = 200; // below the app's minimum, so that the test waits only a moment
  });
  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  const unitCount = async () => Number((await sql<{ n: string }>`select count(*) as n from units where code like 'LOCK-%'`.execute(t.ctx.db)).rows[0].n);
  const addUnit = (code: string) =>
    sql`insert into units (organisation_id, code, name, active, version, created_at, updated_at) values (1, ${code}, ${code}, 1, 1, '2026-11-26T02:00:00Z', '2026-11-26T02:00:00Z')`;

  it('a transaction and a single write of the other process fail busy while the lock is held, and work after', async () => {
    const holder = await t.ctx.db.startTransaction().execute();
    try {
      await addUnit('LOCK-1').execute(holder);
      await expect(other.db.transaction().execute((trx) => addUnit('LOCK-2').execute(trx))).rejects.toMatchObject({ code: '55P03' });
      await expect(addUnit('LOCK-3').execute(other.db)).rejects.toMatchObject({ code: '55P03' });
    } finally {
      await holder.commit().execute();
    }
    expect(await unitCount()).toBe(1);
    // every pooled connection of the other handle is usable: no transaction left open or aborted on any of them
    const answers = await Promise.all(Array.from({ length: 12 }, () => sql<{ open: string }>`select now() = statement_timestamp() as open`.execute(other.db)));
    expect(answers.every((a) => String(a.rows[0].open) === 'true')).toBe(true);
    await other.db.transaction().execute((trx) => addUnit('LOCK-4').execute(trx));
    await addUnit('LOCK-5').execute(other.db);
    expect(await unitCount()).toBe(3);
  });
});
