/**
 * The scope of a declaration: the organisation's procedures in its QMS (the active ones of the register), each with
 * its code, title and kind (administrative procedure or internal process). A declaration keeps the scope of its day;
 * when the register's scope differs from the last declaration's — a procedure added, one removed, one whose kind
 * changed — the QMS must be announced again (công bố lại).
 */
export interface ScopeEntry {
  code: string;
  title: string;
  kind: string;
}

export interface ScopeChange {
  added: ScopeEntry[];
  removed: ScopeEntry[];
  kindChanged: { code: string; title: string; from: string; to: string }[];
}

const byCode = (a: ScopeEntry, b: ScopeEntry) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/** What changed from scope `before` to scope `now`, each list in code order. A procedure is the same by its code. */
export function scopeChange(before: readonly ScopeEntry[], now: readonly ScopeEntry[]): ScopeChange {
  const old = new Map(before.map((e) => [e.code, e]));
  const current = new Map(now.map((e) => [e.code, e]));
  const added = now.filter((e) => !old.has(e.code)).sort(byCode);
  const removed = before.filter((e) => !current.has(e.code)).sort(byCode);
  const kindChanged = now
    .filter((e) => old.has(e.code) && old.get(e.code)!.kind !== e.kind)
    .sort(byCode)
    .map((e) => ({ code: e.code, title: e.title, from: old.get(e.code)!.kind, to: e.kind }));
  return { added, removed, kindChanged };
}

export const hasChanges = (c: ScopeChange): boolean => c.added.length + c.removed.length + c.kindChanged.length > 0;

/** A stored scope (JSON) back as entries; a damaged one reads as empty rather than failing a page. */
export function parseScope(json: string): ScopeEntry[] {
  try {
    const value = JSON.parse(json) as unknown;
    if (!Array.isArray(value)) return [];
    const isEntry = (e: unknown): e is ScopeEntry => {
      if (typeof e !== 'object' || e === null) return false;
      const r = e as Record<string, unknown>;
      return typeof r.code === 'string' && typeof r.title === 'string' && typeof r.kind === 'string';
    };
    return (value as unknown[]).filter(isEntry).map((e) => ({ code: e.code, title: e.title, kind: e.kind }));
  } catch {
    return [];
  }
}
