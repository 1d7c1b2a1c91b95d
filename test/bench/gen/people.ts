import type { Role } from '../../../src/core/db/schema';
import type { AuditCollector, Sqlite } from './db';
import type { Org } from './organisations';
import { Rng, words, type Days } from './random';

/** An organisation's units (50 at scale 1 for one office) and users (1,000; one password hash for all); the country's public holidays. */
export interface People {
  unitIds: number[];
  /** Users by role; staff also by unit. */
  byRole: Record<Role, number[]>;
  staffByUnit: Map<number, number[]>;
  unitOf: Map<number, number | null>;
  /** The usernames the benchmark signs in with, one per role. */
  benchUsers: Record<Exclude<Role, 'inspector'>, string>;
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
  org: Pick<Org, 'id' | 'userPrefix'>,
  /** Admins of the organisation: 3 for the one office, 1 for each of many. */
  admins = 3,
): People {
  const at = days.instant(start - 30, 8 * 60);
  const insertUnit = db.prepare(`insert into units (organisation_id, code, name, active, version, created_at, updated_at) values (?, ?, ?, 1, 1, ?, ?)`);
  const unitIds: number[] = [];
  for (let i = 1; i <= unitCount; i++) {
    const code = `DV${String(i).padStart(2, '0')}`;
    const id = Number(insertUnit.run(org.id, code, `Phòng ${words(rng, 3)} ${i}`, at, at).lastInsertRowid);
    unitIds.push(id);
    audit.add(at, null, 'create', 'unit', id, { code });
  }

  const insertUser = db.prepare(
    `insert into users (organisation_id, username, full_name, role, unit_id, email, position_title, password_hash, active, password_changed_at, version, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, 1, ?, ?)`,
  );
  const byRole: Record<Role, number[]> = { admin: [], quality_officer: [], leader: [], staff: [], inspector: [] };
  const staffByUnit = new Map<number, number[]>();
  const unitOf = new Map<number, number | null>();
  const p = org.userPrefix;
  const benchUsers = { admin: `${p}admin1`, quality_officer: `${p}quality1`, leader: `${p}leader1`, staff: `${p}staff1` };
  const counts: [Role, string, number][] = [
    ['admin', 'admin', admins],
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
          org.id,
          `${p}${prefix}${i}`,
          name,
          role,
          unitId,
          `${p}${prefix}${i}@example.gov.vn`,
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
      audit.add(at, byRole.admin[0] ?? null, 'create', 'user', id, { username: `${p}${prefix}${i}`, role });
    }
  }

  return { unitIds, byRole, staffByUnit, unitOf, benchUsers };
}

/** Three years of public holidays: everyone's days (organisation_id NULL, the country's calendar), written once. */
export function generateHolidays(db: Sqlite, days: Days, start: number, audit: AuditCollector, adminId: number | null): void {
  const at = days.instant(start - 30, 8 * 60);
  const insertHoliday = db.prepare(
    `insert into holidays (organisation_id, date, kind, name, cancelled, version, created_at, updated_at) values (null, ?, ?, ?, 0, 1, ?, ?)`,
  );
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
      audit.add(at, adminId, 'create', 'holiday', id, { date: `${y}-${md}` });
    }
    for (let d = 0; d < 5; d++) {
      const date = `${y}-02-${String(8 + d).padStart(2, '0')}`;
      const id = Number(insertHoliday.run(date, 'holiday', 'Tết Nguyên đán', at, at).lastInsertRowid);
      audit.add(at, adminId, 'create', 'holiday', id, { date });
    }
  }
}
