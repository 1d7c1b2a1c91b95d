/** Tables of the audits feature, merged into the Database type in core/db/schema.ts. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AuditsTables {}
