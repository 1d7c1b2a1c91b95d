import { buildDocx } from '../../core/docx/docx.document';
import type { DocxBlock, DocxCell } from '../../core/docx/docx.types';
import { translate, type Lang } from '../../core/i18n';
import { formatDate, formatNumber } from '../../core/views/format';
import { docxFrame } from '../organisation/organisation.docx';
import { countingRulesBlocks, lineageBlocks } from './reports.docx.parts';
import type { SummaryPrintLocals } from './reports.summary.locals';
import type { FiguresView } from './reports.summary.views';

/**
 * The summary of all procedures as a Word file, in landscape (seventeen columns), written from the view model of its
 * printed page (views/partials/reports/summary-doc.hbs): every matching row, the totals line, the status counts.
 */
export async function summaryDocx(m: SummaryPrintLocals, lang: Lang, timeZone: string): Promise<Buffer> {
  const t = (key: string, params?: Record<string, string | number>) => translate(lang, key, params);
  const date = (v: unknown) => formatDate(v, timeZone);
  const head: DocxBlock[] = [
    { kind: 'paragraph', align: 'center', italic: true, text: t('reports.period.line', { from: date(m.period.from), to: date(m.period.to) }) },
  ];
  if (m.notOver) head.push({ kind: 'paragraph', align: 'center', italic: true, text: t('reports.as_of', { date: date(m.asOf) }) });
  head.push(...lineageBlocks(m.predecessors, lang));
  head.push({
    kind: 'paragraph',
    text: (['compliant', 'attention', 'non_compliant'] as const)
      .map((s) => `${s === 'compliant' ? '✓' : s === 'attention' ? '!' : '✗'} ${t(`reports.status.${s}`)}: ${formatNumber(m.byStatus[s], lang)}`)
      .join('; '),
  });
  const figures = (f: FiguresView): string[] => [
    f.receivedText,
    f.resolvedText,
    f.earlyText,
    f.onTimeText,
    f.lateText,
    f.onTimeRateText,
    f.pendingText,
    f.pendingOverdueText,
    f.ncOpenAtEndText,
    f.overdueActionsText,
  ];
  const table: DocxBlock[] =
    m.rows.length === 0
      ? [{ kind: 'paragraph', text: t('reports.summary.empty') }]
      : [
          {
            kind: 'table',
            header: [
              [
                t('reports.summary.no'),
                t('reports.f.code'),
                t('reports.f.title'),
                t('reports.f.unit'),
                t('reports.f.status'),
                t('reports.d.received'),
                t('reports.d.resolved'),
                t('reports.d.early'),
                t('reports.d.on_time'),
                t('reports.d.late'),
                t('reports.d.on_time_rate'),
                t('reports.d.pending'),
                t('reports.d.pending_overdue'),
                t('reports.nc.open_at_end'),
                t('reports.nc.overdue_actions'),
                t('reports.summary.document'),
                t('reports.f.last_audit'),
              ],
            ],
            rows: m.rows.map((r): DocxCell[] => [
              String(r.no),
              r.predecessorMark ? `${r.code}\n${r.predecessorMark}` : r.code,
              r.title,
              r.unitCode,
              `${r.symbol} ${r.statusLabel}`,
              ...figures(r),
              r.documentCode ? `${r.documentCode} (${r.documentRevision})` : `✗ ${r.noDocument}`,
              r.lastAudit,
            ]),
            footer: [[{ text: t('reports.summary.totals_all', { n: m.totals.proceduresText }), colSpan: 4 }, '', ...figures(m.totals), '', '']],
            widths: [3, 8, 18, 5, 8, 5, 5, 5, 5, 5, 6, 5, 6, 5, 6, 9, 7],
            numeric: [true, false, false, false, false, true, true, true, true, true, true, true, true, true, true, false, false],
          },
        ];
  return buildDocx({
    ...docxFrame(lang, m.lh),
    title: t('reports.doc.type'),
    summary: [t('reports.summary.summary_line')],
    blocks: [...head, ...table, ...countingRulesBlocks(lang)],
    landscape: true,
    fileTitle: t('reports.summary.summary_line'),
  });
}
