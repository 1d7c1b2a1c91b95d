import type { Db } from '../../core/db/database';
import { precompiled } from '../../core/db/precompiled';
import { organisationOf } from '../../core/db/scope';
import { ORGANISATION_COLUMNS } from '../../core/http/session.queries';

/**
 * Separation of duties for document revisions: how many different people author, review and approve one.
 * 3 (the default): all three different. 2 (a very small office): the reviewer may also approve; the author still
 * neither reviews nor approves their own revision.
 */
export const REVISION_SIGNERS = [3, 2] as const;
export type RevisionSigners = (typeof REVISION_SIGNERS)[number];
export const asRevisionSigners = (n: number | null | undefined): RevisionSigners => (n === 2 ? 2 : 3);

export interface Organisation {
  name: string;
  parent_agency: string;
  place_name: string;
  report_number_suffix: string;
  signer_title: string;
  signer_name: string;
  time_zone: string;
  recipients: string;
  not_applicable_clauses: string;
  revision_signers: number;
  version: number;
  updated_at: string;
}

/** Undefined while the settings were never filled in (the organisation's row then has an empty name). */
const readOrganisation = precompiled((db: Db, id: number) =>
  db.selectFrom('organisation').select(ORGANISATION_COLUMNS).where('id', '=', id).where('name', '<>', ''),
);

/**
 * The settings of the organisation the handle or request works for. Also read by the app on every request without
 * a session cookie (with one, the session's statement reads them), which has no organisation: the pages before
 * sign-in (sign-in, setup) show the first organisation's, as the session statement does for a session without a
 * user (core/http/session.queries.ts): app.ts passes a handle scoped to it.
 */
export async function findOrganisation(db: Db): Promise<Organisation | undefined> {
  const [row] = await readOrganisation(db, organisationOf(db));
  return row;
}

/**
 * Users of the whole database (every organisation): whether the database was set up (app.ts, the setup page) and
 * whether the demo may load. Deliberately without an organisation scope.
 */
export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * What setup and the settings form write; the revision rule keeps its default (3) unless given, and the declaration
 * date (migration 2026_12_11_1000_oversight) stays as it is unless given (null clears it).
 */
export type OrganisationValues = Omit<Organisation, 'version' | 'updated_at' | 'revision_signers'> & {
  revision_signers?: RevisionSigners;
  qms_declared_on?: string | null;
  annual_period?: AnnualPeriodKind;
};

/**
 * The period the annual QMS report covers (migration 2026_12_13_1050_annual_report_period): the calendar year, or
 * 15 December of the year before to 14 December (the state reporting regime's periods).
 */
export const ANNUAL_PERIODS = ['calendar', 'dec15'] as const;
export type AnnualPeriodKind = (typeof ANNUAL_PERIODS)[number];

/**
 * The organisation table with its declaration date (migration 2026_12_11_1000_oversight) and its annual report's
 * period (2026_12_13_1050_annual_report_period); core's schema lacks them.
 */
const withDeclaration = (db: Db) => db.withTables<{ organisation: { qms_declared_on: string | null; annual_period: AnnualPeriodKind } }>();

/** The period the organisation's annual report covers ('calendar' when there is no organisation yet). */
export async function findAnnualPeriod(db: Db): Promise<AnnualPeriodKind> {
  const row = await withDeclaration(db).selectFrom('organisation').select('annual_period').where('id', '=', organisationOf(db)).executeTakeFirst();
  return row?.annual_period === 'dec15' ? 'dec15' : 'calendar';
}

/** The date the organisation declared its QMS conforming to TCVN ISO 9001:2015, or null. */
export async function findQmsDeclaredOn(db: Db): Promise<string | null> {
  const row = await withDeclaration(db).selectFrom('organisation').select('qms_declared_on').where('id', '=', organisationOf(db)).executeTakeFirst();
  return row?.qms_declared_on ?? null;
}

/** Sets the organisation's declaration date (the declaration in force: features/declarations). */
export async function setQmsDeclaredOn(db: Db, date: string | null): Promise<void> {
  await withDeclaration(db).updateTable('organisation').set({ qms_declared_on: date }).where('id', '=', organisationOf(db)).execute();
}

/** The separation-of-duties rule in force (3 when there is no organisation yet). */
export async function findRevisionSigners(db: Db): Promise<RevisionSigners> {
  const row = await db.selectFrom('organisation').select('revision_signers').where('id', '=', organisationOf(db)).executeTakeFirst();
  return asRevisionSigners(row?.revision_signers);
}

/** Writes the settings of the handle's organisation (setup and the demo: organisation 1's). */
export async function insertOrganisation(db: Db, values: OrganisationValues, at: string): Promise<void> {
  await db
    .insertInto('organisation')
    .values({ id: organisationOf(db), ...values, updated_at: at })
    // The row exists since the migration to organisations (with an empty name until the settings are filled in).
    .onConflict((oc) => oc.column('id').doUpdateSet({ ...values, updated_at: at }))
    .execute();
}

/** Updates the settings when `version` is still current; returns false on a conflicting edit. */
export async function updateOrganisation(db: Db, values: OrganisationValues, version: number, at: string): Promise<boolean> {
  const result = await withDeclaration(db)
    .updateTable('organisation')
    .set({ ...values, updated_at: at, version: version + 1 })
    .where('id', '=', organisationOf(db))
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** An organisation of the tree, as the CLI and the oversight pages list them. */
export interface OrganisationEntry {
  id: number;
  code: string;
  name: string;
  parent_id: number | null;
  kind: string;
  status: string;
}

/** Every organisation of the database, in code order (a cross-organisation read: no scope). */
export function listOrganisations(db: Db): Promise<OrganisationEntry[]> {
  return db.selectFrom('organisation').select(['id', 'code', 'name', 'parent_id', 'kind', 'status']).orderBy('code').execute();
}
