import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordPeriodicReview } from '../../src/features/documents/documents.workflow';
import { countNonconformitiesOverall } from '../../src/features/reports/reports.annual.queries';
import { buildSummary } from '../../src/features/reports/reports.summary';
import { createTestApp, type SignedIn, type TestApp } from '../support/app';
import { action, audit, document, nonconformity, procedure } from './fixtures';

/**
 * Issue 20, points 1 and 6: every report figure about nonconformities, actions, documents and audits is read from the
 * history as of the period's end, and the labels count what they say. Today is 05/12/2026 (the fake clock), so every
 * period below is over and is computed as of its `to`.
 *
 * QT-NCC-01, period 01–17/10/2026:
 *   N1 detected 05/10, open since 05/10, still open            → raised, open at 17/10
 *   N2 detected 10/10, open 10/10, cancelled 20/10 (after `to`) → raised, open at 17/10 (its status today is cancelled)
 *   → raised 2, openAtEnd 2 (the app used to show 1). For 01–31/10: N2 cancelled by then → openAtEnd 1, raised 2.
 *   Its document TL-NCC-01: revision effective 01/01/2026, review due 30/09/2026; a periodic review on 20/10/2026
 *   moved the date to 20/10/2027 (the revision row now says 20/10/2027, the review kept 30/09/2026 as previous_due).
 *   → at 17/10: nextReviewDue 30/09/2026 < 17/10 → document_review fails; at 31/10: 20/10/2027 → passes.
 *
 * QT-BTXH-01 (actions of NC B1, detected 01/09, open):
 *   X corrective, due 15/10, cancelled 10/11   → overdue at 31/10 (cancelled after); not at 30/11 (cancelled by then)
 *   Y correction, due 20/11, cancelled 02/12   → overdue at 30/11 (cancelled after it); not due before 31/10
 *   Z improvement, due 01/10, done 05/11       → overdue at 31/10 (done after); done by 30/11
 *   W corrective, due 25/11, still planned     → overdue at 30/11; not due before 31/10
 *   October (01–31/10):  X (corrective) + Z (other) → overdueActions 2 = corrective 1 + other 1
 *   Oct–Nov (01/10–30/11): Y (other) + W (corrective) → overdueActions 2 = corrective 1 + other 1 (the app showed 1:
 *   it dropped Y, cancelled after the period)
 *
 * QT-TRIAGE-01, period 01–17/10/2026 (staff reports):
 *   R1 reported 08/10, not yet triaged                      → awaitingTriage only
 *   R2 reported 09/10, accepted (open) 25/10               → awaiting triage at 17/10; raised and open at 31/10
 *   R3 reported 02/10, rejected 03/10                       → nowhere
 *   R4 detected 03/10 by an audit, open                     → raised, open
 *   at 17/10: raised 1 (R4), openAtEnd 1, awaitingTriage 2 (R1, R2)
 *   at 31/10: raised 2 (R2, R4), openAtEnd 2, awaitingTriage 1 (R1)
 *
 * Audits (QT-AUDIT-01, period 01/01–30/11/2026): a certification (external) audit on 01/06/2026 with a minor NC
 *   finding does not count: audits.count 0, minorNc 0, and audited_within_12_months fails (never audited internally
 *   since 01/12/2025). QT-AUDIT-02 has the same external audit plus an internal one on 15/03/2026 → count 1, passes.
 */
let t: TestApp;
let quality: SignedIn;
let triageId: number;

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set('2026-10-20T03:00:00Z');
  const author = t.users.quality_officer;
  const owner = t.users.staff;

  const ncc = await procedure(t, 'QT-NCC-01');
  await nonconformity(t, ncc, { severity: 'minor', detected: '2026-10-05', status: 'open', history: [['open', '2026-10-05']] });
  await nonconformity(t, ncc, {
    severity: 'major',
    detected: '2026-10-10',
    status: 'cancelled',
    history: [
      ['open', '2026-10-10'],
      ['cancelled', '2026-10-20'],
    ],
  });
  const doc = await document(t, ncc, 'TL-NCC-01', [{ effectiveFrom: '2026-01-01', nextReviewDue: '2026-09-30' }], author);
  // The real periodic review, on 20/10/2026 (the clock): the revision's date moves to 20/10/2027.
  await recordPeriodicReview(
    t.ctx,
    doc.documentId,
    { revisionId: doc.revisionIds[0], comment: null },
    { userId: author, name: 'Cán bộ', role: 'quality_officer' },
  );

  const btxh = await procedure(t, 'QT-BTXH-01');
  const b1 = await nonconformity(t, btxh, { severity: 'minor', detected: '2026-09-01', status: 'open', history: [['open', '2026-09-01']] });
  await action(t, b1, owner, { due: '2026-10-15', status: 'cancelled', cancelled: '2026-11-10', type: 'corrective' });
  await action(t, b1, owner, { due: '2026-11-20', status: 'cancelled', cancelled: '2026-12-02', type: 'correction' });
  await action(t, b1, owner, { due: '2026-10-01', status: 'done', completed: '2026-11-05', type: 'improvement' });
  await action(t, b1, owner, { due: '2026-11-25', status: 'planned', type: 'corrective' });

  triageId = await procedure(t, 'QT-TRIAGE-01');
  await nonconformity(t, triageId, { severity: 'minor', detected: '2026-10-08', status: 'reported', history: [['reported', '2026-10-08']] });
  await nonconformity(t, triageId, {
    severity: 'minor',
    detected: '2026-10-09',
    status: 'open',
    history: [
      ['reported', '2026-10-09'],
      ['open', '2026-10-25'],
    ],
  });
  await nonconformity(t, triageId, {
    severity: 'minor',
    detected: '2026-10-02',
    status: 'rejected',
    history: [
      ['reported', '2026-10-02'],
      ['rejected', '2026-10-03'],
    ],
  });
  await nonconformity(t, triageId, { severity: 'major', detected: '2026-10-03', status: 'open', history: [['open', '2026-10-03']] });

  const a1 = await procedure(t, 'QT-AUDIT-01');
  const a2 = await procedure(t, 'QT-AUDIT-02');
  await audit(t, author, { start: '2026-06-01', type: 'certification', procedures: [a1, a2], findings: [{ grade: 'minor_nc', procedureId: a1 }] });
  await audit(t, author, { start: '2026-03-15', type: 'internal', procedures: [a2] });

  t.clock.set('2026-12-05T03:00:00Z');
  quality = await t.signIn('quality_officer');
});
afterAll(async () => t.close());

const json = async (code: string, from: string, to: string, lang = 'vi') => {
  const res = await quality.get(`/reports/procedures/${code}.json?from=${from}&to=${to}&lang=${lang}`);
  expect(res.status, res.text).toBe(200);
  return res.body;
};
const check = (body: { checks: { id: string; passed: boolean | null }[] }, id: string) => body.checks.find((c) => c.id === id)?.passed;

describe('a nonconformity cancelled after the period', () => {
  it('still counts as open at the end of the period (QT-NCC-01, 01–17/10/2026: 2, not 1)', async () => {
    const body = await json('QT-NCC-01', '2026-10-01', '2026-10-17');
    expect(body.nonconformities).toMatchObject({ raised: 2, openAtEnd: 2, closed: 0, awaitingTriage: 0 });
    // N2 is major and open at 17/10: the critical check fails, whatever its status today.
    expect(check(body, 'no_open_major_nc')).toBe(false);
    expect(body.status).toBe('non_compliant');
  });

  it('counts as cancelled in a period that ends after the cancellation', async () => {
    const body = await json('QT-NCC-01', '2026-10-01', '2026-10-31');
    expect(body.nonconformities).toMatchObject({ raised: 2, openAtEnd: 1 });
    expect(check(body, 'no_open_major_nc')).toBe(true);
  });

  it('gives the same figures in the summary of all procedures and in the office-wide (annual) count', async () => {
    const summary = await buildSummary(t.ctx, { from: '2026-10-01', to: '2026-10-17' }, {});
    const row = summary.rows.find((r) => r.code === 'QT-NCC-01')!;
    expect({ raised: row.ncRaised, open: row.ncOpenAtEnd }).toEqual({ raised: 2, open: 2 });
    // Office-wide at 17/10: QT-NCC-01 N1, N2 + QT-TRIAGE-01 R4 open = 3; B1 (detected 01/09) open too = 4.
    // Raised 01–17/10: N1, N2, R4 = 3 (R1, R2 awaiting triage, R3 rejected). Awaiting triage: R1, R2.
    // Overdue at 17/10: X (due 15/10, cancelled 10/11) corrective; Z (due 01/10, done 05/11) improvement.
    expect(await countNonconformitiesOverall(t.ctx.db, '2026-10-01', '2026-10-17')).toEqual({
      raised: 3,
      closed: 0,
      openAtEnd: 4,
      overdueActions: 2,
      awaitingTriage: 2,
      overdueCorrectiveActions: 1,
      overdueOtherActions: 1,
    });
  });
});

describe('an action cancelled after the period', () => {
  it('counts in the overdue actions of a period ending before its cancellation, split corrective / other', async () => {
    const oct = await json('QT-BTXH-01', '2026-10-01', '2026-10-31');
    expect(oct.nonconformities).toMatchObject({ overdueActions: 2, overdueCorrectiveActions: 1, overdueOtherActions: 1 });
    const octNov = await json('QT-BTXH-01', '2026-10-01', '2026-11-30');
    expect(octNov.nonconformities).toMatchObject({ overdueActions: 2, overdueCorrectiveActions: 1, overdueOtherActions: 1 });
    expect(check(octNov, 'no_overdue_actions')).toBe(false);
  });

  it('does not count once the period ends after its cancellation (X by 30/11, Y by 04/12)', async () => {
    // Dec (01–04/12, up to the eve of today): X cancelled 10/11, Y cancelled 02/12 ≤ 04/12, Z done, W due 25/11 open → W only.
    const dec = await json('QT-BTXH-01', '2026-12-01', '2026-12-04');
    expect(dec.nonconformities).toMatchObject({ overdueActions: 1, overdueCorrectiveActions: 1, overdueOtherActions: 0 });
  });

  it('is the same in the summary row and its totals', async () => {
    const summary = await buildSummary(t.ctx, { from: '2026-10-01', to: '2026-11-30' }, {});
    const row = summary.rows.find((r) => r.code === 'QT-BTXH-01')!;
    expect([row.overdueActions, row.overdueCorrectiveActions, row.overdueOtherActions]).toEqual([2, 1, 1]);
  });
});

describe('the document review date in force at the end of the period', () => {
  it('is the date before a review made after the period (30/09/2026, so the check fails at 17/10)', async () => {
    const body = await json('QT-NCC-01', '2026-10-01', '2026-10-17');
    expect(body.document).toEqual({ code: 'TL-NCC-01', revisionNo: 1, effectiveFrom: '2026-01-01', nextReviewDue: '2026-09-30' });
    expect(check(body, 'document_review')).toBe(false);
  });

  it('is the date the review set once the period ends after it (20/10/2027)', async () => {
    const body = await json('QT-NCC-01', '2026-10-01', '2026-10-31');
    expect(body.document.nextReviewDue).toBe('2027-10-20');
    expect(check(body, 'document_review')).toBe(true);
    const summary = await buildSummary(t.ctx, { from: '2026-10-01', to: '2026-10-17' }, {});
    expect(summary.rows.find((r) => r.code === 'QT-NCC-01')!.document!.nextReviewDue).toBe('2026-09-30');
  });
});

describe('staff reports not yet triaged', () => {
  it('are counted apart, neither raised nor open; a rejected report counts nowhere', async () => {
    const mid = await json('QT-TRIAGE-01', '2026-10-01', '2026-10-17');
    expect(mid.nonconformities).toMatchObject({ raised: 1, openAtEnd: 1, awaitingTriage: 2 });
    const end = await json('QT-TRIAGE-01', '2026-10-01', '2026-10-31');
    expect(end.nonconformities).toMatchObject({ raised: 2, openAtEnd: 2, awaitingTriage: 1 });
  });
});

describe('internal audits', () => {
  it('an external audit within 12 months neither counts as an internal audit nor passes audited_within_12_months', async () => {
    const body = await json('QT-AUDIT-01', '2026-01-01', '2026-11-30');
    expect(body.audits).toEqual({ count: 0, majorNc: 0, minorNc: 0, observation: 0, ofi: 0 });
    expect(check(body, 'audited_within_12_months')).toBe(false);
    const other = await json('QT-AUDIT-02', '2026-01-01', '2026-11-30');
    expect(other.audits.count).toBe(1);
    expect(check(other, 'audited_within_12_months')).toBe(true);
    const summary = await buildSummary(t.ctx, { from: '2026-01-01', to: '2026-11-30' }, {});
    expect(summary.rows.find((r) => r.code === 'QT-AUDIT-01')!.lastAuditDate).toBeNull();
    expect(summary.rows.find((r) => r.code === 'QT-AUDIT-02')!.lastAuditDate).toBe('2026-03-15');
  });
});

describe('the page says what is counted', () => {
  it('states each counting rule in the footnote, in Vietnamese and in English', async () => {
    const vi = (await quality.get('/reports/procedures/QT-BTXH-01?from=2026-10-01&to=2026-10-31&lang=vi')).text;
    expect(vi).toContain('Cách tính số liệu');
    expect(vi).toContain('chỉ tính các cuộc đánh giá nội bộ');
    expect(vi).toContain('Báo cáo của cán bộ chưa được xem xét');
    expect(vi).toContain('Hành động khắc phục và các loại hành động khác');
    expect(vi).toContain('data-figure="nonconformities.overdueCorrectiveActions">1<');
    expect(vi).toContain('data-figure="nonconformities.overdueOtherActions">1<');
    expect(vi).toContain('Hành động quá hạn (mọi loại)');
    expect(vi).not.toContain('Số liệu tính đến ngày'); // the period is over
    const en = (await quality.get('/reports/procedures/QT-BTXH-01?from=2026-10-01&to=2026-10-31&lang=en')).text;
    expect(en).toContain('How the figures are counted');
    expect(en).toContain('only internal audits whose scope includes the procedure count');
    expect(en).toContain('Staff reports not yet triaged');
    const print = (await quality.get('/reports/summary/print?from=2026-10-01&to=2026-10-31&lang=vi')).text;
    expect(print).toContain('Cách tính số liệu');
  });

  it('writes Vietnamese percentages with a no-break space before the sign', async () => {
    const vi = (await quality.get('/reports/procedures/QT-BTXH-01?from=2026-10-01&to=2026-10-31&lang=vi')).text;
    // The objective of the fixture procedures is 1.0: "100 %" with U+00A0, never a breaking space.
    expect(vi).toContain('100\u00a0%');
    expect(vi).not.toMatch(/\d %/);
  });
});
