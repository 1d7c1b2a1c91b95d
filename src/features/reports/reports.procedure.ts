import type { AppContext } from '../../core/context';
import { translate, type Lang } from '../../core/i18n';
import { formatPercent } from '../../core/views/format';
import type { AuditFigures } from '../audits/audits.report.queries';
import { acknowledgementCoverage } from '../documents/documents.queries';
import { dossierFigures, dossierFiguresWithSeries, type monthlyOnTimeSeries } from '../dossiers/dossiers.figures';
import { ncFiguresForProcedure } from '../nonconformities/nonconformities.report.queries';
import type { ProcedureRow } from '../procedures/procedures.queries';
import { findOwnProcedureByCode } from '../dossiers/dossiers.queries';
import { termsAt } from '../procedures/procedures.terms.queries';
import { computeCompliance, type Check, type ComplianceStatus, type Severity } from './reports.compliance';
import { asOfDate, type Period } from './reports.periods';
import { pickDossiers, sumDossiers, type DossierFigures } from './reports.dossiers';
import { predecessorContext } from './reports.lineage';
import type { LineageStep } from '../organisation/organisation.reorg.queries';
import { reportAuditFigures } from './reports.procedure.queries';
import { listProcedureDocumentsAt } from './reports.summary.queries';
import { procedureSatisfaction, type SatisfactionFigures } from './reports.satisfaction';

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
  /** The date the figures are computed as of: `to`, or today while the period is not over (REPORTING.md). */
  asOf: string;
  status: ComplianceStatus;
  checks: ReportCheck[];
  dossiers: DossierFigures;
  document: ReportDocument | null;
  audits: AuditFigures;
  nonconformities: {
    raised: number;
    openAtEnd: number;
    awaitingTriage: number;
    closed: number;
    overdueActions: number;
    overdueCorrectiveActions: number;
    overdueOtherActions: number;
  };
  generatedAt: string;
  /**
   * With `?with=predecessors` (issue 22), for an organisation with predecessors: those whose dossier figures are added
   * (name, code, kind and date of each step); absent otherwise.
   */
  predecessors?: { code: string; name: string; kind: 'merge' | 'split'; effectiveOn: string }[];
  /** Set when the procedure exists only in a predecessor: the nearest one that has it, whose report this is. */
  predecessor?: { code: string; name: string };
  /**
   * Citizens' satisfaction survey answers of the procedure in the period, to `asOf` (issue 24; definitions in
   * surveys.figures.ts): the procedure's own answers, not its predecessors'. Added after every other field.
   */
  satisfaction?: SatisfactionFigures;
}

/** What every form of the report shows (the JSON document and the CSV show nothing else). */
export interface ProcedureFiguresData {
  report: ProcedureReport;
  procedure: ProcedureRow;
  checks: Check[];
  lastAuditDate: string | null;
  openMajorAtEnd: number;
  openMinorAtEnd: number;
}

/** The printable page's data: the figures, plus the acknowledgement coverage and the monthly on-time series it draws. */
export interface ProcedureReportData extends ProcedureFiguresData {
  acknowledgement: { required: number; acknowledged: number; rate: number | null } | null;
  monthly: MonthlyPoint[];
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

/** A ratio as a percentage: `98,64 %` in Vietnamese (a no-break space before %, so the sign never starts a line), `98.64%` in English; — for none. */
export function percentText(ratio: number | null | undefined, lang: Lang): string {
  return formatPercent(ratio, lang).replace(/ %$/, '\u00a0%');
}

/**
 * A procedure's compliance report for a period, from the data as it stands (generatedAt: when it was asked). Every
 * figure is read as of `to`, or as of `today` (the organisation's local date) while the period is not over; the
 * audit figures and the check audited_within_12_months count internal audits only.
 */
export function buildProcedureReport(
  ctx: AppContext,
  code: string,
  period: Period,
  lang: Lang = 'vi',
  today?: string,
  predecessors: readonly LineageStep[] = [],
): Promise<ProcedureReportData | undefined> {
  return gather(ctx, code, period, lang, today, true, predecessors) as Promise<ProcedureReportData | undefined>;
}

/**
 * The same report without what only the printable page shows (the monthly series and the acknowledgement coverage):
 * the JSON and CSV forms, three statements fewer (one of them a round trip after all the others). The satisfaction
 * survey's figures only when asked (`?include=satisfaction`): the JSON's keys stay REPORTING.md's otherwise.
 */
export function buildProcedureFigures(
  ctx: AppContext,
  code: string,
  period: Period,
  lang: Lang = 'vi',
  today?: string,
  predecessors: readonly LineageStep[] = [],
  withSatisfaction = false,
): Promise<ProcedureFiguresData | undefined> {
  return gather(ctx, code, period, lang, today, false, predecessors, withSatisfaction);
}

async function gather(
  ctx: AppContext,
  code: string,
  period: Period,
  lang: Lang,
  today: string | undefined,
  pageExtras: boolean,
  predecessors: readonly LineageStep[],
  withSatisfaction = pageExtras,
): Promise<ProcedureFiguresData | ProcedureReportData | undefined> {
  // The organisation's procedure of that code: another organisation's code is unknown here (404), unless it is one of
  // the organisation's predecessors' and their figures are asked for (then the report is the nearest one's).
  const found = await findProcedureInLineage(ctx, code, predecessors);
  if (!found) return undefined;
  const { current, owner } = found;
  const own = ctx;
  // Every section is read where the procedure lives: the predecessor's handle when it is one of theirs.
  ctx = owner ? predecessorContext(own, owner.id) : own;
  const { from } = period;
  const to = today === undefined ? period.to : asOfDate(period, today);
  const id = current.id;
  // The document at `to` is read with listProcedureDocumentsAt (the rule of findProcedureDocumentAt, documents read
  // first: a few ms where the general query walks every revision), which also gives the revision id.
  // The printable page's monthly series comes with the dossier figures (the summary rows checked once for both).
  const [termsById, { figures: rawDossiers, monthly }, { audits, last: lastAudit }, nc, revisions, satisfaction] = await Promise.all([
    termsAt(ctx.db, to, [id]),
    pageExtras ? dossierFiguresWithSeries(ctx.db, id, from, to) : dossierFigures(ctx.db, id, from, to).then((figures) => ({ figures, monthly: undefined })),
    reportAuditFigures(ctx.db, id, from, to),
    ncFiguresForProcedure(ctx.db, id, from, to),
    listProcedureDocumentsAt(ctx.db, to, id),
    withSatisfaction ? procedureSatisfaction(ctx.db, id, from, to) : undefined,
  ]);
  // The processing days and online level printed are those in force at the period's end.
  const terms = termsById.get(id);
  const procedure = terms ? { ...current, processing_days: terms.processingDays, online_level: terms.onlineLevel } : current;
  const added =
    predecessors.length === 0
      ? []
      : await predecessorDossiers(
          own,
          code,
          predecessors.filter((p) => p !== owner),
          from,
          to,
        );
  // Counts summed, the rate recomputed from the sums (never averaged).
  const dossiers = added.length === 0 ? pickDossiers(rawDossiers) : sumDossiers([pickDossiers(rawDossiers), ...added]);
  const revision = revisions.get(procedure.id);
  const document: ReportDocument | null = revision
    ? { code: revision.code, revisionNo: revision.revisionNo, effectiveFrom: revision.effectiveFrom, nextReviewDue: revision.nextReviewDue }
    : null;
  let acknowledgement: ProcedureReportData['acknowledgement'] = null;
  if (pageExtras && document && revision) {
    const cov = await acknowledgementCoverage(ctx.db, revision.revisionId);
    acknowledgement = { ...cov, rate: cov.required === 0 ? null : cov.acknowledged / cov.required };
  }
  const { checks, status } = computeCompliance({
    period: { from, to },
    document,
    nonconformities: nc,
    lastAuditDate: lastAudit ?? null,
    dossiers,
    onTimeTarget: procedure.on_time_target,
  });
  const figures: ProcedureFiguresData = {
    report: {
      procedure: { code: procedure.code, title: procedure.title },
      period: { from: period.from, to: period.to },
      asOf: to,
      status,
      checks: checks.map((c) => ({ id: c.id, passed: c.passed, severity: c.severity, detail: detailOf(c, lang) })),
      dossiers,
      document,
      audits,
      nonconformities: {
        raised: nc.raised,
        openAtEnd: nc.openAtEnd,
        awaitingTriage: nc.awaitingTriage,
        closed: nc.closed,
        overdueActions: nc.overdueActions,
        overdueCorrectiveActions: nc.overdueCorrectiveActions,
        overdueOtherActions: nc.overdueOtherActions,
      },
      generatedAt: ctx.clock.now().toISOString(),
      ...(predecessors.length > 0
        ? { predecessors: predecessors.map((p) => ({ code: p.code, name: p.name, kind: p.kind, effectiveOn: p.effective_on })) }
        : {}),
      ...(owner ? { predecessor: { code: owner.code, name: owner.name } } : {}),
      ...(satisfaction ? { satisfaction } : {}),
    },
    procedure,
    checks,
    lastAuditDate: lastAudit ?? null,
    openMajorAtEnd: nc.openMajorAtEnd,
    openMinorAtEnd: nc.openMinorAtEnd,
  };
  return pageExtras ? { ...figures, acknowledgement, monthly: monthly ?? [] } : figures;
}

/** The organisation's procedure of a code, else (with predecessors) the nearest predecessor's, with that predecessor. */
async function findProcedureInLineage(ctx: AppContext, code: string, predecessors: readonly LineageStep[]) {
  const current = await findOwnProcedureByCode(ctx.db, code);
  if (current) return { current, owner: undefined };
  for (const p of predecessors) {
    const theirs = await findOwnProcedureByCode(predecessorContext(ctx, p.id).db, code);
    if (theirs) return { current: theirs, owner: p };
  }
  return undefined;
}

/** The dossier figures of the procedure of that code in each predecessor that has one, each computed as its own. */
async function predecessorDossiers(ctx: AppContext, code: string, predecessors: readonly LineageStep[], from: string, to: string): Promise<DossierFigures[]> {
  const figures = await Promise.all(
    predecessors.map(async (p) => {
      const { db } = predecessorContext(ctx, p.id);
      const procedure = await findOwnProcedureByCode(db, code);
      return procedure ? pickDossiers(await dossierFigures(db, procedure.id, from, to)) : undefined;
    }),
  );
  return figures.filter((f): f is DossierFigures => f !== undefined);
}
