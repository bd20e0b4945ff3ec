import { Injectable } from '@nestjs/common';
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
    const rows: ApiClientRow[] = await this.dataSource.query(
      'SELECT id, name, role, provider_id AS providerId FROM api_clients WHERE key_hash = ?',
      [keyHash],
    );
    return rows[0] ?? null;
  }
}
