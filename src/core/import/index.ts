export { readTable, readTableBatches, type ReadTableOptions, type TableRow } from './read-table';
export { normalizeHeaderName, viName, type ColumnSpec } from './columns';
export type { TableInput } from './source';
export {
  ImportHeaderError,
  ImportRowsError,
  RowErrors,
  importText,
  dateErrorCode,
  columnLabel,
  type ColumnLabels,
  type ImportParams,
  SHOWN_IMPORT_ERRORS,
  importFailureLocals,
  type ImportFailureLocals,
  formatHeaderProblem,
  formatRowError,
  type HeaderProblem,
  type HeaderProblemCode,
  type RowError,
} from './errors';
