import type { Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import { Conflict, NotFound, type FieldError } from '../../core/http/errors';
import { collectErrors, parseForm } from '../../core/http/forms';
import { idParam } from '../../core/http/params';
import { QUALITY, READERS, type Role } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { findSet, findTriageSettings, listQuestions, listSets, type QuestionRow } from './surveys.queries';
import { ActivateForm, EmptyForm, MoveForm, QuestionForm, SettingsForm } from './surveys.schemas';
import { activateSet, addQuestion, createDefaultSet, editQuestion, moveQuestion, newDraft, removeQuestion, saveTriageSettings } from './surveys.sets.service';
import { SURVEY_CRITERIA } from './surveys.tables';

/** A form's fields without its CSRF token. */
const fieldsOf = (body: unknown) => Object.fromEntries(Object.entries((body ?? {}) as Record<string, unknown>).filter(([k]) => k !== '_csrf'));
/** The errors of a form that sends nothing but its token (any other field is refused), or undefined when it is clean. */
const extraFields = (body: unknown): Record<string, FieldError> | undefined => {
  const parsed = EmptyForm.safeParse(fieldsOf(body));
  return parsed.success ? undefined : collectErrors(parsed.error);
};
const canEdit = (role: Role | undefined) => role !== undefined && (QUALITY as readonly string[]).includes(role);
const CRITERIA = SURVEY_CRITERIA.map((c) => ({ value: c }));

/** A refused change (a set in use, a draft already open, an empty set): said on the page it came from. */
async function refused(ctx: AppContext, req: Request, res: Response, err: unknown, back: string): Promise<boolean> {
  if (!(err instanceof Conflict)) return false;
  await setFlash(ctx, req, { kind: 'error', key: err.messageKey });
  res.redirect(303, back);
  return true;
}

/**
 * The question sets of the satisfaction survey (issue 24) and the organisation's triage settings: the versions with
 * their answers (GET /surveys/sets), one set's questions (GET /surveys/sets/:id), edited while a draft by the quality
 * officer or the admin — add, edit, remove, reorder —, a new version copied from the set in force, and activating a
 * draft (which retires the set in force). A set in use never changes: the page says so (a flash message) instead of
 * meeting the database's triggers. Readers (managers, inspector) see the pages without the forms.
 */
export function surveysRoutes(ctx: AppContext): RouteTable {
  const loadSet = async (req: Request) => {
    const set = await findSet(ctx.db, idParam(req));
    if (!set) throw new NotFound();
    return set;
  };
  const renderSets = async (req: Request, res: Response, status: number, values?: Record<string, unknown>, errors: Record<string, FieldError> = {}) => {
    const sets = await listSets(ctx.db);
    const triage = await findTriageSettings(ctx.db);
    res.status(status).render('surveys/sets', {
      pageTitle: 'surveys.sets.title',
      sets,
      hasDraft: sets.some((s) => s.status === 'draft'),
      canEdit: canEdit(req.user?.role),
      lowScores: [0, 1, 2, 3, 4].map((n) => ({ value: String(n) })),
      commentOptions: [{ value: '1' }, { value: '0' }],
      values: values ?? { survey_low_score: String(triage.lowScore), survey_comment_feedback: triage.commentFeedback ? '1' : '0' },
      errors,
    });
  };
  const renderSet = async (req: Request, res: Response, status: number, values: Record<string, unknown> = {}, errors: Record<string, FieldError> = {}) => {
    const set = await loadSet(req);
    const questions = await listQuestions(ctx.db, set.id);
    const sets = await listSets(ctx.db);
    res.status(status).render('surveys/set', {
      pageTitle: 'surveys.set.title',
      set,
      answers: sets.find((s) => s.id === set.id)?.answers ?? 0,
      questions: questions.map((q, i) => ({ ...q, first: i === 0, last: i === questions.length - 1 })),
      editable: set.status === 'draft' && canEdit(req.user?.role),
      criteria: CRITERIA,
      values,
      errors,
    });
  };
  const loadQuestion = async (req: Request): Promise<QuestionRow> => {
    const set = await loadSet(req);
    const q = (await listQuestions(ctx.db, set.id)).find((x) => x.id === idParam(req, 'qid'));
    if (!q) throw new NotFound();
    return q;
  };
  const setUrl = (req: Request) => `/surveys/sets/${idParam(req)}`;

  return new RouteTable()
    .get('/surveys/sets', READERS, async (req, res) => renderSets(req, res, 200))
    .post('/surveys/settings', QUALITY, async (req, res) => {
      const parsed = SettingsForm.safeParse(fieldsOf(req.body));
      if (!parsed.success) return renderSets(req, res, 422, req.body as Record<string, unknown>, collectErrors(parsed.error));
      const s = { lowScore: parsed.data.survey_low_score, commentFeedback: parsed.data.survey_comment_feedback === '1' };
      await saveTriageSettings(ctx.db, s, req.user!.id, ctx.clock.now());
      await setFlash(ctx, req, { kind: 'success', key: 'surveys.flash.settings_saved' });
      res.redirect(303, '/surveys/sets');
    })
    .post('/surveys/sets/default', QUALITY, async (req, res) => {
      const extra = extraFields(req.body);
      if (extra) return renderSets(req, res, 422, undefined, extra);
      const id = await createDefaultSet(ctx.db, req.user!.id, ctx.clock.now());
      if (id === undefined) {
        await setFlash(ctx, req, { kind: 'error', key: 'surveys.default_exists' });
        return res.redirect(303, '/surveys/sets');
      }
      await setFlash(ctx, req, { kind: 'success', key: 'surveys.flash.default_created' });
      res.redirect(303, `/surveys/sets/${id}`);
    })
    .post('/surveys/sets/new', QUALITY, async (req, res) => {
      const extra = extraFields(req.body);
      if (extra) return renderSets(req, res, 422, undefined, extra);
      try {
        const id = await newDraft(ctx.db, req.user!.id, ctx.clock.now());
        await setFlash(ctx, req, { kind: 'success', key: 'surveys.flash.draft_created' });
        res.redirect(303, `/surveys/sets/${id}`);
      } catch (err) {
        if (!(await refused(ctx, req, res, err, '/surveys/sets'))) throw err;
      }
    })
    .get('/surveys/sets/:id', READERS, async (req, res) => renderSet(req, res, 200))
    .post('/surveys/sets/:id/questions', QUALITY, async (req, res) => {
      await loadSet(req);
      const input = fieldsOf(req.body);
      const parsed = QuestionForm.safeParse(input);
      if (!parsed.success) return renderSet(req, res, 422, input, collectErrors(parsed.error));
      try {
        await addQuestion(ctx.db, idParam(req), parsed.data, req.user!.id, ctx.clock.now());
        res.redirect(303, setUrl(req));
      } catch (err) {
        if (!(await refused(ctx, req, res, err, setUrl(req)))) throw err;
      }
    })
    .get('/surveys/sets/:id/questions/:qid', READERS, async (req, res) => {
      const q = await loadQuestion(req);
      const set = (await findSet(ctx.db, q.question_set_id))!;
      if (set.status !== 'draft' || !canEdit(req.user?.role)) return res.redirect(303, setUrl(req));
      res.render('surveys/question', { pageTitle: 'surveys.question.edit', set, question: q, criteria: CRITERIA, values: q, errors: {} });
    })
    .post('/surveys/sets/:id/questions/:qid', QUALITY, async (req, res) => {
      const q = await loadQuestion(req);
      const set = (await findSet(ctx.db, q.question_set_id))!;
      const form = parseForm(QuestionForm, req.body, {
        view: 'surveys/question',
        locals: { pageTitle: 'surveys.question.edit', set, question: q, criteria: CRITERIA },
      });
      try {
        await editQuestion(ctx.db, set.id, q.id, form, req.user!.id, ctx.clock.now());
        res.redirect(303, setUrl(req));
      } catch (err) {
        if (!(await refused(ctx, req, res, err, setUrl(req)))) throw err;
      }
    })
    .post('/surveys/sets/:id/questions/:qid/remove', QUALITY, async (req, res) => {
      const q = await loadQuestion(req);
      const extra = extraFields(req.body);
      if (extra) return renderSet(req, res, 422, {}, extra);
      try {
        await removeQuestion(ctx.db, q.question_set_id, q.id, req.user!.id, ctx.clock.now());
        res.redirect(303, setUrl(req));
      } catch (err) {
        if (!(await refused(ctx, req, res, err, setUrl(req)))) throw err;
      }
    })
    .post('/surveys/sets/:id/questions/:qid/move', QUALITY, async (req, res) => {
      const q = await loadQuestion(req);
      const form = MoveForm.safeParse(fieldsOf(req.body));
      if (!form.success) return renderSet(req, res, 422, {}, collectErrors(form.error));
      try {
        await moveQuestion(ctx.db, q.question_set_id, q.id, form.data.direction, req.user!.id, ctx.clock.now());
        res.redirect(303, `${setUrl(req)}#question-${q.id}`);
      } catch (err) {
        if (!(await refused(ctx, req, res, err, setUrl(req)))) throw err;
      }
    })
    .post('/surveys/sets/:id/activate', QUALITY, async (req, res) => {
      await loadSet(req);
      const input = fieldsOf(req.body);
      const parsed = ActivateForm.safeParse(input);
      if (!parsed.success || !parsed.data.confirm) return renderSet(req, res, 422, input, { confirm: { key: 'surveys.confirm_required' } });
      try {
        await activateSet(ctx.db, idParam(req), req.user!.id, ctx.clock.now());
        await setFlash(ctx, req, { kind: 'success', key: 'surveys.flash.activated' });
        res.redirect(303, setUrl(req));
      } catch (err) {
        if (!(await refused(ctx, req, res, err, setUrl(req)))) throw err;
      }
    });
}
