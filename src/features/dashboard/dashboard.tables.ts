/** Tables of the dashboard feature, added to the Database type in src/features/tables.ts. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the feature has no table yet; the wiring lists every feature
export interface DashboardTables {}
