import { translate, type Lang } from '../../core/i18n';
import type { CsvCell } from '../reports/reports.csv';
import { tableXlsx } from '../reports/reports.xlsx';
import type { DecisionRow } from './reviews.queries';

/**
 * The register of the management reviews' decisions as exported (as the other registers: machine keys in the CSV's
 * header, translated labels in the XLSX's, dates YYYY-MM-DD, the enumerations by their labels in the chosen
 * language): one row per decision, by review held and number, with its action's owner, due date and status today
 * (overdue: planned or in progress with a due date before today).
 */
export const EXPORT_COLUMNS = [
  'review',
  'heldOn',
  'reviewStatus',
  'no',
  'kind',
  'description',
  'owner',
  'dueDate',
  'status',
  'completedOn',
  'overdue',
] as const;

const LABEL: Record<(typeof EXPORT_COLUMNS)[number], string> = {
  review: 'reviews.code',
  heldOn: 'reviews.held_on',
  reviewStatus: 'reviews.status',
  no: 'reviews.col.no',
  kind: 'reviews.decision.kind',
  description: 'reviews.decision.description',
  owner: 'actions.owner',
  dueDate: 'actions.due_date',
  status: 'actions.status',
  completedOn: 'reviews.export.completed_on',
  overdue: 'reviews.export.overdue',
};

type ExportRow = DecisionRow & { review_code: string; held_on: string; review_status: string };

export function decisionsTable(rows: readonly ExportRow[], lang: Lang, today: string): { keys: readonly string[]; headers: string[]; rows: CsvCell[][] } {
  const t = (k: string) => translate(lang, k);
  return {
    keys: EXPORT_COLUMNS,
    headers: EXPORT_COLUMNS.map((k) => t(LABEL[k])),
    rows: rows.map((r) => [
      r.review_code,
      r.held_on,
      t(`reviews.status.${r.review_status}`),
      r.seq,
      t(`reviews.decision.kind.${r.kind}`),
      r.description,
      r.owner_name,
      r.due_date,
      r.action_status ? t(`actions.status.${r.action_status}`) : null,
      r.completed_on,
      r.action_status !== null && ['planned', 'in_progress'].includes(r.action_status) && r.due_date !== null && r.due_date < today
        ? t('reviews.export.yes')
        : '',
    ]),
  };
}

export async function decisionsXlsx(rows: readonly ExportRow[], lang: Lang, today: string): Promise<Buffer> {
  const table = decisionsTable(rows, lang, today);
  return tableXlsx(translate(lang, 'reviews.sheet'), table.headers, table.rows, 14);
}
