import type { DemoContext } from '../demo-context';
import { EVERYONE, findActiveHolidayOn, type HolidayValues } from './holidays.queries';
import { createHolidayIn } from './holidays.service';

/**
 * Public holidays of 2025 and 2026 as announced for civil servants (Bộ luật Lao động 2019, Điều 112, and the
 * yearly notices of the Ministry of Home Affairs), with the days swapped for a make-up Saturday.
 */
const range = (from: number, to: number, month: string, year: number, name: string, kind: HolidayValues['kind'] = 'holiday'): HolidayValues[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ date: `${year}-${month}-${String(from + i).padStart(2, '0')}`, kind, name }));

export const DEMO_HOLIDAYS: HolidayValues[] = [
  // 2025
  { date: '2025-01-01', kind: 'holiday', name: 'Tết Dương lịch' },
  ...range(25, 31, '01', 2025, 'Tết Nguyên đán Ất Tỵ'),
  ...range(1, 2, '02', 2025, 'Tết Nguyên đán Ất Tỵ'),
  { date: '2025-04-07', kind: 'holiday', name: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)' },
  { date: '2025-04-26', kind: 'workday', name: 'Làm bù cho thứ Sáu 02/5/2025' },
  { date: '2025-04-30', kind: 'holiday', name: 'Ngày Chiến thắng (30/4)' },
  { date: '2025-05-01', kind: 'holiday', name: 'Ngày Quốc tế lao động (1/5)' },
  { date: '2025-05-02', kind: 'holiday', name: 'Nghỉ hoán đổi (làm bù thứ Bảy 26/4/2025)' },
  { date: '2025-09-01', kind: 'holiday', name: 'Quốc khánh (ngày liền kề)' },
  { date: '2025-09-02', kind: 'holiday', name: 'Quốc khánh (2/9)' },
  // 2026
  { date: '2026-01-01', kind: 'holiday', name: 'Tết Dương lịch' },
  { date: '2026-01-02', kind: 'holiday', name: 'Nghỉ hoán đổi (làm bù thứ Bảy 10/01/2026)' },
  { date: '2026-01-10', kind: 'workday', name: 'Làm bù cho thứ Sáu 02/01/2026' },
  ...range(14, 22, '02', 2026, 'Tết Nguyên đán Bính Ngọ'),
  { date: '2026-04-26', kind: 'holiday', name: 'Giỗ Tổ Hùng Vương (10/3 âm lịch, Chủ nhật)' },
  { date: '2026-04-27', kind: 'holiday', name: 'Nghỉ bù Giỗ Tổ Hùng Vương' },
  { date: '2026-04-30', kind: 'holiday', name: 'Ngày Chiến thắng (30/4)' },
  { date: '2026-05-01', kind: 'holiday', name: 'Ngày Quốc tế lao động (1/5)' },
  { date: '2026-09-01', kind: 'holiday', name: 'Quốc khánh (ngày liền kề)' },
  { date: '2026-09-02', kind: 'holiday', name: 'Quốc khánh (2/9)' },
];

/**
 * Adds this feature's part of the demo data: the country's days, as everyone's days (set once: a date everyone
 * already has is left as it is, so a second organisation's demo adds none).
 */
export async function seedHolidays(demo: DemoContext): Promise<void> {
  const admin = demo.byRole.admin;
  await demo.ctx.db.transaction().execute(async (trx) => {
    for (const h of DEMO_HOLIDAYS) if (!(await findActiveHolidayOn(trx, EVERYONE, h.date))) await createHolidayIn(trx, h, admin, demo.now, 'demo', EVERYONE);
  });
  const workdays = DEMO_HOLIDAYS.filter((h) => h.kind === 'workday').length;
  demo.log(`Holidays: ${DEMO_HOLIDAYS.length - workdays} days off and ${workdays} make-up working days (2025–2026).`);
}
