import type { AuditCollector, Sqlite } from './db';
import type { Documents } from './documents';
import type { People } from './people';
import type { Procedures } from './procedures';
import { Rng, sentence, weighted, words, type Days } from './random';

/**
 * 100,000 nonconformities over three years with their status history (every transition), verifications and
 * 250,000 actions. Old NCs are mostly closed; recent ones are spread over the workflow, with overdue actions.
 */
const SOURCES = [
  'internal_audit',
  'external_audit',
  'complaint',
  'process_monitoring',
  'overdue_dossier',
  'management_review',
  'staff_report',
  'other',
] as const;
const SOURCE_WEIGHTS = [25, 5, 15, 25, 15, 3, 10, 2];
const CAUSES = ['people', 'method', 'document', 'equipment_it', 'environment', 'external'] as const;
const CLAUSES = ['7.1.5', '7.2', '7.5.3', '8.1', '8.2.1', '8.5.1', '8.5.2', '8.7', '9.1.2', '10.2'];
const PATH = ['open', 'analysed', 'action_plan', 'in_progress', 'awaiting_verification', 'closed'] as const;

export interface NcSummary {
  ncs: number;
  actions: number;
  history: number;
}

export function generateNonconformities(
  db: Sqlite,
  rng: Rng,
  days: Days,
  start: number,
  today: number,
  people: People,
  procs: Procedures,
  docs: Documents,
  audit: AuditCollector,
  count: number,
  actionTarget: number,
  org: number,
): NcSummary {
  const insertNc = db.prepare(
    `insert into nonconformities (organisation_id, code, year, seq, title, description, source, severity, procedure_id, clause, document_id, revision_id, revision_no, detected_on, reported_by,
       responsible_unit_id, responsible_user_id, status, root_cause, cause_category, whys, analysed_on, repeat_of_id, opened_on, verify_due_on, closed_on, cancelled_on,
       status_reason, reopen_count, created_by, version, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, null, ?, ?, ?, ?, ?, 0, ?, 1, ?, ?)`,
  );
  const insertHistory = db.prepare(
    `insert into nc_status_history (organisation_id, nonconformity_id, from_status, to_status, changed_on, changed_at, changed_by, reason) values (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertVerification = db.prepare(
    `insert into nc_verifications (organisation_id, nonconformity_id, result, note, verified_by, verified_on, verified_at) values (?, ?, 'effective', 'Đã kiểm tra, hành động có hiệu lực', ?, ?, ?)`,
  );
  const insertAction = db.prepare(
    `insert into nc_actions (organisation_id, nonconformity_id, type, kind, document_id, description, owner_id, due_date, status, started_on, completed_on, completed_by, completion_note,
       cancelled_on, cancel_reason, created_by, version, created_at, updated_at)
     values (?, ?, ?, 'general', null, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
  );
  const insertCounter = db.prepare(`insert into nc_counters (organisation_id, year, last_no) values (?, ?, ?)`);

  const pickSource = weighted(SOURCE_WEIGHTS);
  const pickProcedure = weighted(procs.weights.map((w) => Math.sqrt(w)));
  const seqOf = new Map<number, number>();
  const quality = people.byRole.quality_officer;
  const span = today - start;
  const actionsPerNc = actionTarget / (count * 0.88);
  let actions = 0;
  let history = 0;
  // Detected dates in time order, so ids and codes grow with time as they would in use.
  const detected = Array.from({ length: count }, () => start + Math.floor(rng.next() * span)).sort((a, b) => a - b);

  for (const day of detected) {
    const year = Number(days.of(day).slice(0, 4));
    const seq = (seqOf.get(year) ?? 0) + 1;
    seqOf.set(year, seq);
    const code = `NC-${year}-${String(seq).padStart(3, '0')}`;
    const source = SOURCES[pickSource(rng.next())];
    const p = rng.chance(0.85) ? pickProcedure(rng.next()) : null;
    const unitId = p === null ? rng.pick(people.unitIds) : procs.unitIds[p];
    const staff = people.staffByUnit.get(unitId) ?? quality;
    const responsible = rng.pick(staff);
    const reporter = source === 'staff_report' ? rng.pick(staff) : rng.pick(quality);
    const docId = p !== null && rng.chance(0.25) ? docs.mainDocOf[p] : undefined;
    const rev = docId === undefined ? undefined : docs.effective.get(docId);
    const age = today - day;
    // How far along the workflow it got (index into PATH), or an end state.
    let end: 'closed' | 'cancelled' | 'rejected' | (typeof PATH)[number];
    const r = rng.next();
    if (source === 'staff_report' && r < 0.08) end = 'rejected';
    else if (r < 0.12) end = 'cancelled';
    else if (age > 200) end = r < 0.97 ? 'closed' : rng.pick(PATH.slice(0, 5));
    else end = age < 15 ? rng.pick(['open', 'open', 'analysed']) : rng.pick([...PATH, 'closed', 'closed']);
    const steps: { status: string; day: number }[] = [];
    let d = day;
    if (source === 'staff_report') steps.push({ status: 'reported', day: d });
    if (end !== 'rejected') {
      const last = end === 'cancelled' ? rng.int(0, 3) : PATH.indexOf(end);
      for (let i = 0; i <= last; i++) {
        if (i > 0) d = Math.min(today - 1, d + rng.int(1, Math.max(2, Math.floor(age / (last + 2)))));
        steps.push({ status: PATH[i], day: d });
      }
      if (end === 'cancelled') steps.push({ status: 'cancelled', day: (d = Math.min(today - 1, d + rng.int(1, 10))) });
    } else steps.push({ status: 'rejected', day: (d = Math.min(today - 1, d + rng.int(1, 5))) });
    const status = steps[steps.length - 1].status;
    const at = (x: number) => days.instant(x, 8 * 60 + rng.int(0, 540));
    const analysed = steps.find((s) => s.status === 'analysed');
    const opened = steps.find((s) => s.status === 'open');
    const awaiting = steps.find((s) => s.status === 'awaiting_verification');
    const closedOn = status === 'closed' ? days.of(d) : null;
    const createdAt = at(day);
    const id = Number(
      insertNc.run(
        org,
        code,
        year,
        seq,
        `${words(rng, 7)}`,
        sentence(rng, 25),
        source,
        rng.chance(0.15) ? 'major' : 'minor',
        p === null ? null : procs.ids[p],
        rng.pick(CLAUSES),
        docId ?? null,
        rev?.id ?? null,
        rev?.no ?? null,
        days.of(day),
        reporter,
        unitId,
        responsible,
        status,
        analysed ? sentence(rng, 12) : null,
        analysed ? rng.pick(CAUSES) : null,
        analysed ? days.of(analysed.day) : null,
        opened ? days.of(opened.day) : null,
        awaiting ? days.of(awaiting.day + 30) : null,
        closedOn,
        status === 'cancelled' ? days.of(d) : null,
        status === 'cancelled' || status === 'rejected' ? 'Không đủ căn cứ' : null,
        rng.pick(quality),
        createdAt,
        at(d),
      ).lastInsertRowid,
    );
    audit.add(createdAt, reporter, 'create', 'nonconformity', id, { code, source });
    let from: string | null = null;
    for (const s of steps) {
      const changedAt = s.day === day ? createdAt : at(s.day);
      const by = rng.pick(quality);
      insertHistory.run(org, id, from, s.status, days.of(s.day), changedAt, by, s.status === 'cancelled' || s.status === 'rejected' ? 'Không đủ căn cứ' : null);
      if (from !== null) audit.add(changedAt, by, 'transition', 'nonconformity', id, { from, to: s.status });
      from = s.status;
      history++;
    }
    if (status === 'closed') insertVerification.run(org, id, rng.pick(quality), days.of(d), at(d));

    // Actions once there is an action plan.
    const planned = steps.find((s) => s.status === 'action_plan');
    if (!planned) continue;
    const n = Math.max(1, Math.round(actionsPerNc - 1 + rng.next() * 2));
    for (let k = 0; k < n; k++) {
      const due = planned.day + rng.int(10, 60);
      let aStatus: string;
      if (status === 'closed' || status === 'awaiting_verification') aStatus = rng.chance(0.05) ? 'cancelled' : 'done';
      else if (status === 'cancelled') aStatus = 'cancelled';
      else aStatus = rng.pick(['planned', 'in_progress', 'in_progress', 'done']);
      const startedOn = aStatus === 'planned' ? null : days.of(Math.min(today - 1, planned.day + rng.int(0, 5)));
      const doneDay = Math.min(today - 1, Math.max(planned.day + 1, due + rng.int(-15, 10)));
      const finishedDay = status === 'closed' || status === 'awaiting_verification' ? Math.min(doneDay, (awaiting ?? steps[steps.length - 1]).day) : doneDay;
      const owner = rng.pick(staff);
      const actionId = Number(
        insertAction.run(
          org,
          id,
          rng.pick(['correction', 'corrective', 'corrective', 'risk', 'improvement']),
          sentence(rng, 12),
          owner,
          days.of(due),
          aStatus,
          startedOn,
          aStatus === 'done' ? days.of(finishedDay) : null,
          aStatus === 'done' ? owner : null,
          aStatus === 'done' ? 'Đã thực hiện' : null,
          aStatus === 'cancelled' ? days.of(finishedDay) : null,
          aStatus === 'cancelled' ? 'Không còn cần thiết' : null,
          rng.pick(quality),
          at(planned.day),
          at(planned.day),
        ).lastInsertRowid,
      );
      audit.add(at(planned.day), rng.pick(quality), 'create', 'nc_action', actionId, { nc_code: code, due_date: days.of(due) });
      if (aStatus === 'done') audit.add(at(finishedDay), owner, 'complete', 'nc_action', actionId);
      actions++;
    }
  }
  for (const [year, last] of seqOf) insertCounter.run(org, year, last);
  return { ncs: count, actions, history };
}
