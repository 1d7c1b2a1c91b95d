import { foldDiacritics } from '../../../src/core/text/fold';
import type { AuditCollector, Sqlite } from './db';

/**
 * The organisations the generated rows belong to. BENCH_ORGS=1 (the default): the one office of every earlier run,
 * organisation 1, exactly as before. BENCH_ORGS=N > 1: a province (kind province) with N organisations under it,
 * the province's departments (Sở) and communes (xã, phường; the two-level local government since 2025, no
 * districts), each with its own units, users, procedures and records. Organisation 1 is the first of them (the
 * province's public-service centre, the busiest), whose users the benchmark's pages sign in as; the province is
 * organisation 2 and holds no QMS of its own, only its inspector (or admin). The records are spread by weight: a
 * department about three times a commune's share, the centre eight.
 */
export interface Org {
  id: number;
  code: string;
  name: string;
  kind: 'office' | 'department' | 'commune';
  /** Its share of every generated table's rows (the shares add up to 1). */
  share: number;
  /** Prefix of its users' usernames: none for organisation 1 (admin1, quality1 … as before), else its code's. */
  userPrefix: string;
}

export const PROVINCE = { code: 'NINHBINH', name: 'UBND tỉnh Ninh Bình', parentAgency: 'CHÍNH PHỦ' };

const DEPARTMENTS = [
  'Sở Nội vụ',
  'Sở Tư pháp',
  'Sở Tài chính',
  'Sở Xây dựng',
  'Sở Y tế',
  'Sở Giáo dục và Đào tạo',
  'Sở Nông nghiệp và Môi trường',
  'Sở Công Thương',
  'Sở Khoa học và Công nghệ',
  'Sở Văn hóa, Thể thao và Du lịch',
  'Sở Dân tộc và Tôn giáo',
  'Sở Ngoại vụ',
  'Thanh tra tỉnh',
  'Ban Quản lý các khu công nghiệp tỉnh',
  'Văn phòng UBND tỉnh',
  'Bảo hiểm xã hội tỉnh',
  'Công an tỉnh (phòng Cảnh sát quản lý hành chính)',
  'Quỹ Đầu tư phát triển tỉnh',
  'Ban Quản lý dự án đầu tư xây dựng tỉnh',
];

const COMMUNES = [
  'phường Hoa Lư',
  'phường Nam Hoa Lư',
  'phường Tây Hoa Lư',
  'phường Đông Hoa Lư',
  'phường Tam Điệp',
  'phường Trung Sơn',
  'phường Yên Sơn',
  'phường Nam Định',
  'phường Thiên Trường',
  'phường Đông A',
  'phường Vị Khê',
  'phường Thành Nam',
  'phường Trường Thi',
  'phường Hồng Quang',
  'phường Mỹ Lộc',
  'phường Phủ Lý',
  'phường Châu Sơn',
  'phường Phù Vân',
  'phường Duy Tiên',
  'phường Đồng Văn',
  'phường Kim Bảng',
  'phường Tam Chúc',
  'phường Liêm Tuyền',
  'xã Gia Hưng',
  'xã Gia Phong',
  'xã Gia Vân',
  'xã Gia Trấn',
  'xã Đại Hoàng',
  'xã Trường Yên',
  'xã Nho Quan',
  'xã Gia Lâm',
  'xã Gia Tường',
  'xã Phú Sơn',
  'xã Cúc Phương',
  'xã Phú Long',
  'xã Thanh Sơn',
  'xã Quỳnh Lưu',
  'xã Yên Khánh',
  'xã Khánh Nhạc',
  'xã Khánh Thiện',
  'xã Khánh Hội',
  'xã Khánh Trung',
  'xã Kim Sơn',
  'xã Quang Thiện',
  'xã Chất Bình',
  'xã Phát Diệm',
  'xã Lai Thành',
  'xã Định Hóa',
  'xã Bình Minh',
  'xã Kim Đông',
  'xã Yên Mô',
  'xã Yên Từ',
  'xã Yên Mạc',
  'xã Đồng Thái',
  'xã Hiển Khánh',
  'xã Liên Minh',
  'xã Minh Tân',
  'xã Ý Yên',
  'xã Yên Đồng',
  'xã Yên Cường',
  'xã Vạn Thắng',
  'xã Vũ Dương',
  'xã Tân Minh',
  'xã Phong Doanh',
  'xã Nam Trực',
  'xã Nam Minh',
  'xã Nam Đồng',
  'xã Nam Ninh',
  'xã Nam Hồng',
  'xã Cổ Lễ',
  'xã Ninh Giang',
  'xã Hải Hậu',
  'xã Hải Anh',
  'xã Hải Tiến',
  'xã Hải Hưng',
  'xã Hải An',
  'xã Hải Quang',
  'xã Hải Xuân',
  'xã Hải Thịnh',
  'xã Giao Thủy',
  'xã Giao Minh',
  'xã Giao Hòa',
  'xã Giao Phúc',
  'xã Giao Hưng',
  'xã Giao Bình',
  'xã Giao Ninh',
  'xã Quất Lâm',
  'xã Xuân Trường',
  'xã Xuân Hưng',
  'xã Xuân Giang',
  'xã Xuân Hồng',
  'xã Trực Ninh',
  'xã Cát Thành',
  'xã Ninh Cường',
  'xã Quang Hưng',
  'xã Minh Thái',
  'xã Nghĩa Hưng',
  'xã Rạng Đông',
  'xã Đồng Thịnh',
  'xã Nghĩa Sơn',
  'xã Hồng Phong',
  'xã Quỹ Nhất',
  'xã Nghĩa Lâm',
  'xã Lý Nhân',
  'xã Bình Lục',
  'xã Thanh Liêm',
  'xã Liêm Hà',
  'xã Kiện Khê',
  'xã Bình Giang',
  'xã Bình An',
  'xã Bắc Lý',
  'xã Nam Xang',
  'xã Trần Thương',
  'xã Vĩnh Trụ',
  'xã Nhân Hà',
  'xã Nam Lý',
];

/** A code from a name, without diacritics, upper case: "xã Gia Hưng" → "X.GIAHUNG", "Sở Tư pháp" → "STP". */
function codeOf(name: string, kind: 'department' | 'commune'): string {
  const folded = foldDiacritics(name).toUpperCase();
  if (kind === 'commune') {
    const [word, ...rest] = folded.split(' ');
    return `${word === 'PHUONG' ? 'P' : 'X'}.${rest.join('').replace(/[^A-Z0-9]/g, '')}`;
  }
  const initials = folded
    .replace(/\(.*\)/, '')
    .split(/[\s,]+/)
    .filter((w) => w.length > 0 && !['VA', 'CAC'].includes(w))
    .map((w) => w[0])
    .join('');
  return initials;
}

/** The organisations holding the generated data (ids 1, 3, 4 … when there are several: the province is 2). */
export function planOrganisations(count: number): Org[] {
  if (count <= 1) return [{ id: 1, code: 'DV1', name: 'Trung tâm Phục vụ hành chính công tỉnh', kind: 'office', share: 1, userPrefix: '' }];
  const departments = Math.min(DEPARTMENTS.length, Math.max(1, Math.round((count - 1) / 6)));
  const communes = count - 1 - departments;
  if (communes > COMMUNES.length) throw new Error(`BENCH_ORGS: at most ${DEPARTMENTS.length + COMMUNES.length + 1} organisations`);
  const plan: Omit<Org, 'share' | 'userPrefix'>[] = [{ id: 1, code: 'TTPVHCC', name: 'Trung tâm Phục vụ hành chính công tỉnh', kind: 'department' }];
  DEPARTMENTS.slice(0, departments).forEach((name) => plan.push({ id: plan.length + 2, code: codeOf(name, 'department'), name, kind: 'department' }));
  COMMUNES.slice(0, communes).forEach((name) => plan.push({ id: plan.length + 2, code: codeOf(name, 'commune'), name: `UBND ${name}`, kind: 'commune' }));
  const codes = new Set<string>();
  for (const o of plan) {
    while (codes.has(o.code)) o.code = `${o.code}2`;
    codes.add(o.code);
  }
  const weight = (o: (typeof plan)[number]) => (o.id === 1 ? 8 : o.kind === 'department' ? 3 : 1);
  const total = plan.reduce((s, o) => s + weight(o), 0);
  return plan.map((o) => ({ ...o, share: weight(o) / total, userPrefix: o.id === 1 ? '' : `${o.code.toLowerCase()}.` }));
}

const hasColumn = (db: Sqlite, table: string, column: string) =>
  (db.prepare(`select 1 from pragma_table_info(?) where name = ?`).get(table, column) ?? null) !== null;

/**
 * Writes the organisations: organisation 1's settings (as every earlier run did), and with several, the province
 * (id 2) and the others under it, each with its settings (its head as signer) and, where the schema has it, the date
 * it declared its QMS (three in four have).
 */
export function writeOrganisations(db: Sqlite, orgs: Org[], at: string, audit: AuditCollector): void {
  audit.organisationId = 1;
  db.prepare(
    `insert into organisation (id, name, parent_agency, place_name, report_number_suffix, signer_title, signer_name, time_zone, recipients, not_applicable_clauses, version, updated_at)
     values (1, 'Trung tâm Phục vụ hành chính công tỉnh', 'UBND TỈNH NINH BÌNH', 'Ninh Bình', 'TTPVHCC', 'GIÁM ĐỐC', 'Nguyễn Văn Giám', 'Asia/Ho_Chi_Minh', 'Như trên', '[]', 1, ?)
     on conflict (id) do update set name = excluded.name, parent_agency = excluded.parent_agency, place_name = excluded.place_name,
       report_number_suffix = excluded.report_number_suffix, signer_title = excluded.signer_title, signer_name = excluded.signer_name,
       time_zone = excluded.time_zone, recipients = excluded.recipients, updated_at = excluded.updated_at`,
  ).run(at);
  audit.add(at, null, 'update', 'organisation', 1, { name: 'Trung tâm Phục vụ hành chính công tỉnh' });
  if (orgs.length <= 1) return;
  const declared = hasColumn(db, 'organisation', 'qms_declared_on');
  const insert = db.prepare(
    `insert into organisation (id, code, name, parent_id, kind, status, parent_agency, place_name, report_number_suffix, signer_title, signer_name, time_zone,
       recipients, not_applicable_clauses, version, created_at, updated_at)
     values (?, ?, ?, ?, ?, 'active', ?, 'Ninh Bình', ?, ?, ?, 'Asia/Ho_Chi_Minh', 'Như trên', '[]', 1, ?, ?)`,
  );
  insert.run(2, PROVINCE.code, PROVINCE.name, null, 'province', PROVINCE.parentAgency, 'UBND', 'CHỦ TỊCH', 'Phạm Quang Ngọc', at, at);
  audit.organisationId = 2;
  audit.add(at, null, 'create', 'organisation', 2, { code: PROVINCE.code, name: PROVINCE.name, kind: 'province' });
  db.prepare(`update organisation set code = ?, parent_id = 2, kind = 'department', created_at = ? where id = 1`).run(orgs[0].code, at);
  const setDeclared = declared ? db.prepare('update organisation set qms_declared_on = ? where id = ?') : undefined;
  for (const o of orgs) {
    if (o.id !== 1) {
      const suffix = o.code.replace(/^[XP]\./, '');
      const commune = o.kind === 'commune';
      insert.run(o.id, o.code, o.name, 2, o.kind, 'UBND TỈNH NINH BÌNH', suffix, commune ? 'CHỦ TỊCH' : 'GIÁM ĐỐC', 'Nguyễn Văn An', at, at);
      audit.organisationId = o.id;
      audit.add(at, null, 'create', 'organisation', o.id, { code: o.code, name: o.name, kind: o.kind, parent: PROVINCE.code });
    }
    if (setDeclared && o.id % 4 !== 0) setDeclared.run(`20${22 + (o.id % 3)}-0${1 + (o.id % 9)}-15`, o.id);
  }
}
