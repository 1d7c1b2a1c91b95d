import type { LineageStep } from '../organisation/organisation.reorg.queries';
import type { CheckId, ComplianceStatus } from './reports.compliance';
import type { DossierFigures } from './reports.dossiers';
import type { Period } from './reports.periods';

/**
 * The all-procedures summary: one row per active procedure with its status and key figures, and a totals line
 * that is the sum of every row matching the filter (on screen a page shows some of them; the totals, the exports
 * and the printed report cover them all). A fixed number of grouped queries whatever the number of procedures.
 */
export interface SummaryRow {
  id: number;
  code: string;
  title: string;
  field: string;
  unitId: number | null;
  unitCode: string | null;
  status: ComplianceStatus;
  failedChecks: CheckId[];
  document: { code: string; revisionNo: number; nextReviewDue: string } | null;
  lastAuditDate: string | null;
  dossiers: DossierFigures;
  ncRaised: number;
  ncOpenAtEnd: number;
  ncClosed: number;
  ncAwaitingTriage: number;
  overdueActions: number;
  overdueCorrectiveActions: number;
  overdueOtherActions: number;
  /** The procedure's on-time objective (the dossier checks are judged again when predecessors' figures are added). */
  onTimeTarget: number;
  /** Set on a procedure found only in predecessors (`?with=predecessors`): the nearest predecessor that has it. */
  predecessor?: { code: string; name: string };
}

export interface SummaryTotals {
  procedures: number;
  byStatus: Record<ComplianceStatus, number>;
  dossiers: DossierFigures;
  ncRaised: number;
  ncOpenAtEnd: number;
  ncClosed: number;
  ncAwaitingTriage: number;
  overdueActions: number;
  overdueCorrectiveActions: number;
  overdueOtherActions: number;
}

export interface Summary {
  period: Period;
  /** The date the figures are computed as of: `to`, or today while the period is not over. */
  asOf: string;
  rows: SummaryRow[];
  totals: SummaryTotals;
  /** The predecessors whose figures are included (`?with=predecessors`); absent when none are. */
  predecessors?: readonly LineageStep[];
}
