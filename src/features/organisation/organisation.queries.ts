import type { Db } from '../../core/db/database';

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
  version: number;
  updated_at: string;
}

const COLUMNS = [
  'name',
  'parent_agency',
  'place_name',
  'report_number_suffix',
  'signer_title',
  'signer_name',
  'time_zone',
  'recipients',
  'not_applicable_clauses',
  'version',
  'updated_at',
] as const;

export function findOrganisation(db: Db): Promise<Organisation | undefined> {
  return db.selectFrom('organisation').select(COLUMNS).where('id', '=', 1).executeTakeFirst();
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type OrganisationValues = Omit<Organisation, 'version' | 'updated_at'>;

export async function insertOrganisation(db: Db, values: OrganisationValues, at: string): Promise<void> {
  await db
    .insertInto('organisation')
    .values({ id: 1, ...values, updated_at: at })
    .execute();
}

/** Updates the settings when `version` is still current; returns false on a conflicting edit. */
export async function updateOrganisation(db: Db, values: OrganisationValues, version: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('organisation')
    .set({ ...values, updated_at: at, version: version + 1 })
    .where('id', '=', 1)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
