import { SetMetadata } from '@nestjs/common';
import type { Role } from './principal.js';

export const ROLES_KEY = 'auth:roles';
export const PUBLIC_KEY = 'auth:public';

/** The roles that may call a route. A route with neither @Roles nor @Public is refused to everyone. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** A route that needs no credentials (health, documentation, public keys). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
