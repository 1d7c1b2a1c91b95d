import type { AppContext } from '../../core/context';
import { record } from '../../core/audit-log/audit-log';
import { Conflict, NotFound } from '../../core/http/errors';
import { translate } from '../../core/i18n';
import { formatDate } from '../../core/views/format';
import { createNonconformityIn } from '../nonconformities/nonconformities.service';
import { findFeedback, updateFeedback } from './feedback.queries';

/** Longest part of the content quoted in the NC's title. */
const TITLE_QUOTE = 120;

/**
 * Raises a record (a complaint, usually) as a nonconformity, in one transaction: the NC is created by the
 * nonconformities feature's own function (source 'complaint', the record's procedure and unit, its description citing
 * the record's code, date and content, in the organisation's language), and the record's outcome becomes
 * 'nonconformity' with the NC's id, each with its audit-log entry. The NC's page links back through ncOriginHooks.
 */
export async function raiseAsNonconformity(ctx: AppContext, id: number, today: string, actorId: number): Promise<{ ncId: number; ncCode: string }> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const f = await findFeedback(trx, id);
    if (!f) throw new NotFound();
    if (f.outcome !== null || (f.status !== 'open' && f.status !== 'answered')) throw new Conflict('feedback.error.not_now');
    const kind = translate('vi', `feedback.kind.${f.kind}`);
    const quote = f.content.length > TITLE_QUOTE ? `${f.content.slice(0, TITLE_QUOTE - 1).trimEnd()}…` : f.content;
    const nc = await createNonconformityIn(
      trx,
      {
        title: translate('vi', 'feedback.nc.title', { kind, code: f.code, quote }),
        description: translate('vi', 'feedback.nc.description', {
          kind: kind.toLowerCase(),
          code: f.code,
          date: formatDate(f.received_on, ctx.config.timeZone),
          content: f.content,
        }),
        source: 'complaint',
        severity: 'minor',
        procedureId: f.procedure_id,
        clause: null,
        detectedOn: today,
        reportedBy: actorId,
        responsibleUnitId: f.unit_id,
        responsibleUserId: null,
        status: 'open',
      },
      actorId,
      at,
    );
    const set = { outcome: 'nonconformity' as const, nonconformity_id: nc.id };
    if (!(await updateFeedback(trx, id, { ...set, updated_at: at.toISOString() }, ['open', 'answered']))) throw new Conflict('feedback.error.not_now');
    await record(
      trx,
      {
        userId: actorId,
        action: 'raise_nonconformity',
        entity: 'feedback',
        entityId: id,
        old: { outcome: null, nonconformity_id: null },
        new: { ...set, nc_code: nc.code },
      },
      at,
    );
    return { ncId: nc.id, ncCode: nc.code };
  });
}
