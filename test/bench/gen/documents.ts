import { createHash } from 'node:crypto';
import { markdownPlainText } from '../../../src/core/files';
import { foldDiacritics } from '../../../src/core/text/fold';
import { cleanIndexText, foldSameLength } from '../../../src/features/documents/documents.text';
import type { AuditCollector, Sqlite } from './db';
import type { People } from './people';
import type { Procedures } from './procedures';
import { Rng, sentence, words, type Days } from './random';

/**
 * 20,000 documents (one main procedure document and five forms per procedure, the rest unit-level instructions,
 * manuals, external documents), about three revisions each: the older ones superseded, the last one effective (a few
 * documents withdrawn, a few with a revision in progress), two signatures per published revision, acknowledgements
 * of the main procedure documents by their unit, and the full-text index of every effective revision.
 */
export interface Documents {
  /** Main procedure document id, index-aligned with procedures.ids. */
  mainDocOf: number[];
  /** Every document id (for links from nonconformities). */
  ids: number[];
  /** Effective revision (id, no) of each document id, when it has one. */
  effective: Map<number, { id: number; no: number }>;
}

const OTHER_TYPES = ['work_instruction', 'work_instruction', 'record_template', 'external', 'manual', 'policy', 'objectives'] as const;

function body(rng: Rng, title: string): string {
  const parts = [
    `# ${title}`,
    '',
    '## 1. Mục đích',
    '',
    sentence(rng, 18),
    sentence(rng, 14),
    '',
    '## 2. Phạm vi áp dụng',
    '',
    sentence(rng, 20),
    '',
    '## 3. Nội dung',
    '',
  ];
  const steps = rng.int(4, 9);
  for (let i = 1; i <= steps; i++) parts.push(`${i}. ${sentence(rng, rng.int(8, 16))}`);
  parts.push('', '## 4. Hồ sơ', '', `- ${words(rng, 5)}`, `- ${words(rng, 6)}`, '');
  return parts.join('\n');
}

export function generateDocuments(
  db: Sqlite,
  rng: Rng,
  days: Days,
  start: number,
  today: number,
  people: People,
  procs: Procedures,
  audit: AuditCollector,
  count: number,
  revisionTarget: number,
  org: number,
): Documents {
  const insertDoc = db.prepare(
    `insert into documents (organisation_id, code, title, type, procedure_id, owner_unit_id, review_interval_months, retention, ack_scope, status, withdrawn_reason, withdrawn_on, search_text, version, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, 12, '5 năm', ?, ?, ?, ?, ?, 1, ?, ?)`,
  );
  const insertRev = db.prepare(
    `insert into document_revisions (organisation_id, document_id, revision_no, status, body, change_summary, author_id, submitted_at, reviewer_id, reviewed_at, approver_id, approved_at,
       effective_from, effective_at, superseded_on, next_review_due, closed_reason, version, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
  );
  const insertSig = db.prepare(
    `insert into e_signatures (organisation_id, entity, entity_id, meaning, user_id, signer_name, signer_role, content_sha256, signed_at) values (?, 'document_revision', ?, ?, ?, ?, ?, ?, ?)`,
  );
  const supersede = db.prepare('update document_revisions set superseded_on = ? where id = ?');
  const insertAck = db.prepare(
    `insert into document_acknowledgements (organisation_id, revision_id, document_id, user_id, acknowledged_at) values (?, ?, ?, ?, ?)`,
  );
  const insertFts = db.prepare(`insert into documents_fts (document_id, code, title, body, title_text, body_text) values (?, ?, ?, ?, ?, ?)`);

  const out: Documents = { mainDocOf: [], ids: [], effective: new Map() };
  const quality = people.byRole.quality_officer;
  const leaders = people.byRole.leader;
  const avgRevisions = revisionTarget / count;
  const formsPerProcedure = Math.max(0, Math.min(5, Math.floor((count * 0.6) / procs.ids.length) - 1));
  const plan: { type: string; procIndex: number | null; unitId: number; code: string }[] = [];
  for (let p = 0; p < procs.ids.length && plan.length < count; p++) {
    plan.push({ type: 'procedure', procIndex: p, unitId: procs.unitIds[p], code: procs.codes[p] });
    for (let f = 1; f <= formsPerProcedure && plan.length < count; f++)
      plan.push({ type: 'form', procIndex: p, unitId: procs.unitIds[p], code: `${procs.codes[p]}/BM-${String(f).padStart(2, '0')}` });
  }
  for (let i = 1; plan.length < count; i++) {
    const unitId = people.unitIds[i % people.unitIds.length];
    const type = OTHER_TYPES[i % OTHER_TYPES.length];
    plan.push({ type, procIndex: null, unitId, code: `TL-${type === 'external' ? 'NB' : 'HD'}-${String(i).padStart(5, '0')}` });
  }

  let wideCount = 0;
  for (const item of plan) {
    const title = `${item.type === 'form' ? 'Biểu mẫu' : item.type === 'procedure' ? 'Quy trình' : 'Tài liệu'} ${words(rng, 5)}`;
    const created = start - rng.int(30, 400);
    const withdrawn = item.procIndex === null && rng.chance(0.02);
    // Everyone reads the province-wide policy, objectives and manual (a dozen documents); units read their own.
    const provinceWide = (item.type === 'policy' || item.type === 'objectives' || item.type === 'manual') && ++wideCount <= 12;
    const ackScope = provinceWide ? 'all' : item.type === 'form' || item.type === 'external' || item.type === 'record_template' ? 'none' : 'owner_unit';
    const revCount = Math.max(1, Math.min(8, Math.round(avgRevisions - 1.5 + rng.next() * 3)));
    const lastEffectiveDay = Math.min(today - 1, created + rng.int(0, today - created));
    const withdrawnOn = withdrawn ? days.of(Math.min(today - 1, lastEffectiveDay + rng.int(10, 200))) : null;
    const procId = item.procIndex === null ? null : procs.ids[item.procIndex];
    const docId = Number(
      insertDoc.run(
        org,
        item.code,
        title,
        item.type,
        procId,
        item.unitId,
        ackScope,
        withdrawn ? 'withdrawn' : 'active',
        withdrawn ? 'Không còn áp dụng' : null,
        withdrawnOn,
        foldDiacritics(`${item.code} ${title}`),
        days.instant(created, 9 * 60),
        days.instant(created, 9 * 60),
      ).lastInsertRowid,
    );
    out.ids.push(docId);
    if (item.type === 'procedure' && item.procIndex !== null) out.mainDocOf[item.procIndex] = docId;
    audit.add(days.instant(created, 9 * 60), rng.pick(quality), 'create', 'document', docId, { code: item.code, title, type: item.type });

    // Published revisions spread between creation and the last effective date; maybe one more in progress.
    const inProgress = !withdrawn && rng.chance(0.05);
    const published = inProgress ? Math.max(1, revCount - 1) : revCount;
    const step = Math.max(1, Math.floor((lastEffectiveDay - created) / published));
    let previous: { id: number; day: number } | undefined;
    for (let no = 1; no <= revCount; no++) {
      const isPublished = no <= published;
      const day = !isPublished ? today - rng.int(1, 20) : no === published ? lastEffectiveDay : Math.min(lastEffectiveDay, created + step * (no - 1));
      const text = body(rng, title);
      const author = rng.pick(people.staffByUnit.get(item.unitId) ?? quality);
      const reviewer = rng.pick(quality);
      const approver = rng.pick(leaders);
      const last = no === published;
      let status: string;
      if (!isPublished) status = rng.pick(['draft', 'in_review', 'approved']);
      else if (!last) status = 'superseded';
      else status = withdrawn ? 'withdrawn' : 'effective';
      const eff = isPublished || status === 'approved' ? days.of(status === 'approved' ? today + rng.int(5, 40) : day) : null;
      // Periodic reviews keep the current revision's next review within the coming year; a few are overdue.
      const reviewed = status === 'effective' && day + 365 < today ? day + 365 * Math.ceil((today - day) / 365) : day + 365;
      const nextReview = isPublished ? days.of(status === 'effective' && rng.chance(0.04) ? today - rng.int(1, 60) : reviewed) : null;
      const subAt = status === 'draft' ? null : days.instant(day - 3, 9 * 60);
      const revAt = status === 'draft' || status === 'in_review' ? null : days.instant(day - 2, 10 * 60);
      const apprAt = isPublished || status === 'approved' ? days.instant(day - 1, 14 * 60) : null;
      const revId = Number(
        insertRev.run(
          org,
          docId,
          no,
          status,
          text,
          no === 1 ? null : `Sửa đổi ${words(rng, 4)}`,
          author,
          subAt,
          revAt ? reviewer : null,
          revAt,
          apprAt ? approver : null,
          apprAt,
          eff,
          isPublished ? days.instant(day, 8 * 60) : null,
          null,
          nextReview,
          null,
          days.instant(day - 5, 9 * 60),
          days.instant(day, 8 * 60),
        ).lastInsertRowid,
      );
      if (previous && isPublished) supersede.run(days.of(day), previous.id);
      if (isPublished) previous = { id: revId, day };
      if (revAt || apprAt) {
        const sha = createHash('sha256').update(text).digest('hex');
        if (revAt) insertSig.run(org, revId, 'reviewed', reviewer, 'Người xem xét', 'quality_officer', sha, revAt);
        if (apprAt) insertSig.run(org, revId, 'approved', approver, 'Người phê duyệt', 'leader', sha, apprAt);
      }
      audit.add(days.instant(day - 5, 9 * 60), author, 'create', 'document_revision', revId, { revision_no: no });
      if (apprAt) audit.add(apprAt, approver, 'approve', 'document_revision', revId, { status: isPublished ? 'effective' : 'approved' });
      if (status === 'effective') {
        out.effective.set(docId, { id: revId, no });
        const cleanTitle = cleanIndexText(title);
        const plain = cleanIndexText(markdownPlainText(text));
        insertFts.run(docId, foldSameLength(item.code), foldSameLength(cleanTitle), foldSameLength(plain), cleanTitle, plain);
        if (ackScope !== 'none') {
          const readers = ackScope === 'all' ? [...people.unitOf.keys()] : (people.staffByUnit.get(item.unitId) ?? []);
          for (const userId of readers) {
            if (rng.chance(0.8)) insertAck.run(org, revId, docId, userId, days.instant(Math.min(today - 1, day + rng.int(0, 20)), 10 * 60));
          }
        }
      }
    }
  }
  return out;
}
