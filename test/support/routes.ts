import type { Policy } from '../../src/core/http/routes';
import { allows, type Role } from '../../src/core/http/roles';
import type { CreatedApp } from '../../src/app';

/**
 * The policy table (app.locals.policies, filled by every RouteTable) read as data: route patterns as
 * regular expressions, which pattern a concrete URL belongs to, and routes by method and role.
 * Patterns are Express 5 paths (`/a/:id`, `/r/:code.json`, `{/optional}`).
 */
export type { Policy };

export function policiesOf(app: CreatedApp): Policy[] {
  return app.locals.policies;
}

const compiled = new Map<string, { re: RegExp; names: string[] }>();

function compile(path: string): { re: RegExp; names: string[] } {
  let hit = compiled.get(path);
  if (hit) return hit;
  const names: string[] = [];
  let src = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (c === ':' || c === '*') {
      const m = /^[A-Za-z_$][\w$]*/.exec(path.slice(i + 1));
      if (!m) throw new Error(`bad pattern ${path}`);
      names.push(m[0]);
      src += c === ':' ? '([^/]+?)' : '(.+?)';
      i += m[0].length;
    } else if (c === '{') src += '(?:';
    else if (c === '}') src += ')?';
    else src += c.replace(/[.+?^$()[\]|\\]/g, '\\$&');
  }
  hit = { re: new RegExp(`^${src}/?$`), names };
  compiled.set(path, hit);
  return hit;
}

/** The parameter names of a pattern, in order. */
export const paramNames = (path: string): string[] => compile(path).names;

/** Values of the pattern's parameters in a concrete path, or undefined when it does not match. */
export function matchPath(pattern: string, pathname: string): Record<string, string> | undefined {
  const { re, names } = compile(pattern);
  const m = re.exec(pathname);
  if (!m) return undefined;
  const out: Record<string, string> = {};
  names.forEach((n, i) => {
    if (m[i + 1] !== undefined) out[n] = decodeURIComponent(m[i + 1]);
  });
  return out;
}

/** The policy Express would dispatch a request to (first match in registration order). */
export function policyFor(policies: Policy[], method: 'GET' | 'POST', url: string): Policy | undefined {
  const pathname = url.split('?')[0];
  return policies.find((p) => p.method === method && matchPath(p.path, pathname) !== undefined);
}

/** A concrete path from a pattern and values (missing values → `fallback`). */
export function fill(pattern: string, values: Record<string, string | number>, fallback = '1'): string {
  return pattern.replace(/\{([^}]*)\}/g, '$1').replace(/[:*]([A-Za-z_$][\w$]*)/g, (_m, name: string) => encodeURIComponent(String(values[name] ?? fallback)));
}

export const hasParams = (p: Policy): boolean => paramNames(p.path).length > 0;

export function routesFor(policies: Policy[], method: 'GET' | 'POST', role?: Role): Policy[] {
  return policies.filter((p) => p.method === method && (role === undefined || allows(p.access, role)));
}

export const label = (p: Policy): string => `${p.method} ${p.path}`;
