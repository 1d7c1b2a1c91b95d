import type { AppContext } from '../../core/context';
import { addDays, todayLocal } from '../../core/calendar';
import type { DemoContext } from '../demo-context';
import { findDocumentByCode } from '../documents/documents.queries';
import { completeAction, createAction, startAction } from './nonconformities.actions.service';
import { findAction } from './nonconformities.actions.queries';
import type { ActionType } from './nonconformities.actions.model';
import { findNonconformity } from './nonconformities.queries';
import type { CauseCategory, NcSeverity, NcSource } from './nonconformities.model';
import { acceptReport, addCorrection, cancelNonconformity, createNonconformity, rejectReport, reopenNonconformity } from './nonconformities.service';
import { saveAnalysis, scheduleVerification, startImplementation, startPlanning, verifyEffectiveness } from './nonconformities.progress.service';

/**
 * Demo register: thirteen nonconformities across procedures, one in every state (reported, rejected, open,
 * analysed, action plan, in progress, awaiting verification — one past its check date —, closed, cancelled,
 * one reopened, one repeat), with actions owned by canbo, motcua, lanhdao, thuky and danhgia: some overdue,
 * some due within 7 days, one "revise document" waiting for the revision of QT-BTXH-04 now in review.
 * Everything goes through the services with the clock set back to when it happened, so the status history
 * and the audit log tell the same story. (The late dossiers' NC is made by the dossiers feature.)
 */
const DAY = 86_400_000;

interface Spec {
  title: string;
  description: string;
  source: NcSource;
  severity: NcSeverity;
  procedure: string | null;
  clause: string | null;
  daysAgo: number;
  reportedBy: string;
  responsible: string | null;
  unit: string | null;
  reported?: boolean;
}

export async function seedNonconformities(demo: DemoContext): Promise<void> {
  const { users, units, procedures } = demo;
  const id = (username: string) => {
    const u = users[username];
    if (!u) throw new Error(`demo user ${username} missing`);
    return u.id;
  };
  const tz = demo.ctx.config.timeZone;
  const today = todayLocal(demo.now, tz);
  const ago = (days: number, hour = 0): AppContext => {
    const at = new Date(demo.now.getTime() - days * DAY + hour * 3_600_000);
    return { ...demo.ctx, clock: { now: () => (at > demo.now ? demo.now : at) } };
  };
  const dateAgo = (days: number) => addDays(today, -days);
  const thuky = id('thuky');
  const leader = { id: id('lanhdao'), role: 'leader' as const };
  const deputy = { id: id('phophong'), role: 'leader' as const };
  const version = async (ncId: number) => (await findNonconformity(demo.ctx.db, ncId))!.version;
  const actionVersion = async (actionId: number) => (await findAction(demo.ctx.db, actionId))!.version;

  const raise = async (s: Spec) => {
    const { id: ncId } = await createNonconformity(
      ago(s.daysAgo),
      {
        title: s.title,
        description: s.description,
        source: s.source,
        severity: s.severity,
        procedureId: s.procedure ? (procedures[s.procedure] ?? null) : null,
        clause: s.clause,
        detectedOn: dateAgo(s.daysAgo),
        reportedBy: id(s.reportedBy),
        responsibleUnitId: s.unit ? (units[s.unit] ?? null) : null,
        responsibleUserId: s.responsible ? id(s.responsible) : null,
        status: s.reported ? 'reported' : 'open',
      },
      id(s.reportedBy),
    );
    return ncId;
  };
  const analyse = async (ncId: number, days: number, category: CauseCategory, whys: [string, string][], rootCause: string) =>
    saveAnalysis(ago(days), ncId, await version(ncId), { whys: whys.map(([why, answer]) => ({ why, answer })), causeCategory: category, rootCause }, thuky);
  const plan = async (ncId: number, days: number) => startPlanning(ago(days), ncId, await version(ncId), thuky);
  const start = async (ncId: number, days: number) => startImplementation(ago(days, 1), ncId, await version(ncId), thuky);
  const act = (ncId: number, days: number, type: ActionType, description: string, owner: string, dueInDays: number, documentCode?: string) =>
    (async () => {
      const doc = documentCode ? await findDocumentByCode(demo.ctx.db, documentCode) : undefined;
      return createAction(
        ago(days),
        {
          source: { kind: 'nonconformity', id: ncId },
          type,
          kind: doc ? 'revise_document' : 'general',
          documentId: doc?.id ?? null,
          description,
          ownerId: id(owner),
          dueDate: addDays(today, dueInDays),
        },
        thuky,
      );
    })();
  const finish = async (actionId: number, days: number, owner: string, note: string) =>
    completeAction(ago(days, 2), actionId, await actionVersion(actionId), note, id(owner));
  const begin = async (actionId: number, days: number, owner: string) => startAction(ago(days, 1), actionId, await actionVersion(actionId), id(owner));
  const verify = async (ncId: number, days: number, who: typeof leader, result: 'effective' | 'not_effective', note: string) =>
    verifyEffectiveness(ago(days, 3), ncId, await version(ncId), { result, note }, who);

  // 1. A fresh staff report, awaiting triage.
  await raise({
    title: 'Máy quét tại Bộ phận Một cửa thường xuyên kẹt giấy khi số hóa hồ sơ',
    description: 'Trong tuần, 6 lần máy quét kẹt giấy; người dân phải chờ thêm 10–15 phút để số hóa thành phần hồ sơ.',
    source: 'staff_report',
    severity: 'minor',
    procedure: null,
    clause: '7.1.3',
    daysAgo: 1,
    reportedBy: 'motcua',
    responsible: null,
    unit: null,
    reported: true,
  });

  // 2. A report rejected as unfounded.
  const rejected = await raise({
    title: 'Người dân phàn nàn phải chờ lâu khi nộp hồ sơ mai táng phí',
    description: 'Một người dân nói phải chờ gần 30 phút tại quầy.',
    source: 'staff_report',
    severity: 'minor',
    procedure: 'QT-BTXH-04',
    clause: null,
    daysAgo: 9,
    reportedBy: 'canbo',
    responsible: null,
    unit: null,
    reported: true,
  });
  await rejectReport(
    ago(8),
    rejected,
    await version(rejected),
    'Đã kiểm tra sổ theo dõi: thời gian chờ trong ngày đó dưới 10 phút, do người dân đến trước giờ làm việc; không phải sự không phù hợp.',
    thuky,
  );

  // 3. Open: a complaint accepted, with an immediate correction.
  const complaint = await raise({
    title: 'Ông Trần Văn Bình phản ánh chưa nhận được thông báo kết quả trợ cấp thân nhân liệt sĩ',
    description: 'Hồ sơ đã có quyết định nhưng Bộ phận Một cửa chưa gọi điện, nhắn tin báo người dân đến nhận kết quả.',
    source: 'complaint',
    severity: 'major',
    procedure: 'QT-NCC-03',
    clause: '8.2.1',
    daysAgo: 5,
    reportedBy: 'motcua',
    responsible: null,
    unit: null,
    reported: true,
  });
  await acceptReport(
    ago(4),
    complaint,
    await version(complaint),
    { severity: 'major', responsibleUnitId: units['MOTCUA'] ?? null, responsibleUserId: id('motcua') },
    thuky,
  );
  await addCorrection(
    ago(4, 2),
    complaint,
    { description: 'Gọi điện xin lỗi ông Bình, hẹn trả kết quả ngay trong buổi chiều.', doneBy: id('motcua'), doneOn: dateAgo(4) },
    id('motcua'),
  );

  // 4. Analysed.
  const missing = await raise({
    title: 'Hồ sơ lưu thiếu biên bản xác minh hoàn cảnh',
    description: 'Đánh giá nội bộ: 2/8 hồ sơ hỗ trợ mai táng phí không có biên bản xác minh của UBND xã.',
    source: 'internal_audit',
    severity: 'minor',
    procedure: 'QT-BTXH-04',
    clause: '7.5.3',
    daysAgo: 14,
    reportedBy: 'danhgia',
    responsible: 'canbo',
    unit: 'LĐTBXH',
  });
  await analyse(
    missing,
    12,
    'document',
    [
      ['Vì sao thiếu biên bản?', 'Cán bộ không yêu cầu xã gửi kèm'],
      ['Vì sao không yêu cầu?', 'Quy trình không nêu biên bản là thành phần bắt buộc'],
    ],
    'Quy trình QT-BTXH-04 chưa liệt kê biên bản xác minh trong thành phần hồ sơ lưu.',
  );

  // 5. Action plan, with a "revise document" action waiting for the new revision of QT-BTXH-04.
  const funeral = await raise({
    title: 'Thời gian chi trả hỗ trợ mai táng phí vượt mức cam kết',
    description: 'Theo dõi quý: 4 hồ sơ chi trả sau 1 ngày làm việc kể từ khi có quyết định, trong khi cam kết là 0,5 ngày.',
    source: 'process_monitoring',
    severity: 'minor',
    procedure: 'QT-BTXH-04',
    clause: '8.5.1',
    daysAgo: 20,
    reportedBy: 'thuky',
    responsible: 'canbo',
    unit: 'LĐTBXH',
  });
  await analyse(
    funeral,
    18,
    'method',
    [
      ['Vì sao chi trả chậm?', 'Chờ kế toán lập phiếu chi'],
      ['Vì sao phải chờ?', 'Quy trình đang quy định 01 ngày cho bước chi trả'],
    ],
    'Quy trình chưa cập nhật thời gian chi trả rút gọn đã cam kết.',
  );
  await plan(funeral, 17);
  await act(funeral, 16, 'corrective', 'Sửa đổi QT-BTXH-04: thời gian chi trả 0,5 ngày làm việc', 'thuky', 5, 'QT-BTXH-04');
  await act(funeral, 16, 'risk', 'Thống nhất với kế toán lập phiếu chi ngay khi có quyết định', 'canbo', 12);

  // 6. In progress: external audit finding; one action overdue, one due within 7 days, one correction done.
  const review = await raise({
    title: 'Không có bằng chứng lãnh đạo phòng xem xét hồ sơ trước khi trình ký',
    description: 'Đánh giá chứng nhận: 3 hồ sơ trợ cấp xã hội không có chữ ký xem xét của lãnh đạo phòng trên phiếu kiểm soát.',
    source: 'external_audit',
    severity: 'major',
    procedure: 'QT-BTXH-01',
    clause: '8.5.1',
    daysAgo: 35,
    reportedBy: 'thuky',
    responsible: 'lanhdao',
    unit: 'LĐTBXH',
  });
  await analyse(
    review,
    33,
    'method',
    [
      ['Vì sao thiếu chữ ký?', 'Hồ sơ trình thẳng Chủ tịch UBND huyện khi lãnh đạo phòng đi công tác'],
      ['Vì sao trình thẳng?', 'Chưa có quy định ủy quyền xem xét'],
    ],
    'Chưa có cơ chế ủy quyền xem xét hồ sơ khi trưởng phòng vắng mặt.',
  );
  await plan(review, 32);
  const fix = await act(review, 31, 'correction', 'Bổ sung chữ ký xem xét cho 3 hồ sơ', 'lanhdao', -28);
  const delegate = await act(review, 31, 'corrective', 'Ban hành quyết định ủy quyền Phó Trưởng phòng xem xét hồ sơ', 'lanhdao', -3);
  await act(review, 31, 'risk', 'Thêm ô kiểm tra chữ ký xem xét vào phiếu kiểm soát quá trình', 'canbo', 6);
  await start(review, 30);
  await begin(delegate, 25, 'lanhdao');
  await finish(fix, 29, 'lanhdao', 'Đã ký bổ sung, lưu kèm phiếu kiểm soát.');

  // 7. In progress: feedback answered late; one action overdue (motcua).
  const feedback = await raise({
    title: 'Trả lời phản ánh, kiến nghị quá 10 ngày làm việc',
    description: '2 phản ánh qua đường dây nóng được trả lời sau 14 và 16 ngày làm việc.',
    source: 'complaint',
    severity: 'minor',
    procedure: 'QT-HT-06',
    clause: '9.1.2',
    daysAgo: 25,
    reportedBy: 'thuky',
    responsible: 'motcua',
    unit: 'MOTCUA',
  });
  await analyse(
    feedback,
    23,
    'people',
    [
      ['Vì sao trả lời chậm?', 'Phản ánh ghi sổ nhưng không chuyển phòng chuyên môn'],
      ['Vì sao không chuyển?', 'Cán bộ mới chưa được hướng dẫn'],
    ],
    'Cán bộ mới chưa được hướng dẫn quy trình giải quyết phản ánh, kiến nghị.',
  );
  await plan(feedback, 22);
  await act(feedback, 22, 'corrective', 'Hướng dẫn cán bộ Một cửa ghi sổ và chuyển phản ánh trong ngày', 'motcua', -10);
  await act(feedback, 22, 'improvement', 'Lập bảng theo dõi hạn trả lời phản ánh trên bảng tính dùng chung', 'motcua', 20);
  await start(feedback, 21);

  // 8. Awaiting verification, check scheduled in about ten days.
  const relatives = await raise({
    title: 'Sai thông tin thân nhân trong quyết định trợ cấp thờ cúng liệt sĩ',
    description: 'Quyết định ghi sai năm sinh người thờ cúng; phát hiện khi người dân nhận kết quả.',
    source: 'staff_report',
    severity: 'minor',
    procedure: 'QT-NCC-01',
    clause: '8.5.2',
    daysAgo: 50,
    reportedBy: 'canbo',
    responsible: 'canbo',
    unit: 'LĐTBXH',
  });
  await analyse(
    relatives,
    48,
    'people',
    [
      ['Vì sao sai?', 'Nhập lại thông tin bằng tay từ tờ khai'],
      ['Vì sao nhập tay?', 'Chưa dùng chức năng lấy dữ liệu từ CSDL dân cư'],
    ],
    'Nhập tay thông tin thay vì khai thác CSDL quốc gia về dân cư.',
  );
  await plan(relatives, 47);
  const reuse = await act(relatives, 47, 'corrective', 'Khai thác thông tin từ CSDL quốc gia về dân cư khi lập dự thảo quyết định', 'canbo', -25);
  await start(relatives, 46);
  await finish(reuse, 20, 'canbo', 'Đã áp dụng cho toàn bộ hồ sơ từ đầu tháng; 15 quyết định không còn sai sót.');

  // 9. Awaiting verification, check date already past.
  const transfer = await raise({
    title: 'Hồ sơ chuyển nơi cư trú chưa cập nhật danh sách chi trả',
    description: 'Đối tượng chuyển đến xã khác trong huyện nhưng danh sách chi trả tháng sau vẫn ở xã cũ.',
    source: 'process_monitoring',
    severity: 'major',
    procedure: 'QT-BTXH-02',
    clause: '8.5.1',
    daysAgo: 80,
    reportedBy: 'thuky',
    responsible: 'canbo',
    unit: 'LĐTBXH',
  });
  await analyse(
    transfer,
    78,
    'method',
    [['Vì sao chưa cập nhật?', 'Không có bước thông báo cho bộ phận chi trả']],
    'Quy trình thiếu bước thông báo bộ phận chi trả.',
  );
  await plan(transfer, 77);
  const notify = await act(transfer, 77, 'corrective', 'Thêm bước gửi thông báo cho bộ phận chi trả trong ngày ký quyết định', 'canbo', -45);
  await start(transfer, 76);
  await finish(notify, 40, 'canbo', 'Đã thực hiện; danh sách chi trả tháng này đúng.');

  // 10. Closed, verified effective by the leader.
  const leave = await raise({
    title: 'Hồ sơ trợ cấp xã hội trả chậm do cán bộ nghỉ phép không bàn giao',
    description: '3 hồ sơ quá hạn 2 ngày làm việc khi cán bộ thụ lý nghỉ phép.',
    source: 'process_monitoring',
    severity: 'minor',
    procedure: 'QT-BTXH-01',
    clause: '7.1.2',
    daysAgo: 120,
    reportedBy: 'thuky',
    responsible: 'canbo',
    unit: 'LĐTBXH',
  });
  await addCorrection(
    ago(119),
    leave,
    { description: 'Phân công cán bộ khác xử lý ngay 3 hồ sơ; gửi văn bản xin lỗi người dân.', doneBy: id('lanhdao'), doneOn: dateAgo(119) },
    thuky,
  );
  await analyse(
    leave,
    117,
    'people',
    [
      ['Vì sao trả chậm?', 'Hồ sơ nằm chờ khi cán bộ nghỉ'],
      ['Vì sao nằm chờ?', 'Không có người dự phòng được giao'],
    ],
    'Chưa phân công cán bộ dự phòng khi nghỉ phép.',
  );
  await plan(leave, 116);
  const backup = await act(leave, 116, 'corrective', 'Phân công cán bộ dự phòng cho từng lĩnh vực, bàn giao hồ sơ trước khi nghỉ', 'canbo', -100);
  await start(leave, 115);
  await finish(backup, 98, 'canbo', 'Đã có quyết định phân công dự phòng.');
  await verify(leave, 60, leader, 'effective', 'Kiểm tra hồ sơ 2 tháng sau: không còn hồ sơ chậm do nghỉ phép.');

  // 11. A repeat of no. 10: same procedure, same cause category, within twelve months.
  const again = await raise({
    title: 'Hồ sơ điều chỉnh trợ cấp trả chậm khi cán bộ đi tập huấn',
    description: '2 hồ sơ điều chỉnh mức trợ cấp quá hạn 1 ngày làm việc trong thời gian cán bộ thụ lý đi tập huấn.',
    source: 'process_monitoring',
    severity: 'minor',
    procedure: 'QT-BTXH-01',
    clause: '7.1.2',
    daysAgo: 15,
    reportedBy: 'thuky',
    responsible: 'canbo',
    unit: 'LĐTBXH',
  });
  await analyse(
    again,
    13,
    'people',
    [['Vì sao trả chậm?', 'Cán bộ dự phòng không được thông báo lịch tập huấn']],
    'Phân công dự phòng chỉ áp dụng khi nghỉ phép, chưa áp dụng khi đi công tác, tập huấn.',
  );
  await plan(again, 12);
  await act(again, 12, 'corrective', 'Mở rộng phân công dự phòng cho trường hợp đi công tác, tập huấn', 'lanhdao', 10);

  // 12. Cancelled (recorded twice).
  const duplicate = await raise({
    title: 'Sai năm sinh người thờ cúng trong quyết định',
    description: 'Ghi trùng với sự không phù hợp đã có.',
    source: 'staff_report',
    severity: 'minor',
    procedure: 'QT-NCC-01',
    clause: null,
    daysAgo: 49,
    reportedBy: 'motcua',
    responsible: null,
    unit: null,
  });
  await cancelNonconformity(
    ago(48),
    duplicate,
    await version(duplicate),
    'Trùng với sự không phù hợp về sai thông tin thân nhân đã ghi nhận ngày trước.',
    thuky,
  );

  // 13. Closed, then reopened: the internal audit programme did not cover every procedure.
  const programme = await raise({
    title: 'Chương trình đánh giá nội bộ không bao quát đủ các quy trình',
    description: 'Xem xét của lãnh đạo: 9 quy trình chưa được đánh giá trong 12 tháng.',
    source: 'management_review',
    severity: 'minor',
    procedure: 'QT-HT-02',
    clause: '9.2.2',
    daysAgo: 150,
    reportedBy: 'thuky',
    responsible: 'danhgia',
    unit: 'VP',
  });
  await analyse(
    programme,
    148,
    'method',
    [
      ['Vì sao chưa bao quát?', 'Chương trình lập theo danh sách cũ'],
      ['Vì sao dùng danh sách cũ?', 'Không đối chiếu với danh mục quy trình hiện hành'],
    ],
    'Lập chương trình đánh giá không đối chiếu danh mục quy trình hiện hành.',
  );
  await plan(programme, 147);
  const cover = await act(programme, 147, 'corrective', 'Lập lại chương trình đánh giá theo danh mục quy trình hiện hành', 'danhgia', -120);
  await start(programme, 146);
  await finish(cover, 125, 'danhgia', 'Đã ban hành chương trình sửa đổi.');
  await verify(programme, 90, deputy, 'effective', 'Chương trình mới bao gồm toàn bộ 42 quy trình.');
  await reopenNonconformity(
    ago(10),
    programme,
    await version(programme),
    'Đợt đánh giá quý này vẫn bỏ sót 2 quy trình mới công bố; cần thêm bước cập nhật chương trình khi có quy trình mới.',
    thuky,
  );
  await act(programme, 9, 'risk', 'Thêm bước rà soát chương trình đánh giá mỗi khi công bố quy trình mới', 'danhgia', 14);

  await scheduleVerification(ago(15), relatives, await version(relatives), addDays(today, 7), thuky);
  demo.log('Nonconformities: 13 across the workflow (reported to closed, one reopened, one repeat) with their actions.');
}
