import { DomainError } from '../common/domain-error.js';
import { message } from '../common/messages.js';

export class UnauthenticatedError extends DomainError {
  constructor() {
    super('AUTH.UNAUTHENTICATED', 401, message('AUTH.UNAUTHENTICATED'));
  }
}

export class ForbiddenError extends DomainError {
  constructor() {
    super('AUTH.FORBIDDEN', 403, message('AUTH.FORBIDDEN'));
  }
}
