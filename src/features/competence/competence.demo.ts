import { todayLocal } from '../../core/calendar';
import { storeFile } from '../../core/files';
import { onePagePdf } from '../../core/files/demo-pdf';
import type { AppContext } from '../../core/context';
import type { DemoContext } from '../demo-context';
import { TOP_CLAUSES } from './competence.planning';
import { attachCertificate, createTraining, grantClause, type TrainingInput } from './competence.service';

/**
 * Demo competence: the internal-auditor courses of the demo auditors — the lead (danhgia) also took the lead-auditor
 * course, the team member's (admin) certificate expired last year, so the audits he is on warn about it —, the
 * quality officer's course, an ISO awareness session for every person of the office this year, and the matrix:
 * the lead may audit every clause, the member clauses 7 to 9 (the demo audits' 7.5, 8.5.1, 8.7, 9.2).
 */
const ISSUER = 'Trung tâm Năng suất Việt Nam (Tổng cục Tiêu chuẩn Đo lường Chất lượng)';

export async function seedCompetence(demo: DemoContext): Promise<void> {
  const { users } = demo;
  const today = todayLocal(demo.now, demo.ctx.config.timeZone);
  const year = Number(today.slice(0, 4));
  const on = (date: string): AppContext => {
    const at = new Date(`${date}T02:00:00Z`);
    return { ...demo.ctx, clock: { now: () => (at > demo.now ? demo.now : at) } };
  };
  const thuky = users.thuky?.id;
  const actor = thuky ?? demo.byRole.admin;
  const course = (userId: number, kind: TrainingInput['kind'], title: string, heldOn: string, expiresOn: string | null, no: string): TrainingInput => ({
    user_id: userId,
    kind,
    title,
    held_on: heldOn,
    issuer: ISSUER,
    hours: kind === 'lead_auditor' ? 40 : 24,
    certificate_no: no,
    expires_on: expiresOn,
  });
  const internal = 'Đào tạo chuyên gia đánh giá nội bộ HTQLCL theo TCVN ISO 9001:2015';
  const records: TrainingInput[] = [];
  if (users.danhgia) {
    records.push(course(users.danhgia.id, 'internal_auditor', internal, `${year - 2}-03-15`, `${year + 1}-03-14`, `NSVN-${year - 2}-0312`));
    records.push(
      course(
        users.danhgia.id,
        'lead_auditor',
        'Đào tạo trưởng đoàn đánh giá HTQLCL theo TCVN ISO 9001:2015',
        `${year - 1}-08-20`,
        `${year + 2}-08-19`,
        `NSVN-${year - 1}-0877`,
      ),
    );
  }
  if (users.admin) records.push(course(users.admin.id, 'internal_auditor', internal, `${year - 4}-10-12`, `${year - 1}-10-11`, `NSVN-${year - 4}-1045`));
  if (thuky) records.push(course(thuky, 'internal_auditor', internal, `${year - 1}-04-10`, `${year + 2}-04-09`, `NSVN-${year - 1}-0433`));
  for (const r of records) {
    const id = await createTraining(on(r.held_on), r, actor);
    if (r.kind === 'lead_auditor') {
      const pdf = onePagePdf(
        `BT /F1 16 Tf 72 760 Td (CHUNG CHI so ${r.certificate_no}) Tj 0 -28 Td /F1 12 Tf (Truong doan danh gia HTQLCL TCVN ISO 9001:2015) Tj ET`,
      );
      const file = await storeFile(demo.ctx, { buffer: pdf }, `Chung chi ${r.certificate_no}.pdf`);
      await attachCertificate(on(r.held_on), id, { sha256: file.sha256, name: file.originalName }, actor);
    }
  }

  // ISO awareness for every person of the office this year (held in March, or today early in the year).
  const awareness = `${year}-03-18` < today ? `${year}-03-18` : today;
  for (const u of Object.values(users)) {
    if (u.role === 'inspector') continue;
    await createTraining(
      on(awareness),
      {
        user_id: u.id,
        kind: 'iso_awareness',
        title: 'Phổ biến TCVN ISO 9001:2015 và HTQLCL của cơ quan',
        held_on: awareness,
        issuer: 'Ban chỉ đạo ISO huyện Nghĩa Hưng',
        hours: 4,
        certificate_no: '',
        expires_on: null,
      },
      actor,
    );
  }

  const grantedOn = `${year}-01-05` < today ? `${year}-01-05` : today;
  const grants: [number | undefined, readonly string[]][] = [
    [users.danhgia?.id, TOP_CLAUSES],
    [users.admin?.id, ['7', '8', '9']],
    [thuky, ['4', '5', '6', '9', '10']],
  ];
  for (const [userId, clauses] of grants) {
    if (userId === undefined) continue;
    for (const clause of clauses) await grantClause(on(grantedOn), { userId, clause, grantedOn }, actor);
  }
  demo.log(`Competence: ${records.length} auditor courses, ISO awareness for ${Object.keys(users).length} people, the auditors' matrix.`);
}
