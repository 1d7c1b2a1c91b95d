import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plansOf as plansFor } from '../support/plans';
import { createTestApp, type TestApp } from '../support/app';
import { onPostgres } from '../support/engine';
import type { Db } from '../../src/core/db/database';
import { countActions, listActions, listMyOpenActions, listOverdueAndDueSoonActions } from '../../src/features/nonconformities/nonconformities.actions.queries';
import { countOpenBySeverity, listAwaitingVerification } from '../../src/features/nonconformities/nonconformities.dashboard.queries';
import { listNcsOfUser } from '../../src/features/nonconformities/nonconformities.list.queries';
import { findNonconformityByCode } from '../../src/features/nonconformities/nonconformities.queries';
import { listNcFiguresAt, ncFiguresForProcedure } from '../../src/features/nonconformities/nonconformities.report.queries';

let t: TestApp;
const plansOf = async (fn: (db: Db) => Promise<unknown>) => {
  if (!t.ctx.sqlite) throw new Error('query plans are read from SQLite');
  return (await plansFor(t.ctx.sqlite, fn)).flatMap((p) => p.plan);
};

/**
 * Organisations: the feature's per-organisation reads keep an index that starts with the organisation (migration
 * 2026_12_10_1200_org_indexes_nonconformities), so one organisation's lists and figures never walk the others' rows.
 * SQLite-only: EXPLAIN QUERY PLAN (PostgreSQL's planner is another).
 */
describe.skipIf(onPostgres)('nonconformity and action query plans, per organisation', () => {
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it("one procedure's figures read its nonconformities from the organisation-leading covering index", async () => {
    const plans = await plansOf((db) => listNcFiguresAt(db, '2025-01-01', '2025-12-31', 1));
    const ncs = plans.filter((p) => /^(SEARCH|SCAN) n /.test(p));
    expect(ncs).toEqual([
      'SEARCH n USING COVERING INDEX nonconformities_procedure_cover_idx (organisation_id=? AND procedure_id=? AND detected_on<?)',
      'SEARCH n USING COVERING INDEX nonconformities_procedure_cover_idx (organisation_id=? AND procedure_id=?)',
      'SEARCH n USING COVERING INDEX nonconformities_procedure_cover_idx (organisation_id=? AND procedure_id=?)',
    ]);
  });

  it("one procedure's kept spans are read only when the procedure is the organisation's: one probe by key per part", async () => {
    const plans = (await plansOf((db) => ncFiguresForProcedure(db, 1, '2025-01-01', '2025-12-31'))).filter((p) => p.startsWith('SEARCH'));
    expect(plans.filter((p) => p.startsWith('SEARCH p '))).toEqual(Array(3).fill('SEARCH p EXISTS USING INTEGER PRIMARY KEY (rowid=?)'));
    expect(plans.filter((p) => !p.startsWith('SEARCH p '))).toEqual([
      'SEARCH s USING COVERING INDEX nc_report_spans_procedure_idx (procedure_id=? AND kind=? AND ends>?)',
      'SEARCH c USING COVERING INDEX nc_report_spans_procedure_idx (procedure_id=? AND kind=?)',
      'SEARCH o USING COVERING INDEX nc_report_spans_procedure_idx (procedure_id=? AND kind=? AND ends>?)',
    ]);
  });

  it("every procedure's figures read the organisation's nonconformities by index, never the whole table", async () => {
    const plans = await plansOf((db) => listNcFiguresAt(db, '2025-01-01', '2025-12-31'));
    expect(plans.filter((p) => /^SCAN (n|a|h|nonconformities|nc_actions)\b/.test(p))).toEqual([]);
    expect(plans.filter((p) => /^SEARCH n USING (COVERING )?INDEX/.test(p)).every((p) => p.includes('organisation_id=?'))).toBe(true);
  });

  it("the dashboard's open actions past due or due soon are one range of the organisation's open actions by due date", async () => {
    const plans = await plansOf((db) => listOverdueAndDueSoonActions(db, '2026-11-26', 7));
    expect(plans[0]).toBe('SEARCH a USING INDEX nc_actions_org_due_idx (organisation_id=? AND status=? AND due_date<?)');
  });

  it("a user's open actions stay on the owner's index (the organisation's index would read every open action of it)", async () => {
    const plans = await plansOf((db) => listMyOpenActions(db, 3));
    expect(plans[0]).toMatch(/^SEARCH a USING (COVERING )?INDEX nc_actions_owner(_done)?_idx \(owner_id=\? AND status=\?\)$/);
  });

  it("the list of actions and its count read the organisation's actions of a status from the same index", async () => {
    expect((await plansOf((db) => listActions(db, { status: 'open' }, 50, 0)))[0]).toBe(
      'SEARCH a USING INDEX nc_actions_org_due_idx (organisation_id=? AND status=?)',
    );
    expect(await plansOf((db) => countActions(db, { status: 'open' }))).toEqual([
      'SEARCH a USING COVERING INDEX nc_actions_org_due_idx (organisation_id=? AND status=?)',
    ]);
    expect(await plansOf((db) => countActions(db, { overdueBefore: '2026-11-26' }))).toEqual([
      'SEARCH a USING COVERING INDEX nc_actions_org_due_idx (organisation_id=? AND status=? AND due_date<?)',
    ]);
  });

  it("the dashboard counts and the awaiting list read the organisation's NCs of a status; an NC by code is one probe", async () => {
    expect((await plansOf((db) => countOpenBySeverity(db)))[0]).toBe(
      'SEARCH nonconformities USING COVERING INDEX nonconformities_status_code_idx (organisation_id=? AND status=?)',
    );
    expect((await plansOf((db) => listAwaitingVerification(db)))[0]).toBe(
      'SEARCH n USING INDEX nonconformities_status_code_idx (organisation_id=? AND status=?)',
    );
    expect(await plansOf((db) => findNonconformityByCode(db, 'NC-2026-001'))).toEqual([
      expect.stringMatching(/^SEARCH nonconformities USING COVERING INDEX sqlite_autoindex_nonconformities_\d+ \(organisation_id=\? AND code=\?\)$/),
    ]);
  });

  it("a user's NCs are read in code order within the organisation, without a sort", async () => {
    const plans = await plansOf((db) => listNcsOfUser(db, 1, '2026-11-26'));
    expect(plans[0]).toMatch(/^SEARCH n USING INDEX sqlite_autoindex_nonconformities_\d+ \(organisation_id=\?\)$/);
    expect(plans).not.toContain('USE TEMP B-TREE FOR ORDER BY');
  });
});
