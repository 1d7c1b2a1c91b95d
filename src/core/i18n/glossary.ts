/**
 * The one vocabulary of the interface (issue 20): one term per concept, in Vietnamese (TCVN ISO 9000/9001:2015 and
 * the administrative-procedure regulations, NĐ 118/2025/NĐ-CP, which replaced NĐ 61/2018/NĐ-CP on the one-stop
 * mechanism) and in English. It starts from shared/domain/GLOSSARY.md and extends it where that file is silent.
 *
 * - `vi` / `en`: the term. Catalogs refer to it (`term('quality_officer').vi`) rather than restating it.
 * - `avoid`: Vietnamese variants that must appear in no catalog string; `avoidEn` the same for English.
 * - `marker`: a word that names the concept; a catalog string containing it must also contain the `vi` term
 *   (e.g. any string saying "bưu chính" must say "bưu chính công ích").
 * - `keys`: catalog keys whose text is exactly the term (status, type and role labels).
 * test/foundation/glossary.test.ts checks every catalog against this list.
 *
 * Decisions taken here (issue 20, "One vocabulary"):
 * - Quality officer (role `quality_officer`): "Cán bộ phụ trách ISO" (GLOSSARY.md's term for the role). "Thư ký ISO"
 *   is the secretary of the ISO steering committee, a post the app does not model, so it is not used.
 * - Nonconformity statuses read the same wherever they are shown (the NC register, its filters, the audit findings
 *   that raised an NC, the dashboard): the `nc_status_*` concepts.
 * - Documents: "Hủy bỏ" only for a draft or revision cancelled before it took effect; "Hết hiệu lực" only for a
 *   document withdrawn (obsolete) after it had been effective.
 * - Postal submission: "Qua dịch vụ bưu chính công ích" (NĐ 118/2025); online level none: "Chưa cung cấp trực tuyến".
 * - No "preventive action" (a TCVN ISO 9001:2008 concept): the action type is `risk`, "Hành động giải quyết rủi ro"
 *   (ISO 9001:2015 clause 6.1). Stored rows and new entries use `risk`; audit-log entries written before the change
 *   still say `preventive` and are shown with the new label (see LEGACY_VALUES).
 * - "Lưu ý" names one thing only, the audit finding "Điểm lưu ý" (observation); the compliance status "needs
 *   attention" is "Cần chú ý".
 * - The Sở KH&CN's inspection is an audit type, `inspection`: "Kiểm tra của Sở KH&CN" (code prefix KT).
 */
export interface Concept {
  id: string;
  vi: string;
  en: string;
  /** Vietnamese variants that must not appear in any Vietnamese catalog string (case and Unicode-form insensitive). */
  avoid: string[];
  /** English variants that must not appear in any English catalog string. */
  avoidEn?: string[];
  /** A word naming the concept: a Vietnamese string containing it must contain the term itself. */
  marker?: string;
  /** Catalog keys whose text is exactly the term (in both languages). */
  keys?: string[];
  note?: string;
}

const CONCEPTS: Concept[] = [
  // Roles (src/core/http/roles.ts)
  { id: 'role_admin', vi: 'Quản trị hệ thống', en: 'Administrator', avoid: [], keys: ['role.admin'] },
  {
    id: 'quality_officer',
    vi: 'Cán bộ phụ trách ISO',
    en: 'Quality officer',
    avoid: ['thư ký ISO', 'thư ký chất lượng'],
    avoidEn: ['ISO secretary'],
    keys: ['role.quality_officer'],
    note: 'The role quality_officer. "Thư ký ISO" (secretary of the ISO steering committee) is not a role of the app.',
  },
  { id: 'leader', vi: 'Lãnh đạo', en: 'Leader', avoid: [], keys: ['role.leader'] },
  { id: 'staff', vi: 'Cán bộ, công chức', en: 'Staff', avoid: [], keys: ['role.staff'] },
  {
    id: 'inspector',
    vi: 'Cán bộ kiểm tra (Sở KH&CN)',
    en: 'Inspector',
    avoid: ['thanh tra'],
    avoidEn: [],
    keys: ['role.inspector'],
    note: 'The role inspector: reads the QMS of the organisations under its own (the Department of Science and Technology checks them each year); "thanh tra" is a different legal function.',
  },

  // Nonconformity statuses: one wording in the register, its filters, audit findings and the dashboard.
  {
    id: 'nc_status_reported',
    vi: 'Đã báo cáo, chờ xem xét',
    en: 'Reported, awaiting triage',
    avoid: ['mới báo cáo'],
    keys: ['nonconformities.status.reported', 'audits.nc_status.reported'],
  },
  { id: 'nc_status_open', vi: 'Đã tiếp nhận', en: 'Open', avoid: [], keys: ['nonconformities.status.open', 'audits.nc_status.open'] },
  {
    id: 'nc_status_analysed',
    vi: 'Đã phân tích nguyên nhân',
    en: 'Root cause analysed',
    avoid: [],
    keys: ['nonconformities.status.analysed', 'audits.nc_status.analysed'],
  },
  {
    id: 'nc_status_action_plan',
    vi: 'Lập kế hoạch hành động',
    en: 'Action plan',
    avoid: ['đã lập kế hoạch khắc phục'],
    keys: ['nonconformities.status.action_plan', 'audits.nc_status.action_plan'],
  },
  {
    id: 'nc_status_in_progress',
    vi: 'Đang thực hiện hành động',
    en: 'Actions in progress',
    avoid: [],
    keys: ['nonconformities.status.in_progress', 'audits.nc_status.in_progress'],
  },
  {
    id: 'nc_status_awaiting_verification',
    vi: 'Chờ kiểm tra hiệu lực',
    en: 'Awaiting verification',
    avoid: [],
    keys: ['nonconformities.status.awaiting_verification', 'audits.nc_status.awaiting_verification'],
  },
  { id: 'nc_status_closed', vi: 'Đã đóng', en: 'Closed', avoid: [], keys: ['nonconformities.status.closed', 'audits.nc_status.closed'] },
  { id: 'nc_status_cancelled', vi: 'Đã hủy', en: 'Cancelled', avoid: [], keys: ['nonconformities.status.cancelled', 'audits.nc_status.cancelled'] },
  {
    id: 'nc_status_rejected',
    vi: 'Không chấp nhận',
    en: 'Rejected',
    avoid: [],
    keys: ['nonconformities.status.rejected', 'audits.nc_status.rejected'],
  },

  // Document (revision) statuses
  { id: 'doc_draft', vi: 'Dự thảo', en: 'Draft', avoid: [], keys: ['documents.status.draft'] },
  { id: 'doc_in_review', vi: 'Đang xem xét', en: 'In review', avoid: [], keys: ['documents.status.in_review'] },
  { id: 'doc_approved', vi: 'Đã phê duyệt, chờ hiệu lực', en: 'Approved, not yet effective', avoid: [], keys: ['documents.status.approved'] },
  { id: 'doc_effective', vi: 'Có hiệu lực', en: 'Effective', avoid: [], keys: ['documents.status.effective'] },
  { id: 'doc_superseded', vi: 'Đã được thay thế', en: 'Superseded', avoid: [], keys: ['documents.status.superseded'] },
  {
    id: 'doc_withdrawn',
    vi: 'Hết hiệu lực',
    en: 'Obsolete',
    avoid: ['hủy hiệu lực', 'huỷ hiệu lực', 'bãi bỏ tài liệu', 'thu hồi tài liệu'],
    keys: ['documents.status.withdrawn', 'documents.doc_status.withdrawn'],
    note: 'A document withdrawn after having been effective. Never for a draft cancelled before taking effect.',
  },
  {
    id: 'doc_cancelled',
    vi: 'Đã hủy bỏ',
    en: 'Cancelled',
    avoid: [],
    keys: ['documents.status.cancelled'],
    note: 'A draft or revision cancelled before it took effect ("hủy bỏ"). Never for a withdrawn effective document.',
  },

  // Action types (nonconformities.actions.model.ts)
  { id: 'action_correction', vi: 'Khắc phục tức thời', en: 'Correction', avoid: [], keys: ['actions.type.correction'] },
  { id: 'action_corrective', vi: 'Hành động khắc phục', en: 'Corrective action', avoid: [], keys: ['actions.type.corrective'] },
  {
    id: 'action_risk',
    vi: 'Hành động giải quyết rủi ro',
    en: 'Risk-based action',
    avoid: ['phòng ngừa'],
    avoidEn: ['preventive'],
    keys: ['actions.type.risk'],
    note: 'Replaces the 2008 "preventive action" (ISO 9001:2015 clause 6.1: actions to address risks and opportunities).',
  },
  { id: 'action_improvement', vi: 'Cải tiến', en: 'Improvement', avoid: [], keys: ['actions.type.improvement'] },

  // Audit types and findings
  { id: 'audit_internal', vi: 'Đánh giá nội bộ', en: 'Internal audit', avoid: [], keys: ['audits.type.internal'] },
  { id: 'audit_certification', vi: 'Đánh giá chứng nhận (bên ngoài)', en: 'Certification audit (external)', avoid: [], keys: ['audits.type.certification'] },
  { id: 'audit_surveillance', vi: 'Đánh giá giám sát (bên ngoài)', en: 'Surveillance audit (external)', avoid: [], keys: ['audits.type.surveillance'] },
  {
    id: 'audit_inspection',
    vi: 'Kiểm tra của Sở KH&CN',
    en: 'Inspection by the Department of Science and Technology',
    avoid: ['thanh tra của Sở KH&CN'],
    keys: ['audits.type.inspection'],
    note: 'The provincial Department of Science and Technology inspects the application of the QMS in state agencies.',
  },
  {
    id: 'observation',
    vi: 'Điểm lưu ý',
    en: 'Observation',
    avoid: [],
    marker: 'lưu ý',
    keys: ['audits.result.observation'],
    note: '"Lưu ý" is used for this audit finding only.',
  },
  {
    id: 'compliance_attention',
    vi: 'Cần chú ý',
    en: 'Needs attention',
    avoid: ['cần lưu ý'],
    note: 'The compliance report status between compliant and non-compliant (reports feature).',
  },

  // One-stop submission channels and online levels
  { id: 'channel_direct', vi: 'Trực tiếp', en: 'In person', avoid: [] },
  { id: 'channel_online', vi: 'Trực tuyến', en: 'Online', avoid: [] },
  {
    id: 'channel_postal',
    vi: 'Qua dịch vụ bưu chính công ích',
    en: 'By public postal service',
    avoid: ['qua bưu điện', 'dịch vụ bưu điện'],
    marker: 'bưu chính',
    note: 'NĐ 118/2025/NĐ-CP: submission and return of results "qua dịch vụ bưu chính công ích".',
  },
  { id: 'online_full', vi: 'Toàn trình', en: 'Full online', avoid: ['mức độ 4'] },
  { id: 'online_partial', vi: 'Một phần', en: 'Partly online', avoid: ['mức độ 3'] },
  {
    id: 'online_none',
    vi: 'Chưa cung cấp trực tuyến',
    en: 'Not offered online',
    avoid: ['không trực tuyến', 'chưa trực tuyến', 'không cung cấp trực tuyến'],
  },
  {
    id: 'one_stop_decree',
    vi: 'Nghị định 118/2025/NĐ-CP',
    en: 'Decree 118/2025/ND-CP',
    avoid: ['61/2018'],
    avoidEn: ['61/2018'],
    note: 'NĐ 118/2025 replaced NĐ 61/2018 on the one-stop mechanism.',
  },

  // Terms of GLOSSARY.md with variants seen in the field
  { id: 'qms', vi: 'Hệ thống quản lý chất lượng', en: 'Quality management system', avoid: [] },
  { id: 'nonconformity', vi: 'Sự không phù hợp', en: 'Nonconformity', avoid: [] },
  { id: 'root_cause', vi: 'Nguyên nhân gốc', en: 'Root cause', avoid: ['nguyên nhân gốc rễ'] },
  { id: 'effectiveness_verification', vi: 'Kiểm tra xác nhận hiệu lực', en: 'Effectiveness verification', avoid: [] },
  { id: 'auditor', vi: 'Chuyên gia đánh giá', en: 'Auditor', avoid: ['kiểm toán viên', 'đánh giá viên'] },
  { id: 'checklist', vi: 'Phiếu kiểm tra đánh giá', en: 'Checklist', avoid: ['danh sách kiểm tra'] },
  { id: 'audit_trail', vi: 'Nhật ký hệ thống', en: 'Audit trail', avoid: ['nhật ký kiểm toán'] },
  { id: 'one_stop_unit', vi: 'Bộ phận Một cửa', en: 'One-stop unit', avoid: [] },
  { id: 'management_review', vi: 'Xem xét của lãnh đạo', en: 'Management review', avoid: ['họp xem xét lãnh đạo'] },
];

export const GLOSSARY: readonly Concept[] = Object.freeze(CONCEPTS.map((c) => Object.freeze(c)));

const byId = new Map(GLOSSARY.map((c) => [c.id, c]));

/** The concept of an id; throws on an unknown id, so a typo fails when the catalog is loaded. */
export function term(id: string): Concept {
  const concept = byId.get(id);
  if (!concept) throw new Error(`glossary: unknown concept ${id}`);
  return concept;
}

/**
 * Values stored before a vocabulary change, still present in past audit-log entries (append-only) or files, with
 * the value that replaced them: they are shown with the new value's label.
 */
export const LEGACY_VALUES: Readonly<Record<string, string>> = Object.freeze({ preventive: 'risk' });

/** Text compared by the glossary rules: Unicode NFC, lower case (so "Hủy" in NFD or "HỦY" still matches). */
export function normaliseTerm(text: string): string {
  return text.normalize('NFC').toLocaleLowerCase('vi').replace(/\s+/g, ' ');
}
