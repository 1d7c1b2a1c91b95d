import type { ColumnSpec } from '../../src/core/import';

/** Dossier columns of IMPORT-FORMATS.md (without outcome and returned_at), for the tests of the table reader. */
export const DOSSIER_TEST_COLUMNS: ColumnSpec[] = [
  { key: 'code', names: ['code', 'Mã hồ sơ'], required: true },
  { key: 'procedure_code', names: ['procedure_code', 'Mã quy trình'], required: true },
  { key: 'received_at', names: ['received_at', 'Ngày nhận'], required: true },
  { key: 'due_date', names: ['due_date', 'Ngày hẹn trả'] },
  { key: 'channel', names: ['channel', 'Hình thức nộp'] },
];
