import { columnChart, type ColumnChart } from '../../core/views/charts';
import { formatNumber } from '../../core/views/format';
import { percentText } from './reports.procedure';
import { translate, type Lang } from '../../core/i18n';
import { monthsOf, type Period } from './reports.periods';

/** The monthly on-time chart of the reports and dashboards, built from a monthly series. */
export interface MonthPoint {
  month: string;
  resolved: number;
  early: number;
  onTime: number;
  late: number;
  onTimeRate: number | null;
}

const MAX_MONTHS = 24;

/** `target` null: no objective line (office-wide series, where each procedure has its own objective). */
export function onTimeChart(id: string, series: readonly MonthPoint[], period: Period, target: number | null, lang: Lang): ColumnChart {
  const t = (key: string, params?: Record<string, unknown>) => translate(lang, key, params);
  const byMonth = new Map(series.map((p) => [p.month.slice(0, 7), p]));
  let months = monthsOf(period).map((m) => m.slice(0, 7));
  const truncated = months.length > MAX_MONTHS;
  if (truncated) months = months.slice(-MAX_MONTHS);
  const data = months.map((key) => {
    const p = byMonth.get(key);
    const resolved = p?.resolved ?? 0;
    const rate = resolved === 0 ? null : (p!.early + p!.onTime) / resolved;
    const below = target !== null && rate !== null && (p!.early + p!.onTime) * 10_000 < Math.round(target * 10_000) * resolved;
    return {
      label: `${key.slice(5, 7)}/${key.slice(0, 4)}`,
      value: rate,
      valueText: rate === null ? '—' : percentText(rate, lang),
      pattern: below ? ('hatch' as const) : ('solid' as const),
      extra: [formatNumber(resolved, lang), formatNumber(p?.early ?? 0, lang), formatNumber(p?.onTime ?? 0, lang), formatNumber(p?.late ?? 0, lang)],
    };
  });
  const belowCount = data.filter((d) => d.pattern === 'hatch').length;
  const noData = data.filter((d) => d.value === null).length;
  return columnChart({
    id,
    title: t('reports.chart.on_time_title'),
    desc: [
      t(truncated ? 'reports.chart.on_time_desc_truncated' : 'reports.chart.on_time_desc', { months: data.length, none: noData }),
      target === null ? '' : t('reports.chart.on_time_desc_target', { target: percentText(target, lang), below: belowCount }),
    ]
      .join(' ')
      .trim(),
    data,
    max: 1,
    ticks: [0, 0.25, 0.5, 0.75, 1].map((v) => ({ value: v, text: percentText(v, lang) })),
    target: target === null ? undefined : { value: target, text: t('reports.chart.target', { target: percentText(target, lang) }) },
    legend:
      target === null
        ? undefined
        : [
            { text: t('reports.chart.meets_target'), pattern: 'solid' },
            { text: t('reports.chart.below_target'), pattern: 'hatch' },
          ],
    table: {
      caption: t('reports.chart.on_time_table'),
      headers: [
        t('reports.chart.month'),
        t('reports.d.on_time_rate'),
        t('reports.d.resolved'),
        t('reports.d.early'),
        t('reports.d.on_time'),
        t('reports.d.late'),
      ],
    },
  });
}
