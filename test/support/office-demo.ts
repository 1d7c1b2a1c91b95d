import { join } from 'node:path';
import type { AppContext } from '../../src/core/context';
import { record } from '../../src/core/audit-log/audit-log';
import { ROOT } from '../../src/core/paths';
import type { Role } from '../../src/core/http/roles';
import { hashPassword } from '../../src/core/security/passwords';
// demo.ts also loads the features' hooks (revisions take effect as in the app)
import { DEMO_PASSWORD_SUFFIX, DEMO_USERS } from '../../src/features/demo';
import type { DemoContext } from '../../src/features/demo-context';
import { insertOrganisation } from '../../src/features/organisation/organisation.queries';
import { importProcedures } from '../../src/features/procedures/procedures.import';
import { seedProcedures } from '../../src/features/procedures/procedures.demo';
import { listProcedureOptions } from '../../src/features/procedures/procedures.queries';
import { createUnit } from '../../src/features/units/units.service';
import { createUserIn } from '../../src/features/users/users.service';
import { seedHolidays } from '../../src/features/holidays/holidays.demo';
import { seedDocuments } from '../../src/features/documents/documents.demo';
import { seedNonconformities } from '../../src/features/nonconformities/nonconformities.demo';
import { seedAudits } from '../../src/features/audits/audits.demo';
import { seedDossiers } from '../../src/features/dossiers/dossiers.demo';
import { seedReports } from '../../src/features/reports/reports.demo';
import { seedDashboard } from '../../src/features/dashboard/dashboard.demo';

/**
 * The demo's model office alone, as `npm run qms -- demo` loaded it before the organisations (issue 22): runDemo
 * (src/features/demo.ts) without the province it now adds around the office (seedProvince): the database of a single
 * office, which the organisations migration test takes back to the schema before organisations. The same steps, data
 * and seeders as runDemo; `ctx.db` works for organisation 1.
 * TODO(lead): once runDemo can leave out the province (e.g. an option `{ province: false }`), call it instead.
 */
const UNITS = [
  { code: 'LĐTBXH', name: 'Phòng Lao động - Thương binh và Xã hội' },
  { code: 'MOTCUA', name: 'Bộ phận Tiếp nhận và Trả kết quả (Một cửa)' },
  { code: 'VP', name: 'Văn phòng HĐND và UBND' },
];

export async function loadOfficeDemo(ctx: AppContext): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const org = {
      name: 'Phòng Lao động - Thương binh và Xã hội',
      parent_agency: 'UBND huyện Nghĩa Hưng',
      place_name: 'Nghĩa Hưng',
      report_number_suffix: 'LĐTBXH',
      signer_title: 'TRƯỞNG PHÒNG',
      signer_name: 'Phạm Văn Minh',
      time_zone: ctx.config.timeZone,
      recipients: 'UBND huyện (để b/c)\nBan chỉ đạo ISO huyện\nLưu: VT, ISO',
      not_applicable_clauses: '["8.3"]',
    };
    await insertOrganisation(trx, org, now.toISOString());
    await record(trx, { userId: null, action: 'create', entity: 'organisation', entityId: 1, new: org, reason: 'demo' }, now);
  });
  const units: Record<string, number> = {};
  for (const u of UNITS) units[u.code] = await createUnit(ctx, u, null);
  const users: DemoContext['users'] = {};
  const byRole = {} as Record<Role, number>;
  for (const u of DEMO_USERS) {
    const hash = await hashPassword(`${u.username}${DEMO_PASSWORD_SUFFIX}`);
    const unitId = u.unit ? units[u.unit] : null;
    const values = { username: u.username, full_name: u.fullName, role: u.role, unit_id: unitId, email: null, position_title: u.title };
    const id = await ctx.db.transaction().execute((trx) => createUserIn(trx, values, hash, null, now));
    users[u.username] = { id, role: u.role, unitId, fullName: u.fullName };
    byRole[u.role] ??= id;
  }
  const sample = join(ROOT, 'src', 'features', 'demo-data', 'procedures-sample.tsv');
  await importProcedures(ctx, { path: sample }, 'procedures-sample.tsv', byRole.quality_officer);
  const procedures: Record<string, number> = {};
  for (const p of await listProcedureOptions(ctx.db)) procedures[p.code] = p.id;
  const demo: DemoContext = { ctx, now, users, byRole, units, procedures, log: () => {} };
  for (const seed of [seedProcedures, seedHolidays, seedDocuments, seedNonconformities, seedAudits, seedDossiers, seedReports, seedDashboard]) {
    await seed(demo);
  }
}
