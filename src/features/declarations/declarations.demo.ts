import { storeFile } from '../../core/files';
import { onePagePdf } from '../../core/files/demo-pdf';
import type { DemoContext } from '../demo-context';
import { currentScope } from './declarations.queries';
import { recordDeclaration } from './declarations.service';

/**
 * The model office's declarations: the first one (2024), whose scope lacked the last two procedures of today's
 * register, and the re-declaration (2025) after they were added, with the signed decisions' scans. Today's scope is
 * the re-declaration's, so no re-declaration is due; adding or retiring a procedure makes one due.
 */
export async function seedDeclarations(demo: DemoContext): Promise<void> {
  const { ctx, byRole } = demo;
  const today = await currentScope(ctx.db);
  const later = today.slice(-2);
  const first = today.slice(0, -2);
  const decision = async (no: string, date: string) => storeFile(ctx, { buffer: decisionPdf(no, date) }, `Quyet dinh ${no.replace(/\//g, '-')}.pdf`);
  await recordDeclaration(
    ctx,
    {
      decisionNo: '125/QĐ-UBND',
      decidedOn: '2024-03-15',
      signerName: 'Trần Văn Hùng',
      signerTitle: 'CHỦ TỊCH',
      note: 'Công bố Hệ thống quản lý chất lượng phù hợp TCVN ISO 9001:2015 cho các thủ tục hành chính thuộc thẩm quyền giải quyết của Phòng.',
    },
    await decision('125/QD-UBND', '15/03/2024'),
    byRole.quality_officer,
    first,
  );
  await recordDeclaration(
    ctx,
    {
      decisionNo: '318/QĐ-UBND',
      decidedOn: '2025-08-20',
      signerName: 'Trần Văn Hùng',
      signerTitle: 'CHỦ TỊCH',
      note: `Công bố lại do mở rộng phạm vi: bổ sung ${later.map((p) => p.code).join(', ')} theo danh mục thủ tục hành chính mới được công bố.`,
    },
    await decision('318/QD-UBND', '20/08/2025'),
    byRole.quality_officer,
  );
  demo.log(`Declarations of conformity: 125/QĐ-UBND (${first.length} procedures) and the re-declaration 318/QĐ-UBND (${today.length}).`);
}

/** A one-page PDF standing for the scan of a signed decision (ASCII text: the built-in font has no Vietnamese). */
function decisionPdf(no: string, date: string): Buffer {
  return onePagePdf(
    `BT /F1 16 Tf 72 760 Td (QUYET DINH so ${no}, ngay ${date}) Tj 0 -28 Td /F1 12 Tf (Cong bo He thong quan ly chat luong phu hop TCVN ISO 9001:2015) Tj ET`,
  );
}
