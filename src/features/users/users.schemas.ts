import { z } from 'zod';
import { optionalId, optionalText, requiredEnum, requiredInt, requiredText } from '../../core/http/forms';
import { ROLES } from '../../core/http/roles';
import { PASSWORD_MAX } from '../../core/security/passwords';
import { passwordWeakness, type PasswordWeakness } from '../../core/security/password-strength';

/** An account's rules, used here and by the sign-in feature (first setup): its username and a new password. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/;
export const usernameField = () =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
    z
      .string({ required_error: 'validation.required' })
      .min(1, 'validation.required')
      .max(64, 'validation.too_long|64')
      .regex(USERNAME_PATTERN, 'validation.username'),
  );

export const newPassword = z
  .string({ required_error: 'validation.required' })
  .min(10, 'validation.password_short')
  .max(PASSWORD_MAX, 'validation.password_long');

/** The message shown next to the field for each reason a new password is refused (users.i18n.ts). */
export const WEAKNESS_KEYS: Record<PasswordWeakness, string> = {
  contains_identity: 'validation.password_contains_identity',
  common: 'validation.password_common',
  repeat: 'validation.password_repeat',
  sequence: 'validation.password_sequence',
  date: 'validation.password_date',
  guessable: 'validation.password_guessable',
};

export interface PasswordOwner {
  username?: string;
  fullName?: string;
}

/**
 * Every form that sets a password refines itself with this: a common or guessable password, or one holding the
 * account's username or full name, is refused at `field` (after the length rule, which is cheaper to tell).
 */
export function strongPassword(field: string, password: unknown, owner: PasswordOwner, ctx: z.RefinementCtx): void {
  if (typeof password !== 'string' || password.length < 10 || password.length > PASSWORD_MAX) return;
  const weakness = passwordWeakness(password, owner);
  if (weakness) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [field], message: WEAKNESS_KEYS[weakness] });
}

const profile = {
  full_name: requiredText(100),
  role: requiredEnum(ROLES),
  unit_id: optionalId(),
  email: optionalText(200).refine((v) => v === undefined || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), 'validation.email'),
  position_title: optionalText(100),
};

export const UserCreateForm = z
  .object({
    username: usernameField(),
    ...profile,
    password: newPassword,
  })
  .strict()
  .superRefine((v, ctx) => strongPassword('password', v.password, { username: v.username, fullName: v.full_name }, ctx));

export const UserEditForm = z.object({ ...profile, version: requiredInt(1, Number.MAX_SAFE_INTEGER) }).strict();

export const UserStatusForm = z.object({ version: requiredInt(1, Number.MAX_SAFE_INTEGER), reason: requiredText(500) }).strict();

/** An administrator's reset of `owner`'s password. */
export const passwordResetForm = (owner: PasswordOwner) =>
  z
    .object({ password: newPassword, confirm_password: z.string().max(PASSWORD_MAX) })
    .strict()
    .refine((v) => v.password === v.confirm_password, { path: ['confirm_password'], message: 'validation.password_mismatch' })
    .superRefine((v, ctx) => strongPassword('password', v.password, owner, ctx));
