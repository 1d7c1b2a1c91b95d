import type { Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import { failField, parseForm, type FormView } from '../../core/http/forms';
import { NotFound } from '../../core/http/errors';
import { idParam } from '../../core/http/params';
import { ADMIN } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { findOrganisation } from './organisation.queries';
import { composeSigner, SIGNING_WAYS } from './organisation.print';
import { findActiveSignerOfUser, findSigner, listSignerUsers, listSigners, type SignerRow, type SignerValues } from './organisation.signers.queries';
import { DeactivateSignerForm, EditSignerForm, SignerForm } from './organisation.signers.schemas';
import { createSigner, deactivateSigner, editSigner } from './organisation.signers.service';

const LIST = 'organisation/signers';
const EDIT = 'organisation/signer';
const BASE = '/admin/organisation/signers';
const wayOptions = SIGNING_WAYS.map((value) => ({ value }));

/**
 * The authorised signers of the organisation (issue 25): the head and those who sign on his behalf (KT., TL., TUQ.,
 * TM.), each with the lines its block prints; added, corrected and deactivated with a reason by an administrator.
 */
export function signersRoutes(ctx: AppContext): RouteTable {
  const listLocals = async () => {
    const org = await findOrganisation(ctx.db);
    const signers = (await listSigners(ctx.db)).map((s) => ({ ...s, block: composeSigner(org?.signer_title ?? '', s) }));
    return {
      pageTitle: 'signers.title',
      signers,
      userOptions: await userOptions(),
      wayOptions,
      head: { title: org?.signer_title ?? '', name: org?.signer_name ?? '' },
    };
  };
  const userOptions = async () =>
    (await listSignerUsers(ctx.db)).map((u) => ({ value: u.id, label: u.position_title ? `${u.full_name} (${u.position_title})` : u.full_name }));
  const editLocals = async (signer: SignerRow) => ({ pageTitle: 'signers.edit', signer, userOptions: await userOptions(), wayOptions });

  /** The form's values checked against the organisation: its user, the prefill from the user, one entry per user. */
  const valuesOf = async (req: Request, view: FormView, exceptId?: number): Promise<SignerValues & { version?: number }> => {
    const form: { user_id?: number; full_name?: string; position_title?: string; way: SignerValues['way']; version?: number } = parseForm(
      exceptId === undefined ? SignerForm : EditSignerForm,
      req.body,
      view,
    );
    const body = req.body as Record<string, unknown>;
    const user = form.user_id === undefined ? undefined : (await listSignerUsers(ctx.db)).find((u) => u.id === form.user_id);
    if (form.user_id !== undefined && !user) failField('user_id', 'signers.error.unknown_user', body, view);
    if (user) {
      const taken = await findActiveSignerOfUser(ctx.db, user.id);
      if (taken && taken.id !== exceptId) failField('user_id', 'signers.error.user_taken', body, view);
    }
    const fullName = form.full_name ?? user?.full_name;
    if (!fullName) failField('full_name', 'validation.required', body, view);
    const position = form.position_title ?? user?.position_title ?? '';
    if (form.way !== 'head' && position.trim() === '') failField('position_title', 'signers.error.position_required', body, view);
    return { user_id: user?.id ?? null, full_name: fullName, position_title: position, way: form.way, version: form.version };
  };

  return new RouteTable()
    .get(BASE, ADMIN, async (_req: Request, res: Response) => {
      res.render(LIST, { ...(await listLocals()), values: {}, errors: {} });
    })
    .post(BASE, ADMIN, async (req: Request, res: Response) => {
      const { version: _v, ...values } = await valuesOf(req, { view: LIST, locals: await listLocals() });
      await createSigner(ctx, req.user!.id, values);
      await setFlash(ctx, req, { kind: 'success', key: 'signers.flash.added' });
      res.redirect(303, BASE);
    })
    .get(`${BASE}/:id`, ADMIN, async (req: Request, res: Response) => {
      const signer = await findSigner(ctx.db, idParam(req));
      if (!signer) throw new NotFound();
      res.render(EDIT, { ...(await editLocals(signer)), values: signer, errors: {} });
    })
    .post(`${BASE}/:id`, ADMIN, async (req: Request, res: Response) => {
      const signer = await findSigner(ctx.db, idParam(req));
      if (!signer || signer.active !== 1) throw new NotFound();
      const view = { view: EDIT, locals: await editLocals(signer) };
      const { version, ...values } = await valuesOf(req, view, signer.id);
      if (version === undefined) failField('_form', 'validation.invalid', req.body as Record<string, unknown>, view);
      await editSigner(ctx, req.user!.id, signer.id, values, version);
      await setFlash(ctx, req, { kind: 'success', key: 'flash.saved' });
      res.redirect(303, BASE);
    })
    .post(`${BASE}/:id/deactivate`, ADMIN, async (req: Request, res: Response) => {
      const signer = await findSigner(ctx.db, idParam(req));
      if (!signer || signer.active !== 1) throw new NotFound();
      const form = parseForm(DeactivateSignerForm, req.body, { view: EDIT, locals: { ...(await editLocals(signer)), values: signer } });
      await deactivateSigner(ctx, req.user!.id, signer.id, form.deactivate_reason, form.version);
      await setFlash(ctx, req, { kind: 'success', key: 'signers.flash.deactivated' });
      res.redirect(303, BASE);
    });
}
