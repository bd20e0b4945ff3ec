import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { chunk, transactionWithRetry } from '../database/transactions.js';
import type { ImportStatus } from './import.entities.js';

export interface ImportRow {
  id: string;
  providerId: string;
  fileName: string;
  format: 'xlsx' | 'csv';
  status: ImportStatus;
  totalRows: number;
  processedRows: number;
  created: number;
  replayed: number;
  rejected: number;
  warnings: string;
  failureReason: string | null;
  createdAt: string;
  completedAt: string | null;
  fileSha256: Buffer;
}

export interface RowResult {
  row: number;
  result: 'created' | 'replayed' | 'error';
  column: string | null;
  message: string | null;
  entryId: string | null;
}

const COLUMNS = `id, provider_id AS providerId, file_name AS fileName, format, status, total_rows AS totalRows, processed_rows AS processedRows,
  created_count AS created, replayed_count AS replayed, rejected_count AS rejected, warnings, failure_reason AS failureReason,
  created_at AS createdAt, completed_at AS completedAt, file_sha256 AS fileSha256`;

/** Owns import_files, imports and import_rows. */
@Injectable()
export class ImportsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores the file (once per content) and the import, in one transaction; false when this provider uploaded these bytes before. */
  async insert(row: { id: string; providerId: string; sha256: Buffer; bytes: Buffer; fileName: string; format: string; totalRows: number; warnings: string[] }): Promise<boolean> {
    return transactionWithRetry(this.dataSource, async (manager) => {
      const now = new Date();
      await manager.query('INSERT IGNORE INTO import_files (sha256, bytes, size, created_at) VALUES (?, ?, ?, ?)', [row.sha256, row.bytes, row.bytes.length, now]);
      const result: { affectedRows: number } = await manager.query(
        `INSERT IGNORE INTO imports (id, provider_id, file_sha256, file_name, format, status, total_rows, warnings, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?)`,
        [row.id, row.providerId, row.sha256, row.fileName, row.format, row.totalRows, JSON.stringify(row.warnings), now, now],
      );
      return result.affectedRows === 1;
    });
  }

  async find(id: string): Promise<ImportRow | null> {
    const rows: ImportRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM imports WHERE id = ?`, [id]);
    return rows[0] ?? null;
  }

  async findByFile(providerId: string, sha256: Buffer): Promise<ImportRow | null> {
    const rows: ImportRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM imports WHERE provider_id = ? AND file_sha256 = ?`, [providerId, sha256]);
    return rows[0] ?? null;
  }

  async listOf(providerId: string, limit = 100): Promise<ImportRow[]> {
    return this.dataSource.query(`SELECT ${COLUMNS} FROM imports WHERE provider_id = ? ORDER BY id DESC LIMIT ?`, [providerId, limit]);
  }

  async fileBytes(sha256: Buffer): Promise<Buffer> {
    const [row]: { bytes: Buffer }[] = await this.dataSource.query('SELECT bytes FROM import_files WHERE sha256 = ?', [sha256]);
    return row.bytes;
  }

  async markProcessing(id: string): Promise<void> {
    await this.dataSource.query("UPDATE imports SET status = 'processing', updated_at = ? WHERE id = ? AND status IN ('queued', 'processing')", [new Date(), id]);
  }

  /**
   * The results of a step's rows and how far the import got, one transaction: a resumed job starts
   * after them, so no row's result is stored twice and the counts only ever add this step's rows.
   */
  async recordProgress(id: string, results: RowResult[], processedRows: number): Promise<void> {
    const count = (result: RowResult['result']) => results.filter((r) => r.result === result).length;
    await transactionWithRetry(this.dataSource, async (manager) => {
      for (const part of chunk(results)) {
        await manager.query('INSERT INTO import_rows (import_id, `row_number`, result, column_name, message, entry_id) VALUES ?', [
          part.map((r) => [id, r.row, r.result, r.column, r.message?.slice(0, 500) ?? null, r.entryId]),
        ]);
      }
      await manager.query(
        `UPDATE imports SET processed_rows = ?, updated_at = ?, created_count = created_count + ?, replayed_count = replayed_count + ?,
           rejected_count = rejected_count + ? WHERE id = ?`,
        [processedRows, new Date(), count('created'), count('replayed'), count('error'), id],
      );
    });
  }

  async finish(id: string, status: 'completed' | 'failed', failureReason: string | null = null): Promise<void> {
    const now = new Date();
    await this.dataSource.query('UPDATE imports SET status = ?, failure_reason = ?, completed_at = ?, updated_at = ? WHERE id = ?', [status, failureReason, now, now, id]);
  }

  /** The first errors, by row, for the import's status. */
  async firstErrors(id: string, limit = 100): Promise<RowResult[]> {
    return this.dataSource.query(
      "SELECT `row_number` AS `row`, result, column_name AS `column`, message, entry_id AS entryId FROM import_rows WHERE import_id = ? AND result = 'error' ORDER BY `row_number` LIMIT ?",
      [id, limit],
    );
  }

  async results(id: string): Promise<Map<number, RowResult>> {
    const rows: RowResult[] = await this.dataSource.query(
      'SELECT `row_number` AS `row`, result, column_name AS `column`, message, entry_id AS entryId FROM import_rows WHERE import_id = ?',
      [id],
    );
    return new Map(rows.map((row) => [row.row, row]));
  }

  /** Open imports not touched for a while: their jobs may have been lost with Redis, or their worker died. */
  async stale(olderThan: Date, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      "SELECT id FROM imports WHERE status IN ('queued', 'processing') AND updated_at < ? ORDER BY updated_at LIMIT ?",
      [olderThan, limit],
    );
    return rows.map((row) => row.id);
  }

  async touch(ids: string[]): Promise<void> {
    if (ids.length > 0) await this.dataSource.query('UPDATE imports SET updated_at = ? WHERE id IN (?)', [new Date(), ids]);
  }
}
