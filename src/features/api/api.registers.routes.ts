import type { Request } from 'express';
import type { AppContext } from '../../core/context';
import { translate, type Lang } from '../../core/i18n';
import { findProcedureDocumentAt } from '../documents/documents.revisions.queries';
import { addMonthsIso } from '../documents/documents.text';
import type { ApiRouteTable } from './api.http';
import { ApiProblem } from './api.problems';
import { decodeCursor, DEFAULT_PAGE_LIMIT, encodeCursor } from './api.schemas';
import {
  CodeParams,
  CurrentDocumentPageSchema,
  CurrentDocumentsQuery,
  NonconformitiesQuery,
  NonconformityPageSchema,
  ProcedureDetailSchema,
  ProcedurePageSchema,
  ProceduresQuery,
} from './api.registers.schemas';
import {
  findApiProcedure,
  listCurrentDocumentsAfter,
  listNonconformitiesAfter,
  listProceduresAfter,
  type ApiProcedureRow,
  type Keyset,
} from './api.registers.queries';

/** The page asked for: after the cursor's id, `limit` items. */
export function keysetOf(query: { limit?: number; cursor?: string }, lang: Lang): Keyset {
  return { after: decodeCursor(query.cursor, translate(lang, 'api.validation.cursor')), limit: query.limit ?? DEFAULT_PAGE_LIMIT };
}

/** The absolute URL of this request with another query parameter value (the Link header's next page). */
function urlWith(req: Request, name: string, value: string): string {
  const url = new URL(req.originalUrl, `${req.protocol}://${req.get('host') ?? 'localhost'}`);
  url.searchParams.set(name, value);
  return url.toString();
}

/**
 * A page of the rows read (one more than the page when another follows): the items, `next_cursor`, and the Link
 * header (RFC 8288) of the next page.
 */
export function pageAnswer<R extends { id: number }, T>(req: Request, rows: R[], page: Keyset, item: (row: R) => T) {
  const more = rows.length > page.limit;
  const shown = more ? rows.slice(0, page.limit) : rows;
  const next = more ? encodeCursor(shown[shown.length - 1].id) : null;
  return {
    body: { data: shown.map(item), next_cursor: next },
    headers: next ? { Link: `<${urlWith(req, 'cursor', next)}>; rel="next"` } : undefined,
  };
}

const unitOf = (code: string | null, name: string | null) => (code !== null && name !== null ? { code, name } : null);

const procedureItem = (p: ApiProcedureRow) => ({
  code: p.code,
  national_code: p.national_code,
  title: p.title,
  field: p.field,
  kind: p.kind,
  status: p.status,
  processing_days: p.processing_days,
  online_level: p.online_level,
  on_time_target: Number(p.on_time_target),
  retired_at: p.retired_at,
  unit: unitOf(p.unit_code, p.unit_name),
});

const TAGS = ['Registers'];

/** GET /procedures, /procedures/{code}, /nonconformities, /documents/current (scope registers:read). */
export function addRegisterOperations(table: ApiRouteTable, _ctx: AppContext): void {
  table
    .add({
      method: 'get',
      path: '/procedures',
      operationId: 'listProcedures',
      scope: 'registers:read',
      summary: 'The register of procedures',
      description: 'The organisation’s procedures by creation order, a page at a time (`next_cursor`, and a `Link: rel="next"` header).',
      tags: TAGS,
      query: ProceduresQuery,
      response: ProcedurePageSchema,
      problems: [422],
      handle: async ({ query, caller, ctx, req }) => {
        const page = keysetOf(query, caller.lang);
        const rows = await listProceduresAfter(ctx.db, query, page);
        return pageAnswer(req, rows, page, procedureItem);
      },
    })
    .add({
      method: 'get',
      path: '/procedures/{code}',
      operationId: 'getProcedure',
      scope: 'registers:read',
      summary: 'One procedure, with its process document in force',
      tags: TAGS,
      params: CodeParams,
      response: ProcedureDetailSchema,
      problems: [404],
      handle: async ({ params, caller, ctx }) => {
        const p = await findApiProcedure(ctx.db, params.code);
        if (!p) throw new ApiProblem('not_found');
        const doc = await findProcedureDocumentAt(ctx.db, p.id, caller.today);
        return {
          body: {
            ...procedureItem(p),
            process_document: doc ? { code: doc.code, revision_no: doc.revisionNo, effective_on: doc.effectiveFrom, next_review_due: doc.nextReviewDue } : null,
          },
        };
      },
    })
    .add({
      method: 'get',
      path: '/nonconformities',
      operationId: 'listNonconformities',
      scope: 'registers:read',
      summary: 'The register of nonconformities',
      description: 'The organisation’s nonconformities by creation order, a page at a time; the columns staff see on the register, no names.',
      tags: TAGS,
      query: NonconformitiesQuery,
      response: NonconformityPageSchema,
      problems: [422],
      handle: async ({ query, caller, ctx, req }) => {
        const page = keysetOf(query, caller.lang);
        const filter = { ...query, raisedFrom: query.raised_from, raisedTo: query.raised_to, updatedSince: query.updated_since };
        const rows = await listNonconformitiesAfter(ctx.db, filter, page);
        return pageAnswer(req, rows, page, (n) => ({
          reference: n.code,
          title: n.title,
          status: n.status,
          severity: n.severity,
          source: n.source,
          clause: n.clause,
          procedure: n.procedure_code,
          unit: unitOf(n.unit_code, n.unit_name),
          raised_on: n.detected_on,
          next_action_due: n.next_action_due ?? null,
          verify_due_on: n.verify_due_on,
          closed_on: n.closed_on,
          cancelled_on: n.cancelled_on,
          updated_at: n.updated_at,
        }));
      },
    })
    .add({
      method: 'get',
      path: '/documents/current',
      operationId: 'listCurrentDocuments',
      scope: 'registers:read',
      summary: 'The controlled documents in force',
      description: 'Every active controlled document with its effective revision (the master list), a page at a time.',
      tags: TAGS,
      query: CurrentDocumentsQuery,
      response: CurrentDocumentPageSchema,
      problems: [422],
      handle: async ({ query, caller, ctx, req }) => {
        const page = keysetOf(query, caller.lang);
        const rows = await listCurrentDocumentsAfter(ctx.db, query, page, caller.today);
        const origin = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
        return pageAnswer(req, rows, page, (d) => ({
          code: d.code,
          title: d.title,
          type: d.type,
          revision_no: d.revision_no,
          effective_on: d.effective_from,
          next_review_due: d.next_review_due ?? addMonthsIso(d.effective_from, d.review_interval_months),
          unit: unitOf(d.unit_code, d.unit_name),
          procedure: d.procedure_code,
          url: `${origin}/documents/${d.id}`,
        }));
      },
    });
}
