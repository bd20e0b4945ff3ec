import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * Where evidence bytes live, addressed by their SHA-256 (the same file is stored once). The database
 * is the default, so that a backup of MySQL holds everything; an object store would implement the same.
 */
export abstract class EvidenceStore {
  /** Stores the bytes (inside the caller's transaction where the store can join one); their SHA-256. */
  abstract put(manager: EntityManager, bytes: Buffer): Promise<Buffer>;
  abstract get(sha256: Buffer): Promise<Buffer | null>;
}

const CHUNK_BYTES = 1024 * 1024;

/** evidence_files + evidence_file_chunks: 1 MiB rows, far below max_allowed_packet and a distributed engine's row limit. */
@Injectable()
export class DatabaseEvidenceStore extends EvidenceStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async put(manager: EntityManager, bytes: Buffer): Promise<Buffer> {
    const sha256 = createHash('sha256').update(bytes).digest();
    const inserted: { affectedRows: number } = await manager.query('INSERT IGNORE INTO evidence_files (sha256, size, created_at) VALUES (?, ?, ?)', [
      sha256,
      bytes.length,
      new Date(),
    ]);
    if (inserted.affectedRows === 0) return sha256; // stored before, whole: the row and its chunks commit together
    for (let seq = 0; seq * CHUNK_BYTES < bytes.length || seq === 0; seq += 1) {
      await manager.query('INSERT INTO evidence_file_chunks (sha256, seq, bytes) VALUES (?, ?, ?)', [sha256, seq, bytes.subarray(seq * CHUNK_BYTES, (seq + 1) * CHUNK_BYTES)]);
    }
    return sha256;
  }

  async get(sha256: Buffer): Promise<Buffer | null> {
    const rows: { bytes: Buffer }[] = await this.dataSource.query('SELECT bytes FROM evidence_file_chunks WHERE sha256 = ? ORDER BY seq', [sha256]);
    return rows.length > 0 ? Buffer.concat(rows.map((row) => row.bytes)) : null;
  }
}

/** Evidence is PDF, JPEG or PNG by its first bytes, whatever its name says; null for anything else. */
export function evidenceMediaType(head: Buffer): 'application/pdf' | 'image/jpeg' | 'image/png' | null {
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return null;
}
