import type { AuditCollector, Sqlite } from './db';
import type { People } from './people';
import type { Procedures } from './procedures';
import { Rng, sentence, words, type Days } from './random';

/** 5,000 audits over three years, each covering a few procedures of one unit, with checklists and findings. */
const GRADES = ['major_nc', 'minor_nc', 'minor_nc', 'observation', 'ofi', 'ofi'] as const;

export function generateAudits(
  db: Sqlite,
  rng: Rng,
  days: Days,
  start: number,
  today: number,
  people: People,
  procs: Procedures,
  audit: AuditCollector,
  count: number,
  org: number,
): { audits: number; findings: number } {
  const insertAudit = db.prepare(
    `insert into audits (organisation_id, code, year, seq, type, programme_item_id, follow_up_of, title, objectives, criteria_other, external_body, auditee_unit_id, lead_auditor_id,
       planned_start, planned_end, actual_start, actual_end, status, cancel_reason, conclusion, report_issued_at, closed_at, created_by, version, created_at, updated_at)
     values (?, ?, ?, ?, ?, null, null, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
  );
  const insertTeam = db.prepare(`insert or ignore into audit_team_members (organisation_id, audit_id, user_id) values (?, ?, ?)`);
  const insertProc = db.prepare(`insert or ignore into audit_procedures (organisation_id, audit_id, procedure_id) values (?, ?, ?)`);
  const insertUnit = db.prepare(`insert into audit_units (organisation_id, audit_id, unit_id) values (?, ?, ?)`);
  const insertClause = db.prepare(`insert or ignore into audit_clauses (organisation_id, audit_id, clause) values (?, ?, ?)`);
  const insertItem = db.prepare(
    `insert into audit_checklist_items (organisation_id, audit_id, position, procedure_id, clause, question, result, evidence, statement, found_on, assessed_by, assessed_at, version, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
  );
  const insertFinding = db.prepare(
    `insert into audit_findings (organisation_id, audit_id, seq, checklist_item_id, grade, statement, evidence, clause, procedure_id, found_on, status, created_by, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)`,
  );
  const insertCounter = db.prepare(`insert into audit_code_counters (organisation_id, prefix, year, last_no) values (?, ?, ?, ?)`);
  const byUnit = new Map<number, number[]>();
  procs.unitIds.forEach((u, i) => byUnit.set(u, [...(byUnit.get(u) ?? []), i]));
  const seqOf = new Map<string, number>();
  const auditors = [...people.byRole.quality_officer, ...people.byRole.leader];
  let findings = 0;
  const starts = Array.from({ length: count }, () => start + Math.floor(rng.next() * (today + 60 - start))).sort((a, b) => a - b);
  for (const planned of starts) {
    const type = rng.chance(0.92) ? 'internal' : rng.chance(0.5) ? 'certification' : 'surveillance';
    const prefix = type === 'internal' ? 'ĐGNB' : 'ĐGBN';
    const year = Number(days.of(planned).slice(0, 4));
    const key = `${prefix}|${year}`;
    const seq = (seqOf.get(key) ?? 0) + 1;
    seqOf.set(key, seq);
    const code = `${prefix}-${year}-${String(seq).padStart(2, '0')}`;
    const unitId = rng.pick(people.unitIds);
    const lead = rng.pick(auditors);
    const past = planned + 2 < today;
    const status = !past ? (planned <= today ? 'in_progress' : 'planned') : rng.chance(0.03) ? 'cancelled' : today - planned < 30 ? 'reported' : 'closed';
    const conducted = status !== 'planned' && status !== 'cancelled';
    const actualStart = conducted ? days.of(planned + rng.int(0, 1)) : null;
    const actualEnd = conducted && status !== 'in_progress' ? days.of(planned + 2) : null;
    const createdAt = days.instant(planned - 30, 9 * 60);
    const id = Number(
      insertAudit.run(
        org,
        code,
        year,
        seq,
        type,
        `Đánh giá ${words(rng, 4)}`,
        sentence(rng, 10),
        type === 'internal' ? null : 'Tổ chức chứng nhận',
        unitId,
        lead,
        days.of(planned),
        days.of(planned + 2),
        actualStart,
        actualEnd,
        status,
        status === 'cancelled' ? 'Thay đổi kế hoạch' : null,
        conducted ? sentence(rng, 12) : '',
        status === 'reported' || status === 'closed' ? days.instant(planned + 4, 15 * 60) : null,
        status === 'closed' ? days.instant(planned + 25, 15 * 60) : null,
        rng.pick(people.byRole.quality_officer),
        createdAt,
        createdAt,
      ).lastInsertRowid,
    );
    audit.add(createdAt, lead, 'create', 'audit', id, { code });
    insertTeam.run(org, id, lead);
    insertTeam.run(org, id, rng.pick(auditors));
    insertUnit.run(org, id, unitId);
    const candidates = byUnit.get(unitId) ?? [0];
    const scope: number[] = [];
    for (let k = rng.int(1, 4); k > 0; k--) scope.push(procs.ids[rng.pick(candidates)]);
    for (const p of scope) insertProc.run(org, id, p);
    insertClause.run(org, id, '8.5.1');
    insertClause.run(org, id, rng.pick(['7.5.3', '9.1.2', '10.2']));
    if (!conducted) continue;
    audit.add(days.instant(planned, 8 * 60), lead, 'start', 'audit', id);
    let f = 0;
    for (let pos = 1; pos <= 5; pos++) {
      const p = scope[pos % scope.length];
      const nonConform = rng.chance(0.25);
      const result = nonConform ? rng.pick(GRADES) : 'conform';
      const at = days.instant(planned + 1, 10 * 60);
      const itemId = Number(
        insertItem.run(
          org,
          id,
          pos,
          p,
          '8.5.1',
          `Câu hỏi ${words(rng, 8)}?`,
          result,
          words(rng, 10),
          nonConform ? sentence(rng, 12) : '',
          days.of(planned + 1),
          lead,
          at,
          at,
          at,
        ).lastInsertRowid,
      );
      if (nonConform) {
        insertFinding.run(org, id, ++f, itemId, result, sentence(rng, 14), words(rng, 8), '8.5.1', p, days.of(planned + 1), lead, at, at);
        findings++;
      }
    }
    if (status === 'closed') audit.add(days.instant(planned + 25, 15 * 60), lead, 'close', 'audit', id);
  }
  for (const [key, last] of seqOf) {
    const [prefix, year] = key.split('|') as [string, string];
    insertCounter.run(org, prefix, Number(year), last);
  }
  return { audits: count, findings };
}
