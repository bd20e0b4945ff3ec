import type { FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { DomainError } from '../common/domain-error.js';
import { message } from '../common/messages.js';
import type { SessionData } from './session.store.js';

/** A state-changing request made with the session cookie must carry the session's CSRF token. */
export function assertCsrf(request: FastifyRequest, session: SessionData): void {
  const sent = request.headers['x-csrf-token'];
  const ok = typeof sent === 'string' && sent.length === session.csrfToken.length && timingSafeEqual(Buffer.from(sent), Buffer.from(session.csrfToken));
  if (!ok) throw new DomainError('AUTH.CSRF', 403, message('AUTH.CSRF'));
}

