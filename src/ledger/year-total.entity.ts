import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Per person and ledger year, the sum of every entry (reversals included) by category, kept in
 * the same transaction as the entries so that reads and rule evaluations never scan entries.
 */
@Entity({ name: 'year_totals' })
export class YearTotalEntity {
  @PrimaryColumn({ name: 'person_id', type: 'char', length: 36, charset: 'ascii', collation: 'ascii_bin' })
  personId: string;

  @PrimaryColumn({ name: 'ledger_year', type: 'smallint' })
  ledgerYear: number;

  @Column({ name: 'professional_tenths', type: 'int', default: 0 })
  professionalTenths: number;

  @Column({ name: 'general_public_tenths', type: 'int', default: 0 })
  generalPublicTenths: number;

  @Column({ name: 'industry_public_tenths', type: 'int', default: 0 })
  industryPublicTenths: number;

  @Column({ name: 'entry_count', type: 'int', default: 0 })
  entryCount: number;
}
