/**
 * Demo content: bodies of controlled documents in the usual layout of a Vietnamese administrative QMS
 * procedure (Mục đích, Phạm vi, Tài liệu viện dẫn, Định nghĩa, Nội dung quy trình, Hồ sơ lưu).
 */
export interface ProcedureText {
  purpose: string;
  scope: string;
  references: string[];
  terms: [string, string][];
  steps: [string, string, string, string, string][];
  records: [string, string, string][];
  extra?: string;
}

export function procedureBody(p: ProcedureText): string {
  const lines: string[] = [];
  lines.push('## 1. Mục đích', '', p.purpose, '');
  lines.push('## 2. Phạm vi áp dụng', '', p.scope, '');
  lines.push('## 3. Tài liệu viện dẫn', '', ...p.references.map((r) => `- ${r}`), '');
  lines.push('## 4. Định nghĩa, từ viết tắt', '', ...p.terms.map(([a, b]) => `- **${a}**: ${b}`), '');
  lines.push('## 5. Nội dung quy trình', '');
  lines.push('| Bước | Nội dung công việc | Trách nhiệm | Thời gian | Biểu mẫu / Kết quả |', '|---|---|---|---|---|');
  for (const s of p.steps) lines.push(`| ${s.join(' | ')} |`);
  lines.push('');
  if (p.extra) lines.push(p.extra, '');
  lines.push('## 6. Hồ sơ lưu', '', '| TT | Hồ sơ | Nơi lưu | Thời gian lưu |', '|---|---|---|---|');
  p.records.forEach((r, i) => lines.push(`| ${i + 1} | ${r.join(' | ')} |`));
  lines.push('', 'Hồ sơ được lưu theo [Luật Lưu trữ](https://thuvienphapluat.vn) và quy định của cơ quan; hết thời hạn lưu thì chuyển lưu trữ cơ quan.');
  return lines.join('\n');
}

const ISO = 'TCVN ISO 9001:2015 Hệ thống quản lý chất lượng – Các yêu cầu';
const QD19 =
  'Quyết định số 19/2014/QĐ-TTg ngày 05/3/2014 của Thủ tướng Chính phủ về việc áp dụng HTQLCL theo TCVN ISO 9001 vào hoạt động của các cơ quan, tổ chức thuộc hệ thống hành chính nhà nước';
const ND118 =
  'Nghị định số 118/2025/NĐ-CP ngày 09/6/2025 của Chính phủ về thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên thông tại Bộ phận Một cửa và Cổng Dịch vụ công quốc gia';
const ND20 = 'Nghị định số 20/2021/NĐ-CP ngày 15/3/2021 quy định chính sách trợ giúp xã hội đối với đối tượng bảo trợ xã hội';
const TERMS_COMMON: [string, string][] = [
  ['HTQLCL', 'Hệ thống quản lý chất lượng'],
  ['TTHC', 'Thủ tục hành chính'],
  ['BPMC', 'Bộ phận Tiếp nhận và Trả kết quả (Một cửa)'],
];

export const HT_TEXTS: Record<string, ProcedureText> = {
  'QT-HT-01': {
    purpose:
      'Quy định thống nhất cách biên soạn, xem xét, phê duyệt, ban hành, phân phối, sửa đổi và kiểm soát thông tin dạng văn bản của HTQLCL, bảo đảm cán bộ, công chức luôn sử dụng tài liệu hiện hành.',
    scope: 'Áp dụng đối với toàn bộ tài liệu nội bộ, tài liệu có nguồn gốc bên ngoài và hồ sơ của HTQLCL tại Phòng Lao động - Thương binh và Xã hội.',
    references: [ISO + ' (điều 7.5)', QD19],
    terms: [...TERMS_COMMON, ['Tài liệu hiện hành', 'Lần ban hành đang có hiệu lực của tài liệu, được công bố trên hệ thống']],
    steps: [
      ['1', 'Đề xuất biên soạn mới hoặc sửa đổi tài liệu', 'Cán bộ, công chức; Thư ký ISO', 'Khi có nhu cầu', 'Phiếu đề nghị BM-01/QT-HT-01'],
      ['2', 'Biên soạn dự thảo, nêu nội dung sửa đổi', 'Thư ký ISO', '05 ngày làm việc', 'Dự thảo trên hệ thống'],
      ['3', 'Xem xét dự thảo; trả lại nếu chưa đạt', 'Phó Trưởng phòng', '03 ngày làm việc', 'Chữ ký điện tử "Xem xét"'],
      ['4', 'Phê duyệt, quyết định ngày hiệu lực', 'Trưởng phòng', '02 ngày làm việc', 'Chữ ký điện tử "Phê duyệt"'],
      ['5', 'Công bố; cán bộ liên quan đọc và xác nhận', 'Thư ký ISO; cán bộ, công chức', '05 ngày làm việc', 'Danh sách xác nhận đã đọc'],
      ['6', 'Xem xét định kỳ tài liệu (12 tháng/lần)', 'Thư ký ISO; Lãnh đạo', 'Theo hạn xem xét', 'Biên bản xem xét định kỳ'],
    ],
    records: [
      ['Danh mục tài liệu nội bộ', 'Thư ký ISO', 'Đến khi có danh mục mới'],
      ['Phiếu đề nghị biên soạn, sửa đổi tài liệu', 'Thư ký ISO', '03 năm'],
      ['Tài liệu đã được thay thế (01 bản lưu)', 'Thư ký ISO', '03 năm'],
    ],
  },
  'QT-HT-02': {
    purpose:
      'Quy định trình tự lập chương trình, chuẩn bị, thực hiện đánh giá nội bộ và theo dõi hành động khắc phục sau đánh giá, nhằm xác định HTQLCL có phù hợp và được duy trì hiệu lực hay không.',
    scope: 'Áp dụng cho các cuộc đánh giá nội bộ định kỳ (ít nhất 01 lần/năm) và đột xuất đối với mọi quá trình trong phạm vi áp dụng HTQLCL.',
    references: [ISO + ' (điều 9.2)', 'TCVN ISO 19011:2018 Hướng dẫn đánh giá hệ thống quản lý'],
    terms: [...TERMS_COMMON, ['Chuyên gia đánh giá', 'Người có năng lực được phân công thực hiện đánh giá, không đánh giá công việc của chính mình']],
    steps: [
      ['1', 'Lập chương trình đánh giá nội bộ năm', 'Thư ký ISO', 'Tháng 01 hằng năm', 'Chương trình đánh giá BM-01/QT-HT-02'],
      ['2', 'Phê duyệt chương trình, thành lập đoàn đánh giá', 'Trưởng phòng', '03 ngày làm việc', 'Quyết định thành lập đoàn'],
      [
        '3',
        'Lập kế hoạch, phiếu kiểm tra đánh giá; thông báo đơn vị được đánh giá',
        'Trưởng đoàn đánh giá',
        'Trước 05 ngày làm việc',
        'Kế hoạch BM-02, Phiếu kiểm tra BM-03',
      ],
      ['4', 'Thực hiện đánh giá, ghi nhận bằng chứng và phát hiện', 'Đoàn đánh giá', 'Theo kế hoạch', 'Phiếu kiểm tra đánh giá'],
      ['5', 'Báo cáo đánh giá, thống nhất các điểm không phù hợp', 'Trưởng đoàn đánh giá', '03 ngày làm việc', 'Báo cáo đánh giá BM-04'],
      ['6', 'Theo dõi hành động khắc phục', 'Thư ký ISO', 'Theo hạn đã thống nhất', 'Phiếu yêu cầu hành động khắc phục'],
    ],
    records: [
      ['Chương trình, kế hoạch đánh giá', 'Thư ký ISO', '03 năm'],
      ['Phiếu kiểm tra, báo cáo đánh giá', 'Thư ký ISO', '03 năm'],
    ],
  },
  'QT-HT-03': {
    purpose: 'Quy định việc Lãnh đạo xem xét HTQLCL theo định kỳ để bảo đảm hệ thống luôn thích hợp, thỏa đáng, có hiệu lực và phù hợp định hướng của cơ quan.',
    scope: 'Áp dụng cho các cuộc họp xem xét của lãnh đạo định kỳ (ít nhất 01 lần/năm) và đột xuất.',
    references: [ISO + ' (điều 9.3)', QD19],
    terms: TERMS_COMMON,
    steps: [
      [
        '1',
        'Tổng hợp đầu vào: kết quả đánh giá nội bộ, sự hài lòng, mục tiêu, sự không phù hợp, rủi ro',
        'Thư ký ISO',
        'Trước cuộc họp 07 ngày',
        'Báo cáo tổng hợp',
      ],
      ['2', 'Tổ chức cuộc họp xem xét của lãnh đạo', 'Trưởng phòng', 'Tháng 11 hằng năm', 'Biên bản họp BM-01/QT-HT-03'],
      ['3', 'Ban hành kết luận, phân công thực hiện các cải tiến', 'Trưởng phòng', '05 ngày làm việc', 'Thông báo kết luận'],
      ['4', 'Theo dõi, báo cáo việc thực hiện kết luận', 'Thư ký ISO', 'Hằng quý', 'Báo cáo theo dõi'],
    ],
    records: [['Biên bản họp, thông báo kết luận xem xét của lãnh đạo', 'Thư ký ISO', '05 năm']],
  },
  'QT-HT-04': {
    purpose:
      'Quy định cách nhận biết, kiểm soát sự không phù hợp, khắc phục tức thời và thực hiện hành động khắc phục nhằm loại bỏ nguyên nhân gốc, ngăn ngừa tái diễn.',
    scope: 'Áp dụng cho mọi sự không phù hợp phát hiện qua giải quyết TTHC, phản ánh kiến nghị, đánh giá nội bộ, đánh giá bên ngoài và xem xét của lãnh đạo.',
    references: [ISO + ' (điều 8.7 và 10.2)'],
    terms: [
      ...TERMS_COMMON,
      ['Khắc phục tức thời', 'Hành động xử lý ngay sự không phù hợp đã phát hiện'],
      ['Hành động khắc phục', 'Hành động loại bỏ nguyên nhân gốc của sự không phù hợp'],
    ],
    steps: [
      ['1', 'Phát hiện, ghi nhận sự không phù hợp', 'Cán bộ, công chức', 'Ngay khi phát hiện', 'Phiếu báo cáo sự không phù hợp BM-01/QT-HT-04'],
      ['2', 'Khắc phục tức thời', 'Đơn vị liên quan', '01 ngày làm việc', 'Ghi trên phiếu'],
      ['3', 'Phân tích nguyên nhân gốc, đề xuất hành động khắc phục', 'Trưởng đơn vị liên quan', '05 ngày làm việc', 'Phiếu yêu cầu hành động khắc phục BM-02'],
      ['4', 'Phê duyệt, thực hiện hành động khắc phục', 'Lãnh đạo; đơn vị liên quan', 'Theo hạn hoàn thành', 'Bằng chứng thực hiện'],
      ['5', 'Kiểm tra xác nhận hiệu lực, đóng phiếu', 'Thư ký ISO', 'Sau 30 ngày', 'Kết luận trên phiếu'],
    ],
    records: [['Phiếu báo cáo sự không phù hợp, phiếu yêu cầu hành động khắc phục', 'Thư ký ISO', '03 năm']],
  },
  'QT-HT-05': {
    purpose: 'Quy định cách nhận diện, đánh giá và xử lý rủi ro và cơ hội của các quá trình trong HTQLCL.',
    scope: 'Áp dụng cho tất cả các quá trình trong phạm vi HTQLCL của cơ quan.',
    references: [ISO + ' (điều 6.1)', 'TCVN ISO 31000:2018 Quản lý rủi ro – Hướng dẫn'],
    terms: [...TERMS_COMMON, ['Rủi ro', 'Tác động của sự không chắc chắn đến kết quả dự kiến']],
    steps: [
      ['1', 'Nhận diện rủi ro và cơ hội của từng quá trình', 'Trưởng các đơn vị', 'Tháng 01 hằng năm', 'Sổ đăng ký rủi ro BM-01/QT-HT-05'],
      ['2', 'Đánh giá mức độ (khả năng × hậu quả)', 'Thư ký ISO', '10 ngày làm việc', 'Sổ đăng ký rủi ro'],
      ['3', 'Lập và phê duyệt kế hoạch xử lý rủi ro', 'Trưởng phòng', '05 ngày làm việc', 'Kế hoạch xử lý BM-02'],
      ['4', 'Theo dõi, cập nhật kết quả xử lý', 'Thư ký ISO', '06 tháng/lần', 'Báo cáo theo dõi'],
    ],
    records: [['Sổ đăng ký rủi ro, kế hoạch xử lý', 'Thư ký ISO', '03 năm']],
  },
  'QT-HT-06': {
    purpose: 'Quy định việc tiếp nhận, giải quyết phản ánh, kiến nghị của người dân, tổ chức và đo lường sự hài lòng đối với việc giải quyết TTHC.',
    scope: 'Áp dụng cho mọi phản ánh, kiến nghị gửi trực tiếp, qua hòm thư góp ý, đường dây nóng, Cổng dịch vụ công và cho việc khảo sát sự hài lòng hằng năm.',
    references: [
      ISO + ' (điều 9.1.2)',
      ND118,
      'Nghị định số 20/2008/NĐ-CP về tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành chính',
    ],
    terms: [...TERMS_COMMON, ['Phản ánh, kiến nghị', 'Ý kiến của người dân, tổ chức về quy định hành chính hoặc việc giải quyết TTHC']],
    steps: [
      ['1', 'Tiếp nhận, vào sổ phản ánh, kiến nghị', 'BPMC', 'Trong ngày', 'Sổ theo dõi BM-01/QT-HT-06'],
      ['2', 'Phân loại, chuyển đơn vị giải quyết', 'Thư ký ISO', '02 ngày làm việc', 'Phiếu chuyển'],
      ['3', 'Giải quyết, trả lời người phản ánh', 'Đơn vị được giao', '10 ngày làm việc', 'Văn bản trả lời'],
      ['4', 'Khảo sát sự hài lòng', 'Thư ký ISO', 'Quý IV hằng năm', 'Phiếu khảo sát BM-02/QT-HT-06'],
      ['5', 'Tổng hợp, báo cáo kết quả', 'Thư ký ISO', '10 ngày làm việc', 'Báo cáo kết quả khảo sát'],
    ],
    records: [['Sổ theo dõi, văn bản trả lời, phiếu khảo sát', 'Thư ký ISO; BPMC', '03 năm']],
  },
};

export const BTXH01: ProcedureText = {
  purpose:
    'Quy định trình tự, thời gian giải quyết TTHC thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng, hỗ trợ kinh phí chăm sóc, nuôi dưỡng hàng tháng, bảo đảm đúng quy định và đúng hạn.',
  scope: 'Áp dụng đối với Bộ phận Một cửa, Phòng Lao động - Thương binh và Xã hội và UBND cấp xã trong việc giải quyết thủ tục này (mã TTHC 1.001776).',
  references: [ND20, ND118, 'Thông tư số 02/2021/TT-BLĐTBXH hướng dẫn thực hiện Nghị định 20/2021/NĐ-CP', 'Quyết định công bố TTHC của Chủ tịch UBND tỉnh'],
  terms: [...TERMS_COMMON, ['UBND', 'Ủy ban nhân dân'], ['LĐTBXH', 'Lao động - Thương binh và Xã hội']],
  steps: [
    ['B1', 'Tiếp nhận, kiểm tra hồ sơ; hướng dẫn bổ sung nếu chưa đầy đủ', 'Công chức BPMC', '0,5 ngày làm việc', 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả'],
    ['B2', 'Chuyển hồ sơ cho Phòng LĐTBXH', 'Công chức BPMC', '0,5 ngày làm việc', 'Phiếu kiểm soát quá trình'],
    ['B3', 'Thẩm định hồ sơ, đề xuất kết quả', 'Chuyên viên Phòng LĐTBXH', '10 ngày làm việc', 'Tờ trình; dự thảo quyết định'],
    ['B4', 'Xem xét, trình ký', 'Lãnh đạo Phòng LĐTBXH', '02 ngày làm việc', 'Dự thảo quyết định'],
    ['B5', 'Ký quyết định trợ cấp', 'Lãnh đạo UBND huyện', '03 ngày làm việc', 'Quyết định hưởng trợ cấp'],
    ['B6', 'Trả kết quả cho người dân; xin lỗi bằng văn bản nếu quá hạn', 'Công chức BPMC', '01 ngày làm việc', 'Sổ theo dõi BM-02/QT-BTXH-01'],
  ],
  records: [
    ['Hồ sơ đề nghị và quyết định hưởng trợ cấp', 'Phòng LĐTBXH', 'Lâu dài'],
    ['Sổ theo dõi giải quyết hồ sơ', 'BPMC', '05 năm'],
  ],
  extra:
    '**Tổng thời gian giải quyết: 17 ngày làm việc** kể từ ngày nhận đủ hồ sơ hợp lệ. Hồ sơ nộp trực tuyến qua Cổng dịch vụ công được xử lý như hồ sơ nộp trực tiếp.',
};

export const BTXH04: ProcedureText = {
  purpose: 'Quy định trình tự giải quyết hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội, bảo đảm thân nhân nhận hỗ trợ kịp thời.',
  scope: 'Áp dụng đối với Bộ phận Một cửa và Phòng Lao động - Thương binh và Xã hội.',
  references: [ND20, ND118],
  terms: TERMS_COMMON,
  steps: [
    ['B1', 'Tiếp nhận tờ khai đề nghị hỗ trợ chi phí mai táng, giấy chứng tử', 'Công chức BPMC', '0,5 ngày làm việc', 'Giấy tiếp nhận hồ sơ'],
    ['B2', 'Thẩm định, trình quyết định hỗ trợ', 'Chuyên viên Phòng LĐTBXH', '03 ngày làm việc', 'Tờ trình'],
    ['B3', 'Ký quyết định hỗ trợ', 'Lãnh đạo UBND huyện', '01 ngày làm việc', 'Quyết định'],
    ['B4', 'Trả kết quả, chi trả kinh phí', 'Công chức BPMC', '0,5 ngày làm việc', 'Sổ theo dõi'],
  ],
  records: [['Hồ sơ và quyết định hỗ trợ', 'Phòng LĐTBXH', '10 năm']],
  extra: '**Tổng thời gian giải quyết: 05 ngày làm việc.**',
};

export const NCC03: ProcedureText = {
  purpose: 'Quy định trình tự giải quyết chế độ trợ cấp ưu đãi đối với thân nhân liệt sĩ.',
  scope: 'Áp dụng đối với Bộ phận Một cửa, Phòng Lao động - Thương binh và Xã hội (mã TTHC 1.010801).',
  references: ['Pháp lệnh Ưu đãi người có công với cách mạng năm 2020', 'Nghị định số 131/2021/NĐ-CP hướng dẫn Pháp lệnh Ưu đãi người có công', ND118],
  terms: TERMS_COMMON,
  steps: [
    ['B1', 'Tiếp nhận bản khai, giấy tờ chứng minh thân nhân', 'Công chức BPMC', '0,5 ngày làm việc', 'Giấy tiếp nhận hồ sơ'],
    ['B2', 'Xác nhận, đề nghị', 'Chuyên viên Phòng LĐTBXH', '12 ngày làm việc', 'Văn bản đề nghị'],
    ['B3', 'Trình Sở LĐTBXH ra quyết định', 'Lãnh đạo Phòng LĐTBXH', '07 ngày làm việc', 'Hồ sơ trình'],
    ['B4', 'Trả kết quả', 'Công chức BPMC', '0,5 ngày làm việc', 'Sổ theo dõi'],
  ],
  records: [['Hồ sơ người có công', 'Phòng LĐTBXH', 'Lâu dài']],
};

export const POLICY = `## Chính sách chất lượng

Phòng Lao động - Thương binh và Xã hội cam kết:

1. Giải quyết thủ tục hành chính **công khai, minh bạch, đúng pháp luật và đúng hẹn**;
2. Lấy sự hài lòng của người dân, tổ chức làm thước đo chất lượng phục vụ;
3. Không ngừng nâng cao năng lực, tinh thần trách nhiệm của cán bộ, công chức;
4. Duy trì và cải tiến liên tục Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015.

Chính sách chất lượng được phổ biến đến toàn thể cán bộ, công chức và được xem xét định kỳ hằng năm.`;

export const OBJECTIVES = `## Mục tiêu chất lượng năm 2026

| TT | Mục tiêu | Chỉ tiêu | Đơn vị thực hiện | Tần suất theo dõi |
|---|---|---|---|---|
| 1 | Hồ sơ TTHC được giải quyết đúng hạn và trước hạn | 100 % | Phòng LĐTBXH, BPMC | Hằng tháng |
| 2 | Sự hài lòng của người dân, tổ chức | ≥ 95 % | Thư ký ISO | Hằng năm |
| 3 | Hồ sơ tiếp nhận trực tuyến | ≥ 50 % | BPMC | Hằng quý |
| 4 | Điểm không phù hợp được khắc phục đúng hạn | 100 % | Các đơn vị | Sau mỗi cuộc đánh giá |
`;

const twoDigits = (n: number) => (n < 10 ? `0${n}` : String(n)).replace('.', ',');

/**
 * The process document of an ordinary procedure of the register, from its title and processing time: receipt at the
 * one-stop desk, appraisal, signature and return of the result, with the appraisal taking what the others leave.
 */
export function standardProcedureText(title: string, processingDays: number | null, nationalCode: string): ProcedureText {
  const subject = title.charAt(0).toLowerCase() + title.slice(1);
  const days = processingDays ?? 0;
  const appraisal = days >= 3 ? `${twoDigits(days - 2)} ngày làm việc` : 'Trong ngày';
  return {
    purpose: `Quy định trình tự, trách nhiệm và thời gian ${subject}, bảo đảm hồ sơ được giải quyết đúng hạn, đúng quy định.`,
    scope: `Áp dụng đối với Bộ phận Một cửa và Phòng Lao động - Thương binh và Xã hội${nationalCode ? ` (mã TTHC ${nationalCode})` : ''}.`,
    references: [ISO, ND118, 'Quyết định công bố TTHC của Chủ tịch UBND tỉnh'],
    terms: TERMS_COMMON,
    steps: [
      [
        'B1',
        'Tiếp nhận, kiểm tra thành phần hồ sơ; hướng dẫn bổ sung nếu chưa đầy đủ',
        'Công chức BPMC',
        '0,5 ngày làm việc',
        'Giấy tiếp nhận hồ sơ và hẹn trả kết quả',
      ],
      ['B2', 'Thẩm định hồ sơ, dự thảo kết quả', 'Chuyên viên Phòng LĐTBXH', appraisal, 'Tờ trình, dự thảo kết quả'],
      ['B3', 'Xem xét, ký kết quả', 'Lãnh đạo Phòng LĐTBXH', '01 ngày làm việc', 'Kết quả giải quyết'],
      ['B4', 'Trả kết quả cho người dân; xin lỗi bằng văn bản nếu quá hạn', 'Công chức BPMC', '0,5 ngày làm việc', 'Sổ theo dõi'],
    ],
    records: [['Hồ sơ giải quyết TTHC', 'Phòng LĐTBXH', '05 năm']],
    extra: days > 0 ? `**Tổng thời gian giải quyết: ${twoDigits(days)} ngày làm việc.**` : undefined,
  };
}
