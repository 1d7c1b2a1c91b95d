import type { AppContext } from '../../core/context';
import type { SessionUser } from '../../core/http/session.queries';
import { translate, type Lang } from '../../core/i18n';
import { localDateOf } from '../../core/calendar/zone';
import type { Letterhead } from '../organisation/organisation.print';
import { letterheadOfKind } from '../organisation/organisation.signers.print';
import { chairBlock } from './reviews.print';
import { actionBadge } from '../nonconformities/nonconformities.actions.model';
import { userOptions } from '../nonconformities/nonconformities.actions.view';
import type { ReviewPack } from './reviews.figures';
import { DECISION_KINDS, INPUTS, parseAssessments, TEXT_ONLY_INPUTS } from './reviews.model';
import { computePack, parsePack } from './reviews.pack';
import { satisfactionView } from '../reports/reports.satisfaction';
import { listDecisions, type ReviewRow } from './reviews.queries';
import { peopleOf, type MinutesPeople } from './reviews.service';

/**
 * What a review's page and its printed minutes show: the pack (frozen when signed, else computed now), each input
 * with its figures and the leaders' assessment, the decisions with their actions, the people, and which forms the
 * user gets.
 */
const isManager = (role: string) => role === 'admin' || role === 'quality_officer' || role === 'leader';

/** The pack and the people: frozen with a signed review, else as of now. */
async function contentOf(ctx: AppContext, review: ReviewRow, today: string, timeZone: string) {
  const frozenLh = review.letterhead_json
    ? (JSON.parse(review.letterhead_json) as Letterhead & { people: MinutesPeople; signerComposed?: boolean })
    : undefined;
  const frozen = review.status === 'signed' ? parsePack(review.pack_json) : undefined;
  const pack: ReviewPack = frozen ?? (await computePack(ctx, review, today, timeZone));
  const people = frozenLh?.people ?? (await peopleOf(ctx.db, review));
  return { pack, people, frozenLh };
}

function inputsOf(review: ReviewRow, pack: ReviewPack, lang: Lang) {
  const assessments = parseAssessments(review.assessments);
  // the surveys' figures as printed (a pack signed before them has none)
  const survey = pack.satisfaction?.survey;
  const surveyView = survey && {
    ...satisfactionView(survey, lang),
    lowest: survey.lowest.map((p) => ({ ...p, ...satisfactionView({ ...p, withComment: 0, satisfied: 0, criteria: [] }, lang) })),
  };
  return INPUTS.map((key, i) => ({ key, no: i + 1, assessment: assessments[key], textOnly: TEXT_ONLY_INPUTS.includes(key), pack, surveyView }));
}

export async function showLocals(
  ctx: AppContext,
  review: ReviewRow,
  user: Pick<SessionUser, 'id' | 'role'>,
  today: string,
  timeZone: string,
  lang: Lang = 'vi',
) {
  const { pack, people } = await contentOf(ctx, review, today, timeZone);
  const draft = review.status === 'draft';
  const decisions = (await listDecisions(ctx.db, review.id)).map((d) => ({ ...d, statusClass: d.action_status ? actionBadge(d.action_status) : '' }));
  return {
    pageTitle: 'reviews.show',
    review,
    pack,
    people,
    inputs: inputsOf(review, pack, lang),
    decisions,
    signedOn: review.signed_at ? localDateOf(review.signed_at, timeZone) : undefined,
    kindOptions: DECISION_KINDS.map((value) => ({ value })),
    userOptions: draft && isManager(user.role) ? await userOptions(ctx) : [],
    can: {
      edit: draft && isManager(user.role),
      decide: draft && isManager(user.role),
      sign: draft && user.role === 'leader' && user.id === review.chair_id,
      // the actions' pages are the managers' and their owners' (an inspector reads the minutes, not the actions)
      openActions: isManager(user.role),
    },
    errors: {},
    values: { version: review.version },
  };
}

export async function printLocals(ctx: AppContext, review: ReviewRow, today: string, timeZone: string, lang: Lang) {
  const { pack, people, frozenLh } = await contentOf(ctx, review, today, timeZone);
  const base = frozenLh ?? (await letterheadOfKind(ctx.db, 'review', review.held_on, review.number_text ?? ''));
  // Signed: the block frozen at signing (minutes signed before it was frozen print the chair as they did).
  const block = frozenLh ? (frozenLh.signerComposed ? frozenLh : undefined) : await chairBlock(ctx.db, base, review.chair_id);
  const lh = {
    ...base,
    numberSuffix: base.numberSuffix.replace(/^BC/, 'BB'),
    signerTitle: block?.signerTitle ?? translate(lang, 'reviews.doc.chair'),
    signerName: block?.signerName ?? people.chair.name,
  };
  const signed = review.status === 'signed';
  return {
    pageTitle: 'reviews.print_title',
    review,
    lh,
    pack,
    people,
    inputs: inputsOf(review, pack, lang),
    decisions: await listDecisions(ctx.db, review.id),
    signed,
    signature: signed ? { signer_name: people.chair.name, signed_at: review.signed_at } : undefined,
  };
}
