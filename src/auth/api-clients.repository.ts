import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { DataSource, EntityManager } from 'typeorm';
import type { ApiRole } from './principal.js';

export interface ApiClientRow {
  id: string;
  name: string;
  role: ApiRole;
  providerId: string | null;
}


/** Owns api_clients: the holders of API keys, stored by the key's hash. */
@Injectable()
export class ApiClientsRepository {
  /** Key lookups happen on every request; keys are never changed once issued, so a short cache is safe. */
  private readonly keyCache = new LRUCache<string, ApiClientRow>({ max: 10_000, ttl: 30_000 });
  /**
   * Unknown keys, briefly, so that a burst of guesses costs no query each. A key issued later cannot
   * be among them: its 256 random bits were never sent before it was issued.
   */
  private readonly unknownKeys = new LRUCache<string, true>({ max: 100_000, ttl: 10_000 });

  constructor(private readonly dataSource: DataSource) {}

  async insert(
    client: ApiClientRow & { keyHash: Buffer; webhookSecretCipher?: Buffer; createdAt: Date },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.query(
      'INSERT INTO api_clients (id, name, role, provider_id, key_hash, webhook_secret_cipher, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [client.id, client.name, client.role, client.providerId, client.keyHash, client.webhookSecretCipher ?? null, client.createdAt],
    );
  }

  /** The encrypted secret that signs the client's webhooks, or null for a client without one. */
  async webhookSecretCipher(clientId: string): Promise<Buffer | null> {
    const rows: { cipher: Buffer | null }[] = await this.dataSource.query('SELECT webhook_secret_cipher AS cipher FROM api_clients WHERE id = ?', [clientId]);
    return rows[0]?.cipher ?? null;
  }

  async findByKeyHash(keyHash: Buffer): Promise<ApiClientRow | null> {
    const cacheKey = keyHash.toString('base64');
    const cached = this.keyCache.get(cacheKey);
    if (cached) return cached;
    if (this.unknownKeys.has(cacheKey)) return null;
    const rows: ApiClientRow[] = await this.dataSource.query(
      'SELECT id, name, role, provider_id AS providerId FROM api_clients WHERE key_hash = ?',
      [keyHash],
    );
    const client = rows[0] ?? null;
    if (client) this.keyCache.set(cacheKey, client);
    else this.unknownKeys.set(cacheKey, true);
    return client;
  }
}
