import type { DocxBlock } from '../../core/docx/docx.types';
import { translate, type Lang } from '../../core/i18n';
import { formatNumber } from '../../core/views/format';
import type { DossierFigures } from './reports.dossiers';
import type { PredecessorView } from './reports.lineage';
import type { satisfactionView } from './reports.satisfaction';

/**
 * The parts the reports share (views/partials/reports/*.hbs) as Word blocks, with the same keys and the same
 * formatting helpers as the partials, so a figure reads the same in the print and in the .docx.
 */
const n = (v: number, lang: Lang) => formatNumber(v, lang);

/** The dossier figures in the structure of the national form (Biểu II.06a): dossier-table.hbs. */
export function dossierTableBlocks(d: DossierFigures, rateText: string, lang: Lang): DocxBlock[] {
  const t = (key: string) => translate(lang, key);
  const total = t('reports.d.total');
  const late = t('reports.d.late');
  return [
    {
      kind: 'table',
      header: [
        [
          { text: t('reports.d.received_group'), colSpan: 5 },
          { text: t('reports.d.resolved_group'), colSpan: 4 },
          { text: t('reports.d.pending_group'), colSpan: 3 },
          { text: t('reports.d.on_time_rate'), rowSpan: 3 },
        ],
        [
          { text: total, rowSpan: 2 },
          { text: t('reports.d.carried_over'), rowSpan: 2 },
          { text: t('reports.d.newly_received'), colSpan: 3 },
          { text: total, rowSpan: 2 },
          { text: t('reports.d.early'), rowSpan: 2 },
          { text: t('reports.d.on_time'), rowSpan: 2 },
          { text: late, rowSpan: 2 },
          { text: total, rowSpan: 2 },
          { text: t('reports.d.pending_on_track'), rowSpan: 2 },
          { text: late, rowSpan: 2 },
        ],
        [t('reports.d.online'), t('reports.d.direct'), t('reports.d.postal')],
        Array.from({ length: 13 }, (_, i) => `(${i + 1})`),
      ],
      rows: [
        [
          ...(
            [
              'received',
              'carriedOver',
              'newlyReceivedOnline',
              'newlyReceivedDirect',
              'newlyReceivedPostal',
              'resolved',
              'early',
              'onTime',
              'late',
              'pending',
              'pendingOnTrack',
              'pendingOverdue',
            ] as const
          ).map((f) => n(d[f], lang)),
          rateText,
        ],
      ],
      numeric: Array.from({ length: 13 }, () => true),
    },
    { kind: 'note', text: translate(lang, 'reports.d.newly_received_total', { n: n(d.newlyReceived, lang) }) },
  ];
}

/** The satisfaction survey's figures: satisfaction.hbs. */
export function satisfactionBlocks(s: ReturnType<typeof satisfactionView>, lang: Lang): DocxBlock[] {
  if (!s) return [];
  if (!s.responses) return [{ kind: 'paragraph', text: translate(lang, 'surveys.results.report.none') }];
  const out: DocxBlock[] = [
    { kind: 'paragraph', text: translate(lang, 'surveys.results.report.summary', { responses: n(s.responses, lang), index: s.index, average: s.average }) },
  ];
  if (s.criteria.length > 0) {
    out.push({
      kind: 'table',
      header: [
        [
          translate(lang, 'surveys.results.criterion'),
          translate(lang, 'surveys.results.scores'),
          translate(lang, 'surveys.results.average'),
          translate(lang, 'surveys.results.index'),
        ],
      ],
      rows: s.criteria.map((c) => [translate(lang, `surveys.results.criterion.${c.criterion}`), n(c.scores, lang), c.average, c.index]),
      widths: [4, 1, 1, 1],
      numeric: [false, true, true, true],
    });
  }
  return out;
}

/** How the figures are counted: counting-rules.hbs. */
export function countingRulesBlocks(lang: Lang): DocxBlock[] {
  const keys = ['as_of', 'nonconformities', 'triage', 'actions', 'audits', 'document', 'not_over'];
  return [
    { kind: 'heading', text: translate(lang, 'reports.rules.title') },
    { kind: 'list', numbered: true, items: keys.map((k) => translate(lang, `reports.rules.${k}`)) },
  ];
}

/** Which predecessors' figures are included: lineage-note.hbs. */
export function lineageBlocks(predecessors: readonly PredecessorView[] | undefined, lang: Lang): DocxBlock[] {
  if (!predecessors || predecessors.length === 0) return [];
  return [
    { kind: 'paragraph', text: translate(lang, 'reports.lineage.included') },
    {
      kind: 'list',
      items: predecessors.map((p) =>
        translate(lang, p.kind === 'split' ? 'reports.lineage.step_split' : 'reports.lineage.step_merge', {
          name: p.name,
          code: p.code,
          via: p.viaCode,
          date: p.effectiveOnText,
        }),
      ),
    },
  ];
}
