import { AsyncLocalStorage } from 'node:async_hooks';
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import type { Principal, Role } from './principal.js';

/** The caller of the request being handled, across every await of its handler. */
const callers = new AsyncLocalStorage<Principal>();

/**
 * Holds the principal that the auth guard established while the request's pipes and handler run
 * (interceptors run after the guards and around both). Node's AsyncLocalStorage directly: nestjs-cls
 * did the same at about twice the extra CPU a single post (docs/BENCHMARKS.md, "Who calls").
 */
@Injectable()
export class CallerInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const principal = context.switchToHttp().getRequest<{ principal?: Principal }>().principal;
    if (!principal) return next.handle(); // a @Public route
    return new Observable((subscriber) => callers.run(principal, () => next.handle().subscribe(subscriber)));
  }
}

/**
 * Who is calling. Controllers and services ask it instead of passing the principal along, so that
 * what they check and what the access log records is always the caller of this request.
 */
@Injectable()
export class Caller {
  get principal(): Principal {
    const principal = callers.getStore();
    // A programming error, not a client's: a route without @Roles, or code run outside a request.
    if (!principal) throw new Error('No caller: this runs outside a request that the auth guard admitted');
    return principal;
  }

  /** The caller, narrowed to the roles the route's @Roles admit (a mismatch is a programming error). */
  as<R extends Role>(...roles: R[]): Extract<Principal, { role: R }> {
    const principal = this.principal;
    if (!(roles as Role[]).includes(principal.role)) throw new Error(`Expected a caller of ${roles.join(' or ')}, got ${principal.role}`);
    return principal as Extract<Principal, { role: R }>;
  }
}
