import type { Request } from 'express';
import type { AppContext } from '../../core/context';
import { toDayNumber, weekdayOf } from '../../core/calendar/dates';
import { failField, parseForm } from '../../core/http/forms';
import { BadRequest, NotFound } from '../../core/http/errors';
import { idParam, queryText } from '../../core/http/params';
import { ADMIN } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { uploadToMemory } from '../../core/http/upload';
import { ImportHeaderError, ImportRowsError, importFailureLocals } from '../../core/import';
import { findEffectiveHolidayOn, findHoliday, listHolidaysOfYear, listHolidayYears, type HolidayRow } from './holidays.queries';
import { CancelHolidayForm, FixedHolidaysForm, HOLIDAY_KINDS, HolidayEditForm, HolidayForm, isWeekend } from './holidays.schemas';
import { cancelHoliday, confirmFixedHolidays, createHoliday, editHoliday, HolidayDateTaken, type HolidayChange } from './holidays.service';
import { importHolidays } from './holidays.import';
import { timeZoneOf, todayOf } from '../../core/http/today';
import { yearsWithoutCalendar } from './holidays.coverage';
import { vi } from './holidays.i18n';
import { adjacentDaysOf, fixedHolidaysOf, type FixedHoliday } from './holidays.model';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';

const FORM = 'holidays/form';
const IMPORT = 'holidays/import';
const CANCEL = 'holidays/cancel';
const kindOptions = HOLIDAY_KINDS.map((value) => ({ value }));
const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

const FIXED = 'holidays/fixed';

const yearOf = (date: string) => Number(date.slice(0, 4));

/** The flash of a change: how many dossiers' due dates moved, when any did. */
const changeFlash = (change: HolidayChange, plain: string, moved: string) =>
  change.dossiersMoved > 0 ? { kind: 'success' as const, key: moved, params: { n: change.dossiersMoved } } : { kind: 'success' as const, key: plain };

/** A year from ?year (four digits, 1900 on), else `fallback`. */
const askedYear = (req: Request, fallback: number) => {
  const asked = queryText(req, 'year', 4);
  return asked && /^\d{4}$/.test(asked) && Number(asked) >= 1900 ? Number(asked) : fallback;
};

/** A year's fixed public holidays and the adjacent-day candidates, each with the entry in force on it (everyone's or the organisation's own). */
async function fixedOffer(db: Db, year: number) {
  const withEntry = async (h: FixedHoliday) => ({
    ...h,
    value: h.date.slice(5),
    weekday: weekdayOf(toDayNumber(h.date)),
    entry: await findEffectiveHolidayOn(db, h.date),
  });
  const fixed = await Promise.all(fixedHolidaysOf(year).map(withEntry));
  const adjacent = await Promise.all(adjacentDaysOf(year).map(withEntry));
  const adjacentTaken = adjacent.find((a) => a.entry?.kind === 'holiday');
  return { year, fixed, adjacent, adjacentTaken, missing: fixed.filter((f) => !f.entry).length + (adjacentTaken ? 0 : 1) };
}

/**
 * The year's entries as the admin's page lists them: everyone's days (the country's calendar, read-only here) and the
 * organisation's own (`own`, which it edits), `overridden` when an own entry in force stands in place of everyone's
 * entry of that date, `inForce` when the entry counts in the organisation's calendar.
 */
function markedEntries(rows: HolidayRow[]) {
  const ownDates = new Set(rows.filter((h) => h.organisation_id !== null && !h.cancelled).map((h) => h.date));
  return rows.map((h) => {
    const own = h.organisation_id !== null;
    const overridden = !own && !h.cancelled && ownDates.has(h.date);
    return { ...h, own, overridden, inForce: !h.cancelled && !overridden, weekday: weekdayOf(toDayNumber(h.date)) };
  });
}

export function holidaysRoutes(ctx: AppContext): RouteTable {
  /** Rules beyond the schema: a make-up working day falls on a weekend. */
  const checkKind = (form: { date: string; kind: string }, req: Request, view: { view: string; locals: Record<string, unknown> }) => {
    if (form.kind === 'workday' && !isWeekend(form.date)) failField('kind', 'holidays.workday_weekend', req.body, view);
  };

  return new RouteTable()
    .get('/admin/holidays', ADMIN, async (req, res) => {
      const thisYear = yearOf(todayOf(res));
      const year = askedYear(req, thisYear);
      const offerYear = year > thisYear ? year : thisYear + 1;
      const offer = await fixedOffer(ctx.db, offerYear);
      const years = new Set([...(await listHolidayYears(ctx.db)), thisYear - 1, thisYear, thisYear + 1, year]);
      const entries = markedEntries(await listHolidaysOfYear(ctx.db, year));
      res.render('holidays/index', {
        pageTitle: 'holidays.title',
        year,
        years: [...years].sort((a, b) => b - a).map((y) => ({ year: y, current: y === year })),
        entries,
        withoutCalendar: (await yearsWithoutCalendar(ctx.db, [year])).length > 0,
        offer: offer.missing > 0 ? offer : null,
        counts: {
          holidays: entries.filter((e) => e.inForce && e.kind === 'holiday').length,
          workdays: entries.filter((e) => e.inForce && e.kind === 'workday').length,
        },
      });
    })
    .get('/admin/holidays/new', ADMIN, (_req, res) => {
      res.render(FORM, { pageTitle: 'holidays.new', kindOptions, values: { kind: 'holiday' }, errors: {} });
    })
    .post('/admin/holidays', ADMIN, async (req, res) => {
      const view = { view: FORM, locals: { pageTitle: 'holidays.new', kindOptions } };
      const form = parseForm(HolidayForm, req.body, view);
      checkKind(form, req, view);
      let change: HolidayChange;
      try {
        change = await createHoliday(ctx, { date: form.date, kind: form.kind, name: form.name ?? '' }, req.user!.id);
      } catch (err) {
        if (err instanceof HolidayDateTaken) failField('date', 'holidays.date_taken', req.body, view);
        throw err;
      }
      await setFlash(ctx, req, changeFlash(change, 'flash.created', 'holidays.created_moved'));
      res.redirect(303, `/admin/holidays?year=${yearOf(form.date)}`);
    })
    .get('/admin/holidays/fixed', ADMIN, async (req, res) => {
      const offer = await fixedOffer(ctx.db, askedYear(req, yearOf(todayOf(res)) + 1));
      const values = { fixed: offer.fixed.filter((f) => !f.entry).map((f) => f.date.slice(5)) };
      res.render(FIXED, { pageTitle: 'holidays.fixed_title', offer, values, errors: {} });
    })
    .post('/admin/holidays/fixed', ADMIN, async (req, res) => {
      const year = Number(String((req.body as Record<string, unknown>)?.year ?? ''));
      const offer = await fixedOffer(ctx.db, Number.isSafeInteger(year) && year >= 1900 && year <= 9999 ? year : yearOf(todayOf(res)) + 1);
      const view = { view: FIXED, locals: { pageTitle: 'holidays.fixed_title', offer } };
      const form = parseForm(FixedHolidaysForm, req.body, view);
      if (form.fixed.length === 0 && !form.adjacent) failField('fixed', 'holidays.fixed_none', req.body, view);
      const chosen = [
        ...fixedHolidaysOf(form.year).filter((h) => form.fixed.includes(h.date.slice(5) as never)),
        ...adjacentDaysOf(form.year).filter((h) => h.date.slice(5) === form.adjacent),
      ]
        .sort((a, b) => a.date.localeCompare(b.date))
        .map((h) => ({ date: h.date, kind: 'holiday' as const, name: vi[`holidays.fixed.${h.key}`] }));
      const s = await confirmFixedHolidays(ctx, chosen, req.user!.id);
      await setFlash(ctx, req, { kind: 'success', key: 'holidays.fixed_done', params: { added: s.added, already: s.alreadyThere, n: s.dossiersMoved } });
      res.redirect(303, `/admin/holidays?year=${form.year}`);
    })
    .get('/admin/holidays/import', ADMIN, (_req, res) => {
      res.render(IMPORT, { pageTitle: 'holidays.import' });
    })
    .post('/admin/holidays/import', ADMIN, uploadToMemory('file', MAX_IMPORT_BYTES), async (req, res) => {
      if (!req.file) throw new BadRequest('holidays.import_no_file');
      try {
        // The admin's file holds the organisation's own days (everyone's days come from the CLI's import).
        const file = { buffer: req.file.buffer };
        const summary = await importHolidays(ctx, file, req.file.originalname.slice(0, 200), req.user!.id, timeZoneOf(res), organisationOf(ctx.db));
        const key = summary.dossiersMoved > 0 ? 'holidays.import_done_moved' : 'holidays.import_done';
        await setFlash(ctx, req, { kind: 'success', key, params: { ...summary } });
        res.redirect(303, '/admin/holidays');
      } catch (err) {
        if (err instanceof ImportRowsError || err instanceof ImportHeaderError) {
          res.status(422).render(IMPORT, { pageTitle: 'holidays.import', ...importFailureLocals(err, req.lang) });
          return;
        }
        throw err;
      }
    })
    .get('/admin/holidays/:id/edit', ADMIN, async (req, res) => {
      const holiday = await findHoliday(ctx.db, idParam(req));
      if (!holiday) throw new NotFound();
      res.render(FORM, { pageTitle: 'holidays.edit', holiday, kindOptions, values: holiday, errors: {} });
    })
    .post('/admin/holidays/:id', ADMIN, async (req, res) => {
      const holiday = await findHoliday(ctx.db, idParam(req));
      if (!holiday) throw new NotFound();
      const view = { view: FORM, locals: { pageTitle: 'holidays.edit', holiday, kindOptions } };
      const form = parseForm(HolidayEditForm, req.body, view);
      checkKind(form, req, view);
      let change: HolidayChange;
      try {
        change = await editHoliday(ctx, holiday.id, { date: form.date, kind: form.kind, name: form.name ?? '' }, form.version, req.user!.id);
      } catch (err) {
        if (err instanceof HolidayDateTaken) failField('date', 'holidays.date_taken', req.body, view);
        throw err;
      }
      await setFlash(ctx, req, changeFlash(change, 'flash.saved', 'holidays.saved_moved'));
      res.redirect(303, `/admin/holidays?year=${yearOf(form.date)}`);
    })
    .get('/admin/holidays/:id/cancel', ADMIN, async (req, res) => {
      const holiday = await findHoliday(ctx.db, idParam(req));
      if (!holiday) throw new NotFound();
      res.render(CANCEL, { pageTitle: 'holidays.cancel', holiday, values: {}, errors: {} });
    })
    .post('/admin/holidays/:id/cancel', ADMIN, async (req, res) => {
      const holiday = await findHoliday(ctx.db, idParam(req));
      if (!holiday) throw new NotFound();
      const view = { view: CANCEL, locals: { pageTitle: 'holidays.cancel', holiday } };
      const form = parseForm(CancelHolidayForm, req.body, view);
      const change = await cancelHoliday(ctx, holiday.id, form.version, form.reason, req.user!.id);
      await setFlash(ctx, req, changeFlash(change, 'holidays.cancelled_flash', 'holidays.cancelled_moved'));
      res.redirect(303, `/admin/holidays?year=${yearOf(holiday.date)}`);
    });
}
