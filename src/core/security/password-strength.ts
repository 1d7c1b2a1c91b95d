import { createRequire } from 'node:module';
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { foldDiacritics } from '../text/fold';

/**
 * The estimator and its dictionaries load on the first password checked, not when the app or a CLI command starts:
 * loading them takes about 0.4 s, which every `qms` command paid before.
 */
const require = createRequire(import.meta.url);
const lazy = () =>
  ({
    core: require('@zxcvbn-ts/core') as typeof import('@zxcvbn-ts/core'),
    common: require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common'),
    en: require('@zxcvbn-ts/language-en') as typeof import('@zxcvbn-ts/language-en'),
  }) as const;

/**
 * How guessable a new password is, by zxcvbn-ts (a maintained estimator that knows the common passwords, words,
 * names, dates, keyboard rows, repeats and sequences), plus a few words Vietnamese users pick. A password is refused
 * below score 3 (about 10^8 guesses: too many for an online attacker held back by the sign-in throttle, and a slow
 * scrypt hash for an offline one), and whenever it equals or contains the username or the person's full name.
 */
export const MIN_SCORE = 3;

/** Only the first characters are estimated: the estimator's time grows fast with length (about 0.4 s at 64). */
export const ESTIMATED_LENGTH = 48;

/** Words the English and common lists lack but a Vietnamese office would try first. */
const VIETNAMESE_WORDS = [
  'matkhau',
  'matkhaumoi',
  'anhyeuem',
  'emyeuanh',
  'yeuem',
  'yeuanh',
  'toiyeuem',
  'vietnam',
  'hanoi',
  'saigon',
  'hochiminh',
  'danang',
  'haiphong',
  'namdinh',
  'nghiahung',
  'xinchao',
  'chaoban',
  'congan',
  'ubnd',
  'hdnd',
  'quantri',
  'quanly',
  'chatluong',
  'iso9001',
  'qms',
  'phongban',
  'vanphong',
  'motcua',
  'canbo',
  'lanhdao',
  'thuky',
  'nguyen',
  'tran',
  'pham',
];

export type PasswordWeakness = 'contains_identity' | 'common' | 'repeat' | 'sequence' | 'date' | 'guessable';

let estimator: ZxcvbnFactory | undefined;
function zxcvbn(): ZxcvbnFactory {
  if (estimator) return estimator;
  const { core, common, en } = lazy();
  estimator = new core.ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary, vietnamese: VIETNAMESE_WORDS },
    graphs: common.adjacencyGraphs,
    maxLength: ESTIMATED_LENGTH,
  });
  return estimator;
}

/** Letters and digits only, folded (no case, no diacritics): "Phạm Văn Minh" → "phamvanminh". */
const squeeze = (text: string) => foldDiacritics(text).replace(/[^a-z0-9]/g, '');

/** The estimator's warnings (its untranslated keys), grouped into what the form tells the user. */
const WARNINGS: Record<string, PasswordWeakness> = {
  straightRow: 'sequence',
  keyPattern: 'sequence',
  sequences: 'sequence',
  simpleRepeat: 'repeat',
  extendedRepeat: 'repeat',
  recentYears: 'date',
  dates: 'date',
  topTen: 'common',
  topHundred: 'common',
  common: 'common',
  similarToCommon: 'common',
  pwned: 'common',
  userInputs: 'contains_identity',
};

/**
 * Why a new password would be refused, or undefined when it is good enough. `who` is the account it is for: its
 * username and full name, refused inside the password (case and diacritics ignored; a username of fewer than 3
 * letters only when it is the whole password).
 */
export function passwordWeakness(password: string, who: { username?: string; fullName?: string }): PasswordWeakness | undefined {
  const pw = squeeze(password);
  const username = squeeze(who.username ?? '');
  const fullName = squeeze(who.fullName ?? '');
  if (username && (pw === username || (username.length >= 3 && pw.includes(username)))) return 'contains_identity';
  if (fullName && fullName.length >= 3 && pw.includes(fullName)) return 'contains_identity';
  const inputs = [who.username ?? '', ...(who.fullName ?? '').split(/\s+/), foldDiacritics(who.fullName ?? '').replace(/\s+/g, '')].filter(
    (s) => s.length >= 2,
  );
  const result = zxcvbn().check(password.normalize('NFC').slice(0, ESTIMATED_LENGTH), inputs);
  if (result.score >= MIN_SCORE) return undefined;
  return (result.feedback.warning && WARNINGS[result.feedback.warning]) || 'guessable';
}
