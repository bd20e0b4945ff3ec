import { MigrationInterface, QueryRunner } from 'typeorm';

const ASCII = 'CHARACTER SET "ascii" COLLATE "ascii_bin"';

/**
 * Self-reported activities (学时申报): employers, employer and authority clients, activities with their
 * review steps (append-only), evidence stored by SHA-256 in 1 MiB chunks, and the notification outbox.
 * Ledger entries get their origin: `source` (provider or self_report); a self-reported entry has no
 * provider, and names the organisation whose approval recorded it.
 */
export class SelfReports1796000000008 implements MigrationInterface {
  name = 'SelfReports1796000000008';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`employers\` (\`id\` char(36) ${ASCII} NOT NULL, \`org_code\` char(18) ${ASCII} NOT NULL, \`name\` varchar(200) NOT NULL, \`created_at\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_employers_org_code\` (\`org_code\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `ALTER TABLE \`api_clients\` ADD \`employer_id\` char(36) ${ASCII} NULL, ADD \`org_code\` char(18) ${ASCII} NULL, ADD INDEX \`idx_api_clients_employer\` (\`employer_id\`), ADD UNIQUE INDEX \`uq_api_clients_org_code\` (\`org_code\`)`,
    );
    await queryRunner.query(
      `ALTER TABLE \`hour_entries\` ADD \`source\` varchar(16) ${ASCII} NOT NULL DEFAULT 'provider', ADD \`recorder_name\` varchar(200) NULL, MODIFY \`provider_id\` char(36) ${ASCII} NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE \`activities\` (\`id\` char(36) ${ASCII} NOT NULL, \`person_key\` binary(32) NOT NULL, \`id_number_cipher\` varbinary(64) NOT NULL, \`id_number_masked\` char(18) ${ASCII} NOT NULL, \`person_name\` varchar(50) NOT NULL, \`employer_id\` char(36) ${ASCII} NOT NULL, \`activity_type\` varchar(40) ${ASCII} NOT NULL, \`category\` varchar(16) ${ASCII} NOT NULL, \`hours_tenths\` int NOT NULL, \`completed_on\` date NOT NULL, \`ledger_year\` smallint NOT NULL, \`title\` varchar(200) NOT NULL, \`organiser\` varchar(200) NOT NULL, \`status\` varchar(24) ${ASCII} NOT NULL, \`version\` int NOT NULL DEFAULT '0', \`entry_id\` char(36) ${ASCII} NULL, \`created_at\` datetime(3) NOT NULL, \`updated_at\` datetime(3) NOT NULL, INDEX \`idx_activities_status\` (\`status\`, \`created_at\`), INDEX \`idx_activities_employer_status\` (\`employer_id\`, \`status\`, \`created_at\`), INDEX \`idx_activities_person_year\` (\`person_key\`, \`ledger_year\`, \`activity_type\`), INDEX \`idx_activities_person\` (\`person_key\`, \`created_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`activity_steps\` (\`id\` char(36) ${ASCII} NOT NULL, \`activity_id\` char(36) ${ASCII} NOT NULL, \`action\` varchar(16) ${ASCII} NOT NULL, \`stage\` varchar(16) ${ASCII} NULL, \`comment\` varchar(500) NULL, \`actor_kind\` varchar(32) ${ASCII} NOT NULL, \`actor_id\` varchar(64) ${ASCII} NULL, \`actor_name\` varchar(200) NOT NULL, \`at\` datetime(3) NOT NULL, INDEX \`idx_activity_steps_activity\` (\`activity_id\`, \`at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query("CREATE TRIGGER `activity_steps_no_update` BEFORE UPDATE ON `activity_steps` FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'activity_steps is append-only'");
    await queryRunner.query("CREATE TRIGGER `activity_steps_no_delete` BEFORE DELETE ON `activity_steps` FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'activity_steps is append-only'");
    await queryRunner.query(
      `CREATE TABLE \`activity_evidence\` (\`id\` char(36) ${ASCII} NOT NULL, \`activity_id\` char(36) ${ASCII} NOT NULL, \`ordinal\` tinyint NOT NULL, \`file_sha256\` binary(32) NOT NULL, \`file_name\` varchar(200) NOT NULL, \`media_type\` varchar(32) ${ASCII} NOT NULL, \`size\` int NOT NULL, INDEX \`idx_activity_evidence_activity\` (\`activity_id\`, \`ordinal\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query('CREATE TABLE `evidence_files` (`sha256` binary(32) NOT NULL, `size` int NOT NULL, `created_at` datetime(3) NOT NULL, PRIMARY KEY (`sha256`)) ENGINE=InnoDB');
    await queryRunner.query('CREATE TABLE `evidence_file_chunks` (`sha256` binary(32) NOT NULL, `seq` smallint NOT NULL, `bytes` mediumblob NOT NULL, PRIMARY KEY (`sha256`, `seq`)) ENGINE=InnoDB');
    await queryRunner.query(
      `CREATE TABLE \`activity_notifications\` (\`id\` char(36) ${ASCII} NOT NULL, \`activity_id\` char(36) ${ASCII} NOT NULL, \`payload\` text NOT NULL, \`status\` varchar(16) ${ASCII} NOT NULL, \`attempts\` int NOT NULL DEFAULT '0', \`created_at\` datetime(3) NOT NULL, \`updated_at\` datetime(3) NOT NULL, \`delivered_at\` datetime(3) NULL, INDEX \`idx_activity_notifications_status_updated\` (\`status\`, \`updated_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['activity_notifications', 'evidence_file_chunks', 'evidence_files', 'activity_evidence', 'activity_steps', 'activities', 'employers']) {
      await queryRunner.query(`DROP TABLE \`${table}\``);
    }
    await queryRunner.query(`ALTER TABLE \`hour_entries\` DROP COLUMN \`source\`, DROP COLUMN \`recorder_name\`, MODIFY \`provider_id\` char(36) ${ASCII} NOT NULL`);
    await queryRunner.query('ALTER TABLE `api_clients` DROP INDEX `uq_api_clients_org_code`, DROP INDEX `idx_api_clients_employer`, DROP COLUMN `org_code`, DROP COLUMN `employer_id`');
  }
}
