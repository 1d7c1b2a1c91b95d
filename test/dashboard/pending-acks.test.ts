import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPendingAcknowledgementsTop } from '../../src/features/dashboard/dashboard.queries';
import { createTestApp, type TestApp } from '../support/app';
import { document, procedure, run } from '../reports/fixtures';
import { todayLocal } from '../../src/core/calendar';

/** The organisation's local date on the test clock (what is in force is read on it). */
const today = () => todayLocal(t.clock.now(), 'Asia/Ho_Chi_Minh');

/**
 * The documents a user still has to acknowledge, for the home page: known answers over every acknowledgement scope.
 * Staff (unit main) are concerned by:
 *   A  scope all, effective 2026-03-01                       → pending
 *   B  scope owner_unit, owner main, effective 2026-05-01    → pending
 *   C  scope owner_unit, owner other                         → not concerned
 *   D  scope units [main, other], effective 2026-05-01       → pending (ties with B on the date: code orders them)
 *   E  scope units [other]                                   → not concerned
 *   F  scope none                                            → not concerned
 *   G  scope all, revision 2 effective 2026-06-01, revision 1 acknowledged only → pending (the new revision)
 *   H  scope all, acknowledged                               → done
 *   I  scope all, withdrawn                                  → not listed
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  const p = await procedure(t, 'QT-ACK-01');
  const author = t.users.quality_officer;
  const make = async (code: string, scope: string, effectiveFrom: string, extra: { owner?: number; units?: number[]; revisions?: number } = {}) => {
    const n = extra.revisions ?? 1;
    const revisions = Array.from({ length: n }, (_, i) => ({
      effectiveFrom: i === n - 1 ? effectiveFrom : '2025-01-01',
      nextReviewDue: '2027-01-01',
      supersededOn: i === n - 1 ? undefined : effectiveFrom,
    }));
    const d = await document(t, p, code, revisions, author);
    await run(t, 'update documents set ack_scope = ?, owner_unit_id = ? where id = ?', scope, extra.owner ?? null, d.documentId);
    for (const unit of extra.units ?? [])
      await run(t, 'insert into document_ack_units (document_id, unit_id, organisation_id) values (?, ?, 1)', d.documentId, unit);
    return d;
  };
  const ack = async (d: { documentId: number; revisionIds: number[] }, index: number) =>
    run(
      t,
      "insert into document_acknowledgements (revision_id, document_id, user_id, acknowledged_at, organisation_id) values (?, ?, ?, '2026-06-02T00:00:00Z', 1)",
      d.revisionIds[index],
      d.documentId,
      t.users.staff,
    );
  await make('A', 'all', '2026-03-01');
  await make('B', 'owner_unit', '2026-05-01', { owner: t.units.main });
  await make('C', 'owner_unit', '2026-05-01', { owner: t.units.other });
  await make('D', 'units', '2026-05-01', { units: [t.units.main, t.units.other] });
  await make('E', 'units', '2026-05-01', { units: [t.units.other] });
  await make('F', 'none', '2026-05-01');
  const g = await make('G', 'all', '2026-06-01', { revisions: 2 });
  await ack(g, 0);
  const h = await make('H', 'all', '2026-04-01');
  await ack(h, 0);
  const i = await make('I', 'all', '2026-04-01');
  await run(t, "update documents set status = 'withdrawn' where id = ?", i.documentId);
});
afterAll(async () => t.close());

describe('documents to acknowledge on the home page', () => {
  it('lists, newest first then by code, exactly the effective revisions that concern the user and are not acknowledged', async () => {
    const rows = await listPendingAcknowledgementsTop(t.ctx.db, t.users.staff, 10, today());
    expect(rows.map((r) => [r.code, r.revisionNo, r.effectiveFrom])).toEqual([
      ['G', 2, '2026-06-01'],
      ['B', 1, '2026-05-01'],
      ['D', 1, '2026-05-01'],
      ['A', 1, '2026-03-01'],
    ]);
  });

  it('returns one row more than the limit, so the page knows there are more', async () => {
    expect((await listPendingAcknowledgementsTop(t.ctx.db, t.users.staff, 2, today())).map((r) => r.code)).toEqual(['G', 'B', 'D']);
  });

  it('lists nothing for a deactivated user', async () => {
    await run(t, 'update users set active = 0 where id = ?', t.users.leader);
    expect(await listPendingAcknowledgementsTop(t.ctx.db, t.users.leader, 10, today())).toEqual([]);
  });
});
