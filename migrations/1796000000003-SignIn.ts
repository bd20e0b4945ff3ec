import { MigrationInterface, QueryRunner } from 'typeorm';

/** A provider may be registered with its unified social credit code, by which its staff sign in. */
export class SignIn1796000000003 implements MigrationInterface {
  name = 'SignIn1796000000003';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `providers` ADD `org_code` char(18) CHARACTER SET "ascii" COLLATE "ascii_bin" NULL');
    await queryRunner.query('CREATE UNIQUE INDEX `uq_providers_org_code` ON `providers` (`org_code`)');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `uq_providers_org_code` ON `providers`');
    await queryRunner.query('ALTER TABLE `providers` DROP COLUMN `org_code`');
  }
}
