import { todayLocal } from '../../core/calendar';
import type { DemoContext } from '../demo-context';
import { emptyNarratives, type Narratives } from './reports.annual.figures';
import { issueAnnualReport, saveAnnualDraft } from './reports.annual.service';

/**
 * The demo's annual QMS reports: last year's, drafted by the ISO secretary and issued with the e-signature of the
 * head of office (lanhdao), and this year's draft still being written.
 */
const LAST_YEAR: Narratives = {
  procedures:
    'Phòng áp dụng HTQLCL cho toàn bộ các thủ tục hành chính thuộc thẩm quyền giải quyết; các quy trình được rà soát, cập nhật khi có văn bản quy phạm pháp luật mới.',
  declarations: 'Phòng đã công bố HTQLCL phù hợp TCVN ISO 9001:2015 và công bố lại khi bổ sung thủ tục vào phạm vi áp dụng.',
  documents: 'Trong năm đã ban hành mới và sửa đổi các quy trình theo kết quả rà soát; tài liệu được phân phối và cán bộ đã xác nhận đọc trên hệ thống.',
  training: 'Tổ chức 01 lớp phổ biến TCVN ISO 9001:2015 cho toàn bộ cán bộ, công chức; cử 02 cán bộ tham gia khóa đào tạo chuyên gia đánh giá nội bộ.',
  audits: 'Đã tổ chức đánh giá nội bộ theo chương trình được phê duyệt; các phát hiện đều được lập phiếu yêu cầu hành động khắc phục.',
  reviews: 'Lãnh đạo Phòng tổ chức họp xem xét của lãnh đạo; các quyết định cải tiến được giao người thực hiện và theo dõi đến khi hoàn thành.',
  objectives: 'Các mục tiêu chất lượng của năm được phê duyệt và theo dõi hằng quý.',
  risks: 'Rủi ro của các quy trình được nhận diện, đánh giá và xử lý; các biện pháp giảm thiểu đối với hồ sơ phải xác minh tại xã có hiệu lực.',
  nonconformities: 'Các điểm không phù hợp được phân tích nguyên nhân, thực hiện hành động khắc phục và kiểm tra xác nhận hiệu lực.',
  satisfaction: 'Chưa tổ chức khảo sát sự hài lòng bằng phiếu; không có phản ánh, kiến nghị về thủ tục hành chính của Phòng.',
  dossiers: 'Hồ sơ thủ tục hành chính cơ bản được giải quyết đúng hạn; một số hồ sơ quá hạn do phải xác minh, đã xin lỗi người dân theo quy định.',
  advantages: 'Lãnh đạo quan tâm chỉ đạo; cán bộ, công chức nắm vững quy trình; phần mềm hỗ trợ theo dõi hồ sơ, tài liệu và hành động khắc phục.',
  difficulties: 'Số lượng hồ sơ tăng; một số thủ tục phải xác minh tại xã nên khó bảo đảm thời hạn; cán bộ phụ trách ISO kiêm nhiệm.',
  causes: 'Thời gian xác minh phụ thuộc Ủy ban nhân dân cấp xã; biên chế hạn chế.',
  conclusion:
    'HTQLCL được duy trì và cải tiến phù hợp với TCVN ISO 9001:2015.\nKiến nghị: tiếp tục đẩy mạnh dịch vụ công trực tuyến toàn trình và đào tạo chuyên gia đánh giá nội bộ.',
  plan: 'Duy trì, cải tiến HTQLCL; cập nhật quy trình theo thủ tục hành chính mới; đánh giá nội bộ 02 đợt; khảo sát sự hài lòng của người dân hằng quý.',
};

const THIS_YEAR: Narratives = {
  ...emptyNarratives(),
  procedures: 'Đang rà soát danh mục quy trình theo các quyết định công bố thủ tục hành chính mới của UBND tỉnh.',
  audits: 'Chương trình đánh giá nội bộ năm nay đang được thực hiện.',
  risks: 'Sổ đăng ký rủi ro được xem xét định kỳ; còn rủi ro về sai sót thành phần hồ sơ người có công ở mức cao sau xử lý.',
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
