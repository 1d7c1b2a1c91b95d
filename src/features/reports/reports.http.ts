import type { Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import { translate } from '../../core/i18n';
import { letterheadOf, type DocKind, type Letterhead } from '../organisation/organisation.print';
import { chosenBlock, letterheadOfKind, type SignerChooser } from '../organisation/organisation.signers.print';
import { parsePeriod, presetOf, presetPeriods, type Period, type PeriodProblem } from './reports.periods';
import { todayOf } from '../../core/http/today';
import { yearsWithDueDates } from '../dossiers/dossiers.due';
import { yearsOfRange, yearsWithoutCalendar } from '../holidays/holidays.coverage';

/** Helpers shared by the report routes: the org-local today, the period picker, the letterhead, 400 answers. */
export function letterheadFor(ctx: AppContext, res: Response, numberText = ''): Letterhead {
  return letterheadOf(res.locals.org, todayOf(res), numberText);
}

/**
 * The letterhead of an unsigned print of a kind of document: its own recipients, and the signer chosen on the page
 * (`?signer=<id>`, the head by default) with the chooser the page shows.
 */
export async function printLetterheadFor(
  ctx: AppContext,
  req: Request,
  res: Response,
  kind: DocKind,
  numberText = '',
): Promise<{ lh: Letterhead; signerChooser?: SignerChooser; signerQuery?: string }> {
  const lh = await letterheadOfKind(ctx.db, kind, todayOf(res), numberText);
  return chosenBlock(ctx.db, lh, req.query);
}

export interface Picker {
  action: string;
  from?: string;
  to?: string;
  presets: { id: string; from: string; to: string; href: string; current: boolean }[];
  hidden: { name: string; value: string }[];
}

/** The period picker: one link per preset (keeping the other filters) and a custom from/to form. */
export function pickerFor(action: string, period: Partial<Period> | undefined, today: string, keep: Record<string, string | undefined> = {}): Picker {
  const current = period?.from && period?.to ? presetOf(period as Period, today) : undefined;
  const hidden = Object.entries(keep)
    .filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')
    .map(([name, value]) => ({ name, value }));
  return {
    action,
    from: period?.from,
    to: period?.to,
    presets: presetPeriods(today).map((p) => {
      const q = new URLSearchParams([...hidden.map((h) => [h.name, h.value] as [string, string]), ['from', p.from], ['to', p.to]]);
      return { id: p.id, from: p.from, to: p.to, href: `${action}?${q.toString()}`, current: p.id === current };
    }),
    hidden,
  };
}

export type PeriodResult = { period: Period } | { problem: PeriodProblem };

export function periodOf(req: Request): PeriodResult {
  return parsePeriod(req.query.from, req.query.to);
}

/** A 400 for a bad period: JSON with a readable message, plain text for CSV, or the page with the picker. */
export function sendPeriodProblem(
  req: Request,
  res: Response,
  format: 'html' | 'json' | 'csv' | 'xlsx' | 'docx',
  problem: PeriodProblem,
  locals: Record<string, unknown> = {},
): void {
  const message = translate(req.lang ?? 'vi', problem.key, problem.params);
  if (format === 'json') {
    res.status(400).json({ error: problem.key, message, params: problem.params });
  } else if (format === 'csv' || format === 'xlsx' || format === 'docx') {
    res.status(400).type('text/plain; charset=utf-8').send(`${message}\n`);
  } else {
    res.status(400).render('reports/period-error', { pageTitle: 'reports.period.title', message, ...locals });
  }
}

/** Sends a file as a download with a safe ASCII name. */
export function sendDownload(res: Response, body: string | Buffer, type: string, fileName: string): void {
  res.set('Content-Type', type);
  res.set('Content-Disposition', `attachment; filename="${fileName}"`);
  res.send(body);
}

/** How a status shows: a badge class and a symbol, so it never relies on colour alone. */
export function statusBadge(status: string): { status: string; badge: string; symbol: string } {
  if (status === 'compliant') return { status, badge: 'badge-ok', symbol: '✓' };
  if (status === 'attention') return { status, badge: 'badge-warn', symbol: '!' };
  return { status, badge: 'badge-bad', symbol: '✗' };
}

/**
 * The years without a declared holiday that a report's figures depend on (issue 20, point 3): those of the period up
 * to the date the figures are computed at, and the next year when a dossier is due in it (its due date was computed
 * as if the year had no holiday). Shown above the report so that nobody signs figures that will move.
 */
export async function calendarWarnings(ctx: AppContext, from: string, asOf: string): Promise<{ period: string; pending: string }> {
  const next = Number(asOf.slice(0, 4)) + 1;
  // The period's years and the next one in one statement (the next year is after every year of the period).
  const missing = await yearsWithoutCalendar(ctx.db, [...yearsOfRange(from, asOf), next]);
  const period = missing.filter((y) => y !== next);
  const pending = missing.includes(next) ? await yearsWithDueDates(ctx.db, [next]) : [];
  return { period: period.join(', '), pending: pending.join(', ') };
}
