import { record } from '../../core/audit-log/audit-log';
import { organisationOf } from '../../core/db/scope';
import type { DemoContext } from '../demo-context';
import { FIRST_TERMS_DATE, putTerms } from './procedures.terms.queries';

/**
 * Terms that changed over time, as the register of a real office shows them: QT-BTXH-02 (the transfer of monthly
 * allowances) was offered online "một phần" until 30/06/2026 and "toàn trình" from 01/07/2026 (the sample register
 * holds today's level). A report of the first half of 2026 counts it as partial, one of the second half as full.
 */
export const DEMO_TERMS_CHANGE = { code: 'QT-BTXH-02', from: '2026-07-01', before: 'partial', after: 'full' } as const;

/** Adds this feature's part of the demo data. */
export async function seedProcedures(demo: DemoContext): Promise<void> {
  const id = demo.procedures[DEMO_TERMS_CHANGE.code];
  if (id === undefined) return;
  const actor = demo.byRole.quality_officer;
  const at = demo.now;
  await demo.ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('procedures')
      .select('processing_days')
      .where('id', '=', id)
      .where('organisation_id', '=', organisationOf(trx))
      .executeTakeFirstOrThrow();
    const days = row.processing_days;
    await putTerms(trx, id, FIRST_TERMS_DATE, { processingDays: days, onlineLevel: DEMO_TERMS_CHANGE.before }, actor, at.toISOString());
    await putTerms(trx, id, DEMO_TERMS_CHANGE.from, { processingDays: days, onlineLevel: DEMO_TERMS_CHANGE.after }, actor, at.toISOString());
    await record(
      trx,
      {
        userId: actor,
        action: 'update',
        entity: 'procedure',
        entityId: id,
        old: { online_level: DEMO_TERMS_CHANGE.before },
        new: { online_level: DEMO_TERMS_CHANGE.after, termsFrom: DEMO_TERMS_CHANGE.from },
        reason: 'demo',
      },
      at,
    );
  });
  demo.log(`Procedures: ${DEMO_TERMS_CHANGE.code} online from ${DEMO_TERMS_CHANGE.from} (terms history).`);
}
