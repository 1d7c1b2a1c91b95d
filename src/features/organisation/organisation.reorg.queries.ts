import { sql } from 'kysely';
import type { Db } from '../../core/db/database';

/**
 * Reorganisations (issue 22): organisations merged into a successor or split into several, kept as lineage rows
 * (predecessor → successor). These rows are the organisations themselves, so no organisation scope applies; the
 * one query of an organisation's data (its users) names the organisation explicitly.
 */

/** The longest chain of reorganisations walked: guards the recursion (a chain cannot loop: a predecessor turns read-only). */
const MAX_STEPS = 20;

/** One step of a lineage: an organisation before or after a merge or split. */
export interface LineageStep {
  /** The organisation on the far side of the step (a predecessor, or a successor). */
  id: number;
  code: string;
  name: string;
  status: 'active' | 'read_only';
  kind: 'merge' | 'split';
  effective_on: string;
  reason: string;
  /** The organisation on the near side (for a predecessor: the successor it passed into). */
  via_id: number;
  via_code: string;
  /** 1 for a direct predecessor or successor, 2 for one of those's, … */
  depth: number;
}

interface StepRow extends Omit<LineageStep, 'id' | 'via_id' | 'depth'> {
  id: number | string;
  via_id: number | string;
  depth: number | string;
}

const asSteps = (rows: StepRow[]): LineageStep[] => rows.map((r) => ({ ...r, id: Number(r.id), via_id: Number(r.via_id), depth: Number(r.depth) }));

/**
 * Every predecessor of an organisation, however many steps back (a commune formed from a district office formed
 * from two older offices sees all three), with the kind, date and reason of each step: for continuity, a
 * successor's reports and lineage page read its predecessors' history. Nearest first, then by date and code.
 */
export function predecessorsOf(db: Db, id: number): Promise<LineageStep[]> {
  return lineageChain(db, id, 'back');
}

/** Every successor of an organisation, however many steps forward (the mirror of predecessorsOf). */
export function successorsOf(db: Db, id: number): Promise<LineageStep[]> {
  return lineageChain(db, id, 'forward');
}

/** The lineage from `id`, back to its predecessors or forward to its successors (one recursive statement). */
async function lineageChain(db: Db, id: number, direction: 'back' | 'forward'): Promise<LineageStep[]> {
  // back: from the successor's side to the predecessor's; forward: the other way round (fixed column names only)
  const [near, far] = direction === 'back' ? (['successor_id', 'predecessor_id'] as const) : (['predecessor_id', 'successor_id'] as const);
  const result = await sql<StepRow>`
    with recursive chain (far_id, near_id, kind, effective_on, reason, depth) as (
      select ${sql.ref(far)}, ${sql.ref(near)}, kind, effective_on, reason, 1 from organisation_lineage where ${sql.ref(near)} = ${id}
      union all
      select ${sql.ref(`l.${far}`)}, ${sql.ref(`l.${near}`)}, l.kind, l.effective_on, l.reason, c.depth + 1
      from organisation_lineage l join chain c on ${sql.ref(`l.${near}`)} = c.far_id
      where c.depth < ${MAX_STEPS}
    )
    select o.id, o.code, o.name, o.status, c.kind, c.effective_on, c.reason, v.id as via_id, v.code as via_code, c.depth
    from chain c join organisation o on o.id = c.far_id join organisation v on v.id = c.near_id
    order by c.depth, c.effective_on, o.code`.execute(db);
  return asSteps(result.rows);
}

export interface LineageEntry {
  predecessor_id: number;
  successor_id: number;
  kind: 'merge' | 'split';
  effective_on: string;
  reason: string;
  created_by: number | null;
}

export async function insertLineage(trx: Db, entry: LineageEntry, at: string): Promise<void> {
  await trx
    .insertInto('organisation_lineage')
    .values({ ...entry, created_at: at })
    .execute();
}

/** Turns an active organisation read-only; false when it was not active (another reorganisation got there first). */
export async function markReadOnly(trx: Db, id: number, at: string): Promise<boolean> {
  const result = await trx
    .updateTable('organisation')
    .set({ status: 'read_only', updated_at: at })
    .where('id', '=', id)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The users of an organisation, with their unit (what a merge moves and records). */
export function listUsersOf(db: Db, organisationId: number) {
  return db.selectFrom('users').select(['id', 'username', 'role', 'unit_id']).where('organisation_id', '=', organisationId).orderBy('id').execute();
}

/**
 * Moves users to another organisation, same role, without a unit (units are the old organisation's data and stay
 * with it). Only rows of `from` are touched, so an id that is not one of its users changes nothing.
 */
export async function moveUsers(trx: Db, ids: number[], from: number, to: number, at: string): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await trx
    .updateTable('users')
    .set((eb) => ({ organisation_id: to, unit_id: null, updated_at: at, version: eb('version', '+', 1) }))
    .where('organisation_id', '=', from)
    .where('id', 'in', ids)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Ends every session of these users (sessions belong to a user and carry no organisation). */
export async function deleteSessionsOf(trx: Db, userIds: number[]): Promise<void> {
  if (userIds.length === 0) return;
  await trx.deleteFrom('sessions').where('user_id', 'in', userIds).execute();
}

/** The organisation an acting user belongs to (the root of the subtree they may reorganise). */
export async function findUserOrganisation(db: Db, userId: number): Promise<number | undefined> {
  const row = await db.selectFrom('users').select('organisation_id').where('id', '=', userId).executeTakeFirst();
  return row ? Number(row.organisation_id) : undefined;
}

export interface OrganisationOption {
  id: number;
  code: string;
  name: string;
  kind: string;
  status: 'active' | 'read_only';
  parent_id: number | null;
}

/** Organisations by id (the form's choices: those of a subtree), by code. */
export async function listOrganisationsByIds(db: Db, ids: number[]): Promise<OrganisationOption[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('organisation')
    .select(['id', 'code', 'name', 'kind', 'status', 'parent_id'])
    .where('id', 'in', ids)
    .orderBy('code')
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), parent_id: r.parent_id === null ? null : Number(r.parent_id) }));
}
