import { z } from 'zod';
import { optionalText, requiredText } from '../../core/http/forms';
import { PASSWORD_MAX } from '../../core/security/passwords';
import { organisationFields } from '../organisation/organisation.schemas';
import { newPassword, strongPassword, usernameField, type PasswordOwner } from '../users/users.schemas';

export const LoginForm = z
  .object({
    username: requiredText(64),
    password: z.string({ required_error: 'validation.required' }).min(1, 'validation.required').max(PASSWORD_MAX, `validation.too_long|${PASSWORD_MAX}`),
    next: optionalText(500),
  })
  .strict();

/** A user changing their own password (`owner` is the signed-in user). */
export const passwordForm = (owner: PasswordOwner) =>
  z
    .object({
      current_password: z.string({ required_error: 'validation.required' }).min(1, 'validation.required').max(PASSWORD_MAX),
      new_password: newPassword,
      confirm_password: z.string({ required_error: 'validation.required' }).max(PASSWORD_MAX),
    })
    .strict()
    .refine((v) => v.new_password === v.confirm_password, { path: ['confirm_password'], message: 'validation.password_mismatch' })
    .refine((v) => v.new_password !== v.current_password, { path: ['new_password'], message: 'validation.password_unchanged' })
    .superRefine((v, ctx) => strongPassword('new_password', v.new_password, owner, ctx));

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
  .refine((v) => v.password === v.confirm_password, { path: ['confirm_password'], message: 'validation.password_mismatch' })
  .superRefine((v, ctx) => strongPassword('password', v.password, { username: v.username, fullName: v.full_name }, ctx));
