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
import { findHoliday, listHolidaysOfYear, listHolidayYears } from './holidays.queries';
import { CancelHolidayForm, HOLIDAY_KINDS, HolidayEditForm, HolidayForm, isWeekend } from './holidays.schemas';
import { cancelHoliday, createHoliday, editHoliday, HolidayDateTaken } from './holidays.service';
import { importHolidays } from './holidays.import';
import { timeZoneOf, todayOf } from '../../core/http/today';

const FORM = 'holidays/form';
const IMPORT = 'holidays/import';
const CANCEL = 'holidays/cancel';
const kindOptions = HOLIDAY_KINDS.map((value) => ({ value }));
const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

const yearOf = (date: string) => Number(date.slice(0, 4));

export function holidaysRoutes(ctx: AppContext): RouteTable {
  /** Rules beyond the schema: a make-up working day falls on a weekend. */
  const checkKind = (form: { date: string; kind: string }, req: Request, view: { view: string; locals: Record<string, unknown> }) => {
    if (form.kind === 'workday' && !isWeekend(form.date)) failField('kind', 'holidays.workday_weekend', req.body, view);
  };

  return new RouteTable()
    .get('/admin/holidays', ADMIN, async (req, res) => {
      const asked = queryText(req, 'year', 4);
      const thisYear = yearOf(todayOf(res));
      const year = asked && /^\d{4}$/.test(asked) && Number(asked) >= 1900 ? Number(asked) : thisYear;
      const years = new Set([...(await listHolidayYears(ctx.db)), thisYear - 1, thisYear, thisYear + 1, year]);
      const entries = (await listHolidaysOfYear(ctx.db, year)).map((h) => ({ ...h, weekday: weekdayOf(toDayNumber(h.date)) }));
      res.render('holidays/index', {
        pageTitle: 'holidays.title',
        year,
        years: [...years].sort((a, b) => b - a).map((y) => ({ year: y, current: y === year })),
        entries,
        counts: {
          holidays: entries.filter((e) => !e.cancelled && e.kind === 'holiday').length,
          workdays: entries.filter((e) => !e.cancelled && e.kind === 'workday').length,
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
      try {
        await createHoliday(ctx, { date: form.date, kind: form.kind, name: form.name ?? '' }, req.user!.id);
      } catch (err) {
        if (err instanceof HolidayDateTaken) failField('date', 'holidays.date_taken', req.body, view);
        throw err;
      }
      await setFlash(ctx, req, { kind: 'success', key: 'flash.created' });
      res.redirect(303, `/admin/holidays?year=${yearOf(form.date)}`);
    })
    .get('/admin/holidays/import', ADMIN, (_req, res) => {
      res.render(IMPORT, { pageTitle: 'holidays.import' });
    })
    .post('/admin/holidays/import', ADMIN, uploadToMemory('file', MAX_IMPORT_BYTES), async (req, res) => {
      if (!req.file) throw new BadRequest('holidays.import_no_file');
      try {
        const summary = await importHolidays(ctx, { buffer: req.file.buffer }, req.file.originalname.slice(0, 200), req.user!.id, timeZoneOf(res));
        await setFlash(ctx, req, { kind: 'success', key: 'holidays.import_done', params: { ...summary } });
        res.redirect(303, '/admin/holidays');
      } catch (err) {
        if (err instanceof ImportRowsError || err instanceof ImportHeaderError) {
          res.status(422).render(IMPORT, { pageTitle: 'holidays.import', ...importFailureLocals(err) });
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
      try {
        await editHoliday(ctx, holiday.id, { date: form.date, kind: form.kind, name: form.name ?? '' }, form.version, req.user!.id);
      } catch (err) {
        if (err instanceof HolidayDateTaken) failField('date', 'holidays.date_taken', req.body, view);
        throw err;
      }
      await setFlash(ctx, req, { kind: 'success', key: 'flash.saved' });
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
      await cancelHoliday(ctx, holiday.id, form.version, form.reason, req.user!.id);
      await setFlash(ctx, req, { kind: 'success', key: 'holidays.cancelled_flash' });
      res.redirect(303, `/admin/holidays?year=${yearOf(holiday.date)}`);
    });
}
