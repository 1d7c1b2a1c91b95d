import type { Request } from 'express';
import type { AppContext } from '../../core/context';
import { failField, parseForm } from '../../core/http/forms';
import { BadRequest, NotFound } from '../../core/http/errors';
import { idParam, pageParam, pager, queryText } from '../../core/http/params';
import { allows, MANAGERS, QUALITY, SIGNED_IN, type Role } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { uploadToMemory } from '../../core/http/upload';
import { ImportHeaderError, ImportRowsError, importFailureLocals } from '../../core/import';
import { listUnitOptions } from '../units/units.queries';
import { UnknownUnit } from '../units/units.service';
import { translate, type Lang } from '../../core/i18n';
import { findProcedure, listFields, listProcedurePage, type ProcedureFilter, type ProcedurePageRow } from './procedures.queries';
import { ProcedureEditForm, ProcedureForm, RetireForm, ONLINE_LEVELS, PROCEDURE_KINDS } from './procedures.schemas';
import { createProcedure, editProcedure, ProcedureCodeTaken, setProcedureStatus, TermsDateInFuture } from './procedures.service';
import { FIRST_TERMS_DATE, listTerms } from './procedures.terms.queries';
import { todayOf } from '../../core/http/today';
import { importProcedures } from './procedures.import';

const PAGE_SIZE = 50;
const FORM = 'procedures/form';
const levelOptions = ONLINE_LEVELS.map((value) => ({ value }));
const kindOptions = PROCEDURE_KINDS.map((value) => ({ value }));

/** The procedure page: managers also get links to its dossiers and its compliance report. */
function showLocals(procedure: { code: string }, role: Role) {
  return {
    pageTitle: 'procedures.title',
    procedure,
    canEdit: allows(QUALITY, role),
    canSeeFigures: allows(MANAGERS, role),
    dossiersHref: `/dossiers/procedures/${encodeURIComponent(procedure.code)}`,
    reportHref: `/reports/open?code=${encodeURIComponent(procedure.code)}`,
  };
}

/** The register's rows with their words translated once per page (three levels, two kinds, two statuses), not per row. */
function registerRows(rows: ProcedurePageRow[], lang: Lang) {
  const memo = new Map<string, string>();
  const tr = (key: string) => {
    let text = memo.get(key);
    if (text === undefined) memo.set(key, (text = translate(lang, key)));
    return text;
  };
  return rows.map((r) => ({
    ...r,
    onlineText: tr(`procedures.online.${r.online_level}`),
    kindText: tr(`procedures.kind.${r.kind}`),
    active: r.status === 'active',
    statusText: tr(`procedures.status.${r.status}`),
  }));
}

export function proceduresRoutes(ctx: AppContext): RouteTable {
  const formLocals = async (extra: Record<string, unknown>, unitId?: number | null) => ({
    ...extra,
    unitOptions: await listUnitOptions(ctx.db, unitId),
    levelOptions,
    kindOptions,
  });

  const filterOf = (req: Request): ProcedureFilter & { query: Record<string, string | undefined> } => {
    const status = queryText(req, 'status');
    const unit = queryText(req, 'unit');
    const kind = queryText(req, 'kind');
    const filter: ProcedureFilter = {
      q: queryText(req, 'q', 100),
      field: queryText(req, 'field'),
      unitId: unit && /^\d+$/.test(unit) ? Number(unit) : undefined,
      status: status === 'retired' ? 'retired' : status === 'all' ? undefined : 'active',
      kind: kind === 'administrative' || kind === 'internal' ? kind : undefined,
    };
    return { ...filter, query: { q: filter.q, field: filter.field, unit, status, kind: filter.kind } };
  };

  return new RouteTable()
    .get('/procedures', SIGNED_IN, async (req, res) => {
      const filter = filterOf(req);
      const page = pageParam(req);
      const offset = (page - 1) * PAGE_SIZE;
      const { rows, total } = await listProcedurePage(ctx.db, filter, PAGE_SIZE, offset);
      const [fields, unitOptions] = await Promise.all([listFields(ctx.db), listUnitOptions(ctx.db)]);
      res.render('procedures/index', {
        pageTitle: 'procedures.title',
        procedures: registerRows(rows, req.lang),
        fields,
        unitOptions,
        filter: filter.query,
        pager: pager(page, PAGE_SIZE, total, filter.query),
        kindOptions,
        total,
        canEdit: req.user!.role === 'admin' || req.user!.role === 'quality_officer',
      });
    })
    .get('/procedures/new', QUALITY, async (_req, res) => {
      res.render(
        FORM,
        await formLocals({ pageTitle: 'procedures.new', values: { online_level: 'none', on_time_target: 100, kind: 'administrative' }, errors: {} }),
      );
    })
    .post('/procedures', QUALITY, async (req, res) => {
      const view = { view: FORM, locals: await formLocals({ pageTitle: 'procedures.new' }) };
      const form = parseForm(ProcedureForm, req.body, view);
      try {
        await createProcedure(ctx, toValues(form), req.user!.id);
      } catch (err) {
        if (err instanceof ProcedureCodeTaken) failField('code', 'validation.code_taken', req.body, view);
        if (err instanceof UnknownUnit) failField('unit_id', 'validation.invalid_choice', req.body, view);
        throw err;
      }
      await setFlash(ctx, req, { kind: 'success', key: 'flash.created' });
      res.redirect(303, `/procedures?q=${encodeURIComponent(form.code)}`);
    })
    .get('/procedures/import', QUALITY, (_req, res) => {
      res.render('procedures/import', { pageTitle: 'procedures.import' });
    })
    .post('/procedures/import', QUALITY, uploadToMemory('file', 5 * 1024 * 1024), async (req, res) => {
      if (!req.file) throw new BadRequest('procedures.import_no_file');
      try {
        const summary = await importProcedures(ctx, { buffer: req.file.buffer }, req.file.originalname.slice(0, 200), req.user!.id);
        await setFlash(ctx, req, { kind: 'success', key: 'procedures.import_done', params: { ...summary } });
        res.redirect(303, '/procedures');
      } catch (err) {
        if (err instanceof ImportRowsError || err instanceof ImportHeaderError) {
          res.status(422).render('procedures/import', { pageTitle: 'procedures.import', ...importFailureLocals(err, req.lang) });
          return;
        }
        throw err;
      }
    })
    .get('/procedures/:id', SIGNED_IN, async (req, res) => {
      const procedure = await findProcedure(ctx.db, idParam(req));
      if (!procedure) throw new NotFound();
      const terms = (await listTerms(ctx.db, procedure.id)).map((t) => ({ ...t, first: t.effective_from === FIRST_TERMS_DATE }));
      res.render('procedures/show', { ...showLocals(procedure, req.user!.role), terms, errors: {} });
    })
    .get('/procedures/:id/edit', QUALITY, async (req, res) => {
      const procedure = await findProcedure(ctx.db, idParam(req));
      if (!procedure) throw new NotFound();
      const values = { ...procedure, on_time_target: Math.round(procedure.on_time_target * 10000) / 100 };
      res.render(FORM, await formLocals({ pageTitle: 'procedures.edit', procedure, values, errors: {} }, procedure.unit_id));
    })
    .post('/procedures/:id', QUALITY, async (req, res) => {
      const procedure = await findProcedure(ctx.db, idParam(req));
      if (!procedure) throw new NotFound();
      const view = { view: FORM, locals: await formLocals({ pageTitle: 'procedures.edit', procedure }, procedure.unit_id) };
      const form = parseForm(ProcedureEditForm, req.body, view);
      let moved = 0;
      try {
        ({ dossiersMoved: moved } = await editProcedure(ctx, procedure.id, toValues(form), form.version, req.user!.id, {
          today: todayOf(res),
          termsFrom: form.terms_from,
        }));
      } catch (err) {
        if (err instanceof ProcedureCodeTaken) failField('code', 'validation.code_taken', req.body, view);
        if (err instanceof TermsDateInFuture) failField('terms_from', 'procedures.terms_from_future', req.body, view);
        if (err instanceof UnknownUnit) failField('unit_id', 'validation.invalid_choice', req.body, view);
        throw err;
      }
      await setFlash(ctx, req, moved > 0 ? { kind: 'success', key: 'procedures.saved_moved', params: { n: moved } } : { kind: 'success', key: 'flash.saved' });
      res.redirect(303, `/procedures/${procedure.id}`);
    })
    .post('/procedures/:id/status', QUALITY, async (req, res) => {
      const procedure = await findProcedure(ctx.db, idParam(req));
      if (!procedure) throw new NotFound();
      const form = parseForm(RetireForm, req.body, { view: 'procedures/show', locals: showLocals(procedure, req.user!.role) });
      await setProcedureStatus(ctx, procedure.id, procedure.status === 'active', form.version, form.reason, req.user!.id);
      await setFlash(ctx, req, { kind: 'success', key: 'flash.saved' });
      res.redirect(303, `/procedures/${procedure.id}`);
    });
}

function toValues(form: ReturnType<typeof ProcedureForm.parse>) {
  return {
    code: form.code,
    title: form.title,
    field: form.field ?? '',
    national_code: form.national_code ?? null,
    processing_days: form.processing_days ?? null,
    online_level: form.online_level,
    unit_id: form.unit_id ?? null,
    on_time_target: (form.on_time_target ?? 100) / 100,
    kind: form.kind,
  };
}
