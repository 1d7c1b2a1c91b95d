/**
 * Management review (clause 9.3): its inputs in the order of 9.3.2, the kinds of decision of 9.3.3 and the review's
 * states. A review is a draft until its chair signs the minutes; then nothing of it changes.
 */
export const INPUTS = [
  'previous_actions',
  'context',
  'satisfaction',
  'objectives',
  'processes',
  'nonconformities',
  'monitoring',
  'audits',
  'resources',
  'risks',
  'improvement',
] as const;
export type ReviewInput = (typeof INPUTS)[number];

/** Inputs without figures in the app: the leaders' assessment alone (citizens' satisfaction has the surveys' figures). */
export const TEXT_ONLY_INPUTS: readonly ReviewInput[] = ['context', 'resources'];

export const DECISION_KINDS = ['improvement', 'qms_change', 'resource'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

export const REVIEW_STATUSES = ['draft', 'signed'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export type Assessments = Record<ReviewInput, string>;

export function emptyAssessments(): Assessments {
  return Object.fromEntries(INPUTS.map((k) => [k, ''])) as Assessments;
}

/** Stored assessments (JSON) → every input, missing ones empty. */
export function parseAssessments(json: string): Assessments {
  const out = emptyAssessments();
  try {
    const parsed = JSON.parse(json) as Record<string, unknown>;
    for (const k of INPUTS) if (typeof parsed[k] === 'string') out[k] = parsed[k];
  } catch {
    /* the column's check keeps it a JSON object */
  }
  return out;
}

/** Stored attendee ids (a JSON array) → numbers. */
export function parseIds(json: string): number[] {
  try {
    const parsed = JSON.parse(json) as unknown;
    return Array.isArray(parsed) ? parsed.map(Number).filter((n) => Number.isInteger(n) && n > 0) : [];
  } catch {
    return [];
  }
}
