import { translate, type Lang } from '../../core/i18n';
import type { CsvCell } from '../reports/reports.csv';
import { tableXlsx } from '../reports/reports.xlsx';
import type { GroupFigures, SurveyFigures } from './surveys.figures';
import { SURVEY_CRITERIA } from './surveys.tables';

/**
 * The period's survey results as exported (as the other exports: machine keys in the CSV's header, translated labels
 * in the XLSX's): the total first (scope "total"), then one row per procedure (key: its code), per unit recorded with
 * the answers (key: its code; empty for answers without a unit) and per month (key: YYYY-MM). index is in percent with
 * 2 decimals, averages with 2 decimals; an empty cell is "no data".
 */
export const EXPORT_COLUMNS = [
  'from',
  'to',
  'scope',
  'key',
  'name',
  'responses',
  'scores',
  'satisfied',
  'index',
  'average',
  ...SURVEY_CRITERIA.map((c) => `average_${c}`),
] as const;

export function resultsTable(f: SurveyFigures, lang: Lang): { keys: readonly string[]; headers: string[]; rows: CsvCell[][] } {
  const t = (k: string, p?: Record<string, unknown>) => translate(lang, k, p);
  const headers = [
    t('surveys.results.from'),
    t('surveys.results.to'),
    t('surveys.results.scope'),
    t('surveys.results.key'),
    t('surveys.results.name'),
    t('surveys.results.responses'),
    t('surveys.results.scores'),
    t('surveys.results.satisfied'),
    `${t('surveys.results.index')} (%)`,
    t('surveys.results.average'),
    ...SURVEY_CRITERIA.map((c) => `${t('surveys.results.average')}: ${t(`surveys.results.criterion.${c}`)}`),
  ];
  const row = (scope: string, key: string, name: string, g: GroupFigures): CsvCell[] => [
    f.from,
    f.to,
    scope,
    key,
    name,
    g.responses,
    g.scores,
    g.satisfied,
    g.index,
    g.average,
    ...SURVEY_CRITERIA.map((c) => g.averages[c]),
  ];
  const averages = Object.fromEntries(f.criteria.map((c) => [c.criterion, c.average])) as GroupFigures['averages'];
  const rows: CsvCell[][] = [row('total', '', t('surveys.results.total'), { ...f, averages })];
  for (const p of f.byProcedure) rows.push(row('procedure', p.code, p.title, p));
  for (const u of f.byUnit) rows.push(row('unit', u.code, u.unitId === null ? t('surveys.results.no_unit') : u.name, u));
  for (const m of f.byMonth) rows.push(row('month', m.month, `${m.month.slice(5, 7)}/${m.month.slice(0, 4)}`, m));
  return { keys: EXPORT_COLUMNS, headers, rows };
}

export function resultsXlsx(f: SurveyFigures, lang: Lang): Promise<Buffer> {
  const t = resultsTable(f, lang);
  return tableXlsx(translate(lang, 'surveys.results.sheet'), t.headers, t.rows, 12);
}
