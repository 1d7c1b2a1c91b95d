import type { AppContext } from '../../core/context';
import { listLastAuditDates } from '../audits/audits.report.queries';
import { dossierFiguresForAll } from '../dossiers/dossiers.figures';
import { computeCompliance, type CheckId, type ComplianceStatus } from './reports.compliance';
import type { Period } from './reports.periods';
import { DOSSIER_FIELDS, emptyDossiers, pickDossiers, type DossierFigures } from './reports.dossiers';
import { cachedUntilChange } from './reports.cache';
import { emptyNc, listNcFiguresByProcedure, listProcedureDocumentsAt, listSummaryProcedures, type SummaryFilter } from './reports.summary.queries';

/**
 * The all-procedures summary: one row per active procedure with its status and key figures, and a totals line
 * that is the sum of the rows shown. A fixed number of grouped queries whatever the number of procedures.
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
  overdueActions: number;
}

export interface SummaryTotals {
  procedures: number;
  byStatus: Record<ComplianceStatus, number>;
  dossiers: DossierFigures;
  ncRaised: number;
  ncOpenAtEnd: number;
  ncClosed: number;
  overdueActions: number;
}

export interface Summary {
  period: Period;
  rows: SummaryRow[];
  totals: SummaryTotals;
}

export interface SummaryQuery extends SummaryFilter {
  status?: ComplianceStatus;
}

/**
 * The summary for a period, filtered. The rows (for a period, field and unit) are computed once per data change
 * (cachedUntilChange); the status filter and the totals are applied to them here.
 */
export async function buildSummary(ctx: AppContext, period: Period, query: SummaryQuery): Promise<Summary> {
  const all = await cachedUntilChange(ctx, `summary|${period.from}|${period.to}`, () => computeRows(ctx, period));
  const rows = all.filter(
    (r) => (!query.field || r.field === query.field) && (!query.unitId || r.unitId === query.unitId) && (!query.status || r.status === query.status),
  );
  return { period, rows, totals: totalsOf(rows) };
}

async function computeRows(ctx: AppContext, period: Period): Promise<SummaryRow[]> {
  const { from, to } = period;
  const [procedures, dossiersBy, documentsBy, ncBy, auditsBy] = await Promise.all([
    listSummaryProcedures(ctx.db, {}),
    dossierFiguresForAll(ctx.db, from, to),
    listProcedureDocumentsAt(ctx.db, to),
    listNcFiguresByProcedure(ctx.db, from, to),
    listLastAuditDates(ctx.db, to),
  ]);
  const rows: SummaryRow[] = [];
  for (const p of procedures) {
    const raw = dossiersBy.get(p.id);
    const dossiers = raw ? pickDossiers(raw) : emptyDossiers();
    const doc = documentsBy.get(p.id) ?? null;
    const nc = ncBy.get(p.id) ?? emptyNc();
    const lastAuditDate = auditsBy.get(p.id) ?? null;
    const { checks, status } = computeCompliance({ period, document: doc, nonconformities: nc, lastAuditDate, dossiers, onTimeTarget: p.on_time_target });
    rows.push({
      id: p.id,
      code: p.code,
      title: p.title,
      field: p.field,
      unitId: p.unit_id,
      unitCode: p.unit_code,
      status,
      failedChecks: checks.filter((c) => c.passed === false).map((c) => c.id),
      document: doc ? { code: doc.code, revisionNo: doc.revisionNo, nextReviewDue: doc.nextReviewDue } : null,
      lastAuditDate,
      dossiers,
      ncRaised: nc.raised,
      ncOpenAtEnd: nc.openAtEnd,
      ncClosed: nc.closed,
      overdueActions: nc.overdueActions,
    });
  }
  return rows;
}

/** The totals line: every count is the sum of the rows; the on-time rate is recomputed from the summed counts. */
export function totalsOf(rows: readonly SummaryRow[]): SummaryTotals {
  const dossiers = emptyDossiers();
  const totals: SummaryTotals = {
    procedures: rows.length,
    byStatus: { non_compliant: 0, attention: 0, compliant: 0 },
    dossiers,
    ncRaised: 0,
    ncOpenAtEnd: 0,
    ncClosed: 0,
    overdueActions: 0,
  };
  for (const r of rows) {
    totals.byStatus[r.status] += 1;
    for (const f of DOSSIER_FIELDS) dossiers[f] += r.dossiers[f];
    totals.ncRaised += r.ncRaised;
    totals.ncOpenAtEnd += r.ncOpenAtEnd;
    totals.ncClosed += r.ncClosed;
    totals.overdueActions += r.overdueActions;
  }
  dossiers.onTimeRate = dossiers.resolved === 0 ? null : (dossiers.early + dossiers.onTime) / dossiers.resolved;
  return totals;
}
