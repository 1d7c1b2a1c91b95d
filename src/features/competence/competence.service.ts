import type { AppContext } from '../../core/context';
import type { Db } from '../../core/db/database';
import { record } from '../../core/audit-log/audit-log';
import { Conflict, NotFound } from '../../core/http/errors';
import { findUser } from '../users/users.queries';
import {
  cancelTrainingRow,
  findGrant,
  findStandingGrant,
  findTrainingRecord,
  insertGrant,
  insertTrainingRecord,
  revokeGrantRow,
  setCertificateFile,
  updateTrainingRecord,
  type TrainingChanges,
} from './competence.queries';

/** A rule of a training record or grant broken about one field: the form shows the message next to it. */
export class CompetenceFieldError extends Error {
  constructor(
    readonly field: string,
    readonly key: string,
  ) {
    super(key);
  }
}

export type TrainingInput = TrainingChanges;

async function checkTraining(trx: Db, input: TrainingInput): Promise<void> {
  const user = await findUser(trx, input.user_id);
  if (!user) throw new CompetenceFieldError('user_id', 'validation.invalid_choice');
  if (input.expires_on !== null && input.expires_on < input.held_on) throw new CompetenceFieldError('expires_on', 'competence.expires_before_held');
}

/** Records a course or qualification of one person, with its audit-log entry. */
export async function createTraining(ctx: AppContext, input: TrainingInput, actorId: number): Promise<number> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    await checkTraining(trx, input);
    const id = await insertTrainingRecord(trx, { ...input, created_by: actorId, created_at: at.toISOString(), updated_at: at.toISOString() });
    await record(trx, { userId: actorId, action: 'create', entity: 'training_record', entityId: id, new: input }, at);
    return id;
  });
}

/** Corrects an active record at the version the form was shown with (409 when it changed meanwhile). */
export async function editTraining(ctx: AppContext, id: number, input: TrainingInput, version: number, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findTrainingRecord(trx, id);
    if (!before) throw new NotFound();
    if (before.status !== 'active') throw new Conflict('competence.cancelled_record');
    await checkTraining(trx, input);
    if (!(await updateTrainingRecord(trx, id, input, version, at.toISOString()))) throw new Conflict('error.conflict');
    const old: Record<string, unknown> = {};
    for (const k of Object.keys(input) as (keyof TrainingInput)[]) old[k] = before[k];
    await record(trx, { userId: actorId, action: 'update', entity: 'training_record', entityId: id, old, new: input }, at);
  });
}

/** Cancels a record entered by mistake: it stays, marked cancelled, with the reason. */
export async function cancelTraining(ctx: AppContext, id: number, reason: string, version: number, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findTrainingRecord(trx, id);
    if (!before) throw new NotFound();
    if (!(await cancelTrainingRow(trx, id, reason, version, at.toISOString()))) throw new Conflict('error.conflict');
    await record(
      trx,
      { userId: actorId, action: 'cancel', entity: 'training_record', entityId: id, old: { status: 'active' }, new: { status: 'cancelled' }, reason },
      at,
    );
  });
}

/** Attaches the certificate's scan to an active record (the file is kept by keepUpload in this transaction). */
export async function attachCertificate(ctx: AppContext, id: number, file: { sha256: string; name: string }, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findTrainingRecord(trx, id);
    if (!before) throw new NotFound();
    if (!(await setCertificateFile(trx, id, file.sha256, file.name, at.toISOString()))) throw new Conflict('competence.cancelled_record');
    await record(
      trx,
      {
        userId: actorId,
        action: 'attach_certificate',
        entity: 'training_record',
        entityId: id,
        old: { sha256: before.certificate_sha256, name: before.certificate_name },
        new: file,
      },
      at,
    );
  });
}

/** Grants a person a clause of the matrix; 409 when a grant of that clause already stands. */
export async function grantClause(ctx: AppContext, input: { userId: number; clause: string; grantedOn: string }, actorId: number): Promise<number> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await findUser(trx, input.userId))) throw new CompetenceFieldError('user_id', 'validation.invalid_choice');
    if (await findStandingGrant(trx, input.userId, input.clause)) throw new Conflict('competence.grant_standing', { clause: input.clause });
    const row = { user_id: input.userId, clause: input.clause, granted_on: input.grantedOn, granted_by: actorId };
    const id = await insertGrant(trx, { ...row, created_at: at.toISOString(), updated_at: at.toISOString() });
    await record(trx, { userId: actorId, action: 'grant', entity: 'auditor_competence', entityId: id, new: row }, at);
    return id;
  });
}

/** Revokes a standing grant with a reason (kept, never deleted); 409 when it was revoked already. */
export async function revokeGrant(ctx: AppContext, id: number, on: string, reason: string, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const grant = await findGrant(trx, id);
    if (!grant) throw new NotFound();
    if (!(await revokeGrantRow(trx, id, on, actorId, reason, at.toISOString()))) throw new Conflict('competence.grant_revoked');
    await record(
      trx,
      { userId: actorId, action: 'revoke', entity: 'auditor_competence', entityId: id, old: { revoked_on: null }, new: { revoked_on: on }, reason },
      at,
    );
  });
}
