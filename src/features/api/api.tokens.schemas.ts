import { z } from 'zod';
import { collectErrors, multiValue, requiredDate, requiredInt, requiredText, type FormView } from '../../core/http/forms';
import { ValidationError, type FieldError } from '../../core/http/errors';
import { isIsoDate } from '../../core/calendar';
import { API_SCOPES } from './api.tables';

/** What the create form shows in the limit field before the admin types anything (requests per minute). */
export const DEFAULT_RATE_LIMIT = 600;
/** The longest a token may be valid: two years from today. */
export const MAX_YEARS = 2;

/** The last expiry date allowed on `today`: the same day two years on (28 February for a 29 February). */
export function latestExpiry(today: string): string {
  const same = `${Number(today.slice(0, 4)) + MAX_YEARS}${today.slice(4)}`;
  const exists: boolean = isIsoDate(same);
  return exists ? same : `${same.slice(0, 8)}28`;
}

/** Messages of this feature's own rules (not 'validation.…' keys): parseTokenForm shows them as they are. */
const OWN = 'api.tokens.';

/** Issuing a token; `today` is the organisation's local date (expiry after it, at most two years ahead). */
export const createTokenForm = (today: string) =>
  z
    .object({
      name: requiredText(100),
      scopes: multiValue(z.enum(API_SCOPES, { invalid_type_error: 'validation.invalid_choice' }), API_SCOPES.length).refine(
        (s) => s.length > 0,
        `${OWN}scopes_required`,
      ),
      expires_on: requiredDate()
        .refine((d) => d > today, `${OWN}expiry_past`)
        .refine((d) => d <= latestExpiry(today), `${OWN}expiry_too_far`),
      rate_limit: requiredInt(1, 100000),
    })
    .strict();

export type CreateToken = z.output<ReturnType<typeof createTokenForm>>;

/** Revoking one: the reason, and the version read with the page (another admin's change in between → 409). */
export const RevokeTokenForm = z.object({ reason: requiredText(500), version: requiredInt(1, Number.MAX_SAFE_INTEGER) }).strict();

/**
 * parseForm for these schemas: the same rules (transport fields dropped, one message per field, 422 re-render), with
 * this feature's own messages (`api.tokens.…`) kept as written instead of the generic "not valid".
 */
export function parseTokenForm<S extends z.ZodTypeAny>(schema: S, body: unknown, form: FormView): z.output<S> {
  const input: Record<string, unknown> = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) if (k !== '_csrf') input[k] = v;
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data as z.output<S>;
  const errors: Record<string, FieldError> = collectErrors(result.error);
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    if (issue.message.startsWith(OWN) && errors[field]?.key === 'validation.invalid') errors[field] = { key: issue.message };
  }
  throw new ValidationError(errors, input, form.view, form.locals);
}
