import { z } from 'zod';
import { optionalId, optionalText, requiredEnum, requiredInt, requiredText } from '../../core/http/forms';
import { ROLES } from '../../core/http/roles';
import { PASSWORD_MAX } from '../../core/security/passwords';
import { usernameField, newPassword } from '../auth/auth.schemas';

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

export const UserStatusForm = z
  .object({ version: requiredInt(1, Number.MAX_SAFE_INTEGER), reason: requiredText(500) })
  .strict();

export const PasswordResetForm = z
  .object({ password: newPassword, confirm_password: z.string().max(PASSWORD_MAX) })
  .strict()
  .refine((v) => v.password === v.confirm_password, { path: ['confirm_password'], message: 'validation.password_mismatch' });
