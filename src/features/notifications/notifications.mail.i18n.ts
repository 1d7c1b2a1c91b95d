/** E-mails and the outbox (issue 26). */
export const vi: Record<string, string> = {
  'notifications.mail.open_record': 'Mở hồ sơ',
};
export const en: Record<string, string> = {
  'notifications.mail.open_record': 'Open the record',
};
