import type { AppContext } from '../../core/context';
import { failField, parseForm, type FormView } from '../../core/http/forms';
import { NotFound } from '../../core/http/errors';
import { idParam, pageParam, pager, queryText } from '../../core/http/params';
import { MANAGERS, QUALITY, SIGNED_IN, READERS } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { checkSigner } from '../../core/security/signatures';
import { findProcedure, listProcedureOptions } from '../procedures/procedures.queries';
import { listUnitOptions } from '../units/units.queries';
import { listPendingAcknowledgements } from './documents.acks.queries';
import {
  countCurrentDocuments,
  countRegister,
  findDocument,
  listAckUnitIds,
  listCurrentDocuments,
  listProceduresWithDocuments,
  listRegister,
  type CurrentRow,
  type DocumentValues,
  type RegisterFilter,
} from './documents.queries';
import { findEffectiveRevision, listDocumentsDueForReview, listRevisions } from './documents.revisions.queries';
import { revisionRoutes } from './documents.revisions.routes';
import { wordRoutes } from './documents.word.routes';
import { controlledCopyOf, copiesRoutes } from './documents.copies.routes';
import { DocumentEditForm, DocumentForm, PeriodicReviewForm, WithdrawForm, type DocumentFormValues } from './documents.schemas';
import { searchCurrentDocuments, type SearchHit } from './documents.search.queries';
import { createDocument, DocumentCodeTaken, editDocument, UnknownReference, withdrawDocument } from './documents.service';
import { ACK_SCOPES, DOCUMENT_TYPES, type DocumentType } from './documents.tables';
import { addDays } from '../../core/calendar';
import { sentenceDiff } from './documents.compare';
import { assertVisible, currentRows, isWriter, revisionsToday, showLocals } from './documents.views';
import { procedureFilter } from '../procedures/procedures.filter';
import { recordPeriodicReview } from './documents.workflow';
import { todayOf } from '../../core/http/today';

/**
 * Document control: the master list, the register, documents and their revisions (documents.revisions.routes.ts).
 * Who does what (README, Roles): everyone reads the documents in force and acknowledges them; quality officers and
 * admins (QUALITY) create, edit and withdraw documents and draft, submit and cancel revisions; leaders also see the
 * register, drafts and old revisions (MANAGERS) and review, send back, approve (LEADERS only) and periodically review
 * them — never write them. Author, reviewer and approver are different people (documents.workflow.ts).
 */
const PAGE_SIZE = 50;
/** Current documents (the list staff read from) are shown 100 to a page. */
const CURRENT_PAGE_SIZE = 100;
const FORM = 'documents/form';
const typeOptions = DOCUMENT_TYPES.map((value) => ({ value }));
const scopeOptions = ACK_SCOPES.map((value) => ({ value }));
const asType = (v: string | undefined): DocumentType | undefined => ((DOCUMENT_TYPES as readonly string[]).includes(v ?? '') ? (v as DocumentType) : undefined);
const asId = (v: string | undefined): number | undefined => (v && /^[1-9]\d{0,9}$/.test(v) ? Number(v) : undefined);

export function documentsRoutes(ctx: AppContext): RouteTable {
  const formLocals = async (extra: Record<string, unknown>, doc?: { procedure_id: number | null; owner_unit_id: number | null }) => ({
    ...extra,
    typeOptions,
    scopeOptions,
    procedureOptions: await procedureOptions(doc?.procedure_id),
    unitOptions: await listUnitOptions(ctx.db, doc?.owner_unit_id),
    ackUnitOptions: await listUnitOptions(ctx.db),
  });

  /** Active procedures, plus the (possibly retired) one the document already belongs to. */
  const procedureOptions = async (currentId?: number | null) => {
    const list = await listProcedureOptions(ctx.db);
    if (currentId && !list.some((p) => p.id === currentId)) {
      const current = await findProcedure(ctx.db, currentId);
      if (current) list.push({ id: current.id, code: current.code, title: current.title, unit_id: current.unit_id });
    }
    return list.map((p) => ({ value: p.id, label: `${p.code} — ${p.title}` }));
  };

  const toValues = (f: DocumentFormValues): DocumentValues => ({
    code: f.code,
    title: f.title,
    type: f.type,
    procedure_id: f.procedure_id ?? null,
    owner_unit_id: f.owner_unit_id ?? null,
    review_interval_months: f.review_interval_months,
    retention: f.retention ?? '',
    ack_scope: f.ack_scope,
  });

  const table = new RouteTable()
    .get('/documents/current', SIGNED_IN, async (req, res) => {
      const today = todayOf(res);
      const q = queryText(req, 'q', 200);
      const type = asType(queryText(req, 'type'));
      // At province scale the procedure is typed as a code, an office picks it from a select (procedures.filter.ts).
      const proc = await procedureFilter(ctx, { id: asId(queryText(req, 'procedure')), code: queryText(req, 'procedure_code', 100) }, () =>
        listProceduresWithDocuments(ctx.db, today),
      );
      const procedureId = proc.id;
      let documents: (CurrentRow & { hit?: SearchHit })[];
      let page = 1;
      let total = 0;
      if (q) {
        // The best 50 matches that are in force, in rank order, with their rows (one statement on PostgreSQL).
        documents = await searchCurrentDocuments(ctx.db, q, 50, { type, procedureId, today });
      } else {
        // The master list a page at a time: an office has a few hundred documents, a province tens of thousands.
        page = pageParam(req);
        total = await countCurrentDocuments(ctx.db, { type, procedureId }, today);
        documents = await listCurrentDocuments(ctx.db, { type, procedureId }, today, { limit: CURRENT_PAGE_SIZE, offset: (page - 1) * CURRENT_PAGE_SIZE });
      }
      res.render('documents/current', {
        pageTitle: 'documents.current_title',
        documents: currentRows(documents, req.lang, String(res.locals.timeZone)),
        total,
        pager: q ? undefined : pager(page, CURRENT_PAGE_SIZE, total, { type, ...proc.query }),
        searching: Boolean(q),
        filter: { q, type },
        procedureField: proc.field,
        typeOptions,
        pending: await listPendingAcknowledgements(ctx.db, req.user!.id, today),
      });
    })
    .get('/documents', MANAGERS, async (req, res) => {
      const status = queryText(req, 'status');
      // At province scale the procedure is typed as a code, an office picks it from a select (procedures.filter.ts).
      const proc = await procedureFilter(ctx, { id: asId(queryText(req, 'procedure')), code: queryText(req, 'procedure_code', 100) }, () =>
        listProcedureOptions(ctx.db),
      );
      const filter: RegisterFilter = {
        q: queryText(req, 'q', 100),
        type: asType(queryText(req, 'type')),
        procedureId: proc.id,
        unitId: asId(queryText(req, 'unit')),
        status: status === 'withdrawn' ? 'withdrawn' : status === 'all' ? undefined : 'active',
      };
      const query = { q: filter.q, type: filter.type, ...proc.query, unit: queryText(req, 'unit'), status };
      const page = pageParam(req);
      const today = todayOf(res);
      const total = await countRegister(ctx.db, filter);
      const rows = await listRegister(ctx.db, filter, PAGE_SIZE, (page - 1) * PAGE_SIZE, today);
      const soon = addDays(today, 30);
      res.render('documents/index', {
        pageTitle: 'documents.register_title',
        canCreate: isWriter(req.user!),
        documents: rows.map((r) => ({
          ...r,
          overdue: r.next_review_due !== null && r.next_review_due < today,
          dueSoon: r.next_review_due !== null && r.next_review_due >= today && r.next_review_due <= soon,
        })),
        filter: query,
        pager: pager(page, PAGE_SIZE, total, query),
        total,
        typeOptions,
        procedureField: proc.field,
        unitOptions: await listUnitOptions(ctx.db),
      });
    })
    .get('/documents/due', READERS, async (_req, res) => {
      const today = todayOf(res);
      const due = await listDocumentsDueForReview(ctx.db, today, 30);
      res.render('documents/due', { pageTitle: 'documents.due_title', overdue: due.filter((d) => d.overdue), soon: due.filter((d) => !d.overdue), today });
    })
    .get('/documents/new', QUALITY, async (_req, res) => {
      res.render(
        FORM,
        await formLocals({ pageTitle: 'documents.new', values: { type: 'procedure', review_interval_months: 12, ack_scope: 'owner_unit' }, errors: {} }),
      );
    })
    .post('/documents', QUALITY, async (req, res) => {
      const view: FormView = { view: FORM, locals: await formLocals({ pageTitle: 'documents.new' }) };
      const form = parseForm(DocumentForm, req.body, view);
      let id: number;
      try {
        id = await createDocument(ctx, toValues(form), form.ack_unit_ids, req.user!.id);
      } catch (err) {
        if (err instanceof DocumentCodeTaken) failField('code', 'validation.code_taken', req.body, view);
        if (err instanceof UnknownReference) failField(err.field, 'validation.invalid_choice', req.body, view);
        throw err;
      }
      await setFlash(ctx, req, { kind: 'success', key: 'documents.flash.created' });
      res.redirect(303, `/documents/${id}`);
    })
    .get('/documents/:id', SIGNED_IN, async (req, res) => {
      const doc = await findDocument(ctx.db, idParam(req));
      if (!doc) throw new NotFound();
      const revisions = await revisionsToday(ctx, doc, todayOf(res));
      const shown =
        revisions.find((r) => r.status === 'effective') ?? (doc.status === 'withdrawn' ? revisions.find((r) => r.status === 'withdrawn') : undefined);
      assertVisible(req.user!, doc, shown);
      const controlledCopy = await controlledCopyOf(ctx, req, doc.id);
      res.render('documents/show', await showLocals(ctx, req.user!, doc, shown, { documentPage: true, controlledCopy }));
    })
    .get('/documents/:id/edit', QUALITY, async (req, res) => {
      const doc = await findDocument(ctx.db, idParam(req));
      if (!doc) throw new NotFound();
      const values = { ...doc, ack_unit_ids: await listAckUnitIds(ctx.db, doc.id) };
      res.render(FORM, await formLocals({ pageTitle: 'documents.edit', doc, values, errors: {} }, doc));
    })
    .post('/documents/:id', QUALITY, async (req, res) => {
      const doc = await findDocument(ctx.db, idParam(req));
      if (!doc) throw new NotFound();
      const view: FormView = { view: FORM, locals: await formLocals({ pageTitle: 'documents.edit', doc }, doc) };
      const form = parseForm(DocumentEditForm, req.body, view);
      try {
        await editDocument(ctx, doc.id, toValues(form), form.ack_unit_ids, form.version, req.user!.id);
      } catch (err) {
        if (err instanceof DocumentCodeTaken) failField('code', 'validation.code_taken', req.body, view);
        if (err instanceof UnknownReference) failField(err.field, 'validation.invalid_choice', req.body, view);
        throw err;
      }
      await setFlash(ctx, req, { kind: 'success', key: 'flash.saved' });
      res.redirect(303, `/documents/${doc.id}`);
    })
    .post('/documents/:id/withdraw', QUALITY, async (req, res) => {
      const doc = await findDocument(ctx.db, idParam(req));
      if (!doc) throw new NotFound();
      const shown = await findEffectiveRevision(ctx.db, doc.id);
      const view: FormView = { view: 'documents/show', locals: await showLocals(ctx, req.user!, doc, shown, { documentPage: true }) };
      const form = parseForm(WithdrawForm, req.body, view);
      await withdrawDocument(ctx, doc.id, form.version, form.withdraw_reason, req.user!.id);
      await setFlash(ctx, req, { kind: 'success', key: 'documents.flash.withdrawn' });
      res.redirect(303, `/documents/${doc.id}`);
    })
    .post('/documents/:id/reviews', MANAGERS, async (req, res) => {
      const doc = await findDocument(ctx.db, idParam(req));
      if (!doc) throw new NotFound();
      const shown = await findEffectiveRevision(ctx.db, doc.id);
      if (!shown) throw new NotFound();
      const view: FormView = { view: 'documents/show', locals: await showLocals(ctx, req.user!, doc, shown, { documentPage: true }) };
      const form = parseForm(PeriodicReviewForm, req.body, view);
      const signer = await checkSigner(ctx, req.user!.id, form.periodic_password);
      if (!signer) failField('periodic_password', 'documents.error.wrong_password', req.body, view);
      const next = await recordPeriodicReview(ctx, doc.id, { revisionId: form.revision_id, comment: form.periodic_comment ?? null }, signer);
      await setFlash(ctx, req, { kind: 'success', key: 'documents.flash.reviewed_no_change', params: { date: next.split('-').reverse().join('/') } });
      res.redirect(303, `/documents/${doc.id}`);
    })
    .get('/documents/:id/compare', MANAGERS, async (req, res) => {
      const doc = await findDocument(ctx.db, idParam(req));
      if (!doc) throw new NotFound();
      const revisions = await listRevisions(ctx.db, doc.id);
      if (revisions.length === 0) throw new NotFound();
      const fromId = asId(queryText(req, 'from'));
      const toId = asId(queryText(req, 'to'));
      const to = revisions.find((r) => r.id === toId) ?? revisions[0];
      const from = revisions.find((r) => r.id === fromId) ?? revisions.find((r) => r.revision_no < to.revision_no) ?? to;
      res.render('documents/compare', {
        pageTitle: 'documents.compare_title',
        doc,
        revisions,
        from,
        to,
        parts: sentenceDiff(from, to),
        fileChanged: from.file_sha256 !== to.file_sha256,
        sources: { from: from.source, to: to.source },
      });
    });
  wordRoutes(ctx, table);
  copiesRoutes(ctx, table);
  revisionRoutes(ctx, table);
  return table;
}
