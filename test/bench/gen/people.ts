import type { Role } from '../../../src/core/db/schema';
import type { AuditCollector, Sqlite } from './db';
import { Rng, words, type Days } from './random';

/** Organisation, 50 units, 1,000 users (one password hash for all), and three years of public holidays. */
export interface People {
  unitIds: number[];
  /** Users by role; staff also by unit. */
  byRole: Record<Role, number[]>;
  staffByUnit: Map<number, number[]>;
  unitOf: Map<number, number | null>;
  /** The usernames the benchmark signs in with, one per role. */
  benchUsers: Record<Role, string>;
}

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương'];
const MIDDLE = ['Văn', 'Thị', 'Minh', 'Hữu', 'Đức', 'Thanh', 'Ngọc', 'Quốc', 'Thu', 'Hoài'];
const GIVEN = [
  'An',
  'Bình',
  'Châu',
  'Dũng',
  'Giang',
  'Hà',
  'Hải',
  'Hạnh',
  'Hùng',
  'Lan',
  'Linh',
  'Long',
  'Mai',
  'Nam',
  'Phương',
  'Quân',
  'Sơn',
  'Tâm',
  'Thảo',
  'Trang',
  'Tuấn',
  'Yến',
];

export function generatePeople(
  db: Sqlite,
  rng: Rng,
  days: Days,
  start: number,
  audit: AuditCollector,
  passwordHash: string,
  userCount: number,
  unitCount: number,
): People {
  const at = days.instant(start - 30, 8 * 60);
  db.prepare(
    `insert into organisation (id, name, parent_agency, place_name, report_number_suffix, signer_title, signer_name, time_zone, recipients, not_applicable_clauses, version, updated_at)
     values (1, 'Trung tâm Phục vụ hành chính công tỉnh', 'UBND TỈNH NINH BÌNH', 'Ninh Bình', 'TTPVHCC', 'GIÁM ĐỐC', 'Nguyễn Văn Giám', 'Asia/Ho_Chi_Minh', 'Như trên', '[]', 1, ?)
     on conflict (id) do update set name = excluded.name, parent_agency = excluded.parent_agency, place_name = excluded.place_name,
       report_number_suffix = excluded.report_number_suffix, signer_title = excluded.signer_title, signer_name = excluded.signer_name,
       time_zone = excluded.time_zone, recipients = excluded.recipients, updated_at = excluded.updated_at`,
  ).run(at);
  audit.add(at, null, 'update', 'organisation', 1, { name: 'Trung tâm Phục vụ hành chính công tỉnh' });

  const insertUnit = db.prepare(`insert into units (code, name, active, version, created_at, updated_at) values (?, ?, 1, 1, ?, ?)`);
  const unitIds: number[] = [];
  for (let i = 1; i <= unitCount; i++) {
    const code = `DV${String(i).padStart(2, '0')}`;
    const id = Number(insertUnit.run(code, `Phòng ${words(rng, 3)} ${i}`, at, at).lastInsertRowid);
    unitIds.push(id);
    audit.add(at, null, 'create', 'unit', id, { code });
  }

  const insertUser = db.prepare(
    `insert into users (username, full_name, role, unit_id, email, position_title, password_hash, active, password_changed_at, version, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, 1, ?, 1, ?, ?)`,
  );
  const byRole: Record<Role, number[]> = { admin: [], quality_officer: [], leader: [], staff: [], inspector: [] };
  const staffByUnit = new Map<number, number[]>();
  const unitOf = new Map<number, number | null>();
  const benchUsers = { admin: 'admin1', quality_officer: 'quality1', leader: 'leader1', staff: 'staff1' } as Record<Role, string>;
  const counts: [Role, string, number][] = [
    ['admin', 'admin', 3],
    ['quality_officer', 'quality', Math.max(2, Math.round(userCount * 0.02))],
    ['leader', 'leader', Math.max(2, Math.round(userCount * 0.06))],
  ];
  counts.push(['staff', 'staff', Math.max(4, userCount - counts.reduce((s, c) => s + c[2], 0))]);
  for (const [role, prefix, n] of counts) {
    for (let i = 1; i <= n; i++) {
      const unitId = role === 'admin' ? null : unitIds[(i - 1) % unitIds.length];
      const name = `${rng.pick(FAMILY)} ${rng.pick(MIDDLE)} ${rng.pick(GIVEN)}`;
      const id = Number(
        insertUser.run(
          `${prefix}${i}`,
          name,
          role,
          unitId,
          `${prefix}${i}@example.gov.vn`,
          role === 'leader' ? 'Trưởng phòng' : 'Chuyên viên',
          passwordHash,
          at,
          at,
          at,
        ).lastInsertRowid,
      );
      byRole[role].push(id);
      unitOf.set(id, unitId);
      if (role === 'staff' && unitId !== null) {
        const list = staffByUnit.get(unitId) ?? [];
        list.push(id);
        staffByUnit.set(unitId, list);
      }
      audit.add(at, byRole.admin[0] ?? null, 'create', 'user', id, { username: `${prefix}${i}`, role });
    }
  }

  const insertHoliday = db.prepare(`insert into holidays (date, kind, name, cancelled, version, created_at, updated_at) values (?, ?, ?, 0, 1, ?, ?)`);
  const firstYear = Number(days.of(start).slice(0, 4));
  for (let y = firstYear; y <= firstYear + 3; y++) {
    for (const [md, name] of [
      ['01-01', 'Tết Dương lịch'],
      ['04-30', 'Ngày Giải phóng miền Nam'],
      ['05-01', 'Quốc tế Lao động'],
      ['09-02', 'Quốc khánh'],
      ['09-03', 'Quốc khánh (ngày 2)'],
    ] as const) {
      const id = Number(insertHoliday.run(`${y}-${md}`, 'holiday', name, at, at).lastInsertRowid);
      audit.add(at, byRole.admin[0] ?? null, 'create', 'holiday', id, { date: `${y}-${md}` });
    }
    for (let d = 0; d < 5; d++) {
      const date = `${y}-02-${String(8 + d).padStart(2, '0')}`;
      const id = Number(insertHoliday.run(date, 'holiday', 'Tết Nguyên đán', at, at).lastInsertRowid);
      audit.add(at, byRole.admin[0] ?? null, 'create', 'holiday', id, { date });
    }
  }
  return { unitIds, byRole, staffByUnit, unitOf, benchUsers };
}
