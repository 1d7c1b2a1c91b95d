import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verify } from '../../src/core/audit-log/audit-log';
import { orgMergeCommand, orgSplitCommand } from '../../src/features/organisation/organisation.reorg.cli';
import { ReorgRefused } from '../../src/features/organisation/organisation.reorg.service';
import { createTestApp, one, rows, type TestApp } from '../support/app';
import { addOrganisation, type OtherOrganisation } from '../support/orgs';

/**
 * The functions behind the CLI's org:merge and org:split (src/cli.ts prints the line they return, and a refusal's
 * message as its one-line reason). The CLI has no acting user: it may reorganise any organisation, and its lineage
 * rows and log entries name no one.
 */
let t: TestApp;
let h1: OtherOrganisation;
let h2: OtherOrganisation;
let h3: OtherOrganisation;

const refusal = async (work: Promise<unknown>): Promise<string> => {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ReorgRefused);
  return (err as ReorgRefused).message;
};

beforeAll(async () => {
  t = await createTestApp();
  h1 = await addOrganisation(t, 'H1');
  h2 = await addOrganisation(t, 'H2');
  h3 = await addOrganisation(t, 'H3');
});
afterAll(async () => t.close());

describe('org:merge and org:split', () => {
  it('refuses a missing option, an unknown code, a bad date, an empty reason, a line without a name', async () => {
    expect(await refusal(orgMergeCommand(t.appCtx, ['--from', 'H1', '--on', '2025-07-01', '--reason', 'x']))).toBe('--into is required');
    expect(await refusal(orgMergeCommand(t.appCtx, ['--into', 'H3', '--from', 'H1,NOPE', '--on', '2025-07-01', '--reason', 'x']))).toBe(
      'no organisation with code NOPE under yours',
    );
    expect(await refusal(orgMergeCommand(t.appCtx, ['--into', 'H3', '--from', 'H1', '--on', '01/07/2025', '--reason', 'x']))).toBe(
      'the date is not a valid date (YYYY-MM-DD)',
    );
    expect(await refusal(orgMergeCommand(t.appCtx, ['--into', 'H3', '--from', 'H1', '--on', '2025-07-01', '--reason', ' ']))).toBe('a reason is required');
    expect(await refusal(orgSplitCommand(t.appCtx, ['--from', 'H3', '--into', 'X1,X2:Hai', '--on', '2025-07-01', '--reason', 'x']))).toBe(
      '"X1" must be CODE:NAME',
    );
    expect(await rows(t, 'select id from organisation_lineage')).toEqual([]);
  });

  it('merges H1 and H2 into a new commune XA-CLI (--name), then splits H3', async () => {
    const merged = await orgMergeCommand(t.appCtx, [
      '--into',
      'XA-CLI',
      '--name',
      'UBND xã Mới',
      '--from',
      'H1,H2',
      '--on',
      '2025-07-01',
      '--reason',
      'Sáp nhập',
    ]);
    const xa = (await one<{ id: number }>(t, "select id from organisation where code = 'XA-CLI'"))!.id;
    expect(merged).toBe(`H1, H2 merged into XA-CLI (created, id ${xa}); 8 user(s) moved`);
    expect(await rows(t, 'select predecessor_id, successor_id, kind, created_by from organisation_lineage order by id')).toEqual([
      { predecessor_id: h1.id, successor_id: xa, kind: 'merge', created_by: null },
      { predecessor_id: h2.id, successor_id: xa, kind: 'merge', created_by: null },
    ]);
    const split = await orgSplitCommand(t.appCtx, ['--from', 'H3', '--into', 'XA-A:Xã A,XA-B:Xã B', '--on', '2025-07-01', '--reason', 'Chia tách']);
    expect(split).toMatch(/^H3 split into XA-A \(id \d+\), XA-B \(id \d+\)$/);
    expect(await rows(t, "select code, status from organisation where code in ('H1', 'H2', 'H3', 'XA-CLI') order by code")).toEqual([
      { code: 'H1', status: 'read_only' },
      { code: 'H2', status: 'read_only' },
      { code: 'H3', status: 'read_only' },
      { code: 'XA-CLI', status: 'active' },
    ]);
    // into an existing organisation: XA-A takes XA-B
    expect(await orgMergeCommand(t.appCtx, ['--into', 'xa-a', '--from', 'XA-B', '--on', '2026-01-01', '--reason', 'Gộp'])).toBe(
      'XA-B merged into XA-A; 0 user(s) moved',
    );
    expect(await refusal(orgMergeCommand(t.appCtx, ['--into', 'XA-CLI', '--from', 'H1', '--on', '2026-01-01', '--reason', 'Lần nữa']))).toBe(
      'organisation H1 is read-only (merged or split already): it cannot be reorganised',
    );
    expect((await verify(t.appCtx.db)).ok).toBe(true);
    expect(h3.users.staff).toBeGreaterThan(0);
  });
});
