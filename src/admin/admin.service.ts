import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiClientsRepository } from '../auth/api-clients.repository.js';
import { generateWebhookSecret } from '../auth/api-keys.js';
import { KeysService } from '../keys/keys.service.js';
import { ApplicantTokensService } from '../auth/applicant-tokens.service.js';
import type { ApiRole } from '../auth/principal.js';
import { ConflictError, fieldError, InvalidRequestError } from '../common/domain-error.js';
import { message } from '../common/messages.js';
import { newId } from '../common/ids.js';
import { PiiService } from '../common/pii.service.js';
import { transactionWithRetry } from '../database/transactions.js';
import { EmployersRepository } from './employers.repository.js';
import { ProvidersRepository } from './providers.repository.js';

const DEFAULT_TOKEN_TTL_SECONDS = 3600;

@Injectable()
export class AdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clients: ApiClientsRepository,
    private readonly providers: ProvidersRepository,
    private readonly employers: EmployersRepository,
    private readonly applicantTokens: ApplicantTokensService,
    private readonly pii: PiiService,
    private readonly keys: KeysService,
  ) {}

  /** A provider and its API key, in one transaction. */
  async createProvider(code: string, name: string, orgCode: string | null = null) {
    const id = newId();
    const createdAt = new Date();
    const apiKey = await transactionWithRetry(this.dataSource, async (manager) => {
      if (!(await this.providers.insert({ id, code, name, orgCode, createdAt }, manager))) {
        throw new ConflictError('ADMIN.PROVIDER_CODE_TAKEN', message('ADMIN.PROVIDER_CODE_TAKEN', { code }), [fieldError('code', 'FIELD.TAKEN', { value: code })]);
      }
      const clientId = newId();
      await this.clients.insert({ id: clientId, name, role: 'provider', providerId: id, createdAt }, manager);
      return (await this.keys.issue(manager, clientId)).apiKey;
    });
    return { id, code, name, orgCode, apiKey };
  }

  async createEmployer(orgCode: string, name: string) {
    const id = newId();
    if (!(await this.employers.insert({ id, orgCode, name, createdAt: new Date() }))) {
      throw new ConflictError('ADMIN.EMPLOYER_TAKEN', message('ADMIN.EMPLOYER_TAKEN', { orgCode }), [fieldError('orgCode', 'FIELD.TAKEN', { value: orgCode })]);
    }
    return { id, orgCode, name };
  }

  /**
   * A client and its API key, shown this once. A title system also gets the secret that signs its
   * webhooks; an employer client reviews for one employer; an authority may carry its organisation code.
   */
  async createClient(name: string, role: Exclude<ApiRole, 'provider'>, options: { employerId?: string; orgCode?: string } = {}) {
    const errors = [
      ...(role !== 'employer' && options.employerId !== undefined ? [fieldError('employerId', 'FIELD.ONLY_FOR_ROLE', { role: 'employer' })] : []),
      ...(role !== 'authority' && options.orgCode !== undefined ? [fieldError('orgCode', 'FIELD.ONLY_FOR_ROLE', { role: 'authority' })] : []),
      ...(role === 'employer' && options.employerId !== undefined && !(await this.employers.findById(options.employerId))
        ? [fieldError('employerId', 'FIELD.UNKNOWN_EMPLOYER')]
        : []),
    ];
    if (errors.length > 0) throw new InvalidRequestError(errors);
    const id = newId();
    const webhookSecret = role === 'title_system' ? generateWebhookSecret() : undefined;
    const { apiKey } = await transactionWithRetry(this.dataSource, async (manager) => {
      const inserted = await this.clients.insert(
        {
          id,
          name,
          role,
          providerId: null,
          employerId: options.employerId ?? null,
          orgCode: options.orgCode ?? null,
          webhookSecretCipher: webhookSecret ? this.pii.encrypt(webhookSecret) : undefined,
          createdAt: new Date(),
        },
        manager,
      );
      if (!inserted) throw new ConflictError('ADMIN.ORG_CODE_TAKEN', message('ADMIN.ORG_CODE_TAKEN', { orgCode: options.orgCode }), [fieldError('orgCode', 'FIELD.TAKEN', { value: options.orgCode })]);
      return this.keys.issue(manager, id);
    });
    return { id, name, role, apiKey, ...(options.employerId ? { employerId: options.employerId } : {}), ...(webhookSecret ? { webhookSecret } : {}) };
  }

  mintApplicantToken(idNumber: string, ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS) {
    return this.applicantTokens.mint(idNumber, ttlSeconds);
  }
}
