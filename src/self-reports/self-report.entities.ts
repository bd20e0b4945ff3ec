import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const ACTIVITY_STATUSES = ['pending_employer', 'pending_authority', 'approved', 'rejected', 'withdrawn'] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

/**
 * An activity an applicant reported (学时申报). Its status is the one mutable column, moved only by a
 * compare-and-set on `version`; what happened to it, by whom, is in activity_steps (append-only).
 */
@Entity({ name: 'activities' })
@Index('idx_activities_person', ['personKey', 'createdAt'])
@Index('idx_activities_person_year', ['personKey', 'ledgerYear', 'activityType'])
@Index('idx_activities_employer_status', ['employerId', 'status', 'createdAt'])
@Index('idx_activities_status', ['status', 'createdAt'])
export class ActivityEntity {
  @PrimaryColumn({ type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  id: string;

  /** The applicant: their ID number's HMAC, its ciphertext (to record the entry) and its masked form. */
  @Column({ name: 'person_key', type: 'binary', length: 32 })
  personKey: Buffer;

  @Column({ name: 'id_number_cipher', type: 'varbinary', length: 64 })
  idNumberCipher: Buffer;

  @Column({ name: 'id_number_masked', type: 'char', length: 18, charset: 'ascii', collation: 'ascii_bin' })
  idNumberMasked: string;

  @Column({ name: 'person_name', type: 'varchar', length: 50 })
  personName: string;

  @Column({ name: 'employer_id', type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  employerId: string;

  @Column({ name: 'activity_type', type: 'varchar', length: 40, charset: 'ascii', collation: 'ascii_bin' })
  activityType: string;

  @Column({ type: 'varchar', length: 16, charset: 'ascii', collation: 'ascii_bin' })
  category: string;

  @Column({ name: 'hours_tenths', type: 'int' })
  hoursTenths: number;

  @Column({ name: 'completed_on', type: 'date' })
  completedOn: string;

  @Column({ name: 'ledger_year', type: 'smallint' })
  ledgerYear: number;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'varchar', length: 200 })
  organiser: string;

  @Column({ type: 'varchar', length: 24, charset: 'ascii', collation: 'ascii_bin' })
  status: string;

  @Column({ type: 'int', default: 0 })
  version: number;

  /** The ledger entry the last approval recorded. */
  @Column({ name: 'entry_id', type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin', nullable: true })
  entryId: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: string;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: string;
}

/** One step of an activity: submitted, approved or rejected at a stage, withdrawn, reversed. Never changed. */
@Entity({ name: 'activity_steps' })
@Index('idx_activity_steps_activity', ['activityId', 'at'])
export class ActivityStepEntity {
  @PrimaryColumn({ type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  id: string;

  @Column({ name: 'activity_id', type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  activityId: string;

  @Column({ type: 'varchar', length: 16, charset: 'ascii', collation: 'ascii_bin' })
  action: string;

  @Column({ type: 'varchar', length: 16, charset: 'ascii', collation: 'ascii_bin', nullable: true })
  stage: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  comment: string | null;

  @Column({ name: 'actor_kind', type: 'varchar', length: 32, charset: 'ascii', collation: 'ascii_bin' })
  actorKind: string;

  @Column({ name: 'actor_id', type: 'varchar', length: 64, charset: 'ascii', collation: 'ascii_bin', nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_name', type: 'varchar', length: 200 })
  actorName: string;

  @Column({ type: 'datetime', precision: 3 })
  at: string;
}

/** An evidence file of an activity, as the applicant named it; its bytes are in evidence_files by SHA-256. */
@Entity({ name: 'activity_evidence' })
@Index('idx_activity_evidence_activity', ['activityId', 'ordinal'])
export class ActivityEvidenceEntity {
  @PrimaryColumn({ type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  id: string;

  @Column({ name: 'activity_id', type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  activityId: string;

  @Column({ type: 'tinyint' })
  ordinal: number;

  @Column({ name: 'file_sha256', type: 'binary', length: 32 })
  fileSha256: Buffer;

  @Column({ name: 'file_name', type: 'varchar', length: 200 })
  fileName: string;

  @Column({ name: 'media_type', type: 'varchar', length: 32, charset: 'ascii', collation: 'ascii_bin' })
  mediaType: string;

  @Column({ type: 'int' })
  size: number;
}

/** Stored file content, addressed by its SHA-256 (the same bytes are stored once). */
@Entity({ name: 'evidence_files' })
export class EvidenceFileEntity {
  @PrimaryColumn({ type: 'binary', length: 32 })
  sha256: Buffer;

  @Column({ type: 'int' })
  size: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: string;
}

/** A file's bytes in 1 MiB pieces: each row stays far below max_allowed_packet (and a distributed engine's row limit). */
@Entity({ name: 'evidence_file_chunks' })
export class EvidenceFileChunkEntity {
  @PrimaryColumn({ type: 'binary', length: 32 })
  sha256: Buffer;

  @PrimaryColumn({ type: 'smallint' })
  seq: number;

  @Column({ type: 'mediumblob' })
  bytes: Buffer;
}

/** A notification a status change owes the deployment's webhook (an outbox, written with the change). */
@Entity({ name: 'activity_notifications' })
@Index('idx_activity_notifications_status_updated', ['status', 'updatedAt'])
export class ActivityNotificationEntity {
  /** Also the delivery id the receiver dedupes on. */
  @PrimaryColumn({ type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  id: string;

  @Column({ name: 'activity_id', type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  activityId: string;

  @Column({ type: 'text' })
  payload: string;

  @Column({ type: 'varchar', length: 16, charset: 'ascii', collation: 'ascii_bin' })
  status: string;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: string;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: string;

  @Column({ name: 'delivered_at', type: 'datetime', precision: 3, nullable: true })
  deliveredAt: string | null;
}
