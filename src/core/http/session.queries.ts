import { sql, type Selectable } from 'kysely';
import type { Db } from '../db/database';
import { precompiled } from '../db/precompiled';
import type { OrganisationTable, Role, SessionsTable } from '../db/schema';

export type SessionRow = Pick<Selectable<SessionsTable>, 'id' | 'user_id' | 'csrf_token' | 'flash' | 'created_at' | 'last_seen_at'>;

export interface SessionUser {
  id: number;
  username: string;
  full_name: string;
  role: Role;
  unit_id: number | null;
  active: number;
  /** 1 while the user must choose their own password before anything else. */
  must_change_password: number;
  /** The organisation the user belongs to: every page they open works for it (core/db/scope.ts), unless they chose
   *  another they may read (`?org=CODE`, core/http/session.ts). */
  organisation_id: number;
  /** Whether their organisation has organisations under it (the oversight pages are shown then). */
  oversees: boolean;
  /** Whether their organisation succeeded others (merged or split into it): the lineage page is shown then. */
  succeeds: boolean;
}

/** The organisation's settings as every page reads them (features/organisation reads the same columns). */
export const ORGANISATION_COLUMNS = [
  'name',
  'parent_agency',
  'place_name',
  'report_number_suffix',
  'signer_title',
  'signer_name',
  'time_zone',
  'recipients',
  'not_applicable_clauses',
  'revision_signers',
  'version',
  'updated_at',
] as const satisfies readonly (keyof OrganisationTable)[];

export type OrganisationSettings = Pick<Selectable<OrganisationTable>, (typeof ORGANISATION_COLUMNS)[number]>;

/**
 * What every request with a session cookie reads, in one statement: the session, its user when signed in (null when
 * the user row is gone) and the organisation's settings (null before setup). A row comes back whether or not the
 * session exists (the settings are joined to a one-row table, not to the session), so a stale cookie costs no second
 * statement either. Built and compiled once per database (precompiled): every request runs it.
 */
const readSessionAndOrganisation = precompiled((db: Db, id: string) =>
  db
    .selectFrom(sql<{ one: number }>`(select 1 as one)`.as('x'))
    .leftJoin('sessions as s', (join) => join.on('s.id', '=', id))
    .leftJoin('users as u', 'u.id', 's.user_id')
    // The organisation the session works in (the one its user chose with ?org=CODE, else the user's own), or the
    // first one for a session without a user. One whose name is empty has no settings yet (the migration to
    // organisations made its row).
    .leftJoin('organisation as o', (join) => join.on((eb) => eb('o.id', '=', eb.fn.coalesce('s.viewing_organisation_id', 'u.organisation_id', sql.lit(1)))))
    .select((eb) => [
      // whether the user's own organisation has organisations under it (the oversight pages appear then)
      eb.exists(eb.selectFrom('organisation as c').select('c.id').whereRef('c.parent_id', '=', 'u.organisation_id')).as('u_oversees'),
      // whether it succeeded other organisations (a merge or a split: their history is readable)
      eb.exists(eb.selectFrom('organisation_lineage as l').select('l.id').whereRef('l.successor_id', '=', 'u.organisation_id')).as('u_succeeds'),
      'o.id as o_id',
      'o.code as o_code',
      'o.status as o_status',
      's.viewing_organisation_id',
    ])
    .select([
      's.id',
      's.user_id',
      's.csrf_token',
      's.flash',
      's.created_at',
      's.last_seen_at',
      'u.id as u_id',
      'u.username as u_username',
      'u.full_name as u_full_name',
      'u.role as u_role',
      'u.unit_id as u_unit_id',
      'u.active as u_active',
      'u.must_change_password as u_must_change_password',
      'u.organisation_id as u_organisation_id',
      'o.name as o_name',
      'o.parent_agency as o_parent_agency',
      'o.place_name as o_place_name',
      'o.report_number_suffix as o_report_number_suffix',
      'o.signer_title as o_signer_title',
      'o.signer_name as o_signer_name',
      'o.time_zone as o_time_zone',
      'o.recipients as o_recipients',
      'o.not_applicable_clauses as o_not_applicable_clauses',
      'o.revision_signers as o_revision_signers',
      'o.version as o_version',
      'o.updated_at as o_updated_at',
    ]),
);

/** The organisation a session works in: its id, code and status (read_only once merged into a successor). */
export interface WorkingOrganisation {
  id: number;
  code: string;
  status: 'active' | 'read_only';
  /** Whether the session chose it with ?org=CODE (null: the user's own). */
  chosen: number | null;
}

export interface SessionAndOrganisation {
  /** Undefined when no session has this id. */
  session: SessionRow | undefined;
  user: SessionUser | null;
  /** Its settings (null before they are filled in). */
  organisation: OrganisationSettings | null;
  /** Undefined when the organisation's row is missing (a session without a user on an empty database). */
  working: WorkingOrganisation | undefined;
}

/** A session (by the hash of its token), its user and the organisation's settings: see readSessionAndOrganisation. */
export async function findSessionWithUser(db: Db, id: string): Promise<SessionAndOrganisation> {
  const [row] = await readSessionAndOrganisation(db, id);
  const organisation: OrganisationSettings | null =
    !row || row.o_name === null || row.o_name === ''
      ? null
      : {
          name: row.o_name,
          parent_agency: row.o_parent_agency!,
          place_name: row.o_place_name!,
          report_number_suffix: row.o_report_number_suffix!,
          signer_title: row.o_signer_title!,
          signer_name: row.o_signer_name!,
          time_zone: row.o_time_zone!,
          recipients: row.o_recipients!,
          not_applicable_clauses: row.o_not_applicable_clauses!,
          revision_signers: row.o_revision_signers!,
          version: row.o_version!,
          updated_at: row.o_updated_at!,
        };
  const working: WorkingOrganisation | undefined =
    !row || row.o_id === null
      ? undefined
      : { id: row.o_id, code: row.o_code!, status: row.o_status as WorkingOrganisation['status'], chosen: row.viewing_organisation_id };
  if (!row || row.id === null) return { session: undefined, user: null, organisation, working };
  const session: SessionRow = {
    id: row.id,
    user_id: row.user_id,
    csrf_token: row.csrf_token!,
    flash: row.flash,
    created_at: row.created_at!,
    last_seen_at: row.last_seen_at!,
  };
  const user: SessionUser | null =
    row.u_id === null
      ? null
      : {
          id: row.u_id,
          username: row.u_username!,
          full_name: row.u_full_name!,
          role: row.u_role!,
          unit_id: row.u_unit_id,
          active: row.u_active!,
          must_change_password: row.u_must_change_password!,
          organisation_id: row.u_organisation_id!,
          oversees: Boolean(row.u_oversees),
          succeeds: Boolean(row.u_succeeds),
        };
  return { session, user, organisation, working };
}

export async function insertSession(
  db: Db,
  row: { id: string; user_id: number | null; csrf_token: string; at: string; user_agent: string | null; ip: string | null },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id: row.id,
      user_id: row.user_id,
      csrf_token: row.csrf_token,
      created_at: row.at,
      last_seen_at: row.at,
      user_agent: row.user_agent,
      ip: row.ip,
    })
    .execute();
}

export async function updateSessionSeen(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function updateSessionFlash(db: Db, id: string, flash: string | null): Promise<void> {
  await db.updateTable('sessions').set({ flash }).where('id', '=', id).execute();
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Ends every session of a user, optionally keeping one (the one that changed the password). */
export async function deleteUserSessions(db: Db, userId: number, keepId?: string): Promise<void> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepId) q = q.where('id', '!=', keepId);
  await q.execute();
}

export async function deleteStaleSessions(db: Db, idleBefore: string, createdBefore: string): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('last_seen_at', '<', idleBefore), eb('created_at', '<', createdBefore)]))
    .execute();
}

/** Stores a signing key under `name` unless one is there already (another process may store it at the same time). */
export async function insertSigningKeyIfMissing(db: Db, name: string, secret: string, at: string): Promise<void> {
  await db
    .insertInto('signing_keys')
    .values({ name, secret, created_at: at })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

/** A signing key kept in the database (created by the migration that needs it). */
export async function findSigningKey(db: Db, name: string): Promise<string | undefined> {
  const row = await db.selectFrom('signing_keys').select('secret').where('name', '=', name).executeTakeFirst();
  return row?.secret;
}

/** Sets (or clears, null) the organisation a session works in (`?org=CODE`). */
export async function updateSessionViewing(db: Db, id: string, organisationId: number | null): Promise<void> {
  await db.updateTable('sessions').set({ viewing_organisation_id: organisationId }).where('id', '=', id).execute();
}

/** An organisation by its code, ignoring case (`?org=CODE`). */
export function findOrganisationToView(db: Db, code: string) {
  return db
    .selectFrom('organisation')
    .select(['id', 'code', 'status'])
    .where((eb) => eb(eb.fn('lower', ['code']), '=', code.toLowerCase()))
    .executeTakeFirst();
}

/**
 * How a user of organisation `own` may read organisation `target`: `subtree` when target is below own in the tree
 * (walking up from target: the tree is a few levels deep), `predecessor` when target is merged or split into own,
 * directly or through a chain of reorganisations, else undefined.
 */
export async function relationTo(db: Db, own: number, target: number): Promise<'subtree' | 'predecessor' | undefined> {
  const up = await db
    .withRecursive('up(id, parent_id)', (qb) =>
      qb
        .selectFrom('organisation')
        .select(['id', 'parent_id'])
        .where('id', '=', target)
        .unionAll((u) => u.selectFrom('organisation as o').innerJoin('up', 'up.parent_id', 'o.id').select(['o.id', 'o.parent_id'])),
    )
    .selectFrom('up')
    .select('id')
    .where('id', '=', own)
    .executeTakeFirst();
  if (up && target !== own) return 'subtree';
  const forward = await db
    .withRecursive('fwd(id)', (qb) =>
      qb
        .selectFrom('organisation_lineage')
        .select('successor_id as id')
        .where('predecessor_id', '=', target)
        .union((u) => u.selectFrom('organisation_lineage as l').innerJoin('fwd', 'fwd.id', 'l.predecessor_id').select('l.successor_id as id')),
    )
    .selectFrom('fwd')
    .select('id')
    .where('id', '=', own)
    .executeTakeFirst();
  return forward ? 'predecessor' : undefined;
}
