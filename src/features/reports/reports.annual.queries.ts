import { sql, type Selectable } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import { listNcFiguresAt, sumNcFigures } from '../nonconformities/nonconformities.report.queries';
import { inForceOn } from '../documents/documents.inforce.queries';
import type { AnnualReportsTable } from './reports.tables';

/**
 * The annual QMS report: its own table, and the organisation-wide figures of the year that no other feature
 * offers (procedures in the QMS, documents issued and revised, audits and their findings, nonconformities).
 * The nonconformity figures follow the rules of ncFiguresForProcedure, for all nonconformities of the office.
 */
export type AnnualReportRow = Pick<
  Selectable<AnnualReportsTable>,
  | 'id'
  | 'year'
  | 'status'
  | 'number_text'
  | 'narratives'
  | 'figures_json'
  | 'letterhead_json'
  | 'as_of'
  | 'content_sha256'
  | 'signature_id'
  | 'issued_by'
  | 'issued_at'
  | 'version'
  | 'created_at'
  | 'updated_at'
> & {
  issued_by_name: string | null;
};

const base = (db: Db) =>
  db
    .selectFrom('annual_reports as a')
    .leftJoin('users as u', 'u.id', 'a.issued_by')
    .select([
      'a.id',
      'a.year',
      'a.status',
      'a.number_text',
      'a.narratives',
      'a.figures_json',
      'a.letterhead_json',
      'a.as_of',
      'a.content_sha256',
      'a.signature_id',
      'a.issued_by',
      'u.full_name as issued_by_name',
      'a.issued_at',
      'a.version',
      'a.created_at',
      'a.updated_at',
    ])
    .where('a.organisation_id', '=', organisationOf(db));

export function findAnnualReport(db: Db, year: number): Promise<AnnualReportRow | undefined> {
  return base(db).where('a.year', '=', year).executeTakeFirst();
}

export function listAnnualReports(db: Db): Promise<AnnualReportRow[]> {
  return base(db).orderBy('a.year', 'desc').limit(200).execute();
}

/** The organisation's drafts waiting for a leader's signature (dashboard). */
export function listAnnualDrafts(db: Db): Promise<{ id: number; year: number; updated_at: string }[]> {
  return db
    .selectFrom('annual_reports')
    .select(['id', 'year', 'updated_at'])
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', 'draft')
    .orderBy('year')
    .limit(20)
    .execute();
}

export async function insertAnnualReport(
  db: Db,
  row: { year: number; narratives: string; number_text: string | null; created_by: number },
  at: string,
): Promise<number> {
  const inserted = await db
    .insertInto('annual_reports')
    .values({ ...row, created_at: at, updated_at: at, organisation_id: organisationOf(db) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/** Updates a draft when `version` is still current; false on a stale version or an issued report. */
export async function updateAnnualDraft(
  db: Db,
  id: number,
  values: { narratives: string; number_text: string | null },
  version: number,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('annual_reports')
    .set({ ...values, updated_at: at, version: version + 1 })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', 'draft')
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function updateAnnualIssued(
  db: Db,
  id: number,
  values: { figures_json: string; letterhead_json: string; as_of: string; content_sha256: string; signature_id: number; issued_by: number; issued_at: string },
  version: number,
): Promise<boolean> {
  const result = await db
    .updateTable('annual_reports')
    .set({ ...values, status: 'issued', updated_at: values.issued_at, version: version + 1 })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', 'draft')
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// ---- Organisation-wide figures of a period (the organisation's documents, audits and nonconformities) ----

/**
 * Revisions in force from a date within the period and not after `today` (recorded or not: documents.inforce.queries):
 * a document's first is "issued", a later one "revised"; and the documents in force at its end (or today).
 */
export async function countDocumentChanges(
  db: Db,
  from: string,
  to: string,
  today: string,
): Promise<{ issued: number; revised: number; withdrawn: number; effectiveAtEnd: number }> {
  const organisation = organisationOf(db);
  // An earlier revision (e) is of the same document as r, so of the same organisation: only r is filtered.
  const { rows } = await sql<{ issued: number; revised: number }>`
    select
      coalesce(sum(case when earlier is null then 1 else 0 end), 0) as issued,
      coalesce(sum(case when earlier is null then 0 else 1 end), 0) as revised
    from (
      select r.id, (select 1 from document_revisions e where e.document_id = r.document_id and e.revision_no < r.revision_no
        and e.status in ('approved', 'effective', 'superseded', 'withdrawn') and e.effective_from is not null limit 1) as earlier
      from document_revisions r
      where r.organisation_id = ${organisation} and r.status in ('approved', 'effective', 'superseded', 'withdrawn')
        and r.effective_from >= ${from} and r.effective_from <= ${to} and r.effective_from <= ${today}
    ) as changed`.execute(db);
  const withdrawn = await db
    .selectFrom('documents')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organisation_id', '=', organisation)
    .where('withdrawn_on', '>=', from)
    .where('withdrawn_on', '<=', to)
    .executeTakeFirstOrThrow();
  // The documents with a revision in force at the period's end (inForceOn: from 00:00 of its date, recorded or not).
  const effective = await db
    .selectFrom('document_revisions as r')
    .select((eb) => eb.fn.count<number>('r.document_id').distinct().as('n'))
    .where('r.organisation_id', '=', organisation)
    .where(inForceOn('r', to < today ? to : today))
    .executeTakeFirstOrThrow();
  return { issued: Number(rows[0]?.issued ?? 0), revised: Number(rows[0]?.revised ?? 0), withdrawn: Number(withdrawn.n), effectiveAtEnd: Number(effective.n) };
}

/** Audits conducted within the period (first day of fieldwork, not cancelled by its end) and their active findings by grade. */
export async function countAuditsHeld(
  db: Db,
  from: string,
  to: string,
): Promise<{ held: number; internal: number; external: number; majorNc: number; minorNc: number; observation: number; ofi: number }> {
  const held = await db
    .selectFrom('audits')
    .select(['type', (eb) => eb.fn.countAll<number>().as('n')])
    .where('organisation_id', '=', organisationOf(db))
    .where(sql<boolean>`(status <> 'cancelled' or cancelled_on > ${to})`)
    .where('actual_start', '>=', from)
    .where('actual_start', '<=', to)
    .groupBy('type')
    .execute();
  const findings = await db
    .selectFrom('audit_findings as f')
    .innerJoin('audits as a', 'a.id', 'f.audit_id')
    .select(['f.grade', (eb) => eb.fn.countAll<number>().as('n')])
    // The findings of the organisation's audits (a finding belongs to its audit's organisation).
    .where('a.organisation_id', '=', organisationOf(db))
    .where(sql<boolean>`(a.status <> 'cancelled' or a.cancelled_on > ${to})`)
    .where('a.actual_start', '>=', from)
    .where('a.actual_start', '<=', to)
    .where('f.status', '=', 'active')
    .groupBy('f.grade')
    .execute();
  const byType = new Map(held.map((r) => [r.type, Number(r.n)]));
  const byGrade = new Map(findings.map((r) => [r.grade, Number(r.n)]));
  const internal = byType.get('internal') ?? 0;
  const external = (byType.get('certification') ?? 0) + (byType.get('surveillance') ?? 0);
  return {
    held: internal + external,
    internal,
    external,
    majorNc: byGrade.get('major_nc') ?? 0,
    minorNc: byGrade.get('minor_nc') ?? 0,
    observation: byGrade.get('observation') ?? 0,
    ofi: byGrade.get('ofi') ?? 0,
  };
}

/**
 * The nonconformity figures of the whole office (any procedure or none), by the rules of ncFiguresForProcedure: read
 * from the history as of `to`, reports awaiting triage and the two kinds of overdue actions counted apart.
 */
export async function countNonconformitiesOverall(db: Db, from: string, to: string): Promise<AnnualNcFigures> {
  const f = sumNcFigures((await listNcFiguresAt(db, from, to)).values());
  return {
    raised: f.raised,
    closed: f.closed,
    openAtEnd: f.openAtEnd,
    overdueActions: f.overdueActions,
    awaitingTriage: f.awaitingTriage,
    overdueCorrectiveActions: f.overdueCorrectiveActions,
    overdueOtherActions: f.overdueOtherActions,
  };
}

/** The annual report's nonconformity figures; reports issued before issue 20 were frozen without the last three. */
export interface AnnualNcFigures {
  raised: number;
  closed: number;
  openAtEnd: number;
  overdueActions: number;
  awaitingTriage?: number;
  overdueCorrectiveActions?: number;
  overdueOtherActions?: number;
}
