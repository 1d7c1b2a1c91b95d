import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareVi, sortVi } from '../../src/core/text/collate';
import { insertUnit } from '../../src/features/units/units.queries';
import { insertUser, listActiveUserOptions } from '../../src/features/users/users.queries';
import { createTestApp, type SignedIn, type TestApp } from '../support/app';

/**
 * Names sort in Vietnamese alphabetical order: a < ă < â < b < c < d < đ < e < ê … (each accented vowel right after
 * its bare letter), whereas SQLite's ORDER BY compares bytes and puts "Đ" (U+0110) and "Á" (U+00C1) after "Z".
 */
let t: TestApp;
let admin: SignedIn;
const NAMES = ['Zung Thị Yến', 'Đặng Văn Bình', 'Dương Minh Anh', 'Ánh Hồng', 'Anh Tuấn', 'Bùi Thu Hà'];
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signIn('admin');
  const at = t.clock.now().toISOString();
  for (const [i, full_name] of NAMES.entries()) {
    await insertUser(t.ctx.db, { username: `nguoi${i}`, full_name, role: 'staff', unit_id: null, email: null, position_title: null, password_hash: 'x' }, at);
  }
  await insertUnit(t.ctx.db, { code: 'ĐT', name: 'Tổ Đào tạo' }, at);
  await insertUnit(t.ctx.db, { code: 'DV', name: 'Tổ Dịch vụ' }, at);
  await insertUnit(t.ctx.db, { code: 'ZA', name: 'Tổ Z' }, at);
});
afterAll(async () => t.close());

// Hand-sorted: a diacritic on a vowel only breaks ties, so "Ánh Hồng" < "Anh Tuấn" (h < t decides first); đ is a
// letter of its own after d, so "Dương" < "Đặng" < "Zung".
const EXPECTED = ['Ánh Hồng', 'Anh Tuấn', 'Bùi Thu Hà', 'Dương Minh Anh', 'Đặng Văn Bình', 'Zung Thị Yến'];

describe('Vietnamese sort order', () => {
  it('compares letters the Vietnamese way', () => {
    expect(compareVi('Dung', 'Đặng')).toBeLessThan(0);
    expect(compareVi('Đặng', 'Zung')).toBeLessThan(0);
    expect(compareVi('Anh', 'Ánh')).toBeLessThan(0);
    expect(compareVi('Ánh', 'Ba')).toBeLessThan(0);
    expect(sortVi([{ n: 'Đ' }, { n: 'E' }, { n: 'D' }], (r) => r.n).map((r) => r.n)).toEqual(['D', 'Đ', 'E']);
    // Byte order, as SQLite would: Đ and Á after Z.
    expect(compareVi('Dzung', 'Đa')).toBeLessThan(0);
    expect([...EXPECTED].sort()).toEqual(['Anh Tuấn', 'Bùi Thu Hà', 'Dương Minh Anh', 'Zung Thị Yến', 'Ánh Hồng', 'Đặng Văn Bình']);
  });

  it('orders the owner and auditor pickers', async () => {
    const names = (await listActiveUserOptions(t.ctx.db)).map((u) => u.full_name).filter((n) => NAMES.includes(n));
    expect(names).toEqual(EXPECTED);
  });

  it('orders the users page and the units page', async () => {
    const users = (await admin.get('/admin/users')).text;
    const positions = EXPECTED.map((n) => users.indexOf(n));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    const units = (await admin.get('/admin/units')).text;
    // Codes DV < ĐT < LĐTBXH < VP < ZA (d before đ; byte order would put ĐT last).
    const codes = ['DV', 'ĐT', 'LĐTBXH', 'VP', 'ZA'].map((c) => units.indexOf(`>${c}<`));
    expect(codes.every((p) => p > 0)).toBe(true);
    expect([...codes].sort((a, b) => a - b)).toEqual(codes);
  });
});
