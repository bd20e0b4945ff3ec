import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The append-only ledger. Rows are inserted, never updated or deleted: a correction is a new row
 * with negative hours whose reverses_entry_id names the original (unique, so only once).
 */
@Entity({ name: 'hour_entries' })
@Index('uq_hour_entries_provider_external', ['providerId', 'externalId', 'externalGeneration'], { unique: true })
@Index('idx_hour_entries_provider_id', ['providerId', 'id'])
@Index('idx_hour_entries_person_day', ['personId', 'completedOn', 'providerId', 'hoursTenths'])
@Index('uq_hour_entries_reverses', ['reversesEntryId'], { unique: true })
@Index('uq_hour_entries_person_chain', ['personId', 'chainSeq'], { unique: true })
export class HourEntryEntity {
  @PrimaryColumn({ type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  id: string;

  /** Where the entry came from: a provider's posting, or an applicant's self-report once reviewed. */
  @Column({ type: 'varchar', length: 16, charset: 'ascii', collation: 'ascii_bin', default: 'provider' })
  source: string;

  /** The provider that posted it; NULL for self-reported entries. */
  @Column({ name: 'provider_id', type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin', nullable: true })
  providerId: string | null;

  /** Self-reported entries: the organisation whose approval recorded it (providers are joined by id instead). */
  @Column({ name: 'recorder_name', type: 'varchar', length: 200, nullable: true })
  recorderName: string | null;

  /** The provider's own record id (a self-report's activity id); NULL on reversals, which the service creates. */
  @Column({ name: 'external_id', type: 'varchar', length: 128, charset: 'ascii', collation: 'ascii_bin', nullable: true })
  externalId: string | null;

  /** 0 for an externalId's first posting; one more for each posting after a reversal of the one before. */
  @Column({ name: 'external_generation', type: 'smallint', default: 0 })
  externalGeneration: number;

  @Column({ name: 'person_id', type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  personId: string;

  @Column({ type: 'varchar', length: 16, charset: 'ascii', collation: 'ascii_bin' })
  category: string;

  @Column({ name: 'hours_tenths', type: 'int' })
  hoursTenths: number;

  @Column({ name: 'completed_on', type: 'date' })
  completedOn: string;

  @Column({ name: 'ledger_year', type: 'smallint' })
  ledgerYear: number;

  @Column({ name: 'person_name', type: 'varchar', length: 50 })
  personName: string;

  @Column({ name: 'course_title', type: 'varchar', length: 200 })
  courseTitle: string;

  @Column({ name: 'content_hash', type: 'binary', length: 32, nullable: true })
  contentHash: Buffer | null;

  @Column({ name: 'reverses_entry_id', type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin', nullable: true })
  reversesEntryId: string | null;

  @Column({ name: 'reversal_reason', type: 'varchar', length: 500, nullable: true })
  reversalReason: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: string;

  /** This entry's place in its person's hash chain (1, 2, …) and the chain hash up to it (see chain.ts). */
  @Column({ name: 'chain_seq', type: 'int', default: 0 })
  chainSeq: number;

  @Column({ name: 'chain_hash', type: 'binary', length: 32 })
  chainHash: Buffer;
}
