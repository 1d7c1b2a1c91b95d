import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt from node:crypto; parameters are stored with each hash so they can be raised later. */
const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;

/**
 * The work factor of new hashes: N = 2^15, about 150 ms of a core. Only when NODE_ENV is "test" may
 * QMS_TEST_SCRYPT_LOG2_N lower it (to 2^10 … 2^14): the test suite signs in about a thousand times and would spend
 * minutes of its 2-core budget in scrypt. Every hash carries its own parameters, so a hash made either way verifies
 * either way; in any other environment the variable is ignored.
 */
function paramsOfNewHashes(): { N: number; r: number; p: number } {
  const lowered = process.env.NODE_ENV === 'test' ? Number(process.env.QMS_TEST_SCRYPT_LOG2_N) : Number.NaN;
  return Number.isInteger(lowered) && lowered >= 10 && lowered < 15 ? { ...PARAMS, N: 2 ** lowered } : PARAMS;
}
const KEY_LENGTH = 64;
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));
}

const maxmemFor = (N: number, r: number) => 128 * N * r * 2;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p } = paramsOfNewHashes();
  const key = await scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { N, r, p, maxmem: maxmemFor(N, r) });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4], 'base64url');
  const expected = Buffer.from(parts[5], 'base64url');
  const key = await scrypt(password.normalize('NFC'), salt, expected.length, { N, r, p, maxmem: maxmemFor(N, r) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash of a random password, to spend the same time when the username does not exist. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(18).toString('base64url'));
  return dummyHash;
}

export function passwordProblem(password: string): string | undefined {
  if (password.length < PASSWORD_MIN) return 'validation.password_short';
  if (password.length > PASSWORD_MAX) return 'validation.password_long';
  return undefined;
}
