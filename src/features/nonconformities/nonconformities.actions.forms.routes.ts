import type { Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import { failField, parseForm, type FormView } from '../../core/http/forms';
import { NotFound } from '../../core/http/errors';
import { idParam } from '../../core/http/params';
import { QUALITY, SIGNED_IN } from '../../core/http/roles';
import type { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { assertCanActOn, assertCanPlan, assertCanWork } from './nonconformities.access';
import { findNonconformity, type NcRow } from './nonconformities.queries';
import { ACTION_TYPES } from './nonconformities.actions.model';
import { actionSource } from './nonconformities.actions.source';
import { findAction, type ActionRow } from './nonconformities.actions.queries';
import { ActionStepForm, CancelActionForm, CompleteForm, EditActionForm, NewActionForm, NoteForm } from './nonconformities.actions.schemas';
import {
  addProgressNote,
  cancelAction,
  canAddAction,
  completeAction,
  createAction,
  editAction,
  startAction,
  UnknownDocument,
  UnknownOwner,
} from './nonconformities.actions.service';
import { actionPageLocals, newActionFormLocals, userOptions } from './nonconformities.actions.view';
import { todayOf } from '../../core/http/today';

/** Planning an action on an NC, editing it, and its steps: start, progress note, completion, cancellation. */
export function addActionFormRoutes(table: RouteTable, ctx: AppContext): void {
  const loadNc = async (req: Request): Promise<NcRow> => {
    const nc = await findNonconformity(ctx.db, idParam(req));
    if (!nc) throw new NotFound();
    return nc;
  };
  const load = async (req: Request): Promise<ActionRow> => {
    const a = await findAction(ctx.db, idParam(req));
    if (!a) throw new NotFound();
    return a;
  };
  const newView = async (nc: NcRow): Promise<FormView> => ({
    view: 'actions/form',
    locals: await newActionFormLocals(
      ctx,
      { label: 'actions.nonconformity', href: `/nonconformities/${nc.id}`, code: nc.code, title: nc.title },
      ACTION_TYPES.filter((t) => canAddAction(nc.status, t)),
    ),
  });
  const editView = async (a: ActionRow): Promise<FormView> => ({
    view: 'actions/form',
    locals: { pageTitle: 'actions.edit', action: a, source: actionSource(a), userOptions: await userOptions(ctx) },
  });
  const pageView = async (req: Request, res: Response, a: ActionRow): Promise<FormView> => ({
    view: 'actions/show',
    locals: await actionPageLocals(ctx, a, req.user!, todayOf(res)),
  });
  const done = async (req: Request, res: Response, a: ActionRow, key = 'flash.saved') => {
    await setFlash(ctx, req, { kind: 'success', key });
    res.redirect(303, `/actions/${a.id}`);
  };

  table
    .get('/nonconformities/:id/actions/new', SIGNED_IN, async (req, res) => {
      const nc = await loadNc(req);
      assertCanWork(req.user!, nc);
      const view = await newView(nc);
      res.render(view.view, { ...view.locals, values: { kind: 'general', type: (view.locals!.typeOptions as { value: string }[])[0]?.value }, errors: {} });
    })
    .post('/nonconformities/:id/actions', SIGNED_IN, async (req, res) => {
      const nc = await loadNc(req);
      assertCanWork(req.user!, nc);
      const view = await newView(nc);
      const form = parseForm(NewActionForm, req.body, view);
      if (!canAddAction(nc.status, form.type)) failField('type', 'actions.error.type_not_now', req.body, view);
      if (form.kind === 'revise_document' && form.document_id === undefined) failField('document_id', 'actions.error.document_required', req.body, view);
      let id: number;
      try {
        id = await createAction(
          ctx,
          {
            source: { kind: 'nonconformity', id: nc.id },
            type: form.type,
            kind: form.kind,
            documentId: form.document_id ?? null,
            description: form.description,
            ownerId: form.owner_id,
            dueDate: form.due_date,
          },
          req.user!.id,
        );
      } catch (err) {
        if (err instanceof UnknownDocument) failField('document_id', 'validation.invalid_choice', req.body, view);
        if (err instanceof UnknownOwner) failField('owner_id', 'validation.invalid_choice', req.body, view);
        throw err;
      }
      await setFlash(ctx, req, { kind: 'success', key: 'actions.flash.created' });
      res.redirect(303, `/nonconformities/${nc.id}#action-${id}`);
    })
    .get('/actions/:id/edit', SIGNED_IN, async (req, res) => {
      const a = await load(req);
      assertCanPlan(req.user!, a);
      const view = await editView(a);
      res.render(view.view, { ...view.locals, values: a, errors: {} });
    })
    .post('/actions/:id', SIGNED_IN, async (req, res) => {
      const a = await load(req);
      assertCanPlan(req.user!, a);
      const view = await editView(a);
      const form = parseForm(EditActionForm, req.body, view);
      try {
        await editAction(ctx, a.id, form.version, { description: form.description, ownerId: form.owner_id, dueDate: form.due_date }, req.user!.id);
      } catch (err) {
        if (err instanceof UnknownOwner) failField('owner_id', 'validation.invalid_choice', req.body, view);
        throw err;
      }
      await done(req, res, a);
    })
    .post('/actions/:id/start', SIGNED_IN, async (req, res) => {
      const a = await load(req);
      assertCanActOn(req.user!, a);
      const form = parseForm(ActionStepForm, req.body, await pageView(req, res, a));
      await startAction(ctx, a.id, form.version, req.user!.id);
      await done(req, res, a);
    })
    .post('/actions/:id/notes', SIGNED_IN, async (req, res) => {
      const a = await load(req);
      assertCanActOn(req.user!, a);
      const form = parseForm(NoteForm, req.body, await pageView(req, res, a));
      await addProgressNote(ctx, a.id, form.note, req.user!.id);
      await done(req, res, a, 'actions.flash.note_added');
    })
    .post('/actions/:id/complete', SIGNED_IN, async (req, res) => {
      const a = await load(req);
      assertCanActOn(req.user!, a);
      const form = parseForm(CompleteForm, req.body, await pageView(req, res, a));
      await completeAction(ctx, a.id, form.version, form.completion_note, req.user!.id);
      await done(req, res, a, 'actions.flash.completed');
    })
    .post('/actions/:id/cancel', QUALITY, async (req, res) => {
      const a = await load(req);
      const form = parseForm(CancelActionForm, req.body, await pageView(req, res, a));
      await cancelAction(ctx, a.id, form.version, form.reason, req.user!.id);
      await done(req, res, a, 'actions.flash.cancelled');
    });
}
