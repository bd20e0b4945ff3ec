import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface ProviderRow {
  id: string;
  code: string;
  name: string;
  orgCode?: string | null;
}

/** Owns providers: the training providers that post hours. */
@Injectable()
export class ProvidersRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts the provider; false when its code (or organisation code) is taken. */
  async insert(provider: ProviderRow & { createdAt: Date }, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const result: { affectedRows: number } = await manager.query(
      'INSERT IGNORE INTO providers (id, code, name, org_code, created_at) VALUES (?, ?, ?, ?, ?)',
      [provider.id, provider.code, provider.name, provider.orgCode ?? null, provider.createdAt],
    );
    return result.affectedRows === 1;
  }

  async findByOrgCode(orgCode: string): Promise<ProviderRow | null> {
    const rows: ProviderRow[] = await this.dataSource.query('SELECT id, code, name, org_code AS orgCode FROM providers WHERE org_code = ?', [orgCode]);
    return rows[0] ?? null;
  }

  async findByCode(code: string): Promise<ProviderRow | null> {
    const rows: ProviderRow[] = await this.dataSource.query('SELECT id, code, name, org_code AS orgCode FROM providers WHERE code = ?', [code]);
    return rows[0] ?? null;
  }
}
