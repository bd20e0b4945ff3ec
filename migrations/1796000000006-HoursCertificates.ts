import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Printable hours certificates (学时证明) as issued, each with a verification code of 128 random bits;
 * certifications get one too, for the QR code of their printed result.
 */
export class HoursCertificates1796000000006 implements MigrationInterface {
  name = 'HoursCertificates1796000000006';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `hours_certificates` (`id` char(36) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, `verify_code` char(22) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, `person_key` binary(32) NOT NULL, `issued_by_kind` varchar(16) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, `issued_by_client_id` char(36) CHARACTER SET "ascii" COLLATE "ascii_bin" NULL, `from_year` smallint NOT NULL, `to_year` smallint NOT NULL, `content` mediumtext NOT NULL, `entries_digest` binary(32) NOT NULL, `kid` varchar(64) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, `certificate` mediumtext NOT NULL, `issued_at` datetime(3) NOT NULL, UNIQUE INDEX `uq_hours_certificates_verify_code` (`verify_code`), INDEX `idx_hours_certificates_person` (`person_key`, `id`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query('ALTER TABLE `certifications` ADD `verify_code` char(22) CHARACTER SET "ascii" COLLATE "ascii_bin" NULL');
    await queryRunner.query('CREATE UNIQUE INDEX `uq_certifications_verify_code` ON `certifications` (`verify_code`)');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `uq_certifications_verify_code` ON `certifications`');
    await queryRunner.query('ALTER TABLE `certifications` DROP COLUMN `verify_code`');
    await queryRunner.query('DROP TABLE `hours_certificates`');
  }
}
