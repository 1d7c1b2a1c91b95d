import type { Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import { failField, parseForm, type FormView } from '../../core/http/forms';
import { NotFound } from '../../core/http/errors';
import { idParam } from '../../core/http/params';
import { LEADERS, MANAGERS, READERS } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { timeZoneOf, todayOf } from '../../core/http/today';
import { checkSigner } from '../../core/security/signatures';
import { safeFileName, toCsv } from '../reports/reports.csv';
import { sendDownload } from '../reports/reports.http';
import { INPUTS, parseAssessments, parseIds } from './reviews.model';
import { findReview, listAllDecisions, listPeople, listReviews, type ReviewRow } from './reviews.queries';
import { DecisionForm, ReviewEditForm, ReviewForm, SignForm, type ReviewFormOutput } from './reviews.schemas';
import { addDecision, createReview, ReviewFieldError, signReview, updateReview, type ReviewInput } from './reviews.service';
import { decisionsTable, decisionsXlsx } from './reviews.exports';
import { sendDocx } from '../../core/docx/docx.http';
import { reviewDocx } from './reviews.docx';
import { printLocals, showLocals } from './reviews.view';

/**
 * Management reviews (clause 9.3): the list and the decisions' register (CSV/XLSX) for the readers; one review with
 * its data pack (live while a draft, frozen once signed), the leaders' assessments, conclusions and decisions with
 * their actions, and the printed minutes; preparing a draft and adding decisions (quality officers, admin, leaders);
 * signing (the chair, a leader, with the password re-entered).
 */
export function reviewsRoutes(ctx: AppContext): RouteTable {
  const load = async (req: Request): Promise<ReviewRow> => {
    const review = await findReview(ctx.db, idParam(req));
    if (!review) throw new NotFound();
    return review;
  };
  const formLocals = async (extra: Record<string, unknown>) => {
    const people = await listPeople(ctx.db);
    return {
      chairOptions: people.filter((p) => p.role === 'leader').map((p) => ({ value: p.id, label: p.full_name })),
      peopleOptions: people.map((p) => ({ value: p.id, label: p.position_title ? `${p.full_name} — ${p.position_title}` : p.full_name })),
      inputs: INPUTS.map((key) => ({ key, name: `assessment_${key}` })),
      ...extra,
    };
  };
  const fail = (err: unknown, body: Record<string, unknown>, view: FormView): never => {
    if (err instanceof ReviewFieldError) failField(err.field, err.key, body, view);
    throw err;
  };
  const showView = async (req: Request, res: Response, review: ReviewRow): Promise<FormView> => ({
    view: 'reviews/show',
    locals: await showLocals(ctx, review, req.user!, todayOf(res), timeZoneOf(res), req.lang ?? 'vi'),
  });
  const fileName = (ext: string) => (res: Response) => safeFileName(`quyet-dinh-xem-xet-lanh-dao-${todayOf(res)}.${ext}`);

  return new RouteTable()
    .get('/reviews.csv', READERS, async (req, res) => {
      const t = decisionsTable(await listAllDecisions(ctx.db), req.lang ?? 'vi', todayOf(res));
      sendDownload(res, toCsv([t.keys, ...t.rows]), 'text/csv; charset=utf-8', fileName('csv')(res));
    })
    .get('/reviews.xlsx', READERS, async (req, res) => {
      const body = await decisionsXlsx(await listAllDecisions(ctx.db), req.lang ?? 'vi', todayOf(res));
      sendDownload(res, body, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName('xlsx')(res));
    })
    .get('/reviews', READERS, async (req, res) => {
      res.render('reviews/index', {
        pageTitle: 'reviews.title',
        rows: await listReviews(ctx.db),
        canCreate: (MANAGERS as readonly string[]).includes(req.user?.role ?? ''),
      });
    })
    .get('/reviews/new', MANAGERS, async (req, res) => {
      const today = todayOf(res);
      const year = today.slice(0, 4);
      res.render('reviews/form', {
        ...(await formLocals({ pageTitle: 'reviews.new' })),
        values: { period_from: `${year}-01-01`, period_to: today, held_on: today, secretary_id: req.user!.id, attendee_ids: [] },
        errors: {},
      });
    })
    .post('/reviews', MANAGERS, async (req, res) => {
      const view: FormView = { view: 'reviews/form', locals: await formLocals({ pageTitle: 'reviews.new' }) };
      const form = parseForm(ReviewForm, req.body, view);
      let id: number;
      try {
        id = await createReview(ctx, inputOf(form), req.user!.id);
      } catch (err) {
        return fail(err, req.body, view);
      }
      const review = await findReview(ctx.db, id);
      await setFlash(ctx, req, { kind: 'success', key: 'reviews.flash.created', params: { code: review?.code ?? '' } });
      res.redirect(303, `/reviews/${id}`);
    })
    .get('/reviews/:id', READERS, async (req, res) => {
      const review = await load(req);
      const view = await showView(req, res, review);
      res.render(view.view, view.locals);
    })
    .get('/reviews/:id/print', READERS, async (req, res) => {
      const review = await load(req);
      res.render('reviews/print', await printLocals(ctx, review, todayOf(res), timeZoneOf(res), req.lang ?? 'vi'));
    })
    .get('/reviews/:id/print.docx', READERS, async (req, res) => {
      const review = await load(req);
      const locals = await printLocals(ctx, review, todayOf(res), timeZoneOf(res), req.lang ?? 'vi');
      sendDocx(res, await reviewDocx(locals, req.lang ?? 'vi', timeZoneOf(res)), `bien-ban-${review.code}.docx`);
    })
    .get('/reviews/:id/edit', MANAGERS, async (req, res) => {
      const review = await load(req);
      if (review.status !== 'draft') throw new NotFound();
      const assessments = parseAssessments(review.assessments);
      res.render('reviews/form', {
        ...(await formLocals({ pageTitle: 'reviews.edit', review })),
        values: {
          ...review,
          attendee_ids: parseIds(review.attendee_ids),
          ...Object.fromEntries(INPUTS.map((k) => [`assessment_${k}`, assessments[k]])),
        },
        errors: {},
      });
    })
    .post('/reviews/:id', MANAGERS, async (req, res) => {
      const review = await load(req);
      const view: FormView = { view: 'reviews/form', locals: await formLocals({ pageTitle: 'reviews.edit', review }) };
      const form = parseForm(ReviewEditForm, req.body, view);
      try {
        await updateReview(ctx, review.id, form.version, inputOf(form), req.user!.id);
      } catch (err) {
        return fail(err, req.body, view);
      }
      await setFlash(ctx, req, { kind: 'success', key: 'flash.saved' });
      res.redirect(303, `/reviews/${review.id}`);
    })
    .post('/reviews/:id/decisions', MANAGERS, async (req, res) => {
      const review = await load(req);
      const view = await showView(req, res, review);
      const form = parseForm(DecisionForm, req.body, view);
      try {
        await addDecision(ctx, review.id, form, req.user!.id);
      } catch (err) {
        return fail(err, req.body, view);
      }
      await setFlash(ctx, req, { kind: 'success', key: 'reviews.flash.decision' });
      res.redirect(303, `/reviews/${review.id}#decisions`);
    })
    .post('/reviews/:id/sign', LEADERS, async (req, res) => {
      const review = await load(req);
      const view = await showView(req, res, review);
      const form = parseForm(SignForm, req.body, view);
      const kept = { version: form.version };
      const signer = await checkSigner(ctx, req.user!.id, form.password);
      if (!signer) failField('password', 'reviews.error.wrong_password', kept, view);
      try {
        await signReview(ctx, review.id, form.version, signer);
      } catch (err) {
        return fail(err, kept, view);
      }
      await setFlash(ctx, req, { kind: 'success', key: 'reviews.flash.signed' });
      res.redirect(303, `/reviews/${review.id}`);
    });
}

function inputOf(form: ReviewFormOutput): ReviewInput {
  return {
    number_text: form.number_text,
    period_from: form.period_from,
    period_to: form.period_to,
    held_on: form.held_on,
    place: form.place,
    chair_id: form.chair_id,
    secretary_id: form.secretary_id,
    attendee_ids: form.attendee_ids,
    guests: form.guests,
    conclusions: form.conclusions,
    assessments: Object.fromEntries(INPUTS.map((k) => [k, form[`assessment_${k}`] ?? ''])) as ReviewInput['assessments'],
  };
}
