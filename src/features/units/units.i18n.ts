export const vi: Record<string, string> = {
  'units.title': 'Đơn vị',
  'units.intro': 'Các phòng, bộ phận của cơ quan. Đơn vị không bị xóa; khi không còn dùng, chuyển sang ngừng hoạt động.',
  'units.new': 'Thêm đơn vị',
  'units.edit': 'Sửa đơn vị',
  'units.code': 'Mã đơn vị',
  'units.code_help': 'Mã ngắn, duy nhất, ví dụ: LĐTBXH, MOTCUA',
  'units.name': 'Tên đơn vị',
  'units.status': 'Trạng thái',
  'units.deactivate': 'Ngừng hoạt động',
  'units.reactivate': 'Hoạt động trở lại',
  'units.status_reason_help': 'Lý do thay đổi trạng thái (ghi vào nhật ký hệ thống)',
  'units.empty': 'Chưa có đơn vị nào. Thêm đơn vị đầu tiên để gán người dùng và quy trình.',
};

export const en: Record<string, string> = {
  'units.title': 'Units',
  'units.intro': 'The office’s departments. Units are never deleted; deactivate one that is no longer used.',
  'units.new': 'Add unit',
  'units.edit': 'Edit unit',
  'units.code': 'Unit code',
  'units.code_help': 'A short unique code, e.g. LĐTBXH, MOTCUA',
  'units.name': 'Unit name',
  'units.status': 'Status',
  'units.deactivate': 'Deactivate',
  'units.reactivate': 'Reactivate',
  'units.status_reason_help': 'Why the status changes (kept in the audit trail)',
  'units.empty': 'No units yet. Add the first unit to assign users and procedures.',
};
