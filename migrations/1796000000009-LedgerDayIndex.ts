import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A person's entries by completion date instead of by ledger year (the year is the date's), carrying
 * provider and hours: the daily bound sums one provider's entries on a person's dates under the
 * persons' lock, and this index answers it alone. Through (person, year) it read every entry of the
 * person's year row by row; MariaDB often went through (provider, …), all of the provider's entries.
 * Queries by person and year use the person prefix alike.
 */
export class LedgerDayIndex1796000000009 implements MigrationInterface {
  name = 'LedgerDayIndex1796000000009';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `hour_entries` DROP INDEX `idx_hour_entries_person_year`, ADD INDEX `idx_hour_entries_person_day` (`person_id`, `completed_on`, `provider_id`, `hours_tenths`)');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `hour_entries` DROP INDEX `idx_hour_entries_person_day`, ADD INDEX `idx_hour_entries_person_year` (`person_id`, `ledger_year`)');
  }
}
