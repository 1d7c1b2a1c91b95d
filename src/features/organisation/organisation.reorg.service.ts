import type { AppContext } from '../../core/context';
import { record } from '../../core/audit-log/audit-log';
import { isFormDate } from '../../core/calendar/date-schema';
import type { Db } from '../../core/db/database';
import { ORGANISATION_KINDS, type OrganisationKind } from '../../core/db/schema';
import { scopedDb, withoutOrganisation } from '../../core/db/scope';
import { translate } from '../../core/i18n';
import { findOrganisationByCode, insertOrganisationEntry, organisationsUnder } from './organisation.tree.queries';
import { ORGANISATION_CODE } from './organisation.tree.service';
import { deleteSessionsOf, findUserOrganisation, insertLineage, listUsersOf, markReadOnly, moveUsers } from './organisation.reorg.queries';

/**
 * Reorganisations (issue 22; in July 2025 Vietnam abolished districts and a district office's QMS passed to a new
 * commune): organisations merged into a successor, or one split into several. The predecessors turn read-only and
 * keep every record as it was, with its organisation_id and history: no row of their data is moved or rewritten,
 * so their audit trail still verifies and their reports still add up. The successor's pages reach them through the
 * lineage (predecessorsOf). Everything happens in one transaction, with entries in the logs of both sides.
 */

/** Why a reorganisation is refused: the form field it belongs beside, an i18n key, and the message in English (CLI). */
export class ReorgRefused extends Error {
  constructor(
    readonly field: string,
    readonly key: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(translate('en', key, params));
  }
}

/** A new organisation a reorganisation creates. */
export interface NewSuccessor {
  code: string;
  name: string;
  kind?: string;
  /** Its parent; by default the (first) predecessor's parent. */
  parentCode?: string;
}

export interface MergeRequest {
  /** Codes (strings) or ids (numbers) of the organisations merged. */
  predecessors: (string | number)[];
  /** An existing organisation (`{ code }`) or a new one. */
  successor: { code: string } | NewSuccessor;
  effectiveOn: string;
  reason: string;
}

export interface SplitRequest {
  predecessor: string | number;
  successors: NewSuccessor[];
  effectiveOn: string;
  reason: string;
}

export interface ReorgResult {
  kind: 'merge' | 'split';
  predecessors: { id: number; code: string }[];
  successors: { id: number; code: string; created: boolean }[];
  usersMoved: number;
}

type Org = NonNullable<Awaited<ReturnType<typeof findOrganisationByCode>>>;

/** What the actor may reorganise: the organisations under its own (not its own), or anything for the CLI (no actor). */
interface Reach {
  own?: number;
  under?: Set<number>;
}

async function reachOf(db: Db, actorId: number | null): Promise<Reach> {
  if (actorId === null) return {};
  const own = await findUserOrganisation(db, actorId);
  if (own === undefined) return { under: new Set() };
  return { own, under: new Set(await organisationsUnder(db, own)) };
}

async function findOrg(db: Db, ref: string | number): Promise<Org | undefined> {
  if (typeof ref === 'string') return findOrganisationByCode(db, ref.trim());
  return db.selectFrom('organisation').select(['id', 'code', 'name', 'parent_id', 'kind', 'status']).where('id', '=', ref).executeTakeFirst();
}

/** An existing organisation the actor may act on, active. */
async function usable(db: Db, reach: Reach, ref: string | number, field: string, role: 'predecessor' | 'successor' | 'parent'): Promise<Org> {
  const org = await findOrg(db, ref);
  // another subtree's organisation answers as an unknown one: its existence is not the actor's business
  if (!org || (reach.under && !reach.under.has(org.id))) throw new ReorgRefused(field, 'reorg.refused.unknown', { code: String(ref) });
  if (org.status !== 'active') throw new ReorgRefused(field, 'reorg.refused.read_only', { code: org.code });
  // Its own organisation is reorganised by the admin above it (or the CLI): the actor's own users would move away
  // under its feet, the actor included.
  if (role === 'predecessor' && reach.own === org.id) throw new ReorgRefused(field, 'reorg.refused.own', { code: org.code });
  return org;
}

function checkCommon(effectiveOn: string, reason: string, dateField: string, reasonField: string): string {
  if (!isFormDate(effectiveOn)) throw new ReorgRefused(dateField, 'reorg.refused.bad_date');
  const why = reason.trim();
  if (why.length === 0) throw new ReorgRefused(reasonField, 'reorg.refused.reason_required');
  if (why.length > 1000) throw new ReorgRefused(reasonField, 'validation.too_long', { n: 1000 });
  return why;
}

/** Creates a successor organisation (checked first: a fresh code, a name, a kind, a usable parent). */
async function createSuccessor(
  trx: Db,
  reach: Reach,
  s: NewSuccessor,
  defaults: { parentId: number | null; kind: OrganisationKind },
  actorId: number | null,
  field: string,
  at: Date,
): Promise<Org> {
  const code = s.code.trim();
  const name = s.name.trim();
  if (!ORGANISATION_CODE.test(code)) throw new ReorgRefused(field, 'reorg.refused.bad_code', { code });
  if (name.length === 0 || name.length > 200) throw new ReorgRefused(field, 'reorg.refused.name_required', { code });
  const kind = (s.kind?.trim() || defaults.kind) as OrganisationKind;
  if (!ORGANISATION_KINDS.includes(kind)) throw new ReorgRefused(field, 'reorg.refused.bad_kind', { code });
  if (await findOrganisationByCode(trx, code)) throw new ReorgRefused(field, 'reorg.refused.code_taken', { code });
  const parent = s.parentCode?.trim()
    ? (await usable(trx, reach, s.parentCode.trim(), field === 'new_code' ? 'new_parent' : field, 'parent')).id
    : defaults.parentId;
  const id = await insertOrganisationEntry(trx, { code, name, parent_id: parent, kind }, at.toISOString());
  await record(
    scopedDb(trx, id),
    { userId: actorId, action: 'create', entity: 'organisation', entityId: id, new: { code, name, parent_id: parent, kind } },
    at,
  );
  return { id, code, name, parent_id: parent, kind, status: 'active' };
}

/** The lineage row, the predecessor turned read-only, and its log's entry naming the successor(s). */
async function retire(trx: Db, p: Org, successors: Org[], kind: 'merge' | 'split', effectiveOn: string, reason: string, actorId: number | null, at: Date) {
  for (const s of successors) {
    await insertLineage(trx, { predecessor_id: p.id, successor_id: s.id, kind, effective_on: effectiveOn, reason, created_by: actorId }, at.toISOString());
  }
  if (!(await markReadOnly(trx, p.id, at.toISOString()))) throw new ReorgRefused('predecessors', 'reorg.refused.read_only', { code: p.code });
  await record(
    scopedDb(trx, p.id),
    {
      userId: actorId,
      action: kind,
      entity: 'organisation',
      entityId: p.id,
      old: { status: 'active' },
      new: { status: 'read_only', effective_on: effectiveOn, successors: successors.map((s) => ({ id: s.id, code: s.code })) },
      reason,
    },
    at,
  );
}

/**
 * Merges organisations into a successor (an existing one, or a new one created here). Rules: at least one
 * predecessor; each active, in the acting admin's subtree (organisationsUnder its own organisation; the CLI, with no
 * actor, may act anywhere), not the admin's own and not the successor; a reason; a real date.
 *
 * Users of a merged predecessor move to the successor: the office ceased to exist and its people now work for the
 * commune, which must re-scope its QMS with them. They keep their role (the successor's admin can change it) and
 * lose their unit: units are the predecessor's data and stay with it, read-only. Their sessions end, so that the next
 * request signs them in afresh to the successor rather than carrying over a form token or page state of the old
 * organisation. The predecessor's records still name them (author, owner, …): a user id is the person, and the
 * history says who did what when it was done.
 */
export async function mergeOrganisations(ctx: AppContext, request: MergeRequest, actorId: number | null): Promise<ReorgResult> {
  const reason = checkCommon(request.effectiveOn, request.reason, 'effective_on', 'reason');
  const refs = request.predecessors.map((r) => (typeof r === 'string' ? r.trim() : r));
  if (refs.length === 0) throw new ReorgRefused('predecessors', 'reorg.refused.no_predecessor');
  const at = ctx.clock.now();
  // The reorganisation works across organisations: each write names its organisation, each log entry is written
  // on a handle scoped to the organisation it concerns (so a handle scoped to one organisation is set aside).
  return withoutOrganisation(ctx.db)
    .transaction()
    .execute(async (trx) => {
      const reach = await reachOf(trx, actorId);
      const predecessors: Org[] = [];
      for (const ref of refs) predecessors.push(await usable(trx, reach, ref, 'predecessors', 'predecessor'));
      if (new Set(predecessors.map((p) => p.id)).size !== predecessors.length) throw new ReorgRefused('predecessors', 'reorg.refused.duplicate');
      let successor: Org;
      let created = false;
      if ('name' in request.successor) {
        successor = await createSuccessor(trx, reach, request.successor, { parentId: predecessors[0].parent_id, kind: 'commune' }, actorId, 'new_code', at);
        created = true;
      } else {
        successor = await usable(trx, reach, request.successor.code, 'successor_code', 'successor');
        if (predecessors.some((p) => p.id === successor.id))
          throw new ReorgRefused('successor_code', 'reorg.refused.successor_is_predecessor', { code: successor.code });
      }
      const moved: { id: number; from: string }[] = [];
      for (const p of predecessors) {
        await retire(trx, p, [successor], 'merge', request.effectiveOn, reason, actorId, at);
        const users = await listUsersOf(trx, p.id);
        const ids = users.map((u) => u.id);
        await moveUsers(trx, ids, p.id, successor.id, at.toISOString());
        await deleteSessionsOf(trx, ids);
        for (const u of users) {
          await record(
            scopedDb(trx, successor.id),
            {
              userId: actorId,
              action: 'update',
              entity: 'user',
              entityId: u.id,
              old: { organisation_id: p.id, unit_id: u.unit_id },
              new: { organisation_id: successor.id, unit_id: null },
              reason,
            },
            at,
          );
          moved.push({ id: u.id, from: p.code });
        }
      }
      await record(
        scopedDb(trx, successor.id),
        {
          userId: actorId,
          action: 'merge',
          entity: 'organisation',
          entityId: successor.id,
          new: { effective_on: request.effectiveOn, predecessors: predecessors.map((p) => ({ id: p.id, code: p.code })), users_moved: moved.length },
          reason,
        },
        at,
      );
      return {
        kind: 'merge',
        predecessors: predecessors.map((p) => ({ id: p.id, code: p.code })),
        successors: [{ id: successor.id, code: successor.code, created }],
        usersMoved: moved.length,
      };
    });
}

/**
 * Splits one organisation into new ones (at least two; each a fresh code, under the predecessor's parent unless
 * told otherwise). The predecessor turns read-only with its records, as in a merge.
 *
 * Its users stay where they are: a split has no one successor to place them in, and guessing would put people in
 * the wrong commune. They keep signing in and reading the old organisation's records (read-only) until an
 * administrator moves each to the successor they now work for.
 */
export async function splitOrganisation(ctx: AppContext, request: SplitRequest, actorId: number | null): Promise<ReorgResult> {
  const reason = checkCommon(request.effectiveOn, request.reason, 'effective_on', 'reason');
  if (request.successors.length < 2) throw new ReorgRefused('split_into', 'reorg.refused.split_two');
  const codes = request.successors.map((s) => s.code.trim().toLowerCase());
  if (new Set(codes).size !== codes.length) throw new ReorgRefused('split_into', 'reorg.refused.duplicate');
  const at = ctx.clock.now();
  return withoutOrganisation(ctx.db)
    .transaction()
    .execute(async (trx) => {
      const reach = await reachOf(trx, actorId);
      const predecessor = await usable(trx, reach, request.predecessor, 'split_from', 'predecessor');
      const successors: Org[] = [];
      for (const s of request.successors)
        successors.push(await createSuccessor(trx, reach, s, { parentId: predecessor.parent_id, kind: predecessor.kind }, actorId, 'split_into', at));
      await retire(trx, predecessor, successors, 'split', request.effectiveOn, reason, actorId, at);
      for (const s of successors) {
        await record(
          scopedDb(trx, s.id),
          {
            userId: actorId,
            action: 'split',
            entity: 'organisation',
            entityId: s.id,
            new: { effective_on: request.effectiveOn, predecessor: { id: predecessor.id, code: predecessor.code } },
            reason,
          },
          at,
        );
      }
      return {
        kind: 'split',
        predecessors: [{ id: predecessor.id, code: predecessor.code }],
        successors: successors.map((s) => ({ id: s.id, code: s.code, created: true })),
        usersMoved: 0,
      };
    });
}
