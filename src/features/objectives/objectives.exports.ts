import ExcelJS from 'exceljs';
import { translate, type Lang } from '../../core/i18n';
import type { CsvCell } from '../reports/reports.csv';
import type { Progress } from './objectives.progress';
import type { ObjectiveRow } from './objectives.queries';
import type { SetStatus } from './objectives.tables';

/**
 * The year's objectives as exported (as the other registers: machine keys in the CSV's header, translated labels in
 * the XLSX's, values as numbers in the indicator's unit, dates YYYY-MM-DD): one row per objective, active ones by
 * number then cancelled ones, with its value for the year, the counts behind a computed value and its status. The
 * XLSX adds a sheet of every measurement period.
 */
export const EXPORT_COLUMNS = [
  'year',
  'no',
  'unitCode',
  'objective',
  'indicator',
  'indicatorLabel',
  'procedureCode',
  'comparison',
  'target',
  'unit',
  'frequency',
  'owner',
  'planWhat',
  'planResources',
  'planWho',
  'planWhen',
  'planEvaluation',
  'yearValue',
  'numerator',
  'denominator',
  'status',
  'statusLabel',
  'state',
  'cancelReason',
] as const;

const LABEL: Record<(typeof EXPORT_COLUMNS)[number], string> = {
  year: 'objectives.year',
  no: 'objectives.col.code',
  unitCode: 'objectives.scope',
  objective: 'objectives.objective',
  indicator: 'objectives.key.indicator',
  indicatorLabel: 'objectives.indicator',
  procedureCode: 'objectives.procedure',
  comparison: 'objectives.comparison',
  target: 'objectives.target',
  unit: 'objectives.unit',
  frequency: 'objectives.frequency',
  owner: 'objectives.owner',
  planWhat: 'objectives.plan_what',
  planResources: 'objectives.plan_resources',
  planWho: 'objectives.plan_who',
  planWhen: 'objectives.plan_when',
  planEvaluation: 'objectives.plan_evaluation',
  yearValue: 'objectives.col.year_value',
  numerator: 'objectives.col.numerator',
  denominator: 'objectives.col.denominator',
  status: 'objectives.key.status',
  statusLabel: 'objectives.col.status',
  state: 'objectives.col.state',
  cancelReason: 'objectives.cancel_reason',
};

const round2 = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 100) / 100);

export function objectivesTable(
  objectives: readonly ObjectiveRow[],
  progress: ReadonlyMap<number, Progress>,
  setStatus: SetStatus | undefined,
  lang: Lang,
): { keys: readonly string[]; headers: string[]; rows: CsvCell[][] } {
  const t = (k: string) => translate(lang, k);
  return {
    keys: EXPORT_COLUMNS,
    headers: EXPORT_COLUMNS.map((k) => t(LABEL[k])),
    rows: objectives.map((o) => {
      const p = progress.get(o.id);
      const state = o.status === 'cancelled' ? 'cancelled' : o.locked === 1 && setStatus === 'approved' ? 'approved' : o.locked === 1 ? 'amending' : 'draft';
      return [
        o.year,
        o.seq,
        o.unit_code ?? '',
        o.objective,
        o.indicator,
        t(`objectives.indicator.${o.indicator}`),
        o.procedure_code ?? '',
        o.comparison === 'gte' ? '>=' : '<=',
        Number(o.target),
        o.unit,
        o.frequency,
        o.owner_name,
        o.plan_what,
        o.plan_resources,
        o.plan_who,
        o.plan_when,
        o.plan_evaluation,
        round2(p?.year.value),
        p?.year.ratio?.numerator ?? null,
        p?.year.ratio?.denominator ?? null,
        p?.status ?? null,
        p ? t(`objectives.status.${p.status}`) : '',
        t(`objectives.state.${state}`),
        o.cancel_reason,
      ];
    }),
  };
}

export async function objectivesXlsx(
  objectives: readonly ObjectiveRow[],
  progress: ReadonlyMap<number, Progress>,
  setStatus: SetStatus | undefined,
  lang: Lang,
): Promise<Buffer> {
  const t = (k: string) => translate(lang, k);
  const table = objectivesTable(objectives, progress, setStatus, lang);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'qms-tracker';
  const sheetName = (key: string, fallback: string) =>
    t(key)
      .replace(/[[\]*?/\\:]/g, ' ')
      .slice(0, 31) || fallback;
  const ws = wb.addWorksheet(sheetName('objectives.sheet', 'Objectives'), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(table.headers).font = { bold: true };
  for (const row of table.rows) ws.addRow(row.map((v) => (v === undefined ? null : v)));
  ws.getColumn(4).width = 48;
  const periods = wb.addWorksheet(sheetName('objectives.sheet_periods', 'Periods'), { views: [{ state: 'frozen', ySplit: 1 }] });
  periods.addRow(
    [
      'objectives.col.code',
      'objectives.col.period',
      'objectives.col.from',
      'objectives.col.to',
      'objectives.col.value',
      'objectives.col.numerator',
      'objectives.col.denominator',
      'objectives.col.meets',
    ].map(t),
  ).font = {
    bold: true,
  };
  for (const o of objectives) {
    const p = progress.get(o.id);
    for (const x of p?.periods ?? []) {
      if (!x.started) continue;
      const meets = x.meets === null ? t('objectives.no_data') : t(x.meets ? 'objectives.meets.yes' : 'objectives.meets.no');
      periods.addRow([
        o.seq,
        t(`objectives.period.${x.key}`),
        x.from,
        x.asOf,
        round2(x.value),
        x.ratio?.numerator ?? null,
        x.ratio?.denominator ?? null,
        meets,
      ]);
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
