import type { Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import { scopedDb, withoutOrganisation } from '../../core/db/scope';
import { queryText } from '../../core/http/params';
import { OVERSEERS } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { timeZoneOf, todayOf } from '../../core/http/today';
import { formatNumber } from '../../core/views/format';
import { findOrganisation } from '../organisation/organisation.queries';
import { letterheadOf } from '../organisation/organisation.print';
import { safeFileName, toCsv } from '../reports/reports.csv';
import { sendDownload } from '../reports/reports.http';
import { oversightTable, oversightXlsx, rowView } from './oversight.exports';
import { buildOversight, filterAndSort, OVERSIGHT_KINDS, SORT_KEYS, type OversightFilter, type SortKey } from './oversight.service';

/**
 * GET /oversight (and .csv, .xlsx, /print): every organisation under the signed-in user's own, with its QMS state,
 * for the Department of Science and Technology (inspector) and a parent organisation's admin. Always the subtree of
 * the user's OWN organisation (req.user.organisation_id), whichever organisation the session works in.
 */
interface Raw {
  kind?: string;
  q?: string;
  problems?: string;
  sort?: string;
  dir?: string;
}

function filterOf(req: Request): { filter: OversightFilter; raw: Raw } {
  const kind = queryText(req, 'kind', 20);
  const q = queryText(req, 'q', 100);
  const problems = queryText(req, 'problems', 1) === '1';
  const sort = queryText(req, 'sort', 30);
  const dir = queryText(req, 'dir', 4);
  const filter: OversightFilter = {
    kind: kind && (OVERSIGHT_KINDS as readonly string[]).includes(kind) ? kind : undefined,
    q,
    problems,
    sort: sort && (SORT_KEYS as readonly string[]).includes(sort) ? (sort as SortKey) : undefined,
    dir: dir === 'desc' ? 'desc' : 'asc',
  };
  const raw: Raw = { kind: filter.kind, q, problems: problems ? '1' : undefined, sort: filter.sort, dir: filter.sort ? filter.dir : undefined };
  return { filter, raw };
}

const queryString = (keep: Raw, extra: Record<string, string | undefined> = {}) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...keep, ...extra })) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
};

async function load(ctx: AppContext, req: Request, res: Response) {
  const ownId = req.user!.organisation_id;
  const today = todayOf(res);
  const data = await buildOversight(ctx, ownId, today);
  const { filter, raw } = filterOf(req);
  return { ownId, today, data, rows: filterAndSort(data.rows, filter), raw };
}

const fileName = (today: string, ext: string) => safeFileName(`giam-sat-htqlcl-${today}.${ext}`);

export function oversightRoutes(ctx: AppContext): RouteTable {
  const page = async (req: Request, res: Response, view: 'oversight/index' | 'oversight/print') => {
    const { ownId, today, data, rows, raw } = await load(ctx, req, res);
    const lang = req.lang ?? 'vi';
    const q = queryString(raw);
    // The letterhead is the viewing user's own organisation (not the one a drill-down may have chosen).
    const own = await findOrganisation(scopedDb(withoutOrganisation(ctx.db), ownId));
    const sortLinks = SORT_KEYS.map((key) => {
      const current = raw.sort === key;
      const dir = current && raw.dir === 'asc' ? 'desc' : 'asc';
      return {
        key,
        href: `/oversight${queryString(raw, { sort: key, dir })}`,
        ariaSort: current ? (raw.dir === 'desc' ? 'descending' : 'ascending') : undefined,
        dirText: current ? (raw.dir === 'desc' ? '▼' : '▲') : '',
      };
    });
    res.render(view, {
      pageTitle: view === 'oversight/index' ? 'oversight.title' : 'oversight.print_title',
      rows: rows.map((r, i) => rowView(r, i + 1, ownId, lang, timeZoneOf(res))),
      count: formatNumber(rows.length, lang),
      period: data.period,
      today,
      filter: raw,
      kinds: OVERSIGHT_KINDS,
      columns: sortLinks,
      sortable: view === 'oversight/index',
      lh: letterheadOf(own, today),
      exports: { csv: `/oversight.csv${q}`, xlsx: `/oversight.xlsx${q}`, print: `/oversight/print${q}` },
      back: `/oversight${q}`,
    });
  };
  return new RouteTable()
    .get('/oversight.csv', OVERSEERS, async (req, res) => {
      const { data, rows } = await load(ctx, req, res);
      const t = oversightTable(data, rows, req.lang ?? 'vi');
      sendDownload(res, toCsv([t.keys, ...t.rows]), 'text/csv; charset=utf-8', fileName(data.today, 'csv'));
    })
    .get('/oversight.xlsx', OVERSEERS, async (req, res) => {
      const { data, rows } = await load(ctx, req, res);
      const body = await oversightXlsx(data, rows, req.lang ?? 'vi');
      sendDownload(res, body, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName(data.today, 'xlsx'));
    })
    .get('/oversight/print', OVERSEERS, (req, res) => page(req, res, 'oversight/print'))
    .get('/oversight', OVERSEERS, (req, res) => page(req, res, 'oversight/index'));
}
