/**
 * Independence at recording, who audited what, and the auditee's acknowledgement of the report: the visible words,
 * Vietnamese first. Both catalogs have the same keys.
 */
export const vi: Record<string, string> = {
  'audits.independence.refused_own_unit':
    'Bạn không thể ghi kết quả, phát hiện hoặc bằng chứng cho quy trình {procedure} vì đơn vị của bạn ({unit}) chủ trì quy trình này (tính độc lập của chuyên gia đánh giá, điều khoản 9.2.2).',
  'audits.independence.refused_authored':
    'Bạn không thể ghi kết quả, phát hiện hoặc bằng chứng cho quy trình {procedure} vì bạn đã soạn thảo {document} lần {revision} của quy trình này (tính độc lập của chuyên gia đánh giá, điều khoản 9.2.2).',
  'audits.independence.refused_audited_unit':
    'Bạn không thể ghi kết quả chung, kết luận hay ban hành báo cáo của cuộc đánh giá {audit} vì bạn thuộc đơn vị được đánh giá ({unit}).',
  'audits.independence.refused_audit_own_unit':
    'Bạn không thể ghi kết quả chung, kết luận hay ban hành báo cáo của cuộc đánh giá {audit} vì đơn vị của bạn ({unit}) chủ trì quy trình {procedure} thuộc phạm vi đánh giá.',
  'audits.independence.refused_audit_authored':
    'Bạn không thể ghi kết quả chung, kết luận hay ban hành báo cáo của cuộc đánh giá {audit} vì bạn đã soạn thảo {document} lần {revision} của quy trình {procedure} thuộc phạm vi đánh giá.',
  'audits.report.assessors': 'Phân công đánh giá (người ghi kết quả, số câu hỏi đã trả lời)',
  'audits.report.general': 'Câu hỏi chung',
  'audits.report.answered': '{n} câu hỏi',
  'audits.report.s8': '8. Ý kiến của đơn vị được đánh giá',
  'audits.assessors.title': 'Ai đánh giá nội dung nào',
  'audits.assessors.empty': 'Chưa có kết quả nào được ghi.',
  'audits.ack.title': 'Xác nhận của đơn vị được đánh giá',
  'audits.ack.help': 'Người của đơn vị được đánh giá (không thuộc đoàn đánh giá) xác nhận đã nhận báo cáo và ghi ý kiến; chỉ xác nhận một lần.',
  'audits.ack.name': 'Họ tên, chức vụ',
  'audits.ack.note': 'Ý kiến',
  'audits.ack.button': 'Xác nhận đã nhận báo cáo',
  'audits.ack.given': 'Đơn vị được đánh giá đã nhận báo cáo: {name}, ngày {date}.',
  'audits.ack.none': 'Đơn vị được đánh giá chưa xác nhận báo cáo.',
  'audits.ack.blank_name': 'Họ tên, chức vụ người đại diện đơn vị được đánh giá: ………………………………………………',
  'audits.ack.blank_note': 'Ý kiến: ………………………………………………………………………………',
  'audits.ack.blank_sign': 'Ngày …… tháng …… năm ……, ký tên: ………………………………',
  'audits.ack.not_auditee': 'Chỉ người của đơn vị được đánh giá, không thuộc đoàn đánh giá, được xác nhận báo cáo.',
  'audits.ack.not_issued': 'Chỉ xác nhận được báo cáo đã ban hành, trước khi kết thúc cuộc đánh giá.',
  'audits.ack.already': 'Báo cáo đã được đơn vị được đánh giá xác nhận.',
  'audits.flash.acknowledged': 'Đã ghi xác nhận của đơn vị được đánh giá.',
  'audit_log.verb.acknowledge_report': 'xác nhận đã nhận báo cáo của',
};

export const en: Record<string, string> = {
  'audits.independence.refused_own_unit':
    'You cannot record results, findings or evidence for procedure {procedure} because your unit ({unit}) is responsible for it (auditor independence, clause 9.2.2).',
  'audits.independence.refused_authored':
    'You cannot record results, findings or evidence for procedure {procedure} because you authored {document} revision {revision} of it (auditor independence, clause 9.2.2).',
  'audits.independence.refused_audited_unit':
    'You cannot record general results, the conclusion or issue the report of audit {audit} because you belong to an audited unit ({unit}).',
  'audits.independence.refused_audit_own_unit':
    'You cannot record general results, the conclusion or issue the report of audit {audit} because your unit ({unit}) is responsible for procedure {procedure} of its scope.',
  'audits.independence.refused_audit_authored':
    'You cannot record general results, the conclusion or issue the report of audit {audit} because you authored {document} revision {revision} of procedure {procedure} of its scope.',
  'audits.report.assessors': 'Who audited what (the auditor who recorded the results, questions answered)',
  'audits.report.general': 'General questions',
  'audits.report.answered': '{n} questions',
  'audits.report.s8': '8. The auditee’s acknowledgement',
  'audits.assessors.title': 'Who audited what',
  'audits.assessors.empty': 'No result recorded yet.',
  'audits.ack.title': 'The auditee’s acknowledgement',
  'audits.ack.help': 'A person of an audited unit (not on the audit team) acknowledges receiving the report and adds a note; once only.',
  'audits.ack.name': 'Name and position',
  'audits.ack.note': 'Note',
  'audits.ack.button': 'Acknowledge the report',
  'audits.ack.given': 'Report received by the auditee: {name}, on {date}.',
  'audits.ack.none': 'The auditee has not acknowledged the report yet.',
  'audits.ack.blank_name': 'Name and position of the auditee’s representative: ………………………………………………',
  'audits.ack.blank_note': 'Note: ………………………………………………………………………………',
  'audits.ack.blank_sign': 'Date …… / …… / ……, signature: ………………………………',
  'audits.ack.not_auditee': 'Only a person of an audited unit who is not on the audit team may acknowledge the report.',
  'audits.ack.not_issued': 'Only an issued report can be acknowledged, before the audit is closed.',
  'audits.ack.already': 'The auditee has already acknowledged the report.',
  'audits.flash.acknowledged': 'The auditee’s acknowledgement is recorded.',
  'audit_log.verb.acknowledge_report': 'acknowledged the report of',
};
