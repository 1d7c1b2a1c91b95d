import type { AppContext } from '../../core/context';
import type { DemoContext } from '../demo-context';
import { acknowledgeReport } from './audits.ack.service';
import { findAudit } from './audits.queries';

/**
 * Demo: the auditee's acknowledgement of an issued internal audit report, given by the deputy head of the audited
 * office (Phó Trưởng phòng, not on the audit team) on the clock of `ctx`, before the audit is closed.
 */
export async function acknowledgeDemoReport(demo: DemoContext, ctx: AppContext, auditId: number): Promise<void> {
  const deputy = demo.users.phophong;
  const audit = await findAudit(ctx.db, auditId);
  if (!deputy || !audit) return;
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
