import type { Db } from '../../core/db/database';
import { listLateDossierCauses, type LateCauseRow } from '../dossiers/dossiers.nc.queries';
import type { Period } from './reports.periods';
import type { SatisfactionFigures } from './reports.satisfaction';
import type { AnnualTraining } from '../competence/competence.annual';

/**
 * The sections of the annual QMS report that other features keep (issue 23): the declarations of conformity, the
 * year's quality objectives and their results, the risks and opportunities treated, and the causes of late dossiers
 * as the nonconformities raised for them record them. Each is computed for the report's period and frozen with the
 * report's other figures when it is issued (a report issued before these sections existed simply lacks them).
 */
export interface DeclarationLine {
  decisionNo: string;
  decidedOn: string;
  kind: 'declaration' | 're_declaration';
  procedures: number;
}

export interface AnnualDeclarations {
  /** The declaration in force at the period's end (the latest recorded one decided by then), if any. */
  inForce: DeclarationLine | null;
  /** Declarations and re-declarations decided within the period, in date order. */
  inPeriod: DeclarationLine[];
}

export interface ObjectiveLine {
  seq: number;
  objective: string;
  comparison: string;
  target: number;
  unit: string;
  value: number | null;
  /** met, on_track, not_met or no_data (objectives.model.ts). */
  status: 'met' | 'on_track' | 'not_met' | 'no_data';
}

export interface AnnualObjectives {
  total: number;
  met: number;
  onTrack: number;
  notMet: number;
  noData: number;
  items: ObjectiveLine[];
}

export interface AnnualRisks {
  /** In the period: entries identified, reviews held (and the entries reviewed), by their judgement of the actions, actions completed. */
  identified: number;
  reviews: number;
  reviewed: number;
  effective: number;
  partlyEffective: number;
  notEffective: number;
  actionsDone: number;
  /** The register as it stands when computed (open entries). */
  openRisks: number;
  openOpportunities: number;
  withoutTreatment: number;
  highResidual: number;
}

export interface AnnualLateCauses {
  late: number;
  covered: number;
  /** Late dossiers covered, by the cause category of the nonconformity that covers them ('none': not analysed yet). */
  byCause: { cause: string; dossiers: number }[];
  ncs: LateCauseRow[];
}

/** The management reviews held in the period (signed minutes) and what their decisions became. */
export interface AnnualReviews {
  held: number;
  decisions: number;
  /** The decisions' actions: completed by the period's end, still open at it (of which overdue). */
  actionsDone: number;
  actionsOpen: number;
  actionsOverdue: number;
  items: { code: string; heldOn: string; decisions: number }[];
}

/**
 * Citizens' feedback and complaints of the period (the feedback register's figures, as feedback.figures.ts defines
 * them, counted as of the period's end or today): a sub-object of its own, beside the survey's figures.
 */
export interface AnnualFeedback {
  received: number;
  byChannel: Record<string, number>;
  byKind: Record<string, number>;
  answered: number;
  answeredOnTime: number;
  answeredLate: number;
  openAtEnd: number;
  overdueAtEnd: number;
  raisedAsNc: number;
  cancelled: number;
}

/**
 * Training held in the period (competence, ISO 9001 clause 7.2): sessions (one course on one day by one issuer,
 * whoever attended) and the people trained, in all and by kind, with the list of sessions and who attended.
 */
export interface AnnualSections {
  declarations: AnnualDeclarations;
  reviews: AnnualReviews;
  objectives: AnnualObjectives;
  risks: AnnualRisks;
  lateCauses: AnnualLateCauses;
  /** Citizens' satisfaction surveys of the period (reports.satisfaction.ts). */
  satisfaction: SatisfactionFigures;
  feedback: AnnualFeedback;
  training: AnnualTraining;
}

/**
 * The sections other features keep, each contributed by its feature (wired in src/features/hooks.ts, so that reports
 * imports none of them): declarations, objectives, risks — each computes its part for the report's period.
 */
export type AnnualSectionHook = (db: Db, year: number, period: Period, today: string) => Promise<Partial<AnnualSections>>;
export const annualSectionHooks: AnnualSectionHook[] = [];

export async function computeAnnualSections(db: Db, year: number, period: Period, today: string): Promise<Partial<AnnualSections>> {
  const [parts, late] = await Promise.all([
    Promise.all(annualSectionHooks.map((hook) => hook(db, year, period, today))),
    listLateDossierCauses(db, period.from, period.to),
  ]);
  return Object.assign({}, ...parts, { lateCauses: lateCauses(late) }) as Partial<AnnualSections>;
}

/** The late dossiers' causes by category: each NC's dossiers under its category (a dossier covered by two NCs counts under each). */
export function lateCauses(late: { late: number; covered: number; ncs: LateCauseRow[] }): AnnualLateCauses {
  const by = new Map<string, number>();
  for (const nc of late.ncs) by.set(nc.cause_category ?? 'none', (by.get(nc.cause_category ?? 'none') ?? 0) + nc.dossiers);
  return {
    late: late.late,
    covered: late.covered,
    byCause: [...by].map(([cause, dossiers]) => ({ cause, dossiers })).sort((a, b) => b.dossiers - a.dossiers || a.cause.localeCompare(b.cause)),
    ncs: late.ncs,
  };
}
