import { buildDocx } from '../../core/docx/docx.document';
import type { DocxBlock } from '../../core/docx/docx.types';
import { translate, type Lang } from '../../core/i18n';
import { formatDate, formatNumber, formatPercent } from '../../core/views/format';
import { docxFrame, signedNoteOf } from '../organisation/organisation.docx';
import { satisfactionBlocks } from '../reports/reports.docx.parts';
import type { printLocals } from './reviews.view';

/**
 * The management review minutes (biên bản họp xem xét của lãnh đạo) as a Word file, written from the view model of
 * the printed minutes (views/reviews/print.hbs, partials/reviews/input.hbs): the pack frozen with signed minutes and
 * their letterhead, the secretary bottom left and the chairing leader bottom right.
 */
type Locals = Awaited<ReturnType<typeof printLocals>>;
type Input = Locals['inputs'][number];
type Tr = (key: string, params?: Record<string, string | number>) => string;

function inputBlocks(input: Input, t: Tr, lang: Lang, date: (v: unknown) => string): DocxBlock[] {
  const { pack } = input;
  const num = (v: number) => formatNumber(v, lang);
  const out: DocxBlock[] = [{ kind: 'paragraph', bold: true, text: `${input.no}. ${t(`reviews.input.${input.key}`)}` }];
  const p = (text: string) => out.push({ kind: 'paragraph', text });
  switch (input.key) {
    case 'previous_actions': {
      const a = pack.previousActions;
      if (!a.total) {
        p(t('reviews.pack.previous_none'));
        break;
      }
      p(t('reviews.pack.previous_summary', { total: a.total, done: a.done, open: a.open, overdue: a.overdue, cancelled: a.cancelled }));
      out.push({
        kind: 'table',
        header: [
          [
            t('reviews.code'),
            t('reviews.decision.description'),
            t('actions.owner'),
            t('actions.due_date'),
            t('reviews.pack.status_at', { date: date(pack.asOf) }),
          ],
        ],
        rows: a.rows.map((r) => [
          `${r.reviewCode}\n${t(`reviews.decision.kind.${r.decisionKind}`)}`,
          r.description,
          r.ownerName ?? '',
          date(r.dueDate),
          `${t(`actions.status.${r.status}`)}${r.completedOn ? ` (${date(r.completedOn)})` : ''}${r.overdue ? ` ⚠ ${t('actions.overdue')}` : ''}`,
        ]),
        widths: [3, 6, 3, 2, 3],
      });
      break;
    }
    case 'satisfaction':
      if (input.surveyView) {
        // satisfactionView of a survey that exists: every field set (the spread only widens the type)
        out.push(...satisfactionBlocks(input.surveyView as Parameters<typeof satisfactionBlocks>[0], lang));
        if (input.surveyView.lowest.length > 0) {
          p(`${t('surveys.results.report.lowest')}:`);
          out.push({
            kind: 'list',
            items: input.surveyView.lowest.map(
              (l) =>
                `${l.code} ${l.title} — ${l.index} (${t('surveys.results.responses')}: ${num(l.responses)}; ${t('surveys.results.average')}: ${l.average})`,
            ),
          });
        }
      }
      if (pack.feedback) {
        const f = pack.feedback;
        p(
          t('feedback.review_summary', {
            received: f.received,
            answered: f.answered,
            onTime: f.answeredOnTime,
            late: f.answeredLate,
            open: f.openAtEnd,
            overdue: f.overdueAtEnd,
            nc: f.raisedAsNc,
          }),
        );
      }
      if (!input.surveyView && !pack.feedback) p(t('reviews.pack.no_data_yet'));
      break;
    case 'objectives': {
      const o = pack.objectives;
      if (o.rows.length === 0) {
        p(t('reviews.pack.objectives_none', { year: o.year }));
        break;
      }
      p(t('reviews.pack.objectives_summary', { year: o.year, total: o.rows.length, met: o.met, onTrack: o.onTrack, notMet: o.notMet, noData: o.noData }));
      out.push({
        kind: 'list',
        items: o.rows.map(
          (r) =>
            `${r.seq}. ${r.objective} — ${r.comparison === 'gte' ? '≥' : '≤'} ${num(r.target)} ${r.unit}: ${r.value === null ? '—' : `${num(r.value)} ${r.unit}`} (${t(`objectives.status.${r.status}`)})`,
        ),
      });
      break;
    }
    case 'processes': {
      const pr = pack.processes;
      p(t('reviews.pack.processes_summary', { procedures: pr.procedures, compliant: pr.compliant, attention: pr.attention, nonCompliant: pr.nonCompliant }));
      if (pr.rows.length > 0) {
        out.push({
          kind: 'table',
          header: [[t('reviews.pack.procedure'), t('reviews.pack.compliance'), t('reviews.pack.resolved'), t('reviews.pack.on_time_rate')]],
          rows: pr.rows.map((r) => [`${r.code} ${r.title}`, t(`reports.status.${r.status}`), num(r.resolved), formatPercent(r.onTimeRate, lang)]),
          widths: [6, 3, 2, 2],
          numeric: [false, false, true, true],
        });
      }
      break;
    }
    case 'nonconformities': {
      const n = pack.nonconformities;
      p(
        t('reviews.pack.nc_summary', {
          raised: n.raised,
          closed: n.closed,
          openAtEnd: n.openAtEnd,
          awaitingTriage: n.awaitingTriage,
          overdue: n.overdueActions,
          corrective: n.overdueCorrectiveActions,
        }),
      );
      break;
    }
    case 'monitoring': {
      const m = pack.monitoring;
      p(
        `${t('reviews.pack.monitoring_summary', { received: m.received, resolved: m.resolved, early: m.early, onTime: m.onTime, late: m.late, pending: m.pending, pendingOverdue: m.pendingOverdue })} ${t('reviews.pack.on_time_rate')}: ${formatPercent(m.onTimeRate, lang)}.`,
      );
      break;
    }
    case 'audits': {
      const a = pack.audits;
      p(
        t('reviews.pack.audits_summary', {
          held: a.held,
          internal: a.internal,
          external: a.external,
          majorNc: a.majorNc,
          minorNc: a.minorNc,
          observation: a.observation,
          ofi: a.ofi,
        }),
      );
      break;
    }
    case 'risks': {
      const r = pack.risks;
      p(
        `${t('reviews.pack.risks_summary', { openRisks: r.openRisks, withoutTreatment: r.withoutTreatment, highInherent: r.highInherent, highResidual: r.highResidual, reviewsOverdue: r.reviewsOverdue })} ${t('reviews.pack.risk_reviews_summary', { held: r.reviewsHeld, effective: r.effective, partly: r.partlyEffective, not: r.notEffective, early: r.tooEarly })}`,
      );
      break;
    }
    case 'improvement': {
      const i = pack.improvement;
      p(t('reviews.pack.improvement_summary', { ofi: i.ofi.length, opportunities: i.openOpportunities }));
      if (i.ofi.length > 0) out.push({ kind: 'list', items: i.ofi.map((o) => `${o.auditCode} ${o.statement}`) });
      break;
    }
  }
  if (input.textOnly && input.key !== 'satisfaction') out.push({ kind: 'note', text: t('reviews.pack.text_only') });
  out.push({ kind: 'paragraph', label: `${t('reviews.assessment')}:`, text: input.assessment || t('reviews.assessment_none') });
  return out;
}

export async function reviewDocx(m: Locals, lang: Lang, timeZone: string): Promise<Buffer> {
  const t: Tr = (key, params) => translate(lang, key, params);
  const date = (v: unknown) => formatDate(v, timeZone);
  const { review, people } = m;
  const blocks: DocxBlock[] = [];
  if (!m.signed) blocks.push({ kind: 'paragraph', align: 'center', bold: true, text: t('reviews.draft_mark') });
  blocks.push(
    { kind: 'paragraph', align: 'center', italic: true, text: t('reviews.doc_period', { from: date(review.period_from), to: date(review.period_to) }) },
    { kind: 'paragraph', text: t('reviews.doc_meeting', { date: date(review.held_on), place: review.place }) },
    { kind: 'paragraph', bold: true, text: t('reviews.doc_attending') },
    {
      kind: 'list',
      items: [
        `${t('reviews.chair')}: ${people.chair.name}${people.chair.title ? `, ${people.chair.title}` : ''}`,
        `${t('reviews.secretary')}: ${people.secretary.name}`,
        ...people.attendees.map((a) => `${a.name}${a.title ? `, ${a.title}` : ''}`),
        ...(people.guests ? [`${t('reviews.guests')}: ${people.guests}`] : []),
      ],
    },
    { kind: 'heading', text: t('reviews.doc_inputs') },
    { kind: 'paragraph', align: 'center', italic: true, text: t('reviews.pack.frozen', { date: date(m.pack.asOf) }) },
    ...m.inputs.flatMap((i) => inputBlocks(i, t, lang, date)),
    { kind: 'heading', text: t('reviews.conclusions') },
    ...(review.conclusions
      ? review.conclusions.split(/\r?\n/).map((l): DocxBlock => ({ kind: 'paragraph', text: l }))
      : [{ kind: 'paragraph', text: '……' } as DocxBlock]),
    { kind: 'heading', text: t('reviews.decisions') },
    m.decisions.length > 0
      ? {
          kind: 'table',
          header: [[t('reviews.col.no'), t('reviews.decision.kind'), t('reviews.decision.description'), t('actions.owner'), t('actions.due_date')]],
          rows: m.decisions.map((d) => [String(d.seq), t(`reviews.decision.kind.${d.kind}`), d.description, d.owner_name ?? '', date(d.due_date)]),
          widths: [1, 3, 7, 3, 2],
          numeric: [true, false, false, false, false],
        }
      : { kind: 'paragraph', text: t('reviews.decisions_none') },
    { kind: 'paragraph', text: t('reviews.doc_closing') },
  );
  return buildDocx({
    ...docxFrame(lang, m.lh),
    title: t('reviews.doc_type'),
    summary: [t('reviews.doc_summary')],
    blocks,
    leftSigner: { title: t('reviews.doc.secretary'), name: people.secretary.name },
    signedNote: signedNoteOf(
      lang,
      timeZone,
      m.signature && m.signature.signed_at ? { signer_name: m.signature.signer_name, signed_at: m.signature.signed_at } : undefined,
    ),
    fileTitle: `${t('reviews.doc_type')} ${review.code}`,
  });
}
