import type { AppContext } from '../../core/context';
import { failField, parseForm } from '../../core/http/forms';
import { NotFound } from '../../core/http/errors';
import { idParam } from '../../core/http/params';
import { ADMIN } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { findUnit, listUnits } from './units.queries';
import { UnitEditForm, UnitForm, UnitStatusForm } from './units.schemas';
import { createUnit, editUnit, setUnitActive, UnitCodeTaken } from './units.service';

const FORM = 'units/form';

export function unitsRoutes(ctx: AppContext): RouteTable {
  return new RouteTable()
    .get('/admin/units', ADMIN, async (_req, res) => {
      res.render('units/index', { pageTitle: 'units.title', units: await listUnits(ctx.db) });
    })
    .get('/admin/units/new', ADMIN, (_req, res) => {
      res.render(FORM, { pageTitle: 'units.new', values: {}, errors: {} });
    })
    .post('/admin/units', ADMIN, async (req, res) => {
      const view = { view: FORM, locals: { pageTitle: 'units.new' } };
      const form = parseForm(UnitForm, req.body, view);
      try {
        await createUnit(ctx, { code: form.code, name: form.name }, req.user!.id);
      } catch (err) {
        if (err instanceof UnitCodeTaken) failField('code', 'validation.code_taken', req.body, view);
        throw err;
      }
      await setFlash(ctx, req, { kind: 'success', key: 'flash.created' });
      res.redirect(303, '/admin/units');
    })
    .get('/admin/units/:id/edit', ADMIN, async (req, res) => {
      const unit = await findUnit(ctx.db, idParam(req));
      if (!unit) throw new NotFound();
      res.render(FORM, { pageTitle: 'units.edit', unit, values: unit, errors: {} });
    })
    .post('/admin/units/:id', ADMIN, async (req, res) => {
      const unit = await findUnit(ctx.db, idParam(req));
      if (!unit) throw new NotFound();
      const view = { view: FORM, locals: { pageTitle: 'units.edit', unit } };
      const form = parseForm(UnitEditForm, req.body, view);
      try {
        await editUnit(ctx, unit.id, { code: form.code, name: form.name }, form.version, req.user!.id);
      } catch (err) {
        if (err instanceof UnitCodeTaken) failField('code', 'validation.code_taken', req.body, view);
        throw err;
      }
      await setFlash(ctx, req, { kind: 'success', key: 'flash.saved' });
      res.redirect(303, '/admin/units');
    })
    .post('/admin/units/:id/status', ADMIN, async (req, res) => {
      const unit = await findUnit(ctx.db, idParam(req));
      if (!unit) throw new NotFound();
      const form = parseForm(UnitStatusForm, req.body, { view: FORM, locals: { pageTitle: 'units.edit', unit, values: unit } });
      await setUnitActive(ctx, unit.id, unit.active !== 1, form.version, form.reason, req.user!.id);
      await setFlash(ctx, req, { kind: 'success', key: 'flash.saved' });
      res.redirect(303, '/admin/units');
    });
}
