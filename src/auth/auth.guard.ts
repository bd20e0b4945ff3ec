import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { maskIdNumber } from '../common/id-number.js';
import { PiiService } from '../common/pii.service.js';
import type { AppConfig } from '../config/environment.js';
import { ApiClientsRepository } from './api-clients.repository.js';
import { hashApiKey, looksLikeJwt } from './api-keys.js';
import { ApplicantTokensService } from './applicant-tokens.service.js';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators.js';
import { ForbiddenError, UnauthenticatedError } from './auth.errors.js';
import type { Principal, Role } from './principal.js';

/**
 * Global guard: establishes the principal from `Authorization: Bearer …` and checks the route's
 * @Roles. Fails closed: a route that declares no roles is refused unless it is @Public.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly adminKeyHash: Buffer;

  constructor(
    private readonly reflector: Reflector,
    private readonly clients: ApiClientsRepository,
    private readonly applicantTokens: ApplicantTokensService,
    private readonly pii: PiiService,
    config: ConfigService<AppConfig, true>,
  ) {
    this.adminKeyHash = hashApiKey(config.get('ADMIN_API_KEY', { infer: true }));
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    const principal = await this.authenticate(request.headers.authorization);
    if (!principal) throw new UnauthenticatedError();
    request.principal = principal;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    if (!roles.includes(principal.role)) throw new ForbiddenError();
    return true;
  }

  private async authenticate(header: string | undefined): Promise<Principal | null> {
    const match = /^Bearer ([\x21-\x7e]{1,4096})$/.exec(header ?? '');
    if (!match) return null;
    const credential = match[1];

    if (looksLikeJwt(credential)) {
      const idNumber = await this.applicantTokens.verify(credential);
      return idNumber ? { role: 'applicant', personKey: this.pii.lookupHash(idNumber), idNumberMasked: maskIdNumber(idNumber) } : null;
    }
    const keyHash = hashApiKey(credential);
    if (timingSafeEqual(keyHash, this.adminKeyHash)) return { role: 'admin', clientId: null };
    const client = await this.clients.findByKeyHash(keyHash);
    if (!client) return null;
    switch (client.role) {
      case 'provider':
        return client.providerId ? { role: 'provider', clientId: client.id, providerId: client.providerId } : null;
      case 'title_system':
        return { role: 'title_system', clientId: client.id };
      case 'admin':
        return { role: 'admin', clientId: client.id };
      default:
        return null;
    }
  }
}
