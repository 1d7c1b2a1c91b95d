import { TZDate } from '@date-fns/tz';
import type { AppContext } from '../../core/context';
import { addDays } from '../../core/calendar';
import type { FieldError } from '../../core/http/errors';
import { pageParam, pager, queryDate, queryText } from '../../core/http/params';
import { ADMIN } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { listUsers } from '../users/users.queries';
import { findOrganisation } from '../organisation/organisation.queries';
import { countAuditLog, findAuditRefs, listAuditActions, listAuditEntities, listAuditLog, type AuditLogFilter } from './audit-log.queries';
import { actionLabel, describeEntry, entityLabel } from './audit-log.view';

const PAGE_SIZE = 50;

/** Start of a local calendar date in the zone, as a UTC ISO instant. */
function localDayStartUtc(date: string, timeZone: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new TZDate(y, m - 1, d, timeZone).toISOString();
}

export function auditLogRoutes(ctx: AppContext): RouteTable {
  return new RouteTable().get('/admin/audit-log', ADMIN, async (req, res) => {
    const tz = (await findOrganisation(ctx.db))?.time_zone ?? ctx.config.timeZone;
    // Dates under the app's one date rule; a bad one answers 400 with its message next to the field, and no filter on it.
    const from = queryDate(req, 'from');
    const to = queryDate(req, 'to');
    const errors: Record<string, FieldError> = {};
    if (from.error) errors.from = from.error;
    if (to.error) errors.to = to.error;
    if (from.value && to.value && from.value > to.value) errors.to = { key: 'validation.date_order' };
    const user = queryText(req, 'user', 12);
    const filter: AuditLogFilter = {
      entity: queryText(req, 'entity', 50),
      entityId: queryText(req, 'entity_id', 50),
      action: queryText(req, 'action', 50),
      userId: user && /^\d+$/.test(user) ? Number(user) : undefined,
      fromUtc: from.value && !errors.from ? localDayStartUtc(from.value, tz) : undefined,
      toUtc: to.value && !errors.to ? localDayStartUtc(addDays(to.value, 1), tz) : undefined,
    };
    const invalid = Object.keys(errors).length > 0;
    const page = pageParam(req);
    const total = invalid ? 0 : await countAuditLog(ctx.db, filter);
    const found = invalid ? [] : await listAuditLog(ctx.db, filter, PAGE_SIZE, (page - 1) * PAGE_SIZE);
    // Entries read as sentences with their changes as "Field: old → new", never as raw JSON or keys.
    const refs = await findAuditRefs(ctx.db, found);
    const rows = found.map((r) => describeEntry(r, refs, req.lang, tz));
    const query = { entity: filter.entity, entity_id: filter.entityId, action: filter.action, user, from: from.raw, to: to.raw };
    res.status(invalid ? 400 : 200).render('audit-log/index', {
      pageTitle: 'audit_log.title',
      rows,
      total,
      entities: (await listAuditEntities(ctx.db)).map((value) => ({ value, label: entityLabel(req.lang, value) })),
      actions: (await listAuditActions(ctx.db)).map((value) => ({ value, label: actionLabel(req.lang, value) })),
      users: await listUsers(ctx.db),
      filter: query,
      errors,
      invalid,
      pager: pager(page, PAGE_SIZE, total, query),
    });
  });
}
