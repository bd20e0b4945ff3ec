import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An API key's holder. Only the key's SHA-256 is stored; the key itself is shown once. */
@Entity({ name: 'api_clients' })
@Index('uq_api_clients_key_hash', ['keyHash'], { unique: true })
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

  @Column({ name: 'key_hash', type: 'binary', length: 32 })
  keyHash: Buffer;

  /** The secret that signs this client's webhooks, AES-GCM encrypted (it must be read back to sign). */
  @Column({ name: 'webhook_secret_cipher', type: 'varbinary', length: 128, nullable: true })
  webhookSecretCipher: Buffer | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: string;
}
