import { createHash, randomInt } from 'node:crypto';
import type { AppContext } from '../../core/context';
import type { Db } from '../../core/db/database';
import { record } from '../../core/audit-log/audit-log';
import { maybeOrganisationOf, scopedDb, withoutOrganisation } from '../../core/db/scope';
import { hashPassword } from '../../core/security/passwords';
import { todayLocal } from '../../core/calendar/zone';
import { findOrganisation } from '../organisation/organisation.queries';
import { insertDocument } from '../documents/documents.queries';
import { insertRevision } from '../documents/documents.revisions.queries';
import { insertProcedure } from '../procedures/procedures.queries';
import { USERNAME_PATTERN } from '../users/users.schemas';
import { createUserIn, UsernameTaken } from '../users/users.service';
import {
  countRegisterRows,
  findFirstActiveAdmin,
  findOrganisationEntry,
  isActiveUserOf,
  listDocumentsToCopy,
  listProceduresToCopy,
  type OrganisationEntry,
} from './organisations.template.queries';
import { findOrganisationByCode, organisationsUnder } from '../organisation/organisation.tree.queries';
import { addOrganisationIn, OrganisationRefused, type OrganisationRequest } from '../organisation/organisation.tree.service';

/**
 * A new organisation started from another one's register (issue 22): the procedures and the documents in force of a
 * template (an organisation of kind `template`, or any organisation under the administrator's own), copied into an
 * organisation that has none yet, as its own register to adapt.
 */

/**
 * Why a copy or a new organisation is refused: the English message for the CLI (an OrganisationRefused, which the
 * CLI's org:add already prints), and the form field and i18n key for the page (organisation.i18n.ts).
 */
export class TemplateRefused extends OrganisationRefused {
  constructor(
    readonly field: string,
    readonly key: string,
    message: string,
  ) {
    super(message);
  }
}

export interface CopyCounts {
  procedures: number;
  documents: number;
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/** The subtree the caller may use (undefined: no bound, the CLI's operator): the handle's or request's organisation. */
async function subtreeOf(trx: Db, within: number | undefined): Promise<number[] | undefined> {
  return within === undefined ? undefined : organisationsUnder(trx, within);
}

function checkSource(source: OrganisationEntry | undefined, subtree: number[] | undefined, field: string): OrganisationEntry {
  if (!source) throw new TemplateRefused(field, 'organisations.error.unknown_template', 'no such template organisation');
  // A template register is meant to be shared; any other organisation's register is its own, read by those above it.
  if (source.kind !== 'template' && subtree !== undefined && !subtree.includes(source.id))
    throw new TemplateRefused(field, 'organisations.error.template_outside', `organisation ${source.code} is neither a template nor under yours`);
  return source;
}

/**
 * Copies `source`'s register into the organisation `targetId` on `trx` (no scope of its own), with one audit entry per
 * copied record in the target's log, as the imports write one per imported row.
 *
 * Procedures: the active ones, with the columns that describe the procedure itself — code, title, field,
 * national_code (the national database's code), processing_days and online_level (the terms in force: the copy's
 * first terms row, dated "since registration", is written by the trigger procedure_terms_first), on_time_target and
 * kind. Not copied: unit_id (units belong to the source; the target has none yet, so the reference is left empty),
 * status/retired_* (only active ones are copied), version and dates (a new row's own), search_text (recomputed).
 *
 * Documents: the active ones with a revision in force, each a new document (code, title, type, review interval,
 * retention; its procedure the copied procedure of the same code; no owner unit; a units-only acknowledgement scope
 * becomes the owner unit's, to choose when adapting) with ONE draft revision no. 1 holding the in-force revision's
 * text and file reference (files are content-addressed by SHA-256 and shared, so the file is not duplicated). No
 * approvals, signatures, acknowledgements, reviews or earlier revisions of the source come along.
 */
async function copyRegisterIn(
  trx: Db,
  source: OrganisationEntry,
  target: OrganisationEntry,
  actorId: number | null,
  authorId: number | undefined,
  at: Date,
): Promise<CopyCounts> {
  if (source.id === target.id) throw new TemplateRefused('template_id', 'organisations.error.template_self', 'an organisation cannot be copied into itself');
  if (target.status !== 'active') throw new TemplateRefused('template_id', 'organisations.error.target_read_only', `organisation ${target.code} is read-only`);
  const from = scopedDb(trx, source.id);
  const to = scopedDb(trx, target.id);
  const has = await countRegisterRows(to);
  if (has.procedures > 0 || has.documents > 0)
    throw new TemplateRefused(
      'template_id',
      'organisations.error.target_not_new',
      `organisation ${target.code} already has ${has.procedures} procedure(s) and ${has.documents} document(s): a template is copied only into a new organisation`,
    );
  const procedures = await listProceduresToCopy(from);
  // the revisions in force on the source's own date
  const zone = (await findOrganisation(from))?.time_zone;
  if (zone === undefined) throw new TemplateRefused('template_id', 'organisations.error.unknown_template', 'no such template organisation');
  const documents = await listDocumentsToCopy(from, todayLocal(at, zone));
  let author = authorId;
  if (author === undefined && documents.length > 0) {
    // A draft needs an author of its own organisation: the actor when they are one of its users, else its first admin.
    author = actorId !== null && (await isActiveUserOf(to, actorId)) ? actorId : await findFirstActiveAdmin(to);
    if (author === undefined)
      throw new TemplateRefused('admin_username', 'organisations.error.no_author', `organisation ${target.code} has no administrator to be its drafts' author`);
  }
  const stamp = at.toISOString();
  const reason = source.code;
  const procedureIds = new Map<string, number>();
  for (const p of procedures) {
    const { id: _sourceId, ...rest } = p;
    const copied = { ...rest, unit_id: null };
    const id = await insertProcedure(to, copied, stamp);
    procedureIds.set(p.code, id);
    await record(to, { userId: actorId, action: 'import', entity: 'procedure', entityId: id, new: copied, reason }, at);
  }
  for (const d of documents) {
    const values = {
      code: d.code,
      title: d.title,
      type: d.type,
      procedure_id: d.procedure_code === null ? null : (procedureIds.get(d.procedure_code) ?? null),
      owner_unit_id: null,
      review_interval_months: d.review_interval_months,
      retention: d.retention,
      ack_scope: d.ack_scope === 'units' ? ('owner_unit' as const) : d.ack_scope,
    };
    const id = await insertDocument(to, values, stamp);
    await record(to, { userId: actorId, action: 'import', entity: 'document', entityId: id, new: { ...values, ack_unit_ids: [] }, reason }, at);
    const revision = {
      document_id: id,
      revision_no: 1,
      body: d.body,
      change_summary: null,
      author_id: author!,
      file_sha256: d.file_sha256,
      file_name: d.file_name,
    };
    const revisionId = await insertRevision(to, revision, stamp);
    await record(
      to,
      { userId: actorId, action: 'import', entity: 'document_revision', entityId: revisionId, new: { ...revision, body: digest(d.body) }, reason },
      at,
    );
  }
  return { procedures: procedures.length, documents: documents.length };
}

/**
 * Copies the register of `sourceId` into `targetId` (which must have no procedures and no documents) in one
 * transaction. Within a request (or on a handle scoped to an organisation) the source must be of kind `template` or
 * in the subtree of the request's organisation, and so must the target; the CLI (no scope) may use any.
 */
export async function copyFromTemplate(ctx: AppContext, ids: { sourceId: number; targetId: number }, actorId: number | null): Promise<CopyCounts> {
  const within = maybeOrganisationOf(ctx.db);
  const at = ctx.clock.now();
  return withoutOrganisation(ctx.db)
    .transaction()
    .execute(async (trx) => {
      const subtree = await subtreeOf(trx, within);
      const source = checkSource(await findOrganisationEntry(trx, ids.sourceId), subtree, 'template_id');
      const target = await findOrganisationEntry(trx, ids.targetId);
      if (!target || (subtree !== undefined && !subtree.includes(target.id)))
        throw new TemplateRefused('parent_id', 'organisations.error.unknown_target', 'no such organisation under yours');
      return copyRegisterIn(trx, source, target, actorId, undefined, at);
    });
}

export interface NewOrganisationRequest extends OrganisationRequest {
  /** The code of the organisation whose register the new one starts from (none: an empty register). */
  templateCode?: string;
  /** The new organisation's first administrator, created with a one-time password to change at first sign-in. */
  admin?: { username: string; fullName: string };
}

export interface NewOrganisationResult {
  id: number;
  code: string;
  copied: CopyCounts | null;
  admin: { id: number; username: string; password: string } | null;
}

/** A one-time password: 16 letters and digits without look-alikes (0/O, 1/l/I), in groups of four. */
export function oneTimePassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const chars = Array.from({ length: 16 }, () => alphabet[randomInt(alphabet.length)]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/**
 * Adds an organisation (addOrganisation's rules), its first administrator when given, and the copy of a template's
 * register when given, in ONE transaction: any refusal leaves nothing behind. Within a request the parent must be in
 * the subtree of the request's organisation (and is then required); the CLI (no scope) may add anywhere.
 */
export async function addOrganisationFromTemplate(ctx: AppContext, request: NewOrganisationRequest, actorId: number | null): Promise<NewOrganisationResult> {
  const within = maybeOrganisationOf(ctx.db);
  // The form checks these with zod; the CLI passes them as typed.
  if (request.admin && !USERNAME_PATTERN.test(request.admin.username))
    throw new TemplateRefused('admin_username', 'validation.username', 'the username takes 2–64 of a-z 0-9 . _ - (lower case)');
  if (request.admin && (request.admin.fullName.trim().length === 0 || request.admin.fullName.trim().length > 100))
    throw new TemplateRefused('admin_full_name', 'validation.required', "the administrator's full name is required (at most 100 characters)");
  const password = request.admin ? oneTimePassword() : undefined;
  // Hashing is slow: before the transaction, which holds the write lock.
  const hash = password === undefined ? undefined : await hashPassword(password);
  const at = ctx.clock.now();
  return withoutOrganisation(ctx.db)
    .transaction()
    .execute(async (trx) => {
      const subtree = await subtreeOf(trx, within);
      const code = request.code.trim();
      if (await findOrganisationByCode(trx, code))
        throw new TemplateRefused('code', 'organisations.error.code_taken', `an organisation with code ${code} exists already`);
      if (subtree !== undefined) {
        const parent = request.parentCode === undefined ? undefined : await findOrganisationByCode(trx, request.parentCode.trim());
        if (!parent || !subtree.includes(Number(parent.id)))
          throw new TemplateRefused('parent_id', 'organisations.error.parent_outside', 'the parent must be your organisation or one under it');
        if (parent.status !== 'active')
          throw new TemplateRefused('parent_id', 'organisations.error.parent_read_only', `organisation ${parent.code} is read-only`);
      }
      let source: OrganisationEntry | undefined;
      if (request.templateCode !== undefined) {
        const found = await findOrganisationByCode(trx, request.templateCode.trim());
        source = checkSource(found && (await findOrganisationEntry(trx, Number(found.id))), subtree, 'template_id');
      }
      const added = await addOrganisationIn(trx, request, actorId, at);
      let admin: NewOrganisationResult['admin'] = null;
      if (request.admin && password !== undefined && hash !== undefined) {
        const user = {
          username: request.admin.username,
          full_name: request.admin.fullName.trim(),
          role: 'admin' as const,
          unit_id: null,
          email: null,
          position_title: null,
          must_change_password: 1,
        };
        try {
          admin = { id: await createUserIn(scopedDb(trx, added.id), user, hash, actorId, at), username: user.username, password };
        } catch (err) {
          if (err instanceof UsernameTaken) throw new TemplateRefused('admin_username', 'users.username_taken', `the username ${user.username} is taken`);
          throw err;
        }
      }
      const target = (await findOrganisationEntry(trx, added.id))!;
      const copied = source ? await copyRegisterIn(trx, source, target, actorId, admin?.id, at) : null;
      return { id: added.id, code: added.code, copied, admin };
    });
}
