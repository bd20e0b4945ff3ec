import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A provider's externalId may be posted again once its entry is reversed: each posting is a new
 * generation, unique per (provider, externalId, generation). Names of persons change only through
 * an administrator's recorded name change, kept with its history.
 */
export class CorrectionsAndNames1796000000000 implements MigrationInterface {
  name = 'CorrectionsAndNames1796000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `hour_entries` ADD `external_generation` smallint NOT NULL DEFAULT 0');
    await queryRunner.query('DROP INDEX `uq_hour_entries_provider_external` ON `hour_entries`');
    await queryRunner.query(
      'CREATE UNIQUE INDEX `uq_hour_entries_provider_external` ON `hour_entries` (`provider_id`, `external_id`, `external_generation`)',
    );
    await queryRunner.query(
      'CREATE TABLE `person_name_changes` (`id` char(36) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, `person_id` char(36) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, `old_name` varchar(50) NOT NULL, `new_name` varchar(50) NOT NULL, `reason` varchar(500) NOT NULL, `changed_by_client_id` char(36) CHARACTER SET "ascii" COLLATE "ascii_bin" NULL, `created_at` datetime(3) NOT NULL, INDEX `idx_person_name_changes_person` (`person_id`, `id`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `person_name_changes`');
    await queryRunner.query('DROP INDEX `uq_hour_entries_provider_external` ON `hour_entries`');
    await queryRunner.query('CREATE UNIQUE INDEX `uq_hour_entries_provider_external` ON `hour_entries` (`provider_id`, `external_id`)');
    await queryRunner.query('ALTER TABLE `hour_entries` DROP COLUMN `external_generation`');
  }
}
