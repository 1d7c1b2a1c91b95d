import type { Selectable } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import type { AuditProgrammeItemsTable, AuditProgrammesTable, AuditType, ProgrammeStatus } from './audits.tables';

/** The yearly audit programme and its planned audits: each organisation has its own programme of a year. */
export type ProgrammeRow = Pick<
  Selectable<AuditProgrammesTable>,
  'id' | 'year' | 'objectives' | 'status' | 'approved_by' | 'approved_at' | 'signature_id' | 'revision' | 'version'
> & {
  approved_by_name: string | null;
};

const programmeBase = (db: Db) =>
  db
    .selectFrom('audit_programmes as p')
    .where('p.organisation_id', '=', organisationOf(db))
    .leftJoin('users', 'users.id', 'p.approved_by')
    .select([
      'p.id',
      'p.year',
      'p.objectives',
      'p.status',
      'p.approved_by',
      'users.full_name as approved_by_name',
      'p.approved_at',
      'p.signature_id',
      'p.revision',
      'p.version',
    ]);

export function findProgrammeByYear(db: Db, year: number): Promise<ProgrammeRow | undefined> {
  return programmeBase(db).where('p.year', '=', year).executeTakeFirst();
}

export function listProgrammes(db: Db): Promise<(ProgrammeRow & { item_count: number })[]> {
  return programmeBase(db)
    .select((eb) =>
      eb
        .selectFrom('audit_programme_items')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('audit_programme_items.programme_id', '=', 'p.id')
        .where('audit_programme_items.status', '=', 'planned')
        .as('item_count'),
    )
    .orderBy('p.year', 'desc')
    .execute() as Promise<(ProgrammeRow & { item_count: number })[]>;
}

export async function insertProgramme(trx: Db, year: number, objectives: string, at: string): Promise<number> {
  const row = await trx
    .insertInto('audit_programmes')
    .values({ organisation_id: organisationOf(trx), year, objectives, created_at: at, updated_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateProgramme(
  trx: Db,
  id: number,
  changes: Partial<{
    objectives: string;
    status: ProgrammeStatus;
    approved_by: number | null;
    approved_at: string | null;
    signature_id: number | null;
    revision: number;
  }>,
  version: number,
  at: string,
): Promise<boolean> {
  const result = await trx
    .updateTable('audit_programmes')
    .set({ ...changes, updated_at: at, version: version + 1 })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(trx))
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export type ProgrammeItemRow = Pick<
  Selectable<AuditProgrammeItemsTable>,
  'id' | 'programme_id' | 'title' | 'month' | 'audit_type' | 'notes' | 'status' | 'cancel_reason' | 'version'
> & {
  programme_year: number;
  programme_status: ProgrammeStatus;
  procedure_ids: number[];
  unit_ids: number[];
  clauses: string[];
};

const itemBase = (db: Db) =>
  db
    .selectFrom('audit_programme_items as i')
    .innerJoin('audit_programmes as p', 'p.id', 'i.programme_id')
    .select([
      'i.id',
      'i.programme_id',
      'p.year as programme_year',
      'p.status as programme_status',
      'i.title',
      'i.month',
      'i.audit_type',
      'i.procedure_ids',
      'i.unit_ids',
      'i.clauses',
      'i.notes',
      'i.status',
      'i.cancel_reason',
      'i.version',
    ]);

type RawItem = Omit<ProgrammeItemRow, 'procedure_ids' | 'unit_ids' | 'clauses'> & { procedure_ids: string; unit_ids: string; clauses: string };

const parseList = <T>(json: string): T[] => {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? (value as T[]) : [];
};

const toItem = (row: RawItem): ProgrammeItemRow => ({
  ...row,
  procedure_ids: parseList<number>(row.procedure_ids),
  unit_ids: parseList<number>(row.unit_ids),
  clauses: parseList<string>(row.clauses),
});

export async function findProgrammeItem(db: Db, id: number): Promise<ProgrammeItemRow | undefined> {
  const row = await itemBase(db).where('i.id', '=', id).where('i.organisation_id', '=', organisationOf(db)).executeTakeFirst();
  return row ? toItem(row) : undefined;
}

export async function listProgrammeItems(db: Db, programmeId: number): Promise<ProgrammeItemRow[]> {
  const rows = await itemBase(db).where('i.programme_id', '=', programmeId).orderBy('i.month').orderBy('i.id').execute();
  return rows.map(toItem);
}

export interface ProgrammeItemValues {
  title: string;
  month: number;
  audit_type: AuditType;
  procedure_ids: number[];
  unit_ids: number[];
  clauses: string[];
  notes: string;
}

const toStored = (v: ProgrammeItemValues) => ({
  ...v,
  procedure_ids: JSON.stringify(v.procedure_ids),
  unit_ids: JSON.stringify(v.unit_ids),
  clauses: JSON.stringify(v.clauses),
});

export async function insertProgrammeItem(trx: Db, programmeId: number, values: ProgrammeItemValues, at: string): Promise<number> {
  const row = await trx
    .insertInto('audit_programme_items')
    .values({ organisation_id: organisationOf(trx), programme_id: programmeId, ...toStored(values), created_at: at, updated_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateProgrammeItem(
  trx: Db,
  id: number,
  changes: Partial<ProgrammeItemValues> & { status?: 'planned' | 'cancelled'; cancel_reason?: string | null },
  version: number,
  at: string,
): Promise<boolean> {
  const { procedure_ids, unit_ids, clauses, ...rest } = changes;
  const result = await trx
    .updateTable('audit_programme_items')
    .set({
      ...rest,
      ...(procedure_ids ? { procedure_ids: JSON.stringify(procedure_ids) } : {}),
      ...(unit_ids ? { unit_ids: JSON.stringify(unit_ids) } : {}),
      ...(clauses ? { clauses: JSON.stringify(clauses) } : {}),
      updated_at: at,
      version: version + 1,
    })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(trx))
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Audits conducted (first day of fieldwork) in the year, one row per procedure of their scope. */
export function listConductedInYear(db: Db, year: number): Promise<{ procedure_id: number; actual_start: string }[]> {
  return db
    .selectFrom('audits')
    .innerJoin('audit_procedures', 'audit_procedures.audit_id', 'audits.id')
    .select(['audit_procedures.procedure_id', 'audits.actual_start'])
    .where('audits.organisation_id', '=', organisationOf(db))
    .where('audits.status', '!=', 'cancelled')
    .where('audits.actual_start', '>=', `${year}-01-01`)
    .where('audits.actual_start', '<=', `${year}-12-31`)
    .execute() as Promise<{ procedure_id: number; actual_start: string }[]>;
}
