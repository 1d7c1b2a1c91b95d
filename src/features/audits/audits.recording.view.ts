import type { Request } from 'express';
import type { AppContext } from '../../core/context';
import { translate } from '../../core/i18n';
import { findUser } from '../users/users.queries';
import { findAcknowledgement, mayAcknowledge } from './audits.ack.service';
import { recordingRefusal } from './audits.independence';
import type { AuditRow } from './audits.queries';
import { listAuditProcedures } from './audits.queries';
import { listAssessors } from './audits.recording.queries';
import { groupAssessors } from './audits.report.groups';

/**
 * What the audit page shows of independence at recording and the auditee's acknowledgement: who audited what, why
 * the viewer may not record the conclusion or issue the report (the forms are not offered then), and the
 * acknowledgement form for those who may give it.
 */
export async function recordingLocals(ctx: AppContext, req: Request, audit: AuditRow) {
  const user = req.user;
  const [procedures, assessors, ack] = await Promise.all([
    listAuditProcedures(ctx.db, audit.id),
    listAssessors(ctx.db, audit.id),
    findAcknowledgement(ctx.db, audit.id),
  ]);
  const refusal = user && audit.status === 'in_progress' ? await recordingRefusal(ctx.db, audit, user.id, { kind: 'audit' }) : undefined;
  const mayAck = !ack && audit.status === 'reported' && (await mayAcknowledge(ctx.db, audit, user));
  let ackDefault = '';
  if (mayAck && user) {
    const row = await findUser(ctx.db, user.id);
    ackDefault = `${user.full_name}, ${row?.position_title || translate(req.lang, `role.${user.role}`)}`;
  }
  return { assessors: groupAssessors(assessors, procedures), ack, recordingRefusal: refusal, mayAck, ackDefault };
}
