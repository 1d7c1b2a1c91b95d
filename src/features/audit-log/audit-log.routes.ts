import { TZDate } from '@date-fns/tz';
import { addDays } from 'date-fns/addDays';
import type { AppContext } from '../../core/context';
import { isIsoDate } from '../../core/calendar';
import { pageParam, pager, queryText } from '../../core/http/params';
import { ADMIN } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { listUsers } from '../users/users.queries';
import { findOrganisation } from '../organisation/organisation.queries';
import { countAuditLog, listAuditActions, listAuditEntities, listAuditLog, type AuditLogFilter } from './audit-log.queries';

const PAGE_SIZE = 50;

/** Start of a local calendar date in the zone, as a UTC ISO instant. */
function localDayStartUtc(date: string, timeZone: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new TZDate(y, m - 1, d, timeZone).toISOString();
}

const pretty = (json: string | null) => {
  if (json === null) return '';
  try {
    return JSON.stringify(JSON.parse(json), null, 1);
  } catch {
    return json;
  }
};

export function auditLogRoutes(ctx: AppContext): RouteTable {
  return new RouteTable().get('/admin/audit-log', ADMIN, async (req, res) => {
    const tz = (await findOrganisation(ctx.db))?.time_zone ?? ctx.config.timeZone;
    const from = queryText(req, 'from', 10);
    const to = queryText(req, 'to', 10);
    const user = queryText(req, 'user', 12);
    const filter: AuditLogFilter = {
      entity: queryText(req, 'entity', 50),
      entityId: queryText(req, 'entity_id', 50),
      action: queryText(req, 'action', 50),
      userId: user && /^\d+$/.test(user) ? Number(user) : undefined,
      fromUtc: from && isIsoDate(from) ? localDayStartUtc(from, tz) : undefined,
      toUtc:
        to && isIsoDate(to)
          ? localDayStartUtc(
              addDays(new Date(`${to}T12:00:00Z`), 1)
                .toISOString()
                .slice(0, 10),
              tz,
            )
          : undefined,
    };
    const page = pageParam(req);
    const total = await countAuditLog(ctx.db, filter);
    const rows = (await listAuditLog(ctx.db, filter, PAGE_SIZE, (page - 1) * PAGE_SIZE)).map((r) => ({
      ...r,
      old_pretty: pretty(r.old_values),
      new_pretty: pretty(r.new_values),
    }));
    const query = { entity: filter.entity, entity_id: filter.entityId, action: filter.action, user, from, to };
    res.render('audit-log/index', {
      pageTitle: 'audit_log.title',
      rows,
      total,
      entities: await listAuditEntities(ctx.db),
      actions: await listAuditActions(ctx.db),
      users: await listUsers(ctx.db),
      filter: query,
      pager: pager(page, PAGE_SIZE, total, query),
    });
  });
}
