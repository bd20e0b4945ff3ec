import { message, type Message, type MessageKey, type MessageParams } from './messages.js';

/**
 * One invalid field of a request: `path` names it the way the client wrote it (e.g. `entries[3].hours`);
 * the message is rendered in the response's language (common/messages.ts).
 */
export interface FieldError {
  path: string;
  message: Message;
}

export const fieldError = (path: string, key: MessageKey, params?: MessageParams): FieldError => ({ path, message: message(key, params) });

/**
 * An error the domain raises on purpose. The code is stable (clients and tests match on it); the
 * status lives here too, so that one filter maps every domain error the same way; the title comes
 * from the status and the detail from the message catalogue, both rendered per request.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly detail: Message,
    readonly errors?: FieldError[],
    /** Response headers the error implies (e.g. Retry-After). */
    readonly headers?: Record<string, string>,
  ) {
    super(`${code}: ${detail.key}`);
  }
}

export class InvalidRequestError extends DomainError {
  constructor(errors: FieldError[], detail: Message = message('REQUEST.INVALID')) {
    super('REQUEST.INVALID', 422, detail, errors);
  }
}

export class NotFoundError extends DomainError {
  constructor(code: string, detail: Message) {
    super(code, 404, detail);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, detail: Message, errors?: FieldError[]) {
    super(code, 409, detail, errors);
  }
}

export class ServiceUnavailableError extends DomainError {
  constructor(code: string, detail: Message, retryAfterSeconds: number) {
    super(code, 503, detail, undefined, { 'retry-after': String(retryAfterSeconds) });
  }
}
