import type { Request } from 'express';
import type { AppContext } from '../../core/context';
import { failField, type FormView } from '../../core/http/forms';
import { NotFound } from '../../core/http/errors';
import { idParam } from '../../core/http/params';
import { findAudit, type AuditRow } from './audits.queries';
import { AuditFieldError } from './audits.validate';

/** Small helpers the audit route files share. */

/** Runs a service call; a rule broken about one field becomes a 422 with the message next to that field. */
export async function withFieldErrors<T>(body: unknown, view: FormView, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AuditFieldError) failField(err.field, err.key, (body ?? {}) as Record<string, unknown>, view, err.params);
    throw err;
  }
}

export async function loadAudit(ctx: AppContext, req: Request): Promise<AuditRow> {
  const audit = await findAudit(ctx.db, idParam(req));
  if (!audit) throw new NotFound();
  return audit;
}

/** A programme year from the path: 2000–2100, else 404. */
export function yearParam(req: Request): number {
  const raw = req.params.year;
  if (typeof raw !== 'string' || !/^\d{4}$/.test(raw)) throw new NotFound();
  const year = Number(raw);
  if (year < 2000 || year > 2100) throw new NotFound();
  return year;
}
