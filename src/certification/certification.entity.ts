import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One certification: written (status queued) before its job is enqueued with jobId = id, so that
 * MySQL, not Redis, is the record of what was asked and what was decided.
 */
@Entity({ name: 'certifications' })
@Index('uq_certifications_idempotency', ['clientId', 'idempotencyKey'], { unique: true })
@Index('idx_certifications_batch', ['batchId', 'id'])
@Index('idx_certifications_status_updated', ['status', 'updatedAt'])
@Index('uq_certifications_verify_code', ['verifyCode'], { unique: true })
export class CertificationEntity {
  @PrimaryColumn({ type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  id: string;

  @Column({ name: 'client_id', type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  clientId: string;

  @Column({ name: 'batch_id', type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin', nullable: true })
  batchId: string | null;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 200, charset: 'ascii', collation: 'ascii_bin', nullable: true })
  idempotencyKey: string | null;

  /** SHA-256 of the submitted request (ID number as its HMAC), to tell a retry from a different body. */
  @Column({ name: 'request_hash', type: 'binary', length: 32 })
  requestHash: Buffer;

  @Column({ name: 'person_key', type: 'binary', length: 32 })
  personKey: Buffer;

  @Column({ name: 'id_number_masked', type: 'char', length: 18, charset: 'ascii', collation: 'ascii_bin' })
  idNumberMasked: string;

  /** The eligibility request as JSON, without the ID number. */
  @Column({ type: 'text' })
  request: string;

  @Column({ name: 'callback_url', type: 'varchar', length: 2048, nullable: true })
  callbackUrl: string | null;

  @Column({ type: 'varchar', length: 16, charset: 'ascii', collation: 'ascii_bin' })
  status: string;

  @Column({ name: 'decision_outcome', type: 'varchar', length: 16, charset: 'ascii', collation: 'ascii_bin', nullable: true })
  decisionOutcome: string | null;

  @Column({ type: 'mediumtext', nullable: true })
  decision: string | null;

  @Column({ name: 'rule_set_id', type: 'varchar', length: 64, charset: 'ascii', collation: 'ascii_bin', nullable: true })
  ruleSetId: string | null;

  @Column({ name: 'ledger_digest', type: 'binary', length: 32, nullable: true })
  ledgerDigest: Buffer | null;

  @Column({ type: 'mediumtext', nullable: true })
  certificate: string | null;

  @Column({ name: 'failure_reason', type: 'varchar', length: 500, nullable: true })
  failureReason: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: string;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: string;

  @Column({ name: 'completed_at', type: 'datetime', precision: 3, nullable: true })
  completedAt: string | null;

  /** 128 random bits, base64url: the QR code of the printed result (资格审查结果) leads to /verify/{code}. */
  @Column({ name: 'verify_code', type: 'char', length: 22, charset: 'ascii', collation: 'ascii_bin', nullable: true })
  verifyCode: string | null;
}

/** A roster (资格审查花名册) submitted at once; its certifications point at it. */
@Entity({ name: 'certification_batches' })
@Index('uq_certification_batches_idempotency', ['clientId', 'idempotencyKey'], { unique: true })
export class CertificationBatchEntity {
  @PrimaryColumn({ type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  id: string;

  @Column({ name: 'client_id', type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  clientId: string;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 200, charset: 'ascii', collation: 'ascii_bin', nullable: true })
  idempotencyKey: string | null;

  @Column({ name: 'request_hash', type: 'binary', length: 32 })
  requestHash: Buffer;

  @Column({ type: 'int' })
  total: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: string;
}

/** Every attempt to deliver a completed certification to its callbackUrl. */
@Entity({ name: 'webhook_deliveries' })
@Index('idx_webhook_deliveries_certification', ['certificationId', 'attempt'])
export class WebhookDeliveryEntity {
  @PrimaryColumn({ type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  id: string;

  @Column({ name: 'certification_id', type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  certificationId: string;

  @Column({ type: 'int' })
  attempt: number;

  @Column({ name: 'status_code', type: 'int', nullable: true })
  statusCode: number | null;

  @Column({ type: 'boolean' })
  succeeded: boolean;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;

  @Column({ name: 'duration_ms', type: 'int' })
  durationMs: number;

  @Column({ name: 'attempted_at', type: 'datetime', precision: 3 })
  attemptedAt: string;
}

export type OutboxStatus = 'pending' | 'delivered' | 'failed';

/** The webhook a completed certification owes its callbackUrl, written with the result (an outbox). */
@Entity({ name: 'webhook_outbox' })
@Index('idx_webhook_outbox_status_updated', ['status', 'updatedAt'])
@Index('uq_webhook_outbox_delivery', ['deliveryId'], { unique: true })
export class WebhookOutboxEntity {
  @PrimaryColumn({ name: 'certification_id', type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  certificationId: string;

  /** Sent as x-ce-delivery on every attempt, so that the receiver can drop a repeat. */
  @Column({ name: 'delivery_id', type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  deliveryId: string;

  @Column({ type: 'varchar', length: 16, charset: 'ascii', collation: 'ascii_bin' })
  status: OutboxStatus;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: string;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: string;

  @Column({ name: 'delivered_at', type: 'datetime', precision: 3, nullable: true })
  deliveredAt: string | null;
}

/** Public keys that have signed certificates; a rotated key stays here, and in the JWKS, for good. */
@Entity({ name: 'signing_keys' })
export class SigningKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 64, charset: 'ascii', collation: 'ascii_bin' })
  kid: string;

  @Column({ name: 'public_jwk', type: 'text' })
  publicJwk: string;

  /** A rotated-in key's private half (PKCS#8), AES-GCM encrypted under PII_KEY; null for the configured key. */
  @Column({ name: 'private_key_cipher', type: 'varbinary', length: 256, nullable: true })
  privateKeyCipher: Buffer | null;

  /** When it began to sign: the latest activated key signs. */
  @Column({ name: 'activated_at', type: 'datetime', precision: 3, nullable: true })
  activatedAt: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: string;
}
