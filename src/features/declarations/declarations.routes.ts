import { rm } from 'node:fs/promises';
import { letterheadOfKind } from '../organisation/organisation.signers.print';
import type { Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import {
  ACCEPT_ATTRIBUTE,
  discardUpload,
  keepUpload,
  prepareUpload,
  sendStoredFile,
  uploadedFileName,
  UploadRejected,
  type PendingFile,
} from '../../core/files';
import { failField, parseForm, type FormView } from '../../core/http/forms';
import { NotFound } from '../../core/http/errors';
import { idParam } from '../../core/http/params';
import { QUALITY, READERS, SIGNED_IN, type Role } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { todayOf } from '../../core/http/today';
import { formatDate } from '../../core/views/format';
import { uploadToDisk } from '../../core/http/upload';
import { findOrganisation } from '../organisation/organisation.queries';
import { safeFileName, toCsv } from '../reports/reports.csv';
import { sendDownload } from '../reports/reports.http';
import { changesAgainstPrevious, declarationsTable, declarationsXlsx, statesOf } from './declarations.exports';
import { findDeclaration, listDeclarations, type DeclarationRow } from './declarations.queries';
import { CancelForm, DeclarationForm } from './declarations.schemas';
import { parseScope, scopeChange } from './declarations.scope';
import { cancelDeclaration, DateBeforeLast, DecisionNumberTaken, NoteRequired, recordDeclaration, scopeStatus } from './declarations.service';

/**
 * The declarations of conformity (issue 23): the register with the scope's state (GET /declarations, its CSV and
 * XLSX), one declaration with its scope and what changed since the one before (GET /declarations/:id, its print
 * view and its decision's file), recording one (quality officer, admin) and cancelling one recorded by mistake.
 */
const FORM = 'declarations/form';
const canRecord = (role: Role | undefined) => role !== undefined && (QUALITY as readonly string[]).includes(role);

async function formLocals(ctx: AppContext, extra: Record<string, unknown> = {}) {
  const status = await scopeStatus(ctx.db);
  return {
    pageTitle: status.latest ? 'declarations.new_re' : 'declarations.new',
    status,
    reDeclaration: status.latest !== undefined,
    accept: ACCEPT_ATTRIBUTE,
    maxMb: Math.round(ctx.config.uploadMaxBytes / 1048576),
    ...extra,
  };
}

/** One declaration as its page and print view show it: its scope and the change against the one recorded before. */
async function declarationView(ctx: AppContext, d: DeclarationRow) {
  const all = await listDeclarations(ctx.db);
  const recorded = all.filter((r) => r.status === 'recorded' && (r.decided_on < d.decided_on || (r.decided_on === d.decided_on && r.id < d.id)));
  const previous = recorded[0];
  const scope = parseScope(d.scope);
  // the letterhead of the list attached to the decision: the decision's signer, the decision's number (none of its own)
  const lh = { ...(await letterheadOfKind(ctx.db, 'declaration', d.decided_on)), signerName: d.signer_name, signerTitle: d.signer_title, hideNumber: true };
  return {
    declaration: d,
    lh,
    state: statesOf(all).get(d.id),
    scope: scope.map((e, i) => ({ ...e, no: i + 1 })),
    previous,
    change: previous ? scopeChange(parseScope(previous.scope), scope) : undefined,
  };
}

const fileName = (today: string, ext: string) => safeFileName(`cong-bo-htqlcl-${today}.${ext}`);

export function declarationsRoutes(ctx: AppContext): RouteTable {
  const load = async (req: Request) => {
    const d = await findDeclaration(ctx.db, idParam(req));
    if (!d) throw new NotFound();
    return d;
  };
  const show = async (req: Request, res: Response, view: 'declarations/show' | 'declarations/print') => {
    const d = await load(req);
    res.render(view, {
      pageTitle: view === 'declarations/show' ? 'declarations.show' : 'declarations.print_title',
      ...(await declarationView(ctx, d)),
      canCancel: canRecord(req.user?.role) && d.status === 'recorded',
      errors: {},
      values: {},
    });
  };
  return new RouteTable()
    .get('/declarations.csv', READERS, async (req, res) => {
      const t = declarationsTable(await listDeclarations(ctx.db), req.lang ?? 'vi');
      sendDownload(res, toCsv([t.keys, ...t.rows]), 'text/csv; charset=utf-8', fileName(todayOf(res), 'csv'));
    })
    .get('/declarations.xlsx', READERS, async (req, res) => {
      const body = await declarationsXlsx(await listDeclarations(ctx.db), req.lang ?? 'vi');
      sendDownload(res, body, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName(todayOf(res), 'xlsx'));
    })
    .get('/declarations', SIGNED_IN, async (req, res) => {
      const [rows, status] = await Promise.all([listDeclarations(ctx.db), scopeStatus(ctx.db)]);
      const changes = changesAgainstPrevious(rows);
      const states = statesOf(rows);
      res.render('declarations/index', {
        pageTitle: 'declarations.title',
        rows: rows.map((r) => ({ ...r, procedures: parseScope(r.scope).length, change: changes.get(r.id), state: states.get(r.id) })),
        status,
        canRecord: canRecord(req.user?.role),
      });
    })
    .get('/declarations/new', QUALITY, async (_req, res) => {
      const org = await findOrganisation(ctx.db);
      res.render(FORM, { ...(await formLocals(ctx)), values: { signer_name: org?.signer_name ?? '', signer_title: org?.signer_title ?? '' }, errors: {} });
    })
    .post('/declarations', QUALITY, uploadToDisk('file', ctx.config.uploadMaxBytes), async (req, res) => {
      const temp = req.file?.path;
      let pending: PendingFile | undefined;
      try {
        const view: FormView = { view: FORM, locals: await formLocals(ctx) };
        const form = parseForm(DeclarationForm, req.body, view);
        if (form.decided_on > todayOf(res)) failField('decided_on', 'declarations.date_future', req.body, view);
        if (req.file) {
          try {
            pending = await prepareUpload(ctx, { path: req.file.path }, uploadedFileName(req.file.originalname));
          } catch (err) {
            if (err instanceof UploadRejected) failField('file', err.messageKey, req.body, view);
            throw err;
          }
        }
        const input = {
          decisionNo: form.decision_no,
          decidedOn: form.decided_on,
          signerName: form.signer_name,
          signerTitle: form.signer_title,
          note: form.note ?? '',
        };
        let id: number;
        try {
          const file = pending;
          id = file
            ? await keepUpload(ctx, file, (c) => recordDeclaration(c, input, file, req.user!.id))
            : await recordDeclaration(ctx, input, undefined, req.user!.id);
        } catch (err) {
          if (err instanceof DecisionNumberTaken) failField('decision_no', 'declarations.number_taken', req.body, view);
          if (err instanceof DateBeforeLast)
            failField('decided_on', 'declarations.date_before_last', req.body, view, { date: formatDate(err.last, ctx.config.timeZone) });
          if (err instanceof NoteRequired) failField('note', 'declarations.note_required', req.body, view);
          throw err;
        }
        await setFlash(ctx, req, { kind: 'success', key: 'declarations.flash.recorded' });
        res.redirect(303, `/declarations/${id}`);
      } finally {
        await discardUpload(pending);
        if (temp) await rm(temp, { force: true });
      }
    })
    .get('/declarations/:id', SIGNED_IN, (req, res) => show(req, res, 'declarations/show'))
    .get('/declarations/:id/print', SIGNED_IN, (req, res) => show(req, res, 'declarations/print'))
    .get('/declarations/:id/file', SIGNED_IN, async (req, res) => {
      const d = await load(req);
      if (!d.file_sha256 || !d.file_name || !d.file_mime) throw new NotFound();
      await sendStoredFile(ctx, res, d.file_sha256, d.file_name, d.file_mime);
    })
    .post('/declarations/:id/cancel', QUALITY, async (req, res) => {
      const d = await load(req);
      const view: FormView = {
        view: 'declarations/show',
        locals: {
          pageTitle: 'declarations.show',
          ...(await declarationView(ctx, d)),
          canCancel: d.status === 'recorded',
        },
      };
      const form = parseForm(CancelForm, req.body, view);
      await cancelDeclaration(ctx, d.id, form.reason, req.user!.id);
      await setFlash(ctx, req, { kind: 'success', key: 'declarations.flash.cancelled' });
      res.redirect(303, `/declarations/${d.id}`);
    });
}
