/** Actions of a nonconformity: types, kinds and statuses, and which of them count as open. */
/** `risk` (actions to address risks, ISO 9001:2015 clause 6.1) replaced the 2008 `preventive` (migration 2026_12_06_1300_vocabulary). */
export const ACTION_TYPES = ['correction', 'corrective', 'risk', 'improvement'] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export const ACTION_KINDS = ['general', 'revise_document'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export const ACTION_STATUSES = ['planned', 'in_progress', 'done', 'cancelled'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const OPEN_ACTION_STATUSES: readonly ActionStatus[] = ['planned', 'in_progress'];
export const isOpenAction = (s: ActionStatus) => OPEN_ACTION_STATUSES.includes(s);

/** An action due within this many days is "due soon" (amber). */
export const DUE_SOON_DAYS = 7;

export type Urgency = 'overdue' | 'due_soon' | null;

/** Overdue (red) when open and past due; due soon (amber) when open and due within DUE_SOON_DAYS days. */
export function urgencyOf(status: ActionStatus, dueDate: string, today: string, soonUntil: string): Urgency {
  if (!isOpenAction(status)) return null;
  if (dueDate < today) return 'overdue';
  if (dueDate <= soonUntil) return 'due_soon';
  return null;
}

export function actionBadge(status: ActionStatus): string {
  switch (status) {
    case 'done':
      return 'badge-ok';
    case 'cancelled':
      return 'badge-muted';
    case 'in_progress':
      return 'badge-info';
    default:
      return 'badge-warn';
  }
}
