import type { Db } from '../../core/db/database';
import type { AnnualObjectives } from '../reports/reports.annual.sections';
import type { ObjectiveStatus } from './objectives.model';
import { progressOfAll } from './objectives.progress';
import { listObjectives } from './objectives.queries';

/**
 * The annual report's section on the quality objectives (wired in src/features/hooks.ts): the reporting year's
 * objectives in force (not cancelled), each with its value for the year and its status as of today.
 */
export async function annualObjectives(db: Db, year: number, _period: unknown, today: string): Promise<{ objectives: AnnualObjectives }> {
  const objectives = (await listObjectives(db, year)).filter((o) => o.status === 'active');
  const progress = await progressOfAll(db, objectives, today);
  const items = objectives.map((o) => {
    const p = progress.get(o.id)!;
    return { seq: o.seq, objective: o.objective, comparison: o.comparison, target: Number(o.target), unit: o.unit, value: p.year.value, status: p.status };
  });
  const n = (s: ObjectiveStatus) => items.filter((i) => i.status === s).length;
  return { objectives: { total: items.length, met: n('met'), onTrack: n('on_track'), notMet: n('not_met'), noData: n('no_data'), items } };
}
