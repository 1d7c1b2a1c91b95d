/**
 * The security headers every response must carry (pages, redirects, 4xx, 5xx, JSON, CSV, downloads),
 * as a list of problems (empty = fine), so a suite can collect them over many responses.
 */
export interface HeaderResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
}

function directives(csp: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), values);
  }
  return out;
}

export function headerProblems(res: HeaderResponse, options: { production?: boolean; static?: boolean } = {}): string[] {
  const h = res.headers;
  const problems: string[] = [];
  const csp = String(h['content-security-policy'] ?? '');
  if (!csp) problems.push('no Content-Security-Policy');
  else {
    const d = directives(csp);
    const scripts = d.get('script-src') ?? d.get('default-src');
    if (!scripts) problems.push('CSP has neither script-src nor default-src');
    else if (scripts.some((v) => /unsafe-inline|unsafe-eval|unsafe-hashes|\*|data:|http:|https:/.test(v)))
      problems.push(`CSP script sources too wide: ${scripts.join(' ')}`);
    if ((d.get('frame-ancestors') ?? []).join(' ') !== "'none'") problems.push("CSP frame-ancestors is not 'none'");
    if ((d.get('object-src') ?? []).join(' ') !== "'none'") problems.push("CSP object-src is not 'none'");
    if (!d.has('base-uri')) problems.push('CSP without base-uri');
    if (!d.has('form-action')) problems.push('CSP without form-action');
    if ((d.get('style-src') ?? d.get('default-src') ?? []).some((v) => /unsafe-inline/.test(v))) problems.push('CSP allows inline styles');
  }
  if (h['x-content-type-options'] !== 'nosniff') problems.push('no X-Content-Type-Options: nosniff');
  const referrer = String(h['referrer-policy'] ?? '');
  if (!/^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/.test(referrer)) problems.push(`Referrer-Policy is "${referrer}"`);
  if (h['x-powered-by'] !== undefined) problems.push(`X-Powered-By: ${String(h['x-powered-by'])}`);
  if (String(h['x-frame-options'] ?? '').toUpperCase() !== 'DENY') problems.push('no X-Frame-Options: DENY');
  if (!options.static && !/no-store/.test(String(h['cache-control'] ?? ''))) problems.push(`Cache-Control is "${String(h['cache-control'] ?? '')}"`);
  if (options.production && !/max-age=\d+/.test(String(h['strict-transport-security'] ?? ''))) problems.push('no Strict-Transport-Security in production');
  const type = String(h['content-type'] ?? '');
  if (res.status !== 204 && res.status !== 304 && type && /^text\/|json/.test(type) && !/charset=utf-8/i.test(type))
    problems.push(`Content-Type without charset: ${type}`);
  return problems;
}
