import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import type { Principal, Role } from './principal.js';

/** What the auth guard learns of a request's caller, kept for the rest of the request. */
interface CallerScope {
  principal?: Principal;
}

const scopes = new AsyncLocalStorage<CallerScope>();

/**
 * A Fastify preHandler hook (bootstrap.ts): the request's handler — Nest's guards, pipes and
 * controller — runs in a scope of its own, which the auth guard fills (`admitCaller`). A hook rather
 * than a Nest interceptor: the first global interceptor puts every request through Nest's RxJS
 * pipeline, which cost more CPU a single post than the storage itself (docs/BENCHMARKS.md, "Who calls").
 */
export function openCallerScope(_request: unknown, _reply: unknown, done: () => void): void {
  scopes.run({}, done);
}

/** The auth guard's: the principal it established is the caller for the rest of the request. */
export function admitCaller(principal: Principal): void {
  const scope = scopes.getStore();
  if (!scope) throw new Error('No caller scope: openCallerScope is not registered as a preHandler hook');
  scope.principal = principal;
}

/**
 * Who is calling. Controllers and services ask it instead of passing the principal along, so that
 * what they check and what the access log records is always the caller of this request.
 */
@Injectable()
export class Caller {
  get principal(): Principal {
    const principal = scopes.getStore()?.principal;
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
