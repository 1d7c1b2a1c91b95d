import type { Db } from '../../core/db/database';
import { selectFigures, selectFiguresAndMonths, selectFiguresByProcedure, selectMonthlyResolved } from './dossiers.figures.queries';
import type { RawFigures, RawMonth } from './dossiers.stats.queries';

/** The dossier figures of shared/domain/REPORTING.md (Biểu II.06a), named exactly as the JSON report names them. */
export interface DossierFigures {
  carriedOver: number;
  newlyReceived: number;
  newlyReceivedOnline: number;
  newlyReceivedDirect: number;
  newlyReceivedPostal: number;
  received: number;
  resolved: number;
  early: number;
  onTime: number;
  late: number;
  pending: number;
  pendingOnTrack: number;
  pendingOverdue: number;
  /** (early + onTime) / resolved in [0, 1]; null when resolved = 0. */
  onTimeRate: number | null;
}

export interface MonthlyOnTime {
  /** 'YYYY-MM' (local month of the return / withdrawal). */
  month: string;
  resolved: number;
  early: number;
  onTime: number;
  late: number;
  onTimeRate: number | null;
}

export const rateOf = (early: number, onTime: number, resolved: number): number | null => (resolved === 0 ? null : (early + onTime) / resolved);

export function emptyFigures(): DossierFigures {
  return toFigures(undefined);
}

function toFigures(raw: RawFigures | undefined): DossierFigures {
  const n = (v: number | undefined) => Number(v ?? 0);
  const carriedOver = n(raw?.carried_over);
  const newlyReceived = n(raw?.newly_received);
  const resolved = n(raw?.resolved);
  const early = n(raw?.early);
  const onTime = n(raw?.on_time);
  return {
    carriedOver,
    newlyReceived,
    newlyReceivedOnline: n(raw?.newly_received_online),
    newlyReceivedDirect: n(raw?.newly_received_direct),
    newlyReceivedPostal: n(raw?.newly_received_postal),
    received: carriedOver + newlyReceived,
    resolved,
    early,
    onTime,
    late: n(raw?.late),
    pending: n(raw?.pending),
    pendingOnTrack: n(raw?.pending_on_track),
    pendingOverdue: n(raw?.pending_overdue),
    onTimeRate: rateOf(early, onTime, resolved),
  };
}

/** One procedure's figures for [from, to] (inclusive local dates), computed in ONE SQL query. */
export async function dossierFigures(db: Db, procedureId: number, from: string, to: string): Promise<DossierFigures> {
  return toFigures(await selectFigures(db, procedureId, from, to));
}

/**
 * Every procedure's figures for [from, to] in one grouped query, by procedure id. A procedure with no dossier in the
 * period is absent from the map: use emptyFigures() for it.
 */
export async function dossierFiguresForAll(db: Db, from: string, to: string): Promise<Map<number, DossierFigures>> {
  const rows = await selectFiguresByProcedure(db, from, to);
  return new Map(rows.map((r) => [Number(r.procedure_id), toFigures(r)]));
}

/** Sum of several procedures' figures (the rate recomputed from the sums). */
export function sumFigures(list: Iterable<DossierFigures>): DossierFigures {
  const total = emptyFigures();
  for (const f of list) {
    for (const key of Object.keys(total) as (keyof DossierFigures)[]) {
      if (key !== 'onTimeRate') total[key] += f[key];
    }
  }
  total.onTimeRate = rateOf(total.early, total.onTime, total.resolved);
  return total;
}

/** 'YYYY-MM' of every month from `from` to `to`, inclusive. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const endY = Number(to.slice(0, 4));
  const endM = Number(to.slice(5, 7));
  while (y < endY || (y === endY && m <= endM)) {
    out.push(`${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`);
    if (++m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

/**
 * Resolved dossiers month by month (by the local month of t) within [from, to], every month present (zeros and a
 * null rate when none was resolved). `procedureId` null: all procedures together.
 */
export async function monthlyOnTimeSeries(db: Db, procedureId: number | null, from: string, to: string): Promise<MonthlyOnTime[]> {
  return seriesOf(await selectMonthlyResolved(db, procedureId, from, to), from, to);
}

/** One procedure's figures and its monthly series (dossierFigures and monthlyOnTimeSeries), its summary rows checked once. */
export async function dossierFiguresWithSeries(
  db: Db,
  procedureId: number,
  from: string,
  to: string,
): Promise<{ figures: DossierFigures; monthly: MonthlyOnTime[] }> {
  const { figures, months } = await selectFiguresAndMonths(db, procedureId, from, to);
  return { figures: toFigures(figures), monthly: seriesOf(months, from, to) };
}

function seriesOf(list: RawMonth[], from: string, to: string): MonthlyOnTime[] {
  const rows = new Map(list.map((r) => [r.month, r]));
  return monthsBetween(from, to).map((month) => {
    const r = rows.get(month);
    const resolved = Number(r?.resolved ?? 0);
    const early = Number(r?.early ?? 0);
    const onTime = Number(r?.on_time ?? 0);
    return { month, resolved, early, onTime, late: Number(r?.late ?? 0), onTimeRate: rateOf(early, onTime, resolved) };
  });
}
