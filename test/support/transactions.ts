import type { Db } from '../../src/core/db/database';

/**
 * Opens a transaction, makes `change` in it and keeps it open, uncommitted, until `release()`; then it commits or,
 * with 'rollback', throws inside so that it rolls back (`finished` then rejects with "rolled back"). For tests of
 * what other requests see while a change is being written.
 */
export async function holdTransaction(db: Db, change: (trx: Db) => Promise<unknown>, outcome: 'commit' | 'rollback' = 'commit') {
  let release!: () => void;
  const held = new Promise<void>((done) => (release = done));
  let changed!: () => void;
  const written = new Promise<void>((done) => (changed = done));
  const finished = db.transaction().execute(async (trx) => {
    await change(trx);
    changed();
    await held;
    if (outcome === 'rollback') throw new Error('rolled back');
  });
  await Promise.race([written, finished]);
  return { release, finished };
}
