import type { Db } from '../../core/db/database';
import { byUser, missingClauses, qualificationOn, scopeClauses } from '../competence/competence.planning';
import { listGrants, listPeopleOptions, listQualifications } from '../competence/competence.queries';
import { independenceConflicts } from './audits.independence';

/**
 * The people to propose for an audit: active, holding a valid qualification on the planned start, granted every
 * clause of the scope, and independent of its procedures (audits.independence.ts). In name order.
 */
export async function proposedAuditors(
  db: Db,
  input: { procedureIds: number[]; clauses: string[]; onDate: string },
): Promise<{ id: number; full_name: string; unit_code: string | null; until: string | null }[]> {
  const [users, quals, grants] = await Promise.all([listPeopleOptions(db), listQualifications(db), listGrants(db, { standingOnly: true })]);
  const qualsOf = byUser(quals);
  const grantsOf = byUser(grants);
  const wanted = scopeClauses(input.clauses);
  const candidates = users
    .filter((u) => u.active === 1 && u.role !== 'inspector')
    .map((u) => ({ ...u, q: qualificationOn(qualsOf.get(u.id) ?? [], input.onDate) }))
    .filter(
      (u) =>
        u.q.state === 'valid' &&
        missingClauses(
          (grantsOf.get(u.id) ?? []).map((g) => g.clause),
          wanted,
        ).length === 0,
    );
  const conflicts = await independenceConflicts(
    db,
    candidates.map((u) => u.id),
    input.procedureIds,
  );
  return candidates
    .filter((u) => !conflicts.get(u.id)?.length)
    .map((u) => ({ id: u.id, full_name: u.full_name, unit_code: u.unit_code, until: u.q.state === 'valid' ? u.q.until : null }));
}
