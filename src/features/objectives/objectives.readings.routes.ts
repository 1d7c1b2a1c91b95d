import { rm } from 'node:fs/promises';
import type { Request } from 'express';
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
import { Conflict, NotFound } from '../../core/http/errors';
import { failField, parseForm, type FormView } from '../../core/http/forms';
import { idParam, queryText } from '../../core/http/params';
import { QUALITY, SIGNED_IN } from '../../core/http/roles';
import type { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { todayOf } from '../../core/http/today';
import { uploadToDisk } from '../../core/http/upload';
import { periodsOf } from './objectives.model';
import { findObjective, findReading, type ObjectiveRow, type ReadingRow } from './objectives.queries';
import { addReading } from './objectives.readings.service';
import { ReadingForm } from './objectives.schemas';
import { objectiveLine, withFieldErrors } from './objectives.http';

/**
 * Manual readings (quality officer, admin): GET /objectives/:id/readings/new?period=KEY (or ?corrects=ID for a
 * correction), POST /objectives/:id/readings (multipart: the evidence file as `file`), and the evidence file of a
 * reading, which everyone who reads the objective may download.
 */
const FORM = 'objectives/reading';

export function registerReadingRoutes(table: RouteTable, ctx: AppContext): void {
  const loadManual = async (req: Request): Promise<ObjectiveRow> => {
    const o = await findObjective(ctx.db, idParam(req));
    if (!o) throw new NotFound();
    if (o.indicator !== 'manual') throw new Conflict('objectives.readings.computed');
    if (o.status !== 'active') throw new Conflict('objectives.already_cancelled');
    if (o.locked !== 1) throw new Conflict('objectives.readings.not_approved');
    return o;
  };
  const formLocals = (req: Request, o: ObjectiveRow, today: string, corrected?: ReadingRow) => ({
    pageTitle: corrected ? 'objectives.readings.correct_title' : 'objectives.readings.new',
    objective: objectiveLine(o, req.lang ?? 'vi'),
    periodOptions: periodsOf(o.year, o.frequency)
      .filter((p) => p.from <= today)
      .map((p) => ({ value: p.key })),
    corrected,
    accept: ACCEPT_ATTRIBUTE,
    maxMb: Math.round(ctx.config.uploadMaxBytes / 1048576),
  });
  const correctedOf = async (o: ObjectiveRow, raw: unknown): Promise<ReadingRow | undefined> => {
    if (raw === undefined || raw === '') return undefined;
    const id = typeof raw === 'string' && /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : NaN;
    const r = Number.isSafeInteger(id) ? await findReading(ctx.db, id) : undefined;
    if (!r || r.objective_id !== o.id) throw new NotFound();
    return r;
  };

  table
    .get('/objectives/:id/readings/new', QUALITY, async (req, res) => {
      const o = await loadManual(req);
      const corrected = await correctedOf(o, queryText(req, 'corrects', 20));
      const period = corrected?.period ?? queryText(req, 'period', 5);
      res.render(FORM, {
        ...formLocals(req, o, todayOf(res), corrected),
        values: { period, supersedes_id: corrected?.id, value: corrected ? String(corrected.value) : '' },
        errors: {},
      });
    })
    .post('/objectives/:id/readings', QUALITY, uploadToDisk('file', ctx.config.uploadMaxBytes), async (req, res) => {
      const temp = req.file?.path;
      let pending: PendingFile | undefined;
      try {
        const o = await loadManual(req);
        const body = (req.body ?? {}) as Record<string, unknown>;
        const today = todayOf(res);
        const corrected = await correctedOf(o, body.supersedes_id);
        const view: FormView = { view: FORM, locals: formLocals(req, o, today, corrected) };
        const form = parseForm(ReadingForm, body, view);
        if (form.supersedes_id !== undefined && form.reason === undefined) failField('reason', 'objectives.readings.reason_required', body, view);
        if (req.file) {
          try {
            pending = await prepareUpload(ctx, { path: req.file.path }, uploadedFileName(req.file.originalname));
          } catch (err) {
            if (err instanceof UploadRejected) failField('file', err.messageKey, body, view);
            throw err;
          }
        }
        const input = { period: form.period, value: form.value, note: form.note ?? '', supersedesId: form.supersedes_id, reason: form.reason };
        const file = pending;
        await withFieldErrors(body, view, () =>
          file
            ? keepUpload(ctx, file, (c) => addReading(c, o.id, input, file, req.user!.id, today))
            : addReading(ctx, o.id, input, undefined, req.user!.id, today),
        );
        await setFlash(ctx, req, { kind: 'success', key: corrected ? 'objectives.flash.corrected' : 'objectives.flash.reading' });
        res.redirect(303, `/objectives/${o.id}`);
      } finally {
        await discardUpload(pending);
        if (temp) await rm(temp, { force: true });
      }
    })
    .get('/objectives/:id/readings/:readingId/file', SIGNED_IN, async (req, res) => {
      const o = await findObjective(ctx.db, idParam(req));
      const r = o ? await findReading(ctx.db, idParam(req, 'readingId')) : undefined;
      if (!r || r.objective_id !== o!.id || !r.file_sha256 || !r.file_name || !r.file_mime) throw new NotFound();
      await sendStoredFile(ctx, res, r.file_sha256, r.file_name, r.file_mime);
    });
}
