import type { AppContext } from '../../core/context';
import { record } from '../../core/audit-log/audit-log';
import { todayLocal } from '../../core/calendar';
import { Conflict, Forbidden, NotFound } from '../../core/http/errors';
import { contentHash, sign, type Signer } from '../../core/security/signatures';
import { findOrganisation } from '../organisation/organisation.queries';
import { letterheadOfKind, signedBlock } from '../organisation/organisation.signers.print';
import { computeAnnualFigures, parseNarratives, type Narratives } from './reports.annual.figures';
import { findAnnualReport, insertAnnualReport, updateAnnualDraft, updateAnnualIssued } from './reports.annual.queries';

/**
 * The annual report's life: a draft whose narratives the quality officer or a leader edits, then issued by a
 * leader's e-signature, which freezes the figures, the narratives and the letterhead. An issued report never
 * changes: the service refuses (409) and the database trigger would refuse too.
 */
export const ANNUAL_ENTITY = 'annual_report';

export interface DraftInput {
  narratives: Narratives;
  numberText: string | null;
  /** The version the form was loaded with; undefined when starting a new draft. */
  version?: number;
}

/** Creates the year's draft, or saves its narratives; returns the report id. */
export async function saveAnnualDraft(ctx: AppContext, year: number, input: DraftInput, actorId: number): Promise<number> {
  const at = ctx.clock.now();
  const narratives = JSON.stringify(input.narratives);
  return ctx.db.transaction().execute(async (trx) => {
    const existing = await findAnnualReport(trx, year);
    if (!existing) {
      if (input.version !== undefined) throw new Conflict('error.edit_conflict');
      const id = await insertAnnualReport(trx, { year, narratives, number_text: input.numberText, created_by: actorId }, at.toISOString());
      await record(
        trx,
        { userId: actorId, action: 'create', entity: ANNUAL_ENTITY, entityId: id, new: { year, narratives: input.narratives, number_text: input.numberText } },
        at,
      );
      return id;
    }
    if (existing.status === 'issued') throw new Conflict('reports.annual.already_issued');
    if (input.version === undefined) throw new Conflict('reports.annual.exists');
    if (!(await updateAnnualDraft(trx, existing.id, { narratives, number_text: input.numberText }, input.version, at.toISOString()))) {
      throw new Conflict('error.edit_conflict');
    }
    await record(
      trx,
      {
        userId: actorId,
        action: 'update',
        entity: ANNUAL_ENTITY,
        entityId: existing.id,
        old: { narratives: parseNarratives(existing.narratives), number_text: existing.number_text },
        new: { narratives: input.narratives, number_text: input.numberText },
      },
      at,
    );
    return existing.id;
  });
}

/**
 * Issues the year's draft: computes the figures as of today, freezes them with the narratives and the
 * letterhead, and signs the whole. The signer's password was checked by checkSigner before this call.
 */
export async function issueAnnualReport(ctx: AppContext, year: number, version: number, signer: Signer): Promise<void> {
  if (signer.role !== 'leader') throw new Forbidden();
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const report = await findAnnualReport(trx, year);
    if (!report) throw new NotFound();
    if (report.status === 'issued') throw new Conflict('reports.annual.already_issued');
    if (report.version !== version) throw new Conflict('error.edit_conflict');
    const org = await findOrganisation(trx);
    const timeZone = org?.time_zone ?? ctx.config.timeZone;
    const today = todayLocal(at, timeZone);
    const figures = await computeAnnualFigures(trx, year, today, timeZone);
    // The block of the signer (KT./TL./TUQ. with their own name when not the head) and the annual report's recipients, frozen.
    const letterhead = await signedBlock(trx, await letterheadOfKind(trx, 'annual', today, report.number_text ?? '', org), {
      user_id: signer.userId,
      signer_name: signer.name,
    });
    const figuresJson = JSON.stringify(figures);
    const letterheadJson = JSON.stringify(letterhead);
    const narrativesJson = JSON.stringify(parseNarratives(report.narratives));
    const sha = contentHash(String(year), figuresJson, narrativesJson, letterheadJson);
    const signatureId = await sign(trx, signer, { entity: ANNUAL_ENTITY, entityId: report.id, meaning: 'issue', contentSha256: sha }, at);
    const ok = await updateAnnualIssued(
      trx,
      report.id,
      {
        figures_json: figuresJson,
        letterhead_json: letterheadJson,
        as_of: figures.period.to,
        content_sha256: sha,
        signature_id: signatureId,
        issued_by: signer.userId,
        issued_at: at.toISOString(),
      },
      version,
    );
    if (!ok) throw new Conflict('error.edit_conflict');
    await record(
      trx,
      {
        userId: signer.userId,
        action: 'issue',
        entity: ANNUAL_ENTITY,
        entityId: report.id,
        old: { status: 'draft' },
        new: { status: 'issued', as_of: figures.period.to, sha256: sha, signature: signatureId },
      },
      at,
    );
  });
}
