import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plansOf as plansFor } from '../support/plans';
import { createTestApp, type TestApp } from '../support/app';
import { onPostgres } from '../support/engine';
import type { Db } from '../../src/core/db/database';
import {
  countQualityFigures,
  findSystemOverview,
  listActionsDueFirst,
  listPendingAcknowledgementsTop,
  listRecentRevisions,
  listReviewsDue,
} from '../../src/features/dashboard/dashboard.queries';
import { countAuditLog, listAuditLog } from '../../src/features/audit-log/audit-log.queries';
import { todayLocal } from '../../src/core/calendar';

/** The organisation's local date on the test clock (what is in force is read on it). */
const today = () => todayLocal(t.clock.now(), 'Asia/Ho_Chi_Minh');

/**
 * The home pages' and the audit trail's statements, per organisation (SQLite's EXPLAIN QUERY PLAN, no statistics, as
 * in production): each reads its organisation's part of an index, or tests the organisation inside the index it
 * walks, never a whole table. The benchmark's plan tests (test/bench-correctness/query-plans.test.ts) keep theirs.
 */
let t: TestApp;
const plansOf = async (fn: (db: Db) => Promise<unknown>) => (await plansFor(t.ctx.sqlite!, fn)).flatMap((p) => p.plan);
const searches = (plans: string[]) => plans.filter((p) => /^(SEARCH|SCAN)/.test(p) && p !== 'SCAN CONSTANT ROW');

describe.skipIf(onPostgres)('organisation-scoped plans of the home pages and the audit trail', () => {
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it("the quality officer's counts: the organisation's kept figures by key, the reviews due from the review-date index alone", async () => {
    expect(searches(await plansOf((db) => countQualityFigures(db, '2026-12-05', '2026-12-19', '2027-01-04')))).toEqual([
      'SEARCH nc_register_counts USING PRIMARY KEY (organisation_id=?)',
      'SEARCH nc_register_counts USING PRIMARY KEY (organisation_id=?)',
      'SEARCH open_action_due_counts USING PRIMARY KEY (organisation_id=? AND due_date<?)',
      'SEARCH open_action_due_counts USING PRIMARY KEY (organisation_id=? AND due_date>? AND due_date<?)',
      'SEARCH r USING COVERING INDEX document_revisions_review_due_idx (status=? AND next_review_due<?)',
      // A revision replaced today by an approved one dated today is no longer due (issue 29): one lookup of the
      // document's revision in progress per revision due, by the partial unique index.
      'SEARCH nx USING INDEX document_revisions_one_in_progress (document_id=?)',
    ]);
    const count = await plansOf(async (db) => (await listReviewsDue(db, '2026-12-05', '2027-01-04', 8)).total);
    expect(count).toContain('SEARCH r USING COVERING INDEX document_revisions_review_due_idx (status=? AND next_review_due<?)');
  });

  it("the actions overdue and due soon: four runs of the organisation's (organisation_id, status, due_date) index, no sort", async () => {
    const plans = await plansOf((db) => listActionsDueFirst(db, '2026-12-05', '2026-12-19', 8));
    expect(plans.filter((p) => p.startsWith('SEARCH a '))).toEqual([
      'SEARCH a USING INDEX nc_actions_org_due_idx (organisation_id=? AND status=? AND due_date<?)',
      'SEARCH a USING INDEX nc_actions_org_due_idx (organisation_id=? AND status=? AND due_date<?)',
      'SEARCH a USING INDEX nc_actions_org_due_idx (organisation_id=? AND status=? AND due_date>?)',
      'SEARCH a USING INDEX nc_actions_org_due_idx (organisation_id=? AND status=? AND due_date>?)',
    ]);
    expect(plans.filter((p) => p.includes('TEMP B-TREE'))).toEqual([]);
  });

  it("the admin's overview: the organisation's kept counts by key, its last audit-log entry from (organisation_id, id)", async () => {
    const plans = await plansOf((db) => findSystemOverview(db));
    expect(plans).toContain('SEARCH c USING PRIMARY KEY (organisation_id=?)');
    expect(plans).toContain('SEARCH audit_log USING INDEX audit_log_org_idx (organisation_id=?)');
    expect(plans.filter((p) => /\baudit_log\b/.test(p) && !p.includes('audit_log_org_idx'))).toEqual([]);
  });

  it("a user's pending acknowledgements: the organisation's documents of each scope from the covering index", async () => {
    const plans = await plansOf((db) => listPendingAcknowledgementsTop(db, t.users.staff, 8, today()));
    expect(plans).toContain('SEARCH d USING COVERING INDEX documents_ack_cover_idx (ack_scope=? AND organisation_id=?)');
    expect(plans).toContain('SEARCH d USING COVERING INDEX documents_ack_cover_idx (ack_scope=? AND organisation_id=? AND owner_unit_id=?)');
  });

  it('recently published revisions: the published index newest first, sorting only ties', async () => {
    const plans = await plansOf((db) => listRecentRevisions(db, '2026-10-06', '2026-11-26', 8, true));
    expect(plans).toContain('SEARCH r USING INDEX document_revisions_published_from_idx (effective_from>?)');
    // the approved revisions whose date has come, their transition not recorded yet: by status and date
    expect(plans).toContain('SEARCH r USING INDEX document_revisions_status_idx (status=? AND effective_from>? AND effective_from<?)');
    expect(plans.filter((p) => p.startsWith('SCAN ') && !['SCAN p', 'SCAN x'].includes(p))).toEqual([]);
    expect(plans).toContain('USE TEMP B-TREE FOR LAST 2 TERMS OF ORDER BY');
  });

  it("the audit trail: the organisation's entries newest first and their count from (organisation_id, id)", async () => {
    const list = await plansOf((db) => listAuditLog(db, {}, 50, 100));
    expect(list[0]).toBe('SEARCH audit_log USING INDEX audit_log_org_idx (organisation_id=?)');
    expect(list).not.toContain('USE TEMP B-TREE FOR ORDER BY');
    expect(await plansOf((db) => countAuditLog(db, {}))).toEqual(['SEARCH audit_log USING COVERING INDEX audit_log_org_idx (organisation_id=?)']);
  });
});
