import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** 用人单位: reviews its employees' self-reported hours first. Staff who sign in with its code act for it. */
@Entity({ name: 'employers' })
@Index('uq_employers_org_code', ['orgCode'], { unique: true })
export class EmployerEntity {
  @PrimaryColumn({ type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  id: string;

  /** 统一社会信用代码 (GB 32100). */
  @Column({ name: 'org_code', type: 'char', length: 18, charset: 'ascii', collation: 'ascii_bin' })
  orgCode: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: string;
}
