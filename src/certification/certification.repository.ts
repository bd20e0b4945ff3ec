import { Injectable } from '@nestjs/common';
import { newId, newVerifyCode } from '../common/ids.js';
import { DataSource, EntityManager } from 'typeorm';
import { chunk, transactionWithRetry } from '../database/transactions.js';

export type CertificationStatus = 'queued' | 'running' | 'completed' | 'failed';

export interface NewCertification {
  id: string;
  clientId: string;
  batchId: string | null;
  idempotencyKey: string | null;
  requestHash: Buffer;
  personKey: Buffer;
  idNumberMasked: string;
  request: string;
  callbackUrl: string | null;
}

export interface CertificationRow {
  id: string;
  clientId: string;
  batchId: string | null;
  requestHash: Buffer;
  personKey: Buffer;
  idNumberMasked: string;
  request: string;
  callbackUrl: string | null;
  status: CertificationStatus;
  decision: string | null;
  certificate: string | null;
  failureReason: string | null;
  createdAt: string;
  completedAt: string | null;
  verifyCode: string | null;
}

export interface CompletedCertification {
  decision: string;
  decisionOutcome: string;
  ruleSetId: string;
  ledgerDigest: Buffer;
  certificate: string;
  completedAt: Date;
  /** The certification has a callbackUrl: storing its result also writes its webhook to the outbox. */
  hasCallback: boolean;
}

export interface OutboxRow {
  certificationId: string;
  deliveryId: string;
  status: 'pending' | 'delivered' | 'failed';
}

export interface BatchRow {
  id: string;
  clientId: string;
  requestHash: Buffer;
  total: number;
}

export const UNIQUE_CERTIFICATION_KEY = 'uq_certifications_idempotency';
export const UNIQUE_BATCH_KEY = 'uq_certification_batches_idempotency';

const columns = (t: string) => `${t}.id, ${t}.client_id AS clientId, ${t}.batch_id AS batchId, ${t}.request_hash AS requestHash,
  ${t}.person_key AS personKey, ${t}.id_number_masked AS idNumberMasked, ${t}.request, ${t}.callback_url AS callbackUrl, ${t}.status,
  ${t}.decision, ${t}.certificate, ${t}.failure_reason AS failureReason, ${t}.created_at AS createdAt, ${t}.completed_at AS completedAt,
  ${t}.verify_code AS verifyCode`;
const COLUMNS = columns('certifications');

/** Owns certifications, certification_batches and webhook_deliveries. */
@Injectable()
export class CertificationRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insertBatch(manager: EntityManager, batch: BatchRow & { idempotencyKey: string | null }): Promise<void> {
    await manager.query(
      'INSERT INTO certification_batches (id, client_id, idempotency_key, request_hash, total, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      [batch.id, batch.clientId, batch.idempotencyKey, batch.requestHash, batch.total, new Date()],
    );
  }

  async insertCertifications(manager: EntityManager, rows: NewCertification[]): Promise<void> {
    const now = new Date();
    for (const part of chunk(rows)) {
      await manager.query(
        `INSERT INTO certifications (id, client_id, batch_id, idempotency_key, request_hash, person_key, id_number_masked, request,
           callback_url, status, verify_code, created_at, updated_at) VALUES ?`,
        [part.map((r) => [r.id, r.clientId, r.batchId, r.idempotencyKey, r.requestHash, r.personKey, r.idNumberMasked, r.request, r.callbackUrl, 'queued', newVerifyCode(), now, now])],
      );
    }
  }

  async findByVerifyCode(code: string): Promise<CertificationRow | null> {
    const rows: CertificationRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM certifications WHERE verify_code = ?`, [code]);
    return rows[0] ?? null;
  }

  async findByIdempotencyKey(clientId: string, key: string): Promise<CertificationRow | null> {
    const rows: CertificationRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM certifications WHERE client_id = ? AND idempotency_key = ?`, [clientId, key]);
    return rows[0] ?? null;
  }

  async findBatchByIdempotencyKey(clientId: string, key: string): Promise<BatchRow | null> {
    const rows: BatchRow[] = await this.dataSource.query(
      'SELECT id, client_id AS clientId, request_hash AS requestHash, total FROM certification_batches WHERE client_id = ? AND idempotency_key = ?',
      [clientId, key],
    );
    return rows[0] ?? null;
  }

  async find(id: string): Promise<CertificationRow | null> {
    const rows: CertificationRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM certifications WHERE id = ?`, [id]);
    return rows[0] ?? null;
  }

  async findBatch(id: string): Promise<BatchRow | null> {
    const rows: BatchRow[] = await this.dataSource.query('SELECT id, client_id AS clientId, request_hash AS requestHash, total FROM certification_batches WHERE id = ?', [id]);
    return rows[0] ?? null;
  }

  async batchIds(batchId: string): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query('SELECT id FROM certifications WHERE batch_id = ? ORDER BY id', [batchId]);
    return rows.map((row) => row.id);
  }

  /**
   * Marks the open ones of these certifications running and returns them (completed and failed ones
   * unchanged): what the jobs running at once start from. The two statements run side by side; the
   * read may see a row still queued, which the job treats alike.
   */
  async claim(ids: readonly string[]): Promise<CertificationRow[]> {
    const [, rows] = await Promise.all([
      this.dataSource.query("UPDATE certifications SET status = 'running', updated_at = ? WHERE id IN (?) AND status IN ('queued', 'running')", [
        new Date(),
        ids,
      ]),
      this.dataSource.query(`SELECT ${COLUMNS} FROM certifications WHERE id IN (?)`, [ids]) as Promise<CertificationRow[]>,
    ]);
    return rows;
  }

  /**
   * Stores results in one statement, each only if its certification is still open: of two runs of
   * the same job only the first stores. Tells for each result whether it is the one stored.
   */
  async complete(results: readonly (CompletedCertification & { id: string })[]): Promise<boolean[]> {
    const first = new Map<string, CompletedCertification & { id: string }>();
    for (const result of results) if (!first.has(result.id)) first.set(result.id, result);
    const rows = [...first.values()];
    // One CASE per column, keyed by id: faster on MariaDB than joining a derived table of the results.
    const perRow = (column: string, value: (row: CompletedCertification) => unknown) => ({
      sql: `${column} = CASE id ${rows.map(() => 'WHEN ? THEN ?').join(' ')} END`,
      params: rows.flatMap((row) => [row.id, value(row)]),
    });
    const assignments = [
      perRow('decision', (r) => r.decision),
      perRow('decision_outcome', (r) => r.decisionOutcome),
      perRow('rule_set_id', (r) => r.ruleSetId),
      perRow('ledger_digest', (r) => r.ledgerDigest),
      perRow('certificate', (r) => r.certificate),
      perRow('completed_at', (r) => r.completedAt),
      perRow('updated_at', (r) => r.completedAt),
    ];
    // The results and the webhooks they owe, in one transaction: MySQL, not Redis, holds both.
    return transactionWithRetry(this.dataSource, async (manager) => {
      const outcome: { affectedRows: number } = await manager.query(
        `UPDATE certifications SET status = 'completed', ${assignments.map((a) => a.sql).join(', ')}
         WHERE id IN (?) AND status IN ('queued', 'running')`,
        [...assignments.flatMap((a) => a.params), rows.map((row) => row.id)],
      );
      let stored: Set<string>;
      if (outcome.affectedRows === rows.length) stored = new Set(first.keys());
      else {
        // Some were completed by another run meanwhile: ours is stored where the stored certificate is ours.
        const now: { id: string; certificate: string | null }[] = await manager.query('SELECT id, certificate FROM certifications WHERE id IN (?)', [
          rows.map((r) => r.id),
        ]);
        stored = new Set(now.filter((row) => row.certificate === first.get(row.id)?.certificate).map((row) => row.id));
      }
      const owed = rows.filter((row) => row.hasCallback && stored.has(row.id));
      if (owed.length > 0) {
        const at = rows[0].completedAt;
        await manager.query('INSERT INTO webhook_outbox (certification_id, delivery_id, status, created_at, updated_at) VALUES ?', [
          owed.map((row) => [row.id, newId(), 'pending', at, at]),
        ]);
      }
      return results.map((result) => first.get(result.id) === result && stored.has(result.id));
    });
  }

  /** Marks those of these certifications still open failed. */
  async fail(ids: readonly string[], reason: string): Promise<void> {
    await this.dataSource.query(
      "UPDATE certifications SET status = 'failed', failure_reason = ?, updated_at = ? WHERE id IN (?) AND status IN ('queued', 'running')",
      [reason.slice(0, 500), new Date(), ids],
    );
  }

  async batchCounts(batchId: string): Promise<{ status: CertificationStatus; outcome: string | null; n: number }[]> {
    const rows: { status: CertificationStatus; outcome: string | null; n: string | number }[] = await this.dataSource.query(
      'SELECT status, decision_outcome AS outcome, COUNT(*) AS n FROM certifications WHERE batch_id = ? GROUP BY status, decision_outcome',
      [batchId],
    );
    return rows.map((row) => ({ ...row, n: Number(row.n) }));
  }

  async listBatch(batchId: string, after: string | null, limit: number): Promise<CertificationRow[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM certifications WHERE batch_id = ? ${after ? 'AND id > ?' : ''} ORDER BY id LIMIT ?`,
      after ? [batchId, after, limit] : [batchId, limit],
    );
  }

  /** The roster for the committee: each certification with the person's recorded name. */
  async exportBatch(batchId: string): Promise<(CertificationRow & { name: string | null })[]> {
    return this.dataSource.query(
      `SELECT ${columns('c')}, p.name
       FROM certifications c LEFT JOIN persons p ON p.id_number_hmac = c.person_key WHERE c.batch_id = ? ORDER BY c.id`,
      [batchId],
    );
  }

  /** Open certifications not touched for a while: their jobs may have been lost with Redis. */
  async findStale(olderThan: Date, limit: number): Promise<{ id: string; batchId: string | null }[]> {
    return this.dataSource.query(
      "SELECT id, batch_id AS batchId FROM certifications WHERE status IN ('queued', 'running') AND updated_at < ? ORDER BY updated_at LIMIT ?",
      [olderThan, limit],
    );
  }

  async touch(ids: string[]): Promise<void> {
    for (const part of chunk(ids)) {
      await this.dataSource.query("UPDATE certifications SET updated_at = ? WHERE id IN (?) AND status IN ('queued', 'running')", [new Date(), part]);
    }
  }

  async recordDelivery(delivery: {
    id: string;
    certificationId: string;
    attempt: number;
    statusCode: number | null;
    succeeded: boolean;
    error: string | null;
    durationMs: number;
  }): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO webhook_deliveries (id, certification_id, attempt, status_code, succeeded, error, duration_ms, attempted_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [delivery.id, delivery.certificationId, delivery.attempt, delivery.statusCode, delivery.succeeded, delivery.error?.slice(0, 500) ?? null, delivery.durationMs, new Date()],
    );
  }

  async outboxEntry(certificationId: string): Promise<OutboxRow | null> {
    const rows: OutboxRow[] = await this.dataSource.query(
      'SELECT certification_id AS certificationId, delivery_id AS deliveryId, status FROM webhook_outbox WHERE certification_id = ?',
      [certificationId],
    );
    return rows[0] ?? null;
  }

  /** Ends a pending webhook: delivered, or failed once its attempts ran out. */
  async settleOutbox(certificationId: string, status: 'delivered' | 'failed'): Promise<void> {
    const now = new Date();
    await this.dataSource.query(
      "UPDATE webhook_outbox SET status = ?, updated_at = ?, delivered_at = ? WHERE certification_id = ? AND status = 'pending'",
      [status, now, status === 'delivered' ? now : null, certificationId],
    );
  }

  /** Pending webhooks not touched since `olderThan`: their jobs may have been lost with Redis. */
  async stalePendingWebhooks(olderThan: Date, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      "SELECT certification_id AS id FROM webhook_outbox WHERE status = 'pending' AND updated_at < ? ORDER BY updated_at LIMIT ?",
      [olderThan, limit],
    );
    return rows.map((row) => row.id);
  }

  async touchOutbox(certificationIds: string[]): Promise<void> {
    if (certificationIds.length > 0) await this.dataSource.query('UPDATE webhook_outbox SET updated_at = ? WHERE certification_id IN (?)', [new Date(), certificationIds]);
  }

  async deliveries(certificationId: string): Promise<{ attempt: number; statusCode: number | null; succeeded: number; error: string | null; attemptedAt: string }[]> {
    return this.dataSource.query(
      `SELECT attempt, status_code AS statusCode, succeeded, error, attempted_at AS attemptedAt
       FROM webhook_deliveries WHERE certification_id = ? ORDER BY attempt, attempted_at`,
      [certificationId],
    );
  }
}
