import { buildDocx } from '../../core/docx/docx.document';
import type { DocxBlock } from '../../core/docx/docx.types';
import { translate, type Lang } from '../../core/i18n';
import { formatDate } from '../../core/views/format';
import type { DossierRow } from '../dossiers/dossiers.queries';
import type { Letterhead } from '../organisation/organisation.print';
import { docxFrame } from '../organisation/organisation.docx';
import type { SlipRow } from './apologies.queries';

/** The view model of the printed slip (views/apologies/print.hbs), built once in apologies.routes.ts. */
export interface ApologyPrint {
  slip: SlipRow;
  dossier: DossierRow;
  lh: Letterhead;
}

/**
 * The apology slip (phiếu xin lỗi và hẹn lại ngày trả kết quả) as a Word file, written from the view model of its
 * print: the slip's own number, signer and recipients, the citizen's name left to be written by hand.
 */
export async function apologyDocx(m: ApologyPrint, lang: Lang, timeZone: string): Promise<Buffer> {
  const t = (key: string, params?: Record<string, string | number>) => translate(lang, key, params);
  const date = (v: unknown) => formatDate(v, timeZone);
  const { slip, dossier, lh } = m;
  const body: DocxBlock[] = [
    t('apologies.doc_received', { office: lh.office, date: date(dossier.received_on), procedure: dossier.procedure_title, code: dossier.code }),
    t('apologies.doc_due', { date: date(dossier.due_on) }),
    t('apologies.doc_late', { office: lh.office }),
    ...t('apologies.doc_reason', { reason: slip.reason }).split(/\r?\n/),
    t('apologies.doc_sorry', { office: lh.office, date: date(slip.new_due_on) }),
    t('apologies.doc_understanding'),
  ].map((text) => ({ kind: 'paragraph', text }));
  return buildDocx({
    ...docxFrame(lang, lh),
    title: t('apologies.doc_type'),
    summary: [],
    blocks: [{ kind: 'paragraph', align: 'center', text: t('apologies.doc_to') }, ...body],
    fileTitle: `${t('apologies.doc_type')} ${dossier.code}`,
  });
}
