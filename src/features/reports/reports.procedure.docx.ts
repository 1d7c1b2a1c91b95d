import { buildDocx } from '../../core/docx/docx.document';
import type { DocxBlock } from '../../core/docx/docx.types';
import { translate, type Lang } from '../../core/i18n';
import { formatDate, formatDateTime, formatNumber } from '../../core/views/format';
import { docxFrame } from '../organisation/organisation.docx';
import { countingRulesBlocks, dossierTableBlocks, lineageBlocks, satisfactionBlocks } from './reports.docx.parts';
import type { ProcedureLocals } from './reports.procedure.locals';

/**
 * The compliance report of one procedure as a Word file, written from the view model the printed page renders
 * (views/reports/procedure.hbs), section by section.
 */
export async function procedureDocx(m: ProcedureLocals, lang: Lang, timeZone: string): Promise<Buffer> {
  const t = (key: string, params?: Record<string, string | number>) => translate(lang, key, params);
  const date = (v: unknown) => formatDate(v, timeZone);
  const num = (v: number) => formatNumber(v, lang);
  const { report, procedure } = m;
  const statusText = `${m.statusView.symbol} ${t(`reports.status.${report.status}`)}`;
  const head: DocxBlock[] = [
    { kind: 'paragraph', align: 'center', italic: true, text: t('reports.period.line', { from: date(report.period.from), to: date(report.period.to) }) },
  ];
  if (m.notOver) head.push({ kind: 'paragraph', align: 'center', italic: true, text: t('reports.as_of', { date: date(report.asOf) }) });
  head.push(...lineageBlocks(m.predecessors, lang));
  if (report.predecessor)
    head.push({ kind: 'paragraph', text: t('reports.lineage.predecessor_only', { name: report.predecessor.name, code: report.predecessor.code }) });
  else if (m.predecessors) head.push({ kind: 'paragraph', text: t('reports.lineage.own_only') });
  head.push({ kind: 'paragraph', label: `${t('reports.f.status')}:`, text: statusText });

  const identification: DocxBlock[] = [
    { kind: 'heading', text: t('reports.section.identification') },
    {
      kind: 'facts',
      items: [
        [t('reports.f.code'), procedure.code],
        [t('reports.f.title'), procedure.title],
        [t('reports.f.field'), procedure.field],
        [t('reports.f.national_code'), procedure.national_code || '—'],
        [t('reports.f.unit'), procedure.unit_name || '—'],
        [t('reports.f.online_level'), t(`procedures.online.${procedure.online_level}`)],
        [t('reports.f.processing_days'), procedure.processing_days ? t('reports.f.days', { n: procedure.processing_days }) : '—'],
        [t('reports.f.on_time_target'), m.percents.target],
      ],
    },
  ];
  const doc = report.document;
  const ack = m.acknowledgement;
  const document: DocxBlock[] = [
    { kind: 'heading', text: t('reports.section.document') },
    doc
      ? {
          kind: 'facts',
          items: [
            [t('reports.f.document_code'), doc.code],
            [t('reports.f.revision_no'), String(doc.revisionNo)],
            [t('reports.f.effective_from'), date(doc.effectiveFrom)],
            [t('reports.f.next_review_due'), date(doc.nextReviewDue)],
            [
              t('reports.f.ack_coverage'),
              ack ? t('reports.f.ack_value', { acknowledged: num(ack.acknowledged), required: num(ack.required), rate: m.percents.ack }) : '—',
            ],
          ],
        }
      : { kind: 'paragraph', text: t('reports.doc_none') },
  ];
  const a = report.audits;
  const nc = report.nonconformities;
  const figures: DocxBlock[] = [
    { kind: 'heading', text: t('reports.section.audits') },
    {
      kind: 'table',
      header: [
        [t('reports.a.count'), t('reports.a.major_nc'), t('reports.a.minor_nc'), t('reports.a.observation'), t('reports.a.ofi'), t('reports.f.last_audit')],
      ],
      rows: [
        [num(a.count), num(a.majorNc), num(a.minorNc), num(a.observation), num(a.ofi), m.lastAuditDate ? date(m.lastAuditDate) : t('reports.never_audited')],
      ],
      numeric: [true, true, true, true, true, false],
    },
    { kind: 'heading', text: t('reports.section.nonconformities') },
    {
      kind: 'table',
      header: [
        [
          t('reports.nc.raised'),
          t('reports.nc.open_at_end'),
          t('reports.nc.open_major'),
          t('reports.nc.open_minor'),
          t('reports.nc.closed'),
          t('reports.nc.awaiting_triage'),
        ],
      ],
      rows: [[num(nc.raised), num(nc.openAtEnd), num(m.openMajorAtEnd), num(m.openMinorAtEnd), num(nc.closed), num(nc.awaitingTriage)]],
      numeric: Array.from({ length: 6 }, () => true),
    },
    {
      kind: 'table',
      header: [[t('reports.nc.overdue_actions'), t('reports.nc.overdue_corrective'), t('reports.nc.overdue_other')]],
      rows: [[num(nc.overdueActions), num(nc.overdueCorrectiveActions), num(nc.overdueOtherActions)]],
      numeric: [true, true, true],
    },
    { kind: 'heading', text: t('reports.section.dossiers') },
    { kind: 'note', text: t('reports.dossiers.form_ref') },
    ...dossierTableBlocks(report.dossiers, m.percents.onTimeRate, lang),
  ];
  const satisfaction: DocxBlock[] = m.satisfaction
    ? [{ kind: 'heading', text: t('surveys.results.report.title') }, ...satisfactionBlocks(m.satisfaction, lang)]
    : [];
  const checks: DocxBlock[] = [
    { kind: 'heading', text: t('reports.section.checks') },
    {
      kind: 'list',
      numbered: true,
      items: m.checks.map(
        (c) => `${c.symbol} ${t(`reports.check.${c.kind}`)} — ${t(`reports.check.${c.id}`)} (${t(`reports.severity.${c.severity}`)}): ${c.detail}`,
      ),
    },
    { kind: 'paragraph', label: `${t('reports.f.status')}:`, text: statusText },
    { kind: 'note', text: t('reports.status.rule') },
    ...countingRulesBlocks(lang),
  ];
  return buildDocx({
    ...docxFrame(lang, m.lh),
    title: t('reports.doc.type'),
    summary: [t('reports.procedure.summary_line', { code: report.procedure.code, title: report.procedure.title })],
    blocks: [...head, ...identification, ...document, ...figures, ...satisfaction, ...checks],
    after: [{ kind: 'note', text: t('reports.generated_at', { at: formatDateTime(report.generatedAt, timeZone) }) }],
    fileTitle: t('reports.procedure.summary_line', { code: report.procedure.code, title: report.procedure.title }),
  });
}
