import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../src/core/security/signatures';
import { counterFor, type IndicatorScope } from '../../src/features/objectives/objectives.indicators';
import { meetsTarget, periodsOf, statusOf, yearToDate } from '../../src/features/objectives/objectives.model';
import type { ComputedIndicator, Frequency } from '../../src/features/objectives/objectives.tables';
import { listNcFiguresAt, sumNcFigures } from '../../src/features/nonconformities/nonconformities.report.queries';
import { createTestApp, type TestApp } from '../support/app';
import { action, document, dossier, nonconformity, procedure, run } from '../reports/fixtures';

/**
 * Known answers of every computed indicator of the quality objectives, on small data written here; every figure is
 * counted by hand in the comments. The test clock says 2026-11-26: Q4, H2 and the year to date are counted as of it.
 */
let t: TestApp;
const TODAY = '2026-11-26';
let p1: number;

/** Each period's [numerator, denominator] (and the year to date's last), for the scope and frequency. */
async function figures(indicator: ComputedIndicator, frequency: Frequency, scope: Partial<IndicatorScope> = {}) {
  const count = await counterFor(t.ctx.db, indicator, { year: 2026, procedureId: null, unitId: null, ...scope }, TODAY);
  const out: Record<string, [number, number]> = {};
  for (const p of [...periodsOf(2026, frequency).filter((x) => x.from <= TODAY), yearToDate(2026, TODAY)!]) {
    const r = await count(p);
    out[p.key] = [r.numerator, r.denominator];
  }
  return out;
}

beforeAll(async () => {
  t = await createTestApp();
  const u = t.users.quality_officer;
  p1 = await procedure(t, 'P1', { unitId: t.units.main });
  const p2 = await procedure(t, 'P2', { unitId: t.units.other });
  const p3 = await procedure(t, 'P3', { unitId: t.units.main });
  await run(t, "update procedures set status = 'retired', retired_reason = 'Bãi bỏ', retired_at = '2026-06-01T00:00:00Z' where id = ?", p3);

  // Dossiers. P1: D1 early (Jan), D2 on time (Jan), D3 late (Feb), D4 withdrawn = on time (Apr), D8 pending.
  await dossier(t, p1, 'D1', { received: '2026-01-05', due: '2026-01-10', returned: '2026-01-08' });
  await dossier(t, p1, 'D2', { received: '2026-01-12', due: '2026-01-20', returned: '2026-01-20' });
  await dossier(t, p1, 'D3', { received: '2026-02-01', due: '2026-02-05', returned: '2026-02-10' });
  await dossier(t, p1, 'D4', { received: '2026-04-01', due: '2026-04-10', returned: '2026-04-03', outcome: 'withdrawn' });
  await dossier(t, p1, 'D8', { received: '2026-11-20', due: '2026-11-30' });
  // P2 (the other unit): D5 late (Feb), D6 early (Mar). P3 (retired): D7 early (Jan), left out of "all procedures".
  await dossier(t, p2, 'D5', { received: '2026-02-03', due: '2026-02-10', returned: '2026-02-12' });
  await dossier(t, p2, 'D6', { received: '2026-03-01', due: '2026-03-05', returned: '2026-03-04' });
  await dossier(t, p3, 'D7', { received: '2026-01-02', due: '2026-01-05', returned: '2026-01-04' });

  // Nonconformities.
  // N1 closed 10/02; actions due 15/02 (done) and 05/02 (cancelled 01/02): due 15/02 → on time.
  const n1 = await nonconformity(t, p1, {
    severity: 'minor',
    detected: '2026-01-10',
    status: 'closed',
    history: [
      ['open', '2026-01-10'],
      ['closed', '2026-02-10'],
    ],
  });
  await action(t, n1, u, { due: '2026-02-15', status: 'done', completed: '2026-02-08' });
  await action(t, n1, u, { due: '2026-02-05', status: 'cancelled', cancelled: '2026-02-01' });
  // N2 closed 20/03; its action's due date is 31/03 now, moved on 25/03 from 10/03: on 20/03 it was 10/03 → late.
  const n2 = await nonconformity(t, p1, {
    severity: 'minor',
    detected: '2026-02-20',
    status: 'closed',
    history: [
      ['open', '2026-02-20'],
      ['closed', '2026-03-20'],
    ],
  });
  const a2 = await action(t, n2, u, { due: '2026-03-31', status: 'done', completed: '2026-03-18' });
  await run(
    t,
    `insert into nc_action_due_history (action_id, due_before, due_after, changed_on, changed_at, changed_by, organisation_id) values (?, '2026-03-10', '2026-03-31', '2026-03-25', '2026-03-25T02:00:00Z', ?, 1)`,
    a2,
    u,
  );
  // N3 closed 05/05 without any action: no due date, left out of both counts.
  await nonconformity(t, p1, {
    severity: 'minor',
    detected: '2026-04-20',
    status: 'closed',
    history: [
      ['open', '2026-04-20'],
      ['closed', '2026-05-05'],
    ],
  });
  // N4 closed 20/01, reopened 25/01, closed again 10/04; action due 05/04: on time in Q1 (20/01), late in Q2 and the year (10/04).
  const n4 = await nonconformity(t, null, {
    severity: 'major',
    detected: '2026-01-05',
    status: 'closed',
    history: [
      ['open', '2026-01-05'],
      ['closed', '2026-01-20'],
      ['in_progress', '2026-01-25'],
      ['closed', '2026-04-10'],
    ],
  });
  await action(t, n4, u, { due: '2026-04-05', status: 'done', completed: '2026-04-01' });

  // The audit programme 2026: planned audits in months 2 (reported 20/02), 5 (reported 10/06), 8 (no audit),
  // 10 (in progress), 12 (reported early, 15/11), and one cancelled in month 3.
  const lead = t.users.leader;
  const programme = await run(
    t,
    "insert into audit_programmes (year, status, created_at, updated_at, organisation_id) values (2026, 'draft', 'now', 'now', 1)",
  );
  const item = (month: number, status = 'planned') =>
    run(
      t,
      `insert into audit_programme_items (programme_id, title, month, status, cancel_reason, created_at, updated_at, organisation_id) values (?, ?, ?, ?, ?, 'now', 'now', 1)`,
      programme,
      `Đánh giá tháng ${month}`,
      month,
      status,
      status === 'cancelled' ? 'Hoãn' : null,
    );
  let seq = 0;
  const audit = (itemId: number, status: string, end: string | null) =>
    run(
      t,
      `insert into audits (code, year, seq, type, programme_item_id, title, lead_auditor_id, planned_start, planned_end, actual_start, actual_end, status, created_at, updated_at, organisation_id)
       values (?, 2026, ?, 'internal', ?, 'Đánh giá', ?, '2026-01-01', '2026-01-02', ?, ?, ?, 'now', 'now', 1)`,
      `DG-${++seq}`,
      seq,
      itemId,
      lead,
      end,
      end,
      status,
    );
  await audit(await item(2), 'reported', '2026-02-20');
  await audit(await item(5), 'closed', '2026-06-10');
  await item(8);
  await audit(await item(10), 'in_progress', null);
  await audit(await item(12), 'reported', '2026-11-15');
  await audit(await item(3, 'cancelled'), 'reported', '2026-03-10');

  // Periodic reviews. A: due 10/03, reviewed 01/03 (on time). B: due 15/05, reviewed 20/05 (late). C: due 01/08, not
  // reviewed (late). D: due today, not reviewed (not late yet). E: due 15/12 (not yet due).
  const author = t.users.admin;
  const docs = await Promise.all(
    [
      ['QT-A', '2027-03-10'],
      ['QT-B', '2027-05-15'],
      ['QT-C', '2026-08-01'],
      ['QT-D', TODAY],
      ['QT-E', '2026-12-15'],
    ].map(([code, due]) => document(t, p1, code, [{ effectiveFrom: '2025-01-01', nextReviewDue: due }], author)),
  );
  const review = async (d: (typeof docs)[number], reviewed: string, previous: string, next: string) => {
    const signatureId = await t.ctx.db
      .transaction()
      .execute((trx) =>
        sign(
          trx,
          { userId: author, name: 'Người dùng admin', role: 'admin' },
          { entity: 'document_review', entityId: d.documentId, meaning: 'reviewed', contentSha256: 'a'.repeat(64) },
          t.clock.now(),
        ),
      );
    await run(
      t,
      `insert into document_reviews (document_id, revision_id, reviewed_on, outcome, reviewer_id, previous_due, next_review_due, signature_id, created_at, organisation_id)
       values (?, ?, ?, 'no_change', ?, ?, ?, ?, 'now', 1)`,
      d.documentId,
      d.revisionIds[0],
      reviewed,
      author,
      previous,
      next,
      signatureId,
    );
  };
  await review(docs[0], '2026-03-01', '2026-03-10', '2027-03-10');
  await review(docs[1], '2026-05-20', '2026-05-15', '2027-05-15');
});
afterAll(async () => t?.close());

describe('computed indicators (known answers)', () => {
  it('on-time rate of one procedure: (early + on time) ÷ resolved, a withdrawal on time, nothing resolved = no data', async () => {
    // Q1: D1 early, D2 on time, D3 late → 2/3; Q2: D4 withdrawn → 1/1; Q3, Q4: none → 0/0; year: 3/4.
    expect(await figures('on_time_rate', 'quarterly', { procedureId: p1 })).toEqual({ Q1: [2, 3], Q2: [1, 1], Q3: [0, 0], Q4: [0, 0], YTD: [3, 4] });
  });

  it('on-time rate of all procedures: the active ones (the retired P3 left out), or a unit’s', async () => {
    // Jan: D1, D2 (D7 is P3's) → 2/2; Feb: D3, D5 late → 0/2; Mar: D6 → 1/1; Apr: D4 → 1/1; other months 0/0.
    const monthly = await figures('on_time_rate', 'monthly');
    expect([monthly.M01, monthly.M02, monthly.M03, monthly.M04, monthly.M05, monthly.M11]).toEqual([
      [2, 2],
      [0, 2],
      [1, 1],
      [1, 1],
      [0, 0],
      [0, 0],
    ]);
    expect(monthly.YTD).toEqual([4, 6]);
    // the other unit: P2 only, D5 late and D6 early → 1/2
    expect((await figures('on_time_rate', 'yearly', { unitId: t.units.other })).Y).toEqual([1, 2]);
  });

  it('NCs closed within their due date: by the due date in force on the closing date, NCs without an action left out', async () => {
    // Q1: N1 on time, N2 late (due 10/03 on 20/03), N4 on time (closed 20/01) → 2/3. Q2: N4 late (10/04 > 05/04), N3
    // left out → 0/1. Q3, Q4: none → 0/0. Year: N1 on time; N2, N4 late (last closing 10/04); N3 left out → 1/3.
    expect(await figures('nc_closed_on_time', 'quarterly')).toEqual({ Q1: [2, 3], Q2: [0, 1], Q3: [0, 0], Q4: [0, 0], YTD: [1, 3] });
    const count = await counterFor(t.ctx.db, 'nc_closed_on_time', { year: 2026, procedureId: null, unitId: null }, TODAY);
    expect((await count(yearToDate(2026, TODAY)!)).left).toBe(1);
    // the same closings as the compliance report's `closed`: Q1 counts N1, N2 and N4
    expect(sumNcFigures((await listNcFiguresAt(t.ctx.db, '2026-01-01', '2026-03-31')).values()).closed).toBe(3);
  });

  it('audit programme completed: reported by the as-of date ÷ planned audits due by then, cumulative, cancelled left out', async () => {
    // H1 (to 30/06): months 2, 5 both reported → 2/2. H2 (as of 26/11): months 2, 5, 8 (over, none), 10 (over, in
    // progress), 12 (not over, but reported 15/11) → 3/5. Q3 (to 30/09): 2, 5 reported, 8 not → 2/3.
    expect(await figures('audit_programme_completed', 'half_yearly')).toEqual({ H1: [2, 2], H2: [3, 5], YTD: [3, 5] });
    const quarterly = await figures('audit_programme_completed', 'quarterly');
    expect([quarterly.Q1, quarterly.Q2, quarterly.Q3]).toEqual([
      [1, 1],
      [2, 2],
      [2, 3],
    ]);
    // no programme for the year: no data
    const none = await counterFor(t.ctx.db, 'audit_programme_completed', { year: 2025, procedureId: null, unitId: null }, TODAY);
    expect(await none(periodsOf(2025, 'yearly')[0])).toEqual({ numerator: 0, denominator: 0 });
  });

  it('documents reviewed on time: reviews due in the period done by their due date, overdue ones counted late', async () => {
    // Q1: A (due 10/03, reviewed 01/03) → 1/1; Q2: B (due 15/05, reviewed 20/05) → 0/1; Q3: C (due 01/08, not
    // reviewed) → 0/1; Q4: D is due today (not late yet), E on 15/12 → 0/0. Year: 1/3.
    expect(await figures('documents_reviewed_on_time', 'quarterly')).toEqual({ Q1: [1, 1], Q2: [0, 1], Q3: [0, 1], Q4: [0, 0], YTD: [1, 3] });
  });

  it('leaves out the review due of a revision an approved one replaces from today, before the timer records it', async () => {
    // C (due 01/08, not reviewed: late in Q3) gets a revision 2 approved for today, not yet recorded as effective:
    // from 00:00 today C's revision 1 is no longer in force, as once the transition is recorded (superseded).
    const c = await t.ctx.db.selectFrom('documents').select('id').where('code', '=', 'QT-C').executeTakeFirstOrThrow();
    const id = await run(
      t,
      `insert into document_revisions (document_id, revision_no, body, change_summary, author_id, created_at, updated_at, organisation_id) values (?, 2, 'Nội dung mới', 'Sửa đổi', ?, ?, ?, 1)`,
      c.id,
      t.users.admin,
      '2026-11-20T01:00:00.000Z',
      '2026-11-20T01:00:00.000Z',
    );
    await run(t, `update document_revisions set status = 'in_review' where id = ?`, id);
    await run(t, `update document_revisions set status = 'approved', effective_from = ? where id = ?`, TODAY, id);
    expect(await figures('documents_reviewed_on_time', 'quarterly')).toEqual({ Q1: [1, 1], Q2: [0, 1], Q3: [0, 0], Q4: [0, 0], YTD: [1, 2] });
  });

  it('judges a value against its target by its counts, and an objective’s status', () => {
    expect(meetsTarget('gte', 95, 95, { numerator: 19, denominator: 20 })).toBe(true);
    expect(meetsTarget('gte', 95, 94.74, { numerator: 18, denominator: 19 })).toBe(false);
    expect(meetsTarget('lte', 2, 2)).toBe(true);
    expect(meetsTarget('lte', 2, 3)).toBe(false);
    expect(meetsTarget('gte', 95, null)).toBe(null);
    expect([statusOf(true, false), statusOf(false, false), statusOf(true, true), statusOf(false, true), statusOf(null, true)]).toEqual([
      'on_track',
      'not_met',
      'met',
      'not_met',
      'no_data',
    ]);
  });
});
