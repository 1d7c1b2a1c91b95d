import { decodeEntities } from '../support/html';

/** The oversight table's rows as the page prints them: code → { field: data-v }, in the page's order. */
export function pageRows(html: string): { code: string; v: Record<string, string>; name: string }[] {
  const out: { code: string; v: Record<string, string>; name: string }[] = [];
  for (const m of html.matchAll(/<tr data-code="([^"]+)"[^>]*>([\s\S]*?)<\/tr>/g)) {
    const v: Record<string, string> = {};
    for (const f of m[2].matchAll(/data-f="([^"]+)" data-v="([^"]*)"/g)) v[f[1]] = decodeEntities(f[2]);
    const cells = [...m[2].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1]);
    out.push({ code: decodeEntities(m[1]), v, name: decodeEntities(cells[2] ?? '') });
  }
  return out;
}

/** A CSV (RFC 4180 quoting, CRLF, the BOM removed) as rows of cells. */
export function csvRows(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && body[i + 1] === '\n') {
      row.push(cell);
      out.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return out;
}
