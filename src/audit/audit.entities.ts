import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Who did what, and when: the columns both logs share. Records are never changed. */
abstract class ActorRecord {
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

  @Column({ type: 'datetime', precision: 3 })
  at: string;
}

/** A read of a person's data by someone other than that person: who, what, why, when. */
@Entity({ name: 'access_log' })
@Index('idx_access_log_person', ['personKey', 'id'])
export class AccessLogEntity extends ActorRecord {
  @Column({ name: 'person_key', type: 'binary', length: 32 })
  personKey: Buffer;

  @Column({ type: 'varchar', length: 200, nullable: true })
  purpose: string | null;
}

/** An administrative action (providers, clients, tokens, keys, name changes …). */
@Entity({ name: 'audit_log' })
export class AuditLogEntity extends ActorRecord {
  @Column({ type: 'varchar', length: 200, nullable: true })
  target: string | null;
}
