import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { chunk } from '../database/transactions.js';

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

/**
 * Owns access_log and audit_log: rows are inserted, never updated or deleted (triggers enforce it).
 * Access records of requests running at once go to MySQL together, one multi-row INSERT (one commit)
 * for all of them; each request still waits for its own record to be stored before it answers.
 */
@Injectable()
export class AuditRepository {
  private readonly accessWrites = new DataLoader<AccessRecord[], true>(
    async (batches) => {
      const rows = batches.flat();
      for (const part of chunk(rows)) {
        await this.dataSource.query('INSERT INTO access_log (id, person_key, actor_kind, actor_id, actor_name, action, purpose, at) VALUES ?', [
          part.map((r) => [r.id, r.personKey, r.actorKind, r.actorId, r.actorName, r.action, r.purpose, r.at]),
        ]);
      }
      return batches.map(() => true as const);
    },
    { cache: false, maxBatchSize: 200 },
  );

  constructor(private readonly dataSource: DataSource) {}

  async insertAccess(records: AccessRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.accessWrites.load(records);
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
