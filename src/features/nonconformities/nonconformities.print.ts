import type { Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import { NotFound } from '../../core/http/errors';
import { idParam } from '../../core/http/params';
import { todayOf } from '../../core/http/today';
import type { LetterheadSource } from '../organisation/organisation.print';
import { chosenBlock, letterheadOfKind } from '../organisation/organisation.signers.print';
import { listRecipientsByKind } from '../organisation/organisation.signers.queries';
import { assertCanView } from './nonconformities.access';
import { findNonconformity } from './nonconformities.queries';
import { ncPageLocals } from './nonconformities.view';

/**
 * The corrective action request as printed (views/nonconformities/print.hbs): the page renders this view model and
 * the Word file (nonconformities.docx.ts) writes it, so the two never differ. Only who may see the NC gets it.
 */
export async function ncPrintLocals(ctx: AppContext, req: Request, res: Response) {
  const nc = await findNonconformity(ctx.db, idParam(req));
  if (!nc) throw new NotFound();
  await assertCanView(ctx.db, req.user!, nc);
  const locals = await ncPageLocals(ctx, nc, req.user!, todayOf(res), req.lang);
  const issuedOn = nc.opened_on ?? nc.detected_on;
  const block = await chosenBlock(ctx.db, await letterheadOfKind(ctx.db, 'nonconformity', issuedOn), req.query);
  // The NC reports' own recipients when set; else the responsible unit and person and the file copy, never the
  // reports' general list (a corrective action request does not go to the reports' recipients).
  const own = ((await listRecipientsByKind(ctx.db)).nonconformity ?? '').trim() !== '';
  return {
    ...locals,
    pageTitle: 'nonconformities.print_title',
    org: res.locals.org as LetterheadSource,
    printNo: String(nc.seq).padStart(3, '0'),
    // The request is drawn up by whoever opened the NC (the quality officer who accepted a staff report).
    preparedBy: locals.history.find((h) => h.to_status === 'open')?.by_name ?? nc.creator_name,
    issued: { d: issuedOn.slice(8, 10), m: issuedOn.slice(5, 7), y: issuedOn.slice(0, 4) },
    // The head's block (or the signer chosen on the page) and the NC reports' own recipients.
    ...block,
    lh: own ? block.lh : { ...block.lh, recipients: [] },
  };
}

export type NcPrintLocals = Awaited<ReturnType<typeof ncPrintLocals>>;
