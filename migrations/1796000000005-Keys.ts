import { MigrationInterface, QueryRunner } from 'typeorm';
import { newId } from '../src/common/ids.js';

/**
 * Several API keys per client (at most 5 active, each revocable), and signing keys kept encrypted
 * so that an administrator can rotate them. A client's one key so far becomes its first key.
 */
export class Keys1796000000005 implements MigrationInterface {
  name = 'Keys1796000000005';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `api_keys` (`id` char(36) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, `client_id` char(36) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, `prefix` varchar(16) CHARACTER SET "ascii" COLLATE "ascii_bin" NULL, `key_hash` binary(32) NOT NULL, `created_at` datetime(3) NOT NULL, `last_used_at` datetime(3) NULL, `revoked_at` datetime(3) NULL, INDEX `idx_api_keys_client` (`client_id`), UNIQUE INDEX `uq_api_keys_key_hash` (`key_hash`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    const clients: { id: string; keyHash: Buffer; createdAt: string }[] = await queryRunner.query('SELECT id, key_hash AS keyHash, created_at AS createdAt FROM api_clients');
    for (const client of clients) {
      await queryRunner.query('INSERT INTO api_keys (id, client_id, prefix, key_hash, created_at) VALUES (?, ?, NULL, ?, ?)', [newId(), client.id, client.keyHash, client.createdAt]);
    }
    await queryRunner.query('DROP INDEX `uq_api_clients_key_hash` ON `api_clients`');
    await queryRunner.query('ALTER TABLE `api_clients` DROP COLUMN `key_hash`');
    await queryRunner.query('ALTER TABLE `signing_keys` ADD `private_key_cipher` varbinary(256) NULL, ADD `activated_at` datetime(3) NULL');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `signing_keys` DROP COLUMN `activated_at`, DROP COLUMN `private_key_cipher`');
    await queryRunner.query('ALTER TABLE `api_clients` ADD `key_hash` binary(32) NULL');
    await queryRunner.query('UPDATE api_clients c SET key_hash = (SELECT k.key_hash FROM api_keys k WHERE k.client_id = c.id AND k.revoked_at IS NULL ORDER BY k.created_at LIMIT 1)');
    await queryRunner.query('CREATE UNIQUE INDEX `uq_api_clients_key_hash` ON `api_clients` (`key_hash`)');
    await queryRunner.query('DROP TABLE `api_keys`');
  }
}
