import type { Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import { discardUpload, findFile, keepUpload, prepareUpload, sendStoredFile, UploadRejected, uploadedFileName, type PendingFile } from '../../core/files';
import { NotFound } from '../../core/http/errors';
import { failField, parseForm, type FormView } from '../../core/http/forms';
import { idParam, pageParam, pager, queryText } from '../../core/http/params';
import { QUALITY, READERS, WORKERS } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { uploadToMemory } from '../../core/http/upload';
import { findUser } from '../users/users.queries';
import { registerMatrixRoutes } from './competence.matrix.routes';
import { countTrainingRecords, findTrainingRecord, listGrants, listTrainingRecords, type TrainingFilter } from './competence.queries';
import { CancelForm, CertificateForm, TrainingEditForm, TrainingForm } from './competence.schemas';
import { attachCertificate, cancelTraining, CompetenceFieldError, createTraining, editTraining, type TrainingInput } from './competence.service';
import { TRAINING_KINDS, type TrainingKind } from './competence.tables';
import { canManage, formLocals, trainingLocals, withStatus } from './competence.view';

/**
 * Competence (ISO 9001 clause 7.2): the training records of the organisation's people (GET /competence/training,
 * read by the managers and the inspector, kept by the quality officer and the admin), one person's records and
 * grants (staff see their own), the certificate's file, and the auditors' matrix (competence.matrix.routes.ts).
 */
const PAGE_SIZE = 50;
const FORM = 'competence/form';
/** The certificate's scan: the evidence files' limit, and only PDF or an image. */
const MAX_CERTIFICATE_BYTES = 20 * 1024 * 1024;
const CERTIFICATE_TYPES = new Set(['pdf', 'png', 'jpg']);

const toInput = (f: ReturnType<typeof TrainingForm.parse>): TrainingInput => ({
  user_id: f.user_id,
  kind: f.kind,
  title: f.title,
  held_on: f.held_on,
  issuer: f.issuer ?? '',
  hours: f.hours ?? null,
  certificate_no: f.certificate_no ?? '',
  expires_on: f.expires_on ?? null,
});

async function withFieldErrors<T>(body: unknown, view: FormView, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof CompetenceFieldError) failField(err.field, err.key, (body ?? {}) as Record<string, unknown>, view);
    throw err;
  }
}

/** Whether the signed-in user may read this person's records: a reader, or the person themself (others: 404, as for no one). */
const mayRead = (req: Request, userId: number) => (READERS as readonly string[]).includes(req.user!.role) || req.user!.id === userId;

export function competenceRoutes(ctx: AppContext): RouteTable {
  const table = new RouteTable();
  const loadRecord = async (req: Request) => {
    const r = await findTrainingRecord(ctx.db, idParam(req));
    if (!r) throw new NotFound();
    return r;
  };
  const filterOf = (req: Request) => {
    const user = queryText(req, 'user_id', 15);
    const kind = queryText(req, 'kind', 30);
    const year = queryText(req, 'year', 4);
    const filter: TrainingFilter = {
      userId: user && /^[1-9]\d{0,14}$/.test(user) ? Number(user) : undefined,
      kind: (TRAINING_KINDS as readonly string[]).includes(kind ?? '') ? (kind as TrainingKind) : undefined,
      year: year && /^\d{4}$/.test(year) ? Number(year) : undefined,
    };
    return {
      filter,
      query: { user_id: filter.userId ? String(filter.userId) : undefined, kind: filter.kind, year: filter.year ? String(filter.year) : undefined },
    };
  };
  const editLocals = async (req: Request, res: Response, id: number) => {
    const r = await findTrainingRecord(ctx.db, id);
    if (!r) throw new NotFound();
    return { pageTitle: 'competence.edit', record: r, ...(await formLocals(ctx, [r.user_id])) };
  };

  /** One person's records and grants: a reader's view of anyone, or one's own. */
  const renderPerson = async (req: Request, res: Response, userId: number) => {
    const person = await findUser(ctx.db, userId);
    if (!person) throw new NotFound();
    if (!mayRead(req, userId)) throw new NotFound();
    const [page, grants] = await Promise.all([trainingLocals(ctx, res, userId), listGrants(ctx.db, { userId })]);
    res.render('competence/person', { pageTitle: 'competence.person_title', person, ...page, grants, canEdit: canManage(req) });
  };

  table
    .get('/competence/training', READERS, async (req, res) => {
      const { filter, query } = filterOf(req);
      const page = pageParam(req);
      const total = await countTrainingRecords(ctx.db, filter);
      res.render('competence/training', {
        pageTitle: 'competence.training_title',
        rows: withStatus(await listTrainingRecords(ctx.db, filter, PAGE_SIZE, (page - 1) * PAGE_SIZE), res),
        filter: query,
        total,
        pager: pager(page, PAGE_SIZE, total, query),
        ...(await formLocals(ctx, filter.userId ? [filter.userId] : [])),
        canEdit: canManage(req),
      });
    })
    .get('/competence/training/new', QUALITY, async (req, res) => {
      const user = queryText(req, 'user_id', 15);
      const values = { kind: 'internal_auditor', user_id: user && /^\d+$/.test(user) ? user : '' };
      res.render(FORM, { pageTitle: 'competence.new', values, errors: {}, ...(await formLocals(ctx, [])) });
    })
    .post('/competence/training', QUALITY, async (req, res) => {
      const view = { view: FORM, locals: { pageTitle: 'competence.new', ...(await formLocals(ctx, [])) } };
      const form = parseForm(TrainingForm, req.body, view);
      const id = await withFieldErrors(req.body, view, () => createTraining(ctx, toInput(form), req.user!.id));
      await setFlash(ctx, req, { kind: 'success', key: 'competence.flash.created' });
      res.redirect(303, `/competence/people/${form.user_id}#training-${id}`);
    })
    .get('/competence/training/:id/edit', QUALITY, async (req, res) => {
      const locals = await editLocals(req, res, idParam(req));
      res.render(FORM, { ...locals, values: locals.record, errors: {} });
    })
    .post('/competence/training/:id', QUALITY, async (req, res) => {
      const id = idParam(req);
      const view = { view: FORM, locals: await editLocals(req, res, id) };
      const form = parseForm(TrainingEditForm, req.body, view);
      const { version, ...rest } = form;
      await withFieldErrors(req.body, view, () => editTraining(ctx, id, toInput(rest), version, req.user!.id));
      await setFlash(ctx, req, { kind: 'success', key: 'flash.saved' });
      res.redirect(303, `/competence/people/${form.user_id}#training-${id}`);
    })
    .post('/competence/training/:id/cancel', QUALITY, async (req, res) => {
      const id = idParam(req);
      const locals = await editLocals(req, res, id);
      const form = parseForm(CancelForm, req.body, { view: FORM, locals: { ...locals, values: locals.record } });
      await cancelTraining(ctx, id, form.cancel_reason, form.version, req.user!.id);
      await setFlash(ctx, req, { kind: 'success', key: 'competence.flash.cancelled' });
      res.redirect(303, `/competence/people/${locals.record.user_id}#training-${id}`);
    })
    .post('/competence/training/:id/certificate', QUALITY, uploadToMemory('file', MAX_CERTIFICATE_BYTES), async (req, res) => {
      const id = idParam(req);
      const locals = await editLocals(req, res, id);
      const reject: (key: string) => never = (key) => failField('file', key, { ...locals.record }, { view: FORM, locals });
      parseForm(CertificateForm, req.body, { view: FORM, locals: { ...locals, values: locals.record } });
      if (!req.file) reject('files.missing');
      let pending: PendingFile;
      try {
        pending = await prepareUpload(ctx, { buffer: req.file.buffer }, uploadedFileName(req.file.originalname));
      } catch (err) {
        if (err instanceof UploadRejected) reject(err.messageKey);
        throw err;
      }
      try {
        if (!CERTIFICATE_TYPES.has(pending.ext)) reject('competence.certificate_type');
        await keepUpload(ctx, pending, (c) => attachCertificate(c, id, { sha256: pending.sha256, name: pending.originalName }, req.user!.id));
      } finally {
        await discardUpload(pending);
      }
      await setFlash(ctx, req, { kind: 'success', key: 'competence.flash.certificate' });
      res.redirect(303, `/competence/people/${locals.record.user_id}#training-${id}`);
    })
    .get('/competence/training/:id/certificate', 'signed_in', async (req, res) => {
      const r = await loadRecord(req);
      if (!mayRead(req, r.user_id)) throw new NotFound();
      if (!r.certificate_sha256) throw new NotFound();
      const stored = await findFile(ctx.db, r.certificate_sha256);
      if (!stored) throw new NotFound();
      await sendStoredFile(ctx, res, r.certificate_sha256, r.certificate_name ?? 'certificate', stored.mime);
    })
    .get('/competence/mine', WORKERS, async (req, res) => {
      await renderPerson(req, res, req.user!.id);
    })
    .get('/competence/people/:userId', 'signed_in', async (req, res) => {
      await renderPerson(req, res, idParam(req, 'userId'));
    });
  registerMatrixRoutes(table, ctx);
  return table;
}
