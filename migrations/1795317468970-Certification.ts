import { MigrationInterface, QueryRunner } from "typeorm";

export class Certification1795317468970 implements MigrationInterface {
    name = 'Certification1795317468970'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE \`certifications\` (\`id\` char(36) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, \`client_id\` char(36) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, \`batch_id\` char(36) CHARACTER SET "ascii" COLLATE "ascii_bin" NULL, \`idempotency_key\` varchar(200) CHARACTER SET "ascii" COLLATE "ascii_bin" NULL, \`request_hash\` binary(32) NOT NULL, \`person_key\` binary(32) NOT NULL, \`id_number_masked\` char(18) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, \`request\` text NOT NULL, \`callback_url\` varchar(2048) NULL, \`status\` varchar(16) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, \`decision_outcome\` varchar(16) CHARACTER SET "ascii" COLLATE "ascii_bin" NULL, \`decision\` mediumtext NULL, \`rule_set_id\` varchar(64) CHARACTER SET "ascii" COLLATE "ascii_bin" NULL, \`ledger_digest\` binary(32) NULL, \`certificate\` mediumtext NULL, \`failure_reason\` varchar(500) NULL, \`created_at\` datetime(3) NOT NULL, \`updated_at\` datetime(3) NOT NULL, \`completed_at\` datetime(3) NULL, INDEX \`idx_certifications_status_updated\` (\`status\`, \`updated_at\`), INDEX \`idx_certifications_batch\` (\`batch_id\`, \`id\`), UNIQUE INDEX \`uq_certifications_idempotency\` (\`client_id\`, \`idempotency_key\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`certification_batches\` (\`id\` char(36) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, \`client_id\` char(36) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, \`idempotency_key\` varchar(200) CHARACTER SET "ascii" COLLATE "ascii_bin" NULL, \`request_hash\` binary(32) NOT NULL, \`total\` int NOT NULL, \`created_at\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_certification_batches_idempotency\` (\`client_id\`, \`idempotency_key\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`webhook_deliveries\` (\`id\` char(36) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, \`certification_id\` char(36) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, \`attempt\` int NOT NULL, \`status_code\` int NULL, \`succeeded\` tinyint NOT NULL, \`error\` varchar(500) NULL, \`duration_ms\` int NOT NULL, \`attempted_at\` datetime(3) NOT NULL, INDEX \`idx_webhook_deliveries_certification\` (\`certification_id\`, \`attempt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`signing_keys\` (\`kid\` varchar(64) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, \`public_jwk\` text NOT NULL, \`created_at\` datetime(3) NOT NULL, PRIMARY KEY (\`kid\`)) ENGINE=InnoDB`);
        await queryRunner.query(`ALTER TABLE \`api_clients\` ADD \`webhook_secret_cipher\` varbinary(128) NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`api_clients\` DROP COLUMN \`webhook_secret_cipher\``);
        await queryRunner.query(`DROP TABLE \`signing_keys\``);
        await queryRunner.query(`DROP INDEX \`idx_webhook_deliveries_certification\` ON \`webhook_deliveries\``);
        await queryRunner.query(`DROP TABLE \`webhook_deliveries\``);
        await queryRunner.query(`DROP INDEX \`uq_certification_batches_idempotency\` ON \`certification_batches\``);
        await queryRunner.query(`DROP TABLE \`certification_batches\``);
        await queryRunner.query(`DROP INDEX \`uq_certifications_idempotency\` ON \`certifications\``);
        await queryRunner.query(`DROP INDEX \`idx_certifications_batch\` ON \`certifications\``);
        await queryRunner.query(`DROP INDEX \`idx_certifications_status_updated\` ON \`certifications\``);
        await queryRunner.query(`DROP TABLE \`certifications\``);
    }

}
