import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface HoursCertificateRow {
  id: string;
  verifyCode: string;
  personKey: Buffer;
  issuedByKind: string;
  issuedByClientId: string | null;
  fromYear: number;
  toYear: number;
  content: string;
  certificate: string;
  issuedAt: string;
}

const COLUMNS = `id, verify_code AS verifyCode, person_key AS personKey, issued_by_kind AS issuedByKind, issued_by_client_id AS issuedByClientId,
  from_year AS fromYear, to_year AS toYear, content, certificate, issued_at AS issuedAt`;

/** Owns hours_certificates: inserted once, as issued, and read back; never changed. */
@Injectable()
export class HoursCertificatesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(row: Omit<HoursCertificateRow, 'issuedAt'> & { entriesDigest: Buffer; kid: string; issuedAt: Date }): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO hours_certificates (id, verify_code, person_key, issued_by_kind, issued_by_client_id, from_year, to_year, content, entries_digest, kid, certificate, issued_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [row.id, row.verifyCode, row.personKey, row.issuedByKind, row.issuedByClientId, row.fromYear, row.toYear, row.content, row.entriesDigest, row.kid, row.certificate, row.issuedAt],
    );
  }

  async find(id: string): Promise<HoursCertificateRow | null> {
    const rows: HoursCertificateRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM hours_certificates WHERE id = ?`, [id]);
    return rows[0] ?? null;
  }

  async findByVerifyCode(code: string): Promise<HoursCertificateRow | null> {
    const rows: HoursCertificateRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM hours_certificates WHERE verify_code = ?`, [code]);
    return rows[0] ?? null;
  }

  /** A person's certificates, newest first. */
  async ofPerson(personKey: Buffer, limit = 100): Promise<HoursCertificateRow[]> {
    return this.dataSource.query(`SELECT ${COLUMNS} FROM hours_certificates WHERE person_key = ? ORDER BY id DESC LIMIT ?`, [personKey, limit]);
  }
}
