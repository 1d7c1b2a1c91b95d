import type { AppContext } from '../../src/core/context';
import type { Role } from '../../src/core/http/roles';
import { scopedDb, withoutOrganisation } from '../../src/core/db/scope';
import { hashPassword } from '../../src/core/security/passwords';
import { one, run, TEST_PASSWORD } from './app';

/** A second organisation in a test database, with a unit and one user per role (password TEST_PASSWORD). */
export interface OtherOrganisation {
  id: number;
  code: string;
  /** Usernames per role: `<role>.<code>` in lower case (sign in with `t.signIn(org.usernames.staff)`); an inspector only when asked for. */
  usernames: Record<Role, string>;
  users: Record<Role, number>;
  units: { main: number };
  /** The test context with a handle that works for this organisation (for queries and services outside requests). */
  ctx: AppContext;
}

let hash: Promise<string> | undefined;

/**
 * Adds an organisation (under `parent`, by default none) with its settings, a unit `<code>-U` and a user per role,
 * written as rows (so it depends on no feature's queries): for isolation tests, organisation A (the test app's,
 * id 1) against this one.
 */
export async function addOrganisation(
  t: { ctx: AppContext },
  code: string,
  options: { parent?: number; name?: string; kind?: string; inspector?: boolean } = {},
): Promise<OtherOrganisation> {
  const at = '2026-11-26T02:00:00.000Z';
  await run(
    t,
    `insert into organisation (code, name, parent_agency, place_name, report_number_suffix, signer_title, signer_name, time_zone, recipients,
       not_applicable_clauses, updated_at, parent_id, kind, status, created_at)
     values (?, ?, 'UBND tỉnh Ninh Bình', 'Ninh Bình', 'KHCN', 'GIÁM ĐỐC', 'Lê Văn Khác', 'Asia/Ho_Chi_Minh', 'Lưu: VT', '[]', ?, ?, ?, 'active', ?)`,
    code,
    options.name ?? `Cơ quan ${code}`,
    at,
    options.parent ?? null,
    options.kind ?? 'office',
    at,
  );
  const { id } = (await one<{ id: number }>(t, 'select id from organisation where code = ?', code))!;
  await run(
    t,
    'insert into units (code, name, active, version, created_at, updated_at, organisation_id) values (?, ?, 1, 1, ?, ?, ?)',
    `${code}-U`,
    `Phòng ${code}`,
    at,
    at,
    id,
  );
  const unit = (await one<{ id: number }>(t, 'select id from units where organisation_id = ? and code = ?', id, `${code}-U`))!.id;
  hash ??= hashPassword(TEST_PASSWORD);
  const passwordHash = await hash;
  const users = {} as Record<Role, number>;
  const usernames = {} as Record<Role, string>;
  const roles: Role[] = ['admin', 'quality_officer', 'leader', 'staff', ...(options.inspector ? (['inspector'] as const) : [])];
  for (const role of roles) {
    const username = `${role.replace('_', '')}.${code.toLowerCase()}`;
    await run(
      t,
      `insert into users (username, full_name, role, unit_id, email, position_title, password_hash, active, must_change_password, password_changed_at,
         version, created_at, updated_at, organisation_id)
       values (?, ?, ?, ?, null, null, ?, 1, 0, ?, 1, ?, ?, ?)`,
      username,
      `Người dùng ${role} ${code}`,
      role,
      unit,
      passwordHash,
      at,
      at,
      at,
      id,
    );
    users[role] = (await one<{ id: number }>(t, 'select id from users where username = ?', username))!.id;
    usernames[role] = username;
  }
  return { id, code, usernames, users, units: { main: unit }, ctx: { ...t.ctx, db: scopedDb(withoutOrganisation(t.ctx.db), id) } };
}
