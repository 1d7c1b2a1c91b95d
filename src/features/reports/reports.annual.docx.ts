import { buildDocx } from '../../core/docx/docx.document';
import type { DocxBlock } from '../../core/docx/docx.types';
import { translate, type Lang } from '../../core/i18n';
import { formatDate, formatNumber } from '../../core/views/format';
import { docxFrame, signedNoteOf } from '../organisation/organisation.docx';
import { dossierTableBlocks, satisfactionBlocks } from './reports.docx.parts';
import type { AnnualLocals } from './reports.annual.locals';

/**
 * The annual QMS report as a Word file, written from the view model of its printed page (views/reports/annual.hbs):
 * the live figures of a draft (marked DỰ THẢO as the print is), or the figures and letterhead frozen when it was
 * issued, with the issuing e-signature.
 */
type Tr = (key: string, params?: Record<string, string | number>) => string;

function row(t: Tr, keys: string[], values: string[]): DocxBlock {
  return { kind: 'table', header: [keys.map((k) => t(k))], rows: [values], numeric: values.map(() => true) };
}

/** Training held in the period (competence.annual.ts), as the page's section shows it. */
function trainingBlocks(tr: AnnualLocals['figures']['training'], t: Tr, num: (v: number) => string, date: (v: unknown) => string): DocxBlock[] {
  if (!tr) return [];
  const out: DocxBlock[] = [
    { kind: 'paragraph', bold: true, text: t('competence.annual.title') },
    { kind: 'paragraph', text: t('competence.annual.summary', { sessions: num(tr.sessions), people: num(tr.people) }) },
    {
      kind: 'table',
      header: [[t('competence.kind'), t('competence.annual.sessions'), t('competence.annual.people')]],
      rows: [
        ...tr.byKind.map((k) => [t(`competence.kind.${k.kind}`), num(k.sessions), num(k.people)]),
        [t('competence.annual.total'), num(tr.sessions), num(tr.people)],
      ],
      numeric: [false, true, true],
    },
  ];
  if (tr.items.length)
    out.push({
      kind: 'table',
      header: [[t('competence.annual.date'), t('competence.annual.course'), t('competence.annual.issuer'), t('competence.annual.attendees')]],
      rows: tr.items.map((i) => [date(i.heldOn), i.title, i.issuer, i.people.join(', ')]),
      widths: [2, 4, 3, 4],
      numeric: [false, false, false, false],
    });
  return out;
}

function sectionBlocks(m: AnnualLocals, t: Tr, num: (v: number) => string, date: (v: unknown) => string, lang: Lang): DocxBlock[] {
  const f = m.figures;
  const n = m.narratives;
  const narrative = (text: string | undefined): DocxBlock[] =>
    text
      ? text
          .split(/\r?\n/)
          .filter((l) => l.trim() !== '')
          .map((l) => ({ kind: 'paragraph', text: l }))
      : [];
  const out: DocxBlock[] = [];
  const p = f.procedures;
  out.push({ kind: 'heading', text: t('reports.annual.s.procedures') });
  out.push(
    row(
      t,
      ['reports.annual.p.total', 'reports.annual.p.full', 'reports.annual.p.partial', 'reports.annual.p.none', 'reports.annual.p.internal'],
      [num(p.total), num(p.full), num(p.partial), num(p.none), num(p.internal ?? 0)],
    ),
  );
  out.push(...narrative(n.procedures));

  out.push({ kind: 'heading', text: t('reports.annual.s.declarations') });
  if (f.declarations) {
    const d = f.declarations;
    out.push({
      kind: 'paragraph',
      text: d.inForce
        ? t('reports.annual.decl.in_force', { no: d.inForce.decisionNo, date: date(d.inForce.decidedOn), n: d.inForce.procedures })
        : t('reports.annual.decl.none'),
    });
    if (d.inPeriod.length > 0)
      out.push({
        kind: 'list',
        items: d.inPeriod.map(
          (l) => `${t(`declarations.kind.${l.kind}`)}: ${t('reports.annual.decl.line', { no: l.decisionNo, date: date(l.decidedOn), n: l.procedures })}`,
        ),
      });
    else out.push({ kind: 'paragraph', text: t('reports.annual.decl.none_in_period') });
  }
  out.push(...narrative(n.declarations));

  const doc = f.documents;
  out.push({ kind: 'heading', text: t('reports.annual.s.documents') });
  out.push(
    row(
      t,
      ['reports.annual.doc.issued', 'reports.annual.doc.revised', 'reports.annual.doc.withdrawn', 'reports.annual.doc.effective_at_end'],
      [num(doc.issued), num(doc.revised), num(doc.withdrawn), num(doc.effectiveAtEnd)],
    ),
  );
  out.push(...narrative(n.documents));

  out.push({ kind: 'heading', text: t('reports.annual.s.training') }, ...trainingBlocks(f.training, t, num, date), ...narrative(n.training));

  const a = f.audits;
  out.push({ kind: 'heading', text: t('reports.annual.s.audits') });
  out.push(
    row(
      t,
      [
        'reports.annual.au.held',
        'reports.annual.au.internal',
        'reports.annual.au.external',
        'reports.a.major_nc',
        'reports.a.minor_nc',
        'reports.a.observation',
        'reports.a.ofi',
      ],
      [num(a.held), num(a.internal), num(a.external), num(a.majorNc), num(a.minorNc), num(a.observation), num(a.ofi)],
    ),
  );
  out.push(...narrative(n.audits));

  out.push({ kind: 'heading', text: t('reports.annual.s.reviews') });
  if (f.reviews) {
    const r = f.reviews;
    out.push({
      kind: 'paragraph',
      text: t('reports.annual.rev.summary', { held: r.held, decisions: r.decisions, done: r.actionsDone, open: r.actionsOpen, overdue: r.actionsOverdue }),
    });
    if (r.items.length > 0)
      out.push({ kind: 'list', items: r.items.map((i) => t('reports.annual.rev.line', { code: i.code, date: date(i.heldOn), n: i.decisions })) });
  }
  out.push(...narrative(n.reviews));

  out.push({ kind: 'heading', text: t('reports.annual.s.objectives') });
  if (f.objectives) {
    const o = f.objectives;
    if (o.total) {
      out.push({
        kind: 'paragraph',
        text: t('reports.annual.obj.summary', { total: o.total, met: o.met, on_track: o.onTrack, not_met: o.notMet, no_data: o.noData }),
      });
      out.push({
        kind: 'table',
        header: [
          [
            t('reports.annual.col.no'),
            t('reports.annual.obj.objective'),
            t('reports.annual.obj.target'),
            t('reports.annual.obj.result'),
            t('reports.annual.obj.status'),
          ],
        ],
        rows: o.items.map((i) => [
          String(i.seq),
          i.objective,
          `${i.comparison === 'lte' ? '≤' : '≥'} ${num(i.target)} ${i.unit}`,
          i.value === null ? '—' : `${num(i.value)} ${i.unit}`,
          t(`objectives.status.${i.status}`),
        ]),
        widths: [1, 6, 2, 2, 2],
        numeric: [true, false, false, true, false],
      });
    } else out.push({ kind: 'paragraph', text: t('reports.annual.obj.none') });
  }
  out.push(...narrative(n.objectives));

  out.push({ kind: 'heading', text: t('reports.annual.s.risks') });
  if (f.risks) {
    const r = f.risks;
    out.push(
      row(
        t,
        [
          'reports.annual.risk.identified',
          'reports.annual.risk.reviewed',
          'reports.annual.risk.actions_done',
          'reports.annual.risk.effective',
          'reports.annual.risk.open',
          'risks.fig.without_treatment',
          'risks.fig.high_residual',
        ],
        [
          num(r.identified),
          num(r.reviewed),
          num(r.actionsDone),
          `${num(r.effective)}/${num(r.reviews)}`,
          `${num(r.openRisks)} + ${num(r.openOpportunities)}`,
          num(r.withoutTreatment),
          num(r.highResidual),
        ],
      ),
    );
  }
  out.push(...narrative(n.risks));

  const nc = f.nonconformities;
  out.push({ kind: 'heading', text: t('reports.annual.s.nonconformities') });
  out.push(
    row(
      t,
      ['reports.nc.raised', 'reports.nc.closed', 'reports.nc.open_at_end', 'reports.nc.overdue_actions'],
      [num(nc.raised), num(nc.closed), num(nc.openAtEnd), num(nc.overdueActions)],
    ),
  );
  if (m.ncSplit) {
    out.push(
      row(
        t,
        ['reports.nc.overdue_corrective', 'reports.nc.overdue_other', 'reports.nc.awaiting_triage'],
        [num(nc.overdueCorrectiveActions ?? 0), num(nc.overdueOtherActions ?? 0), num(nc.awaitingTriage ?? 0)],
      ),
    );
  }
  if (f.lateCauses) {
    const l = f.lateCauses;
    out.push(
      { kind: 'heading', text: t('reports.annual.late.title') },
      { kind: 'paragraph', text: t('reports.annual.late.summary', { late: l.late, covered: l.covered }) },
    );
    if (l.ncs.length > 0) {
      out.push({
        kind: 'table',
        header: [[t('reports.annual.late.nc'), t('reports.annual.late.cause'), t('reports.annual.late.root'), t('reports.annual.late.dossiers')]],
        rows: l.ncs.map((c) => [
          `${c.code} ${c.title}`,
          c.cause_category ? t(`nonconformities.cause.${c.cause_category}`) : t('reports.annual.late.not_analysed'),
          c.root_cause ?? '',
          num(c.dossiers),
        ]),
        widths: [4, 3, 4, 1],
        numeric: [false, false, false, true],
      });
    }
  }
  out.push(...narrative(n.nonconformities));

  out.push({ kind: 'heading', text: t('reports.annual.s.satisfaction') }, ...satisfactionBlocks(m.satisfaction, lang));
  if (f.feedback) {
    const b = f.feedback;
    const keys = ['received', 'answered', 'answeredOnTime', 'answeredLate', 'openAtEnd', 'overdueAtEnd', 'raisedAsNc', 'cancelled'] as const;
    out.push({ kind: 'paragraph', bold: true, text: t('nav.feedback') });
    out.push(
      row(
        t,
        keys.map((k) => `feedback.fig.${k}`),
        keys.map((k) => num(b[k])),
      ),
    );
  }
  out.push(...narrative(n.satisfaction));

  out.push({ kind: 'heading', text: t('reports.annual.s.dossiers') }, ...dossierTableBlocks(f.dossiers, m.onTimeRateText, lang), ...narrative(n.dossiers));

  out.push({ kind: 'heading', text: t('reports.annual.s.assessment') });
  for (const s of m.assessment) if (s.text) out.push({ kind: 'paragraph', bold: true, text: t(`reports.annual.s.${s.id}`) }, ...narrative(s.text));
  if (n.conclusion) out.push({ kind: 'paragraph', bold: true, text: t('reports.annual.s.conclusion') }, ...narrative(n.conclusion));
  out.push({ kind: 'heading', text: t('reports.annual.s.plan') }, ...narrative(n.plan));
  return out;
}

export async function annualDocx(m: AnnualLocals, lang: Lang, timeZone: string): Promise<Buffer> {
  const t: Tr = (key, params) => translate(lang, key, params);
  const date = (v: unknown) => formatDate(v, timeZone);
  const num = (v: number) => formatNumber(v, lang);
  const head: DocxBlock[] = m.issued ? [] : [{ kind: 'paragraph', align: 'center', bold: true, text: t('reports.annual.draft_mark') }];
  head.push({
    kind: 'paragraph',
    align: 'center',
    italic: true,
    text: t('reports.period.line', { from: date(m.figures.period.from), to: date(m.figures.period.to) }),
  });
  return buildDocx({
    ...docxFrame(lang, m.lh),
    title: t('reports.doc.type'),
    summary: [t('reports.annual.summary_line', { year: m.year })],
    blocks: [...head, ...sectionBlocks(m, t, num, date, lang)],
    signedNote: signedNoteOf(lang, timeZone, m.signature),
    fileTitle: t('reports.annual.summary_line', { year: m.year }),
  });
}
