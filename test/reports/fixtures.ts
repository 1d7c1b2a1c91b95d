import { rows, type TestApp } from '../support/app';

/**
 * Fixture rows written straight into the other features' tables (their workflows are tested by them):
 * procedures, controlled documents and revisions, dossiers, nonconformities with their status history and
 * actions, audits with findings. Every figure the report tests expect is computed by hand from these.
 */
const AT = '2026-01-01T00:00:00.000Z';

/** Runs a statement on either engine; an insert answers the id of the row it wrote (0 for a table without ids). */
export async function run(t: TestApp, sqlText: string, ...params: unknown[]): Promise<number> {
  const insert = /^\s*insert\b/i.test(sqlText);
  const written = await rows<{ id?: number }>(t, insert ? `${sqlText} returning *` : sqlText, ...params);
  return insert ? Number(written[0]?.id ?? 0) : 0;
}

export async function procedure(
  t: TestApp,
  code: string,
  opts: { target?: number; online?: 'full' | 'partial' | 'none'; field?: string; unitId?: number | null } = {},
): Promise<number> {
  return run(
    t,
    `insert into procedures (code, title, field, online_level, unit_id, on_time_target, search_text, created_at, updated_at, organisation_id)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
    code,
    `Quy trình ${code}`,
    opts.field ?? 'Bảo trợ xã hội',
    opts.online ?? 'none',
    opts.unitId ?? null,
    opts.target ?? 1,
    code.toLowerCase(),
    AT,
    AT,
  );
}

/** A controlled document of type 'procedure' with revisions taken through the workflow to effective (and superseded). */
export async function document(
  t: TestApp,
  procedureId: number,
  code: string,
  revisions: { effectiveFrom: string; nextReviewDue: string; supersededOn?: string }[],
  authorId: number,
): Promise<{ documentId: number; revisionIds: number[] }> {
  const documentId = await run(
    t,
    `insert into documents (code, title, type, procedure_id, ack_scope, search_text, created_at, updated_at, organisation_id) values (?, ?, 'procedure', ?, 'all', ?, ?, ?, 1)`,
    code,
    `Tài liệu ${code}`,
    procedureId,
    code.toLowerCase(),
    AT,
    AT,
  );
  const revisionIds: number[] = [];
  for (const [i, r] of revisions.entries()) {
    const id = await run(
      t,
      `insert into document_revisions (document_id, revision_no, body, change_summary, author_id, created_at, updated_at, organisation_id) values (?, ?, 'Nội dung', ?, ?, ?, ?, 1)`,
      documentId,
      i + 1,
      i === 0 ? null : 'Sửa đổi',
      authorId,
      AT,
      AT,
    );
    await run(t, `update document_revisions set status = 'in_review' where id = ?`, id);
    await run(
      t,
      `update document_revisions set status = 'approved', effective_from = ?, next_review_due = ? where id = ?`,
      r.effectiveFrom,
      r.nextReviewDue,
      id,
    );
    await run(t, `update document_revisions set status = 'effective' where id = ?`, id);
    if (r.supersededOn) await run(t, `update document_revisions set status = 'superseded', superseded_on = ? where id = ?`, r.supersededOn, id);
    revisionIds.push(id);
  }
  return { documentId, revisionIds };
}

let importId: number | undefined;
export async function dossier(
  t: TestApp,
  procedureId: number,
  code: string,
  d: { received: string; due: string; returned?: string; outcome?: 'returned' | 'withdrawn'; channel?: 'direct' | 'online' | 'postal' },
): Promise<number> {
  importId = await run(
    t,
    `insert into dossier_imports (file_name, sha256, via, imported_at, organisation_id) values ('fixture.csv', ?, 'cli', ?, 1)`,
    'a'.repeat(64),
    AT,
  );
  return run(
    t,
    `insert into dossiers (code, procedure_id, received_on, due_on, due_computed, returned_on, outcome, channel, created_import_id, updated_import_id, created_at, updated_at, organisation_id)
     values (?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, 1)`,
    code,
    procedureId,
    d.received,
    d.due,
    d.returned ?? null,
    d.returned ? (d.outcome ?? 'returned') : null,
    d.channel ?? 'direct',
    importId,
    importId,
    AT,
    AT,
  );
}

let ncSeq = 0;
/** A nonconformity with its status history ([to_status, changed_on] in order); `status` is its status now. */
export async function nonconformity(
  t: TestApp,
  procedureId: number | null,
  n: { severity: 'major' | 'minor'; detected: string; status: string; history: [string, string][]; closedOn?: string },
): Promise<number> {
  ncSeq += 1;
  const id = await run(
    t,
    `insert into nonconformities (code, year, seq, title, description, source, severity, procedure_id, detected_on, status, closed_on, created_at, updated_at, organisation_id)
     values (?, 2026, ?, 'NC', 'Mô tả', 'internal_audit', ?, ?, ?, ?, ?, ?, ?, 1)`,
    `NC-2026-${String(ncSeq).padStart(3, '0')}`,
    ncSeq,
    n.severity,
    procedureId,
    n.detected,
    n.status,
    n.closedOn ?? (n.status === 'closed' ? n.history.at(-1)![1] : null),
    AT,
    AT,
  );
  let from: string | null = null;
  for (const [to, on] of n.history) {
    await run(
      t,
      `insert into nc_status_history (nonconformity_id, from_status, to_status, changed_on, changed_at, organisation_id) values (?, ?, ?, ?, ?, 1)`,
      id,
      from,
      to,
      on,
      `${on}T03:00:00.000Z`,
    );
    from = to;
  }
  return id;
}

/** An action of an NC: corrective unless `type` says otherwise; a cancelled one is cancelled on `cancelled` (default: its due date). */
export async function action(
  t: TestApp,
  ncId: number,
  ownerId: number,
  a: {
    due: string;
    status: 'planned' | 'in_progress' | 'done' | 'cancelled';
    completed?: string;
    cancelled?: string;
    type?: 'correction' | 'corrective' | 'risk' | 'improvement';
  },
): Promise<number> {
  return run(
    t,
    `insert into nc_actions (nonconformity_id, type, description, owner_id, due_date, status, completed_on, cancelled_on, cancel_reason, created_at, updated_at, organisation_id)
     values (?, ?, 'Hành động', ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
    ncId,
    a.type ?? 'corrective',
    ownerId,
    a.due,
    a.status,
    a.completed ?? null,
    a.status === 'cancelled' ? (a.cancelled ?? a.due) : null,
    a.status === 'cancelled' ? 'Không cần' : null,
    AT,
    AT,
  );
}

let auditSeq = 0;
export async function audit(
  t: TestApp,
  leadId: number,
  a: {
    start: string;
    status?: string;
    type?: 'internal' | 'certification' | 'surveillance';
    procedures: number[];
    findings?: { grade: string; procedureId: number; withdrawn?: boolean }[];
  },
): Promise<number> {
  auditSeq += 1;
  const id = await run(
    t,
    `insert into audits (code, year, seq, type, title, lead_auditor_id, planned_start, planned_end, actual_start, status, cancel_reason, created_at, updated_at, organisation_id)
     values (?, ?, ?, ?, 'Đánh giá', ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
    `DG-${auditSeq}`,
    Number(a.start.slice(0, 4)),
    auditSeq,
    a.type ?? 'internal',
    leadId,
    a.start,
    a.start,
    a.start,
    a.status ?? 'reported',
    a.status === 'cancelled' ? 'Hủy' : null,
    AT,
    AT,
  );
  for (const p of a.procedures) await run(t, `insert into audit_procedures (audit_id, procedure_id, organisation_id) values (?, ?, 1)`, id, p);
  for (const [i, f] of (a.findings ?? []).entries()) {
    const item = await run(
      t,
      `insert into audit_checklist_items (audit_id, position, procedure_id, question, result, created_at, updated_at, organisation_id) values (?, ?, ?, 'Câu hỏi', ?, ?, ?, 1)`,
      id,
      i + 1,
      f.procedureId,
      f.grade,
      AT,
      AT,
    );
    await run(
      t,
      `insert into audit_findings (audit_id, seq, checklist_item_id, grade, statement, procedure_id, found_on, status, withdrawn_reason, created_at, updated_at, organisation_id)
       values (?, ?, ?, ?, 'Phát hiện', ?, ?, ?, ?, ?, ?, 1)`,
      id,
      i + 1,
      item,
      f.grade,
      f.procedureId,
      a.start,
      f.withdrawn ? 'withdrawn' : 'active',
      f.withdrawn ? 'Nhầm' : null,
      AT,
      AT,
    );
  }
  return id;
}

/** The scenario of the report tests (see the comments in procedure-report.test.ts for the hand-computed answers). */
export async function buildScenario(t: TestApp) {
  const author = t.users.quality_officer;
  const p1 = await procedure(t, 'QT-TEST-01', { target: 0.9, online: 'full', unitId: t.units.main });
  const p2 = await procedure(t, 'QT-TEST-02', { target: 1, online: 'partial', unitId: t.units.other, field: 'Người có công' });
  const p3 = await procedure(t, 'QT-TEST-03', { target: 1, online: 'none', unitId: t.units.main });

  const doc1 = await document(
    t,
    p1,
    'TL-QT-01',
    [
      { effectiveFrom: '2025-01-01', nextReviewDue: '2026-01-01', supersededOn: '2026-02-15' },
      { effectiveFrom: '2026-02-15', nextReviewDue: '2026-03-15' },
    ],
    author,
  );
  await run(
    t,
    `insert into document_acknowledgements (revision_id, document_id, user_id, acknowledged_at, organisation_id) values (?, ?, ?, ?, 1)`,
    doc1.revisionIds[1],
    doc1.documentId,
    t.users.staff,
    '2026-02-20T02:00:00.000Z',
  );
  await document(t, p3, 'TL-QT-03', [{ effectiveFrom: '2026-01-01', nextReviewDue: '2027-01-01' }], author);

  await dossier(t, p1, 'D1', { received: '2025-12-20', due: '2026-01-05', returned: '2026-01-04' });
  await dossier(t, p1, 'D2', { received: '2025-12-28', due: '2026-01-10', returned: '2025-12-30' });
  await dossier(t, p1, 'D3', { received: '2026-01-05', due: '2026-01-15', returned: '2026-01-15', channel: 'online' });
  await dossier(t, p1, 'D4', { received: '2026-01-10', due: '2026-01-20', returned: '2026-01-25' });
  await dossier(t, p1, 'D5', { received: '2026-02-01', due: '2026-02-10', returned: '2026-02-20', outcome: 'withdrawn', channel: 'postal' });
  await dossier(t, p1, 'D6', { received: '2026-03-01', due: '2026-03-20' });
  await dossier(t, p1, 'D7', { received: '2026-03-25', due: '2026-04-05', channel: 'online' });
  await dossier(t, p1, 'D8', { received: '2026-03-30', due: '2026-04-10', returned: '2026-04-02' });
  await dossier(t, p1, 'D9', { received: '2026-04-01', due: '2026-04-10', returned: '2026-04-09', channel: 'online' });
  await dossier(t, p1, 'D10', { received: '2025-11-01', due: '2025-11-20' });
  await dossier(t, p3, 'D11', { received: '2026-01-02', due: '2026-01-10', returned: '2026-01-08' });

  await nonconformity(t, p1, {
    severity: 'major',
    detected: '2025-12-01',
    status: 'closed',
    history: [
      ['open', '2025-12-01'],
      ['closed', '2026-02-01'],
    ],
  });
  const nc2 = await nonconformity(t, p1, {
    severity: 'minor',
    detected: '2026-01-10',
    status: 'in_progress',
    history: [
      ['open', '2026-01-10'],
      ['in_progress', '2026-01-20'],
    ],
  });
  await nonconformity(t, p1, {
    severity: 'major',
    detected: '2026-02-01',
    status: 'in_progress',
    closedOn: '2026-03-01',
    history: [
      ['open', '2026-02-01'],
      ['closed', '2026-03-01'],
      ['in_progress', '2026-04-05'],
    ],
  });
  await nonconformity(t, p1, {
    severity: 'minor',
    detected: '2026-03-10',
    status: 'cancelled',
    history: [
      ['open', '2026-03-10'],
      ['cancelled', '2026-03-15'],
    ],
  });
  await nonconformity(t, p1, { severity: 'minor', detected: '2026-04-02', status: 'open', history: [['open', '2026-04-02']] });
  await nonconformity(t, p1, {
    severity: 'minor',
    detected: '2026-01-05',
    status: 'rejected',
    history: [
      ['reported', '2026-01-05'],
      ['rejected', '2026-01-06'],
    ],
  });
  await nonconformity(t, p2, { severity: 'major', detected: '2026-03-05', status: 'open', history: [['open', '2026-03-05']] });
  const owner = t.users.staff;
  await action(t, nc2, owner, { due: '2026-03-01', status: 'in_progress' });
  await action(t, nc2, owner, { due: '2026-03-01', status: 'done', completed: '2026-02-20' });
  await action(t, nc2, owner, { due: '2026-03-15', status: 'done', completed: '2026-04-03' });
  await action(t, nc2, owner, { due: '2026-03-10', status: 'cancelled' });
  await action(t, nc2, owner, { due: '2026-03-31', status: 'planned' });

  const lead = t.users.quality_officer;
  await audit(t, lead, { start: '2025-03-15', procedures: [p1, p2] });
  await audit(t, lead, {
    start: '2026-02-10',
    procedures: [p1],
    findings: [
      { grade: 'minor_nc', procedureId: p1 },
      { grade: 'observation', procedureId: p1 },
      { grade: 'ofi', procedureId: p1 },
      { grade: 'minor_nc', procedureId: p1, withdrawn: true },
    ],
  });
  await audit(t, lead, { start: '2026-03-01', status: 'cancelled', procedures: [p1], findings: [{ grade: 'major_nc', procedureId: p1 }] });
  await audit(t, lead, { start: '2025-06-01', procedures: [p3] });
  return { p1, p2, p3 };
}
