import { todayLocal } from '../../core/calendar';
import type { DemoContext } from '../demo-context';
import type { Narratives } from './reports.annual.figures';
import { issueAnnualReport, saveAnnualDraft } from './reports.annual.service';

/**
 * The demo's annual QMS reports: last year's, drafted by the ISO secretary and issued with the e-signature of the
 * head of office (lanhdao), and this year's draft still being written.
 */
const LAST_YEAR: Narratives = {
  procedures:
    'Phòng áp dụng HTQLCL cho toàn bộ các thủ tục hành chính thuộc thẩm quyền giải quyết; các quy trình được rà soát, cập nhật khi có văn bản quy phạm pháp luật mới.',
  documents: 'Trong năm đã ban hành mới và sửa đổi các quy trình theo kết quả rà soát; tài liệu được phân phối và cán bộ đã xác nhận đọc trên hệ thống.',
  audits: 'Đã tổ chức đánh giá nội bộ theo chương trình được phê duyệt; các phát hiện đều được lập phiếu yêu cầu hành động khắc phục.',
  nonconformities: 'Các điểm không phù hợp được phân tích nguyên nhân, thực hiện hành động khắc phục và kiểm tra xác nhận hiệu lực.',
  dossiers: 'Hồ sơ thủ tục hành chính cơ bản được giải quyết đúng hạn; một số hồ sơ quá hạn do phải xác minh, đã xin lỗi người dân theo quy định.',
  conclusion:
    'HTQLCL được duy trì và cải tiến phù hợp với TCVN ISO 9001:2015.\nKiến nghị: tiếp tục đẩy mạnh dịch vụ công trực tuyến toàn trình và đào tạo chuyên gia đánh giá nội bộ.',
};

const THIS_YEAR: Narratives = {
  procedures: 'Đang rà soát danh mục quy trình theo các quyết định công bố thủ tục hành chính mới của UBND tỉnh.',
  documents: '',
  audits: 'Chương trình đánh giá nội bộ năm nay đang được thực hiện.',
  nonconformities: '',
  dossiers: '',
  conclusion: '',
};

export async function seedReports(demo: DemoContext): Promise<void> {
  const { ctx } = demo;
  const year = Number(todayLocal(demo.now, ctx.config.timeZone).slice(0, 4));
  const secretary = demo.users.thuky ?? { id: demo.byRole.quality_officer };
  const leader = demo.users.lanhdao;
  if (!leader) return;
  await saveAnnualDraft(ctx, year - 1, { narratives: LAST_YEAR, numberText: '05' }, secretary.id);
  await issueAnnualReport(ctx, year - 1, 1, { userId: leader.id, name: leader.fullName, role: leader.role });
  await saveAnnualDraft(ctx, year, { narratives: THIS_YEAR, numberText: null }, secretary.id);
  demo.log(`Annual QMS reports: ${year - 1} issued (signed by ${leader.fullName}), ${year} in draft.`);
}
