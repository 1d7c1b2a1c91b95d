import type { Selectable } from 'kysely';
import type { Db } from '../../core/db/database';
import type { UnitsTable } from '../../core/db/schema';

export type UnitRow = Pick<Selectable<UnitsTable>, 'id' | 'code' | 'name' | 'active' | 'version'>;

const COLUMNS = ['id', 'code', 'name', 'active', 'version'] as const;

export function findUnit(db: Db, id: number): Promise<UnitRow | undefined> {
  return db.selectFrom('units').select(COLUMNS).where('id', '=', id).executeTakeFirst();
}

export function findUnitByCode(db: Db, code: string): Promise<UnitRow | undefined> {
  return db.selectFrom('units').select(COLUMNS).where('code', '=', code).executeTakeFirst();
}

export function listUnits(db: Db, onlyActive = false): Promise<UnitRow[]> {
  let q = db.selectFrom('units').select(COLUMNS);
  if (onlyActive) q = q.where('active', '=', 1);
  return q.orderBy('active', 'desc').orderBy('code').execute();
}

/** For selects: active units, plus the one a record already points to. */
export async function listUnitOptions(db: Db, includeId?: number | null): Promise<{ value: number; label: string }[]> {
  const rows = await db
    .selectFrom('units')
    .select(['id', 'code', 'name'])
    .where((eb) => (includeId ? eb.or([eb('active', '=', 1), eb('id', '=', includeId)]) : eb('active', '=', 1)))
    .orderBy('code')
    .execute();
  return rows.map((r) => ({ value: r.id, label: `${r.code} — ${r.name}` }));
}

export async function insertUnit(db: Db, unit: { code: string; name: string }, at: string): Promise<number> {
  const row = await db
    .insertInto('units')
    .values({ ...unit, created_at: at, updated_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateUnit(
  db: Db,
  id: number,
  changes: { code?: string; name?: string; active?: number },
  version: number,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('units')
    .set({ ...changes, updated_at: at, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
