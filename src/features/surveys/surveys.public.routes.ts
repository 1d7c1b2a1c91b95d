import type { Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import { scopedDb } from '../../core/db/scope';
import type { Db } from '../../core/db/database';
import type { FieldError } from '../../core/http/errors';
import { collectErrors } from '../../core/http/forms';
import { queryText } from '../../core/http/params';
import { PUBLIC } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { csrfToken } from '../../core/http/session';
import { surveyLimiterOf } from './surveys.limits.model';
import { COMMENT_MAX, COUNTER_MAX, DOSSIER_CODE_MAX, SCALE } from './surveys.model';
import { findSetByStatus, listQuestions, type QuestionRow } from './surveys.queries';
import { findSurveyOrganisation, findSurveyProcedure } from './surveys.responses.queries';
import { answerForm, HONEYPOT, scoreField } from './surveys.schemas';
import { DossierAnswered, DossierUnknown, QuestionUnknown, submitResponse, SurveyNotOpen } from './surveys.service';

/**
 * The public survey page (issue 24): `/s/:org/:procedure`, reached from the QR code of a counter card or a receipt,
 * answered without signing in. `?counter=` names the counter of the card (kept as given, at most 40 characters),
 * `?lang=en` asks for English (Vietnamese otherwise). Its own plain layout (views/layouts/survey.hbs): no menu, no
 * script, one stylesheet of this site. CSRF as for the sign-in form: a signed token in a cookie, nothing stored.
 * Abuse: a honeypot field (a filled one is answered as accepted and nothing is stored) and in-memory rate limits
 * (surveys.limits.model.ts) answering 429 with Retry-After. No client address reaches the database.
 */
interface Page {
  db: Db;
  org: { id: number; code: string; name: string; time_zone: string };
  procedure: { id: number; code: string; title: string };
  questions: QuestionRow[];
  lang: 'vi' | 'en';
  counter: string | null;
  /** The page's own address with its query (language, counter), for the form and the links. */
  query: string;
}

const LAYOUT = 'survey';

function queryOf(lang: 'vi' | 'en', counter: string | null): string {
  const p = new URLSearchParams();
  if (lang === 'en') p.set('lang', 'en');
  if (counter) p.set('counter', counter);
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** A page of the survey that only says something (not found, not open, too many answers, thanks), in its own layout. */
function message(req: Request, res: Response, status: number, key: string, lang: 'vi' | 'en', extra: Record<string, unknown> = {}): void {
  res.locals.lang = lang;
  const otherLang = lang === 'vi' ? 'en' : 'vi';
  res.status(status).render('surveys/public-message', {
    layout: LAYOUT,
    lang,
    otherLang,
    langSwitchUrl: `${req.path}?lang=${otherLang}`,
    pageTitle: `surveys.public.heading_${key}`,
    messageKey: key,
    ...extra,
  });
}

export function surveysPublicRoutes(ctx: AppContext): RouteTable {
  const limiter = surveyLimiterOf(ctx);

  /** The page's organisation, procedure and active questions; a message page (and undefined) when there is none. */
  const load = async (req: Request, res: Response): Promise<Page | undefined> => {
    const lang = req.query.lang === 'en' ? 'en' : 'vi';
    res.locals.lang = lang;
    const orgCode = String(req.params.org ?? '').slice(0, 100);
    const org = await findSurveyOrganisation(ctx.db, orgCode);
    const db = org ? scopedDb(ctx.db, org.id) : undefined;
    const procedure = db ? await findSurveyProcedure(db, String(req.params.procedure ?? '').slice(0, 100)) : undefined;
    if (!org || !db || !procedure) return void message(req, res, 404, 'not_found', lang);
    const set = await findSetByStatus(db, 'active');
    if (!set) return void message(req, res, req.method === 'GET' ? 200 : 409, 'not_open', lang, { orgName: org.name });
    const counter = queryText(req, 'counter', COUNTER_MAX) ?? null;
    return {
      db,
      org: { ...org, code: orgCode },
      procedure,
      questions: await listQuestions(db, set.id),
      lang,
      counter,
      query: queryOf(lang, counter),
    };
  };

  const render = async (req: Request, res: Response, p: Page, status: number, values: Record<string, unknown>, errors: Record<string, FieldError>) => {
    const base = `/s/${encodeURIComponent(p.org.code)}/${encodeURIComponent(p.procedure.code)}`;
    res.status(status).render('surveys/public', {
      layout: LAYOUT,
      lang: p.lang,
      pageTitle: 'surveys.public.title',
      csrfToken: await csrfToken(ctx, req, res),
      orgName: p.org.name,
      procedure: p.procedure,
      counter: p.counter,
      action: `${base}${p.query}`,
      langSwitchUrl: `${base}${queryOf(p.lang === 'vi' ? 'en' : 'vi', p.counter)}`,
      otherLang: p.lang === 'vi' ? 'en' : 'vi',
      questions: p.questions.map((q) => {
        const name = scoreField(q.id);
        return {
          name,
          text: p.lang === 'en' ? q.text_en : q.text_vi,
          error: errors[name],
          options: SCALE.map((n) => ({ n, id: `${name}-${n}`, checked: values[name] === String(n) })),
        };
      }),
      values,
      errors,
      honeypot: HONEYPOT,
      limits: { dossier: DOSSIER_CODE_MAX, comment: COMMENT_MAX },
    });
  };

  return new RouteTable()
    .get('/s/:org/:procedure', PUBLIC, async (req, res) => {
      const p = await load(req, res);
      if (p) await render(req, res, p, 200, {}, {});
    })
    .post('/s/:org/:procedure', PUBLIC, async (req, res) => {
      const p = await load(req, res);
      if (!p) return;
      const address = req.ip ?? 'unknown';
      const key = `${p.org.id}/${p.procedure.id}`;
      const wait = limiter.retryAfter(address, key);
      if (wait > 0) {
        res.set('Retry-After', String(wait));
        return message(req, res, 429, 'too_many', p.lang, { minutes: Math.ceil(wait / 60) });
      }
      const thanks = `/s/${encodeURIComponent(p.org.code)}/${encodeURIComponent(p.procedure.code)}/thanks${queryOf(p.lang, null)}`;
      const body = (req.body ?? {}) as Record<string, unknown>;
      const trap = body[HONEYPOT];
      if (trap !== undefined && trap !== '') {
        limiter.hit(address, key);
        return res.redirect(303, thanks);
      }
      const input: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(body)) if (k !== '_csrf' && k !== HONEYPOT) input[k] = v;
      const parsed = answerForm(p.questions.map((q) => q.id)).safeParse(input);
      if (!parsed.success) return render(req, res, p, 422, input, collectErrors(parsed.error));
      const form = parsed.data as Record<string, string | undefined>;
      const scores = new Map<number, number>();
      for (const q of p.questions) {
        const v = form[scoreField(q.id)];
        if (v !== undefined) scores.set(q.id, Number(v));
      }
      if (scores.size === 0 && form.comment === undefined) return render(req, res, p, 422, input, { _form: { key: 'surveys.public.nothing_given' } });
      try {
        await submitResponse(
          p.db,
          {
            procedureCode: p.procedure.code,
            scores,
            dossierCode: form.dossier_code ?? null,
            comment: form.comment ?? null,
            counter: p.counter,
            language: p.lang,
          },
          ctx.clock.now(),
          p.org.time_zone,
        );
      } catch (err) {
        if (err instanceof DossierUnknown || err instanceof DossierAnswered) {
          limiter.hit(address, key);
          const k = err instanceof DossierUnknown ? 'surveys.public.dossier_unknown' : 'surveys.public.dossier_answered';
          return render(req, res, p, 422, input, { dossier_code: { key: k } });
        }
        if (err instanceof QuestionUnknown) return render(req, res, p, 422, input, { _form: { key: 'surveys.public.questions_changed' } });
        if (err instanceof SurveyNotOpen) return message(req, res, 409, 'not_open', p.lang, { orgName: p.org.name });
        throw err;
      }
      limiter.hit(address, key);
      res.redirect(303, thanks);
    })
    .get('/s/:org/:procedure/thanks', PUBLIC, async (req, res) => {
      const p = await load(req, res);
      if (!p) return;
      message(req, res, 200, 'thanks', p.lang, { orgName: p.org.name, procedure: p.procedure });
    });
}
