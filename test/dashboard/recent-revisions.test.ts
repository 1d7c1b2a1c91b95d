import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRecentRevisions } from '../../src/features/dashboard/dashboard.queries';
import { acknowledgementCoverage, listRecentlyChangedDocuments } from '../../src/features/documents/documents.queries';
import { createTestApp, type TestApp } from '../support/app';
import { document, procedure, run } from '../reports/fixtures';

/**
 * The home pages' recently issued revisions, cut to a few in one statement, with the quality officer's coverage in
 * that same statement: known answers over every acknowledgement scope, and the same rows and counts as the documents
 * feature's own list and acknowledgementCoverage (one statement per revision).
 *   A  scope all, effective 2026-11-20, acknowledged by staff                       → 1 of the 4 active users
 *   B  scope owner_unit (main), effective 2026-11-18                                → main's 4 active users, none
 *   C  scope units [main, other], effective 2026-11-18 (ties with B: code orders)   → both units' 4 active users
 *   D  scope none, effective 2026-11-10                                             → 0 of 0
 *   E  scope all, revision 2 effective 2026-11-05 (revision 1 superseded that day)  → both revisions listed
 *   F  scope all, withdrawn document                                                → not listed
 *   G  scope all, revision 1 effective 2026-09-02, revision 2 approved for 2026-12-01 → neither listed, until 01/12:
 *      revision 2 then, by its date, before its transition is recorded
 *   H  scope all, effective 2026-09-01                                              → before the window
 * The four users of the test app are all in unit main; a fifth, inactive, user of unit main is never counted.
 */
let t: TestApp;
/** The test app's local date. */
const TODAY = '2026-11-26';
beforeAll(async () => {
  t = await createTestApp();
  const p = await procedure(t, 'QT-RECENT-01');
  const author = t.users.quality_officer;
  const make = async (code: string, scope: string, effectiveFrom: string, extra: { owner?: number; units?: number[]; revisions?: number } = {}) => {
    const n = extra.revisions ?? 1;
    const revisions = Array.from({ length: n }, (_, i) => ({
      effectiveFrom,
      nextReviewDue: '2027-12-01',
      supersededOn: i === n - 1 ? undefined : effectiveFrom,
    }));
    const d = await document(t, p, code, revisions, author);
    await run(t, 'update documents set ack_scope = ?, owner_unit_id = ? where id = ?', scope, extra.owner ?? null, d.documentId);
    for (const unit of extra.units ?? [])
      await run(t, 'insert into document_ack_units (document_id, unit_id, organisation_id) values (?, ?, 1)', d.documentId, unit);
    return d;
  };
  const a = await make('A', 'all', '2026-11-20');
  await run(
    t,
    "insert into document_acknowledgements (revision_id, document_id, user_id, acknowledged_at, organisation_id) values (?, ?, ?, '2026-11-21T00:00:00Z', 1)",
    a.revisionIds[0],
    a.documentId,
    t.users.staff,
  );
  await make('B', 'owner_unit', '2026-11-18', { owner: t.units.main });
  await make('C', 'units', '2026-11-18', { units: [t.units.main, t.units.other] });
  await make('D', 'none', '2026-11-10');
  await make('E', 'all', '2026-11-05', { revisions: 2 });
  const f = await make('F', 'all', '2026-11-19');
  await run(t, "update documents set status = 'withdrawn' where id = ?", f.documentId);
  const g = await make('G', 'all', '2026-09-02');
  const next = await run(
    t,
    `insert into document_revisions (document_id, revision_no, body, change_summary, author_id, created_at, updated_at, organisation_id) values (?, 2, 'x', 'Sửa', ?, 'now', 'now', 1)`,
    g.documentId,
    author,
  );
  await run(t, "update document_revisions set status = 'in_review' where id = ?", next);
  await run(t, "update document_revisions set status = 'approved', effective_from = '2026-12-01' where id = ?", next);
  await make('H', 'all', '2026-09-01');
  await run(
    t,
    "insert into users (username, full_name, role, unit_id, active, password_hash, password_changed_at, created_at, updated_at, organisation_id) values ('gone', 'Đã nghỉ', 'staff', ?, 0, 'x', 'now', 'now', 'now', 1)",
    t.units.main,
  );
});
afterAll(async () => t.close());

describe("the home pages' recently issued revisions", () => {
  it('lists the newest revisions in effect since the date, newest first then by code, cut to the limit', async () => {
    const rows = await listRecentRevisions(t.ctx.db, '2026-10-01', TODAY, 10);
    expect(rows.map((r) => [r.code, r.revisionNo, r.effectiveFrom])).toEqual([
      ['A', 1, '2026-11-20'],
      ['B', 1, '2026-11-18'],
      ['C', 1, '2026-11-18'],
      ['D', 1, '2026-11-10'],
      ['E', 2, '2026-11-05'],
      ['E', 1, '2026-11-05'],
    ]);
    expect((await listRecentRevisions(t.ctx.db, '2026-10-01', TODAY, 2)).map((r) => r.code)).toEqual(['A', 'B']);
    expect(await listRecentRevisions(t.ctx.db, '2026-11-21', TODAY, 10)).toEqual([]);
  });

  it('gives the same rows as the documents feature, and with coverage the same counts as acknowledgementCoverage', async () => {
    const plain = await listRecentRevisions(t.ctx.db, '2026-10-01', TODAY, 10);
    const feature = await listRecentlyChangedDocuments(t.ctx.db, '2026-10-01', TODAY, 10);
    expect(plain).toEqual(
      feature.map(({ documentId, code, title, revisionId, revisionNo, effectiveFrom, changeSummary }) => ({
        documentId,
        code,
        title,
        revisionId,
        revisionNo,
        effectiveFrom,
        changeSummary,
      })),
    );
    const covered = await listRecentRevisions(t.ctx.db, '2026-10-01', TODAY, 10, true);
    expect(covered.map(({ required: _r, acknowledged: _a, ...row }) => row)).toEqual(plain);
    for (const row of covered)
      expect({ required: row.required, acknowledged: row.acknowledged }).toEqual(await acknowledgementCoverage(t.ctx.db, row.revisionId));
    expect(covered.map((r) => [r.code, r.revisionNo, r.required, r.acknowledged])).toEqual([
      ['A', 1, 4, 1],
      ['B', 1, 4, 0],
      ['C', 1, 4, 0],
      ['D', 1, 0, 0],
      ['E', 2, 4, 0],
      ['E', 1, 4, 0],
    ]);
  });

  it('lists an approved revision from 00:00 of its date, before its transition is recorded, on both lists', async () => {
    const top = async (today: string) => (await listRecentRevisions(t.ctx.db, '2026-10-01', today, 3)).map((r) => [r.code, r.revisionNo, r.effectiveFrom]);
    expect(await top('2026-11-30')).toEqual([
      ['A', 1, '2026-11-20'],
      ['B', 1, '2026-11-18'],
      ['C', 1, '2026-11-18'],
    ]);
    expect(await top('2026-12-01')).toEqual([
      ['G', 2, '2026-12-01'],
      ['A', 1, '2026-11-20'],
      ['B', 1, '2026-11-18'],
    ]);
    const feature = await listRecentlyChangedDocuments(t.ctx.db, '2026-10-01', '2026-12-01', 3);
    expect(feature.map((r) => [r.code, r.revisionNo, r.effectiveFrom])).toEqual(await top('2026-12-01'));
    const covered = await listRecentRevisions(t.ctx.db, '2026-11-25', '2026-12-01', 5, true);
    expect(covered.map((r) => [r.code, r.required, r.acknowledged])).toEqual([['G', 4, 0]]);
  });
});
