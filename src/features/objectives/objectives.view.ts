import { translate, type Lang } from '../../core/i18n';
import { barChart, columnChart, type BarChart, type ColumnChart } from '../../core/views/charts';
import { formatNumber } from '../../core/views/format';
import { percentText } from '../reports/reports.procedure';
import type { ObjectiveStatus } from './objectives.model';
import type { Progress } from './objectives.progress';
import type { ObjectiveRow } from './objectives.queries';

/** What the objectives' pages, print view and exports show of an objective: texts computed once, in the page's language. */
export function valueText(value: number | null | undefined, unit: string, lang: Lang): string {
  if (value === null || value === undefined) return translate(lang, 'objectives.no_data');
  return unit === '%' ? percentText(value / 100, lang) : `${formatNumber(value, lang)} ${unit}`;
}

export function targetText(o: Pick<ObjectiveRow, 'comparison' | 'target' | 'unit'>, lang: Lang): string {
  return `${o.comparison === 'gte' ? '≥' : '≤'} ${valueText(Number(o.target), o.unit, lang)}`;
}

/** The indicator as a line: its kind, and for the on-time rate which procedures. */
export function indicatorText(o: ObjectiveRow, lang: Lang): string {
  const t = (k: string, p?: Record<string, unknown>) => translate(lang, k, p);
  if (o.indicator !== 'on_time_rate') return t(`objectives.indicator.${o.indicator}`);
  const which = o.procedure_code
    ? t('objectives.procedure_one', { code: o.procedure_code })
    : t(o.unit_id ? 'objectives.procedure_unit' : 'objectives.procedure_all');
  return `${t('objectives.indicator.on_time_rate')} (${which})`;
}

export const STATUS_BADGE: Record<ObjectiveStatus, { badge: string; symbol: string }> = {
  met: { badge: 'badge-ok', symbol: '✓' },
  on_track: { badge: 'badge-ok', symbol: '↗' },
  not_met: { badge: 'badge-bad', symbol: '✗' },
  no_data: { badge: 'badge-muted', symbol: '–' },
};

/** The ratio behind a computed value, "19 / 20" (nothing for a reading). */
export const ratioText = (r: { numerator: number; denominator: number } | undefined, lang: Lang): string =>
  r ? `${formatNumber(r.numerator, lang)} / ${formatNumber(r.denominator, lang)}` : '';

/** The index chart: each objective measured in per cent, its value for the year against its target. */
export function yearChart(rows: readonly { o: ObjectiveRow; p: Progress }[], year: number, lang: Lang): BarChart | undefined {
  const t = (k: string, p?: Record<string, unknown>) => translate(lang, k, p);
  const shown = rows.filter((r) => r.o.unit === '%');
  if (shown.length === 0) return undefined;
  return barChart({
    id: `objectives-${year}`,
    width: 640,
    title: t('objectives.chart.year_title', { year }),
    desc: t('objectives.chart.year_desc', { n: shown.length, below: shown.filter((r) => r.p.year.meets === false).length }),
    data: shown.map((r) => ({
      label: t('objectives.code', { seq: r.o.seq }),
      value: r.p.year.value,
      valueText: valueText(r.p.year.value, '%', lang),
      pattern: r.p.year.meets === false ? ('hatch' as const) : ('solid' as const),
      extra: [targetText(r.o, lang), t(`objectives.status.${r.p.status}`)],
    })),
    legend: [
      { text: t('objectives.chart.meets'), pattern: 'solid' },
      { text: t('objectives.chart.below'), pattern: 'hatch' },
    ],
    table: {
      caption: t('objectives.chart.year_table'),
      headers: [t('objectives.col.code'), t('objectives.col.value'), t('objectives.target'), t('objectives.col.status')],
    },
  });
}

/** The objective's chart: its value in each measurement period begun, with the target line. */
export function periodsChart(o: ObjectiveRow, p: Progress, lang: Lang): ColumnChart {
  const t = (k: string, params?: Record<string, unknown>) => translate(lang, k, params);
  const percent = o.unit === '%';
  const values = p.periods.map((x) => x.value ?? 0);
  const top = percent ? 100 : niceMax(Math.max(Number(o.target), ...values));
  const data = p.periods.map((x) => ({
    label: t(`objectives.period_short.${x.key}`),
    value: x.started ? x.value : null,
    valueText: x.started ? (x.value === null ? '—' : valueText(x.value, o.unit, lang)) : '',
    pattern: x.meets === false ? ('hatch' as const) : ('solid' as const),
    extra: [x.started ? ratioText(x.ratio, lang) : t('objectives.not_started')],
  }));
  return columnChart({
    id: `objective-${o.id}`,
    title: t('objectives.chart.periods_title', { code: t('objectives.code', { seq: o.seq }) }),
    desc: t('objectives.chart.periods_desc', {
      n: data.length,
      none: p.periods.filter((x) => x.started && x.value === null).length,
      below: p.periods.filter((x) => x.meets === false).length,
      target: targetText(o, lang),
    }),
    data,
    max: top,
    ticks: [0, 0.25, 0.5, 0.75, 1].map((f) => ({ value: top * f, text: percent ? percentText(f, lang) : formatNumber(top * f, lang) })),
    target: { value: Number(o.target), text: t('objectives.chart.target', { target: targetText(o, lang) }) },
    legend: [
      { text: t('objectives.chart.meets'), pattern: 'solid' },
      { text: t('objectives.chart.below'), pattern: 'hatch' },
    ],
    table: { caption: t('objectives.chart.periods_table'), headers: [t('objectives.col.period'), t('objectives.col.value'), t('objectives.col.ratio')] },
  });
}

/** A round top for a scale: 1, 2 or 5 times a power of ten, above the largest value. */
function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(v * 1.1));
  for (const step of [1, 2, 5, 10]) if (step * power >= v * 1.1) return step * power;
  return 10 * power;
}
