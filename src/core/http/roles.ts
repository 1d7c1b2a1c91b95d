export const ROLES = ['admin', 'quality_officer', 'leader', 'staff'] as const;
export type Role = (typeof ROLES)[number];

/** Who may use a route: a list of roles, anyone signed in, or anyone at all. */
export type Access = readonly Role[] | 'signed_in' | 'public';

export const SIGNED_IN: Access = 'signed_in';
export const PUBLIC: Access = 'public';
export const ADMIN: readonly Role[] = ['admin'];
export const QUALITY: readonly Role[] = ['admin', 'quality_officer'];
export const MANAGERS: readonly Role[] = ['admin', 'quality_officer', 'leader'];
export const LEADERS: readonly Role[] = ['leader'];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function allows(access: Access, role: Role | undefined): boolean {
  if (access === 'public') return true;
  if (role === undefined) return false;
  if (access === 'signed_in') return true;
  return access.includes(role);
}
