import type { AppContext } from '../../core/context';
import { organisationOf } from '../../core/db/scope';
import type { DemoContext } from '../demo-context';
import { acknowledgeReport } from './audits.ack.service';

/**
 * Demo: the auditee's acknowledgement of this year's internal audit reports that are issued and not yet closed,
 * given by the deputy head of the audited office (Phó Trưởng phòng LĐTBXH, not on the audit team) the day after issue.
 */
export async function seedAuditAcknowledgements(demo: DemoContext): Promise<void> {
  const deputy = demo.users.phophong;
  if (!deputy) return;
  const year = Number(demo.now.toISOString().slice(0, 4));
  const reported = await demo.ctx.db
    .selectFrom('audits')
    .select(['id', 'code', 'version', 'report_issued_at'])
    .where('organisation_id', '=', organisationOf(demo.ctx.db))
    .where('type', '=', 'internal')
    .where('status', '=', 'reported')
    .where('year', '=', year)
    .where('auditee_ack_at', 'is', null)
    .execute();
  for (const audit of reported) {
    const at = new Date(Math.min(Date.parse(audit.report_issued_at!) + 24 * 3_600_000, demo.now.getTime()));
    const ctx: AppContext = { ...demo.ctx, clock: { now: () => at } };
    await acknowledgeReport(
      ctx,
      audit.id,
      {
        name: `${deputy.fullName}, Phó Trưởng phòng`,
        note: 'Phòng đã nhận báo cáo, thống nhất với các phát hiện và sẽ lập kế hoạch khắc phục trong 10 ngày làm việc.',
      },
      audit.version,
      { id: deputy.id, role: deputy.role, unit_id: deputy.unitId },
    );
    demo.log(`Audit ${audit.code}: report acknowledged by ${deputy.fullName}.`);
  }
}
