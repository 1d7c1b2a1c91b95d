import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogs } from '../../src/core/i18n';
import '../../src/features/catalogs';
import * as ncI18n from '../../src/features/nonconformities/nonconformities.i18n';
import * as actionsI18n from '../../src/features/nonconformities/nonconformities.actions.i18n';
import { CAUSE_CATEGORIES, NC_SEVERITIES, NC_SOURCES, NC_STATUSES, VERIFICATION_RESULTS } from '../../src/features/nonconformities/nonconformities.model';
import { ACTION_KINDS, ACTION_STATUSES, ACTION_TYPES } from '../../src/features/nonconformities/nonconformities.actions.model';

/** Every word on these pages comes from the catalogs, in both languages, with the same keys. */
const views = (folder: string) => readdirSync(join('views', folder)).map((f) => readFileSync(join('views', folder, f), 'utf8'));
const sources = (folder: string) =>
  readdirSync(join('src/features', folder))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.i18n.ts'))
    .map((f) => readFileSync(join('src/features', folder, f), 'utf8'));

describe('nonconformities and actions catalogs', () => {
  it('have the same non-empty keys in Vietnamese and English, each prefixed with its feature', () => {
    for (const [mod, prefix] of [
      [ncI18n, 'nonconformities.'],
      [actionsI18n, 'actions.'],
    ] as const) {
      expect(Object.keys(mod.vi).sort()).toEqual(Object.keys(mod.en).sort());
      for (const [k, v] of [...Object.entries(mod.vi), ...Object.entries(mod.en)]) {
        expect(k.startsWith(prefix), k).toBe(true);
        expect(v.trim().length, k).toBeGreaterThan(0);
      }
    }
  });

  it('name every key the templates and the code use, and every enum value', () => {
    const text = [...views('nonconformities'), ...views('actions'), ...sources('nonconformities')].join('\n');
    const used = new Set<string>();
    for (const m of text.matchAll(/["'`]((?:nonconformities|actions|validation|error|form|list|flash|files)\.[a-z_0-9.]+[a-z_0-9])["'`]/g)) used.add(m[1]);
    for (const s of NC_STATUSES) used.add(`nonconformities.status.${s}`);
    for (const s of NC_SOURCES) used.add(`nonconformities.source.${s}`);
    for (const s of NC_SEVERITIES) used.add(`nonconformities.severity.${s}`);
    for (const s of CAUSE_CATEGORIES) used.add(`nonconformities.cause.${s}`);
    for (const s of VERIFICATION_RESULTS) used.add(`nonconformities.result.${s}`);
    for (const s of ACTION_TYPES) used.add(`actions.type.${s}`);
    for (const s of ACTION_KINDS) used.add(`actions.kind.${s}`);
    for (const s of ACTION_STATUSES) used.add(`actions.status.${s}`);
    for (const step of ['cancel', 'reopen']) for (const part of ['title', 'help']) used.add(`nonconformities.${step}_${part}`);
    const fileNames = /\.(ts|hbs|routes|queries|service|model|schemas|tables|view|access|csv|filters|pin|refs|workflow|report|list|progress|forms|hooks|demo)$/;
    const missing = [...used].filter((k) => !fileNames.test(k) && (!(k in catalogs.vi) || !(k in catalogs.en)));
    expect(missing).toEqual([]);
  });

  it('uses the glossary terms', () => {
    expect(ncI18n.vi['nonconformities.print.title']).toBe('PHIẾU YÊU CẦU HÀNH ĐỘNG KHẮC PHỤC');
    expect(ncI18n.vi['nonconformities.result.effective']).toBe('Có hiệu lực');
    expect(ncI18n.vi['nonconformities.result.not_effective']).toBe('Không có hiệu lực');
    expect(actionsI18n.vi['actions.type.correction']).toBe('Khắc phục tức thời');
    expect(actionsI18n.vi['actions.type.corrective']).toBe('Hành động khắc phục');
    expect(actionsI18n.vi['actions.type.risk']).toBe('Hành động giải quyết rủi ro');
    expect(ncI18n.vi['nonconformities.root_cause']).toBe('Nguyên nhân gốc');
  });

  it('keep templates free of triple braces, inline scripts, styles and event handlers', () => {
    for (const html of [...views('nonconformities'), ...views('actions')]) {
      expect(html).not.toMatch(/\{\{\{/);
      expect(html).not.toMatch(/<script|style=|\son[a-z]+=/i);
    }
  });
});
