import type { Request } from 'express';
import type { AppContext } from '../../core/context';
import type { Db } from '../../core/db/database';
import { organisationOf, scopedDb, withoutOrganisation } from '../../core/db/scope';
import { formatDate } from '../../core/views/format';
import { predecessorsOf, type LineageStep } from '../organisation/organisation.reorg.queries';
import { CHECK_SEVERITY, computeCompliance, statusOf, type CheckId, type ComplianceStatus } from './reports.compliance';
import { sumDossiers, type DossierFigures } from './reports.dossiers';
import type { Period } from './reports.periods';
import type { SummaryRow } from './reports.summary.types';

/**
 * Continuity across a reorganisation (issue 22): with `?with=predecessors`, a successor's compliance reports add to each
 * procedure's dossier figures those of the procedure of the same code in every predecessor (the whole chain), for the
 * same period. Each predecessor's figures are computed by the same code as the successor's, on a handle scoped to that
 * predecessor: its records keep their own identity, and nothing is copied.
 */
export const WITH_PREDECESSORS = 'predecessors';

/** True when the request asks for the predecessors' figures (any other value of `with` is ignored, as an unknown filter is). */
export function wantsPredecessors(req: Request): boolean {
  return req.query.with === WITH_PREDECESSORS;
}

/** The organisation's predecessors, nearest first (an office without any gets an empty list, and the reports change nothing). */
export function reportPredecessors(ctx: AppContext): Promise<LineageStep[]> {
  return predecessorsOf(ctx.db, organisationOf(ctx.db));
}

/**
 * The context of one predecessor: the request's handle without its own scope, scoped to the predecessor. Kept per
 * handle so that the summary's kept figures (keyed by handle and organisation) serve the next request too.
 */
const scopedHandles = new WeakMap<Db, Map<number, Db>>();

export function predecessorContext(ctx: AppContext, predecessorId: number): AppContext {
  let byId = scopedHandles.get(ctx.db);
  if (!byId) scopedHandles.set(ctx.db, (byId = new Map()));
  let db = byId.get(predecessorId);
  if (!db) byId.set(predecessorId, (db = scopedDb(withoutOrganisation(ctx.db), predecessorId)));
  return { ...ctx, db };
}

/** The checks computed from the dossier figures alone: judged again when the figures include the predecessors'. */
const DOSSIER_CHECKS: readonly CheckId[] = ['on_time_target', 'no_pending_overdue'];

/**
 * The failed checks and status of a row whose dossier figures changed: the checks on documents, nonconformities and
 * audits stay as they were (they are the organisation's own); the dossier checks are judged on the summed figures.
 */
export function rejudge(
  failed: readonly CheckId[],
  period: Period,
  dossiers: DossierFigures,
  onTimeTarget: number,
): { failedChecks: CheckId[]; status: ComplianceStatus } {
  const judged = computeCompliance({
    period,
    document: null,
    nonconformities: { openMajorAtEnd: 0, openMinorAtEnd: 0, overdueActions: 0 },
    lastAuditDate: null,
    dossiers,
    onTimeTarget,
  }).checks.filter((c) => DOSSIER_CHECKS.includes(c.id) && c.passed === false);
  const failedChecks = failed.filter((id) => !DOSSIER_CHECKS.includes(id)).concat(judged.map((c) => c.id));
  return { failedChecks, status: statusOf(failedChecks.map((id) => ({ passed: false, severity: CHECK_SEVERITY[id] }))) };
}

/** A predecessor as the reports name it: name, code, the kind and date of the step. */
export interface PredecessorView {
  code: string;
  name: string;
  kind: 'merge' | 'split';
  effectiveOn: string;
  effectiveOnText: string;
  viaCode: string;
}

export function predecessorViews(steps: readonly LineageStep[], timeZone: string): PredecessorView[] {
  return steps.map((s) => ({
    code: s.code,
    name: s.name,
    kind: s.kind,
    effectiveOn: s.effective_on,
    effectiveOnText: formatDate(s.effective_on, timeZone),
    viaCode: s.via_code,
  }));
}

/**
 * The summary's rows with the predecessors' rows added (`theirs[i]` are the rows of `steps[i]`): a procedure of the
 * organisation takes the dossier figures of every predecessor's procedure of the same code; a procedure found only
 * in predecessors is listed too, as the nearest one's (its other figures), marked as a predecessor's. Counts are
 * summed and the on-time rate recomputed from the sums (sumDossiers); the rows kept by the summary are not changed.
 */
export function withPredecessorRows(
  period: Period,
  own: readonly SummaryRow[],
  theirs: readonly (readonly SummaryRow[])[],
  steps: readonly LineageStep[],
): SummaryRow[] {
  const byCode = new Map<string, { row: SummaryRow; step: LineageStep }[]>();
  theirs.forEach((rows, i) => {
    for (const row of rows) {
      const list = byCode.get(row.code);
      if (list) list.push({ row, step: steps[i] });
      else byCode.set(row.code, [{ row, step: steps[i] }]);
    }
  });
  const merged = (base: SummaryRow, more: readonly SummaryRow[]): SummaryRow => {
    const dossiers = sumDossiers([base.dossiers, ...more.map((r) => r.dossiers)]);
    return { ...base, dossiers, ...rejudge(base.failedChecks, period, dossiers, base.onTimeTarget) };
  };
  const out = own.map((r) => {
    const more = byCode.get(r.code);
    byCode.delete(r.code);
    return more
      ? merged(
          r,
          more.map((m) => m.row),
        )
      : r;
  });
  for (const [, list] of byCode) {
    const [first, ...rest] = list;
    // The predecessor's unit is not one of the organisation's: no unit filter of the organisation selects the row.
    out.push({
      ...merged(
        first.row,
        rest.map((m) => m.row),
      ),
      unitId: null,
      predecessor: { code: first.step.code, name: first.step.name },
    });
  }
  return out.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
