import { addDays } from '../../core/calendar';
import type { Db } from '../../core/db/database';
import { listGrants, listPeopleOptions, listQualifications } from './competence.queries';

/**
 * Competence at planning (ISO 9001 clauses 7.2 and 9.2.2): who may audit a scope on a date, and what to warn about
 * for the team chosen. An auditor is qualified on a date by an active internal-auditor or lead-auditor record held by
 * then and not expired before it; a grant of a clause covers its sub-clauses ("8" covers 8.5.1); a scope without
 * clauses asks for every top-level clause, 4 to 10.
 */
export const TOP_CLAUSES = ['4', '5', '6', '7', '8', '9', '10'] as const;

interface Qualification {
  user_id: number;
  held_on: string;
  expires_on: string | null;
}

/** Whether a grant of `granted` covers `clause`: the same clause or one under it. */
export const covers = (granted: string, clause: string) => clause === granted || clause.startsWith(`${granted}.`);

/** Clause numbers in document order: 7.5.3 before 8.5.1, 9 before 10. */
export function compareClauses(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? -1) !== (y[i] ?? -1)) return (x[i] ?? -1) - (y[i] ?? -1);
  return 0;
}

/** The clauses of a scope in document order, or every top-level clause when it names none. */
export const scopeClauses = (clauses: readonly string[]) => (clauses.length ? [...new Set(clauses)].sort(compareClauses) : [...TOP_CLAUSES]);

/** The clauses of `wanted` that none of `granted` covers, in the order given. */
export const missingClauses = (granted: readonly string[], wanted: readonly string[]) => wanted.filter((c) => !granted.some((g) => covers(g, c)));

/** A person's qualification on a date: valid (until when, null: no expiry), expired (on the latest expiry), or none. */
export type QualificationState = { state: 'valid'; until: string | null } | { state: 'expired'; on: string } | { state: 'none' };

export function qualificationOn(quals: readonly Qualification[], date: string): QualificationState {
  const held = quals.filter((q) => q.held_on <= date);
  const valid = held.filter((q) => q.expires_on === null || q.expires_on >= date);
  if (valid.length) {
    const until = valid.some((q) => q.expires_on === null)
      ? null
      : valid
          .map((q) => q.expires_on!)
          .sort()
          .at(-1)!;
    return { state: 'valid', until };
  }
  const expired = held.map((q) => q.expires_on).filter((d): d is string => d !== null);
  return expired.length ? { state: 'expired', on: expired.sort().at(-1)! } : { state: 'none' };
}

/** The matrix's status of a person today: valid, expiring within 60 days (on its date), expired (on its date), none. */
export function matrixStatus(quals: readonly Qualification[], today: string): { key: string; date?: string } {
  const q = qualificationOn(quals, today);
  if (q.state === 'valid') return q.until !== null && q.until <= addDays(today, 60) ? { key: 'expiring', date: q.until } : { key: 'valid' };
  if (q.state === 'expired') return { key: 'expired', date: q.on };
  return { key: 'none' };
}

export function byUser<T extends { user_id: number }>(rows: readonly T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of rows) out.set(r.user_id, [...(out.get(r.user_id) ?? []), r]);
  return out;
}

export interface AuditorWarning {
  userId: number;
  name: string;
  role: 'lead' | 'member';
  /** An i18n key under competence.warning.* and its parameters (dates as YYYY-MM-DD, shown dd/MM/yyyy by the view). */
  key: 'no_qualification' | 'expired' | 'missing_clauses';
  date?: string;
  clauses?: string;
}

/**
 * What to warn about for an audit's team on its planned start: the lead and each member without a qualification,
 * with one expired before that date (naming its expiry), or without a standing grant for clauses of the scope
 * (naming them). Warnings only: the quality officer may still plan the audit.
 */
export async function auditorWarnings(
  db: Db,
  input: { leadId: number | null; memberIds: number[]; clauses: string[]; onDate: string },
): Promise<AuditorWarning[]> {
  const team: { id: number; role: 'lead' | 'member' }[] = [];
  if (input.leadId) team.push({ id: input.leadId, role: 'lead' });
  for (const id of new Set(input.memberIds)) if (id !== input.leadId) team.push({ id, role: 'member' });
  if (!team.length) return [];
  const [users, quals, grants] = await Promise.all([listPeopleOptions(db), listQualifications(db), listGrants(db, { standingOnly: true })]);
  const names = new Map(users.map((u) => [u.id, u.full_name]));
  const qualsOf = byUser(quals);
  const grantsOf = byUser(grants);
  const wanted = scopeClauses(input.clauses);
  const out: AuditorWarning[] = [];
  for (const m of team) {
    const name = names.get(m.id);
    if (name === undefined) continue; // not a person of this organisation: the form refuses it on its own
    const q = qualificationOn(qualsOf.get(m.id) ?? [], input.onDate);
    if (q.state === 'none') out.push({ userId: m.id, name, role: m.role, key: 'no_qualification' });
    if (q.state === 'expired') out.push({ userId: m.id, name, role: m.role, key: 'expired', date: q.on });
    const missing = missingClauses(
      (grantsOf.get(m.id) ?? []).map((g) => g.clause),
      wanted,
    );
    if (missing.length) out.push({ userId: m.id, name, role: m.role, key: 'missing_clauses', clauses: missing.join(', ') });
  }
  return out;
}
