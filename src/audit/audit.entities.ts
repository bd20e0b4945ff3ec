import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A read of a person's data by someone other than that person: who, what, why, when. Never changed. */
@Entity({ name: 'access_log' })
@Index('idx_access_log_person', ['personKey', 'id'])
export class AccessLogEntity {
  @PrimaryColumn({ type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  id: string;

  @Column({ name: 'person_key', type: 'binary', length: 32 })
  personKey: Buffer;

  @Column({ name: 'actor_kind', type: 'varchar', length: 32, charset: 'ascii', collation: 'ascii_bin' })
  actorKind: string;

  @Column({ name: 'actor_id', type: 'varchar', length: 64, charset: 'ascii', collation: 'ascii_bin', nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_name', type: 'varchar', length: 200 })
  actorName: string;

  @Column({ type: 'varchar', length: 64, charset: 'ascii', collation: 'ascii_bin' })
  action: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  purpose: string | null;

  @Column({ type: 'datetime', precision: 3 })
  at: string;
}

/** An administrative action (providers, clients, tokens, keys, name changes …). Never changed. */
@Entity({ name: 'audit_log' })
export class AuditLogEntity {
  @PrimaryColumn({ type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  id: string;

  @Column({ name: 'actor_kind', type: 'varchar', length: 32, charset: 'ascii', collation: 'ascii_bin' })
  actorKind: string;

  @Column({ name: 'actor_id', type: 'varchar', length: 64, charset: 'ascii', collation: 'ascii_bin', nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_name', type: 'varchar', length: 200 })
  actorName: string;

  @Column({ type: 'varchar', length: 64, charset: 'ascii', collation: 'ascii_bin' })
  action: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  target: string | null;

  @Column({ type: 'datetime', precision: 3 })
  at: string;
}
