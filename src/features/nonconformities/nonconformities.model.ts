/**
 * The nonconformity workflow (ISO 9001 clause 10.2), as data: states, the transitions between them and
 * the enums of the register. Pure; the services enforce the gates that need the database.
 *
 *   reported ─accept→ open ─analyse→ analysed ─plan→ action_plan ─start→ in_progress ─submit→ awaiting_verification
 *      └reject→ rejected                                  ↑                                     │ effective → closed
 *                                                         └──────── not effective ──────────────┘
 *   cancel: any state before closed (not rejected) → cancelled;   reopen: closed → action_plan
 */
export const NC_STATUSES = ['reported', 'open', 'analysed', 'action_plan', 'in_progress', 'awaiting_verification', 'closed', 'cancelled', 'rejected'] as const;
export type NcStatus = (typeof NC_STATUSES)[number];

export const NC_SOURCES = [
  'internal_audit',
  'external_audit',
  'complaint',
  'process_monitoring',
  'overdue_dossier',
  'management_review',
  'staff_report',
  'other',
] as const;
export type NcSource = (typeof NC_SOURCES)[number];

export const NC_SEVERITIES = ['major', 'minor'] as const;
export type NcSeverity = (typeof NC_SEVERITIES)[number];

export const CAUSE_CATEGORIES = ['people', 'method', 'document', 'equipment_it', 'environment', 'external'] as const;
export type CauseCategory = (typeof CAUSE_CATEGORIES)[number];

export const VERIFICATION_RESULTS = ['effective', 'not_effective'] as const;
export type VerificationResult = (typeof VERIFICATION_RESULTS)[number];

/** The named steps of the workflow and the states each may start from. */
export const TRANSITIONS = {
  accept: { from: ['reported'], to: 'open' },
  reject: { from: ['reported'], to: 'rejected' },
  analyse: { from: ['open'], to: 'analysed' },
  plan: { from: ['analysed'], to: 'action_plan' },
  start: { from: ['action_plan'], to: 'in_progress' },
  submit: { from: ['in_progress'], to: 'awaiting_verification' },
  verify_effective: { from: ['awaiting_verification'], to: 'closed' },
  verify_not_effective: { from: ['awaiting_verification'], to: 'action_plan' },
  cancel: { from: ['reported', 'open', 'analysed', 'action_plan', 'in_progress', 'awaiting_verification'], to: 'cancelled' },
  reopen: { from: ['closed'], to: 'action_plan' },
} as const satisfies Record<string, { from: readonly NcStatus[]; to: NcStatus }>;
export type Transition = keyof typeof TRANSITIONS;

export function canTransition(step: Transition, from: NcStatus): boolean {
  return (TRANSITIONS[step].from as readonly NcStatus[]).includes(from);
}

/** States in which the NC is still being worked on. */
export const ACTIVE_STATUSES: readonly NcStatus[] = ['reported', 'open', 'analysed', 'action_plan', 'in_progress', 'awaiting_verification'];
export const isActive = (s: NcStatus) => ACTIVE_STATUSES.includes(s);

/** The root-cause analysis may be written or revised while the NC is open, analysed or being planned. */
export const ANALYSIS_STATUSES: readonly NcStatus[] = ['open', 'analysed', 'action_plan'];

/** Immediate corrections may be recorded at any stage before the end. */
export const CORRECTION_STATUSES: readonly NcStatus[] = ACTIVE_STATUSES;

/** Days between the last action and the effectiveness check, unless scheduled otherwise. */
export const VERIFY_AFTER_DAYS = 30;

/** A repeat: same procedure and cause category within this many months before. */
export const REPEAT_WINDOW_MONTHS = 12;

/** Badge class of a status (the text always goes with it). */
export function statusBadge(status: NcStatus): string {
  switch (status) {
    case 'closed':
      return 'badge-ok';
    case 'cancelled':
    case 'rejected':
      return 'badge-muted';
    case 'reported':
    case 'open':
      return 'badge-bad';
    case 'awaiting_verification':
      return 'badge-info';
    default:
      return 'badge-warn';
  }
}

export interface Why {
  why: string;
  answer: string;
}

export function parseWhys(json: string | null | undefined): Why[] {
  if (!json) return [];
  try {
    const value = JSON.parse(json) as unknown;
    if (!Array.isArray(value)) return [];
    return value
      .filter((w): w is Why => typeof w === 'object' && w !== null && typeof (w as Why).why === 'string' && typeof (w as Why).answer === 'string')
      .slice(0, 5);
  } catch {
    return [];
  }
}

/** The same day `months` calendar months later (negative: earlier); the 29th–31st fall back to the month's last day. */
export function shiftMonths(date: string, months: number): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  const nd = Math.min(d, last);
  return `${String(ny).padStart(4, '0')}-${String(nm).padStart(2, '0')}-${String(nd).padStart(2, '0')}`;
}

/** The date `months` months before an ISO date (29 Feb → 28 Feb). */
export const monthsBefore = (date: string, months: number) => shiftMonths(date, -months);
