import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An administrator's recorded change of a person's name: the only way the name on record changes. */
@Entity({ name: 'person_name_changes' })
@Index('idx_person_name_changes_person', ['personId', 'id'])
export class PersonNameChangeEntity {
  @PrimaryColumn({ type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  id: string;

  @Column({ name: 'person_id', type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  personId: string;

  @Column({ name: 'old_name', type: 'varchar', length: 50 })
  oldName: string;

  @Column({ name: 'new_name', type: 'varchar', length: 50 })
  newName: string;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  /** The admin client that recorded it; NULL for the bootstrap administrator key. */
  @Column({ name: 'changed_by_client_id', type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin', nullable: true })
  changedByClientId: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: string;
}
