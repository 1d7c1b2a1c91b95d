import type { Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import { parseForm, type FormView } from '../../core/http/forms';
import { NotFound } from '../../core/http/errors';
import { idParam, queryText } from '../../core/http/params';
import { QUALITY } from '../../core/http/roles';
import type { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { findCopy, type CopyRow } from './documents.copies.queries';
import { issueCopy, withdrawCopy } from './documents.copies.service';
import { findDocument } from './documents.queries';
import { findEffectiveRevision } from './documents.revisions.queries';
import { CopyForm, CopyWithdrawForm } from './documents.schemas';
import { isWriter, showLocals } from './documents.views';

/**
 * The register of controlled copies (issue 25): quality officers and admins issue a numbered copy of the revision in
 * force to a holder, then print it from the document page with `?copy=N` (the stamp BẢN KIỂM SOÁT), and withdraw it
 * with a reason. Anyone else printing the page, or a copy withdrawn or of an older revision, prints BẢN KHÔNG KIỂM SOÁT.
 */
export async function controlledCopyOf(ctx: AppContext, req: Request, documentId: number): Promise<CopyRow | undefined> {
  const n = queryText(req, 'copy', 10);
  if (!n || !/^[1-9]\d{0,8}$/.test(n) || !isWriter(req.user!)) return undefined;
  return findCopy(ctx.db, documentId, Number(n));
}

export function copiesRoutes(ctx: AppContext, table: RouteTable): void {
  const documentView = async (req: Request, _res: Response, documentId: number): Promise<FormView> => {
    const doc = await findDocument(ctx.db, documentId);
    if (!doc) throw new NotFound();
    const shown = await findEffectiveRevision(ctx.db, doc.id);
    return { view: 'documents/show', locals: await showLocals(ctx, req.user!, doc, shown, { documentPage: true }) };
  };
  const actor = (req: Request) => ({ id: req.user!.id, role: req.user!.role });

  table
    .post('/documents/:id/copies', QUALITY, async (req, res) => {
      const id = idParam(req);
      const form = parseForm(CopyForm, req.body, await documentView(req, res, id));
      const copyNo = await issueCopy(ctx, id, form.holder, actor(req));
      await setFlash(ctx, req, { kind: 'success', key: 'documents.copies.flash.issued', params: { n: copyNo } });
      res.redirect(303, `/documents/${id}?copy=${copyNo}`);
    })
    .post('/documents/:id/copies/:copyId/withdraw', QUALITY, async (req, res) => {
      const id = idParam(req);
      const form = parseForm(CopyWithdrawForm, req.body, await documentView(req, res, id));
      await withdrawCopy(ctx, id, idParam(req, 'copyId'), form.copy_reason, actor(req));
      await setFlash(ctx, req, { kind: 'success', key: 'documents.copies.flash.withdrawn' });
      res.redirect(303, `/documents/${id}`);
    });
}
