import type { Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import { NotFound } from '../../core/http/errors';
import { failField, parseForm, type FormView } from '../../core/http/forms';
import { idParam } from '../../core/http/params';
import { QUALITY, READERS } from '../../core/http/roles';
import type { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { todayOf } from '../../core/http/today';
import { clauseOptions } from '../../core/iso/clauses';
import { covers, matrixStatus, TOP_CLAUSES } from './competence.planning';
import { findGrant, listGrants, listPeopleOptions, listQualifications } from './competence.queries';
import { GrantForm, RevokeForm } from './competence.schemas';
import { CompetenceFieldError, grantClause, revokeGrant } from './competence.service';
import { canManage, personOptions } from './competence.view';

/**
 * The auditors' matrix (GET /competence/auditors): one row per person who holds an auditor qualification (active
 * record) or a standing grant, one column per top-level clause 4–10 (a grant of "8" covers 8.x; a grant of a
 * sub-clause is named in its column), and each person's qualification today. The quality officer grants a clause
 * on a date and revokes a grant with a reason.
 */
const VIEW = 'competence/auditors';

export function registerMatrixRoutes(table: RouteTable, ctx: AppContext): void {
  const matrixLocals = async (req: Request, res: Response) => {
    const today = todayOf(res);
    const [users, quals, grants] = await Promise.all([listPeopleOptions(ctx.db), listQualifications(ctx.db), listGrants(ctx.db, { standingOnly: true })]);
    const rows = users
      .filter((u) => quals.some((q) => q.user_id === u.id) || grants.some((g) => g.user_id === u.id))
      .map((u) => {
        const own = grants.filter((g) => g.user_id === u.id);
        return {
          id: u.id,
          name: u.full_name,
          unit: u.unit_code,
          status: matrixStatus(
            quals.filter((q) => q.user_id === u.id),
            today,
          ),
          cells: TOP_CLAUSES.map((c) => ({
            clause: c,
            granted: own.some((g) => g.clause === c),
            partial: own
              .filter((g) => g.clause !== c && covers(c, g.clause))
              .map((g) => g.clause)
              .join(', '),
          })),
          grants: own,
        };
      });
    return {
      pageTitle: 'competence.matrix_title',
      clauses: TOP_CLAUSES,
      rows,
      userOptions: await personOptions(ctx, []),
      clauseOptions: clauseOptions(req.lang ?? 'vi'),
      canEdit: canManage(req),
      today,
      errors: {},
    };
  };

  table
    .get('/competence/auditors', READERS, async (req, res) => {
      const locals = await matrixLocals(req, res);
      res.render(VIEW, { ...locals, values: { granted_on: locals.today } });
    })
    .post('/competence/auditors/grants', QUALITY, async (req, res) => {
      const view: FormView = { view: VIEW, locals: await matrixLocals(req, res) };
      const form = parseForm(GrantForm, req.body, view);
      if (form.granted_on > todayOf(res)) failField('granted_on', 'competence.date_future', req.body as Record<string, unknown>, view);
      try {
        await grantClause(ctx, { userId: form.user_id, clause: form.clause, grantedOn: form.granted_on }, req.user!.id);
      } catch (err) {
        if (err instanceof CompetenceFieldError) failField(err.field, err.key, req.body as Record<string, unknown>, view);
        throw err;
      }
      await setFlash(ctx, req, { kind: 'success', key: 'competence.flash.granted' });
      res.redirect(303, '/competence/auditors');
    })
    .post('/competence/grants/:id/revoke', QUALITY, async (req, res) => {
      const id = idParam(req);
      if (!(await findGrant(ctx.db, id))) throw new NotFound();
      const locals = await matrixLocals(req, res);
      const form = parseForm(RevokeForm, req.body, { view: VIEW, locals: { ...locals, values: { granted_on: locals.today } } });
      await revokeGrant(ctx, id, todayOf(res), form.revoke_reason, req.user!.id);
      await setFlash(ctx, req, { kind: 'success', key: 'competence.flash.revoked' });
      res.redirect(303, '/competence/auditors');
    });
}
