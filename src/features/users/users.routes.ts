import type { AppContext } from '../../core/context';
import { failField, parseForm } from '../../core/http/forms';
import { NotFound } from '../../core/http/errors';
import { idParam, queryText } from '../../core/http/params';
import { ADMIN, ROLES, isRole } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { listUnitOptions } from '../units/units.queries';
import { findUser, listUsers } from './users.queries';
import { passwordResetForm, UserCreateForm, UserEditForm, UserStatusForm } from './users.schemas';
import { UnknownUnit } from '../units/units.service';
import { createUser, editUser, LastAdmin, setPassword, setUserActive, UsernameTaken } from './users.service';

const FORM = 'users/form';
const roleOptions = ROLES.map((value) => ({ value }));

export function usersRoutes(ctx: AppContext): RouteTable {
  const formLocals = async (extra: Record<string, unknown>, unitId?: number | null) => ({
    ...extra,
    roleOptions,
    unitOptions: await listUnitOptions(ctx.db, unitId),
  });
  const load = async (id: number) => {
    const user = await findUser(ctx.db, id);
    if (!user) throw new NotFound();
    return user;
  };

  return new RouteTable()
    .get('/admin/users', ADMIN, async (req, res) => {
      const role = queryText(req, 'role');
      const unit = queryText(req, 'unit');
      const users = await listUsers(ctx.db, { role: isRole(role) ? role : undefined, unitId: unit && /^\d+$/.test(unit) ? Number(unit) : undefined });
      res.render('users/index', { pageTitle: 'users.title', users, roleOptions, unitOptions: await listUnitOptions(ctx.db), filter: { role, unit } });
    })
    .get('/admin/users/new', ADMIN, async (_req, res) => {
      res.render(FORM, await formLocals({ pageTitle: 'users.new', values: { role: 'staff' }, errors: {} }));
    })
    .post('/admin/users', ADMIN, async (req, res) => {
      const view = { view: FORM, locals: await formLocals({ pageTitle: 'users.new' }) };
      const form = parseForm(UserCreateForm, req.body, view);
      try {
        await createUser(
          ctx,
          {
            username: form.username,
            full_name: form.full_name,
            role: form.role,
            unit_id: form.unit_id ?? null,
            email: form.email ?? null,
            position_title: form.position_title ?? null,
            password: form.password,
            must_change_password: 1,
          },
          req.user!.id,
        );
      } catch (err) {
        if (err instanceof UsernameTaken) failField('username', 'users.username_taken', { ...req.body, password: '' }, view);
        if (err instanceof UnknownUnit) failField('unit_id', 'validation.invalid_choice', { ...req.body, password: '' }, view);
        throw err;
      }
      await setFlash(ctx, req, { kind: 'success', key: 'flash.created' });
      res.redirect(303, '/admin/users');
    })
    .get('/admin/users/:id/edit', ADMIN, async (req, res) => {
      const user = await load(idParam(req));
      res.render(FORM, await formLocals({ pageTitle: 'users.edit', account: user, values: user, errors: {} }, user.unit_id));
    })
    .post('/admin/users/:id', ADMIN, async (req, res) => {
      const user = await load(idParam(req));
      const view = { view: FORM, locals: await formLocals({ pageTitle: 'users.edit', account: user }, user.unit_id) };
      const form = parseForm(UserEditForm, req.body, view);
      try {
        await editUser(
          ctx,
          user.id,
          { full_name: form.full_name, role: form.role, unit_id: form.unit_id ?? null, email: form.email ?? null, position_title: form.position_title ?? null },
          form.version,
          req.user!.id,
        );
      } catch (err) {
        if (err instanceof LastAdmin) failField('role', 'users.last_admin', req.body, view);
        if (err instanceof UnknownUnit) failField('unit_id', 'validation.invalid_choice', req.body, view);
        throw err;
      }
      await setFlash(ctx, req, { kind: 'success', key: 'flash.saved' });
      res.redirect(303, '/admin/users');
    })
    .post('/admin/users/:id/status', ADMIN, async (req, res) => {
      const user = await load(idParam(req));
      const view = { view: FORM, locals: await formLocals({ pageTitle: 'users.edit', account: user, values: user }, user.unit_id) };
      const form = parseForm(UserStatusForm, req.body, view);
      try {
        await setUserActive(ctx, user.id, user.active !== 1, form.version, form.reason, req.user!.id);
      } catch (err) {
        if (err instanceof LastAdmin) failField('reason', 'users.last_admin', user, view);
        throw err;
      }
      await setFlash(ctx, req, { kind: 'success', key: 'flash.saved' });
      res.redirect(303, '/admin/users');
    })
    .post('/admin/users/:id/password', ADMIN, async (req, res) => {
      const user = await load(idParam(req));
      const view = { view: FORM, locals: await formLocals({ pageTitle: 'users.edit', account: user, values: user }, user.unit_id) };
      const form = parseForm(passwordResetForm({ username: user.username, fullName: user.full_name }), req.body, view);
      await setPassword(ctx, user.id, form.password, req.user!.id, 'reset_password');
      await setFlash(ctx, req, { kind: 'success', key: 'users.password_reset_done', params: { name: user.full_name } });
      res.redirect(303, '/admin/users');
    });
}
