import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An API key's holder (a provider, a title system, an administrator …); its keys are in api_keys. */
@Entity({ name: 'api_clients' })
@Index('uq_api_clients_org_code', ['orgCode'], { unique: true })
export class ApiClientEntity {
  @PrimaryColumn({ type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 16, charset: 'ascii', collation: 'ascii_bin' })
  role: string;

  @Index('idx_api_clients_provider')
  @Column({ name: 'provider_id', type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin', nullable: true })
  providerId: string | null;

  /** An employer client reviews for this employer only. */
  @Index('idx_api_clients_employer')
  @Column({ name: 'employer_id', type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin', nullable: true })
  employerId: string | null;

  /** An authority (人社部门) client's 统一社会信用代码: staff who sign in with it act for it. */
  @Column({ name: 'org_code', type: 'char', length: 18, charset: 'ascii', collation: 'ascii_bin', nullable: true })
  orgCode: string | null;

  /** The secret that signs this client's webhooks, AES-GCM encrypted (it must be read back to sign). */
  @Column({ name: 'webhook_secret_cipher', type: 'varbinary', length: 128, nullable: true })
  webhookSecretCipher: Buffer | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: string;
}

/** One API key of a client: only its SHA-256 is stored, the key itself is shown once. */
@Entity({ name: 'api_keys' })
@Index('uq_api_keys_key_hash', ['keyHash'], { unique: true })
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  id: string;

  @Index('idx_api_keys_client')
  @Column({ name: 'client_id', type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  clientId: string;

  /** The key's first characters, so that its holder can tell keys apart (null for keys issued before). */
  @Column({ type: 'varchar', length: 16, charset: 'ascii', collation: 'ascii_bin', nullable: true })
  prefix: string | null;

  @Column({ name: 'key_hash', type: 'binary', length: 32 })
  keyHash: Buffer;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: string;

  @Column({ name: 'last_used_at', type: 'datetime', precision: 3, nullable: true })
  lastUsedAt: string | null;

  @Column({ name: 'revoked_at', type: 'datetime', precision: 3, nullable: true })
  revokedAt: string | null;
}
