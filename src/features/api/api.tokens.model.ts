import { createHash, randomBytes } from 'node:crypto';
import { API_SCOPES, type ApiScope } from './api.tables';

/**
 * API tokens as values: `qms_` and 43 characters of base64url (256 random bits from node:crypto). Only the SHA-256 of
 * the whole token is stored: with that much randomness a slow hash (scrypt) protects nothing more and would cost every
 * request milliseconds. The prefix (`qms_` and 8 characters) is stored to let an admin recognise a token.
 */
export const TOKEN_PREFIX = 'qms_';
const TOKEN_PATTERN = /^qms_[A-Za-z0-9_-]{43}$/;
export const SHOWN_PREFIX_LENGTH = TOKEN_PREFIX.length + 8;

export interface NewToken {
  /** The token itself: shown once, never stored. */
  token: string;
  prefix: string;
  hash: string;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function newToken(): NewToken {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { token, prefix: token.slice(0, SHOWN_PREFIX_LENGTH), hash: hashToken(token) };
}

/** Whether a presented string has the shape of one of our tokens (anything else is refused without a lookup). */
export const looksLikeToken = (text: string): boolean => TOKEN_PATTERN.test(text);

/** Scopes as stored: known ones only, sorted, space-separated. */
export const scopesText = (scopes: readonly ApiScope[]): string => [...new Set(scopes)].sort().join(' ');

export const scopesOf = (text: string): ApiScope[] => text.split(' ').filter((s): s is ApiScope => (API_SCOPES as readonly string[]).includes(s));

/** A token is valid through its expiry date, in the organisation's local time. */
export const isExpired = (expiresOn: string, today: string): boolean => expiresOn < today;
