import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who read a person's data (access_log, PIPL art. 45) and every administrative action (audit_log).
 * Both append-only: triggers refuse UPDATE and DELETE, as for hour_entries.
 */
export class AccessLog1796000000004 implements MigrationInterface {
  name = 'AccessLog1796000000004';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `access_log` (`id` char(36) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, `person_key` binary(32) NOT NULL, `actor_kind` varchar(32) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, `actor_id` varchar(64) CHARACTER SET "ascii" COLLATE "ascii_bin" NULL, `actor_name` varchar(200) NOT NULL, `action` varchar(64) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, `purpose` varchar(200) NULL, `at` datetime(3) NOT NULL, INDEX `idx_access_log_person` (`person_key`, `id`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'CREATE TABLE `audit_log` (`id` char(36) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, `actor_kind` varchar(32) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, `actor_id` varchar(64) CHARACTER SET "ascii" COLLATE "ascii_bin" NULL, `actor_name` varchar(200) NOT NULL, `action` varchar(64) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, `target` varchar(200) NULL, `at` datetime(3) NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    for (const table of ['access_log', 'audit_log']) {
      await queryRunner.query(`CREATE TRIGGER \`${table}_no_update\` BEFORE UPDATE ON \`${table}\` FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '${table} is append-only'`);
      await queryRunner.query(`CREATE TRIGGER \`${table}_no_delete\` BEFORE DELETE ON \`${table}\` FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '${table} is append-only'`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `audit_log`');
    await queryRunner.query('DROP TABLE `access_log`');
  }
}
