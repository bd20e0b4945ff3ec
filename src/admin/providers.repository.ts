import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface ProviderRow {
  id: string;
  code: string;
  name: string;
}

/** Owns providers: the training providers that post hours. */
@Injectable()
export class ProvidersRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts the provider; false when its code is taken. */
  async insert(provider: ProviderRow & { createdAt: Date }, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const result: { affectedRows: number } = await manager.query(
      'INSERT IGNORE INTO providers (id, code, name, created_at) VALUES (?, ?, ?, ?)',
      [provider.id, provider.code, provider.name, provider.createdAt],
    );
    return result.affectedRows === 1;
  }
}
