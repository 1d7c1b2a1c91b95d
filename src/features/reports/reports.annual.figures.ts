import { addDays } from '../../core/calendar';
import { instantOfWallClock } from '../../core/calendar/zone';
import type { Db } from '../../core/db/database';
import { dossierFiguresForAll, monthlyOnTimeSeries } from '../dossiers/dossiers.figures';
import { pickDossiers, sumDossiers, type DossierFigures } from './reports.dossiers';
import { countAuditsHeld, countDocumentChanges, countNonconformitiesOverall, type AnnualNcFigures } from './reports.annual.queries';
import { yearPeriod, type Period } from './reports.periods';
import { countAdministrativeByOnlineLevel, countInternalProcesses } from '../procedures/procedures.terms.queries';

/**
 * The figures of the annual QMS report (báo cáo tình hình áp dụng, duy trì và cải tiến HTQLCL) for a calendar
 * year, ended today while the year runs. Issuing the report freezes exactly this object.
 */
export const NARRATIVE_SECTIONS = ['procedures', 'documents', 'audits', 'nonconformities', 'dossiers', 'conclusion'] as const;
export type NarrativeSection = (typeof NARRATIVE_SECTIONS)[number];
export type Narratives = Record<NarrativeSection, string>;

export interface AnnualMonth {
  month: string;
  resolved: number;
  early: number;
  onTime: number;
  late: number;
  onTimeRate: number | null;
}

export interface AnnualFigures {
  year: number;
  period: Period;
  /** Administrative procedures (TTHC) by the online level in force at the period's end; internal QMS processes apart. */
  procedures: { total: number; full: number; partial: number; none: number; internal?: number };
  documents: { issued: number; revised: number; withdrawn: number; effectiveAtEnd: number };
  audits: { held: number; internal: number; external: number; majorNc: number; minorNc: number; observation: number; ofi: number };
  nonconformities: AnnualNcFigures;
  dossiers: DossierFigures;
  monthly: AnnualMonth[];
}

/** The UTC instant at which the local day after `date` begins. */
function endInstantOf(date: string, timeZone: string): string {
  const next = addDays(date, 1);
  const wall = Date.UTC(Number(next.slice(0, 4)), Number(next.slice(5, 7)) - 1, Number(next.slice(8, 10)));
  return new Date(instantOfWallClock(wall, timeZone)).toISOString();
}

export async function computeAnnualFigures(db: Db, year: number, today: string, timeZone: string): Promise<AnnualFigures> {
  const period = yearPeriod(year, today);
  const { from, to } = period;
  const end = endInstantOf(to, timeZone);
  const [levels, internal, documents, audits, nonconformities, byProcedure, monthly] = await Promise.all([
    countAdministrativeByOnlineLevel(db, to, end),
    countInternalProcesses(db, end),
    countDocumentChanges(db, from, to),
    countAuditsHeld(db, from, to),
    countNonconformitiesOverall(db, from, to),
    dossierFiguresForAll(db, from, to),
    monthlyOnTimeSeries(db, null, from, to),
  ]);
  return {
    year,
    period,
    procedures: { total: levels.full + levels.partial + levels.none, ...levels, internal },
    documents,
    audits,
    nonconformities,
    dossiers: sumDossiers([...byProcedure.values()].map(pickDossiers)),
    monthly: monthly.map((m) => ({ month: m.month, resolved: m.resolved, early: m.early, onTime: m.onTime, late: m.late, onTimeRate: m.onTimeRate })),
  };
}

export function emptyNarratives(): Narratives {
  return { procedures: '', documents: '', audits: '', nonconformities: '', dossiers: '', conclusion: '' };
}

/** Stored narratives (JSON) → all sections, missing ones empty. */
export function parseNarratives(json: string): Narratives {
  const out = emptyNarratives();
  try {
    const parsed = JSON.parse(json) as Record<string, unknown>;
    for (const s of NARRATIVE_SECTIONS) if (typeof parsed[s] === 'string') out[s] = parsed[s];
  } catch {
    /* an empty object is stored by default; anything else is not ours to fix here */
  }
  return out;
}
