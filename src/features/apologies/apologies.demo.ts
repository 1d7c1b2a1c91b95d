import { addDays } from '../../core/calendar/dates';
import { organisationOf } from '../../core/db/scope';
import type { DemoContext } from '../demo-context';
import { findOrganisation } from '../organisation/organisation.queries';
import { recordSlip } from './apologies.service';

const REASONS = [
  'Hồ sơ cần xác minh thêm thông tin tại nơi cư trú của đối tượng; kết quả xác minh của Ủy ban nhân dân cấp xã gửi về chậm.',
  'Hồ sơ đã được phê duyệt nhưng chưa được chuyển bước "trả kết quả" trên phần mềm Một cửa điện tử do công chức mới được phân công chưa thao tác.',
  'Người có thẩm quyền ký duyệt đi công tác đột xuất, chưa ký được văn bản trả kết quả.',
  'Kết quả giải quyết phải chờ ý kiến phối hợp của cơ quan chuyên môn cấp tỉnh.',
];

/**
 * The model office's apology slips: one for each of its late dossiers but the last (left without, so the quality
 * officer's work list shows it), issued on the due date, as the one-stop rules ask. The second one's first new date
 * was missed when the dossier was more than a day late, so it has a second slip with the date it was returned; the
 * next one more than a day late keeps its only new date, the day after the due date, and misses it (returned after).
 */
export async function seedApologies(demo: DemoContext): Promise<void> {
  const { ctx, byRole } = demo;
  const late = await ctx.db
    .selectFrom('dossiers')
    .select(['id', 'code', 'due_on', 'returned_on'])
    .where('organisation_id', '=', organisationOf(ctx.db))
    .where('outcome', '=', 'returned')
    .whereRef('returned_on', '>', 'due_on')
    .orderBy('due_on')
    .orderBy('id')
    .execute();
  const org = await findOrganisation(ctx.db);
  const signer = { signerName: org?.signer_name ?? '', signerTitle: org?.signer_title ?? '' };
  let no = 0;
  const slip = (dossierId: number, issuedOn: string, newDueOn: string, reason: string) =>
    recordSlip(ctx, dossierId, { slipNo: `${String(++no).padStart(2, '0')}/PXL-BPMC`, issuedOn, newDueOn, reason, ...signer }, byRole.quality_officer);
  let missed = false;
  for (const [i, d] of late.slice(0, -1).entries()) {
    const returned = d.returned_on!;
    const reason = REASONS[i % REASONS.length];
    const dayAfterDue = addDays(d.due_on, 1);
    if (i === 1 && returned > dayAfterDue) {
      await slip(d.id, d.due_on, dayAfterDue, reason);
      await slip(d.id, dayAfterDue, returned, 'Chưa nhận được kết quả xác minh bổ sung; đã đôn đốc Ủy ban nhân dân cấp xã trả lời.');
    } else if (i > 1 && !missed && returned > dayAfterDue) {
      missed = true;
      await slip(d.id, d.due_on, dayAfterDue, reason);
    } else await slip(d.id, d.due_on, returned, reason);
  }
  demo.log(`Apology slips: ${no} for ${Math.max(0, late.length - 1)} of ${late.length} late dossiers.`);
}
