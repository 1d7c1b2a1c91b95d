import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Db } from '../../src/core/db/database';
import { withoutOrganisation } from '../../src/core/db/scope';
import * as migration from '../../src/core/db/migrations/2026_12_11_1000_oversight';
import {
  countCompletedAudits,
  countDocumentsDue,
  countOpenMajorNcs,
  countOverdueActions,
  listOversightOrganisations,
} from '../../src/features/oversight/oversight.queries';
import { listNcFiguresByProcedure } from '../../src/features/reports/reports.summary.queries';
import { scopedDb } from '../../src/core/db/scope';
import { createTestApp, type TestApp } from '../support/app';
import { onPostgres } from '../support/engine';
import { plansOf as plansFor } from '../support/plans';

/**
 * The oversight figures' plans (SQLite's EXPLAIN QUERY PLAN, no statistics, as in production): each grouped statement
 * reads the subtree's organisations by an organisation-leading key or index (the kept figures by their primary key,
 * audits by (organisation_id, actual_start), the summary tables by procedure), never a whole table.
 * And the migration's down and up, on both engines.
 */
let t: TestApp;
const IDS = [1, 2, 3];
const searches = (plans: string[]) => plans.filter((p) => /^(SEARCH|SCAN)/.test(p) && p !== 'SCAN CONSTANT ROW');
const plansOf = async (fn: (db: Db) => Promise<unknown>) =>
  searches((await plansFor(t.ctx.sqlite!, (db) => fn(withoutOrganisation(db)))).flatMap((p) => p.plan));

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe.skipIf(onPostgres)("the plans of each organisation's NC figures (the compliance statuses of its summary)", () => {
  it("read the organisation's own status changes by (organisation_id, to_status, changed_on), never every organisation's", async () => {
    const plans = (await plansFor(t.ctx.sqlite!, (db) => listNcFiguresByProcedure(scopedDb(withoutOrganisation(db), 2), '2026-01-01', '2026-06-30'))).flatMap(
      (p) => p.plan,
    );
    const history = plans.filter((p) => / nc_status_history USING | h USING INDEX/.test(p) && !/nonconformity_id=\?/.test(p));
    expect(history.length).toBeGreaterThan(0);
    for (const p of history) expect(p).toMatch(/nc_status_history_org_to_idx \(organisation_id=\? AND to_status/);
  });
});

describe.skipIf(onPostgres)('the plans of the oversight figures', () => {
  it('read by organisation-leading keys and indexes only', async () => {
    expect(await plansOf((db) => listOversightOrganisations(db, IDS))).toEqual(['SEARCH organisation USING INTEGER PRIMARY KEY (rowid=?)']);
    expect(await plansOf((db) => countOpenMajorNcs(db, IDS))).toEqual(['SEARCH nc_register_counts USING PRIMARY KEY (organisation_id=?)']);
    expect(await plansOf((db) => countOverdueActions(db, IDS, '2026-11-26'))).toEqual([
      'SEARCH open_action_due_counts USING PRIMARY KEY (organisation_id=? AND due_date<?)',
    ]);
    expect(await plansOf((db) => countCompletedAudits(db, IDS, '2025-11-27', '2026-11-26'))).toEqual([
      'SEARCH audits USING INDEX audits_actual_start_idx (organisation_id=? AND actual_start>? AND actual_start<?)',
    ]);
    const due = await plansOf((db) => countDocumentsDue(db, IDS, '2026-11-26', '2026-12-26'));
    expect(due[0]).toMatch(/^SEARCH r USING (COVERING )?INDEX document_revisions_review_due_idx \(status=\? AND next_review_due<\?\)$/);
    // then each document by primary key, and its revision in progress (an approved one whose date has come replaces it)
    expect(new Set(due.slice(1))).toEqual(
      new Set(['SEARCH d USING INTEGER PRIMARY KEY (rowid=?)', 'SEARCH nx USING INDEX document_revisions_one_in_progress (document_id=?)']),
    );
  });
});

describe('the migration', () => {
  it('drops the declaration date going down and adds it back going up', async () => {
    const db = withoutOrganisation(t.ctx.db);
    const column = async () => {
      const { rows } = await sql<{ n: number }>`select count(*) as n from organisation where qms_declared_on is null`.execute(db).then(
        (r) => r,
        () => ({ rows: [] as { n: number }[] }),
      );
      return rows.length === 1;
    };
    expect(await column()).toBe(true);
    await migration.down(db);
    expect(await column()).toBe(false);
    await migration.up(db);
    expect(await column()).toBe(true);
  });
});
