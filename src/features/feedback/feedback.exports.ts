import { translate, type Lang } from '../../core/i18n';
import type { CsvCell } from '../reports/reports.csv';
import { tableXlsx } from '../reports/reports.xlsx';
import { FIGURE_KEYS, type FeedbackFigures } from './feedback.figures';
import { FEEDBACK_CHANNELS, FEEDBACK_KINDS } from './feedback.tables';

/**
 * The period's feedback figures as exported (as the other exports: machine keys in the CSV's header, translated
 * labels in the XLSX's), one row: the period, the figures (feedback.figures.ts), then the received ones by channel
 * (`channel_<key>`) and by kind (`kind_<key>`).
 */
export const EXPORT_COLUMNS = [
  'from',
  'to',
  ...FIGURE_KEYS,
  ...FEEDBACK_CHANNELS.map((c) => `channel_${c}`),
  ...FEEDBACK_KINDS.map((k) => `kind_${k}`),
] as const;

export function feedbackTable(f: FeedbackFigures, from: string, to: string, lang: Lang): { keys: readonly string[]; headers: string[]; rows: CsvCell[][] } {
  const t = (k: string) => translate(lang, k);
  const headers = [
    t('feedback.from'),
    t('feedback.to'),
    ...FIGURE_KEYS.map((k) => t(`feedback.fig.${k}`)),
    ...FEEDBACK_CHANNELS.map((c) => `${t('feedback.received_by')} ${t(`feedback.channel.${c}`)}`),
    ...FEEDBACK_KINDS.map((k) => `${t('feedback.received_by')} ${t(`feedback.kind.${k}`)}`),
  ];
  const row: CsvCell[] = [
    from,
    to,
    ...FIGURE_KEYS.map((k) => f[k]),
    ...FEEDBACK_CHANNELS.map((c) => f.byChannel[c]),
    ...FEEDBACK_KINDS.map((k) => f.byKind[k]),
  ];
  return { keys: EXPORT_COLUMNS, headers, rows: [row] };
}

export function feedbackXlsx(f: FeedbackFigures, from: string, to: string, lang: Lang): Promise<Buffer> {
  const t = feedbackTable(f, from, to, lang);
  return tableXlsx(translate(lang, 'feedback.sheet'), t.headers, t.rows, 12);
}
