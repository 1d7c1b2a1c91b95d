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
  constructor(messageKey = 'error.forbidden') {
    super(403, messageKey);
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
