/** Texts of the API's readable page (/api/v1/docs) and the Vietnamese summaries of its operations. */
export const vi: Record<string, string> = {
  'api.docs.title': 'API của hệ thống',
  'api.docs.intro':
    'API JSON dành cho các hệ thống xung quanh cơ quan: hệ thống một cửa gửi hồ sơ sang, các hệ thống khác đọc danh mục quy trình, tài liệu hiện hành, sự không phù hợp và số liệu báo cáo. Trang này được tạo từ tài liệu OpenAPI của API.',
  'api.docs.openapi_link': 'Tài liệu OpenAPI 3.1 (cho máy đọc): /api/v1/openapi.json',
  'api.docs.version': 'phiên bản {version}',
  'api.docs.contents': 'Nội dung',
  'api.docs.untagged': 'Thao tác khác',
  'api.docs.no_operations': 'Chưa có thao tác nào.',
  'api.docs.use.heading': 'Cách sử dụng',
  'api.docs.token.heading': 'Mã API',
  'api.docs.token.text':
    'Quản trị viên của cơ quan cấp mã API cho từng hệ thống; mỗi mã có phạm vi (quyền), giới hạn số yêu cầu mỗi phút và ngày hết hạn. Mã chỉ hiện một lần khi cấp, hệ thống chỉ lưu giá trị băm của mã.',
  'api.docs.token.link': 'Trang cấp mã API (/admin/api-tokens)',
  'api.docs.header.text': 'Mỗi yêu cầu gửi mã trong tiêu đề Authorization:',
  'api.docs.rate.heading': 'Giới hạn số yêu cầu',
  'api.docs.rate.text':
    'Mỗi mã được gửi tối đa một số yêu cầu trong {seconds} giây bất kỳ. Tiêu đề RateLimit-Policy cho biết giới hạn (q) và khoảng thời gian (w, giây); tiêu đề RateLimit cho biết số yêu cầu còn được gửi (r) và số giây đến khi có thêm lượt (t). Vượt giới hạn thì nhận trả lời 429 kèm Retry-After (số giây cần chờ); yêu cầu bị từ chối không được tính.',
  'api.docs.errors.heading': 'Lỗi',
  'api.docs.errors.text':
    'Mọi lỗi được trả lời theo RFC 9457 (problem details): type (đường dẫn đến mục của loại lỗi ở cuối trang này), title, status (mã HTTP), detail, instance; lỗi dữ liệu liệt kê từng giá trị sai trong errors (pointer chỉ vào nội dung gửi lên, hoặc parameter là tên tham số).',
  'api.docs.lang.heading': 'Ngôn ngữ',
  'api.docs.lang.text':
    'Lời của lỗi theo tiêu đề Accept-Language: vi (tiếng Việt, mặc định) hoặc en (tiếng Anh); tiêu đề Content-Language của trả lời cho biết ngôn ngữ đã dùng. Tên trường và mã lỗi luôn giữ nguyên.',
  'api.docs.operation_id': 'Mã thao tác (operationId)',
  'api.docs.scope': 'Phạm vi cần có',
  'api.docs.parameters': 'Tham số',
  'api.docs.name': 'Tên',
  'api.docs.in': 'Vị trí',
  'api.docs.in.path': 'đường dẫn',
  'api.docs.in.query': 'chuỗi truy vấn',
  'api.docs.in.header': 'tiêu đề',
  'api.docs.in.cookie': 'cookie',
  'api.docs.required': 'Bắt buộc',
  'api.docs.type': 'Kiểu',
  'api.docs.description': 'Mô tả',
  'api.docs.yes': 'Có',
  'api.docs.no': 'Không',
  'api.docs.body': 'Nội dung gửi lên',
  'api.docs.body_type': 'Định dạng:',
  'api.docs.field': 'Trường',
  'api.docs.responses': 'Trả lời',
  'api.docs.status': 'Mã HTTP',
  'api.docs.media_type': 'Định dạng',
  'api.docs.problems.heading': 'Các loại lỗi',
  'api.docs.problems.text': 'Trường type của mỗi lỗi chỉ đến một mục dưới đây. Các chỗ {…} trong lời mô tả được điền theo từng lần.',
  'api.docs.problems.type': 'type',
  'api.docs.problems.detail': 'Mô tả',
  'api.docs.tag.Dossiers': 'Hồ sơ',
  'api.docs.tag.Registers': 'Danh mục',
  'api.docs.tag.Reports': 'Báo cáo',
  'api.docs.response.400': 'Yêu cầu không đọc được (JSON không hợp lệ)',
  'api.docs.response.401': 'Không có mã API, hoặc mã không tồn tại, đã bị thu hồi hay đã hết hạn',
  'api.docs.response.403': 'Mã API không có phạm vi cần có, hoặc cơ quan chỉ được đọc',
  'api.docs.response.404': 'Không tìm thấy (hoặc thuộc cơ quan khác)',
  'api.docs.response.409': 'Xung đột với dữ liệu đã lưu',
  'api.docs.response.413': 'Nội dung quá lớn, hoặc quá nhiều mục',
  'api.docs.response.415': 'Nội dung không phải JSON',
  'api.docs.response.422': 'Dữ liệu không hợp lệ; từng giá trị sai được liệt kê trong errors',
  'api.docs.response.429': 'Vượt giới hạn số yêu cầu; xem Retry-After và RateLimit',
  'api.docs.response.500': 'Lỗi máy chủ (có mã tham chiếu trong nhật ký)',
  'api.docs.response.503': 'Hệ thống đang bận: cơ sở dữ liệu đang được ghi bởi một lần nhập lớn; thử lại sau Retry-After',
  'api.op.putDossier': 'Ghi một hồ sơ (tạo mới hoặc cập nhật theo mã hồ sơ)',
  'api.op.batchDossiers': 'Ghi một lô hồ sơ trong một lần gửi',
};

export const en: Record<string, string> = {
  'api.docs.title': 'API of the system',
  'api.docs.intro':
    "A JSON API for the systems around the office: the one-stop system pushes dossiers, other systems read the procedures, current documents, nonconformities and report figures. This page is generated from the API's OpenAPI document.",
  'api.docs.openapi_link': 'OpenAPI 3.1 document (machine-readable): /api/v1/openapi.json',
  'api.docs.version': 'version {version}',
  'api.docs.contents': 'Contents',
  'api.docs.untagged': 'Other operations',
  'api.docs.no_operations': 'No operations yet.',
  'api.docs.use.heading': 'How to use it',
  'api.docs.token.heading': 'API tokens',
  'api.docs.token.text':
    "The organisation's admin issues an API token to each system; each token has scopes, a limit of requests per minute and an expiry date. A token is shown once, when it is issued; only its hash is stored.",
  'api.docs.token.link': 'Page for issuing API tokens (/admin/api-tokens)',
  'api.docs.header.text': 'Every request sends the token in the Authorization header:',
  'api.docs.rate.heading': 'Rate limit',
  'api.docs.rate.text':
    'Each token may send at most a number of requests in any {seconds} seconds. The RateLimit-Policy header tells the limit (q) and the window (w, seconds); the RateLimit header tells the requests left (r) and the seconds until more are allowed (t). Beyond the limit the answer is 429 with Retry-After (seconds to wait); refused requests are not counted.',
  'api.docs.errors.heading': 'Errors',
  'api.docs.errors.text':
    'Every error is answered as RFC 9457 problem details: type (a link to the entry of its kind at the end of this page), title, status (the HTTP status), detail, instance; invalid input lists every wrong value in errors (pointer into the request body, or parameter naming the parameter).',
  'api.docs.lang.heading': 'Language',
  'api.docs.lang.text':
    'Errors are worded in the language of the Accept-Language header: vi (Vietnamese, the default) or en (English); the Content-Language header of the answer tells which. Field names and codes never change.',
  'api.docs.operation_id': 'Operation id',
  'api.docs.scope': 'Required scope',
  'api.docs.parameters': 'Parameters',
  'api.docs.name': 'Name',
  'api.docs.in': 'In',
  'api.docs.in.path': 'path',
  'api.docs.in.query': 'query',
  'api.docs.in.header': 'header',
  'api.docs.in.cookie': 'cookie',
  'api.docs.required': 'Required',
  'api.docs.type': 'Type',
  'api.docs.description': 'Description',
  'api.docs.yes': 'Yes',
  'api.docs.no': 'No',
  'api.docs.body': 'Request body',
  'api.docs.body_type': 'Format:',
  'api.docs.field': 'Field',
  'api.docs.responses': 'Responses',
  'api.docs.status': 'HTTP status',
  'api.docs.media_type': 'Media type',
  'api.docs.problems.heading': 'Problem types',
  'api.docs.problems.text': 'The type of every error points to one entry below. The {…} in the details are filled in each time.',
  'api.docs.problems.type': 'type',
  'api.docs.problems.detail': 'Detail',
  'api.docs.tag.Dossiers': 'Dossiers',
  'api.docs.tag.Registers': 'Registers',
  'api.docs.tag.Reports': 'Reports',
  'api.docs.response.400': 'Malformed request (JSON that does not parse)',
  'api.docs.response.401': 'No token, an unknown, revoked or expired token',
  'api.docs.response.403': 'The token lacks the scope, or its organisation is read-only',
  'api.docs.response.404': 'Not found (or another organisation’s)',
  'api.docs.response.409': 'Conflicts with what is stored',
  'api.docs.response.413': 'Body too large, or too many items',
  'api.docs.response.415': 'The body is not JSON',
  'api.docs.response.422': 'Invalid input; every wrong value listed in errors',
  'api.docs.response.429': 'Rate limit reached; see Retry-After and RateLimit',
  'api.docs.response.500': 'Server error (with a reference in the log)',
  'api.docs.response.503': 'Busy: the database is locked by a long import; try again after Retry-After',
  'api.op.putDossier': 'Create or update one dossier by its code',
  'api.op.batchDossiers': 'Create or update a batch of dossiers in one request',
};

/**
 * The Vietnamese of the texts the OpenAPI document gives in English and the readable page shows: the operations'
 * descriptions, their parameters', body fields' and answers' (the document is generated from the zod schemas, in
 * English, for machines; a Vietnamese page words them from here). Keyed by the English text, so one wording serves
 * every place it appears; test/api/docs.test.ts checks that every text the page shows has its entry, and no entry is
 * stale.
 */
export const documentTextsVi: Record<string, string> = {
  'The dossier is checked by the same rules as a row of a dossier file (IMPORT-FORMATS.md): 201 when created, 200 when updated or unchanged. Sending the same dossier again changes nothing and writes nothing.':
    'Hồ sơ được kiểm tra theo cùng quy tắc như một dòng của tệp hồ sơ (IMPORT-FORMATS.md): 201 khi tạo mới, 200 khi cập nhật hoặc không đổi. Gửi lại đúng hồ sơ đó không thay đổi và không ghi gì.',
  'The dossier’s code (Mã hồ sơ)': 'Mã hồ sơ',
  'The procedure: its own code in qms-tracker or its national code (Mã TTHC)': 'Thủ tục: mã của thủ tục trong qms-tracker hoặc mã TTHC quốc gia',
  'Received: a date YYYY-MM-DD or a date-time with offset (RFC 3339)': 'Ngày tiếp nhận: ngày YYYY-MM-DD, hoặc ngày giờ có múi giờ (RFC 3339)',
  'Due date (Ngày hẹn trả); computed from the procedure’s processing days when absent':
    'Ngày hẹn trả kết quả; khi không gửi, được tính từ số ngày giải quyết của thủ tục',
  'Returned (date or date-time); absent while the dossier is being handled': 'Ngày trả kết quả (ngày hoặc ngày giờ); không gửi khi hồ sơ đang giải quyết',
  'Outcome; `returned` when returned_at is given and neither outcome nor status is':
    'Kết quả; là `returned` (đã trả kết quả) khi có returned_at mà không có outcome và status',
  'The one-stop system’s status text (Trạng thái), as a dossier file accepts it, e.g. "Đang xử lý", "Đã trả kết quả"':
    'Trạng thái theo hệ thống một cửa, như tệp hồ sơ chấp nhận, ví dụ "Đang xử lý", "Đã trả kết quả"',
  'How it was submitted (direct by default)': 'Hình thức nộp (mặc định: trực tiếp)',
  'The unit that handles it (code or name of one of the organisation’s units, else kept as written); absent: none, as a push replaces the whole dossier':
    'Đơn vị giải quyết (mã hoặc tên một đơn vị của cơ quan, nếu không khớp thì giữ nguyên như đã gửi); không gửi: hồ sơ không có đơn vị giải quyết, vì mỗi lần gửi thay toàn bộ hồ sơ',
  'The apology slip (Phiếu xin lỗi và hẹn lại ngày trả kết quả) of a late dossier: all four fields':
    'Phiếu xin lỗi và hẹn lại ngày trả kết quả của hồ sơ quá hạn: đủ cả bốn trường',
  'Number of the apology slip (Số phiếu xin lỗi)': 'Số phiếu xin lỗi',
  'Date of the slip, YYYY-MM-DD': 'Ngày của phiếu, YYYY-MM-DD',
  'Why the result is late': 'Lý do trả kết quả quá hạn',
  'The new date the result will be returned, YYYY-MM-DD': 'Ngày hẹn trả kết quả mới, YYYY-MM-DD',
  'Create or update a dossier by its code': 'Ghi một hồ sơ theo mã hồ sơ (tạo mới hoặc cập nhật)',
  'All or nothing: any wrong item (listed with its index in `errors`) and nothing is written. Dossiers already stored with the same values are counted unchanged.':
    'Ghi tất cả hoặc không ghi gì: chỉ cần một mục sai (liệt kê kèm vị trí index trong `errors`) là không ghi hồ sơ nào. Hồ sơ đã lưu với đúng các giá trị đó được tính là không đổi.',
  '1 to 5000 dossiers': 'Từ 1 đến 5000 hồ sơ',
  'Create or update up to 5000 dossiers at once': 'Ghi tối đa 5000 hồ sơ trong một lần (tạo mới hoặc cập nhật)',
  'The organisation’s procedures by creation order, a page at a time (`next_cursor`, and a `Link: rel="next"` header).':
    'Các thủ tục của cơ quan theo thứ tự tạo, từng trang một (`next_cursor`, và tiêu đề `Link: rel="next"`).',
  'Items per page, 1–500 (100 by default)': 'Số mục mỗi trang, 1–500 (mặc định 100)',
  'The `next_cursor` of the previous page': 'Giá trị `next_cursor` của trang trước',
  'Only procedures in use, or only retired ones': 'Chỉ các thủ tục đang áp dụng, hoặc chỉ các thủ tục đã ngừng áp dụng',
  'Field (lĩnh vực), exactly as in the register': 'Lĩnh vực, đúng như trong sổ thủ tục',
  'Administrative procedure (TTHC) or internal process': 'Thủ tục hành chính (TTHC) hoặc quy trình nội bộ',
  'Code of the unit in charge': 'Mã đơn vị chủ trì',
  'The register of procedures': 'Sổ thủ tục',
  'The procedure’s code': 'Mã thủ tục',
  'One procedure, with its process document in force': 'Một thủ tục, với quy trình đang hiệu lực',
  'The organisation’s nonconformities by creation order, a page at a time; the columns staff see on the register, no names.':
    'Các sự không phù hợp của cơ quan theo thứ tự tạo, từng trang một; các cột cán bộ, công chức thấy trong sổ theo dõi, không có tên người.',
  'A status, or `active`: every status before closed, cancelled or rejected':
    'Một trạng thái, hoặc `active`: mọi trạng thái trước khi đóng, hủy hoặc bị từ chối',
  'Code of the procedure': 'Mã thủ tục',
  'Raised (detected) on or after this date': 'Phát hiện từ ngày này trở đi',
  'Raised (detected) on or before this date': 'Phát hiện đến hết ngày này',
  'Only those whose record changed at or after this instant (see `updated_at`)':
    'Chỉ những sự không phù hợp có thay đổi từ thời điểm này trở đi (xem `updated_at`)',
  'The register of nonconformities': 'Sổ theo dõi sự không phù hợp',
  'Every active controlled document with its effective revision (the master list), a page at a time.':
    'Mọi tài liệu được kiểm soát đang áp dụng, với lần ban hành đang hiệu lực (danh mục tài liệu), từng trang một.',
  'Code of the owner unit': 'Mã đơn vị quản lý tài liệu',
  'The controlled documents in force': 'Tài liệu hiện hành',
  'Exactly the JSON of the signed-in report `/reports/procedures/{code}.json` (REPORTING.md); the checks’ words in the language of Accept-Language.':
    'Đúng như JSON của báo cáo khi đã đăng nhập `/reports/procedures/{code}.json` (REPORTING.md); lời của các tiêu chí kiểm tra theo ngôn ngữ của Accept-Language.',
  'First day of the period': 'Ngày đầu kỳ',
  'Last day of the period': 'Ngày cuối kỳ',
  'A procedure’s compliance report for a period': 'Báo cáo đánh giá sự tuân thủ của một thủ tục trong một kỳ',
  'Every active procedure’s status and key figures, and their totals; without dates, this quarter.':
    'Tình trạng và số liệu chính của mọi thủ tục đang áp dụng, cùng tổng cộng; không có ngày thì lấy quý hiện tại.',
  'First day of the period (with `to`; both absent: this quarter)': 'Ngày đầu kỳ (cùng với `to`; không có cả hai: quý hiện tại)',
  'Field (lĩnh vực) of the procedures': 'Lĩnh vực của các thủ tục',
  'Compliance status (REPORTING.md, "Status and checks")': 'Tình trạng tuân thủ (REPORTING.md, mục "Status and checks")',
  'The all-procedures summary for a period': 'Báo cáo tổng hợp mọi thủ tục trong một kỳ',
  'predecessors: add to each procedure’s dossier figures those of the procedure of the same code in every predecessor of the organisation (merged or split into it), for the same period':
    'predecessors: cộng vào số liệu hồ sơ của mỗi thủ tục số liệu của thủ tục cùng mã tại mọi cơ quan tiền nhiệm của cơ quan (đã sáp nhập vào hoặc chia tách, chuyển sang cơ quan), trong cùng kỳ',
  'satisfaction: add the survey figures of the satisfaction of citizens and organisations with the procedure in the period (`satisfaction`)':
    'satisfaction: thêm số liệu khảo sát sự hài lòng của người dân, tổ chức đối với thủ tục trong kỳ (`satisfaction`)',
};
