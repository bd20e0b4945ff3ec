import { DomainError } from '../common/domain-error.js';

export class UnauthenticatedError extends DomainError {
  constructor(detail = 'Send Authorization: Bearer <API key or applicant token>.') {
    super('AUTH.UNAUTHENTICATED', 401, 'Unauthenticated', detail);
  }
}

export class ForbiddenError extends DomainError {
  constructor(detail = 'Your role may not call this endpoint.') {
    super('AUTH.FORBIDDEN', 403, 'Forbidden', detail);
  }
}
