import { foldDiacritics } from '../../../src/core/text/fold';
import type { AuditCollector, Sqlite } from './db';
import type { People } from './people';
import { Rng, words, type Days } from './random';

/** 2,000 procedures over 50 units and ~40 fields; dossier traffic follows a Zipf-like law (a few very busy ones). */
export interface Procedures {
  ids: number[];
  codes: string[];
  unitIds: number[];
  processingDays: number[];
  /** Relative dossier traffic, index-aligned with ids (ids[0] is the busiest). */
  weights: number[];
}

const FIELDS = [
  'Bảo trợ xã hội',
  'Người có công',
  'Lao động',
  'Việc làm',
  'Giáo dục nghề nghiệp',
  'Hộ tịch',
  'Chứng thực',
  'Đất đai',
  'Xây dựng',
  'Môi trường',
  'Tài nguyên nước',
  'Khoáng sản',
  'Đầu tư',
  'Đăng ký kinh doanh',
  'Công thương',
  'Y tế',
  'Dược',
  'Giáo dục',
  'Văn hóa',
  'Thể thao',
  'Du lịch',
  'Giao thông',
  'Nông nghiệp',
  'Thủy sản',
  'Lâm nghiệp',
  'Tư pháp',
  'Nội vụ',
  'Tôn giáo',
  'Thi đua khen thưởng',
  'Tài chính',
  'Thuế',
  'Khoa học công nghệ',
  'Thông tin truyền thông',
  'Ngoại vụ',
  'Dân tộc',
  'Thanh tra',
  'Quốc phòng',
  'Công an',
  'Điện lực',
  'Quy hoạch',
];

export function generateProcedures(
  db: Sqlite,
  rng: Rng,
  days: Days,
  start: number,
  people: People,
  audit: AuditCollector,
  count: number,
  org: number,
): Procedures {
  const insert = db.prepare(
    `insert into procedures (organisation_id, code, title, field, national_code, processing_days, online_level, unit_id, on_time_target, status, search_text, version, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, 1, ?, ?)`,
  );
  const out: Procedures = { ids: [], codes: [], unitIds: [], processingDays: [], weights: [] };
  const perUnit = new Map<number, number>();
  const at = days.instant(start - 20, 9 * 60);
  const admin = people.byRole.quality_officer[0] ?? null;
  for (let i = 0; i < count; i++) {
    const unitId = people.unitIds[i % people.unitIds.length];
    const n = (perUnit.get(unitId) ?? 0) + 1;
    perUnit.set(unitId, n);
    const unitNo = people.unitIds.indexOf(unitId) + 1;
    const code = `QT-DV${String(unitNo).padStart(2, '0')}-${String(n).padStart(3, '0')}`;
    const field = FIELDS[(i * 7 + unitNo) % FIELDS.length];
    const title = `Thủ tục ${words(rng, 6)} (${field.toLowerCase()})`;
    const nationalCode = `1.${String(100000 + i * 37).padStart(6, '0')}`;
    const processingDays = rng.pick([1, 3, 5, 5, 7, 10, 10, 15, 20, 30]);
    const online = rng.pick(['full', 'partial', 'none', 'full'] as const);
    const target = rng.pick([1, 1, 0.95, 0.9]);
    const id = Number(
      insert.run(
        org,
        code,
        title,
        field,
        nationalCode,
        processingDays,
        online,
        unitId,
        target,
        foldDiacritics(`${code} ${nationalCode} ${title} ${field}`),
        at,
        at,
      ).lastInsertRowid,
    );
    out.ids.push(id);
    out.codes.push(code);
    out.unitIds.push(unitId);
    out.processingDays.push(processingDays);
    out.weights.push(1 / Math.pow(i + 8, 1.05));
    audit.add(at, admin, 'create', 'procedure', id, { code, title, field });
  }
  return out;
}
