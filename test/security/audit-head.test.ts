import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHeadFile } from '../../src/core/audit-log/audit-anchor';
import { record, verify } from '../../src/core/audit-log/audit-log';
import type { Db } from '../../src/core/db/database';
import { openConfiguredDatabase, type Opened } from '../../src/core/db/open';
import { createTestApp, one, type TestApp } from '../support/app';

/**
 * The head file after every way a transaction can add audit rows. The publisher knows the head a transaction commits
 * from what record() noted (the rows it added, each after the one before), confirmed by one lookup of the last row;
 * whenever the rows did not simply follow one another (a savepoint rolled back, a rolled-back transaction, a row not
 * written by record(), another process's rows in between) it counts them. Each case ends with the head file equal
 * to the database's real head, and the chain verifying against it.
 */
let t: TestApp;
let other: Opened;

beforeAll(async () => {
  t = await createTestApp();
  other = await openConfiguredDatabase(t.config);
});
afterAll(async () => {
  await other.close();
  await t.close();
});

const entry = (n: number) => ({ userId: null, action: 'update', entity: 'unit', entityId: n, new: { n } });
const add = (db: Db, n: number) => record(db, entry(n), t.clock.now());

/** The head file's one anchor is the database's head: the number of rows, the last id and its hash. */
async function expectHeadFileTrue(): Promise<void> {
  const real = (await one<{ n: number; id: number }>(t, 'select count(*) as n, max(id) as id from audit_log'))!;
  const last = (await one<{ hash: string }>(t, 'select hash from audit_log where id = ?', real.id))!;
  const file = readHeadFile(t.config.auditHeadFile);
  expect(file.state).toBe('ok');
  if (file.state !== 'ok') return;
  expect(file.heads.map((h) => [h.rows, h.headId, h.headHash])).toEqual([[Number(real.n), Number(real.id), last.hash]]);
  const verified = await verify(t.ctx.db);
  expect(verified.ok, verified.problem).toBe(true);
}

describe('the audit head file follows every transaction that adds rows', () => {
  it('one row, then three rows in one transaction', async () => {
    await t.ctx.db.transaction().execute((trx) => add(trx, 1));
    await expectHeadFileTrue();
    await t.ctx.db.transaction().execute(async (trx) => {
      for (const n of [2, 3, 4]) await add(trx, n);
    });
    await expectHeadFileTrue();
  });

  it('a savepoint rolled back after a row, then another row', async () => {
    const before = (await one<{ n: number }>(t, 'select count(*) as n from audit_log'))!;
    await t.ctx.db.transaction().execute(async (trx) => {
      await add(trx, 5);
      await sql`savepoint s1`.execute(trx);
      await add(trx, 6);
      await sql`rollback to savepoint s1`.execute(trx);
      await add(trx, 7);
    });
    expect(Number((await one<{ n: number }>(t, 'select count(*) as n from audit_log'))!.n)).toBe(Number(before.n) + 2);
    await expectHeadFileTrue();
    // the rolled-back row is the last one before commit
    await t.ctx.db.transaction().execute(async (trx) => {
      await add(trx, 8);
      await sql`savepoint s2`.execute(trx);
      await add(trx, 9);
      await sql`rollback to savepoint s2`.execute(trx);
    });
    await expectHeadFileTrue();
  });

  it('a transaction rolled back after its rows, then a committed one', async () => {
    await expect(
      t.ctx.db.transaction().execute(async (trx) => {
        await add(trx, 10);
        await add(trx, 11);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    await expectHeadFileTrue();
    await t.ctx.db.transaction().execute((trx) => add(trx, 12));
    await expectHeadFileTrue();
  });

  it('another process adds rows between two of ours', async () => {
    await other.db.transaction().execute((trx) => add(trx, 13));
    await other.db.transaction().execute((trx) => add(trx, 14));
    await t.ctx.db.transaction().execute((trx) => add(trx, 15));
    await expectHeadFileTrue();
  });

  it('a row written without record() in the same transaction, before and after one of record()', async () => {
    const copyLast = async (trx: Db) => {
      // a second row with the last row's fields (as a copy between databases writes rows): not chained by record()
      const last = await trx.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
      await trx
        .insertInto('audit_log')
        .values({ ...last, id: Number(last.id) + 1 })
        .execute();
    };
    await t.ctx.db.transaction().execute(async (trx) => {
      await add(trx, 16);
      await copyLast(trx);
    });
    const copied = (await one<{ n: number; id: number }>(t, 'select count(*) as n, max(id) as id from audit_log'))!;
    const file = readHeadFile(t.config.auditHeadFile);
    expect(file.state === 'ok' && file.heads.map((h) => [h.rows, h.headId])).toEqual([[Number(copied.n), Number(copied.id)]]);
    // (the copied row does not verify: its HMAC covers the id it was written with; the head's count is the point)
    await t.ctx.db.transaction().execute(async (trx) => {
      await copyLast(trx);
      await add(trx, 17);
    });
    const after = (await one<{ n: number; id: number }>(t, 'select count(*) as n, max(id) as id from audit_log'))!;
    const again = readHeadFile(t.config.auditHeadFile);
    expect(again.state === 'ok' && again.heads.map((h) => [h.rows, h.headId])).toEqual([[Number(after.n), Number(after.id)]]);
  });
});
