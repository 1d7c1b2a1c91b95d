import { translate, type Lang } from '../../core/i18n';
import type { CsvCell } from '../reports/reports.csv';
import { tableXlsx } from '../reports/reports.xlsx';
import type { RiskRow } from './risks.queries';

/**
 * The register as exported (as the other registers: machine keys in the CSV's header, translated labels in the
 * XLSX's, dates YYYY-MM-DD, the enumerations by their labels in the chosen language): one row per entry in code
 * order, closed ones too.
 */
export const EXPORT_COLUMNS = [
  'code',
  'kind',
  'procedure',
  'process',
  'description',
  'cause',
  'consequence',
  'likelihood',
  'impact',
  'level',
  'treatment',
  'treatmentNote',
  'owner',
  'identifiedOn',
  'reviewDue',
  'lastReviewedOn',
  'residualLikelihood',
  'residualImpact',
  'residualLevel',
  'effectiveness',
  'actionsOpen',
  'actionsDone',
  'status',
  'closedOn',
  'closeReason',
] as const;

const LABEL: Record<(typeof EXPORT_COLUMNS)[number], string> = {
  code: 'risks.code',
  kind: 'risks.kind',
  procedure: 'risks.procedure',
  process: 'risks.process',
  description: 'risks.description',
  cause: 'risks.cause',
  consequence: 'risks.consequence',
  likelihood: 'risks.likelihood',
  impact: 'risks.impact',
  level: 'risks.level',
  treatment: 'risks.treatment',
  treatmentNote: 'risks.treatment_note',
  owner: 'risks.owner',
  identifiedOn: 'risks.identified_on',
  reviewDue: 'risks.review_due',
  lastReviewedOn: 'risks.last_reviewed_on',
  residualLikelihood: 'audit_log.field.residual_likelihood',
  residualImpact: 'audit_log.field.residual_impact',
  residualLevel: 'risks.residual',
  effectiveness: 'risks.effectiveness',
  actionsOpen: 'risks.export.actions_open',
  actionsDone: 'risks.export.actions_done',
  status: 'risks.status',
  closedOn: 'risks.closed_on',
  closeReason: 'risks.export.close_reason',
};

export function risksTable(rows: readonly RiskRow[], lang: Lang): { keys: readonly string[]; headers: string[]; rows: CsvCell[][] } {
  const t = (k: string) => translate(lang, k);
  return {
    keys: EXPORT_COLUMNS,
    headers: EXPORT_COLUMNS.map((k) => t(LABEL[k])),
    rows: rows.map((r) => [
      r.code,
      t(`risks.kind.${r.kind}`),
      r.procedure_code,
      r.process,
      r.description,
      r.cause,
      r.consequence,
      r.likelihood,
      r.impact,
      t(`risks.level.${r.level}`),
      t(`risks.treatment.${r.treatment ?? 'none'}`),
      r.treatment_note,
      r.owner_name,
      r.identified_on,
      r.review_due,
      r.last_reviewed_on,
      r.residual_likelihood,
      r.residual_impact,
      r.residual_level ? t(`risks.level.${r.residual_level}`) : null,
      r.effectiveness ? t(`risks.effectiveness.${r.effectiveness}`) : null,
      r.actions_open,
      r.actions_done,
      t(`risks.status.${r.status}`),
      r.closed_on,
      r.close_reason,
    ]),
  };
}

export async function risksXlsx(rows: readonly RiskRow[], lang: Lang): Promise<Buffer> {
  const table = risksTable(rows, lang);
  return tableXlsx(translate(lang, 'risks.sheet'), table.headers, table.rows, 10);
}
