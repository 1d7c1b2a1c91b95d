/** Reads the Cookie header into a map; values are URI-decoded, malformed ones skipped. */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      out[name] ??= decodeURIComponent(value);
    } catch {
      /* ignore a malformed cookie */
    }
  }
  return out;
}
