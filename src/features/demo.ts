import { join } from 'node:path';
import { ROOT } from '../core/paths';
import { loadConfig, type Config } from '../config';
import type { AppContext } from '../core/context';
import type { Role } from '../core/http/roles';
import { record } from '../core/audit-log/audit-log';
import { hashPassword } from '../core/security/passwords';
import { insertOrganisation } from './organisation/organisation.queries';
import { createUnit } from './units/units.service';
import { createUserIn } from './users/users.service';
import { importProcedures } from './procedures/procedures.import';
import { seedProcedures } from './procedures/procedures.demo';
import { listProcedureOptions } from './procedures/procedures.queries';
import type { DemoContext } from './demo-context';
// The demo's revisions take effect as the app's do, with the other features' handlers (the CLI loads only this file).
import './hooks';
import { seedHolidays } from './holidays/holidays.demo';
import { seedDocuments } from './documents/documents.demo';
import { seedNonconformities } from './nonconformities/nonconformities.demo';
import { seedAudits } from './audits/audits.demo';
import { seedDossiers } from './dossiers/dossiers.demo';
import { seedReports } from './reports/reports.demo';
import { seedDashboard } from './dashboard/dashboard.demo';
import { seedDeclarations } from './declarations/declarations.demo';
import { seedObjectives } from './objectives/objectives.demo';
import { seedRisks } from './risks/risks.demo';
import { seedReviews } from './reviews/reviews.demo';
import { seedApologies } from './apologies/apologies.demo';
import { seedFeedback } from './feedback/feedback.demo';
import { seedNotifications } from './notifications/notifications.demo';
import { seedSurveys } from './surveys/surveys.demo';
import { seedProvince } from './demo-province';
import { seedSigners } from './organisation/organisation.signers.demo';
import { seedReminders } from './notifications/notifications.reminders.demo';
import { seedOutbox } from './notifications/notifications.outbox.demo';
import { seedCompetence } from './competence/competence.demo';
import { loadApiDemo, loadApiPushDemo } from './api/api.demo';

/**
 * The demo dataset: the model office (Phòng Lao động - Thương binh và Xã hội huyện Nghĩa Hưng), its units,
 * one user per role (passwords printed), the sample procedures, then each feature's own demo data.
 * Names and signers are data, as a real office would enter them in the settings.
 */
const SAMPLE = join(ROOT, 'src', 'features', 'demo-data', 'procedures-sample.tsv');

const UNITS = [
  { code: 'LĐTBXH', name: 'Phòng Lao động - Thương binh và Xã hội' },
  { code: 'MOTCUA', name: 'Bộ phận Tiếp nhận và Trả kết quả (Một cửa)' },
  { code: 'VP', name: 'Văn phòng HĐND và UBND' },
];

export const DEMO_USERS: { username: string; fullName: string; role: Role; unit: string | null; title: string }[] = [
  { username: 'admin', fullName: 'Trần Quốc Huy', role: 'admin', unit: 'VP', title: 'Chuyên viên công nghệ thông tin' },
  { username: 'thuky', fullName: 'Nguyễn Thị Lan', role: 'quality_officer', unit: 'LĐTBXH', title: 'Chuyên viên, cán bộ phụ trách ISO' },
  { username: 'lanhdao', fullName: 'Phạm Văn Minh', role: 'leader', unit: 'LĐTBXH', title: 'Trưởng phòng' },
  { username: 'phophong', fullName: 'Đỗ Thị Hạnh', role: 'leader', unit: 'LĐTBXH', title: 'Phó Trưởng phòng' },
  { username: 'canbo', fullName: 'Lê Văn Nam', role: 'staff', unit: 'LĐTBXH', title: 'Chuyên viên' },
  { username: 'motcua', fullName: 'Vũ Thị Mai', role: 'staff', unit: 'MOTCUA', title: 'Công chức Một cửa' },
  { username: 'danhgia', fullName: 'Hoàng Văn Đức', role: 'quality_officer', unit: 'VP', title: 'Chuyên gia đánh giá nội bộ' },
];

/** A word as a POSIX shell reads it: as is when it holds only safe characters, else in single quotes. */
const shellWord = (value: string) => (/^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`);

/**
 * The command that starts the app on the database the demo was loaded into: `npm start`, preceded by DATABASE_PATH,
 * FILES_PATH and PORT where they differ from what `npm start` would use without them.
 */
export function startCommand(config: Config): string {
  const defaults = loadConfig({});
  const filesFollowDatabase = loadConfig({ DATABASE_PATH: config.databasePath }).filesPath;
  const env: string[] = [];
  if (config.databasePath !== defaults.databasePath) env.push(`DATABASE_PATH=${shellWord(config.databasePath)}`);
  if (config.filesPath !== filesFollowDatabase) env.push(`FILES_PATH=${shellWord(config.filesPath)}`);
  if (config.port !== defaults.port) env.push(`PORT=${config.port}`);
  return [...env, 'npm start'].join(' ');
}

/** Demo passwords are printed once; a real office changes them at first sign-in. */
export const DEMO_PASSWORD_SUFFIX = '@Demo2026';

/**
 * Loads the demo. `province: false` leaves out the province around the model office (a single office, as a database
 * made before organisations holds: the migration test needs one).
 */
export async function runDemo(ctx: AppContext, log: (line: string) => void, options: { province?: boolean } = {}): Promise<DemoContext> {
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
  log('Demo users (username / password):');
  for (const u of DEMO_USERS) {
    const password = `${u.username}${DEMO_PASSWORD_SUFFIX}`;
    const hash = await hashPassword(password);
    const unitId = u.unit ? units[u.unit] : null;
    const id = await ctx.db
      .transaction()
      .execute((trx) =>
        createUserIn(
          trx,
          { username: u.username, full_name: u.fullName, role: u.role, unit_id: unitId, email: null, position_title: u.title },
          hash,
          null,
          now,
        ),
      );
    users[u.username] = { id, role: u.role, unitId, fullName: u.fullName };
    byRole[u.role] ??= id;
    log(`  ${u.role.padEnd(16)} ${u.username.padEnd(10)} ${password}`);
  }

  const summary = await importProcedures(ctx, { path: SAMPLE }, 'procedures-sample.tsv', byRole.quality_officer);
  const procedures: Record<string, number> = {};
  for (const p of await listProcedureOptions(ctx.db)) procedures[p.code] = p.id;
  log(`Procedures: ${summary.added} imported.`);

  const demo: DemoContext = { ctx, now, users, byRole, units, procedures, log };
  for (const seed of [
    // first: the signers and recipients the documents below print
    seedSigners,
    seedProcedures,
    seedHolidays,
    seedDocuments,
    seedNonconformities,
    seedAudits,
    seedCompetence,
    seedDossiers,
    seedDashboard,
    seedDeclarations,
    seedObjectives,
    seedRisks,
    seedReviews,
    seedApologies,
    // the survey's answers first: those with a low score or a comment open feedback records, which the feedback demo triages
    seedSurveys,
    seedFeedback,
    // after every feature with due dates: today's reminders of their open items
    seedReminders,
    seedOutbox,
    loadApiDemo,
    loadApiPushDemo,
    // last: the annual reports count every other feature's records of the year
    seedReports,
  ]) {
    await seed(demo);
  }
  // the province around the model office (organisations, issue 22): after the office's own data, which it copies
  if (options.province !== false) await seedProvince(demo);
  // last of all: the inboxes (issue 26), once every organisation and its people exist
  await seedNotifications(demo);
  log(`Demo data loaded. Start the app with \`${startCommand(ctx.config)}\` and sign in at http://localhost:${ctx.config.port}/login`);
  return demo;
}
