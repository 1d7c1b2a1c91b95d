import type { Selectable } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import type { UnitsTable } from '../../core/db/schema';
import { sortVi } from '../../core/text/collate';

export type UnitRow = Pick<Selectable<UnitsTable>, 'id' | 'code' | 'name' | 'active' | 'version'>;

const COLUMNS = ['id', 'code', 'name', 'active', 'version'] as const;

export function findUnit(db: Db, id: number): Promise<UnitRow | undefined> {
  return db.selectFrom('units').select(COLUMNS).where('id', '=', id).where('organisation_id', '=', organisationOf(db)).executeTakeFirst();
}

export function findUnitByCode(db: Db, code: string): Promise<UnitRow | undefined> {
  return db.selectFrom('units').select(COLUMNS).where('organisation_id', '=', organisationOf(db)).where('code', '=', code).executeTakeFirst();
}

export async function listUnits(db: Db, onlyActive = false): Promise<UnitRow[]> {
  let q = db.selectFrom('units').select(COLUMNS).where('organisation_id', '=', organisationOf(db));
  if (onlyActive) q = q.where('active', '=', 1);
  // Active first, then by code and name in Vietnamese order ("LĐ…" before "LE…"; SQLite compares bytes).
  return sortVi(
    await q.execute(),
    (u) => -u.active,
    (u) => u.code,
    (u) => u.name,
  );
}

/** For selects: active units, plus the one a record already points to. */
export async function listUnitOptions(db: Db, includeId?: number | null): Promise<{ value: number; label: string }[]> {
  const rows = await db
    .selectFrom('units')
    .select(['id', 'code', 'name'])
    .where('organisation_id', '=', organisationOf(db))
    .where((eb) => (includeId ? eb.or([eb('active', '=', 1), eb('id', '=', includeId)]) : eb('active', '=', 1)))
    .execute();
  return sortVi(
    rows,
    (r) => r.code,
    (r) => r.name,
  ).map((r) => ({ value: r.id, label: `${r.code} — ${r.name}` }));
}

/** The organisation an insert of a unit or user writes: the handle's or the request's (never a default). */
export function insertOrganisationOf(db: Db): number {
  return organisationOf(db);
}

export async function insertUnit(db: Db, unit: { code: string; name: string }, at: string): Promise<number> {
  const row = await db
    .insertInto('units')
    .values({ ...unit, created_at: at, updated_at: at, organisation_id: insertOrganisationOf(db) })
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
    .where('organisation_id', '=', organisationOf(db))
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
