import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import { sortVi } from '../../core/text/collate';
import type { DocumentReviewsTable } from './documents.tables';
import { inForceIdNow } from './documents.inforce.queries';

/**
 * Read-and-acknowledge and periodic reviews. The people a document concerns are worked out when asked
 * (active users of the owner unit, of the chosen units, or everyone), so a new effective revision — which
 * has no acknowledgement yet — re-opens the question for all of them at once.
 */
const concerned = (doc: RawBuilder<unknown>, user: RawBuilder<unknown>) => sql<boolean>`(
  (${doc}.ack_scope = 'all' and ${user}.organisation_id = ${doc}.organisation_id)
  or (${doc}.ack_scope = 'owner_unit' and ${user}.unit_id = ${doc}.owner_unit_id)
  or (${doc}.ack_scope = 'units' and ${user}.unit_id in (select unit_id from document_ack_units where document_id = ${doc}.id))
)`;
const D = sql.ref('d');
const U = sql.ref('u');

/**
 * acknowledgementCoverage as two columns of a statement that lists revisions: `doc` names a row with the document's
 * id, ack_scope and owner_unit_id, `revisionId` the revision's id. The same counts (one acknowledgement per user and
 * revision), without a statement per revision; the users a scope concerns are counted by that scope's own test
 * (`concerned` is their "or"), for the required users and for those who acknowledged alike, so a document of its
 * unit reads that unit's users (users_unit_idx) and one that concerns nobody reads no user (testing the "or" on
 * every user took 0.4 ms per revision at 1,000 users; the acknowledgements still did, 480 -> 260 µs of PostgreSQL
 * CPU for the quality officer's 8 revisions).
 */
export function coverageColumns(doc: RawBuilder<unknown>, revisionId: RawBuilder<unknown>): { required: RawBuilder<number>; acknowledged: RawBuilder<number> } {
  const acked = sql`join document_acknowledgements a on a.user_id = u.id and a.revision_id = ${revisionId}`;
  // Scope 'all': every user of the document's organisation (read by primary key: callers' rows need not carry it).
  const sameOrganisation = sql`u.organisation_id = (select od.organisation_id from documents od where od.id = ${doc}.id)`;
  return {
    required: sql<number>`(case ${doc}.ack_scope
      when 'all' then (select count(*) from users u where ${sameOrganisation} and u.active = 1)
      when 'owner_unit' then (select count(*) from users u where u.unit_id = ${doc}.owner_unit_id and u.active = 1)
      when 'units' then (select count(*) from users u where u.active = 1 and u.unit_id in (select unit_id from document_ack_units where document_id = ${doc}.id))
      else 0 end)`,
    acknowledged: sql<number>`(case ${doc}.ack_scope
      when 'all' then (select count(*) from users u ${acked} where ${sameOrganisation} and u.active = 1)
      when 'owner_unit' then (select count(*) from users u ${acked} where u.unit_id = ${doc}.owner_unit_id and u.active = 1)
      when 'units' then (select count(*) from users u ${acked} where u.active = 1 and u.unit_id in (select unit_id from document_ack_units where document_id = ${doc}.id))
      else 0 end)`,
  };
}

export async function acknowledgementCoverage(db: Db, revisionId: number): Promise<{ required: number; acknowledged: number }> {
  const { rows } = await sql<{ required: number; acknowledged: number }>`
    select count(*) as required, count(a.id) as acknowledged
    from document_revisions r
    join documents d on d.id = r.document_id
    join users u on u.active = 1 and ${concerned(D, U)}
    left join document_acknowledgements a on a.revision_id = r.id and a.user_id = u.id
    where r.id = ${revisionId} and r.organisation_id = ${organisationOf(db)}`.execute(db);
  const row = rows[0];
  return { required: Number(row?.required ?? 0), acknowledged: Number(row?.acknowledged ?? 0) };
}

export interface AckStatusRow {
  user_id: number;
  full_name: string;
  unit_code: string | null;
  acknowledged_at: string | null;
}

/** Everyone the document concerns, with when (if) they acknowledged this revision; not yet acknowledged first. */
export async function listAcknowledgementStatus(db: Db, revisionId: number): Promise<AckStatusRow[]> {
  const { rows } = await sql<AckStatusRow>`
    select u.id as user_id, u.full_name, un.code as unit_code, a.acknowledged_at
    from document_revisions r
    join documents d on d.id = r.document_id
    join users u on u.active = 1 and ${concerned(D, U)}
    left join units un on un.id = u.unit_id
    left join document_acknowledgements a on a.revision_id = r.id and a.user_id = u.id
    where r.id = ${revisionId} and r.organisation_id = ${organisationOf(db)}
    order by a.acknowledged_at is not null, un.code`.execute(db);
  // Within a unit, names in Vietnamese alphabetical order (SQLite compares bytes: "Đặng" after "Zung").
  return sortVi(
    rows,
    (r) => (r.acknowledged_at === null ? 0 : 1),
    (r) => r.unit_code,
    (r) => r.full_name,
  );
}

export interface PendingAckRow {
  documentId: number;
  code: string;
  title: string;
  revisionId: number;
  revisionNo: number;
  effectiveFrom: string;
  changeSummary: string | null;
  /** The revision number this person last acknowledged, if any. */
  lastAcknowledgedNo: number | null;
}

/**
 * Revisions in force today (documents.inforce.queries) that concern this user and that they have not yet acknowledged, newest first. The cross joins
 * keep the order user → the documents that concern them (documents_ack_scope_idx) → their effective revision;
 * otherwise SQLite, which has no statistics, starts from every effective revision of the register. The join
 * conditions are in the WHERE clause (SQLite keeps a cross join's order all the same; PostgreSQL has no "cross join
 * … on", and plans the inner joins by itself). The organisation: the user's, checked on the documents of scope 'all'
 * (`concerned`) and on the revision; a unit's documents are its organisation's (a form's units are checked).
 */
export async function listPendingAcknowledgements(db: Db, userId: number, today: string): Promise<PendingAckRow[]> {
  const { rows } = await sql<PendingAckRow>`
    select d.id as "documentId", d.code, d.title, r.id as "revisionId", r.revision_no as "revisionNo",
      r.effective_from as "effectiveFrom", r.change_summary as "changeSummary",
      (select max(r2.revision_no) from document_acknowledgements a2 join document_revisions r2 on r2.id = a2.revision_id
        where a2.user_id = u.id and a2.document_id = d.id) as "lastAcknowledgedNo"
    from users u
    cross join documents d
    cross join document_revisions r
    where u.id = ${userId} and u.organisation_id = ${organisationOf(db)} and u.active = 1
      and d.status = 'active' and ${concerned(D, U)}
      and r.id = ${inForceIdNow(sql.ref('d.id'), today)} and r.organisation_id = u.organisation_id
      and not exists (select 1 from document_acknowledgements a where a.revision_id = r.id and a.user_id = u.id)
    order by r.effective_from desc, d.code`.execute(db);
  return rows;
}

export async function isConcerned(db: Db, documentId: number, userId: number): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`
    select count(*) as n from documents d join users u on u.id = ${userId}
    where d.id = ${documentId} and d.organisation_id = ${organisationOf(db)} and u.organisation_id = d.organisation_id and u.active = 1 and ${concerned(D, U)}`.execute(
    db,
  );
  return Number(rows[0]?.n ?? 0) > 0;
}

export function findAcknowledgement(db: Db, revisionId: number, userId: number): Promise<{ acknowledged_at: string } | undefined> {
  return db
    .selectFrom('document_acknowledgements')
    .select('acknowledged_at')
    .where('revision_id', '=', revisionId)
    .where('user_id', '=', userId)
    .where('organisation_id', '=', organisationOf(db))
    .executeTakeFirst();
}

/** The newest revision of the document that this user acknowledged. */
export function findLastAcknowledged(
  db: Db,
  documentId: number,
  userId: number,
): Promise<{ revision_id: number; revision_no: number; acknowledged_at: string } | undefined> {
  return db
    .selectFrom('document_acknowledgements as a')
    .innerJoin('document_revisions as r', 'r.id', 'a.revision_id')
    .select(['a.revision_id', 'r.revision_no', 'a.acknowledged_at'])
    .where('a.document_id', '=', documentId)
    .where('a.user_id', '=', userId)
    .where('a.organisation_id', '=', organisationOf(db))
    .orderBy('r.revision_no', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Records an acknowledgement; false when this person had already acknowledged this revision. */
export async function insertAcknowledgement(
  db: Db,
  row: { revision_id: number; document_id: number; user_id: number; acknowledged_at: string },
): Promise<boolean> {
  const result = await db
    .insertInto('document_acknowledgements')
    .values({ ...row, organisation_id: organisationOf(db) })
    .onConflict((oc) => oc.columns(['revision_id', 'user_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export type ReviewRow = Pick<Selectable<DocumentReviewsTable>, 'id' | 'reviewed_on' | 'comment' | 'previous_due' | 'next_review_due'> & {
  revision_no: number;
  reviewer_name: string;
};

export function listReviews(db: Db, documentId: number): Promise<ReviewRow[]> {
  return db
    .selectFrom('document_reviews as v')
    .innerJoin('document_revisions as r', 'r.id', 'v.revision_id')
    .innerJoin('users as u', 'u.id', 'v.reviewer_id')
    .select(['v.id', 'r.revision_no', 'v.reviewed_on', 'v.comment', 'u.full_name as reviewer_name', 'v.previous_due', 'v.next_review_due'])
    .where('v.document_id', '=', documentId)
    .where('v.organisation_id', '=', organisationOf(db))
    .orderBy('v.id', 'desc')
    .execute();
}

export async function insertReview(
  db: Db,
  row: {
    document_id: number;
    revision_id: number;
    reviewed_on: string;
    comment: string | null;
    reviewer_id: number;
    previous_due: string | null;
    next_review_due: string;
    signature_id: number;
  },
  at: string,
): Promise<number> {
  const inserted = await db
    .insertInto('document_reviews')
    .values({ ...row, outcome: 'no_change', created_at: at, organisation_id: organisationOf(db) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}
