import type { ItemResult } from './audits.tables';

/**
 * The demo's answers to this year's checklists built from the question library (audits.library.seed.ts): what an
 * auditor writes in the office, naming the records looked at. Each answer names its item by procedure code, clause
 * and the question's rank within that clause (0: the first of the library's questions for the clause).
 */
export type Answer = [procedure: string, clause: string, rank: number, result: ItemResult, evidence: string, statement?: string];

/** The closed audit of Bảo trợ xã hội (7.5.3, 8.5.1): the findings first (PH-01 to PH-03), then the rest. */
export const CLOSED_ANSWERS: Answer[] = [
  [
    'QT-BTXH-01',
    '8.5.1',
    0,
    'minor_nc',
    'Hồ sơ số 000.00.12.H40-240305-0012, -0031, -0044',
    '03/10 hồ sơ kiểm tra không có phiếu kiểm soát quá trình giải quyết hồ sơ theo mẫu của quy trình.',
  ],
  ['QT-BTXH-02', '7.5.3', 2, 'observation', 'Sổ theo dõi hồ sơ tháng trước', 'Sổ theo dõi hồ sơ ghi chưa đều, một số ngày ghi bổ sung sau.'],
  [
    'QT-BTXH-02',
    '8.5.1',
    1,
    'minor_nc',
    'Hồ sơ số 000.00.12.H40-240402-0007, -0015',
    '02 hồ sơ trả kết quả quá hạn nhưng không có văn bản xin lỗi và hẹn lại ngày trả kết quả.',
  ],
  ['QT-BTXH-01', '7.5.3', 0, 'conform', 'Đã kiểm tra 10 hồ sơ lưu năm nay, chọn ngẫu nhiên trong sổ theo dõi: đủ thành phần theo quy trình.'],
  ['QT-BTXH-01', '7.5.3', 1, 'conform', 'Tại phòng chỉ có quy trình và biểu mẫu đang có hiệu lực; bản cũ đã thu hồi theo phiếu thu hồi tài liệu.'],
  ['QT-BTXH-01', '7.5.3', 2, 'conform', 'Hồ sơ lưu theo năm, có danh mục hồ sơ; tra được hồ sơ bất kỳ trong vòng 5 phút.'],
  ['QT-BTXH-01', '8.5.1', 1, 'conform', 'Đã kiểm tra 10 hồ sơ trên Hệ thống thông tin giải quyết TTHC: 10/10 trả kết quả đúng ngày hẹn.'],
  ['QT-BTXH-01', '8.5.1', 2, 'conform', 'Quyết định trợ cấp do lãnh đạo phụ trách lĩnh vực ký, đúng mẫu và đúng quyết định phân công.'],
  ['QT-BTXH-02', '7.5.3', 0, 'conform', 'Đã kiểm tra 8 hồ sơ lưu: đủ thành phần, có bản chụp giấy tờ tùy thân và biên bản xác minh.'],
  ['QT-BTXH-02', '7.5.3', 1, 'conform', 'Danh mục tài liệu tại phòng khớp với danh mục tài liệu của cơ quan.'],
  ['QT-BTXH-02', '8.5.1', 0, 'conform', 'Phiếu kiểm soát quá trình của 8 hồ sơ kiểm tra ghi đủ thời điểm chuyển bước và chữ ký người nhận.'],
  ['QT-BTXH-02', '8.5.1', 2, 'conform', 'Kết quả ký đúng thẩm quyền; đã đối chiếu 8 quyết định với sổ đăng ký văn bản đi.'],
];

/** The audit of Người có công in progress (8.5.1, 8.7): the first procedure answered, the second not yet. */
export const RUNNING_ANSWERS: Answer[] = [
  ['QT-NCC-01', '8.5.1', 0, 'conform', 'Đã kiểm tra 8 hồ sơ năm nay: phiếu kiểm soát quá trình ghi đủ thời điểm chuyển bước.'],
  ['QT-NCC-01', '8.5.1', 1, 'conform', 'Đã kiểm tra 8 hồ sơ trên Hệ thống thông tin giải quyết TTHC: 7 trước hạn, 1 đúng hạn.'],
  ['QT-NCC-01', '8.5.1', 2, 'ofi', 'Trao đổi với cán bộ thụ lý', 'Có thể nhắc hạn tự động khi hồ sơ còn 2 ngày làm việc.'],
  ['QT-NCC-01', '8.7', 0, 'not_applicable', 'Trong kỳ đánh giá quy trình không có hồ sơ quá hạn (đối chiếu báo cáo tình hình giải quyết TTHC).'],
  ['QT-NCC-01', '8.7', 1, 'conform', 'Sổ theo dõi sự không phù hợp của phòng có ghi nhận, nguyên nhân và cách xử lý 01 hồ sơ thiếu giấy xác nhận.'],
  ['QT-NCC-01', '8.7', 2, 'not_applicable', 'Không có kết quả sai sót được phát hiện trước khi trả trong kỳ.'],
];
