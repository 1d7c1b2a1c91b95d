import { buildDocx } from '../../core/docx/docx.document';
import type { DocxBlock, DocxCell } from '../../core/docx/docx.types';
import { translate, type Lang } from '../../core/i18n';
import { formatDate, formatDateTime, formatNumber } from '../../core/views/format';
import { docxFrame } from '../organisation/organisation.docx';
import type { AuditReportLocals } from './audits.report.locals';

/**
 * The internal audit report as a Word file, written from the view model of its printed page
 * (views/audits/report.hbs): the lead auditor signs bottom left above the recipients, the head bottom right.
 */
export async function auditReportDocx(m: AuditReportLocals, lang: Lang, timeZone: string): Promise<Buffer> {
  const t = (key: string, params?: Record<string, string | number>) => translate(lang, key, params);
  const date = (v: unknown) => formatDate(v, timeZone);
  const { audit } = m;
  const lines = (text: string | null | undefined): DocxBlock[] =>
    (text ?? '')
      .split(/\r?\n/)
      .filter((l) => l.trim() !== '')
      .map((l) => ({ kind: 'paragraph', text: l }));
  const list = (items: string[], sep: string) => (items.length > 0 ? items.join(sep) : '—');
  const blocks: DocxBlock[] = [];
  if (m.draft) blocks.push({ kind: 'paragraph', align: 'center', bold: true, text: t('audits.report.draft_mark') });
  blocks.push({ kind: 'heading', text: t('audits.report.s1') }, ...lines(audit.objectives));
  blocks.push(
    { kind: 'heading', text: t('audits.report.s2') },
    {
      kind: 'paragraph',
      label: `${t('audits.scope_procedures')}:`,
      text: list(
        m.procedures.map((p) => `${p.code} — ${p.title}`),
        '; ',
      ),
    },
    {
      kind: 'paragraph',
      label: `${t('audits.scope_units')}:`,
      text:
        list(
          m.units.map((u) => u.name),
          '; ',
        ) + (audit.auditee_unit_name ? ` (${t('audits.auditee_unit')}: ${audit.auditee_unit_name})` : ''),
    },
  );
  blocks.push(
    { kind: 'heading', text: t('audits.report.s3') },
    {
      kind: 'paragraph',
      text: `${t('audits.report.standard')}${m.clauses.length > 0 ? `: ${m.clauses.map((c) => `${c.clause} ${c.title}`).join('; ')}` : ''}.`,
    },
  );
  if (m.procedures.length > 0) blocks.push({ kind: 'paragraph', text: `${t('audits.report.own_procedures')}: ${m.procedures.map((p) => p.code).join(', ')}.` });
  blocks.push(...lines(audit.criteria_other));
  let team = `${t('audits.lead_auditor')}: ${audit.lead_auditor_name}.`;
  if (m.team.length > 0) team += ` ${t('audits.team')}: ${m.team.map((x) => x.full_name).join(', ')}.`;
  if (audit.external_body) team += ` ${t('audits.external_body')}: ${audit.external_body}.`;
  const actual = audit.actual_start ? `${date(audit.actual_start)}${audit.actual_end ? ` – ${date(audit.actual_end)}` : ''}` : t('audits.not_started_yet');
  const assessors = m.assessors.map(
    (g) =>
      `${g.general ? t('audits.report.general') : (g.code ?? '')}: ${g.auditors.map((a) => `${a.full_name} (${t('audits.report.answered', { n: formatNumber(a.n, lang) })})`).join(', ')}`,
  );
  blocks.push(
    { kind: 'heading', text: t('audits.report.s4') },
    { kind: 'paragraph', text: team },
    { kind: 'paragraph', text: `${t('audits.report.assessors')}:${assessors.length ? '' : ' —'}` },
    ...(assessors.length ? [{ kind: 'list', items: assessors } as DocxBlock] : []),
    {
      kind: 'paragraph',
      text: `${t('audits.planned_dates')}: ${date(audit.planned_start)} – ${date(audit.planned_end)}. ${t('audits.actual_dates')}: ${actual}.`,
    },
  );
  blocks.push(
    { kind: 'heading', text: t('audits.report.s5') },
    {
      kind: 'table',
      header: [m.grades.map((g) => t(`audits.result.${g.grade}`))],
      rows: [m.grades.map((g) => formatNumber(g.n, lang))],
      numeric: m.grades.map(() => true),
    },
  );
  blocks.push({ kind: 'heading', text: t('audits.report.s6') });
  if (m.groups.length > 0) {
    const span = (text: string): DocxCell[] => [{ text, colSpan: 6, bold: true }];
    const rows: DocxCell[][] = [];
    for (const g of m.groups) {
      rows.push(span(`${t(`audits.result.${g.grade}`)} (${formatNumber(g.n, lang)})`));
      for (const p of g.procedures) {
        const name = p.general ? t('audits.report.general') : `${p.code ?? ''}${p.title ? ` — ${p.title}` : ''}`;
        rows.push(span(`${name} (${formatNumber(p.n, lang)})`));
        for (const f of p.findings)
          rows.push([
            f.ref,
            t(`audits.result.${f.grade}`),
            `${f.procedure_code ?? ''}${f.clause ? ` / ${f.clause}` : ''}`,
            f.statement,
            f.evidence,
            f.nonconformity_code ?? '',
          ]);
      }
    }
    blocks.push({
      kind: 'table',
      header: [
        [
          t('audits.report.no'),
          t('audits.findings.grade'),
          `${t('audits.procedure')} / ${t('audits.clause')}`,
          t('audits.findings.statement'),
          t('audits.checklist.evidence'),
          t('audits.findings.nonconformity'),
        ],
      ],
      rows,
      widths: [2, 3, 3, 7, 6, 3],
    });
  } else blocks.push({ kind: 'paragraph', text: t('audits.report.no_findings') });
  blocks.push({ kind: 'heading', text: t('audits.report.s7') }, ...lines(audit.conclusion));
  blocks.push({ kind: 'heading', text: t('audits.report.s8') });
  if (m.ack) blocks.push({ kind: 'paragraph', text: t('audits.ack.given', { name: m.ack.name, date: date(m.ack.at) }) }, ...lines(m.ack.note));
  else
    blocks.push(
      ...[t('audits.ack.blank_name'), t('audits.ack.blank_note'), t('audits.ack.blank_sign')].map((text): DocxBlock => ({ kind: 'paragraph', text })),
    );
  return buildDocx({
    ...docxFrame(lang, m.lh),
    title: t('audits.report.doc_type'),
    summary: [t('audits.report.summary_line', { code: audit.code, title: audit.title })],
    blocks,
    leftSigner: {
      title: t('audits.report.lead_title'),
      name: audit.lead_auditor_name,
      signedNote: m.signature ? t('audits.report.signed_electronically', { at: formatDateTime(m.signature.signed_at, timeZone) }) : undefined,
    },
    fileTitle: t('audits.report.summary_line', { code: audit.code, title: audit.title }),
  });
}
