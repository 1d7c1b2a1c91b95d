import type { Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import { NotFound, type FieldError } from '../../core/http/errors';
import { collectErrors } from '../../core/http/forms';
import { idParam } from '../../core/http/params';
import { QUALITY, READERS, type Role } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { todayOf } from '../../core/http/today';
import { pagePeriod, periodPresets } from '../dossiers/dossiers.period';
import { listProcedureOptions } from '../procedures/procedures.queries';
import { procedureFilter } from '../procedures/procedures.filter';
import { countResponses, findResponse, listResponses, listScoresOf } from './surveys.responses.queries';
import { DiscardForm } from './surveys.schemas';
import { discardResponse } from './surveys.service';

/**
 * The answers given through the public survey page, for the quality officer (and the readers): a period and procedure
 * filter as on the other figures pages, each answer's scores and comment, and discarding spam with a reason (it stays,
 * marked discarded, and counts nowhere). The figures, charts and exports are on the results page (/surveys/results).
 */
const PAGE_SIZE = 50;
const canDiscard = (role: Role | undefined) => role !== undefined && (QUALITY as readonly string[]).includes(role);

export function surveysResponsesRoutes(ctx: AppContext): RouteTable {
  const renderList = async (
    req: Request,
    res: Response,
    status: number,
    q: Record<string, unknown>,
    discard?: { id: number; values: Record<string, unknown>; errors: Record<string, FieldError> },
  ) => {
    const today = todayOf(res);
    const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined ? undefined : '');
    const text = (v: unknown, max: number) => (typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, max) : undefined);
    const { period, problem } = pagePeriod({ from: str(q.from), to: str(q.to) }, today);
    const proc = await procedureFilter(ctx, { id: asId(text(q.procedure, 20)), code: text(q.procedure_code, 100) }, () => listProcedureOptions(ctx.db));
    const filter = { from: period.from, to: period.to, procedureId: proc.id ?? (proc.field.error ? -1 : undefined) };
    const total = await countResponses(ctx.db, filter);
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const asked = Number(text(q.page, 9) ?? '1');
    const page = Math.min(Number.isSafeInteger(asked) && asked >= 1 ? asked : 1, pages);
    const answers = await listResponses(ctx.db, filter, PAGE_SIZE, (page - 1) * PAGE_SIZE);
    const scores = await listScoresOf(
      ctx.db,
      answers.map((a) => a.id),
    );
    const query = { from: period.from, to: period.to, ...proc.query };
    res.status(status === 200 && (problem || proc.field.error) ? 400 : status).render('surveys/responses', {
      pageTitle: 'surveys.responses.title',
      period,
      periodProblem: problem,
      presets: periodPresets(today),
      procedureField: proc.field,
      query,
      total,
      pager: { page, pages, query, prev: page > 1 ? page - 1 : undefined, next: page < pages ? page + 1 : undefined },
      answers: answers.map((a) => ({
        ...a,
        scores: scores.filter((s) => s.response_id === a.id),
        discardOpen: discard?.id === a.id,
        values: discard?.id === a.id ? discard.values : {},
        errors: discard?.id === a.id ? discard.errors : {},
      })),
      canDiscard: canDiscard(req.user?.role),
      back: `/surveys/responses?${new URLSearchParams({ ...query, page: String(page) }).toString()}`,
    });
  };

  return new RouteTable()
    .get('/surveys/responses', READERS, async (req, res) => renderList(req, res, 200, req.query))
    .post('/surveys/responses/:id/discard', QUALITY, async (req, res) => {
      const id = idParam(req);
      if (!(await findResponse(ctx.db, id))) throw new NotFound();
      const input = Object.fromEntries(Object.entries((req.body ?? {}) as Record<string, unknown>).filter(([k]) => k !== '_csrf'));
      const parsed = DiscardForm.safeParse(input);
      const sent = parsed.success ? parsed.data.back : typeof input.back === 'string' ? input.back : undefined;
      const back = sent !== undefined && sent.startsWith('/surveys/responses?') && !/[\r\n#\\]/.test(sent) ? sent : '/surveys/responses';
      if (!parsed.success) {
        const q = Object.fromEntries(new URLSearchParams(back.split('?')[1] ?? ''));
        return renderList(req, res, 422, q, { id, values: input, errors: collectErrors(parsed.error) });
      }
      await discardResponse(ctx, id, parsed.data.discard_reason, req.user!.id);
      await setFlash(ctx, req, { kind: 'success', key: 'surveys.flash.discarded' });
      res.redirect(303, `${back}#answer-${id}`);
    });
}

const asId = (v: string | undefined) => (v && /^[1-9]\d{0,9}$/.test(v) ? Number(v) : undefined);
