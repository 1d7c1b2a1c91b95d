/** Documents: the visible words of this feature, Vietnamese first. Both catalogs must have the same keys. */
export const vi: Record<string, string> = {
  // core/files (stored uploads), used by every feature that accepts a file
  'files.rejected_type': 'Chỉ chấp nhận tệp PDF, DOCX, XLSX, ODT, PNG hoặc JPEG (kiểm tra theo nội dung tệp, không theo tên tệp).',
  'files.empty': 'Tệp tải lên không có nội dung.',
  'files.missing': 'Vui lòng chọn tệp cần tải lên.',
  'files.allowed_help': 'PDF, DOCX, XLSX, ODT, PNG hoặc JPEG; tối đa {mb} MB.',
};

export const en: Record<string, string> = {
  'files.rejected_type': 'Only PDF, DOCX, XLSX, ODT, PNG or JPEG files are accepted (checked from the content, not the name).',
  'files.empty': 'The uploaded file is empty.',
  'files.missing': 'Please choose a file to upload.',
  'files.allowed_help': 'PDF, DOCX, XLSX, ODT, PNG or JPEG; at most {mb} MB.',
};
