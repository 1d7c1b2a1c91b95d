import type { Db } from '../../core/db/database';
import { listLateDossiers, type LateDossierRow } from './apologies.queries';

/**
 * The apology-slip figures of a period [from, to] (issue 24), over the dossiers REPORTING.md counts as late (resolved
 * within the period, returned after their due date) and pending overdue (pending at `to`, due before `to`). A dossier
 * has a slip when a slip recorded for it (not cancelled) was issued on or before `to`; the slip in force is the
 * latest such one, and its new return date is the one the figures judge:
 * - lateWithSlip = metNewDate + returnedAfterNewDate: returned on or before the new date, or after it;
 * - overdueWithSlip = pendingPastNewDate + pendingWithinNewDate: still pending at `to` with the new date before `to`
 *   (the promise is broken too), or not yet.
 * Always: late = lateWithSlip + lateWithoutSlip; pendingOverdue = overdueWithSlip + overdueWithoutSlip.
 */
export interface ApologyFigures {
  late: number;
  lateWithSlip: number;
  lateWithoutSlip: number;
  pendingOverdue: number;
  overdueWithSlip: number;
  overdueWithoutSlip: number;
  metNewDate: number;
  returnedAfterNewDate: number;
  pendingPastNewDate: number;
  pendingWithinNewDate: number;
}

export const FIGURE_KEYS = [
  'late',
  'lateWithSlip',
  'lateWithoutSlip',
  'pendingOverdue',
  'overdueWithSlip',
  'overdueWithoutSlip',
  'metNewDate',
  'returnedAfterNewDate',
  'pendingPastNewDate',
  'pendingWithinNewDate',
] as const satisfies readonly (keyof ApologyFigures)[];

export const emptyFigures = (): ApologyFigures => Object.fromEntries(FIGURE_KEYS.map((k) => [k, 0])) as unknown as ApologyFigures;

/** Adds one late or overdue dossier (as listLateDossiers gives it) to the figures. */
function add(f: ApologyFigures, r: LateDossierRow, to: string): void {
  if (Number(r.late) === 1) {
    f.late++;
    if (r.slip_id === null) f.lateWithoutSlip++;
    else {
      f.lateWithSlip++;
      if (r.returned_on! <= r.new_due_on!) f.metNewDate++;
      else f.returnedAfterNewDate++;
    }
  } else {
    f.pendingOverdue++;
    if (r.slip_id === null) f.overdueWithoutSlip++;
    else {
      f.overdueWithSlip++;
      if (r.new_due_on! < to) f.pendingPastNewDate++;
      else f.pendingWithinNewDate++;
    }
  }
}

export interface ProcedureApologyFigures {
  procedureId: number;
  code: string;
  title: string;
  figures: ApologyFigures;
}

export interface PeriodApologies {
  total: ApologyFigures;
  /** Procedures with a late or overdue dossier in the period, in code order. */
  byProcedure: ProcedureApologyFigures[];
  /** The dossiers counted, with the slip in force at `to`. */
  dossiers: LateDossierRow[];
}

export async function apologyFigures(db: Db, from: string, to: string): Promise<PeriodApologies> {
  const dossiers = await listLateDossiers(db, from, to);
  const total = emptyFigures();
  const byId = new Map<number, ProcedureApologyFigures>();
  for (const r of dossiers) {
    add(total, r, to);
    let p = byId.get(r.procedure_id);
    if (!p) byId.set(r.procedure_id, (p = { procedureId: r.procedure_id, code: r.procedure_code, title: r.procedure_title, figures: emptyFigures() }));
    add(p.figures, r, to);
  }
  return { total, byProcedure: [...byId.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)), dossiers };
}

/**
 * The quality officer's work list at the period's end: the late and overdue dossiers without a slip, and those still
 * pending after the new return date of their slip (a second slip is due).
 */
export function workList(p: PeriodApologies, to: string): (LateDossierRow & { need: 'no_slip' | 'new_date_passed' })[] {
  const out: (LateDossierRow & { need: 'no_slip' | 'new_date_passed' })[] = [];
  for (const r of p.dossiers) {
    if (r.slip_id === null) out.push({ ...r, need: 'no_slip' });
    else if (Number(r.late) === 0 && r.new_due_on! < to) out.push({ ...r, need: 'new_date_passed' });
  }
  return out;
}
