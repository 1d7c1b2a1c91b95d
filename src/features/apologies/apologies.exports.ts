import { translate, type Lang } from '../../core/i18n';
import type { CsvCell } from '../reports/reports.csv';
import { tableXlsx } from '../reports/reports.xlsx';
import { FIGURE_KEYS, type PeriodApologies } from './apologies.figures';

/**
 * The period's apology-slip figures as exported (as the other exports: machine keys in the CSV's header, translated
 * labels in the XLSX's): one row per procedure in code order, then the total (procedure code empty).
 */
export const EXPORT_COLUMNS = ['from', 'to', 'procedureCode', 'procedureTitle', ...FIGURE_KEYS] as const;

export function apologiesTable(p: PeriodApologies, from: string, to: string, lang: Lang): { keys: readonly string[]; headers: string[]; rows: CsvCell[][] } {
  const t = (k: string) => translate(lang, k);
  const headers = [
    t('apologies.from'),
    t('apologies.to'),
    t('apologies.procedure_code'),
    t('apologies.procedure'),
    ...FIGURE_KEYS.map((k) => t(`apologies.fig.${k}`)),
  ];
  const rows: CsvCell[][] = p.byProcedure.map((r) => [from, to, r.code, r.title, ...FIGURE_KEYS.map((k) => r.figures[k])]);
  rows.push([from, to, '', t('apologies.all_procedures'), ...FIGURE_KEYS.map((k) => p.total[k])]);
  return { keys: EXPORT_COLUMNS, headers, rows };
}

export function apologiesXlsx(p: PeriodApologies, from: string, to: string, lang: Lang): Promise<Buffer> {
  const t = apologiesTable(p, from, to, lang);
  return tableXlsx(translate(lang, 'apologies.sheet'), t.headers, t.rows, 12);
}
