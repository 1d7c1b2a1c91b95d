/** Words of the API's dossier pushes shown in the application (the audit log's verbs). */
export const vi: Record<string, string> = {
  'audit_log.verb.api_create': 'tạo qua API',
  'audit_log.verb.api_update': 'cập nhật qua API',
  'audit_log.verb.api_batch': 'nhận lô hồ sơ qua API',
};

export const en: Record<string, string> = {
  'audit_log.verb.api_create': 'created through the API',
  'audit_log.verb.api_update': 'updated through the API',
  'audit_log.verb.api_batch': 'received a batch of dossiers through the API',
};
