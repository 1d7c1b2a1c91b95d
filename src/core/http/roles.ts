/**
 * The roles of a user in their organisation. `inspector` (the Department of Science and Technology, Sở KH&CN) reads
 * the QMS of the organisations under its own and changes nothing: every POST it sends is refused (routes.ts).
 */
export const ROLES = ['admin', 'quality_officer', 'leader', 'staff', 'inspector'] as const;
export type Role = (typeof ROLES)[number];

/** Who may use a route: a list of roles, anyone signed in, or anyone at all. */
export type Access = readonly Role[] | 'signed_in' | 'public';

export const SIGNED_IN: Access = 'signed_in';
export const PUBLIC: Access = 'public';
export const ADMIN: readonly Role[] = ['admin'];
export const QUALITY: readonly Role[] = ['admin', 'quality_officer'];
export const MANAGERS: readonly Role[] = ['admin', 'quality_officer', 'leader'];
export const LEADERS: readonly Role[] = ['leader'];
/** The pages that read an organisation's QMS without changing it: its managers, and an inspector. */
export const READERS: readonly Role[] = ['admin', 'quality_officer', 'leader', 'inspector'];
/** Everyone who works in an organisation: an inspector reads it and has no work of its own there. */
export const WORKERS: readonly Role[] = ['admin', 'quality_officer', 'leader', 'staff'];
/** Who oversees the organisations under their own (the oversight pages, `?org=CODE`). */
export const OVERSEERS: readonly Role[] = ['admin', 'inspector'];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function allows(access: Access, role: Role | undefined): boolean {
  if (access === 'public') return true;
  if (role === undefined) return false;
  if (access === 'signed_in') return true;
  return access.includes(role);
}
