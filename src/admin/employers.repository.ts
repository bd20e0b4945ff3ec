import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface EmployerRow {
  id: string;
  orgCode: string;
  name: string;
}

/** Owns employers (用人单位), which review their employees' self-reported hours. */
@Injectable()
export class EmployersRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts the employer; false when its organisation code is registered already. */
  async insert(employer: EmployerRow & { createdAt: Date }, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const result: { affectedRows: number } = await manager.query('INSERT IGNORE INTO employers (id, org_code, name, created_at) VALUES (?, ?, ?, ?)', [
      employer.id,
      employer.orgCode,
      employer.name,
      employer.createdAt,
    ]);
    return result.affectedRows === 1;
  }

  async findByOrgCode(orgCode: string): Promise<EmployerRow | null> {
    const rows: EmployerRow[] = await this.dataSource.query('SELECT id, org_code AS orgCode, name FROM employers WHERE org_code = ?', [orgCode]);
    return rows[0] ?? null;
  }

  async findById(id: string): Promise<EmployerRow | null> {
    const rows: EmployerRow[] = await this.dataSource.query('SELECT id, org_code AS orgCode, name FROM employers WHERE id = ?', [id]);
    return rows[0] ?? null;
  }
}
