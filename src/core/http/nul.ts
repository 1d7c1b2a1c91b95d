/**
 * A NUL character in any text a request carries (query, form fields, an uploaded file's name) is refused with 400 on
 * both engines: no text of the app holds one, and PostgreSQL's text type cannot store it (it would be a 500 there).
 */

/** Whether a parsed query or form (strings, arrays and objects of them) holds a NUL character anywhere. */
export function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(holdsNul);
  if (value && typeof value === 'object') return Object.entries(value).some(([k, v]) => k.includes('\u0000') || holdsNul(v));
  return false;
}
