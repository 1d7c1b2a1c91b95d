import type { AppContext } from '../../core/context';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import { lastAuditDateForProcedure, listLastAuditDates } from '../audits/audits.report.queries';
import { dossierFigures, dossierFiguresForAll, monthlyOnTimeSeries } from '../dossiers/dossiers.figures';
import { ncFiguresForProcedure } from '../nonconformities/nonconformities.report.queries';
import { listFields } from '../procedures/procedures.queries';
import { listUnitOptions } from '../units/units.queries';
import { computeCompliance, type ComplianceStatus } from './reports.compliance';
import { asOfDate, type Period } from './reports.periods';
import { DOSSIER_FIELDS, emptyDossiers, pickDossiers, type DossierFigures } from './reports.dossiers';
import { predecessorContext, withPredecessorRows } from './reports.lineage';
import type { Summary, SummaryRow, SummaryTotals } from './reports.summary.types';
import type { LineageStep } from '../organisation/organisation.reorg.queries';
import {
  emptyNc,
  findLastFigureChange,
  listFigureChangesSince,
  listNcFiguresByProcedure,
  listProcedureDocumentsAt,
  listSummaryProcedures,
  type NcSummaryFigures,
  type ProcedureDocumentAt,
  type SummaryFilter,
  type SummaryProcedureRow,
} from './reports.summary.queries';

export type { Summary, SummaryRow, SummaryTotals } from './reports.summary.types';
export { findLastFigureChange } from './reports.summary.queries';

export interface SummaryQuery extends SummaryFilter {
  status?: ComplianceStatus;
}

/**
 * The summary for a period, filtered: every matching row and their totals. Given the organisation's `today`, a period
 * not over yet is computed as of today (REPORTING.md); every figure of the rows is computed as of `asOf`.
 */
export async function buildSummary(
  ctx: AppContext,
  period: Period,
  query: SummaryQuery,
  today?: string,
  predecessors: readonly LineageStep[] = [],
  /** The last seq of figure_changes, when the caller read it already (the oversight page: once for every organisation). */
  seq?: number,
): Promise<Summary> {
  const asOf = today === undefined ? period.to : asOfDate(period, today);
  const asked = { from: period.from, to: asOf };
  const own = await periodRows(ctx, asked, seq);
  // With the predecessors (issue 22): each one's rows computed as its own, on a handle scoped to it, then added by code.
  const all =
    predecessors.length === 0
      ? own
      : withPredecessorRows(asked, own, await Promise.all(predecessors.map((p) => periodRows(predecessorContext(ctx, p.id), asked))), predecessors);
  const rows = all.filter(
    (r) => (!query.field || r.field === query.field) && (!query.unitId || r.unitId === query.unitId) && (!query.status || r.status === query.status),
  );
  const summary: Summary = { period: { from: period.from, to: period.to }, asOf, rows, totals: totalsOf(rows) };
  if (predecessors.length > 0) summary.predecessors = predecessors;
  return summary;
}

/**
 * An organisation's figures of a period, kept per database and organisation with the seq of figure_changes they were
 * computed at. Triggers move a procedure to the end of figure_changes in the transaction of every change to what its
 * figures are computed from (migration 2026_12_05_0900_figure_changes), whichever process or path makes it; so a
 * request reads the last seq (one indexed read) and computes again only what changed since. The seq is read before
 * anything is computed: a change committed meanwhile is computed again by the next request, never missed. A period
 * carries its dates, so a new day asks for another period. At most KEPT_PERIODS periods of each kind are kept per
 * database and organisation, the least recently used dropped first; no rendered HTML is kept.
 */
const KEPT_PERIODS = 8;

class PeriodFigures<T> {
  /**
   * Per database, then per organisation (the request's handle is the same for every organisation, its scope comes
   * from the request): one organisation's figures are never another's.
   */
  private readonly byDb = new WeakMap<Db, Map<number, Map<string, { seq: number; value: T }>>>();

  /**
   * The period's value as of the last change: the kept one when no procedure changed since it was computed, else
   * `compute(kept)` (given what was kept and its seq, to recompute only what changed), kept with the seq read first.
   */
  async of(db: Db, period: Period, compute: (kept: { seq: number; value: T } | undefined) => Promise<T>, seqRead?: number): Promise<T> {
    const key = `${period.from}|${period.to}`;
    const organisation = organisationOf(db);
    // read before anything is computed (a caller that gives it read it before computing too)
    const seq = seqRead ?? (await findLastFigureChange(db));
    let byOrganisation = this.byDb.get(db);
    if (!byOrganisation) this.byDb.set(db, (byOrganisation = new Map()));
    let byKey = byOrganisation.get(organisation);
    if (!byKey) byOrganisation.set(organisation, (byKey = new Map()));
    const kept = byKey.get(key);
    if (kept && kept.seq === seq) return kept.value;
    const value = await compute(kept);
    // Another request may have kept a newer computation meanwhile: the newer one stays.
    const now = byKey.get(key);
    if (!now || now.seq <= seq) {
      byKey.delete(key);
      byKey.set(key, { seq, value });
      if (byKey.size > KEPT_PERIODS) byKey.delete(byKey.keys().next().value!);
    }
    return value;
  }
}

/**
 * The rows of a period: every row computed once (a few hundred ms for a province's 2,000 procedures), then only the
 * rows of the procedures changed since, or every row again when more than RECOMPUTE_EACH_UP_TO changed or every
 * procedure was marked.
 */
const RECOMPUTE_EACH_UP_TO = 20;
const summaryRows = new PeriodFigures<SummaryRow[]>();

function periodRows(ctx: AppContext, period: Period, seq?: number): Promise<SummaryRow[]> {
  return summaryRows.of(
    ctx.db,
    period,
    async (kept) => {
      const changed = kept ? await listFigureChangesSince(ctx.db, kept.seq) : [0];
      return changed.includes(0) || changed.length > RECOMPUTE_EACH_UP_TO ? computeRows(ctx, period) : recomputeSome(ctx, period, kept!.value, changed);
    },
    seq,
  );
}

/** The office's on-time rate month by month (every procedure), computed again after any change of figures. */
const officeSeries = new PeriodFigures<Awaited<ReturnType<typeof monthlyOnTimeSeries>>>();

export function officeOnTimeSeries(ctx: AppContext, period: Period): Promise<Awaited<ReturnType<typeof monthlyOnTimeSeries>>> {
  return officeSeries.of(ctx.db, period, () => monthlyOnTimeSeries(ctx.db, null, period.from, period.to));
}

/** Every active procedure's row, in grouped statements (a fixed number whatever the number of procedures). */
async function computeRows(ctx: AppContext, period: Period): Promise<SummaryRow[]> {
  const { from, to } = period;
  const [procedures, dossiersBy, documentsBy, ncBy, auditsBy] = await Promise.all([
    listSummaryProcedures(ctx.db, {}),
    dossierFiguresForAll(ctx.db, from, to),
    listProcedureDocumentsAt(ctx.db, to),
    listNcFiguresByProcedure(ctx.db, from, to),
    listLastAuditDates(ctx.db, to, 'internal'),
  ]);
  return procedures.map((p) => rowOf(period, p, dossiersBy.get(p.id), documentsBy.get(p.id), ncBy.get(p.id), auditsBy.get(p.id)));
}

/** The kept rows with the rows of `ids` computed again (a procedure no longer active drops out), by code. */
async function recomputeSome(ctx: AppContext, period: Period, rows: SummaryRow[], ids: number[]): Promise<SummaryRow[]> {
  // the log of changed figures is the whole database's: another organisation's changes leave none of ours
  if (ids.length === 0) return rows;
  const { from, to } = period;
  const procedures = await listSummaryProcedures(ctx.db, { ids });
  const changed = await Promise.all(
    procedures.map(async (p) => {
      const [dossiers, documents, nc, lastAudit] = await Promise.all([
        dossierFigures(ctx.db, p.id, from, to),
        listProcedureDocumentsAt(ctx.db, to, p.id),
        ncFiguresForProcedure(ctx.db, p.id, from, to),
        lastAuditDateForProcedure(ctx.db, p.id, to, 'internal'),
      ]);
      return rowOf(period, p, dossiers, documents.get(p.id), nc, lastAudit);
    }),
  );
  const out = rows.filter((r) => !ids.includes(r.id)).concat(changed);
  return out.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

function rowOf(
  period: Period,
  p: SummaryProcedureRow,
  rawDossiers: DossierFigures | undefined,
  doc: ProcedureDocumentAt | undefined,
  ncFigures: NcSummaryFigures | undefined,
  lastAudit: string | undefined,
): SummaryRow {
  const dossiers = rawDossiers ? pickDossiers(rawDossiers) : emptyDossiers();
  const nc = ncFigures ?? emptyNc();
  const lastAuditDate = lastAudit ?? null;
  const document = doc ?? null;
  const { checks, status } = computeCompliance({ period, document, nonconformities: nc, lastAuditDate, dossiers, onTimeTarget: p.on_time_target });
  return {
    id: p.id,
    code: p.code,
    title: p.title,
    field: p.field,
    unitId: p.unit_id,
    unitCode: p.unit_code,
    status,
    failedChecks: checks.filter((c) => c.passed === false).map((c) => c.id),
    document: document ? { code: document.code, revisionNo: document.revisionNo, nextReviewDue: document.nextReviewDue } : null,
    lastAuditDate,
    dossiers,
    ncRaised: nc.raised,
    ncOpenAtEnd: nc.openAtEnd,
    ncClosed: nc.closed,
    ncAwaitingTriage: nc.awaitingTriage,
    overdueActions: nc.overdueActions,
    overdueCorrectiveActions: nc.overdueCorrectiveActions,
    overdueOtherActions: nc.overdueOtherActions,
    onTimeTarget: p.on_time_target,
  };
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
    ncAwaitingTriage: 0,
    overdueActions: 0,
    overdueCorrectiveActions: 0,
    overdueOtherActions: 0,
  };
  for (const r of rows) {
    totals.byStatus[r.status] += 1;
    for (const f of DOSSIER_FIELDS) dossiers[f] += r.dossiers[f];
    totals.ncRaised += r.ncRaised;
    totals.ncOpenAtEnd += r.ncOpenAtEnd;
    totals.ncClosed += r.ncClosed;
    totals.ncAwaitingTriage += r.ncAwaitingTriage;
    totals.overdueActions += r.overdueActions;
    totals.overdueCorrectiveActions += r.overdueCorrectiveActions;
    totals.overdueOtherActions += r.overdueOtherActions;
  }
  dossiers.onTimeRate = dossiers.resolved === 0 ? null : (dossiers.early + dossiers.onTime) / dossiers.resolved;
  return totals;
}

export interface SummaryOptions {
  fields: string[];
  unitOptions: { value: number; label: string }[];
}

/** The filter's choices (fields and units). */
export async function summaryOptions(ctx: AppContext): Promise<SummaryOptions> {
  const [fields, unitOptions] = await Promise.all([listFields(ctx.db), listUnitOptions(ctx.db)]);
  return { fields, unitOptions };
}
