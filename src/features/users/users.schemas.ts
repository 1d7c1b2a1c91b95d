import { z } from 'zod';
import { optionalId, optionalText, requiredEnum, requiredInt, requiredText } from '../../core/http/forms';
import { ROLES } from '../../core/http/roles';
import { PASSWORD_MAX } from '../../core/security/passwords';

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
  .strict();

export const UserEditForm = z.object({ ...profile, version: requiredInt(1, Number.MAX_SAFE_INTEGER) }).strict();

export const UserStatusForm = z.object({ version: requiredInt(1, Number.MAX_SAFE_INTEGER), reason: requiredText(500) }).strict();

export const PasswordResetForm = z
  .object({ password: newPassword, confirm_password: z.string().max(PASSWORD_MAX) })
  .strict()
  .refine((v) => v.password === v.confirm_password, { path: ['confirm_password'], message: 'validation.password_mismatch' });
