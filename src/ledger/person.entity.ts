import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A person known by the HMAC of their ID number; the number itself only as AES-GCM ciphertext. */
@Entity({ name: 'persons' })
@Index('uq_persons_id_number_hmac', ['idNumberHmac'], { unique: true })
export class PersonEntity {
  @PrimaryColumn({ type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  id: string;

  @Column({ name: 'id_number_hmac', type: 'binary', length: 32 })
  idNumberHmac: Buffer;

  @Column({ name: 'id_number_cipher', type: 'varbinary', length: 64 })
  idNumberCipher: Buffer;

  @Column({ name: 'id_number_masked', type: 'char', length: 18, charset: 'ascii', collation: 'ascii_bin' })
  idNumberMasked: string;

  @Column({ type: 'varchar', length: 50 })
  name: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: string;

  /** The head of the person's hash chain over their entries: how many, and the last chain hash. */
  @Column({ name: 'chain_seq', type: 'int', default: 0 })
  chainSeq: number;

  @Column({ name: 'chain_head', type: 'binary', length: 32, nullable: true })
  chainHead: Buffer | null;
}
