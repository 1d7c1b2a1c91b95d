import { rows, type TestApp } from '../support/app';
import { addOrganisation, type OtherOrganisation } from '../support/orgs';

/**
 * The oversight tests' world, written as rows of the other features' tables (their workflows are tested by them),
 * each with its organisation_id. The clock says 2026-11-26: documents due up to 2026-12-26, audits from
 * 2025-11-27 (the 12 months ending today), the on-time rate and the statuses over 2026-01-01 … 2026-11-26.
 *
 *   DV1 (organisation 1, the test app's: the parent) ─┬─ SOA ─ declared 15/03/2026
 *                                                     ├─ SOB ─┬─ SOD (empty)
 *                                                     │       (not declared)
 *                                                     └─ SOC ─ declared 01/12/2025
 *   OUT (no parent: outside the tree)
 * Hand-computed answers (see each organisation below): the KNOWN constant.
 */
const AT = '2026-01-01T00:00:00.000Z';

export async function run(t: TestApp, sqlText: string, ...params: unknown[]): Promise<number> {
  const insert = /^\s*insert\b/i.test(sqlText);
  const written = await rows<{ id?: number }>(t, insert ? `${sqlText} returning *` : sqlText, ...params);
  return insert ? Number(written[0]?.id ?? 0) : 0;
}

async function procedure(t: TestApp, org: number, code: string, status: 'active' | 'retired' = 'active'): Promise<number> {
  return run(
    t,
    `insert into procedures (code, title, field, online_level, unit_id, on_time_target, search_text, status, created_at, updated_at, organisation_id)
     values (?, ?, 'Khoa học', 'none', null, 1, ?, ?, ?, ?, ?)`,
    code,
    `Quy trình ${code}`,
    code.toLowerCase(),
    status,
    AT,
    AT,
    org,
  );
}

async function document(t: TestApp, org: number, procedureId: number | null, code: string, authorId: number, nextReviewDue: string): Promise<void> {
  const documentId = await run(
    t,
    `insert into documents (code, title, type, procedure_id, ack_scope, search_text, created_at, updated_at, organisation_id)
     values (?, ?, 'procedure', ?, 'all', ?, ?, ?, ?)`,
    code,
    `Tài liệu ${code}`,
    procedureId,
    code.toLowerCase(),
    AT,
    AT,
    org,
  );
  const id = await run(
    t,
    `insert into document_revisions (document_id, revision_no, body, author_id, created_at, updated_at, organisation_id) values (?, 1, 'Nội dung', ?, ?, ?, ?)`,
    documentId,
    authorId,
    AT,
    AT,
    org,
  );
  await run(t, `update document_revisions set status = 'in_review' where id = ?`, id);
  await run(t, `update document_revisions set status = 'approved', effective_from = '2026-01-10', next_review_due = ? where id = ?`, nextReviewDue, id);
  await run(t, `update document_revisions set status = 'effective' where id = ?`, id);
}

let dossierSeq = 0;
async function dossier(
  t: TestApp,
  org: number,
  procedureId: number,
  d: { received: string; due: string; returned?: string; outcome?: 'returned' | 'withdrawn' },
): Promise<void> {
  dossierSeq += 1;
  const importId = await run(
    t,
    `insert into dossier_imports (file_name, sha256, via, imported_at, organisation_id) values ('fixture.csv', ?, 'cli', ?, ?)`,
    String(dossierSeq).padStart(64, '0'),
    AT,
    org,
  );
  await run(
    t,
    `insert into dossiers (code, procedure_id, received_on, due_on, due_computed, returned_on, outcome, channel, created_import_id, updated_import_id,
       created_at, updated_at, organisation_id)
     values (?, ?, ?, ?, 0, ?, ?, 'direct', ?, ?, ?, ?, ?)`,
    `HS-${dossierSeq}`,
    procedureId,
    d.received,
    d.due,
    d.returned ?? null,
    d.returned ? (d.outcome ?? 'returned') : null,
    importId,
    importId,
    AT,
    AT,
    org,
  );
}

let ncSeq = 0;
/** A nonconformity (status history from reported to its status on its detection date), with its actions. */
async function nonconformity(
  t: TestApp,
  org: number,
  procedureId: number | null,
  severity: 'major' | 'minor',
  status: 'open' | 'closed',
  ownerId: number,
  actions: { due: string; status: 'planned' | 'in_progress' | 'done' }[] = [],
): Promise<void> {
  ncSeq += 1;
  const id = await run(
    t,
    `insert into nonconformities (code, year, seq, title, description, source, severity, procedure_id, detected_on, status, closed_on, created_at, updated_at, organisation_id)
     values (?, 2026, ?, 'NC', 'Mô tả', 'internal_audit', ?, ?, '2026-10-01', ?, ?, ?, ?, ?)`,
    `NC-2026-${String(ncSeq).padStart(3, '0')}`,
    ncSeq,
    severity,
    procedureId,
    status,
    status === 'closed' ? '2026-10-20' : null,
    AT,
    AT,
    org,
  );
  const history: [string | null, string, string][] = [
    [null, 'reported', '2026-10-01'],
    ['reported', 'open', '2026-10-02'],
  ];
  if (status === 'closed') history.push(['open', 'closed', '2026-10-20']);
  for (const [from, to, on] of history)
    await run(
      t,
      `insert into nc_status_history (nonconformity_id, from_status, to_status, changed_on, changed_at, organisation_id) values (?, ?, ?, ?, ?, ?)`,
      id,
      from,
      to,
      on,
      `${on}T03:00:00.000Z`,
      org,
    );
  for (const a of actions)
    await run(
      t,
      `insert into nc_actions (nonconformity_id, type, description, owner_id, due_date, status, completed_on, created_at, updated_at, organisation_id)
       values (?, 'corrective', 'Hành động', ?, ?, ?, ?, ?, ?, ?)`,
      id,
      ownerId,
      a.due,
      a.status,
      a.status === 'done' ? a.due : null,
      AT,
      AT,
      org,
    );
}

let auditSeq = 0;
async function audit(t: TestApp, org: number, leadId: number, start: string, status: string, procedures: number[]): Promise<void> {
  auditSeq += 1;
  const id = await run(
    t,
    `insert into audits (code, year, seq, type, title, lead_auditor_id, planned_start, planned_end, actual_start, status, created_at, updated_at, organisation_id)
     values (?, ?, ?, 'internal', 'Đánh giá', ?, ?, ?, ?, ?, ?, ?, ?)`,
    `DG-${auditSeq}`,
    Number(start.slice(0, 4)),
    auditSeq,
    leadId,
    start,
    start,
    status === 'planned' ? null : start,
    status,
    AT,
    AT,
    org,
  );
  for (const p of procedures) await run(t, `insert into audit_procedures (audit_id, procedure_id, organisation_id) values (?, ?, ?)`, id, p, org);
}

export interface OversightWorld {
  a: OtherOrganisation;
  b: OtherOrganisation;
  c: OtherOrganisation;
  d: OtherOrganisation;
  out: OtherOrganisation;
}

/** The figures the page must show, by code, computed by hand from the rows below. */
export const KNOWN = {
  DV1: { declared: null, documentsDue: 0, audits: 0, openMajor: 0, overdue: 0, resolved: 0, good: 0, rate: null, compliant: 0, attention: 0, nonCompliant: 0 },
  // A1: early 04/03, on time 05/11 (today's month), late 08/05 → 2 of 3; 23/12/2025 is last year's; A1's open major
  // NC makes it non-compliant, A2 (no audit) needs attention; A1's document is due 10/12/2026 (within 30 days).
  SOA: {
    declared: '2026-03-15',
    documentsDue: 1,
    audits: 2,
    openMajor: 1,
    overdue: 1,
    resolved: 3,
    good: 2,
    rate: 2 / 3,
    compliant: 0,
    attention: 1,
    nonCompliant: 1,
  },
  // B1: two resolved (returned on the due date, withdrawn) → 100 %; audited, document reviewed 2027 → compliant.
  SOB: { declared: null, documentsDue: 0, audits: 1, openMajor: 0, overdue: 0, resolved: 2, good: 2, rate: 1, compliant: 1, attention: 0, nonCompliant: 0 },
  // C1 has no procedure document (non-compliant); a document of no procedure is overdue for review; the retired
  // C2's resolved dossier is not counted (the summary lists active procedures only) → no rate.
  SOC: {
    declared: '2025-12-01',
    documentsDue: 1,
    audits: 0,
    openMajor: 0,
    overdue: 1,
    resolved: 0,
    good: 0,
    rate: null,
    compliant: 0,
    attention: 0,
    nonCompliant: 1,
  },
  SOD: { declared: null, documentsDue: 0, audits: 0, openMajor: 0, overdue: 0, resolved: 0, good: 0, rate: null, compliant: 0, attention: 0, nonCompliant: 0 },
} as const;

export async function buildOversightWorld(t: TestApp): Promise<OversightWorld> {
  const a = await addOrganisation(t, 'SOA', { parent: 1, name: 'Sở Khoa học và Công nghệ' });
  const b = await addOrganisation(t, 'SOB', { parent: 1, name: 'Sở Tư pháp' });
  const c = await addOrganisation(t, 'SOC', { parent: 1, name: 'UBND xã Đông Hòa' });
  const d = await addOrganisation(t, 'SOD', { parent: b.id, name: 'Phòng Công chứng số 1' });
  const out = await addOrganisation(t, 'OUT', { name: 'Cơ quan ngoài cây' });
  await run(t, `update organisation set kind = 'department' where id in (?, ?)`, a.id, b.id);
  await run(t, `update organisation set kind = 'commune', qms_declared_on = '2025-12-01' where id = ?`, c.id);
  await run(t, `update organisation set kind = 'province' where id = 1`);

  // SOA
  const a1 = await procedure(t, a.id, 'A1');
  const a2 = await procedure(t, a.id, 'A2');
  await document(t, a.id, a1, 'TL-A1', a.users.quality_officer, '2026-12-10');
  await document(t, a.id, a2, 'TL-A2', a.users.quality_officer, '2027-06-01');
  await dossier(t, a.id, a1, { received: '2026-03-02', due: '2026-03-05', returned: '2026-03-04' });
  await dossier(t, a.id, a1, { received: '2026-11-02', due: '2026-11-05', returned: '2026-11-05' });
  await dossier(t, a.id, a1, { received: '2026-05-04', due: '2026-05-06', returned: '2026-05-08' });
  await dossier(t, a.id, a1, { received: '2025-12-20', due: '2025-12-24', returned: '2025-12-23' });
  await dossier(t, a.id, a1, { received: '2026-11-20', due: '2026-11-30' });
  await nonconformity(t, a.id, a1, 'major', 'open', a.users.staff, [
    { due: '2026-11-20', status: 'planned' },
    { due: '2026-12-05', status: 'in_progress' },
    { due: '2026-10-01', status: 'done' },
  ]);
  await nonconformity(t, a.id, a1, 'minor', 'open', a.users.staff);
  await nonconformity(t, a.id, a1, 'major', 'closed', a.users.staff);
  await audit(t, a.id, a.users.quality_officer, '2026-06-10', 'reported', [a1]);
  await audit(t, a.id, a.users.quality_officer, '2025-11-27', 'closed', [a1]);
  await audit(t, a.id, a.users.quality_officer, '2025-11-26', 'reported', [a1]);
  await audit(t, a.id, a.users.quality_officer, '2026-11-01', 'in_progress', [a1]);

  // SOB
  const b1 = await procedure(t, b.id, 'B1');
  await document(t, b.id, b1, 'TL-B1', b.users.quality_officer, '2027-03-01');
  await dossier(t, b.id, b1, { received: '2026-02-02', due: '2026-02-06', returned: '2026-02-06' });
  await dossier(t, b.id, b1, { received: '2026-06-29', due: '2026-07-03', returned: '2026-07-01', outcome: 'withdrawn' });
  await audit(t, b.id, b.users.quality_officer, '2026-04-01', 'reported', [b1]);

  // SOC
  const c1 = await procedure(t, c.id, 'C1');
  const c2 = await procedure(t, c.id, 'C2', 'retired');
  await document(t, c.id, null, 'TL-C', c.users.quality_officer, '2026-11-01');
  await dossier(t, c.id, c2, { received: '2026-03-02', due: '2026-03-05', returned: '2026-03-04' });
  await nonconformity(t, c.id, c1, 'minor', 'open', c.users.staff, [{ due: '2026-11-25', status: 'planned' }]);

  // OUT: figures that would show if it leaked
  const o1 = await procedure(t, out.id, 'O1');
  await nonconformity(t, out.id, o1, 'major', 'open', out.users.staff, [{ due: '2026-01-05', status: 'planned' }]);
  return { a, b, c, d, out };
}
