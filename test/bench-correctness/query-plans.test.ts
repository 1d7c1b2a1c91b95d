import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plansOf as plansFor } from '../support/plans';
import { createTestApp, type TestApp } from '../support/app';
import { onPostgres } from '../support/engine';
import type { Db } from '../../src/core/db/database';
import { listReviewsDue, listRevisionsAwaitingSignature } from '../../src/features/dashboard/dashboard.queries';
import { listPendingAcknowledgements } from '../../src/features/documents/documents.acks.queries';
import { findProcedureDocumentAt, listDocumentsDueForReview, listRecentlyChangedDocuments } from '../../src/features/documents/documents.queries';
import { dossierFigures, dossierFiguresForAll, monthlyOnTimeSeries } from '../../src/features/dossiers/dossiers.figures';
import { listNonconformities } from '../../src/features/nonconformities/nonconformities.list.queries';
import { ncFiguresForProcedure } from '../../src/features/nonconformities/nonconformities.report.queries';
import { todayLocal } from '../../src/core/calendar';

/** The organisation's local date on the test clock (what is in force is read on it). */
const today = () => todayLocal(t.clock.now(), 'Asia/Ho_Chi_Minh');

/**
 * The query plans that the province-scale benchmark depends on (npm run bench). SQLite runs here without ANALYZE
 * statistics, as in production, so the plan is decided by the indexes and the shape of each statement; these tests
 * catch a change that sends one of them back to walking a whole table. The statements are the real ones, captured
 * while the functions run, then explained.
 */
let t: TestApp;

const plansOf = (fn: (db: Db) => Promise<unknown>) => {
  if (!t.ctx.sqlite) throw new Error('query plans are read from SQLite');
  return plansFor(t.ctx.sqlite, fn);
};

const allPlans = (list: { plan: string[] }[]) => list.flatMap((p) => p.plan);

// SQLite-only: these tests read SQLite's EXPLAIN QUERY PLAN, which PostgreSQL does not have (its planner is another).
describe.skipIf(onPostgres)('query plans at province scale', () => {
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it("one procedure's nonconformity figures are three ranges of its kept spans' covering index, no nonconformity or history read", async () => {
    const plans = allPlans(await plansOf((db) => ncFiguresForProcedure(db, 1, '2025-01-01', '2025-12-31')));
    // Each part checks first that the procedure is the organisation's: one lookup by its id.
    expect(plans.filter((p) => p.startsWith('SEARCH p '))).toEqual(Array(3).fill('SEARCH p EXISTS USING INTEGER PRIMARY KEY (rowid=?)'));
    expect(plans.filter((p) => p.startsWith('SEARCH') && !p.startsWith('SEARCH p '))).toEqual([
      'SEARCH s USING COVERING INDEX nc_report_spans_procedure_idx (procedure_id=? AND kind=? AND ends>?)',
      'SEARCH c USING COVERING INDEX nc_report_spans_procedure_idx (procedure_id=? AND kind=?)',
      'SEARCH o USING COVERING INDEX nc_report_spans_procedure_idx (procedure_id=? AND kind=? AND ends>?)',
    ]);
    expect(plans.filter((p) => /\b(nonconformities|nc_status_history|nc_actions)\b|SCAN/.test(p))).toEqual([]);
  });

  it('the register counts open and overdue actions and the next due date per nonconformity from one covering index', async () => {
    const plans = allPlans(await plansOf((db) => listNonconformities(db, { status: 'active', severity: 'major', today: '2026-11-26' }, 50, 0)));
    expect(plans.filter((p) => p.includes('nc_actions_nc_due_idx')).length).toBe(3);
    expect(plans.filter((p) => p.includes('nc_actions_due_idx'))).toEqual([]);
  });

  it("a procedure's document at a date is looked up from its documents, not from every published revision", async () => {
    const plans = await plansOf((db) => findProcedureDocumentAt(db, 1, '2025-12-31'));
    expect(plans[0].plan[0]).toMatch(/SEARCH d USING .*INDEX documents_procedure_idx/);
  });

  it("a user's pending acknowledgements start from the documents that concern them", async () => {
    const plans = allPlans(await plansOf((db) => listPendingAcknowledgements(db, t.users.staff, today())));
    expect(plans).toContain('MULTI-INDEX OR');
    // The (ack_scope, owner_unit_id) index, or the covering one of the active documents (migration 2026_12_09_0900).
    expect(
      plans.some((p) => /documents_ack_(scope|cover)_idx/.test(p)),
      plans.join('\n'),
    ).toBe(true);
    expect(plans.filter((p) => p.includes('document_revisions_status_idx'))).toEqual([]);
  });

  it("a leader's revisions awaiting signature come in submission order from an index, without a sort", async () => {
    const plans = allPlans(await plansOf((db) => listRevisionsAwaitingSignature(db, t.users.leader)));
    expect(plans[0]).toBe('SEARCH r USING INDEX document_revisions_status_submitted_idx (status=?)');
    expect(plans).not.toContain('USE TEMP B-TREE FOR ORDER BY');
  });

  it("the quality officer's reviews due are counted from the review-date index alone", async () => {
    const plans = await plansOf((db) => listReviewsDue(db, '2026-12-05', '2027-01-04', 8));
    const count = plans.find((p) => p.sql.includes('count('));
    // Then, per revision due, whether an approved revision dated today replaces it (issue 29): its document's
    // revision in progress, by the partial unique index, never a walk of the revisions.
    expect(count?.plan[0]).toBe('SEARCH r USING COVERING INDEX document_revisions_review_due_idx (status=? AND next_review_due<?)');
    expect(new Set(count?.plan.slice(1).filter((p) => p.startsWith('SEARCH')))).toEqual(
      new Set(['SEARCH nx USING INDEX document_revisions_one_in_progress (document_id=?)']),
    );
  });

  it('recently changed documents come newest first from the effective-date index, sorting only ties', async () => {
    const plans = allPlans(await plansOf((db) => listRecentlyChangedDocuments(db, '2026-10-06', '2026-11-26', 8)));
    expect(plans[0]).toBe('SEARCH r USING INDEX document_revisions_effective_from_idx (effective_from>? AND effective_from<?)');
    expect(plans).toContain('USE TEMP B-TREE FOR LAST 2 TERMS OF ORDER BY');
    expect(plans).not.toContain('USE TEMP B-TREE FOR ORDER BY');
  });

  it('documents due for review are a range of the review-date index', async () => {
    const plans = allPlans(await plansOf((db) => listDocumentsDueForReview(db, '2026-11-26', 30)));
    expect(plans.some((p) => p.includes('document_revisions_review_due_idx (status=? AND next_review_due<?)'))).toBe(true);
  });

  it('dossier figures read the summary tables, and the dossiers table not at all', async () => {
    for (const run of [
      (db: Db) => dossierFigures(db, 1, '2025-01-01', '2025-12-31'),
      (db: Db) => dossierFigures(db, 1, '2025-01-15', '2025-11-20'),
      (db: Db) => dossierFiguresForAll(db, '2025-04-01', '2025-06-30'),
      (db: Db) => dossierFiguresForAll(db, '2026-10-01', '2026-11-26'),
      (db: Db) => monthlyOnTimeSeries(db, null, '2025-12-01', '2026-11-26'),
      (db: Db) => monthlyOnTimeSeries(db, 1, '2025-01-01', '2025-12-31'),
    ]) {
      const plans = await plansOf(run);
      expect(plans.filter((p) => /\bdossiers\b/.test(p.sql))).toEqual([]);
      // Day rows are found through each procedure's key (the table has no index by day).
      expect(allPlans(plans).filter((p) => /SCAN (s|dossier_stats_day)\b/.test(p))).toEqual([]);
    }
  });
});
