/** Errors that carry their HTTP meaning; the error handler decides by type. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    /** i18n key of the message shown to the user. */
    readonly messageKey: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(messageKey);
  }
}

export class BadRequest extends HttpError {
  constructor(messageKey = 'error.bad_request', params: Record<string, string | number> = {}) {
    super(400, messageKey, params);
  }
}
export class Forbidden extends HttpError {
  constructor(messageKey = 'error.forbidden', params: Record<string, string | number> = {}) {
    super(403, messageKey, params);
  }
}
export class NotFound extends HttpError {
  constructor(messageKey = 'error.not_found') {
    super(404, messageKey);
  }
}
export class Conflict extends HttpError {
  constructor(messageKey = 'error.conflict', params: Record<string, string | number> = {}) {
    super(409, messageKey, params);
  }
}
export class PayloadTooLarge extends HttpError {
  constructor(messageKey = 'error.too_large', params: Record<string, string | number> = {}) {
    super(413, messageKey, params);
  }
}
export class TooManyRequests extends HttpError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'error.too_many_requests', { seconds: retryAfterSeconds });
  }
}

/**
 * 503: the request could not be served now and nothing was written — the database is locked by a long writer (a large
 * import) or the disk is full. `retryAfterSeconds` becomes the Retry-After header when the wait is worth trying again.
 */
export class ServiceUnavailable extends HttpError {
  constructor(
    messageKey = 'error.busy',
    readonly retryAfterSeconds: number | null = null,
    params: Record<string, string | number> = {},
  ) {
    super(503, messageKey, params);
  }
}

export interface FieldError {
  key: string;
  params?: Record<string, string | number>;
}

/** A form that did not validate: re-render `view` with 422, the messages next to the fields and the values kept. */
export class ValidationError extends Error {
  constructor(
    readonly fieldErrors: Record<string, FieldError>,
    readonly values: Record<string, unknown>,
    readonly view: string,
    readonly locals: Record<string, unknown> = {},
  ) {
    super('validation failed');
  }
}

/** The error's own code and those of its causes (a worker's error arrives as a copy; Kysely's may wrap SQLite's). */
function codesOf(err: unknown): string[] {
  const codes: string[] = [];
  for (let e = err, depth = 0; typeof e === 'object' && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
  }
  return codes;
}

/**
 * PostgreSQL's codes for the same situation: a lock not granted within lock_timeout (55P03 lock_not_available), and
 * a transaction the server gave up to let another one through (40001 serialization_failure, 40P01 deadlock_detected).
 * Each means "try again shortly"; nothing of the transaction was written.
 */
const POSTGRES_BUSY = new Set(['55P03', '40001', '40P01']);

/**
 * Another connection holds the write lock (a CLI import, the web import's worker, another app process): SQLITE_BUSY
 * and its extended codes on SQLite, the lock-wait and retry codes above on PostgreSQL.
 */
export function isDatabaseBusy(err: unknown): boolean {
  return codesOf(err).some((code) => code.startsWith('SQLITE_BUSY') || POSTGRES_BUSY.has(code));
}

/** No room left to write: SQLite's SQLITE_FULL (disk full, or the database's max_page_count), PostgreSQL's disk_full (53100), or a file write's ENOSPC / EDQUOT. */
export function isDiskFull(err: unknown): boolean {
  return codesOf(err).some((code) => code.startsWith('SQLITE_FULL') || code === 'ENOSPC' || code === 'EDQUOT' || code === '53100');
}

/**
 * SQLite rolls a transaction back by itself after SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM or SQLITE_BUSY; the ROLLBACK
 * that follows then fails with this message, and that error is the one that reaches us, without the cause.
 */
export function isRollbackWithoutTransaction(err: unknown): boolean {
  return err instanceof Error && /cannot rollback - no transaction is active/.test(err.message);
}
