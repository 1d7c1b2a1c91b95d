import { sql, type ExpressionBuilder } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import type { DB } from '../../core/db/schema';
import { joinInOrder } from '../../core/db/dialect/joins';
import { coverageColumns } from '../documents/documents.queries';
import { REVISION_STATUSES } from '../documents/documents.tables';
import { ACTIVE_STATUSES } from '../nonconformities/nonconformities.model';
import { ROLES } from '../../core/http/roles';
import { inForceIdNow, notReplacedOn } from '../documents/documents.inforce.queries';

/**
 * A LIMIT as SQL text, as are the fixed statuses of these statements: PostgreSQL then keeps one generic plan for each
 * prepared statement; with `limit $n` (or `status = $1`) its generic estimate was the worse one, so it planned the
 * statement again on every request (the union of the actions due: 2 ms of planning for 0.7 ms of execution).
 */
const rowLimit = (n: number) => sql.lit(Math.max(0, Math.trunc(n)));

/**
 * The few dashboard figures no other feature offers: what waits for a leader's signature and the admin's
 * system overview. Each is one small indexed statement (dashboards are benchmarked on a province-size database).
 * Every figure is the organisation's (organisationOf(db)): each statement's root table is filtered by it, the rows
 * joined by reference from a filtered row being the organisation's own.
 */
export interface RevisionAwaitingRow {
  documentId: number;
  revisionId: number;
  code: string;
  title: string;
  revisionNo: number;
  submittedAt: string | null;
  reviewed: boolean;
}

/**
 * Revisions in review that a leader may sign: reviewed ones await approval, the others a review. Never their own; not
 * the ones they reviewed, unless the organisation's rule lets two people sign (`signers` 2).
 */
export async function listRevisionsAwaitingSignature(db: Db, userId: number, signers: 2 | 3 = 3): Promise<RevisionAwaitingRow[]> {
  const rows = await revisionsAwaitingSignature(db, userId, signers).execute();
  return rows.map(({ reviewed_at, ...r }) => ({ ...r, reviewed: reviewed_at !== null }));
}

function revisionsAwaitingSignature(db: Db, userId: number, signers: 2 | 3) {
  let query = db
    .selectFrom('document_revisions as r')
    .innerJoin('documents as d', 'd.id', 'r.document_id')
    .select(['d.id as documentId', 'r.id as revisionId', 'd.code', 'd.title', 'r.revision_no as revisionNo', 'r.submitted_at as submittedAt', 'r.reviewed_at'])
    // Fixed values as literals: PostgreSQL keeps one plan for the prepared statement (with `status = $1` it planned
    // again on every request, its generic estimate being for any status).
    .where('r.status', '=', sql.lit('in_review'))
    .where('d.status', '=', sql.lit('active'))
    .where('r.organisation_id', '=', organisationOf(db))
    .where('r.author_id', '!=', userId);
  // Under the rule of three the reviewer does not approve what they reviewed; under the rule of two they may.
  if (signers === 3) query = query.where((eb) => eb.or([eb('r.reviewer_id', 'is', null), eb('r.reviewer_id', '!=', userId)]));
  // A revision without a submission time (written before the column was kept) first, as SQLite orders nulls, on both engines.
  return query
    .orderBy('r.submitted_at', (ob) => ob.asc().nullsFirst())
    .orderBy('r.id')
    .limit(sql.lit(50));
}

export interface AwaitingSignature {
  revisions: RevisionAwaitingRow[];
  programmes: { year: number; items: number; updated_at: string }[];
  annual: { id: number; year: number; updated_at: string }[];
}

/**
 * What waits for a leader's signature, in one statement: the revisions (listRevisionsAwaitingSignature), the audit
 * programmes not yet approved (listProgrammesAwaitingApproval) and the annual report drafts (reports' listAnnualDrafts),
 * each part cut to its limit in its own order, as one union of rows tagged by part. Three statements before: each
 * cost node a round trip (writing to the socket was a quarter of the leader's page's CPU) for a few rows.
 */
export async function listAwaitingSignature(db: Db, userId: number, signers: 2 | 3 = 3): Promise<AwaitingSignature> {
  const revisions = revisionsAwaitingSignature(db, userId, signers);
  const org = organisationOf(db);
  // One shape for the three parts: part, two ids, a number, four texts.
  const { rows } = await sql<{
    part: 'r' | 'p' | 'a';
    id1: number | null;
    id2: number | null;
    n: number;
    t1: string | null;
    t2: string | null;
    t3: string | null;
    t4: string | null;
  }>`
    select 'r' as part, x."documentId" as id1, x."revisionId" as id2, x."revisionNo" as n, x.code as t1, x.title as t2, x."submittedAt" as t3, x.reviewed_at as t4
    from (${revisions}) x
    union all
    select 'p', y.items, null, y.year, y.updated_at, null, null, null from (
      select p.year, p.updated_at, (select count(*) from audit_programme_items i where i.programme_id = p.id and i.status = 'planned') as items
      from audit_programmes p where p.organisation_id = ${org} and p.status = 'draft' order by p.year limit 10) y
    union all
    select 'a', z.id, null, z.year, z.updated_at, null, null, null from (
      select id, year, updated_at from annual_reports where organisation_id = ${org} and status = 'draft' order by year limit 20) z`.execute(db);
  const out: AwaitingSignature = { revisions: [], programmes: [], annual: [] };
  for (const r of rows) {
    if (r.part === 'r')
      out.revisions.push({
        documentId: Number(r.id1),
        revisionId: Number(r.id2),
        code: r.t1 ?? '',
        title: r.t2 ?? '',
        revisionNo: Number(r.n),
        submittedAt: r.t3,
        reviewed: r.t4 !== null,
      });
    else if (r.part === 'p') out.programmes.push({ year: Number(r.n), updated_at: r.t1 ?? '', items: Number(r.id1 ?? 0) });
    else out.annual.push({ id: Number(r.id1), year: Number(r.n), updated_at: r.t1 ?? '' });
  }
  // A union keeps no order: each part in its own order again (the rows are those each part's limit chose).
  out.revisions.sort((a, b) => nullsFirst(a.submittedAt, b.submittedAt) || a.revisionId - b.revisionId);
  out.programmes.sort((a, b) => a.year - b.year);
  out.annual.sort((a, b) => a.year - b.year);
  return out;
}

/** Text order with nulls first (the order of `order by … nulls first` for ISO timestamps: ASCII, compared by code unit on every engine). */
const nullsFirst = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);

/** Audit programmes not yet approved. */
export function listProgrammesAwaitingApproval(db: Db): Promise<{ year: number; items: number; updated_at: string }[]> {
  return db
    .selectFrom('audit_programmes as p')
    .select([
      'p.year',
      'p.updated_at',
      (eb) =>
        eb
          .selectFrom('audit_programme_items as i')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('i.programme_id', '=', 'p.id')
          .where('i.status', '=', sql.lit('planned'))
          .as('items'),
    ])
    .where('p.organisation_id', '=', organisationOf(db))
    .where('p.status', '=', sql.lit('draft'))
    .orderBy('p.year')
    .limit(10)
    .execute()
    .then((rows) => rows.map((r) => ({ year: r.year, updated_at: r.updated_at, items: Number(r.items ?? 0) })));
}

export interface SystemOverview {
  activeUsers: number;
  usersByRole: Record<string, number>;
  activeUnits: number;
  activeProcedures: number;
  activeDocuments: number;
  auditLogEntries: number;
  lastAuditLogAt: string | null;
  lastDossierImport: { file_name: string; imported_at: string; rows_total: number } | null;
}

/**
 * One statement: the organisation's kept counts of overview_counts (active documents, procedures, users by role and
 * its audit-log entries; kept by triggers in the transaction of every change, migrations 2026_12_09_0910 and
 * 2026_12_10_1600: counting them read 19,850 index entries of the documents, 2,000 of the procedures, the 1,000
 * users and, per organisation, its share of a log of a million entries on every request), each row carrying the other
 * figures as scalar subqueries (computed once per statement on both engines). Six statements before, which cost
 * PostgreSQL and node more in round trips than in reading. Without a kept row (an empty organisation), the figures
 * are read alone. The last entry and the last import are read from the end of an (organisation_id, id) range.
 */
export async function findSystemOverview(db: Db): Promise<SystemOverview> {
  const org = organisationOf(db);
  const lastImport = (eb: ExpressionBuilder<DB, never>) =>
    eb.selectFrom('dossier_imports').where('organisation_id', '=', org).orderBy('id', 'desc').limit(sql.lit(1));
  const figures = (eb: ExpressionBuilder<DB, never>) => [
    eb
      .selectFrom('units')
      .select((e) => e.fn.countAll<number>().as('n'))
      .where('organisation_id', '=', org)
      .where('active', '=', sql.lit(1))
      .as('units'),
    eb.selectFrom('audit_log').select('at').where('organisation_id', '=', org).orderBy('id', 'desc').limit(sql.lit(1)).as('log_at'),
    lastImport(eb).select('id').as('import_id'),
    lastImport(eb).select('file_name').as('import_file_name'),
    lastImport(eb).select('imported_at').as('import_imported_at'),
    lastImport(eb).select('rows_total').as('import_rows_total'),
  ];
  // overview_counts is read by raw SQL, as nc_register_counts (it has no row type of its own).
  const counts = sql<{ name: string; n: number }>`overview_counts`;
  const rows = await db
    .selectFrom(counts.as('c'))
    .select((eb) => [sql<string>`c.name`.as('name'), sql<number>`c.n`.as('n'), ...figures(eb as unknown as ExpressionBuilder<DB, never>)])
    .where(sql`c.organisation_id`, '=', org)
    .execute();
  const first = rows[0] ?? (await db.selectNoFrom((eb) => figures(eb)).executeTakeFirstOrThrow());
  const lastDossierImport =
    first.import_id == null
      ? null
      : { file_name: first.import_file_name ?? '', imported_at: first.import_imported_at ?? '', rows_total: Number(first.import_rows_total ?? 0) };
  const kept = new Map(rows.map((r) => [r.name, Number(r.n)]));
  // The roles with active users, in the order of ROLES (as the former `group by role` gave them, a role without any left out).
  const usersByRole: Record<string, number> = {};
  for (const role of ROLES) {
    const n = kept.get(`users:${role}`) ?? 0;
    if (n > 0) usersByRole[role] = n;
  }
  return {
    activeUsers: Object.values(usersByRole).reduce((a, b) => a + b, 0),
    usersByRole,
    activeUnits: Number(first.units ?? 0),
    activeProcedures: kept.get('procedures') ?? 0,
    activeDocuments: kept.get('documents') ?? 0,
    auditLogEntries: kept.get('audit_log') ?? 0,
    lastAuditLogAt: first.log_at ?? null,
    lastDossierImport,
  };
}

// ---- Bounded lists: how many, and the first few (the features' own lists return every row) ----

export interface ActionDueRow {
  id: number;
  nc_code: string;
  description: string;
  due_date: string;
  owner_name: string | null;
}

const OPEN_ACTIONS = ['planned', 'in_progress'] as const;
type Window = 'overdue' | 'soon';

/**
 * Open actions (planned, in progress) due before `today` (overdue), or due from `today` to `until` (soon): the
 * earliest few of each. The first few of each open status in each window (each a walk of the (status, due_date)
 * index, cut to `limit`; one query over both statuses would sort every open action of a province first), as one
 * union, merged here. Four statements before: each cost PostgreSQL about 0.3 ms and node a round trip, more than the
 * reading itself.
 */
export async function listActionsDueFirst(db: Db, today: string, until: string, limit: number): Promise<Record<Window, ActionDueRow[]>> {
  const first = (status: (typeof OPEN_ACTIONS)[number], w: Window) => {
    let q = db
      .selectFrom('nc_actions as a')
      .innerJoin('nonconformities as n', 'n.id', 'a.nonconformity_id')
      .leftJoin('users as o', 'o.id', 'a.owner_id')
      .select(['a.id', 'n.code as nc_code', 'a.description', 'a.due_date', 'o.full_name as owner_name', sql<Window>`${sql.lit(w)}`.as('w')])
      // The organisation's (organisation_id, status, due_date) run (nc_actions_org_due_idx, the actions' migration).
      .where('a.organisation_id', '=', organisationOf(db))
      // A literal status: PostgreSQL keeps one plan for the prepared statement, for this status.
      .where('a.status', '=', sql.lit(status));
    // Due soon: the first few due from today on, those after `until` dropped below. They come in due-date order, so
    // the first few within the window are among them. A range bounded on both sides made SQLite (no statistics)
    // take (status, due_date), every organisation's, over the organisation's (organisation_id, status, due_date).
    q = w === 'overdue' ? q.where('a.due_date', '<', today) : q.where('a.due_date', '>=', today);
    return db.selectFrom(q.orderBy('a.due_date').orderBy('a.id').limit(rowLimit(limit)).as('b')).selectAll();
  };
  const rows = await first('planned', 'overdue')
    .unionAll(first('in_progress', 'overdue'))
    .unionAll(first('planned', 'soon'))
    .unionAll(first('in_progress', 'soon'))
    .execute();
  const items = (w: Window) =>
    rows
      .filter((r) => r.w === w && (w === 'overdue' || r.due_date <= until))
      .map(({ w: _w, ...r }) => r)
      .sort((x, y) => (x.due_date < y.due_date ? -1 : x.due_date > y.due_date ? 1 : x.id - y.id))
      .slice(0, limit);
  return { overdue: items('overdue'), soon: items('soon') };
}

const countActions = (eb: ExpressionBuilder<DB, never>, org: number, w: Window, today: string, until: string) => {
  const q = eb
    .selectFrom('nc_actions')
    .select((e) => e.fn.countAll<number>().as('n'))
    .where('organisation_id', '=', org)
    .where(
      'status',
      'in',
      OPEN_ACTIONS.map((s) => sql.lit(s)),
    );
  return (w === 'overdue' ? q.where('due_date', '<', today) : q.where('due_date', '>=', today).where('due_date', '<=', until)).as(w);
};

/** Open actions (planned, in progress) due before `today`, or due from `today` to `until`: counts and the earliest few. */
export async function listActionsDue(
  db: Db,
  today: string,
  until: string,
  limit: number,
): Promise<{ overdue: { total: number; items: ActionDueRow[] }; dueSoon: { total: number; items: ActionDueRow[] } }> {
  const [items, totals] = await Promise.all([
    listActionsDueFirst(db, today, until, limit),
    db
      .selectNoFrom((eb) => [countActions(eb, organisationOf(db), 'overdue', today, until), countActions(eb, organisationOf(db), 'soon', today, until)])
      .executeTakeFirstOrThrow(),
  ]);
  return {
    overdue: { total: Number(totals.overdue ?? 0), items: items.overdue },
    dueSoon: { total: Number(totals.soon ?? 0), items: items.soon },
  };
}

export interface QualityFigures {
  nc: { major: number; minor: number; total: number };
  actionsOverdue: number;
  actionsDueSoon: number;
  /** Effective revisions whose periodic review is due by `reviewUntil` (or overdue), when asked. */
  reviewsDue?: number;
}

/**
 * The quality officer's counts in one statement: the nonconformities still being worked on (reported to awaiting
 * verification: ACTIVE_STATUSES, as countOpenBySeverity) by severity, from nc_register_counts (kept by triggers in
 * the transaction of every change to a nonconformity; counting them from the status index read 12,940 index
 * entries at province scale, 2 ms of PostgreSQL's execution); the open actions overdue and due soon, from
 * open_action_due_counts (open actions per due date, kept likewise, migration 2026_12_09_0920: a sum over about 900
 * days instead of 8,565 entries of the (status, due_date) index); and, with `reviewUntil`, the reviews due (the
 * review-date index alone, as listReviewsDue counts them; one statement fewer for the page).
 */
export async function countQualityFigures(db: Db, today: string, until: string, reviewUntil?: string): Promise<QualityFigures> {
  // nc_register_counts and open_action_due_counts are read by raw SQL as in the register's queries (they have no row
  // type of their own), each within the organisation's part of its key.
  const org = organisationOf(db);
  const open = (severity: 'major' | 'minor') =>
    sql<number>`(select coalesce(sum(n), 0) from nc_register_counts where organisation_id = ${org} and status in (${sql.join(ACTIVE_STATUSES.map((s) => sql.lit(s)))}) and severity = ${sql.lit(severity)})`.as(
      severity,
    );
  const due = (w: Window) =>
    sql<number>`(select coalesce(sum(n), 0) from open_action_due_counts where organisation_id = ${org} and ${w === 'overdue' ? sql`due_date < ${today}` : sql`due_date >= ${today} and due_date <= ${until}`})`.as(
      w,
    );
  const row = await db
    .selectNoFrom((eb) => [
      open('major'),
      open('minor'),
      due('overdue'),
      due('soon'),
      ...(reviewUntil === undefined ? [] : [reviewsDueCount(eb, org, reviewUntil, today)]),
    ])
    .executeTakeFirstOrThrow();
  const major = Number(row.major ?? 0);
  const minor = Number(row.minor ?? 0);
  return {
    nc: { major, minor, total: major + minor },
    actionsOverdue: Number(row.overdue ?? 0),
    actionsDueSoon: Number(row.soon ?? 0),
    ...(reviewUntil === undefined ? {} : { reviewsDue: Number((row as { reviews?: number }).reviews ?? 0) }),
  };
}

export interface ReviewDueRow {
  documentId: number;
  code: string;
  title: string;
  nextReviewDue: string;
  overdue: boolean;
}

/**
 * Effective revisions whose periodic review is due by `until`, counted from the review-date index alone: a withdrawn
 * document's effective revision is withdrawn with it (documents.service), so every effective revision belongs to an
 * active document. Joining the documents to check it again cost 10 ms at 20,000 documents.
 */
const reviewsDueCount = (eb: ExpressionBuilder<DB, never>, org: number, until: string, today: string) =>
  eb
    .selectFrom('document_revisions as r')
    .where('r.organisation_id', '=', org)
    .where('r.status', '=', sql.lit('effective'))
    .where('r.next_review_due', '<=', until)
    .where(notReplacedOn('r', today))
    .select((e) => e.fn.countAll<number>().as('n'))
    .as('reviews');

/** Effective documents whose periodic review is due by `until` (or overdue): the soonest few. */
export async function listReviewsDueFirst(db: Db, today: string, until: string, limit: number): Promise<ReviewDueRow[]> {
  const rows = await db
    .selectFrom('document_revisions as r')
    .where('r.organisation_id', '=', organisationOf(db))
    .where('r.status', '=', sql.lit('effective'))
    .where('r.next_review_due', '<=', until)
    .where(notReplacedOn('r', today))
    .innerJoin('documents as d', 'd.id', 'r.document_id')
    .where('d.status', '=', sql.lit('active'))
    .select(['d.id as documentId', 'd.code', 'd.title', 'r.next_review_due'])
    .orderBy('r.next_review_due')
    .orderBy('d.code')
    .limit(rowLimit(limit))
    .execute();
  return rows.map((r) => ({
    documentId: r.documentId,
    code: r.code,
    title: r.title,
    nextReviewDue: r.next_review_due ?? '',
    overdue: (r.next_review_due ?? '') < today,
  }));
}

/** Effective documents whose periodic review is due by `until` (or overdue): how many, and the soonest few. */
export async function listReviewsDue(db: Db, today: string, until: string, limit: number): Promise<{ total: number; items: ReviewDueRow[] }> {
  const [items, total] = await Promise.all([
    listReviewsDueFirst(db, today, until, limit),
    db
      .selectFrom('document_revisions as r')
      .where('r.organisation_id', '=', organisationOf(db))
      .where('r.status', '=', sql.lit('effective'))
      .where('r.next_review_due', '<=', until)
      .where(notReplacedOn('r', today))
      .select((e) => e.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { total: Number(total.n), items };
}

export interface PendingAckTopRow {
  documentId: number;
  code: string;
  title: string;
  revisionId: number;
  revisionNo: number;
  effectiveFrom: string | null;
}

/**
 * The newest revisions in force today (documents.inforce.queries: from 00:00 of their date) the user has not acknowledged, among the documents that concern them (the rule of
 * documents.acks.queries: scope all, their unit as owner, or their unit among the chosen units). `limit` + 1 rows
 * are read so the caller knows whether there are more.
 */
export async function listPendingAcknowledgementsTop(db: Db, userId: number, limit: number, today: string): Promise<PendingAckTopRow[]> {
  // The documents that concern the user, one index-driven part per acknowledgement scope (walking every effective
  // revision and testing the scope of each took 18 ms at 20,000 documents), then their revision in force by the
  // partial unique indexes (inForceIdNow) and its primary key, then the user's acknowledgement.
  // The organisation's documents: the first two parts read the (organisation_id, ack_scope, owner_unit_id, …) index;
  // the third comes through the user's unit (the organisation's) to the documents by id.
  const join = joinInOrder(db);
  const org = organisationOf(db);
  // Each part carries the document's code and title, so the documents are not read a second time.
  const { rows } = await sql<PendingAckTopRow>`
    with concerned(id, code, title) as (
      select d.id, d.code, d.title from documents d where d.organisation_id = ${org} and d.ack_scope = 'all' and d.status = 'active'
      union all
      select d.id, d.code, d.title from users u ${join} documents d on d.organisation_id = ${org} and d.ack_scope = 'owner_unit' and d.owner_unit_id = u.unit_id and d.status = 'active' where u.id = ${userId}
      union all
      select d.id, d.code, d.title from users u ${join} document_ack_units au on au.unit_id = u.unit_id ${join} documents d on d.id = au.document_id and d.ack_scope = 'units' and d.status = 'active' where u.id = ${userId}
    )
    select c.id as "documentId", c.code, c.title, r.id as "revisionId", r.revision_no as "revisionNo", r.effective_from as "effectiveFrom"
    from concerned c
    ${join} document_revisions r on r.id = ${inForceIdNow(sql.ref('c.id'), today)}
    where exists (select 1 from users u where u.id = ${userId} and u.organisation_id = ${org} and u.active = 1)
      and not exists (select 1 from document_acknowledgements a where a.revision_id = r.id and a.user_id = ${userId})
    order by r.effective_from desc, c.code
    limit ${rowLimit(limit + 1)}`.execute(db);
  return rows;
}

export interface RecentRevisionRow {
  documentId: number;
  code: string;
  title: string;
  revisionId: number;
  revisionNo: number;
  effectiveFrom: string;
  changeSummary: string | null;
}

/**
 * The other statuses than effective and superseded: `status not in (…)` is the same test (a revision's status is one
 * of REVISION_STATUSES, never null) and neither engine reads it as an index range. SQLite then walks the
 * effective-date index newest first and stops at the limit (as documents.revisions' `status || ''` makes it do),
 * and PostgreSQL estimates it from its statistics: from `status || ''` it expected 10 rows instead of 900, so it read
 * every revision of the window and sorted them (4,000 buffers) instead of walking the same index (490).
 */
const NOT_PUBLISHED = REVISION_STATUSES.filter((s) => s !== 'effective' && s !== 'superseded');

/**
 * The newest revisions that took effect on or after `sinceDate` and by `today` (documents.revisions'
 * listRecentlyChangedDocuments, cut to `limit` in the statement): an approved revision from its date on, before its
 * transition is recorded. With their acknowledgement coverage when `coverage` (in the same statement, where the
 * quality officer's page ran one statement per revision).
 */
export async function listRecentRevisions(
  db: Db,
  sinceDate: string,
  today: string,
  limit: number,
  coverage: true,
): Promise<(RecentRevisionRow & { required: number; acknowledged: number })[]>;
export async function listRecentRevisions(db: Db, sinceDate: string, today: string, limit: number, coverage?: false): Promise<RecentRevisionRow[]>;
export async function listRecentRevisions(db: Db, sinceDate: string, today: string, limit: number, coverage = false): Promise<RecentRevisionRow[]> {
  const org = organisationOf(db);
  const columns = sql`d.id, d.organisation_id, d.code, d.title, d.ack_scope, d.owner_unit_id, r.id as revision_id, r.revision_no, r.effective_from, r.change_summary`;
  const published = sql`
    select ${columns}
    from documents d join document_revisions r on r.document_id = d.id
    where r.organisation_id = ${org} and d.status = 'active' and r.status not in (${sql.join(NOT_PUBLISHED.map((s) => sql.lit(s)))}) and r.effective_from >= ${sinceDate}
    order by r.effective_from desc, d.code, r.revision_no desc
    limit ${rowLimit(limit)}`;
  // Approved revisions whose date has come, their transition not recorded yet (the server's timer does it): in force
  // from 00:00 of their date. Few (one per document at most), read apart so the published index keeps its condition.
  const approvedInForce = sql`
    select ${columns}
    from documents d join document_revisions r on r.document_id = d.id
    where r.organisation_id = ${org} and d.status = 'active' and r.status = 'approved' and r.effective_from >= ${sinceDate} and r.effective_from <= ${today}`;
  const recent = sql`
    select * from (${published}) as p union all select * from (${approvedInForce}) as a
    order by effective_from desc, code, revision_no desc
    limit ${rowLimit(limit)}`;
  const X = sql.ref('x');
  const cov = coverageColumns(X, sql.ref('x.revision_id'));
  const { rows } = await sql<RecentRevisionRow & { required?: number; acknowledged?: number }>`
    select x.id as "documentId", x.code, x.title, x.revision_id as "revisionId", x.revision_no as "revisionNo",
      x.effective_from as "effectiveFrom", x.change_summary as "changeSummary"
      ${coverage ? sql`, ${cov.required} as required, ${cov.acknowledged} as acknowledged` : sql``}
    from (${recent}) x
    order by x.effective_from desc, x.code, x.revision_no desc`.execute(db);
  return coverage ? rows.map((r) => ({ ...r, required: Number(r.required), acknowledged: Number(r.acknowledged) })) : rows;
}
