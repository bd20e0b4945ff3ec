import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { timingSafeEqual } from 'node:crypto';
import { maskIdNumber } from '../common/id-number.js';
import { PiiService } from '../common/pii.service.js';
import type { AppConfig } from '../config/environment.js';
import { ApiClientsRepository } from './api-clients.repository.js';
import { hashApiKey, looksLikeJwt } from './api-keys.js';
import { ApplicantTokensService } from './applicant-tokens.service.js';
import type { Principal, Role } from './principal.js';
import { type Acting, type SessionData, SessionStore } from '../sessions/session.store.js';

/** The identity of the bootstrap administrator key (ADMIN_API_KEY), which has no client row: how the logs name it. */
export const BOOTSTRAP_ADMIN_ID = 'admin:bootstrap';
export const BOOTSTRAP_ADMIN_NAME = '系统管理员（启动密钥）';

/**
 * Who a credential is: the one place that turns an API key or applicant token into a principal, for
 * the API's guard and for the pages mounted beside it (the queue dashboard).
 */
@Injectable()
export class Authenticator {
  private readonly adminKeyHash: Buffer;

  constructor(
    private readonly sessions: SessionStore,
    private readonly clients: ApiClientsRepository,
    private readonly applicantTokens: ApplicantTokensService,
    private readonly pii: PiiService,
    config: ConfigService<AppConfig, true>,
  ) {
    this.adminKeyHash = hashApiKey(config.get('ADMIN_API_KEY', { infer: true }));
  }

  /**
   * The principal of a session cookie, with the session (for its CSRF token); null for an unknown or
   * expired one. An organisation that acts for several (a provider that also employs) acts here as
   * the first of them that `roles` admits.
   */
  async fromSession(sessionId: string, roles: readonly Role[] = []): Promise<{ principal: Principal; session: SessionData } | null> {
    const session = await this.sessions.get(sessionId);
    if (!session) return null;
    if (session.kind === 'applicant') {
      const principal: Principal = {
        role: 'applicant',
        personKey: Buffer.from(session.personKey!, 'hex'),
        idNumberMasked: session.idNumberMasked!,
        idNumberCipher: session.idNumberCipher ? Buffer.from(session.idNumberCipher, 'base64') : undefined,
        name: session.name || undefined,
      };
      return { principal, session };
    }
    const acting = session.acting.find((a) => roles.includes(a.role)) ?? session.acting[0];
    // One that acts for nothing the API knows may only read its session.
    return acting ? { principal: organisationPrincipal(`org:${session.orgCode ?? acting.id}`, acting), session } : null;
  }

  /** The principal of `Authorization: Bearer …`; null for a missing, malformed or unknown credential. */
  fromAuthorization(header: string | undefined): Promise<Principal | null> {
    const match = /^Bearer ([\x21-\x7e]{1,4096})$/.exec(header ?? '');
    return match ? this.fromCredential(match[1]) : Promise.resolve(null);
  }

  async fromCredential(credential: string): Promise<Principal | null> {
    if (looksLikeJwt(credential)) {
      const verified = await this.applicantTokens.verify(credential);
      if (!verified) return null;
      const { idNumber, idNumberCipher } = verified;
      return { role: 'applicant', personKey: this.pii.lookupHash(idNumber), idNumberMasked: maskIdNumber(idNumber), idNumberCipher };
    }
    const keyHash = hashApiKey(credential);
    if (timingSafeEqual(keyHash, this.adminKeyHash)) return { role: 'admin', clientId: BOOTSTRAP_ADMIN_ID, name: BOOTSTRAP_ADMIN_NAME };
    const client = await this.clients.findByKeyHash(keyHash);
    if (!client) return null;
    switch (client.role) {
      case 'provider':
        return client.providerId ? { role: 'provider', clientId: client.id, providerId: client.providerId, name: client.name } : null;
      case 'title_system':
        return { role: 'title_system', clientId: client.id, name: client.name };
      case 'admin':
        return { role: 'admin', clientId: client.id, name: client.name };
      case 'employer':
        return client.employerId ? { role: 'employer', clientId: client.id, employerId: client.employerId, name: client.name } : null;
      case 'authority':
        return { role: 'authority', clientId: client.id, name: client.name };
      default:
        return null;
    }
  }
}

function organisationPrincipal(clientId: string, acting: Acting): Principal {
  switch (acting.role) {
    case 'provider':
      return { role: 'provider', clientId, providerId: acting.id, name: acting.name };
    case 'employer':
      return { role: 'employer', clientId, employerId: acting.id, name: acting.name };
    case 'authority':
      return { role: 'authority', clientId, name: acting.name };
  }
}
