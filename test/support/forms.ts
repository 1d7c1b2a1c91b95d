import type request from 'supertest';
import type { SignedIn } from './app';
import { fieldsWithErrors, type FormField, type HtmlForm } from './html';

/**
 * Filling the forms the app renders, without knowing the feature: each field gets a list of plausible
 * values (its current value first, then guesses by type and name); a 422 names the wrong fields (aria-invalid
 * / has-error) and those move on to their next guess. Bodies are sent exactly as a browser would
 * (repeated keys, no qs brackets), with the session's CSRF token.
 */
export type Body = Record<string, string | string[]>;

export interface FillContext {
  /** The acting user's password (signature and confirmation fields). */
  password: string;
  /** Today in the app's clock, YYYY-MM-DD. */
  today: string;
  /** A number unique within the test run, for codes and user names. */
  next(): number;
}

let counter = 0;
export function fillContext(password: string, today = '2026-11-26'): FillContext {
  return { password, today, next: () => ++counter };
}

/** A tiny but real PDF: file-type recognises it from its bytes. */
export const PDF_BYTES = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');

/** Guesses for one field, best first. `undefined` means "leave the field out" (an unchecked checkbox). */
export function candidates(field: FormField, ctx: FillContext): (string | undefined)[] {
  const n = ctx.next();
  const name = field.name.toLowerCase();
  const current = field.value;
  const out: (string | undefined)[] = [];
  const add = (...values: (string | undefined)[]) => {
    for (const v of values) if (!out.includes(v)) out.push(v);
  };
  switch (field.type) {
    case 'hidden':
      return [current];
    case 'checkbox':
    case 'radio':
      return field.checked ? [field.value, undefined] : [undefined, field.value];
    case 'select': {
      const options = field.options.filter((o) => o !== '');
      if (current !== '') add(current);
      add(...options.slice(0, 6));
      if (!field.required) add('');
      return out.length ? out : [''];
    }
    case 'password':
      return [ctx.password];
    case 'date':
      add(current || undefined, ctx.today, '2026-12-31', '2026-11-01', '2027-01-15', '2025-12-31');
      return out.filter((v) => v !== undefined);
    case 'month':
      add(current || undefined, ctx.today.slice(0, 7), '2026-12');
      return out.filter((v) => v !== undefined);
    case 'number':
      add(current || undefined, field.min ?? '1', '1', '12', field.max, '0');
      return out.filter((v) => v !== undefined);
    case 'email':
      add(current || undefined, `kiem.thu${n}@example.vn`);
      return out.filter((v) => v !== undefined);
    case 'file':
      return ['(file)'];
    default: {
      if (current !== '') add(current);
      const code = `SEC-${n}`;
      if (/username|login/.test(name)) add(`sec${n}`);
      if (/code|^ma_|number|ref/.test(name)) add(code);
      if (/e-?mail/.test(name)) add(`kiem.thu${n}@example.vn`);
      if (/date|_on$|_at$|deadline|due/.test(name)) add(ctx.today, '2026-12-31');
      if (/time_?zone/.test(name)) add('Asia/Ho_Chi_Minh');
      if (/clause/.test(name)) add('8.5.1');
      if (/url|link|href/.test(name)) add('https://example.vn/tai-lieu');
      if (/year/.test(name)) add('2026');
      if (/month/.test(name)) add(ctx.today.slice(0, 7));
      if (/days|count|months|interval|size|number|qty|amount|target|level|order/.test(name)) add('12');
      add(`Nội dung kiểm thử ${n}`, code, '1', ctx.today, `kiem.thu${n}@example.vn`, 'Asia/Ho_Chi_Minh', '8.5.1');
      return out;
    }
  }
}

/** Text-like fields: where a person types free text (the ones XSS payloads go into). */
export const isTextual = (f: FormField): boolean => ['text', 'textarea', 'search', 'tel', 'url', ''].includes(f.type);

export interface Plan {
  form: HtmlForm;
  /** Per field name: the guesses and which one is in use. */
  choices: Map<string, { list: (string | undefined)[]; at: number; field: FormField }>;
  /** Values forced for the first attempt (payloads); dropped for a field once it is refused. */
  forced: Map<string, string>;
}

export function plan(form: HtmlForm, ctx: FillContext, forced: Record<string, string> = {}): Plan {
  const choices: Plan['choices'] = new Map();
  for (const field of form.fields) {
    if (field.name === '_csrf') continue;
    if (field.type === 'radio' && choices.has(field.name)) {
      const c = choices.get(field.name)!;
      if (field.checked) c.list.unshift(field.value);
      else c.list.push(field.value);
      c.list = c.list.filter((v) => v !== undefined);
      continue;
    }
    if (choices.has(field.name)) continue; // repeated names (checkbox groups): the first one stands for the group
    choices.set(field.name, { list: candidates(field, ctx), at: 0, field });
  }
  return { form, choices, forced: new Map(Object.entries(forced).filter(([k]) => choices.has(k))) };
}

export function bodyOf(p: Plan): Body {
  const body: Body = {};
  for (const [name, c] of p.choices) {
    if (c.field.type === 'file') continue;
    const value = p.forced.has(name) ? p.forced.get(name) : c.list[c.at];
    if (value === undefined) continue;
    body[name] = c.field.multiple && c.field.type === 'select' ? (value === '' ? [] : [value]) : value;
  }
  return body;
}

/** Moves every refused field to its next guess; false when nothing is left to try. */
export function advance(p: Plan, refused: string[]): boolean {
  let moved = false;
  for (const name of refused) {
    if (p.forced.delete(name)) {
      moved = true;
      continue;
    }
    const c = p.choices.get(name);
    if (c && c.at + 1 < c.list.length) {
      c.at++;
      moved = true;
    }
  }
  return moved;
}

export function encode(body: Body, csrf?: string): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(body)) for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
  if (csrf !== undefined) params.append('_csrf', csrf);
  return params.toString();
}

/** POSTs a body as the user, urlencoded (or multipart with files when the form says so). */
export function send(user: SignedIn, form: HtmlForm, body: Body, file?: { field: string; name: string; bytes: Buffer }): request.Test {
  if (form.enctype === 'multipart/form-data') {
    // the token goes first, before any field or file (the server reads it before the rest); always the user's own
    let req = user.agent.post(form.action).field('_csrf', user.csrf);
    for (const [k, v] of Object.entries(body)) for (const item of Array.isArray(v) ? v : [v]) req = req.field(k, item);
    if (file) req = req.attach(file.field, file.bytes, file.name);
    return req;
  }
  return user.agent.post(form.action).type('form').send(encode(body, user.csrf));
}

export interface Outcome {
  res: request.Response;
  body: Body;
  /** Every response on the way (the 422 pages too, which must escape what was sent). */
  responses: request.Response[];
  accepted: boolean;
}

/**
 * Submits the form, fixing refused fields until it is accepted (any status but 422) or nothing is left to try.
 * `before` runs before each attempt (e.g. to record a checksum).
 */
export async function submitUntilAccepted(
  user: SignedIn,
  p: Plan,
  options: { rounds?: number; fileName?: string; fileBytes?: Buffer; extra?: Body; before?: (body: Body) => Promise<void> | void } = {},
): Promise<Outcome> {
  const responses: request.Response[] = [];
  const fileField = [...p.choices.values()].find((c) => c.field.type === 'file')?.field.name;
  let res: request.Response | undefined;
  let body: Body = {};
  for (let round = 0; round < (options.rounds ?? 10); round++) {
    body = bodyOf(p);
    await options.before?.(body);
    res = await send(
      user,
      p.form,
      { ...body, ...options.extra },
      fileField ? { field: fileField, name: options.fileName ?? 'bang-chung.pdf', bytes: options.fileBytes ?? PDF_BYTES } : undefined,
    );
    responses.push(res);
    if (res.status !== 422) break;
    const refused = fieldsWithErrors(res.text);
    if (refused.length === 0 || !advance(p, refused)) break;
  }
  return { res: res!, body, responses, accepted: res!.status !== 422 && res!.status < 400 };
}
