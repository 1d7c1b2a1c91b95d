import type request from 'supertest';
import { parseForms, parseLinks, type HtmlForm } from './html';
import { fill, hasParams, matchPath, paramNames, policyFor, type Policy } from './routes';

/**
 * Walks the site as one signed-in user: starts from every GET route without parameters, follows links,
 * and keeps at most `perPattern` pages per route pattern (so a list of 2,000 dossiers costs a few pages).
 * What it finds gives concrete URLs for every route pattern (real ids) and the forms on each page.
 */
export interface Page {
  url: string;
  status: number;
  contentType: string;
  text: string;
  headers: Record<string, string | string[] | undefined>;
  policy: Policy | undefined;
  forms: HtmlForm[];
}

export interface CrawlOptions {
  perPattern?: number;
  maxPages?: number;
  /** Extra start URLs (besides every parameterless GET route). */
  start?: string[];
  /** URLs not to fetch. */
  skip?: (url: string) => boolean;
  /** false: fetch only the start pages (every parameterless GET route), follow no links. */
  follow?: boolean;
}

const readAll = (res: request.Response, done: (err: Error | null, body: Buffer) => void) => {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
  stream.on('error', (err: Error) => done(err, Buffer.alloc(0)));
};

export async function crawl(agent: request.Agent, policies: Policy[], options: CrawlOptions = {}): Promise<Page[]> {
  const perPattern = options.perPattern ?? 3;
  const maxPages = options.maxPages ?? 800;
  const queue: string[] = [...policies.filter((p) => p.method === 'GET' && !hasParams(p)).map((p) => p.path), ...(options.start ?? [])];
  const seen = new Set<string>();
  const perPolicy = new Map<Policy, number>();
  const pages: Page[] = [];
  while (queue.length > 0 && pages.length < maxPages) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    if (url.startsWith('/static/') || /[?&]lang=/.test(url) || options.skip?.(url)) continue;
    const policy = policyFor(policies, 'GET', url);
    if (!policy) continue;
    const count = perPolicy.get(policy) ?? 0;
    if (count >= perPattern) continue;
    perPolicy.set(policy, count + 1);
    // read every body to the end (superagent leaves binary downloads unread otherwise)
    const res = await agent.get(url).buffer(true).parse(readAll);
    const contentType = String(res.headers['content-type'] ?? '');
    const text =
      contentType.includes('html') || contentType.includes('json') || contentType.includes('csv') || contentType.startsWith('text/')
        ? (res.body as Buffer).toString('utf8')
        : '';
    const html = contentType.includes('text/html');
    pages.push({ url, status: res.status, contentType, text, headers: res.headers, policy, forms: html ? parseForms(text, url) : [] });
    if (html && res.status < 400 && options.follow !== false) for (const link of parseLinks(text, url)) if (!seen.has(link)) queue.push(link);
  }
  return pages;
}

/** One concrete URL per GET pattern: the first crawled page with status < 400, else the pattern filled with 1s. */
export function samplePerPattern(policies: Policy[], pages: Page[]): Map<Policy, string> {
  const out = new Map<Policy, string>();
  for (const p of policies) {
    if (p.method !== 'GET') continue;
    const hit = pages.find((page) => page.policy === p && page.status < 400) ?? pages.find((page) => page.policy === p);
    out.set(p, hit?.url ?? fill(p.path, {}));
  }
  return out;
}

export interface FoundForm {
  form: HtmlForm;
  page: string;
  policy: Policy;
}

/** POST forms found on the crawled pages, by the POST route they submit to. */
export function formsByRoute(policies: Policy[], pages: Page[]): Map<Policy, FoundForm[]> {
  const out = new Map<Policy, FoundForm[]>();
  for (const page of pages) {
    for (const form of page.forms) {
      if (form.method !== 'POST') continue;
      const policy = policyFor(policies, 'POST', form.action);
      if (!policy) continue;
      const list = out.get(policy) ?? [];
      if (!list.some((f) => f.form.action.split('?')[0] === form.action.split('?')[0] && sameFields(f.form, form))) list.push({ form, page: page.url, policy });
      out.set(policy, list);
    }
  }
  return out;
}

const sameFields = (a: HtmlForm, b: HtmlForm) => a.fields.map((f) => f.name).join() === b.fields.map((f) => f.name).join();

/**
 * Real parameter values for a route (any method) from the crawled pages: every crawled URL whose route
 * pattern starts with this route's parameter prefix (`/documents/:id/revisions/:revId` for
 * `/documents/:id/revisions/:revId/submit`) gives one set, so workflow POSTs can target existing records.
 */
export function realParams(p: Policy, pages: Page[]): Record<string, string>[] {
  const names = paramNames(p.path);
  if (names.length === 0) return [{}];
  const last = names[names.length - 1];
  const prefix = p.path.slice(0, p.path.indexOf(`:${last}`) + last.length + 1);
  const out = new Map<string, Record<string, string>>();
  for (const page of pages) {
    if (!page.policy || !page.policy.path.startsWith(prefix) || page.status >= 400) continue;
    const values = matchPath(page.policy.path, page.url.split('?')[0]);
    if (!values || !names.every((n) => values[n] !== undefined)) continue;
    const picked = Object.fromEntries(names.map((n) => [n, values[n]]));
    out.set(JSON.stringify(picked), picked);
  }
  return [...out.values()];
}
