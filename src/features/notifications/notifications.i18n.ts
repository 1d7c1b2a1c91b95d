/** The inbox and the kinds of notification (issue 26). */
export const vi: Record<string, string> = {
  'notifications.kind.action_assigned': 'Hành động được giao cho bạn',
  'notifications.kind.document_acknowledge': 'Tài liệu cần xác nhận đã đọc',
  'notifications.kind.revision_review': 'Bản sửa đổi chờ bạn xem xét',
  'notifications.kind.revision_approve': 'Bản sửa đổi chờ bạn phê duyệt',
  'notifications.kind.finding_answer': 'Phát hiện đánh giá chờ đơn vị trả lời',
  'notifications.kind.feedback_triage': 'Phản ánh, kiến nghị chờ phân loại',
  'notifications.kind.audit_participant': 'Cuộc đánh giá nội bộ bạn tham gia',
  'notifications.kind.due_soon': 'Sắp đến hạn',
  'notifications.kind.overdue': 'Đã quá hạn',
  'notifications.kind.escalation': 'Quá hạn, báo lãnh đạo đơn vị',
};
export const en: Record<string, string> = {
  'notifications.kind.action_assigned': 'Action assigned to you',
  'notifications.kind.document_acknowledge': 'Document to acknowledge',
  'notifications.kind.revision_review': 'Revision waiting for your review',
  'notifications.kind.revision_approve': 'Revision waiting for your approval',
  'notifications.kind.finding_answer': 'Audit finding waiting for the unit’s answer',
  'notifications.kind.feedback_triage': 'Feedback waiting for triage',
  'notifications.kind.audit_participant': 'Internal audit you take part in',
  'notifications.kind.due_soon': 'Due soon',
  'notifications.kind.overdue': 'Overdue',
  'notifications.kind.escalation': 'Overdue, reported to the unit’s leader',
};
