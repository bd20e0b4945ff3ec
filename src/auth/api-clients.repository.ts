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

  async insert(client: ApiClientRow & { keyHash: Buffer; createdAt: Date }, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      'INSERT INTO api_clients (id, name, role, provider_id, key_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      [client.id, client.name, client.role, client.providerId, client.keyHash, client.createdAt],
    );
  }

  async findByKeyHash(keyHash: Buffer): Promise<ApiClientRow | null> {
    const rows: ApiClientRow[] = await this.dataSource.query(
      'SELECT id, name, role, provider_id AS providerId FROM api_clients WHERE key_hash = ?',
      [keyHash],
    );
    return rows[0] ?? null;
  }
}
