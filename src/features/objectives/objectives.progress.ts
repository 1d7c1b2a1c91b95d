import type { Db } from '../../core/db/database';
import { counterFor } from './objectives.indicators';
import { asOfOf, meetsTarget, percentOf, periodsOf, statusOf, yearToDate, type ObjectiveStatus, type Ratio } from './objectives.model';
import { listReadings, type ObjectiveRow, type ReadingRow } from './objectives.queries';

/**
 * Each objective's progress against its target: a value per measurement period of the year that has started (computed
 * as of the period's end or today, or the period's current reading), the value for the year (computed: the year to
 * date; manual: the reading of the latest period measured) and the status (objectives.model.ts statusOf).
 */
export interface PeriodProgress {
  key: string;
  from: string;
  to: string;
  started: boolean;
  /** The date a computed value is counted as of (its end, or today). */
  asOf: string;
  value: number | null;
  ratio?: Ratio;
  meets: boolean | null;
  /** The current reading (manual), and every reading of the period, the first first. */
  reading?: ReadingRow;
  readings: ReadingRow[];
  /** nc_closed_on_time: NCs closed without a due date, left out. */
  left?: number;
}

export interface Progress {
  periods: PeriodProgress[];
  year: { value: number | null; ratio?: Ratio; meets: boolean | null; asOf?: string; period?: string; left?: number };
  status: ObjectiveStatus;
}

/** The reading in force of each period: the last of its chain of corrections. */
function currentReadings(readings: readonly ReadingRow[]): Map<string, ReadingRow> {
  const superseded = new Set(readings.map((r) => r.supersedes_id).filter((id): id is number => id !== null));
  const out = new Map<string, ReadingRow>();
  for (const r of readings) if (!superseded.has(r.id)) out.set(r.period, r);
  return out;
}

export async function progressOf(db: Db, o: ObjectiveRow, today: string, readings?: readonly ReadingRow[]): Promise<Progress> {
  const yearOver = today > `${o.year}-12-31`;
  const periods = periodsOf(o.year, o.frequency);
  if (o.indicator === 'manual') {
    const all = readings ?? (await listReadings(db, [o.id]));
    const mine = all.filter((r) => r.objective_id === o.id);
    const current = currentReadings(mine);
    const rows: PeriodProgress[] = periods.map((p) => {
      const reading = current.get(p.key);
      const value = reading ? Number(reading.value) : null;
      return {
        ...p,
        started: p.from <= today,
        asOf: asOfOf(p, today),
        value,
        meets: meetsTarget(o.comparison, Number(o.target), value),
        reading,
        readings: mine.filter((r) => r.period === p.key),
      };
    });
    const latest = [...rows].reverse().find((r) => r.value !== null);
    const year = { value: latest?.value ?? null, meets: latest?.meets ?? null, period: latest?.key };
    return { periods: rows, year, status: statusOf(year.meets, yearOver) };
  }
  const count = await counterFor(db, o.indicator, { year: o.year, procedureId: o.procedure_id, unitId: o.unit_id }, today);
  const rows: PeriodProgress[] = [];
  for (const p of periods) {
    const started = p.from <= today;
    const ratio = started ? await count(p) : undefined;
    const value = ratio ? percentOf(ratio) : null;
    rows.push({
      ...p,
      started,
      asOf: asOfOf(p, today),
      value,
      ratio,
      meets: ratio ? meetsTarget(o.comparison, Number(o.target), value, ratio) : null,
      readings: [],
      left: ratio?.left,
    });
  }
  const ytd = yearToDate(o.year, today);
  const ratio = ytd ? await count(ytd) : undefined;
  const value = ratio ? percentOf(ratio) : null;
  const meets = ratio ? meetsTarget(o.comparison, Number(o.target), value, ratio) : null;
  return { periods: rows, year: { value, ratio, meets, asOf: ytd?.to, left: ratio?.left }, status: statusOf(meets, yearOver) };
}

/** The progress of every objective of a list (the readings read once). */
export async function progressOfAll(db: Db, objectives: readonly ObjectiveRow[], today: string): Promise<Map<number, Progress>> {
  const readings = await listReadings(
    db,
    objectives.filter((o) => o.indicator === 'manual').map((o) => o.id),
  );
  const out = new Map<number, Progress>();
  for (const o of objectives) if (o.status === 'active') out.set(o.id, await progressOf(db, o, today, readings));
  return out;
}
