import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity({ name: 'providers' })
@Index('uq_providers_code', ['code'], { unique: true })
@Index('uq_providers_org_code', ['orgCode'], { unique: true })
export class ProviderEntity {
  @PrimaryColumn({ type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  id: string;

  @Column({ type: 'varchar', length: 64, charset: 'ascii', collation: 'ascii_bin' })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** 统一社会信用代码 (GB 32100): staff who sign in with it act for this provider. */
  @Column({ name: 'org_code', type: 'char', length: 18, charset: 'ascii', collation: 'ascii_bin', nullable: true })
  orgCode: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: string;
}
