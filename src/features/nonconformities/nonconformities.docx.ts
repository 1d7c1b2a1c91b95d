import { buildDocx } from '../../core/docx/docx.document';
import type { DocxBlock } from '../../core/docx/docx.types';
import { translate, type Lang } from '../../core/i18n';
import { formatDate } from '../../core/views/format';
import type { NcPrintLocals } from './nonconformities.print';

/**
 * The corrective action request (phiếu yêu cầu hành động khắc phục) as a Word file, written from the view model of
 * its printed page (views/nonconformities/print.hbs): its own number and recipients, the person who drew it up bottom
 * left and the head bottom right.
 */
export async function ncDocx(m: NcPrintLocals, lang: Lang, timeZone: string): Promise<Buffer> {
  const t = (key: string, params?: Record<string, string | number>) => translate(lang, key, params);
  const date = (v: unknown) => formatDate(v, timeZone);
  const { nc, org } = m;
  const lines = (text: string | null | undefined): DocxBlock[] =>
    (text ?? '')
      .split(/\r?\n/)
      .filter((l) => l.trim() !== '')
      .map((l) => ({ kind: 'paragraph', text: l }));
  const none: DocxBlock = { kind: 'paragraph', text: t('nonconformities.print.none') };
  const blocks: DocxBlock[] = [
    { kind: 'heading', text: t('nonconformities.print.part1') },
    {
      kind: 'facts',
      items: [
        [t('nonconformities.source'), t(`nonconformities.source.${nc.source}`)],
        [t('nonconformities.severity'), t(`nonconformities.severity.${nc.severity}`)],
        [t('nonconformities.procedure'), nc.procedure_code ? `${nc.procedure_code} — ${nc.procedure_title}` : ''],
        [t('nonconformities.clause'), m.clauseText ?? ''],
        [t('nonconformities.revision'), nc.revision_no ? t('nonconformities.revision_no', { n: nc.revision_no }) : ''],
        [t('nonconformities.detected_on'), date(nc.detected_on)],
        [t('nonconformities.reported_by'), nc.reporter_name ?? ''],
        [t('nonconformities.responsible'), `${nc.unit_name ?? ''}${nc.responsible_name ? ` — ${nc.responsible_name}` : ''}`],
      ],
    },
    ...lines(nc.description),
    { kind: 'heading', text: t('nonconformities.print.part2') },
    m.corrections.length > 0 ? { kind: 'list', items: m.corrections.map((c) => `${date(c.done_on)} — ${c.done_by_name}: ${c.description}`) } : none,
    { kind: 'heading', text: t('nonconformities.print.part3') },
  ];
  if (m.whys.length > 0) {
    blocks.push({
      kind: 'table',
      header: [['#', t('nonconformities.why'), t('nonconformities.answer')]],
      rows: m.whys.map((w, i) => [String(i + 1), w.why, w.answer]),
      widths: [1, 6, 6],
    });
  }
  blocks.push(
    nc.cause_category
      ? {
          kind: 'paragraph',
          label: `${t('nonconformities.cause_category')}:`,
          text: `${t(`nonconformities.cause.${nc.cause_category}`)}. ${t('nonconformities.root_cause')}: ${nc.root_cause ?? ''}`,
        }
      : none,
    { kind: 'heading', text: t('nonconformities.print.part4') },
  );
  blocks.push(
    m.actions.length > 0
      ? {
          kind: 'table',
          header: [['#', t('actions.type'), t('actions.description'), t('actions.owner'), t('actions.due_date'), t('actions.result')]],
          rows: m.actions.map((a, i) => [
            String(i + 1),
            t(`actions.type.${a.type}`),
            a.description,
            a.owner_name ?? '',
            date(a.due_date),
            `${t(`actions.status.${a.status}`)}${a.completed_on ? ` (${date(a.completed_on)})` : ''}`,
          ]),
          widths: [1, 3, 7, 3, 3, 3],
        }
      : none,
    { kind: 'heading', text: t('nonconformities.print.part5') },
  );
  blocks.push(
    m.verifications.length > 0
      ? {
          kind: 'list',
          items: m.verifications.map((v) => `${date(v.verified_on)} — ${v.verifier_name}: ${t(`nonconformities.result.${v.result}`)}. ${v.note ?? ''}`.trim()),
        }
      : {
          kind: 'paragraph',
          text: `${t('nonconformities.print.not_verified')}${nc.verify_due_on ? ` ${t('nonconformities.verify_on', { date: date(nc.verify_due_on) })}` : ''}`,
        },
  );
  // The recipients as the print lists them: the responsible unit and person, then the NC reports' own list (else the file copy).
  const own = m.lh.recipients.length > 0 ? m.lh.recipients : [t('nonconformities.print.file_copy').replace(/[.;]+$/, '')];
  const recipients = [nc.unit_name, nc.responsible_name, ...own].filter((r): r is string => !!r);
  const numberLine = t('nonconformities.print.number', { n: m.printNo, suffix: org?.report_number_suffix ?? '' });
  const slash = numberLine.indexOf('/');
  return buildDocx({
    lh: {
      parentAgency: org?.parent_agency ?? '',
      office: org?.name ?? '',
      numberText: m.printNo,
      numberSuffix: numberLine.slice(slash + 1),
      signerTitle: m.lh.signerTitle,
      signerName: m.lh.signerName,
      recipients,
    },
    labels: {
      nation: t('nonconformities.print.nation'),
      motto: t('nonconformities.print.motto'),
      number: numberLine.slice(0, numberLine.indexOf(m.printNo)).trim(),
      placeDate: t('nonconformities.print.place_date', { place: org?.place_name ?? '', d: m.issued.d, m: m.issued.m, y: m.issued.y }),
      recipients: t('nonconformities.print.recipients'),
    },
    title: t('nonconformities.print.title'),
    summary: [t('nonconformities.print.summary', { code: nc.code, title: nc.title })],
    blocks,
    leftSigner: { title: t('nonconformities.print.prepared_by'), name: m.preparedBy ?? '' },
    fileTitle: t('nonconformities.print.summary', { code: nc.code, title: nc.title }),
  });
}
