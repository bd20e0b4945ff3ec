import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface AccessRecord {
  id: string;
  personKey: Buffer;
  actorKind: string;
  actorId: string | null;
  actorName: string;
  action: string;
  purpose: string | null;
  at: Date;
}

export interface AuditRecord {
  id: string;
  actorKind: string;
  actorId: string | null;
  actorName: string;
  action: string;
  target: string | null;
  at: Date;
}

export interface LogRow {
  id: string;
  kind: 'access' | 'admin';
  actorKind: string;
  actorName: string;
  action: string;
  detail: string | null;
  at: string;
}

/** Owns access_log and audit_log: rows are inserted, never updated or deleted (triggers enforce it). */
@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insertAccess(records: AccessRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.dataSource.query('INSERT INTO access_log (id, person_key, actor_kind, actor_id, actor_name, action, purpose, at) VALUES ?', [
      records.map((r) => [r.id, r.personKey, r.actorKind, r.actorId, r.actorName, r.action, r.purpose, r.at]),
    ]);
  }

  async insertAudit(record: AuditRecord): Promise<void> {
    await this.dataSource.query('INSERT INTO audit_log (id, actor_kind, actor_id, actor_name, action, target, at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      record.id,
      record.actorKind,
      record.actorId,
      record.actorName,
      record.action,
      record.target,
      record.at,
    ]);
  }

  /** One person's access records, newest first, before the cursor id. */
  async accessOf(personKey: Buffer, before: string | null, limit: number): Promise<LogRow[]> {
    return this.dataSource.query(
      `SELECT id, 'access' AS kind, actor_kind AS actorKind, actor_name AS actorName, action, purpose AS detail, at FROM access_log
       WHERE person_key = ? ${before ? 'AND id < ?' : ''} ORDER BY id DESC LIMIT ?`,
      before ? [personKey, before, limit] : [personKey, limit],
    );
  }

  /** Every administrative action and every access record, newest first (ids are time-ordered UUIDv7). */
  async everything(before: string | null, limit: number): Promise<LogRow[]> {
    const where = before ? 'WHERE id < ?' : '';
    return this.dataSource.query(
      `(SELECT id, 'admin' AS kind, actor_kind AS actorKind, actor_name AS actorName, action, target AS detail, at FROM audit_log ${where} ORDER BY id DESC LIMIT ?)
       UNION ALL
       (SELECT id, 'access' AS kind, actor_kind AS actorKind, actor_name AS actorName, action, purpose AS detail, at FROM access_log ${where} ORDER BY id DESC LIMIT ?)
       ORDER BY id DESC LIMIT ?`,
      before ? [before, limit, before, limit, limit] : [limit, limit, limit],
    );
  }
}
