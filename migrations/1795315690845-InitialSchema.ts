import { MigrationInterface, QueryRunner } from "typeorm";

export class InitialSchema1795315690845 implements MigrationInterface {
    name = 'InitialSchema1795315690845'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE \`api_clients\` (\`id\` char(36) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, \`name\` varchar(200) NOT NULL, \`role\` varchar(16) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, \`provider_id\` char(36) CHARACTER SET "ascii" COLLATE "ascii_bin" NULL, \`key_hash\` binary(32) NOT NULL, \`created_at\` datetime(3) NOT NULL, INDEX \`idx_api_clients_provider\` (\`provider_id\`), UNIQUE INDEX \`uq_api_clients_key_hash\` (\`key_hash\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`providers\` (\`id\` char(36) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, \`code\` varchar(64) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, \`name\` varchar(200) NOT NULL, \`created_at\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_providers_code\` (\`code\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`hour_entries\` (\`id\` char(36) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, \`provider_id\` char(36) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, \`external_id\` varchar(128) CHARACTER SET "ascii" COLLATE "ascii_bin" NULL, \`person_id\` char(36) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, \`category\` varchar(16) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, \`hours_tenths\` int NOT NULL, \`completed_on\` date NOT NULL, \`ledger_year\` smallint NOT NULL, \`person_name\` varchar(50) NOT NULL, \`course_title\` varchar(200) NOT NULL, \`content_hash\` binary(32) NULL, \`reverses_entry_id\` char(36) CHARACTER SET "ascii" COLLATE "ascii_bin" NULL, \`reversal_reason\` varchar(500) NULL, \`created_at\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_hour_entries_reverses\` (\`reverses_entry_id\`), INDEX \`idx_hour_entries_person_year\` (\`person_id\`, \`ledger_year\`), INDEX \`idx_hour_entries_provider_id\` (\`provider_id\`, \`id\`), UNIQUE INDEX \`uq_hour_entries_provider_external\` (\`provider_id\`, \`external_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`persons\` (\`id\` char(36) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, \`id_number_hmac\` binary(32) NOT NULL, \`id_number_cipher\` varbinary(64) NOT NULL, \`id_number_masked\` char(18) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, \`name\` varchar(50) NOT NULL, \`created_at\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_persons_id_number_hmac\` (\`id_number_hmac\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`year_totals\` (\`person_id\` char(36) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, \`ledger_year\` smallint NOT NULL, \`professional_tenths\` int NOT NULL DEFAULT '0', \`general_public_tenths\` int NOT NULL DEFAULT '0', \`industry_public_tenths\` int NOT NULL DEFAULT '0', \`entry_count\` int NOT NULL DEFAULT '0', PRIMARY KEY (\`person_id\`, \`ledger_year\`)) ENGINE=InnoDB`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE \`year_totals\``);
        await queryRunner.query(`DROP INDEX \`uq_persons_id_number_hmac\` ON \`persons\``);
        await queryRunner.query(`DROP TABLE \`persons\``);
        await queryRunner.query(`DROP INDEX \`uq_hour_entries_provider_external\` ON \`hour_entries\``);
        await queryRunner.query(`DROP INDEX \`idx_hour_entries_provider_id\` ON \`hour_entries\``);
        await queryRunner.query(`DROP INDEX \`idx_hour_entries_person_year\` ON \`hour_entries\``);
        await queryRunner.query(`DROP INDEX \`uq_hour_entries_reverses\` ON \`hour_entries\``);
        await queryRunner.query(`DROP TABLE \`hour_entries\``);
        await queryRunner.query(`DROP INDEX \`uq_providers_code\` ON \`providers\``);
        await queryRunner.query(`DROP TABLE \`providers\``);
        await queryRunner.query(`DROP INDEX \`uq_api_clients_key_hash\` ON \`api_clients\``);
        await queryRunner.query(`DROP INDEX \`idx_api_clients_provider\` ON \`api_clients\``);
        await queryRunner.query(`DROP TABLE \`api_clients\``);
    }

}
