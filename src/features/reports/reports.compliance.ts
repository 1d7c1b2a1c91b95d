import { addDays } from '../../core/calendar';

/**
 * The checks and status of a procedure's compliance report (shared/domain/REPORTING.md, "Status and checks").
 * Pure: it takes the gathered figures and judges them; no database, no clock.
 */
export type CheckId =
  | 'effective_document'
  | 'document_review'
  | 'no_open_major_nc'
  | 'no_open_minor_nc'
  | 'no_overdue_actions'
  | 'audited_within_12_months'
  | 'on_time_target'
  | 'no_pending_overdue';
export type Severity = 'critical' | 'warning';
export type ComplianceStatus = 'non_compliant' | 'attention' | 'compliant';

export const CHECK_SEVERITY: Readonly<Record<CheckId, Severity>> = {
  effective_document: 'critical',
  document_review: 'warning',
  no_open_major_nc: 'critical',
  no_open_minor_nc: 'warning',
  no_overdue_actions: 'warning',
  audited_within_12_months: 'warning',
  on_time_target: 'warning',
  no_pending_overdue: 'warning',
};
export const CHECK_IDS = Object.keys(CHECK_SEVERITY) as CheckId[];
export const STATUSES: readonly ComplianceStatus[] = ['non_compliant', 'attention', 'compliant'];

export interface ComplianceInput {
  period: { from: string; to: string };
  document: { nextReviewDue: string | null } | null;
  nonconformities: { openMajorAtEnd: number; openMinorAtEnd: number; overdueActions: number };
  /** The latest first day of fieldwork, on or before `to`, of an audit covering the procedure. */
  lastAuditDate: string | null;
  dossiers: { resolved: number; early: number; onTime: number; onTimeRate: number | null; pendingOverdue: number };
  /** The procedure's on-time objective in [0, 1] (default 1.0). */
  onTimeTarget: number;
}

export interface Check {
  id: CheckId;
  /** true = passes, false = fails, null = cannot be judged (no data). */
  passed: boolean | null;
  severity: Severity;
  /** Why: an i18n key and its parameters (the detail shown next to the check). */
  reason: { key: string; params: Record<string, string | number> };
}

export interface ComplianceResult {
  checks: Check[];
  status: ComplianceStatus;
}

/** The first day of the 12 months that end at `to` (inclusive): 2026-12-31 → 2026-01-01, 2026-02-28 → 2025-03-01. */
export function twelveMonthsStart(to: string): string {
  const year = Number(to.slice(0, 4)) - 1;
  const month = Number(to.slice(5, 7));
  const day = Number(to.slice(8, 10));
  // Same day a year earlier; 29 February of a leap year falls back to 28 February.
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const sameDay = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(day, lastDay)).padStart(2, '0')}`;
  return addDays(sameDay, 1);
}

/** Rates are compared on counts, so 19/20 against a 0.95 objective is not lost to floating point. */
function meetsTarget(good: number, resolved: number, target: number): boolean {
  return good * 10_000 >= Math.round(target * 10_000) * resolved;
}

const check = (id: CheckId, passed: boolean | null, key: string, params: Record<string, string | number> = {}): Check => ({
  id,
  passed,
  severity: CHECK_SEVERITY[id],
  reason: { key: `reports.reason.${id}.${key}`, params },
});

export function computeCompliance(input: ComplianceInput): ComplianceResult {
  const { period, document, nonconformities: nc, dossiers: d } = input;
  const checks: Check[] = [];

  checks.push(document ? check('effective_document', true, 'pass') : check('effective_document', false, 'fail'));

  if (!document) checks.push(check('document_review', null, 'no_document'));
  else if (!document.nextReviewDue) checks.push(check('document_review', null, 'no_due_date'));
  else if (document.nextReviewDue >= period.to) checks.push(check('document_review', true, 'pass', { due: document.nextReviewDue }));
  else checks.push(check('document_review', false, 'fail', { due: document.nextReviewDue }));

  checks.push(check('no_open_major_nc', nc.openMajorAtEnd === 0, nc.openMajorAtEnd === 0 ? 'pass' : 'fail', { n: nc.openMajorAtEnd }));
  checks.push(check('no_open_minor_nc', nc.openMinorAtEnd === 0, nc.openMinorAtEnd === 0 ? 'pass' : 'fail', { n: nc.openMinorAtEnd }));
  checks.push(check('no_overdue_actions', nc.overdueActions === 0, nc.overdueActions === 0 ? 'pass' : 'fail', { n: nc.overdueActions }));

  const since = twelveMonthsStart(period.to);
  if (input.lastAuditDate && input.lastAuditDate >= since && input.lastAuditDate <= period.to) {
    checks.push(check('audited_within_12_months', true, 'pass', { date: input.lastAuditDate }));
  } else if (input.lastAuditDate) {
    checks.push(check('audited_within_12_months', false, 'fail_old', { date: input.lastAuditDate, since }));
  } else checks.push(check('audited_within_12_months', false, 'fail_never', { since }));

  const target = input.onTimeTarget;
  if (d.resolved === 0 || d.onTimeRate === null) checks.push(check('on_time_target', null, 'no_data'));
  else {
    const passed = meetsTarget(d.early + d.onTime, d.resolved, target);
    checks.push(check('on_time_target', passed, passed ? 'pass' : 'fail', { good: d.early + d.onTime, resolved: d.resolved, rate: d.onTimeRate, target }));
  }

  checks.push(check('no_pending_overdue', d.pendingOverdue === 0, d.pendingOverdue === 0 ? 'pass' : 'fail', { n: d.pendingOverdue }));

  return { checks, status: statusOf(checks) };
}

/** non_compliant when a critical check fails, else attention when any check fails, else compliant; null is no failure. */
export function statusOf(checks: readonly Pick<Check, 'passed' | 'severity'>[]): ComplianceStatus {
  if (checks.some((c) => c.passed === false && c.severity === 'critical')) return 'non_compliant';
  if (checks.some((c) => c.passed === false)) return 'attention';
  return 'compliant';
}
