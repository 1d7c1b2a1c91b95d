import type { Request } from 'express';
import type { AppContext } from '../../core/context';
import { failField, parseForm } from '../../core/http/forms';
import { NotFound } from '../../core/http/errors';
import { idParam, queryText } from '../../core/http/params';
import { LEADERS, QUALITY, READERS } from '../../core/http/roles';
import type { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { clauseTitle } from '../../core/iso/clauses';
import { checkSigner } from '../../core/security/signatures';
import { listSignatures } from '../../core/security/signatures.queries';
import { findOrganisation } from '../organisation/organisation.queries';
import { computeCoverage, parseNotApplicable } from './audits.coverage';
import { sortClauses } from './audits.checklist.build';
import { withFieldErrors, yearParam } from './audits.http';
import { listActiveProcedures, listProceduresByIds, listUnitsByIds } from './audits.links.queries';
import { findProgrammeByYear, findProgrammeItem, listConductedInYear, listProgrammeItems, listProgrammes, type ProgrammeRow } from './audits.programme.queries';
import {
  addProgrammeItem,
  approveProgramme,
  cancelProgrammeItem,
  createProgramme,
  editProgramme,
  editProgrammeItem,
  reopenProgramme,
} from './audits.programme.service';
import { listAuditsOfItems } from './audits.queries';
import { listLastAuditDates } from './audits.report.queries';
import { ApproveForm, ProgrammeCreateForm, ProgrammeEditForm, ProgrammeItemEditForm, ProgrammeItemForm, ReasonForm } from './audits.schemas';
import { canEditAudits, idsOf, scopeOptions } from './audits.view';
import { todayOf } from '../../core/http/today';

/** /audits/programmes: the yearly programme, its planned audits, approval and the coverage matrix. */
const ITEM_FORM = 'audits/programme-item';

export function registerProgrammeRoutes(table: RouteTable, ctx: AppContext): void {
  const loadProgramme = async (req: Request): Promise<ProgrammeRow> => {
    const programme = await findProgrammeByYear(ctx.db, yearParam(req));
    if (!programme) throw new NotFound();
    return programme;
  };

  const indexLocals = async (req: Request) => ({
    pageTitle: 'audits.programme.list_title',
    programmes: await listProgrammes(ctx.db),
    thisYear: Number(todayOf(req.res!).slice(0, 4)),
    canEdit: canEditAudits(req),
  });

  const showLocals = async (req: Request, programme: ProgrammeRow) => {
    const items = await listProgrammeItems(ctx.db, programme.id);
    const audits = await listAuditsOfItems(
      ctx.db,
      items.map((i) => i.id),
    );
    const procedures = new Map((await listProceduresByIds(ctx.db, [...new Set(items.flatMap((i) => i.procedure_ids))])).map((p) => [p.id, p.code]));
    const units = new Map((await listUnitsByIds(ctx.db, [...new Set(items.flatMap((i) => i.unit_ids))])).map((u) => [u.id, u.code]));
    return {
      pageTitle: 'audits.programme.title',
      programme,
      items: items.map((i) => ({
        ...i,
        procedureCodes: i.procedure_ids.map((id) => procedures.get(id) ?? String(id)),
        unitCodes: i.unit_ids.map((id) => units.get(id) ?? String(id)),
        clauseList: sortClauses(i.clauses).map((c) => ({ clause: c, title: clauseTitle(c, req.lang) })),
        audits: audits.filter((a) => a.programme_item_id === i.id),
        hasAudit: audits.some((a) => a.programme_item_id === i.id && a.status !== 'cancelled'),
      })),
      signatures: await listSignatures(ctx.db, 'audit_programme', programme.id),
      canEdit: canEditAudits(req),
      canApprove: req.user?.role === 'leader',
      errors: {},
      values: { objectives: programme.objectives },
    };
  };

  const itemFormLocals = async (req: Request, programme: ProgrammeRow, values: Record<string, unknown>, item?: { procedure_ids: number[] }) => ({
    pageTitle: item ? 'audits.programme.edit_item' : 'audits.programme.new_item',
    programme,
    item,
    months: Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: String(i + 1) })),
    ...(await scopeOptions(ctx, req.lang, { procedureIds: [...idsOf(values.procedure_ids), ...(item?.procedure_ids ?? [])] })),
  });

  const itemValues = (f: ReturnType<typeof ProgrammeItemForm.parse>) => ({
    title: f.title,
    month: f.month,
    audit_type: f.audit_type,
    procedure_ids: f.procedure_ids,
    unit_ids: f.unit_ids,
    clauses: f.clauses,
    notes: f.notes ?? '',
  });

  table
    .get('/audits/programmes', READERS, async (req, res) => {
      const locals = await indexLocals(req);
      res.render('audits/programmes', { ...locals, values: { year: locals.thisYear }, errors: {} });
    })
    .post('/audits/programmes', QUALITY, async (req, res) => {
      const view = { view: 'audits/programmes', locals: await indexLocals(req) };
      const form = parseForm(ProgrammeCreateForm, req.body, view);
      await withFieldErrors(req.body, view, () => createProgramme(ctx, form.year, form.objectives ?? '', req.user!.id));
      await setFlash(ctx, req, { kind: 'success', key: 'flash.created' });
      res.redirect(303, `/audits/programmes/${form.year}`);
    })
    .get('/audits/programmes/:year', READERS, async (req, res) => {
      res.render('audits/programme', await showLocals(req, await loadProgramme(req)));
    })
    .post('/audits/programmes/:year', QUALITY, async (req, res) => {
      const programme = await loadProgramme(req);
      const form = parseForm(ProgrammeEditForm, req.body, { view: 'audits/programme', locals: await showLocals(req, programme) });
      await editProgramme(ctx, programme.year, form.objectives ?? '', form.version, req.user!.id);
      await setFlash(ctx, req, { kind: 'success', key: 'flash.saved' });
      res.redirect(303, `/audits/programmes/${programme.year}`);
    })
    .post('/audits/programmes/:year/approve', LEADERS, async (req, res) => {
      const programme = await loadProgramme(req);
      const view = { view: 'audits/programme', locals: await showLocals(req, programme) };
      const form = parseForm(ApproveForm, req.body, view);
      const kept = { version: form.version };
      const signer = await checkSigner(ctx, req.user!.id, form.password);
      if (!signer) failField('password', 'audits.signature.wrong_password', kept, view);
      await withFieldErrors(kept, view, () => approveProgramme(ctx, programme.year, signer, form.version));
      await setFlash(ctx, req, { kind: 'success', key: 'audits.flash.programme_approved' });
      res.redirect(303, `/audits/programmes/${programme.year}`);
    })
    .post('/audits/programmes/:year/reopen', QUALITY, async (req, res) => {
      const programme = await loadProgramme(req);
      const form = parseForm(ReasonForm, req.body, { view: 'audits/programme', locals: await showLocals(req, programme) });
      await reopenProgramme(ctx, programme.year, form.reason, form.version, req.user!.id);
      await setFlash(ctx, req, { kind: 'success', key: 'audits.flash.programme_reopened' });
      res.redirect(303, `/audits/programmes/${programme.year}`);
    })
    .get('/audits/programmes/:year/coverage', READERS, async (req, res) => {
      const programme = await loadProgramme(req);
      const day = todayOf(res);
      const items = (await listProgrammeItems(ctx.db, programme.id)).filter((i) => i.status === 'planned');
      const org = await findOrganisation(ctx.db);
      const coverage = computeCoverage({
        today: day,
        procedures: await listActiveProcedures(ctx.db),
        items,
        conducted: await listConductedInYear(ctx.db, programme.year),
        lastAuditDates: await listLastAuditDates(ctx.db, day),
        notApplicable: parseNotApplicable(org?.not_applicable_clauses),
      });
      res.render('audits/coverage', {
        pageTitle: 'audits.coverage.title',
        programme,
        coverage,
        columns: coverage.columns.map((c) => ({ ...c, label: clauseTitle(c.clause, req.lang) })),
        view: queryText(req, 'view') === 'months' ? 'months' : 'clauses',
        monthNumbers: Array.from({ length: 12 }, (_, i) => i + 1),
        today: day,
      });
    })
    .get('/audits/programmes/:year/items/new', QUALITY, async (req, res) => {
      const programme = await loadProgramme(req);
      const values = { audit_type: 'internal', month: 1 };
      res.render(ITEM_FORM, { ...(await itemFormLocals(req, programme, values)), values, errors: {} });
    })
    .post('/audits/programmes/:year/items', QUALITY, async (req, res) => {
      const programme = await loadProgramme(req);
      const view = { view: ITEM_FORM, locals: await itemFormLocals(req, programme, req.body) };
      const form = parseForm(ProgrammeItemForm, req.body, view);
      await withFieldErrors(req.body, view, () => addProgrammeItem(ctx, programme.year, itemValues(form), req.user!.id));
      await setFlash(ctx, req, { kind: 'success', key: 'flash.created' });
      res.redirect(303, `/audits/programmes/${programme.year}`);
    })
    .get('/audits/programmes/:year/items/:itemId/edit', QUALITY, async (req, res) => {
      const programme = await loadProgramme(req);
      const item = await findProgrammeItem(ctx.db, idParam(req, 'itemId'));
      if (!item || item.programme_id !== programme.id) throw new NotFound();
      res.render(ITEM_FORM, { ...(await itemFormLocals(req, programme, {}, item)), values: item, errors: {} });
    })
    .post('/audits/programmes/:year/items/:itemId', QUALITY, async (req, res) => {
      const programme = await loadProgramme(req);
      const item = await findProgrammeItem(ctx.db, idParam(req, 'itemId'));
      if (!item || item.programme_id !== programme.id) throw new NotFound();
      const view = { view: ITEM_FORM, locals: await itemFormLocals(req, programme, req.body, item) };
      const form = parseForm(ProgrammeItemEditForm, req.body, view);
      await withFieldErrors(req.body, view, () => editProgrammeItem(ctx, programme.year, item.id, itemValues(form), form.version, req.user!.id));
      await setFlash(ctx, req, { kind: 'success', key: 'flash.saved' });
      res.redirect(303, `/audits/programmes/${programme.year}`);
    })
    .post('/audits/programmes/:year/items/:itemId/cancel', QUALITY, async (req, res) => {
      const programme = await loadProgramme(req);
      const item = await findProgrammeItem(ctx.db, idParam(req, 'itemId'));
      if (!item || item.programme_id !== programme.id) throw new NotFound();
      const form = parseForm(ReasonForm, req.body, { view: 'audits/programme', locals: await showLocals(req, programme) });
      await cancelProgrammeItem(ctx, programme.year, item.id, form.reason, form.version, req.user!.id);
      await setFlash(ctx, req, { kind: 'success', key: 'audits.flash.item_cancelled' });
      res.redirect(303, `/audits/programmes/${programme.year}`);
    });
}
