import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A 学时证明 as issued: its content (years and totals, the entries shown), signed, with a verification code. */
@Entity({ name: 'hours_certificates' })
@Index('uq_hours_certificates_verify_code', ['verifyCode'], { unique: true })
@Index('idx_hours_certificates_person', ['personKey', 'id'])
export class HoursCertificateEntity {
  @PrimaryColumn({ type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  id: string;

  /** 128 random bits, base64url: what the QR code and verifyUrl carry. */
  @Column({ name: 'verify_code', type: 'char', length: 22, charset: 'ascii', collation: 'ascii_bin' })
  verifyCode: string;

  @Column({ name: 'person_key', type: 'binary', length: 32 })
  personKey: Buffer;

  /** applicant (for themselves) or title_system. */
  @Column({ name: 'issued_by_kind', type: 'varchar', length: 16, charset: 'ascii', collation: 'ascii_bin' })
  issuedByKind: string;

  @Column({ name: 'issued_by_client_id', type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin', nullable: true })
  issuedByClientId: string | null;

  @Column({ name: 'from_year', type: 'smallint' })
  fromYear: number;

  @Column({ name: 'to_year', type: 'smallint' })
  toYear: number;

  /** The certificate's content as issued (JSON): person (masked), years with totals, the entries. */
  @Column({ type: 'mediumtext' })
  content: string;

  @Column({ name: 'entries_digest', type: 'binary', length: 32 })
  entriesDigest: Buffer;

  @Column({ type: 'varchar', length: 64, charset: 'ascii', collation: 'ascii_bin' })
  kid: string;

  /** Compact JWS over the content, with the same keys as certifications. */
  @Column({ type: 'mediumtext' })
  certificate: string;

  @Column({ name: 'issued_at', type: 'datetime', precision: 3 })
  issuedAt: string;
}
