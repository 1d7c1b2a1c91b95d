import type { Db } from '../../core/db/database';
import type { OrganisationKind } from '../../core/db/schema';

/**
 * The tree of organisations (province → department or commune → office): reads and writes across organisations,
 * for the CLI and the oversight pages. No organisation scope: these rows are the organisations themselves.
 */

/** An organisation by its code, whatever its case (codes are unique ignoring case). */
export function findOrganisationByCode(db: Db, code: string) {
  return db
    .selectFrom('organisation')
    .select(['id', 'code', 'name', 'parent_id', 'kind', 'status'])
    .where((eb) => eb(eb.fn('lower', ['code']), '=', code.toLowerCase()))
    .executeTakeFirst();
}

export interface NewOrganisation {
  code: string;
  name: string;
  parent_id: number | null;
  kind: OrganisationKind;
}

/** Adds an organisation (its settings beyond the name are filled in later, on its settings page). */
export async function insertOrganisationEntry(trx: Db, values: NewOrganisation, at: string): Promise<number> {
  const row = await trx
    .insertInto('organisation')
    .values({ ...values, status: 'active', created_at: at, updated_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/**
 * The ids of an organisation and of every organisation below it (the subtree an inspector or a parent's admin may
 * read), the organisation itself first, then the others by id. One recursive statement: the tree is a few levels deep.
 */
export async function organisationsUnder(db: Db, id: number): Promise<number[]> {
  const rows = await db
    .withRecursive('tree(id)', (qb) =>
      qb
        .selectFrom('organisation')
        .select('id')
        .where('id', '=', id)
        .unionAll((u) => u.selectFrom('organisation as o').innerJoin('tree', 'tree.id', 'o.parent_id').select('o.id')),
    )
    .selectFrom('tree')
    .select('id')
    .execute();
  const ids = rows.map((r) => Number(r.id));
  // an unknown id: nothing under it
  if (!ids.includes(id)) return [];
  return [id, ...ids.filter((x) => x !== id).sort((a, b) => a - b)];
}

/** Puts an organisation under another (the demo's model office under its province). */
export async function setParent(db: Db, id: number, parentId: number | null): Promise<void> {
  await db.updateTable('organisation').set({ parent_id: parentId }).where('id', '=', id).execute();
}
