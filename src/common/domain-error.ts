/** One invalid field of a request: `path` names it the way the client wrote it (e.g. `entries[3].hours`). */
export interface FieldError {
  path: string;
  message: string;
}

/**
 * An error the domain raises on purpose. The code is stable (clients and tests match on it);
 * the HTTP status lives here too so that one filter maps every domain error the same way.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly title: string,
    detail?: string,
    readonly errors?: FieldError[],
    /** Response headers the error implies (e.g. Retry-After). */
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? title);
  }
}

export class InvalidRequestError extends DomainError {
  constructor(errors: FieldError[], detail = 'The request has invalid fields; see errors.') {
    super('REQUEST.INVALID', 422, 'Invalid request', detail, errors);
  }
}

export class NotFoundError extends DomainError {
  constructor(code: string, detail: string) {
    super(code, 404, 'Not found', detail);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, detail: string, errors?: FieldError[]) {
    super(code, 409, 'Conflict', detail, errors);
  }
}

export class ServiceUnavailableError extends DomainError {
  constructor(code: string, detail: string, retryAfterSeconds: number) {
    super(code, 503, 'Service unavailable', detail, undefined, { 'retry-after': String(retryAfterSeconds) });
  }
}
