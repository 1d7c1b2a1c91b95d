import type { Selectable } from 'kysely';
import type { Db } from '../../core/db/database';
import type { AuditLogTable } from '../../core/db/schema';

export interface AuditLogFilter {
  entity?: string;
  entityId?: string;
  action?: string;
  userId?: number;
  /** UTC ISO bounds, inclusive from, exclusive to. */
  fromUtc?: string;
  toUtc?: string;
}

/** An audit-log entry with the full name of its user (null when none). */
export type AuditLogRow = Pick<
  Selectable<AuditLogTable>,
  'id' | 'at' | 'user_id' | 'action' | 'entity' | 'entity_id' | 'old_values' | 'new_values' | 'reason'
> & {
  user_name: string | null;
};

function filtered(db: Db, f: AuditLogFilter) {
  let q = db.selectFrom('audit_log').leftJoin('users', 'users.id', 'audit_log.user_id');
  if (f.entity) q = q.where('audit_log.entity', '=', f.entity);
  if (f.entityId) q = q.where('audit_log.entity_id', '=', f.entityId);
  if (f.action) q = q.where('audit_log.action', '=', f.action);
  if (f.userId) q = q.where('audit_log.user_id', '=', f.userId);
  if (f.fromUtc) q = q.where('audit_log.at', '>=', f.fromUtc);
  if (f.toUtc) q = q.where('audit_log.at', '<', f.toUtc);
  return q;
}

export function listAuditLog(db: Db, f: AuditLogFilter, limit: number, offset: number): Promise<AuditLogRow[]> {
  return filtered(db, f)
    .select([
      'audit_log.id',
      'audit_log.at',
      'audit_log.user_id',
      'users.full_name as user_name',
      'audit_log.action',
      'audit_log.entity',
      'audit_log.entity_id',
      'audit_log.old_values',
      'audit_log.new_values',
      'audit_log.reason',
    ])
    .orderBy('audit_log.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function countAuditLog(db: Db, f: AuditLogFilter): Promise<number> {
  const row = await filtered(db, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listAuditEntities(db: Db): Promise<string[]> {
  return (await db.selectFrom('audit_log').select('entity').distinct().orderBy('entity').execute()).map((r) => r.entity);
}

export async function listAuditActions(db: Db): Promise<string[]> {
  return (await db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute()).map((r) => r.action);
}
