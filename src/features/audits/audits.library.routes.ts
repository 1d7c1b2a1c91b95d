import type { Request } from 'express';
import type { AppContext } from '../../core/context';
import { NotFound } from '../../core/http/errors';
import { failField, parseForm, type FormView } from '../../core/http/forms';
import { idParam, queryText } from '../../core/http/params';
import { QUALITY, READERS } from '../../core/http/roles';
import type { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { clauseOptions, clauseTitle, isClause } from '../../core/iso/clauses';
import { sortClauses } from './audits.checklist.build';
import { listActiveProcedures } from './audits.links.queries';
import { countQuestions, findQuestion, listQuestionRevisions, listQuestions, type QuestionRow } from './audits.library.queries';
import { QuestionEditForm, QuestionForm } from './audits.library.schemas';
import { NOT_APPLICABLE_CLAUSES } from './audits.library.seed';
import { createQuestion, editQuestion, installLibrary, setQuestionActive } from './audits.library.service';
import { ButtonForm, ReasonForm } from './audits.schemas';
import { canEditAudits } from './audits.view';

/**
 * /audits/questions: the question library by clause. Readers read it; quality officers load the standard
 * questions, add, edit (a new revision with its reason), retire and bring back questions.
 */
const FORM = 'audits/questions-form';

export function registerLibraryRoutes(table: RouteTable, ctx: AppContext): void {
  const load = async (req: Request): Promise<QuestionRow> => {
    const question = await findQuestion(ctx.db, idParam(req));
    if (!question) throw new NotFound();
    return question;
  };

  const formLocals = async (req: Request, question?: QuestionRow) => {
    const procedures = await listActiveProcedures(ctx.db);
    const procedureOptions = procedures.map((p) => ({ value: p.id, label: `${p.code} — ${p.title}` }));
    if (question?.procedure_id && !procedures.some((p) => p.id === question.procedure_id))
      procedureOptions.push({ value: question.procedure_id, label: question.procedure_code ?? '' });
    return { pageTitle: question ? 'audits.library.edit' : 'audits.library.new', question, procedureOptions, clauseOptions: clauseOptions(req.lang) };
  };

  /** The procedure must be one the form offered (the organisation's own). */
  const checkProcedure = (form: { procedure_id?: number }, body: unknown, view: FormView) => {
    const offered = ((view.locals?.procedureOptions ?? []) as { value: number }[]).some((o) => o.value === form.procedure_id);
    if (form.procedure_id && !offered) failField('procedure_id', 'validation.invalid_choice', body as Record<string, unknown>, view);
  };

  const indexLocals = async (req: Request) => {
    const clause = queryText(req, 'clause', 10);
    const procedure = queryText(req, 'procedure', 15);
    const status = queryText(req, 'status', 10) === 'retired' ? 'retired' : 'active';
    const filter = {
      clause: clause && isClause(clause) ? clause : undefined,
      procedureId: procedure && /^\d+$/.test(procedure) ? Number(procedure) : undefined,
      status,
    } as const;
    const [questions, procedures, total] = await Promise.all([listQuestions(ctx.db, filter), listActiveProcedures(ctx.db), countQuestions(ctx.db)]);
    const groups = sortClauses([...new Set(questions.map((q) => q.clause))]).map((c) => ({
      clause: c,
      title: clauseTitle(c, req.lang),
      questions: questions.filter((q) => q.clause === c),
    }));
    return {
      pageTitle: 'audits.library.title',
      groups,
      count: questions.length,
      libraryEmpty: total === 0,
      notApplicable: NOT_APPLICABLE_CLAUSES.join(', '),
      filter: { clause: filter.clause ?? '', procedure: filter.procedureId ?? '', status },
      clauseOptions: clauseOptions(req.lang),
      procedureOptions: procedures.map((p) => ({ value: p.id, label: `${p.code} — ${p.title}` })),
      canEdit: canEditAudits(req),
      errors: {},
    };
  };

  table
    .get('/audits/questions', READERS, async (req, res) => {
      res.render('audits/questions', await indexLocals(req));
    })
    .post('/audits/questions/install', QUALITY, async (req, res) => {
      parseForm(ButtonForm, req.body, { view: 'audits/questions', locals: await indexLocals(req) });
      const n = await installLibrary(ctx, req.user!.id);
      await setFlash(ctx, req, { kind: 'success', key: 'audits.library.installed', params: { n } });
      res.redirect(303, '/audits/questions');
    })
    .get('/audits/questions/new', QUALITY, async (req, res) => {
      res.render(FORM, { ...(await formLocals(req)), values: { clause: queryText(req, 'clause', 10) ?? '' }, errors: {} });
    })
    .post('/audits/questions', QUALITY, async (req, res) => {
      const view = { view: FORM, locals: await formLocals(req) };
      const form = parseForm(QuestionForm, req.body, view);
      checkProcedure(form, req.body, view);
      const input = { clause: form.clause, procedure_id: form.procedure_id ?? null, text_vi: form.text_vi, text_en: form.text_en ?? '' };
      const id = await createQuestion(ctx, input, req.user!.id);
      await setFlash(ctx, req, { kind: 'success', key: 'flash.created' });
      res.redirect(303, `/audits/questions?clause=${encodeURIComponent(form.clause)}#q-${id}`);
    })
    .get('/audits/questions/:id', READERS, async (req, res) => {
      const question = await load(req);
      res.render('audits/questions-history', {
        pageTitle: 'audits.library.history',
        question,
        clauseTitle: clauseTitle(question.clause, req.lang),
        revisions: await listQuestionRevisions(ctx.db, question.id),
        canEdit: canEditAudits(req),
        errors: {},
        values: {},
      });
    })
    .get('/audits/questions/:id/edit', QUALITY, async (req, res) => {
      const question = await load(req);
      res.render(FORM, { ...(await formLocals(req, question)), values: { ...question, reason: '' }, errors: {} });
    })
    .post('/audits/questions/:id', QUALITY, async (req, res) => {
      const question = await load(req);
      const view = { view: FORM, locals: await formLocals(req, question) };
      const form = parseForm(QuestionEditForm, req.body, view);
      checkProcedure(form, req.body, view);
      const input = { clause: form.clause, procedure_id: form.procedure_id ?? null, text_vi: form.text_vi, text_en: form.text_en ?? '' };
      await editQuestion(ctx, question.id, input, form.reason, form.version, req.user!.id);
      await setFlash(ctx, req, { kind: 'success', key: 'flash.saved' });
      res.redirect(303, `/audits/questions/${question.id}`);
    })
    .post('/audits/questions/:id/status', QUALITY, async (req, res) => {
      const question = await load(req);
      const locals = {
        pageTitle: 'audits.library.history',
        question,
        clauseTitle: clauseTitle(question.clause, req.lang),
        revisions: await listQuestionRevisions(ctx.db, question.id),
        canEdit: true,
      };
      const form = parseForm(ReasonForm, req.body, { view: 'audits/questions-history', locals });
      await setQuestionActive(ctx, question.id, question.active !== 1, form.reason, form.version, req.user!.id);
      await setFlash(ctx, req, { kind: 'success', key: 'flash.saved' });
      res.redirect(303, `/audits/questions/${question.id}`);
    });
}
