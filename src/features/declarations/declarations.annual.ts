import type { Db } from '../../core/db/database';
import type { AnnualDeclarations, DeclarationLine } from '../reports/reports.annual.sections';
import type { Period } from '../reports/reports.periods';
import { listDeclarations } from './declarations.queries';
import { parseScope } from './declarations.scope';

/**
 * The annual report's section on the declarations (wired in src/features/hooks.ts): the declaration in force at the
 * period's end (the latest recorded one decided by then) and those decided within the period; cancelled ones are no
 * declaration.
 */
export async function annualDeclarations(db: Db, _year: number, period: Period): Promise<{ declarations: AnnualDeclarations }> {
  const recorded = (await listDeclarations(db)).filter((d) => d.status === 'recorded' && d.decided_on <= period.to);
  const line = (d: (typeof recorded)[number]): DeclarationLine => ({
    decisionNo: d.decision_no,
    decidedOn: d.decided_on,
    kind: d.kind,
    procedures: parseScope(d.scope).length,
  });
  return {
    declarations: {
      inForce: recorded[0] ? line(recorded[0]) : null,
      inPeriod: recorded
        .filter((d) => d.decided_on >= period.from)
        .map(line)
        .reverse(),
    },
  };
}
