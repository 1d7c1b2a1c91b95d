import type { AppContext } from '../../core/context';
import { record } from '../../core/audit-log/audit-log';
import type { StoredFile } from '../../core/files';
import { Conflict, NotFound } from '../../core/http/errors';
import { periodsOf } from './objectives.model';
import { findObjective, findReading, insertReading, isSuperseded, listReadings } from './objectives.queries';
import { ObjectiveFieldError } from './objectives.service';

/**
 * Manual readings of an approved objective (its results, not its plan: added after the approval). One reading per
 * measurement period; a reading is never changed or deleted (triggers): it is corrected by a new reading that
 * supersedes it, with a reason, and the period's value is the latest correction's. The evidence file is stored before
 * the transaction (keepUpload); the reading and its audit-log entry commit together.
 */
export interface ReadingInput {
  period: string;
  value: number;
  note: string;
  /** A correction: the reading it corrects, and why. */
  supersedesId?: number;
  reason?: string;
}

export async function addReading(
  ctx: AppContext,
  objectiveId: number,
  input: ReadingInput,
  file: StoredFile | undefined,
  actorId: number,
  today: string,
): Promise<number> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const objective = await findObjective(trx, objectiveId);
    if (!objective) throw new NotFound();
    if (objective.status !== 'active') throw new Conflict('objectives.already_cancelled');
    if (objective.indicator !== 'manual') throw new Conflict('objectives.readings.computed');
    if (objective.locked !== 1) throw new Conflict('objectives.readings.not_approved');
    const period = periodsOf(objective.year, objective.frequency).find((p) => p.key === input.period);
    if (!period) throw new ObjectiveFieldError('period', 'validation.invalid_choice');
    if (period.from > today) throw new ObjectiveFieldError('period', 'objectives.readings.not_started');
    if (input.supersedesId !== undefined) {
      const corrected = await findReading(trx, input.supersedesId);
      if (!corrected || corrected.objective_id !== objectiveId || corrected.period !== input.period) throw new NotFound();
      if (await isSuperseded(trx, corrected.id)) throw new ObjectiveFieldError('_form', 'objectives.readings.already_corrected');
      if (!input.reason) throw new ObjectiveFieldError('reason', 'validation.required');
    } else if ((await listReadings(trx, [objectiveId])).some((r) => r.period === input.period)) {
      throw new ObjectiveFieldError('period', 'objectives.readings.period_taken');
    }
    const id = await insertReading(trx, {
      objective_id: objectiveId,
      period: input.period,
      value: input.value,
      note: input.note,
      file_sha256: file?.sha256 ?? null,
      file_name: file?.originalName ?? null,
      file_mime: file?.mime ?? null,
      supersedes_id: input.supersedesId ?? null,
      correction_reason: input.supersedesId !== undefined ? input.reason! : null,
      recorded_by: actorId,
      recorded_at: at.toISOString(),
    });
    await record(
      trx,
      {
        userId: actorId,
        action: input.supersedesId !== undefined ? 'correct' : 'create',
        entity: 'objective_reading',
        entityId: id,
        new: {
          objective: objective.seq,
          year: objective.year,
          period: input.period,
          value: input.value,
          note: input.note,
          supersedes: input.supersedesId ?? null,
          file: file ? { sha256: file.sha256, name: file.originalName } : null,
        },
        reason: input.reason ?? null,
      },
      at,
    );
    return id;
  });
}
