import type { AppContext } from '../../core/context';
import { translate, type Lang } from '../../core/i18n';
import { auditFiguresForProcedure, lastAuditDateForProcedure, type AuditFigures } from '../audits/audits.report.queries';
import { acknowledgementCoverage } from '../documents/documents.queries';
import { dossierFigures, monthlyOnTimeSeries } from '../dossiers/dossiers.figures';
import { ncFiguresForProcedure } from '../nonconformities/nonconformities.report.queries';
import { findProcedureByCode, type ProcedureRow } from '../procedures/procedures.queries';
import { computeCompliance, type Check, type ComplianceStatus, type Severity } from './reports.compliance';
import type { Period } from './reports.periods';
import { pickDossiers, type DossierFigures } from './reports.dossiers';
import { listProcedureDocumentsAt } from './reports.summary.queries';

/**
 * The compliance report of one procedure for one period (shared/domain/REPORTING.md): every section gathered
 * from the features that own the data, then judged by computeCompliance. `report` is exactly the JSON
 * document; the rest feeds the HTML page (acknowledgements, monthly series, the reasons of the checks).
 */
export type MonthlyPoint = Awaited<ReturnType<typeof monthlyOnTimeSeries>>[number];

export interface ReportDocument {
  code: string;
  revisionNo: number;
  effectiveFrom: string;
  nextReviewDue: string;
}

export interface ReportCheck {
  id: string;
  passed: boolean | null;
  severity: Severity;
  detail: string;
}

export interface ProcedureReport {
  procedure: { code: string; title: string };
  period: Period;
  status: ComplianceStatus;
  checks: ReportCheck[];
  dossiers: DossierFigures;
  document: ReportDocument | null;
  audits: AuditFigures;
  nonconformities: { raised: number; openAtEnd: number; closed: number; overdueActions: number };
  generatedAt: string;
}

export interface ProcedureReportData {
  report: ProcedureReport;
  procedure: ProcedureRow;
  checks: Check[];
  acknowledgement: { required: number; acknowledged: number; rate: number | null } | null;
  monthly: MonthlyPoint[];
  lastAuditDate: string | null;
  openMajorAtEnd: number;
  openMinorAtEnd: number;
}

/** A check's reason as a sentence in the language asked (dates dd/mm/yyyy, rates as percentages). */
export function detailOf(check: Check, lang: Lang): string {
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(check.reason.params)) {
    if ((k === 'due' || k === 'date' || k === 'since') && typeof v === 'string') params[k] = `${v.slice(8, 10)}/${v.slice(5, 7)}/${v.slice(0, 4)}`;
    else if ((k === 'rate' || k === 'target') && typeof v === 'number') params[k] = percentText(v, lang);
    else params[k] = v;
  }
  return translate(lang, check.reason.key, params);
}

function percentText(ratio: number, lang: Lang): string {
  const pct = Math.round(ratio * 10000) / 100;
  return lang === 'vi' ? `${String(pct).replace('.', ',')} %` : `${pct}%`;
}

/** A procedure's compliance report for a period, from the data as it stands (generatedAt: when it was asked). */
export async function buildProcedureReport(ctx: AppContext, code: string, period: Period, lang: Lang = 'vi'): Promise<ProcedureReportData | undefined> {
  const procedure = await findProcedureByCode(ctx.db, code);
  if (!procedure) return undefined;
  const { from, to } = period;
  // The document at `to` is read with listProcedureDocumentsAt (the rule of findProcedureDocumentAt, documents read
  // first: a few ms where the general query walks every revision), which also gives the revision id.
  const [rawDossiers, audits, lastAudit, nc, monthly, revisions] = await Promise.all([
    dossierFigures(ctx.db, procedure.id, from, to),
    auditFiguresForProcedure(ctx.db, procedure.id, from, to),
    lastAuditDateForProcedure(ctx.db, procedure.id, to),
    ncFiguresForProcedure(ctx.db, procedure.id, from, to),
    monthlyOnTimeSeries(ctx.db, procedure.id, from, to),
    listProcedureDocumentsAt(ctx.db, to, procedure.id),
  ]);
  const dossiers = pickDossiers(rawDossiers);
  const revision = revisions.get(procedure.id);
  const document: ReportDocument | null = revision
    ? { code: revision.code, revisionNo: revision.revisionNo, effectiveFrom: revision.effectiveFrom, nextReviewDue: revision.nextReviewDue }
    : null;
  let acknowledgement: ProcedureReportData['acknowledgement'] = null;
  if (document && revision) {
    const cov = await acknowledgementCoverage(ctx.db, revision.revisionId);
    acknowledgement = { ...cov, rate: cov.required === 0 ? null : cov.acknowledged / cov.required };
  }
  const { checks, status } = computeCompliance({
    period,
    document,
    nonconformities: nc,
    lastAuditDate: lastAudit ?? null,
    dossiers,
    onTimeTarget: procedure.on_time_target,
  });
  return {
    report: {
      procedure: { code: procedure.code, title: procedure.title },
      period: { from, to },
      status,
      checks: checks.map((c) => ({ id: c.id, passed: c.passed, severity: c.severity, detail: detailOf(c, lang) })),
      dossiers,
      document,
      audits,
      nonconformities: { raised: nc.raised, openAtEnd: nc.openAtEnd, closed: nc.closed, overdueActions: nc.overdueActions },
      generatedAt: ctx.clock.now().toISOString(),
    },
    procedure,
    checks,
    acknowledgement,
    monthly,
    lastAuditDate: lastAudit ?? null,
    openMajorAtEnd: nc.openMajorAtEnd,
    openMinorAtEnd: nc.openMinorAtEnd,
  };
}
