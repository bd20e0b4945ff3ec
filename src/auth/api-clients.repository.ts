import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { DataSource, EntityManager } from 'typeorm';
import { chunk } from '../database/transactions.js';
import type { ApiRole } from './principal.js';

export interface ApiClientRow {
  id: string;
  name: string;
  role: ApiRole;
  providerId: string | null;
  /** Employer clients: the employer they review for. */
  employerId?: string | null;
}

export interface ApiKeyRow {
  id: string;
  prefix: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface NewApiKey {
  id: string;
  clientId: string;
  prefix: string;
  keyHash: Buffer;
  createdAt: Date;
}

/** How long a key lookup is cached: a revoked key is refused by every process within this time. */
export const KEY_CACHE_MS = 5_000;
const LAST_USED_FLUSH_MS = 30_000;

/**
 * Owns api_clients and api_keys: the holders of API keys, and their keys by SHA-256. Lookups are
 * cached for KEY_CACHE_MS; when a key was last used is kept in memory and written every 30 s in one
 * statement, not once per request.
 */
@Injectable()
export class ApiClientsRepository implements OnModuleDestroy {
  private readonly keyCache = new LRUCache<string, ApiClientRow & { keyId: string }>({ max: 10_000, ttl: KEY_CACHE_MS });
  /**
   * Unknown keys, briefly, so that a burst of guesses costs no query each. A key issued later cannot
   * be among them: its 256 random bits were never sent before it was issued.
   */
  private readonly unknownKeys = new LRUCache<string, true>({ max: 100_000, ttl: 10_000 });
  private readonly lastUsed = new Map<string, Date>();
  private readonly flusher = setInterval(() => void this.flushLastUsed().catch(() => undefined), LAST_USED_FLUSH_MS).unref();

  constructor(private readonly dataSource: DataSource) {}

  /** Inserts the client; false when its organisation code is taken by another client. */
  async insert(
    client: ApiClientRow & { orgCode?: string | null; webhookSecretCipher?: Buffer; createdAt: Date },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    const result: { affectedRows: number } = await manager.query(
      'INSERT IGNORE INTO api_clients (id, name, role, provider_id, employer_id, org_code, webhook_secret_cipher, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [client.id, client.name, client.role, client.providerId, client.employerId ?? null, client.orgCode ?? null, client.webhookSecretCipher ?? null, client.createdAt],
    );
    return result.affectedRows === 1;
  }

  /** The authority (人社部门) client registered with this organisation code, for organisation sign-in. */
  async findAuthorityByOrgCode(orgCode: string): Promise<{ id: string; name: string } | null> {
    const rows: { id: string; name: string }[] = await this.dataSource.query("SELECT id, name FROM api_clients WHERE org_code = ? AND role = 'authority'", [orgCode]);
    return rows[0] ?? null;
  }

  async insertKey(manager: EntityManager, key: NewApiKey): Promise<void> {
    await manager.query('INSERT INTO api_keys (id, client_id, prefix, key_hash, created_at) VALUES (?, ?, ?, ?, ?)', [key.id, key.clientId, key.prefix, key.keyHash, key.createdAt]);
  }

  /** The client's active keys, locked, so that two creations at once cannot pass the limit together. */
  async countActiveKeysForUpdate(manager: EntityManager, clientId: string): Promise<number> {
    await manager.query('SELECT id FROM api_clients WHERE id = ? FOR UPDATE', [clientId]);
    const [row]: { n: string }[] = await manager.query('SELECT COUNT(*) AS n FROM api_keys WHERE client_id = ? AND revoked_at IS NULL', [clientId]);
    return Number(row.n);
  }

  async keysOf(clientId: string): Promise<ApiKeyRow[]> {
    await this.flushLastUsed();
    return this.dataSource.query(
      'SELECT id, prefix, created_at AS createdAt, last_used_at AS lastUsedAt, revoked_at AS revokedAt FROM api_keys WHERE client_id = ? ORDER BY id',
      [clientId],
    );
  }

  /** Revokes the client's own key; false when the client has no such key. */
  async revoke(clientId: string, keyId: string): Promise<boolean> {
    const rows: { id: string }[] = await this.dataSource.query('SELECT id FROM api_keys WHERE id = ? AND client_id = ?', [keyId, clientId]);
    if (rows.length === 0) return false;
    await this.dataSource.query('UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?', [new Date(), keyId]);
    for (const [hash, client] of this.keyCache.entries()) if (client.keyId === keyId) this.keyCache.delete(hash);
    return true;
  }

  /** The encrypted secret that signs the client's webhooks, or null for a client without one. */
  async webhookSecretCipher(clientId: string): Promise<Buffer | null> {
    const rows: { cipher: Buffer | null }[] = await this.dataSource.query('SELECT webhook_secret_cipher AS cipher FROM api_clients WHERE id = ?', [clientId]);
    return rows[0]?.cipher ?? null;
  }

  /** The client of an active key, by the key's hash; null for an unknown or revoked key. */
  async findByKeyHash(keyHash: Buffer): Promise<ApiClientRow | null> {
    const cacheKey = keyHash.toString('base64');
    let client = this.keyCache.get(cacheKey) ?? null;
    if (!client) {
      if (this.unknownKeys.has(cacheKey)) return null;
      const rows: (ApiClientRow & { keyId: string })[] = await this.dataSource.query(
        `SELECT c.id, c.name, c.role, c.provider_id AS providerId, c.employer_id AS employerId, k.id AS keyId
         FROM api_keys k JOIN api_clients c ON c.id = k.client_id WHERE k.key_hash = ? AND k.revoked_at IS NULL`,
        [keyHash],
      );
      client = rows[0] ?? null;
      if (!client) {
        this.unknownKeys.set(cacheKey, true);
        return null;
      }
      this.keyCache.set(cacheKey, client);
    }
    this.lastUsed.set(client.keyId, new Date());
    const { keyId: _keyId, ...row } = client;
    return row;
  }

  /** Writes when each key was last used, one statement for all of them. */
  async flushLastUsed(): Promise<void> {
    if (this.lastUsed.size === 0) return;
    const used = [...this.lastUsed.entries()];
    this.lastUsed.clear();
    for (const part of chunk(used)) {
      await this.dataSource.query(
        `UPDATE api_keys SET last_used_at = CASE id ${part.map(() => 'WHEN ? THEN ?').join(' ')} END WHERE id IN (?)`,
        [...part.flatMap(([id, at]) => [id, at]), part.map(([id]) => id)],
      );
    }
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.flusher);
    await this.flushLastUsed().catch(() => undefined);
  }
}
