import type { Request } from 'express';
import type { AppContext } from '../../core/context';
import { listChecklistItems, listEvidenceFiles, type ChecklistItemRow, type EvidenceFileRow } from './audits.checklist.queries';
import type { FieldError } from '../../core/http/errors';
import { NotFound } from '../../core/http/errors';
import { timeZoneOf } from '../../core/http/today';
import { clauseTitle } from '../../core/iso/clauses';
import { previousFindingsByItem } from './audits.library.queries';
import type { AuditRow } from './audits.queries';
import { EDITABLE } from './audits.service';
import { ITEM_RESULTS } from './audits.tables';
import { canEditAudits, previousWithBadge } from './audits.view';

/**
 * The locals of the one-page checklist: the procedures of the checklist (a "general" group for items without one)
 * with their answered/total counts, and, for the chosen group, every question with its answer, last time's finding
 * and its files. An answer refused by validation comes back as `failed`: its typed values and messages replace the
 * stored ones for that one question.
 */
export const GENERAL = 'general';

/** The group of an item: its procedure's id, or "general". */
export const groupKeyOf = (item: { procedure_id: number | null }) => (item.procedure_id === null ? GENERAL : String(item.procedure_id));

export const fillUrl = (auditId: number, key?: string, itemId?: number) =>
  `/audits/${auditId}/fill${key ? `?procedure=${encodeURIComponent(key)}` : ''}${itemId ? `#item-${itemId}` : ''}`;

export interface FailedAnswer {
  itemId: number;
  values: Record<string, unknown>;
  errors: Record<string, FieldError>;
}

/** Fields shown on the page; a message about any other (found_on, procedure_id) is shown above the question. */
const SHOWN_FIELDS = new Set(['result', 'evidence', 'statement', 'file', '_form']);
export function placeErrors(errors: Record<string, FieldError>): Record<string, FieldError> {
  const out: Record<string, FieldError> = {};
  for (const [field, error] of Object.entries(errors)) out[SHOWN_FIELDS.has(field) ? field : '_form'] ??= error;
  return out;
}

interface Group {
  key: string;
  code: string | null;
  title: string | null;
  answered: number;
  total: number;
}

function groupsOf(items: ChecklistItemRow[]): Group[] {
  const groups = new Map<string, Group>();
  for (const item of items) {
    const key = groupKeyOf(item);
    let group = groups.get(key);
    if (!group) {
      group = { key, code: item.procedure_code, title: item.procedure_title, answered: 0, total: 0 };
      groups.set(key, group);
    }
    group.total += 1;
    if (item.result !== null) group.answered += 1;
  }
  // procedures by code, the general questions last
  return [...groups.values()].sort((a, b) => (a.key === GENERAL ? 1 : b.key === GENERAL ? -1 : (a.code ?? '').localeCompare(b.code ?? '')));
}

export async function fillLocals(ctx: AppContext, req: Request, audit: AuditRow, key: string | undefined, failed?: FailedAnswer) {
  const items = await listChecklistItems(ctx.db, audit.id);
  const groups = groupsOf(items);
  const canEdit = canEditAudits(req) && EDITABLE.includes(audit.status);
  const base = {
    pageTitle: 'audits.fill.title',
    audit,
    groups,
    answered: items.filter((i) => i.result !== null).length,
    total: items.length,
    canEdit,
    planned: audit.status === 'planned',
    timeZone: timeZoneOf(req.res!),
    checklistUrl: `/audits/${audit.id}/checklist`,
    fillUrl: fillUrl(audit.id),
  };
  if (key === undefined) return { ...base, group: undefined, items: [] };
  const at = groups.findIndex((g) => g.key === key);
  if (at === -1) throw new NotFound();
  const [previousOf, files] = await Promise.all([previousFindingsByItem(ctx.db, audit.id), listEvidenceFiles(ctx.db, audit.id)]);
  const filesOf = new Map<number, EvidenceFileRow[]>();
  for (const f of files) filesOf.set(f.checklist_item_id, [...(filesOf.get(f.checklist_item_id) ?? []), f]);
  const shown = items
    .filter((i) => groupKeyOf(i) === key)
    .map((item) => {
      const mine = failed?.itemId === item.id ? failed : undefined;
      const values = mine ? { ...item, ...mine.values } : item;
      return {
        ...item,
        clauseTitle: item.clause ? clauseTitle(item.clause, req.lang) : null,
        previous: previousWithBadge(previousOf.get(item.id)),
        files: filesOf.get(item.id) ?? [],
        values,
        errors: mine ? placeErrors(mine.errors) : {},
        resultOptions: ITEM_RESULTS.map((value) => ({ value, checked: values.result === value })),
      };
    });
  const group = groups[at];
  return {
    ...base,
    group,
    items: shown,
    previousGroup: at > 0 ? groups[at - 1] : undefined,
    nextGroup: at < groups.length - 1 ? groups[at + 1] : undefined,
  };
}
