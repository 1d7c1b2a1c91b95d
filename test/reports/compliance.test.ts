import { describe, expect, it } from 'vitest';
import { computeCompliance, statusOf, twelveMonthsStart, type ComplianceInput, type CheckId } from '../../src/features/reports/reports.compliance';

/** Hand-built inputs: a procedure that passes everything, then one change at a time. */
const good = (): ComplianceInput => ({
  period: { from: '2026-01-01', to: '2026-03-31' },
  document: { nextReviewDue: '2026-12-31' },
  nonconformities: { openMajorAtEnd: 0, openMinorAtEnd: 0, overdueActions: 0 },
  lastAuditDate: '2025-06-01',
  dossiers: { resolved: 10, early: 5, onTime: 5, onTimeRate: 1, pendingOverdue: 0 },
  onTimeTarget: 1,
});

const judged = (input: ComplianceInput) => {
  const r = computeCompliance(input);
  return { status: r.status, passed: Object.fromEntries(r.checks.map((c) => [c.id, c.passed])) as Record<CheckId, boolean | null>, checks: r.checks };
};

describe('computeCompliance', () => {
  it('passes every check and is compliant when all is well, listing the checks in the order and severities of REPORTING.md', () => {
    const r = judged(good());
    expect(r.status).toBe('compliant');
    expect(r.checks.map((c) => [c.id, c.passed, c.severity])).toEqual([
      ['effective_document', true, 'critical'],
      ['document_review', true, 'warning'],
      ['no_open_major_nc', true, 'critical'],
      ['no_open_minor_nc', true, 'warning'],
      ['no_overdue_actions', true, 'warning'],
      ['audited_within_12_months', true, 'warning'],
      ['on_time_target', true, 'warning'],
      ['no_pending_overdue', true, 'warning'],
    ]);
  });

  it('fails effective_document (critical) without a document, and cannot judge document_review then', () => {
    const r = judged({ ...good(), document: null });
    expect(r.passed.effective_document).toBe(false);
    expect(r.passed.document_review).toBeNull();
    expect(r.status).toBe('non_compliant');
    expect(r.checks.find((c) => c.id === 'document_review')!.reason.key).toBe('reports.reason.document_review.no_document');
  });

  it('judges document_review on nextReviewDue >= to (due on the last day passes, the day before fails)', () => {
    expect(judged({ ...good(), document: { nextReviewDue: '2026-03-31' } }).passed.document_review).toBe(true);
    const r = judged({ ...good(), document: { nextReviewDue: '2026-03-30' } });
    expect(r.passed.document_review).toBe(false);
    expect(r.status).toBe('attention');
    expect(r.checks.find((c) => c.id === 'document_review')!.reason.params).toEqual({ due: '2026-03-30' });
  });

  it('cannot judge document_review when the document has no review date', () => {
    expect(judged({ ...good(), document: { nextReviewDue: null } }).passed.document_review).toBeNull();
  });

  it('fails no_open_major_nc (critical) for one open major nonconformity', () => {
    const r = judged({ ...good(), nonconformities: { openMajorAtEnd: 1, openMinorAtEnd: 0, overdueActions: 0 } });
    expect(r.passed.no_open_major_nc).toBe(false);
    expect(r.passed.no_open_minor_nc).toBe(true);
    expect(r.status).toBe('non_compliant');
  });

  it('fails no_open_minor_nc (warning) for open minor nonconformities', () => {
    const r = judged({ ...good(), nonconformities: { openMajorAtEnd: 0, openMinorAtEnd: 2, overdueActions: 0 } });
    expect(r.passed.no_open_minor_nc).toBe(false);
    expect(r.status).toBe('attention');
    expect(r.checks.find((c) => c.id === 'no_open_minor_nc')!.reason.params).toEqual({ n: 2 });
  });

  it('fails no_overdue_actions for an overdue action', () => {
    const r = judged({ ...good(), nonconformities: { openMajorAtEnd: 0, openMinorAtEnd: 0, overdueActions: 1 } });
    expect(r.passed.no_overdue_actions).toBe(false);
    expect(r.status).toBe('attention');
  });

  it('judges audited_within_12_months on the 12 months ending at `to` (from 2025-04-01 for to = 2026-03-31)', () => {
    expect(judged({ ...good(), lastAuditDate: '2025-04-01' }).passed.audited_within_12_months).toBe(true);
    expect(judged({ ...good(), lastAuditDate: '2026-03-31' }).passed.audited_within_12_months).toBe(true);
    const old = judged({ ...good(), lastAuditDate: '2025-03-31' });
    expect(old.passed.audited_within_12_months).toBe(false);
    expect(old.status).toBe('attention');
    expect(old.checks.find((c) => c.id === 'audited_within_12_months')!.reason).toEqual({
      key: 'reports.reason.audited_within_12_months.fail_old',
      params: { date: '2025-03-31', since: '2025-04-01' },
    });
    const never = judged({ ...good(), lastAuditDate: null });
    expect(never.passed.audited_within_12_months).toBe(false);
    expect(never.checks.find((c) => c.id === 'audited_within_12_months')!.reason.key).toBe('reports.reason.audited_within_12_months.fail_never');
  });

  it('judges on_time_target on counts: 19/20 meets 95 %, 18/20 does not; nothing resolved → not judged', () => {
    const at = (early: number, onTime: number, resolved: number, target: number) =>
      judged({
        ...good(),
        onTimeTarget: target,
        dossiers: { resolved, early, onTime, onTimeRate: resolved ? (early + onTime) / resolved : null, pendingOverdue: 0 },
      });
    expect(at(10, 9, 20, 0.95).passed.on_time_target).toBe(true);
    const below = at(10, 8, 20, 0.95);
    expect(below.passed.on_time_target).toBe(false);
    expect(below.status).toBe('attention');
    expect(at(3, 0, 3, 1).passed.on_time_target).toBe(true);
    expect(at(2, 0, 3, 1).passed.on_time_target).toBe(false);
    const none = at(0, 0, 0, 1);
    expect(none.passed.on_time_target).toBeNull();
    expect(none.status).toBe('compliant');
  });

  it('fails no_pending_overdue when a pending dossier is past its due date', () => {
    const r = judged({ ...good(), dossiers: { ...good().dossiers, pendingOverdue: 3 } });
    expect(r.passed.no_pending_overdue).toBe(false);
    expect(r.status).toBe('attention');
  });

  it('does not count not-judged checks as failures', () => {
    const r = judged({ ...good(), document: { nextReviewDue: null }, dossiers: { resolved: 0, early: 0, onTime: 0, onTimeRate: null, pendingOverdue: 0 } });
    expect(r.passed.document_review).toBeNull();
    expect(r.passed.on_time_target).toBeNull();
    expect(r.status).toBe('compliant');
  });

  it('is non_compliant when a critical check fails even if warnings fail too', () => {
    const r = judged({ ...good(), document: null, lastAuditDate: null, nonconformities: { openMajorAtEnd: 0, openMinorAtEnd: 1, overdueActions: 2 } });
    expect(r.status).toBe('non_compliant');
    expect(
      statusOf([
        { passed: false, severity: 'warning' },
        { passed: null, severity: 'critical' },
      ]),
    ).toBe('attention');
    expect(statusOf([{ passed: null, severity: 'critical' }])).toBe('compliant');
  });
});

describe('twelveMonthsStart', () => {
  it('is the day after the same date a year earlier, 29 February falling back to 1 March', () => {
    expect(twelveMonthsStart('2026-12-31')).toBe('2026-01-01');
    expect(twelveMonthsStart('2026-03-31')).toBe('2025-04-01');
    expect(twelveMonthsStart('2024-02-29')).toBe('2023-03-01');
    expect(twelveMonthsStart('2025-02-28')).toBe('2024-02-29');
  });
});
