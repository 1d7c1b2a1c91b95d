import { z } from 'zod';
import { optionalText, requiredText } from '../../core/http/forms';
import { PASSWORD_MAX } from '../../core/security/passwords';
import { organisationFields } from '../organisation/organisation.schemas';
import { newPassword, usernameField } from '../users/users.schemas';

export const LoginForm = z
  .object({
    username: requiredText(64),
    password: z.string({ required_error: 'validation.required' }).min(1, 'validation.required').max(PASSWORD_MAX, `validation.too_long|${PASSWORD_MAX}`),
    next: optionalText(500),
  })
  .strict();

export const PasswordForm = z
  .object({
    current_password: z.string({ required_error: 'validation.required' }).min(1, 'validation.required').max(PASSWORD_MAX),
    new_password: newPassword,
    confirm_password: z.string({ required_error: 'validation.required' }).max(PASSWORD_MAX),
  })
  .strict()
  .refine((v) => v.new_password === v.confirm_password, { path: ['confirm_password'], message: 'validation.password_mismatch' });

export const SetupForm = z
  .object({
    name: organisationFields.name,
    parent_agency: organisationFields.parent_agency,
    place_name: organisationFields.place_name,
    username: usernameField(),
    full_name: requiredText(100),
    password: newPassword,
    confirm_password: z.string({ required_error: 'validation.required' }).max(PASSWORD_MAX),
  })
  .strict()
  .refine((v) => v.password === v.confirm_password, { path: ['confirm_password'], message: 'validation.password_mismatch' });
