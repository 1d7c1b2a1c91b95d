import type { AppContext } from '../../core/context';
import { record } from '../../core/audit-log/audit-log';
import type { Db } from '../../core/db/database';
import { todayLocal } from '../../core/calendar';
import { Conflict, Forbidden, NotFound } from '../../core/http/errors';
import { contentHash, sign, type Signer } from '../../core/security/signatures';
import { findOrganisation } from '../organisation/organisation.queries';
import { letterheadOfKind } from '../organisation/organisation.signers.print';
import { chairBlock } from './reviews.print';
import { findActiveUser } from '../nonconformities/nonconformities.actions.queries';
import { createActionIn, UnknownOwner } from '../nonconformities/nonconformities.actions.service';
import { parseAssessments, parseIds, type Assessments, type DecisionKind } from './reviews.model';
import { computePack } from './reviews.pack';
import {
  findReview,
  insertDecision,
  insertReview,
  listDecisions,
  listPeople,
  listUsersByIds,
  lockDecisions,
  nextDecisionSeq,
  nextReviewCode,
  updateReviewDraft,
  updateReviewSigned,
  type ReviewRow,
  type ReviewValues,
} from './reviews.queries';

/**
 * A management review's life, each change in one transaction with its audit entry: prepared as a draft (quality
 * officers, leaders), its decisions added with their actions (the actions engine, the decision as their source),
 * then signed by its chair, which freezes the data pack, the letterhead and the people of the minutes and signs the
 * whole. A signed review never changes: the service refuses (409) and the database triggers would refuse too.
 */
export const REVIEW_ENTITY = 'management_review';

/** A field of the form that the review refuses, with the message key shown next to it. */
export class ReviewFieldError extends Error {
  constructor(
    readonly field: string,
    readonly key: string,
  ) {
    super(`${field}: ${key}`);
  }
}

export interface ReviewInput {
  number_text?: string;
  period_from: string;
  period_to: string;
  held_on: string;
  place: string;
  chair_id: number;
  secretary_id: number;
  attendee_ids: number[];
  guests?: string;
  assessments: Assessments;
  conclusions?: string;
}

async function checkInput(trx: Db, input: ReviewInput): Promise<ReviewValues> {
  if (input.period_to < input.period_from) throw new ReviewFieldError('period_to', 'reviews.error.period');
  if (input.held_on < input.period_from) throw new ReviewFieldError('held_on', 'reviews.error.held_before_period');
  const people = new Map((await listPeople(trx)).map((p) => [p.id, p]));
  if (people.get(input.chair_id)?.role !== 'leader') throw new ReviewFieldError('chair_id', 'reviews.error.chair_leader');
  if (!people.has(input.secretary_id)) throw new ReviewFieldError('secretary_id', 'validation.invalid_choice');
  if (input.attendee_ids.some((id) => !people.has(id))) throw new ReviewFieldError('attendee_ids', 'validation.invalid_choice');
  return {
    number_text: input.number_text ?? null,
    period_from: input.period_from,
    period_to: input.period_to,
    held_on: input.held_on,
    place: input.place,
    chair_id: input.chair_id,
    secretary_id: input.secretary_id,
    attendee_ids: JSON.stringify([...new Set(input.attendee_ids)].sort((a, b) => a - b)),
    guests: input.guests ?? '',
    assessments: JSON.stringify(input.assessments),
    conclusions: input.conclusions ?? '',
  };
}

/** What the audit log keeps of a review's values (JSON columns as values). */
const logged = (v: ReviewValues) => ({ ...v, attendee_ids: parseIds(v.attendee_ids), assessments: parseAssessments(v.assessments) });

export async function createReview(ctx: AppContext, input: ReviewInput, actorId: number): Promise<number> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const values = await checkInput(trx, input);
    const code = await nextReviewCode(trx, input.held_on.slice(0, 4));
    const id = await insertReview(trx, { ...values, code, created_by: actorId }, at.toISOString());
    await record(trx, { userId: actorId, action: 'create', entity: REVIEW_ENTITY, entityId: id, new: { code, ...logged(values) } }, at);
    return id;
  });
}

async function loadDraft(trx: Db, id: number, version: number | null): Promise<ReviewRow> {
  const review = await findReview(trx, id);
  if (!review) throw new NotFound();
  if (review.status !== 'draft') throw new Conflict('reviews.error.signed');
  if (version !== null && review.version !== version) throw new Conflict('error.edit_conflict');
  return review;
}

/** Changes a draft: its meeting, people, the leaders' assessments and the conclusions. */
export async function updateReview(ctx: AppContext, id: number, version: number, input: ReviewInput, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const review = await loadDraft(trx, id, version);
    const values = await checkInput(trx, input);
    if (review.held_on.slice(0, 4) !== input.held_on.slice(0, 4)) throw new ReviewFieldError('held_on', 'reviews.error.year_fixed');
    const old = Object.fromEntries(Object.keys(values).map((k) => [k, review[k as keyof ReviewValues]])) as ReviewValues;
    if (!(await updateReviewDraft(trx, id, values, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    await record(trx, { userId: actorId, action: 'update', entity: REVIEW_ENTITY, entityId: id, old: logged(old), new: logged(values) }, at);
  });
}

export interface DecisionInput {
  kind: DecisionKind;
  description: string;
  owner_id: number;
  due_date: string;
}

/** Adds a decision to a draft with the action that carries it out (owner, due date), in one transaction. */
export async function addDecision(ctx: AppContext, id: number, input: DecisionInput, actorId: number): Promise<number> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const review = await loadDraft(trx, id, null);
    if (input.due_date < review.held_on) throw new ReviewFieldError('due_date', 'reviews.error.due_before_meeting');
    if (!(await findActiveUser(trx, input.owner_id))) throw new ReviewFieldError('owner_id', 'validation.invalid_choice');
    const seq = await nextDecisionSeq(trx, id);
    const decisionId = await insertDecision(trx, {
      review_id: id,
      seq,
      kind: input.kind,
      description: input.description,
      created_by: actorId,
      created_at: at.toISOString(),
    });
    await record(
      trx,
      {
        userId: actorId,
        action: 'add_decision',
        entity: REVIEW_ENTITY,
        entityId: id,
        new: { decision: decisionId, seq, kind: input.kind, description: input.description },
      },
      at,
    );
    try {
      await createActionIn(
        trx,
        {
          source: { kind: 'review_decision', id: decisionId, code: review.code },
          type: 'improvement',
          description: input.description,
          ownerId: input.owner_id,
          dueDate: input.due_date,
        },
        actorId,
        at,
      );
    } catch (err) {
      if (err instanceof UnknownOwner) throw new ReviewFieldError('owner_id', 'validation.invalid_choice');
      throw err;
    }
    return decisionId;
  });
}

/** The people of the minutes, frozen with them: the chair, the secretary and the attendees by name and title. */
export interface MinutesPeople {
  chair: { name: string; title: string };
  secretary: { name: string };
  attendees: { name: string; title: string }[];
  guests: string;
}

export async function peopleOf(db: Db, review: ReviewRow): Promise<MinutesPeople> {
  const attendees = await listUsersByIds(db, parseIds(review.attendee_ids));
  return {
    chair: { name: review.chair_name ?? '', title: review.chair_title ?? '' },
    secretary: { name: review.secretary_name ?? '' },
    attendees: attendees.map((a) => ({ name: a.full_name, title: a.position_title ?? '' })),
    guests: review.guests,
  };
}

/**
 * The chair signs the minutes (the password was checked by checkSigner before this call): the pack is computed as
 * of today and frozen with the letterhead (dated the day held) and the people; the content hash is signed; the
 * decisions are locked. Refused when the signer is not the chair, a leader; before the meeting; without conclusions.
 */
export async function signReview(ctx: AppContext, id: number, version: number, signer: Signer): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const review = await loadDraft(trx, id, version);
    if (signer.role !== 'leader' || signer.userId !== review.chair_id) throw new Forbidden();
    const org = await findOrganisation(trx);
    const timeZone = org?.time_zone ?? ctx.config.timeZone;
    const today = todayLocal(at, timeZone);
    if (review.held_on > today) throw new ReviewFieldError('password', 'reviews.error.not_held_yet');
    if (review.conclusions.trim() === '') throw new ReviewFieldError('password', 'reviews.error.conclusions_required');
    const pack = await computePack({ ...ctx, db: trx }, review, today, timeZone);
    const base = await letterheadOfKind(trx, 'review', review.held_on, review.number_text ?? '', org);
    // The chair's block frozen as printed: KT./TL./TUQ. lines when the chair signs on behalf (signerComposed marks it).
    const block = await chairBlock(trx, base, signer.userId);
    const letterhead = { ...base, ...block, numberSuffix: base.numberSuffix.replace(/^BC/, 'BB'), people: await peopleOf(trx, review) };
    const decisions = (await listDecisions(trx, id)).map((d) => ({
      seq: d.seq,
      kind: d.kind,
      description: d.description,
      owner: d.owner_name,
      due: d.due_date,
    }));
    const packJson = JSON.stringify(pack);
    const letterheadJson = JSON.stringify(letterhead);
    const sha = contentHash(
      review.code,
      review.period_from,
      review.period_to,
      review.held_on,
      review.place,
      packJson,
      letterheadJson,
      JSON.stringify(parseAssessments(review.assessments)),
      review.conclusions,
      JSON.stringify(decisions),
    );
    const signatureId = await sign(trx, signer, { entity: REVIEW_ENTITY, entityId: id, meaning: 'approved', contentSha256: sha }, at);
    await lockDecisions(trx, id);
    const ok = await updateReviewSigned(
      trx,
      id,
      {
        pack_json: packJson,
        letterhead_json: letterheadJson,
        as_of: pack.asOf,
        content_sha256: sha,
        signature_id: signatureId,
        signed_by: signer.userId,
        signed_at: at.toISOString(),
      },
      version,
    );
    if (!ok) throw new Conflict('error.edit_conflict');
    await record(
      trx,
      {
        userId: signer.userId,
        action: 'sign',
        entity: REVIEW_ENTITY,
        entityId: id,
        old: { status: 'draft' },
        new: { status: 'signed', as_of: pack.asOf, sha256: sha, signature: signatureId },
      },
      at,
    );
  });
}
