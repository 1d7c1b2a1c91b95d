export { readTable, readTableBatches, type TableRow } from './read-table';
export { normalizeHeaderName, type ColumnSpec } from './columns';
export type { TableInput } from './source';
export {
  ImportHeaderError,
  ImportRowsError,
  SHOWN_IMPORT_ERRORS,
  importFailureLocals,
  type ImportFailureLocals,
  formatHeaderProblem,
  formatRowError,
  type HeaderProblem,
  type HeaderProblemCode,
  type RowError,
} from './errors';
