import { addDays } from '../../core/calendar';
import { instantOfWallClock } from '../../core/calendar/zone';
import type { Db } from '../../core/db/database';
import { dossierFiguresForAll, monthlyOnTimeSeries } from '../dossiers/dossiers.figures';
import { pickDossiers, sumDossiers, type DossierFigures } from './reports.dossiers';
import { countAuditsHeld, countDocumentChanges, countNonconformitiesOverall, type AnnualNcFigures } from './reports.annual.queries';
import { annualPeriod, type Period } from './reports.periods';
import { computeAnnualSections, type AnnualSections } from './reports.annual.sections';
import { findAnnualPeriod, type AnnualPeriodKind } from '../organisation/organisation.queries';
import { countAdministrativeByOnlineLevel, countInternalProcesses } from '../procedures/procedures.terms.queries';

/**
 * The figures of the annual QMS report (báo cáo tình hình áp dụng, duy trì và cải tiến HTQLCL) for a calendar
 * year, ended today while the year runs. Issuing the report freezes exactly this object.
 */
/**
 * The report's sections in their printed order, each with an editable narrative (the quality officer's text beside
 * the figures). Training, management reviews and citizens' satisfaction have no figures in the app yet: their
 * narratives carry them. The assessment is written as advantages, difficulties and their causes, then the overall
 * conclusion and recommendations, and the next year's plan.
 */
export const NARRATIVE_SECTIONS = [
  'procedures',
  'declarations',
  'documents',
  'training',
  'audits',
  'reviews',
  'objectives',
  'risks',
  'nonconformities',
  'satisfaction',
  'dossiers',
  'advantages',
  'difficulties',
  'causes',
  'conclusion',
  'plan',
] as const;
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
  /** The period's kind (the organisation's setting when computed); absent in reports issued before the setting. */
  periodKind?: AnnualPeriodKind;
  /** The sections kept by other features (reports.annual.sections.ts); absent in reports issued before them. */
  declarations?: AnnualSections['declarations'];
  reviews?: AnnualSections['reviews'];
  objectives?: AnnualSections['objectives'];
  risks?: AnnualSections['risks'];
  lateCauses?: AnnualSections['lateCauses'];
  satisfaction?: AnnualSections['satisfaction'];
  feedback?: AnnualSections['feedback'];
  training?: AnnualSections['training'];
}

/** The UTC instant at which the local day after `date` begins. */
function endInstantOf(date: string, timeZone: string): string {
  const next = addDays(date, 1);
  const wall = Date.UTC(Number(next.slice(0, 4)), Number(next.slice(5, 7)) - 1, Number(next.slice(8, 10)));
  return new Date(instantOfWallClock(wall, timeZone)).toISOString();
}

export async function computeAnnualFigures(db: Db, year: number, today: string, timeZone: string): Promise<AnnualFigures> {
  const periodKind = await findAnnualPeriod(db);
  const period = annualPeriod(year, today, periodKind);
  const { from, to } = period;
  const end = endInstantOf(to, timeZone);
  const [levels, internal, documents, audits, nonconformities, byProcedure, monthly, sections] = await Promise.all([
    countAdministrativeByOnlineLevel(db, to, end),
    countInternalProcesses(db, end),
    countDocumentChanges(db, from, to, today),
    countAuditsHeld(db, from, to),
    countNonconformitiesOverall(db, from, to),
    dossierFiguresForAll(db, from, to),
    monthlyOnTimeSeries(db, null, from, to),
    computeAnnualSections(db, year, period, today),
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
    periodKind,
    ...sections,
  };
}

export function emptyNarratives(): Narratives {
  return Object.fromEntries(NARRATIVE_SECTIONS.map((s) => [s, ''])) as Narratives;
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
