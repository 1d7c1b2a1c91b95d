import { record } from '../../core/audit-log/audit-log';
import { organisationOf } from '../../core/db/scope';
import type { DemoContext } from '../demo-context';
import { upsertRecipients } from './organisation.signers.queries';
import { createSigner } from './organisation.signers.service';

/**
 * The model office's signers and recipients (issue 25): the head of office (lanhdao) and his deputy (phophong), who
 * signs for him ("KT. TRƯỞNG PHÒNG / PHÓ TRƯỞNG PHÒNG") — she chairs and signs this year's management review — and
 * the recipients of the annual report and of the apology slips. Run before the documents they sign.
 */
export async function seedSigners(demo: DemoContext): Promise<void> {
  const { ctx, users, byRole, now } = demo;
  const head = users.lanhdao;
  const deputy = users.phophong;
  if (head) await createSigner(ctx, byRole.admin, { user_id: head.id, full_name: head.fullName, position_title: 'TRƯỞNG PHÒNG', way: 'head' });
  if (deputy) await createSigner(ctx, byRole.admin, { user_id: deputy.id, full_name: deputy.fullName, position_title: 'PHÓ TRƯỞNG PHÒNG', way: 'kt' });
  const lists = {
    annual: 'UBND huyện Nghĩa Hưng (để báo cáo)\nSở Khoa học và Công nghệ tỉnh Nam Định\nBan Chỉ đạo ISO huyện\nLưu: VT, ISO',
    apology: 'Ông (bà) có hồ sơ nêu trên\nBộ phận Tiếp nhận và Trả kết quả\nLưu: VT',
  } as const;
  await ctx.db.transaction().execute(async (trx) => {
    for (const [kind, text] of Object.entries(lists) as [keyof typeof lists, string][]) await upsertRecipients(trx, kind, text, now.toISOString());
    const values = { recipients_annual: lists.annual, recipients_apology: lists.apology };
    await record(
      trx,
      { userId: byRole.admin, action: 'update', entity: 'organisation_recipients', entityId: organisationOf(trx), new: values, reason: 'demo' },
      now,
    );
  });
  demo.log(`Signers: ${[head, deputy].filter(Boolean).length} (the head and a deputy signing KT.); recipients for the annual report and the apology slips.`);
}
