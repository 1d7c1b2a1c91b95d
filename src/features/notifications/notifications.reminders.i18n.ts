/** Reminders, the digest and the settings (issue 26). */
export const vi: Record<string, string> = {
  'notifications.settings.title': 'Cài đặt thông báo',
};
export const en: Record<string, string> = {
  'notifications.settings.title': 'Notification settings',
};
