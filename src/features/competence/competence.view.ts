import type { Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import { todayOf } from '../../core/http/today';
import { matrixStatus } from './competence.planning';
import { listPeopleOptions, listTrainingRecords, type TrainingRow } from './competence.queries';
import { TRAINING_KINDS } from './competence.tables';

/** Locals the competence pages share: pickers, a record's state today, one person's records. */
export const canManage = (req: Request) => req.user?.role === 'admin' || req.user?.role === 'quality_officer';

export const kindOptions = TRAINING_KINDS.map((value) => ({ value }));

/** People to choose: the active ones, and inactive ones already chosen (`keep`). */
export async function personOptions(ctx: AppContext, keep: number[]) {
  const users = await listPeopleOptions(ctx.db);
  return users
    .filter((u) => u.active === 1 || keep.includes(u.id))
    .map((u) => ({ value: u.id, label: `${u.full_name}${u.unit_code ? ` (${u.unit_code})` : ''}` }));
}

export async function formLocals(ctx: AppContext, keep: number[]) {
  return { userOptions: await personOptions(ctx, keep), kindOptions };
}

/** A record's state today: cancelled, expired (its expiry before today), or in force. */
export function withStatus(rows: TrainingRow[], res: Response) {
  const today = todayOf(res);
  return rows.map((r) => ({
    ...r,
    state: r.status === 'cancelled' ? 'cancelled' : r.expires_on !== null && r.expires_on < today ? 'expired' : 'active',
  }));
}

/** One person's records (every one, cancelled too) and their auditor qualification today. */
export async function trainingLocals(ctx: AppContext, res: Response, userId: number) {
  const rows = await listTrainingRecords(ctx.db, { userId }, 1000, 0);
  const quals = rows.filter((r) => r.status === 'active' && (r.kind === 'internal_auditor' || r.kind === 'lead_auditor'));
  return { records: withStatus(rows, res), qualification: matrixStatus(quals, todayOf(res)) };
}
