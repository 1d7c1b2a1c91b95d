/** The survey pages of the office (question sets, settings, answers) and the audit trail's words for them. */
export const vi: Record<string, string> = {
  'audit_log.entity.survey_response': 'Phiếu khảo sát',
  'audit_log.object.survey_response': 'phiếu khảo sát {ref}',
  'audit_log.entity.survey_question_set': 'Bộ câu hỏi khảo sát',
  'audit_log.object.survey_question_set': 'bộ câu hỏi khảo sát {ref}',
  'audit_log.entity.survey_question': 'Câu hỏi khảo sát',
  'audit_log.object.survey_question': 'câu hỏi khảo sát {ref}',
  'audit_log.entity.survey_settings': 'Cài đặt khảo sát',
  'audit_log.verb.discard': 'loại bỏ',
  'audit_log.verb.activate': 'áp dụng',
  'audit_log.verb.delete': 'xóa',
};

export const en: Record<string, string> = {
  'audit_log.entity.survey_response': 'Survey answer',
  'audit_log.object.survey_response': 'survey answer {ref}',
  'audit_log.entity.survey_question_set': 'Survey question set',
  'audit_log.object.survey_question_set': 'survey question set {ref}',
  'audit_log.entity.survey_question': 'Survey question',
  'audit_log.object.survey_question': 'survey question {ref}',
  'audit_log.entity.survey_settings': 'Survey settings',
  'audit_log.verb.discard': 'discarded',
  'audit_log.verb.activate': 'put in use',
  'audit_log.verb.delete': 'deleted',
};
