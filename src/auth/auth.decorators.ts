import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal, Role } from './principal.js';

export const ROLES_KEY = 'auth:roles';
export const PUBLIC_KEY = 'auth:public';

/** The roles that may call a route. A route with neither @Roles nor @Public is refused to everyone. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** A route that needs no credentials (health, documentation, public keys). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => context.switchToHttp().getRequest().principal,
);

/** Narrows the principal for routes whose @Roles admit exactly one role. */
export function principalOf<R extends Role>(principal: Principal, role: R): Extract<Principal, { role: R }> {
  if (principal.role !== role) throw new Error(`Expected a ${role} principal, got ${principal.role}`);
  return principal as Extract<Principal, { role: R }>;
}
