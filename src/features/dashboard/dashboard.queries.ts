import type { Db } from '../../core/db/database';

/**
 * The few dashboard figures no other feature offers: what waits for a leader's signature and the admin's
 * system overview. Each is one small indexed statement (dashboards are benchmarked on a province-size database).
 */
export interface RevisionAwaitingRow {
  documentId: number;
  revisionId: number;
  code: string;
  title: string;
  revisionNo: number;
  submittedAt: string | null;
  reviewed: boolean;
}

/** Revisions in review that a leader may sign: reviewed ones await approval, the others a review. Never their own. */
export async function listRevisionsAwaitingSignature(db: Db, userId: number): Promise<RevisionAwaitingRow[]> {
  const rows = await db
    .selectFrom('document_revisions as r')
    .innerJoin('documents as d', 'd.id', 'r.document_id')
    .select(['d.id as documentId', 'r.id as revisionId', 'd.code', 'd.title', 'r.revision_no as revisionNo', 'r.submitted_at as submittedAt', 'r.reviewed_at'])
    .where('r.status', '=', 'in_review')
    .where('d.status', '=', 'active')
    .where('r.author_id', '!=', userId)
    .where((eb) => eb.or([eb('r.reviewer_id', 'is', null), eb('r.reviewer_id', '!=', userId)]))
    .orderBy('r.submitted_at')
    .orderBy('r.id')
    .limit(50)
    .execute();
  return rows.map(({ reviewed_at, ...r }) => ({ ...r, reviewed: reviewed_at !== null }));
}

/** Audit programmes not yet approved. */
export function listProgrammesAwaitingApproval(db: Db): Promise<{ year: number; items: number; updated_at: string }[]> {
  return db
    .selectFrom('audit_programmes as p')
    .select([
      'p.year',
      'p.updated_at',
      (eb) =>
        eb
          .selectFrom('audit_programme_items as i')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('i.programme_id', '=', 'p.id')
          .where('i.status', '=', 'planned')
          .as('items'),
    ])
    .where('p.status', '=', 'draft')
    .orderBy('p.year')
    .limit(10)
    .execute()
    .then((rows) => rows.map((r) => ({ year: r.year, updated_at: r.updated_at, items: Number(r.items ?? 0) })));
}

export interface SystemOverview {
  activeUsers: number;
  usersByRole: Record<string, number>;
  activeUnits: number;
  activeProcedures: number;
  activeDocuments: number;
  auditLogEntries: number;
  lastAuditLogAt: string | null;
  lastDossierImport: { file_name: string; imported_at: string; rows_total: number } | null;
}

export async function findSystemOverview(db: Db): Promise<SystemOverview> {
  const [roles, units, procedures, documents, log, lastImport] = await Promise.all([
    db.selectFrom('users').select(['role', (eb) => eb.fn.countAll<number>().as('n')]).where('active', '=', 1).groupBy('role').execute(),
    db.selectFrom('units').select((eb) => eb.fn.countAll<number>().as('n')).where('active', '=', 1).executeTakeFirstOrThrow(),
    db.selectFrom('procedures').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'active').executeTakeFirstOrThrow(),
    db.selectFrom('documents').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'active').executeTakeFirstOrThrow(),
    // The log is append-only (no update, no delete), so its last id is its number of entries.
    db.selectFrom('audit_log').select(['id', 'at']).orderBy('id', 'desc').limit(1).executeTakeFirst(),
    db.selectFrom('dossier_imports').select(['file_name', 'imported_at', 'rows_total']).orderBy('id', 'desc').limit(1).executeTakeFirst(),
  ]);
  const usersByRole: Record<string, number> = {};
  for (const r of roles) usersByRole[r.role] = Number(r.n);
  return {
    activeUsers: Object.values(usersByRole).reduce((a, b) => a + b, 0),
    usersByRole,
    activeUnits: Number(units.n),
    activeProcedures: Number(procedures.n),
    activeDocuments: Number(documents.n),
    auditLogEntries: Number(log?.id ?? 0),
    lastAuditLogAt: log?.at ?? null,
    lastDossierImport: lastImport ?? null,
  };
}
