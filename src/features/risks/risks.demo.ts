import type { AppContext } from '../../core/context';
import { addDays, todayLocal } from '../../core/calendar';
import { completeAction, startAction } from '../nonconformities/nonconformities.actions.service';
import { findAction } from '../nonconformities/nonconformities.actions.queries';
import type { DemoContext } from '../demo-context';
import type { Effectiveness, RiskKind, Treatment } from './risks.model';
import { addRiskAction, createRisk, reviewRisk } from './risks.service';

/**
 * The model office's register of risks and opportunities, entered a year ago and reviewed since: each is entered,
 * treated, acted on and reviewed through the services with the clock set back to when it happened. The register
 * shows every state a quality officer meets: risks treated and reviewed (one still high after treatment), one not
 * yet treated, one whose review is overdue, an accepted low risk, and two opportunities, one being pursued.
 */
interface Spec {
  kind: RiskKind;
  procedure?: string;
  process?: string;
  description: string;
  cause: string;
  consequence: string;
  likelihood: number;
  impact: number;
  treatment?: Treatment;
  treatmentNote?: string;
  owner: string;
  identifiedAgo: number;
  /** Days from today to the next review (negative: overdue). */
  reviewIn: number;
  actions?: { description: string; owner: string; dueAgo: number; doneAgo?: number; note?: string }[];
  review?: { ago: number; likelihood: number; impact: number; effectiveness: Effectiveness; note: string };
}

const SPECS: Spec[] = [
  {
    kind: 'risk',
    procedure: 'QT-BTXH-01',
    description: 'Hồ sơ trợ cấp xã hội hằng tháng bị trả kết quả quá hạn do phải xác minh tại xã.',
    cause: 'Thời gian xác minh tại Ủy ban nhân dân xã kéo dài; không theo dõi hạn từng bước.',
    consequence: 'Người dân phải đi lại nhiều lần; phải gửi phiếu xin lỗi và hẹn lại ngày trả kết quả.',
    likelihood: 4,
    impact: 4,
    treatment: 'reduce',
    treatmentNote: 'Theo dõi hạn từng bước trên phiếu kiểm soát; nhắc xã trước hạn 2 ngày làm việc.',
    owner: 'canbo',
    identifiedAgo: 330,
    reviewIn: 60,
    actions: [
      {
        description: 'Lập danh sách theo dõi hạn xác minh theo từng xã, cập nhật hằng tuần.',
        owner: 'canbo',
        dueAgo: 270,
        doneAgo: 280,
        note: 'Đã lập và áp dụng từ tháng 1.',
      },
      {
        description: 'Làm việc với UBND các xã về thời hạn trả kết quả xác minh.',
        owner: 'lanhdao',
        dueAgo: 240,
        doneAgo: 250,
        note: 'Đã có văn bản thống nhất thời hạn 3 ngày làm việc.',
      },
    ],
    review: { ago: 120, likelihood: 2, impact: 4, effectiveness: 'effective', note: 'Sáu tháng qua chỉ 1 hồ sơ trễ hạn; tiếp tục theo dõi.' },
  },
  {
    kind: 'risk',
    procedure: 'QT-NCC-01',
    description: 'Sai sót khi đối chiếu giấy tờ của người có công (thiếu thành phần hồ sơ không phát hiện khi tiếp nhận).',
    cause: 'Thành phần hồ sơ nhiều, thay đổi theo văn bản mới; cán bộ tiếp nhận luân chuyển.',
    consequence: 'Hồ sơ phải trả lại để bổ sung; chậm giải quyết chế độ.',
    likelihood: 3,
    impact: 5,
    treatment: 'reduce',
    treatmentNote: 'Cập nhật phiếu kiểm tra thành phần hồ sơ; tập huấn cán bộ Một cửa.',
    owner: 'motcua',
    identifiedAgo: 320,
    reviewIn: 45,
    actions: [
      {
        description: 'Cập nhật phiếu kiểm tra thành phần hồ sơ người có công theo văn bản mới.',
        owner: 'thuky',
        dueAgo: 200,
        doneAgo: 210,
        note: 'Ban hành lần 2 biểu mẫu.',
      },
      { description: 'Tập huấn cán bộ Một cửa về thành phần hồ sơ người có công.', owner: 'lanhdao', dueAgo: -20 },
    ],
    review: { ago: 90, likelihood: 3, impact: 4, effectiveness: 'partly_effective', note: 'Sai sót giảm nhưng còn 3 trường hợp trong quý; chờ tập huấn.' },
  },
  {
    kind: 'risk',
    procedure: 'QT-BTXH-04',
    description: 'Chi trả hỗ trợ mai táng phí chậm do kinh phí chưa được cấp kịp thời.',
    cause: 'Dự toán kinh phí hằng năm thấp hơn số đối tượng thực tế.',
    consequence: 'Gia đình đối tượng phải chờ nhận hỗ trợ; phản ánh của người dân.',
    likelihood: 3,
    impact: 3,
    owner: 'lanhdao',
    identifiedAgo: 40,
    reviewIn: 50,
  },
  {
    kind: 'risk',
    process: 'Quản lý hồ sơ, lưu trữ',
    description: 'Mất, thất lạc hồ sơ giải quyết thủ tục hành chính sau khi trả kết quả.',
    cause: 'Kho lưu trữ chật; chưa số hóa hồ sơ đã giải quyết.',
    consequence: 'Không truy xuất được hồ sơ khi thanh tra, kiểm tra hoặc khi người dân yêu cầu.',
    likelihood: 2,
    impact: 4,
    treatment: 'reduce',
    treatmentNote: 'Số hóa hồ sơ đã giải quyết theo từng năm; sắp xếp lại kho lưu trữ.',
    owner: 'canbo',
    identifiedAgo: 300,
    reviewIn: -12,
    actions: [{ description: 'Số hóa hồ sơ đã giải quyết năm 2025.', owner: 'canbo', dueAgo: 30 }],
  },
  {
    kind: 'risk',
    process: 'Tiếp nhận và trả kết quả',
    description: 'Mất kết nối Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh khi tiếp nhận hồ sơ.',
    cause: 'Đường truyền của bộ phận Một cửa không ổn định.',
    consequence: 'Tiếp nhận bằng giấy rồi nhập lại; dễ sai thời điểm tiếp nhận.',
    likelihood: 2,
    impact: 2,
    treatment: 'accept',
    treatmentNote: 'Mức thấp: ghi sổ tiếp nhận tạm khi mất kết nối và nhập lại trong ngày.',
    owner: 'motcua',
    identifiedAgo: 310,
    reviewIn: 120,
  },
  {
    kind: 'opportunity',
    process: 'Tiếp nhận và trả kết quả',
    description: 'Tăng tỷ lệ hồ sơ nộp trực tuyến toàn trình qua Cổng dịch vụ công.',
    cause: 'Người dân đã quen dùng ứng dụng định danh điện tử.',
    consequence: 'Giảm thời gian đi lại của người dân và tải của bộ phận Một cửa.',
    likelihood: 4,
    impact: 3,
    treatment: 'pursue',
    treatmentNote: 'Hướng dẫn người dân nộp trực tuyến tại quầy; in mã QR hướng dẫn.',
    owner: 'motcua',
    identifiedAgo: 280,
    reviewIn: 30,
    actions: [
      { description: 'In và dán mã QR hướng dẫn nộp hồ sơ trực tuyến tại các quầy.', owner: 'motcua', dueAgo: 150, doneAgo: 160, note: 'Đã dán tại 3 quầy.' },
    ],
    review: { ago: 60, likelihood: 4, impact: 3, effectiveness: 'effective', note: 'Tỷ lệ nộp trực tuyến tăng từ 18 % lên 31 %.' },
  },
  {
    kind: 'opportunity',
    procedure: 'QT-TE-01',
    description: 'Liên thông dữ liệu khai sinh để tự động lập danh sách trẻ em được hỗ trợ.',
    cause: 'Cơ sở dữ liệu hộ tịch điện tử đã kết nối.',
    consequence: 'Rút ngắn thời gian lập danh sách, tránh bỏ sót đối tượng.',
    likelihood: 2,
    impact: 3,
    treatment: 'accept',
    treatmentNote: 'Chờ hướng dẫn kết nối của Sở; xem xét lại khi có hướng dẫn.',
    owner: 'thuky',
    identifiedAgo: 100,
    reviewIn: 80,
  },
];

export async function seedRisks(demo: DemoContext): Promise<void> {
  const { users, procedures } = demo;
  const id = (username: string) => {
    const u = users[username];
    if (!u) throw new Error(`demo user ${username} missing`);
    return u.id;
  };
  const today = todayLocal(demo.now, demo.ctx.config.timeZone);
  const ago = (days: number): AppContext => {
    const at = new Date(demo.now.getTime() - days * 86_400_000);
    return { ...demo.ctx, clock: { now: () => (at > demo.now ? demo.now : at) } };
  };
  const thuky = id('thuky');
  let n = 0;
  for (const s of SPECS) {
    const procedureId = s.procedure ? procedures[s.procedure] : undefined;
    if (s.procedure && procedureId === undefined) continue;
    const riskId = await createRisk(
      ago(s.identifiedAgo),
      {
        kind: s.kind,
        procedure_id: procedureId,
        process: s.process,
        description: s.description,
        cause: s.cause,
        consequence: s.consequence,
        likelihood: s.likelihood,
        impact: s.impact,
        treatment: s.treatment,
        treatment_note: s.treatmentNote,
        owner_id: id(s.owner),
        identified_on: addDays(today, -s.identifiedAgo),
        review_due: s.review ? addDays(today, -s.review.ago + 1) : addDays(today, s.reviewIn),
      },
      thuky,
    );
    for (const a of s.actions ?? []) {
      const actionId = await addRiskAction(
        ago(s.identifiedAgo - 5),
        riskId,
        { kind: 'general', documentId: null, description: a.description, ownerId: id(a.owner), dueDate: addDays(today, -a.dueAgo) },
        thuky,
      );
      if (a.doneAgo === undefined) continue;
      await startAction(ago(a.doneAgo + 10), actionId, 1, id(a.owner));
      await completeAction(ago(a.doneAgo), actionId, (await findAction(demo.ctx.db, actionId))!.version, a.note ?? '', id(a.owner));
    }
    if (s.review)
      await reviewRisk(
        ago(s.review.ago),
        riskId,
        {
          reviewed_on: addDays(today, -s.review.ago),
          likelihood: s.review.likelihood,
          impact: s.review.impact,
          effectiveness: s.review.effectiveness,
          note: s.review.note,
          next_review: addDays(today, s.reviewIn),
        },
        thuky,
      );
    n++;
  }
  demo.log(`Risks and opportunities: ${n} entered.`);
}
