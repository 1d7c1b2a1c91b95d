import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The import structure of ARCHITECTURE.md: core imports no feature; the files directly in src/features are the
 * wiring (routes, catalogs, tables, hooks, demo) and a feature imports none of them but the demo's context type;
 * no file imports itself through others, and no two feature folders import each other, directly or in a ring.
 * Every relative import counts: static, type-only, re-exports and import().
 */
const SRC = resolve('src');
const IMPORT = /(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(from), spec);
  return [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
}

const files = sourceFiles(SRC);
const imports = new Map(files.map((f) => [f, [...readFileSync(f, 'utf8').matchAll(IMPORT)].flatMap((m) => resolveImport(f, m[1] ?? m[2]) ?? [])]));
const rel = (f: string) => relative(SRC, f);
/** 'core', 'features' (the wiring files), a feature folder's name, or 'root' (app, cli, server, config). */
const layerOf = (f: string) => {
  const [top, second, third] = rel(f).split('/');
  if (top === 'core') return 'core';
  if (top !== 'features') return 'root';
  return third === undefined ? 'features' : second;
};

/** The cycles found by a depth-first walk, each written as a → b → … → a. */
function cycles(edges: Map<string, string[]>, name: (node: string) => string): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const found: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    path.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), next].map(name).join(' → '));
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(node, 'done');
  };
  for (const node of edges.keys()) if (!state.has(node)) visit(node);
  return found;
}

describe('import structure', () => {
  it('core imports no feature and no wiring file', () => {
    const wrong = files
      .filter((f) => layerOf(f) === 'core')
      .flatMap((f) =>
        imports
          .get(f)!
          .filter((t) => rel(t).startsWith('features/'))
          .map((t) => `${rel(f)} → ${rel(t)}`),
      );
    expect(wrong).toEqual([]);
  });

  it('a feature imports no wiring file but the demo context', () => {
    const feature = (f: string) => !['core', 'features', 'root'].includes(layerOf(f));
    const wrong = files.filter(feature).flatMap((f) =>
      imports
        .get(f)!
        .filter((t) => layerOf(t) === 'features' && rel(t) !== 'features/demo-context.ts')
        .map((t) => `${rel(f)} → ${rel(t)}`),
    );
    expect(wrong).toEqual([]);
  });

  it('has no import loop between files', () => {
    expect(cycles(imports, rel)).toEqual([]);
  });

  it('has no import loop between feature folders', () => {
    const folders = new Map<string, string[]>();
    for (const [from, targets] of imports) {
      const a = layerOf(from);
      if (['core', 'features', 'root'].includes(a)) continue;
      const out = folders.get(a) ?? folders.set(a, []).get(a)!;
      for (const b of targets.map(layerOf)) if (b !== a && !['core', 'features', 'root'].includes(b) && !out.includes(b)) out.push(b);
    }
    expect(cycles(folders, (f) => f)).toEqual([]);
  });
});
