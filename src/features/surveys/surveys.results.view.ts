import { translate, type Lang } from '../../core/i18n';
import { columnChart, type ColumnChart } from '../../core/views/charts';
import { formatNumber } from '../../core/views/format';
import { percentText } from '../reports/reports.procedure';
import type { GroupFigures, SurveyFigures } from './surveys.figures';
import type { SurveyCriterion } from './surveys.tables';

/**
 * What the results page shows, as text: the index (a percentage kept in percent by the figures) and the averages in
 * the language asked, "no data" for null; the criteria shown are those with a question in the period's sets.
 */
export function indexText(index: number | null, lang: Lang): string {
  return index === null ? translate(lang, 'surveys.results.no_data') : percentText(index / 100, lang);
}

export function averageText(average: number | null, lang: Lang): string {
  return average === null ? '—' : formatNumber(average, lang);
}

/** The criteria of the period: those with a question in a set used, in the criteria's order. */
export function criteriaShown(f: SurveyFigures): SurveyCriterion[] {
  const used = new Set(f.sets.flatMap((s) => s.questions.map((q) => q.criterion)));
  return f.criteria.map((c) => c.criterion).filter((c) => used.has(c));
}

function groupRow(g: GroupFigures, criteria: readonly SurveyCriterion[], lang: Lang) {
  return {
    responses: formatNumber(g.responses, lang),
    scores: formatNumber(g.scores, lang),
    index: indexText(g.index, lang),
    averages: criteria.map((c) => averageText(g.averages[c], lang)),
    average: averageText(g.average, lang),
  };
}

/** The chart draws at most this many months: the last ones of a longer period (the CSV and XLSX have them all). */
const MAX_MONTHS = 24;

/** The index per month as a column chart (reports' chart code: title, description, data table, no script). */
export function monthChart(f: SurveyFigures, lang: Lang): ColumnChart {
  const t = (k: string, p?: Record<string, unknown>) => translate(lang, k, p);
  const truncated = f.byMonth.length > MAX_MONTHS;
  const data = f.byMonth.slice(-MAX_MONTHS).map((m) => ({
    label: `${m.month.slice(5, 7)}/${m.month.slice(0, 4)}`,
    value: m.index === null ? null : m.index / 100,
    valueText: m.index === null ? '—' : percentText(m.index / 100, lang),
    pattern: 'solid' as const,
    extra: [formatNumber(m.responses, lang), formatNumber(m.scores, lang)],
  }));
  return columnChart({
    id: 'chart-survey-index',
    title: t('surveys.results.chart.title'),
    desc: t(truncated ? 'surveys.results.chart.desc_truncated' : 'surveys.results.chart.desc', {
      months: data.length,
      none: data.filter((d) => d.value === null).length,
    }),
    data,
    max: 1,
    ticks: [0, 0.25, 0.5, 0.75, 1].map((v) => ({ value: v, text: percentText(v, lang) })),
    table: {
      caption: t('surveys.results.chart.table'),
      headers: [t('surveys.results.month'), t('surveys.results.index'), t('surveys.results.responses'), t('surveys.results.scores')],
    },
  });
}

/** The page's figures as text. */
export function resultsView(f: SurveyFigures, lang: Lang) {
  const criteria = criteriaShown(f);
  return {
    criteria,
    index: indexText(f.index, lang),
    average: averageText(f.average, lang),
    lowShare: f.lowScoreShare === null ? null : percentText(f.lowScoreShare / 100, lang),
    byCriterion: f.criteria
      .filter((c) => criteria.includes(c.criterion))
      .map((c) => ({
        criterion: c.criterion,
        scores: formatNumber(c.scores, lang),
        average: averageText(c.average, lang),
        index: indexText(c.index, lang),
      })),
    sets: f.sets.map((s) => ({
      version: s.version,
      responses: s.responses,
      questions: s.questions.map((q) => ({
        seq: q.seq,
        criterion: q.criterion,
        text: lang === 'en' ? q.textEn : q.textVi,
        scores: formatNumber(q.scores, lang),
        average: averageText(q.average, lang),
        index: indexText(q.index, lang),
      })),
    })),
    byProcedure: f.byProcedure.map((p) => ({ id: p.procedureId, code: p.code, title: p.title, ...groupRow(p, criteria, lang) })),
    byUnit: f.byUnit.map((u) => ({ id: u.unitId, code: u.code, name: u.name, ...groupRow(u, criteria, lang) })),
    chart: monthChart(f, lang),
  };
}
