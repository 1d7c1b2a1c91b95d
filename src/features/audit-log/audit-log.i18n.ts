export const vi: Record<string, string> = {
  'audit_log.title': 'Nhật ký hệ thống',
  'audit_log.intro':
    'Mọi thay đổi dữ liệu được ghi lại kèm người thực hiện, thời điểm, giá trị cũ và mới. Nhật ký không thể sửa hoặc xóa; mỗi dòng được liên kết băm SHA-256 với dòng trước.',
  'audit_log.at': 'Thời điểm',
  'audit_log.user': 'Người thực hiện',
  'audit_log.system': 'Hệ thống',
  'audit_log.action': 'Thao tác',
  'audit_log.entity': 'Đối tượng',
  'audit_log.entity_id': 'Mã bản ghi',
  'audit_log.changes': 'Thay đổi',
  'audit_log.old': 'Giá trị cũ',
  'audit_log.new': 'Giá trị mới',
  'audit_log.reason': 'Lý do',
  'audit_log.from': 'Từ ngày',
  'audit_log.to': 'Đến ngày',
  'audit_log.empty': 'Không có dòng nhật ký nào khớp bộ lọc.',
  'audit_log.details': 'Chi tiết',
};

export const en: Record<string, string> = {
  'audit_log.title': 'Audit trail',
  'audit_log.intro':
    'Every change to the data is recorded with who, when, and the old and new values. The trail cannot be edited or deleted; each row is chained to the previous one by SHA-256.',
  'audit_log.at': 'Time',
  'audit_log.user': 'User',
  'audit_log.system': 'System',
  'audit_log.action': 'Action',
  'audit_log.entity': 'Entity',
  'audit_log.entity_id': 'Record id',
  'audit_log.changes': 'Changes',
  'audit_log.old': 'Old values',
  'audit_log.new': 'New values',
  'audit_log.reason': 'Reason',
  'audit_log.from': 'From',
  'audit_log.to': 'To',
  'audit_log.empty': 'No entry matches the filters.',
  'audit_log.details': 'Details',
};
