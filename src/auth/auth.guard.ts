import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators.js';
import { ForbiddenError, UnauthenticatedError } from './auth.errors.js';
import { AuthFailureLimiter } from './auth-failure-limiter.js';
import { admitCaller } from './caller.js';
import { Authenticator } from './authenticator.service.js';
import type { Principal, Role } from './principal.js';
import { SESSION_COOKIE } from '../sessions/session.store.js';
import { assertCsrf } from '../sessions/csrf.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Global guard: establishes the principal from `Authorization: Bearer …` (or the session cookie),
 * checks the route's @Roles and admits it as the request's caller (caller.ts). Fails closed: a route
 * that declares no roles is refused unless it is @Public. A client address that keeps sending wrong
 * credentials is refused before they are even looked up.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    private readonly failures: AuthFailureLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<FastifyRequest>();
    await this.failures.assertNotBlocked(request.ip);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    const principal = request.headers.authorization
      ? await this.authenticator.fromAuthorization(request.headers.authorization)
      : await this.fromSessionCookie(request, roles);
    if (!principal) {
      // A missing header is no guess; a wrong key or token is.
      if (request.headers.authorization) await this.failures.record(request.ip);
      throw new UnauthenticatedError();
    }
    if (!roles.includes(principal.role)) throw new ForbiddenError();
    admitCaller(principal);
    return true;
  }

  /** A session works wherever its person's token or its organisation's key works; changes need its CSRF token. */
  private async fromSessionCookie(request: FastifyRequest, roles: readonly Role[]): Promise<Principal | null> {
    const id = request.cookies?.[SESSION_COOKIE];
    const found = id ? await this.authenticator.fromSession(id, roles) : null;
    if (!found) return null;
    if (!SAFE_METHODS.has(request.method)) assertCsrf(request, found.session);
    return found.principal;
  }
}
