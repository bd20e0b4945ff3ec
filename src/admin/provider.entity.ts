import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity({ name: 'providers' })
@Index('uq_providers_code', ['code'], { unique: true })
export class ProviderEntity {
  @PrimaryColumn({ type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  id: string;

  @Column({ type: 'varchar', length: 64, charset: 'ascii', collation: 'ascii_bin' })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: string;
}
