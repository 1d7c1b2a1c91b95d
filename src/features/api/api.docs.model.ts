import { catalogs, translate, type Lang } from '../../core/i18n';
import { PROBLEM_SLUGS, statusOf } from './api.problems';
import { documentTextsVi } from './api.docs.i18n';

/**
 * The readable page of the API, read from the generated OpenAPI document (never written by hand): its operations by
 * tag, with their parameters, body fields and answers, and the catalog's words for every kind of problem.
 */
type Json = Record<string, unknown>;

export interface DocsField {
  name: string;
  in?: string;
  required: boolean;
  type: string;
  description: string;
}

export interface DocsOperation {
  anchor: string;
  method: string;
  path: string;
  operationId: string;
  summary: string;
  description: string;
  scope: string;
  parameters: DocsField[];
  body: DocsField[];
  bodyType: string;
  responses: { status: string; description: string; mediaType: string }[];
}

export interface DocsModel {
  tags: { name: string; operations: DocsOperation[] }[];
  problems: { slug: string; anchor: string; status: number; title: string; detail: string }[];
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
/** How deep nested objects of a body are listed (`items[].dossier.code`). */
const MAX_DEPTH = 4;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A schema with its `$ref` (to components.schemas) followed. */
function resolve(document: Json, schema: unknown, seen = 0): Json {
  if (!isObject(schema)) return {};
  const ref = schema.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/components/schemas/') && seen < 10) {
    const components = isObject(document.components) && isObject(document.components.schemas) ? document.components.schemas : {};
    return resolve(document, components[ref.slice('#/components/schemas/'.length)], seen + 1);
  }
  return schema;
}

/** The type of a schema in a few words: `string (date)`, `integer`, `array of string`, `"a" | "b"`, `string | null`. */
export function typeText(document: Json, raw: unknown, depth = 0): string {
  const schema = resolve(document, raw);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  if ('const' in schema) return JSON.stringify(schema.const);
  const variants = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(variants) && depth < MAX_DEPTH) return variants.map((v) => typeText(document, v, depth + 1)).join(' | ');
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : [];
  const words = types.map((type) => {
    if (type === 'array') return depth < MAX_DEPTH ? `array of ${typeText(document, schema.items, depth + 1)}` : 'array';
    return typeof schema.format === 'string' && type !== 'null' ? `${type} (${schema.format})` : type;
  });
  return words.length > 0 ? words.join(' | ') : 'any';
}

/** The fields of an object schema, nested objects (and objects in arrays) listed below their parent's name. */
export function fieldsOf(document: Json, raw: unknown, prefix = '', depth = 0): DocsField[] {
  const schema = resolve(document, raw);
  const variants = schema.anyOf ?? schema.oneOf ?? schema.allOf;
  if (Array.isArray(variants)) return variants.flatMap((v) => fieldsOf(document, v, prefix, depth));
  if (!isObject(schema.properties) || depth > MAX_DEPTH) return [];
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const out: DocsField[] = [];
  for (const [name, property] of Object.entries(schema.properties)) {
    const field = resolve(document, property);
    const full = `${prefix}${name}`;
    out.push({ name: full, required: required.includes(name), type: typeText(document, property), description: String(field.description ?? '') });
    const item = field.type === 'array' ? resolve(document, field.items) : undefined;
    if (item && isObject(item.properties)) out.push(...fieldsOf(document, item, `${full}[].`, depth + 1));
    else if (isObject(field.properties)) out.push(...fieldsOf(document, field, `${full}.`, depth + 1));
  }
  return out;
}

/** The catalog's words for `key` on a Vietnamese page when it has them, else the document's (English) text. */
function wordsOf(lang: Lang, key: string, english: string): string {
  return lang !== 'en' && catalogs[lang][key] !== undefined ? translate(lang, key) : english;
}

/** A description of the document (English) in the page's language: from documentTextsVi on a Vietnamese page. */
const textOf = (lang: Lang, english: string): string => (lang === 'vi' && english !== '' ? (documentTextsVi[english] ?? english) : english);

/** The operation's summary in the page's language: `api.op.<operationId>`, else the document's. */
const summaryOf = (lang: Lang, operationId: string, english: string) => wordsOf(lang, `api.op.${operationId}`, english);

function operationOf(document: Json, lang: Lang, path: string, method: string, op: Json): DocsOperation {
  const operationId = String(op.operationId ?? `${method} ${path}`);
  const security = Array.isArray(op.security) ? (op.security as Json[]) : [];
  const scope = security.flatMap((s) => Object.values(s).flatMap((v) => (Array.isArray(v) ? v.map(String) : []))).join(', ');
  const parameters = (Array.isArray(op.parameters) ? (op.parameters as unknown[]) : []).map((raw) => {
    const p = resolve(document, raw);
    const schema = resolve(document, p.schema);
    return {
      name: String(p.name ?? ''),
      in: String(p.in ?? ''),
      required: p.required === true,
      type: typeText(document, p.schema),
      description: textOf(lang, String(p.description ?? schema.description ?? '')),
    };
  });
  const requestBody = resolve(document, op.requestBody);
  const bodySchema = isObject(requestBody.content) ? resolve(document, (requestBody.content['application/json'] as Json | undefined)?.schema) : undefined;
  const responses = Object.entries(isObject(op.responses) ? op.responses : {}).map(([status, raw]) => {
    const response = resolve(document, raw);
    const mediaType = Object.keys(isObject(response.content) ? response.content : {}).join(', ');
    const english = String(response.description ?? '');
    // A success answer is described by the operation's summary, a problem by its status (api.schemas.ts).
    const description =
      mediaType === 'application/problem+json'
        ? wordsOf(lang, `api.docs.response.${status}`, english)
        : english === op.summary
          ? summaryOf(lang, operationId, english)
          : textOf(lang, english);
    return { status, description, mediaType };
  });
  return {
    anchor: `op-${operationId}`,
    method: method.toUpperCase(),
    path,
    operationId,
    summary: summaryOf(lang, operationId, String(op.summary ?? '')),
    description: textOf(lang, String(op.description ?? '')),
    scope,
    parameters,
    body: bodySchema ? fieldsOf(document, bodySchema).map((field) => ({ ...field, description: textOf(lang, field.description) })) : [],
    bodyType: bodySchema ? typeText(document, bodySchema) : '',
    responses,
  };
}

export function docsModel(document: Json, lang: Lang): DocsModel {
  const tags = new Map<string, DocsOperation[]>();
  for (const [path, item] of Object.entries(isObject(document.paths) ? document.paths : {})) {
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      // Listed under its first tag only, so that each operation has one anchor.
      const tag = Array.isArray(op.tags) && op.tags.length > 0 ? String(op.tags[0]) : '';
      if (!tags.has(tag)) tags.set(tag, []);
      tags.get(tag)!.push(operationOf(document, lang, path, method, op));
    }
  }
  return {
    tags: [...tags].map(([name, operations]) => ({ name: wordsOf(lang, `api.docs.tag.${name}`, name), operations })),
    problems: PROBLEM_SLUGS.map((slug) => ({
      slug,
      anchor: `problem-${slug}`,
      status: statusOf(slug),
      title: translate(lang, `api.problem.${slug}.title`),
      detail: translate(lang, `api.problem.${slug}.detail`),
    })),
  };
}
