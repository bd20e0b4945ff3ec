import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ApiClientsRepository, type ApiKeyRow } from '../auth/api-clients.repository.js';
import { generateApiKey, hashApiKey } from '../auth/api-keys.js';
import { ConflictError, NotFoundError } from '../common/domain-error.js';
import { newId } from '../common/ids.js';
import { message } from '../common/messages.js';
import { isoTimestamp } from '../common/pagination.js';
import { transactionWithRetry } from '../database/transactions.js';

export const MAX_ACTIVE_KEYS = 5;
const PREFIX_LENGTH = 12;

/** A client's API keys: several at a time (at most 5 active), each revocable, only their hashes kept. */
@Injectable()
export class KeysService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clients: ApiClientsRepository,
  ) {}

  /** A new key for the client, in the caller's transaction; the key itself is returned this once. */
  async issue(manager: EntityManager, clientId: string): Promise<{ id: string; apiKey: string }> {
    const apiKey = generateApiKey();
    const id = newId();
    await this.clients.insertKey(manager, { id, clientId, prefix: apiKey.slice(0, PREFIX_LENGTH), keyHash: hashApiKey(apiKey), createdAt: new Date() });
    return { id, apiKey };
  }

  async create(clientId: string): Promise<{ id: string; apiKey: string }> {
    return transactionWithRetry(this.dataSource, async (manager) => {
      if ((await this.clients.countActiveKeysForUpdate(manager, clientId)) >= MAX_ACTIVE_KEYS) {
        throw new ConflictError('KEYS.LIMIT', message('KEYS.LIMIT', { max: MAX_ACTIVE_KEYS }));
      }
      return this.issue(manager, clientId);
    });
  }

  async list(clientId: string) {
    return (await this.clients.keysOf(clientId)).map((key: ApiKeyRow) => ({
      id: key.id,
      prefix: key.prefix,
      createdAt: isoTimestamp(key.createdAt),
      lastUsedAt: key.lastUsedAt ? isoTimestamp(key.lastUsedAt) : null,
      revokedAt: key.revokedAt ? isoTimestamp(key.revokedAt) : null,
    }));
  }

  async revoke(clientId: string, keyId: string): Promise<void> {
    if (!(await this.clients.revoke(clientId, keyId))) throw new NotFoundError('KEYS.NOT_FOUND', message('KEYS.NOT_FOUND', { id: keyId }));
  }
}
