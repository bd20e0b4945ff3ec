import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An uploaded file's bytes, by their SHA-256: the same bytes are stored once. */
@Entity({ name: 'import_files' })
export class ImportFileEntity {
  @PrimaryColumn({ type: 'binary', length: 32 })
  sha256: Buffer;

  @Column({ type: 'longblob' })
  bytes: Buffer;

  @Column({ type: 'int' })
  size: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: string;
}

export type ImportStatus = 'queued' | 'processing' | 'completed' | 'failed';

/** One upload of a roster by a provider: processed by a job, row by row, resumable from processed_rows. */
@Entity({ name: 'imports' })
@Index('uq_imports_provider_file', ['providerId', 'fileSha256'], { unique: true })
@Index('idx_imports_provider', ['providerId', 'id'])
@Index('idx_imports_status_updated', ['status', 'updatedAt'])
export class ImportEntity {
  @PrimaryColumn({ type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  id: string;

  @Column({ name: 'provider_id', type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  providerId: string;

  @Column({ name: 'file_sha256', type: 'binary', length: 32 })
  fileSha256: Buffer;

  @Column({ name: 'file_name', type: 'varchar', length: 255 })
  fileName: string;

  @Column({ type: 'varchar', length: 8, charset: 'ascii', collation: 'ascii_bin' })
  format: string;

  @Column({ type: 'varchar', length: 16, charset: 'ascii', collation: 'ascii_bin' })
  status: ImportStatus;

  @Column({ name: 'total_rows', type: 'int' })
  totalRows: number;

  @Column({ name: 'processed_rows', type: 'int', default: 0 })
  processedRows: number;

  @Column({ name: 'created_count', type: 'int', default: 0 })
  createdCount: number;

  @Column({ name: 'replayed_count', type: 'int', default: 0 })
  replayedCount: number;

  @Column({ name: 'rejected_count', type: 'int', default: 0 })
  rejectedCount: number;

  /** JSON: headers the file has that the roster does not use. */
  @Column({ type: 'text' })
  warnings: string;

  @Column({ name: 'failure_reason', type: 'varchar', length: 500, nullable: true })
  failureReason: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: string;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: string;

  @Column({ name: 'completed_at', type: 'datetime', precision: 3, nullable: true })
  completedAt: string | null;
}

/** What became of one data row: 已记录 (created), 已存在 (replayed) or 错误 (error, with the column and why). */
@Entity({ name: 'import_rows' })
export class ImportRowEntity {
  @PrimaryColumn({ name: 'import_id', type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  importId: string;

  @PrimaryColumn({ name: 'row_number', type: 'int' })
  rowNumber: number;

  @Column({ type: 'varchar', length: 16, charset: 'ascii', collation: 'ascii_bin' })
  result: 'created' | 'replayed' | 'error';

  @Column({ name: 'column_name', type: 'varchar', length: 32, nullable: true })
  columnName: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  message: string | null;

  @Column({ name: 'entry_id', type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin', nullable: true })
  entryId: string | null;
}
