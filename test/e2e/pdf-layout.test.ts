import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock';
import { scopedDb } from '../../src/core/db/scope';
import { emptyAssessments } from '../../src/features/reviews/reviews.model';
import { createReview } from '../../src/features/reviews/reviews.service';
import { ARTIFACTS, newPage, signInWithKeyboard, startE2E, type E2E } from './support/browser';
import { find, letterheadProblems, orphanedHeadings, pageOf, printDocument, splitTableWords, wordsBeyondMargins, type Printed } from './support/print-layout';

/**
 * Every administrative print, printed to PDF by Chromium on this machine (no Times New Roman: the shipped Tinos) and
 * read back with the places of its words (issue 25): no word beyond the margins, no word or figure of a table split
 * across lines or cut off, the letterhead's two blocks apart, the signature block on the page of the document's last
 * line, wide tables on landscape pages, drafts marked. The demo office's data: 42 procedures, about 2,000 dossiers
 * (figures in the thousands), long Vietnamese names; the clock fixed on 5 December 2026.
 */
let e2e: E2E;
let page: Page;
const ids: Record<string, number> = {};

beforeAll(async () => {
  e2e = await startE2E({ clock: new FakeClock('2026-12-05T02:00:00Z') });
  const one = (sql: string) => Number((e2e.ctx.sqlite!.prepare(sql).get() as { id: number }).id);
  ids.audit = one(`select id from audits where status = 'closed' order by id limit 1`);
  ids.nc = one(`select id from nonconformities order by id limit 1`);
  ids.apology = one(`select id from apology_slips order by id limit 1`);
  ids.declaration = one(`select id from qms_declarations order by id desc limit 1`);
  ids.signedReview = one(`select id from management_reviews where status = 'signed' order by id desc limit 1`);
  const user = (name: string) => one(`select id from users where username = '${name}'`);
  // minutes still being written: printed as a draft
  ids.draftReview = await createReview(
    { ...e2e.ctx, db: scopedDb(e2e.ctx.db, 1) },
    {
      period_from: '2026-06-01',
      period_to: '2026-11-30',
      held_on: '2026-12-04',
      place: 'Phòng họp cơ quan',
      chair_id: user('lanhdao'),
      secretary_id: user('thuky'),
      attendee_ids: [user('phophong'), user('canbo')],
      guests: 'Đại diện Văn phòng HĐND và UBND huyện',
      assessments: emptyAssessments(),
      conclusions: 'Hệ thống quản lý chất lượng được duy trì, cần cải tiến việc giải quyết hồ sơ đúng hạn.',
    },
    user('thuky'),
  );
  page = await newPage(e2e);
  await signInWithKeyboard(e2e, page, 'thuky');
});
afterAll(async () => {
  await e2e?.close();
});

const printed = new Map<string, Printed>();
async function print(name: string, url: string): Promise<Printed> {
  const done = printed.get(name) ?? (await printDocument(page, `${e2e.base}${url}`));
  printed.set(name, done);
  writeFileSync(join(ARTIFACTS, `print-${name}.pdf`), done.pdf);
  return done;
}

/** The checks every administrative print passes. */
function expectSoundLayout(name: string, doc: Printed, options: { letterhead?: boolean } = {}): void {
  expect(wordsBeyondMargins(doc.pages), `${name}: words beyond the margins`).toEqual([]);
  expect(splitTableWords(doc), `${name}: table words not printed whole`).toEqual([]);
  if (options.letterhead !== false) expect(letterheadProblems(doc), `${name}: letterhead`).toEqual([]);
  expect(orphanedHeadings(doc.pages, doc.facts.headings), `${name}: headings alone at a page's foot`).toEqual([]);
  expect(doc.facts.summaryRule, `${name}: the short rule under the summary line`).toBe(true);
  const { lastBodyWords, signatureWords, signerNames } = doc.facts;
  const signaturePage = pageOf(doc.pages, signatureWords, true);
  expect(signaturePage, `${name}: signature block "${signatureWords.join(' ')}" printed`).toBeDefined();
  const lastLinePage = pageOf(doc.pages, lastBodyWords.slice(-2), true) ?? pageOf(doc.pages, lastBodyWords.slice(-1), true);
  expect(lastLinePage, `${name}: the signature block on the page of the last line "${lastBodyWords.join(' ')}"`).toBe(signaturePage);
  for (const signer of signerNames) {
    expect(pageOf(doc.pages, signer.split(/\s+/), true), `${name}: signer ${signer} on the page of the last line`).toBe(signaturePage);
  }
  // nothing but the page number after the signature block: "Số liệu lập lúc…" is no last page of its own
  expect(doc.pages.length, `${name}: pages after the signature block`).toBe(signaturePage);
}

const landscape = (p: { width: number; height: number }) => p.width > p.height;
const hasMark = (doc: Printed) => doc.pages[0].lines.join(' ').replace(/\s+/g, '').includes('DỰTHẢO');

describe('administrative prints laid out on the page', () => {
  it('the summary of all 42 procedures: landscape, every row, totals and the signature block', async () => {
    const doc = await print('summary', '/reports/summary/print?from=2026-01-01&to=2026-11-30');
    expectSoundLayout('summary', doc);
    expect(doc.pages.every(landscape), 'every page landscape').toBe(true);
    const codes = (e2e.ctx.sqlite!.prepare('select code from procedures where organisation_id = 1 order by code').all() as { code: string }[]).map(
      (r) => r.code,
    );
    expect(codes).toHaveLength(42);
    const words = new Set(doc.pages.flatMap((p) => p.words.map((w) => w.text)));
    expect(codes.filter((c) => !words.has(c))).toEqual([]);
    // the totals, in the thousands, printed once under the last row (not at the foot of every page)
    expect(find(doc.pages, ['Tổng', 'cộng', '(tất', 'cả', '42', 'quy', 'trình)'])).toBeDefined();
    expect(doc.pages.filter((p) => find([p], ['Tổng', 'cộng']))).toHaveLength(1);
    expect([...words].filter((w) => /^\d\.\d{3}$/.test(w)).length).toBeGreaterThan(0);
    expect(doc.pages.length).toBeLessThanOrEqual(8);
  });

  it('the annual report in draft: figures whole, the Biểu on a landscape page, marked DỰ THẢO', async () => {
    const doc = await print('annual-draft', '/reports/annual/2026');
    expectSoundLayout('annual 2026', doc);
    expect(hasMark(doc)).toBe(true);
    const form = doc.pages.find((p) => find([p], ['(13)']));
    expect(form && landscape(form), 'the Biểu II.06a on a landscape page').toBe(true);
    expect(landscape(doc.pages[0])).toBe(false);
  });

  it('the issued annual report: no draft mark', async () => {
    const doc = await print('annual-issued', '/reports/annual/2025');
    expectSoundLayout('annual 2025', doc);
    expect(hasMark(doc)).toBe(false);
  });

  it('the compliance report of a procedure', async () => {
    const doc = await print('procedure', `/reports/procedures/${encodeURIComponent('QT-BTXH-01')}?from=2026-01-01&to=2026-11-30`);
    expectSoundLayout('procedure', doc);
  });

  it('the management review minutes, signed and in draft', async () => {
    const signed = await print('review-signed', `/reviews/${ids.signedReview}/print`);
    expectSoundLayout('review signed', signed);
    expect(hasMark(signed)).toBe(false);
    const draft = await print('review-draft', `/reviews/${ids.draftReview}/print`);
    expectSoundLayout('review draft', draft);
    expect(hasMark(draft)).toBe(true);
  });

  it.each([
    ['audit', () => `/audits/${ids.audit}/report`],
    ['nonconformity', () => `/nonconformities/${ids.nc}/print`],
    ['apology', () => `/apologies/${ids.apology}/print`],
    ['declaration', () => `/declarations/${ids.declaration}/print`],
    ['objectives', () => '/objectives/print'],
    ['risks', () => '/risks/print'],
  ])('the %s print', async (name, url) => {
    const doc = await print(name, url());
    expectSoundLayout(name, doc);
  });
});
