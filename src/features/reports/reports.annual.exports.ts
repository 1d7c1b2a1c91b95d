import { translate, type Lang } from '../../core/i18n';
import type { CsvCell } from './reports.csv';
import type { AnnualFigures } from './reports.annual.figures';

/**
 * Every figure of an annual report as rows of a table (its CSV and XLSX): the section, the figure's key, its label
 * and its value, in the report's order. The figures are those the page shows: live while a draft, frozen once issued
 * (a report issued before a section existed has no rows for it). Rates are fractions (0–1), dates YYYY-MM-DD.
 */
export const ANNUAL_EXPORT_COLUMNS = ['section', 'figure', 'label', 'value'] as const;
const HEADER_LABELS = ['reports.annual.export.section', 'reports.annual.export.figure', 'reports.annual.export.label', 'reports.annual.export.value'];

type Row = [section: string, figure: string, labelKey: string, value: CsvCell, params?: Record<string, unknown>];

function rowsOf(f: AnnualFigures): Row[] {
  const out: Row[] = [
    ['period', 'from', 'reports.annual.export.from', f.period.from],
    ['period', 'to', 'reports.annual.export.to', f.period.to],
    ['procedures', 'total', 'reports.annual.p.total', f.procedures.total],
    ['procedures', 'full', 'reports.annual.p.full', f.procedures.full],
    ['procedures', 'partial', 'reports.annual.p.partial', f.procedures.partial],
    ['procedures', 'none', 'reports.annual.p.none', f.procedures.none],
    ['procedures', 'internal', 'reports.annual.p.internal', f.procedures.internal ?? null],
  ];
  if (f.declarations) {
    const d = f.declarations.inForce;
    out.push(['declarations', 'inForce', 'reports.annual.export.decl_in_force', d ? `${d.decisionNo} (${d.decidedOn})` : null]);
    out.push(['declarations', 'inForceProcedures', 'reports.annual.export.decl_scope', d?.procedures ?? null]);
    for (const x of f.declarations.inPeriod) out.push(['declarations', `inPeriod.${x.decisionNo}`, `declarations.kind.${x.kind}`, x.decidedOn]);
  }
  out.push(
    ['documents', 'issued', 'reports.annual.doc.issued', f.documents.issued],
    ['documents', 'revised', 'reports.annual.doc.revised', f.documents.revised],
    ['documents', 'withdrawn', 'reports.annual.doc.withdrawn', f.documents.withdrawn],
    ['documents', 'effectiveAtEnd', 'reports.annual.doc.effective_at_end', f.documents.effectiveAtEnd],
    ['audits', 'held', 'reports.annual.au.held', f.audits.held],
    ['audits', 'internal', 'reports.annual.au.internal', f.audits.internal],
    ['audits', 'external', 'reports.annual.au.external', f.audits.external],
    ['audits', 'majorNc', 'reports.a.major_nc', f.audits.majorNc],
    ['audits', 'minorNc', 'reports.a.minor_nc', f.audits.minorNc],
    ['audits', 'observation', 'reports.a.observation', f.audits.observation],
    ['audits', 'ofi', 'reports.a.ofi', f.audits.ofi],
  );
  if (f.reviews) {
    const r = f.reviews;
    out.push(
      ['reviews', 'held', 'reports.annual.export.rev_held', r.held],
      ['reviews', 'decisions', 'reports.annual.export.rev_decisions', r.decisions],
      ['reviews', 'actionsDone', 'reports.annual.export.rev_done', r.actionsDone],
      ['reviews', 'actionsOpen', 'reports.annual.export.rev_open', r.actionsOpen],
      ['reviews', 'actionsOverdue', 'reports.annual.export.rev_overdue', r.actionsOverdue],
    );
  }
  if (f.objectives) {
    const o = f.objectives;
    out.push(['objectives', 'total', 'reports.annual.export.obj_total', o.total]);
    const statusKey = { met: 'met', onTrack: 'on_track', notMet: 'not_met', noData: 'no_data' } as const;
    for (const s of ['met', 'onTrack', 'notMet', 'noData'] as const) out.push(['objectives', s, `objectives.status.${statusKey[s]}`, o[s]]);
    for (const i of o.items) out.push(['objectives', `MT${i.seq}`, '', i.value, { text: i.objective }]);
  }
  if (f.risks) {
    const r = f.risks;
    out.push(
      ['risks', 'identified', 'reports.annual.risk.identified', r.identified],
      ['risks', 'reviewed', 'reports.annual.risk.reviewed', r.reviewed],
      ['risks', 'reviews', 'reports.annual.export.risk_reviews', r.reviews],
      ['risks', 'effective', 'risks.effectiveness.effective', r.effective],
      ['risks', 'partlyEffective', 'risks.effectiveness.partly_effective', r.partlyEffective],
      ['risks', 'notEffective', 'risks.effectiveness.not_effective', r.notEffective],
      ['risks', 'actionsDone', 'reports.annual.risk.actions_done', r.actionsDone],
      ['risks', 'openRisks', 'risks.fig.open_risks', r.openRisks],
      ['risks', 'openOpportunities', 'risks.fig.open_opportunities', r.openOpportunities],
      ['risks', 'withoutTreatment', 'risks.fig.without_treatment', r.withoutTreatment],
      ['risks', 'highResidual', 'risks.fig.high_residual', r.highResidual],
    );
  }
  const n = f.nonconformities;
  out.push(
    ['nonconformities', 'raised', 'reports.nc.raised', n.raised],
    ['nonconformities', 'closed', 'reports.nc.closed', n.closed],
    ['nonconformities', 'openAtEnd', 'reports.nc.open_at_end', n.openAtEnd],
    ['nonconformities', 'overdueActions', 'reports.nc.overdue_actions', n.overdueActions],
  );
  if (f.lateCauses) {
    out.push(
      ['lateCauses', 'late', 'reports.d.late', f.lateCauses.late],
      ['lateCauses', 'covered', 'reports.annual.export.late_covered', f.lateCauses.covered],
    );
    for (const c of f.lateCauses.byCause)
      out.push(['lateCauses', `cause.${c.cause}`, c.cause === 'none' ? 'reports.annual.late.not_analysed' : `nonconformities.cause.${c.cause}`, c.dossiers]);
  }
  if (f.feedback) {
    const b = f.feedback;
    for (const k of ['received', 'answered', 'answeredOnTime', 'answeredLate', 'openAtEnd', 'overdueAtEnd', 'raisedAsNc', 'cancelled'] as const)
      out.push(['satisfaction', `feedback.${k}`, `feedback.fig.${k}`, b[k]]);
  }
  const d = f.dossiers;
  out.push(
    ['dossiers', 'received', 'reports.d.received', d.received],
    ['dossiers', 'carriedOver', 'reports.d.carried_over', d.carriedOver],
    ['dossiers', 'newlyReceived', 'reports.d.newly_received', d.newlyReceived],
    ['dossiers', 'resolved', 'reports.d.resolved', d.resolved],
    ['dossiers', 'early', 'reports.d.early', d.early],
    ['dossiers', 'onTime', 'reports.d.on_time', d.onTime],
    ['dossiers', 'late', 'reports.d.late', d.late],
    ['dossiers', 'pending', 'reports.d.pending_group', d.pending],
    ['dossiers', 'onTimeRate', 'reports.d.on_time_rate', d.onTimeRate],
  );
  // Last, after the rows that existed before it, so that no row moves: the satisfaction surveys' figures (the index
  // and the criteria's indexes as fractions, like every rate here).
  if (f.satisfaction) {
    const s = f.satisfaction;
    const fraction = (index: number | null) => (index === null ? null : Math.round(index * 100) / 10000);
    out.push(
      ['satisfaction', 'responses', 'surveys.results.responses', s.responses],
      ['satisfaction', 'scores', 'surveys.results.scores', s.scores],
      ['satisfaction', 'satisfied', 'surveys.results.satisfied', s.satisfied],
      ['satisfaction', 'index', 'surveys.results.index', fraction(s.index)],
      ['satisfaction', 'average', 'surveys.results.average', s.average],
    );
    for (const c of s.criteria) {
      out.push(['satisfaction', `average.${c.criterion}`, `surveys.results.average_of.${c.criterion}`, c.average]);
      out.push(['satisfaction', `index.${c.criterion}`, `surveys.results.index_of.${c.criterion}`, fraction(c.index)]);
    }
  }
  // After those, for the same reason: the training held in the period (competence.annual.ts), in all and per kind.
  if (f.training) {
    const tr = f.training;
    out.push(['training', 'sessions', 'competence.annual.sessions', tr.sessions], ['training', 'people', 'competence.annual.people', tr.people]);
    for (const k of tr.byKind)
      out.push(
        ['training', `sessions.${k.kind}`, `competence.annual.sessions_of.${k.kind}`, k.sessions],
        ['training', `people.${k.kind}`, `competence.annual.people_of.${k.kind}`, k.people],
      );
  }
  return out;
}

export function annualTable(f: AnnualFigures, lang: Lang): { keys: readonly string[]; headers: string[]; rows: CsvCell[][] } {
  const t = (k: string) => translate(lang, k);
  return {
    keys: ANNUAL_EXPORT_COLUMNS,
    headers: HEADER_LABELS.map(t),
    rows: rowsOf(f).map(([section, figure, label, value, params]) => [
      t(`reports.annual.s.${section === 'period' ? 'period' : section === 'lateCauses' ? 'late' : section}`),
      figure,
      params?.text !== undefined ? String(params.text) : t(label),
      value,
    ]),
  };
}
