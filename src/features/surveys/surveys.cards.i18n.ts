/** The survey cards' texts (surveys.cards.routes.ts, views/surveys/cards.hbs). */
export const vi: Record<string, string> = {
  'surveys.cards.title': 'Thẻ mã QR khảo sát sự hài lòng',
  'surveys.cards.intro':
    'In thẻ mã QR đặt tại quầy của Bộ phận Một cửa: người dân quét mã bằng điện thoại để đánh giá sự hài lòng về thủ tục vừa giải quyết, không cần đăng nhập. Mỗi thẻ dành cho một thủ tục; có thể ghi tên quầy để biết ý kiến đến từ quầy nào.',
  'surveys.cards.no_public_url':
    'Địa chỉ in trong mã QR đang lấy theo địa chỉ trình duyệt đang mở trang này. Để người dân truy cập được từ điện thoại, quản trị viên cần đặt biến môi trường PUBLIC_URL là địa chỉ công khai của ứng dụng.',
  'surveys.cards.procedures': 'Thủ tục hành chính',
  'surveys.cards.procedures_help': 'Chọn các thủ tục cần in thẻ, hoặc',
  'surveys.cards.all': 'in thẻ cho tất cả thủ tục',
  'surveys.cards.counter': 'Tên quầy (không bắt buộc)',
  'surveys.cards.counter_help': 'Ví dụ: Quầy số 2. In trên thẻ và ghi cùng ý kiến đánh giá.',
  'surveys.cards.size': 'Khổ thẻ',
  'surveys.cards.size.a6': 'A6 (4 thẻ trên một tờ A4)',
  'surveys.cards.size.a5': 'A5 (2 thẻ trên một tờ A4)',
  'surveys.cards.show': 'Xem thẻ để in',
  'surveys.cards.print_hint': 'Dùng lệnh In của trình duyệt (Ctrl+P) để in; cắt theo đường viền.',
  'surveys.cards.none_chosen': 'Chưa chọn thủ tục nào.',
  'surveys.cards.card_title': 'KHẢO SÁT SỰ HÀI LÒNG',
  'surveys.cards.card_ask': 'Mời Ông/Bà quét mã để đánh giá việc giải quyết thủ tục:',
  'surveys.cards.card_counter': 'Quầy: {counter}',
  'surveys.cards.card_note': 'Không cần đăng nhập, không thu thập thông tin cá nhân. Xin trân trọng cảm ơn!',
  'surveys.cards.qr_alt': 'Mã QR của phiếu khảo sát thủ tục {procedure}',
};

export const en: Record<string, string> = {
  'surveys.cards.title': 'Satisfaction survey QR cards',
  'surveys.cards.intro':
    'Print QR cards for the one-stop counters: citizens scan the code with their phone to rate the procedure just handled, without signing in. Each card is for one procedure; naming the counter tells you which counter an answer comes from.',
  'surveys.cards.no_public_url':
    "The address in the QR codes is taken from the address this page was opened at. So that citizens' phones reach it, the administrator sets the environment variable PUBLIC_URL to the app's public address.",
  'surveys.cards.procedures': 'Administrative procedures',
  'surveys.cards.procedures_help': 'Choose the procedures to print cards for, or',
  'surveys.cards.all': 'print cards for every procedure',
  'surveys.cards.counter': 'Counter (optional)',
  'surveys.cards.counter_help': 'For example: Counter 2. Printed on the card and kept with the answers.',
  'surveys.cards.size': 'Card size',
  'surveys.cards.size.a6': 'A6 (4 cards on an A4 sheet)',
  'surveys.cards.size.a5': 'A5 (2 cards on an A4 sheet)',
  'surveys.cards.show': 'Show the cards to print',
  'surveys.cards.print_hint': "Print with the browser's Print command (Ctrl+P); cut along the borders.",
  'surveys.cards.none_chosen': 'No procedure chosen.',
  'surveys.cards.card_title': 'SATISFACTION SURVEY',
  'surveys.cards.card_ask': 'Please scan the code to rate how this procedure was handled:',
  'surveys.cards.card_counter': 'Counter: {counter}',
  'surveys.cards.card_note': 'No sign-in, no personal data collected. Thank you!',
  'surveys.cards.qr_alt': 'QR code of the survey on the procedure {procedure}',
};
