/**
 * Where an action comes from, as the pages link it: its nonconformity, the risk or opportunity it treats, or the
 * decision of a management review it carries out. Every
 * list and page of actions shows the source through this (views/partials/actions/source.hbs).
 */
export interface ActionSourceView {
  /** i18n key of the source's kind ("Điểm không phù hợp", "Rủi ro", "Cơ hội"). */
  label: string;
  href: string;
  code: string;
  title: string;
}

interface SourceFields {
  nonconformity_id: number | null;
  nc_code: string | null;
  nc_title: string | null;
  risk_id: number | null;
  risk_code: string | null;
  risk_description: string | null;
  risk_kind: 'risk' | 'opportunity' | null;
  review_decision_id: number | null;
  review_id: number | null;
  review_code: string | null;
  review_decision_description: string | null;
}

export function actionSource(a: SourceFields): ActionSourceView {
  if (a.review_decision_id !== null)
    return { label: 'reviews.decision_source', href: `/reviews/${a.review_id}`, code: a.review_code ?? '', title: a.review_decision_description ?? '' };
  if (a.risk_id !== null)
    return { label: `risks.kind.${a.risk_kind ?? 'risk'}`, href: `/risks/${a.risk_id}`, code: a.risk_code ?? '', title: a.risk_description ?? '' };
  return { label: 'actions.nonconformity', href: `/nonconformities/${a.nonconformity_id}`, code: a.nc_code ?? '', title: a.nc_title ?? '' };
}
